"""Statistics (SPEC §5 satisfaction, §7 统计分析): the monthly complaint
statistics table (客户投诉月统计表) and the summary report (投诉处理总结表),
computed from an export of complaint records (CSV or JSON).

The rules: pure functions over `ComplaintRecord` values, no file and no
format (reading an export is `stats.io`, writing a table `stats.render`).
Every rule value comes from the policy: the satisfied/dissatisfied answers,
the milestones, the time zone of the month boundaries.

Definitions (the promises this module keeps; a period is ``[start, end)``):

* A month is the calendar month in the policy calendar's time zone
  (``policy.calendar.timezone``): in Asia/Shanghai 2026-09-30T20:00:00Z is
  2026-10-01 04:00, i.e. October. `period_bounds` also reads an ISO week
  (``2026-W48``: Monday 00:00 to the next Monday 00:00) and a quarter
  (``2026-Q4``: 1 October to 1 January), in the same time zone.
* Only records of ``kinds`` (default: complaints) are counted.
* *received*: received in the period. *closed*: ``closed_at`` in the period
  (a record is finished at ``closed_at``, whatever its final state: closed,
  not valid, withdrawn). *open*: received before the period's end and not
  closed before it (backlog at the end, older complaints included).
* *resolution rate*: of the complaints received in the period, the share
  closed before the period's end.
* *on-time rate per milestone*: a milestone counts in a period when it has a
  due time and is due in the period or done in it (once, even if both);
  it is on time when done at or before its due time. A milestone due in the
  period and not done is late (the table describes the period as of its end).
* *time to close*: clock days from ``received_at`` to ``closed_at`` (paused
  time not deducted) of the complaints closed in the period; the mean and the
  90th percentile by the nearest-rank method (`percentile`), both rounded to
  0.01 day. *Mean working hours to close*: the mean of the
  ``working_hours_to_close`` (working time in the policy calendar, computed
  by whoever exported the records) of the complaints closed in the period that
  have one, rounded to 0.01 hour.
* *loss amount*, *remedy cost*, *valid* / *not valid*, *re-complaints*,
  *repeat clusters* (complaints flagged ``cluster``) and the *defect rate*
  (sum of defective quantities / sum of quantities, records with a quantity
  only) are of the complaints received in the period.
* *satisfaction rate* (SPEC §5): satisfied answers / answers received, over
  the follow-up answers of the complaints closed in the period.
* Rates are exact ``Decimal`` fractions (0..1), ``None`` when there is
  nothing to divide by; renderers round them.

The summary (投诉处理总结表) adds, over the complaints received in the period:
the number of *days* (calendar days of the policy time zone the period
touches), *complaints per day* (received / days, 0.01), *resolved* (received
and closed before the period's end: the numerator of the resolution rate),
the *product-quality* count (records flagged ``quality``), the *main quality
problems* (the problems named in the countermeasures of the quality records,
most complaints first, each with its countermeasures) and the problems with
their countermeasures *by process link* (transport, processing, management,
other; records without a link are in none of them).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import InputError
from ..model import Channel, Kind, State
from ..policy import Policy

GROUPINGS = ("category", "severity", "channel", "product", "batch", "department", "handler")
PROCESS_LINKS = ("transport", "processing", "management", "other")
NONE_KEY = "(none)"
_DAY = Decimal(86400)
_CENT = Decimal("0.01")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-Q(\d)$")


# -- SPEC §5 satisfaction ------------------------------------------------------


def check_answer(answer: Any, policy: Policy) -> int:
    """The answer itself if it is a value of the policy's scale, else an InputError."""
    values = {s.value for s in policy.satisfaction.scale}
    if isinstance(answer, bool) or not isinstance(answer, int) or answer not in values:
        raise InputError(
            f"satisfaction answer {answer!r} is not on the scale "
            f"({', '.join(str(v) for v in sorted(values))})",
            code="satisfaction_invalid",
            value=repr(answer),
        )
    return answer


