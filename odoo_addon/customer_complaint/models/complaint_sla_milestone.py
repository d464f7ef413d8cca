from odoo import fields, models

START_EVENTS = [
    ("registered", "Registered"),
    ("triaged", "Triaged"),
    ("approved", "Remedy approved"),
    ("replied", "Replied to the customer"),
    ("remedy_done", "Remedy done"),
]


class ComplaintSlaMilestone(models.Model):
    """SPEC §3: one configurable time limit. Limits are written like the policy
    file: ``2wh`` working hours, ``3wd`` working days, ``24h`` clock hours,
    ``15d`` clock days, ``authority`` for the transferring authority's own deadline."""

    _name = "complaint.sla.milestone"
    _inherit = ["complaint.config.mixin"]
    _description = "Complaint SLA Milestone"
    _order = "sequence, id"

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    start_event = fields.Selection(
        START_EVENTS, required=True, default="registered", help="The event that starts the clock."
    )
    limit = fields.Char(required=True, default="3wd", help="e.g. 2wh, 3wd, 24h, 15d, authority")
    limit_severe = fields.Char(
        string="Limit for Level 1-2 / Escalated",
        help="Used instead of the limit for level 1-2 or escalated complaints (empty: same).",
    )
    limit_request = fields.Char(
        string="Limit for Requests/Suggestions",
        help="Used instead of the limit for requests and suggestions (empty: same).",
    )
    apply_complaint = fields.Boolean(string="Complaints", default=True)
    apply_request = fields.Boolean(string="Requests", default=True)
    apply_suggestion = fields.Boolean(string="Suggestions", default=True)
    category_ids = fields.Many2many(
        "complaint.category",
        string="Only for Categories",
        help="Empty: every category.",
    )
    transferred_only = fields.Boolean(
        help="Only for cases transferred by a regulator, consumer association or the media."
    )
    active = fields.Boolean(default=True)

    def _spec_data(self):
        """This milestone as an ``sla.milestones`` entry of the core's policy data."""
        self.ensure_one()
        when = {}
        kinds = [
            k
            for k, on in (
                ("complaint", self.apply_complaint),
                ("request", self.apply_request),
                ("suggestion", self.apply_suggestion),
            )
            if on
        ]
        if len(kinds) < 3:
            when["kinds"] = kinds
        if self.category_ids:
            when["categories"] = self.category_ids.mapped("code")
        if self.transferred_only:
            when["transferred"] = True
        rules = []
        if self.limit_severe:
            rules.append({"when": {"levels": [1, 2]}, "limit": self.limit_severe.strip()})
            rules.append({"when": {"escalated": True}, "limit": self.limit_severe.strip()})
        if self.limit_request:
            rules.append(
                {"when": {"kinds": ["request", "suggestion"]}, "limit": self.limit_request.strip()}
            )
        rules.append({"limit": (self.limit or "").strip()})
        data = {"code": self.code, "name": self.name, "start": self.start_event, "rules": rules}
        if when:
            data["when"] = when
        return data
