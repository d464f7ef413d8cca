"""Reading an export of complaint records (CSV or JSON) into `ComplaintRecord`
values, and writing records as such a JSON export: the only file I/O of the
statistics. Every problem is an `InputError` naming the file, the row and the
field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import FINAL_STATES, Channel, Kind, State
from ..policy import Policy
from .figures import PROCESS_LINKS, ComplaintRecord, check_answer

_LEVELS = (1, 2, 3, 4)
_TEXT_FIELDS = ("number", "category", "product", "batch", "department", "handler")
_BOOL_FIELDS = ("valid", "recomplaint", "cluster", "quality")
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
    "working_hours_to_close",
    "quality",
    "process_link",
    "countermeasures",
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
                    check_answer(answer, self.policy)
                except InputError as e:
                    self.fail(fld, e.message, e.code, value)
            out.append(answer)
        return tuple(out)

    def process_link(self, value: Any, fld: str) -> str | None:
        if self.blank(value):
            return None
        text = str(value).strip()
        if text not in PROCESS_LINKS:
            self.fail(
                fld,
                f"unknown {fld} {value!r}; use one of " + ", ".join(PROCESS_LINKS),
                "value_unknown",
                value,
            )
        return text

    def countermeasures(self, value: Any, fld: str) -> tuple[tuple[str, str], ...]:
        """A list of ``{"problem", "countermeasure"}`` objects or of
        ``[problem, countermeasure]`` pairs (in a CSV cell: that list as JSON)."""
        if self.blank(value):
            return ()
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                self.fail(
                    fld,
                    f"expected a JSON list of {{problem, countermeasure}} objects, got {value!r}",
                    "countermeasure_invalid",
                    value,
                )
        if not isinstance(value, list):
            self.fail(
                fld,
                f"expected a list of {{problem, countermeasure}} objects, got {value!r}",
                "countermeasure_invalid",
                value,
            )
        out = []
        for item in value:
            if isinstance(item, Mapping) and set(item) <= {"problem", "countermeasure"}:
                pair = (item.get("problem"), item.get("countermeasure"))
            elif isinstance(item, list) and len(item) == 2:
                pair = tuple(item)
            else:
                pair = None
            if pair is None or not all(isinstance(p, str) or p is None for p in pair):
                self.fail(
                    fld,
                    f"expected {{problem, countermeasure}} texts, got {item!r}",
                    "countermeasure_invalid",
                    value,
                )
            out.append(tuple("" if p is None else p for p in pair))
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
            working_hours_to_close=self.number(
                raw.get("working_hours_to_close"), "working_hours_to_close"
            ),
            quality=bool(self.flag(raw.get("quality"), "quality")),
            process_link=self.process_link(raw.get("process_link"), "process_link"),
            countermeasures=self.countermeasures(raw.get("countermeasures"), "countermeasures"),
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


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "value"):  # Kind, Channel, State
        return value.value
    return value


def record_to_dict(record: ComplaintRecord) -> dict[str, Any]:
    """One record as the JSON object `read_records` reads (every field, ``None``
    as null; amounts and hours as decimal texts, instants ISO-8601 with offset)."""
    out = {f: _json_value(getattr(record, f)) for f in COLUMNS}
    out["satisfaction"] = list(record.satisfaction)
    out["countermeasures"] = [
        {"problem": p, "countermeasure": c} for p, c in record.countermeasures
    ]
    out["milestones"] = {
        code: {"due": _json_value(due), "done": _json_value(done)}
        for code, (due, done) in record.milestones.items()
        if due is not None or done is not None
    }
    return out


def records_to_json(records: Iterable[ComplaintRecord], *, source: str = "records") -> str:
    """The records as a JSON export that `read_records` reads back to equal
    records (milestones included; the one normalisation is the reader's: a
    not-valid state with ``valid`` undetermined reads back as not valid, SPEC
    §1). A record the reader would refuse (a closing
    time in an open state, a duplicate number, ...) raises the reader's
    `InputError` here, naming the record, and nothing is written."""
    items = []
    seen: dict[str, int] = {}
    for i, record in enumerate(records, start=1):
        if not isinstance(record, ComplaintRecord):
            raise InputError(
                f"{source}: row {i}: expected a ComplaintRecord, got {record!r}",
                code="object_invalid",
                source=source,
                row=i,
            )
        item = record_to_dict(record)
        _RowReader(source, i, None).read(item, item["milestones"])
        if record.number in seen:
            raise InputError(
                f"{source}: row {i}, field number: {record.number} already in row "
                f"{seen[record.number]}",
                code="number_duplicate",
                source=source,
                row=i,
                field="number",
                value=record.number,
            )
        seen[record.number] = i
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def write_records(records: Iterable[ComplaintRecord], path: str | Path) -> Path:
    """Write `records_to_json` of the records to ``path`` (UTF-8; a ``.json``
    name); the file is only written once every record is known good."""
    p = Path(path)
    if p.suffix.lower() != ".json":
        raise InputError(
            f"{p.name}: write records to a .json file", code="file_type_unknown", source=p.name
        )
    text = records_to_json(records, source=p.name)
    try:
        p.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(
            f"{p.name}: cannot write: {e.strerror}", code="file_unwritable", source=p.name
        ) from None
    return p
