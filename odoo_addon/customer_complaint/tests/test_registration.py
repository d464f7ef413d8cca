import re
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import ComplaintCase, utc


@tagged("post_install", "-at_install", "customer_complaint")
class TestRegistration(ComplaintCase):
    def test_log_complaint_from_partner_form(self):
        """SPEC §1/§8: a rep logs a complaint from the customer's record; the
        form is prefilled and the record gets a number, a severity and deadlines."""
        action = self.customer.with_user(self.rep).action_log_complaint()
        self.assertEqual(action["res_model"], "customer.complaint")
        Complaint = self.env["customer.complaint"].with_user(self.rep)
        with freeze_time("2026-01-19 02:00:00"):  # Monday 10:00 in Shanghai
            form = Form(Complaint.with_context(**action["context"]))
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.phone, "+86 21 5555 0101")
            self.assertEqual(form.email, "buyer@widgets.example")
            self.assertIn("1 Century Avenue", form.address)
            form.channel = "phone"
            form.received_at = datetime(2026, 1, 19, 2, 0)
            form.category_id = self.cat_quality
            form.product_id = self.product
            form.lot_number = "L2026-01"
            form.quantity = 200
            form.defective_quantity = 5
            form.description = "Pump P-20 leaks at the seal after two days"
            form.demand_exchange = True
            form.demand_compensation = 800
            form.confirmed_by_customer = True
            complaint = form.save()
        self.assertRegex(complaint.name, r"^260119\d{3,}$")
        self.assertEqual(complaint.registered_by_id, self.rep)
        self.assertEqual(complaint.sales_user_id, self.rep)
        self.assertEqual(complaint.state, "registered")
        self.assertEqual(complaint.department_id, self.dept_quality)  # from the category
        self.assertAlmostEqual(complaint.defect_rate, 2.5)  # 5 / 200
        self.assertEqual(complaint.severity, "4")
        self.assertIn("default level 4", complaint.severity_reasons)
        self.assertEqual(complaint.audit_ids.action, "register")
        # smart button
        self.assertEqual(self.customer.complaint_count, 1)
        self.assertEqual(self.customer.complaint_open_count, 1)

        ms = {m.code: m for m in complaint.milestone_ids}
        # not started until their start event happens
        self.assertFalse(ms["reply"].due_at)
        self.assertFalse(ms["follow_up"].due_at)
        self.assertNotIn("authority_reply", ms)  # not a transferred case
        # first contact: 2 working hours from Mon 10:00 -> 12:00; due soon after
        # 80 % = 96 working minutes -> 11:36
        self.assertEqual(ms["first_contact"].due_at, utc("2026-01-19 12:00"))
        self.assertEqual(ms["first_contact"].warn_at, utc("2026-01-19 11:36"))
        # dispatch: 24 clock hours; warning after 19.2 h
        self.assertEqual(ms["dispatch"].due_at, utc("2026-01-20 10:00"))
        self.assertEqual(ms["dispatch"].warn_at, utc("2026-01-20 05:12"))
        # site visit (product quality): 2 working days -> Wednesday 10:00
        self.assertEqual(ms["site_visit"].due_at, utc("2026-01-21 10:00"))
        # resolution: 3 working days -> Thursday 10:00
        self.assertEqual(ms["resolution"].due_at, utc("2026-01-22 10:00"))

    def test_registration_over_lunch_and_weekend(self):
        """A complaint received on Friday 17:30 is first contacted by Monday 10:30
        (30 working minutes on Friday, 90 on Monday)."""
        with freeze_time("2026-01-23 09:30:00"):
            c = self.make(received_at=utc("2026-01-23 17:30"))
        first = c.milestone_ids.filtered(lambda m: m.code == "first_contact")
        self.assertEqual(first.due_at, utc("2026-01-26 10:30"))
        self.assertRegex(c.name, r"^260123\d{3,}$")

    def test_severity_criteria(self):
        with freeze_time("2026-03-02 02:00:00"):
            injury = self.make(injury=True)
            self.assertEqual(injury.severity, "1")
            self.assertIn("personal injury", injury.severity_reasons)
            service = self.make(category_id=self.cat_service.id)
            self.assertEqual(service.severity, "4")
            promise = self.make(unauthorized_promise=True)
            self.assertEqual(promise.severity, "2")
            # SPEC §2: a manager lowers with a reason; a rep may raise but not lower
            promise.with_user(self.rep).manual_severity = "1"
            self.assertEqual(promise.severity, "1")
            from odoo.exceptions import AccessError, ValidationError

            with self.assertRaises(AccessError):
                promise.with_user(self.rep).manual_severity = "3"
            with self.assertRaises(ValidationError):
                promise.with_user(self.manager).manual_severity = "3"
            promise.with_user(self.manager).write(
                {"manual_severity": "3", "severity_change_reason": "promise kept"}
            )
            self.assertEqual(promise.severity, "3")
            self.assertIn("severity", promise.audit_ids.mapped("action"))
            self.customer.complaint_vip = True
            vip = self.make(category_id=self.cat_service.id)
            self.assertEqual(vip.severity, "3")  # one level more severe
            self.assertIn("VIP customer", vip.severity_reasons)

    def test_repeat_cluster(self):
        """Three different customers complaining about the same product within
        30 days form a repeat cluster (level 2)."""
        others = self.env["res.partner"].create(
            [
                {"name": "Customer B", "user_id": self.rep.id},
                {"name": "Customer C", "user_id": self.rep.id},
            ]
        )
        with freeze_time("2026-04-01 02:00:00"):
            first = self.make(
                category_id=self.cat_delivery.id,
                product_id=self.product.id,
                received_at=utc("2026-03-10 10:00"),
            )
            second = self.make(
                category_id=self.cat_delivery.id,
                product_id=self.product.id,
                partner_id=others[0].id,
                received_at=utc("2026-03-20 10:00"),
            )
            third = self.make(
                category_id=self.cat_delivery.id,
                product_id=self.product.id,
                partner_id=others[1].id,
                received_at=utc("2026-04-01 10:00"),
            )
        self.assertFalse(first.repeat_cluster)
        self.assertFalse(second.repeat_cluster)
        self.assertTrue(third.repeat_cluster)
        self.assertEqual(third.severity, "2")
        self.assertIn("3 different customers", third.severity_reasons)
        found = self.Complaint.search(
            [("id", "in", (first | second | third).ids), ("repeat_cluster", "=", True)]
        )
        self.assertEqual(found, third)

    def test_transferred_case_has_authority_deadline(self):
        with freeze_time("2026-05-11 02:00:00"):
            c = self.make(
                channel="regulator",
                authority_reference="SAMR-2026-118",
                authority_deadline=datetime(2026, 5, 15, 9, 0),
            )
        ms = c.milestone_ids.filtered(lambda m: m.code == "authority_reply")
        self.assertEqual(ms.due_at, datetime(2026, 5, 15, 9, 0))
        self.assertFalse(ms.limit)

    def test_registration_query_count(self):
        """Registration reads the policy once per transaction and plans every
        milestone in a few queries."""
        self.make()  # warm the policy cache and the sequence's year range
        self.env.invalidate_all()
        # 26 + 1 for the stored figures: the complaint's milestone counts, computed
        # again once its milestones are planned
        with freeze_time("2026-06-01 02:00:00"), self.assertQueryCount(__system__=28):
            c = self.make(user=self.env.user, received_at=datetime(2026, 6, 1, 2, 0))
        self.assertTrue(re.match(r"^260601\d{3,}$", c.name))
