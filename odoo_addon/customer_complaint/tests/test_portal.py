"""The customer portal (issue 9 item 3, SPEC §8 customers): a customer submits and
follows complaints and answers the remedy on /my/complaints; they never see another
customer's complaint, the internal notes or the internal fields — tested the way an
attacker would: by URL, over JSON-RPC and through the chatter routes."""

import base64
import json
import re

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ComplaintCase

# a 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
NOTE = "INTERNAL-NOTE: the seal was our fault, loss 300"
REPLY = "We will replace the seal free of charge."


@tagged("post_install", "-at_install", "customer_complaint")
class TestPortal(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.contact = Partner.create(
            {"name": "Wang Buyer", "parent_id": cls.customer.id, "email": "wang@widgets.example"}
        )
        cls.portal = new_test_user(
            cls.env,
            "cc_portal_a",
            password="cc_portal_a_pw",
            name="Wang Buyer",
            partner_id=cls.contact.id,
            groups="base.group_portal",
        )
        cls.other = Partner.create({"name": "Other Pumps Ltd", "is_company": True})
        cls.other_contact = Partner.create({"name": "Other Buyer", "parent_id": cls.other.id})
        cls.other_portal = new_test_user(
            cls.env,
            "cc_portal_b",
            password="cc_portal_b_pw",
            name="Other Buyer",
            partner_id=cls.other_contact.id,
            groups="base.group_portal",
        )
        cls.cat_hinge = cls.env["complaint.category"].create(
            {
                "code": "test_portal_hinge",
                "name": "Tour broken hinge",
                "parent_id": cls.env.ref("customer_complaint.complaint_category_delivery").id,
            }
        )
        cls.hinge = cls.env["product.product"].create({"name": "Tour Hinge", "sale_ok": True})
        if "sale.order" in cls.env:
            # with the sale module the form offers the products the customer ordered
            order = cls.env["sale.order"].create(
                {
                    "partner_id": cls.customer.id,
                    "order_line": [(0, 0, {"product_id": cls.hinge.id, "product_uom_qty": 2})],
                }
            )
            order.action_confirm()
        cls.mine = cls.make(cls, partner_id=cls.customer.id, customer_loss=300.0)
        cls.mine.with_user(cls.rep).message_post(
            body=REPLY, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        cls.mine.with_user(cls.rep).message_post(
            body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        cls.note = cls.mine.message_ids.filtered(lambda m: NOTE in str(m.body))
        cls.theirs = cls.make(cls, partner_id=cls.other.id, description="Other pump hums")

    # -- helpers ----------------------------------------------------------------------

    def _replied(self):
        """A complaint of the customer replied to: the remedy waits for their answer."""
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.manager).action_approve_stage()
        c.with_user(self.rep).action_reply()
        self.assertEqual(c.state, "replied")
        c.with_user(self.rep).message_post(
            body=REPLY, message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        c.with_user(self.rep).message_post(
            body=NOTE, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        return c

    def json(self, url, params):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        response = self.url_open(
            url, data=json.dumps(payload), headers={"Content-Type": "application/json"}
        )
        return response.json()

    def call_kw(self, model, method, args, kwargs=None):
        return self.json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def submit(self, files=(), csrf=True, **values):
        data = {
            "category_id": str(self.cat_hinge.id),
            "product_id": str(self.hinge.id),
            "lot_number": "LOT-7",
            "description": "The hinge broke",
            **values,
        }
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open("/my/complaints/new", data=data, files=[("photos", f) for f in files])

    # -- the tour -----------------------------------------------------------------------

    def test_portal_tour(self):
        replied = self._replied()
        Complaint = self.env["customer.complaint"]
        before = Complaint.search([("partner_id", "=", self.customer.id)])

        self.start_tour("/my", "customer_complaint_portal_tour", login="cc_portal_a")

        new = Complaint.search([("partner_id", "=", self.customer.id)]) - before
        self.assertEqual(len(new), 1, "the tour submits exactly one complaint")
        self.assertEqual(new.channel, "web")
        self.assertEqual(new.category_id, self.cat_hinge)
        self.assertEqual(new.product_id, self.hinge)
        self.assertEqual(new.lot_number, "LOT-2026-42")
        self.assertEqual(new.description, "The hinge of the cabinet door broke after one week")
        self.assertEqual(new.contact_name, "Wang Buyer")
        self.assertEqual(new.registered_by_id, self.portal)
        self.assertEqual(new.state, "registered")
        self.assertTrue(new.promised_at, "the customer was promised an answer date")
        photo = new.evidence_ids
        self.assertEqual(len(photo), 1)
        self.assertEqual((photo.name, photo.mimetype), ("hinge.png", "image/png"))
        self.assertEqual((photo.res_model, photo.res_id), ("customer.complaint", new.id))
        message = new.message_ids.filtered(lambda m: photo in m.attachment_ids)
        self.assertEqual(message.author_id, self.contact)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))

        self.assertEqual(replied.customer_accepted, "accepted")
        self.assertEqual(replied.state, "replied")
        audit = replied.audit_ids.sorted("id")[-1]
        self.assertEqual((audit.action, audit.partner_id), ("customer_accepts", self.contact))

    # -- by URL ------------------------------------------------------------------------

    def test_list_shows_only_the_customers_complaints(self):
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        page = self.url_open("/my/complaints").text
        self.assertIn(self.mine.name, page)
        self.assertNotIn(self.theirs.name, page)
        self.assertNotIn("Other pump hums", page)
        home = self.json("/my/counters", {"counters": ["complaint_count"]})
        self.assertEqual(home["result"]["complaint_count"], 1)

    def test_detail_shows_no_internal_field(self):
        accused = new_test_user(self.env, "cc_portal_accused", name="Zed Accused-Person")
        handler = new_test_user(
            self.env,
            "cc_portal_handler",
            name="Quentin Case-Handler",
            groups="customer_complaint.group_complaint_handler",
        )
        self.dept_quality.member_ids |= handler
        self.mine.write(
            {
                "user_id": handler.id,
                "complained_user_ids": [(6, 0, accused.ids)],
                "investigation_notes": "INVESTIGATION-SECRET",
            }
        )
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        response = self.url_open(f"/my/complaints/{self.mine.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn(self.mine.name, page)
        self.assertIn("Pump leaks after two days", page)
        # no text of the request is shown as one of ours (a phishing link)
        response = self.url_open(
            f"/my/complaints/{self.mine.id}?error=Call+us+at+555&message=Send+money"
        )
        self.assertNotIn("Call us at 555", response.text)
        self.assertNotIn("Send money", response.text)
        self.assertTrue(self.mine.severity_reasons)
        for internal in (
            accused.name,
            handler.name,
            "INVESTIGATION-SECRET",
            NOTE,
            self.mine.severity_reasons,
        ):
            self.assertNotIn(internal, page)

    def test_another_customers_complaint_by_url(self):
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        for url in (
            f"/my/complaints/{self.theirs.id}",
            f"/my/complaints/{self.theirs.id}?access_token=wrong",
            f"/my/complaints/{self.theirs.id}?access_token={self.mine._portal_ensure_token()}",
        ):
            response = self.url_open(url, allow_redirects=False)
            with self.subTest(url=url):
                self.assertIn(response.status_code, (303, 302, 403, 404))
                self.assertNotIn(self.theirs.name, response.text)
        # answering for the other customer is refused too
        theirs = self.theirs
        self.url_open(
            f"/my/complaints/{theirs.id}/accept",
            data={"csrf_token": http.Request.csrf_token(self)},
        )
        theirs.invalidate_recordset()
        self.assertFalse(theirs.customer_accepted)

    def test_signed_link_without_login(self):
        """A customer without a login opens the case from the e-mail's signed link."""
        c = self._replied()
        url = c.get_portal_url()
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(c.name, response.text)
        self.assertIn("o_complaint_accept", response.text)
        self.assertNotIn(NOTE, response.text)
        # without the token: the login page, nothing of the case
        response = self.url_open(f"/my/complaints/{c.id}")
        self.assertNotIn(c.name, response.text)
        # a rejection needs a reason: the page says so and nothing changes
        self.authenticate(None, None)
        token = c.access_token
        response = self.url_open(
            f"/my/complaints/{c.id}/reject",
            data={"csrf_token": http.Request.csrf_token(self), "access_token": token},
        )
        self.assertIn("why you do not accept", response.text)
        c.invalidate_recordset()
        self.assertFalse(c.customer_accepted)
        response = self.url_open(
            f"/my/complaints/{c.id}/reject",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "access_token": token,
                "reason": "A repair is not enough, we want a new pump",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("we will look at your complaint again", response.text)
        c.invalidate_recordset()
        # the core's step: back to determined for a new remedy, audited with the customer
        self.assertEqual(c.state, "determined")
        audit = c.audit_ids.sorted("id")[-1]
        self.assertEqual(audit.action, "customer_rejects")
        self.assertEqual(audit.partner_id, self.customer)
        self.assertEqual(audit.reason, "A repair is not enough, we want a new pump")

    # -- over JSON-RPC --------------------------------------------------------------------

    def test_rpc_reads_nothing_of_a_complaint(self):
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        mine = self.mine
        for fields in (
            ["customer_loss"],
            ["severity_reasons"],
            ["complained_user_ids"],
            ["approval_ids"],
            ["audit_ids"],
            ["name"],
        ):
            with self.subTest(fields=fields):
                answer = self.call_kw("customer.complaint", "read", [mine.ids, fields])
                self.assertIn("error", answer)
                self.assertEqual(
                    answer["error"]["data"]["name"], "odoo.exceptions.AccessError", answer
                )
        for model, method, args in (
            ("customer.complaint", "search_read", [[]]),
            ("customer.complaint", "search_count", [[("customer_loss", ">", 0)]]),
            ("customer.complaint", "web_read", [mine.ids, {"customer_loss": {}}]),
            ("customer.complaint", "web_read", [self.theirs.ids, {"name": {}}]),
            ("customer.complaint", "write", [mine.ids, {"description": "changed"}]),
            ("complaint.audit", "search_read", [[]]),
            ("complaint.approval", "search_read", [[]]),
            ("complaint.remedy", "search_read", [[]]),
            ("complaint.milestone", "search_read", [[]]),
        ):
            with self.subTest(model=model, method=method):
                answer = self.call_kw(model, method, args)
                self.assertEqual(
                    answer.get("error", {}).get("data", {}).get("name"),
                    "odoo.exceptions.AccessError",
                    answer,
                )
        mine.invalidate_recordset()
        self.assertEqual(mine.description, "Pump leaks after two days")

    def test_rpc_reads_no_internal_note(self):
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        answer = self.call_kw(
            "mail.message",
            "search_read",
            [[("model", "=", "customer.complaint"), ("res_id", "=", self.mine.id)], ["body"]],
        )
        bodies = " ".join(str(m["body"]) for m in answer.get("result", []))
        self.assertNotIn("INTERNAL-NOTE", bodies)
        answer = self.call_kw("mail.message", "read", [self.note.ids, ["body"]])
        self.assertIn("error", answer)
        answer = self.json(
            "/mail/thread/messages",
            {"thread_model": "customer.complaint", "thread_id": self.mine.id},
        )
        self.assertNotIn("INTERNAL-NOTE", json.dumps(answer))

    # -- the portal chatter ---------------------------------------------------------------

    def test_chatter_shows_comments_never_notes(self):
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        token = self.mine._portal_ensure_token()
        self.env.flush_all()  # the request reads the token from the database
        answer = self.json(
            "/mail/chatter_fetch",
            {"thread_model": "customer.complaint", "thread_id": self.mine.id, "token": token},
        )
        text = json.dumps(answer)
        self.assertIn(REPLY, text)
        self.assertNotIn("INTERNAL-NOTE", text)
        # the chatter of another customer's complaint: nothing, with or without a token
        for params in ({}, {"token": token}, {"token": "wrong"}):
            answer = self.json(
                "/mail/chatter_fetch",
                {"thread_model": "customer.complaint", "thread_id": self.theirs.id, **params},
            )
            self.assertNotIn("Other pump hums", json.dumps(answer))
            self.assertFalse(answer.get("result", {}).get("messages"), params)

    def test_customer_posts_a_message(self):
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        token = self.mine._portal_ensure_token()
        self.env.flush_all()  # the request reads the token from the database
        answer = self.json(
            "/mail/message/post",
            {
                "thread_model": "customer.complaint",
                "thread_id": self.mine.id,
                "post_data": {
                    "body": "The pump is still leaking",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                "token": token,
            },
        )
        self.assertNotIn("error", answer)
        message = self.mine.message_ids.filtered(lambda m: "still leaking" in str(m.body))
        self.assertEqual(message.author_id, self.contact)
        self.assertFalse(message.subtype_id.internal)
        # a file, as the portal chatter sends one: uploaded pending, then posted
        upload = self.url_open(
            "/mail/attachment/upload",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "thread_id": self.mine.id,
                "thread_model": "customer.complaint",
                "is_pending": "true",
                "token": token,
            },
            files={"ufile": ("leak.png", PNG, "image/png")},
        ).json()
        attachment = upload["data"]["ir.attachment"][0]
        answer = self.json(
            "/mail/message/post",
            {
                "thread_model": "customer.complaint",
                "thread_id": self.mine.id,
                "post_data": {
                    "body": "Photo of the leak",
                    "attachment_ids": [attachment["id"]],
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                "attachment_tokens": [attachment["access_token"]],
                "token": token,
            },
        )
        self.assertNotIn("error", answer)
        message = self.mine.message_ids.filtered(lambda m: "Photo of the leak" in str(m.body))
        self.assertEqual(message.attachment_ids.name, "leak.png")
        self.assertEqual(
            (message.attachment_ids.res_model, message.attachment_ids.res_id),
            ("customer.complaint", self.mine.id),
        )
        # not on the other customer's complaint
        answer = self.json(
            "/mail/message/post",
            {
                "thread_model": "customer.complaint",
                "thread_id": self.theirs.id,
                "post_data": {"body": "Sneaky", "message_type": "comment"},
                "token": token,
            },
        )
        self.assertIn("error", answer)
        self.assertFalse(self.theirs.message_ids.filtered(lambda m: "Sneaky" in str(m.body)))

    # -- the submit form ------------------------------------------------------------------

    def test_submit_form(self):
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        form = self.url_open("/my/complaints/new").text
        self.assertIn("Tour broken hinge", form)
        self.assertIn("Tour Hinge", form)
        response = self.submit(files=[("a.png", PNG, "image/png"), ("b.png", PNG, "image/png")])
        self.assertEqual(response.status_code, 200)
        new = self.env["customer.complaint"].search(
            [("partner_id", "=", self.customer.id), ("description", "=", "The hinge broke")]
        )
        self.assertEqual(len(new), 1)
        self.assertIn(new.name, response.text)
        self.assertEqual(sorted(new.evidence_ids.mapped("name")), ["a.png", "b.png"])
        self.assertEqual(set(new.evidence_ids.mapped("res_model")), {"customer.complaint"})
        self.assertEqual(set(new.evidence_ids.mapped("res_id")), {new.id})
        self.assertEqual(new.audit_ids.action, "register")
        self.assertEqual(new.audit_ids.user_id, self.portal)

    def test_size_limit_keeps_the_values(self):
        ICP = self.env["ir.config_parameter"]
        ICP.set_param("customer_complaint.portal_max_file_size", 1024)
        ICP.set_param("customer_complaint.portal_max_total_size", 1500)
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        big = PNG + b"\0" * 2000
        response = self.submit(files=[("big.png", big, "image/png")], description="Too big")
        self.assertEqual(response.status_code, 200)
        self.assertIn("too large: at most 1 KB per file", response.text)
        self.assertIn("Too big</textarea>", response.text)
        self.assertIn('value="LOT-7"', response.text)
        half = PNG + b"\0" * 800
        response = self.submit(
            files=[("one.png", half, "image/png"), ("two.png", half, "image/png")],
            description="Too big together",
        )
        self.assertIn("too large together", response.text)
        response = self.submit(
            files=[("doc.exe", b"MZ\x90\x00" * 10, "application/octet-stream")],
            description="Not a photo",
        )
        self.assertIn("is not a photo", response.text)
        self.assertFalse(
            self.env["customer.complaint"].search(
                [("description", "in", ["Too big", "Too big together", "Not a photo"])]
            )
        )

    def test_csrf_missing_is_refused(self):
        self.authenticate("cc_portal_a", "cc_portal_a_pw")
        response = self.submit(csrf=False, description="No CSRF token")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["customer.complaint"].search([("description", "=", "No CSRF token")])
        )

    def test_portal_submit_checks(self):
        """The model method refuses what the form should not send, translated."""
        Complaint = self.env["customer.complaint"].with_user(self.portal)
        base = {"category_id": self.cat_hinge.id, "description": "Broken"}
        with self.assertRaisesRegex(Exception, "describe what happened"):
            Complaint._portal_submit({**base, "description": "  "})
        with self.assertRaisesRegex(Exception, "choose what your complaint is about"):
            Complaint._portal_submit({**base, "category_id": "x"})
        other = self.env["product.product"].create({"name": "Not Yours", "sale_ok": False})
        with self.assertRaisesRegex(Exception, "one of the products offered"):
            Complaint._portal_submit({**base, "product_id": other.id})
        with self.assertRaisesRegex(Exception, "at most 10 files"):
            Complaint._portal_submit(base, [(f"{i}.png", PNG) for i in range(11)])
        c = Complaint._portal_submit({**base, "lot_number": " L1 "}, [("p.png", PNG)])
        self.assertEqual((c.partner_id, c.channel, c.lot_number), (self.customer, "web", "L1"))
        self.assertEqual(c.email, self.contact.email)
        # the portal user still reads nothing of it through the ORM
        with self.assertRaises(AccessError):
            c.with_user(self.portal).sudo(False).read(["name"])

    def test_demo_portal_user(self):
        user = self.env.ref("customer_complaint.demo_user_portal", raise_if_not_found=False)
        if not user:
            self.skipTest("no demo data")
        self.assertTrue(user._is_portal())
        self.authenticate("cc_demo_portal", "cc_demo_portal")
        page = self.url_open("/my/complaints").text
        wood = self.env["customer.complaint"].search(
            [("partner_id", "child_of", user.commercial_partner_id.id)]
        )
        self.assertTrue(wood)
        for c in wood:
            self.assertIn(c.name, page)
        self.assertTrue(re.search(r"o_complaint_stage", page))
