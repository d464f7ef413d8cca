"""The customer in the loop (SPEC §1 受理回执, §4 written reply, §5): the
acknowledgement with the number and the promised date in the customer's
language, progress notices, the written reply through the composer with the
reply letter, the customer's own accept / reject step, and what follows a
dissatisfied answer. Real mail.mail records are checked (Odoo's mail gateway
mock keeps them instead of sending)."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.misc import format_datetime

from odoo.addons.mail.tests.common import MailCase

from .common import ComplaintCase

ACK = "customer_complaint.mail_template_complaint_acknowledgement"


@tagged("post_install", "-at_install", "customer_complaint")
class TestCustomerLoop(ComplaintCase, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.auditor = new_test_user(
            cls.env,
            "cc_loop_auditor",
            name="Auditor",
            groups="customer_complaint.group_complaint_auditor",
        )

    def _mails_to(self, partner):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", partner.ids), ("model", "=", "customer.complaint")]
        )

    def _replied(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.manager).action_approve_stage()
        c.with_user(self.rep).action_reply()
        self.assertEqual(c.state, "replied")
        return c

    # -- acknowledgement -----------------------------------------------------------------

    def _acknowledge(self):
        with self.mock_mail_gateway(mail_unlink_sent=False):
            self.Complaint._cron_send_acknowledgements()

    def test_acknowledgement_with_number_and_promised_date(self):
        cron = self.env.ref("customer_complaint.ir_cron_complaint_acknowledge")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        c = self.make()
        # queued at registration, the scheduled action triggered at once
        self.assertTrue(c.acknowledgement_due)
        self.assertFalse(c.acknowledged_at)
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1
        )
        self._acknowledge()
        self.assertFalse(c.acknowledgement_due)
        self.assertTrue(c.acknowledged_at)
        self.assertTrue(c.promised_at)
        resolution = c.milestone_ids.filtered(lambda m: m.code == "resolution")
        self.assertEqual(c.promised_at, resolution.due_at)
        mail = self._mails_to(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertIn(c.name, mail.subject)
        self.assertIn(c.name, str(mail.body_html))
        self.assertIn(f"/my/complaints/{c.id}", str(mail.body_html))
        self.assertIn("access_token=", str(mail.body_html))
        # the promised date as the customer reads it: in the business calendar's time
        # zone (the customer has none), not in UTC
        shown = format_datetime(self.env, c.promised_at, tz="Asia/Shanghai", dt_format="medium")
        self.assertIn(shown, str(mail.body_html))
        utc_shown = format_datetime(self.env, c.promised_at, tz="UTC", dt_format="medium")
        self.assertNotIn(utc_shown, str(mail.body_html))
        self.assertEqual(mail.author_id, self.env.company.partner_id)
        # never twice, whatever calls it again
        self._acknowledge()
        with self.mock_mail_gateway(mail_unlink_sent=False):
            c._send_acknowledgement()
        self.assertEqual(len(self._mails_to(self.customer)), 1)

    def test_acknowledgement_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_complaint"], ["zh_CN"], overwrite=True
        )
        self.customer.lang = "zh_CN"
        c = self.make()
        self._acknowledge()
        mail = self._mails_to(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertIn(c.name, mail.subject)
        self.assertIn("投诉", mail.subject)
        self.assertIn("答复", str(mail.body_html))
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        shown = format_datetime(zh, c.promised_at, tz="Asia/Shanghai", dt_format="medium")
        self.assertIn(shown, str(mail.body_html))

    def test_no_acknowledgement_when_switched_off_or_no_email(self):
        settings = self.env["complaint.policy"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ) or self.env["complaint.policy"].create({"company_id": self.env.company.id})
        settings.ack_phone = False
        self.env["complaint.policy"]._invalidate_policy_cache()
        c = self.make(channel="phone")
        d = self.make(channel="email")
        self.assertFalse(c.acknowledgement_due)
        self._acknowledge()
        self.assertFalse(c.acknowledged_at)
        self.assertTrue(d.acknowledged_at)
        silent = self.env["res.partner"].create({"name": "Internal test partner"})
        e = self.make(partner_id=silent.id, channel="email")
        self._acknowledge()
        self.assertFalse(e.acknowledgement_due or e.acknowledged_at)
        self.assertFalse(self._mails_to(silent))

    def test_nobody_writes_the_customer_fields(self):
        c = self.make()
        for values in (
            {"acknowledged_at": False},
            {"acknowledgement_due": True},
            {"customer_accepted": "accepted"},
            {"promised_at": "2030-01-01 00:00:00"},
            {"customer_stage": "closed"},
        ):
            with self.assertRaises(UserError), self.env.cr.savepoint():
                c.with_user(self.manager).write(values)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.Complaint.with_user(self.rep).create(
                {
                    "partner_id": self.customer.id,
                    "description": "x",
                    "acknowledged_at": "2020-01-01 00:00:00",
                }
            )

    def test_every_case_has_its_own_portal_token(self):
        c = self.Complaint.with_user(self.rep).create(
            {"partner_id": self.customer.id, "description": "x", "access_token": "guessable"}
        )
        self.assertTrue(c.access_token)
        self.assertNotEqual(c.access_token, "guessable")
        self.assertNotEqual(c.access_token, self.make().access_token)

    # -- progress notices --------------------------------------------------------------

    def test_progress_notice_once_per_named_state(self):
        c = self.make()
        c.with_user(self.manager).write({"user_id": self.handler.id})
        with self.mock_mail_gateway(mail_unlink_sent=False):
            c.with_user(self.manager).action_triage()
        notices = self._mails_to(self.customer)
        self.assertEqual(len(notices), 1)
        self.assertIn(c.name, notices.subject)
        # investigating is not a state the default policy tells the customer of
        with self.mock_mail_gateway(mail_unlink_sent=False):
            c.with_user(self.handler).action_start_investigation()
        self.assertEqual(len(self._mails_to(self.customer)), 1)

    # -- the written reply -------------------------------------------------------------

    def test_reply_through_the_composer_with_the_letter(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.manager).action_approve_stage()
        action = c.with_user(self.rep).action_reply_send()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = Form(
            self.env["mail.compose.message"].with_user(self.rep).with_context(**action["context"])
        )
        self.assertIn(c.name, composer.subject)
        self.assertIn("Accept or reject", composer.body)
        with self.mock_mail_gateway(mail_unlink_sent=False):
            composer.save().action_send_mail()
        self.assertEqual(c.state, "replied")
        self.assertEqual(c.audit_ids.sorted("id")[-1].action, "reply")
        message = c.message_ids.filtered(lambda m: "our reply" in (m.subject or ""))
        self.assertEqual(len(message), 1)
        self.assertTrue(message.attachment_ids, "the reply letter is attached")
        self.assertIn(self.customer, message.partner_ids)
        # the letter's own content: the finding and the remedy in customer words, no cost
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("customer_complaint.action_report_complaint_reply", c.ids)[0]
            .decode()
        )
        self.assertIn(c.name, html)
        self.assertIn("Free repair", html)
        self.assertIn("Misuse by the customer", html)
        self.assertNotIn("300.0", html)

    def test_reply_context_cannot_take_the_step_for_someone_without_the_role(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.manager).action_approve_stage()
        # the auditor may not write the case: the step is refused, the message not posted
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            c.with_user(self.auditor).with_context(complaint_reply_send=True).message_post(
                body="hello"
            )
        self.assertEqual(c.state, "approved")
        with self.assertRaises(UserError):
            c.with_user(self.auditor).action_reply_send()

    # -- the customer's answer -----------------------------------------------------------

    def test_customer_accepts_as_the_customer(self):
        c = self._replied()
        contact = self.env["res.partner"].create(
            {"name": "Buyer Wang", "parent_id": self.customer.id, "email": "wang@widgets.example"}
        )
        portal = new_test_user(
            self.env, "cc_loop_portal", groups="base.group_portal", partner_id=contact.id
        )
        c.with_user(portal).sudo()._customer_answer(True, partner=contact)
        self.assertEqual(c.customer_accepted, "accepted")
        self.assertEqual(c.state, "replied")
        entry = c.audit_ids.sorted("id")[-1]
        self.assertEqual(entry.action, "customer_accepts")
        self.assertEqual(entry.partner_id, contact)
        self.assertEqual(entry.user_id, portal)
        # answered once: a second accept is refused with the core's reason
        with self.assertRaises(UserError):
            c.sudo()._customer_answer(True, partner=contact)
        c.with_user(self.handler).action_remedy_done()
        self.assertEqual(c.state, "remedy_done")

    def test_customer_rejects_with_a_reason_and_others_cannot_answer(self):
        c = self._replied()
        stranger = self.env["res.partner"].create({"name": "Someone else"})
        with self.assertRaises(AccessError):
            c.sudo()._customer_answer(True, partner=stranger)
        with self.assertRaises(UserError):
            c.sudo()._customer_answer(False, partner=self.customer)
        self.assertEqual(c.state, "replied")
        c.sudo()._customer_answer(False, "I want my money back", partner=self.customer)
        self.assertEqual(c.state, "determined")
        entry = c.audit_ids.sorted("id")[-1]
        self.assertEqual((entry.action, entry.reason), ("customer_rejects", "I want my money back"))
        self.assertEqual(entry.partner_id, self.customer)

    # -- after the follow-up -----------------------------------------------------------

    def _followed_up(self):
        c = self._replied()
        c.with_user(self.rep).action_customer_accepts()
        c.with_user(self.handler).action_remedy_done()
        c.with_user(self.handler).action_follow_up()
        return c

    def test_dissatisfied_answer_reopens(self):
        c = self._followed_up()
        # as the survey bridge does: the caller applies the policy, as the customer
        c.sudo().with_context(complaint_satisfaction_applied_by_caller=(c.id,)).satisfaction = "2"
        c.sudo()._after_satisfaction(partner=self.customer)
        self.assertEqual(c.state, "investigating")
        self.assertTrue(c.recomplaint)
        entry = c.audit_ids.sorted("id")[-1]
        self.assertEqual((entry.action, entry.partner_id), ("reopen", self.customer))

    def test_satisfied_answer_changes_nothing(self):
        c = self._followed_up()
        # as the survey bridge does: the caller applies the policy, as the customer
        c.sudo().with_context(complaint_satisfaction_applied_by_caller=(c.id,)).satisfaction = "4"
        c.sudo()._after_satisfaction(partner=self.customer)
        self.assertEqual(c.state, "follow_up")

    def test_dissatisfied_answer_asks_the_manager_when_the_policy_says_so(self):
        settings = self.env["complaint.policy"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ) or self.env["complaint.policy"].create({"company_id": self.env.company.id})
        settings.dissatisfied_response = "manager_decides"
        self.env["complaint.policy"]._invalidate_policy_cache()
        c = self._followed_up()
        # as the survey bridge does: the caller applies the policy, as the customer
        c.sudo().with_context(complaint_satisfaction_applied_by_caller=(c.id,)).satisfaction = "1"
        c.sudo()._after_satisfaction(partner=self.customer)
        self.assertEqual(c.state, "follow_up")
        activity = c.activity_ids.filtered(lambda a: a.user_id == c.department_id.manager_id)
        self.assertEqual(len(activity), 1)
        self.assertIn("Dissatisfied", activity.summary)
