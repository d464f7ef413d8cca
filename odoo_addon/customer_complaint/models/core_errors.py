"""The addon's edge for the core's typed errors (ARCHITECTURE "The seam").

The core raises `ComplaintError`s with a stable ``code`` and the message's
``params``; here each code has one English message (translatable, with the
params as ``%(name)s`` placeholders), and each error class one Odoo error
class. Every call into the core goes through `core_errors()`.
"""

from collections import defaultdict
from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from complaint_core.errors import (
    ApprovalError,
    AuthorityError,
    CalendarError,
    ComplaintError,
    FactsError,
    InputError,
    PolicyError,
    TransitionError,
)

_lt = LazyTranslate(__name__)

# code -> message; params come from the core error (ComplaintError.params).
MESSAGES = {
    # workflow (TransitionError)
    "action_unknown": _lt("Unknown workflow action %(action)s."),
    "state_invalid": _lt(
        "The step “%(action)s” is not possible while the complaint is %(state)s; "
        "it is possible when it is %(allowed)s."
    ),
    "field_required": _lt("The step “%(action)s” needs %(field)s first."),
    "reason_required": _lt("The step “%(action)s” needs a reason: fill in Reason / Comment."),
    "approvals_incomplete": _lt(
        "The remedy cannot be approved yet: every stage of the approval route must be approved."
    ),
    "signoff_required": _lt(
        "A quality finding needs the sign-off of someone with the role %(roles)s."
    ),
    "customer_rejected": _lt(
        "The customer rejected the remedy: record the rejection and propose a new remedy."
    ),
    "satisfaction_invalid": _lt("Satisfaction %(value)s is not on the satisfaction scale."),
    "kind_invalid": _lt("Unknown feedback kind %(value)s."),
    "kind_unchanged": _lt("The item already is a %(kind)s."),
    "investigation_started": _lt(
        "The investigation has started: the item cannot become a %(kind)s any more."
    ),
    "finding_invalid": _lt("Unknown responsibility finding %(value)s."),
    "level_invalid": _lt("The severity level must be 1, 2, 3 or 4 (got %(value)s)."),
    "transition_refused": _lt("This step is not allowed."),
    # authority (AuthorityError / RecusalError)
    "role_required": _lt(
        "You may not take the step “%(action)s” on this complaint: it needs the role %(roles)s."
    ),
    "recused": _lt(
        "%(actor)s is recused from this complaint (complained about, or reporting only to "
        "someone complained about)."
    ),
    "own_proposal": _lt("Nobody decides on their own proposal: someone else must do it."),
    "authority_too_low": _lt(
        "The %(stage)s approval needs the authority level %(required)s; you have %(level)s."
    ),
    "lower_needs_manager": _lt(
        "Lowering the severity from %(current)s to %(new)s needs the role %(roles)s."
    ),
    "authority": _lt("You do not have the authority for this step."),
    # approvals (ApprovalError)
    "stage_unknown": _lt("The approval route has no stage %(stage)s."),
    "already_decided": _lt("The %(stage)s approval has already been decided."),
    "route_rejected": _lt("The proposal was rejected; a new proposal needs a new approval."),
    "stage_not_next": _lt("The %(stage)s approval is not next: decide %(next)s first."),
    "approval": _lt("This approval cannot be decided."),
    # input (InputError)
    "remedies_empty": _lt("A remedy proposal needs at least one remedy."),
    "cash_reason_required": _lt("Cash compensation needs a written reason."),
    "amount_negative": _lt("An amount must not be negative (got %(value)s)."),
    "discount_invalid": _lt("A discount must be between 0 and 100 %% (got %(value)s)."),
    "quantity_negative": _lt("A quantity must not be negative (got %(value)s)."),
    "remedy_type_unknown": _lt("Unknown remedy type %(value)s."),
    "category_unknown": _lt("Unknown complaint category %(value)s."),
    "authority_level_unknown": _lt("Unknown authority level %(value)s."),
    "duration_invalid": _lt(
        "Invalid duration %(value)s: use a number and a unit wh, wd, h or d (e.g. 2wh, 3wd)."
    ),
    "number_invalid": _lt("%(value)s does not match the numbering pattern."),
    "datetime_naive": _lt("A date-time without a time zone was given (%(field)s)."),
    "input_invalid": _lt("Invalid input."),
    # policy, calendar
    "policy_invalid": _lt("The complaint policy configuration is invalid:\n%(problems)s"),
    "facts_invalid": _lt("The complaint cannot be saved:\n%(problems)s"),
    "remedies_frozen": _lt(
        "The remedies were approved and are frozen while the complaint is %(state)s: use "
        "“Revise Remedy” to propose new ones (the approvals start again)."
    ),
    "case_final": _lt("The complaint is %(state)s: nothing of it changes until it is reopened."),
    "remedies_pending": _lt(
        "The remedy cannot be marked done while these remedies are not carried out: %(remedies)s."
    ),
    "calendar_error": _lt("The business calendar cannot answer: %(detail)s"),
}

