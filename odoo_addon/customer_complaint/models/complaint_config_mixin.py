from odoo import api, models


class ComplaintConfigMixin(models.AbstractModel):
    """Configuration records the core's Policy is built from. A change drops the
    policy cache and is validated by the core's own checks at once: a change that
    would make an invalid policy (overlapping hours, an unknown holiday country, a
    limit that is not a duration ...) is refused with every problem, translated,
    and nothing is saved. Only server code running as superuser (data files,
    the install hook, which validates at its end) skips the check."""

    _name = "complaint.config.mixin"
    _description = "Complaint policy source (validated, drops the policy cache on change)"

    def _policy_companies(self):
        """The companies whose policy this configuration is part of."""
        if "company_id" in self._fields and self and all(self.mapped("company_id")):
            return self.mapped("company_id")
        return self.env["res.company"].sudo().search([])

    def _validate_policy(self, companies=None):
        Policy = self.env["complaint.policy"]
        Policy._invalidate_policy_cache()
        if self.env.su:
            return
        for company in companies if companies is not None else self._policy_companies():
            Policy._complaint_calendar(company)  # builds, and so validates, the policy too

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._validate_policy()
        return records

    def write(self, vals):
        companies = self._policy_companies()
        res = super().write(vals)
        self._validate_policy(companies | self._policy_companies())
        return res

    def unlink(self):
        companies = self._policy_companies()
        res = super().unlink()
        self.env["complaint.policy"].browse()._validate_policy(companies)
        return res
