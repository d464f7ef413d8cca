"""Value types of the complaint core: the facts of a complaint and its vocabulary.

Frozen dataclasses and string enums (stable keys shared with the Odoo addon's
selection fields). Datetimes are timezone-aware everywhere; money is Decimal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .errors import InputError


class _Str(StrEnum):
    """String enums whose values are the stable keys shared with the addon."""


class Kind(_Str):
    """SPEC §1 feedback kinds (反馈类型)."""

    COMPLAINT = "complaint"
    REQUEST = "request"
    SUGGESTION = "suggestion"


class RequestType(_Str):
    HELP = "help"
    ENQUIRY = "enquiry"
    VENTING = "venting"


class Channel(_Str):
    """SPEC §1 channels (投诉方式); the last three are *transferred* cases."""

    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"
    LETTER = "letter"
    WEB = "web"
    SOCIAL_MEDIA = "social_media"
    SALES_VISIT = "sales_visit"
    DEALER = "dealer"
    REGULATOR = "regulator"
    CONSUMER_ASSOCIATION = "consumer_association"
    MEDIA = "media"

    @property
    def transferred(self) -> bool:
        return self in TRANSFERRED_CHANNELS


TRANSFERRED_CHANNELS = frozenset({Channel.REGULATOR, Channel.CONSUMER_ASSOCIATION, Channel.MEDIA})


class State(_Str):
    """SPEC §4 states, in order, then the side exits."""

    REGISTERED = "registered"
    TRIAGED = "triaged"
    INVESTIGATING = "investigating"
    DETERMINED = "determined"
    REMEDY_PROPOSED = "remedy_proposed"
    APPROVED = "approved"
    REPLIED = "replied"
    REMEDY_DONE = "remedy_done"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"
    NOT_VALID = "not_valid"
    WITHDRAWN = "withdrawn"


FINAL_STATES = frozenset({State.CLOSED, State.NOT_VALID, State.WITHDRAWN})
OPEN_STATES = frozenset(State) - FINAL_STATES


class Finding(_Str):
    """SPEC §4 responsibility finding (责任界定)."""

    QUALITY = "quality"
    MISUSE = "misuse"
    UNDETERMINED = "undetermined"


class RemedyType(_Str):
    """SPEC §4 remedies (处理方式)."""

    RETURN = "return"
    EXCHANGE = "exchange"
    DISCOUNT = "discount"
    FREE_REPAIR = "free_repair"
    CREDIT = "credit"
    CASH = "cash"
    GIFT = "gift"
    APOLOGY = "apology"
    OTHER = "other"


class Role(_Str):
    """SPEC §8 roles; approval authority levels are policy data, not roles."""

    SALES_REP = "sales_rep"
    HANDLER = "handler"
    QUALITY = "quality"
    MANAGER = "manager"
    ADMIN = "admin"
    AUDITOR = "auditor"
    # the customer, acting through the portal or a signed link (accepts or rejects
    # the remedy, answers the follow-up); holds no internal role
    CUSTOMER = "customer"


class SlaStatus(_Str):
    """SPEC §3 milestone status."""

    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    BREACHED = "breached"
    DONE = "done"  # done on time
    DONE_LATE = "done_late"
    NOT_STARTED = "not_started"


class Unit(_Str):
    """SPEC §3 units of a time limit."""

    WORKING_HOURS = "wh"
    WORKING_DAYS = "wd"
    HOURS = "h"
    DAYS = "d"


_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(wh|wd|h|d)\s*$")


@dataclass(frozen=True, order=True)
class Duration:
    """A time limit: ``amount`` of ``unit``. Hours may be fractional."""

    amount: Decimal
    unit: Unit

    @classmethod
    def parse(cls, text: str | Duration) -> Duration:
        """Parse ``"2wh"``, ``"3wd"``, ``"24h"``, ``"15d"``, ``"1.5wh"``."""
        if isinstance(text, Duration):
            return text
        m = _DURATION_RE.match(str(text))
        if not m:
            raise InputError(
                f"invalid duration {text!r}: expected a number and a unit wh, wd, h or d "
                f"(e.g. 2wh, 3wd, 24h, 15d)",
                code="duration_invalid",
                value=str(text),
            )
        amount, unit = Decimal(m.group(1)), Unit(m.group(2))
        if unit in (Unit.WORKING_DAYS, Unit.DAYS) and amount != amount.to_integral_value():
            raise InputError(
                f"invalid duration {text!r}: days must be whole numbers",
                code="duration_invalid",
                value=str(text),
            )
        return cls(amount, unit)

    @property
    def minutes(self) -> int:
        """Length in minutes for ``h``/``wh``/``d`` (``wd`` has no fixed length)."""
        if self.unit is Unit.WORKING_DAYS:
            raise ValueError("working days have no fixed length in minutes")
        per = 1440 if self.unit is Unit.DAYS else 60
        return int((self.amount * per).to_integral_value())

    def __str__(self) -> str:
        a = self.amount.normalize()
        return f"{a:f}{self.unit.value}"


def to_decimal(value, what: str = "amount") -> Decimal:
    """Money and quantities are Decimal; floats are taken via their text.
    NaN and infinities are refused: no rule can compare them (a NaN loss
    would make ``loss >= threshold`` raise deep inside a rule)."""
    if value is None or value == "":
        return Decimal(0)
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        d = None
    if d is None or not d.is_finite() or isinstance(value, bool):
        raise InputError(
            f"invalid {what} {value!r}: expected a number",
            code="number_invalid",
            field=what,
            value=str(value),
        )
    return d


def require_aware(value: datetime, what: str = "datetime") -> datetime:
    """No naive datetime crosses the core's boundary."""
    if not isinstance(value, datetime):
        raise InputError(
            f"{what} must be a datetime, got {value!r}", code="datetime_invalid", field=what
        )
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(
            f"{what} {value.isoformat()} has no time zone", code="datetime_naive", field=what
        )
    return value


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = "CNY"


