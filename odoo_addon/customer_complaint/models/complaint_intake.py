"""The facts a person enters go through the core's checks (SPEC §1, issue #7):
every problem of the values given at once, named by its field, translated, and
nothing written; an unknown selection key is a clear error, not a traceback."""

from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from complaint_core.errors import FactsError
from complaint_core.intake import IntakeFacts, check_intake

from .complaint import aware
from .core_errors import core_errors

# Intake facts checked by the core (complaint_core.intake) at create and write.
INTAKE_AMOUNTS = (
    "amount",
    "customer_loss",
    "demand_compensation",
    "demand_return_qty",
    "demand_return_amount",
    "repeated_complaints",
)
INTAKE_PERCENTS = ("demand_discount",)
INTAKE_TIMES = ("site_visit_at", "authority_replied_at", "authority_deadline")
INTAKE_DATES = ("purchase_date", "ship_date", "delivery_date", "countermeasure_date")
INTAKE_TEXTS = (
    "description",
    "contact_name",
    "phone",
    "email",
    "address",
    "product_spec",
    "lot_number",
    "order_number",
    "demand_other",
    "investigation_notes",
    "follow_up_notes",
    "action_reason",
    "severity_change_reason",
    "authority_reference",
    # the registration form's boxes (models/complaint_form.py)
    "production_plant",
    "evidence_other",
    "matter_exists_note",
    "service_opinion",
    "market_opinion",
    "quality_opinion",
    "countermeasure_provisional",
    "countermeasure_definitive",
    "handling_result",
    "defective_handling",
)
# a problem comparing two facts concerns a write of either
INTAKE_PAIRS = {
    "defective_exceeds_quantity": {"quantity", "defective_quantity"},
    "before_registration": {"received_at", "first_contact_at"},
    "defective_split_exceeds": {"defective_quantity", "defective_used", "defective_unused"},
}
INTAKE_FIELDS = frozenset(
    {
        "received_at",
        "first_contact_at",
        "quantity",
        "defective_quantity",
        "defective_used",
        "defective_unused",
        *INTAKE_AMOUNTS,
        *INTAKE_PERCENTS,
        *INTAKE_TIMES,
        *INTAKE_DATES,
        *INTAKE_TEXTS,
    }
)


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    def _intake_facts(self, vals):
        """The intake facts of ``vals`` over this record (or of ``vals`` alone
        before create), as the core's IntakeFacts."""

        def value(name):
            if name in vals:
                field = self._fields[name]
                raw = vals[name]
                try:
                    if field.type == "datetime":
                        return fields.Datetime.to_datetime(raw) if raw else None
                    if field.type == "date":
                        return fields.Date.to_date(raw) if raw else None
                except (TypeError, ValueError):
                    return raw  # not a date: the core names the problem
                return raw
            return self[name] if self else None

        def instant(name):
            v = value(name)
            return aware(v) if isinstance(v, datetime) else (v or None)

        def number(v):
            return (
                v
                if isinstance(v, int | float) and not isinstance(v, bool)
                else (v if v not in (None, False) else None)
            )

        return IntakeFacts(
            received_at=instant("received_at"),
            # a first contact may not precede the receipt of the complaint; the record's
            # creation is later than both when a rep registers a call afterwards
            registered_at=None,
            first_contact_at=instant("first_contact_at"),
            other_times={n: instant(n) for n in INTAKE_TIMES if value(n)},
            dates={n: value(n) for n in INTAKE_DATES if value(n)},
            amounts={n: number(value(n)) for n in INTAKE_AMOUNTS if number(value(n)) is not None},
            quantity=number(value("quantity")),
            defective_quantity=number(value("defective_quantity")),
            defective_used=number(value("defective_used")),
            defective_unused=number(value("defective_unused")),
            percents={n: number(value(n)) for n in INTAKE_PERCENTS if number(value(n)) is not None},
            texts={n: value(n) for n in INTAKE_TEXTS if isinstance(value(n), str)},
        )

    def _check_intake(self, vals):
        """SPEC §1 facts through the core's checks: every problem of the values
        given (and of the facts they are compared with) at once, named by its
        field, translated; nothing is written when one is found."""
        given = INTAKE_FIELDS & set(vals)
        if not given:
            return
        now = aware(fields.Datetime.now())
        for rec in self or [self]:
            policy = rec._policy() if rec else self.env["complaint.policy"]._complaint_policy()
            try:
                check_intake(rec._intake_facts(vals), now, policy)
            except FactsError as error:
                problems = [
                    p
                    for p in error.problems
                    if p.location in given or INTAKE_PAIRS.get(p.code, set()) & given
                ]
                if problems:
                    with core_errors(self.env):
                        raise FactsError(problems) from None

    @api.model
    def _check_selections(self, vals):
        """An unknown selection key is a clear error, not a database traceback."""
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or field.type != "selection" or value in (False, None):
                continue
            keys = {k for k, _label in field._description_selection(self.env)}
            if value not in keys:
                raise ValidationError(
                    self.env._(
                        "%(value)s is not a valid value for %(field)s.",
                        value=value,
                        field=field._description_string(self.env),
                    )
                )