# code -> message of one problem of a policy or of a complaint's facts (errors.Problem);
# a code without a message here shows the core's English text.
PROBLEMS = {
    "missing": _lt("is missing"),
    "empty": _lt("is empty"),
    "invalid": _lt("is not valid"),
    "type_invalid": _lt("expected %(expected)s, got %(value)s"),
    "too_small": _lt("must be at least %(minimum)s (got %(value)s)"),
    "too_large": _lt("must be at most %(maximum)s (got %(value)s)"),
    "number_invalid": _lt("%(value)s is not a valid number"),
    "negative": _lt("must not be negative (got %(value)s)"),
    "duration_invalid": _lt(
        "%(value)s is not a time limit: use a number and a unit wh (working hours), wd "
        "(working days), h (hours) or d (days)"
    ),
    "duplicate": _lt("%(value)s is given twice"),
    "field_name_invalid": _lt("%(value)s is not a field name"),
    "statistics_field": _lt(
        "%(value)s is read by the statistics and is kept when a complaint is anonymised"
    ),
    "value_unknown": _lt("unknown value %(value)s"),
    "section_unknown": _lt("unknown section %(section)s"),
    "category_unknown": _lt("unknown category %(value)s"),
    "timezone_unknown": _lt("unknown time zone %(value)s"),
    "holidays_country_unknown": _lt(
        "the holiday calendar knows no country %(value)s (use a code such as CN)"
    ),
    "hours_overlap": _lt("working-time spans overlap (%(value)s and %(other)s)"),
    "span_invalid": _lt("%(value)s is not a working-time span such as 09:00-12:00"),
    "span_out_of_day": _lt("%(value)s does not lie within one day (00:00-24:00)"),
    "span_order": _lt("%(value)s does not start before it ends"),
    "date_invalid": _lt("%(value)s is not a date"),
    "ratio_out_of_range": _lt("%(value)s must lie between 0 and 1"),
    "authority_level_unknown": _lt("unknown authority level %(value)s"),
    "not_on_scale": _lt("%(value)s is not on the satisfaction scale"),
    "satisfied_and_dissatisfied": _lt("%(value)s cannot be both satisfied and dissatisfied"),
    "limits_not_rising": _lt("the limit %(value)s must be higher than %(previous)s"),
    "pattern_invalid": _lt("the numbering pattern is not valid: %(detail)s"),
    "category_cycle": _lt("a category cannot be its own ancestor"),
    "unlimited_not_highest": _lt("only the highest authority level may be unlimited"),
    "highest_limited": _lt("the highest authority level must be unlimited"),
    "level_invalid": _lt("%(value)s is not a severity level (1 to 4)"),
    "number_out_of_range": _lt("%(value)s is too large"),
    "calendar_empty": _lt("the calendar has no working time on any weekday"),
    "datetime_out_of_range": _lt(
        "%(value)s is out of range: a date must fall in the years %(first)s to %(last)s"
    ),
    "datetime_naive": _lt("%(value)s has no time zone"),
    "received_in_future": _lt("%(value)s lies in the future"),
    "before_registration": _lt("%(value)s is earlier than the complaint was received"),
    "defective_exceeds_quantity": _lt(
        "the defective quantity (%(defective)s) is more than the quantity (%(quantity)s)"
    ),
    "defective_split_exceeds": _lt(
        "used and unused (%(split)s) are more than the defective quantity (%(defective)s)"
    ),
    "percent_out_of_range": _lt("must be between 0 and 100 %% (got %(value)s)"),
    "nul_byte": _lt("contains a NUL character"),
}

