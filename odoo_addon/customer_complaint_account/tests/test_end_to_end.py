"""Issue #4 end to end: a product-quality complaint on a delivered sales order,
remedied by an exchange and a 1,200 credit, approved in two stages, carried
out by Odoo's return pickings and a paid credit note, then followed up."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .e2e_common import EndToEndCase


@tagged("post_install", "-at_install", "customer_complaint_account")
class TestEndToEnd(EndToEndCase):
    def test_quality_complaint_from_order_to_follow_up(self):
        # a delivered order; a complaint on it, investigated, remedies proposed
        order = self._delivered_order()
        delivery = order.picking_ids
        c = self._proposed_on(order)
        self.assertEqual(c.category_id.parent_id.code, "product_quality")
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
            [
                ("investigation", self.manager, "department_manager"),
                ("remedy", self.manager, "department_manager"),
            ],
        )

        # the approval drafted the credit note
        note = credit.move_id
        self.assertEqual(
            (note.move_type, note.state, note.amount_total), ("out_refund", "draft", 1200.0)
        )
        self.assertEqual(note.complaint_id, c)

        # the exchange: a return of one pump and a replacement delivery
        c.with_user(self.handler).action_create_remedy_pickings()
        back = exchange.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        out = exchange.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual((back.return_id, back.move_ids.product_uom_qty), (delivery, 1.0))
        self.assertEqual(
            (out.move_ids.product_id, out.move_ids.product_uom_qty), (self.product, 1.0)
        )

        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        with self.assertRaisesRegex(UserError, r"Exchange \(In progress\), Credit \(In progress\)"):
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