@dataclass(frozen=True)
class Customer:
    id: str
    vip: bool = False
    name: str = ""


@dataclass(frozen=True)
class PriorComplaint:
    """A earlier complaint, as needed for repeat clusters (SPEC §2)."""

    customer_id: str
    product: str | None
    category: str | None
    received_at: datetime
    number: str = ""


@dataclass(frozen=True)
class Remedy:
    """One remedy line (SPEC §4). ``amount`` is its cost to the company in the
    company currency; ``reason`` is required for cash compensation."""

    type: RemedyType
    amount: Decimal = Decimal(0)
    currency: str = "CNY"
    discount_percent: Decimal | None = None
    quantity: Decimal | None = None
    reason: str = ""
    description: str = ""


@dataclass(frozen=True)
class Complaint:
    """The facts of one complaint, as the rules need them (SPEC §1–2).

    Only ``received_at`` is mandatory; everything else has a neutral default,
    so a caller passes what it knows.
    """

    received_at: datetime
    kind: Kind = Kind.COMPLAINT
    request_type: RequestType | None = None
    category: str | None = None
    channel: Channel = Channel.PHONE
    customer: Customer = field(default_factory=lambda: Customer(id=""))
    product: str | None = None
    number: str = ""
    state: State = State.REGISTERED
    # severity criteria (SPEC §2)
    injury: bool = False
    media_exposure: bool = False
    litigation: bool = False
    unauthorized_promise: bool = False
    service_not_delivered: bool = False
    repeated_complaints: int = 0  # how often the customer complained about it
    facility_unmaintained: bool = False
    recomplaint: bool = False
    may_spread: bool = False
    not_company_fault: bool = False
    departments: tuple[str, ...] = ()
    customer_loss: Decimal = Decimal(0)
    prior_complaints: tuple[PriorComplaint, ...] = ()
    # remedies and closing
    remedies: tuple[Remedy, ...] = ()
    closed_at: datetime | None = None
    paused: tuple[tuple[datetime, datetime], ...] = ()
    authority_deadline: datetime | None = None  # transferred cases (SPEC §3)
    manual_level: int | None = None  # a person's raise/lower (SPEC §2)
    company_fault: bool = True  # escalation by age only when the delay is ours

    def __post_init__(self):
        require_aware(self.received_at, "received_at")
        if self.closed_at is not None:
            require_aware(self.closed_at, "closed_at")
        for start, end in self.paused:
            require_aware(start, "paused from")
            require_aware(end, "paused to")
            if end < start:
                raise InputError(
                    f"pause ends before it starts: {start.isoformat()} .. {end.isoformat()}",
                    code="pause_invalid",
                )
