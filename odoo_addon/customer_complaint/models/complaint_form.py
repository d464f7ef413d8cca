"""The boxes of the printed forms (FORMS.md, issue 10 §3) that the case lacked.

客户投诉登记表 (registration form, product quality) and 投诉处理单 (handling and
notice form) are printed from the record (report/complaint_forms_report.xml).
This file holds what they need beyond the case: the registration form's columns
(customer code, plant, the defective quantity split, evidence kinds, the opinion
boxes ...), who wrote each opinion and when (stamped by the server, never
written by a caller), and the helpers the reports call. The quality manager's
opinion (全面质量监察中心经理意见) is written by the Quality group only, for every
caller. The number of printed copies (一式四联) and their labels are per company,
on the policy settings.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# opinion box -> (who wrote it, when): stamped by the server at every change
OPINIONS = {
    "service_opinion": ("service_opinion_by_id", "service_opinion_at"),
    "market_opinion": ("market_opinion_by_id", "market_opinion_at"),
    "quality_opinion": ("quality_opinion_by_id", "quality_opinion_at"),
}
OPINION_STAMPS = frozenset(f for pair in OPINIONS.values() for f in pair)
QUALITY_GROUP = "customer_complaint.group_complaint_quality"
# the remedies' boxes of the handling form, in the order the form prints them;
# every other remedy type ticks 其他 (other)
FORM_REMEDY_BOXES = ("return", "exchange", "discount", "free_repair")
DEFAULT_COPIES = 4
MAX_COPIES = 10


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    # -- 客户投诉登记表: registration ---------------------------------------------
    customer_code = fields.Char(
        related="partner_id.commercial_partner_id.ref",
        string="Customer Code",
        help="The customer's reference in the company's records (客户编号).",
    )
    production_plant = fields.Char(help="The plant that made the product (生产厂).")
    defective_used = fields.Float(
        string="Defective, Used",
        help="Defective goods the customer had already used (已使用).",
    )
    defective_unused = fields.Float(
        string="Defective, Unused",
        help="Defective goods not used yet (未使用). Used + unused is at most the "
        "defective quantity.",
    )
    evidence_event = fields.Boolean(string="Evidence: Event Record")
    evidence_sample = fields.Boolean(string="Evidence: Defective Sample")
    evidence_site_survey = fields.Boolean(string="Evidence: On-site Survey")
    evidence_other = fields.Char(string="Evidence: Other")
    demand_return_amount = fields.Monetary(
        string="Return Amount Asked", currency_field="currency_id"
    )

    # -- the opinion boxes ------------------------------------------------------------
    service_opinion = fields.Text(string="Customer Service Opinion", tracking=True, copy=False)
    service_opinion_by_id = fields.Many2one(
        "res.users", string="Customer Service Opinion By", readonly=True, copy=False
    )
    service_opinion_at = fields.Datetime(
        string="Customer Service Opinion On", readonly=True, copy=False
    )
    market_opinion = fields.Text(string="Market Supervision Opinion", tracking=True, copy=False)
    market_opinion_by_id = fields.Many2one(
        "res.users", string="Market Supervision Opinion By", readonly=True, copy=False
    )
    market_opinion_at = fields.Datetime(
        string="Market Supervision Opinion On", readonly=True, copy=False
    )
    similar_complaints = fields.Selection(
        [("often", "Often"), ("first", "First Time")],
        tracking=True,
        help="Whether such complaints happen often or for the first time (类似投诉).",
    )
    matter_exists = fields.Selection(
        [("yes", "Yes"), ("no", "No")],
        string="Complained Matter Exists",
        tracking=True,
        help="The investigation found the matter complained about (处理事项是否存在).",
    )
    matter_exists_note = fields.Char(string="Matter Explanation")
    countermeasure_provisional = fields.Text(string="Provisional Countermeasure", tracking=True)
    countermeasure_definitive = fields.Text(string="Definitive Countermeasure", tracking=True)
    record_site_report = fields.Boolean(string="Record: On-site Survey Report")
    record_inspection = fields.Boolean(string="Record: Product Inspection Sheet")
    record_production = fields.Boolean(string="Record: Production Process Record")
    quality_opinion = fields.Text(
        string="Quality Manager's Opinion",
        tracking=True,
        copy=False,
        help="The opinion of the quality supervision centre's manager; written by the "
        "Quality group only.",
    )
    quality_opinion_by_id = fields.Many2one(
        "res.users", string="Quality Manager's Opinion By", readonly=True, copy=False
    )
    quality_opinion_at = fields.Datetime(
        string="Quality Manager's Opinion On", readonly=True, copy=False
    )
    handling_result = fields.Text(tracking=True)
    defective_handling = fields.Text(string="Handling of Defective Goods", tracking=True)
    countermeasure_date = fields.Date(string="Countermeasure Implemented On", tracking=True)
    quality_opinion_editable = fields.Boolean(compute="_compute_quality_opinion_editable")

    @api.depends_context("uid")
    def _compute_quality_opinion_editable(self):
        allowed = self.env.user.has_group(QUALITY_GROUP)
        for rec in self:
            rec.quality_opinion_editable = allowed

    # -- the server's checks --------------------------------------------------------

    def _rule_fields(self):
        # who wrote an opinion and when: stamped with the opinion, never given
        return super()._rule_fields() | OPINION_STAMPS

    def _check_opinion_rights(self, vals, creating=False):
        """The quality manager's opinion is the Quality group's (and the managers',
        who have its rights), whoever calls and with whatever context."""
        if "quality_opinion" not in vals or self.env.su:
            return
        if creating and not vals["quality_opinion"]:
            return
        if not self.env.user.has_group(QUALITY_GROUP):
            raise AccessError(
                self.env._(
                    "Only the Quality group writes the quality manager's opinion; "
                    "%(user)s is not a member of it.",
                    user=self.env.user.name,
                )
            )

    def _stamp_opinions(self, vals):
        stamps = {}
        now = fields.Datetime.now()
        for name, (by, at) in OPINIONS.items():
            if name in vals:
                written = bool(vals[name])
                stamps[by] = self.env.uid if written else False
                stamps[at] = now if written else False
        if stamps:
            self._write_rule(stamps)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_opinion_rights(vals, creating=True)
        records = super().create(vals_list)
        for rec, vals in zip(records, vals_list, strict=True):
            rec._stamp_opinions(vals)
        return records

    def write(self, vals):
        self._check_opinion_rights(vals)
        res = super().write(vals)
        self._stamp_opinions(vals)
        return res

    # -- what the forms print -------------------------------------------------------

    def _report_lang(self):
        """The reader's language: the customer's (they sign the registration form
        and receive a copy of the notice and the reply), else the user's."""
        self.ensure_one()
        return self.partner_id.lang or self.env.user.lang or "en_US"

    def _form_copy_labels(self):
        """The label of each printed copy (一式四联): the company's policy settings
        say how many and how they are named; one copy is printed without a label."""
        self.ensure_one()
        policy = (
            self.env["complaint.policy"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)], limit=1)
        )
        copies = policy.form_copies if policy else DEFAULT_COPIES
        if copies <= 1:
            return [False]
        given = [
            line.strip() for line in (policy.form_copy_labels or "").splitlines() if line.strip()
        ]
        defaults = [
            self.env._("Copy 1: File"),
            self.env._("Copy 2: Customer"),
            self.env._("Copy 3: Quality Department"),
            self.env._("Copy 4: Finance"),
        ]
        labels = given or defaults
        return [
            labels[i] if i < len(labels) else self.env._("Copy %(number)s", number=i + 1)
            for i in range(copies)
        ]

    def _form_remedy_boxes(self):
        """The handling form's 处理方法 boxes (□退货 □换货 □打折扣 □免费修复 □其他),
        as (label, ticked), ticked from the remedy lines."""
        self.ensure_one()
        labels = dict(self.env["complaint.remedy"]._fields["type"]._description_selection(self.env))
        types = set(self.remedy_ids.mapped("type"))
        boxes = [(labels[t], t in types) for t in FORM_REMEDY_BOXES]
        boxes.append((labels["other"], bool(types - set(FORM_REMEDY_BOXES))))
        return boxes

    def _form_step(self, action):
        """The last audit entry of a workflow step (who took it, when), or an empty
        record: the form prints an empty box for a step not taken."""
        self.ensure_one()
        entries = self.audit_ids.filtered(lambda a: a.action == action)
        return entries.sorted(lambda a: (a.at, a.id))[-1:] if entries else entries

    def _form_approvals(self):
        """The decisions of the current approval round, with the authority level's
        name for its code (the voided ones are history, not signatures)."""
        self.ensure_one()
        approvals = self.approval_ids.filtered(lambda a: not a.voided)
        levels = (
            self.env["complaint.authority.level"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("code", "in", approvals.mapped("level_code")),
                    ("company_id", "in", (self.company_id.id, False)),
                ]
            )
        )
        names = {}
        for level in levels.sorted(lambda lv: bool(lv.company_id)):
            names[level.code] = level.name  # the company's own level wins
        return [(a, names.get(a.level_code, a.level_code or "")) for a in approvals]


class ComplaintPolicy(models.Model):
    _inherit = "complaint.policy"

    form_copies = fields.Integer(
        string="Printed Copies",
        default=DEFAULT_COPIES,
        help="How many copies of the registration and handling forms are printed "
        "(一式四联: four), one page each, each with its label.",
    )
    form_copy_labels = fields.Text(
        string="Copy Labels",
        translate=True,
        help="One label per line, in the order of the copies (e.g. 'Copy 1: File'). "
        "Empty: File, Customer, Quality Department, Finance.",
    )

    @api.constrains("form_copies")
    def _check_form_copies(self):
        for policy in self:
            if not 1 <= policy.form_copies <= MAX_COPIES:
                raise ValidationError(
                    self.env._(
                        "The forms are printed in 1 to %(most)s copies, not %(copies)s.",
                        most=MAX_COPIES,
                        copies=policy.form_copies,
                    )
                )
