from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install", "customer_complaint")
class TestWorkflow(ComplaintCase):
    def test_main_line_to_closed(self):
        """SPEC §4: registered -> ... -> closed, each step audited, milestone
        events recorded (dispatch done at triage, reply started at approval)."""
        c = self._proposed(category_id=self.cat_delivery.id)  # one-stage approval
        self.assertEqual(c.state, "remedy_proposed")
        self.assertEqual(c.proposed_by_id, self.handler)
        ms = {m.code: m for m in c.milestone_ids}
        self.assertEqual(ms["dispatch"].done_at, c.triaged_at)
        self.assertFalse(ms["reply"].start_at)
        # 300 is within the supervisor's limit: the department manager may approve
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "approved")
        self.assertTrue(c.approved_fingerprint)
        self.assertEqual(c.approval_ids.approver_id, self.manager)
        self.assertEqual(c.approval_ids.level_code, "supervisor")
        reply = c.milestone_ids.filtered(lambda m: m.code == "reply")
        self.assertEqual(reply.start_at, c.approved_at)
        self.assertTrue(reply.due_at)
        c.with_user(self.rep).action_reply()
        self.assertEqual(c.state, "replied")
        c.with_user(self.rep).action_customer_accepts()
        c.with_user(self.handler).action_remedy_done()
        c.with_user(self.handler).action_follow_up()
        self.assertEqual(c.state, "follow_up")
        c.with_user(self.handler).satisfaction = "5"
        c.with_user(self.handler).action_close()
        self.assertEqual(c.state, "closed")
        self.assertTrue(c.closed_at)
        self.assertFalse(c.escalation_due_at)
        self.assertTrue(all(m.done_at for m in c.milestone_ids if m.start_at))
        self.assertEqual(
            c.audit_ids.sorted("id").mapped("action"),
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
        last = c.audit_ids.sorted("id")[-1]
        self.assertEqual(
            (last.from_state, last.to_state, last.user_id), ("follow_up", "closed", self.handler)
        )
        # reopen: back to investigating, counts as a re-complaint (level 3)
        c.with_user(self.rep).action_reason = "still leaking"
        c.with_user(self.rep).action_reopen()
        self.assertEqual(c.state, "investigating")
        self.assertTrue(c.recomplaint)
        self.assertEqual(c.severity, "3")
        self.assertFalse(c.closed_at)

    def test_two_stage_approval_and_authority(self):
        """Product quality: investigation then remedy approval (两次审批); the
        proposer cannot approve; a level too low is refused."""
        c = self._proposed(amount=3000.0)
        # the proposer holds the approver's role and a high level: still not their own
        self.handler.complaint_authority_level_id = self.level_director
        self.handler.groups_id |= self.env.ref("customer_complaint.group_complaint_manager")
        with self.assertRaisesRegex(AccessError, "their own proposal"):
            c.with_user(self.handler).action_approve_stage()
        self.manager.complaint_authority_level_id = self.level_supervisor
        with self.assertRaisesRegex(AccessError, "authority level Department/regional manager"):
            c.with_user(self.manager).action_approve_stage()
        self.manager.complaint_authority_level_id = self.level_dept
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "remedy_proposed")  # remedy stage still open
        self.assertEqual(c.approval_ids.stage, "investigation")
        c.with_user(self.manager).action_approve_stage()  # 3000 <= 5000
        self.assertEqual(c.state, "approved")
        self.assertEqual(sorted(c.approval_ids.mapped("stage")), ["investigation", "remedy"])

    def test_frozen_remedy_voids_approvals(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "approved")
        with self.assertRaisesRegex(UserError, "frozen"):
            c.remedy_ids.with_user(self.handler).amount = 450.0
        c.with_user(self.handler).action_reason = "the seal costs more"
        c.with_user(self.handler).action_revise_remedy()
        self.assertEqual(c.state, "determined")
        self.assertTrue(all(c.approval_ids.mapped("voided")))
        self.assertFalse(c.approved_fingerprint)
        c.remedy_ids.with_user(self.handler).amount = 450.0
        c.with_user(self.handler).action_propose_remedy()
        c.with_user(self.manager).action_approve_stage()  # a new approval is needed
        self.assertEqual(c.state, "approved")
        self.assertIn("revise_remedy", c.audit_ids.mapped("action"))

    def test_rejection_sends_the_remedy_back(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        with self.assertRaisesRegex(ValidationError, "reason"):
            c.with_user(self.manager).action_reject_stage()
        c.with_user(self.manager).action_reason = "too generous"
        c.with_user(self.manager).action_reject_stage()
        self.assertEqual(c.state, "determined")
        self.assertEqual(c.audit_ids.sorted("id")[-1].reason, "too generous")
        self.assertFalse(c.approval_ids.approved)

    def test_refusals(self):
        c = self.make()
        # role: a rep cannot triage
        with self.assertRaisesRegex(AccessError, "needs the role"):
            c.with_user(self.rep).action_triage()
        # required data: no handler
        with self.assertRaisesRegex(UserError, "The step “Triage” needs Handler first"):
            c.with_user(self.manager).action_triage()
        # state: cannot determine a registered complaint
        with self.assertRaisesRegex(UserError, "while the complaint is Registered"):
            c.with_user(self.handler).action_determine()
        # recusal: the handler complained about cannot be assigned
        with self.assertRaisesRegex(ValidationError, "cannot be its Handler"):
            c.with_user(self.manager).write(
                {"user_id": self.handler.id, "complained_user_ids": [(6, 0, [self.handler.id])]}
            )
        # reason: withdrawing needs one
        with self.assertRaisesRegex(UserError, "reason"):
            c.with_user(self.rep).action_withdraw()
        # the state only moves through the workflow
        with self.assertRaises(UserError):
            c.with_user(self.manager).state = "closed"
        # nothing registered is deleted
        with self.assertRaises(UserError):
            c.with_user(self.manager).unlink()
        self.assertEqual(c.state, "registered")

    def test_quality_finding_needs_signoff(self):
        c = self._triaged()
        c.with_user(self.handler).action_start_investigation()
        c.with_user(self.handler).write(
            {
                "finding": "quality",
                "responsible_department_ids": [(6, 0, [self.dept_quality.id])],
            }
        )
        with self.assertRaisesRegex(UserError, "sign-off"):
            c.with_user(self.handler).action_determine()
        c.with_user(self.handler).quality_signoff_by_id = self.handler  # not quality
        with self.assertRaisesRegex(UserError, "sign-off"):
            c.with_user(self.handler).action_determine()
        c.with_user(self.handler).quality_signoff_by_id = self.quality
        c.with_user(self.handler).action_determine()
        self.assertEqual(c.state, "determined")

    def test_propose_needs_remedies_and_cash_reason(self):
        c = self._determined()
        with self.assertRaisesRegex(UserError, "“Propose Remedy” needs Remedies first"):
            c.with_user(self.handler).action_propose_remedy()
        c.with_user(self.handler).write({"remedy_ids": [(0, 0, {"type": "cash", "amount": 200})]})
        with self.assertRaisesRegex(UserError, "Cash compensation needs a written reason"):
            c.with_user(self.handler).action_propose_remedy()
        c.remedy_ids.with_user(self.handler).reason = "customer lost a day of production"
        c.with_user(self.handler).action_propose_remedy()
        self.assertEqual(c.state, "remedy_proposed")

    def test_customer_rejects_and_dissatisfied_close(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.manager).action_approve_stage()
        c.with_user(self.rep).action_reply()
        # the answer is the customer's step, never a field anybody writes
        with self.assertRaises(UserError):
            c.with_user(self.rep).customer_accepted = "accepted"
        with self.assertRaisesRegex(UserError, "Customer's Answer"):
            c.with_user(self.handler).action_remedy_done()
        c.with_user(self.rep).action_reason = "wants an exchange"
        c.with_user(self.rep).action_customer_rejects()
        self.assertEqual(c.state, "determined")
        self.assertFalse(c.replied_at)
        c.with_user(self.handler).action_propose_remedy()
        c.with_user(self.manager).action_approve_stage()
        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        c.with_user(self.handler).action_remedy_done()
        c.with_user(self.handler).action_follow_up()
        with self.assertRaisesRegex(UserError, "“Close” needs Satisfaction first"):
            c.with_user(self.handler).action_close()
        # the policy's answer to a dissatisfied customer here: a manager's explained
        # closing (with the default, "reopen", the answer reopens the case)
        settings = self.env["complaint.policy"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        ) or self.env["complaint.policy"].create({"company_id": self.env.company.id})
        settings.dissatisfied_response = "manager_decides"
        self.env["complaint.policy"]._invalidate_policy_cache()
        c.with_user(self.handler).satisfaction = "2"
        self.assertEqual(c.state, "follow_up")
        with self.assertRaisesRegex(AccessError, "needs the role Manager"):
            c.with_user(self.handler).action_close()
        c.with_user(self.manager).action_reason = "customer's demand is outside the warranty"
        c.with_user(self.manager).action_close()
        self.assertEqual(c.state, "closed")

    def test_side_exits_and_conversion(self):
        c = self.make(kind="request", request_type="enquiry")
        c.with_user(self.rep).action_convert_to_complaint()
        self.assertEqual(c.kind, "complaint")
        c.with_user(self.manager).action_reason = "customer misread the manual"
        c.with_user(self.manager).action_mark_not_valid()
        self.assertEqual(c.state, "not_valid")
        self.assertTrue(c.closed_at)
        with self.assertRaisesRegex(UserError, "while the complaint is Not valid"):
            c.with_user(self.rep).action_withdraw()
        other = self.make()
        other.with_user(self.rep).action_reason = "solved by phone"
        other.with_user(self.rep).action_withdraw()
        self.assertEqual(other.state, "withdrawn")
        self.assertEqual(other.audit_ids.sorted("id")[-1].reason, "solved by phone")
