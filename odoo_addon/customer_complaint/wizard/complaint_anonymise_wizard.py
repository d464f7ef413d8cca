from odoo import fields, models


class ComplaintAnonymiseWizard(models.TransientModel):
    """*Anonymise now* (SPEC §6 "anonymised on request"): a data subject asks for
    their personal data to be erased (PIPL / GDPR). A manager gives the request as
    the reason; `customer.complaint._anonymise_on_request` checks who, which case
    and the reason, whatever the client sent, and audits it."""

    _name = "complaint.anonymise.wizard"
    _description = "Anonymise a Complaint's Personal Data"

    complaint_id = fields.Many2one("customer.complaint", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id")
    reason = fields.Text(
        required=True,
        help="The request (who asked, when, reference): kept in the audit trail.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id._anonymise_on_request(self.reason)
        return {"type": "ir.actions.act_window_close"}
