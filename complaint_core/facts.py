"""Reading a complaint's facts from JSON (the `complaints assess` input).

The shell's job, kept out of the rules: every field is checked, an unknown
field is an error (nothing is silently dropped), and every problem names the
field it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from .errors import InputError
from .model import (
    Channel,
    Complaint,
    Customer,
    Kind,
    PriorComplaint,
    Remedy,
    RemedyType,
    RequestType,
    to_decimal,
)
from .policy import START_EVENTS, Policy

FIELDS = {
    "number",
    "kind",
    "request_type",
    "category",
    "channel",
    "received_at",
    "customer",
    "product",
    "injury",
    "media_exposure",
    "litigation",
    "unauthorized_promise",
    "service_not_delivered",
    "repeated_complaints",
    "facility_unmaintained",
    "recomplaint",
    "may_spread",
    "not_company_fault",
    "company_fault",
    "departments",
    "customer_loss",
    "prior_complaints",
    "remedies",
    "closed_at",
    "paused",
    "authority_deadline",
    "manual_level",
    "events",
    "done",
}
# The years a date-time of a complaint may fall in: outside this window it is a
# typing error, and calendar arithmetic near year 1 or 9999 would overflow.
# complaint_core.intake checks against the same window.
FIRST_YEAR, LAST_YEAR = 1970, 2200
# The largest amount (money, quantity) a fact may carry: beyond it a number is
# a typing error, and Decimal arithmetic on it could overflow.
MAX_AMOUNT = Decimal(10) ** 15
FLAGS = (
    "injury",
    "media_exposure",
    "litigation",
    "unauthorized_promise",
    "service_not_delivered",
    "facility_unmaintained",
    "recomplaint",
    "may_spread",
    "not_company_fault",
    "company_fault",
)


@dataclass(frozen=True)
class Facts:
    """A complaint plus what happened to it so far (milestone events, done times)."""

    complaint: Complaint
    events: Mapping[str, datetime] = field(default_factory=dict)
    done: Mapping[str, datetime] = field(default_factory=dict)


def parse_instant(value: Any, where: str) -> datetime:
    """An ISO-8601 date-time with an offset; anything else is an InputError."""
    if not isinstance(value, str):
        raise InputError(
            f"{where}: expected an ISO-8601 date-time text, got {value!r}",
            code="datetime_invalid",
            field=where,
        )
    try:
        t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{where}: cannot read date-time {value!r} (expected e.g. 2026-09-30T16:30:00+08:00)",
            code="datetime_invalid",
            field=where,
            value=value,
        ) from None
    if t.tzinfo is None:
        raise InputError(
            f"{where}: date-time {value!r} has no UTC offset (add one, e.g. +08:00)",
            code="datetime_naive",
            field=where,
            value=value,
        )
    check_year(t, where)
    return t


def check_year(t, where: str) -> None:
    """InputError ``datetime_out_of_range`` for a date or date-time outside
    FIRST_YEAR..LAST_YEAR (its own local year)."""
    if not FIRST_YEAR <= t.year <= LAST_YEAR:
        raise InputError(
            f"{where}: {t.isoformat()} is out of range; a date must fall in the "
            f"years {FIRST_YEAR}-{LAST_YEAR}",
            code="datetime_out_of_range",
            field=where,
            value=t.isoformat(),
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )


def _text(value, where, *, numbers: bool = False, optional: bool = False) -> str | None:
    """A text field (ids and numbers may also be given as whole numbers)."""
    if value is None and optional:
        return None
    if isinstance(value, str):
        return value
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:  # more digits than Python converts
            pass
    raise InputError(
        f"{where}: expected a text, got {_show(value)}",
        code="type_invalid",
        field=where,
        expected="text",
        value=_show(value),
    )


def _show(value) -> str:
    """A short, safe rendering of any JSON value for a message."""
    try:
        text = repr(value)
    except ValueError:  # an int with more digits than Python converts
        text = "a very large number"
    return text if len(text) <= 60 else text[:57] + "..."


def _amount(value, where, *, optional: bool = False) -> Decimal | None:
    """A money amount or quantity: a finite number within +-MAX_AMOUNT."""
    if value is None and optional:
        return None
    if isinstance(value, list | dict) or (isinstance(value, int) and value.bit_length() > 4000):
        # (model.to_decimal cannot even show an int with more digits than Python converts)
        raise InputError(
            f"{where}: expected a number, got {_show(value)}",
            code="number_invalid",
            field=where,
            value=_show(value),
        )
    try:
        d = to_decimal(value, where)
    except InputError:
        raise InputError(
            f"{where}: expected a number, got {_show(value)}",
            code="number_invalid",
            field=where,
            value=_show(value),
        ) from None
    if abs(d) > MAX_AMOUNT:
        raise InputError(
            f"{where}: {_show(value)} is out of range (at most {MAX_AMOUNT:,})",
            code="number_out_of_range",
            field=where,
            value=_show(value),
            maximum=str(MAX_AMOUNT),
        )
    return d


def _enum(enum, value, where):
    try:
        if not isinstance(value, str):
            raise ValueError
        return enum(value)
    except ValueError:
        raise InputError(
            f"{where}: unknown value {_show(value)}; use one of "
            + ", ".join(e.value for e in enum),
            code="value_unknown",
            field=where,
            value=_show(value),
        ) from None


def _flag(value, where) -> bool:
    if not isinstance(value, bool):
        raise InputError(
            f"{where}: expected true or false, got {_show(value)}", code="flag_invalid", field=where
        )
    return value


def _list(value, where) -> list:
    if not isinstance(value, list):
        raise InputError(
            f"{where}: expected a list, got {_show(value)}", code="list_invalid", field=where
        )
    return value


def _obj(value, where, known: set[str]) -> Mapping:
    if not isinstance(value, Mapping):
        raise InputError(
            f"{where}: expected an object, got {_show(value)}", code="object_invalid", field=where
        )
    unknown = sorted(set(value) - known)
    if unknown:
        names = ", ".join(n if n.isidentifier() else _show(n) for n in unknown)
        raise InputError(
            f"{where}: unknown field(s) {names}; known: " + ", ".join(sorted(known)),
            code="field_unknown",
            field=where,
            value=names,
        )
    return value


CUSTOMER_FIELDS = {"id", "vip", "name"}
PRIOR_FIELDS = {"customer_id", "product", "category", "received_at", "number"}
REMEDY_FIELDS = {
    "type",
    "amount",
    "currency",
    "discount_percent",
    "quantity",
    "reason",
    "description",
}


def facts_from_json(data: Any, policy: Policy, where: str = "complaint") -> Facts:
    """Build the Facts of one complaint from a decoded JSON object.

    The fields are checked in a fixed order (the first problem found is the
    one raised): the object, received_at present, category, customer object,
    prior complaints, remedies, pauses, departments, the numbers, then the
    complaint's own fields, flags and the events/done times."""
    d = _obj(data, where, FIELDS)
    if "received_at" not in d:
        raise InputError(
            f"{where}.received_at: missing", code="field_missing", field=f"{where}.received_at"
        )
    category = _category(d.get("category"), policy, f"{where}.category")
    customer = _obj(d.get("customer", {}), f"{where}.customer", CUSTOMER_FIELDS)
    complaint = Complaint(
        category=category,
        prior_complaints=_priors(d.get("prior_complaints", []), f"{where}.prior_complaints"),
        remedies=_remedies(d.get("remedies", []), policy, f"{where}.remedies"),
        paused=_paused(d.get("paused", []), f"{where}.paused"),
        departments=_departments(d.get("departments", []), f"{where}.departments"),
        **_numbers(d, where),
        **_identity(d, customer, where),
        **_times(d, where),
        **{k: _flag(d[k], f"{where}.{k}") for k in FLAGS if k in d},
    )
    events = _instants(d.get("events", {}), set(START_EVENTS), f"{where}.events")
    done = _instants(d.get("done", {}), {m.code for m in policy.sla.milestones}, f"{where}.done")
    return Facts(complaint, events, done)


