"""customer.complaint: the registration form and the case (SPEC §1–§6).

The model holds the facts; every rule is asked of complaint_core through the
adapters `_to_core()` (record -> core Complaint), `_case_facts()` (-> workflow
CaseFacts) and `_apply_core()` (a workflow decision -> fields, audit, milestones).
"""

from datetime import UTC, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import UserError

from complaint_core.model import (
    FINAL_STATES,
    Channel,
    Finding,
    Kind,
    RequestType,
    State,
    Unit,
    to_decimal,
)

from .complaint_audit import STATES
from .core_errors import core_errors

KINDS = [
    (Kind.COMPLAINT.value, "Complaint"),
    (Kind.REQUEST.value, "Request"),
    (Kind.SUGGESTION.value, "Suggestion"),
]
REQUEST_TYPES = [
    (RequestType.HELP.value, "Help-seeking"),
    (RequestType.ENQUIRY.value, "Enquiry"),
    (RequestType.VENTING.value, "Venting"),
]
CHANNELS = [
    (Channel.PHONE.value, "Phone"),
    (Channel.EMAIL.value, "Email"),
    (Channel.IN_PERSON.value, "In person"),
    (Channel.LETTER.value, "Letter/fax"),
    (Channel.WEB.value, "Web form/portal"),
    (Channel.SOCIAL_MEDIA.value, "Social media"),
    (Channel.SALES_VISIT.value, "Sales rep visit"),
    (Channel.DEALER.value, "Dealer"),
    (Channel.REGULATOR.value, "Transferred by a regulator"),
    (Channel.CONSUMER_ASSOCIATION.value, "Transferred by a consumer association"),
    (Channel.MEDIA.value, "Transferred by the media"),
]
SEVERITIES = [("1", "Level 1"), ("2", "Level 2"), ("3", "Level 3"), ("4", "Level 4")]
FINDINGS = [
    (Finding.QUALITY.value, "Quality problem"),
    (Finding.MISUSE.value, "Misuse by the customer"),
    (Finding.UNDETERMINED.value, "Cannot be determined"),
]
SATISFACTION = [
    ("5", "Very satisfied"),
    ("4", "Satisfied"),
    ("3", "Neutral"),
    ("2", "Dissatisfied"),
    ("1", "Very dissatisfied"),
]

# start events of policy.START_EVENTS -> the field holding when they happened
EVENT_FIELDS = {
    "triaged": "triaged_at",
    "approved": "approved_at",
    "replied": "replied_at",
    "remedy_done": "remedy_done_at",
}
# milestone code (default policy) -> the field whose time marks it done
MILESTONE_DONE_FIELDS = {
    "first_contact": "first_contact_at",
    "dispatch": "triaged_at",
    "site_visit": "site_visit_at",
    "resolution": "replied_at",
    "reply": "replied_at",
    "follow_up": "follow_up_at",
    "authority_reply": "authority_replied_at",
}
MAIN_LINE = [State.REGISTERED, State.TRIAGED, State.INVESTIGATING, State.DETERMINED,
             State.REMEDY_PROPOSED, State.APPROVED, State.REPLIED, State.REMEDY_DONE,
             State.FOLLOW_UP, State.CLOSED]
# the event fields reached only past a state: cleared when the case goes back
EVENT_STATE = {
    "triaged_at": State.TRIAGED, "approved_at": State.APPROVED, "replied_at": State.REPLIED,
    "remedy_done_at": State.REMEDY_DONE, "follow_up_at": State.FOLLOW_UP,
}
FINAL = {s.value for s in FINAL_STATES}

# changes that make severity, milestones and escalation be assessed again
REFRESH_FIELDS = {
    "received_at", "kind", "request_type", "category_id", "channel", "partner_id", "product_id",
    "injury", "media_exposure", "litigation", "unauthorized_promise", "service_not_delivered",
    "repeated_complaints", "facility_unmaintained", "recomplaint", "may_spread",
    "not_company_fault", "company_fault", "involved_department_ids", "customer_loss",
    "authority_deadline", "manual_severity", "first_contact_at", "site_visit_at",
    "authority_replied_at", "pause_ids",
}


def aware(value):
    """An Odoo datetime (naive UTC) as an aware datetime for the core."""
    if not value:
        return None
    return value.replace(tzinfo=UTC)


def naive(value):
    """An aware datetime as Odoo stores it (naive UTC)."""
    if not value:
        return False
    return value.astimezone(UTC).replace(tzinfo=None)


