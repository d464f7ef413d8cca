"""Time limits (SPEC §3): milestones, their due times, statuses and the
notifications they call for.

Each milestone of ``policy.sla.milestones`` applies when its ``when`` holds;
its limit is the one of the first rule whose ``when`` holds. A limit of
``authority`` (`policy.AUTHORITY_LIMIT`, stored as ``None``) is the
transferring authority's own deadline (``c.authority_deadline``).

Decisions of this module (the contract others rely on):

* A milestone whose start event has not happened has ``start = due = None``
  and status NOT_STARTED (also at a ``now`` before its start).
* An authority milestone without ``c.authority_deadline`` has ``due = None``;
  with no deadline known it can be neither due soon nor breached (ON_TIME,
  or DONE once done). Authority deadlines are not moved by pauses.
* ``done`` counts at ``now`` only when ``done <= now`` (statuses can be
  evaluated for an instant in the past).
* Due soon: ``elapsed >= warning_ratio * limit`` measured in the limit's own
  measure (working minutes for wh/wd, clock minutes for h/d) with pauses not
  counting; for authority deadlines in clock time from start to due.
  Breached: ``now > due`` (at ``due`` itself it is not yet late).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

from .errors import InputError
from .model import Complaint, Duration, SlaStatus, require_aware
from .policy import MilestoneRule, MilestoneSpec, Policy

if TYPE_CHECKING:  # pragma: no cover
    from .calendar import BusinessCalendar

_EMPTY: Mapping[str, datetime] = MappingProxyType({})
RECIPIENTS = ("owner", "manager")
DUE_SOON = "due_soon"
BREACHED = "breached"


@dataclass(frozen=True)
class Milestone:
    code: str
    name: str
    name_zh: str
    limit: Duration | None  # None: the authority's own deadline
    start: datetime | None
    due: datetime | None
    done: datetime | None


@dataclass(frozen=True)
class Notification:
    milestone: str
    kind: str  # "due_soon" | "breached"
    recipients: tuple[str, ...] = RECIPIENTS


def _context(c: Complaint, policy: Policy, level: int, escalated: bool) -> dict:
    return {
        "kind": c.kind,
        "category": c.category,
        "channel": c.channel,
        "level": level,
        "transferred": c.channel.transferred,
        "escalated": escalated,
        "category_ancestors": policy.category_ancestors(c.category),
    }


def applicable_rule(spec: MilestoneSpec, ctx: Mapping) -> MilestoneRule | None:
    """The rule of a milestone that applies in ``ctx``; ``None`` when the
    milestone does not apply at all (its ``when`` or no rule holds)."""
    if not spec.when.holds(**ctx):
        return None
    return next((r for r in spec.rules if r.when.holds(**ctx)), None)


def plan_milestones(
    c: Complaint,
    policy: Policy,
    calendar: BusinessCalendar,
    *,
    level: int,
    escalated: bool = False,
    events: Mapping[str, datetime] = _EMPTY,
    done: Mapping[str, datetime] = _EMPTY,
) -> tuple[Milestone, ...]:
    """The milestones of ``c`` with start, due and done times (SPEC §3).

    ``events`` gives the start events by name (`policy.START_EVENTS`);
    ``registered`` defaults to ``c.received_at``. ``c.paused`` moves due times.
    """
    if isinstance(level, bool) or level not in (1, 2, 3, 4):
        raise InputError(
            f"level must be 1, 2, 3 or 4, got {level!r}", code="level_invalid", value=repr(level)
        )
    for name, at in {**events, **done}.items():
        require_aware(at, name)
    ctx = _context(c, policy, level, escalated)
    out = []
    for spec in policy.sla.milestones:
        rule = applicable_rule(spec, ctx)
        if rule is None:
            continue
        start = events.get(spec.start)
        if start is None and spec.start == "registered":
            start = c.received_at
        if start is None:
            due = None
        elif rule.limit is None:
            due = c.authority_deadline
        else:
            due = calendar.add(start, rule.limit, paused=c.paused)
        out.append(
            Milestone(
                spec.code, spec.name, spec.name_zh, rule.limit, start, due, done.get(spec.code)
            )
        )
    return tuple(out)


def _used_and_total(m: Milestone, now: datetime, calendar, paused) -> tuple[float, float]:
    if m.limit is None:  # authority deadline: clock time from start to due
        return ((now - m.start).total_seconds() / 60, (m.due - m.start).total_seconds() / 60)
    return (
        calendar.elapsed(m.start, now, m.limit.unit, paused=paused),
        calendar.limit_minutes(m.start, m.limit, paused=paused),
    )


def milestone_status(
    m: Milestone,
    now: datetime,
    policy: Policy,
    calendar: BusinessCalendar,
    paused: Iterable[tuple[datetime, datetime]] = (),
) -> SlaStatus:
    """The status of ``m`` at ``now``."""
    require_aware(now, "now")
    if m.start is None or now < m.start:
        return SlaStatus.NOT_STARTED
    if m.done is not None and m.done <= now:
        if m.due is None or m.done <= m.due:
            return SlaStatus.DONE
        return SlaStatus.DONE_LATE
    if m.due is None:
        return SlaStatus.ON_TIME
    if now > m.due:
        return SlaStatus.BREACHED
    used, total = _used_and_total(m, now, calendar, tuple(paused))
    if Decimal(repr(float(used))) >= policy.sla.warning_ratio * Decimal(repr(float(total))):
        return SlaStatus.DUE_SOON
    return SlaStatus.ON_TIME


def _sent_keys(sent) -> set[tuple[str, str]]:
    keys = set()
    for s in sent:
        if isinstance(s, Notification):
            keys.add((s.milestone, s.kind))
        else:
            code, kind = s
            keys.add((code, kind))
    return keys


def notifications_due(
    milestones: Iterable[Milestone],
    now: datetime,
    policy: Policy,
    calendar: BusinessCalendar,
    sent: Collection[tuple[str, str]] = (),
    paused: Iterable[tuple[datetime, datetime]] = (),
) -> list[Notification]:
    """The notifications to send at ``now``: a due-soon warning and a breach,
    each at most once per milestone (``sent`` holds what was sent, as
    ``(milestone_code, kind)`` pairs or `Notification`\\ s). A breached
    milestone gets only ``breached``, never a late ``due_soon`` as well."""
    already = _sent_keys(sent)
    paused = tuple(paused)
    out = []
    for m in milestones:
        status = milestone_status(m, now, policy, calendar, paused)
        if status is SlaStatus.BREACHED:
            kind = BREACHED
        elif status is SlaStatus.DUE_SOON:
            kind = DUE_SOON
        else:
            continue
        if (m.code, kind) not in already:
            out.append(Notification(m.code, kind))
    return out
