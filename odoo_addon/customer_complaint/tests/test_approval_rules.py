"""The approval rules are held by the server, not by hidden buttons (SPEC §4):
own proposal, recusal, authority limit, level 1 to the general manager,
frozen remedies, cash reasons, one decision per stage and round."""

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .approval_common import MANAGER, ApprovalCase


@tagged("post_install", "-at_install", "customer_complaint")
class TestApprovalRules(ApprovalCase):
    def test_nobody_approves_their_own_proposal(self):
        """The manager proposes (a manager may): they are not asked, and the
        server refuses their approval even called directly."""
        self.rule_supervisor.user_ids = [(4, self.manager.id)]
        c = self._proposed(category_id=self.cat_delivery.id, by=self.manager)
        self.assertEqual(c.proposed_by_id, self.manager)
        self.assertEqual(self.approval_activities(c).user_id, self.supervisor)
        with self.assertRaisesRegex(AccessError, "their own proposal"):
            c.with_user(self.manager).action_approve_stage()
        with self.assertRaisesRegex(AccessError, "their own proposal"):
            self.env["complaint.approval.wizard"].with_user(self.manager).create(
                {"complaint_id": c.id, "decision": "reject", "reason": "no"}
            ).action_confirm()
        self.assertFalse(c.approval_ids)
        self.assertEqual(c.state, "remedy_proposed")

    def test_recused_cannot_approve_or_handle(self):
        """The person complained about, and whoever reports only to them, may
        neither approve nor handle; they are not asked either."""
        team = self.env["complaint.department"].create(
            {
                "name": "Director's team",
                "code": "director_team",
                "manager_id": self.director.id,
                "member_ids": [(6, 0, self.supervisor.ids)],
            }
        )
        self.assertTrue(team)
        c = self._proposed(category_id=self.cat_delivery.id)
        c.complained_user_ids = [(6, 0, self.director.ids)]
        # the supervisor reports only to the director, who is complained about
        with self.assertRaisesRegex(AccessError, "recused"):
            c.with_user(self.supervisor).action_approve_stage()
        # the director cannot even see the complaint about them (record rule)
        with self.assertRaises(AccessError):
            c.with_user(self.director).action_approve_stage()
        self.assertFalse(c.approval_ids)
        # asked again (the remedy changes): the recused supervisor is skipped,
        # the next level up is asked
        c.remedy_ids.with_user(self.handler).amount = 310.0
        self.assertEqual(self.approval_activities(c).user_id, self.manager)
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "approved")
        # handling: a handler complained about cannot be assigned at triage
        d = self.make(category_id=self.cat_delivery.id)
        with self.assertRaisesRegex(ValidationError, "cannot be its Handler"):
            d.write({"user_id": self.handler.id, "complained_user_ids": [(6, 0, self.handler.ids)]})

    def test_higher_level_may_lower_may_not(self):
        c = self._proposed(amount=4000.0, category_id=self.cat_delivery.id)
        self.assertEqual(self.approval_activities(c).user_id, self.manager)
        with self.assertRaisesRegex(AccessError, "authority level Department/regional manager"):
            c.with_user(self.supervisor).action_approve_stage()
        self.assertFalse(c.approval_ids)
        c.with_user(self.director).action_approve_stage()  # director > department manager
        self.assertEqual(c.state, "approved")
        self.assertEqual(c.approval_ids.approver_id, self.director)
        self.assertEqual(c.approval_ids.level_code, "department_manager")

    def test_level1_always_reaches_the_general_manager(self):
        """A level-1 complaint needs the general manager whatever the cost."""
        c = self._proposed(amount=100.0, category_id=self.cat_delivery.id, injury=True)
        self.assertEqual(c.severity, "1")
        self.assertEqual(self.approval_activities(c).user_id, self.gm)
        self.assertEqual(c.approval_next_level_id, self.level_gm)
        with self.assertRaisesRegex(AccessError, "needs the authority level General manager"):
            c.with_user(self.director).action_approve_stage()
        c.with_user(self.gm).action_approve_stage()
        self.assertEqual(c.state, "approved")
        self.assertEqual(c.approval_ids.level_code, "general_manager")

    def test_frozen_remedy_restarts_the_route(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.supervisor).action_approve_stage()
        self.assertEqual(c.state, "approved")
        self.assertFalse(self.approval_activities(c))
        # frozen: a change takes a new proposal (revise, edit, propose)
        with self.assertRaisesRegex(UserError, "frozen"):
            c.remedy_ids.with_user(self.handler).amount = 2000.0
        c.with_user(self.handler).action_reason = "the customer asks for more"
        c.with_user(self.handler).action_revise_remedy()
        self.assertEqual(c.approval_round, 2)
        self.assertTrue(c.approval_ids.voided)
        self.assertFalse(c.approved_at)
        c.remedy_ids.with_user(self.handler).amount = 2000.0
        c.with_user(self.handler).action_propose_remedy()
        self.assertEqual(c.state, "remedy_proposed")
        # the new cost needs the department manager: they are asked now
        self.assertEqual(self.approval_activities(c).user_id, self.manager)
        with self.assertRaisesRegex(AccessError, "authority level Department/regional manager"):
            c.with_user(self.supervisor).action_approve_stage()
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "approved")
        current = c.approval_ids.filtered(lambda a: not a.voided)
        self.assertEqual(current.route_round, 3)
        # a description is not part of what was approved: nothing restarts
        c.remedy_ids.with_user(self.handler).description = "new seal, same price"
        self.assertEqual(c.state, "approved")

    def test_cash_compensation_needs_a_written_reason(self):
        c = self._determined(category_id=self.cat_delivery.id)
        c.with_user(self.handler).write({"remedy_ids": [(0, 0, {"type": "cash", "amount": 200})]})
        with self.assertRaisesRegex(UserError, "Cash compensation needs a written reason"):
            c.with_user(self.handler).action_propose_remedy()
        self.assertFalse(self.approval_activities(c))
        c.remedy_ids.with_user(self.handler).reason = "lost a day of production"
        c.with_user(self.handler).action_propose_remedy()
        self.assertEqual(self.approval_activities(c).user_id, self.supervisor)
        # taking the reason away afterwards is refused too
        with self.assertRaisesRegex(ValidationError, "Cash compensation needs a written reason"):
            c.remedy_ids.with_user(self.handler).reason = False

    def test_database_holds_one_decision_per_stage_and_round(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.supervisor).action_approve_stage()
        first = c.approval_ids
        vals = {
            "complaint_id": c.id,
            "stage": "remedy",
            "approver_id": self.manager.id,
            "approved": False,
            "comment": "late",
            "route_round": first.route_round,
        }
        with mute_logger("odoo.sql_db"), self.assertRaisesRegex(UserError, "already been decided"):
            c._store_decision(vals)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["complaint.approval"].create(vals)
        self.assertEqual(c.approval_ids, first)


