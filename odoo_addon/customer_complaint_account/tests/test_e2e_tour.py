"""Issue #4 end to end, run from the UI: the case of test_end_to_end.py with
its approvals, return pickings and "Remedy Done" clicked in the browser
(static/tests/tours/complaint_e2e_tour.js). The warehouse and accounting work
in between (validating the pickings, posting and paying the credit note) and
the reply to the customer stay in Python: they are Odoo's own screens, not
the complaint's."""

from odoo.tests import HttpCase, tagged

from .e2e_common import EndToEndCase


@tagged("post_install", "-at_install", "customer_complaint_account")
class TestE2ETour(EndToEndCase, HttpCase):
    def setUp(self):
        super().setUp()
        # the department manager (the approver) sees the pickings and the credit note
        # on the complaint form. Stock users read every sales order (sale_stock); the
        # salesman group is not given to them: its "own documents" rule would hide the
        # rep's order.
        self.manager.groups_id |= self.env.ref("stock.group_stock_user") | self.env.ref(
            "account.group_account_invoice"
        )

    def _url(self, complaint):
        return f"/odoo/action-customer_complaint.customer_complaint_action/{complaint.id}"

    def test_quality_complaint_from_the_ui(self):
        # a delivered order; a complaint on it, investigated, remedies proposed
        order = self._delivered_order()
        delivery = order.picking_ids
        c = self._proposed_on(order)
        exchange, credit = c.remedy_ids.sorted("id")
        self.assertEqual((c.state, c.remedy_cost), ("remedy_proposed", 1450.0))
        self.assertFalse(c.approval_ids)
        self.assertFalse(c.move_ids)

        # the department manager approves both stages with the form's button
        self.start_tour(
            self._url(c), "customer_complaint_e2e_approve_tour", login=self.manager.login
        )
        c.invalidate_recordset()
        self.assertEqual(c.state, "approved")
        self.assertEqual(
            [
                (a.stage, a.approver_id, a.level_code, a.approved)
                for a in c.approval_ids.sorted("id")
            ],
            [
                ("investigation", self.manager, "department_manager", True),
                ("remedy", self.manager, "department_manager", True),
            ],
        )
        note = credit.move_id
        self.assertEqual(
            (note.move_type, note.state, note.amount_total), ("out_refund", "draft", 1200.0)
        )
        self.assertEqual(note.complaint_id, c)
        self.assertEqual(c.move_ids, note)
        self.assertFalse(exchange.picking_ids)

        # the handler creates the return and the replacement delivery
        self.start_tour(
            self._url(c), "customer_complaint_e2e_pickings_tour", login=self.handler.login
        )
        exchange.invalidate_recordset()
        self.assertEqual(len(exchange.picking_ids), 2)
        back = exchange.picking_ids.filtered(lambda p: p.picking_type_code == "incoming")
        out = exchange.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        self.assertEqual((back.return_id, back.move_ids.product_uom_qty), (delivery, 1.0))
        self.assertEqual(
            (out.move_ids.product_id, out.move_ids.product_uom_qty), (self.product, 1.0)
        )
        self.assertEqual(exchange.execution_state, "in_progress")

        # Odoo's own screens: the customer is answered, the warehouse moves the
        # pumps, the accountant posts and pays the credit note
        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        self._validate(back)
        self._validate(out)
        self.assertEqual(exchange.execution_state, "done")
        self.post_and_pay(note)
        self.assertEqual(note.state, "posted")
        self.assertEqual(credit.execution_state, "done")
        self.assertEqual(order.order_line.qty_delivered, 10.0)
        self.assertEqual(c.state, "replied")

        # the handler marks the remedy done
        self.start_tour(
            self._url(c), "customer_complaint_e2e_remedy_done_tour", login=self.handler.login
        )
        c.invalidate_recordset()
        self.assertEqual(c.state, "remedy_done")
        self.assertTrue(c.remedy_done_at)
        done = c.audit_ids.filtered(lambda a: a.to_state == "remedy_done")
        self.assertEqual((done.user_id, done.from_state), (self.handler, "replied"))
        follow_up = c.milestone_ids.filtered(lambda m: m.code == "follow_up")
        self.assertEqual(follow_up.start_at, c.remedy_done_at)
        self.assertTrue(follow_up.due_at)
        self.assertGreater(follow_up.due_at, follow_up.start_at)
        self.assertFalse(follow_up.done_at)
