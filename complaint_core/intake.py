"""Checks of a complaint's intake facts (SPEC §1, the registration form), for the
Odoo addon to call on create and write.

`check_intake` looks at every value it is given and raises one `FactsError`
listing *every* problem found, each located at the caller's own field name,
with a stable code and the params of its message (see docs/core-api.md,
"Intake checks"). A value of the wrong type is a problem too, never an
exception. No Odoo import, no clock: the caller passes ``now``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from .errors import FactsError, Problem
from .facts import FIRST_YEAR, LAST_YEAR
from .policy import IntakePolicy, Policy

PERCENT_MIN, PERCENT_MAX = Decimal(0), Decimal(100)


@dataclass(frozen=True)
class IntakeFacts:
    """What a registration form says; every value is optional. Keys of the
    mappings are the caller's field names, used as the problems' locations."""

    received_at: datetime | None = None  # aware
    registered_at: datetime | None = None  # aware; None before create
    first_contact_at: datetime | None = None  # aware
    other_times: Mapping[str, datetime] = field(default_factory=dict)  # site_visit_at, ...
    dates: Mapping[str, date] = field(default_factory=dict)  # purchase_date, ship_date, ...
    amounts: Mapping[str, Decimal] = field(default_factory=dict)  # must be >= 0
    quantity: Decimal | None = None
    defective_quantity: Decimal | None = None
    # the defective quantity split as on the registration form (已使用 / 未使用)
    defective_used: Decimal | None = None
    defective_unused: Decimal | None = None
    percents: Mapping[str, Decimal] = field(default_factory=dict)  # within 0..100
    texts: Mapping[str, str] = field(default_factory=dict)  # no NUL bytes


class _Checker:
    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, where: str, code: str, message: str, **params) -> None:
        self.problems.append(Problem(where, message, code, {"field": where, **params}))

    def type_invalid(self, where: str, expected: str, value) -> None:
        self.add(
            where,
            "type_invalid",
            f"expected {expected}, got {_show(value)}",
            expected=expected,
            value=_show(value),
        )

    def mapping(self, value, where: str) -> list[tuple[str, object]]:
        if value is None:
            return []
        if not isinstance(value, Mapping):
            self.type_invalid(where, "a mapping of field names to values", value)
            return []
        return [(str(k), v) for k, v in value.items()]

    def in_window(self, where: str, value: date) -> bool:
        if FIRST_YEAR <= value.year <= LAST_YEAR:
            return True
        self.add(
            where,
            "datetime_out_of_range",
            f"{value.isoformat()} is out of range; a date must fall in the years "
            f"{FIRST_YEAR}-{LAST_YEAR}",
            value=value.isoformat(),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
        return False

    def instant(self, where: str, value) -> datetime | None:
        """An aware date-time within the window, or None (after a problem)."""
        if value is None:
            return None
        if not isinstance(value, datetime):
            self.type_invalid(where, "a date-time with a time zone", value)
            return None
        try:
            offset = value.utcoffset()
        except (ValueError, TypeError):
            offset = None
        if offset is None:
            self.add(
                where,
                "datetime_naive",
                f"date-time {value.isoformat()} has no time zone",
                value=value.isoformat(),
            )
            return None
        return value if self.in_window(where, value) else None

    def day(self, where: str, value) -> date | None:
        if value is None:
            return None
        if not isinstance(value, date):
            self.type_invalid(where, "a date", value)
            return None
        return value if self.in_window(where, value) else None

    def number(self, where: str, value) -> Decimal | None:
        """A finite number as Decimal, or None (after a problem)."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.type_invalid(where, "a number", value)
            return None
        try:
            d = value if isinstance(value, Decimal) else Decimal(str(value))
        except (InvalidOperation, ValueError):  # an int with more digits than Python converts
            d = None
        if d is None or not d.is_finite():
            self.add(
                where,
                "number_invalid",
                f"{_show(value)} is not a finite number",
                value=_show(value),
            )
            return None
        return d

    def not_negative(self, where: str, value) -> Decimal | None:
        d = self.number(where, value)
        if d is not None and d < 0:
            self.add(where, "negative", f"must not be negative, got {_num(d)}", value=_num(d))
            return None
        return d


def _show(value) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int with more digits than Python converts
        text = "a very large number"
    except Exception:  # a caller's object whose repr fails: still one problem, not a crash
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def _num(d: Decimal) -> str:
    text = f"{d:f}" if abs(d.adjusted()) < 30 else str(d)
    return text if len(text) <= 40 else str(d)


