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

    def _failing_on(self, case, error="disk full"):
        """Our `_anonymise`, failing for ``case`` after it has done its writes (so
        the test shows they are undone), as a full disk or a lock would."""
        original = type(self.Complaint)._anonymise

        def anonymise(records, reason, now, archive=False):
            res = original(records, reason, now, archive)
            if case in records:
                raise UserError(records.env._(error))
            return res

        return patch.object(type(self.Complaint), "_anonymise", anonymise)

    def test_a_failing_complaint_is_skipped_and_retried_at_the_next_run(self):
        cases = [self._closed() for _ in range(4)]
        failing = cases[1]
        # another company's due case: done after the failure of the first company's
        other = self.env["res.company"].create({"name": "CC Retention Other Co"})
        dept_other = self.env["complaint.department"].create(
            {"name": "Dept Other", "code": "cc_ret_other", "company_id": other.id}
        )
        with freeze_time(utc("2026-01-19 10:00")):
            foreign = (
                self.Complaint.with_user(self.rep)
                .sudo()
                .create(
                    {
                        "partner_id": self.customer2.id,
                        "company_id": other.id,
                        "department_id": dept_other.id,
                        "contact_name": "Zhao Min",
                        "description": "Zhao Min's kettle",
                    }
                )
            )
            foreign.action_reason = "solved by phone"
            foreign.action_withdraw()
        self.assertEqual(foreign.company_id, other)
        Complaint = self.env["customer.complaint"]
        logger = "odoo.addons.customer_complaint.models.complaint_retention"
        with self._failing_on(failing), self.assertLogs(logger, "WARNING") as logs:
            # two per batch: the failing case shares its batch with a good one
            done = Complaint._archive_expired(now=NOW, batch_size=2)
        self.assertEqual(done, 4)
        (warning,) = [r for r in logs.records if failing.name in r.getMessage()]
        self.assertEqual(warning.levelname, "WARNING")
        self.assertIn("disk full", warning.getMessage())
        self.assertFalse([r for r in logs.records if r.levelno >= 40])  # no ERROR
        self.assertEqual([c.active for c in cases], [False, True, False, False])
        self.assertFalse(foreign.active)
        self.assertFalse(foreign.contact_name)
        # nothing of the failing case is half-written: its savepoint undid it all
        self.assertFalse(failing.anonymised_at)
        self.assertEqual(failing.partner_id, self.customer2)
        self.assertEqual(failing.contact_name, "Li Lei")
        self.assertTrue(failing.evidence_ids.exists())
        self.assertFalse(failing.audit_ids.filtered(lambda a: a.action == "archive"))
        self.assertNotIn("retention period", " ".join(failing.message_ids.mapped("body")))
        # the next run, once the cause is gone, does the failed one (still due) only
        self.assertEqual(Complaint._archive_expired(now=NOW, batch_size=2), 1)
        self.assertFalse(failing.active)
        self.assertEqual(failing.partner_id, self.anonymous)
        self.assertFalse(failing.contact_name)
        for c in (*cases, foreign):
            self.assertEqual(len(c.audit_ids.filtered(lambda a: a.action == "archive")), 1)
        self.assertEqual(Complaint._archive_expired(now=NOW, batch_size=2), 0)

    def test_a_case_failing_every_run_does_not_block_the_others(self):
        first, second = self._closed(), self._closed()
        Complaint = self.env["customer.complaint"]
        logger = "odoo.addons.customer_complaint.models.complaint_retention"
        with self._failing_on(first), self.assertLogs(logger, "WARNING"):
            self.assertEqual(Complaint._archive_expired(now=NOW, batch_size=1), 1)
        later = self._closed(when="2026-01-20")
        with self._failing_on(first), self.assertLogs(logger, "WARNING"):
            self.assertEqual(Complaint._archive_expired(now=utc("2029-01-21 10:00")), 1)
        self.assertEqual([c.active for c in (first, second, later)], [True, False, False])

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

    def _traces(self, c):
        """Personal data in every other place of a closed case ``c``: the printed
        form's PDF, a staff note with a file, a mail from the case's address
        without a partner, a guest's message, a mail to a contact with the case's
        address, mails not sent (queued, failed), the forms' free-text boxes
        (tracked). Returns what was made."""
        Attachment = self.env["ir.attachment"]
        Message = self.env["mail.message"].sudo()
        form_pdf = Attachment.create(
            {
                "name": f"Registration Form - {c.name}.pdf",
                "raw": b"%PDF-1.4 Li Lei +86 21 5555 0101 1 Century Avenue",
                "res_model": c._name,
                "res_id": c.id,
            }
        )
        note = c.with_user(self.handler).message_post(
            body="Checked the seal in the lab",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            attachments=[("lab_report.pdf", b"%PDF-1.4 lab")],
        )
        raw = Message.create(
            {
                "model": c._name,
                "res_id": c.id,
                "message_type": "email",
                "author_id": False,
                "email_from": "Li Lei <LI.LEI@widgets.example>",
                "subject": "My pump, Li Lei",
                "body": "<p>Li Lei again, call me on +86 21 5555 0101</p>",
            }
        )
        guest = self.env["mail.guest"].create({"name": "Visitor Li"})
        by_guest = Message.create(
            {
                "model": c._name,
                "res_id": c.id,
                "message_type": "comment",
                "author_id": False,
                "author_guest_id": guest.id,
                "body": "<p>I am Li, at 1 Century Avenue</p>",
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "Li Lei (contact)", "email": "li.lei@widgets.example"}
        )
        to_contact = c.with_user(self.handler).message_post(
            body="Dear Mr Li, we called you at home",
            partner_ids=contact.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        Mail = self.env["mail.mail"].sudo()
        mails = Mail.create(
            [
                {
                    "model": c._name,
                    "res_id": c.id,
                    "email_to": "li.lei@widgets.example",
                    "email_cc": "wang.fang@example.com",
                    "subject": "Your complaint, Mr Li",
                    "body_html": "<p>Dear Mr Li</p>",
                    "state": state,
                }
                for state in ("outgoing", "exception")
            ]
        )
        # a message scheduled to the customer, and a guest's reaction to a staff note
        scheduled = (
            self.env["mail.scheduled.message"]
            .sudo()
            .create(
                {
                    "model": c._name,
                    "res_id": c.id,
                    "author_id": self.handler.partner_id.id,
                    "partner_ids": contact.ids,
                    "subject": "Reminder for Mr Li",
                    "body": "<p>Dear Mr Li</p>",
                    "scheduled_date": "2099-01-01 00:00:00",
                }
            )
        )
        reaction = (
            self.env["mail.message.reaction"]
            .sudo()
            .create({"message_id": note.id, "content": "👍", "guest_id": guest.id})
        )
        flush_tracking(self.env)
        return {
            "files": form_pdf | note.attachment_ids,
            "scheduled": scheduled,
            "reaction": reaction,
            "note": note,
            "theirs": raw | by_guest | to_contact,
            "guest": guest,
            "contact": contact,
            "mails": mails,
        }

    FORM_BOXES = {
        "evidence_other": "photos by Mr Li",
        "matter_exists_note": "Li Lei's neighbour confirmed it",
        "service_opinion": "Li Lei was upset",
        "market_opinion": "Mr Li's shop in Pudong",
        "quality_opinion": "Li's unit only",
        "handling_result": "new pump to Li Lei",
        "defective_handling": "picked up at 1 Century Avenue",
    }

    def test_anonymising_removes_every_trace_and_keeps_the_staff_notes(self):
        with freeze_time(utc("2026-01-19 09:00")):
            c = self.make(
                contact_name="Li Lei",
                email="li.lei@widgets.example",
                description="Li Lei's pump",
            )
            flush_tracking(self.env)
            c = self.Complaint.browse(c.id)
            # the forms' boxes, written after registration: tracked
            c.with_user(self.quality).write(self.FORM_BOXES)
            flush_tracking(self.env)
        tracked = c.message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertTrue({"service_opinion", "quality_opinion", "handling_result"} <= set(tracked))
        traces = self._traces(c)
        with freeze_time(utc("2026-01-19 11:00")):
            c.with_user(self.rep).action_reason = "solved by phone"
            c.with_user(self.rep).action_withdraw()
        flush_tracking(self.env)

        self.assertEqual(self.Complaint._archive_expired(now=NOW), 1)
        flush_tracking(self.env)
        self.assertFalse(c.active)
        # every file of the case is gone, the printed forms' PDFs too
        self.assertFalse(traces["files"].exists())
        self.assertFalse(
            self.env["ir.attachment"].search([("res_model", "=", c._name), ("res_id", "=", c.id)])
        )
        # the mails not sent, the scheduled message and the guest's reaction are gone
        self.assertFalse(traces["mails"].exists())
        self.assertFalse(traces["scheduled"].exists())
        self.assertFalse(traces["reaction"].exists())
        self.assertFalse(
            self.env["mail.mail"].sudo().search([("model", "=", c._name), ("res_id", "=", c.id)])
        )
        # the staff's note is kept, word for word (its file is gone)
        note = traces["note"]
        self.assertIn("Checked the seal in the lab", note.body)
        self.assertEqual(note.author_id, self.handler.partner_id)
        # the raw address, the guest and the mail to the contact: removed
        for m in traces["theirs"]:
            self.assertNotIn("Li", str(m.body), m)
            self.assertFalse(m.email_from or m.subject or m.author_guest_id, m)
            self.assertEqual(m.author_id, self.anonymous)
            self.assertNotIn(traces["contact"], m.partner_ids)
        self.assertNotIn(traces["contact"], c.message_partner_ids)
        # the forms' boxes are blank, and so is their history
        for fname in self.FORM_BOXES:
            self.assertFalse(c[fname], fname)
        blanked = {"partner_id", "contact_name", "phone", "email", "address", "description"}
        blanked |= set(self.FORM_BOXES)
        tracking = c.message_ids.sudo().tracking_value_ids
        self.assertFalse(tracking.filtered(lambda t: t.field_id.name in blanked))
        everything = " ".join(
            [str(m.body) for m in c.message_ids]
            + [f"{t.old_value_char} {t.new_value_char}" for t in tracking]
        )
        self.assertNotIn("Li Lei", everything)
        self.assertNotIn("Century Avenue", everything)

    # -- Anonymise now (a data subject's request) ----------------------------------------

    def test_anonymise_now_on_request(self):
        c = self._closed()
        Wizard = self.env["complaint.anonymise.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.handler).create({"complaint_id": c.id, "request_reference": "x"})
        with self.assertRaisesRegex(AccessError, "Only managers and administrators"):
            c.with_user(self.quality).action_anonymise()
        # an open case: refused with a clear error
        still_open = self.make(contact_name="Li Lei")
        with self.assertRaisesRegex(UserError, "still open"):
            still_open.with_user(self.manager).action_anonymise()
        wizard = Wizard.with_user(self.manager).create(
            {"complaint_id": still_open.id, "request_reference": "DSR-16"}
        )
        with self.assertRaisesRegex(UserError, "still open"):
            wizard.action_confirm()
        self.assertEqual(still_open.contact_name, "Li Lei")
        self.assertFalse(still_open.anonymised_at)
        # a reference is required
        with self.assertRaisesRegex(UserError, "reference of the request"):
            Wizard.with_user(self.manager).create(
                {"complaint_id": c.id, "request_reference": "   "}
            ).action_confirm()
        # the form asks for the reference, not for who asked
        arch = Wizard.get_view(view_type="form")["arch"]
        self.assertIn('name="request_reference"', arch)
        self.assertNotIn("who asked", arch)
        action = c.with_user(self.manager).action_anonymise()
        self.assertEqual(action["res_model"], "complaint.anonymise.wizard")
        with freeze_time(utc("2026-03-01 09:00")):
            Wizard.with_user(self.manager).with_context(**action["context"]).create(
                {"request_reference": "DSR-17"}
            ).action_confirm()
        self.assertEqual(c.partner_id, self.anonymous)
        self.assertFalse(c.contact_name)
        self.assertEqual(c.anonymised_at, utc("2026-03-01 09:00"))
        self.assertTrue(c.active)  # archived only at the end of retention
        audit = c.audit_ids.filtered(lambda a: a.action == "anonymise")
        self.assertEqual(
            (audit.user_id, audit.at, audit.reason),
            (self.manager, utc("2026-03-01 09:00"), "DSR-17"),
        )
        # the chatter says it was done on request, not the reference
        note = c.message_ids.filtered(lambda m: "anonymised on request" in str(m.body))
        self.assertEqual(len(note), 1)
        self.assertEqual(note.author_id, self.manager.partner_id)
        self.assertFalse([m for m in c.message_ids if "DSR-17" in str(m.body)])
        with self.assertRaisesRegex(UserError, "already anonymised"):
            c.with_user(self.manager).action_anonymise()
        # the end of retention archives it later
        self.assertEqual(self.env["customer.complaint"]._archive_expired(now=NOW), 1)
        self.assertFalse(c.active)

    def test_the_archive_after_a_request_keeps_its_time_and_scrubs_what_came_since(self):
        c = self._closed()
        with freeze_time(utc("2026-03-01 09:00")):
            c.with_user(self.manager)._anonymise_on_request("DSR-19")
        first = utc("2026-03-01 09:00")
        # the customer writes again from their old address, with a file
        with freeze_time(utc("2026-04-01 09:00")):
            late = (
                self.env["mail.message"]
                .sudo()
                .create(
                    {
                        "model": c._name,
                        "res_id": c.id,
                        "message_type": "email",
                        "author_id": False,
                        "email_from": "li.lei@widgets.example",
                        "body": "<p>Li Lei again: +86 21 5555 0101</p>",
                    }
                )
            )
            attachment = self.env["ir.attachment"].create(
                {
                    "name": "li_again.jpg",
                    "raw": b"jpeg",
                    "res_model": c._name,
                    "res_id": c.id,
                }
            )
            staff = c.with_user(self.handler).message_post(
                body="Told the customer it is closed",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        self.assertEqual(self.Complaint._archive_expired(now=NOW), 1)
        self.assertFalse(c.active)
        # the time of the request is kept; the audit trail has both
        self.assertEqual(c.anonymised_at, first)
        self.assertEqual(
            [
                (a.action, a.at)
                for a in c.audit_ids.sorted("id")
                if a.action in ("anonymise", "archive")
            ],
            [("anonymise", first), ("archive", NOW)],
        )
        self.assertNotIn("5555", late.body)
        self.assertFalse(late.email_from)
        self.assertFalse(attachment.exists())
        self.assertIn("Told the customer it is closed", staff.body)

    def test_policy_names_the_free_text_fields(self):
        c = self._closed()
        settings = self.env.ref("customer_complaint.complaint_policy_main")
        settings.retention_personal_fields = "demand_other"
        self.env["customer.complaint"]._archive_expired(now=NOW)
        self.assertFalse(c.demand_other)
        self.assertEqual(c.description, "Mr Li says the pump leaks at his home")
        # the printed forms' boxes (the shipped defaults) are free-text fields it accepts
        boxes = ", ".join(self.FORM_BOXES)
        settings.retention_personal_fields = boxes
        self.env["complaint.policy"]._invalidate_policy_cache()
        self.assertEqual(c._personal_text_fields(), tuple(self.FORM_BOXES))
        settings.retention_personal_fields = False
        self.env["complaint.policy"]._invalidate_policy_cache()
        self.assertTrue(set(self.FORM_BOXES) <= set(c._personal_text_fields()))
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
        test_figures.november_fixture(cls, "cc_ret")

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
