"""The complaint's process as a hand-written state machine (SPEC §4 处理流程, §5 回访).

`transition` is a pure function: it takes the facts of a case as they are *now*
(the caller has already written the step's data into `CaseFacts`, e.g. the
handler before ``triage``), checks every guard and answers with the new state,
an audit entry (who, when, from, to, why) and *effects* the caller applies:

typed *effects* (`complaint_core.effects`) the caller maps to its storage:
`EventReached` / `EventsCleared` (milestone start and done events), `KindChanged`,
`ProposerSet`, `ApprovalRoundStarted` / `ApprovalsRequested`, `CustomerAccepted`,
`CustomerAnswerCleared`,
`RecomplaintMarked`, `InvestigationStarted`, `CaseClosed` / `CaseReopened`. The caller
adds no rule of its own: it never decides which event times a step back clears.

`remedy_change` says what an edit of the remedies means in a state (free while
drafting, a new approval round while being approved, refused once approved:
SPEC §4 "an approved remedy is frozen"); `may_execute_remedies` says when a
remedy may be carried out (after approval).

Guards are checked in this order, so the error tells the user the first thing
to fix: the action exists (``action_unknown``), the state allows it
(``state_invalid``), the actor has a role for it (`AuthorityError`
``role_required``), the actor is not recused (`RecusalError` ``recused``), the
actor did not make the proposal (`AuthorityError` ``own_proposal``), then the
step's own data (`TransitionError` ``field_required``, ``reason_required``,
``approvals_incomplete``, ``signoff_required``, ...).

Quality sign-off (SPEC §4: "a quality finding requires the quality
department's sign-off"): ``quality_signoff_by`` names the signer. When the
signer is the actor, the actor's roles must include one of
``policy.workflow.quality_signoff_roles``; when it is someone else, the caller
passes that person's roles as ``signoff_roles=`` (keyword of `transition`).
Without them the sign-off cannot be verified and the step is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from .approval import check_remedies, is_recused_person
from .effects import (
    MAIN_LINE,
    STATE_EVENTS,
    ApprovalRoundStarted,
    ApprovalsRequested,
    CaseClosed,
    CaseReopened,
    CustomerAccepted,
    CustomerAnswerCleared,
    Effect,
    EventReached,
    EventsCleared,
    InvestigationStarted,
    KindChanged,
    ProposerSet,
    RecomplaintMarked,
    events_after,
)
from .errors import AuthorityError, InputError, RecusalError, TransitionError
from .model import FINAL_STATES, OPEN_STATES, Finding, Kind, Remedy, Role, State, require_aware
from .policy import WORKFLOW_ACTIONS, Policy


@dataclass(frozen=True)
class Actor:
    """Who acts: their roles, department and the people they report to (for recusal)."""

    id: str
    roles: frozenset[Role]
    department: str | None = None
    reports_to: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseFacts:
    """What the guards need to know about one case, as it stands now."""

    state: State
    kind: Kind = Kind.COMPLAINT
    category: str | None = None
    level: int | None = None
    handler_id: str | None = None
    department: str | None = None
    complained_about: tuple[str, ...] = ()
    proposed_by: str | None = None
    finding: Finding | None = None
    quality_signoff_by: str | None = None
    responsible_departments: tuple[str, ...] = ()
    remedies: tuple[Remedy, ...] = ()
    approvals_complete: bool = False
    customer_accepted: bool | None = None
    satisfaction: int | None = None
    investigation_started: bool = False
    # remedies carried out by the ERP that are not done yet, as the caller names them
    remedies_pending: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditEntry:
    """SPEC §4/§6: every change of state is kept with who, when, from, to and why."""

    action: str
    actor_id: str
    at: datetime
    from_state: State
    to_state: State
    reason: str = ""


@dataclass(frozen=True)
class TransitionResult:
    state: State
    audit: AuditEntry
    effects: tuple[Effect, ...] = ()

    def effect(self, kind: type[Effect]) -> Effect | None:
        """The first effect of ``kind``, if any."""
        return next((e for e in self.effects if isinstance(e, kind)), None)


@dataclass(frozen=True)
class Step:
    """One row of the transition table: where an action may start, where it leads.

    ``to_state`` None means the state does not change (`convert_kind`)."""

    from_states: frozenset[State]
    to_state: State | None


S = State
_NOT_VALID_FROM = frozenset({S.REGISTERED, S.TRIAGED, S.INVESTIGATING, S.DETERMINED})

# SPEC §4, read top to bottom: the main line, then the side exits.
TRANSITIONS: Mapping[str, Step] = MappingProxyType(
    {
        "triage": Step(frozenset({S.REGISTERED}), S.TRIAGED),
        "start_investigation": Step(frozenset({S.TRIAGED}), S.INVESTIGATING),
        "determine": Step(frozenset({S.INVESTIGATING}), S.DETERMINED),
        "propose_remedy": Step(frozenset({S.DETERMINED}), S.REMEDY_PROPOSED),
        "reject_remedy": Step(frozenset({S.REMEDY_PROPOSED}), S.DETERMINED),
        "approve": Step(frozenset({S.REMEDY_PROPOSED}), S.APPROVED),
        # an approved remedy is frozen: changing it takes a new proposal (SPEC §4)
        "revise_remedy": Step(frozenset({S.APPROVED, S.REPLIED}), S.DETERMINED),
        "reply": Step(frozenset({S.APPROVED}), S.REPLIED),
        # the customer accepts the remedy (处理协议): recorded, the state stays
        "customer_accepts": Step(frozenset({S.REPLIED}), None),
        # the customer rejects the remedy: back to determined, a new remedy is proposed
        "customer_rejects": Step(frozenset({S.REPLIED}), S.DETERMINED),
        "remedy_done": Step(frozenset({S.REPLIED}), S.REMEDY_DONE),
        "follow_up": Step(frozenset({S.REMEDY_DONE}), S.FOLLOW_UP),
        "close": Step(frozenset({S.FOLLOW_UP}), S.CLOSED),
        "mark_not_valid": Step(_NOT_VALID_FROM, S.NOT_VALID),
        "withdraw": Step(OPEN_STATES, S.WITHDRAWN),
        "reopen": Step(frozenset({S.FOLLOW_UP, S.CLOSED}), S.INVESTIGATING),
        "convert_kind": Step(OPEN_STATES, None),
    }
)
assert set(TRANSITIONS) == set(WORKFLOW_ACTIONS), "the table must cover policy.WORKFLOW_ACTIONS"

# SPEC §4 回避: the steps a recused person may not take (handling, determining,
# approving; declaring a complaint not valid is a determination too).
RECUSED_ACTIONS = frozenset(
    {
        "triage",
        "start_investigation",
        "determine",
        "propose_remedy",
        "reject_remedy",
        "approve",
        "revise_remedy",
        "mark_not_valid",
    }
)
# Decisions on a proposal belong to someone other than its proposer.
PROPOSAL_DECISIONS = frozenset({"approve", "reject_remedy"})
# A side exit or a step back must say why.
REASON_REQUIRED = frozenset(
    {"reject_remedy", "customer_rejects", "revise_remedy", "mark_not_valid", "withdraw"}
)
# Steps after which the remedies' approvals no longer hold.
_NEW_ROUND = frozenset({"propose_remedy", "revise_remedy", "customer_rejects", "reopen"})
# Steps after which the customer's answers (acceptance, satisfaction) no longer hold.
_ANSWERS_VOID = frozenset({"revise_remedy", "customer_rejects", "reopen"})
# SPEC §4: a remedy is carried out once approved, until it is done.
EXECUTION_STATES = frozenset({S.APPROVED, S.REPLIED})
# Remedies may be drafted until proposed; while being approved a change voids the
# round's decisions; from approval on they are frozen.
_REMEDY_DRAFT_STATES = frozenset({S.REGISTERED, S.TRIAGED, S.INVESTIGATING, S.DETERMINED})
# Before these states the investigation has not started: a complaint may still
# go back to being a request or a suggestion (SPEC §1).
_CONVERT_BACK_STATES = frozenset({S.REGISTERED, S.TRIAGED})


# -- recusal ----------------------------------------------------------------


def is_recused(case: CaseFacts, actor: Actor) -> bool:
    """SPEC §4 回避: the actor is complained about, or reports only to people who are."""
    return is_recused_person(actor.id, actor.reports_to, case.complained_about)


# -- helpers ----------------------------------------------------------------


def _state(case: CaseFacts) -> State:
    try:
        return State(case.state)
    except ValueError:
        raise InputError(
            f"unknown state {case.state!r}", code="state_unknown", value=str(case.state)
        ) from None


def _refuse(message: str, code: str, action: str, state: State, **params) -> TransitionError:
    return TransitionError(message, code=code, action=action, state=str(state), **params)


def _missing(action: str, state: State, field: str, what: str) -> TransitionError:
    return _refuse(
        f"cannot {_label(action)}: {what} is required", "field_required", action, state, field=field
    )


def _label(action: str) -> str:
    return action.replace("_", " ")


def _has_role(actor: Actor, roles: Iterable[Role]) -> bool:
    return bool(set(actor.roles) & set(roles))


def _role_names(roles: Iterable[Role]) -> list[str]:
    return sorted(str(r) for r in roles)


def _is_dissatisfied(case: CaseFacts, policy: Policy) -> bool:
    return case.satisfaction is not None and case.satisfaction in policy.satisfaction.dissatisfied


def _can_convert_back(case: CaseFacts, state: State) -> bool:
    return not case.investigation_started and state in _CONVERT_BACK_STATES


def _check_state(action: str, step: Step, state: State) -> None:
    if state in step.from_states:
        return
    allowed = sorted(str(s) for s in step.from_states)
    if state in FINAL_STATES:
        message = (
            f"cannot {_label(action)}: the complaint is {state} and takes no further "
            "action" + (" except reopen" if state is S.CLOSED else "")
        )
    else:
        message = (
            f"cannot {_label(action)} a complaint that is {state}; "
            f"possible when it is {' or '.join(allowed)}"
        )
    raise _refuse(message, "state_invalid", action, state, allowed=allowed)


def _check_role(action: str, actor: Actor, policy: Policy, state: State) -> None:
    roles = policy.workflow.roles.get(action, frozenset())
    if not _has_role(actor, roles):
        names = _role_names(roles)
        raise AuthorityError(
            f"{actor.id} may not {_label(action)}: it needs the role "
            f"{' or '.join(names) if names else '(none configured)'}",
            code="role_required",
            action=action,
            state=str(state),
            actor=actor.id,
            roles=names,
        )


def _check_person(action: str, case: CaseFacts, actor: Actor, state: State) -> None:
    if action in RECUSED_ACTIONS and is_recused(case, actor):
        raise RecusalError(
            f"{actor.id} is recused from this complaint (complained about, or reporting only "
            f"to someone complained about) and may not {_label(action)} it",
            code="recused",
            action=action,
            state=str(state),
            actor=actor.id,
        )
    if action in PROPOSAL_DECISIONS and case.proposed_by and case.proposed_by == actor.id:
        raise AuthorityError(
            f"{actor.id} proposed this remedy and may not {_label(action)} it: "
            "nobody decides on their own proposal",
            code="own_proposal",
            action=action,
            state=str(state),
            actor=actor.id,
        )


# -- the steps' own data (one guard per action that has any) -----------------

Guard = Callable[[CaseFacts, Actor, Policy, State, str, dict], tuple[str, ...]]


def _triage(case, actor, policy, state, reason, kw):
    for field, what in (
        ("category", "a category"),
        ("level", "a severity level"),
        ("department", "a responsible department"),
        ("handler_id", "a handler"),
    ):
        if getattr(case, field) in (None, ""):
            raise _missing("triage", state, field, what)
    try:
        policy.check_category(case.category)
    except InputError as e:
        raise _refuse(e.message, e.code, "triage", state, **e.params) from None
    if isinstance(case.level, bool) or not isinstance(case.level, int) or case.level < 1:
        raise _refuse(
            f"cannot triage: the severity level must be 1 or more, got {case.level!r}",
            "level_invalid",
            "triage",
            state,
            value=str(case.level),
        )
    # the handler being assigned must not be recused either (kw: their managers)
    handler_reports_to = tuple(kw.get("handler_reports_to", ()))
    if is_recused_person(case.handler_id, handler_reports_to, case.complained_about):
        raise RecusalError(
            f"{case.handler_id} is recused from this complaint and cannot be its handler",
            code="recused",
            action="triage",
            state=str(state),
            actor=case.handler_id,
            field="handler_id",
        )
    return ()


def _start_investigation(case, actor, policy, state, reason, kw):
    if not case.handler_id:
        raise _missing("start_investigation", state, "handler_id", "a handler")
    return ()


def _determine(case, actor, policy, state, reason, kw):
    if case.finding is None:
        raise _missing("determine", state, "finding", "a responsibility finding")
    try:
        finding = Finding(case.finding)
    except ValueError:
        raise _refuse(
            f"cannot determine: unknown finding {case.finding!r}",
            "finding_invalid",
            "determine",
            state,
            value=str(case.finding),
        ) from None
    if finding is not Finding.QUALITY:
        return ()
    if not case.responsible_departments:
        raise _missing(
            "determine",
            state,
            "responsible_departments",
            "the responsible department for a quality finding",
        )
    _check_signoff(case, actor, policy, state, kw)
    return ()


def _check_signoff(case, actor, policy, state, kw) -> None:
    """SPEC §4: a quality finding needs the quality department's sign-off."""
    needed = policy.workflow.quality_signoff_roles
    names = _role_names(needed)
    signer = case.quality_signoff_by
    if not signer:
        raise _refuse(
            f"cannot determine: a quality finding needs the sign-off of someone with the role "
            f"{' or '.join(names)}",
            "signoff_required",
            "determine",
            state,
            field="quality_signoff_by",
            roles=names,
        )
    if signer != actor.id and is_recused_person(signer, (), case.complained_about):
        raise RecusalError(
            f"{signer} is complained about and cannot sign off the finding",
            code="recused",
            action="determine",
            state=str(state),
            actor=signer,
            field="quality_signoff_by",
        )
    signer_roles = actor.roles if signer == actor.id else kw.get("signoff_roles", ())
    if not _has_role(Actor(signer, frozenset(signer_roles)), needed):
        raise _refuse(
            f"cannot determine: {signer} cannot sign off a quality finding; it needs the role "
            f"{' or '.join(names)}",
            "signoff_required",
            "determine",
            state,
            field="quality_signoff_by",
            actor=signer,
            roles=names,
        )


