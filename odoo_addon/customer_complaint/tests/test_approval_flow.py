"""Approvals inside Odoo (SPEC §4): who is asked, the activity and the queued
e-mail, the decision wizard and the activity's own buttons, the chatter, the
reply milestone, the cost in the company currency at the proposal date."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .approval_common import ApprovalCase
from .common import utc


@tagged("post_install", "-at_install", "customer_complaint")
class TestApprovalFlow(ApprovalCase):
    def _mails_to(self, complaint, user):
        return (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "in", complaint.message_ids.ids),
                    ("recipient_ids", "in", user.partner_id.ids),
                ]
            )
        )

    def test_submit_asks_the_supervisor_and_approval_starts_the_reply(self):
        """300 on a one-stage category needs the supervisor: one activity for
        them with the case summary, an e-mail in the queue; approving through
        the wizard closes the activity, records the decision in the chatter,
        approves the complaint and starts the 1-working-hour reply milestone."""
        # Tuesday 10 March 2026, 10:00 in Shanghai: a working day
        with freeze_time(utc("2026-03-10 10:00")):
            c = self._proposed(category_id=self.cat_delivery.id)
            self.assertEqual(c.state, "remedy_proposed")
            self.assertEqual(c.approval_round, 1)
            self.assertEqual(c.proposed_at, utc("2026-03-10 10:00"))
            activities = self.approval_activities(c)
            self.assertEqual(activities.user_id, self.supervisor)
            self.assertEqual(len(activities), 1)
            self.assertIn(c.name, activities.note)
            self.assertIn("300", activities.note)
            self.assertIn("Handler", activities.note)  # proposed by
            mails = self._mails_to(c, self.supervisor)
            self.assertEqual(len(mails), 1)
            self.assertEqual(mails.state, "outgoing")  # queued, not sent inline
            self.assertFalse(self._mails_to(c, self.manager))
            self.assertEqual(c.approval_next_level_id, self.level_supervisor)

            wizard = (
                self.env["complaint.approval.wizard"]
                .with_user(self.supervisor)
                .create({"complaint_id": c.id, "decision": "approve", "reason": "fair"})
            )
            wizard.action_confirm()
        self.assertEqual(c.state, "approved")
        self.assertEqual(c.approval_ids.approver_id, self.supervisor)
        self.assertEqual(c.approval_ids.route_round, 1)
        self.assertEqual(c.approval_ids.comment, "fair")
        self.assertFalse(self.approval_activities(c))  # done: not pending any more
        bodies = " ".join(c.message_ids.mapped("body"))
        self.assertIn("Remedy approval: approved by Supervisor Su", bodies)
        reply = c.milestone_ids.filtered(lambda m: m.code == "reply")
        self.assertEqual(reply.start_at, utc("2026-03-10 10:00"))
        self.assertEqual(reply.due_at, utc("2026-03-10 11:00"))  # 1wh later

    def test_rejection_needs_a_reason_and_closes_the_activities(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        wizard = (
            self.env["complaint.approval.wizard"]
            .with_user(self.supervisor)
            .create({"complaint_id": c.id, "decision": "reject"})
        )
        with self.assertRaisesRegex(ValidationError, "reason"):
            wizard.action_confirm()
        self.assertEqual(c.state, "remedy_proposed")
        wizard.reason = "repair is not needed, a new seal is enough"
        wizard.action_confirm()
        self.assertEqual(c.state, "determined")
        self.assertFalse(c.approval_ids.approved)
        self.assertFalse(self.approval_activities(c))
        self.assertIn("rejected by Supervisor Su", " ".join(c.message_ids.mapped("body")))
        self.assertEqual(
            c.audit_ids.sorted("id")[-1].reason, "repair is not needed, a new seal is enough"
        )

    def test_buttons_on_the_activity_decide(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        activity = self.approval_activities(c).with_user(self.supervisor)
        self.assertTrue(activity.complaint_approval)
        action = activity.action_complaint_reject()
        self.assertEqual(action["res_model"], "complaint.approval.wizard")
        self.assertEqual(action["context"]["default_decision"], "reject")
        activity.action_complaint_approve()
        self.assertEqual(c.state, "approved")
        self.assertEqual(c.approval_ids.approver_id, self.supervisor)

    def test_two_stages_department_rule_first(self):
        """Product quality: investigation and remedy stages, each asked of the
        department's own approvers before the company-wide ones."""
        self.env["complaint.approver.rule"].create(
            {
                "authority_level_id": self.level_dept.id,
                "department_id": self.dept_quality.id,
                "user_ids": [(6, 0, self.director.ids)],
            }
        )
        c = self._proposed(amount=3000.0)
        self.assertEqual(c.department_id, self.dept_quality)
        self.assertEqual(self.approval_activities(c).user_id, self.director)
        self.assertEqual(c.approval_next_stage, "Investigation")
        c.with_user(self.director).action_approve_stage()
        self.assertEqual(c.state, "remedy_proposed")
        activities = self.approval_activities(c)
        self.assertEqual(activities.user_id, self.director)  # asked again, next stage
        self.assertEqual(c.approval_next_stage, "Remedy")
        c.with_user(self.director).action_approve_stage()
        self.assertEqual(c.state, "approved")
        self.assertEqual(c.approval_ids.mapped("stage"), ["investigation", "remedy"])
        self.assertFalse(self.approval_activities(c))

    def test_cost_in_company_currency_at_the_proposal_date(self):
        """400 in a foreign currency worth 2 company units on the proposal date
        is 800: above the supervisor's 500, so the department manager is asked."""
        company = self.env.company
        other = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", company.currency_id.id), ("name", "in", ("EUR", "USD"))], limit=1)
        )
        other.active = True
        Rate = self.env["res.currency.rate"]
        Rate.search([("currency_id", "in", (other | company.currency_id).ids)]).unlink()
        Rate.create(
            {
                "currency_id": other.id,
                "name": date(2026, 3, 1),
                "rate": 0.5,
                "company_id": company.id,
            }
        )
        Rate.create(
            {
                "currency_id": other.id,
                "name": date(2026, 4, 1),
                "rate": 1.0,
                "company_id": company.id,
            }
        )
        with freeze_time(datetime(2026, 3, 10, 2, 0)):
            c = self._proposed(amount=400.0, currency=other, category_id=self.cat_delivery.id)
        line = c.remedy_ids
        self.assertEqual(line.amount_company, 800.0)
        self.assertEqual(c.remedy_cost, 800.0)
        self.assertEqual(self.approval_activities(c).user_id, self.manager)
        with self.assertRaisesRegex(AccessError, "authority level Department/regional manager"):
            c.with_user(self.supervisor).action_approve_stage()
        # computed again later (today's rate is 1.0): still the proposal date's rate
        self.env["complaint.remedy"].browse(line.id)._compute_amount_company()
        self.assertEqual(line.amount_company, 800.0)
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.approval_ids.level_code, "department_manager")
        self.assertEqual(c.state, "approved")

    def test_own_limit_on_preferences(self):
        """A user reads their own approval limit; the preferences form shows it."""
        me = self.supervisor.with_user(self.supervisor)
        values = me.read(["complaint_authority_level_id"])[0]
        self.assertEqual(values["complaint_authority_level_id"][0], self.level_supervisor.id)
        arch = (
            self.env["res.users"]
            .with_user(self.supervisor)
            .get_view(self.env.ref("base.view_users_form_simple_modif").id)["arch"]
        )
        self.assertIn('name="complaint_authority_level_id"', arch)
        self.assertIn("complaint_authority_level_id", self.env["res.users"].SELF_READABLE_FIELDS)


