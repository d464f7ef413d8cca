"""Browser tour (issue #4, SPEC §4): a manager opens their activities, approves a
compensation and sees the complaint move to approved."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "customer_complaint")
class TestApprovalTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.policy"]._invalidate_policy_cache()
        ref = cls.env.ref
        cls.handler = new_test_user(
            cls.env,
            "cc_tour_handler",
            name="Tour Handler",
            groups="customer_complaint.group_complaint_handler",
        )
        cls.approver = new_test_user(
            cls.env,
            "cc_tour_approver",
            name="Tour Approver",
            groups="customer_complaint.group_complaint_admin",
        )
        cls.approver.complaint_authority_level_id = ref(
            "customer_complaint.complaint_authority_level_department_manager"
        )
        Rule = cls.env["complaint.approver.rule"]
        Rule.search([]).unlink()
        Rule.create(
            {
                "authority_level_id": ref(
                    "customer_complaint.complaint_authority_level_department_manager"
                ).id,
                "user_ids": [(6, 0, cls.approver.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Approvals Co", "is_company": True}
        )
        cls.category = cls.env["complaint.category"].create(
            {
                "code": "test_tour_late",
                "name": "Tour: late delivery",
                "parent_id": ref("customer_complaint.complaint_category_delivery").id,
            }
        )

    def setUp(self):
        super().setUp()
        self.addCleanup(self.env["complaint.policy"]._invalidate_policy_cache)

    def test_manager_approves_from_activities(self):
        c = self.env["customer.complaint"].create(
            {
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                "description": "Truck two days late; the line stopped",
            }
        )
        c.with_user(self.approver).write({"user_id": self.handler.id})
        c.with_user(self.approver).action_triage()
        c.with_user(self.handler).action_start_investigation()
        c.with_user(self.handler).write(
            {
                "finding": "misuse",
                "remedy_ids": [
                    (0, 0, {"type": "credit", "amount": 1500.0, "description": "credit note"})
                ],
            }
        )
        c.with_user(self.handler).action_determine()
        c.with_user(self.handler).action_propose_remedy()
        activity_type = self.env.ref("customer_complaint.mail_activity_type_complaint_approval")
        activity = c.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(activity.user_id, self.approver)

        self.start_tour("/odoo", "customer_complaint_approval_tour", login="cc_tour_approver")

        self.assertEqual(c.state, "approved")
        self.assertEqual(c.approval_ids.approver_id, self.approver)
        self.assertEqual(c.approval_ids.level_code, "department_manager")
        self.assertFalse(c.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))
        self.assertTrue(c.milestone_ids.filtered(lambda m: m.code == "reply").due_at)
