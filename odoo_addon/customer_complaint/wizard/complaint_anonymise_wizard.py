from odoo import fields, models


class ComplaintAnonymiseWizard(models.TransientModel):
    """*Anonymise now* (SPEC §6 "anonymised on request"): a data subject asks for
    their personal data to be erased (PIPL / GDPR). A manager gives the request's
    reference (e.g. its ticket number), never who asked: it is kept in the audit
    trail only. `customer.complaint._anonymise_on_request` checks who, which case
    and the reference, whatever the client sent, and audits it."""

    _name = "complaint.anonymise.wizard"
    _description = "Anonymise a Complaint's Personal Data"

    complaint_id = fields.Many2one("customer.complaint", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id")
    request_reference = fields.Char(
        required=True,
        help="The reference of the data subject's request (e.g. its ticket number), kept "
        "in the audit trail only. Do not write who asked: the reference is enough.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id._anonymise_on_request(self.request_reference)
        return {"type": "ir.actions.act_window_close"}
