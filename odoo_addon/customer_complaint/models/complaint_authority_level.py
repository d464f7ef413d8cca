from odoo import fields, models


class ComplaintAuthorityLevel(models.Model):
    """SPEC §4 审批权限: an approval limit. Levels rise with ``sequence``; the
    highest one must be unlimited so every cost has an approver."""

    _name = "complaint.authority.level"
    _inherit = ["complaint.config.mixin"]
    _description = "Complaint Approval Authority Level"
    _order = "sequence, id"

    code = fields.Char(required=True, help="Stable key used by the complaint policy.")
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Lowest authority first.")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
    )
    up_to = fields.Monetary(
        string="Approves Up To",
        currency_field="currency_id",
        help="Highest total remedy cost this level may approve.",
    )
    unlimited = fields.Boolean(help="No upper limit (the highest level).")
    user_ids = fields.One2many("res.users", "complaint_authority_level_id", string="Users")
    group_id = fields.Many2one(
        "res.groups",
        help="Members of this group have this authority level (unless their user sets one).",
    )
    active = fields.Boolean(default=True)

    def _compute_currency_id(self):
        for level in self:
            level.currency_id = (level.company_id or self.env.company).currency_id
