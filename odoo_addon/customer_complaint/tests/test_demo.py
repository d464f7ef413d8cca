# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The demo story holds (demo/customer_complaint_demo.xml).

The demo is loaded through the models and the workflow buttons as the demo users, so
what it shows (numbers, severities, milestones, states, audit entries) was computed by the
core: these tests check that the story it tells is the one it was written to tell.
Skipped when the module was installed without demo data.
"""

from datetime import timedelta

from odoo.tests import TransactionCase, tagged

STATES = {
    1: "registered",
    2: "investigating",
    3: "triaged",
    4: "registered",
    5: "investigating",
    6: "determined",
    7: "remedy_proposed",
    8: "approved",
    9: "replied",
    10: "closed",
    11: "not_valid",
    12: "registered",
    13: "registered",
}
REGISTERED_BY = {
    1: "rep_li",
    2: "rep_li",
    3: "rep_wang",
    4: "rep_wang",
    5: "rep_li",
    6: "rep_wang",
    7: "handler_zhang",
    8: "rep_wang",
    9: "rep_li",
    10: "rep_li",
    11: "rep_wang",
    12: "rep_wang",
    13: "rep_li",
}
ROLES = {
    "rep_li": "sales_rep",
    "rep_wang": "sales_rep",
    "handler_zhang": "handler",
    "handler_chen": "handler",
    "quality_liu": "quality",
    "manager_zhao": "manager",
    "manager_sun": "manager",
    "admin_qian": "admin",
    "auditor_zhou": "auditor",
}
CHAIN = ["sales_rep", "handler", "quality", "manager", "admin"]


@tagged("post_install", "-at_install", "customer_complaint")
class TestDemo(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.c = {
            n: ref(f"customer_complaint.demo_complaint_{n:02d}", raise_if_not_found=False)
            for n in STATES
        }
        cls.u = {
            key: ref(f"customer_complaint.demo_user_{key}", raise_if_not_found=False)
            for key in ROLES
        }

    def setUp(self):
        super().setUp()
        if not all(self.c.values()):
            self.skipTest("customer_complaint was installed without demo data")

    def test_states_span_the_workflow(self):
        self.assertEqual({n: c.state for n, c in self.c.items()}, STATES)
        self.assertLessEqual(
            {
                "registered",
                "triaged",
                "investigating",
                "determined",
                "remedy_proposed",
                "approved",
                "replied",
                "closed",
                "not_valid",
            },
            {c.state for c in self.c.values()},
        )

    def test_registered_by_the_demo_users_and_numbered_on_the_received_day(self):
        names = [c.name for c in self.c.values()]
        self.assertEqual(len(set(names)), len(names), "numbers are unique")
        for n, c in self.c.items():
            self.assertEqual(c.registered_by_id, self.u[REGISTERED_BY[n]], n)
            # received at 02:30 UTC = 10:30 Asia/Shanghai: the same calendar day
            self.assertRegex(c.name, r"^\d{9,}$")
            self.assertEqual(c.name[:6], c.received_at.strftime("%y%m%d"), c.name)

    def test_breached_first_contact(self):
        c1 = self.c[1]
        self.assertFalse(c1.first_contact_at)
        first = c1.milestone_ids.filtered(lambda m: m.code == "first_contact")
        self.assertEqual(len(first), 1)
        self.assertFalse(first.done_at)
        self.assertLess(first.due_at, c1.received_at + timedelta(days=2))
        self.assertEqual(first.status, "breached")
        self.assertIn(c1, self.env["customer.complaint"].search([("sla_overdue", "=", True)]))
        # 21 days open through our fault: escalated by age (SPEC §2) to at least level 2
        self.assertTrue(c1.escalated)
        self.assertIn(c1.severity, ("1", "2"))

    def test_others_were_contacted_in_time(self):
        for n in (2, 5, 10):
            first = self.c[n].milestone_ids.filtered(lambda m: m.code == "first_contact")
            self.assertEqual(first.status, "done", n)

    def test_repeat_cluster(self):
        cluster = self.c[2] | self.c[3] | self.c[4]
        self.assertEqual(len(cluster.product_id), 1, "one product")
        self.assertEqual(len(cluster.partner_id), 3, "three different customers")
        received = cluster.mapped("received_at")
        self.assertLessEqual(max(received) - min(received), timedelta(days=30))
        # the third customer's complaint completes the cluster
        self.assertTrue(self.c[4].repeat_cluster)
        self.assertIn("3 customers", self.c[4].cluster_info)
        self.assertEqual(self.c[4].severity, "2")  # SPEC §2: a repeat cluster is level 2
        self.assertFalse(self.c[3].repeat_cluster, "only two customers when 03 came in")

    def test_level1_injury(self):
        c5 = self.c[5]
        self.assertTrue(c5.injury)
        self.assertEqual(c5.severity, "1")
        self.assertTrue(any(line.startswith("1:") for line in c5.severity_reasons.splitlines()))
        self.assertTrue(c5.site_visit_at)
        self.assertEqual(c5.user_id, self.u["quality_liu"])

    def test_closed_case_went_the_whole_way(self):
        c10 = self.c[10]
        trail = c10.audit_ids.sorted("id")
        self.assertEqual(
            trail.mapped("action"),
            [
                "register",
                "triage",
                "start_investigation",
                "determine",
                "propose_remedy",
                "approve",
                "reply",
                "customer_accepts",
                "remedy_done",
                "follow_up",
                "close",
            ],
        )
        by = {a.action: a.user_id for a in trail}
        self.assertEqual(by["register"], self.u["rep_li"])
        self.assertEqual(by["approve"], self.u["manager_zhao"])
        self.assertEqual(by["reply"], self.u["rep_li"])
        self.assertEqual(by["close"], self.u["handler_chen"])
        self.assertEqual(c10.finding, "quality")
        self.assertEqual(c10.quality_signoff_by_id, self.u["quality_liu"])
        self.assertEqual(c10.satisfaction, "5")
        self.assertTrue(c10.closed_at)
        approval = c10.approval_ids
        self.assertEqual(len(approval), 1)
        self.assertTrue(approval.approved)
        self.assertEqual(approval.approver_id, self.u["manager_zhao"])
        self.assertNotEqual(c10.proposed_by_id, approval.approver_id)

    def test_not_valid_is_explained(self):
        c11 = self.c[11]
        self.assertEqual(c11.finding, "misuse")
        entry = c11.audit_ids.filtered(lambda a: a.action == "mark_not_valid")
        self.assertEqual(len(entry), 1)
        self.assertIn("manual", entry.reason)

    def test_proposed_remedy_awaits_approval(self):
        c7 = self.c[7]
        self.assertEqual(c7.proposed_by_id, self.u["handler_zhang"])
        self.assertEqual(sorted(c7.remedy_ids.mapped("type")), ["apology", "gift"])
        self.assertFalse(c7.approval_ids)

    def test_recused_rep_does_not_see_the_complaint_about_them(self):
        rep = self.u["rep_wang"]
        self.assertEqual(self.c[7].sales_user_id, rep, "07's customer is rep_wang's")
        mine = (
            self.env["customer.complaint"]
            .with_user(rep)
            .search([("id", "in", [c.id for c in self.c.values()])])
        )
        self.assertNotIn(self.c[7], mine)
        self.assertEqual(
            mine, self.c[3] | self.c[4] | self.c[6] | self.c[8] | self.c[11] | self.c[12]
        )

    def test_transferred_case_carries_its_deadline(self):
        c13 = self.c[13]
        self.assertEqual(c13.channel, "consumer_association")
        self.assertTrue(c13.authority_reference)
        self.assertIn(c13.authority_deadline, c13.milestone_ids.mapped("due_at"))

    def test_users_departments_and_authority(self):
        for key, role in ROLES.items():
            user = self.u[key]
            self.assertTrue(user.has_group(f"customer_complaint.group_complaint_{role}"), key)
            if role in CHAIN and role != "admin":
                above = CHAIN[CHAIN.index(role) + 1]
                self.assertFalse(user.has_group(f"customer_complaint.group_complaint_{above}"), key)
        ref = self.env.ref
        quality = ref("customer_complaint.complaint_department_quality")
        # the post_init_hook updated the records; the demo's people are still there
        self.assertEqual(quality.manager_id, self.u["manager_sun"])
        self.assertEqual(quality.member_ids, self.u["quality_liu"])
        self.assertEqual(ref("customer_complaint.complaint_category_safety").department_id, quality)
        self.assertEqual(
            self.u["manager_zhao"].complaint_authority_level_id.code, "department_manager"
        )
