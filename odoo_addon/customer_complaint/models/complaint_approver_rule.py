from odoo import api, fields, models


class ComplaintApproverRule(models.Model):
    """Who is asked to approve at an authority level (SPEC §4 审批权限).

    The core says which level a stage needs; this configuration says who holds
    that level here: per company, optionally per responsible department, a list
    of users and/or a group. Who *may* decide is still the core's answer from
    the user's own authority level (`res.users._complaint_authority_level`):
    a rule only chooses whom the activity and the e-mail go to."""

    _name = "complaint.approver.rule"
    _description = "Complaint Approver Rule"
    _order = "company_id, authority_level_id, department_id, id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    authority_level_id = fields.Many2one(
        "complaint.authority.level", required=True, ondelete="cascade", check_company=True
    )
    department_id = fields.Many2one(
        "complaint.department",
        check_company=True,
        help="Only complaints of this responsible department; empty: every department.",
    )
    user_ids = fields.Many2many(
        "res.users", "complaint_approver_rule_user_rel", "rule_id", "user_id", string="Approvers"
    )
    group_id = fields.Many2one(
        "res.groups", string="Approver Group", help="Every member of this group is asked too."
    )
    active = fields.Boolean(default=True)

    def _users(self):
        return (self.user_ids | self.group_id.users).filtered("active")

    @api.model
    def _approvers_for_level(self, complaint, level):
        """The users configured for ``level`` on ``complaint``: the rules of its
        department if there are any, else the company-wide rules; without any
        rule, the users who hold the level themselves (their own setting or the
        level's group)."""
        rules = self.sudo().search(
            [
                ("company_id", "=", complaint.company_id.id),
                ("authority_level_id", "=", level.id),
                ("department_id", "in", (complaint.department_id.id, False)),
            ]
        )
        own = rules.filtered(
            lambda r: r.department_id and r.department_id == complaint.department_id
        )
        if own:
            return own._users()
        if rules:
            return rules._users()
        return (level.sudo().user_ids | level.sudo().group_id.users).filtered("active")
