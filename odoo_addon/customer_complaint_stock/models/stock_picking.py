from odoo import fields, models


class StockPicking(models.Model):
    """A return or replacement picking knows the complaint remedy it carries out."""

    _inherit = "stock.picking"

    complaint_remedy_id = fields.Many2one(
        "complaint.remedy", index="btree_not_null", copy=False, readonly=True
    )
    complaint_id = fields.Many2one(
        related="complaint_remedy_id.complaint_id",
        store=True,
        index="btree_not_null",
        string="Complaint",
    )

    def action_open_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "customer.complaint",
            "res_id": self.complaint_id.id,
            "view_mode": "form",
        }
