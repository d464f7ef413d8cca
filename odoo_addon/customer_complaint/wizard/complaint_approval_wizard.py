from odoo import api, fields, models


class ComplaintApprovalWizard(models.TransientModel):
    """Approve or reject the next stage of a complaint's approval route with a
    comment (SPEC §4: a rejection sends the remedy back *with a reason*). The
    decision itself is `customer.complaint._decide_stage`, i.e. the core's."""

    _name = "complaint.approval.wizard"
    _description = "Complaint Approval Decision"

    complaint_id = fields.Many2one("customer.complaint", required=True, ondelete="cascade")
    activity_id = fields.Many2one("mail.activity", ondelete="set null")
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, default="reject"
    )
    reason = fields.Text(string="Reason / Comment")
    stage = fields.Char(related="complaint_id.approval_next_stage", string="Stage")
    remedy_cost = fields.Monetary(related="complaint_id.remedy_cost")
    currency_id = fields.Many2one(related="complaint_id.currency_id")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        activity = self.env["mail.activity"].browse(res.get("activity_id"))
        if activity and not res.get("complaint_id") and activity.res_model == "customer.complaint":
            res["complaint_id"] = activity.res_id
        return res

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id._decide_stage(self.decision == "approve", comment=self.reason or "")
        return {"type": "ir.actions.act_window_close"}