def _propose_remedy(case, actor, policy, state, reason, kw):
    if not case.remedies:
        raise _missing("propose_remedy", state, "remedies", "at least one remedy")
    try:
        check_remedies(case.remedies, policy)
    except InputError as e:
        raise _refuse(
            f"cannot propose the remedy: {e.message}", e.code, "propose_remedy", state, **e.params
        ) from None
    return (ProposerSet(actor.id), ApprovalsRequested())


def _approve(case, actor, policy, state, reason, kw):
    if not case.approvals_complete:
        raise _refuse(
            "cannot approve: the approval route is not complete (every stage must be "
            "approved first)",
            "approvals_incomplete",
            "approve",
            state,
        )
    return ()


def _customer_accepts(case, actor, policy, state, reason, kw):
    if case.customer_accepted:
        raise _refuse(
            "the customer has already accepted the remedy",
            "already_accepted",
            "customer_accepts",
            state,
        )
    return (CustomerAccepted(),)


def _remedy_done(case, actor, policy, state, reason, kw):
    if case.remedies_pending:
        raise _refuse(
            "cannot mark the remedy done: these remedies are not carried out yet: "
            + ", ".join(case.remedies_pending),
            "remedies_pending",
            "remedy_done",
            state,
            remedies=tuple(case.remedies_pending),
        )
    if case.customer_accepted is None:
        raise _missing(
            "remedy_done", state, "customer_accepted", "the customer's acceptance of the remedy"
        )
    if not case.customer_accepted:
        raise _refuse(
            "cannot carry out the remedy: the customer rejected it (use "
            "customer_rejects to propose a new one)",
            "customer_rejected",
            "remedy_done",
            state,
            field="customer_accepted",
        )
    return ()