class CustomerComplaint(models.Model):
    _name = "customer.complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Customer Complaint"
    _order = "received_at desc, id desc"
    _check_company_auto = True

    # -- registration (SPEC §1 《客户投诉登记表》) ---------------------------
    name = fields.Char(string="Number", readonly=True, copy=False, default="/", index=True,
                       tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(KINDS, required=True, default=Kind.COMPLAINT.value, tracking=True)
    request_type = fields.Selection(REQUEST_TYPES)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True,
                                 tracking=True)
    complaint_vip = fields.Boolean(related="partner_id.complaint_vip", string="VIP")
    sales_user_id = fields.Many2one(related="partner_id.user_id", store=True, index=True,
                                    string="Salesperson")
    contact_name = fields.Char(string="Contact Person")
    phone = fields.Char()
    email = fields.Char()
    address = fields.Text()
    channel = fields.Selection(CHANNELS, required=True, default=Channel.PHONE.value)
    authority_reference = fields.Char(help="Reference of the transferring authority.")
    authority_deadline = fields.Datetime(help="Reply deadline set by the transferring authority.")
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    registered_by_id = fields.Many2one("res.users", string="Registered By", required=True,
                                       default=lambda self: self.env.user, index=True)
    product_id = fields.Many2one("product.product", string="Product", index=True)
    product_spec = fields.Char(string="Model/Spec")
    lot_number = fields.Char(string="Batch/Lot Number")
    order_number = fields.Char()
    purchase_date = fields.Date()
    ship_date = fields.Date()
    delivery_date = fields.Date()
    quantity = fields.Float()
    amount = fields.Monetary(currency_field="currency_id")
    defective_quantity = fields.Float()
    defect_rate = fields.Float(compute="_compute_defect_rate", store=True,
                               help="Defective quantity / quantity (不良率), in %.")
    description = fields.Text(help="Time, place and facts of the event, stated objectively.")
    demand_compensation = fields.Monetary(string="Compensation Asked",
                                          currency_field="currency_id")
    demand_discount = fields.Float(string="Discount Asked (%)")
    demand_return_qty = fields.Float(string="Return Quantity Asked")
    demand_exchange = fields.Boolean(string="Exchange Asked")
    demand_repair = fields.Boolean(string="Repair Asked")
    demand_apology = fields.Boolean(string="Apology Asked")
    demand_other = fields.Char(string="Other Demands")
    evidence_ids = fields.Many2many("ir.attachment", "customer_complaint_evidence_rel",
                                    "complaint_id", "attachment_id", string="Evidence")
    complained_user_ids = fields.Many2many(
        "res.users", "customer_complaint_complained_user_rel", "complaint_id", "user_id",
        string="Persons Complained About",
    )
    complained_department_ids = fields.Many2many(
        "complaint.department", "customer_complaint_complained_department_rel",
        "complaint_id", "department_id", string="Departments Complained About",
    )
    confirmed_by_customer = fields.Boolean(
        help="The record was read back to the customer and confirmed (复述确认).", tracking=True,
    )

    # -- classification and severity (SPEC §2) ------------------------------
    state = fields.Selection(STATES, required=True, default=State.REGISTERED.value,
                             tracking=True, index=True, copy=False,
                             group_expand="_group_expand_states")
    category_id = fields.Many2one("complaint.category", string="Category", tracking=True)
    department_id = fields.Many2one("complaint.department", string="Responsible Department",
                                    tracking=True, index=True)
    user_id = fields.Many2one("res.users", string="Handler", tracking=True, index=True)
    involved_department_ids = fields.Many2many(
        "complaint.department", "customer_complaint_involved_department_rel",
        "complaint_id", "department_id", string="Departments Involved",
        help="Counted by the severity rules (SPEC §2).",
    )
    severity = fields.Selection(SEVERITIES, readonly=True, index=True, tracking=True,
                                help="1 = most severe; set by the severity rules.")
    computed_severity = fields.Selection(SEVERITIES, readonly=True)
    severity_reasons = fields.Text(readonly=True)
    manual_severity = fields.Selection(
        SEVERITIES, string="Severity Set By Hand", tracking=True,
        help="Raising is free; lowering needs a manager and a reason.",
    )
    severity_change_reason = fields.Char()
    escalated = fields.Boolean(readonly=True)
    escalation_due_at = fields.Datetime(
        readonly=True, index=True, copy=False,
        help="When the next escalation by age applies (SPEC §2).",
    )
    repeat_cluster = fields.Boolean(readonly=True, index=True)
    cluster_info = fields.Char(readonly=True)
    customer_loss = fields.Monetary(currency_field="currency_id")
    injury = fields.Boolean(string="Personal Injury")
    media_exposure = fields.Boolean()
    litigation = fields.Boolean()
    unauthorized_promise = fields.Boolean()
    service_not_delivered = fields.Boolean(string="Contracted Service Not Delivered")
    repeated_complaints = fields.Integer(string="Times Complained About It")
    facility_unmaintained = fields.Boolean(string="Facilities Not Maintained")
    recomplaint = fields.Boolean(string="Re-complaint", readonly=True, tracking=True)
    may_spread = fields.Boolean(string="May Spread to Other Customers")
    not_company_fault = fields.Boolean(string="Not Caused by the Company")
    company_fault = fields.Boolean(
        string="Delay Is Our Fault", default=True,
        help="Escalation by age applies only when the delay is the company's fault.",
    )

    # -- investigation, finding (SPEC §4) -----------------------------------
    investigation_started = fields.Boolean(readonly=True, copy=False)
    investigation_notes = fields.Text()
    finding = fields.Selection(FINDINGS, string="Responsibility Finding", tracking=True)
    quality_signoff_by_id = fields.Many2one("res.users", string="Quality Sign-off By")
    responsible_department_ids = fields.Many2many(
        "complaint.department", "customer_complaint_responsible_department_rel",
        "complaint_id", "department_id", string="Responsible Departments (Finding)",
    )
    # accountability (SPEC §4 责任追究): managers only, every change in the chatter
    responsible_user_id = fields.Many2one("res.users", string="Responsible Person",
                                          groups="customer_complaint.group_complaint_manager",
                                          tracking=True)
    accountable_department_id = fields.Many2one(
        "complaint.department", string="Responsible Department (Accountability)",
        groups="customer_complaint.group_complaint_manager", tracking=True)
    accountability_loss = fields.Monetary(currency_field="currency_id", string="Loss Amount",
                                          groups="customer_complaint.group_complaint_manager",
                                          tracking=True)
    disciplinary_outcome = fields.Text(groups="customer_complaint.group_complaint_manager",
                                       tracking=True)

    # -- remedies, approvals, reply, follow-up ------------------------------
    remedy_ids = fields.One2many("complaint.remedy", "complaint_id", string="Remedies")
    remedy_cost = fields.Monetary(compute="_compute_remedy_cost", currency_field="currency_id")
    proposed_by_id = fields.Many2one("res.users", string="Proposed By", readonly=True,
                                     copy=False)
    approval_ids = fields.One2many("complaint.approval", "complaint_id", string="Approvals")
    approved_fingerprint = fields.Char(readonly=True, copy=False)
    customer_accepted = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected")], string="Customer's Answer",
        tracking=True,
    )
    follow_up_method = fields.Selection(
        [("phone", "Phone"), ("visit", "Visit"), ("email", "Email"), ("survey", "Survey")],
    )
    satisfaction = fields.Selection(SATISFACTION, tracking=True)
    follow_up_notes = fields.Text()
    capa_ids = fields.One2many("complaint.capa", "complaint_id", string="CAPA")
    milestone_ids = fields.One2many("complaint.milestone", "complaint_id", string="Milestones")
    audit_ids = fields.One2many("complaint.audit", "complaint_id", string="Audit Trail")
    pause_ids = fields.One2many("complaint.pause", "complaint_id", string="Pauses")
    action_reason = fields.Char(
        string="Reason / Comment",
        help="Reason or comment for the next step (rejections, withdrawals, reopening ...).",
    )

    # -- event times (milestone start and done events) ----------------------
    first_contact_at = fields.Datetime(string="First Contact", copy=False)
    site_visit_at = fields.Datetime(string="Site Visit", copy=False)
    authority_replied_at = fields.Datetime(string="Authority Replied", copy=False)
    triaged_at = fields.Datetime(readonly=True, copy=False)
    approved_at = fields.Datetime(readonly=True, copy=False)
    replied_at = fields.Datetime(readonly=True, copy=False)
    remedy_done_at = fields.Datetime(readonly=True, copy=False)
    follow_up_at = fields.Datetime(readonly=True, copy=False)
    closed_at = fields.Datetime(readonly=True, copy=False, tracking=True)
    is_open = fields.Boolean(compute="_compute_is_open")

    # -- searchable deadline filters ----------------------------------------
    sla_overdue = fields.Boolean(string="Overdue", compute="_compute_sla_flags",
                                 search="_search_sla_overdue")
    sla_due_soon = fields.Boolean(string="Due Soon", compute="_compute_sla_flags",
                                  search="_search_sla_due_soon")

    _sql_constraints = [("name_company_uniq", "unique(name, company_id)",
                         "The complaint number must be unique.")]

    # -- computes -------------------------------------------------------------

    @api.depends("quantity", "defective_quantity")
    def _compute_defect_rate(self):
        for rec in self:
            rec.defect_rate = (
                100.0 * rec.defective_quantity / rec.quantity if rec.quantity else 0.0
            )

    @api.depends("remedy_ids.amount_company")
    def _compute_remedy_cost(self):
        for rec in self:
            rec.remedy_cost = sum(rec.remedy_ids.mapped("amount_company"))

    @api.depends("state")
    def _compute_is_open(self):
        for rec in self:
            rec.is_open = rec.state not in FINAL

    @api.depends("milestone_ids.due_at", "milestone_ids.warn_at", "milestone_ids.done_at")
    def _compute_sla_flags(self):
        now = fields.Datetime.now()
        for rec in self:
            pending = rec.milestone_ids.filtered(lambda m: not m.done_at and m.due_at)
            rec.sla_overdue = any(m.due_at < now for m in pending)
            rec.sla_due_soon = any(
                m.warn_at and m.warn_at <= now <= m.due_at for m in pending
            )

    def _search_sla_overdue(self, operator, value):
        now = fields.Datetime.now()
        domain = [("milestone_ids", "any", [("done_at", "=", False), ("due_at", "<", now)])]
        return domain if (operator == "=") == bool(value) else ["!", *domain]

    def _search_sla_due_soon(self, operator, value):
        now = fields.Datetime.now()
        domain = [("milestone_ids", "any", [("done_at", "=", False), ("warn_at", "<=", now),
                                            ("due_at", ">=", now)])]
        return domain if (operator == "=") == bool(value) else ["!", *domain]

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in STATES]

    @api.onchange("category_id")
    def _onchange_category_id(self):
        if self.category_id and not self.department_id:
            self.department_id = self._default_department(self.category_id, self.company_id)

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        defaults = self.partner_id._complaint_defaults() if self.partner_id else {}
        for key, value in defaults.items():
            fname = key.removeprefix("default_")
            if fname != "partner_id" and not self[fname]:
                self[fname] = value

    # -- policy access ---------------------------------------------------------

    def _policy(self):
        return self.env["complaint.policy"]._complaint_policy(self.company_id or None)

    def _calendar(self):
        return self.env["complaint.policy"]._complaint_calendar(self.company_id or None)

    @api.model
    def _default_department(self, category, company):
        """The category's department (inherited from its parents, SPEC §2), in
        the complaint's company."""
        policy = self.env["complaint.policy"]._complaint_policy(company or None)
        code = policy.department_for(category.code)
        if not code:
            return self.env["complaint.department"]
        return self.env["complaint.department"].search(
            [("code", "=", code), ("company_id", "=", (company or self.env.company).id)], limit=1
        )

    # -- adapters: record -> core ------------------------------------------------

    def _prior_complaints(self, policy):
        """Earlier complaints about the same product or category within the
        repeat-cluster window (the core decides which form a cluster)."""
        from complaint_core.model import PriorComplaint

        self.ensure_one()
        if not (self.product_id or self.category_id) or not self.received_at:
            return ()
        window = policy.severity.cluster_window
        if window.unit in (Unit.HOURS, Unit.DAYS):
            span = timedelta(minutes=window.minutes)
        else:  # working units: generous clock span, the core filters exactly
            span = timedelta(days=int(window.amount) * 3 + 14)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("received_at", ">", self.received_at - span),
            ("received_at", "<=", self.received_at),
        ]
        if self.id:
            domain.append(("id", "!=", self.id))
        keys = []
        if self.product_id:
            keys.append(("product_id", "=", self.product_id.id))
        if self.category_id:
            keys.append(("category_id", "=", self.category_id.id))
        domain += ["|", *keys] if len(keys) == 2 else keys
        priors = self.sudo().search(domain)
        return tuple(
            PriorComplaint(
                customer_id=str(p.partner_id.commercial_partner_id.id),
                product=str(p.product_id.id) if p.product_id else None,
                category=p.category_id.code or None,
                received_at=aware(p.received_at),
                number=p.name or "",
            )
            for p in priors
        )

    def _paused(self):
        return tuple(
            (aware(p.start_at), aware(p.end_at)) for p in self.pause_ids if p.end_at
        )

    def _to_core(self, policy=None):
        """This record as the core's Complaint (SPEC §1–§2 facts)."""
        from complaint_core.model import Complaint, Customer

        self.ensure_one()
        policy = policy or self._policy()
        partner = self.partner_id.commercial_partner_id
        kind = Kind(self.kind)
        with core_errors(self.env):
            return Complaint(
                received_at=aware(self.received_at),
                kind=kind,
                request_type=(RequestType(self.request_type)
                              if self.request_type and kind is Kind.REQUEST else None),
                category=self.category_id.code or None,
                channel=Channel(self.channel),
                customer=Customer(
                    id=str(partner.id) if partner else "",
                    vip=bool(self.partner_id.complaint_vip or partner.complaint_vip),
                    name=partner.name or "",
                ),
                product=str(self.product_id.id) if self.product_id else None,
                number=self.name if self.name and self.name != "/" else "",
                state=State(self.state),
                injury=self.injury,
                media_exposure=self.media_exposure,
                litigation=self.litigation,
                unauthorized_promise=self.unauthorized_promise,
                service_not_delivered=self.service_not_delivered,
                repeated_complaints=self.repeated_complaints,
                facility_unmaintained=self.facility_unmaintained,
                recomplaint=self.recomplaint,
                may_spread=self.may_spread,
                not_company_fault=self.not_company_fault,
                departments=tuple(self.involved_department_ids.mapped("code")),
                customer_loss=to_decimal(self.customer_loss),
                prior_complaints=self._prior_complaints(policy),
                remedies=self.remedy_ids._to_core(),
                closed_at=aware(self.closed_at),
                paused=self._paused(),
                authority_deadline=aware(self.authority_deadline),
                manual_level=int(self.manual_severity) if self.manual_severity else None,
                company_fault=self.company_fault,
            )

    def _decisions(self):
        """The current round's approval decisions (voided ones left out)."""
        from complaint_core.approval import Decision

        return tuple(
            Decision(stage=a.stage, approver_id=str(a.approver_id.id), approved=a.approved,
                     at=aware(a.at), comment=a.comment or "")
            for a in self.approval_ids.filtered(lambda a: not a.voided).sorted("at")
        )

    def _route(self, policy):
        from complaint_core.approval import approval_route

        with core_errors(self.env):
            # the cost in the company currency at the proposal date (SPEC §4)
            return approval_route(self.category_id.code or None, int(self.severity or 4),
                                  self.remedy_ids._to_core(company_currency=True), policy)

    def _case_facts(self, policy):
        """This record as the workflow's CaseFacts (SPEC §4 guards)."""
        from complaint_core.approval import route_complete
        from complaint_core.workflow import CaseFacts

        self.ensure_one()
        approvals_complete = False
        if self.state == State.REMEDY_PROPOSED.value:
            approvals_complete = route_complete(self._route(policy), self._decisions())
        return CaseFacts(
            state=State(self.state),
            kind=Kind(self.kind),
            category=self.category_id.code or None,
            level=int(self.severity) if self.severity else None,
            handler_id=str(self.user_id.id) if self.user_id else None,
            department=self.department_id.code or None,
            complained_about=tuple(str(i) for i in self.complained_user_ids.ids),
            proposed_by=str(self.proposed_by_id.id) if self.proposed_by_id else None,
            finding=Finding(self.finding) if self.finding else None,
            quality_signoff_by=(str(self.quality_signoff_by_id.id)
                                if self.quality_signoff_by_id else None),
            responsible_departments=tuple(self.responsible_department_ids.mapped("code")),
            remedies=self.remedy_ids._to_core(),
            approvals_complete=approvals_complete,
            customer_accepted={"accepted": True, "rejected": False}.get(
                self.customer_accepted or ""),
            satisfaction=int(self.satisfaction) if self.satisfaction else None,
            investigation_started=self.investigation_started,
        )

    def _transition_kw(self, action):
        """Extra facts some guards need about people other than the actor."""
        kw = {}
        if action == "triage" and self.user_id:
            departments = self.env["complaint.department"].sudo().search(
                [("member_ids", "in", self.user_id.ids)])
            kw["handler_reports_to"] = tuple(
                str(i) for i in (departments.manager_id - self.user_id).ids)
        if (action == "determine" and self.quality_signoff_by_id
                and self.quality_signoff_by_id != self.env.user):
            kw["signoff_roles"] = self.quality_signoff_by_id._complaint_roles()
        return kw

    # -- adapters: core -> record ------------------------------------------------

    def _events(self):
        events = {"registered": aware(self.received_at)}
        for event, fname in EVENT_FIELDS.items():
            if self[fname]:
                events[event] = aware(self[fname])
        return events

    def _done_times(self, codes):
        done = {}
        for code in codes:
            fname = MILESTONE_DONE_FIELDS.get(code)
            if fname and self[fname]:
                done[code] = aware(self[fname])
            elif self.state in FINAL and self.closed_at:
                done[code] = aware(self.closed_at)
        return done

    def _refresh(self, now=None):
        """Assess severity and escalation, and plan the milestones again (SPEC
        §2, §3); store what the core decided. An escalation by age reached on
        the way is recorded and notified, whoever triggered the assessment."""
        from complaint_core.severity import assess_severity, escalation_schedule

        odoo_now = now or fields.Datetime.now()
        now = aware(odoo_now)
        escalations = []
        for rec in self:
            before = rec.severity
            policy = rec._policy()
            calendar = rec._calendar()
            c = rec._to_core(policy)
            with core_errors(self.env):
                decision = assess_severity(c, policy, now, calendar)
                schedule = escalation_schedule(c, policy, calendar)
            level = decision.level
            next_step = None
            if rec.state not in FINAL and rec.company_fault:
                next_step = min((e.at for e in schedule if e.level < level and e.at > now),
                                default=None)
            reasons = "\n".join(f"{r.level}: {r.detail}" for r in decision.reasons)
            vals = {
                "severity": str(level),
                "computed_severity": str(decision.computed_level),
                "severity_reasons": reasons,
                "escalated": decision.escalated or rec.escalated,
                "escalation_due_at": naive(next_step),
                "repeat_cluster": decision.cluster is not None,
                "cluster_info": (
                    f"{decision.cluster.key}: {len(decision.cluster.customers)} customers"
                    if decision.cluster else False
                ),
            }
            changed = {k: v for k, v in vals.items() if rec[k] != v}
            if changed:
                rec.with_context(complaint_no_refresh=True).write(changed)
            rec._sync_milestones(policy, calendar, c)
            if before and decision.escalation and decision.escalation.level < int(before):
                escalations.append((rec, before))
        if escalations:
            self._notify_escalations(escalations, odoo_now)
        return [rec for rec, _before in escalations]

    def _warn_at(self, m, policy, calendar, paused):
        """The instant ``m`` becomes due soon: start + warning_ratio of its limit,
        measured like the limit (SPEC §3)."""
        from complaint_core.model import Duration

        if m.start is None or m.due is None:
            return None
        ratio = policy.sla.warning_ratio
        if m.limit is None:  # the authority's deadline: clock time
            return m.start + (m.due - m.start) * float(ratio)
        with core_errors(self.env):
            total = Decimal(repr(float(calendar.limit_minutes(m.start, m.limit, paused=paused))))
            hours = (total * ratio / 60).quantize(Decimal("0.0001"))
            unit = (Unit.WORKING_HOURS if m.limit.unit in (Unit.WORKING_HOURS, Unit.WORKING_DAYS)
                    else Unit.HOURS)
            return calendar.add(m.start, Duration(hours, unit), paused=paused)

    def _sync_milestones(self, policy, calendar, c=None):
        """Write the planned milestones as complaint.milestone records."""
        from complaint_core.sla import plan_milestones

        self.ensure_one()
        c = c or self._to_core(policy)
        codes = [spec.code for spec in policy.sla.milestones]
        with core_errors(self.env):
            planned = plan_milestones(c, policy, calendar, level=int(self.severity or 4),
                                      escalated=self.escalated, events=self._events(),
                                      done=self._done_times(codes))
        existing = {m.code: m for m in self.milestone_ids}
        to_create = []
        Milestone = self.env["complaint.milestone"].sudo()
        for pm in planned:
            vals = {
                "code": pm.code,
                "label": pm.name,
                "limit": str(pm.limit) if pm.limit else False,
                "start_at": naive(pm.start),
                "due_at": naive(pm.due),
                "warn_at": naive(self._warn_at(pm, policy, calendar, c.paused)),
                "done_at": naive(pm.done),
            }
            record = existing.pop(pm.code, None)
            if record is None:
                to_create.append({**vals, "complaint_id": self.id})
                continue
            changed = {k: v for k, v in vals.items() if record[k] != v}
            if "due_at" in changed or "warn_at" in changed:
                changed.update(notified_due_soon=False, notified_breached=False)
            if changed:
                record.sudo().write(changed)
        if to_create:
            Milestone.create(to_create)
        stale = self.env["complaint.milestone"].concat(*existing.values()).filtered(
            lambda m: not m.done_at)
        if stale:
            stale.sudo().unlink()

    def _milestone_status(self, milestone, now):
        from complaint_core.sla import milestone_status

        policy = self._policy()
        with core_errors(self.env):
            return milestone_status(milestone._to_core(), aware(now), policy, self._calendar(),
                                    self._paused())

    # -- numbering (SPEC §1) ----------------------------------------------------

    @api.model
    def _next_number(self, received_at, company):
        """The next number: an ir.sequence (a PostgreSQL sequence per year, so
        unique under concurrent registration; past 999 it widens), checked
        against the core's numbering pattern."""
        from complaint_core.numbering import format_number, parse_number

        policy = self.env["complaint.policy"]._complaint_policy(company)
        local = aware(received_at).astimezone(ZoneInfo(policy.calendar.timezone)).date()
        Sequence = self.env["ir.sequence"].sudo().with_company(company).with_context(
            ir_sequence_date=local)
        sequence = Sequence.search([("code", "=", "customer.complaint"),
                                    ("company_id", "in", (company.id, False))],
                                   order="company_id", limit=1)
        if not sequence:
            raise UserError(self.env._("The complaint number sequence is missing."))
        if sequence.use_date_range and not self.env["ir.sequence.date_range"].sudo().search_count(
                [("sequence_id", "=", sequence.id), ("date_from", "<=", local),
                 ("date_to", ">=", local)], limit=1):
            # A new year's range: two registrations creating it at once would each
            # get a counter of their own. Touching the sequence row makes the
            # second one wait, then fail to serialize and be retried.
            self.env.cr.execute(
                "UPDATE ir_sequence SET write_date = now() at time zone 'UTC' WHERE id = %s",
                [sequence.id])
        number = sequence._next(sequence_date=local)
        with core_errors(self.env):
            on, seq = parse_number(policy.numbering, number)
            if (on is not None and on != local) or format_number(
                    policy.numbering, local, seq) != number:
                raise UserError(self.env._(
                    "The complaint sequence gave %(number)s, which does not follow the "
                    "numbering pattern %(pattern)s.",
                    number=number, pattern=policy.numbering.pattern))
        return number

    # -- ORM ---------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if vals.get("category_id") and not vals.get("department_id"):
                category = self.env["complaint.category"].browse(vals["category_id"])
                vals["department_id"] = self._default_department(category, company).id or False
            vals.pop("state", None)
            if not vals.get("name") or vals["name"] == "/":
                received = fields.Datetime.to_datetime(vals.get("received_at")) or now
                vals["name"] = self._next_number(received, company)
        records = super(CustomerComplaint,
                        self.with_context(complaint_no_refresh=True)).create(vals_list)
        records = records.with_env(self.env)
        records._refresh(now)
        self.env["complaint.audit"].sudo().create([{
            "complaint_id": rec.id, "action": "register", "user_id": self.env.uid, "at": now,
            "to_state": rec.state,
        } for rec in records])
        return records

    def write(self, vals):
        if "state" in vals and not self.env.context.get("complaint_workflow"):
            raise UserError(self.env._(
                "The state of a complaint changes only through its workflow buttons."))
        if "manual_severity" in vals and not self.env.context.get("complaint_no_refresh"):
            self._check_severity_change(vals)
        res = super().write(vals)
        if not self.env.context.get("complaint_no_refresh") and REFRESH_FIELDS & set(vals):
            self._refresh()
        return res

    def unlink(self):
        if not self.env.su:
            raise UserError(self.env._(
                "Registered complaints are never deleted: withdraw or close them instead."))
        return super().unlink()

    def _check_severity_change(self, vals):
        """SPEC §2: a person may raise a level; lowering needs a manager and a reason."""
        from complaint_core.severity import change_level

        policy = self.env["complaint.policy"]._complaint_policy()
        new = vals.get("manual_severity")
        roles = self.env.user._complaint_roles()
        for rec in self:
            current = int(rec.severity or rec.computed_severity or 4)
            target = int(new) if new else int(rec.computed_severity or current)
            reason = vals.get("severity_change_reason", rec.severity_change_reason) or ""
            with core_errors(self.env):
                change_level(current, target, roles, reason, policy)
            self.env["complaint.audit"].sudo().create({
                "complaint_id": rec.id, "action": "severity", "user_id": self.env.uid,
                "at": fields.Datetime.now(), "from_state": rec.state, "to_state": rec.state,
                "reason": f"{current} -> {target}: {reason}".strip(),
            })

    # -- workflow (SPEC §4) ------------------------------------------------------

    def _run_action(self, action, reason=None, **kw):
        """Ask the core's workflow to take ``action``; apply its decision."""
        from complaint_core.workflow import transition

        now = fields.Datetime.now()
        actor = self.env.user._complaint_actor()
        for rec in self:
            policy = rec._policy()
            why = (reason if reason is not None else rec.action_reason) or ""
            case = rec._case_facts(policy)
            with core_errors(self.env):
                result = transition(case, action, actor, policy, aware(now), why,
                                    **rec._transition_kw(action), **kw)
            rec._apply_core(result, now)
        return True

    def _apply_core(self, result, now):
        """Write a workflow decision: state, event times, audit entry, effects;
        then assess severity and plan the milestones again."""
        self.ensure_one()
        new_state = result.state.value
        vals = {"state": new_state, "action_reason": False}
        for effect in result.effects:
            name, _sep, arg = effect.partition(":")
            if name == "start" and arg in EVENT_FIELDS:
                vals[EVENT_FIELDS[arg]] = now
            elif name == "recomplaint":
                vals["recomplaint"] = True
            elif name == "kind":
                vals["kind"] = arg
            elif name == "proposed_by":
                vals["proposed_by_id"] = int(arg)
        if new_state == State.FOLLOW_UP.value:
            vals["follow_up_at"] = now
        if new_state == State.INVESTIGATING.value:
            vals["investigation_started"] = True
        if new_state in FINAL:
            vals["closed_at"] = now
        elif self.closed_at:
            vals["closed_at"] = False
        if new_state in {s.value for s in MAIN_LINE}:
            rank = MAIN_LINE.index(State(new_state))
            for fname, state in EVENT_STATE.items():
                if MAIN_LINE.index(state) > rank and self[fname] and fname not in vals:
                    vals[fname] = False
        if result.audit.action == "propose_remedy":
            self.approval_ids.filtered(lambda a: not a.voided).sudo().write({"voided": True})
            vals["approved_fingerprint"] = False
            # a new proposal is a new approval round, costed on the proposal date
            vals["approval_round"] = self.approval_round + 1
            vals["proposed_at"] = now
        if result.audit.action in ("reopen", "customer_rejects"):
            vals["customer_accepted"] = False
            vals["satisfaction"] = False
        self.with_context(complaint_workflow=True, complaint_no_refresh=True).write(vals)
        audit = result.audit
        self.env["complaint.audit"].sudo().create({
            "complaint_id": self.id, "action": audit.action, "user_id": self.env.uid,
            "at": naive(audit.at), "from_state": audit.from_state.value,
            "to_state": audit.to_state.value, "reason": audit.reason,
        })
        self._refresh(now)

    def _with_reason(self, action):
        """Steps that need a reason take it from the form's Reason field."""
        for rec in self:
            rec._run_action(action)
        return True

    def action_triage(self):
        for rec in self:
            if rec.category_id and not rec.department_id:
                rec.department_id = rec._default_department(rec.category_id, rec.company_id)
        return self._run_action("triage")

    def action_start_investigation(self):
        return self._run_action("start_investigation")

    def action_determine(self):
        return self._run_action("determine")

    def action_propose_remedy(self):
        res = self._run_action("propose_remedy")
        self._request_approvals()
        return res

    def action_reply(self):
        return self._run_action("reply")

    def action_customer_rejects(self):
        return self._with_reason("customer_rejects")

    def action_remedy_done(self):
        self._check_remedies_carried_out()
        return self._run_action("remedy_done")

    def _check_remedies_carried_out(self):
        """SPEC §4: the remedy is done only when it is carried out. Refuse while a
        remedy that a bridge tracks (pickings, credit notes) is not done yet,
        naming those remedies and their execution state."""
        for rec in self:
            pending = rec.remedy_ids.filtered(
                lambda r: r.execution_state not in ("none", "done"))
            if not pending:
                continue
            types = dict(pending._fields["type"]._description_selection(self.env))
            states = dict(pending._fields["execution_state"]._description_selection(self.env))
            raise UserError(self.env._(
                "Complaint %(number)s: the remedy cannot be marked done while these remedies "
                "are not carried out: %(remedies)s.",
                number=rec.name,
                remedies="; ".join(f"{types[r.type]} ({states[r.execution_state]})"
                                   for r in pending)))

    def action_follow_up(self):
        return self._run_action("follow_up")

    def action_close(self):
        return self._run_action("close")

    def action_mark_not_valid(self):
        return self._with_reason("mark_not_valid")

    def action_withdraw(self):
        return self._with_reason("withdraw")

    def action_reopen(self):
        return self._with_reason("reopen")

    def action_convert_to_complaint(self):
        return self._run_action("convert_kind", new_kind=Kind.COMPLAINT.value)

    def action_convert_to_request(self):
        return self._run_action("convert_kind", new_kind=Kind.REQUEST.value)

    def action_convert_to_suggestion(self):
        return self._run_action("convert_kind", new_kind=Kind.SUGGESTION.value)

    def action_first_contact(self):
        self.filtered(lambda r: not r.first_contact_at).write(
            {"first_contact_at": fields.Datetime.now()})
        return True

    def action_site_visit(self):
        self.filtered(lambda r: not r.site_visit_at).write(
            {"site_visit_at": fields.Datetime.now()})
        return True

    def action_pause(self):
        """SPEC §3: stop the clocks while waiting on the customer."""
        for rec in self:
            if not rec.pause_ids.filtered(lambda p: not p.end_at):
                rec.pause_ids = [fields.Command.create({"reason": rec.action_reason or ""})]
        return True

    def action_resume(self):
        now = fields.Datetime.now()
        for rec in self:
            open_pauses = rec.pause_ids.filtered(lambda p: not p.end_at)
            if open_pauses:
                rec.pause_ids = [fields.Command.update(p.id, {"end_at": now})
                                 for p in open_pauses]
        return True

    # -- approvals (SPEC §4 审批权限) -----------------------------------------------

    def action_approve_stage(self):
        return self._decide_stage(True)

    def action_reject_stage(self):
        return self._decide_stage(False)

    def _decide_stage(self, approved, comment=None):
        """Decide the next stage of the approval route with the user's authority
        level; the last approval approves the remedy, a rejection sends it back.

        Two approvers at once: the complaint row is locked first (NOWAIT), so
        the second one is told at once that someone else is deciding; the
        unique (complaint, stage, round) index of complaint.approval is the
        database's own guarantee behind it."""
        from complaint_core.approval import (
            decide,
            next_stage,
            remedy_fingerprint,
            route_complete,
        )
        from complaint_core.workflow import allowed_actions, transition

        now = fields.Datetime.now()
        user = self.env.user
        for rec in self:
            rec._lock_for_decision()
            policy = rec._policy()
            if rec.state != State.REMEDY_PROPOSED.value:
                raise UserError(self.env._("Only a proposed remedy can be approved or rejected."))
            level = user._complaint_authority_level()
            if not level:
                raise UserError(self.env._("You have no approval authority level."))
            route = rec._route(policy)
            decisions = rec._decisions()
            stage = next_stage(route, decisions)
            if stage is None:
                raise UserError(self.env._("Every stage of the approval route is decided."))
            text = (comment if comment is not None else rec.action_reason) or ""
            remedies = rec.remedy_ids._to_core()
            with core_errors(self.env):
                # every stage is a decision of the approve / reject_remedy step: the
                # core's role, recusal and own-proposal guards hold for each stage,
                # not only for the last one (transition raises the refusal)
                action = "approve" if approved else "reject_remedy"
                actor = user._complaint_actor()
                case = rec._case_facts(policy)
                if action not in allowed_actions(case, actor, policy):
                    transition(case, action, actor, policy, aware(now), reason=text or "-")
                decision = decide(
                    route, decisions, stage.code, user._complaint_actor(), level.code, approved,
                    text, proposed_by=str(rec.proposed_by_id.id) if rec.proposed_by_id else None,
                    complained_about=tuple(str(i) for i in rec.complained_user_ids.ids),
                    now=aware(now), policy=policy)
                fingerprint = remedy_fingerprint(remedies)
            rec._store_decision({
                "complaint_id": rec.id, "stage": decision.stage, "level_code": stage.level,
                "approver_id": user.id, "approved": decision.approved,
                "comment": decision.comment, "at": now, "fingerprint": fingerprint,
                "route_round": rec.approval_round,
            })
            rec._record_decision(decision, level, stage)
            if not decision.approved:
                rec._run_action("reject_remedy", reason=decision.comment)
            elif route_complete(route, (*decisions, decision)):
                rec._run_action("approve", reason=decision.comment)
                rec.with_context(complaint_no_refresh=True).write(
                    {"approved_fingerprint": fingerprint})
            else:
                rec._request_approvals()
        return True

    def _remedies_changed(self):
        """Frozen remedies (SPEC §4): a change after a decision voids the round's
        approvals; an approved remedy goes back to be approved again. A proposal
        still waiting for its first decision is asked again (its cost, and so
        its approvers, may have changed)."""
        from complaint_core.approval import approvals_still_valid

        now = fields.Datetime.now()
        for rec in self:
            remedies = rec.remedy_ids._to_core()
            current = rec.approval_ids.filtered(lambda a: not a.voided)
            if not current:
                if (rec.state == State.REMEDY_PROPOSED.value and rec.proposed_fingerprint
                        and not approvals_still_valid(rec.proposed_fingerprint, remedies)):
                    rec.with_context(complaint_no_refresh=True).write(
                        {"approval_round": rec.approval_round + 1})
                    rec._request_approvals()
                continue
            stale = current.filtered(
                lambda a, r=remedies: not approvals_still_valid(a.fingerprint, r))
            if not stale:
                continue
            current.sudo().write({"voided": True})
            vals = {"approved_fingerprint": False, "approval_round": rec.approval_round + 1}
            if rec.state in (State.APPROVED.value, State.REPLIED.value):
                vals.update(state=State.REMEDY_PROPOSED.value, approved_at=False,
                            replied_at=False)
                self.env["complaint.audit"].sudo().create({
                    "complaint_id": rec.id, "action": "remedy_changed",
                    "user_id": self.env.uid, "at": now, "from_state": rec.state,
                    "to_state": State.REMEDY_PROPOSED.value,
                    "reason": "remedies changed after approval: approvals void",
                })
            rec.with_context(complaint_workflow=True, complaint_no_refresh=True).write(vals)
            rec.message_post(body=self.env._(
                "The remedies changed after approval: the approvals are void and the remedy "
                "must be approved again."))
            if rec.state == State.REMEDY_PROPOSED.value:
                rec._request_approvals()
