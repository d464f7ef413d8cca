from odoo import models

from .complaint_approval_flow import APPROVAL_ACTIVITY


class ResUsers(models.Model):
    _inherit = "res.users"

    def action_archive(self):
        """Odoo removes an archived user's activities; a pending complaint
        approval among them is asked again of the approvers who remain, so the
        complaint is not left waiting for nobody."""
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        complaints = self.env["customer.complaint"]
        if activity_type:
            approvals = (
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("user_id", "in", self.ids),
                        ("activity_type_id", "=", activity_type.id),
                        ("res_model", "=", "customer.complaint"),
                    ]
                )
            )
            complaints = complaints.sudo().browse(approvals.mapped("res_id")).exists()
            approvals.unlink()
        res = super().action_archive()
        complaints._request_approvals()
        return res
