"""Retention of closed complaints in Odoo (SPEC §6, issue 10 §4).

The core decides how long a closed complaint is kept (`complaint_core.retention`:
``retention.years``, ``important_years`` for an *important* one, counted from the
closing day in the policy's time zone) and which free-text fields hold personal
data (``retention.personal_fields``). This file stores the end of retention, and:

* the scheduled action archives the closed complaints whose retention is over
  and anonymises their personal data, in batches committed one by one, so a
  crash loses nothing done and the next run resumes; a rerun finds nothing (the
  archived are out of its domain) — the shape of `_check_deadlines`;
* *Anonymise now* (a manager, with the request's reference, on a closed case)
  anonymises at once on a data subject's request (PIPL / GDPR), audited in
  complaint.audit (the reference is kept there only, not in the chatter).

Each complaint is archived and anonymised in its own savepoint: one that fails
is undone, logged as a warning and retried at the next run; the others go on.

Anonymising keeps every statistic (category, severity, dates, amounts,
milestones, answers ... are not touched) and removes what names or reaches the
customer: the contact details, the free-text fields the policy names, the link
to the customer (replaced by one anonymous partner), the portal token, the
customer's messages in the chatter (from them, to them, from their address
without a partner, from a guest; after an anonymisation on request, every
message from outside), the tracking values of every field blanked, every file
attached to the case (evidence, printed forms, the chatter's files) and its mails
not sent yet or kept after sending. The staff's notes are kept.

``active`` is a rule field: only the retention rule writes it (``write``,
``action_archive`` and ``action_unarchive`` refuse it to every caller). Every
search the statistics make passes ``active_test=False``.
"""

import logging
import uuid
from zoneinfo import ZoneInfo

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize_all

from complaint_core.retention import is_due_for_archiving, retention_until

from .complaint import FINAL, aware

_logger = logging.getLogger(__name__)

