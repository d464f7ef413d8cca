"""SPEC §5 by hand: a dissatisfied follow-up answer typed on the form takes the
same path as the survey's (`_after_satisfaction`): reopened, or a manager
decides, as the policy says; and the form proposes that answer."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install", "customer_complaint")
class TestDissatisfiedByHand(ComplaintCase):
    def _followed_up(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.manager).action_approve_stage()
        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        c.with_user(self.handler).action_remedy_done()
        c.with_user(self.handler).action_follow_up()
        self.assertEqual(c.state, "follow_up")
        return c

    def _manager_decides(self):
        settings = self.env["complaint.policy"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ) or self.env["complaint.policy"].create({"company_id": self.env.company.id})
        settings.dissatisfied_response = "manager_decides"
        self.env["complaint.policy"]._invalidate_policy_cache()

    def _decision_todos(self, c):
        return c.activity_ids.filtered(
            lambda a: a.user_id == c.department_id.manager_id and "Dissatisfied" in a.summary
        )

    def test_reopen_policy_reopens_on_a_hand_recorded_answer(self):
        c = self._followed_up()
        c.with_user(self.handler).write({"follow_up_method": "phone", "satisfaction": "2"})
        self.assertEqual(c.state, "investigating")
        self.assertTrue(c.recomplaint)
        entries = c.audit_ids.filtered(lambda e: e.action == "reopen")
        self.assertEqual(len(entries), 1, "reopened once")
        self.assertEqual(entries.user_id, self.handler)
        self.assertEqual(entries.from_state, "follow_up")
        self.assertFalse(self._decision_todos(c))
        self.assertFalse(c.can_close)

    def test_answer_recorded_before_the_follow_up_step_counts_there(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.manager).action_approve_stage()
        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        c.with_user(self.handler).action_remedy_done()
        c.with_user(self.handler).satisfaction = "1"
        self.assertEqual(c.state, "remedy_done", "nothing before the follow-up")
        c.with_user(self.handler).action_follow_up()
        self.assertEqual(c.state, "investigating")
        self.assertEqual(len(c.audit_ids.filtered(lambda e: e.action == "reopen")), 1)

    def test_manager_decides_policy_asks_the_manager_and_close_is_not_primary(self):
        self._manager_decides()
        c = self._followed_up()
        c.with_user(self.handler).satisfaction = "1"
        self.assertEqual(c.state, "follow_up")
        self.assertEqual(c.satisfaction, "1")
        self.assertEqual(len(self._decision_todos(c)), 1)
        # the same answer saved again asks nobody twice
        c.with_user(self.handler).write({"satisfaction": "1", "follow_up_notes": "Called."})
        self.assertEqual(len(self._decision_todos(c)), 1)
        # the form proposes the policy's answer: Reopen first, closing is explained
        self.assertTrue(c.with_user(self.handler).dissatisfied_pending)
        arch = c.with_user(self.handler).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("or dissatisfied_pending", arch)
        self.assertIn("Close with Explanation", arch)
        # the one primary button is Reopen, for whoever may reopen; never Close
        self.assertEqual(c.with_user(self.manager).next_action, "reopen")
        self.assertNotEqual(c.with_user(self.handler).next_action, "close")
        # the handler cannot close a dissatisfied case; the manager closes with a reason
        with self.assertRaises(UserError):
            c.with_user(self.handler).action_close()
        with self.assertRaises(UserError):
            c.with_user(self.manager).action_close()
        self.assertEqual(c.state, "follow_up")
        c.with_user(self.manager).write({"action_reason": "Refund beyond policy refused."})
        c.with_user(self.manager).action_close()
        self.assertEqual(c.state, "closed")

    def test_manager_decides_the_manager_reopens(self):
        self._manager_decides()
        c = self._followed_up()
        c.with_user(self.handler).satisfaction = "2"
        self.assertTrue(c.with_user(self.manager).can_reopen)
        c.with_user(self.manager).action_reopen()
        self.assertEqual(c.state, "investigating")
        self.assertFalse(c.dissatisfied_pending)

    def test_satisfied_answer_changes_nothing(self):
        for policy in ("reopen", "manager_decides"):
            with self.subTest(policy=policy):
                if policy == "manager_decides":
                    self._manager_decides()
                c = self._followed_up()
                audits = len(c.audit_ids)
                c.with_user(self.handler).satisfaction = "4"
                self.assertEqual(c.state, "follow_up")
                self.assertEqual(len(c.audit_ids), audits)
                self.assertFalse(self._decision_todos(c))
                self.assertFalse(c.dissatisfied_pending)
                self.assertTrue(c.with_user(self.handler).can_close)
                c.with_user(self.handler).action_close()
                self.assertEqual(c.state, "closed")

    def test_a_json_rpc_context_cannot_skip_the_policy(self):
        c = self._followed_up()
        # a client's context arrives as JSON: a list, never the in-process tuple
        c.with_user(self.handler).with_context(
            complaint_satisfaction_applied_by_caller=[c.id]
        ).satisfaction = "2"
        self.assertEqual(c.state, "investigating")
