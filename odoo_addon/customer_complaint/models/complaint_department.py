from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import UserError


class ComplaintDepartment(models.Model):
    """A department complaints are dispatched to (SPEC §2 responsible department).

    It may hold the e-mail address customers write their complaints to (issue 9):
    a mail to it registers a complaint for this department (`complaint_mail.py`).
    The address is optional, so the department inherits
    ``mail.alias.mixin.optional``, not ``mail.alias.mixin``: most departments
    receive no mail, and the required mixin (an ``_inherits`` of mail.alias)
    would give each of them an alias record, an empty one at best."""

    _name = "complaint.department"
    _inherit = ["complaint.config.mixin", "mail.alias.mixin.optional"]
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
    # who may write to the alias; complaints come from anyone, known or not
    alias_contact = fields.Selection(
        related="alias_id.alias_contact", readonly=False, default="everyone"
    )

    _sql_constraints = [
        ("code_company_uniq", "unique(code, company_id)", "The department code must be unique."),
    ]

    # -- e-mail alias -------------------------------------------------------------

    def _alias_get_creation_values(self):
        """A mail to the department's address registers a complaint of its
        company for it; other defaults an administrator set on the alias stay."""
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("customer.complaint")
        defaults = literal_eval(self.alias_defaults or "{}") if self.alias_id else {}
        defaults.update(
            department_id=self.id or False,
            company_id=(self.company_id or self.env.company).id,
        )
        values["alias_defaults"] = repr(defaults)
        return values

    def _check_alias_contact(self, vals):
        """Odoo's "followers only" needs a document with followers; a department
        has none, so such an alias would refuse every mail."""
        if vals.get("alias_contact") == "followers":
            raise UserError(
                self.env._(
                    "A department has no followers: its e-mail address accepts mail from "
                    "everyone or from known contacts only."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_alias_contact(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_alias_contact(vals)
        res = super().write(vals)
        if "company_id" in vals:
            # the alias registers complaints in the department's (new) company
            for department in self.filtered("alias_id"):
                department.alias_id.sudo().write(
                    {"alias_defaults": department._alias_get_creation_values()["alias_defaults"]}
                )
        return res
