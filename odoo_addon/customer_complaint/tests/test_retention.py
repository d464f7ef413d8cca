"""SPEC §6 retention in Odoo (issue 10 §4): the important flag, the end of
retention from the policy, the scheduled archiving and anonymisation (batches,
resumable, idempotent), *Anonymise now* on request, and the rule fields refused
to every client."""

import base64
import json
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from complaint_core.stats import GROUPINGS

from . import test_figures  # (the module, so its tests are not collected here again)
from .common import ComplaintCase, utc

ANONYMOUS = "customer_complaint.res_partner_anonymous_customer"
NOW = utc("2029-01-20 10:00")  # the day after the last day of a case closed on 2026-01-19


def flush_tracking(env):
    """End the "request": tracking values are written at commit time, and Odoo
    tracks no write on a record created in the same request."""
    env.flush_all()
    env.cr.flush()


@tagged("post_install", "-at_install", "customer_complaint")
class TestRetention(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer2 = cls.env["res.partner"].create(
            {
                "name": "Wang Fang",
                "user_id": cls.rep.id,
                "email": "wang.fang@example.com",
                "phone": "+86 138 0000 0000",
            }
        )
        cls.anonymous = cls.env.ref("customer_complaint.res_partner_anonymous_customer")

    def _closed(self, when="2026-01-19", **vals):
        """A complaint registered and withdrawn on ``when`` (Shanghai), with personal
        data in every place anonymisation clears."""
        with freeze_time(utc(f"{when} 10:00")):
            values = {
                "contact_name": "Li Lei",
                "phone": "+86 21 5555 0101",
                "email": "li.lei@widgets.example",
                "address": "1 Century Avenue, Shanghai",
                "description": "Mr Li says the pump leaks at his home",
                "demand_other": "call Li on his mobile",
                "quantity": 10,
                "defective_quantity": 2,
                "customer_loss": 120.0,
            }
            values.update(vals)
            c = self.make(**values)
            flush_tracking(self.env)
            evidence = self.env["ir.attachment"].create(
                {
                    "name": "photo_of_li.jpg",
                    "datas": base64.b64encode(b"jpeg"),
                    "res_model": c._name,
                    "res_id": c.id,
                }
            )
            c.with_user(self.rep).write(
                {"evidence_ids": [(4, evidence.id)], "partner_id": self.customer2.id}
            )
            # the customer's e-mail in the chatter, with a file
            c.sudo().message_post(
                body="Li Lei here, my phone is +86 138 0000 0000",
                author_id=self.customer2.id,
                email_from="Wang Fang <wang.fang@example.com>",
                message_type="email",
                subtype_xmlid="mail.mt_comment",
                attachments=[("invoice_li.pdf", b"%PDF-1.4")],
            )
            c.with_user(self.rep).action_reason = "solved by phone"
        with freeze_time(utc(f"{when} 11:00")):
            c.with_user(self.rep).action_withdraw()
        flush_tracking(self.env)
        return self.Complaint.browse(c.id)

    # -- the end of retention ------------------------------------------------------------

    def test_retention_end_comes_from_the_policy(self):
        c = self._closed()
        self.assertEqual(c.retention_until, date(2029, 1, 19))  # 3 years
        c.with_user(self.quality).important = True  # allowed on a closed case
        self.assertEqual(c.retention_until, date(2036, 1, 19))  # important: 10 years
        settings = self.env.ref("customer_complaint.complaint_policy_main")
        settings.retention_years = 5
        self.env.flush_all()
        self.assertEqual(c.retention_until, date(2036, 1, 19))
        settings.retention_important_years = 12
        self.env.flush_all()
        self.assertEqual(c.retention_until, date(2038, 1, 19))
        c.with_user(self.manager).important = False
        self.assertEqual(c.retention_until, date(2031, 1, 19))
        self.assertFalse(self.make().retention_until)  # open: no end yet

    def test_important_is_set_by_quality_and_managers_only_and_tracked(self):
        c = self.Complaint.browse(self.make().id)
        flush_tracking(self.env)
        with self.assertRaisesRegex(AccessError, "Only quality staff and managers"):
            c.with_user(self.rep).important = True
        with self.assertRaisesRegex(AccessError, "Only quality staff and managers"):
            c.with_user(self.handler).write({"important": True})
        with self.assertRaisesRegex(AccessError, "Only quality staff and managers"):
            self.make(important=True)
        c.with_user(self.quality).important = True
        flush_tracking(self.env)
        tracked = c.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "important"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.mail_message_id.author_id, self.quality.partner_id)

    def test_the_retention_rule_fields_are_refused_to_users(self):
        c = self._closed()
        admin = self.env.ref("base.user_admin")
        for vals in (
            {"active": False},
            {"anonymised_at": "2026-02-01 00:00:00"},
            {"retention_until": "2099-01-01"},
        ):
            with self.assertRaisesRegex(UserError, "only through its workflow steps"):
                c.with_user(admin).write(vals)
        for method in ("action_archive", "action_unarchive", "toggle_active"):
            with self.assertRaisesRegex(UserError, "archived only by the retention rule"):
                getattr(c.with_user(admin), method)()
        with self.assertRaisesRegex(UserError, "only through its workflow steps"):
            self.make(active=False)
        # a default in the context is caller input too: it archives nothing
        new = (
            self.Complaint.with_user(self.rep)
            .with_context(default_active=False)
            .create({"partner_id": self.customer.id, "description": "x"})
        )
        self.assertTrue(new.active)
        self.assertTrue(c.active)
        self.assertFalse(c.anonymised_at)

    # -- the scheduled action -------------------------------------------------------------

    def test_cron_archives_and_anonymises_only_the_expired(self):
        expired = self._closed()
        important = self._closed()
        important.with_user(self.quality).important = True
        later = self._closed(when="2026-06-01")
        still_open = self.make()
        Complaint = self.env["customer.complaint"]
        # the last day of retention: nothing yet
        self.assertEqual(Complaint._archive_expired(now=utc("2029-01-19 23:30")), 0)
        self.assertTrue(expired.active)
        token = expired.access_token
        evidence = expired.evidence_ids
        customer_mail = expired.message_ids.filtered(lambda m: m.author_id == self.customer2)
        files = evidence | customer_mail.attachment_ids
        self.assertEqual(len(files), 2)

        self.assertEqual(Complaint._archive_expired(now=NOW), 1)
        flush_tracking(self.env)
        for c in (important, later, still_open):
            self.assertTrue(c.active)
            self.assertFalse(c.anonymised_at)
            self.assertEqual(c.partner_id, self.customer2 if c != still_open else self.customer)
        self.assertEqual(important.contact_name, "Li Lei")
        # archived: out of the default searches, kept for the statistics
        self.assertNotIn(expired, Complaint.search([]))
        self.assertIn(expired, Complaint.with_context(active_test=False).search([]))
        self.assertFalse(expired.active)
        self.assertEqual(expired.anonymised_at, NOW)
        self.assertEqual(expired.partner_id, self.anonymous)
        for fname in ("contact_name", "phone", "email", "address", "description", "demand_other"):
            self.assertFalse(expired[fname], fname)
        self.assertNotEqual(expired.access_token, token)
        self.assertFalse(expired.evidence_ids)
        self.assertFalse(files.exists())
        # the customer's e-mail keeps its place in the history, not its words
        self.assertNotIn("138", customer_mail.body)
        self.assertEqual(customer_mail.author_id, self.anonymous)
        self.assertFalse(customer_mail.email_from)
        self.assertNotIn(self.customer2, expired.message_partner_ids)
        # no tracking value of a personal field is left
        tracked = expired.message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertNotIn("partner_id", tracked)
        history = expired.message_ids.mapped("body") + [
            str(v.old_value_char) + str(v.new_value_char)
            for v in expired.message_ids.tracking_value_ids
        ]
        self.assertFalse([h for h in history if "Wang" in str(h) or "Li Lei" in str(h)])
        # what the statistics read is unchanged
        self.assertEqual(expired.state, "withdrawn")
        self.assertEqual(expired.closed_at, utc("2026-01-19 11:00"))
        self.assertEqual(
            (expired.category_id, expired.quantity, expired.defective_quantity),
            (self.cat_quality, 10.0, 2.0),
        )
        self.assertEqual(expired.customer_loss, 120.0)
        self.assertEqual(expired.received_at, utc("2026-01-19 10:00"))
        audit = expired.audit_ids.filtered(lambda a: a.action == "archive")
        self.assertEqual(len(audit), 1)
        self.assertEqual(audit.at, NOW)
        self.assertIn("retention", audit.reason)

        # a rerun finds nothing: nothing is done twice
        self.assertEqual(Complaint._archive_expired(now=NOW), 0)
        self.assertEqual(len(expired.audit_ids.filtered(lambda a: a.action == "archive")), 1)
        # an archived case is never reopened
        with self.assertRaises(UserError):
            expired.with_user(self.manager).action_reopen()

    def test_a_failing_batch_leaves_the_earlier_batches_done(self):
        cases = [self._closed() for _ in range(3)]
        Complaint = self.env["customer.complaint"]
        original = type(Complaint)._anonymise

        def fails_on_the_second(records, reason, now, archive=False):
            if cases[1] in records:
                raise UserError(records.env._("disk full"))
            return original(records, reason, now, archive)

        with (
            patch.object(type(Complaint), "_anonymise", fails_on_the_second),
            self.assertRaisesRegex(UserError, "disk full"),
        ):
            Complaint._archive_expired(now=NOW, batch_size=1)
        self.assertEqual([c.active for c in cases], [False, True, True])
        self.assertTrue(cases[0].anonymised_at)
        self.assertFalse(cases[1].anonymised_at)
        self.assertFalse(cases[1].audit_ids.filtered(lambda a: a.action == "archive"))
        # the next run resumes with what is left
        self.assertEqual(Complaint._archive_expired(now=NOW, batch_size=1), 2)
        self.assertEqual([c.active for c in cases], [False, False, False])
        for c in cases:
            self.assertEqual(len(c.audit_ids.filtered(lambda a: a.action == "archive")), 1)

    def test_scheduled_action_reports_progress(self):
        c = self._closed()
        cron = self.env.ref("customer_complaint.ir_cron_complaint_retention")
        self.assertEqual(cron.code.strip(), "model._cron_archive_expired()")
        with freeze_time(NOW):
            cron.method_direct_trigger()
        self.assertFalse(c.active)
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertGreaterEqual(progress.done, 1)
        self.assertEqual(progress.remaining, 0)

    # -- Anonymise now (a data subject's request) ----------------------------------------

    def test_anonymise_now_on_request(self):
        c = self._closed()
        Wizard = self.env["complaint.anonymise.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.handler).create({"complaint_id": c.id, "reason": "x"})
        with self.assertRaisesRegex(AccessError, "Only managers and administrators"):
            c.with_user(self.quality).action_anonymise()
        # an open case: refused with a clear error
        still_open = self.make(contact_name="Li Lei")
        with self.assertRaisesRegex(UserError, "still open"):
            still_open.with_user(self.manager).action_anonymise()
        wizard = Wizard.with_user(self.manager).create(
            {"complaint_id": still_open.id, "reason": "PIPL request"}
        )
        with self.assertRaisesRegex(UserError, "still open"):
            wizard.action_confirm()
        self.assertEqual(still_open.contact_name, "Li Lei")
        self.assertFalse(still_open.anonymised_at)
        # a reason is required
        with self.assertRaisesRegex(UserError, "reason"):
            Wizard.with_user(self.manager).create(
                {"complaint_id": c.id, "reason": "   "}
            ).action_confirm()
        action = c.with_user(self.manager).action_anonymise()
        self.assertEqual(action["res_model"], "complaint.anonymise.wizard")
        with freeze_time(utc("2026-03-01 09:00")):
            Wizard.with_user(self.manager).with_context(**action["context"]).create(
                {"reason": "Data subject request of 2026-02-28, ref. DSR-17"}
            ).action_confirm()
        self.assertEqual(c.partner_id, self.anonymous)
        self.assertFalse(c.contact_name)
        self.assertEqual(c.anonymised_at, utc("2026-03-01 09:00"))
        self.assertTrue(c.active)  # archived only at the end of retention
        audit = c.audit_ids.filtered(lambda a: a.action == "anonymise")
        self.assertEqual(
            (audit.user_id, audit.at, audit.reason),
            (
                self.manager,
                utc("2026-03-01 09:00"),
                "Data subject request of 2026-02-28, ref. DSR-17",
            ),
        )
        with self.assertRaisesRegex(UserError, "already anonymised"):
            c.with_user(self.manager).action_anonymise()
        # the end of retention archives it later; nothing personal is left to remove
        self.assertEqual(self.env["customer.complaint"]._archive_expired(now=NOW), 1)
        self.assertFalse(c.active)

    def test_policy_names_the_free_text_fields(self):
        c = self._closed()
        settings = self.env.ref("customer_complaint.complaint_policy_main")
        settings.retention_personal_fields = "demand_other"
        self.env["customer.complaint"]._archive_expired(now=NOW)
        self.assertFalse(c.demand_other)
        self.assertEqual(c.description, "Mr Li says the pump leaks at his home")
        for bad in ("demand_other, state", "customer_loss", "no_such_field", "lot_number"):
            with self.assertRaisesRegex(ValidationError, "not free-text fields"):
                settings.retention_personal_fields = bad


@tagged("post_install", "-at_install", "customer_complaint")
class TestRetentionRpc(HttpCase):
    """The server refuses the retention rule fields to a JSON-RPC client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.policy"]._invalidate_policy_cache()
        cls.admin = new_test_user(
            cls.env,
            "cc_ret_admin",
            password="cc_ret_admin_pw",
            groups="customer_complaint.group_complaint_admin",
        )
        cls.rep = new_test_user(
            cls.env,
            "cc_ret_rep",
            password="cc_ret_rep_pw",
            groups="customer_complaint.group_complaint_sales_rep",
        )
        customer = cls.env["res.partner"].create({"name": "RPC Customer", "user_id": cls.rep.id})
        cls.complaint = (
            cls.env["customer.complaint"]
            .with_user(cls.rep)
            .create({"partner_id": customer.id, "description": "kettle leaks"})
        )

    def call_kw(self, model, method, args, kwargs=None):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def error(self, answer):
        self.assertIn("error", answer)
        return answer["error"]["data"]["message"]

    def test_rule_fields_over_json_rpc(self):
        c = self.complaint
        self.authenticate("cc_ret_admin", "cc_ret_admin_pw")
        for vals in (
            {"active": False},
            {"anonymised_at": "2026-01-01 00:00:00"},
            {"retention_until": "2020-01-01"},
        ):
            answer = self.call_kw(
                "customer.complaint", "write", [[c.id], vals], {"context": {"active_test": False}}
            )
            self.assertIn("only through its workflow steps", self.error(answer))
        for method in ("action_archive", "toggle_active"):
            answer = self.call_kw("customer.complaint", method, [[c.id]])
            self.assertIn("archived only by the retention rule", self.error(answer))
        for method in ("_anonymise", "_archive_expired", "_anonymise_on_request"):
            answer = self.call_kw("customer.complaint", method, [[c.id], "x"])
            self.assertIn("error", answer)  # private: not callable over RPC
        # an open case: Anonymise now refuses, whoever asks
        answer = self.call_kw("customer.complaint", "action_anonymise", [[c.id]])
        self.assertIn("still open", self.error(answer))
        self.authenticate("cc_ret_rep", "cc_ret_rep_pw")
        answer = self.call_kw("customer.complaint", "write", [[c.id], {"important": True}])
        self.assertIn("Only quality staff and managers", self.error(answer))
        c.invalidate_recordset()
        self.assertTrue(c.active)
        self.assertFalse(c.important or c.anonymised_at)


@tagged("post_install", "-at_install", "customer_complaint")
class TestRetentionKeepsTheStatistics(ComplaintCase):
    """Issue 10 "the retention job anonymises an expired complaint without changing
    the table": the statistics of a past month (November 2026, the figures' test
    month) are the same before and after the end of its retention."""

    # the figures' November walk (their helpers, not their tests)
    _walk_to_closed = test_figures.TestFigures._walk_to_closed
    _november = test_figures.TestFigures._november

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # what the figures' November fixture needs (tests/test_figures.py)
        cls.auditor = new_test_user(
            cls.env, "cc_ret_auditor", groups="customer_complaint.group_complaint_auditor"
        )
        cls.finance_manager = new_test_user(
            cls.env, "cc_ret_finance", groups="customer_complaint.group_complaint_manager"
        )
        cls.dept_other = cls.env["complaint.department"].create(
            {"name": "Test Finance", "code": "test_finance", "manager_id": cls.finance_manager.id}
        )
        cls.product_b = cls.env["product.product"].create({"name": "Valve V-8"})

    def _figures(self):
        """Every table and the summary of November, for each user who reads them."""
        self.env.invalidate_all()
        out = {}
        for user in (self.manager, self.finance_manager, self.auditor):
            Complaint = self.Complaint.with_user(user)
            for by in GROUPINGS:
                out[user.login, by] = Complaint._stats_table(
                    *test_figures.NOVEMBER, by=by, period="2026-11"
                )
            out[user.login, "summary"] = Complaint._stats_summary(*test_figures.NOVEMBER)
        return out

    def test_the_table_of_a_past_month_is_identical_after_anonymisation(self):
        closed, october, not_valid, defects, _request, other = test_figures.TestFigures._november(
            self
        )
        not_valid.with_user(self.manager).important = True  # kept ten years
        other.with_user(self.rep).action_reason = "sorted out by phone"
        with freeze_time(utc("2026-11-13 09:00")):
            other.with_user(self.rep).action_withdraw()  # (the finance manager's case)
        self.env.flush_all()
        before = self._figures()
        self.assertGreaterEqual(before[self.manager.login, "category"].total.received, 3)
        self.assertGreaterEqual(before[self.manager.login, "category"].total.closed, 2)

        # December 2029: the retention of the cases closed in November 2026 is over
        archived = self.Complaint._archive_expired(now=utc("2029-12-01 10:00"))
        self.assertEqual(archived, 2)
        for c in (closed, other):
            self.assertFalse(c.active)
            self.assertEqual(c.partner_id, self.env.ref(ANONYMOUS))
            self.assertFalse(c.description)
        for c in (october, defects, not_valid):
            self.assertTrue(c.active)
            self.assertFalse(c.anonymised_at)
        after = self._figures()
        for key, table in before.items():
            with self.subTest(key=key):
                self.assertEqual(after[key], table)
        # a data subject's request on the kept case changes nothing either
        self.Complaint.browse(not_valid.id).with_user(self.manager)._anonymise_on_request("DSR-18")
        self.assertEqual(self._figures(), before)
