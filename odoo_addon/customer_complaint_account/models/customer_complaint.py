"""customer.complaint: the credit notes of its approved remedies (SPEC §4:
approval precedes execution) and the remedy-done rule."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from complaint_core.model import State
from complaint_core.workflow import may_execute_remedies

from .complaint_remedy import ACCOUNT_TYPES


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    move_ids = fields.One2many(
        "account.move",
        "complaint_id",
        string="Credit Notes",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    # computed as superuser: every complaint user sees these, not only accountants
    credit_note_count = fields.Integer(compute="_compute_credit_note_count", compute_sudo=True)
    can_create_credit_notes = fields.Boolean(
        compute="_compute_can_create_credit_notes", compute_sudo=True
    )

    @api.depends("move_ids")
    def _compute_credit_note_count(self):
        for rec in self:
            rec.credit_note_count = len(rec.move_ids)

    @api.depends("state", "remedy_ids.type", "remedy_ids.move_id.state")
    def _compute_can_create_credit_notes(self):
        for rec in self:
            rec.can_create_credit_notes = may_execute_remedies(rec.state) and bool(
                rec._remedies_needing_credit_notes(drafts=False)
            )

    def _remedies_needing_credit_notes(self, drafts=True):
        """Remedies without a live credit note (and, with ``drafts``, those whose
        note is still a draft that may be out of date)."""
        states = ("cancel", "draft") if drafts else ("cancel",)
        return self.remedy_ids.filtered(
            lambda r: r.type in ACCOUNT_TYPES and (not r.move_id or r.move_id.state in states)
        )

    def _apply_core(self, result, now, **kw):
        """When the last approval makes the complaint approved, draft the credit
        notes of its discount and compensation remedies."""
        before = {rec.id: rec.state for rec in self}
        res = super()._apply_core(result, now, **kw)
        approved = self.filtered(
            lambda r: r.state == State.APPROVED.value and before.get(r.id) != State.APPROVED.value
        )
        for rec in approved:
            try:
                with self.env.cr.savepoint():
                    rec._create_credit_notes()
            except UserError as error:
                # the approval stands; the credit notes can be created by hand
                rec.message_post(
                    body=self.env._(
                        "The credit notes could not be drafted: %(error)s", error=error.args[0]
                    )
                )
        return res

    def _create_credit_notes(self):
        """One draft customer credit note (out_refund) per discount, credit or
        cash remedy; a draft made before the remedies changed is made again.
        Drafted as superuser: the approver need not be an accountant, and a
        draft commits nothing until accounting posts it."""
        Move = self.env["account.move"].sudo()
        created = Move
        for rec in self:
            for remedy in rec.sudo()._remedies_needing_credit_notes():
                amount = remedy._credit_amount()
                old = remedy.move_id
                if old.state == "draft":
                    if (
                        old.amount_total == amount
                        and old.partner_id == rec.partner_id
                        and old.currency_id == remedy.currency_id
                    ):
                        continue
                    old.unlink()
                if amount <= 0:
                    rec.message_post(
                        body=self.env._(
                            "%(remedy)s has no amount to credit: no credit note drafted.",
                            remedy=remedy.display_name,
                        )
                    )
                    continue
                move = Move.with_company(rec.company_id).create(remedy._credit_note_vals(amount))
                remedy.move_id = move
                created |= move
            if created:
                rec.message_post(
                    body=self.env._(
                        "Draft credit notes created for the approved remedies: %(amounts)s",
                        amounts=", ".join(
                            f"{m.amount_total:.2f} {m.currency_id.name}"
                            for m in created.filtered(lambda m, r=rec: m.complaint_id == r)
                        ),
                    )
                )
        return created

    def action_create_credit_notes(self):
        for rec in self:
            if not may_execute_remedies(rec.state):
                raise UserError(
                    self.env._(
                        "Complaint %(number)s: credit notes are created once the remedy is "
                        "approved.",
                        number=rec.name,
                    )
                )
        created = self._create_credit_notes()
        if not created:
            raise UserError(self.env._("No discount or compensation remedy needs a credit note."))
        return self._action_credit_notes(created)

    def action_view_credit_notes(self):
        self.ensure_one()
        return self._action_credit_notes(self.move_ids)

    def _action_credit_notes(self, moves):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        action.update(domain=[("id", "in", moves.ids)], context={"create": False})
        if len(moves) == 1:
            action.update(
                view_mode="form",
                res_id=moves.id,
                views=[(self.env.ref("account.view_move_form").id, "form")],
            )
        return action