def _close(case, actor, policy, state, reason, kw):
    if case.satisfaction is None:
        raise _missing("close", state, "satisfaction", "the customer's satisfaction answer")
    scale = {p.value for p in policy.satisfaction.scale}
    if case.satisfaction not in scale:
        raise _refuse(
            f"cannot close: satisfaction {case.satisfaction!r} is not on the scale {sorted(scale)}",
            "satisfaction_invalid",
            "close",
            state,
            value=str(case.satisfaction),
        )
    if not _is_dissatisfied(case, policy):
        return ()
    # SPEC §5: dissatisfied -> reopen, or an explained closing recorded by a manager
    roles = policy.workflow.dissatisfied_close_roles
    if not _has_role(actor, roles):
        names = _role_names(roles)
        raise AuthorityError(
            f"the customer is dissatisfied: reopen the complaint, or have a "
            f"{' or '.join(names)} record an explained closing",
            code="role_required",
            action="close",
            state=str(state),
            actor=actor.id,
            roles=names,
            satisfaction=case.satisfaction,
        )
    if not reason:
        raise _refuse(
            "the customer is dissatisfied: closing needs an explanation (reason)",
            "reason_required",
            "close",
            state,
            satisfaction=case.satisfaction,
        )
    return ()


def _reopen(case, actor, policy, state, reason, kw):
    # a reopen records the customer's dissatisfaction: the answer, or a reason
    if not reason and not _is_dissatisfied(case, policy):
        raise _refuse(
            "cannot reopen: say why the customer is dissatisfied (reason)",
            "reason_required",
            "reopen",
            state,
        )
    return (RecomplaintMarked(),)