BATCH_SIZE = 100
ANONYMOUS_PARTNER = "customer_complaint.res_partner_anonymous_customer"
QUALITY_GROUP = "customer_complaint.group_complaint_quality"  # managers imply it
MANAGER_GROUP = "customer_complaint.group_complaint_manager"  # administrators imply it
# the contact details of the registration form (SPEC §1), always anonymised
CONTACT_FIELDS = ("contact_name", "phone", "email", "address")
# the fields the retention rule owns (written through `_write_rule` only)
RETENTION_RULE_FIELDS = frozenset({"active", "anonymised_at"})
# field types a policy may name as free-text personal data
TEXT_TYPES = ("char", "text", "html")
# text fields the statistics read (`_stats_record`: the batch): never blanked
STATISTICS_TEXT_FIELDS = frozenset({"lot_number"})


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    active = fields.Boolean(
        default=True,
        readonly=True,
        copy=False,
        help="Archived by the retention rule at the end of the retention period; "
        "no one archives or restores a complaint by hand.",
    )
    important = fields.Boolean(
        tracking=True,
        help="Kept longer after closing (the policy's retention for important "
        "complaints). Set by quality staff and managers.",
    )
    retention_until = fields.Date(
        string="Kept Until",
        compute="_compute_retention_until",
        store=True,
        index=True,
        copy=False,
        help="The last day the closed complaint is kept with its personal data; "
        "it is archived and anonymised after it (the policy's retention years, "
        "counted from the closing day).",
    )
    anonymised_at = fields.Datetime(
        string="Anonymised",
        readonly=True,
        copy=False,
        help="When the customer's personal data were removed (end of retention or "
        "a data subject's request); the statistics are kept.",
    )

    @api.depends("closed_at", "important", "company_id")
    def _compute_retention_until(self):
        for rec in self:
            rec.retention_until = (
                retention_until(aware(rec.closed_at), rec.important, rec._policy())
                if rec.closed_at
                else False
            )

    # -- the rules the server holds for every caller ----------------------------------

    def _rule_fields(self):
        return super()._rule_fields() | RETENTION_RULE_FIELDS

    def _check_important_write(self, vals):
        """SPEC §6 "important ones longer": only quality staff and managers mark a
        complaint important (or not), and not once it is archived."""
        if "important" not in vals or self.env.su:
            return
        if not self.env.user.has_group(QUALITY_GROUP):
            raise AccessError(
                self.env._("Only quality staff and managers mark a complaint as important.")
            )
        archived = self.filtered(lambda r: not r.active)
        if archived:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is archived: its retention period is over.",
                    number=archived[0].name,
                )
            )

    def _check_final_write(self, vals):
        # the flag is the one fact that matters after closing (it sets the retention)
        return super()._check_final_write({k: v for k, v in vals.items() if k != "important"})

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # a new complaint is active: the value a form sends with its defaults is
            # no instruction (any other value is refused as a rule field)
            if vals.get("active") is True:
                del vals["active"]
            self.browse()._check_important_write(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_important_write(vals)
        return super().write(vals)

    def _refuse_manual_archiving(self):
        raise UserError(
            self.env._(
                "Complaints are archived only by the retention rule, at the end of their "
                "retention period; they are never archived or restored by hand."
            )
        )

    def action_archive(self):
        self._refuse_manual_archiving()

    def action_unarchive(self):
        self._refuse_manual_archiving()

    def toggle_active(self):
        self._refuse_manual_archiving()

    def action_reopen(self):
        anonymised = self.filtered("anonymised_at")
        if anonymised:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is anonymised: it cannot be reopened.",
                    number=anonymised[0].name,
                )
            )
        return super().action_reopen()

    # -- the scheduled action ----------------------------------------------------------

    @api.model
    def _cron_archive_expired(self):
        self._archive_expired()

    @api.model
    def _retention_due_domain(self, company, now):
        """Closed complaints of ``company`` kept past their last day, at ``now``
        (the day in the policy's time zone), not yet archived."""
        policy = self.env["complaint.policy"]._complaint_policy(company)
        today = aware(now).astimezone(ZoneInfo(policy.calendar.timezone)).date()
        return [
            ("company_id", "=", company.id),
            ("active", "=", True),
            ("state", "in", list(FINAL)),
            ("retention_until", "<", today),
        ]

    @api.model
    def _archive_expired(self, now=None, batch_size=BATCH_SIZE):
        """Archive and anonymise the closed complaints whose retention is over at
        ``now``. One batch at a time, committed: a crash loses nothing done and the
        next run resumes with what is left. Each complaint is done in its own
        savepoint: one that fails (logged as a warning with its number and the
        error) is undone and skipped, the run carries on with the others, and the
        next run tries it again (it is still due). Returns the number of complaints
        archived."""
        now = now or fields.Datetime.now()
        Complaint = self.sudo().with_context(active_test=False)
        reason = self.env._("End of the retention period")
        archived, done = 0, 0
        for company in self.env["res.company"].sudo().search([], order="id"):
            domain = self._retention_due_domain(company, now)
            policy = self.env["complaint.policy"]._complaint_policy(company)
            last_id = 0
            while True:
                batch = Complaint.search(
                    [("id", ">", last_id), *domain], order="id", limit=batch_size
                )
                if not batch:
                    break
                last_id = batch[-1].id
                # the core decides; the stored date only finds the candidates
                due = batch.filtered(
                    lambda c, policy=policy: is_due_for_archiving(
                        aware(c.closed_at), c.important, aware(now), policy
                    )
                )
                for rec in due:
                    archived += rec._archive_one(reason, now)
                done += len(batch)
                self._commit_batch()
                # the skipped ones are not "remaining": the next run retries them
                remaining = Complaint.search_count([("id", ">", last_id), *domain])
                self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
                if not remaining:
                    break
        return archived

    def _archive_one(self, reason, now):
        """Archive and anonymise this complaint in a savepoint; 1 if done, 0 if it
        failed (undone, logged, left for the next run)."""
        self.ensure_one()
        number = self.name
        try:
            with self.env.cr.savepoint():
                self._anonymise(reason, now, archive=True)
        except Exception as error:  # whatever failed, the others go on
            self.env.invalidate_all()  # the cache may hold what the savepoint undid
            _logger.warning(
                "Retention: complaint %s was not archived and anonymised, the next run "
                "tries again: %s",
                number,
                error,
            )
            return 0
        return 1

    # -- a data subject's request (PIPL / GDPR) ----------------------------------------

    def _check_can_anonymise(self):
        """Managers and administrators, on closed cases they may see, not twice."""
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(self.env._("Only managers and administrators anonymise a complaint."))
        self.check_access("read")
        for rec in self:
            if rec.state not in FINAL:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is still open: close it (or mark it not valid "
                        "or withdrawn) before anonymising its personal data.",
                        number=rec.name,
                    )
                )
            if rec.anonymised_at:
                raise UserError(
                    self.env._(
                        "Complaint %(number)s is already anonymised (%(when)s).",
                        number=rec.name,
                        when=fields.Datetime.to_string(rec.anonymised_at),
                    )
                )

    def action_anonymise(self):
        """Open the *Anonymise now* wizard (the request's reference is asked there)."""
        self.ensure_one()
        self._check_can_anonymise()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Anonymise Personal Data"),
            "res_model": "complaint.anonymise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id},
        }

    def _anonymise_on_request(self, reference):
        """SPEC §6 "anonymised on request": now. ``reference`` is the request's
        reference (e.g. its ticket number), the reason kept in the audit trail only
        (the chatter does not repeat it: it would name the data subject again)."""
        self._check_can_anonymise()
        if not (reference or "").strip():
            raise UserError(
                self.env._("Give the reference of the request (e.g. its ticket number).")
            )
        self._anonymise(reference.strip(), fields.Datetime.now(), archive=False)

    # -- anonymising -------------------------------------------------------------------

    def _personal_text_fields(self):
        """The free-text fields the policy names, checked against this model."""
        self.ensure_one()
        names = self._policy().retention.personal_fields
        bad = [
            n
            for n in names
            if n not in self._fields
            or self._fields[n].type not in TEXT_TYPES
            or n in self._rule_fields()
            or n in STATISTICS_TEXT_FIELDS
            or not self._fields[n].store
        ]
        if bad:
            raise UserError(
                self.env._(
                    "The retention policy names fields that are not free-text fields of a "
                    "complaint: %(fields)s.",
                    fields=", ".join(bad),
                )
            )
        return tuple(names)

    def _anonymise(self, reason, now, archive=False):
        """Remove the customer's personal data of these complaints, keep every
        statistic and the staff's notes, record who, when and why in the audit
        trail; archive them if ``archive``. A complaint anonymised before (on
        request) keeps its first ``anonymised_at``; what came in since is
        removed too."""
        if not self:
            return
        records = self.sudo().with_context(active_test=False)
        anonymous = self.env.ref(ANONYMOUS_PARTNER).sudo()
        audits = []
        for rec in records:
            rec._anonymise_one(anonymous, now, archive)
            audits.append(
                {
                    "complaint_id": rec.id,
                    "action": "archive" if archive else "anonymise",
                    "user_id": self.env.uid,
                    "at": now,
                    "from_state": rec.state,
                    "to_state": rec.state,
                    "reason": reason,
                }
            )
            # the reason (the request's reference) stays in the audit trail only
            rec.message_post(
                body=(
                    self.env._(
                        "Archived at the end of its retention period; the customer's "
                        "personal data were anonymised (the statistics are kept)."
                    )
                    if archive
                    else self.env._("The customer's personal data were anonymised on request.")
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        self.env["complaint.audit"].sudo().create(audits)

    def _customer_partners(self, anonymous, messages):
        """The partners who are the customer of this complaint: its partner, the
        commercial entity and its contacts, and any outside partner (no internal
        user) of its chatter with one of their e-mail addresses."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        customers = (self.partner_id | customer | customer.child_ids) - anonymous
        emails = _emails(self.email, *customers.mapped("email"))
        chatter = messages.author_id | messages.partner_ids | self.message_partner_ids
        outside = chatter.filtered(lambda p: p.email_normalized in emails and not _internal(p))
        return (customers | outside) - anonymous, emails

    def _anonymise_one(self, anonymous, now, archive):
        """Anonymise this complaint (sudo, active_test=False): see `_anonymise`."""
        self.ensure_one()
        texts = self._personal_text_fields()
        # the mails of the case not sent (or kept after sending) go: they hold the
        # addresses, subjects and bodies; their own messages go with them
        self.env["mail.mail"].sudo().search(
            [("model", "=", self._name), ("res_id", "=", self.id)]
        ).unlink()
        self.env["mail.scheduled.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "=", self.id)]
        ).unlink()
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", self._name), ("res_id", "=", self.id)])
        )
        customers, emails = self._customer_partners(anonymous, messages)
        since = self.anonymised_at  # anonymised before: what came in since is theirs

        def is_theirs(m):
            if m.author_id == anonymous and not m.author_guest_id:
                return False  # removed before
            return bool(
                m.author_id in customers
                or m.author_guest_id
                or (m.partner_ids & customers)
                or (emails & set(email_normalize_all(m.email_from or "")))
                or (since and m.date and m.date >= since and not _internal(m.author_id))
            )

        theirs = messages.filtered(is_theirs)
        # the customer's messages (to and from them) lose their words and files;
        # the staff's notes are kept
        attachments = theirs.attachment_ids
        theirs.write(
            {
                "body": Markup("<p>%s</p>") % self.env._("(removed: personal data)"),
                "subject": False,
                "email_from": False,
                "reply_to": False,
                "author_id": anonymous.id,
                "author_guest_id": False,
                "partner_ids": [Command.unlink(p.id) for p in customers],
                "attachment_ids": [Command.clear()],
            }
        )
        self.env["mail.notification"].sudo().search(
            [("mail_message_id", "in", theirs.ids), ("res_partner_id", "in", customers.ids)]
        ).unlink()
        self.env["mail.message.reaction"].sudo().search(
            [
                ("message_id", "in", messages.ids),
                "|",
                ("partner_id", "in", customers.ids),
                ("guest_id", "!=", False),
            ]
        ).unlink()
        self.message_unsubscribe(partner_ids=customers.ids)
        self.env["complaint.audit"].sudo().search(
            [("complaint_id", "=", self.id), ("partner_id", "in", customers.ids)]
        ).write({"partner_id": anonymous.id})
        vals = {f: False for f in (*CONTACT_FIELDS, *texts)}
        vals.update(partner_id=anonymous.id, evidence_ids=[Command.clear()])
        # the old values of every field blanked, in the chatter's tracking
        self.env["mail.tracking.value"].sudo().search(
            [
                ("mail_message_id", "in", messages.ids),
                ("field_id.model", "=", self._name),
                ("field_id.name", "in", list(vals)),
            ]
        ).unlink()
        vals.update(
            # a new token: the customer's old portal link opens nothing any more
            access_token=str(uuid.uuid4()),
            # the first time is kept (a request before the end of retention)
            anonymised_at=self.anonymised_at or now,
        )
        if archive:
            vals["active"] = False
        self.with_context(tracking_disable=True)._write_rule(vals)
        # every file of the case: the evidence, the customer's attachments, the
        # printed forms (contact, phone, address) and the staff's files
        attachments |= (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "=", self.id)])
        )
        attachments.exists().unlink()


def _emails(*texts):
    """The normalised e-mail addresses in ``texts``."""
    return {e for text in texts if text for e in email_normalize_all(text)}


def _internal(partner):
    """``partner`` is an internal user's (staff), not the customer's side."""
    users = partner.with_context(active_test=False).user_ids
    return bool(users.filtered(lambda u: not u.share))