# The labels users know for the codes a core error names (SPEC §4 steps, §8 roles).
ACTION_LABELS = {
    "triage": _lt("Triage"),
    "start_investigation": _lt("Start Investigation"),
    "determine": _lt("Record Finding"),
    "propose_remedy": _lt("Propose Remedy"),
    "reject_remedy": _lt("Reject"),
    "approve": _lt("Approve"),
    "reply": _lt("Reply to Customer"),
    "customer_rejects": _lt("Customer Rejects"),
    "remedy_done": _lt("Remedy Done"),
    "follow_up": _lt("Follow-up Done"),
    "close": _lt("Close"),
    "mark_not_valid": _lt("Not Valid"),
    "withdraw": _lt("Withdrawn"),
    "reopen": _lt("Reopen"),
    "convert_kind": _lt("Convert the Kind"),
}
ROLE_LABELS = {
    "sales_rep": _lt("Sales Rep"),
    "handler": _lt("Handler"),
    "quality": _lt("Quality"),
    "manager": _lt("Manager"),
    "admin": _lt("Administrator"),
    "auditor": _lt("Auditor"),
}
STAGE_LABELS = {"investigation": _lt("Investigation"), "remedy": _lt("Remedy")}
# the core's CaseFacts names -> the complaint's fields
FIELD_NAMES = {
    "category": "category_id",
    "level": "severity",
    "department": "department_id",
    "handler_id": "user_id",
    "finding": "finding",
    "quality_signoff_by": "quality_signoff_by_id",
    "responsible_departments": "responsible_department_ids",
    "remedies": "remedy_ids",
    "customer_accepted": "customer_accepted",
    "satisfaction": "satisfaction",
}


def _labeller(env):
    """param name -> function turning one code into the label in env's language."""
    Complaint = env["customer.complaint"]
    states = dict(Complaint._fields["state"]._description_selection(env))
    kinds = dict(Complaint._fields["kind"]._description_selection(env))

    def lazy(table):
        return lambda code: env._(table[code]) if code in table else code

    def field(code):
        name = FIELD_NAMES.get(code, code)
        return (
            Complaint._fields[name]._description_string(env) if name in Complaint._fields else code
        )

    def level(code):
        found = env["complaint.authority.level"].sudo().search([("code", "=", code)], limit=1)
        return found.name or code

    return {
        "action": lazy(ACTION_LABELS),
        "roles": lazy(ROLE_LABELS),
        "state": states.get,
        "allowed": states.get,
        "kind": kinds.get,
        "stage": lazy(STAGE_LABELS),
        "next": lazy(STAGE_LABELS),
        "field": field,
        "required": level,
        "level": level,
    }


_KIND = (
    (AuthorityError, AccessError),  # RecusalError included
    (InputError, ValidationError),  # FactsError included
    (PolicyError, ValidationError),
    (CalendarError, ValidationError),
    (ApprovalError, UserError),
    (TransitionError, UserError),
    (ComplaintError, UserError),
)

# The generic message per error class, when a code has no message of its own.
_FALLBACK = {
    AuthorityError: "authority",
    InputError: "input_invalid",
    ApprovalError: "approval",
    TransitionError: "transition_refused",
    PolicyError: "policy_invalid",
    CalendarError: "calendar_error",
}


def _param(value, label=None):
    def one(v):
        text = "" if v is None else str(v)
        return (label(text) or text) if label else text

    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(one(v) for v in value)
    return one(value)


def _problem(env, problem, on_complaint):
    """One problem in the user's language: where (a complaint's field by its label,
    or a policy's key path) and what is wrong."""
    params = defaultdict(str, {k: str(v) for k, v in (problem.params or {}).items()})
    template = PROBLEMS.get(problem.code)
    try:
        text = env._(template) % params if template else problem.message
    except (KeyError, TypeError, ValueError):
        text = problem.message
    where = problem.location
    Complaint = env["customer.complaint"]
    if on_complaint and where in Complaint._fields:
        where = Complaint._fields[where]._description_string(env)
    return f"• {where}: {text}" if where else f"• {text}"


def translate_error(env, error: ComplaintError):
    """The Odoo exception (translated in env's language) for a core error."""
    labels = _labeller(env)
    params = defaultdict(
        str, {k: _param(v, labels.get(k)) for k, v in (error.params or {}).items()}
    )
    if isinstance(error, PolicyError | FactsError):
        params["problems"] = "\n".join(
            _problem(env, p, isinstance(error, FactsError)) for p in error.problems
        )
    if isinstance(error, CalendarError):
        params["detail"] = error.message
    code = error.code if error.code in MESSAGES else None
    if code is None:
        code = next((c for cls, c in _FALLBACK.items() if isinstance(error, cls)), None)
    template = env._(MESSAGES[code]) if code in MESSAGES else error.message
    try:
        message = template % params
    except (KeyError, TypeError, ValueError):
        message = template
    if code in ("input_invalid", "transition_refused", "authority", "approval"):
        # the generic message says little: keep the core's own detail beside it
        message = f"{message}\n{error.message}"
    odoo_cls = next(o for cls, o in _KIND if isinstance(error, cls))
    return odoo_cls(message)


@contextmanager
def core_errors(env):
    """Run a call into the core; its errors leave as translated Odoo errors."""
    try:
        yield
    except ComplaintError as e:
        raise translate_error(env, e) from e