def _convert_kind(case, actor, policy, state, reason, kw):
    new = kw.get("new_kind")
    if new in (None, ""):
        raise _missing("convert_kind", state, "new_kind", "the new kind")
    try:
        new = Kind(new)
    except ValueError:
        raise _refuse(
            f"cannot convert: unknown kind {new!r}; use " + ", ".join(k.value for k in Kind),
            "kind_invalid",
            "convert_kind",
            state,
            value=str(new),
        ) from None
    if new == case.kind:
        raise _refuse(
            f"cannot convert: the item already is a {new}",
            "kind_unchanged",
            "convert_kind",
            state,
            kind=str(new),
        )
    if new is not Kind.COMPLAINT and not _can_convert_back(case, state):
        raise _refuse(
            f"cannot convert to a {new}: the investigation has started",
            "investigation_started",
            "convert_kind",
            state,
            kind=str(new),
        )
    return (KindChanged(new),)


_GUARDS: Mapping[str, Guard] = MappingProxyType(
    {
        "triage": _triage,
        "start_investigation": _start_investigation,
        "determine": _determine,
        "propose_remedy": _propose_remedy,
        "approve": _approve,
        "customer_accepts": _customer_accepts,
        "remedy_done": _remedy_done,
        "close": _close,
        "reopen": _reopen,
        "convert_kind": _convert_kind,
    }
)