def check_intake(facts: IntakeFacts, now: datetime, policy: Policy) -> None:
    """Raise `FactsError` with every problem of ``facts`` (nothing when all is well).

    ``now`` is the caller's clock (aware); ``policy.intake.clock_skew`` is how far
    a received-at time may lie after it."""
    c = _Checker()
    if not isinstance(facts, IntakeFacts):
        c.type_invalid("facts", "IntakeFacts", facts)
        raise FactsError(c.problems)
    clock = c.instant("now", now)
    received = c.instant("received_at", facts.received_at)
    registered = c.instant("registered_at", facts.registered_at)
    contact = c.instant("first_contact_at", facts.first_contact_at)
    for name, value in c.mapping(facts.other_times, "other_times"):
        c.instant(name, value)
    for name, value in c.mapping(facts.dates, "dates"):
        c.day(name, value)

    skew = getattr(getattr(policy, "intake", None), "clock_skew", IntakePolicy().clock_skew)
    if not isinstance(skew, timedelta):
        skew = IntakePolicy().clock_skew
    if received is not None and clock is not None and received > clock + skew:
        c.add(
            "received_at",
            "received_in_future",
            f"{received.isoformat()} is later than now ({clock.isoformat()}, "
            f"allowing {_skew(skew)} of clock difference)",
            value=received.isoformat(),
            now=clock.isoformat(),
            skew=_skew(skew),
        )
    if contact is not None:
        # the latest of the moments the first contact may not precede
        before = [
            (t, name)
            for t, name in ((registered, "registered_at"), (received, "received_at"))
            if t is not None and contact < t
        ]
        if before:
            t, name = max(before, key=lambda x: x[0])
            c.add(
                "first_contact_at",
                "before_registration",
                f"{contact.isoformat()} is earlier than {name} {t.isoformat()}",
                value=contact.isoformat(),
                reference=name,
                reference_value=t.isoformat(),
            )

    _check_numbers(c, facts)
    _check_texts(c, facts)
    if c.problems:
        raise FactsError(c.problems)


def _check_numbers(c: _Checker, facts: IntakeFacts) -> None:
    for name, value in c.mapping(facts.amounts, "amounts"):
        c.not_negative(name, value)
    quantity = c.not_negative("quantity", facts.quantity)
    defective = c.not_negative("defective_quantity", facts.defective_quantity)
    if quantity is not None and defective is not None and defective > quantity:
        what = (
            "a defective quantity needs a quantity"
            if quantity == 0
            else "the defective quantity exceeds the quantity"
        )
        c.add(
            "defective_quantity",
            "defective_exceeds_quantity",
            f"{what} ({_num(defective)} defective of {_num(quantity)})",
            defective=_num(defective),
            quantity=_num(quantity),
        )
    used = c.not_negative("defective_used", facts.defective_used)
    unused = c.not_negative("defective_unused", facts.defective_unused)
    split = (used or Decimal(0)) + (unused or Decimal(0))
    if (used is not None or unused is not None) and split > (defective or Decimal(0)):
        c.add(
            "defective_used" if used is not None else "defective_unused",
            "defective_split_exceeds",
            f"used + unused ({_num(split)}) exceeds the defective quantity "
            f"({_num(defective or Decimal(0))})",
            split=_num(split),
            defective=_num(defective or Decimal(0)),
        )

    for name, value in c.mapping(facts.percents, "percents"):
        d = c.number(name, value)
        if d is not None and not PERCENT_MIN <= d <= PERCENT_MAX:
            c.add(
                name,
                "percent_out_of_range",
                f"must be within 0-100 %, got {_num(d)}",
                value=_num(d),
                minimum=PERCENT_MIN,
                maximum=PERCENT_MAX,
            )


def _check_texts(c: _Checker, facts: IntakeFacts) -> None:
    for name, value in c.mapping(facts.texts, "texts"):
        if value is None:
            continue
        if not isinstance(value, str):
            c.type_invalid(name, "a text", value)
        elif "\x00" in value:
            c.add(
                name,
                "nul_byte",
                f"contains a NUL byte (\\x00) at position {value.index(chr(0))}",
                position=value.index("\x00"),
            )


def _skew(skew: timedelta) -> str:
    minutes = int(skew.total_seconds() // 60)
    return f"{minutes // 60}h" if minutes and minutes % 60 == 0 else f"{minutes}m"
