"""Issue #4 end to end: a product-quality complaint on a delivered sales order,
remedied by an exchange and a 1,200 credit, approved in two stages, carried
out by Odoo's return pickings and a paid credit note, then followed up."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditNoteCase

NEEDED = ("customer_complaint_sale", "customer_complaint_stock")


@tagged("post_install", "-at_install", "customer_complaint_account")
class TestEndToEnd(CreditNoteCase):
    def setUp(self):
        super().setUp()
        Module = self.env["ir.module.module"]
        missing = [name for name in NEEDED if Module._get(name).state != "installed"]
        if missing:
            self.skipTest(f"end-to-end test needs {', '.join(missing)} installed")
        self.rep.groups_id |= self.env.ref("sales_team.group_sale_salesman")
        self.handler.groups_id |= self.env.ref("stock.group_stock_user")
        self.warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1)
        self.product.write({"is_storable": True, "list_price": 250.0})
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, 20)

    def _validate(self, picking):
        picking = picking.with_user(self.handler)
        picking.action_assign()
        for move in picking.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_quality_complaint_from_order_to_follow_up(self):
        # a delivered order: 10 pumps at 250
        order = self.env["sale.order"].with_user(self.rep).create({
            "partner_id": self.customer.id,
            "warehouse_id": self.warehouse.id,
            "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 10,
                                   "price_unit": 250.0, "tax_id": [(6, 0, [])]})],
        })
        order.action_confirm()
        delivery = order.picking_ids
        self._validate(delivery)

        # registered from the order, investigated, found a quality problem
        c = self.make(sale_order_id=order.id, product_id=self.product.id, quantity=10,
                      defective_quantity=1).sudo()  # read as superuser; steps as their users
        self.assertEqual(c.category_id.parent_id.code, "product_quality")
        c.with_user(self.manager).write({"user_id": self.handler.id})
        c.with_user(self.manager).action_triage()
        c.with_user(self.handler).action_start_investigation()
        c.with_user(self.handler).write({
            "finding": "quality", "quality_signoff_by_id": self.quality.id,
            "responsible_department_ids": [(6, 0, [self.dept_quality.id])],
            "remedy_ids": [
                (0, 0, {"type": "exchange", "amount": 250.0, "quantity": 1,
                        "description": "new pump"}),
                (0, 0, {"type": "credit", "amount": 1200.0,
                        "description": "production stop"}),
            ],
        })
        c.with_user(self.handler).action_determine()
        c.with_user(self.handler).action_propose_remedy()
        exchange, credit = c.remedy_ids.sorted("id")

        # two stages (两次审批): the department manager approves the investigation,
        # then the remedy (1,450: above the supervisor's 500, within the department
        # manager's 5,000), as the regional manager of SPEC §4 does
        self.assertEqual(c.remedy_cost, 1450.0)
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "remedy_proposed")
        self.assertFalse(c.move_ids)
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "approved")
        self.assertEqual(
            [(a.stage, a.approver_id, a.level_code) for a in c.approval_ids.sorted("id")],
            [("investigation", self.manager, "department_manager"),
             ("remedy", self.manager, "department_manager")])

        # the approval drafted the credit note
        note = credit.move_id
        self.assertEqual((note.move_type, note.state, note.amount_total),
                         ("out_refund", "draft", 1200.0))
        self.assertEqual(note.complaint_id, c)

        # the exchange: a return of one pump and a replacement delivery
        c.with_user(self.handler).action_create_remedy_pickings()
        back = exchange.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        out = exchange.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual((back.return_id, back.move_ids.product_uom_qty), (delivery, 1.0))
        self.assertEqual((out.move_ids.product_id, out.move_ids.product_uom_qty),
                         (self.product, 1.0))

        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).customer_accepted = "accepted"
        with self.assertRaisesRegex(UserError, r"Exchange \(In progress\); Credit \(In progress\)"):
            c.with_user(self.handler).action_remedy_done()

        self._validate(back)
        self._validate(out)
        self.assertEqual(exchange.execution_state, "done")
        self.post_and_pay(note)
        self.assertEqual(credit.execution_state, "done")
        self.assertEqual(order.order_line.qty_delivered, 10.0)

        c.with_user(self.handler).action_remedy_done()
        self.assertEqual(c.state, "remedy_done")
        follow_up = c.milestone_ids.filtered(lambda m: m.code == "follow_up")
        self.assertEqual(follow_up.start_at, c.remedy_done_at)
        self.assertTrue(follow_up.due_at)
        self.assertGreater(follow_up.due_at, follow_up.start_at)
        self.assertFalse(follow_up.done_at)