def satisfaction_rate(answers: Iterable[int], policy: Policy) -> Decimal | None:
    """SPEC §5: satisfied answers (``policy.satisfaction.satisfied``) / answers
    received; ``None`` when no answer was received."""
    checked = [check_answer(a, policy) for a in answers]
    if not checked:
        return None
    satisfied = sum(1 for a in checked if a in policy.satisfaction.satisfied)
    return Decimal(satisfied) / Decimal(len(checked))


def is_dissatisfied(answer: int, policy: Policy) -> bool:
    """SPEC §5: a dissatisfied answer reopens the complaint or needs an
    explained closing by a manager."""
    return check_answer(answer, policy) in policy.satisfaction.dissatisfied


def percentile(values: Sequence[Decimal], p: int = 90) -> Decimal | None:
    """Nearest-rank percentile: the smallest value such that at least ``p``%
    of the values are at or below it, i.e. the ``ceil(p/100 * n)``-th smallest
    value. ``None`` for no values. (10 values: the 9th; 11 values: the 10th.)"""
    if not 0 < p <= 100:
        raise InputError(
            f"percentile must be in (0, 100], got {p}", code="percentile_invalid", value=p
        )
    if not values:
        return None
    ordered = sorted(values)
    rank = math.ceil(Decimal(p) * len(ordered) / 100)
    return ordered[rank - 1]


# -- records -------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintRecord:
    """One row of an export (CSV/JSON): what the statistics need of a complaint.

    ``satisfaction`` holds the follow-up answers (one per question; an int is
    taken as one answer). ``milestones`` maps a milestone code to its
    ``(due, done)`` times. ``valid`` is ``None`` while undetermined.
    ``working_hours_to_close`` is the working time from received to closed in
    the policy calendar (``None`` while open or unknown); ``quality`` marks a
    finding that is a product-quality problem; ``process_link`` is where the
    problem arose (one of `PROCESS_LINKS`); ``countermeasures`` are the
    ``(problem or root cause, countermeasure)`` pairs of its corrective actions.
    """

    number: str
    received_at: datetime
    kind: Kind = Kind.COMPLAINT
    category: str | None = None
    severity: int | None = None
    channel: Channel | None = None
    product: str | None = None
    batch: str | None = None
    department: str | None = None
    handler: str | None = None
    closed_at: datetime | None = None
    state: State = State.REGISTERED
    valid: bool | None = None
    recomplaint: bool = False
    cluster: bool = False
    loss_amount: Decimal = Decimal(0)
    remedy_cost: Decimal = Decimal(0)
    quantity: Decimal | None = None
    defective_quantity: Decimal | None = None
    satisfaction: tuple[int, ...] = ()
    milestones: Mapping[str, tuple[datetime | None, datetime | None]] = field(
        default_factory=dict, hash=False
    )
    working_hours_to_close: Decimal | None = None
    quality: bool = False
    process_link: str | None = None
    countermeasures: tuple[tuple[str, str], ...] = ()

    def __post_init__(self):
        if isinstance(self.satisfaction, int):
            object.__setattr__(self, "satisfaction", (self.satisfaction,))
        elif self.satisfaction is None:
            object.__setattr__(self, "satisfaction", ())
        else:
            object.__setattr__(self, "satisfaction", tuple(self.satisfaction))
        object.__setattr__(self, "milestones", MappingProxyType(dict(self.milestones)))
        for t, what in ((self.received_at, "received_at"), (self.closed_at, "closed_at")):
            if t is not None and (not isinstance(t, datetime) or t.utcoffset() is None):
                raise InputError(
                    f"{self.number}: {what} must be a date-time with a time zone",
                    code="datetime_naive",
                    field=what,
                )
        if self.process_link is not None and self.process_link not in PROCESS_LINKS:
            raise InputError(
                f"{self.number}: unknown process link {self.process_link!r}; use one of "
                + ", ".join(PROCESS_LINKS),
                code="value_unknown",
                field="process_link",
                value=str(self.process_link),
            )
        pairs = []
        for pair in self.countermeasures or ():
            if isinstance(pair, str) or len(pair) != 2:
                raise InputError(
                    f"{self.number}: a countermeasure is a (problem, countermeasure) pair, "
                    f"got {pair!r}",
                    code="countermeasure_invalid",
                    field="countermeasures",
                )
            pairs.append((str(pair[0]), str(pair[1])))
        object.__setattr__(self, "countermeasures", tuple(pairs))

    def group_key(self, by: str) -> str:
        value = getattr(self, by)
        if value is None or value == "":
            return NONE_KEY
        return str(value)


