"""SPEC §7 统计分析 in Odoo: the 客户投诉月统计表 (monthly complaint statistics)
for a month, an ISO week, a quarter or a custom range, shown on screen as
transient lines (a list, so Odoo's own export gives the spreadsheet), printed
as an A4 landscape PDF, and the 投诉处理总结表 (complaint handling summary).

Every figure comes from the core through the figures API of the complaint
(`customer.complaint._stats_table` / `_stats_summary`), which searches as the
current user: the record rules decide which complaints are counted. This
module only turns the core's table into records and pages; it computes no
figure of its own.

The server is the only guard: the table lines and the result fields of the
wizard are written by `action_compute` alone (as superuser, for the user's
own wizard); a client writing them directly is refused, so a printed table is
always the one the core computed for the period and company on its header.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from complaint_core.stats import GROUPINGS, NONE_KEY, PROCESS_LINK_LABELS, period_bounds

from ..models.core_errors import core_errors

# The printed table is bilingual by design (like the core's renderers): the
# Chinese titles of the procedures and their English names, on one page.
TABLE_TITLE = ("客户投诉月统计表", "Monthly Complaint Statistics")
SUMMARY_TITLE = ("投诉处理总结表", "Complaint Handling Summary")
GROUPING_LABELS = {
    "category": ("分类", "Category"),
    "severity": ("等级", "Severity"),
    "channel": ("渠道", "Channel"),
    "product": ("产品", "Product"),
    "batch": ("批号", "Batch"),
    "department": ("部门", "Department"),
    "handler": ("处理人", "Handler"),
}
# the columns of the printed table after the group (bilingual, like the core's)
COLUMNS_BEFORE_ON_TIME = (
    ("received_count", "受理 Received"),
    ("closed_count", "结案 Closed"),
    ("open_count", "未结 Open"),
    ("resolution_rate", "解决率 Resolved"),
)
COLUMNS_AFTER_ON_TIME = (
    ("mean_days_to_close", "平均天数 Mean days"),
    ("p90_days_to_close", "P90 天数 P90 days"),
    ("mean_working_hours_to_close", "平均工时 Mean working hours"),
    ("loss_amount", "损失 Loss"),
    ("remedy_cost", "处理费用 Remedy cost"),
    ("valid_count", "有效 Valid"),
    ("not_valid_count", "无效 Not valid"),
    ("recomplaint_count", "二次投诉 Re-complaints"),
    ("cluster_count", "重复 Clusters"),
    ("satisfaction_rate", "满意率 Satisfied"),
    ("defect_rate", "不良率 Defect rate"),
)
# result fields: written by action_compute only
RESULT_FIELDS = frozenset(
    {
        "line_ids",
        "period_label",
        "date_start",
        "date_end",
        "computed_by",
        "computed_company_id",
        "timezone",
    }
)
INPUT_FIELDS = frozenset(
    {"period_type", "year", "month", "week", "quarter", "date_from", "date_to"}
    | {"company_id", "group_by"}
)
_PERCENT = Decimal(100)


def _pct(rate):
    """A core rate (exact fraction 0..1 or None) as a percentage float, 0.01."""
    return False if rate is None else float(round(rate * _PERCENT, 2))


def _num(value):
    return False if value is None else float(value)


class ComplaintStatsWizard(models.TransientModel):
    _name = "complaint.stats.wizard"
    _description = "Complaint Statistics"

    period_type = fields.Selection(
        [
            ("month", "Month"),
            ("week", "Week (ISO)"),
            ("quarter", "Quarter"),
            ("custom", "Custom Range"),
        ],
        string="Period",
        required=True,
        default="month",
    )
    # the monthly table is of a finished month: the default is the last one
    year = fields.Integer(required=True, default=lambda self: self._last_month().year)
    month = fields.Selection(
        [
            ("1", "January"),
            ("2", "February"),
            ("3", "March"),
            ("4", "April"),
            ("5", "May"),
            ("6", "June"),
            ("7", "July"),
            ("8", "August"),
            ("9", "September"),
            ("10", "October"),
            ("11", "November"),
            ("12", "December"),
        ],
        default=lambda self: str(self._last_month().month),
    )
    week = fields.Integer(
        string="ISO Week",
        default=lambda self: fields.Date.context_today(self).isocalendar()[1],
    )
    quarter = fields.Selection(
        [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")],
        default=lambda self: str((fields.Date.context_today(self).month - 1) // 3 + 1),
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To", help="The last day counted (inclusive).")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    group_by = fields.Selection(
        [(g, GROUPING_LABELS[g][1]) for g in GROUPINGS],
        required=True,
        default="category",
    )
    # -- the result (action_compute only) --
    line_ids = fields.One2many("complaint.stats.line", "wizard_id", readonly=True)
    period_label = fields.Char(readonly=True)
    date_start = fields.Datetime(string="Period Start", readonly=True)
    date_end = fields.Datetime(string="Period End", readonly=True, help="Exclusive.")
    computed_by = fields.Selection(
        [(g, GROUPING_LABELS[g][1]) for g in GROUPINGS], string="Grouped By", readonly=True
    )
    computed_company_id = fields.Many2one("res.company", string="Company", readonly=True)
    currency_id = fields.Many2one(related="computed_company_id.currency_id")
    timezone = fields.Char(readonly=True)

    _sql_constraints = [
        ("year_sane", "CHECK(year >= 2000 AND year <= 2999)", "The year must be 2000 to 2999."),
    ]

    @api.model
    def _last_month(self):
        return fields.Date.context_today(self).replace(day=1) - timedelta(days=1)

    # -- the guard -----------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._refuse_result_fields(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._refuse_result_fields([vals])
        res = super().write(vals)
        if not self.env.su and INPUT_FIELDS & set(vals):
            # another period, company or grouping: the table shown is stale and
            # is computed again before it is shown or printed
            self.sudo().line_ids.unlink()
        return res

    def _refuse_result_fields(self, vals_list):
        if self.env.su:
            return
        for vals in vals_list:
            if RESULT_FIELDS & set(vals):
                raise AccessError(
                    self.env._(
                        "The statistics table is computed by the system: "
                        "choose the period and press Show Table."
                    )
                )

    # -- the period ------------------------------------------------------------

    @api.constrains("period_type", "year", "month", "week", "quarter", "date_from", "date_to")
    def _check_period(self):
        for wiz in self:
            wiz._period_spec()

    def _period_spec(self):
        """The core period spec ("2026-11", "2026-W48", "2026-Q4") or None for
        a custom range; a clear error for an incomplete or impossible choice."""
        self.ensure_one()
        if not 2000 <= self.year <= 2999:
            raise ValidationError(self.env._("The year must be 2000 to 2999."))
        if self.period_type == "month":
            if not self.month:
                raise ValidationError(self.env._("Choose the month of the statistics."))
            return f"{self.year:04d}-{int(self.month):02d}"
        if self.period_type == "week":
            weeks = date(self.year, 12, 28).isocalendar()[1]
            if not 1 <= self.week <= weeks:
                raise ValidationError(
                    self.env._(
                        "The ISO week must be from 1 to %(weeks)s in %(year)s.",
                        weeks=weeks,
                        year=self.year,
                    )
                )
            return f"{self.year:04d}-W{self.week:02d}"
        if self.period_type == "quarter":
            if not self.quarter:
                raise ValidationError(self.env._("Choose the quarter of the statistics."))
            return f"{self.year:04d}-Q{self.quarter}"
        if not self.date_from or not self.date_to:
            raise ValidationError(self.env._("A custom range needs a first and a last day."))
        if self.date_to < self.date_from:
            raise ValidationError(self.env._("The last day of the range is before the first."))
        return None

    def _bounds(self, policy):
        """(label, start, end): the period as aware datetimes in the policy
        time zone, ``end`` exclusive."""
        spec = self._period_spec()
        if spec:
            with core_errors(self.env):
                start, end = period_bounds(spec, policy)
            return spec, start, end
        tz = ZoneInfo(policy.calendar.timezone)
        start = datetime(self.date_from.year, self.date_from.month, self.date_from.day, tzinfo=tz)
        last = self.date_to + timedelta(days=1)
        end = datetime(last.year, last.month, last.day, tzinfo=tz)
        return f"{self.date_from}..{self.date_to}", start, end

    # -- the table ---------------------------------------------------------------

    def _check_company(self):
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("You may not see the statistics of this company."))

    def _compute_inputs(self):
        self.ensure_one()
        self._check_company()
        policy = self.env["complaint.policy"]._complaint_policy(self.company_id)
        label, start, end = self._bounds(policy)
        return label, start, end

    def _core_table(self):
        """The core StatsTable of the chosen period, company and grouping, as
        the current user sees the complaints (figures API)."""
        label, start, end = self._compute_inputs()
        return self.env["customer.complaint"]._stats_table(
            start, end, by=self.group_by, company=self.company_id, period=label
        )

    def _core_summary(self):
        """The core Summary (投诉处理总结表) of the chosen period and company."""
        _label, start, end = self._compute_inputs()
        return self.env["customer.complaint"]._stats_summary(start, end, company=self.company_id)

    def action_compute(self):
        """Compute the table and show its lines."""
        self.ensure_one()
        self._fill_lines(self._core_table())
        return self.action_show_lines()

    def _fill_lines(self, table):
        """Replace the lines with the rows and the total of a core StatsTable."""
        self.ensure_one()
        self.check_access("write")
        wiz = self.sudo()
        wiz.line_ids.unlink()
        vals = [
            self._line_vals(fig, seq, table, is_total=False) for seq, fig in enumerate(table.rows)
        ]
        vals.append(self._line_vals(table.total, len(table.rows), table, is_total=True))
        wiz.write(
            {
                "line_ids": [(0, 0, v) for v in vals],
                "period_label": table.period,
                "date_start": table.start.astimezone(ZoneInfo("UTC")).replace(tzinfo=None),
                "date_end": table.end.astimezone(ZoneInfo("UTC")).replace(tzinfo=None),
                "computed_by": table.by,
                "computed_company_id": self.company_id.id,
                "timezone": table.timezone,
            }
        )

    def _line_vals(self, fig, seq, table, is_total):
        on_time = []
        for i, (code, name, name_zh) in enumerate(table.milestones):
            o = fig.on_time.get(code)
            if o is None:
                continue
            on_time.append(
                {
                    "sequence": i,
                    "code": code,
                    "name": " ".join(dict.fromkeys(n for n in (name_zh, name) if n)),
                    "on_time": o.on_time,
                    "counted": o.counted,
                    "rate": _pct(o.rate),
                }
            )
        return {
            "sequence": seq,
            "is_total": is_total,
            "group_key": "" if is_total or fig.key == NONE_KEY else fig.key,
            "name": fig.label,
            "received_count": fig.received,
            "closed_count": fig.closed,
            "open_count": fig.open,
            "resolution_rate": _pct(fig.resolution_rate),
            "on_time_ids": [(0, 0, v) for v in on_time],
            "mean_days_to_close": _num(fig.mean_days_to_close),
            "p90_days_to_close": _num(fig.p90_days_to_close),
            "mean_working_hours_to_close": _num(fig.mean_working_hours_to_close),
            "has_working_hours": fig.mean_working_hours_to_close is not None,
            "loss_amount": float(fig.loss_amount),
            "remedy_cost": float(fig.remedy_cost),
            "valid_count": fig.valid,
            "not_valid_count": fig.not_valid,
            "recomplaint_count": fig.recomplaints,
            "cluster_count": fig.clusters,
            "has_satisfaction_rate": fig.satisfaction_rate is not None,
            "satisfaction_rate": _pct(fig.satisfaction_rate),
            "has_defect_rate": fig.defect_rate is not None,
            "defect_rate": _pct(fig.defect_rate),
        }

    def action_show_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Statistics %(period)s", period=self.period_label or ""),
            "res_model": "complaint.stats.line",
            "view_mode": "list",
            "views": [
                (self.env.ref("customer_complaint.complaint_stats_line_view_list").id, "list")
            ],
            "domain": [("wizard_id", "=", self.id)],
            "context": {"stats_wizard_id": self.id},
            "target": "current",
        }

    def _ensure_computed(self):
        for wiz in self:
            if not wiz.line_ids:
                wiz._fill_lines(wiz._core_table())

    def action_print_table(self):
        """The table as an A4 landscape PDF (computed first if not yet)."""
        self._ensure_computed()
        return self.env.ref("customer_complaint.action_report_complaint_stats_table").report_action(
            self
        )

    def action_print_summary(self):
        """The 投诉处理总结表 of the chosen period as a PDF."""
        for wiz in self:
            wiz._compute_inputs()
        return self.env.ref(
            "customer_complaint.action_report_complaint_stats_summary"
        ).report_action(self)

    # -- helpers of the QWeb templates ----------------------------------------------

    def _report_title(self, which="table"):
        zh, en = TABLE_TITLE if which == "table" else SUMMARY_TITLE
        return f"{zh} {en}"

    def _report_group_label(self):
        zh, en = GROUPING_LABELS.get(self.computed_by or self.group_by, ("", ""))
        return f"{zh} {en}".strip()

    def _report_columns(self):
        """(key, bilingual header) of the printed table's columns after the group:
        one on-time column per milestone of the table (those of the total line)."""
        total = self.line_ids.filtered("is_total")[:1]
        on_time = [(f"on_time_{o.code}", f"{o.name} 按时 on time") for o in total.on_time_ids]
        return [*COLUMNS_BEFORE_ON_TIME, *on_time, *COLUMNS_AFTER_ON_TIME]

    def _report_period_text(self):
        """The computed period, e.g. 2026-11: 2026-11-01 – 2026-11-30 (Asia/Shanghai)."""
        if not self.date_start:
            return ""
        tz = ZoneInfo(self.timezone or "UTC")
        utc = ZoneInfo("UTC")
        first = self.date_start.replace(tzinfo=utc).astimezone(tz)
        last = self.date_end.replace(tzinfo=utc).astimezone(tz) - timedelta(seconds=1)
        return f"{self.period_label}: {first.date()} – {last.date()} ({tz.key})"

    def _report_category_names(self):
        """Category code -> name, in the reader's language (the core counts codes)."""
        categories = (
            self.env["complaint.category"].with_context(active_test=False).sudo().search([])
        )
        return {c.code: c.name for c in categories}

    def _report_selection_names(self, fname):
        """A complaint selection's value -> label, in the reader's language."""
        field = self.env["customer.complaint"]._fields[fname]
        return dict(field._description_selection(self.env))

    def _report_summary(self, summary):
        """The 投诉处理总结表 of a core Summary, in the form's order: ``items``
        (bilingual label, text), ``quality_problems`` (the main quality problems
        with their countermeasures) and ``links`` (per process link: label,
        complaints, problems)."""
        f = summary.figures
        items = [
            ("天数 Days", str(summary.days)),
            ("受理 Received", str(f.received)),
            ("每天投诉次数 Complaints per day", _fmt_dec(summary.per_day)),
            ("已解决投诉次数 Resolved complaints", str(summary.resolved)),
            ("解决比例 Resolution ratio", _fmt_pct(f.resolution_rate)),
            ("涉及产品质量的次数 Product-quality complaints", str(summary.quality)),
            ("结案 Closed", str(f.closed)),
            ("未结 Open", str(f.open)),
        ]
        for code, name, name_zh in summary.milestones:
            o = f.on_time.get(code)
            if o is not None and o.counted:
                label = f"{name_zh} {name}".strip() if name_zh and name_zh != name else name
                items.append(
                    (f"{label} 按时 on time", f"{o.on_time}/{o.counted} {_fmt_pct(o.rate)}")
                )
        items += [
            ("平均天数 Mean days to close", _fmt_dec(f.mean_days_to_close)),
            ("P90 天数 P90 days to close", _fmt_dec(f.p90_days_to_close)),
            ("平均工时 Mean working hours to close", _fmt_dec(f.mean_working_hours_to_close)),
            (f"损失 Loss ({summary.currency})", _fmt_amount(f.loss_amount)),
            (f"处理费用 Remedy cost ({summary.currency})", _fmt_amount(f.remedy_cost)),
            ("有效 / 无效 Valid / not valid", f"{f.valid} / {f.not_valid}"),
            ("二次投诉 Re-complaints", str(f.recomplaints)),
            ("重复 Repeat clusters", str(f.clusters)),
            ("满意率 Satisfaction rate", _fmt_pct(f.satisfaction_rate)),
            ("不良率 Defect rate", _fmt_pct(f.defect_rate)),
        ]
        for label, counts, names in (
            ("按分类 By category", summary.by_category, self._report_category_names()),
            ("按等级 By severity", summary.by_severity, self._report_selection_names("severity")),
            ("按渠道 By channel", summary.by_channel, self._report_selection_names("channel")),
        ):
            items.append(
                (label, ", ".join(f"{names.get(k, k)}: {v}" for k, v in counts.items()) or "—")
            )
        links = [
            {
                "label": PROCESS_LINK_LABELS.get(link.link, link.link),
                "complaints": link.complaints,
                "problems": link.problems,
            }
            for link in summary.by_process_link
        ]
        return {
            "items": items,
            "quality_problems": summary.quality_problems,
            "links": links,
        }