@tagged("post_install", "-at_install", "customer_complaint")
class TestNotifications(ApprovalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.settings = cls.env["complaint.policy"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.settings.write(
            {
                "general_manager_id": cls.gm.id,
                "management_rep_id": cls.mgmt_rep.id,
                "pr_user_id": cls.pr.id,
            }
        )

    def _told(self, complaint, user):
        return complaint.message_ids.filtered(lambda m: user.partner_id in m.partner_ids)

    def test_product_quality_once(self):
        c = self.make()  # a product-quality sub-category
        self.assertTrue(c.notified_quality)
        told = self._told(c, self.gm)
        self.assertEqual(len(told), 1)
        self.assertEqual(told, self._told(c, self.mgmt_rep))
        self.assertIn("Product-quality complaint", told.body)
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", told.id)])
        self.assertEqual(
            set(mails.recipient_ids.ids), {self.gm.partner_id.id, self.mgmt_rep.partner_id.id}
        )
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        c.with_user(self.rep).write({"may_spread": True})  # assessed again: no second note
        self.assertEqual(len(self._told(c, self.gm)), 1)
        self.assertFalse(self._told(c, self.pr))

    def test_level1_and_pr(self):
        service = self.make(category_id=self.cat_service.id)
        self.assertFalse(service.notified_quality)
        self.assertFalse(self._told(service, self.gm))
        service.with_user(self.rep).write({"injury": True})
        self.assertEqual(service.severity, "1")
        told = self._told(service, self.gm)
        self.assertEqual(len(told), 1)
        self.assertIn("Level-1 complaint", told.body)
        media = self.make(category_id=self.cat_service.id, channel="media")
        self.assertTrue(media.notified_pr)
        self.assertEqual(len(self._told(media, self.pr)), 1)
        self.assertFalse(self._told(media, self.gm))


@tagged("post_install", "-at_install", "customer_complaint")
class TestAccountability(ApprovalCase):
    def test_managers_only_and_tracked(self):
        c = self.make()
        self.env.flush_all()
        self.env.cr.flush()  # the rep's request ends; the manager's begins
        vals = {
            "responsible_user_id": self.handler.id,
            "accountable_department_id": self.dept_service.id,
            "accountability_loss": 1200.0,
            "disciplinary_outcome": "written warning",
        }
        c.with_user(self.manager).write(vals)
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written at commit time
        messages = self.env["customer.complaint"].browse(c.id).message_ids
        tracked = messages.sudo().tracking_value_ids.field_id.mapped("name")
        for fname in vals:
            self.assertIn(fname, tracked)
        for user in (self.handler, self.quality, self.rep):
            for fname in vals:
                with self.subTest(user=user.login, field=fname), self.assertRaises(AccessError):
                    c.with_user(user).read([fname])
            with self.assertRaises(AccessError):
                c.with_user(user).write({"accountability_loss": 1.0})
        self.assertEqual(c.with_user(self.manager).accountability_loss, 1200.0)
