"""customer.complaint: the registration form and the case (SPEC §1–§6).

This file holds the facts (fields), the computes and the ORM methods with the
*one door* (ARCHITECTURE "The seam"): a field a rule owns is written only by
`_write_rule()`, after the core decided; `create()` and `write()` refuse it from
any caller, whatever the context. The other concerns live beside it:
`complaint_adapter.py` (record <-> core), `complaint_intake.py` (the facts checked),
`complaint_numbering.py`, `complaint_workflow.py` (the steps and
the buttons), `complaint_recusal.py` (SPEC §4 回避, live), `complaint_deadlines.py`
(the cron) and `complaint_approval_flow.py` (approvals).
"""

from datetime import UTC

from odoo import api, fields, models
from odoo.exceptions import UserError

from complaint_core.model import (
    FINAL_STATES,
    Channel,
    Finding,
    Kind,
    RequestType,
    State,
)

from .complaint_audit import STATES

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

FINAL = {s.value for s in FINAL_STATES}

# SPEC §6 "a field shown read-only is written only through the rule that owns it":
# the fields the core's decisions own. `_write_rule` is their only writer.
RULE_FIELDS = frozenset(
    {
        "name",
        "state",
        "registered_by_id",
        "company_id",
        "kind",
        "severity",
        "computed_severity",
        "severity_reasons",
        "escalated",
        "escalation_due_at",
        "repeat_cluster",
        "cluster_info",
        "recomplaint",
        "investigation_started",
        "triaged_at",
        "approved_at",
        "replied_at",
        "remedy_done_at",
        "follow_up_at",
        "closed_at",
        "milestone_ids",
        "audit_ids",
        "pause_ids",
        "approval_ids",
        "customer_accepted",
        "acknowledged_at",
        "acknowledgement_due",
    }
)
# Chosen at registration, owned by a rule afterwards (the company of a case never
# changes; its kind changes only through the convert step).
CREATE_FIELDS = frozenset({"company_id", "kind"})
# What may still be written on a closed (or not valid, withdrawn) case: the reason
# for the reopen, what mail.thread keeps about its own messages, and the portal
# link's token (created when a message on the case is first notified to someone).
FINAL_WRITABLE = frozenset({"action_reason", "message_main_attachment_id", "access_token"})
# changes that make severity, milestones and escalation be assessed again
REFRESH_FIELDS = {
    "received_at",
    "kind",
    "request_type",
    "category_id",
    "channel",
    "partner_id",
    "product_id",
    "injury",
    "media_exposure",
    "litigation",
    "unauthorized_promise",
    "service_not_delivered",
    "repeated_complaints",
    "facility_unmaintained",
    "may_spread",
    "not_company_fault",
    "company_fault",
    "involved_department_ids",
    "customer_loss",
    "authority_deadline",
    "manual_severity",
    "first_contact_at",
    "site_visit_at",
    "authority_replied_at",
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
    name = fields.Char(
        string="Number", readonly=True, copy=False, default="/", index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(KINDS, required=True, default=Kind.COMPLAINT.value, tracking=True)
    request_type = fields.Selection(REQUEST_TYPES)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    complaint_vip = fields.Boolean(related="partner_id.complaint_vip", string="VIP")
    sales_user_id = fields.Many2one(
        related="partner_id.user_id", store=True, index=True, string="Salesperson"
    )
    contact_name = fields.Char(string="Contact Person")
    phone = fields.Char()
    email = fields.Char()
    address = fields.Text()
    channel = fields.Selection(CHANNELS, required=True, default=Channel.PHONE.value)
    authority_reference = fields.Char(help="Reference of the transferring authority.")
    authority_deadline = fields.Datetime(help="Reply deadline set by the transferring authority.")
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    registered_by_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, index=True, readonly=True
    )
    product_id = fields.Many2one("product.product", index=True)
    product_spec = fields.Char(string="Model/Spec")
    lot_number = fields.Char(string="Batch/Lot Number")
    order_number = fields.Char()
    purchase_date = fields.Date()
    ship_date = fields.Date()
    delivery_date = fields.Date()
    quantity = fields.Float()
    amount = fields.Monetary(currency_field="currency_id")
    defective_quantity = fields.Float()
    defect_rate = fields.Float(
        compute="_compute_defect_rate",
        store=True,
        help="Defective quantity / quantity (不良率), in %.",
    )
    description = fields.Text(help="Time, place and facts of the event, stated objectively.")
    demand_compensation = fields.Monetary(string="Compensation Asked", currency_field="currency_id")
    demand_discount = fields.Float(string="Discount Asked (%)")
    demand_return_qty = fields.Float(string="Return Quantity Asked")
    demand_exchange = fields.Boolean(string="Exchange Asked")
    demand_repair = fields.Boolean(string="Repair Asked")
    demand_apology = fields.Boolean(string="Apology Asked")
    demand_other = fields.Char(string="Other Demands")
    evidence_ids = fields.Many2many(
        "ir.attachment", "customer_complaint_evidence_rel", "complaint_id", "attachment_id"
    )
    complained_user_ids = fields.Many2many(
        "res.users",
        "customer_complaint_complained_user_rel",
        "complaint_id",
        "user_id",
        string="Persons Complained About",
    )
    complained_department_ids = fields.Many2many(
        "complaint.department",
        "customer_complaint_complained_department_rel",
        "complaint_id",
        "department_id",
        string="Departments Complained About",
    )
    confirmed_by_customer = fields.Boolean(
        help="The record was read back to the customer and confirmed (复述确认).",
        tracking=True,
    )

    # -- classification and severity (SPEC §2) ------------------------------
    state = fields.Selection(
        STATES,
        required=True,
        default=State.REGISTERED.value,
        tracking=True,
        index=True,
        copy=False,
        readonly=True,
        group_expand="_group_expand_states",
    )
    category_id = fields.Many2one("complaint.category", tracking=True)
    department_id = fields.Many2one(
        "complaint.department", string="Responsible Department", tracking=True, index=True
    )
    user_id = fields.Many2one("res.users", string="Handler", tracking=True, index=True)
    involved_department_ids = fields.Many2many(
        "complaint.department",
        "customer_complaint_involved_department_rel",
        "complaint_id",
        "department_id",
        string="Departments Involved",
        help="Counted by the severity rules (SPEC §2).",
    )
    severity = fields.Selection(
        SEVERITIES,
        readonly=True,
        index=True,
        tracking=True,
        help="1 = most severe; set by the severity rules.",
    )
    computed_severity = fields.Selection(SEVERITIES, readonly=True)
    severity_reasons = fields.Text(readonly=True)
    manual_severity = fields.Selection(
        SEVERITIES,
        string="Severity Set By Hand",
        tracking=True,
        help="Raising is free; lowering needs a manager and a reason.",
    )
    severity_change_reason = fields.Char()
    escalated = fields.Boolean(readonly=True)
    escalation_due_at = fields.Datetime(
        readonly=True,
        index=True,
        copy=False,
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
        string="Delay Is Our Fault",
        default=True,
        help="Escalation by age applies only when the delay is the company's fault.",
    )

    # -- investigation, finding (SPEC §4) -----------------------------------
    investigation_started = fields.Boolean(readonly=True, copy=False)
    investigation_notes = fields.Text()
    finding = fields.Selection(FINDINGS, string="Responsibility Finding", tracking=True)
    quality_signoff_by_id = fields.Many2one("res.users", string="Quality Sign-off By")
    responsible_department_ids = fields.Many2many(
        "complaint.department",
        "customer_complaint_responsible_department_rel",
        "complaint_id",
        "department_id",
        string="Responsible Departments (Finding)",
    )
    # accountability (SPEC §4 责任追究): managers only, every change in the chatter
    responsible_user_id = fields.Many2one(
        "res.users",
        string="Responsible Person",
        groups="customer_complaint.group_complaint_manager",
        tracking=True,
    )
    accountable_department_id = fields.Many2one(
        "complaint.department",
        string="Responsible Department (Accountability)",
        groups="customer_complaint.group_complaint_manager",
        tracking=True,
    )
    accountability_loss = fields.Monetary(
        currency_field="currency_id",
        string="Loss Amount",
        groups="customer_complaint.group_complaint_manager",
        tracking=True,
    )
    disciplinary_outcome = fields.Text(
        groups="customer_complaint.group_complaint_manager", tracking=True
    )

    # -- remedies, approvals, reply, follow-up ------------------------------
    remedy_ids = fields.One2many("complaint.remedy", "complaint_id", string="Remedies")
    remedy_cost = fields.Monetary(compute="_compute_remedy_cost", currency_field="currency_id")
    proposed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approval_ids = fields.One2many(
        "complaint.approval", "complaint_id", string="Approvals", readonly=True
    )
    approved_fingerprint = fields.Char(readonly=True, copy=False)
    customer_accepted = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected")],
        string="Customer's Answer",
        tracking=True,
    )
    follow_up_method = fields.Selection(
        [("phone", "Phone"), ("visit", "Visit"), ("email", "Email"), ("survey", "Survey")],
    )
    satisfaction = fields.Selection(SATISFACTION, tracking=True)
    follow_up_notes = fields.Text()
    capa_ids = fields.One2many("complaint.capa", "complaint_id", string="CAPA")
    milestone_ids = fields.One2many(
        "complaint.milestone", "complaint_id", string="Milestones", readonly=True
    )
    audit_ids = fields.One2many(
        "complaint.audit", "complaint_id", string="Audit Trail", readonly=True
    )
    pause_ids = fields.One2many("complaint.pause", "complaint_id", string="Pauses", readonly=True)
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
    sla_overdue = fields.Boolean(
        string="Overdue", compute="_compute_sla_flags", search="_search_sla_overdue"
    )
    sla_due_soon = fields.Boolean(
        string="Due Soon", compute="_compute_sla_flags", search="_search_sla_due_soon"
    )

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "The complaint number must be unique.")
    ]

    # -- computes -------------------------------------------------------------

    @api.depends("quantity", "defective_quantity")
    def _compute_defect_rate(self):
        for rec in self:
            rec.defect_rate = 100.0 * rec.defective_quantity / rec.quantity if rec.quantity else 0.0

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
            rec.sla_due_soon = any(m.warn_at and m.warn_at <= now <= m.due_at for m in pending)

    def _search_sla_overdue(self, operator, value):
        now = fields.Datetime.now()
        domain = [("milestone_ids", "any", [("done_at", "=", False), ("due_at", "<", now)])]
        return domain if (operator == "=") == bool(value) else ["!", *domain]

    def _search_sla_due_soon(self, operator, value):
        now = fields.Datetime.now()
        domain = [
            (
                "milestone_ids",
                "any",
                [("done_at", "=", False), ("warn_at", "<=", now), ("due_at", ">=", now)],
            )
        ]
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

    # -- the one door (SPEC §6, ARCHITECTURE "The seam") ----------------------------

    def _rule_fields(self):
        """The fields a rule owns; a bridge adds its own with ``super()``."""
        return RULE_FIELDS

    def _check_rule_fields(self, vals):
        """Refuse, for every caller and every context, a value for a field a rule
        owns, and for any computed field without an inverse (its compute is its
        writer): they change only through the step that owns them."""
        owned = self._rule_fields()
        refused = sorted(
            name
            for name in vals
            if name in owned
            or (
                name in self._fields
                and self._fields[name].compute
                and not self._fields[name].inverse
            )
        )
        if refused:
            labels = ", ".join(
                self._fields[n]._description_string(self.env) if n in self._fields else n
                for n in refused
            )
            raise UserError(
                self.env._(
                    "These fields of a complaint change only through its workflow steps, never "
                    "directly: %(fields)s.",
                    fields=labels,
                )
            )

    def _write_rule(self, vals):
        """The only writer of the rule fields: called by the adapter after the core
        decided (a private method, which no RPC caller can reach). It skips this
        class's `write()` checks, not Odoo's (tracking, access rights)."""
        return super().write(vals)

    def _check_final_write(self, vals):
        """SPEC §4/§6: a closed, not-valid or withdrawn case changes only through
        reopen (the reason for it may be written)."""
        changed = set(vals) - FINAL_WRITABLE
        final = self.filtered(lambda r: r.state in FINAL)
        if changed and final:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is %(state)s: nothing of it changes until it is "
                    "reopened.",
                    number=final[0].name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        final[0].state
                    ],
                )
            )

    # -- ORM ---------------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        """A ``default_<field>`` context key is caller input: it sets no field a
        rule owns (a ``default_state`` would register a closed complaint)."""
        owned = self._rule_fields() - CREATE_FIELDS
        context = {
            key: value
            for key, value in self.env.context.items()
            if not (key.startswith("default_") and key.removeprefix("default_") in owned)
        }
        records = (
            self.with_env(self.env(context=context))
            if len(context) < len(self.env.context)
            else self
        )
        return super(CustomerComplaint, records).default_get(fields_list)

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            self._check_rule_fields({k: v for k, v in vals.items() if k not in CREATE_FIELDS})
            self._check_selections(vals)
            self.browse()._check_intake(vals)
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if vals.get("category_id") and not vals.get("department_id"):
                category = self.env["complaint.category"].browse(vals["category_id"])
                vals["department_id"] = self._default_department(category, company).id or False
            received = fields.Datetime.to_datetime(vals.get("received_at")) or now
            vals.update(
                name=self._next_number(received, company),
                state=State.REGISTERED.value,
                registered_by_id=self.env.uid,
            )
        records = super().create(vals_list)
        records._check_recusal_roles({"user_id", "quality_signoff_by_id"})
        records._refresh(now)
        self.env["complaint.audit"].sudo().create(
            [
                {
                    "complaint_id": rec.id,
                    "action": "register",
                    "user_id": self.env.uid,
                    "at": now,
                    "to_state": rec.state,
                }
                for rec in records
            ]
        )
        return records

    def copy(self, default=None):
        # a rule field in the copy's values is refused before anything is read
        self._check_rule_fields(dict(default or {}))
        return super().copy(default)

    def write(self, vals):
        self._check_rule_fields(vals)
        self._check_final_write(vals)
        self._check_selections(vals)
        self._check_intake(vals)
        if "manual_severity" in vals:
            self._check_severity_change(vals)
        res = super().write(vals)
        self._after_write(vals)
        return res

    def _after_write(self, vals):
        """What a change of the facts sets off: recusal, a new assessment."""
        if {"complained_user_ids", "user_id", "quality_signoff_by_id"} & set(vals):
            self._check_recusal_roles(set(vals))
        if REFRESH_FIELDS & set(vals):
            self._refresh()

    @api.ondelete(at_uninstall=True)
    def _unlink_never_by_a_user(self):
        """SPEC §6: nothing registered is deleted by a user action."""
        if not self.env.su:
            raise UserError(
                self.env._(
                    "Registered complaints are never deleted: withdraw or close them instead."
                )
            )
