"""Browser tour: a sales rep logs a complaint from the customer's form (issue #3,
SPEC §8 "Sales reps log complaints from the customer's record")."""

import re
from datetime import UTC

from odoo.tests import HttpCase, new_test_user, tagged

from .common import SHANGHAI

# SPEC §1 default numbering: YYMMDD of the registration day + a sequence of at
# least three digits (it widens past 999).
NUMBER = re.compile(r"^(\d{2})(\d{2})(\d{2})(\d{3,})$")


@tagged("post_install", "-at_install", "customer_complaint")
class TestSalesRepTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.policy"]._invalidate_policy_cache()
        # only the sales rep group (it implies internal user, nothing more)
        cls.rep = new_test_user(
            cls.env,
            "cc_tour_rep",
            name="Tour Rep",
            groups="customer_complaint.group_complaint_sales_rep",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Pumps Hangzhou",
                "is_company": True,
                "user_id": cls.rep.id,
                "phone": "+86 571 5555 0199",
                "city": "Hangzhou",
            }
        )
        # a sub-category of its own: no demo complaint shares it, so no repeat
        # cluster changes the severity by accident
        cls.category = cls.env["complaint.category"].create(
            {
                "code": "test_tour_colour",
                "name": "Tour: wrong colour",
                "parent_id": cls.env.ref(
                    "customer_complaint.complaint_category_product_quality"
                ).id,
            }
        )

    def setUp(self):
        super().setUp()
        self.addCleanup(self.env["complaint.policy"]._invalidate_policy_cache)

    def test_sales_rep_logs_complaint_from_customer(self):
        Complaint = self.env["customer.complaint"]
        self.assertFalse(Complaint.search([("partner_id", "=", self.customer.id)]))

        self.start_tour(
            f"/odoo/contacts/{self.customer.id}",
            "customer_complaint_sales_rep_tour",
            login="cc_tour_rep",
        )

        complaint = Complaint.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(complaint), 1, "the tour registers exactly one complaint")
        self.assertEqual(complaint.category_id, self.category)
        self.assertEqual(complaint.channel, "sales_visit")
        self.assertEqual(
            complaint.description, "Pump housing delivered in the wrong colour on site visit"
        )
        self.assertTrue(complaint.confirmed_by_customer)
        self.assertEqual(complaint.registered_by_id, self.rep)
        self.assertEqual(complaint.sales_user_id, self.rep)
        self.assertEqual(complaint.state, "registered")
        # the category's department is taken over at registration
        self.assertEqual(
            complaint.department_id, self.env.ref("customer_complaint.complaint_department_quality")
        )

        match = NUMBER.match(complaint.name)
        self.assertTrue(match, f"{complaint.name!r} is not YYMMDD + sequence")
        # the number's date is the day received in the policy's time zone
        # (Asia/Shanghai by default)
        day = complaint.received_at.replace(tzinfo=UTC).astimezone(SHANGHAI).date()
        self.assertEqual(
            match.group(1, 2, 3), (day.strftime("%y"), day.strftime("%m"), day.strftime("%d"))
        )

        first = complaint.milestone_ids.filtered(lambda m: m.code == "first_contact")
        self.assertEqual(len(first), 1, "a first-contact milestone is planned at registration")
        self.assertTrue(first.due_at, "the first-contact milestone has a due time")
        self.assertFalse(first.done_at)
        # SPEC §3: 2 working hours after registration, so strictly later and
        # never more than a long weekend/holiday away
        self.assertGreater(first.due_at, complaint.received_at)
        self.assertEqual(first.limit, "2wh")
