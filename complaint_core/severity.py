"""Severity levels (SPEC §2 投诉等级): criteria, VIP uplift, repeat clusters,
escalation by age (投诉升级) and manual changes.

Level 1 is the most severe. A complaint gets the most severe level whose
criterion holds; every criterion that held is recorded as a `Reason`. Every
threshold comes from ``policy.severity``.

Decisions of this module (the contract others rely on):

* ``computed_level`` is the level of the rules: the most severe criterion
  (escalation by age included, as SPEC lists it among the level 1/2 criteria),
  then the VIP uplift. ``level`` is the level to use: ``c.manual_level`` when a
  person set one (raising is free; a lowering was checked by `change_level`
  before it was stored), but an escalation by age reached at ``now`` is a
  floor even under a manual lowering ("goes to *at least* level 2"): the lever
  to stop an escalation is ``company_fault=False`` (the delay is not ours).
* Escalation by age applies to every kind of open item (the SPEC speaks of
  complaints; requests and suggestions that are left open through our fault
  escalate too). It needs ``now``: `assess_severity` without ``now`` does not
  escalate. An item is closed at ``now`` when ``closed_at <= now``, or, with no
  ``closed_at``, when its state is final (closed, not valid, withdrawn).
  Escalation instants are ``received_at + after``: clock time for ``h``/``d``,
  the business calendar for ``wh``/``wd``; paused time (waiting on the
  customer) is not deducted — that is what ``company_fault`` says.
* Repeat clusters count *different* customers, this complaint's customer
  included; an empty customer id (unknown customer) is never counted. The
  same product is tried first, then the same category (exact code). The
  window is inclusive: a prior complaint exactly ``window`` earlier counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from .errors import AuthorityError, InputError
from .model import (
    FINAL_STATES,
    Complaint,
    Duration,
    PriorComplaint,
    Role,
    Unit,
    require_aware,
)
from .policy import Policy

if TYPE_CHECKING:  # pragma: no cover
    from .calendar import BusinessCalendar

LEVELS = (1, 2, 3, 4)
_WORKING_UNITS = (Unit.WORKING_HOURS, Unit.WORKING_DAYS)


@dataclass(frozen=True)
class Reason:
    """One criterion that held: a stable ``code``, the level it gives, an
    English ``detail`` and the ``params`` used in it (for translation)."""

    code: str
    level: int
    detail: str
    params: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class RepeatCluster:
    """SPEC §2 repeat cluster: the same product (or category) complained about
    by ``customers`` (this complaint's customer included) within the window."""

    key: str  # "product" | "category"
    value: str
    customers: frozenset[str]
    complaints: tuple[PriorComplaint, ...]  # the prior complaints in the cluster


@dataclass(frozen=True)
class Escalation:
    """An escalation step: to ``level`` ``after`` registration, i.e. at ``at``."""

    level: int
    after: Duration
    at: datetime


@dataclass(frozen=True)
class SeverityDecision:
    level: int  # the level to use (manual change applied)
    computed_level: int  # the rules' level (criteria, escalation, VIP)
    reasons: tuple[Reason, ...]  # most severe first
    escalated: bool  # an escalation step was reached at `now`
    cluster: RepeatCluster | None
    escalation: Escalation | None


# -- helpers ------------------------------------------------------------------


def _check_level(value, what: str = "level") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in LEVELS:
        raise InputError(
            f"{what} must be 1, 2, 3 or 4 (1 = most severe), got {value!r}",
            code="level_invalid",
            field=what,
            value=repr(value),
        )
    return value


def _calendar_for(policy: Policy, calendar):
    if calendar is not None:
        return calendar
    from .calendar import BusinessCalendar  # imported late: only working units need it

    return BusinessCalendar.from_policy(policy)


def _add(start: datetime, duration: Duration, policy: Policy, calendar) -> datetime:
    """``start + duration``: real elapsed time for h/d (in UTC, so a DST change
    in between does not shift it, as `BusinessCalendar.add` does), the business
    calendar for wh/wd."""
    if duration.unit in _WORKING_UNITS:
        return _calendar_for(policy, calendar).add(start, duration)
    return (start.astimezone(UTC) + timedelta(minutes=duration.minutes)).astimezone(start.tzinfo)


def _is_closed_at(c: Complaint, now: datetime) -> bool:
    if c.closed_at is not None:
        return c.closed_at <= now
    return c.state in FINAL_STATES


# -- repeat cluster -----------------------------------------------------------


def _in_window(prior: PriorComplaint, c: Complaint, policy: Policy, calendar) -> bool:
    """Prior received in [received_at - window, received_at]: SPEC §2 "within
    30 days" includes a prior complaint exactly 30 days earlier."""
    if prior.received_at > c.received_at:
        return False
    if c.number and prior.number == c.number:
        return False  # the complaint itself
    window_end = _add(prior.received_at, policy.severity.cluster_window, policy, calendar)
    return window_end >= c.received_at


def find_repeat_cluster(c: Complaint, policy: Policy, calendar=None) -> RepeatCluster | None:
    """The repeat cluster this complaint belongs to, by product first, else by
    category; ``None`` when fewer than ``cluster_customers`` different
    customers (this one included) complained within the window."""
    sev = policy.severity
    recent = [p for p in c.prior_complaints if _in_window(p, c, policy, calendar)]
    for key, value in (("product", c.product), ("category", c.category)):
        if not value:
            continue
        same = tuple(p for p in recent if getattr(p, key) == value)
        customers = {p.customer_id for p in same} | {c.customer.id}
        customers.discard("")
        if len(customers) >= sev.cluster_customers:
            return RepeatCluster(key, value, frozenset(customers), same)
    return None


# -- escalation by age --------------------------------------------------------


def escalation_schedule(c: Complaint, policy: Policy, calendar=None) -> tuple[Escalation, ...]:
    """Every escalation step of the policy with the instant it applies."""
    return tuple(
        Escalation(step.level, step.after, _add(c.received_at, step.after, policy, calendar))
        for step in policy.severity.escalation
    )


def escalation_at(c: Complaint, policy: Policy, now: datetime, calendar=None) -> Escalation | None:
    """The most severe escalation step reached at ``now``; ``None`` when the
    item is closed at ``now``, the delay is not the company's fault, or no step
    is reached yet."""
    require_aware(now, "now")
    if not c.company_fault or _is_closed_at(c, now):
        return None
    reached = [e for e in escalation_schedule(c, policy, calendar) if e.at <= now]
    if not reached:
        return None
    return min(reached, key=lambda e: (e.level, e.at))


# -- assessment ---------------------------------------------------------------


def _level1(c: Complaint, policy: Policy) -> list[Reason]:
    sev = policy.severity
    out = []
    if c.media_exposure:
        out.append(Reason("media_exposure", 1, "exposed in the media"))
    if c.litigation:
        out.append(Reason("litigation", 1, "litigation"))
    if c.injury:
        out.append(Reason("injury", 1, "personal injury"))
    if c.customer_loss >= sev.major_loss:
        out.append(
            Reason(
                "major_loss",
                1,
                f"customer loss {c.customer_loss} is at least the major-loss threshold "
                f"{sev.major_loss}",
                {"loss": c.customer_loss, "threshold": sev.major_loss},
            )
        )
    return out


def _departments(c: Complaint, policy: Policy) -> list[Reason]:
    sev = policy.severity
    n = len({d for d in c.departments if d})
    for level, threshold in ((1, sev.departments_level1), (2, sev.departments_level2)):
        if n >= threshold:
            return [
                Reason(
                    "departments",
                    level,
                    f"{n} departments involved (level {level} from {threshold})",
                    {"count": n, "threshold": threshold},
                )
            ]
    return []


def _level2(c: Complaint, policy: Policy, cluster: RepeatCluster | None) -> list[Reason]:
    sev = policy.severity
    out = []
    if c.unauthorized_promise:
        out.append(Reason("unauthorized_promise", 2, "an employee made an unauthorised promise"))
    if c.service_not_delivered and c.repeated_complaints >= sev.repeated_complaints:
        out.append(
            Reason(
                "service_not_delivered",
                2,
                f"contracted service not delivered, complained {c.repeated_complaints} times "
                f"(level 2 from {sev.repeated_complaints})",
                {"count": c.repeated_complaints, "threshold": sev.repeated_complaints},
            )
        )
    if cluster is not None:
        out.append(
            Reason(
                "repeat_cluster",
                2,
                f"same {cluster.key} {cluster.value!r} complained about by "
                f"{len(cluster.customers)} different customers within {sev.cluster_window}",
                {
                    "key": cluster.key,
                    "value": cluster.value,
                    "customers": len(cluster.customers),
                    "window": str(sev.cluster_window),
                },
            )
        )
    return out


def _level3(c: Complaint) -> list[Reason]:
    out = []
    if c.facility_unmaintained:
        out.append(
            Reason(
                "facility_unmaintained",
                3,
                "minor inconvenience from facilities/equipment not maintained",
            )
        )
    if c.recomplaint:
        out.append(Reason("recomplaint", 3, "second complaint after the first was handled"))
    if c.may_spread:
        out.append(Reason("may_spread", 3, "difficult case that may spread to other customers"))
    return out


def _level4(c: Complaint, policy: Policy) -> list[Reason]:
    out = []
    cats = {c.category, *policy.category_ancestors(c.category)} if c.category else set()
    hit = sorted(cats & policy.severity.level4_categories)
    if hit:
        out.append(
            Reason(
                "level4_category",
                4,
                f"category {hit[0]!r} is a level 4 category",
                {"category": hit[0]},
            )
        )
    if c.not_company_fault:
        out.append(Reason("not_company_fault", 4, "not caused by the company"))
    return out


def assess_severity(
    c: Complaint,
    policy: Policy,
    now: datetime | None = None,
    calendar: BusinessCalendar | None = None,
) -> SeverityDecision:
    """The severity of ``c`` at ``now`` (SPEC §2), with every reason that held."""
    sev = policy.severity
    if c.manual_level is not None:
        _check_level(c.manual_level, "manual_level")
    cluster = find_repeat_cluster(c, policy, calendar)
    escalation = escalation_at(c, policy, now, calendar) if now is not None else None

    reasons = [*_level1(c, policy), *_departments(c, policy), *_level2(c, policy, cluster)]
    if escalation is not None:
        reasons.append(
            Reason(
                "escalated",
                escalation.level,
                f"not closed {escalation.after} after registration: escalated to level "
                f"{escalation.level} at {escalation.at.isoformat()}",
                {"after": str(escalation.after), "at": escalation.at.isoformat()},
            )
        )
    reasons += [*_level3(c), *_level4(c, policy)]
    if not reasons:
        reasons.append(
            Reason(
                "default",
                sev.default_level,
                f"no criterion held: default level {sev.default_level}",
            )
        )
    base = min(r.level for r in reasons)

    computed = base
    if c.customer.vip and sev.vip_uplift:
        computed = max(1, base - sev.vip_uplift)
        reasons.append(
            Reason(
                "vip",
                computed,
                f"VIP customer: {sev.vip_uplift} level(s) more severe ({base} -> {computed})",
                {"uplift": sev.vip_uplift, "from": base, "to": computed},
            )
        )

    level = computed
    if c.manual_level is not None:
        level = c.manual_level
        if escalation is not None:
            level = min(level, escalation.level)  # escalation never lowers, even manually
        reasons.append(
            Reason(
                "manual",
                c.manual_level,
                f"level set by a person to {c.manual_level} (computed {computed})",
                {"from": computed, "to": c.manual_level},
            )
        )

    ordered = tuple(sorted(reasons, key=lambda r: r.level))  # stable: criteria order kept
    return SeverityDecision(level, computed, ordered, escalation is not None, cluster, escalation)


# -- manual change ------------------------------------------------------------


def change_level(
    current: int, new: int, actor_roles: Iterable[Role], reason: str, policy: Policy
) -> int:
    """A person changes a level: raising (more severe) is free; lowering needs
    a role of ``workflow.lower_severity_roles`` and a reason. Returns ``new``."""
    _check_level(current, "current level")
    _check_level(new, "new level")
    if new > current:
        allowed = policy.workflow.lower_severity_roles
        if not set(actor_roles) & allowed:
            raise AuthorityError(
                f"lowering the severity from {current} to {new} needs one of the roles "
                + ", ".join(sorted(str(r) for r in allowed)),
                code="lower_needs_manager",
                current=current,
                new=new,
                roles=sorted(str(r) for r in allowed),
            )
        if not (reason or "").strip():
            raise InputError(
                f"lowering the severity from {current} to {new} needs a reason",
                code="reason_required",
                current=current,
                new=new,
            )
    return new
