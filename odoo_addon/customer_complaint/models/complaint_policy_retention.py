"""The retention settings of a company's complaint policy (SPEC §6): the years
(in complaint_policy.py) and the free-text fields anonymisation blanks
(``retention.personal_fields`` of the core's policy). A change of the years
moves the stored end of retention of the company's closed complaints."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .complaint_retention import STATISTICS_TEXT_FIELDS, TEXT_TYPES

RETENTION_SETTINGS = {"retention_years", "retention_important_years"}


class ComplaintPolicy(models.Model):
    _inherit = "complaint.policy"

    retention_personal_fields = fields.Char(
        string="Free-Text Personal Fields",
        help="Technical names of the complaint's free-text fields that may hold personal "
        "data, separated by commas; anonymising blanks them with the contact details. "
        "Empty: the shipped defaults (description, investigation notes, follow-up notes, "
        "other demands and the printed forms' boxes: other evidence, matter explanation, "
        "the customer service, market supervision and quality manager's opinions, handling "
        "result, handling of defective goods).",
    )

    def _personal_field_names(self):
        self.ensure_one()
        return [n.strip() for n in (self.retention_personal_fields or "").split(",") if n.strip()]

    @api.constrains("retention_personal_fields")
    def _check_retention_personal_fields(self):
        Complaint = self.env["customer.complaint"]
        for rec in self:
            bad = [
                n
                for n in rec._personal_field_names()
                if n not in Complaint._fields
                or Complaint._fields[n].type not in TEXT_TYPES
                or not Complaint._fields[n].store
                or n in Complaint._rule_fields()
                or n in STATISTICS_TEXT_FIELDS
            ]
            if bad:
                raise ValidationError(
                    self.env._(
                        "These are not free-text fields of a complaint that anonymising may "
                        "blank (the statistics keep theirs): %(fields)s.",
                        fields=", ".join(bad),
                    )
                )

    @api.model
    def _policy_data(self, company):
        data = super()._policy_data(company)
        settings = self.search([("company_id", "=", company.id)], limit=1)
        names = settings._personal_field_names() if settings else []
        if names:
            data["retention"]["personal_fields"] = names
        return data

    def _recompute_retention(self):
        """The closed complaints of these companies are kept for the new years."""
        Complaint = self.env["customer.complaint"].sudo().with_context(active_test=False)
        closed = Complaint.search(
            [("company_id", "in", self.company_id.ids), ("closed_at", "!=", False)]
        )
        self.env.add_to_compute(Complaint._fields["retention_until"], closed)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._recompute_retention()
        return records

    def write(self, vals):
        res = super().write(vals)
        if RETENTION_SETTINGS & set(vals):
            self._recompute_retention()
        return res