@tagged("post_install", "-at_install", "customer_complaint")
class TestApproverOutsideTheDepartment(ApprovalCase):
    """An approver the route needs may open and decide a complaint of a department
    they do not manage: being asked grants it (record rule on approver_ids)."""

    def test_director_of_no_department_approves(self):
        director = new_test_user(
            self.env,
            "cc_plain_director",
            name="Director Du",
            groups=MANAGER,
            email="du@example.com",
        )
        director.complaint_authority_level_id = self.level_director
        self.rule_director.user_ids = [(6, 0, director.ids)]
        c = self._proposed(amount=20000.0, category_id=self.cat_delivery.id)
        self.assertNotEqual(c.department_id.manager_id, director)
        self.assertEqual(self.approval_activities(c).user_id, director)
        self.assertIn(director, c.approver_ids)
        # asked, so the director finds it, as ORM search and as search_read
        Complaint = self.env["customer.complaint"].with_user(director)
        self.assertEqual(Complaint.search([("id", "=", c.id)]), c)
        self.assertEqual(
            [r["id"] for r in Complaint.search_read([("id", "=", c.id)], ["name"])], c.ids
        )
        c.with_user(director).action_approve_stage()
        self.assertEqual(c.state, "approved")
        self.assertEqual(c.approval_ids.approver_id, director)
        # someone never asked still cannot see it
        other = new_test_user(self.env, "cc_other_manager", groups=MANAGER)
        self.assertFalse(
            self.env["customer.complaint"].with_user(other).search([("id", "=", c.id)])
        )


@tagged("post_install", "-at_install", "customer_complaint")
class TestApprovalNeedsTheApproverRole(ApprovalCase):
    def test_authority_level_without_the_manager_role_decides_no_stage(self):
        """The policy gives the approve step to managers: a handler holding an
        authority level may not decide even the first (investigation) stage."""
        c = self._proposed(amount=300.0)  # product quality: two stages
        self.assertEqual(len(c._route(c._policy()).stages), 2)
        self.quality.complaint_authority_level_id = self.level_dept
        with self.assertRaisesRegex(AccessError, "needs the role Manager"):
            c.with_user(self.quality).action_approve_stage()
        self.assertFalse(c.approval_ids)
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.approval_ids.stage, "investigation")
