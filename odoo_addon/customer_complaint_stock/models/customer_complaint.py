"""customer.complaint: the delivery to take back, the return/exchange pickings
of its remedies, the lot numbers delivered, and the remedy-done rule."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from complaint_core.workflow import may_execute_remedies

from .complaint_remedy import STOCK_TYPES


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    delivery_picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery to Return",
        check_company=True,
        domain="[('picking_type_code', '=', 'outgoing'), ('state', '=', 'done'), "
        "('partner_id', 'child_of', partner_id)]",
        help="The delivery the goods are returned from; empty: the delivered picking of "
        "the sales order.",
    )
    picking_ids = fields.One2many(
        "stock.picking", "complaint_id", string="Remedy Pickings", groups="stock.group_stock_user"
    )
    # computed as superuser: every complaint user sees these, not only warehouse users
    picking_count = fields.Integer(compute="_compute_picking_count", compute_sudo=True)
    can_create_pickings = fields.Boolean(compute="_compute_can_create_pickings", compute_sudo=True)

    @api.depends("picking_ids")
    def _compute_picking_count(self):
        for rec in self:
            rec.picking_count = len(rec.picking_ids)

    @api.depends("state", "remedy_ids.type", "remedy_ids.picking_ids.state")
    def _compute_can_create_pickings(self):
        for rec in self:
            rec.can_create_pickings = may_execute_remedies(rec.state) and bool(
                rec._remedies_needing_pickings()
            )

    def _remedies_needing_pickings(self):
        return self.remedy_ids.filtered(
            lambda r: (
                r.type in STOCK_TYPES and not r.picking_ids.filtered(lambda p: p.state != "cancel")
            )
        )

    def _delivery_to_return(self, products):
        """The done delivery holding ``products``: the one chosen on the complaint,
        else the latest one of the sales order."""
        self.ensure_one()
        pickings = self.delivery_picking_id or self.sale_order_id.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )
        pickings = pickings.filtered(
            lambda p: (
                p.state == "done"
                and p.move_ids.filtered(lambda m: m.state == "done" and m.product_id in products)
            )
        )
        if not pickings:
            raise UserError(
                self.env._(
                    "Complaint %(number)s: no done delivery of %(product)s to return from. Choose "
                    "the delivery on the complaint or link the sales order that delivered it.",
                    number=self.name,
                    product=", ".join(products.mapped("display_name")),
                )
            )
        return pickings.sorted(lambda p: (p.date_done, p.id))[-1]

    @api.model
    def _lot_names(self, pickings, products):
        """The lot/serial numbers of ``products`` delivered by ``pickings`` (read as
        superuser: who registers the complaint may not be a warehouse user)."""
        lines = pickings.sudo().move_line_ids.filtered(
            lambda line: line.product_id in products and line.lot_id
        )
        return ", ".join(sorted(set(lines.lot_id.mapped("name"))))

    @api.onchange("sale_order_id", "sale_line_ids", "delivery_picking_id", "product_id")
    def _onchange_delivered_lots(self):
        """The lot numbers delivered flow into the complaint (SPEC §1 批次号)."""
        products = self.product_id or self.sale_line_ids.product_id
        pickings = self.delivery_picking_id or self.sale_order_id.sudo().picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state == "done"
        )
        lots = self._lot_names(pickings, products) if products else ""
        if lots:
            self.lot_number = lots

    def action_create_remedy_pickings(self):
        """Create the return picking (and the replacement delivery of an exchange)
        of each approved return/exchange remedy that has none yet."""
        created = self.env["stock.picking"]
        for rec in self:
            if not may_execute_remedies(rec.state):
                raise UserError(
                    self.env._(
                        "Complaint %(number)s: returns and exchanges are carried out once the "
                        "remedy is approved.",
                        number=rec.name,
                    )
                )
            remedies = rec._remedies_needing_pickings()
            if not remedies:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s has no return or exchange remedy waiting for its "
                        "pickings.",
                        number=rec.name,
                    )
                )
            for remedy in remedies:
                created |= remedy._create_pickings()
        return self._action_pickings(created)

    def action_view_pickings(self):
        self.ensure_one()
        return self._action_pickings(self.picking_ids)

    def _action_pickings(self, pickings):
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Return and Exchange Pickings"),
            "res_model": "stock.picking",
            "view_mode": "list,form",
            "domain": [("id", "in", pickings.ids)],
            "context": {"create": False},
        }
        if len(pickings) == 1:
            action.update(view_mode="form", res_id=pickings.id)
        return action
