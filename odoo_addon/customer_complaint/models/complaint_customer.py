"""The customer's side of a complaint (SPEC §1 受理回执, §4 written reply, §5 回访).

The core decides (`complaint_core.customer`): which channels are acknowledged,
which milestone's due time is the promised date, which states the customer is
told of, the state in customer words, and what follows a dissatisfied answer.
This file maps those answers onto Odoo's mechanisms: ``portal.mixin`` for the
customer's link (with its access token, so a link in an e-mail works without a
login), ``mail.template`` messages posted in the chatter (the customer's
language, editable by the company), the mail composer for the written reply with
the reply letter (a QWeb PDF) attached, and activities for the manager.
"""

import logging
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_amount

from complaint_core import customer as core_customer
from complaint_core.model import Role, State
from complaint_core.workflow import Actor, allowed_actions

from .core_errors import core_errors

_logger = logging.getLogger(__name__)

ACK_TEMPLATE = "customer_complaint.mail_template_complaint_acknowledgement"
PROGRESS_TEMPLATE = "customer_complaint.mail_template_complaint_progress"
REPLY_TEMPLATE = "customer_complaint.mail_template_complaint_reply"
ACK_CRON = "customer_complaint.ir_cron_complaint_acknowledge"

CUSTOMER_STAGES = [
    (core_customer.CustomerStage.RECEIVED.value, "Received"),
    (core_customer.CustomerStage.IN_PROGRESS.value, "In progress"),
    (core_customer.CustomerStage.ANSWERED.value, "Answered, awaiting your decision"),
    (core_customer.CustomerStage.RESOLVED.value, "Resolved"),
    (core_customer.CustomerStage.CLOSED.value, "Closed"),
]


