"""Recusal is live (SPEC §4 回避, §6 confidentiality).

The person complained about never sees the case (the global record rule), and
from the moment they are named they are no longer its handler, quality signer,
approver, follower, activity owner or notification recipient; while named, the
server refuses to give them any of those roles, whoever asks.
"""

from odoo import Command, api, models
from odoo.exceptions import AccessError, ValidationError


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    def _complained_partners(self):
        return self.sudo().complained_user_ids.partner_id

    def _check_recusal_roles(self, written=()):
        """After a create or a write of the fields ``written``: refuse a role given
        to a person complained about; take away the roles of a person just named."""
        for rec in self.sudo():
            named = rec.complained_user_ids
            if not named:
                continue
            for fname in ("user_id", "quality_signoff_by_id"):
                if rec[fname] and rec[fname] in named and fname in written:
                    raise ValidationError(
                        self.env._(
                            "%(user)s is complained about in complaint %(number)s and cannot be "
                            "its %(role)s.",
                            user=rec[fname].name,
                            number=rec.name,
                            role=rec._fields[fname]._description_string(self.env),
                        )
                    )
            removed = {
                fname: False
                for fname in ("user_id", "quality_signoff_by_id")
                if rec[fname] and rec[fname] in named
            }
            if rec.approver_ids & named:
                removed["approver_ids"] = [Command.unlink(u.id) for u in rec.approver_ids & named]
            if removed:
                rec._write_rule(removed)
            partners = named.partner_id & rec.message_partner_ids
            if partners:
                rec.message_unsubscribe(partners.ids)
            activities = (
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "=", rec.id),
                        ("user_id", "in", named.ids),
                    ]
                )
            )
            if activities:
                activities.unlink()

    # -- followers and notifications --------------------------------------------------

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Nobody subscribes a person complained about to the case."""
        refused = self._complained_partners() & self.env["res.partner"].browse(partner_ids or [])
        if refused:
            raise AccessError(
                self.env._(
                    "%(names)s is complained about in this complaint and cannot follow it.",
                    names=", ".join(refused.mapped("name")),
                )
            )
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def _message_subscribe(self, partner_ids=None, subtype_ids=None, customer_ids=None):
        """Internal subscriptions (auto-subscribe of a responsible, mentions) skip
        the persons complained about."""
        if partner_ids:
            excluded = set(self._complained_partners().ids)
            partner_ids = [pid for pid in partner_ids if pid not in excluded]
        return super()._message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids, customer_ids=customer_ids
        )

    def _check_can_update_message_content(self, messages):
        """The chatter is part of the audit trail (see mail_message.py)."""
        messages.with_env(self.env)._check_complaint_trail()
        return super()._check_can_update_message_content(messages)

    def _notify_get_recipients(self, message, msg_vals, **kwargs):
        """No message about the case reaches a person complained about."""
        recipients = super()._notify_get_recipients(message, msg_vals, **kwargs)
        excluded = set(self._complained_partners().ids) if self else set()
        return [r for r in recipients if r.get("id") not in excluded]


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _check_complaint_recusal(self):
        """No activity about a complaint is given to a person complained about."""
        for activity in self.sudo():
            if activity.res_model != "customer.complaint" or not activity.user_id:
                continue
            complaint = self.env["customer.complaint"].sudo().browse(activity.res_id)
            if activity.user_id in complaint.complained_user_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is complained about in complaint %(number)s: no activity "
                        "about it can be given to them.",
                        user=activity.user_id.name,
                        number=complaint.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        activities = super().create(vals_list)
        activities._check_complaint_recusal()
        return activities

    def write(self, vals):
        res = super().write(vals)
        if "user_id" in vals or "res_id" in vals:
            self._check_complaint_recusal()
        return res