# -- the API ----------------------------------------------------------------


def transition(
    case: CaseFacts,
    action: str,
    actor: Actor,
    policy: Policy,
    now: datetime,
    reason: str = "",
    **kw,
) -> TransitionResult:
    """Take ``action`` on ``case`` or raise why not (see the module docstring).

    Keywords: ``new_kind`` (convert_kind), ``signoff_roles`` (determine: the roles
    of ``quality_signoff_by`` when that is not the actor), ``handler_reports_to``
    (triage: the managers of the handler being assigned, for recusal).
    """
    require_aware(now, "now")
    step = TRANSITIONS.get(action)
    state = _state(case)
    if step is None:
        raise TransitionError(
            f"unknown workflow action {action!r}; known: " + ", ".join(WORKFLOW_ACTIONS),
            code="action_unknown",
            action=str(action),
            state=str(state),
        )
    _check_state(action, step, state)
    _check_role(action, actor, policy, state)
    _check_person(action, case, actor, state)
    reason = (reason or "").strip()
    if action in REASON_REQUIRED and not reason:
        raise _refuse(
            f"cannot {_label(action)}: a reason is required", "reason_required", action, state
        )
    guard = _GUARDS.get(action)
    effects = guard(case, actor, policy, state, reason, kw) if guard else ()
    to_state = step.to_state or state
    effects = (*_state_effects(action, state, to_state), *effects)
    audit = AuditEntry(
        action=action, actor_id=actor.id, at=now, from_state=state, to_state=to_state, reason=reason
    )
    return TransitionResult(state=to_state, audit=audit, effects=tuple(effects))


