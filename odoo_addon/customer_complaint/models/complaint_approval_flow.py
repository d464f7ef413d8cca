"""The approval round of a complaint inside Odoo (SPEC §4 审批权限, notifications).

The core decides the route (authority matrix × severity, two stages for
product quality), each decision and whether a remedy is still the one approved;
this part asks the right people: one activity per approver (created in one
batch) with the case summary, an e-mail through the mail queue, a chatter line
per decision, and the activities closed once the stage is decided. It also
makes product-quality, level-1 and transferred/media complaints known to the
people configured on the company's policy settings, once each.
"""

import psycopg2
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from complaint_core.approval import (
    approvals_still_valid,
    can_approve,
    decide,
    next_stage,
    remedy_fingerprint,
    route_complete,
)
from complaint_core.model import State
from complaint_core.workflow import allowed_actions, transition

from .complaint import aware
from .core_errors import core_errors

APPROVAL_ACTIVITY = "customer_complaint.mail_activity_type_complaint_approval"


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    approval_round = fields.Integer(
        readonly=True,
        copy=False,
        default=0,
        help="Counts the proposals: a new proposal, or a change of the remedies that voids "
        "the approvals, starts a new round.",
    )
    proposed_at = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the remedy was proposed: its cost is converted to the company currency "
        "at this date.",
    )
    proposed_fingerprint = fields.Char(readonly=True, copy=False)
    approver_ids = fields.Many2many(
        "res.users",
        "customer_complaint_approver_rel",
        "complaint_id",
        "user_id",
        string="Asked to Approve",
        readonly=True,
        copy=False,
        help="Everyone asked to approve a remedy of this complaint: they may open it "
        "(record rule), also outside the departments they manage.",
    )
    approval_next_stage = fields.Char(compute="_compute_approval_next", string="Awaiting Approval")
    approval_next_level_id = fields.Many2one(
        "complaint.authority.level", compute="_compute_approval_next", string="Authority Needed"
    )
    notified_quality = fields.Boolean(readonly=True, copy=False)
    notified_level1 = fields.Boolean(readonly=True, copy=False)
    notified_pr = fields.Boolean(readonly=True, copy=False)

    def _rule_fields(self):
        return super()._rule_fields() | {
            "proposed_by_id",
            "proposed_at",
            "proposed_fingerprint",
            "approval_round",
            "approved_fingerprint",
            "approver_ids",
            "notified_quality",
            "notified_level1",
            "notified_pr",
        }

    # -- the route, as the core sees it --------------------------------------------

    @api.depends("state", "approval_ids", "remedy_ids.amount_company", "severity", "category_id")
    def _compute_approval_next(self):
        stages = dict(self.env["complaint.approval"]._fields["stage"].selection)
        for rec in self:
            rec.approval_next_stage = False
            rec.approval_next_level_id = False
            if rec.state != State.REMEDY_PROPOSED.value or not rec.id:
                continue
            stage = next_stage(rec._route(rec._policy()), rec._decisions())
            if stage:
                rec.approval_next_stage = stages.get(stage.code, stage.code)
                rec.approval_next_level_id = rec._authority_level(stage.level)

    def _authority_level(self, code):
        return (
            self.env["complaint.authority.level"]
            .sudo()
            .search(
                [("code", "=", code), ("company_id", "in", (self.company_id.id, False))],
                order="company_id",
                limit=1,
            )
        )

    def _eligible_approvers(self, users, stage, policy):
        """Users the core would let decide ``stage``: role, recusal, own
        proposal (allowed_actions) and authority level (can_approve), in the
        complaint's company."""
        case = self._case_facts(policy)
        out = self.env["res.users"]
        for user in users:
            level = user._complaint_authority_level()
            # an approver may open the complaints they are asked to approve (record
            # rule on approver_ids), so only the company has to be theirs
            if not level or self.company_id not in user.company_ids:
                continue
            with core_errors(self.env):
                if "reject_remedy" in allowed_actions(
                    case, user._complaint_actor(), policy
                ) and can_approve(level.code, stage.level, policy):
                    out |= user
        return out

    def _approvers(self, stage, policy):
        """Whom to ask for ``stage``: the approvers configured for the level it
        needs (complaint.approver.rule, else the level's own users); when none
        of them may decide, the next level up."""
        self.ensure_one()
        Rule = self.env["complaint.approver.rule"]
        levels = (
            self.env["complaint.authority.level"]
            .sudo()
            .search([("company_id", "in", (self.company_id.id, False))], order="sequence, id")
        )
        with core_errors(self.env):
            levels = levels.filtered(
                lambda lv: (
                    lv.code in {x.code for x in policy.authority.levels}
                    and can_approve(lv.code, stage.level, policy)
                )
            )
        for level in levels:
            users = self._eligible_approvers(Rule._approvers_for_level(self, level), stage, policy)
            if users:
                return users
        return self.env["res.users"]

    # -- asking --------------------------------------------------------------------

    def _approval_summary(self, stage, level):
        """The case summary an approver reads in the activity and the e-mail."""
        self.ensure_one()
        stages = dict(self.env["complaint.approval"]._fields["stage"].selection)
        types = dict(self.env["complaint.remedy"]._fields["type"].selection)
        lines = Markup("").join(
            Markup("<li>%s: %s %s%s</li>")
            % (
                types.get(r.type, r.type),
                r.amount,
                r.currency_id.name or "",
                Markup(" — %s") % r.reason if r.reason else "",
            )
            for r in self.remedy_ids
        )
        return Markup(
            "<p><b>%(number)s</b> — %(customer)s<br/>%(label_sev)s %(severity)s, "
            "%(category)s<br/>%(label_stage)s %(stage)s (%(label_level)s %(level)s)<br/>"
            "%(label_cost)s %(cost)s %(currency)s<br/>%(label_by)s %(by)s</p><ul>%(lines)s</ul>"
            "<p>%(description)s</p>"
        ) % {
            "number": self.name,
            "customer": self.partner_id.display_name,
            "label_sev": self.env._("Severity level"),
            "severity": self.severity or "",
            "category": self.category_id.display_name or "",
            "label_stage": self.env._("Approval needed:"),
            "stage": stages.get(stage.code, stage.code),
            "label_level": self.env._("authority"),
            "level": level.display_name or stage.level,
            "label_cost": self.env._("Cost to the company:"),
            "cost": self.remedy_cost,
            "currency": self.currency_id.name or "",
            "label_by": self.env._("Proposed by:"),
            "by": self.proposed_by_id.display_name or "",
            "lines": lines,
            "description": escape(self.description or ""),
        }

    def _request_approvals(self):
        """Ask the approvers of the route's next stage: pending approval
        activities of earlier rounds are closed, one activity per approver is
        created (all in one batch) and an e-mail goes out through the queue."""
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        vals_list = []
        for rec in self:
            if rec.state != State.REMEDY_PROPOSED.value:
                continue
            rec._close_approval_activities()
            policy = rec._policy()
            stage = next_stage(rec._route(policy), rec._decisions())
            with core_errors(self.env):
                fingerprint = remedy_fingerprint(rec.remedy_ids._to_core())
            rec._write_rule({"proposed_fingerprint": fingerprint})
            if stage is None:
                continue
            level = rec._authority_level(stage.level)
            approvers = rec._approvers(stage, policy)
            if not approvers:
                rec.message_post(
                    body=self.env._(
                        "Nobody is configured to approve at the authority level %(level)s: "
                        "set up an approver rule.",
                        level=level.display_name or stage.level,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            rec._write_rule({"approver_ids": [Command.link(u.id) for u in approvers]})
            summary = rec._approval_summary(stage, level)
            title = self.env._("Approve the remedy of %(number)s", number=rec.name)
            vals_list += rec._activity_vals(approvers, title, summary, fields.Datetime.now())
            rec.with_context(mail_notify_force_send=False).message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Approval requested from %(users)s.", users=", ".join(approvers.mapped("name"))
                )
                + summary,
                subject=title,
                partner_ids=approvers.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        if vals_list:
            for vals in vals_list:
                vals["activity_type_id"] = activity_type.id if activity_type else False
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                vals_list
            )

    def _approval_activities(self):
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        if not activity_type:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    def _close_approval_activities(self, decided_by=None, feedback=""):
        """Pending approval activities end with the decision: the decider's is
        marked done (with the comment), the others are removed."""
        activities = self._approval_activities()
        mine = activities.filtered(lambda a: decided_by and a.user_id == decided_by)
        (activities - mine).unlink()
        if mine:
            mine.action_feedback(feedback=feedback or False)

    # -- deciding --------------------------------------------------------------------

    def action_approve_stage(self):
        return self._decide_stage(True)

    def action_reject_stage(self):
        return self._decide_stage(False)

    def _decide_stage(self, approved, comment=None):
        """Decide the next stage of the approval route with the user's authority
        level; the last approval approves the remedy, a rejection sends it back.

        Two approvers at once: the complaint row is locked first (NOWAIT), so
        the second one is told at once that someone else is deciding; the
        unique (complaint, stage, round) index of complaint.approval is the
        database's own guarantee behind it."""
        now = fields.Datetime.now()
        user = self.env.user
        for rec in self:
            rec._lock_for_decision()
            policy = rec._policy()
            if rec.state != State.REMEDY_PROPOSED.value:
                raise UserError(self.env._("Only a proposed remedy can be approved or rejected."))
            level = user._complaint_authority_level()
            if not level:
                raise UserError(self.env._("You have no approval authority level."))
            route = rec._route(policy)
            decisions = rec._decisions()
            stage = next_stage(route, decisions)
            if stage is None:
                raise UserError(self.env._("Every stage of the approval route is decided."))
            text = (comment if comment is not None else rec.action_reason) or ""
            remedies = rec.remedy_ids._to_core()
            with core_errors(self.env):
                # every stage is a decision of the approve / reject_remedy step: the
                # core's role, recusal and own-proposal guards hold for each stage,
                # not only for the last one (transition raises the refusal)
                action = "approve" if approved else "reject_remedy"
                actor = user._complaint_actor()
                case = rec._case_facts(policy)
                if action not in allowed_actions(case, actor, policy):
                    transition(case, action, actor, policy, aware(now), reason=text or "-")
                decision = decide(
                    route,
                    decisions,
                    stage.code,
                    user._complaint_actor(),
                    level.code,
                    approved,
                    text,
                    proposed_by=str(rec.proposed_by_id.id) if rec.proposed_by_id else None,
                    complained_about=tuple(str(i) for i in rec.complained_user_ids.ids),
                    now=aware(now),
                    policy=policy,
                )
                fingerprint = remedy_fingerprint(remedies)
            rec._store_decision(
                {
                    "complaint_id": rec.id,
                    "stage": decision.stage,
                    "level_code": stage.level,
                    "approver_id": user.id,
                    "approved": decision.approved,
                    "comment": decision.comment,
                    "at": now,
                    "fingerprint": fingerprint,
                    "route_round": rec.approval_round,
                }
            )
            rec._record_decision(decision, level, stage)
            if not decision.approved:
                rec._run_action("reject_remedy", reason=decision.comment)
            elif route_complete(route, (*decisions, decision)):
                rec._run_action("approve", reason=decision.comment)
                rec._write_rule({"approved_fingerprint": fingerprint})
            else:
                rec._request_approvals()
        return True

    def _lock_for_decision(self):
        """Take the complaint row for this decision, without waiting: whoever
        comes second is told someone else is deciding (two approvers at once
        give exactly one decision per stage)."""
        self.ensure_one()
        self.env.flush_all()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM customer_complaint WHERE id = %s FOR UPDATE NOWAIT",
                    [self.id],
                    log_exceptions=False,
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "Complaint %(number)s is being decided by someone else right now: reload it "
                    "and try again.",
                    number=self.name,
                )
            ) from None
        # what we read before the lock may be stale
        self.invalidate_recordset()
        self.env["complaint.approval"].invalidate_model()

    def _store_decision(self, vals):
        try:
            with self.env.cr.savepoint():
                approval = self.env["complaint.approval"].sudo().create(vals)
                approval.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            raise UserError(
                self.env._(
                    "This approval stage of %(number)s has already been decided.", number=self.name
                )
            ) from None
        return approval

    def _record_decision(self, decision, level, stage):
        """The chatter line of a decision; the stage's activities close."""
        stages = dict(self.env["complaint.approval"]._fields["stage"].selection)
        needed = self._authority_level(stage.level)
        params = {
            "stage": stages.get(decision.stage, decision.stage),
            "user": self.env.user.name,
            "level": level.display_name,
            "needed": needed.display_name or stage.level,
        }
        if decision.approved:
            body = self.env._(
                "%(stage)s approval: approved by %(user)s (authority %(level)s; needed "
                "%(needed)s).",
                **params,
            )
        else:
            body = self.env._(
                "%(stage)s approval: rejected by %(user)s (authority %(level)s; needed "
                "%(needed)s).",
                **params,
            )
        if decision.comment:
            body = Markup("%s<br/>%s") % (body, decision.comment)
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        self._close_approval_activities(self.env.user, decision.comment)

    # -- UI --------------------------------------------------------------------------

    def action_open_decision_wizard(self):
        """Approve or reject with a comment (a rejection needs one)."""
        self.ensure_one()
        decision = self.env.context.get("complaint_decision", "reject")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject the Remedy")
            if decision == "reject"
            else self.env._("Approve the Remedy"),
            "res_model": "complaint.approval.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_complaint_id": self.id, "default_decision": decision},
        }

    # -- notifications (SPEC §4) -----------------------------------------------------

    def _remedies_match(self, fingerprint):
        """The remedies are still the ones ``fingerprint`` was taken of."""
        with core_errors(self.env):
            return approvals_still_valid(fingerprint, self.remedy_ids._to_core())

    def _notify_recipients(self, company):
        """({audience: user ids}, product-quality category codes) of the company's
        policy settings, for the core's notices (notify.TOP and notify.PR). Kept
        beside the policy in the transaction's cache (dropped on a config change)."""
        Settings = self.env["complaint.policy"]
        Settings._complaint_policy(company)  # makes the cache dict
        cache = self.env.cr.cache.setdefault("customer_complaint.policy", {})
        key = ("notify", company.id)
        if key not in cache:
            settings = Settings.sudo().search([("company_id", "=", company.id)], limit=1)
            cache[key] = (
                {
                    "general_manager": tuple(settings.general_manager_id.ids),
                    "management_rep": tuple(settings.management_rep_id.ids),
                    "public_relations": tuple(settings.pr_user_id.ids),
                },
                frozenset(settings.notify_category_ids.mapped("code")),
            )
        return cache[key]
