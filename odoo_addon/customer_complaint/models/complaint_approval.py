from odoo import fields, models


class ComplaintApproval(models.Model):
    """SPEC §4 审批: one decision on a stage of the approval route, with the
    remedy fingerprint it approved (a later change of the remedies voids it)."""

    _name = "complaint.approval"
    _description = "Complaint Approval Decision"
    _order = "at, id"

    complaint_id = fields.Many2one("customer.complaint", required=True, ondelete="cascade",
                                   index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    stage = fields.Selection(
        [("investigation", "Investigation"), ("remedy", "Remedy")], required=True
    )
    level_code = fields.Char(string="Authority Level Required")
    approver_id = fields.Many2one("res.users", string="Approver", required=True)
    approved = fields.Boolean()
    comment = fields.Text()
    at = fields.Datetime(required=True, default=fields.Datetime.now)
    fingerprint = fields.Char(help="Remedy fingerprint at the decision.")
    voided = fields.Boolean(
        help="The remedies changed after this decision, or a new proposal was made."
    )
