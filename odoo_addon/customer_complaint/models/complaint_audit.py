from odoo import fields, models

from complaint_core.model import State

STATES = [
    (State.REGISTERED.value, "Registered"),
    (State.TRIAGED.value, "Triaged"),
    (State.INVESTIGATING.value, "Investigating"),
    (State.DETERMINED.value, "Determined"),
    (State.REMEDY_PROPOSED.value, "Remedy proposed"),
    (State.APPROVED.value, "Approved"),
    (State.REPLIED.value, "Replied"),
    (State.REMEDY_DONE.value, "Remedy done"),
    (State.FOLLOW_UP.value, "Follow-up"),
    (State.CLOSED.value, "Closed"),
    (State.NOT_VALID.value, "Not valid"),
    (State.WITHDRAWN.value, "Withdrawn"),
]


class ComplaintAudit(models.Model):
    """SPEC §4/§6: every change of state (and severity, owner, remedy) with who,
    when, from, to and why. Never edited: written by the workflow only."""

    _name = "complaint.audit"
    _description = "Complaint Audit Trail"
    _order = "at desc, id desc"

    complaint_id = fields.Many2one(
        "customer.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    action = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        readonly=True,
        help="The customer who took the step on the portal or through a signed link.",
    )
    at = fields.Datetime(string="When", required=True, readonly=True)
    from_state = fields.Selection(STATES, readonly=True)
    to_state = fields.Selection(STATES, readonly=True)
    reason = fields.Text(readonly=True)
