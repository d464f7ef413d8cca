"""Numbering of complaints (SPEC §1): an ir.sequence checked against the core's
numbering pattern."""

from zoneinfo import ZoneInfo

from odoo import api, models
from odoo.exceptions import UserError

from complaint_core.numbering import format_number, parse_number

from .complaint import aware
from .core_errors import core_errors


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    # -- numbering (SPEC §1) ----------------------------------------------------

    @api.model
    def _next_number(self, received_at, company):
        """The next number: an ir.sequence (a PostgreSQL sequence per year, so
        unique under concurrent registration; past 999 it widens), checked
        against the core's numbering pattern."""
        policy = self.env["complaint.policy"]._complaint_policy(company)
        local = aware(received_at).astimezone(ZoneInfo(policy.calendar.timezone)).date()
        Sequence = (
            self.env["ir.sequence"]
            .sudo()
            .with_company(company)
            .with_context(ir_sequence_date=local)
        )
        sequence = Sequence.search(
            [("code", "=", "customer.complaint"), ("company_id", "in", (company.id, False))],
            order="company_id",
            limit=1,
        )
        if not sequence:
            raise UserError(self.env._("The complaint number sequence is missing."))
        if sequence.use_date_range and not self.env["ir.sequence.date_range"].sudo().search_count(
            [
                ("sequence_id", "=", sequence.id),
                ("date_from", "<=", local),
                ("date_to", ">=", local),
            ],
            limit=1,
        ):
            # A new year's range: two registrations creating it at once would each
            # get a counter of their own. Touching the sequence row makes the
            # second one wait, then fail to serialize and be retried.
            self.env.cr.execute(
                "UPDATE ir_sequence SET write_date = now() at time zone 'UTC' WHERE id = %s",
                [sequence.id],
            )
        number = sequence._next(sequence_date=local)
        with core_errors(self.env):
            on, seq = parse_number(policy.numbering, number)
            if (on is not None and on != local) or format_number(
                policy.numbering, local, seq
            ) != number:
                raise UserError(
                    self.env._(
                        "The complaint sequence gave %(number)s, which does not follow the "
                        "numbering pattern %(pattern)s.",
                        number=number,
                        pattern=policy.numbering.pattern,
                    )
                )
        return number