# -- figures -------------------------------------------------------------------


@dataclass(frozen=True)
class OnTime:
    """Milestones counted in a period and how many of them were on time."""

    on_time: int
    counted: int

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.on_time) / Decimal(self.counted) if self.counted else None


@dataclass(frozen=True)
class Figures:
    """The figures of one group (or of the total) over one period."""

    key: str
    label: str
    received: int
    closed: int
    open: int
    resolution_rate: Decimal | None
    on_time: Mapping[str, OnTime]
    mean_days_to_close: Decimal | None
    p90_days_to_close: Decimal | None
    loss_amount: Decimal
    remedy_cost: Decimal
    valid: int
    not_valid: int
    recomplaints: int
    clusters: int
    satisfaction_rate: Decimal | None
    defect_rate: Decimal | None
    mean_working_hours_to_close: Decimal | None = None


@dataclass(frozen=True)
class StatsTable:
    """The 客户投诉月统计表: one row per group and a total row."""

    period: str  # "2026-10"
    by: str
    timezone: str
    start: datetime
    end: datetime  # exclusive
    currency: str
    milestones: tuple[tuple[str, str, str], ...]  # (code, name, name_zh) shown
    rows: tuple[Figures, ...]
    total: Figures


@dataclass(frozen=True)
class Problem:
    """A problem (root cause) of the complaints received in a period: how many
    complaints name it, which, and their countermeasures (distinct, in the
    order of the complaints)."""

    problem: str
    complaints: int
    numbers: tuple[str, ...]
    countermeasures: tuple[str, ...]


@dataclass(frozen=True)
class LinkProblems:
    """The complaints of one process link and their problems."""

    link: str
    complaints: int
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Summary:
    """The 投诉处理总结表 of a period: the figures of all complaints, the
    received counts by category, severity and channel, and the form's own
    items (days, per day, resolved, product quality, problems and
    countermeasures, by process link)."""

    start: datetime
    end: datetime
    timezone: str
    currency: str
    milestones: tuple[tuple[str, str, str], ...]
    figures: Figures
    by_category: Mapping[str, int]
    by_severity: Mapping[str, int]
    by_channel: Mapping[str, int]
    period: str = ""
    days: int = 0
    per_day: Decimal | None = None
    resolved: int = 0
    quality: int = 0
    quality_problems: tuple[Problem, ...] = ()
    by_process_link: tuple[LinkProblems, ...] = ()


def _within(t: datetime | None, start: datetime, end: datetime) -> bool:
    return t is not None and start <= t < end


def _days(r: ComplaintRecord) -> Decimal:
    return Decimal(int((r.closed_at - r.received_at).total_seconds())) / _DAY


def _q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _ratio(num, den) -> Decimal | None:
    return Decimal(num) / Decimal(den) if den else None


def _on_time(
    records: Sequence[ComplaintRecord], codes: Iterable[str], start, end
) -> dict[str, OnTime]:
    out = {}
    for code in codes:
        on, counted = 0, 0
        for r in records:
            due, done = r.milestones.get(code, (None, None))
            if due is None or not (_within(due, start, end) or _within(done, start, end)):
                continue
            counted += 1
            if done is not None and done <= due:
                on += 1
        out[code] = OnTime(on, counted)
    return out


