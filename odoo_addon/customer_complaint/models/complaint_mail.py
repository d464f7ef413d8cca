"""E-mail intake (issue 9): a mail to a department's address (its mail.alias,
see `complaint_department.py`) registers a complaint; replies thread into the
case's chatter; auto-replies and bounces register nothing.

Decision: what arrives at the alias is registered as a *complaint* (kind
"complaint", channel "email"), not as a request until triaged. The alias is
published as the complaints address, so what a customer sends there is a
complaint from the moment it is received and its clocks (SPEC §3) start at
once; when it is only an enquiry the handler converts it to a request at
triage (the core allows converting back before the investigation starts).

Registration goes through the module's own ``create()``: numbering, severity,
milestones and the audit entry are those of any other complaint. The gateway
runs as the user Odoo finds for the sender (an employee writing from their own
address) or else as the user running it (OdooBot for the mail fetcher): that
user is the registrant.
"""

import logging

from odoo import Command, api, fields, models
from odoo.tools import email_normalize, html2plaintext

from complaint_core.facts import FIRST_YEAR
from complaint_core.model import Channel, Kind

from .complaint import FINAL

_logger = logging.getLogger(__name__)

# RFC 3834 Auto-Submitted, and the older headers auto-responders still send
AUTOMATIC_FLAG_HEADERS = ("X-Autoreply", "X-Autorespond")
AUTOMATIC_PRECEDENCE = frozenset({"auto_reply", "bulk", "junk", "list"})


def is_automatic(message):
    """Whether an incoming ``email.message`` was sent by a machine, not by a
    person: an auto-reply ("out of office"), a notification, list or bulk mail.
    Only headers decide; a subject such as "Out of office" alone does not, as a
    customer may write one. Odoo 18 checks none of these headers on incoming mail
    (it detects bounces and mail loops only)."""
    auto_submitted = (message.get("Auto-Submitted") or "").split(";")[0].strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    for header in AUTOMATIC_FLAG_HEADERS:
        value = (message.get(header) or "").strip().lower()
        if value and value != "no":
            return True
    return (message.get("Precedence") or "").strip().lower() in AUTOMATIC_PRECEDENCE


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        """An automatic mail registers no complaint: its routes that would create
        one are dropped here, where the mail is routed, so the gateway ends with
        nothing created and no error. A reply to an existing case keeps Odoo's
        routing (an out-of-office answer to our message lands in its chatter)."""
        routes = super().message_route(
            message, message_dict, model=model, thread_id=thread_id, custom_values=custom_values
        )
        if not routes or not is_automatic(message):
            return routes
        kept = [route for route in routes if route[0] != "customer.complaint" or route[1]]
        if len(kept) < len(routes):
            _logger.info(
                "Ignored automatic mail from %s to %s with Message-Id %s: "
                "an auto-reply or bulk mail registers no complaint",
                message_dict.get("email_from"),
                message_dict.get("to"),
                message_dict.get("message_id"),
            )
        return kept


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    # -- a new mail: a new complaint ------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Register the complaint a mail to the alias brings (see the module
        docstring). The alias' defaults (department, company) come as
        ``custom_values`` and win over what is read from the mail. Odoo's own
        ``message_new`` is not called: it would write the subject into the
        number, a field the numbering rule owns."""
        custom_values = dict(custom_values or {})
        company = (
            self.env["res.company"].browse(custom_values.get("company_id")) or self.env.company
        )
        partner = self._mail_intake_partner(msg_dict.get("email_from") or "", company)
        vals = {
            "kind": Kind.COMPLAINT.value,
            "channel": Channel.EMAIL.value,
            "company_id": company.id,
            "partner_id": partner.id,
            "received_at": self._mail_received_at(msg_dict.get("date")),
            "description": self._mail_description(msg_dict),
        }
        for key, value in partner._complaint_defaults().items():
            name = key.removeprefix("default_")
            if name not in vals and value:
                vals[name] = value
        vals["email"] = email_normalize(msg_dict.get("email_from") or "") or vals.get("email")
        vals.update(custom_values)
        complaint = self.create(vals)
        # the message is posted in the sender's name, who then follows the case
        if not msg_dict.get("author_id"):
            msg_dict["author_id"] = partner.id
        return complaint

    @api.model
    def _mail_intake_partner(self, email_from, company):
        """The sender's partner found by Odoo's lookup (users first, then
        contacts): one of the complaint's company first, else one shared by all
        companies (another company's contact is not this company's customer); a
        new contact named after the From display name when none is known."""
        find = self._mail_find_partner_from_emails
        partner = (
            find([email_from], extra_domain=[("company_id", "=", company.id)])[0]
            or find([email_from], force_create=True, extra_domain=[("company_id", "=", False)])[0]
        )
        if not partner:
            # no usable address (or one of our own aliases): a contact to identify
            name = email_from.strip() or self.env._("Unknown e-mail sender")
            partner = self.env["res.partner"].create({"name": name})
        return partner

    @api.model
    def _mail_received_at(self, date):
        """When the mail was sent (its Date header, in UTC), never later than
        now: a sender's clock ahead of ours does not register a complaint received
        in the future (the intake check would refuse it); an unreadable date is
        now."""
        now = fields.Datetime.now()
        try:
            received = fields.Datetime.to_datetime(date) if date else None
        except (TypeError, ValueError):
            received = None
        if not received or received > now or received.year < FIRST_YEAR:
            return now
        return received

    @api.model
    def _mail_description(self, msg_dict):
        """The description: the subject on the first line (a complaint has no
        subject field), then the body as plain text."""
        subject = (msg_dict.get("subject") or "").strip()
        body = html2plaintext(msg_dict.get("body") or "").strip()
        text = "\n\n".join(part for part in (subject, body) if part)
        return text.replace("\x00", "")

    # -- every mail on the case: evidence, and a closed case is not reopened ---------

    def _message_post_after_hook(self, message, msg_values):
        """A mail received through the gateway (the first one and the customer's
        replies): its attachments become evidence of an open case. A reply on a
        closed, not-valid or withdrawn case changes nothing of it (nothing of it
        may change until reopened, and nothing reopens it silently): its owner
        gets an activity to read it and decide."""
        res = super()._message_post_after_hook(message, msg_values)
        if self.env.context.get("from_alias") and message.message_type == "email":
            for complaint in self:
                if complaint.state in FINAL:
                    complaint._mail_reply_on_final(message)
                elif message.attachment_ids:
                    complaint.write(
                        {"evidence_ids": [Command.link(a.id) for a in message.attachment_ids]}
                    )
        return res

    def _mail_reply_on_final(self, message):
        self.ensure_one()
        users = self._notify_users()
        if not users:
            _logger.info(
                "Mail %s on finished complaint %s: nobody to tell", message.message_id, self.name
            )
            return
        state = dict(self._fields["state"]._description_selection(self.env))[self.state]
        summary = self.env._("The customer wrote on a finished complaint")
        note = self.env._(
            "%(author)s wrote on complaint %(number)s, which is %(state)s. Read the message; "
            "reopen the case if it needs more work.",
            author=message.author_id.display_name or message.email_from or "",
            number=self.name,
            state=state,
        )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            self._activity_vals(users, summary, note, fields.Datetime.now())
        )
