"""complaint.remedy: return and exchange remedies carried out by pickings.

``execution_state`` (the main module's) is answered here for these remedy
types; other types go to ``super()`` (another bridge, or "not tracked").
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.customer_complaint.models.complaint_remedy import EXECUTION_STATES

from complaint_core.model import RemedyType

STOCK_TYPES = (RemedyType.RETURN.value, RemedyType.EXCHANGE.value)


class ComplaintRemedy(models.Model):
    _inherit = "complaint.remedy"

    picking_ids = fields.One2many(
        "stock.picking",
        "complaint_remedy_id",
        string="Pickings",
        readonly=True,
        groups="stock.group_stock_user",
    )
    picking_state = fields.Selection(
        EXECUTION_STATES[1:],
        string="Pickings Status",
        compute="_compute_picking_state",
        compute_sudo=True,
        help="Return and exchange remedies: done when all their pickings are done.",
    )

    def _execution_depends(self):
        return [*super()._execution_depends(), "picking_state"]

    def _execution_state(self):
        self.ensure_one()
        if self.type in STOCK_TYPES:
            return self.picking_state
        return super()._execution_state()

    @api.depends("type", "picking_ids.state")
    def _compute_picking_state(self):
        """A return or exchange is done when all its pickings are done (a
        cancelled picking does not count; none left means to do)."""
        for remedy in self:
            pickings = remedy.picking_ids.filtered(lambda p: p.state != "cancel")
            if remedy.type not in STOCK_TYPES:
                remedy.picking_state = False
            elif not pickings:
                remedy.picking_state = "todo"
            elif all(p.state == "done" for p in pickings):
                remedy.picking_state = "done"
            else:
                remedy.picking_state = "in_progress"

    def _create_pickings(self):
        """SPEC §4 carrying out the remedy: Odoo's return wizard on the delivery
        (a return picking; for an exchange also the replacement delivery)."""
        self.ensure_one()
        complaint = self.complaint_id
        products = complaint.product_id or complaint.sale_line_ids.product_id
        if not products:
            raise UserError(
                self.env._(
                    "Complaint %(number)s: set its product or its order lines to know what to "
                    "return.",
                    number=complaint.name,
                )
            )
        delivery = complaint._delivery_to_return(products)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(
                active_model="stock.picking",
                active_id=delivery.id,
                active_ids=delivery.ids,
            )
            .create({"picking_id": delivery.id})
        )
        lines = wizard.product_return_moves.filtered(lambda line: line.product_id in products)
        wanted = self.quantity or complaint.defective_quantity or complaint.quantity
        left = wanted
        for line in lines:
            move = line.move_id
            returnable = move.quantity - sum(
                move.returned_move_ids.filtered(lambda m: m.state != "cancel").mapped(
                    "product_uom_qty"
                )
            )
            take = max(min(returnable, left), 0.0) if wanted else max(returnable, 0.0)
            line.quantity = take
            left -= take
        if wanted and left > 1e-6:
            raise UserError(
                self.env._(
                    "Complaint %(number)s: %(wanted)s of %(product)s are to be returned, but "
                    "delivery %(delivery)s has only %(returnable)s left to return.",
                    number=complaint.name,
                    wanted=wanted,
                    product=products[:1].display_name,
                    delivery=delivery.name,
                    returnable=wanted - left,
                )
            )
        last_id = self.env["stock.picking"].search([], order="id desc", limit=1).id
        if self.type == RemedyType.EXCHANGE.value:
            action = wizard.action_create_exchanges()
        else:
            action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        pickings = returned
        if self.type == RemedyType.EXCHANGE.value:
            domain = [
                ("id", ">", last_id),
                ("id", "!=", returned.id),
                ("move_ids.product_id", "in", products.ids),
            ]
            if delivery.group_id:
                domain.append(("group_id", "=", delivery.group_id.id))
            else:
                domain.append(("partner_id", "=", delivery.partner_id.id))
            pickings |= self.env["stock.picking"].search(domain)
        pickings.write({"complaint_remedy_id": self.id})
        lots = complaint._lot_names(delivery, products)
        if lots and not complaint.lot_number:
            complaint.lot_number = lots
        complaint.message_post(
            body=self.env._(
                "%(remedy)s: pickings %(pickings)s created from delivery %(delivery)s.",
                remedy=self._fields["type"].convert_to_export(self.type, self),
                pickings=", ".join(pickings.mapped("name")),
                delivery=delivery.name,
            )
        )
        return pickings

    @api.depends("complaint_id.name", "type")
    def _compute_display_name(self):
        types = dict(self._fields["type"]._description_selection(self.env))
        for remedy in self:
            remedy.display_name = f"{remedy.complaint_id.name or ''}: {types.get(remedy.type, '')}"