def _figures(
    records: Sequence[ComplaintRecord],
    start: datetime,
    end: datetime,
    policy: Policy,
    codes: Sequence[str],
    key: str,
    label: str,
) -> Figures:
    received = [r for r in records if _within(r.received_at, start, end)]
    closed = [r for r in records if _within(r.closed_at, start, end)]
    still_open = [
        r for r in records if r.received_at < end and (r.closed_at is None or r.closed_at >= end)
    ]
    resolved = [r for r in received if r.closed_at is not None and r.closed_at < end]
    days = [_days(r) for r in closed]
    hours = [r.working_hours_to_close for r in closed if r.working_hours_to_close is not None]
    with_qty = [r for r in received if r.quantity is not None]
    quantity = sum((r.quantity for r in with_qty), Decimal(0))
    defective = sum((r.defective_quantity or Decimal(0) for r in with_qty), Decimal(0))
    return Figures(
        key=key,
        label=label,
        received=len(received),
        closed=len(closed),
        open=len(still_open),
        resolution_rate=_ratio(len(resolved), len(received)),
        on_time=MappingProxyType(_on_time(records, codes, start, end)),
        mean_days_to_close=_q(sum(days, Decimal(0)) / len(days)) if days else None,
        p90_days_to_close=_q(percentile(days, 90)),
        loss_amount=sum((r.loss_amount for r in received), Decimal(0)),
        remedy_cost=sum((r.remedy_cost for r in received), Decimal(0)),
        valid=sum(1 for r in received if r.valid is True),
        not_valid=sum(1 for r in received if r.valid is False),
        recomplaints=sum(1 for r in received if r.recomplaint),
        clusters=sum(1 for r in received if r.cluster),
        satisfaction_rate=satisfaction_rate((a for r in closed for a in r.satisfaction), policy),
        defect_rate=defective / quantity if quantity else None,
        mean_working_hours_to_close=_q(sum(hours, Decimal(0)) / len(hours)) if hours else None,
    )


def _tz(policy: Policy) -> ZoneInfo:
    return ZoneInfo(policy.calendar.timezone)


