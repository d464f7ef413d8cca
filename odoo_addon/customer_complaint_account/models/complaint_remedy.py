"""complaint.remedy: discount, credit and cash compensation remedies carried
out by a customer credit note.

``execution_state`` (the main module's) is answered here for these remedy
types; other types go to ``super()`` (another bridge, or "not tracked").
"""

from odoo import Command, api, fields, models

from odoo.addons.customer_complaint.models.complaint_remedy import EXECUTION_STATES

from complaint_core.model import RemedyType

ACCOUNT_TYPES = (RemedyType.DISCOUNT.value, RemedyType.CREDIT.value, RemedyType.CASH.value)
PAID_STATES = ("paid", "in_payment")


class ComplaintRemedy(models.Model):
    _inherit = "complaint.remedy"

    move_id = fields.Many2one(
        "account.move", string="Credit Note", readonly=True, copy=False, index="btree_not_null"
    )
    credit_note_state = fields.Selection(
        EXECUTION_STATES[1:],
        string="Credit Note Status",
        compute="_compute_credit_note_state",
        compute_sudo=True,
        help="Discount and compensation remedies: done when the credit note is posted and paid.",
    )

    def _execution_depends(self):
        return [*super()._execution_depends(), "credit_note_state"]

    def _execution_state(self):
        self.ensure_one()
        if self.type in ACCOUNT_TYPES:
            return self.credit_note_state
        return super()._execution_state()

    @api.depends("type", "move_id.state", "move_id.payment_state")
    def _compute_credit_note_state(self):
        """A credit note remedy is done when its credit note is posted and paid
        (payment_state paid or in payment); a cancelled note counts as none."""
        for remedy in self:
            move = remedy.move_id
            if remedy.type not in ACCOUNT_TYPES:
                remedy.credit_note_state = False
            elif not move or move.state == "cancel":
                remedy.credit_note_state = "todo"
            elif move.state == "posted" and move.payment_state in PAID_STATES:
                remedy.credit_note_state = "done"
            else:
                remedy.credit_note_state = "in_progress"

    @api.depends("complaint_id.name", "type")
    def _compute_display_name(self):
        types = dict(self._fields["type"]._description_selection(self.env))
        for remedy in self:
            remedy.display_name = f"{remedy.complaint_id.name or ''}: {types.get(remedy.type, '')}"

    def _credit_amount(self):
        """What the credit note gives back: the remedy's cost; a discount given
        only as a percentage is that share of the complaint's amount."""
        self.ensure_one()
        amount = self.amount
        if not amount and self.type == RemedyType.DISCOUNT.value and self.discount_percent:
            amount = self.complaint_id.amount * self.discount_percent / 100.0
        return self.currency_id.round(amount)

    def _credit_note_vals(self, amount):
        self.ensure_one()
        complaint = self.complaint_id
        types = dict(self._fields["type"]._description_selection(self.env))
        label = f"{complaint.name}: {types[self.type]}"
        if self.description:
            label = f"{label} - {self.description}"
        return {
            "move_type": "out_refund",
            "partner_id": complaint.partner_id.id,
            "company_id": complaint.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_origin": complaint.name,
            "ref": label,
            "complaint_id": complaint.id,
            # the approved cost is the amount credited: no tax is added on top
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": label,
                        "quantity": 1.0,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
