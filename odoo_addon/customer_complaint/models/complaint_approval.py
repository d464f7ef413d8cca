from odoo import fields, models


class ComplaintApproval(models.Model):
    """SPEC §4 审批: one decision on a stage of the approval route, with the
    remedy fingerprint it approved (a later change of the remedies voids it).

    A route is decided once per stage: ``route_round`` counts the proposals of
    the complaint (a new proposal, or a change that voids the approvals, starts
    a new round), and the database refuses a second decision on a stage of
    the same round, whatever the application did (two approvers at once)."""

    _name = "complaint.approval"
    _description = "Complaint Approval Decision"
    _order = "at, id"

    complaint_id = fields.Many2one(
        "customer.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    stage = fields.Selection(
        [("investigation", "Investigation"), ("remedy", "Remedy")], required=True
    )
    level_code = fields.Char(string="Authority Level Required")
    approver_id = fields.Many2one("res.users", required=True)
    approved = fields.Boolean()
    comment = fields.Text()
    at = fields.Datetime(required=True, default=fields.Datetime.now)
    fingerprint = fields.Char(help="Remedy fingerprint at the decision.")
    voided = fields.Boolean(
        help="The remedies changed after this decision, or a new proposal was made."
    )
    route_round = fields.Integer(
        string="Approval Round",
        default=0,
        required=True,
        readonly=True,
        help="The complaint's approval round this decision belongs to.",
    )

    _sql_constraints = [
        (
            "stage_round_uniq",
            "unique(complaint_id, stage, route_round)",
            "This approval stage has already been decided.",
        ),
    ]
