"""Remedies and their approval by authority limit (SPEC §4 处理方式, 审批权限, 回避).

Pure functions over frozen values: the caller stores routes and decisions and
serialises concurrent approvers; `decide` refuses a second decision on a stage,
so two simultaneous approvers produce exactly one decision.

Rules, all from the policy (`policy.authority`):

* the cost of a proposal is the sum of its remedy amounts (company currency);
* the required level is the lowest authority level whose ``up_to`` covers the
  cost (``None`` = unlimited); a level-1 complaint needs at least
  ``level1_requires``;
* a category in ``two_stage_categories`` (or a child of one) takes two stages:
  ``investigation`` at ``investigation_level``, then ``remedy`` at the higher of
  the required level and the investigation level (两次审批);
* stages are decided in order, once each; a rejection ends the route (a new
  proposal needs a new route); a higher level may approve, a lower may not;
* the person complained about and anyone whose only manager in the case is a
  person complained about are recused; nobody approves their own proposal;
* an approved remedy is frozen: `remedy_fingerprint` taken at approval time and
  `approvals_still_valid` detect a later change (the approvals are then void).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from .errors import ApprovalError, AuthorityError, InputError, RecusalError
from .model import Remedy, RemedyType, require_aware, to_decimal
from .policy import Policy

if TYPE_CHECKING:  # workflow imports this module; the Actor type is only a hint here
    from .workflow import Actor

STAGE_INVESTIGATION = "investigation"
STAGE_REMEDY = "remedy"
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Stage:
    code: str  # "investigation" | "remedy"
    level: str  # authority level code required to decide this stage


@dataclass(frozen=True)
class Route:
    stages: tuple[Stage, ...]
    cost: Decimal

    def stage(self, code: str) -> Stage | None:
        for s in self.stages:
            if s.code == code:
                return s
        return None


@dataclass(frozen=True)
class Decision:
    stage: str
    approver_id: str
    approved: bool
    at: datetime
    comment: str = ""


# -- remedies ---------------------------------------------------------------


def remedy_cost(remedies: Iterable[Remedy]) -> Decimal:
    """Total cost to the company: the sum of the remedy amounts."""
    return sum((to_decimal(r.amount, "amount") for r in remedies), Decimal(0))


def _check_line(i: int, r: Remedy, policy: Policy) -> None:
    where = f"remedies[{i}]"
    try:
        rtype = RemedyType(r.type)
    except ValueError:
        raise InputError(
            f"{where}: unknown remedy type {r.type!r}",
            code="remedy_type_unknown",
            index=i,
            value=str(r.type),
        ) from None
    amount = to_decimal(r.amount, f"{where}.amount")
    if not amount.is_finite() or amount < 0:
        raise InputError(
            f"{where}: the amount must not be negative, got {amount}",
            code="amount_negative",
            index=i,
            value=str(amount),
        )
    if r.discount_percent is not None:
        pct = to_decimal(r.discount_percent, f"{where}.discount_percent")
        if not pct.is_finite() or not (0 <= pct <= _HUNDRED):
            raise InputError(
                f"{where}: a discount must be between 0 and 100 %, got {pct}",
                code="discount_invalid",
                index=i,
                value=str(pct),
            )
    if r.quantity is not None:
        qty = to_decimal(r.quantity, f"{where}.quantity")
        if not qty.is_finite() or qty < 0:
            raise InputError(
                f"{where}: the quantity must not be negative, got {qty}",
                code="quantity_negative",
                index=i,
                value=str(qty),
            )
    if (
        rtype is RemedyType.CASH
        and policy.authority.cash_requires_reason
        and not (r.reason or "").strip()
    ):
        raise InputError(
            f"{where}: cash compensation needs a written reason",
            code="cash_reason_required",
            index=i,
        )


def check_remedy_lines(remedies: Iterable[Remedy], policy: Policy) -> None:
    """Check each remedy line (an empty list passes)."""
    for i, r in enumerate(remedies):
        _check_line(i, r, policy)


def check_remedies(remedies: Iterable[Remedy], policy: Policy) -> None:
    """A proposal: at least one remedy, each valid (InputError with a stable code)."""
    remedies = tuple(remedies)
    if not remedies:
        raise InputError("a remedy proposal needs at least one remedy", code="remedies_empty")
    check_remedy_lines(remedies, policy)


# -- authority --------------------------------------------------------------


def _rank(code: str, policy: Policy) -> int:
    try:
        return policy.authority.rank(code)
    except KeyError:
        known = ", ".join(lv.code for lv in policy.authority.levels)
        raise InputError(
            f"unknown authority level {code!r}; known: {known}",
            code="authority_level_unknown",
            value=str(code),
        ) from None


def can_approve(approver_level: str, required: str, policy: Policy) -> bool:
    """A level may approve what its own level or any lower level may approve."""
    return _rank(approver_level, policy) >= _rank(required, policy)


def _higher(a: str, b: str, policy: Policy) -> str:
    return a if _rank(a, policy) >= _rank(b, policy) else b


def required_level(cost: Decimal, severity_level: int, policy: Policy) -> str:
    """The lowest authority level whose limit covers ``cost``; level 1 needs at
    least ``policy.authority.level1_requires``."""
    cost = to_decimal(cost, "cost")
    if not cost.is_finite() or cost < 0:
        raise InputError(
            f"a cost must not be negative, got {cost}", code="amount_negative", value=str(cost)
        )
    levels = policy.authority.levels
    code = levels[-1].code
    for lv in levels:
        if lv.up_to is None or cost <= lv.up_to:
            code = lv.code
            break
    if severity_level == 1:
        code = _higher(code, policy.authority.level1_requires, policy)
    return code


def is_two_stage(category: str | None, policy: Policy) -> bool:
    if category is None:
        return False
    two = policy.authority.two_stage_categories
    return any(c in two for c in (category, *policy.category_ancestors(category)))


def approval_route(
    category: str | None, severity_level: int, remedies: Iterable[Remedy], policy: Policy
) -> Route:
    """The stages a proposal must pass, and its cost. Each remedy line is checked
    (an empty list is allowed here, cost 0: `check_remedies` guards proposals)."""
    remedies = tuple(remedies)
    policy.check_category(category)
    check_remedy_lines(remedies, policy)
    cost = remedy_cost(remedies)
    needed = required_level(cost, severity_level, policy)
    if is_two_stage(category, policy):
        inv = policy.authority.investigation_level
        stages = (
            Stage(STAGE_INVESTIGATION, inv),
            Stage(STAGE_REMEDY, _higher(needed, inv, policy)),
        )
    else:
        stages = (Stage(STAGE_REMEDY, needed),)
    return Route(stages, cost)


# -- decisions --------------------------------------------------------------


def is_recused_person(
    person_id: str, reports_to: Iterable[str], complained_about: Iterable[str]
) -> bool:
    """SPEC §4 回避: the person complained about, or someone who reports to no
    one else but people complained about in the case."""
    about = {p for p in complained_about if p}
    managers = {m for m in reports_to if m}
    return person_id in about or (bool(managers) and managers <= about)


def next_stage(route: Route, decisions: Sequence[Decision]) -> Stage | None:
    """The first stage without a decision (None when all are decided)."""
    decided = {d.stage for d in decisions}
    for s in route.stages:
        if s.code not in decided:
            return s
    return None


def route_rejected(decisions: Sequence[Decision]) -> bool:
    return any(not d.approved for d in decisions)


def route_complete(route: Route, decisions: Sequence[Decision]) -> bool:
    """Every stage approved, and no rejection."""
    if route_rejected(decisions):
        return False
    approved = {d.stage for d in decisions if d.approved}
    return all(s.code in approved for s in route.stages)


def _check_order(route: Route, decisions: Sequence[Decision], stage: str) -> Stage:
    target = route.stage(stage)
    if target is None:
        raise ApprovalError(
            f"the route has no stage {stage!r}; stages: " + ", ".join(s.code for s in route.stages),
            code="stage_unknown",
            stage=stage,
        )
    if any(d.stage == stage for d in decisions):
        raise ApprovalError(
            f"stage {stage!r} has already been decided", code="already_decided", stage=stage
        )
    if route_rejected(decisions):
        raise ApprovalError(
            "the proposal was rejected; a new proposal needs a new route",
            code="route_rejected",
            stage=stage,
        )
    nxt = next_stage(route, decisions)
    if nxt is None or nxt.code != stage:
        raise ApprovalError(
            f"stage {stage!r} is not next; decide {nxt.code!r} first",
            code="stage_not_next",
            stage=stage,
            next=nxt.code if nxt else None,
        )
    return target


def decide(
    route: Route,
    decisions: Sequence[Decision],
    stage: str,
    approver: Actor,
    approver_level: str,
    approved: bool,
    comment: str,
    *,
    proposed_by: str | None,
    complained_about: Iterable[str] = (),
    now: datetime,
    policy: Policy,
) -> Decision:
    """Decide the next stage of a route. Raises, in this order: ApprovalError
    (stage unknown / already decided / route rejected / not next), RecusalError,
    AuthorityError ``own_proposal``, AuthorityError ``authority_too_low``,
    InputError ``reason_required`` (a rejection needs a comment)."""
    require_aware(now, "now")
    target = _check_order(route, decisions, stage)
    if is_recused_person(approver.id, approver.reports_to, complained_about):
        raise RecusalError(
            f"{approver.id} is recused from this complaint (complained about, or reports "
            "only to someone complained about)",
            code="recused",
            actor=approver.id,
        )
    if proposed_by is not None and approver.id == proposed_by:
        raise AuthorityError(
            f"{approver.id} cannot approve their own proposal",
            code="own_proposal",
            actor=approver.id,
        )
    if not can_approve(approver_level, target.level, policy):
        raise AuthorityError(
            f"stage {stage!r} needs authority level {target.level!r}; "
            f"{approver.id} has {approver_level!r}",
            code="authority_too_low",
            stage=stage,
            required=target.level,
            level=approver_level,
            actor=approver.id,
        )
    comment = (comment or "").strip()
    if not approved and not comment:
        raise InputError(
            "a rejection needs a reason (comment)", code="reason_required", stage=stage
        )
    return Decision(
        stage=stage, approver_id=approver.id, approved=bool(approved), at=now, comment=comment
    )


# -- frozen remedies ----------------------------------------------------------


def _num(value) -> str:
    if value is None:
        return ""
    d = to_decimal(value)
    return format(d.normalize(), "f") if d.is_finite() else str(d)


def remedy_fingerprint(remedies: Iterable[Remedy]) -> str:
    """A stable hash of what was approved: type, amount, currency, discount,
    quantity and reason of each line (order of lines does not matter; 500 and
    500.00 are the same amount). The description is not part of it."""
    lines = sorted(
        [
            str(RemedyType(r.type).value),
            _num(r.amount),
            str(r.currency),
            _num(r.discount_percent),
            _num(r.quantity),
            (r.reason or "").strip(),
        ]
        for r in remedies
    )
    text = json.dumps(lines, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def approvals_still_valid(fingerprint_at_approval: str | None, remedies: Iterable[Remedy]) -> bool:
    """False when the remedies changed after approval: the approvals are void and
    the route restarts."""
    if not fingerprint_at_approval:
        return False
    return fingerprint_at_approval == remedy_fingerprint(remedies)
