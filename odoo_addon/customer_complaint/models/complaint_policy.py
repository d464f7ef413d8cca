"""The adapter from configuration records to the core's Policy (ARCHITECTURE
"The seam": policies configured in Odoo are records; the adapter builds the
core's `Policy` from them, cached per transaction)."""

import copy

from odoo import api, fields, models

from complaint_core.calendar import BusinessCalendar
from complaint_core.model import Channel
from complaint_core.policy import NOTICE_STATES, Policy, default_policy_data

from .core_errors import core_errors

_CACHE_KEY = "customer_complaint.policy"

ACK_CHANNELS = tuple(c.value for c in Channel)
NOTICE_STATE_CODES = tuple(s.value for s in NOTICE_STATES)
LEVELS = [("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3"), ("4", "Level 4")]


class ComplaintPolicy(models.Model):
    """Per-company thresholds of the complaint policy (SPEC §2–§6). Lists
    (categories, departments, calendar, milestones, authority levels) are
    records of their own; this holds the single values."""

    _name = "complaint.policy"
    _inherit = ["complaint.config.mixin"]
    _description = "Complaint Policy Settings"
    _rec_name = "company_id"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    calendar_id = fields.Many2one("complaint.calendar", string="Business Calendar")
    # SLA
    warning_ratio = fields.Float(
        default=0.8, help="A milestone is due soon once this share of its limit has elapsed."
    )
    # severity (SPEC §2)
    major_loss = fields.Monetary(default=50000, help="Level 1 from this customer loss on.")
    departments_level1 = fields.Integer(default=3, help="Level 1 from this many departments.")
    departments_level2 = fields.Integer(default=2, help="Level 2 from this many departments.")
    repeated_complaints = fields.Integer(
        default=2, help="Service not delivered and complained this often: level 2."
    )
    cluster_customers = fields.Integer(
        default=3, help="Repeat cluster: this many different customers ..."
    )
    cluster_window = fields.Char(default="30d", help="... within this window (e.g. 30d).")
    level4_category_ids = fields.Many2many(
        "complaint.category", "complaint_policy_level4_category_rel", string="Level 4 Categories"
    )
    default_level = fields.Selection(LEVELS, default="4", required=True)
    vip_uplift = fields.Integer(
        default=1, string="VIP Uplift", help="VIP customers: this many levels more severe."
    )
    escalation_level2_after = fields.Char(
        default="15d", help="Not closed this long after registration: at least level 2."
    )
    escalation_level1_after = fields.Char(
        default="30d", help="Not closed this long after registration: level 1."
    )
    # approvals (SPEC §4)
    level1_requires_id = fields.Many2one(
        "complaint.authority.level",
        string="Level 1 Complaints Need",
    )
    investigation_level_id = fields.Many2one(
        "complaint.authority.level",
        string="Investigation Approved By",
    )
    two_stage_category_ids = fields.Many2many(
        "complaint.category",
        "complaint_policy_two_stage_category_rel",
        string="Two-stage Approval Categories",
    )
    cash_requires_reason = fields.Boolean(default=True)
    # who is told (SPEC §4 notifications)
    general_manager_id = fields.Many2one(
        "res.users",
        help="Told of every product-quality complaint and of every level-1 complaint.",
    )
    management_rep_id = fields.Many2one(
        "res.users",
        string="Management Representative",
        help="管理者代表: told of every product-quality complaint and of every level-1 complaint.",
    )
    pr_user_id = fields.Many2one(
        "res.users",
        string="Public Relations",
        help="Told of complaints transferred by an authority or the media, and of media exposure.",
    )
    notify_category_ids = fields.Many2many(
        "complaint.category",
        "complaint_policy_notify_category_rel",
        string="Product-quality Categories",
        help="Complaints of these categories (or their sub-categories) are made known to the "
        "general manager and the management representative. Empty: the two-stage "
        "approval categories.",
    )
    # the customer (SPEC §1 受理回执, §4, §5): acknowledgement per channel, progress
    # notices per state, the promised date, what follows a dissatisfied answer
    ack_phone = fields.Boolean(string="Acknowledge: Phone", default=True)
    ack_email = fields.Boolean(string="Acknowledge: Email", default=True)
    ack_in_person = fields.Boolean(string="Acknowledge: In Person", default=True)
    ack_letter = fields.Boolean(string="Acknowledge: Letter/Fax", default=True)
    ack_web = fields.Boolean(string="Acknowledge: Web Form/Portal", default=True)
    ack_social_media = fields.Boolean(string="Acknowledge: Social Media", default=True)
    ack_sales_visit = fields.Boolean(string="Acknowledge: Sales Rep Visit", default=True)
    ack_dealer = fields.Boolean(string="Acknowledge: Dealer", default=True)
    ack_regulator = fields.Boolean(string="Acknowledge: Transferred by a Regulator", default=True)
    ack_consumer_association = fields.Boolean(
        string="Acknowledge: Transferred by a Consumer Association", default=True
    )
    ack_media = fields.Boolean(string="Acknowledge: Transferred by the Media", default=True)
    notify_triaged = fields.Boolean(string="Notify: Triaged", default=True)
    notify_investigating = fields.Boolean(string="Notify: Investigating", default=False)
    notify_determined = fields.Boolean(string="Notify: Responsibility Determined", default=False)
    notify_approved = fields.Boolean(string="Notify: Remedy Approved", default=False)
    notify_remedy_done = fields.Boolean(string="Notify: Remedy Done", default=False)
    notify_follow_up = fields.Boolean(string="Notify: Follow-up", default=False)
    notify_closed = fields.Boolean(string="Notify: Closed", default=True)
    notify_not_valid = fields.Boolean(string="Notify: Not Valid", default=True)
    notify_withdrawn = fields.Boolean(string="Notify: Withdrawn", default=False)
    promise_milestone_id = fields.Many2one(
        "complaint.sla.milestone",
        string="Promised Date From",
        help="The acknowledgement promises an answer by this milestone's due time "
        "(default: the resolution milestone).",
    )
    dissatisfied_response = fields.Selection(
        [("reopen", "Reopen the complaint"), ("manager_decides", "A manager decides")],
        string="After a Dissatisfied Answer",
        default="reopen",
        required=True,
        help="Reopen the complaint at once, or give the manager a to-do to reopen it or "
        "close it with an explanation.",
    )
    # numbering, retention
    numbering_pattern = fields.Char(default="{yy}{mm}{dd}{seq:03d}", required=True)
    numbering_reset = fields.Selection(
        [("yearly", "Yearly"), ("monthly", "Monthly"), ("daily", "Daily"), ("never", "Never")],
        default="yearly",
        required=True,
    )
    retention_years = fields.Integer(default=3)
    retention_important_years = fields.Integer(default=10)

    _sql_constraints = [
        ("company_uniq", "unique(company_id)", "One complaint policy per company."),
    ]

    # -- the cache -----------------------------------------------------------

    @api.model
    def _invalidate_policy_cache(self):
        self.env.cr.cache.pop(_CACHE_KEY, None)

    @api.model
    def _complaint_policy(self, company=None):
        """The core Policy of ``company`` (default: the current one), built
        from the configuration records once per transaction."""
        company = company or self.env.company
        cache = self.env.cr.cache.setdefault(_CACHE_KEY, {})
        if not cache:
            # configuration read in a rolled-back transaction must not outlive it
            self.env.cr.postrollback.add(cache.clear)
        if company.id not in cache:
            data = self.sudo()._policy_data(company)
            with core_errors(self.env):
                cache[company.id] = Policy.from_dict(data, source=f"company {company.name}")
        return cache[company.id]

    @api.model
    def _complaint_calendar(self, company=None):
        """The core BusinessCalendar of the company's policy."""
        policy = self._complaint_policy(company)
        with core_errors(self.env):
            return BusinessCalendar.from_policy(policy)

    # -- records -> policy data ---------------------------------------------

    @api.model
    def _policy_data(self, company):
        """Policy data: the shipped defaults, overridden by every configured record."""
        data = copy.deepcopy(default_policy_data())
        company_domain = [("company_id", "in", (company.id, False))]
        settings = self.search([("company_id", "=", company.id)], limit=1)
        data["currency"] = company.currency_id.name or data.get("currency", "CNY")

        categories = self.env["complaint.category"].search([])
        if categories:
            zh = self._zh_names(categories)
            data["categories"] = {
                c.code: {
                    "name": c.name,
                    "name_zh": zh.get(c.id, ""),
                    "parent": c.parent_id.code or None,
                    "department": c.department_id.code or None,
                }
                for c in categories
            }
        calendar = settings.calendar_id or self.env["complaint.calendar"].search(
            company_domain, limit=1
        )
        if calendar:
            data["calendar"] = calendar._spec_data()
        milestones = self.env["complaint.sla.milestone"].search(company_domain)
        if milestones:
            zh = self._zh_names(milestones)
            data["sla"]["milestones"] = [
                {**m._spec_data(), "name_zh": zh.get(m.id, "")} for m in milestones
            ]
        levels = self.env["complaint.authority.level"].search(company_domain)
        if levels:
            zh = self._zh_names(levels)
            data["authority"]["levels"] = [
                {
                    "code": lv.code,
                    "name": lv.name,
                    "name_zh": zh.get(lv.id, ""),
                    "up_to": None if lv.unlimited else str(lv.up_to),
                }
                for lv in levels
            ]
        if settings:
            s = settings
            data["sla"]["warning_ratio"] = str(s.warning_ratio)
            sev = data["severity"]
            sev.update(
                {
                    "major_loss": str(s.major_loss),
                    "departments_level1": s.departments_level1,
                    "departments_level2": s.departments_level2,
                    "repeated_complaints": s.repeated_complaints,
                    "repeat_cluster": {
                        "customers": s.cluster_customers,
                        "window": (s.cluster_window or "").strip(),
                    },
                    "level4_categories": s.level4_category_ids.mapped("code"),
                    "default_level": int(s.default_level),
                    "vip_uplift": s.vip_uplift,
                    "escalation": [
                        {"after": after.strip(), "level": level}
                        for after, level in (
                            (s.escalation_level2_after, 2),
                            (s.escalation_level1_after, 1),
                        )
                        if after and after.strip()
                    ],
                }
            )
            auth = data["authority"]
            if s.level1_requires_id:
                auth["level1_requires"] = s.level1_requires_id.code
            if s.investigation_level_id:
                auth["investigation_level"] = s.investigation_level_id.code
            auth["two_stage_categories"] = s.two_stage_category_ids.mapped("code")
            auth["cash_requires_reason"] = s.cash_requires_reason
            data["numbering"] = {"pattern": s.numbering_pattern, "reset": s.numbering_reset}
            data["retention"] = {
                "years": s.retention_years,
                "important_years": s.retention_important_years,
            }
            customers = {
                "acknowledge_channels": [c for c in ACK_CHANNELS if s[f"ack_{c}"]],
                "notify_states": [st for st in NOTICE_STATE_CODES if s[f"notify_{st}"]],
                "dissatisfied": s.dissatisfied_response,
            }
            if s.promise_milestone_id:
                customers["promise_milestone"] = s.promise_milestone_id.code
            data["customers"] = {**data.get("customers", {}), **customers}
        return data

    @api.model
    def _zh_names(self, records):
        """Simplified Chinese names (the policy's ``name_zh``), where translated."""
        if not self.env["res.lang"]._lang_get("zh_CN"):
            return {}
        zh = {r.id: r.with_context(lang="zh_CN").name for r in records}
        en = {r.id: r.with_context(lang="en_US").name for r in records}
        return {rid: name for rid, name in zh.items() if name != en[rid]}

    def action_check_policy(self):
        """Validate the configuration now (the core lists every problem)."""
        self._invalidate_policy_cache()
        for rec in self:
            rec._complaint_policy(rec.company_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._("The complaint policy is valid."),
                "type": "success",
                "sticky": False,
            },
        }