class CustomerComplaint(models.Model):
    _name = "customer.complaint"
    _inherit = ["customer.complaint", "portal.mixin"]

    customer_stage = fields.Selection(
        CUSTOMER_STAGES,
        string="Stage for the Customer",
        compute="_compute_customer_stage",
        store=True,
        help="The state as the customer reads it on the portal and in the notices.",
    )
    promised_at = fields.Datetime(
        string="Promised Answer",
        compute="_compute_promised_at",
        store=True,
        help="The date the customer was promised an answer: the due time of the milestone "
        "the policy names (Configuration > Policies, Customers).",
    )
    acknowledgement_due = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="The acknowledgement is queued: the scheduled action sends it within moments.",
    )
    acknowledged_at = fields.Datetime(
        string="Acknowledged",
        readonly=True,
        copy=False,
        help="When the acknowledgement (number and promised date) was sent to the customer.",
    )

    @api.depends("state")
    def _compute_customer_stage(self):
        for rec in self:
            rec.customer_stage = (
                core_customer.customer_stage(rec.state).value if rec.state else False
            )

    @api.depends("milestone_ids.due_at", "milestone_ids.code", "company_id")
    def _compute_promised_at(self):
        for rec in self:
            due = {m.code: m.due_at for m in rec.milestone_ids if m.due_at}
            rec.promised_at = core_customer.promised_at(due, rec._policy()) if due else False

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for rec in self:
            rec.access_url = f"/my/complaints/{rec.id}"
        return res

    # -- what the customer is told -----------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # every case has its portal token from registration, chosen here whatever the
        # values say: Odoo's portal routes fail on a thread without one
        for vals in vals_list:
            vals["access_token"] = str(uuid.uuid4())
        records = super().create(vals_list)
        records._queue_acknowledgement()
        return records

    def _customer_mailable(self):
        """The customer has an address to write to (internal test partners have none)."""
        self.ensure_one()
        return bool(self.partner_id.email)

    def _acknowledges(self):
        self.ensure_one()
        if self.acknowledged_at or not self._customer_mailable():
            return False
        with core_errors(self.env):
            return core_customer.acknowledges(self.channel, self._policy())

    def _queue_acknowledgement(self):
        """SPEC §1 受理回执, from every channel: queued at registration and sent by the
        scheduled action, triggered at once. Registering stays cheap, and the
        registration's transaction never waits on the customer's record (the
        portal link of a notice writes the partner's signup data)."""
        todo = self.filtered(lambda r: r._acknowledges())
        if todo:
            todo._write_rule({"acknowledgement_due": True})
            cron = self.env.ref(ACK_CRON, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()

    @api.model
    def _cron_send_acknowledgements(self, batch_size=100):
        """Send one batch of queued acknowledgements; when more are waiting, Odoo's
        cron runner commits and runs again at once (18.0 ir.cron progress), so a
        crash loses nothing and each is sent at most once."""
        queued = self.sudo().search(
            [("acknowledgement_due", "=", True)], order="id", limit=batch_size + 1
        )
        batch = queued[:batch_size]
        batch._send_acknowledgement()
        self.env["ir.cron"]._notify_progress(done=len(batch), remaining=len(queued) - len(batch))
        return len(batch)

    def _send_acknowledgement(self):
        """The number, what happens next and the promised date, once, in the
        customer's language, from the company."""
        template = self.env.ref(ACK_TEMPLATE, raise_if_not_found=False)
        now = fields.Datetime.now()
        for rec in self:
            send = template and rec._acknowledges()
            rec._write_rule(
                {"acknowledgement_due": False, **({"acknowledged_at": now} if send else {})}
            )
            if send:
                rec._post_to_customer(template)

    def _post_to_customer(self, template):
        """Post ``template`` in the chatter as a message to the customer (an e-mail
        in their language) from the company."""
        self.ensure_one()
        author = next(
            (p for p in (self.company_id.partner_id, self.env.user.partner_id) if p.email), None
        )
        if author is None:
            # nobody to send it from: the step stands, the notice is not sent
            _logger.info("complaint %s: no sender address, %s not sent", self.name, template.name)
            return self.env["mail.message"]
        # rendered here in the customer's language, then posted: the sender is ours
        # to choose (the composer would take the current user's address)
        subject = template._render_field("subject", self.ids, compute_lang=True)[self.id]
        body = template._render_field("body_html", self.ids, compute_lang=True)[self.id]
        lang = template._render_lang(self.ids)[self.id]
        return self.with_context(lang=lang).message_post(
            body=body,
            subject=subject,
            partner_ids=self.partner_id.ids,
            author_id=author.id,
            email_from=author.email_formatted,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )

    def _apply_core(self, result, now, partner=None):
        res = super()._apply_core(result, now, partner=partner)
        with core_errors(self.env):
            told = core_customer.progress_notice(
                result.audit.from_state, result.state, self._policy()
            )
        if told and self._customer_mailable():
            template = self.env.ref(PROGRESS_TEMPLATE, raise_if_not_found=False)
            if template:
                self._post_to_customer(template)
        return res

    def _customer_tz(self):
        """The customer's time zone, else the business calendar's (dates in notices)."""
        self.ensure_one()
        return self.partner_id.tz or self._policy().calendar.timezone

    def _customer_remedies(self):
        """The approved remedies as the customer reads them: what is done for them
        (never the cost to the company)."""
        self.ensure_one()
        labels = dict(self.env["complaint.remedy"]._fields["type"]._description_selection(self.env))
        out = []
        for remedy in self.remedy_ids:
            line = labels.get(remedy.type, remedy.type)
            if remedy.type == "discount" and remedy.discount_percent:
                line = _(
                    "%(remedy)s of %(percent)s %%", remedy=line, percent=remedy.discount_percent
                )
            elif remedy.type in ("credit", "cash", "gift") and remedy.amount:
                line = _(
                    "%(remedy)s: %(amount)s",
                    remedy=line,
                    amount=format_amount(self.env, remedy.amount, remedy.currency_id),
                )
            if remedy.description:
                line = f"{line} — {remedy.description}"
            out.append(line)
        return out

    def _customer_stage_text(self):
        """The customer stage's label in the current language (for the templates)."""
        self.ensure_one()
        labels = dict(self._fields["customer_stage"]._description_selection(self.env))
        return labels.get(self.customer_stage, "")

    # -- the written reply (书面答复) ---------------------------------------------------

    def action_reply_send(self):
        """The Reply step: the mail composer with the reply template and the reply
        letter attached; sending it takes the step (the core decides whether this
        user may)."""
        self.ensure_one()
        if not self.can_reply:
            raise UserError(_("This complaint cannot be replied to now, or not by you."))
        template = self.env.ref(REPLY_TEMPLATE)
        self._portal_ensure_token()
        ctx = {
            "default_model": self._name,
            "default_res_ids": self.ids,
            "default_template_id": template.id,
            "default_composition_mode": "comment",
            "default_email_layout_xmlid": "mail.mail_notification_layout",
            "force_email": True,
            "complaint_reply_send": True,
        }
        return {
            "type": "ir.actions.act_window",
            "name": _("Written Reply to the Customer"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": ctx,
        }

    def message_post(self, **kwargs):
        if self.env.context.get("complaint_reply_send"):
            # the composer of action_reply_send: the reply goes out with the step, or
            # not at all (the core refuses it for a user without the role)
            todo = self.filtered(lambda c: c.state == State.APPROVED.value)
            todo.with_context(complaint_reply_send=False)._run_action("reply")
        return super(CustomerComplaint, self.with_context(complaint_reply_send=False)).message_post(
            **kwargs
        )

    def _finding_text(self):
        """The responsibility finding in customer words (the reply's templates)."""
        self.ensure_one()
        labels = dict(self._fields["finding"]._description_selection(self.env))
        return labels.get(self.finding, "")

    # -- what the customer answers ----------------------------------------------------

    def _customer_actor(self, partner):
        return Actor(id=f"partner:{partner.id}", roles=frozenset({Role.CUSTOMER}))

    def _check_customer(self, partner):
        self.ensure_one()
        if partner.commercial_partner_id != self.partner_id.commercial_partner_id:
            raise AccessError(_("Only the customer of this complaint can answer it."))

    def _customer_answer(self, accepted, reason="", partner=None):
        """The customer accepts the remedy (处理协议) or rejects it with a reason, on
        the portal or through the signed link of the reply: the core's step with
        the customer as actor, audited with the partner. The caller has checked the
        customer's access to the case (portal.mixin's access token or record rule)."""
        self.ensure_one()
        partner = partner or self.partner_id
        self._check_customer(partner)
        action = "customer_accepts" if accepted else "customer_rejects"
        self._run_action(
            action, reason=reason or "", actor=self._customer_actor(partner), partner=partner
        )
        body = (
            _("The customer accepted the remedy.")
            if accepted
            else _("The customer rejected the remedy: %(reason)s", reason=reason)
        )
        self.message_post(
            body=body, author_id=partner.id, message_type="comment", subtype_xmlid="mail.mt_note"
        )
        return True

    def _after_satisfaction(self, partner=None):
        """SPEC §5: after a satisfaction answer, a dissatisfied one reopens the case
        (as the customer, when they answered themselves) or asks the manager to
        decide between reopening and an explained closing, as the policy says."""
        for rec in self:
            policy = rec._policy()
            value = int(rec.satisfaction) if rec.satisfaction else None
            with core_errors(self.env):
                response = core_customer.dissatisfied_response(value, policy)
            if response == "reopen":
                actor = rec._customer_actor(partner) if partner else None
                who = actor or self.env.user._complaint_actor()
                with core_errors(self.env):
                    may = "reopen" in allowed_actions(rec._case_facts(policy), who, policy)
                if may:
                    rec._run_action(
                        "reopen",
                        reason=_("The customer is dissatisfied with the outcome."),
                        actor=actor,
                        partner=partner,
                    )
                    continue
            if response in ("reopen", "manager_decides"):
                rec._schedule_dissatisfied_decision()
        return True

    def _schedule_dissatisfied_decision(self):
        """A manager's to-do: reopen the case, or close it with an explanation."""
        self.ensure_one()
        audiences, _codes = self._notify_recipients(self.company_id)
        manager = self.department_id.manager_id or self.env["res.users"].browse(
            audiences["general_manager"][:1]
        )
        if not manager:
            _logger.info("complaint %s: dissatisfied answer, no manager to ask", self.name)
            return
        self.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=manager.id,
            summary=_("Dissatisfied customer: reopen, or close with an explanation"),
            note=_(
                "The customer answered the follow-up as dissatisfied. Reopen the complaint, "
                "or close it with the explanation given to the customer."
            ),
        )
