"""E-mail intake (issue 9): real RFC 822 messages through Odoo's mail gateway
(``mail.thread.message_process``), to a department's alias."""

import base64
import re
from ast import literal_eval
from datetime import datetime, timedelta
from email.utils import format_datetime

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCase

ALIAS_DOMAIN = "cc-mail.example.com"
ALIAS = f"complaints-test@{ALIAS_DOMAIN}"

# a 1x1 PNG: the customer's photo of the damage
PHOTO = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)

PLAIN = """\
Return-Path: <{sender}>
Received: from mail.widgets.example (mail.widgets.example [203.0.113.7])
    by mx.cc-mail.example.com (Postfix) with ESMTPS id 4F1A2B3C4D
    for <{to}>; {date}
From: {from_}
To: {to}
Subject: {subject}
Date: {date}
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit
{extra}
{body}
"""

HTML = """\
From: {from_}
To: {to}
Subject: {subject}
Date: {date}
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="=_alt_7f3a"

--=_alt_7f3a
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

The cabinet door cracked after one week.

--=_alt_7f3a
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: 8bit

<html><body><p>The <b>cabinet door</b> cracked after one week.</p>
<p>Order <i>SO-2026-118</i>.</p></body></html>

--=_alt_7f3a--
"""

WITH_PHOTO = """\
From: {from_}
To: {to}
Subject: {subject}
Date: {date}
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="=_mixed_91c0"

--=_mixed_91c0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Photo of the cracked door attached.

--=_mixed_91c0
Content-Type: image/png; name="door.png"
Content-Disposition: attachment; filename="door.png"
Content-Transfer-Encoding: base64

{photo}
--=_mixed_91c0--
"""

GBK_BASE64 = """\
From: {from_}
To: {to}
Subject: {subject}
Date: {date}
Message-ID: {msg_id}
MIME-Version: 1.0
Content-Type: text/plain; charset="{charset}"
Content-Transfer-Encoding: base64

{body}
"""

BOUNCE = """\
Return-Path: <>
Delivered-To: {to}
From: MAILER-DAEMON@mx.widgets.example (Mail Delivery System)
To: {to}
Subject: Undelivered Mail Returned to Sender
Date: {date}
Message-ID: {msg_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
    boundary="=_report_55aa"

--=_report_55aa
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--=_report_55aa
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.widgets.example

Final-Recipient: rfc822; gone@widgets.example
Action: failed
Status: 5.1.1

--=_report_55aa
Content-Description: Undelivered Message
Content-Type: message/rfc822

From: Complaints <{to}>
To: gone@widgets.example
Subject: Your complaint
Message-ID: <ack-1@cc-mail.example.com>

Your complaint is registered.

--=_report_55aa--
"""


def b64(text, charset):
    return base64.b64encode(text.encode(charset)).decode()


