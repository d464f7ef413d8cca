"""The policy: every number and list the rules use, loaded from data and validated.

SPEC: "Everything numeric is a default of a configurable policy, never a
constant in code". A policy is built from a mapping (a YAML/TOML file, or the
records the Odoo adapter reads) by `Policy.from_dict`, which reports *every*
problem with its key path in one `PolicyError`.

In three parts: `types` (the `Policy`, its sections and the shared names such
as WORKFLOW_ACTIONS), `loader` (building and checking a `Policy` from data) and
`files` (reading policy files, the shipped default). Every public name is
importable from ``complaint_core.policy`` itself.
"""

from .types import (
    ACTION_ROLE_DEFAULTS,
    AUTHORITY_LIMIT,
    DEFAULT_PERSONAL_TEXT_FIELDS,
    DISSATISFIED_RESPONSES,
    MAX_CLOCK_SKEW,
    MAX_LIMIT,
    MAX_RETENTION_YEARS,
    NOTICE_STATES,
    RESETS,
    START_EVENTS,
    WEEKDAYS,
    WORKFLOW_ACTIONS,
    AuthorityLevel,
    AuthorityPolicy,
    CalendarSpec,
    Category,
    Condition,
    CustomerPolicy,
    EscalationStep,
    IntakePolicy,
    MilestoneRule,
    MilestoneSpec,
    NumberingPolicy,
    Policy,
    RetentionPolicy,
    SatisfactionPolicy,
    ScalePoint,
    SeverityPolicy,
    SlaPolicy,
    WorkflowPolicy,
)
from .loader import _Loader
from .files import (
    data_file,
    default_policy,
    default_policy_data,
    load_policy,
    read_policy_data,
)
