from odoo import api, fields, models
from odoo.exceptions import UserError

from complaint_core.model import FINAL_STATES, Remedy, RemedyType, to_decimal

REMEDY_TYPES = [
    (RemedyType.RETURN.value, "Return"),
    (RemedyType.EXCHANGE.value, "Exchange"),
    (RemedyType.DISCOUNT.value, "Discount"),
    (RemedyType.FREE_REPAIR.value, "Free repair"),
    (RemedyType.CREDIT.value, "Credit"),
    (RemedyType.CASH.value, "Cash compensation"),
    (RemedyType.GIFT.value, "Gift/voucher"),
    (RemedyType.APOLOGY.value, "Apology"),
    (RemedyType.OTHER.value, "Other"),
]

# What an approval approves (complaint_core.approval.remedy_fingerprint): changing
# one of these is a change of the remedy, which the core allows or refuses.
APPROVED_FIELDS = frozenset(
    {"type", "amount", "currency_id", "discount_percent", "quantity", "reason", "complaint_id"}
)
FINAL = {s.value for s in FINAL_STATES}

# Whether a remedy has been carried out (SPEC §4 实施). The main module tracks none;
# bridge modules (stock, account) answer for the remedy types they carry out.
EXECUTION_STATES = [
    ("none", "Not tracked"),
    ("todo", "To do"),
    ("in_progress", "In progress"),
    ("done", "Done"),
]


class ComplaintRemedy(models.Model):
    """SPEC §4 处理方式: one remedy line, with its cost to the company. Once
    approved, remedies are frozen: a change voids the approvals."""

    _name = "complaint.remedy"
    _description = "Complaint Remedy"
    _order = "complaint_id, id"

    complaint_id = fields.Many2one(
        "customer.complaint", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    type = fields.Selection(REMEDY_TYPES, required=True, default=RemedyType.APOLOGY.value)
    execution_state = fields.Selection(
        EXECUTION_STATES,
        string="Execution",
        compute="_compute_execution_state",
        compute_sudo=True,
        help="Whether the remedy has been carried out: its pickings, credit note or payment "
        "are done. 'Not tracked' remedies are carried out outside Odoo.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    amount = fields.Monetary(
        string="Cost", currency_field="currency_id", help="Cost to the company."
    )
    company_currency_id = fields.Many2one(
        related="complaint_id.currency_id", string="Company Currency"
    )
    amount_company = fields.Monetary(
        string="Cost (Company Currency)",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
        help="The cost converted to the company currency at the proposal date: the "
        "approval route is chosen on it (SPEC §4).",
    )
    discount_percent = fields.Float(string="Discount (%)")
    quantity = fields.Float()
    reason = fields.Text(help="Required for cash compensation (SPEC §4).")
    description = fields.Text()

    @api.depends("amount", "currency_id", "complaint_id.proposed_at", "complaint_id.company_id")
    def _compute_amount_company(self):
        """res.currency._convert at the proposal date (today until proposed)."""
        for r in self:
            company = r.complaint_id.company_id or self.env.company
            on = fields.Date.to_date(r.complaint_id.proposed_at) or fields.Date.context_today(r)
            if r.currency_id and r.currency_id != company.currency_id:
                r.amount_company = r.currency_id._convert(
                    r.amount, company.currency_id, company, on
                )
            else:
                r.amount_company = r.amount

    def _to_core(self, company_currency=False):
        """The lines as the core's Remedy values; ``company_currency``: amounts
        in the company currency (for the route's cost), else as entered (for the
        fingerprint of what was approved)."""
        return tuple(
            Remedy(
                type=RemedyType(r.type),
                amount=to_decimal(r.amount_company if company_currency else r.amount),
                currency=(
                    (r.company_currency_id if company_currency else r.currency_id).name or "CNY"
                ),
                discount_percent=to_decimal(r.discount_percent) if r.discount_percent else None,
                quantity=to_decimal(r.quantity) if r.quantity else None,
                reason=r.reason or "",
                description=r.description or "",
            )
            for r in self
        )

    def _check_change(self, vals=None):
        """SPEC §4: the core says whether the remedies may change in the
        complaint's state (frozen once approved, nothing after closing); a change
        of what was not approved (a description, a bridge's link) is free until
        the case is closed."""
        complaints = self.complaint_id
        if vals is None or APPROVED_FIELDS & set(vals):
            complaints._check_remedy_change()
        elif not self.env.su and any(c.state in FINAL for c in complaints):
            raise UserError(
                self.env._(
                    "The complaint is closed: its remedies change only after it is reopened."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        complaints = self.env["customer.complaint"].browse(
            {vals.get("complaint_id") for vals in vals_list if vals.get("complaint_id")}
        )
        complaints._check_remedy_change()
        records = super().create(vals_list)
        records.complaint_id._remedies_changed()
        return records

    def write(self, vals):
        self._check_change(vals)
        res = super().write(vals)
        if "complaint_id" in vals:
            self.complaint_id._check_remedy_change()
        if APPROVED_FIELDS & set(vals):
            self.complaint_id._remedies_changed()
        return res

    def unlink(self):
        self._check_change()
        complaints = self.complaint_id
        res = super().unlink()
        complaints._remedies_changed()
        return res

    # -- carrying out (bridges extend the two hooks) --------------------------------

    @api.depends(lambda self: self._execution_depends())
    def _compute_execution_state(self):
        for remedy in self:
            remedy.execution_state = remedy._execution_state()

    def _pending_names(self):
        """The remedies tracked but not carried out yet, named for the reader:
        "Return (In progress)"."""
        pending = self.filtered(lambda r: r.execution_state not in ("none", "done"))
        if not pending:
            return ()
        types = dict(self._fields["type"]._description_selection(self.env))
        states = dict(self._fields["execution_state"]._description_selection(self.env))
        return tuple(f"{types[r.type]} ({states[r.execution_state]})" for r in pending)

    def _execution_depends(self):
        """The fields the execution state depends on; a bridge adds its own."""
        return ["type"]

    def _execution_state(self):
        """This remedy's execution state; a bridge answers for its remedy types
        and asks ``super()`` for the others."""
        self.ensure_one()
        return "none"