def _state_effects(action: str, state: State, to_state: State) -> tuple[Effect, ...]:
    """What moving from ``state`` to ``to_state`` by ``action`` changes: the event
    reached, the events a step back clears, the approvals and answers that no
    longer hold, opening and closing."""
    out: list[Effect] = []
    if to_state != state and to_state in STATE_EVENTS:
        out.append(EventReached(STATE_EVENTS[to_state]))
    if (
        to_state != state
        and state in MAIN_LINE
        and to_state in MAIN_LINE
        and MAIN_LINE.index(to_state) < MAIN_LINE.index(state)
    ):
        cleared = events_after(to_state)
        if cleared:
            out.append(EventsCleared(cleared))
    if action in _NEW_ROUND:
        out.append(ApprovalRoundStarted())
    if action in _ANSWERS_VOID:
        out.append(CustomerAnswerCleared())
    if to_state is S.INVESTIGATING and to_state != state:
        out.append(InvestigationStarted())
    if to_state in FINAL_STATES and state not in FINAL_STATES:
        out.append(CaseClosed())
    elif state in FINAL_STATES and to_state not in FINAL_STATES:
        out.append(CaseReopened())
    return tuple(out)


def convertible_kinds(case: CaseFacts) -> tuple[Kind, ...]:
    """The kinds ``convert_kind`` may turn the item into now (SPEC §1: into a
    complaint while open; back to a request or suggestion until the
    investigation starts). Role and recusal are `allowed_actions`' answer."""
    state = _state(case)
    if state in FINAL_STATES:
        return ()
    back = _can_convert_back(case, state)
    return tuple(k for k in Kind if k != case.kind and (k is Kind.COMPLAINT or back))


def may_execute_remedies(state: State | str) -> bool:
    """SPEC §4: remedies are carried out (returns, credit notes ...) once approved."""
    return State(state) in EXECUTION_STATES


def remedy_change(state: State | str, has_decisions: bool) -> tuple[Effect, ...]:
    """What a change of the remedies means in ``state`` (SPEC §4 frozen remedies).

    Drafting (before the proposal): nothing follows. While being approved: the
    round's decisions are void and the route is asked again. From approval on:
    refused (`TransitionError` ``remedies_frozen``) — a new proposal goes through
    ``revise_remedy``; a closed case changes only after ``reopen``.
    """
    state = State(state)
    if state in _REMEDY_DRAFT_STATES:
        return ()
    if state is S.REMEDY_PROPOSED:
        return (
            (ApprovalRoundStarted(), ApprovalsRequested())
            if has_decisions
            else (ApprovalsRequested(),)
        )
    if state in FINAL_STATES:
        raise _refuse(
            f"the complaint is {state}: its remedies change only after reopen",
            "case_final",
            "remedy_change",
            state,
        )
    raise _refuse(
        f"the remedies were approved and are frozen while the complaint is {state}: "
        "revise the remedy to propose new ones",
        "remedies_frozen",
        "revise_remedy",
        state,
    )


def allowed_actions(case: CaseFacts, actor: Actor, policy: Policy) -> tuple[str, ...]:
    """The actions ``actor`` could take now, in `WORKFLOW_ACTIONS` order.

    Checks the state, the actor's role, recusal, own proposal, the manager role
    for closing after a dissatisfied answer, and whether any kind is left to
    convert to. Left to `transition` (so a button may show and then be refused
    with the reason): required fields, reasons, remedies, the quality sign-off,
    ``approvals_complete``, ``customer_accepted`` and a satisfaction answer.
    """
    state = _state(case)
    out = []
    for action in WORKFLOW_ACTIONS:
        step = TRANSITIONS[action]
        if state not in step.from_states:
            continue
        if not _has_role(actor, policy.workflow.roles.get(action, frozenset())):
            continue
        if action in RECUSED_ACTIONS and is_recused(case, actor):
            continue
        if action in PROPOSAL_DECISIONS and case.proposed_by and case.proposed_by == actor.id:
            continue
        if (
            action == "close"
            and _is_dissatisfied(case, policy)
            and not _has_role(actor, policy.workflow.dissatisfied_close_roles)
        ):
            continue
        if action == "customer_accepts" and case.customer_accepted:
            continue
        if (
            action == "convert_kind"
            and case.kind == Kind.COMPLAINT
            and not _can_convert_back(case, state)
        ):
            continue
        out.append(action)
    return tuple(out)