def _fmt_pct(rate):
    return "—" if rate is None else f"{(rate * _PERCENT).quantize(Decimal('0.1'))}%"


def _fmt_dec(value):
    return "—" if value is None else str(value)


def _fmt_amount(value):
    return f"{Decimal(value):,.2f}"


def _check_system_writes(env):
    """The lines and their on-time figures are the core's table: only the
    computation (as superuser) creates or writes them, never a client."""
    if not env.su:
        raise AccessError(env._("The statistics lines are computed by the system."))


class ComplaintStatsLine(models.TransientModel):
    """One row of the statistics table (a group, or the total)."""

    _name = "complaint.stats.line"
    _description = "Complaint Statistics Line"
    _order = "wizard_id, sequence, id"

    wizard_id = fields.Many2one(
        "complaint.stats.wizard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="wizard_id.computed_company_id")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    period_label = fields.Char(related="wizard_id.period_label", string="Period")
    sequence = fields.Integer()
    is_total = fields.Boolean(string="Total")
    group_key = fields.Char(string="Key")
    name = fields.Char(string="Grouped Value")
    received_count = fields.Integer(string="Complaints Received")
    closed_count = fields.Integer(string="Closed")
    open_count = fields.Integer(string="Open")
    resolution_rate = fields.Float(
        string="Resolved %",
        digits=(16, 2),
        help="Of the complaints received in the period, the share closed before its end.",
    )
    on_time_ids = fields.One2many("complaint.stats.line.ontime", "line_id")
    on_time_summary = fields.Char(string="On Time", compute="_compute_on_time_summary")
    mean_days_to_close = fields.Float(string="Mean Days", digits=(16, 2))
    p90_days_to_close = fields.Float(string="P90 Days", digits=(16, 2))
    has_working_hours = fields.Boolean()
    mean_working_hours_to_close = fields.Float(string="Mean Working Hours", digits=(16, 2))
    loss_amount = fields.Monetary(string="Loss")
    remedy_cost = fields.Monetary()
    valid_count = fields.Integer(string="Valid")
    not_valid_count = fields.Integer(string="Not Valid")
    recomplaint_count = fields.Integer(string="Re-complaints")
    cluster_count = fields.Integer(string="Clusters")
    has_satisfaction_rate = fields.Boolean()
    satisfaction_rate = fields.Float(string="Satisfied %", digits=(16, 2))
    has_defect_rate = fields.Boolean()
    defect_rate = fields.Float(string="Defect Rate %", digits=(16, 2))

    @api.depends("on_time_ids.on_time", "on_time_ids.counted", "on_time_ids.rate")
    def _compute_on_time_summary(self):
        for line in self:
            line.on_time_summary = "; ".join(
                f"{o.name or o.code} {o.on_time}/{o.counted} {o.rate:.1f}%"
                for o in line.on_time_ids
                if o.counted
            )

    @api.model_create_multi
    def create(self, vals_list):
        _check_system_writes(self.env)
        return super().create(vals_list)

    def write(self, vals):
        _check_system_writes(self.env)
        return super().write(vals)

    def _report_cells(self):
        """Display text of each printed column of this line ("—" when the core
        has nothing to divide by)."""
        self.ensure_one()
        cells = {
            "received_count": str(self.received_count),
            "closed_count": str(self.closed_count),
            "open_count": str(self.open_count),
            "resolution_rate": f"{self.resolution_rate:.1f}%" if self.received_count else "—",
            "mean_days_to_close": f"{self.mean_days_to_close:.2f}" if self.closed_count else "—",
            "p90_days_to_close": f"{self.p90_days_to_close:.2f}" if self.closed_count else "—",
            "mean_working_hours_to_close": (
                f"{self.mean_working_hours_to_close:.2f}" if self.has_working_hours else "—"
            ),
            "loss_amount": f"{self.loss_amount:,.2f}",
            "remedy_cost": f"{self.remedy_cost:,.2f}",
            "valid_count": str(self.valid_count),
            "not_valid_count": str(self.not_valid_count),
            "recomplaint_count": str(self.recomplaint_count),
            "cluster_count": str(self.cluster_count),
            "satisfaction_rate": (
                f"{self.satisfaction_rate:.1f}%" if self.has_satisfaction_rate else "—"
            ),
            "defect_rate": f"{self.defect_rate:.1f}%" if self.has_defect_rate else "—",
        }
        for o in self.on_time_ids:
            cells[f"on_time_{o.code}"] = (
                f"{o.on_time}/{o.counted} {o.rate:.1f}%" if o.counted else "—"
            )
        return cells

    def action_print_table(self):
        """Print the table these lines belong to (the list's Print button)."""
        wizard = self.wizard_id
        if not wizard:
            wizard = self.env["complaint.stats.wizard"].browse(
                self.env.context.get("stats_wizard_id")
            )
        if len(wizard) != 1 or not wizard.exists():
            raise UserError(self.env._("Open one statistics table to print it."))
        wizard.check_access("read")
        return wizard.action_print_table()


class ComplaintStatsLineOnTime(models.TransientModel):
    """The on-time figure of one milestone in one row of the table."""

    _name = "complaint.stats.line.ontime"
    _description = "Complaint Statistics On-Time Figure"
    _order = "line_id, sequence, id"

    line_id = fields.Many2one("complaint.stats.line", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer()
    code = fields.Char(string="Milestone")
    name = fields.Char(string="Milestone Name")
    on_time = fields.Integer()
    counted = fields.Integer()
    rate = fields.Float(string="On-Time Rate (%)", digits=(16, 2))

    @api.model_create_multi
    def create(self, vals_list):
        _check_system_writes(self.env)
        return super().create(vals_list)

    def write(self, vals):
        _check_system_writes(self.env)
        return super().write(vals)


class ReportComplaintStatsTable(models.AbstractModel):
    """The values of the printed table: the user's own wizards, computed if the
    lines are missing (a direct /report/pdf/... call prints what the core
    computes for the wizard's period, never an empty or stale page)."""

    _name = "report.customer_complaint.report_complaint_stats_table"
    _description = "Complaint Statistics Table Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["complaint.stats.wizard"].browse(docids)
        docs.check_access("read")
        docs._ensure_computed()
        return {"doc_ids": docs.ids, "doc_model": docs._name, "docs": docs}


class ReportComplaintStatsSummary(models.AbstractModel):
    """The values of the printed 投诉处理总结表: the core Summary of each wizard's
    period and company, as the current user sees the complaints."""

    _name = "report.customer_complaint.report_complaint_stats_summary"
    _description = "Complaint Handling Summary Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["complaint.stats.wizard"].browse(docids)
        docs.check_access("read")
        summaries = {}
        for wiz in docs:
            label, start, end = wiz._compute_inputs()
            summary = wiz._core_summary()
            summaries[wiz.id] = {
                "label": label,
                "summary": summary,
                "form": wiz._report_summary(summary),
                "period": f"{label}: {start.date()} – {(end - timedelta(seconds=1)).date()} "
                f"({summary.timezone})",
            }
        return {
            "doc_ids": docs.ids,
            "doc_model": docs._name,
            "docs": docs,
            "summaries": summaries,
        }
