"""sale.order: its complaints (smart button) and "Log complaint" from the order."""

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    complaint_ids = fields.One2many(
        "customer.complaint",
        "sale_order_id",
        string="Complaints",
        groups="customer_complaint.group_complaint_sales_rep,"
        "customer_complaint.group_complaint_auditor",
    )
    complaint_count = fields.Integer(
        compute="_compute_complaint_count",
        groups="customer_complaint.group_complaint_sales_rep,"
        "customer_complaint.group_complaint_auditor",
    )

    def _compute_complaint_count(self):
        # the user's own visibility (record rules) decides what is counted
        counts = dict(
            self.env["customer.complaint"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.complaint_count = counts.get(order, 0)

    def action_view_complaints(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complaints"),
            "res_model": "customer.complaint",
            "view_mode": "list,form",
            "domain": [("sale_order_id", "=", self.id)],
            "context": self._complaint_defaults(),
        }

    def action_log_complaint(self):
        """A new complaint form prefilled with the customer and this order."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Complaint"),
            "res_model": "customer.complaint",
            "view_mode": "form",
            "target": "current",
            "context": self._complaint_defaults(),
        }

    def _complaint_defaults(self):
        defaults = self.partner_id._complaint_defaults()
        defaults.update(default_partner_id=self.partner_id.id, default_sale_order_id=self.id)
        return defaults
