"""customer.complaint: the figures, stored where Odoo aggregates them, and the
statistics API (issue 10 §1–§2, SPEC §7 统计分析).

* Stored figures: one column per measure a pivot, a graph or the dashboard
  sums (0/1 counts, amounts, times to close); rate measures aggregate as a
  ratio of sums (`complaint.ratio.mixin`), never as a sum of percentages.
* The statistics API, the one path from complaints to the core's tables
  (other modules call it, none redefines it):
  `_stats_records` (records -> core ``ComplaintRecord``), `_stats_domain`
  (the complaints touching a period), `_stats_table` (the 客户投诉月统计表 of
  a period, searched as the current user: record rules apply),
  `_stats_summary` (the 投诉处理总结表) and `_stats_export` (the JSON export
  ``complaints stats`` reads, so the CLI can check Odoo's figures).
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError

from complaint_core.model import Channel, Kind, State, to_decimal
from complaint_core.stats import (
    GROUPINGS,
    PROCESS_LINKS,
    ComplaintRecord,
    period_table,
    records_to_json,
    summary,
)

from .complaint import aware, naive
from .core_errors import core_errors

PROCESS_LINK_LABELS = {
    "transport": "Transport",
    "processing": "Processing",
    "management": "Management",
    "other": "Other",
}
PROCESS_LINK_SELECTION = [(key, PROCESS_LINK_LABELS[key]) for key in PROCESS_LINKS]
_CENT = Decimal("0.01")


def _in_order(records):
    """Records by received time, then number: the order the tables and the
    export share (the summary lists complaint numbers in the order it is
    given them), whatever the order of the recordset."""
    return sorted(records, key=lambda r: (r.received_at, r.number))


class CustomerComplaint(models.Model):
    _name = "customer.complaint"
    _inherit = ["customer.complaint", "complaint.ratio.mixin"]

    # rate field -> (numerator, denominator, factor): a group's rate is the
    # ratio of its sums; the mean times to close are Σ time / Σ closed
    _ratio_measures = {
        "defect_rate": ("defective_quantity", "quantity", 100.0),
        "satisfaction_rate": ("satisfied_count", "satisfaction_answered", 100.0),
        "on_time_rate": ("milestones_on_time", "milestones_counted", 100.0),
        "days_to_close": ("days_to_close", "is_closed_count", 1.0),
        "working_hours_to_close": ("working_hours_to_close", "is_closed_count", 1.0),
    }

    # -- the finding's process link (SPEC §7 summary: problems by process link) --
    process_link = fields.Selection(
        PROCESS_LINK_SELECTION,
        tracking=True,
        index=True,
        help="Where the problem arose, set with the responsibility finding (投诉处理总结表: "
        "problems by process link).",
    )

    # -- amounts (company currency) ------------------------------------------
    remedy_cost = fields.Monetary(store=True)

    # -- times to close --------------------------------------------------------
    days_to_close = fields.Float(
        compute="_compute_time_to_close",
        store=True,
        aggregator="avg",
        digits=(16, 2),
        help="Clock days from received to closed (paused time not deducted); 0 while "
        "open. A group shows the mean over its closed complaints.",
    )
    working_hours_to_close = fields.Float(
        compute="_compute_time_to_close",
        store=True,
        aggregator="avg",
        digits=(16, 2),
        help="Working hours from received to closed on the company's business calendar; "
        "0 while open. A group shows the mean over its closed complaints.",
    )
    is_closed_count = fields.Integer(
        string="Closed",
        compute="_compute_time_to_close",
        store=True,
        help="1 when the case is finished (closed, not valid or withdrawn).",
    )

    # -- counts (0/1 per complaint) ---------------------------------------------
    valid_count = fields.Integer(
        string="Valid",
        compute="_compute_counts",
        store=True,
        help="1 for a valid complaint (有效投诉): a finding was made and it was not "
        "closed as not valid.",
    )
    not_valid_count = fields.Integer(
        string="Not Valid",
        compute="_compute_counts",
        store=True,
        help="1 when closed as not valid.",
    )
    recomplaint_count = fields.Integer(
        string="Re-complaints", compute="_compute_counts", store=True
    )
    cluster_count = fields.Integer(
        string="In Repeat Cluster", compute="_compute_counts", store=True
    )

    # -- satisfaction (SPEC §5) -------------------------------------------------
    # not a measure: a mean over the unanswered cases' 0 would mislead; the
    # satisfaction rate is the group figure (SPEC §5)
    satisfaction_score = fields.Integer(
        compute="_compute_satisfaction_figures",
        store=True,
        aggregator=False,
        help="The follow-up's satisfaction, 5 (very satisfied) to 1; 0 when not answered.",
    )
    satisfied_count = fields.Integer(
        string="Satisfied Answers", compute="_compute_satisfaction_figures", store=True
    )
    satisfaction_answered = fields.Integer(
        string="Answers Received", compute="_compute_satisfaction_figures", store=True
    )
    satisfaction_rate = fields.Float(
        string="Satisfaction Rate (%)",
        compute="_compute_satisfaction_rate",
        store=True,
        aggregator="avg",
        help="Satisfied answers / answers received, in % (SPEC §5 满意率); a group's rate "
        "is the ratio of its sums.",
    )

    # -- milestones on time (SPEC §3) -------------------------------------------
    milestones_on_time = fields.Integer(compute="_compute_milestone_figures", store=True)
    milestones_late = fields.Integer(compute="_compute_milestone_figures", store=True)
    milestones_counted = fields.Integer(
        compute="_compute_milestone_figures",
        store=True,
        help="Milestones on time or late.",
    )
    on_time_rate = fields.Float(
        string="On-Time Rate (%)",
        compute="_compute_milestone_figures",
        store=True,
        aggregator="avg",
        help="Milestones on time / milestones counted, in %; a group's rate is the ratio "
        "of its sums.",
    )

    # -- defects: the rate of a group is Σ defective / Σ quantity ------------------
    defect_rate = fields.Float(aggregator="avg")

    # -- computes ------------------------------------------------------------------

    @api.depends("received_at", "closed_at", "company_id")
    def _compute_time_to_close(self):
        for rec in self:
            if not (rec.closed_at and rec.received_at):
                rec.days_to_close = rec.working_hours_to_close = 0.0
                rec.is_closed_count = 0
                continue
            rec.is_closed_count = 1
            seconds = int((rec.closed_at - rec.received_at).total_seconds())
            rec.days_to_close = seconds / 86400
            rec.working_hours_to_close = float(rec._working_hours_to_close())

    def _working_hours_to_close(self):
        """Working hours received -> closed on the company's calendar (0.01 h),
        ``None`` while open."""
        self.ensure_one()
        if not (self.closed_at and self.received_at):
            return None
        with core_errors(self.env):
            minutes = self._calendar().working_minutes_between(
                aware(self.received_at), aware(self.closed_at)
            )
        return (Decimal(repr(minutes)) / 60).quantize(_CENT)

    @api.depends("state", "finding", "recomplaint", "repeat_cluster")
    def _compute_counts(self):
        for rec in self:
            valid = rec._stats_valid()
            rec.valid_count = int(valid is True)
            rec.not_valid_count = int(valid is False)
            rec.recomplaint_count = int(rec.recomplaint)
            rec.cluster_count = int(rec.repeat_cluster)

    def _stats_valid(self):
        """SPEC §1 有效/无效投诉: False when closed as not valid, True once a
        finding was made (and it was not withdrawn), None while undetermined."""
        self.ensure_one()
        if self.state == State.NOT_VALID.value:
            return False
        if self.finding and self.state != State.WITHDRAWN.value:
            return True
        return None

    def _stats_satisfaction(self):
        """The follow-up answers the statistics count (SPEC §5): the recorded
        satisfaction, one answer."""
        self.ensure_one()
        return (int(self.satisfaction),) if self.satisfaction else ()

    @api.depends("satisfaction", "company_id")
    def _compute_satisfaction_figures(self):
        for rec in self:
            answers = rec._stats_satisfaction()
            satisfied = rec._policy().satisfaction.satisfied if answers else ()
            rec.satisfaction_score = int(rec.satisfaction or 0)
            rec.satisfied_count = sum(1 for a in answers if a in satisfied)
            rec.satisfaction_answered = len(answers)

    @api.depends("satisfaction", "company_id")
    def _compute_satisfaction_rate(self):
        for rec in self:
            answers = rec._stats_satisfaction()
            satisfied = rec._policy().satisfaction.satisfied if answers else ()
            hits = sum(1 for a in answers if a in satisfied)
            rec.satisfaction_rate = 100.0 * hits / len(answers) if answers else 0.0

    @api.depends("milestone_ids.on_time_count", "milestone_ids.late_count")
    def _compute_milestone_figures(self):
        for rec in self:
            on_time = sum(rec.milestone_ids.mapped("on_time_count"))
            late = sum(rec.milestone_ids.mapped("late_count"))
            rec.milestones_on_time, rec.milestones_late = on_time, late
            rec.milestones_counted = on_time + late
            rec.on_time_rate = 100.0 * on_time / (on_time + late) if on_time + late else 0.0

    # -- the statistics API (issue 10 §2) -------------------------------------------

    def _stats_records(self):
        """The complaints of ``self`` as the core's ``ComplaintRecord`` values
        (what `complaint_core.stats` computes the tables from), in the order of
        ``self``; read with the caller's rights."""
        return [rec._stats_record() for rec in self]

    def _stats_record(self):
        self.ensure_one()

        def quantity(value):
            return to_decimal(value, "quantity") if value else None

        def money(value):
            # in the company currency's precision; zero is plain 0 as the
            # export's reader reads it back
            if not value:
                return Decimal(0)
            places = self.currency_id.decimal_places if self.currency_id else 2
            return to_decimal(value).quantize(Decimal(1).scaleb(-places))

        with core_errors(self.env):
            return ComplaintRecord(
                number=self.name,
                received_at=aware(self.received_at),
                kind=Kind(self.kind),
                category=self.category_id.code or None,
                severity=int(self.severity) if self.severity else None,
                channel=Channel(self.channel) if self.channel else None,
                product=self.product_id.display_name or None,
                batch=(self.lot_number or "").strip() or None,
                department=self.department_id.name or None,
                handler=self.user_id.name or None,
                closed_at=aware(self.closed_at),
                state=State(self.state),
                valid=self._stats_valid(),
                recomplaint=self.recomplaint,
                cluster=self.repeat_cluster,
                loss_amount=money(self.customer_loss),
                remedy_cost=money(self.remedy_cost),
                quantity=quantity(self.quantity),
                defective_quantity=quantity(self.defective_quantity) if self.quantity else None,
                satisfaction=self._stats_satisfaction(),
                milestones={
                    m.code: (aware(m.due_at), aware(m.done_at))
                    for m in self.milestone_ids
                    if m.due_at or m.done_at
                },
                working_hours_to_close=(
                    Decimal(repr(self.working_hours_to_close)).quantize(_CENT)
                    if self.closed_at
                    else None
                ),
                quality=self.finding == "quality",
                # the link is part of the finding: without one it counts nowhere
                process_link=(self.process_link or None) if self.finding else None,
                countermeasures=tuple(
                    ((c.root_cause or "").strip(), (c.action or "").strip())
                    for c in self.capa_ids.sorted("id")
                ),
            )

    @api.model
    def _stats_bounds(self, start, end, company=None):
        """``[start, end)`` as aware datetimes: a date is its midnight in the
        policy calendar's time zone, a naive datetime is Odoo's UTC."""
        tz = ZoneInfo(self.env["complaint.policy"]._complaint_policy(company).calendar.timezone)

        def bound(value, what):
            if isinstance(value, datetime):
                return value if value.utcoffset() is not None else aware(value)
            if isinstance(value, date):
                return datetime(value.year, value.month, value.day, tzinfo=tz)
            raise UserError(
                self.env._(
                    "The %(bound)s of a statistics period must be a date, got %(value)s.",
                    bound=what,
                    value=value,
                )
            )

        start, end = bound(start, self.env._("start")), bound(end, self.env._("end"))
        if end <= start:
            raise UserError(self.env._("A statistics period must end after it starts."))
        return start, end

    @api.model
    def _stats_domain(self, start, end, company=None):
        """The complaints touching ``[start, end)`` (aware datetimes or dates):
        received before its end and not closed before its start (received,
        closed or open in it), or with a milestone due or done in it."""
        start, end = self._stats_bounds(start, end, company)
        s, e = naive(start), naive(end)
        domain = [
            ("received_at", "<", e),
            "|",
            "|",
            ("closed_at", "=", False),
            ("closed_at", ">=", s),
            (
                "milestone_ids",
                "any",
                [
                    "|",
                    "&",
                    ("due_at", ">=", s),
                    ("due_at", "<", e),
                    "&",
                    ("done_at", ">=", s),
                    ("done_at", "<", e),
                ],
            ),
        ]
        if company:
            domain.insert(0, ("company_id", "=", company.id))
        return domain

    @api.model
    def _stats_search(self, start, end, company):
        """The complaints of the period the current user may read (record rules
        apply), archived ones included."""
        return self.with_context(active_test=False).search(
            self._stats_domain(start, end, company), order="received_at, id"
        )

    @api.model
    def _stats_table(self, start, end, by="category", company=None, period=""):
        """The statistics table (客户投诉月统计表) of ``[start, end)`` for
        ``company`` (default: the current one), one row per value of ``by``
        (one of the core's GROUPINGS), computed by the core from the
        complaints the current user may see."""
        if by not in GROUPINGS:
            raise UserError(
                self.env._(
                    "Statistics cannot be grouped by %(by)s; use one of %(groupings)s.",
                    by=by,
                    groupings=", ".join(GROUPINGS),
                )
            )
        company = company or self.env.company
        policy = self.env["complaint.policy"]._complaint_policy(company)
        start, end = self._stats_bounds(start, end, company)
        records = _in_order(self._stats_search(start, end, company)._stats_records())
        with core_errors(self.env):
            return period_table(records, start, end, policy, by, period=period)

    @api.model
    def _stats_summary(self, start, end, company=None, period=""):
        """The summary report (投诉处理总结表) of ``[start, end)`` for
        ``company`` (default: the current one), from the complaints the
        current user may see; ``period`` names it (e.g. "2026-11")."""
        company = company or self.env.company
        policy = self.env["complaint.policy"]._complaint_policy(company)
        start, end = self._stats_bounds(start, end, company)
        records = _in_order(self._stats_search(start, end, company)._stats_records())
        with core_errors(self.env):
            return summary(records, start, end, policy, period=period)

    def _stats_export(self, records=None):
        """The JSON export ``complaints stats`` reads: of ``records`` (a
        recordset or ComplaintRecord values), default the complaints in
        ``self``."""
        if records is None:
            records = self
        if isinstance(records, models.BaseModel):
            records = records._stats_records()
        with core_errors(self.env):
            return records_to_json(_in_order(records), source=self._description)