def month_bounds(month: str, policy: Policy) -> tuple[datetime, datetime]:
    """``[first instant, first instant of the next month)`` of ``"YYYY-MM"`` in
    the policy calendar's time zone."""
    m = _MONTH_RE.match(str(month).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise InputError(
            f"invalid month {month!r}: expected YYYY-MM, e.g. 2026-10",
            code="month_invalid",
            value=str(month),
        )
    y, mo = int(m.group(1)), int(m.group(2))
    tz = _tz(policy)
    start = datetime(y, mo, 1, tzinfo=tz)
    end = datetime(y + mo // 12, mo % 12 + 1, 1, tzinfo=tz)
    return start, end


def period_bounds(spec: str, policy: Policy) -> tuple[datetime, datetime]:
    """``[start, end)`` of a period named ``"2026-11"`` (a month),
    ``"2026-W48"`` (an ISO week, Monday to Monday) or ``"2026-Q4"`` (a
    quarter), midnight in the policy calendar's time zone."""
    text = str(spec).strip().upper()
    tz = _tz(policy)
    if _MONTH_RE.match(text):
        try:
            return month_bounds(text, policy)
        except InputError:
            pass
    elif m := _WEEK_RE.match(text):
        try:
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            pass
        else:
            end = monday + timedelta(days=7)
            return (
                datetime(monday.year, monday.month, monday.day, tzinfo=tz),
                datetime(end.year, end.month, end.day, tzinfo=tz),
            )
    elif (m := _QUARTER_RE.match(text)) and 1 <= int(m.group(2)) <= 4:
        y, q = int(m.group(1)), int(m.group(2))
        start = datetime(y, 3 * q - 2, 1, tzinfo=tz)
        end = datetime(y + 1, 1, 1, tzinfo=tz) if q == 4 else datetime(y, 3 * q + 1, 1, tzinfo=tz)
        return start, end
    raise InputError(
        f"invalid period {spec!r}: expected a month YYYY-MM (2026-11), an ISO week "
        "YYYY-Www (2026-W48) or a quarter YYYY-Qn (2026-Q4)",
        code="period_invalid",
        value=str(spec),
    )


def period_label(spec: str) -> str:
    """The period's name as shown (``"2026-w48"`` -> ``"2026-W48"``)."""
    return str(spec).strip().upper()


def _bound(t: datetime | date, policy: Policy, what: str) -> datetime:
    if isinstance(t, datetime):
        if t.utcoffset() is None:
            raise InputError(
                f"{what} {t.isoformat()} has no time zone", code="datetime_naive", field=what
            )
        return t
    if isinstance(t, date):
        return datetime(t.year, t.month, t.day, tzinfo=_tz(policy))
    raise InputError(
        f"{what} must be a date or a date-time, got {t!r}", code="datetime_invalid", field=what
    )


def _milestone_codes(
    records: Sequence[ComplaintRecord], policy: Policy, start, end
) -> tuple[tuple[str, str, str], ...]:
    """The policy's milestones (in policy order), then any other code found in
    the records; only those with something counted in the period."""
    named = [(m.code, m.name, m.name_zh) for m in policy.sla.milestones]
    known = {c for c, _, _ in named}
    extra = sorted({c for r in records for c in r.milestones} - known)
    candidates = named + [(c, c, "") for c in extra]
    counts = _on_time(records, [c for c, _, _ in candidates], start, end)
    return tuple(m for m in candidates if counts[m[0]].counted)


def _select(records: Iterable[ComplaintRecord], kinds) -> list[ComplaintRecord]:
    wanted = frozenset(Kind(k) for k in kinds)
    return [r for r in records if r.kind in wanted]


def _group_order(by: str, keys: Iterable[str], policy: Policy) -> list[str]:
    keys = set(keys)
    if by == "category":
        first = [c for c in policy.categories if c in keys]
    elif by == "channel":
        first = [c.value for c in Channel if c.value in keys]
    else:
        first = []
    rest = sorted(k for k in keys if k not in first and k != NONE_KEY)
    return first + rest + ([NONE_KEY] if NONE_KEY in keys else [])


def _label(by: str, key: str, policy: Policy) -> str:
    if by == "category" and key in policy.categories:
        cat = policy.categories[key]
        # "产品质量 Product quality"; a policy whose names are already Chinese
        # (read in zh_CN) says it once
        return " ".join(dict.fromkeys(n for n in (cat.name_zh, cat.name) if n))
    if by == "severity" and key != NONE_KEY:
        return f"level {key}"
    return key


def period_table(
    records: Iterable[ComplaintRecord],
    start: datetime | date,
    end: datetime | date,
    policy: Policy,
    by: str = "category",
    *,
    period: str = "",
    kinds: Iterable[Kind | str] = (Kind.COMPLAINT,),
) -> StatsTable:
    """The statistics table of any period ``[start, end)`` (a week, a month),
    one row per value of ``by`` that has anything counted in the period."""
    if by not in GROUPINGS:
        raise InputError(
            f"cannot group by {by!r}; use one of {', '.join(GROUPINGS)}",
            code="grouping_unknown",
            value=str(by),
        )
    start, end = _bound(start, policy, "start"), _bound(end, policy, "end")
    if end <= start:
        raise InputError("the period must end after it starts", code="period_invalid")
    selected = _select(records, kinds)
    milestones = _milestone_codes(selected, policy, start, end)
    codes = [c for c, _, _ in milestones]
    groups: dict[str, list[ComplaintRecord]] = {}
    for r in selected:
        groups.setdefault(r.group_key(by), []).append(r)
    rows = []
    for key in _group_order(by, groups, policy):
        fig = _figures(groups[key], start, end, policy, codes, key, _label(by, key, policy))
        if fig.received or fig.closed or fig.open or any(o.counted for o in fig.on_time.values()):
            rows.append(fig)
    total = _figures(selected, start, end, policy, codes, "total", "合计 Total")
    return StatsTable(
        period or f"{start.date()}..{end.date()}",
        by,
        policy.calendar.timezone,
        start,
        end,
        policy.currency,
        milestones,
        tuple(rows),
        total,
    )


def monthly_table(
    records: Iterable[ComplaintRecord],
    month: str,
    policy: Policy,
    by: str = "category",
    *,
    kinds: Iterable[Kind | str] = (Kind.COMPLAINT,),
) -> StatsTable:
    """SPEC §7 客户投诉月统计表 for ``month`` ("YYYY-MM", policy time zone)."""
    start, end = month_bounds(month, policy)
    return period_table(records, start, end, policy, by, period=month.strip(), kinds=kinds)


def _local_days(start: datetime, end: datetime, policy: Policy) -> int:
    """Calendar days of the policy time zone that ``[start, end)`` touches."""
    tz = _tz(policy)
    first, last = start.astimezone(tz), end.astimezone(tz)
    days = (last.date() - first.date()).days
    return days + (1 if last.time() != datetime.min.time() else 0)


def _problems(records: Sequence[ComplaintRecord]) -> tuple[Problem, ...]:
    """The problems named in the records' countermeasures (a blank problem, or
    a record without countermeasures, is `NONE_KEY`), most complaints first."""
    found: dict[str, tuple[dict[str, None], dict[str, None]]] = {}  # ordered sets
    for r in records:
        for problem, measure in r.countermeasures or (("", ""),):
            numbers, measures = found.setdefault(problem.strip() or NONE_KEY, ({}, {}))
            numbers[r.number] = None
            if measure.strip():
                measures[measure.strip()] = None
    ordered = sorted(found.items(), key=lambda kv: (kv[0] == NONE_KEY, -len(kv[1][0]), kv[0]))
    return tuple(
        Problem(key, len(numbers), tuple(numbers), tuple(measures))
        for key, (numbers, measures) in ordered
    )


def summary(
    records: Iterable[ComplaintRecord],
    start: datetime | date,
    end: datetime | date,
    policy: Policy,
    *,
    period: str = "",
    kinds: Iterable[Kind | str] = (Kind.COMPLAINT,),
) -> Summary:
    """SPEC §7 投诉处理总结表 for ``[start, end)`` (dates are midnight in the
    policy time zone): the figures of all complaints, the intake by category,
    severity and channel, and the form's items (module docstring)."""
    records = list(records)
    table = period_table(records, start, end, policy, "category", period=period, kinds=kinds)
    selected = _select(records, kinds)
    received = [r for r in selected if _within(r.received_at, table.start, table.end)]

    def count(by):
        keys = [r.group_key(by) for r in received]
        return MappingProxyType({k: keys.count(k) for k in _group_order(by, set(keys), policy)})

    days = _local_days(table.start, table.end, policy)
    quality = [r for r in received if r.quality]
    links = tuple(
        LinkProblems(
            link,
            len(linked := [r for r in received if r.process_link == link]),
            _problems(linked) if linked else (),
        )
        for link in PROCESS_LINKS
    )
    return Summary(
        table.start,
        table.end,
        table.timezone,
        table.currency,
        table.milestones,
        table.total,
        count("category"),
        count("severity"),
        count("channel"),
        period=table.period,
        days=days,
        per_day=_q(Decimal(len(received)) / days),
        resolved=sum(1 for r in received if r.closed_at is not None and r.closed_at < table.end),
        quality=len(quality),
        quality_problems=_problems(quality) if quality else (),
        by_process_link=links,
    )
