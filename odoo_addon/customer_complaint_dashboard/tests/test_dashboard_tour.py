"""Browser tour: a complaint manager opens the Complaints dashboard through /web
(issue 10 §2); no JavaScript error, no cell in error, and the scorecards agree with
what the manager counts through the ORM (static/tests/tours/dashboard_tour.js)."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "customer_complaint_dashboard")
class TestDashboardTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.policy"]._invalidate_policy_cache()
        cls.manager = new_test_user(
            cls.env,
            "cc_dash_tour_manager",
            name="Dashboard Tour Manager",
            groups="customer_complaint.group_complaint_manager",
        )
        # the manager of the demo's departments: the demo complaints are theirs to see
        departments = cls.env["complaint.department"].search([])
        departments.write({"manager_id": cls.manager.id})
        cls.dashboard = cls.env.ref("customer_complaint_dashboard.spreadsheet_dashboard_complaints")

    def setUp(self):
        super().setUp()
        self.addCleanup(self.env["complaint.policy"]._invalidate_policy_cache)

    def test_manager_opens_the_complaints_dashboard(self):
        Complaint = self.env["customer.complaint"].with_user(self.manager)
        self.assertTrue(
            Complaint.search_count([("state", "not in", ["closed", "not_valid", "withdrawn"])]),
            "the demo data gives the manager open complaints to show",
        )
        self.start_tour(
            f"/odoo/dashboards?dashboard_id={self.dashboard.id}",
            "customer_complaint_dashboard_tour",
            login="cc_dash_tour_manager",
        )
