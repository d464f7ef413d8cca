"""Issue 11 item 2: "Mark as Done" on an approval activity must not make the
approval disappear. The server refuses every way of ending a pending approval
activity other than the decision, and offers the approval wizard instead."""

from lxml import etree

from odoo.exceptions import RedirectWarning
from odoo.tests import tagged

from .approval_common import ApprovalCase


@tagged("post_install", "-at_install", "customer_complaint")
class TestApprovalActivity(ApprovalCase):
    def _pending(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        activity = self.approval_activities(c)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.supervisor)
        return c, activity.with_user(self.supervisor)

    def _assert_refused(self, call, c, activity):
        with self.assertRaises(RedirectWarning) as caught:
            call()
        message, action, button = caught.exception.args[:3]
        self.assertIn(c.name, message)
        self.assertIn("Approve or Reject", message)
        self.assertEqual(button, "Approve or Reject")
        self.assertEqual(action["res_model"], "complaint.approval.wizard")
        self.assertEqual(action["context"]["default_complaint_id"], c.id)
        self.assertEqual(action["context"]["default_activity_id"], activity.id)
        # still pending, still for the approver, nothing decided
        self.assertEqual(self.approval_activities(c), activity)
        self.assertTrue(activity.sudo().active)
        self.assertEqual(c.state, "remedy_proposed")
        self.assertFalse(c.approval_ids)
        self.assertNotIn("Complaint Approval done", " ".join(c.message_ids.mapped("body")))

    def test_marking_done_is_refused_in_every_way(self):
        c, activity = self._pending()
        for call in (
            activity.action_done,
            lambda: activity.action_feedback(feedback="ok"),
            activity.action_done_schedule_next,
            lambda: activity.action_feedback_schedule_next(feedback="ok"),
            activity.action_done_redirect_to_other,
            activity.action_cancel,
            activity.unlink,
            lambda: activity.write({"active": False}),
            lambda: activity.write({"res_id": self._proposed().id}),
        ):
            self._assert_refused(call, c, activity)

    def test_refused_for_a_manager_too(self):
        """Not only the approver: nobody but the decision ends it."""
        c, activity = self._pending()
        self._assert_refused(activity.with_user(self.director).action_done, c, activity)

    def test_the_offered_wizard_approves_and_closes_the_activity(self):
        c, activity = self._pending()
        action = activity.action_complaint_decide()
        self.assertEqual(action["name"], "Approve or Reject the Remedy")
        wizard = (
            self.env["complaint.approval.wizard"]
            .with_user(self.supervisor)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.complaint_id, c)
        self.assertEqual(wizard.activity_id, activity)
        self.assertEqual(wizard.decision, "approve")
        wizard.action_confirm()
        self.assertEqual(c.state, "approved")
        self.assertEqual(c.approval_ids.approver_id, self.supervisor)
        self.assertFalse(self.approval_activities(c).exists())
        self.assertFalse(activity.sudo().exists())

    def test_rejection_through_the_wizard_closes_it(self):
        c, activity = self._pending()
        self.env["complaint.approval.wizard"].with_user(self.supervisor).create(
            {"complaint_id": c.id, "decision": "reject", "reason": "too expensive"}
        ).action_confirm()
        self.assertNotEqual(c.state, "remedy_proposed")
        self.assertFalse(self.approval_activities(c))

    def test_a_new_round_replaces_the_activity(self):
        """Voiding the round (remedies changed) or asking again removes the old
        activity without the guard getting in the way."""
        c, activity = self._pending()
        c._request_approvals()
        self.assertFalse(activity.sudo().exists())
        self.assertEqual(self.approval_activities(c).user_id, self.supervisor)

    def test_done_allowed_once_nothing_waits(self):
        """A left-over approval activity of a complaint no longer awaiting a
        decision may be closed like any other."""
        c, activity = self._pending()
        c.with_user(self.supervisor).action_approve_stage()
        self.assertEqual(c.state, "approved")
        stale = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("customer.complaint"),
                "res_id": c.id,
                "activity_type_id": self.activity_type.id,
                "user_id": self.supervisor.id,
            }
        )
        stale.with_user(self.supervisor).action_done()
        self.assertFalse(stale.exists())

    def test_archiving_the_approver_asks_again(self):
        c, activity = self._pending()
        other = self.supervisor.copy({"login": "cc_supervisor2", "name": "Supervisor Two"})
        other.complaint_authority_level_id = self.level_supervisor
        self.rule_supervisor.user_ids = [(4, other.id)]
        # an administrator (not the superuser) archives the approver
        self.supervisor.with_user(self.env.ref("base.user_admin")).action_archive()
        self.assertFalse(activity.sudo().exists())
        self.assertEqual(self.approval_activities(c).user_id, other)

    def test_activity_dialog_offers_approve_reject_only(self):
        c, activity = self._pending()
        self.assertTrue(activity.complaint_approval)
        arch = activity.get_view(self.env.ref("mail.mail_activity_view_form_popup").id, "form")[
            "arch"
        ]
        for name in ("action_complaint_approve", "action_complaint_reject"):
            self.assertIn(f'name="{name}"', arch)
        footer = etree.fromstring(arch).find(".//footer")
        for button in footer.iter("button"):
            if button.get("name") in ("action_done", "action_done_schedule_next"):
                self.assertIn("complaint_approval", button.get("invisible"))
