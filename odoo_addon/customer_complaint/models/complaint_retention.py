"""Retention of closed complaints in Odoo (SPEC §6, issue 10 §4).

The core decides how long a closed complaint is kept (`complaint_core.retention`:
``retention.years``, ``important_years`` for an *important* one, counted from the
closing day in the policy's time zone) and which free-text fields hold personal
data (``retention.personal_fields``). This file stores the end of retention, and:

* the scheduled action archives the closed complaints whose retention is over
  and anonymises their personal data, in batches committed one by one, so a
  crash loses nothing done and the next run resumes; a rerun finds nothing (the
  archived are out of its domain) — the shape of `_check_deadlines`;
* *Anonymise now* (a manager, with a reason, on a closed case) anonymises at
  once on a data subject's request (PIPL / GDPR), audited in complaint.audit.

Anonymising keeps every statistic (category, severity, dates, amounts,
milestones, answers ... are not touched) and removes what names or reaches the
customer: the contact details, the free-text fields the policy names, the link
to the customer (replaced by one anonymous partner), the portal token, the
customer's e-mails in the chatter with their attachments, the tracking values of
those fields and the evidence attachments.

``active`` is a rule field: only the retention rule writes it (``write``,
``action_archive`` and ``action_unarchive`` refuse it to every caller). Every
search the statistics make passes ``active_test=False``.
"""

import uuid
from zoneinfo import ZoneInfo

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from complaint_core.retention import is_due_for_archiving, retention_until

from .complaint import FINAL, aware

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
        ``now``. One batch at a time, each in a savepoint and committed: a failing
        batch undoes only itself, the batches before it stay done, and the next run
        resumes with what is left. Returns the number of complaints archived."""
        now = now or fields.Datetime.now()
        Complaint = self.sudo().with_context(active_test=False)
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
                try:
                    with self.env.cr.savepoint():
                        due._anonymise(self.env._("End of the retention period"), now, True)
                except Exception:
                    self.env.invalidate_all()  # the cache may hold the undone batch
                    raise
                archived += len(due)
                done += len(batch)
                self._commit_batch()
                remaining = Complaint.search_count([("id", ">", last_id), *domain])
                self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
                if not remaining:
                    break
        return archived

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
        """Open the *Anonymise now* wizard (the reason is asked there)."""
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

    def _anonymise_on_request(self, reason):
        """SPEC §6 "anonymised on request": now, with the requester's reason."""
        self._check_can_anonymise()
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for anonymising (the request)."))
        self._anonymise(reason.strip(), fields.Datetime.now(), archive=False)

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
        statistic, record who, when and why; archive them if ``archive``."""
        if not self:
            return
        records = self.sudo().with_context(active_test=False)
        anonymous = self.env.ref(ANONYMOUS_PARTNER).sudo()
        Message = self.env["mail.message"].sudo()
        messages = Message.search([("model", "=", self._name), ("res_id", "in", records.ids)])
        audits = []
        for rec in records:
            texts = rec._personal_text_fields()
            customer = rec.partner_id.commercial_partner_id
            customers = (rec.partner_id | customer | customer.child_ids) - anonymous
            emails = {e.lower() for e in (rec.email, *customers.mapped("email")) if e}
            ours = messages.filtered(lambda m, rec=rec: m.res_id == rec.id)
            theirs = ours.filtered(
                lambda m, customers=customers, emails=emails: (
                    m.author_id in customers
                    or (m.partner_ids & customers)
                    or any(e in (m.email_from or "").lower() for e in emails)
                )
            )
            # the customer's e-mails (to and from them) lose their words and files
            attachments = rec.evidence_ids | theirs.attachment_ids
            theirs.write(
                {
                    "body": Markup("<p>%s</p>") % self.env._("(removed: personal data)"),
                    "subject": False,
                    "email_from": False,
                    "reply_to": False,
                    "author_id": anonymous.id,
                    "partner_ids": [Command.unlink(p.id) for p in customers],
                    "attachment_ids": [Command.clear()],
                }
            )
            self.env["mail.notification"].sudo().search(
                [("mail_message_id", "in", theirs.ids), ("res_partner_id", "in", customers.ids)]
            ).unlink()
            # the old values of the personal fields in the chatter's tracking
            personal = ("partner_id", *CONTACT_FIELDS, *texts)
            self.env["mail.tracking.value"].sudo().search(
                [
                    ("mail_message_id", "in", ours.ids),
                    ("field_id.name", "in", personal),
                    ("field_id.model", "=", self._name),
                ]
            ).unlink()
            rec.message_unsubscribe(partner_ids=customers.ids)
            self.env["complaint.audit"].sudo().search(
                [("complaint_id", "=", rec.id), ("partner_id", "in", customers.ids)]
            ).write({"partner_id": anonymous.id})
            vals = {f: False for f in (*CONTACT_FIELDS, *texts)}
            vals.update(
                partner_id=anonymous.id,
                evidence_ids=[Command.clear()],
                # a new token: the customer's old portal link opens nothing any more
                access_token=str(uuid.uuid4()),
                anonymised_at=now,
            )
            if archive:
                vals["active"] = False
            rec.with_context(tracking_disable=True)._write_rule(vals)
            attachments.unlink()
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
            rec.message_post(
                body=(
                    self.env._(
                        "Archived at the end of its retention period; the customer's "
                        "personal data were anonymised (the statistics are kept)."
                    )
                    if archive
                    else self.env._(
                        "The customer's personal data were anonymised on request: %(reason)s",
                        reason=reason,
                    )
                ),
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        self.env["complaint.audit"].sudo().create(audits)