def _category(value, policy: Policy, where: str) -> str | None:
    """The category code, one of the policy's (or None)."""
    category = _text(value, where, optional=True)
    if category is not None:
        try:
            policy.check_category(category)
        except InputError as e:
            raise InputError(
                f"{where}: {e.message}", code=e.code, **{**e.params, "field": where}
            ) from None
    return category


def _priors(value, where: str) -> tuple[PriorComplaint, ...]:
    """The customer's earlier complaints (SPEC §2 repeat rules)."""
    priors = []
    for i, p in enumerate(_list(value, where)):
        pw = f"{where}[{i}]"
        p = _obj(p, pw, PRIOR_FIELDS)
        priors.append(
            PriorComplaint(
                customer_id=_text(p.get("customer_id", ""), f"{pw}.customer_id", numbers=True),
                product=_text(p.get("product"), f"{pw}.product", optional=True),
                category=_text(p.get("category"), f"{pw}.category", optional=True),
                received_at=parse_instant(p.get("received_at"), f"{pw}.received_at"),
                number=_text(p.get("number", ""), f"{pw}.number", numbers=True),
            )
        )
    return tuple(priors)


def _remedies(value, policy: Policy, where: str) -> tuple[Remedy, ...]:
    """The proposed remedies; an amount without a currency is in the policy's."""
    remedies = []
    for i, r in enumerate(_list(value, where)):
        rw = f"{where}[{i}]"
        r = _obj(r, rw, REMEDY_FIELDS)
        if "type" not in r:
            raise InputError(f"{rw}.type: missing", code="field_missing", field=f"{rw}.type")
        remedies.append(
            Remedy(
                type=_enum(RemedyType, r["type"], f"{rw}.type"),
                amount=_amount(r.get("amount"), f"{rw}.amount"),
                currency=_text(r.get("currency", policy.currency), f"{rw}.currency"),
                discount_percent=_amount(
                    r.get("discount_percent"), f"{rw}.discount_percent", optional=True
                ),
                quantity=_amount(r.get("quantity"), f"{rw}.quantity", optional=True),
                reason=_text(r.get("reason", ""), f"{rw}.reason"),
                description=_text(r.get("description", ""), f"{rw}.description"),
            )
        )
    return tuple(remedies)


