from odoo import fields, models


class ComplaintDepartment(models.Model):
    """A department complaints are dispatched to (SPEC §2 responsible department)."""

    _name = "complaint.department"
    _inherit = ["complaint.config.mixin"]
    _description = "Complaint Department"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable key used by the complaint policy (categories name their department by it).",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    manager_id = fields.Many2one("res.users", help="Notified of breaches and escalations.")
    member_ids = fields.Many2many(
        "res.users",
        "complaint_department_member_rel",
        "department_id",
        "user_id",
        string="Handlers",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The department code must be unique."),
    ]
