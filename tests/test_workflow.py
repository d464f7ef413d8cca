"""SPEC §4 workflow: the happy path with its audit trail, every guard's refusal,
the side exits, reopen, kind conversion, and roles taken from the policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaint_core import workflow
from complaint_core.effects import (
    MAIN_LINE,
    ApprovalRoundStarted,
    ApprovalsRequested,
    CaseClosed,
    CaseReopened,
    CustomerAnswerCleared,
    EventReached,
    EventsCleared,
    InvestigationStarted,
    KindChanged,
    ProposerSet,
    RecomplaintMarked,
)
from complaint_core.errors import (
    AuthorityError,
    InputError,
    RecusalError,
    TransitionError,
)
from complaint_core.model import Finding, Kind, Remedy, RemedyType, Role, State
from complaint_core.policy import WORKFLOW_ACTIONS, Policy, default_policy, default_policy_data
from complaint_core.workflow import Actor, CaseFacts, transition

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=TZ)

REP = Actor("wang.rep", frozenset({Role.SALES_REP}))
MANAGER = Actor("li.manager", frozenset({Role.MANAGER}), department="quality")
HANDLER = Actor(
    "zhao.handler", frozenset({Role.HANDLER}), department="quality", reports_to=("li.manager",)
)
QUALITY = Actor("chen.quality", frozenset({Role.QUALITY}), department="quality")
AUDITOR = Actor("sun.audit", frozenset({Role.AUDITOR}))

REMEDIES = (
    Remedy(RemedyType.EXCHANGE, Decimal("260")),
    Remedy(RemedyType.CREDIT, Decimal("1200"), reason="two lost work days"),
)


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


def case_in(state: State, **changes) -> CaseFacts:
    """A product-quality complaint with every field its state implies."""
    base = CaseFacts(
        state=State.REGISTERED,
        kind=Kind.COMPLAINT,
        category="product_quality",
        level=3,
        complained_about=("wang.rep",),
    )
    order = list(MAIN_LINE)
    filled = {
        State.TRIAGED: dict(handler_id="zhao.handler", department="quality"),
        State.INVESTIGATING: dict(investigation_started=True),
        State.DETERMINED: dict(
            finding=Finding.QUALITY,
            quality_signoff_by="chen.quality",
            responsible_departments=("production",),
        ),
        State.REMEDY_PROPOSED: dict(remedies=REMEDIES, proposed_by="zhao.handler"),
        State.APPROVED: dict(approvals_complete=True),
        State.REMEDY_DONE: dict(customer_accepted=True),
        State.FOLLOW_UP: dict(satisfaction=4),
    }
    data = {}
    if state in order:
        for s in order[: order.index(state) + 1]:
            data.update(filled.get(s, {}))
    data.update(changes)
    return replace(base, state=state, **data)


def refused(exc_type, case, action, actor, policy, reason="", **kw):
    with pytest.raises(exc_type) as info:
        transition(case, action, actor, policy, T0, reason=reason, **kw)
    return info.value


# -- the table ----------------------------------------------------------------


def test_table_covers_exactly_the_policy_actions():
    assert set(workflow.TRANSITIONS) == set(WORKFLOW_ACTIONS)
    assert workflow.TRANSITIONS["approve"].from_states == {State.REMEDY_PROPOSED}
    assert workflow.TRANSITIONS["approve"].to_state is State.APPROVED
    assert workflow.TRANSITIONS["reopen"].from_states == {State.FOLLOW_UP, State.CLOSED}
    assert workflow.TRANSITIONS["reopen"].to_state is State.INVESTIGATING
    assert workflow.TRANSITIONS["mark_not_valid"].from_states == {
        State.REGISTERED,
        State.TRIAGED,
        State.INVESTIGATING,
        State.DETERMINED,
    }
    # withdraw: from every open state, never from a final one
    assert workflow.TRANSITIONS["withdraw"].from_states == (
        set(State) - {State.CLOSED, State.NOT_VALID, State.WITHDRAWN}
    )


# -- the happy path -------------------------------------------------------------


def test_happy_path_with_audit_trail_and_effects(policy):
    case = CaseFacts(
        state=State.REGISTERED,
        kind=Kind.COMPLAINT,
        category="product_quality",
        level=2,
        complained_about=("wang.rep",),
    )
    steps = [
        (MANAGER, "triage", dict(handler_id="zhao.handler", department="quality"), ""),
        (HANDLER, "start_investigation", dict(investigation_started=True), ""),
        (
            QUALITY,
            "determine",
            dict(
                finding=Finding.QUALITY,
                quality_signoff_by="chen.quality",
                responsible_departments=("production",),
            ),
            "batch 2609-A",
        ),
        (HANDLER, "propose_remedy", dict(remedies=REMEDIES), ""),
        (MANAGER, "approve", dict(approvals_complete=True), ""),
        (REP, "reply", {}, ""),
        (HANDLER, "remedy_done", dict(customer_accepted=True), ""),
        (REP, "follow_up", {}, ""),
        (HANDLER, "close", dict(satisfaction=4), ""),
    ]
    audit, effects = [], []
    t = T0
    for i, (actor, action, changes, reason) in enumerate(steps):
        t = T0 + timedelta(hours=i)
        case = replace(case, **changes)
        res = transition(case, action, actor, policy, t, reason=reason)
        audit.append(res.audit)
        effects.append(res.effects)
        case = replace(case, state=res.state)
        if action == "propose_remedy":
            case = replace(case, proposed_by="zhao.handler")
    assert case.state is State.CLOSED
    assert [(a.action, a.actor_id, a.from_state, a.to_state) for a in audit] == [
        ("triage", "li.manager", State.REGISTERED, State.TRIAGED),
        ("start_investigation", "zhao.handler", State.TRIAGED, State.INVESTIGATING),
        ("determine", "chen.quality", State.INVESTIGATING, State.DETERMINED),
        ("propose_remedy", "zhao.handler", State.DETERMINED, State.REMEDY_PROPOSED),
        ("approve", "li.manager", State.REMEDY_PROPOSED, State.APPROVED),
        ("reply", "wang.rep", State.APPROVED, State.REPLIED),
        ("remedy_done", "zhao.handler", State.REPLIED, State.REMEDY_DONE),
        ("follow_up", "wang.rep", State.REMEDY_DONE, State.FOLLOW_UP),
        ("close", "zhao.handler", State.FOLLOW_UP, State.CLOSED),
    ]
    assert [a.at for a in audit] == [T0 + timedelta(hours=i) for i in range(9)]
    assert audit[2].reason == "batch 2609-A"
    assert effects == [
        (EventReached("triaged"),),
        (InvestigationStarted(),),
        (),
        (ApprovalRoundStarted(), ProposerSet("zhao.handler"), ApprovalsRequested()),
        (EventReached("approved"),),
        (EventReached("replied"),),
        (EventReached("remedy_done"),),
        (EventReached("follow_up"),),
        (CaseClosed(),),
    ]


def test_closed_case_only_reopens(policy):
    closed = case_in(State.CLOSED)
    for actor in (REP, HANDLER, MANAGER, QUALITY):
        assert workflow.allowed_actions(closed, actor, policy) in ((), ("reopen",))
    assert workflow.allowed_actions(closed, MANAGER, policy) == ("reopen",)
    e = refused(TransitionError, closed, "withdraw", MANAGER, policy, reason="changed mind")
    assert e.code == "state_invalid"
    assert "except reopen" in e.message


@pytest.mark.parametrize("final", [State.NOT_VALID, State.WITHDRAWN])
def test_not_valid_and_withdrawn_accept_nothing(policy, final):
    case = case_in(final)
    assert workflow.allowed_actions(case, MANAGER, policy) == ()
    for action in WORKFLOW_ACTIONS:
        e = refused(TransitionError, case, action, MANAGER, policy, reason="x", new_kind="request")
        assert e.code == "state_invalid"
        assert e.params["state"] == str(final)


# -- wrong state -------------------------------------------------------------------


@pytest.mark.parametrize(
    "action,actor,state",
    [
        ("triage", MANAGER, State.TRIAGED),
        ("start_investigation", HANDLER, State.REGISTERED),
        ("determine", QUALITY, State.TRIAGED),
        ("propose_remedy", HANDLER, State.INVESTIGATING),
        ("reject_remedy", MANAGER, State.APPROVED),
        ("approve", MANAGER, State.DETERMINED),
        ("reply", REP, State.REMEDY_PROPOSED),
        ("customer_rejects", REP, State.APPROVED),
        ("remedy_done", HANDLER, State.APPROVED),
        ("follow_up", REP, State.REPLIED),
        ("close", HANDLER, State.REMEDY_DONE),
        ("mark_not_valid", HANDLER, State.REMEDY_PROPOSED),
        ("reopen", HANDLER, State.REPLIED),
        ("convert_kind", HANDLER, State.CLOSED),
    ],
)
def test_every_action_refused_in_a_wrong_state(policy, action, actor, state):
    case = case_in(state)
    e = refused(TransitionError, case, action, actor, policy, reason="because", new_kind="request")
    assert e.code == "state_invalid"
    assert e.params["action"] == action
    assert e.params["state"] == str(state)
    assert e.params["allowed"] == sorted(str(s) for s in workflow.TRANSITIONS[action].from_states)
    assert action not in workflow.allowed_actions(case, actor, policy)


def test_wrong_state_message_names_the_possible_states(policy):
    e = refused(TransitionError, case_in(State.DETERMINED), "approve", MANAGER, policy)
    assert e.message == (
        "cannot approve a complaint that is determined; possible when it is remedy_proposed"
    )


def test_unknown_action(policy):
    e = refused(TransitionError, case_in(State.REGISTERED), "escalate", MANAGER, policy)
    assert e.code == "action_unknown"


def test_naive_now_is_refused(policy):
    with pytest.raises(InputError):
        transition(case_in(State.APPROVED), "reply", REP, policy, datetime(2026, 3, 2, 9))


# -- missing role -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "action,state",
    [
        ("triage", State.REGISTERED),
        ("start_investigation", State.TRIAGED),
        ("determine", State.INVESTIGATING),
        ("propose_remedy", State.DETERMINED),
        ("reject_remedy", State.REMEDY_PROPOSED),
        ("approve", State.REMEDY_PROPOSED),
        ("reply", State.APPROVED),
        ("customer_rejects", State.REPLIED),
        ("remedy_done", State.REPLIED),
        ("follow_up", State.REMEDY_DONE),
        ("close", State.FOLLOW_UP),
        ("mark_not_valid", State.INVESTIGATING),
        ("withdraw", State.INVESTIGATING),
        ("reopen", State.CLOSED),
        ("convert_kind", State.REGISTERED),
    ],
)
def test_auditor_may_take_no_step(policy, action, state):
    e = refused(
        AuthorityError, case_in(state), action, AUDITOR, policy, reason="x", new_kind="request"
    )
    assert e.code == "role_required"
    assert e.params["action"] == action
    assert e.params["roles"] == sorted(str(r) for r in policy.workflow.roles[action])
    assert workflow.allowed_actions(case_in(state), AUDITOR, policy) == ()


def test_rep_may_not_triage_or_approve(policy):
    other_rep = Actor("qian.rep", frozenset({Role.SALES_REP}))
    e = refused(
        AuthorityError,
        case_in(State.REGISTERED, handler_id="zhao.handler", department="quality"),
        "triage",
        other_rep,
        policy,
    )
    assert e.code == "role_required"
    assert e.message == "qian.rep may not triage: it needs the role admin or handler or manager"
    e = refused(AuthorityError, case_in(State.REMEDY_PROPOSED), "approve", other_rep, policy)
    assert e.code == "role_required"
    assert e.params["roles"] == ["manager"]


# -- missing data -------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["category", "level", "department", "handler_id"])
def test_triage_needs_category_level_department_handler(policy, field):
    case = case_in(State.REGISTERED, handler_id="zhao.handler", department="quality")
    e = refused(TransitionError, replace(case, **{field: None}), "triage", MANAGER, policy)
    assert e.code == "field_required"
    assert e.params["field"] == field


def test_triage_unknown_category_and_bad_level(policy):
    case = case_in(State.REGISTERED, handler_id="zhao.handler", department="quality")
    e = refused(TransitionError, replace(case, category="teleportation"), "triage", MANAGER, policy)
    assert e.code == "category_unknown"
    e = refused(TransitionError, replace(case, level=0), "triage", MANAGER, policy)
    assert e.code == "level_invalid"


def test_start_investigation_needs_a_handler(policy):
    e = refused(
        TransitionError,
        case_in(State.TRIAGED, handler_id=None),
        "start_investigation",
        HANDLER,
        policy,
    )
    assert (e.code, e.params["field"]) == ("field_required", "handler_id")


def test_determine_needs_a_finding(policy):
    case = case_in(State.INVESTIGATING)
    e = refused(TransitionError, case, "determine", HANDLER, policy)
    assert (e.code, e.params["field"]) == ("field_required", "finding")
    res = transition(replace(case, finding=Finding.MISUSE), "determine", HANDLER, policy, T0)
    assert res.state is State.DETERMINED  # misuse needs neither sign-off nor departments


def test_quality_finding_needs_departments_and_signoff(policy):
    case = case_in(State.INVESTIGATING, finding=Finding.QUALITY)
    e = refused(TransitionError, case, "determine", QUALITY, policy)
    assert (e.code, e.params["field"]) == ("field_required", "responsible_departments")
    case = replace(case, responsible_departments=("production",))
    e = refused(TransitionError, case, "determine", QUALITY, policy)
    assert (e.code, e.params["field"]) == ("signoff_required", "quality_signoff_by")
    # the handler names himself as signer: he lacks the quality role
    e = refused(
        TransitionError,
        replace(case, quality_signoff_by="zhao.handler"),
        "determine",
        HANDLER,
        policy,
    )
    assert e.code == "signoff_required"
    assert e.params["roles"] == ["quality"]
    # quality signs off for the handler: the signer's roles must be given and fit
    signed = replace(case, quality_signoff_by="chen.quality")
    e = refused(TransitionError, signed, "determine", HANDLER, policy)
    assert e.code == "signoff_required"
    e = refused(
        TransitionError, signed, "determine", HANDLER, policy, signoff_roles={Role.SALES_REP}
    )
    assert e.code == "signoff_required"
    res = transition(signed, "determine", HANDLER, policy, T0, signoff_roles={Role.QUALITY})
    assert res.state is State.DETERMINED
    # quality determines and signs off itself
    assert transition(signed, "determine", QUALITY, policy, T0).state is State.DETERMINED


def test_signer_complained_about_is_recused(policy):
    case = case_in(
        State.INVESTIGATING,
        complained_about=("chen.quality",),
        finding=Finding.QUALITY,
        quality_signoff_by="chen.quality",
        responsible_departments=("production",),
    )
    e = refused(RecusalError, case, "determine", HANDLER, policy, signoff_roles={Role.QUALITY})
    assert e.code == "recused"
    assert e.params["actor"] == "chen.quality"


def test_propose_remedy_needs_valid_remedies(policy):
    case = case_in(State.DETERMINED)
    e = refused(TransitionError, case, "propose_remedy", HANDLER, policy)
    assert (e.code, e.params["field"]) == ("field_required", "remedies")
    cash = (Remedy(RemedyType.CASH, Decimal("300")),)
    e = refused(TransitionError, replace(case, remedies=cash), "propose_remedy", HANDLER, policy)
    assert e.code == "cash_reason_required"
    assert e.params["index"] == 0
    ok = (Remedy(RemedyType.CASH, Decimal("300"), reason="customer refused goods"),)
    res = transition(replace(case, remedies=ok), "propose_remedy", HANDLER, policy, T0)
    assert res.state is State.REMEDY_PROPOSED
    assert res.effects == (
        ApprovalRoundStarted(),
        ProposerSet("zhao.handler"),
        ApprovalsRequested(),
    )


def test_approve_needs_complete_approvals(policy):
    case = case_in(State.REMEDY_PROPOSED)
    e = refused(TransitionError, case, "approve", MANAGER, policy)
    assert e.code == "approvals_incomplete"
    res = transition(replace(case, approvals_complete=True), "approve", MANAGER, policy, T0)
    assert (res.state, res.effects) == (State.APPROVED, (EventReached("approved"),))


def test_remedy_done_needs_the_customers_acceptance(policy):
    case = case_in(State.REPLIED)
    e = refused(TransitionError, case, "remedy_done", HANDLER, policy)
    assert (e.code, e.params["field"]) == ("field_required", "customer_accepted")
    e = refused(
        TransitionError, replace(case, customer_accepted=False), "remedy_done", HANDLER, policy
    )
    assert e.code == "customer_rejected"


def test_close_needs_a_satisfaction_answer_on_the_scale(policy):
    case = case_in(State.FOLLOW_UP, satisfaction=None)
    e = refused(TransitionError, case, "close", HANDLER, policy)
    assert (e.code, e.params["field"]) == ("field_required", "satisfaction")
    e = refused(TransitionError, replace(case, satisfaction=7), "close", HANDLER, policy)
    assert e.code == "satisfaction_invalid"
    # 3 (neutral) is neither satisfied nor dissatisfied: the handler may close
    res = transition(replace(case, satisfaction=3), "close", HANDLER, policy, T0)
    assert res.state is State.CLOSED


@pytest.mark.parametrize(
    "action,state",
    [
        ("reject_remedy", State.REMEDY_PROPOSED),
        ("customer_rejects", State.REPLIED),
        ("mark_not_valid", State.TRIAGED),
        ("withdraw", State.APPROVED),
    ],
)
def test_side_exits_and_steps_back_need_a_reason(policy, action, state):
    actor = MANAGER
    e = refused(TransitionError, case_in(state), action, actor, policy, reason="   ")
    assert e.code == "reason_required"
    assert e.params["action"] == action


# -- recusal and own proposal ------------------------------------------------------------


REP_AS_MANAGER = Actor("wang.rep", frozenset({Role.MANAGER, Role.HANDLER, Role.QUALITY}))
# reports to no one else but the person complained about
SOLE_REPORT = Actor(
    "zhou.handler", frozenset({Role.HANDLER, Role.MANAGER, Role.QUALITY}), reports_to=("wang.rep",)
)
# reports to the person complained about and to someone else: not recused
TWO_MANAGERS = Actor(
    "wu.handler",
    frozenset({Role.HANDLER, Role.MANAGER, Role.QUALITY}),
    reports_to=("wang.rep", "li.manager"),
)


@pytest.mark.parametrize(
    "action,state",
    [
        ("triage", State.REGISTERED),
        ("start_investigation", State.TRIAGED),
        ("determine", State.INVESTIGATING),
        ("propose_remedy", State.DETERMINED),
        ("approve", State.REMEDY_PROPOSED),
        ("reject_remedy", State.REMEDY_PROPOSED),
        ("mark_not_valid", State.INVESTIGATING),
    ],
)
@pytest.mark.parametrize("actor", [REP_AS_MANAGER, SOLE_REPORT], ids=["complained", "sole"])
def test_recused_people_may_not_handle_determine_or_approve(policy, action, state, actor):
    case = case_in(state, approvals_complete=True, handler_id="zhao.handler", department="quality")
    assert workflow.is_recused(case, actor)
    e = refused(RecusalError, case, action, actor, policy, reason="x")
    assert e.code == "recused"
    assert e.params == {"action": action, "state": str(state), "actor": actor.id}
    assert action not in workflow.allowed_actions(case, actor, policy)
    # someone with a second, uninvolved manager is not recused
    assert not workflow.is_recused(case, TWO_MANAGERS)
    assert action in workflow.allowed_actions(case, TWO_MANAGERS, policy)


def test_recused_person_may_still_reply(policy):
    # recusal covers handling, determining and approving; the rep still talks to the customer
    case = case_in(State.APPROVED)
    assert workflow.is_recused(case, REP)
    assert transition(case, "reply", REP, policy, T0).state is State.REPLIED


def test_complained_about_person_cannot_be_assigned_as_handler(policy):
    case = case_in(State.REGISTERED, handler_id="wang.rep", department="quality")
    e = refused(RecusalError, case, "triage", MANAGER, policy)
    assert (e.code, e.params["field"]) == ("recused", "handler_id")
    # nor their sole report, when the caller tells who the handler reports to
    case = replace(case, handler_id="zhou.handler")
    e = refused(RecusalError, case, "triage", MANAGER, policy, handler_reports_to=("wang.rep",))
    assert e.params["actor"] == "zhou.handler"
    res = transition(
        case, "triage", MANAGER, policy, T0, handler_reports_to=("wang.rep", "li.manager")
    )
    assert res.state is State.TRIAGED


@pytest.mark.parametrize("action", ["approve", "reject_remedy"])
def test_nobody_decides_on_their_own_proposal(policy, action):
    case = case_in(State.REMEDY_PROPOSED, proposed_by="li.manager", approvals_complete=True)
    e = refused(AuthorityError, case, action, MANAGER, policy, reason="no")
    assert e.code == "own_proposal"
    assert action not in workflow.allowed_actions(case, MANAGER, policy)
    other = Actor("he.manager", frozenset({Role.MANAGER}))
    assert action in workflow.allowed_actions(case, other, policy)


# -- dissatisfied close (SPEC §5) -----------------------------------------------------------


def test_dissatisfied_close_needs_a_manager_and_a_reason(policy):
    case = case_in(State.FOLLOW_UP, satisfaction=2)
    e = refused(AuthorityError, case, "close", HANDLER, policy, reason="explained")
    assert e.code == "role_required"
    assert e.params["roles"] == ["manager"]
    assert "reopen" in e.message
    assert "close" not in workflow.allowed_actions(case, HANDLER, policy)
    assert "reopen" in workflow.allowed_actions(case, HANDLER, policy)
    e = refused(TransitionError, case, "close", MANAGER, policy)
    assert e.code == "reason_required"
    res = transition(
        case,
        "close",
        MANAGER,
        policy,
        T0,
        reason="customer expected a refund beyond the warranty; explained",
    )
    assert res.state is State.CLOSED
    assert res.audit.reason == "customer expected a refund beyond the warranty; explained"
    assert "close" in workflow.allowed_actions(case, MANAGER, policy)


# -- side exits, reopen ---------------------------------------------------------------------


def test_side_exits(policy):
    res = transition(
        case_in(State.INVESTIGATING),
        "mark_not_valid",
        QUALITY,
        policy,
        T0,
        reason="kettle used on a gas stove (misuse); explained to the customer",
    )
    assert (res.state, res.audit.from_state, res.effects) == (
        State.NOT_VALID,
        State.INVESTIGATING,
        (CaseClosed(),),
    )
    res = transition(
        case_in(State.REPLIED),
        "withdraw",
        REP,
        policy,
        T0,
        reason="customer settled with the dealer",
    )
    assert (res.state, res.audit.reason) == (State.WITHDRAWN, "customer settled with the dealer")
    res = transition(
        case_in(State.REMEDY_PROPOSED),
        "reject_remedy",
        MANAGER,
        policy,
        T0,
        reason="credit too high for a leaking lid",
    )
    assert res.state is State.DETERMINED
    assert res.effects == (EventsCleared(("approved", "replied", "remedy_done", "follow_up")),)
    res = transition(
        case_in(State.REPLIED),
        "customer_rejects",
        REP,
        policy,
        T0,
        reason="wants a refund, not an exchange",
    )
    assert res.state is State.DETERMINED
    assert res.effects == (
        EventsCleared(("approved", "replied", "remedy_done", "follow_up")),
        ApprovalRoundStarted(),
        CustomerAnswerCleared(),
    )


def test_reopen_is_a_recomplaint(policy):
    res = transition(
        case_in(State.CLOSED), "reopen", REP, policy, T0, reason="the new kettle leaks too"
    )
    back = EventsCleared(("approved", "replied", "remedy_done", "follow_up"))
    assert (res.state, res.effects) == (
        State.INVESTIGATING,
        (
            back,
            ApprovalRoundStarted(),
            CustomerAnswerCleared(),
            InvestigationStarted(),
            CaseReopened(),
            RecomplaintMarked(),
        ),
    )
    assert res.audit.from_state is State.CLOSED
    # from follow-up, a dissatisfied answer is reason enough
    res = transition(case_in(State.FOLLOW_UP, satisfaction=1), "reopen", HANDLER, policy, T0)
    assert res.state is State.INVESTIGATING
    assert res.effect(RecomplaintMarked) == RecomplaintMarked()
    assert res.effect(CaseReopened) is None
    # a satisfied customer with no stated reason: nothing to reopen for
    e = refused(
        TransitionError, case_in(State.FOLLOW_UP, satisfaction=5), "reopen", HANDLER, policy
    )
    assert e.code == "reason_required"


# -- kind conversion -----------------------------------------------------------------------


def test_convert_request_to_complaint_and_back_before_investigation(policy):
    req = case_in(State.TRIAGED, kind=Kind.REQUEST)
    res = transition(req, "convert_kind", REP, policy, T0, new_kind="complaint")
    assert (res.state, res.effects) == (State.TRIAGED, (KindChanged(Kind.COMPLAINT),))
    assert (res.audit.from_state, res.audit.to_state) == (State.TRIAGED, State.TRIAGED)
    back = replace(req, kind=Kind.COMPLAINT)
    res = transition(back, "convert_kind", REP, policy, T0, new_kind=Kind.SUGGESTION)
    assert res.effects == (KindChanged(Kind.SUGGESTION),)


def test_convert_back_after_investigation_started_is_refused(policy):
    case = case_in(State.INVESTIGATING)
    e = refused(TransitionError, case, "convert_kind", HANDLER, policy, new_kind="request")
    assert e.code == "investigation_started"
    assert "convert_kind" not in workflow.allowed_actions(case, HANDLER, policy)
    # the flag alone refuses it too (e.g. a triaged case whose visit has begun)
    e = refused(
        TransitionError,
        case_in(State.TRIAGED, investigation_started=True),
        "convert_kind",
        HANDLER,
        policy,
        new_kind="request",
    )
    assert e.code == "investigation_started"
    # but a request under investigation may still become a complaint
    res = transition(
        replace(case, kind=Kind.REQUEST), "convert_kind", HANDLER, policy, T0, new_kind="complaint"
    )
    assert res.effects == (KindChanged(Kind.COMPLAINT),)


def test_convert_needs_a_new_kind(policy):
    case = case_in(State.REGISTERED)
    e = refused(TransitionError, case, "convert_kind", REP, policy)
    assert (e.code, e.params["field"]) == ("field_required", "new_kind")
    e = refused(TransitionError, case, "convert_kind", REP, policy, new_kind="complaint")
    assert e.code == "kind_unchanged"
    e = refused(TransitionError, case, "convert_kind", REP, policy, new_kind="praise")
    assert e.code == "kind_invalid"


# -- allowed actions ----------------------------------------------------------------------


def test_allowed_actions_per_actor(policy):
    registered = case_in(State.REGISTERED)
    assert workflow.allowed_actions(registered, MANAGER, policy) == (
        "triage",
        "mark_not_valid",
        "withdraw",
        "convert_kind",
    )
    # the rep is complained about and lacks the triage role
    assert workflow.allowed_actions(registered, REP, policy) == ("withdraw", "convert_kind")
    proposed = case_in(State.REMEDY_PROPOSED)
    assert workflow.allowed_actions(proposed, MANAGER, policy) == (
        "reject_remedy",
        "approve",
        "withdraw",
    )
    assert workflow.allowed_actions(proposed, HANDLER, policy) == ("withdraw",)


# -- the policy decides who may act ----------------------------------------------------------


def test_changing_roles_in_the_policy_changes_who_may_act():
    data = default_policy_data()
    data["workflow"]["roles"]["approve"] = ["quality"]
    data["workflow"]["roles"]["reply"] = ["handler"]
    data["workflow"]["dissatisfied_close_roles"] = ["handler"]
    custom = Policy.from_dict(data, source="test")
    proposed = case_in(State.REMEDY_PROPOSED, approvals_complete=True)
    e = refused(AuthorityError, proposed, "approve", MANAGER, custom)
    assert e.params["roles"] == ["quality"]
    assert transition(proposed, "approve", QUALITY, custom, T0).state is State.APPROVED
    assert "approve" in workflow.allowed_actions(proposed, QUALITY, custom)
    assert "approve" not in workflow.allowed_actions(proposed, MANAGER, custom)
    e = refused(AuthorityError, case_in(State.APPROVED), "reply", REP, custom)
    assert e.code == "role_required"
    # the handler may now record the explained closing, and the manager no longer may
    unhappy = case_in(State.FOLLOW_UP, satisfaction=1)
    res = transition(unhappy, "close", HANDLER, custom, T0, reason="explained")
    assert res.state is State.CLOSED
    e = refused(AuthorityError, unhappy, "close", MANAGER, custom, reason="explained")
    assert e.params["roles"] == ["handler"]
    # the default policy still says otherwise
    default = default_policy()
    assert "approve" in workflow.allowed_actions(proposed, MANAGER, default)
    e = refused(AuthorityError, unhappy, "close", HANDLER, default, reason="explained")
    assert e.code == "role_required"


# -- frozen remedies, execution ------------------------------------------------------------


def test_revise_remedy_is_the_only_way_to_change_an_approved_remedy(policy):
    for state in (State.APPROVED, State.REPLIED):
        e = refused(TransitionError, case_in(state), "revise_remedy", HANDLER, policy)
        assert e.code == "reason_required"
        res = transition(
            case_in(state),
            "revise_remedy",
            HANDLER,
            policy,
            T0,
            reason="the customer prefers a refund",
        )
        assert res.state is State.DETERMINED
        assert res.effect(ApprovalRoundStarted) and res.effect(CustomerAnswerCleared)
        assert res.effect(EventsCleared).events[:2] == ("approved", "replied")
    # the person complained about may not revise it; a rep may not either
    e = refused(
        RecusalError,
        case_in(State.APPROVED),
        "revise_remedy",
        Actor("wang.rep", frozenset({Role.HANDLER})),
        policy,
        reason="x",
    )
    assert e.code == "recused"
    refused(AuthorityError, case_in(State.APPROVED), "revise_remedy", REP, policy, reason="x")


def test_a_policy_without_revise_remedy_takes_the_proposers_roles():
    data = default_policy_data()
    del data["workflow"]["roles"]["revise_remedy"]
    data["workflow"]["roles"]["propose_remedy"] = ["quality"]
    p = Policy.from_dict(data)
    assert p.workflow.roles["revise_remedy"] == frozenset({Role.QUALITY})


@pytest.mark.parametrize("state", list(State))
def test_remedy_change_by_state(state):
    if state in (State.REGISTERED, State.TRIAGED, State.INVESTIGATING, State.DETERMINED):
        assert workflow.remedy_change(state, has_decisions=False) == ()
    elif state is State.REMEDY_PROPOSED:
        assert workflow.remedy_change(state, has_decisions=False) == (ApprovalsRequested(),)
        assert workflow.remedy_change(state, has_decisions=True) == (
            ApprovalRoundStarted(),
            ApprovalsRequested(),
        )
    else:
        with pytest.raises(TransitionError) as info:
            workflow.remedy_change(state, has_decisions=True)
        final = state in (State.CLOSED, State.NOT_VALID, State.WITHDRAWN)
        assert info.value.code == ("case_final" if final else "remedies_frozen")


def test_remedies_are_executed_only_once_approved():
    assert {s for s in State if workflow.may_execute_remedies(s)} == {State.APPROVED, State.REPLIED}


def test_remedy_done_waits_for_remedies_carried_out(policy):
    case = case_in(State.REPLIED, customer_accepted=True, remedies_pending=("return",))
    e = refused(TransitionError, case, "remedy_done", HANDLER, policy)
    assert (e.code, e.params["remedies"]) == ("remedies_pending", ("return",))
    res = transition(replace(case, remedies_pending=()), "remedy_done", HANDLER, policy, T0)
    assert res.state is State.REMEDY_DONE


def test_convertible_kinds_follow_the_convert_guard(policy):
    req = case_in(State.TRIAGED, kind=Kind.REQUEST)
    assert workflow.convertible_kinds(req) == (Kind.COMPLAINT, Kind.SUGGESTION)
    started = case_in(State.INVESTIGATING)
    assert workflow.convertible_kinds(started) == ()
    assert workflow.convertible_kinds(replace(started, kind=Kind.REQUEST)) == (Kind.COMPLAINT,)
    assert workflow.convertible_kinds(case_in(State.CLOSED, kind=Kind.REQUEST)) == ()
    # each kind offered is one the step accepts
    for case in (req, replace(started, kind=Kind.REQUEST)):
        for kind in workflow.convertible_kinds(case):
            transition(case, "convert_kind", HANDLER, policy, T0, new_kind=kind)
