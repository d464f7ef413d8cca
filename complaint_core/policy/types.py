"""The policy's types: `Policy`, its sections and the names the rules share.

Values only: building a `Policy` from data (and every check of that data) is
`policy.loader`; reading policy files is `policy.files`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Channel, Duration, Kind, Role, State, Unit

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
START_EVENTS = ("registered", "triaged", "approved", "replied", "remedy_done")
WORKFLOW_ACTIONS = (
    "triage",
    "start_investigation",
    "determine",
    "propose_remedy",
    "reject_remedy",
    "approve",
    "revise_remedy",
    "reply",
    "customer_accepts",
    "customer_rejects",
    "remedy_done",
    "follow_up",
    "close",
    "mark_not_valid",
    "withdraw",
    "reopen",
    "convert_kind",
)
# Actions added after policies were written: when a policy leaves one out, it takes
# the roles of the action named here (a revised remedy is proposed by its proposers).
ACTION_ROLE_DEFAULTS = {"revise_remedy": "propose_remedy", "customer_accepts": "customer_rejects"}
# SPEC §5: what follows a dissatisfied answer (the case is reopened, or a manager decides
# between reopening and an explained closing)
DISSATISFIED_RESPONSES = ("reopen", "manager_decides")
RESETS = ("yearly", "monthly", "daily", "never")
AUTHORITY_LIMIT = "authority"  # a milestone limit set by the transferring authority
# The longest limit a policy may state, per unit (about ten years): a longer one
# would run beyond any calendar's years and break every later registration.
MAX_LIMIT = {
    Unit.DAYS: 3660,
    Unit.HOURS: 87_840,
    Unit.WORKING_DAYS: 2_500,
    Unit.WORKING_HOURS: 20_000,
}
MAX_RETENTION_YEARS = 100
MAX_CLOCK_SKEW = timedelta(hours=24)


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    name_zh: str = ""
    parent: str | None = None
    department: str | None = None


@dataclass(frozen=True)
class CalendarSpec:
    """Working hours per weekday (0 = Monday) in minutes after midnight."""

    timezone: str = "Asia/Shanghai"
    holidays: str | None = "CN"
    hours: Mapping[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    extra_holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Condition:
    """When a milestone or a rule applies; an empty condition always holds."""

    kinds: frozenset[Kind] | None = None
    categories: frozenset[str] | None = None
    channels: frozenset[Channel] | None = None
    levels: frozenset[int] | None = None
    transferred: bool | None = None
    escalated: bool | None = None

    def holds(
        self, *, kind, category, channel, level, transferred, escalated, category_ancestors=()
    ) -> bool:
        if self.kinds is not None and kind not in self.kinds:
            return False
        if self.categories is not None and not ({category, *category_ancestors} & self.categories):
            return False
        if self.channels is not None and channel not in self.channels:
            return False
        if self.levels is not None and level not in self.levels:
            return False
        if self.transferred is not None and bool(transferred) != self.transferred:
            return False
        if self.escalated is not None and bool(escalated) != self.escalated:
            return False
        return True


@dataclass(frozen=True)
class MilestoneRule:
    limit: Duration | None  # None: the authority's own deadline
    when: Condition = Condition()


@dataclass(frozen=True)
class MilestoneSpec:
    code: str
    name: str
    start: str
    rules: tuple[MilestoneRule, ...]
    name_zh: str = ""
    when: Condition = Condition()


@dataclass(frozen=True)
class SlaPolicy:
    warning_ratio: Decimal
    milestones: tuple[MilestoneSpec, ...]

    def milestone(self, code: str) -> MilestoneSpec:
        for m in self.milestones:
            if m.code == code:
                return m
        raise KeyError(code)


@dataclass(frozen=True)
class EscalationStep:
    after: Duration
    level: int


@dataclass(frozen=True)
class SeverityPolicy:
    major_loss: Decimal
    departments_level1: int
    departments_level2: int
    repeated_complaints: int
    cluster_customers: int
    cluster_window: Duration
    level4_categories: frozenset[str]
    default_level: int
    vip_uplift: int
    escalation: tuple[EscalationStep, ...]


@dataclass(frozen=True)
class AuthorityLevel:
    code: str
    name: str
    up_to: Decimal | None  # None: no upper limit
    name_zh: str = ""


@dataclass(frozen=True)
class AuthorityPolicy:
    levels: tuple[AuthorityLevel, ...]  # lowest first
    level1_requires: str
    two_stage_categories: frozenset[str]
    investigation_level: str
    cash_requires_reason: bool

    def rank(self, code: str) -> int:
        for i, lvl in enumerate(self.levels):
            if lvl.code == code:
                return i
        raise KeyError(code)


@dataclass(frozen=True)
class WorkflowPolicy:
    roles: Mapping[str, frozenset[Role]]
    quality_signoff_roles: frozenset[Role]
    lower_severity_roles: frozenset[Role]
    dissatisfied_close_roles: frozenset[Role]


@dataclass(frozen=True)
class ScalePoint:
    value: int
    code: str
    name: str
    name_zh: str = ""


@dataclass(frozen=True)
class SatisfactionPolicy:
    scale: tuple[ScalePoint, ...]
    satisfied: frozenset[int]
    dissatisfied: frozenset[int]


@dataclass(frozen=True)
class NumberingPolicy:
    pattern: str
    reset: str


# SPEC §6: the free-text fields of a complaint that may hold personal data and are
# blanked with the contact details when it is anonymised (names of record fields):
# the case's own and the boxes of the printed forms (FORMS.md)
DEFAULT_PERSONAL_TEXT_FIELDS = (
    "description",
    "investigation_notes",
    "follow_up_notes",
    "demand_other",
    "evidence_other",
    "matter_exists_note",
    "service_opinion",
    "market_opinion",
    "quality_opinion",
    "handling_result",
    "defective_handling",
)


@dataclass(frozen=True)
class RetentionPolicy:
    years: int
    important_years: int
    # free-text fields blanked by anonymisation, besides the contact details
    personal_fields: tuple[str, ...] = DEFAULT_PERSONAL_TEXT_FIELDS


@dataclass(frozen=True)
class IntakePolicy:
    """Checks of a complaint's intake facts (`complaint_core.intake`)."""

    # how far a received-at time may lie after "now" (clocks of the caller and
    # of the customer's channel differ a little)
    clock_skew: timedelta = timedelta(minutes=5)


