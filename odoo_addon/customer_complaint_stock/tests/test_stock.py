from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.customer_complaint.tests.common import ComplaintCase


@tagged("post_install", "-at_install", "customer_complaint_stock")
class TestComplaintStock(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        stock_user = cls.env.ref("stock.group_stock_user")
        cls.handler.groups_id |= stock_user
        cls.rep.groups_id |= cls.env.ref("sales_team.group_sale_salesman")
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.product.write({"is_storable": True, "list_price": 250.0})
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 50
        )

    def _delivered_order(self, qty=10, product=None):
        product = product or self.product
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": 250.0,
                            "tax_id": [(6, 0, [])],
                        },
                    )
                ],
            }
        )
        order.action_confirm()
        delivery = order.picking_ids
        delivery.action_assign()
        delivery.move_ids.write({"quantity": qty, "picked": True})
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        return order, delivery

    def _approved(self, remedies, **vals):
        """A delivery complaint (one-stage approval) with its remedies proposed,
        ready for the manager's approval."""
        # the complaint's own vals may hold "amount", so not the base _proposed
        c = self._determined(category_id=self.cat_delivery.id, **vals)
        c.with_user(self.handler).write({"remedy_ids": [(0, 0, r) for r in remedies]})
        c.with_user(self.handler).action_propose_remedy()
        return c.sudo()  # read as superuser; each step is taken as its user

    def _validate(self, picking):
        picking.action_assign()
        for move in picking.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_return_after_approval_then_remedy_done(self):
        order, delivery = self._delivered_order()
        c = self._approved(
            [{"type": "return", "amount": 400.0, "quantity": 2}],
            sale_order_id=order.id,
            product_id=self.product.id,
        )
        remedy = c.remedy_ids
        self.assertEqual(remedy.execution_state, "todo")
        # SPEC §4: approval precedes execution
        self.assertFalse(c.can_create_pickings)
        with self.assertRaisesRegex(UserError, "once the remedy is approved"):
            c.with_user(self.handler).action_create_remedy_pickings()
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "approved")
        self.assertTrue(c.can_create_pickings)
        action = c.with_user(self.handler).action_create_remedy_pickings()
        ret = remedy.picking_ids
        self.assertEqual(len(ret), 1)
        self.assertEqual(action["res_id"], ret.id)
        self.assertEqual(ret.picking_type_code, "incoming")
        self.assertEqual(ret.return_id, delivery)
        self.assertEqual(ret.move_ids.product_id, self.product)
        self.assertEqual(ret.move_ids.product_uom_qty, 2.0)
        self.assertEqual(ret.move_ids.origin_returned_move_id, delivery.move_ids)
        self.assertEqual((ret.complaint_id, c.picking_count), (c, 1))
        self.assertEqual(remedy.execution_state, "in_progress")
        self.assertFalse(c.can_create_pickings)
        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        with self.assertRaisesRegex(UserError, r"not carried out: Return \(In progress\)"):
            c.with_user(self.handler).action_remedy_done()
        self.assertEqual(c.state, "replied")
        self._validate(ret)
        self.assertEqual(remedy.execution_state, "done")
        # the order's delivered quantity went down by the 2 returned
        self.assertEqual(order.order_line.qty_delivered, 8.0)
        c.with_user(self.handler).action_remedy_done()
        self.assertEqual(c.state, "remedy_done")

    def test_exchange_creates_return_and_replacement(self):
        order, delivery = self._delivered_order(qty=5)
        c = self._approved(
            [
                {"type": "exchange", "amount": 250.0, "quantity": 1},
                {"type": "apology", "description": "letter"},
            ],
            sale_order_id=order.id,
            sale_line_ids=[(6, 0, order.order_line.ids)],
        )
        c.with_user(self.manager).action_approve_stage()
        exchange, apology = c.remedy_ids.sorted("id")
        c.with_user(self.handler).action_create_remedy_pickings()
        pickings = exchange.picking_ids
        self.assertEqual(sorted(pickings.mapped("picking_type_code")), ["incoming", "outgoing"])
        back = pickings.filtered(lambda p: p.picking_type_code == "incoming")
        out = pickings - back
        self.assertEqual(back.move_ids.product_uom_qty, 1.0)
        self.assertEqual(out.move_ids.product_id, self.product)
        self.assertEqual(out.move_ids.product_uom_qty, 1.0)
        self.assertEqual(out.sale_id, order)
        self.assertEqual(apology.execution_state, "none")
        self._validate(back)
        self.assertEqual(exchange.execution_state, "in_progress")  # replacement not shipped
        self._validate(out)
        self.assertEqual(exchange.execution_state, "done")
        self.assertEqual(order.order_line.qty_delivered, 5.0)
        with self.assertRaisesRegex(UserError, "no return or exchange remedy waiting"):
            c.with_user(self.handler).action_create_remedy_pickings()

    def test_chosen_delivery_and_quantity_limit(self):
        """Without an order, the delivery chosen on the complaint is returned from;
        more than it delivered cannot be returned."""
        _order, delivery = self._delivered_order(qty=3)
        c = self._approved(
            [{"type": "return", "amount": 100.0, "quantity": 4}],
            product_id=self.product.id,
            delivery_picking_id=delivery.id,
        )
        c.with_user(self.manager).action_approve_stage()
        with self.assertRaisesRegex(UserError, "has only 3.0 left to return"):
            c.with_user(self.handler).action_create_remedy_pickings()
        self.assertFalse(c.remedy_ids.picking_ids)
        # the approved remedy is frozen: a new quantity is a new proposal, approved anew
        c.with_user(self.handler).action_reason = "only 3 were delivered"
        c.with_user(self.handler).action_revise_remedy()
        c.remedy_ids.with_user(self.handler).quantity = 3
        c.with_user(self.handler).action_propose_remedy()
        c.with_user(self.manager).action_approve_stage()
        c.with_user(self.handler).action_create_remedy_pickings()
        self.assertEqual(c.remedy_ids.picking_ids.move_ids.product_uom_qty, 3.0)
        self.assertEqual(c.remedy_ids.picking_ids.return_id, delivery)

    def test_no_delivery_to_return_from(self):
        c = self._approved(
            [{"type": "return", "amount": 100.0, "quantity": 1}], product_id=self.product.id
        )
        c.with_user(self.manager).action_approve_stage()
        with self.assertRaisesRegex(UserError, "no done delivery"):
            c.with_user(self.handler).action_create_remedy_pickings()

    def test_delivered_lots_flow_into_the_complaint(self):
        self.env.user.groups_id |= self.env.ref("stock.group_production_lot")
        valve = self.env["product.product"].create(
            {"name": "Valve V-3", "is_storable": True, "tracking": "lot"}
        )
        lot = self.env["stock.lot"].create({"name": "LOT-2406-A", "product_id": valve.id})
        self.env["stock.quant"]._update_available_quantity(
            valve, self.warehouse.lot_stock_id, 4, lot_id=lot
        )
        order, _delivery = self._delivered_order(qty=4, product=valve)
        form = Form(self.Complaint.with_user(self.rep))
        form.partner_id = self.customer
        form.category_id = self.cat_quality
        form.description = "Valve sticks"
        form.sale_order_id = order
        self.assertEqual(form.product_id, valve)
        self.assertEqual(form.lot_number, "LOT-2406-A")

    def test_remedy_done_refusal_in_chinese(self):
        """The zh_CN.po files load: the refusal (the main module's) names the remedy and
        the state this bridge answers, in Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_complaint", "customer_complaint_stock"], ["zh_CN"]
        )
        order, _delivery = self._delivered_order(qty=2)
        c = self._approved(
            [{"type": "return", "amount": 100.0, "quantity": 1}],
            sale_order_id=order.id,
            product_id=self.product.id,
        )
        c.with_user(self.manager).action_approve_stage()
        c.with_user(self.handler).action_create_remedy_pickings()
        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        with self.assertRaisesRegex(UserError, r"尚未执行完毕.*\(执行中\)"):
            c.with_user(self.handler).with_context(lang="zh_CN").action_remedy_done()