@tagged("post_install", "-at_install", "customer_complaint")
class TestMailIntake(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = cls.env.ref("base.user_root")
        company = cls.env.ref("base.main_company")
        cls.alias_domain = cls.env["mail.alias.domain"].create(
            {
                "name": ALIAS_DOMAIN,
                "company_ids": [(4, company.id)],
                "bounce_alias": "bounce",
                "catchall_alias": "catchall",
            }
        )
        company.alias_domain_id = cls.alias_domain
        cls.dept_service.write({"alias_name": "complaints-test"})
        cls.known = cls.env["res.partner"].create(
            {"name": "Zhou Min", "email": "zhou.min@widgets.example"}
        )
        cls.counter = 0

    def setUp(self):
        super().setUp()
        self.before = self.Complaint.search([]).ids

    # -- tools -------------------------------------------------------------------

    def receive(self, template, **values):
        """Run a raw message through the gateway as the mail fetcher does
        (OdooBot, superuser); return the complaints it created."""
        type(self).counter += 1
        values.setdefault("from_", '"Zhou Min" <zhou.min@widgets.example>')
        values.setdefault("sender", "zhou.min@widgets.example")
        values.setdefault("to", ALIAS)
        values.setdefault("subject", "Cabinet door cracked")
        values.setdefault("date", format_datetime(datetime.now().astimezone() - timedelta(hours=2)))
        values.setdefault("msg_id", f"<intake-{self.counter}-{id(self)}@widgets.example>")
        values.setdefault("extra", "")
        values.setdefault("body", "The cabinet door cracked after one week.")
        raw = template.format(**values)
        self.env["mail.thread"].with_user(self.root).sudo().message_process(
            None, raw.encode() if isinstance(raw, str) else raw
        )
        return self.Complaint.search([("id", "not in", self.before)])

    def message_of(self, complaint):
        return complaint.message_ids.filtered(lambda m: m.message_type == "email")

    # -- what a mail becomes -----------------------------------------------------

    def test_plain_text_registers_a_complaint(self):
        """A plain mail registers a complaint like any other: numbered,
        channel e-mail, the alias' department and company, received when sent,
        severity and milestones assessed, registered by the gateway's user."""
        sent = datetime.now().replace(microsecond=0) - timedelta(hours=2)
        complaint = self.receive(
            PLAIN, date=format_datetime(sent.astimezone()), body="Door cracked.\nOrder 118."
        )
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.kind, "complaint")
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.state, "registered")
        self.assertEqual(complaint.department_id, self.dept_service)
        self.assertEqual(complaint.company_id, self.dept_service.company_id)
        self.assertRegex(complaint.name, r"^\d{6}\d{3,}$")
        self.assertEqual(complaint.received_at, fields.Datetime.to_datetime(sent))
        self.assertEqual(complaint.registered_by_id, self.root)
        self.assertTrue(complaint.severity)
        self.assertTrue(complaint.milestone_ids)
        self.assertEqual(complaint.audit_ids.action, "register")
        self.assertEqual(complaint.description, "Cabinet door cracked\n\nDoor cracked.\nOrder 118.")
        self.assertEqual(complaint.email, "zhou.min@widgets.example")
        # the mail is in the chatter, in the customer's name, who follows the case
        message = self.message_of(complaint)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.known)
        self.assertEqual(message.subject, "Cabinet door cracked")
        self.assertIn(self.known, complaint.message_partner_ids)

    def test_html_body_as_plain_text(self):
        complaint = self.receive(HTML, subject="Door")
        self.assertEqual(len(complaint), 1)
        self.assertIn("cabinet door", complaint.description)
        self.assertIn("SO-2026-118", complaint.description)
        self.assertNotIn("<", complaint.description)
        self.assertTrue(complaint.description.startswith("Door\n\n"))

    def test_attachment_becomes_evidence(self):
        complaint = self.receive(WITH_PHOTO, photo=PHOTO)
        self.assertEqual(len(complaint), 1)
        photo = complaint.evidence_ids
        self.assertEqual(photo.mapped("name"), ["door.png"])
        self.assertEqual(photo.mimetype, "image/png")
        self.assertEqual(photo.raw, base64.b64decode(PHOTO))
        self.assertEqual((photo.res_model, photo.res_id), ("customer.complaint", complaint.id))
        self.assertEqual(self.message_of(complaint).attachment_ids, photo)

    def test_known_sender_reused_unknown_created(self):
        complaint = self.receive(PLAIN)
        self.assertEqual(complaint.partner_id, self.known)
        partners = self.env["res.partner"].search_count([])
        other = (
            self.receive(
                PLAIN,
                from_='"Qian Lei" <Qian.Lei@Shop.Example>',
                sender="qian.lei@shop.example",
                subject="Late delivery",
            )
            - complaint
        )
        self.assertEqual(len(other), 1)
        self.assertEqual(self.env["res.partner"].search_count([]), partners + 1)
        self.assertEqual(other.partner_id.name, "Qian Lei")
        self.assertEqual(other.partner_id.email, "qian.lei@shop.example")
        self.assertEqual(self.message_of(other).author_id, other.partner_id)
        # the next mail of the new contact finds them
        again = self.receive(PLAIN, from_="qian.lei@shop.example", subject="Still late") - (
            complaint | other
        )
        self.assertEqual(again.partner_id, other.partner_id)

    def test_future_date_is_now(self):
        """A sender's clock ahead of ours: received now, not in the future
        (the intake check refuses a receipt in the future)."""
        before = fields.Datetime.now().replace(microsecond=0)
        future = datetime.now().astimezone() + timedelta(days=2)
        complaint = self.receive(PLAIN, date=format_datetime(future))
        self.assertEqual(len(complaint), 1)
        self.assertGreaterEqual(complaint.received_at, before)
        self.assertLessEqual(complaint.received_at, fields.Datetime.now())

    # -- encodings ---------------------------------------------------------------

    def test_rfc2047_chinese_subjects(self):
        for charset in ("GBK", "UTF-8"):
            subject = f"投诉：柜门开裂（{charset}）"
            complaint = self.receive(
                PLAIN, subject=f"=?{charset}?B?{b64(subject, charset)}?=", body="见附件。"
            )
            self.before += complaint.ids
            self.assertEqual(len(complaint), 1, charset)
            self.assertEqual(complaint.description, f"{subject}\n\n见附件。", charset)
            self.assertEqual(self.message_of(complaint).subject, subject)

    def test_gbk_and_gb2312_bodies(self):
        body = "上周购买的柜子门板开裂，要求换货。联系人：周敏"
        for charset in ("gbk", "gb2312"):
            complaint = self.receive(
                GBK_BASE64,
                subject=f"=?{charset}?B?{b64('柜门开裂', charset)}?=",
                charset=charset,
                body=b64(body, charset),
            )
            self.before += complaint.ids
            self.assertEqual(len(complaint), 1, charset)
            self.assertEqual(complaint.description, f"柜门开裂\n\n{body}", charset)
        # an 8-bit GBK body, as many Chinese mail clients send it
        raw = (
            PLAIN.replace('charset="utf-8"', 'charset="GBK"')
            .format(
                from_="=?GBK?B?" + b64("周敏", "gbk") + "?= <zhou.min@widgets.example>",
                sender="zhou.min@widgets.example",
                to=ALIAS,
                subject="=?GBK?B?" + b64("门板开裂", "gbk") + "?=",
                date=format_datetime(datetime.now().astimezone()),
                msg_id="<gbk-8bit@widgets.example>",
                extra="",
                body="{body}",
            )
            .encode("ascii")
            .replace(b"{body}", body.encode("gbk"))
        )
        self.env["mail.thread"].with_user(self.root).sudo().message_process(None, raw)
        complaint = self.Complaint.search([("id", "not in", self.before)])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.description, f"门板开裂\n\n{body}")
        self.assertEqual(complaint.partner_id, self.known)

    # -- what creates nothing ----------------------------------------------------

    def test_reply_threads_into_the_case(self):
        """A reply (In-Reply-To / References to a message of the case) goes to
        its chatter and registers nothing; its attachments are evidence too."""
        complaint = self.receive(PLAIN)
        first = self.message_of(complaint)
        # a reply to the customer's own mail, with In-Reply-To
        none = self.receive(
            PLAIN,
            subject="Re: Cabinet door cracked",
            body="It is getting worse.",
            extra=f"In-Reply-To: {first.message_id}\nReferences: {first.message_id}",
        )
        self.assertEqual(none, complaint)
        # a reply to our answer, with References only, carrying a photo
        ours = complaint.message_post(
            body="Could you send a photo?", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        raw = WITH_PHOTO.replace("MIME-Version", f"References: {ours.message_id}\nMIME-Version")
        self.assertEqual(self.receive(raw, subject="Re: photo", photo=PHOTO), complaint)
        replies = self.message_of(complaint) - first
        self.assertEqual(len(replies), 2)
        self.assertEqual(replies.author_id, self.known)
        self.assertEqual(complaint.evidence_ids.mapped("name"), ["door.png"])
        self.assertIn("Cabinet door cracked", complaint.description)
        self.assertNotIn("worse", complaint.description)

    @mute_logger("odoo.addons.customer_complaint.models.complaint_mail")
    def test_auto_replies_register_nothing(self):
        headers = [
            "Auto-Submitted: auto-replied",
            "Auto-Submitted: auto-generated",
            "X-Autoreply: yes",
            "X-Autorespond: Out of office",
            "Precedence: auto_reply",
            "Precedence: bulk",
            "Precedence: junk",
            "Precedence: list",
        ]
        for header in headers:
            self.assertFalse(
                self.receive(PLAIN, subject="Out of office", extra=header),
                header,
            )
        # the subject alone does not make a mail automatic, nor does Auto-Submitted: no
        self.assertEqual(len(self.receive(PLAIN, subject="Out of office")), 1)
        self.assertEqual(len(self.receive(PLAIN, subject="Broken", extra="Auto-Submitted: no")), 2)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_bounce_registers_nothing(self):
        self.assertFalse(self.receive(BOUNCE))
        # also when the bounce is sent to the bounce address
        self.assertFalse(self.receive(BOUNCE, to=f"bounce@{ALIAS_DOMAIN}"))

    def test_reply_on_finished_case(self):
        """A customer writing on a closed (here: not valid) case: no error, the
        case stays as it is, the department manager is asked to decide."""
        complaint = self.receive(PLAIN)
        complaint.with_user(self.manager).action_reason = "not our product"
        complaint.with_user(self.manager).action_mark_not_valid()
        self.assertEqual(complaint.state, "not_valid")
        # notifying a follower by e-mail puts the portal link in the mail, which
        # creates the case's access token when it has none (yet, or any more)
        complaint.message_subscribe(partner_ids=self.manager.partner_id.ids)
        complaint._write_rule({"access_token": False})  # as before any notification
        first = self.message_of(complaint)
        raw = WITH_PHOTO.replace("MIME-Version", f"In-Reply-To: {first.message_id}\nMIME-Version")
        self.assertEqual(self.receive(raw, subject="Re: why not valid?", photo=PHOTO), complaint)
        self.assertEqual(complaint.state, "not_valid")
        self.assertTrue(complaint.access_token)
        self.assertFalse(complaint.evidence_ids)
        self.assertEqual(len(self.message_of(complaint)), 2)
        activity = complaint.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn(complaint.name, str(activity.note))
        # and the case still refuses a change by hand
        with self.assertRaises(UserError):
            complaint.with_user(self.manager).description = "changed"

    # -- the department's address ------------------------------------------------

    def test_department_alias(self):
        alias = self.dept_service.alias_id
        self.assertEqual(alias.alias_model_id.model, "customer.complaint")
        self.assertEqual(alias.alias_contact, "everyone")
        self.assertEqual(self.dept_service.alias_email, ALIAS)
        self.assertEqual(
            literal_eval(alias.alias_defaults),
            {"department_id": self.dept_service.id, "company_id": self.dept_service.company_id.id},
        )
        # a department without an address has no alias at all
        self.assertFalse(self.dept_quality.alias_id)
        dept = self.env["complaint.department"].create({"name": "Export", "code": "export"})
        self.assertFalse(dept.alias_id)
        dept.alias_name = "Export Complaints"
        self.assertEqual(dept.alias_email, f"export-complaints@{ALIAS_DOMAIN}")
        with self.assertRaisesRegex(UserError, "no followers"):
            dept.alias_contact = "followers"
        # mail to it registers a complaint of that department
        complaint = self.receive(PLAIN, to=dept.alias_email)
        self.assertEqual(complaint.department_id, dept)
        self.assertTrue(re.match(r"^\d", complaint.name))

    def test_department_of_another_company(self):
        """Multi-company: the alias of company B's department registers a
        complaint of company B, whichever company the gateway's user works in; a
        contact kept by company A only is not company B's customer."""
        company_b = self.env["res.company"].create({"name": "Complaints B Ltd"})
        domain_b = self.env["mail.alias.domain"].create(
            {"name": "b.cc-mail.example.com", "company_ids": [(4, company_b.id)]}
        )
        company_b.alias_domain_id = domain_b
        dept_b = self.env["complaint.department"].create(
            {
                "name": "Service B",
                "code": "service_b",
                "company_id": company_b.id,
                "alias_name": "complaints-test",
            }
        )
        self.assertEqual(dept_b.alias_email, "complaints-test@b.cc-mail.example.com")
        self.assertEqual(literal_eval(dept_b.alias_defaults)["company_id"], company_b.id)
        self.known.company_id = self.env.ref("base.main_company")
        complaint = self.receive(PLAIN, to=dept_b.alias_email)
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.company_id, company_b)
        self.assertEqual(complaint.department_id, dept_b)
        self.assertNotEqual(complaint.partner_id, self.known)
        self.assertEqual(complaint.partner_id.email, self.known.email)
        # the same address in company A still finds company A's contact
        self.assertEqual((self.receive(PLAIN) - complaint).partner_id, self.known)
        # a department moved to another company registers complaints there
        dept_b.alias_name = "complaints-b"
        dept_b.company_id = self.env.ref("base.main_company")
        self.assertEqual(dept_b.alias_email, ALIAS.replace("-test", "-b"))
        self.assertEqual(
            literal_eval(dept_b.alias_defaults)["company_id"],
            self.env.ref("base.main_company").id,
        )
