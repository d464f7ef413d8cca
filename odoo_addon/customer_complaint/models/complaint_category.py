from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ComplaintCategory(models.Model):
    """SPEC §2 投诉分类: a configurable tree; each category names its default
    responsible department."""

    _name = "complaint.category"
    _inherit = ["complaint.config.mixin"]
    _description = "Complaint Category"
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"

    code = fields.Char(required=True, help="Stable key used by the complaint policy.")
    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one("complaint.category", ondelete="restrict", index=True)
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("complaint.category", "parent_id", string="Sub-categories")
    department_id = fields.Many2one(
        "complaint.department",
        string="Responsible Department",
        help="Default department complaints of this category are dispatched to.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_uniq", "unique(code)", "The category code must be unique.")]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for cat in self:
            if cat.parent_id:
                cat.complete_name = f"{cat.parent_id.complete_name} / {cat.name}"
            else:
                cat.complete_name = cat.name

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A category cannot be its own ancestor."))
