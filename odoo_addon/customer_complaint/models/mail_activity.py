from odoo import api, fields, models

from .complaint_approval_flow import APPROVAL_ACTIVITY


class MailActivity(models.Model):
    """Approve / Reject from the approval activity itself (SPEC §4): the
    buttons decide on the complaint the activity is about."""

    _inherit = "mail.activity"

    complaint_approval = fields.Boolean(compute="_compute_complaint_approval")

    @api.depends("activity_type_id", "res_model")
    def _compute_complaint_approval(self):
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        for activity in self:
            activity.complaint_approval = bool(
                activity_type
                and activity.activity_type_id == activity_type
                and activity.res_model == "customer.complaint"
            )

    def _complaint(self):
        self.ensure_one()
        if not self.complaint_approval:
            return self.env["customer.complaint"]
        return self.env["customer.complaint"].browse(self.res_id)

    def action_complaint_approve(self):
        complaint = self._complaint()
        if complaint:
            complaint.action_approve_stage()
        return {"type": "ir.actions.act_window_close"}

    def action_complaint_reject(self):
        complaint = self._complaint()
        if not complaint:
            return False
        return complaint.with_context(complaint_decision="reject").action_open_decision_wizard()
