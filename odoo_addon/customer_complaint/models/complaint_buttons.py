"""The one primary button of the complaint form (issue 11 item 4).

The core says which steps this user may take now (the ``can_*`` booleans of
`complaint_workflow`); ``next_action`` names the first of them in the workflow's
order, and the form highlights only that button, so the next step is obvious.
"""

from odoo import api, fields, models

# the forward steps, in the order a complaint takes them -> the boolean allowing each
PRIMARY_STEPS = (
    ("triage", "can_triage"),
    ("start_investigation", "can_start_investigation"),
    ("determine", "can_determine"),
    ("propose_remedy", "can_propose_remedy"),
    ("decide_approval", "can_decide_approval"),
    ("reply", "can_reply"),
    ("customer_accepts", "can_customer_accepts"),
    ("remedy_done", "can_remedy_done"),
    ("follow_up", "can_follow_up"),
    ("close", "can_close"),
)


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    next_action = fields.Char(
        compute="_compute_next_action",
        help="The next step of the workflow this user may take now; its button is the primary one.",
    )

    @api.depends_context("uid")
    @api.depends(*(can for _step, can in PRIMARY_STEPS))
    def _compute_next_action(self):
        for rec in self:
            rec.next_action = next(
                (step for step, can in PRIMARY_STEPS if rec.id and rec[can]), False
            )
