"""complaint.milestone: on time or late, stored so the milestone analysis
(on-time rate per milestone code, issue 10 §1, SPEC §7) is one ``read_group``.

A milestone is *on time* when it was done at or before its due time (the
core's rule, `complaint_core.stats`), *late* when it was done after it, or is
not done and the deadline cron found it breached. One that is neither (not due
yet, not started) is not counted.
"""

from odoo import api, fields, models


class ComplaintMilestone(models.Model):
    _name = "complaint.milestone"
    _inherit = ["complaint.milestone", "complaint.ratio.mixin"]

    _ratio_measures = {"on_time_rate": ("on_time_count", "counted_count", 100.0)}

    code = fields.Char(index=True)
    on_time = fields.Boolean(
        string="Done on Time",
        compute="_compute_on_time",
        store=True,
        help="Done at or before its due time.",
    )
    late = fields.Boolean(
        compute="_compute_on_time",
        store=True,
        help="Done after its due time, or not done and found breached.",
    )
    on_time_count = fields.Integer(string="On-Time Count", compute="_compute_on_time", store=True)
    late_count = fields.Integer(compute="_compute_on_time", store=True)
    counted_count = fields.Integer(
        string="Milestones Counted",
        compute="_compute_on_time",
        store=True,
        help="1 when the milestone is on time or late (decided), else 0.",
    )
    on_time_rate = fields.Float(
        string="On-Time Rate (%)",
        compute="_compute_on_time",
        store=True,
        aggregator="avg",
        help="On time / counted, in %; a group's rate is the ratio of its sums.",
    )

    @api.depends("due_at", "done_at", "notified_breached")
    def _compute_on_time(self):
        for m in self:
            on_time = bool(m.due_at and m.done_at and m.done_at <= m.due_at)
            late = bool(m.due_at and (m.done_at > m.due_at if m.done_at else m.notified_breached))
            m.on_time, m.late = on_time, late
            m.on_time_count, m.late_count = int(on_time), int(late)
            m.counted_count = int(on_time or late)
            m.on_time_rate = 100.0 if on_time else 0.0