# States the customer may be told of by a progress notice: registration has its
# acknowledgement and the reply step is itself the written reply to the customer.
NOTICE_STATES = tuple(
    s for s in State if s not in (State.REGISTERED, State.REPLIED, State.REMEDY_PROPOSED)
)


@dataclass(frozen=True)
class CustomerPolicy:
    """What the customer is told and asked (SPEC §1 acknowledgement, §4 written
    reply, §5 follow-up)."""

    # an acknowledgement (受理回执) at registration for these channels
    acknowledge_channels: frozenset[Channel] = frozenset(Channel)
    # the promised date of the answer is the due time of this milestone
    promise_milestone: str = "resolution"
    # a progress notice when the case reaches one of these states
    notify_states: frozenset[State] = frozenset({State.TRIAGED, State.CLOSED, State.NOT_VALID})
    # after a dissatisfied answer: one of DISSATISFIED_RESPONSES
    dissatisfied: str = "reopen"


@dataclass(frozen=True)
class Policy:
    version: str
    name: str
    currency: str
    categories: Mapping[str, Category]
    calendar: CalendarSpec
    severity: SeverityPolicy
    sla: SlaPolicy
    authority: AuthorityPolicy
    workflow: WorkflowPolicy
    satisfaction: SatisfactionPolicy
    numbering: NumberingPolicy
    retention: RetentionPolicy
    intake: IntakePolicy = IntakePolicy()
    customers: CustomerPolicy = CustomerPolicy()

    def category_ancestors(self, code: str | None) -> tuple[str, ...]:
        """Parents of a category, nearest first (the tree of SPEC §2)."""
        out: list[str] = []
        cat = self.categories.get(code) if code else None
        while cat is not None and cat.parent and cat.parent not in out:
            out.append(cat.parent)
            cat = self.categories.get(cat.parent)
        return tuple(out)

    def department_for(self, code: str | None) -> str | None:
        """A category's default department, inherited from its parents."""
        for c in (code, *self.category_ancestors(code)):
            cat = self.categories.get(c) if c else None
            if cat is not None and cat.department:
                return cat.department
        return None

    def check_category(self, code: str | None) -> None:
        if code is not None and code not in self.categories:
            raise InputError(
                f"unknown category {code!r}; known: {', '.join(sorted(self.categories))}",
                code="category_unknown",
                value=code,
            )

    @classmethod
    def from_dict(cls, data: Any, source: str = "") -> Policy:
        # imported here: the loader builds Policy values, so it imports this module
        from .loader import _Loader

        return _Loader(source).load(data)

    @classmethod
    def from_file(cls, path: str | Path) -> Policy:
        # imported here: files.py builds a Policy through from_dict (a cycle)
        from .files import load_policy

        return load_policy(path)
