"""complaint.policy: which survey the follow-up step sends (per company)."""

from odoo import api, fields, models

SHIPPED_SURVEY = "customer_complaint_survey.survey_complaint_satisfaction"


class ComplaintPolicy(models.Model):
    _inherit = "complaint.policy"

    satisfaction_survey_id = fields.Many2one(
        "survey.survey",
        default=lambda self: self._default_satisfaction_survey(),
        help="Sent to the customer by e-mail at the follow-up step (回访); its answers "
        "land on the complaint. Empty: no survey is sent, the follow-up is recorded by hand.",
    )

    @api.model
    def _default_satisfaction_survey(self):
        return self.env.ref(SHIPPED_SURVEY, raise_if_not_found=False)

    @api.model
    def _install_satisfaction_survey(self):
        """At installation: the settings records that exist already send the
        shipped survey (the column was added before the survey was loaded)."""
        survey = self._default_satisfaction_survey()
        if survey:
            self.sudo().search([("satisfaction_survey_id", "=", False)]).write(
                {"satisfaction_survey_id": survey.id}
            )

    @api.model
    def _satisfaction_survey(self, company):
        """The survey the company's follow-ups send: its settings' choice (empty
        = none), the shipped survey when the company has no settings record."""
        settings = self.sudo().search([("company_id", "=", company.id)], limit=1)
        if settings:
            return settings.satisfaction_survey_id
        return self.sudo()._default_satisfaction_survey() or self.env["survey.survey"]
