"""customer.complaint linked to the sales order it is about (SPEC §1: the
registration form records the order number, product, quantity and amount)."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="The order the complaint is about; fills the order number, dates and amounts.",
    )
    sale_line_ids = fields.Many2many(
        "sale.order.line",
        "customer_complaint_sale_line_rel",
        "complaint_id",
        "line_id",
        string="Order Lines",
        domain="[('order_id', '=', sale_order_id), ('display_type', '=', False)]",
        help="The lines complained about: their product, quantity and amount fill the form.",
    )

    @api.constrains("sale_order_id", "partner_id")
    def _check_sale_order_partner(self):
        """The order is one of the complaining customer's (read as superuser: an
        integrity rule, whoever edits the complaint)."""
        for rec in self.sudo():
            order = rec.sale_order_id
            if order and (
                order.partner_id.commercial_partner_id != rec.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "Sales order %(order)s is not an order of %(customer)s.",
                        order=order.name,
                        customer=rec.partner_id.display_name,
                    )
                )

    @api.constrains("sale_order_id", "sale_line_ids")
    def _check_sale_lines(self):
        """The complained lines belong to the complaint's order."""
        for rec in self.sudo():
            if rec.sale_line_ids.order_id - rec.sale_order_id:
                raise ValidationError(
                    self.env._(
                        "The complained order lines must belong to the complaint's sales order."
                    )
                )

    def _sale_prefill_values(self):
        """Registration facts the order and its lines know (order number, date,
        product, quantity, amount): the chosen lines, else all the order's."""
        self.ensure_one()
        order = self.sale_order_id
        vals = {}
        if not order:
            return vals
        vals["order_number"] = order.name
        if order.date_order:
            vals["purchase_date"] = order.date_order.date()
        lines = self.sale_line_ids or order.order_line.filtered(
            lambda line: not line.display_type and line.product_id
        )
        products = lines.product_id
        if len(products) == 1:
            vals["product_id"] = products.id
            vals["quantity"] = sum(lines.mapped("product_uom_qty"))
        if lines:
            vals["amount"] = sum(lines.mapped("price_total"))
        return vals

    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if not order:
            self.sale_line_ids = False
            return
        if not self.partner_id:
            self.partner_id = order.partner_id
        self.sale_line_ids = self.sale_line_ids.filtered(lambda line: line.order_id == order)
        product_lines = order.order_line.filtered(
            lambda line: not line.display_type and line.product_id
        )
        if not self.sale_line_ids and len(product_lines) == 1:
            self.sale_line_ids = product_lines
        self._apply_sale_prefill()

    @api.onchange("sale_line_ids")
    def _onchange_sale_line_ids(self):
        self._apply_sale_prefill()

    def _apply_sale_prefill(self):
        """Onchange: the order's facts replace whatever the previous order set."""
        for fname, value in self._sale_prefill_values().items():
            self[fname] = value

    def action_open_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
        }
