from odoo import api, fields, models

from complaint_core.model import Duration, SlaStatus
from complaint_core.sla import Milestone

from .complaint import aware

STATUSES = [
    (SlaStatus.NOT_STARTED.value, "Not started"),
    (SlaStatus.ON_TIME.value, "On time"),
    (SlaStatus.DUE_SOON.value, "Due soon"),
    (SlaStatus.BREACHED.value, "Breached"),
    (SlaStatus.DONE.value, "Done"),
    (SlaStatus.DONE_LATE.value, "Done late"),
]


class ComplaintMilestone(models.Model):
    """SPEC §3: one planned time limit of a complaint. ``due_at`` and ``warn_at``
    are stored and indexed so the deadline cron finds what is due with one
    indexed query (ARCHITECTURE "The seam")."""

    _name = "complaint.milestone"
    _description = "Complaint Milestone"
    _order = "due_at, id"

    complaint_id = fields.Many2one(
        "customer.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    code = fields.Char(required=True)
    label = fields.Char(
        string="Name in the Policy",
        help="The milestone's name as planned (the policy's text, English).",
    )
    name = fields.Char(
        string="Milestone",
        compute="_compute_name",
        help="The configured SLA milestone's name in the reader's language.",
    )
    limit = fields.Char(help="The limit applied, e.g. 2wh; empty for the authority's deadline.")
    start_at = fields.Datetime(string="Started")
    due_at = fields.Datetime(string="Due", index=True)
    warn_at = fields.Datetime(
        string="Due Soon From",
        index=True,
        help="The instant the due-soon threshold (warning ratio of the limit) is reached.",
    )
    done_at = fields.Datetime(string="Done")
    status = fields.Selection(STATUSES, compute="_compute_status")
    notified_due_soon = fields.Boolean(readonly=True, copy=False)
    notified_breached = fields.Boolean(readonly=True, copy=False)

    @api.depends_context("lang")
    @api.depends("code", "label", "company_id")
    def _compute_name(self):
        """The configured milestone's (translated) name, found for the whole
        batch with one search; the planned label where none is configured."""
        configs = (
            self.env["complaint.sla.milestone"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "in", list(set(self.mapped("code"))))])
        )
        names = {}
        for config in configs:
            names.setdefault((config.company_id.id, config.code), config.name)
        for m in self:
            m.name = names.get((m.company_id.id, m.code)) or names.get((False, m.code)) or m.label

    @api.depends("start_at", "due_at", "done_at", "limit")
    def _compute_status(self):
        now = fields.Datetime.now()
        for m in self:
            if not m.complaint_id or not m.code:
                m.status = SlaStatus.NOT_STARTED.value
                continue
            m.status = m.complaint_id._milestone_status(m, now).value

    def _to_core(self):
        """The core Milestone of this record (aware datetimes)."""

        self.ensure_one()
        return Milestone(
            code=self.code,
            name=self.name,
            name_zh="",
            limit=Duration.parse(self.limit) if self.limit else None,
            start=aware(self.start_at),
            due=aware(self.due_at),
            done=aware(self.done_at),
        )