def _paused(value, where: str) -> tuple[tuple[datetime, datetime], ...]:
    """The paused spans, each ``[from, to]``."""
    paused = []
    for i, span in enumerate(_list(value, where)):
        pw = f"{where}[{i}]"
        if not isinstance(span, list) or len(span) != 2:
            raise InputError(
                f"{pw}: expected [from, to], got {_show(span)}", code="pause_invalid", field=pw
            )
        paused.append((parse_instant(span[0], f"{pw}[0]"), parse_instant(span[1], f"{pw}[1]")))
    return tuple(paused)


def _departments(value, where: str) -> tuple[str, ...]:
    return tuple(_text(x, f"{where}[{i}]", numbers=True) for i, x in enumerate(_list(value, where)))


def _numbers(d: Mapping, where: str) -> dict[str, Any]:
    """repeated_complaints, manual_level and customer_loss, each range-checked."""
    repeated = d.get("repeated_complaints", 0)
    if not isinstance(repeated, int) or isinstance(repeated, bool) or repeated < 0:
        raise InputError(
            f"{where}.repeated_complaints: expected a whole number of at least 0, "
            f"got {_show(repeated)}",
            code="number_invalid",
            field=f"{where}.repeated_complaints",
            value=_show(repeated),
        )
    manual = d.get("manual_level")
    if manual is not None and (
        not isinstance(manual, int) or isinstance(manual, bool) or not 1 <= manual <= 4
    ):
        raise InputError(
            f"{where}.manual_level: expected 1, 2, 3 or 4, got {_show(manual)}",
            code="level_invalid",
            field=f"{where}.manual_level",
        )
    loss = _amount(d.get("customer_loss"), f"{where}.customer_loss")
    if loss < 0:
        raise InputError(
            f"{where}.customer_loss: a loss must not be negative, got {loss}",
            code="number_invalid",
            field=f"{where}.customer_loss",
            value=str(loss),
        )
    return {"repeated_complaints": repeated, "manual_level": manual, "customer_loss": loss}


def _identity(d: Mapping, customer: Mapping, where: str) -> dict[str, Any]:
    """When, what kind, by which channel, from whom, about what."""
    request_type = d.get("request_type")
    return {
        "received_at": parse_instant(d["received_at"], f"{where}.received_at"),
        "kind": _enum(Kind, d.get("kind", "complaint"), f"{where}.kind"),
        "request_type": (
            _enum(RequestType, request_type, f"{where}.request_type") if request_type else None
        ),
        "channel": _enum(Channel, d.get("channel", "phone"), f"{where}.channel"),
        "customer": Customer(
            id=_text(customer.get("id", ""), f"{where}.customer.id", numbers=True),
            vip=_flag(customer.get("vip", False), f"{where}.customer.vip"),
            name=_text(customer.get("name", ""), f"{where}.customer.name"),
        ),
        "product": _text(d.get("product"), f"{where}.product", optional=True),
        "number": _text(d.get("number", ""), f"{where}.number", numbers=True),
    }


def _times(d: Mapping, where: str) -> dict[str, datetime | None]:
    """closed_at and authority_deadline, each optional."""
    return {
        key: parse_instant(d[key], f"{where}.{key}") if d.get(key) is not None else None
        for key in ("closed_at", "authority_deadline")
    }


def _instants(value, allowed: set[str], where: str) -> dict[str, datetime]:
    """An object of named date-times (the events, the done times)."""
    raw = _obj(value, where, allowed)
    return {name: parse_instant(t, f"{where}.{name}") for name, t in raw.items()}
