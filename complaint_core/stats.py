"""Statistics (SPEC §5 satisfaction, §7 统计分析): the monthly complaint
statistics table (客户投诉月统计表) and the summary report (投诉处理总结表),
computed from an export of complaint records (CSV or JSON).

Pure functions over `ComplaintRecord` values; reading a file is the only I/O
(`read_records`, called by the shell). Every rule value comes from the policy:
the satisfied/dissatisfied answers, the milestones, the time zone of the
month boundaries.

Definitions (the promises this module keeps; a period is ``[start, end)``):

* A month is the calendar month in the policy calendar's time zone
  (``policy.calendar.timezone``): in Asia/Shanghai 2026-09-30T20:00:00Z is
  2026-10-01 04:00, i.e. October.
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
  0.01 day.
* *loss amount*, *remedy cost*, *valid* / *not valid*, *re-complaints*,
  *repeat clusters* (complaints flagged ``cluster``) and the *defect rate*
  (sum of defective quantities / sum of quantities, records with a quantity
  only) are of the complaints received in the period.
* *satisfaction rate* (SPEC §5): satisfied answers / answers received, over
  the follow-up answers of the complaints closed in the period.
* Rates are exact ``Decimal`` fractions (0..1), ``None`` when there is
  nothing to divide by; renderers round them.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from .errors import InputError
from .model import FINAL_STATES, Channel, Kind, State
from .policy import Policy

GROUPINGS = ("category", "severity", "channel", "product", "batch", "department", "handler")
FORMATS = ("text", "csv", "json", "html")
NONE_KEY = "(none)"
TITLE_ZH = "客户投诉月统计表"
TITLE_EN = "Monthly complaint statistics"
SUMMARY_TITLE_ZH = "投诉处理总结表"
SUMMARY_TITLE_EN = "Complaint handling summary"
_DAY = Decimal(86400)
_CENT = Decimal("0.01")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_LEVELS = (1, 2, 3, 4)


# -- SPEC §5 satisfaction ------------------------------------------------------


def _check_answer(answer: Any, policy: Policy) -> int:
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
    checked = [_check_answer(a, policy) for a in answers]
    if not checked:
        return None
    satisfied = sum(1 for a in checked if a in policy.satisfaction.satisfied)
    return Decimal(satisfied) / Decimal(len(checked))


def is_dissatisfied(answer: int, policy: Policy) -> bool:
    """SPEC §5: a dissatisfied answer reopens the complaint or needs an
    explained closing by a manager."""
    return _check_answer(answer, policy) in policy.satisfaction.dissatisfied


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

    def group_key(self, by: str) -> str:
        value = getattr(self, by)
        if value is None or value == "":
            return NONE_KEY
        return str(value)


_TEXT_FIELDS = ("number", "category", "product", "batch", "department", "handler")
_BOOL_FIELDS = ("valid", "recomplaint", "cluster")
_MONEY_FIELDS = ("loss_amount", "remedy_cost")
_QTY_FIELDS = ("quantity", "defective_quantity")
COLUMNS = (
    "number",
    "kind",
    "category",
    "severity",
    "channel",
    "product",
    "batch",
    "department",
    "handler",
    "received_at",
    "closed_at",
    "state",
    "valid",
    "recomplaint",
    "cluster",
    "loss_amount",
    "remedy_cost",
    "quantity",
    "defective_quantity",
    "satisfaction",
)
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


class _RowReader:
    """Turns one raw row (CSV strings or JSON values) into a record; every
    error names the file, the row (1-based, data rows) and the field."""

    def __init__(self, source: str, row: int, policy: Policy | None):
        self.source, self.row, self.policy = source, row, policy

    def fail(self, fld: str, message: str, code: str, value: Any = None):
        raise InputError(
            f"{self.source}: row {self.row}, field {fld}: {message}",
            code=code,
            source=self.source,
            row=self.row,
            field=fld,
            value=None if value is None else str(value),
        )

    @staticmethod
    def blank(value: Any) -> bool:
        return value is None or (isinstance(value, str) and not value.strip())

    def instant(self, value: Any, fld: str) -> datetime | None:
        if self.blank(value):
            return None
        if not isinstance(value, str):
            self.fail(
                fld,
                f"expected an ISO-8601 date-time text, got {value!r}",
                "datetime_invalid",
                value,
            )
        try:
            t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            self.fail(
                fld,
                f"cannot read date-time {value!r} (expected e.g. 2026-09-30T16:30:00+08:00)",
                "datetime_invalid",
                value,
            )
        if t.utcoffset() is None:
            self.fail(
                fld,
                f"date-time {value!r} has no UTC offset (add one, e.g. +08:00)",
                "datetime_naive",
                value,
            )
        return t

    def number(self, value: Any, fld: str) -> Decimal | None:
        if self.blank(value):
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.fail(fld, f"expected a number, got {value!r}", "number_invalid", value)
        try:
            d = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(fld, f"expected a number, got {value!r}", "number_invalid", value)
        if not d.is_finite() or d < 0:
            self.fail(
                fld, f"expected a number of at least 0, got {value!r}", "number_invalid", value
            )
        return d

    def flag(self, value: Any, fld: str) -> bool | None:
        if self.blank(value):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return self.fail(fld, f"expected true or false, got {value!r}", "flag_invalid", value)

    def enum(self, enum, value: Any, fld: str):
        if self.blank(value):
            return None
        try:
            return enum(str(value).strip())
        except ValueError:
            return self.fail(
                fld,
                f"unknown {fld} {value!r}; use one of " + ", ".join(e.value for e in enum),
                "value_unknown",
                value,
            )

    def level(self, value: Any, fld: str) -> int | None:
        if self.blank(value):
            return None
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit() or int(text) not in _LEVELS:
            self.fail(
                fld,
                f"expected a severity level 1, 2, 3 or 4, got {value!r}",
                "level_invalid",
                value,
            )
        return int(text)

    def answers(self, value: Any, fld: str) -> tuple[int, ...]:
        if self.blank(value):
            return ()
        raw = (
            value
            if isinstance(value, list)
            else ([value] if isinstance(value, int) else str(value).split(";"))
        )
        out = []
        for item in raw:
            text = str(item).strip()
            if isinstance(item, bool) or not re.fullmatch(r"-?\d+", text):
                self.fail(
                    fld,
                    f"expected whole-number answers separated by ';', got {value!r}",
                    "satisfaction_invalid",
                    value,
                )
            answer = int(text)
            if self.policy is not None:
                try:
                    _check_answer(answer, self.policy)
                except InputError as e:
                    self.fail(fld, e.message, e.code, value)
            out.append(answer)
        return tuple(out)

    def read(
        self, raw: Mapping[str, Any], milestones: Mapping[str, Mapping[str, Any]]
    ) -> ComplaintRecord:
        number = raw.get("number")
        if self.blank(number):
            self.fail("number", "missing", "field_missing")
        received = self.instant(raw.get("received_at"), "received_at")
        if received is None:
            self.fail("received_at", "missing", "field_missing")
        closed = self.instant(raw.get("closed_at"), "closed_at")
        state = self.enum(State, raw.get("state"), "state") or (
            State.CLOSED if closed else State.REGISTERED
        )
        if state in FINAL_STATES and closed is None:
            self.fail("closed_at", f"missing for the final state {state}", "field_missing")
        if closed is not None and state not in FINAL_STATES:
            self.fail("closed_at", f"set but the state {state} is open", "closed_at_open")
        if closed is not None and closed < received:
            self.fail(
                "closed_at", "before received_at", "closed_before_received", raw.get("closed_at")
            )
        category = None if self.blank(raw.get("category")) else str(raw["category"]).strip()
        if (
            category is not None
            and self.policy is not None
            and category not in self.policy.categories
        ):
            self.fail(
                "category",
                f"unknown category {category!r}; known: "
                + ", ".join(sorted(self.policy.categories)),
                "category_unknown",
                category,
            )
        qty = {f: self.number(raw.get(f), f) for f in _QTY_FIELDS}
        if qty["defective_quantity"] is not None and (
            qty["quantity"] is None or qty["defective_quantity"] > qty["quantity"]
        ):
            self.fail(
                "defective_quantity",
                "exceeds quantity (or quantity missing)",
                "defective_exceeds_quantity",
                raw.get("defective_quantity"),
            )
        valid = self.flag(raw.get("valid"), "valid")
        if valid is None and state is State.NOT_VALID:
            valid = False  # SPEC §1: not valid complaints are closed as such
        times: dict[str, tuple[datetime | None, datetime | None]] = {}
        for code, pair in milestones.items():
            due = self.instant(pair.get("due"), f"{code}_due")
            done = self.instant(pair.get("done"), f"{code}_done")
            if due is not None or done is not None:
                times[code] = (due, done)
        return ComplaintRecord(
            number=str(number).strip(),
            received_at=received,
            kind=self.enum(Kind, raw.get("kind"), "kind") or Kind.COMPLAINT,
            category=category,
            severity=self.level(raw.get("severity"), "severity"),
            channel=self.enum(Channel, raw.get("channel"), "channel"),
            **{
                f: None if self.blank(raw.get(f)) else str(raw[f]).strip()
                for f in _TEXT_FIELDS
                if f not in ("number", "category")
            },
            closed_at=closed,
            state=state,
            valid=valid,
            recomplaint=bool(self.flag(raw.get("recomplaint"), "recomplaint")),
            cluster=bool(self.flag(raw.get("cluster"), "cluster")),
            **{f: self.number(raw.get(f), f) or Decimal(0) for f in _MONEY_FIELDS},
            **qty,
            satisfaction=self.answers(raw.get("satisfaction"), "satisfaction"),
            milestones=times,
        )


def _split_milestone_columns(
    keys: Iterable[str], source: str, row: int | None, policy: Policy | None
) -> dict[str, dict[str, str]]:
    """``<code>_due`` / ``<code>_done`` columns -> {code: {"due": col, "done": col}};
    any other unknown column is an error (nothing is silently dropped)."""
    known_codes = {m.code for m in policy.sla.milestones} if policy is not None else None
    out: dict[str, dict[str, str]] = {}
    for key in keys:
        if key in COLUMNS or key == "milestones":
            continue
        m = re.fullmatch(r"(\w+?)_(due|done)", key)
        where = f"{source}: row {row}, " if row is not None else f"{source}: "
        if not m:
            raise InputError(
                f"{where}unknown field {key}; known: {', '.join(COLUMNS)} and "
                "<milestone>_due/<milestone>_done",
                code="field_unknown",
                source=source,
                row=row,
                field=key,
            )
        if known_codes is not None and m.group(1) not in known_codes:
            raise InputError(
                f"{where}field {key}: unknown milestone {m.group(1)!r}; known: "
                + ", ".join(sorted(known_codes)),
                code="milestone_unknown",
                source=source,
                row=row,
                field=key,
            )
        out.setdefault(m.group(1), {})[m.group(2)] = key
    return out


def _rows_from_csv(text: str, source: str, policy):
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    for required in ("number", "received_at"):
        if required not in header:
            raise InputError(
                f"{source}: header: missing column {required}",
                code="column_missing",
                source=source,
                field=required,
            )
    columns = _split_milestone_columns(header, source, None, policy)
    for i, row in enumerate(reader, start=1):
        if None in row:
            raise InputError(
                f"{source}: row {i}: more values than columns",
                code="row_invalid",
                source=source,
                row=i,
            )
        milestones = {
            code: {part: row.get(col) for part, col in cols.items()}
            for code, cols in columns.items()
        }
        yield i, row, milestones


def _rows_from_json(text: str, source: str, policy):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{source}:{e.lineno}:{e.colno}: malformed JSON: {e.msg}",
            code="json_invalid",
            source=source,
        ) from None
    if not isinstance(data, list):
        raise InputError(
            f"{source}: expected a list of complaint records", code="list_invalid", source=source
        )
    for i, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            raise InputError(
                f"{source}: row {i}: expected an object, got {item!r}",
                code="object_invalid",
                source=source,
                row=i,
            )
        columns = _split_milestone_columns(item.keys(), source, i, policy)
        milestones = {
            code: {part: item.get(col) for part, col in cols.items()}
            for code, cols in columns.items()
        }
        nested = item.get("milestones") or {}
        if not isinstance(nested, Mapping):
            raise InputError(
                f"{source}: row {i}, field milestones: expected an object {{code: {{due, done}}}}",
                code="object_invalid",
                source=source,
                row=i,
                field="milestones",
            )
        for code, pair in nested.items():
            if not isinstance(pair, Mapping) or set(pair) - {"due", "done"}:
                raise InputError(
                    f"{source}: row {i}, field milestones.{code}: expected {{due, done}}",
                    code="object_invalid",
                    source=source,
                    row=i,
                    field=f"milestones.{code}",
                )
            _split_milestone_columns([f"{code}_due"], source, i, policy)
            milestones[code] = dict(pair)
        yield i, item, milestones


def read_records(path: str | Path, policy: Policy | None = None) -> list[ComplaintRecord]:
    """Read an export: ``.csv`` (UTF-8, a header row; milestones as columns
    ``<code>_due`` / ``<code>_done``; several satisfaction answers separated by
    ``;``) or ``.json`` (a list of objects with the same fields; milestones
    also as ``"milestones": {code: {"due", "done"}}``). Dates are ISO-8601 with
    an offset. Bad data raises `InputError` naming the row and the field; with
    a ``policy`` categories, milestone codes and answers are checked too."""
    p = Path(path)
    source = p.name
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise InputError(
            f"{source}: unknown file type {suffix or '(none)'}; use .csv or .json",
            code="file_type_unknown",
            source=source,
        )
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise InputError(
            f"{source}: cannot read: {e.strerror}", code="file_unreadable", source=source
        ) from None
    except UnicodeDecodeError:
        raise InputError(
            f"{source}: not UTF-8 text", code="file_unreadable", source=source
        ) from None
    rows = (_rows_from_csv if suffix == ".csv" else _rows_from_json)(text, source, policy)
    records: list[ComplaintRecord] = []
    seen: dict[str, int] = {}
    for i, raw, milestones in rows:
        rec = _RowReader(source, i, policy).read(raw, milestones)
        if rec.number in seen:
            raise InputError(
                f"{source}: row {i}, field number: {rec.number} already in row {seen[rec.number]}",
                code="number_duplicate",
                source=source,
                row=i,
                field="number",
                value=rec.number,
            )
        seen[rec.number] = i
        records.append(rec)
    return records


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
class Summary:
    """The 投诉处理总结表 of a period: the figures of all complaints, plus the
    received counts by category, severity and channel."""

    start: datetime
    end: datetime
    timezone: str
    currency: str
    milestones: tuple[tuple[str, str, str], ...]
    figures: Figures
    by_category: Mapping[str, int]
    by_severity: Mapping[str, int]
    by_channel: Mapping[str, int]


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
        return f"{cat.name_zh} {cat.name}".strip()
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


def summary(
    records: Iterable[ComplaintRecord],
    start: datetime | date,
    end: datetime | date,
    policy: Policy,
    *,
    kinds: Iterable[Kind | str] = (Kind.COMPLAINT,),
) -> Summary:
    """SPEC §7 投诉处理总结表 for ``[start, end)`` (dates are midnight in the
    policy time zone): the figures of all complaints and the intake by
    category, severity and channel."""
    table = period_table(records, start, end, policy, "category", kinds=kinds)
    selected = _select(records, kinds)
    received = [r for r in selected if _within(r.received_at, table.start, table.end)]

    def count(by):
        keys = [r.group_key(by) for r in received]
        return MappingProxyType({k: keys.count(k) for k in _group_order(by, set(keys), policy)})

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
    )


# -- rendering -----------------------------------------------------------------


def _pct(rate: Decimal | None) -> str:
    if rate is None:
        return "—"
    return f"{(rate * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _rate_value(rate: Decimal | None) -> str | None:
    return None if rate is None else str(rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _columns(milestones) -> list[tuple[str, str]]:
    """(machine key, bilingual header) of every column after the group."""
    cols = [
        ("received", "受理 Received"),
        ("closed", "结案 Closed"),
        ("open", "未结 Open"),
        ("resolution_rate", "解决率 Resolved"),
    ]
    cols += [(f"on_time_{code}", f"{zh} {code} on time".strip()) for code, _, zh in milestones]
    cols += [
        ("mean_days_to_close", "平均天数 Mean days"),
        ("p90_days_to_close", "P90 days"),
        ("loss_amount", "损失 Loss"),
        ("remedy_cost", "处理费用 Remedy cost"),
        ("valid", "有效 Valid"),
        ("not_valid", "无效 Not valid"),
        ("recomplaints", "二次投诉 Re-complaints"),
        ("clusters", "重复 Clusters"),
        ("satisfaction_rate", "满意率 Satisfied"),
        ("defect_rate", "不良率 Defect rate"),
    ]
    return cols


def _cells(fig: Figures, milestones) -> dict[str, str]:
    """Display text of each column (text and HTML)."""
    out = {
        "received": str(fig.received),
        "closed": str(fig.closed),
        "open": str(fig.open),
        "resolution_rate": _pct(fig.resolution_rate),
    }
    for code, _, _ in milestones:
        o = fig.on_time.get(code, OnTime(0, 0))
        out[f"on_time_{code}"] = f"{o.on_time}/{o.counted} {_pct(o.rate)}" if o.counted else "—"
    for k in ("mean_days_to_close", "p90_days_to_close"):
        v = getattr(fig, k)
        out[k] = "—" if v is None else str(v)
    out.update(
        loss_amount=f"{fig.loss_amount:,.2f}",
        remedy_cost=f"{fig.remedy_cost:,.2f}",
        valid=str(fig.valid),
        not_valid=str(fig.not_valid),
        recomplaints=str(fig.recomplaints),
        clusters=str(fig.clusters),
        satisfaction_rate=_pct(fig.satisfaction_rate),
        defect_rate=_pct(fig.defect_rate),
    )
    return out


def _values(fig: Figures, milestones) -> dict[str, Any]:
    """Machine values of each column (CSV and JSON): ints, decimal texts, None."""
    out: dict[str, Any] = {
        "received": fig.received,
        "closed": fig.closed,
        "open": fig.open,
        "resolution_rate": _rate_value(fig.resolution_rate),
    }
    for code, _, _ in milestones:
        o = fig.on_time.get(code, OnTime(0, 0))
        out[f"on_time_{code}"] = {
            "on_time": o.on_time,
            "counted": o.counted,
            "rate": _rate_value(o.rate),
        }
    for k in ("mean_days_to_close", "p90_days_to_close"):
        v = getattr(fig, k)
        out[k] = None if v is None else str(v)
    out.update(
        loss_amount=str(fig.loss_amount),
        remedy_cost=str(fig.remedy_cost),
        valid=fig.valid,
        not_valid=fig.not_valid,
        recomplaints=fig.recomplaints,
        clusters=fig.clusters,
        satisfaction_rate=_rate_value(fig.satisfaction_rate),
        defect_rate=_rate_value(fig.defect_rate),
    )
    return out


def _title(table: StatsTable) -> str:
    return (
        f"{TITLE_ZH} / {TITLE_EN} {table.period} "
        f"(by {table.by}, {table.timezone}, amounts in {table.currency})"
    )


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) >= 0x1100 and not 0x2000 <= ord(ch) <= 0x206F else 1 for ch in text)


def _render_text(table: StatsTable) -> str:
    cols = _columns(table.milestones)
    head = [table.by] + [h for _, h in cols]
    body = [
        [f.label] + [_cells(f, table.milestones)[k] for k, _ in cols]
        for f in (*table.rows, table.total)
    ]
    widths = [max(_width(row[i]) for row in [head, *body]) for i in range(len(head))]

    def line(row):
        parts = [row[0] + " " * (widths[0] - _width(row[0]))]
        parts += [" " * (w - _width(c)) + c for c, w in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    rule = "-" * len(line(head))
    lines = [
        _title(table),
        rule,
        line(head),
        rule,
        *(line(r) for r in body[:-1]),
        rule,
        line(body[-1]),
    ]
    return "\n".join(lines) + "\n"


def _flat(values: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in values.items():
        if isinstance(v, Mapping):
            out[f"{k}_count"] = v["counted"]
            out[f"{k}_done"] = v["on_time"]
            out[f"{k}_rate"] = v["rate"]
        else:
            out[k] = v
    return out


def _render_csv(table: StatsTable) -> str:
    buf = io.StringIO()
    rows = [
        {"group": f.key, "label": f.label, **_flat(_values(f, table.milestones))}
        for f in (*table.rows, table.total)
    ]
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buf.getvalue()


def _render_json(table: StatsTable) -> str:
    def fig(f):
        return {"group": f.key, "label": f.label, **_values(f, table.milestones)}

    doc = {
        "title": f"{TITLE_ZH} / {TITLE_EN}",
        "month": table.period,
        "by": table.by,
        "timezone": table.timezone,
        "start": table.start.isoformat(),
        "end": table.end.isoformat(),
        "currency": table.currency,
        "milestones": [{"code": c, "name": n, "name_zh": z} for c, n, z in table.milestones],
        "rows": [fig(f) for f in table.rows],
        "total": fig(table.total),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_CSS = (
    "body{font-family:sans-serif}table{border-collapse:collapse;font-size:10pt}"
    "th,td{border:1px solid #444;padding:2px 6px}td.n{text-align:right}"
    "tfoot td{font-weight:bold}@page{size:A4 landscape;margin:1cm}"
)


def _render_html(table: StatsTable) -> str:
    e = html.escape
    cols = _columns(table.milestones)
    head = "".join(f"<th>{e(h)}</th>" for h in [table.by] + [h for _, h in cols])

    def row(f):
        cells = _cells(f, table.milestones)
        return (
            '<tr><th scope="row">'
            + e(f.label)
            + "</th>"
            + "".join(f'<td class="n">{e(cells[k])}</td>' for k, _ in cols)
            + "</tr>"
        )

    title = e(_title(table))
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>\n"
        f"<table>\n<caption>{title}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(row(f) for f in table.rows)
        + f"\n</tbody>\n<tfoot>{row(table.total)}</tfoot>\n</table>\n</body></html>\n"
    )


def _summary_lines(s: Summary) -> list[tuple[str, str]]:
    f = s.figures
    cells = _cells(f, s.milestones)
    lines = [("期间 Period", f"{s.start.isoformat()} .. {s.end.isoformat()} ({s.timezone})")]
    lines += [(h, cells[k]) for k, h in _columns(s.milestones)]
    for name, counts in (
        ("按分类 By category", s.by_category),
        ("按等级 By severity", s.by_severity),
        ("按渠道 By channel", s.by_channel),
    ):
        lines.append((name, ", ".join(f"{k} {v}" for k, v in counts.items()) or "—"))
    return lines


def _render_summary(s: Summary, fmt: str) -> str:
    title = f"{SUMMARY_TITLE_ZH} / {SUMMARY_TITLE_EN} (amounts in {s.currency})"
    lines = _summary_lines(s)
    if fmt == "json":
        doc = {
            "title": title,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "timezone": s.timezone,
            "currency": s.currency,
            **_values(s.figures, s.milestones),
            "by_category": dict(s.by_category),
            "by_severity": dict(s.by_severity),
            "by_channel": dict(s.by_channel),
        }
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["item", "value"])
        writer.writerows(lines)
        return buf.getvalue()
    if fmt == "html":
        e = html.escape
        body = "\n".join(f'<tr><th scope="row">{e(k)}</th><td>{e(v)}</td></tr>' for k, v in lines)
        return (
            f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{e(title)}</title><style>{_CSS}</style></head><body>\n<table>\n"
            f"<caption>{e(title)}</caption>\n<tbody>\n{body}\n</tbody>\n</table>\n"
            "</body></html>\n"
        )
    width = max(_width(k) for k, _ in lines)
    return "\n".join([title] + [k + " " * (width - _width(k)) + "  " + v for k, v in lines]) + "\n"


def render(table: StatsTable | Summary, fmt: str = "text") -> str:
    """A table (or a summary) as ``text`` (aligned columns), ``csv``, ``json``
    or ``html`` (escaped, a printable page)."""
    if fmt not in FORMATS:
        raise InputError(
            f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}",
            code="format_unknown",
            value=str(fmt),
        )
    if isinstance(table, Summary):
        return _render_summary(table, fmt)
    return {"text": _render_text, "csv": _render_csv, "json": _render_json, "html": _render_html}[
        fmt
    ](table)


__all__ = [
    "FORMATS",
    "GROUPINGS",
    "ComplaintRecord",
    "Figures",
    "OnTime",
    "StatsTable",
    "Summary",
    "is_dissatisfied",
    "month_bounds",
    "monthly_table",
    "percentile",
    "period_table",
    "read_records",
    "render",
    "satisfaction_rate",
    "summary",
]
