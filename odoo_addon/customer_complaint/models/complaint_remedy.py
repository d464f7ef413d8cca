from odoo import api, fields, models

from complaint_core.model import RemedyType

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


class ComplaintRemedy(models.Model):
    """SPEC §4 处理方式: one remedy line, with its cost to the company. Once
    approved, remedies are frozen: a change voids the approvals."""

    _name = "complaint.remedy"
    _description = "Complaint Remedy"
    _order = "complaint_id, id"

    complaint_id = fields.Many2one("customer.complaint", required=True, ondelete="cascade",
                                   index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    type = fields.Selection(REMEDY_TYPES, required=True, default=RemedyType.APOLOGY.value)
    currency_id = fields.Many2one(
        "res.currency", required=True,
        default=lambda self: self.env.company.currency_id,
    )
    amount = fields.Monetary(string="Cost", currency_field="currency_id",
                             help="Cost to the company.")
    discount_percent = fields.Float(string="Discount (%)")
    quantity = fields.Float()
    reason = fields.Text(help="Required for cash compensation (SPEC §4).")
    description = fields.Text()

    def _to_core(self):
        from complaint_core.model import Remedy, to_decimal

        return tuple(
            Remedy(
                type=RemedyType(r.type),
                amount=to_decimal(r.amount),
                currency=r.currency_id.name or "CNY",
                discount_percent=to_decimal(r.discount_percent) if r.discount_percent else None,
                quantity=to_decimal(r.quantity) if r.quantity else None,
                reason=r.reason or "",
                description=r.description or "",
            )
            for r in self
        )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.complaint_id._remedies_changed()
        return records

    def write(self, vals):
        res = super().write(vals)
        self.complaint_id._remedies_changed()
        return res

    def unlink(self):
        complaints = self.complaint_id
        res = super().unlink()
        complaints._remedies_changed()
        return res
