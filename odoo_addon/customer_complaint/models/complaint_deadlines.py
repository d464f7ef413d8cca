"""Deadlines that act (SPEC §2 escalation by age, §3 breach notifications).

The cron finds what is due with indexed queries on stored instants
(complaint.milestone ``due_at``/``warn_at``, customer.complaint
``escalation_due_at``), asks the core what to notify, notifies once, flags what
it did so a rerun does nothing, and commits per batch.
"""

import logging
from collections import defaultdict

from odoo import api, fields, models
from odoo.modules import module

from complaint_core.model import FINAL_STATES
from complaint_core.sla import BREACHED, notifications_due

from .complaint import aware
from .core_errors import core_errors

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200
FINAL = [s.value for s in FINAL_STATES]


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    @api.model
    def _cron_check_deadlines(self):
        self._check_deadlines()

    @api.model
    def _check_deadlines(self, now=None, batch_size=BATCH_SIZE):
        """Notify due-soon and breached milestones and apply escalation by age
        at ``now``. Returns (milestones notified, complaints escalated)."""
        now = now or fields.Datetime.now()
        notified = self._check_milestones(now, batch_size)
        escalated = self._check_escalations(now, batch_size)
        return notified, escalated

    # -- milestones ------------------------------------------------------------

    @api.model
    def _milestone_due_domain(self, now):
        return [
            ("done_at", "=", False),
            ("complaint_id.state", "not in", FINAL),
            ("notified_breached", "=", False),
            "|",
            ("due_at", "<", now),
            "&",
            ("warn_at", "<=", now),
            ("notified_due_soon", "=", False),
        ]

    @api.model
    def _check_milestones(self, now, batch_size):
        Milestone = self.env["complaint.milestone"].sudo()
        domain = self._milestone_due_domain(now)
        last_id, done, count = 0, 0, 0
        while True:
            batch = Milestone.search([("id", ">", last_id), *domain], order="id", limit=batch_size)
            if not batch:
                break
            last_id = batch[-1].id
            count += self._notify_milestones(batch, now)
            done += len(batch)
            self._commit_batch()
            remaining = Milestone.search_count([("id", ">", last_id), *domain])
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            if not remaining:
                break
        return count

    @api.model
    def _notify_milestones(self, milestones, now):
        """Ask the core which notification each milestone calls for; send it to
        the owner and their manager once (an activity each + a chatter message)."""
        by_complaint = defaultdict(lambda: self.env["complaint.milestone"])
        for m in milestones:
            by_complaint[m.complaint_id] |= m
        activities, flags, sent = [], defaultdict(dict), 0
        for complaint, ms in by_complaint.items():
            policy = complaint._policy()
            calendar = complaint._calendar()
            lines = []
            for m in ms:
                already = [
                    (m.code, k)
                    for k, on in (
                        ("due_soon", m.notified_due_soon),
                        (BREACHED, m.notified_breached),
                    )
                    if on
                ]
                with core_errors(self.env):
                    due = notifications_due(
                        [m._to_core()],
                        aware(now),
                        policy,
                        calendar,
                        sent=already,
                        paused=complaint._paused(),
                    )
                for note in due:
                    if note.kind == BREACHED:
                        flags[m.id].update(notified_breached=True, notified_due_soon=True)
                        lines.append(
                            self.env._(
                                "Milestone %(name)s is breached (due %(due)s).",
                                name=m.name,
                                due=m.due_at,
                            )
                        )
                    else:
                        flags[m.id].update(notified_due_soon=True)
                        lines.append(
                            self.env._(
                                "Milestone %(name)s is due soon (due %(due)s).",
                                name=m.name,
                                due=m.due_at,
                            )
                        )
            if not lines:
                continue
            sent += len(lines)
            users = complaint._notify_users()
            summary = lines[0] if len(lines) == 1 else self.env._("Complaint deadlines")
            activities += complaint._activity_vals(users, summary, "\n".join(lines), now)
            complaint.message_post(
                body="\n".join(lines),
                partner_ids=users.partner_id.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        for mid, vals in flags.items():
            self.env["complaint.milestone"].sudo().browse(mid).write(vals)
        if activities:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activities
            )
        return sent

    def _notify_users(self, manager_only=False):
        """SPEC §3: the owner (handler, else the registrant) and their manager
        (the responsible department's manager), less the persons complained about."""
        self.ensure_one()
        owner = self.user_id or self.registered_by_id
        manager = self.department_id.manager_id
        users = manager if manager_only else (owner | manager)
        # SPEC §4 回避: never the persons complained about
        return (users - self.complained_user_ids).filtered("active")

    def _activity_vals(self, users, summary, note, now):
        self.ensure_one()
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id(self._name)
        return [
            {
                "res_model_id": model_id,
                "res_id": self.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "user_id": user.id,
                "summary": summary[:250],
                "note": note,
                "date_deadline": fields.Date.to_date(now),
            }
            for user in users
        ]

    # -- escalation by age ------------------------------------------------------

    @api.model
    def _check_escalations(self, now, batch_size):
        domain = [("escalation_due_at", "<=", now), ("state", "not in", FINAL)]
        Complaint = self.sudo()
        last_id, done, count = 0, 0, 0
        while True:
            batch = Complaint.search([("id", ">", last_id), *domain], order="id", limit=batch_size)
            if not batch:
                break
            last_id = batch[-1].id
            count += self._escalate(batch, now)
            done += len(batch)
            self._commit_batch()
            remaining = Complaint.search_count([("id", ">", last_id), *domain])
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            if not remaining:
                break
        return count

    @api.model
    def _escalate(self, complaints, now):
        """Assess again at ``now``; `_refresh` records and notifies what escalated."""
        return len(complaints._refresh(now))

    def _notify_escalations(self, escalations, now):
        """SPEC §2: an escalation is recorded with its cause and notifies the next
        manager up (the responsible department's manager): a chatter message, an
        activity (all created in one batch) and an audit entry."""
        activities, audits = [], []
        for complaint, before in escalations:
            body = self.env._(
                "Escalated by age from level %(old)s to level %(new)s: not closed in time.\n"
                "%(reasons)s",
                old=before,
                new=complaint.severity,
                reasons=complaint.severity_reasons,
            )
            managers = complaint._notify_users(manager_only=True)
            complaint.message_post(
                body=body,
                partner_ids=managers.partner_id.ids,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
            activities += complaint._activity_vals(
                managers,
                self.env._("Complaint escalated to level %(level)s", level=complaint.severity),
                body,
                now,
            )
            audits.append(
                {
                    "complaint_id": complaint.id,
                    "action": "escalate",
                    "user_id": self.env.uid,
                    "at": now,
                    "from_state": complaint.state,
                    "to_state": complaint.state,
                    "reason": f"level {before} -> {complaint.severity}",
                }
            )
        self.env["complaint.audit"].sudo().create(audits)
        if activities:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activities
            )

    @api.model
    def _commit_batch(self):
        """Commit what a batch did, so a crash later loses nothing (not in tests:
        their cursor must stay open)."""
        if not (self.env.registry.in_test_mode() or module.current_test):
            # committing per batch is the point of this method (see the docstring)
            self.env.cr.commit()  # pylint: disable=invalid-commit
