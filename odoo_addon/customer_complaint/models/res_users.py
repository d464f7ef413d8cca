from odoo import fields, models

from complaint_core.model import Role
from complaint_core.workflow import Actor

# group XML id -> core role (SPEC §8); implied groups give their roles too,
# since a user's groups_id contains the implied groups.
GROUP_ROLES = (
    ("customer_complaint.group_complaint_sales_rep", Role.SALES_REP),
    ("customer_complaint.group_complaint_handler", Role.HANDLER),
    ("customer_complaint.group_complaint_quality", Role.QUALITY),
    ("customer_complaint.group_complaint_manager", Role.MANAGER),
    ("customer_complaint.group_complaint_admin", Role.ADMIN),
    ("customer_complaint.group_complaint_auditor", Role.AUDITOR),
)


class ResUsers(models.Model):
    _inherit = "res.users"

    complaint_authority_level_id = fields.Many2one(
        "complaint.authority.level",
        string="Complaint Approval Authority",
        help="The highest remedy cost this user may approve (SPEC §4 审批权限).",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        """A user sees their own approval limit on their preferences (SPEC §4)."""
        return [*super().SELF_READABLE_FIELDS, "complaint_authority_level_id"]

    def _complaint_roles(self):
        """The core roles of this user, from their groups."""
        self.ensure_one()
        return frozenset(role for xmlid, role in GROUP_ROLES if self.has_group(xmlid))

    def _complaint_authority_level(self):
        """The user's authority level record: their own, else the highest level
        whose group they belong to."""
        self.ensure_one()
        if self.complaint_authority_level_id:
            return self.complaint_authority_level_id
        levels = (
            self.env["complaint.authority.level"]
            .sudo()
            .search([("group_id", "in", self.groups_id.ids)])
        )
        return levels.sorted("sequence")[-1:] if levels else levels

    def _complaint_actor(self):
        """The core workflow Actor of this user (roles, department, the managers
        they report to for recusal)."""
        self.ensure_one()
        departments = (
            self.env["complaint.department"].sudo().search([("member_ids", "in", self.ids)])
        )
        managers = departments.manager_id - self
        return Actor(
            id=str(self.id),
            roles=self._complaint_roles(),
            department=departments[:1].code or None,
            reports_to=tuple(str(uid) for uid in managers.ids),
        )
