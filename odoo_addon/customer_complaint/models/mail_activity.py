from odoo import api, fields, models
from odoo.exceptions import RedirectWarning

from complaint_core.model import State

from .complaint_approval_flow import APPROVAL_ACTIVITY

# writing these would take a pending approval off the approver's list as surely
# as marking it done (archived, moved to another record or type)
_PENDING_FIELDS = {"active", "res_model", "res_model_id", "res_id", "activity_type_id"}


class MailActivity(models.Model):
    """Approve / Reject from the approval activity itself (SPEC §4): the
    buttons decide on the complaint the activity is about.

    An approval activity is the approver's pending decision, so it only ends
    with the decision (``_close_approval_activities``, which runs as superuser:
    decided through the wizard / ``action_approve_stage``, a voided round, new
    approvers asked). Mark as Done, Done & Schedule Next, Cancel or unlink from
    any client while the complaint still waits for it are refused with a
    warning whose button opens the approval wizard: "done" alone says neither
    approve nor reject, and a rejection needs a reason, so it is not guessed."""

    _inherit = "mail.activity"

    complaint_approval = fields.Boolean(compute="_compute_complaint_approval")

    @api.depends("activity_type_id", "res_model")
    def _compute_complaint_approval(self):
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        for activity in self:
            activity.complaint_approval = bool(
                activity_type
                and activity.activity_type_id == activity_type
                and activity.res_model == "customer.complaint"
            )

    def _complaint(self):
        self.ensure_one()
        if not self.complaint_approval:
            return self.env["customer.complaint"]
        return self.env["customer.complaint"].browse(self.res_id)

    def _pending_approvals(self):
        """The approval activities of complaints that still wait for a decision."""
        approvals = self.filtered("complaint_approval")
        if not approvals:
            return approvals
        complaints = (
            self.env["customer.complaint"]
            .sudo()
            .with_context(active_test=False)
            .browse(approvals.mapped("res_id"))
            .exists()
            .filtered(lambda c: c.state == State.REMEDY_PROPOSED.value)
        )
        return approvals.filtered(lambda a: a.res_id in complaints.ids)

    def _check_approval_not_dropped(self):
        """Refuse to end a pending approval activity other than by the decision."""
        if self.env.su:
            return
        pending = self._pending_approvals()
        if not pending:
            return
        activity = pending[0]
        complaint = activity._complaint().sudo()
        raise RedirectWarning(
            self.env._(
                "Complaint %(number)s is waiting for your approval: marking its approval "
                "activity as done or cancelling it does not decide. Use Approve or Reject "
                "on the complaint.",
                number=complaint.name,
            ),
            activity._decision_action(),
            self.env._("Approve or Reject"),
        )

    def _decision_action(self, decision="approve"):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Approve or Reject the Remedy"),
            "res_model": "complaint.approval.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_complaint_id": self.res_id,
                "default_activity_id": self.id,
                "default_decision": decision,
            },
        }

    def _action_done(self, feedback=False, attachment_ids=None):
        # the common point of action_done, action_feedback and *_schedule_next
        self._check_approval_not_dropped()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def unlink(self):
        self._check_approval_not_dropped()
        return super().unlink()

    def write(self, vals):
        if _PENDING_FIELDS & set(vals):
            self._check_approval_not_dropped()
        return super().write(vals)

    def action_complaint_decide(self):
        """Open the approval wizard of the activity's complaint."""
        self.ensure_one()
        if not self._complaint():
            return False
        return self._decision_action()

    def action_complaint_approve(self):
        complaint = self._complaint()
        if complaint:
            complaint.action_approve_stage()
        return {"type": "ir.actions.act_window_close"}

    def action_complaint_reject(self):
        complaint = self._complaint()
        if not complaint:
            return False
        return complaint.with_context(complaint_decision="reject").action_open_decision_wizard()
