"""customer.complaint: a dissatisfied follow-up answer recorded by hand (SPEC §5).

The survey bridge hands the customer's answer to `_after_satisfaction`; an
answer typed on the form (phone, visit, e-mail) takes the same path: when the
complaint is at the follow-up and its satisfaction changes (or it reaches the
follow-up with one already recorded), the policy decides once — reopen, or a
manager decides between reopening and an explained closing. The form proposes
that answer: while the customer is dissatisfied *Reopen* is the primary button
and closing is the manager's explained closing, not the main step.
"""

from odoo import api, fields, models

from complaint_core import customer as core_customer
from complaint_core.model import State

from .core_errors import core_errors

# In-process callers that apply the policy themselves, with the customer as the one
# who answered (the survey bridge), write the satisfaction with this context key
# holding a tuple of the complaint ids: a JSON-RPC context cannot hold a tuple, so
# no client can record an answer that skips the policy.
APPLIED_BY_CALLER = "complaint_satisfaction_applied_by_caller"


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    dissatisfied_pending = fields.Boolean(
        string="Customer Dissatisfied",
        compute="_compute_dissatisfied_pending",
        help="The follow-up's answer is dissatisfied: the case is reopened, or a manager "
        "closes it with the explanation given to the customer.",
    )

    @api.depends("state", "satisfaction", "company_id")
    def _compute_dissatisfied_pending(self):
        for rec in self:
            pending = False
            if rec.state == State.FOLLOW_UP.value and rec.satisfaction:
                with core_errors(self.env):
                    pending = bool(
                        core_customer.dissatisfied_response(int(rec.satisfaction), rec._policy())
                    )
            rec.dissatisfied_pending = pending

    @api.depends("dissatisfied_pending", "can_reopen")
    def _compute_next_action(self):
        """While the customer is dissatisfied, the next step is the policy's answer:
        Reopen (for whoever may), never Close (a manager's explained closing is a
        secondary button)."""
        res = super()._compute_next_action()
        for rec in self.filtered("dissatisfied_pending"):
            rec.next_action = "reopen" if rec.id and rec.can_reopen else False
        return res

    def write(self, vals):
        if "satisfaction" not in vals:
            return super().write(vals)
        before = {rec.id: rec.satisfaction for rec in self}
        result = super().write(vals)
        skip = self.env.context.get(APPLIED_BY_CALLER)
        skip = set(skip) if isinstance(skip, tuple) else set()
        answered = self.filtered(
            lambda r: (
                r.id not in skip
                and r.state == State.FOLLOW_UP.value
                and r.satisfaction
                and r.satisfaction != before.get(r.id)
            )
        )
        if answered:
            answered._after_satisfaction()
        return result

    def action_follow_up(self):
        # an answer recorded before the follow-up step counts once the case is there
        waiting = self.filtered(lambda r: r.state != State.FOLLOW_UP.value)
        result = super().action_follow_up()
        waiting.filtered(
            lambda r: r.state == State.FOLLOW_UP.value and r.satisfaction
        )._after_satisfaction()
        return result
