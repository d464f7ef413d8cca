from odoo import fields, models


class AccountMove(models.Model):
    """A credit note knows the complaint (and remedies) it compensates."""

    _inherit = "account.move"

    complaint_id = fields.Many2one(
        "customer.complaint", readonly=True, copy=False, index="btree_not_null"
    )
    complaint_remedy_ids = fields.One2many(
        "complaint.remedy", "move_id", string="Complaint Remedies", readonly=True
    )

    def action_open_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.complaint",
            "res_id": self.complaint_id.id,
            "view_mode": "form",
        }
