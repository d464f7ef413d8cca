"""The adapter between customer.complaint records and complaint_core
(ARCHITECTURE "The seam"): `_to_core()` (record -> core Complaint),
`_case_facts()` (-> workflow CaseFacts), and the mappers that write a core
decision back: `_apply_effects()` (typed effects -> fields) and `_refresh()`
(severity, escalation and milestones). Everything here writes through
`_write_rule()`; no rule is decided here.
"""

from datetime import timedelta
from decimal import Decimal

from odoo import Command, fields, models

from complaint_core import effects as fx
from complaint_core.approval import Decision, approval_route, route_complete
from complaint_core.model import (
    Channel,
    Complaint,
    Customer,
    Duration,
    Finding,
    Kind,
    PriorComplaint,
    RequestType,
    State,
    Unit,
    to_decimal,
)
from complaint_core.notify import NoticeFacts, stakeholder_notices
from complaint_core.severity import assess_severity, escalation_schedule
from complaint_core.sla import milestone_status, plan_milestones
from complaint_core.workflow import CaseFacts

from .complaint import FINAL, aware, naive
from .core_errors import core_errors

# start and done events of the core (effects.STATE_EVENTS) -> the field holding their time
EVENT_FIELDS = {
    "triaged": "triaged_at",
    "approved": "approved_at",
    "replied": "replied_at",
    "remedy_done": "remedy_done_at",
    "follow_up": "follow_up_at",
}
# milestone code (default policy) -> the field whose time marks it done
MILESTONE_DONE_FIELDS = {
    "first_contact": "first_contact_at",
    "dispatch": "triaged_at",
    "site_visit": "site_visit_at",
    "resolution": "replied_at",
    "reply": "replied_at",
    "follow_up": "follow_up_at",
    "authority_reply": "authority_replied_at",
}


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    # -- adapters: record -> core ------------------------------------------------

    def _prior_complaints(self, policy):
        """Earlier complaints about the same product or category within the
        repeat-cluster window (the core decides which form a cluster)."""
        self.ensure_one()
        if not (self.product_id or self.category_id) or not self.received_at:
            return ()
        window = policy.severity.cluster_window
        if window.unit in (Unit.HOURS, Unit.DAYS):
            span = timedelta(minutes=window.minutes)
        else:  # working units: generous clock span, the core filters exactly
            span = timedelta(days=int(window.amount) * 3 + 14)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("received_at", ">", self.received_at - span),
            ("received_at", "<=", self.received_at),
        ]
        if self.id:
            domain.append(("id", "!=", self.id))
        keys = []
        if self.product_id:
            keys.append(("product_id", "=", self.product_id.id))
        if self.category_id:
            keys.append(("category_id", "=", self.category_id.id))
        domain += ["|", *keys] if len(keys) == 2 else keys
        priors = self.sudo().search(domain)
        return tuple(
            PriorComplaint(
                customer_id=str(p.partner_id.commercial_partner_id.id),
                product=str(p.product_id.id) if p.product_id else None,
                category=p.category_id.code or None,
                received_at=aware(p.received_at),
                number=p.name or "",
            )
            for p in priors
        )

    def _paused(self):
        return tuple((aware(p.start_at), aware(p.end_at)) for p in self.pause_ids if p.end_at)

    def _to_core(self, policy=None):
        """This record as the core's Complaint (SPEC §1–§2 facts)."""
        self.ensure_one()
        policy = policy or self._policy()
        partner = self.partner_id.commercial_partner_id
        kind = Kind(self.kind)
        with core_errors(self.env):
            return Complaint(
                received_at=aware(self.received_at),
                kind=kind,
                request_type=(
                    RequestType(self.request_type)
                    if self.request_type and kind is Kind.REQUEST
                    else None
                ),
                category=self.category_id.code or None,
                channel=Channel(self.channel),
                customer=Customer(
                    id=str(partner.id) if partner else "",
                    vip=bool(self.partner_id.complaint_vip or partner.complaint_vip),
                    name=partner.name or "",
                ),
                product=str(self.product_id.id) if self.product_id else None,
                number=self.name if self.name and self.name != "/" else "",
                state=State(self.state),
                injury=self.injury,
                media_exposure=self.media_exposure,
                litigation=self.litigation,
                unauthorized_promise=self.unauthorized_promise,
                service_not_delivered=self.service_not_delivered,
                repeated_complaints=self.repeated_complaints,
                facility_unmaintained=self.facility_unmaintained,
                recomplaint=self.recomplaint,
                may_spread=self.may_spread,
                not_company_fault=self.not_company_fault,
                departments=tuple(self.involved_department_ids.mapped("code")),
                customer_loss=to_decimal(self.customer_loss),
                prior_complaints=self._prior_complaints(policy),
                remedies=self.remedy_ids._to_core(),
                closed_at=aware(self.closed_at),
                paused=self._paused(),
                authority_deadline=aware(self.authority_deadline),
                manual_level=int(self.manual_severity) if self.manual_severity else None,
                company_fault=self.company_fault,
            )

    def _decisions(self):
        """The current round's approval decisions (voided ones left out)."""
        return tuple(
            Decision(
                stage=a.stage,
                approver_id=str(a.approver_id.id),
                approved=a.approved,
                at=aware(a.at),
                comment=a.comment or "",
            )
            for a in self.approval_ids.filtered(lambda a: not a.voided).sorted("at")
        )

    def _route(self, policy):
        with core_errors(self.env):
            # the cost in the company currency at the proposal date (SPEC §4)
            return approval_route(
                self.category_id.code or None,
                int(self.severity or 4),
                self.remedy_ids._to_core(company_currency=True),
                policy,
            )

    def _case_facts(self, policy):
        """This record as the workflow's CaseFacts (SPEC §4 guards)."""
        self.ensure_one()
        approvals_complete = False
        if self.state == State.REMEDY_PROPOSED.value:
            approvals_complete = route_complete(self._route(policy), self._decisions())
        return CaseFacts(
            state=State(self.state),
            kind=Kind(self.kind),
            category=self.category_id.code or None,
            level=int(self.severity) if self.severity else None,
            handler_id=str(self.user_id.id) if self.user_id else None,
            department=self.department_id.code or None,
            complained_about=tuple(str(i) for i in self.complained_user_ids.ids),
            proposed_by=str(self.proposed_by_id.id) if self.proposed_by_id else None,
            finding=Finding(self.finding) if self.finding else None,
            quality_signoff_by=(
                str(self.quality_signoff_by_id.id) if self.quality_signoff_by_id else None
            ),
            responsible_departments=tuple(self.responsible_department_ids.mapped("code")),
            remedies=self.remedy_ids._to_core(),
            approvals_complete=approvals_complete,
            customer_accepted={"accepted": True, "rejected": False}.get(
                self.customer_accepted or ""
            ),
            satisfaction=int(self.satisfaction) if self.satisfaction else None,
            investigation_started=self.investigation_started,
            remedies_pending=self.remedy_ids._pending_names(),
        )

    def _transition_kw(self, action):
        """Extra facts some guards need about people other than the actor."""
        kw = {}
        if action == "triage" and self.user_id:
            departments = (
                self.env["complaint.department"]
                .sudo()
                .search([("member_ids", "in", self.user_id.ids)])
            )
            kw["handler_reports_to"] = tuple(
                str(i) for i in (departments.manager_id - self.user_id).ids
            )
        if (
            action == "determine"
            and self.quality_signoff_by_id
            and self.quality_signoff_by_id != self.env.user
        ):
            kw["signoff_roles"] = self.quality_signoff_by_id._complaint_roles()
        return kw

    # -- adapters: core -> record ------------------------------------------------

    def _events(self):
        events = {"registered": aware(self.received_at)}
        for event, fname in EVENT_FIELDS.items():
            if self[fname]:
                events[event] = aware(self[fname])
        return events

    def _done_times(self, codes):
        done = {}
        for code in codes:
            fname = MILESTONE_DONE_FIELDS.get(code)
            if fname and self[fname]:
                done[code] = aware(self[fname])
            elif self.state in FINAL and self.closed_at:
                done[code] = aware(self.closed_at)
        return done

    def _refresh(self, now=None):
        """Assess severity and escalation, and plan the milestones again (SPEC
        §2, §3); store what the core decided. An escalation by age reached on
        the way is recorded and notified, whoever triggered the assessment."""
        odoo_now = now or fields.Datetime.now()
        now = aware(odoo_now)
        escalations = []
        for rec in self:
            before = rec.severity
            policy = rec._policy()
            calendar = rec._calendar()
            c = rec._to_core(policy)
            with core_errors(self.env):
                decision = assess_severity(c, policy, now, calendar)
                schedule = escalation_schedule(c, policy, calendar)
            level = decision.level
            next_step = None
            if rec.state not in FINAL and rec.company_fault:
                next_step = min(
                    (e.at for e in schedule if e.level < level and e.at > now), default=None
                )
            reasons = "\n".join(f"{r.level}: {r.detail}" for r in decision.reasons)
            vals = {
                "severity": str(level),
                "computed_severity": str(decision.computed_level),
                "severity_reasons": reasons,
                "escalated": decision.escalated or rec.escalated,
                "escalation_due_at": naive(next_step),
                "repeat_cluster": decision.cluster is not None,
                "cluster_info": (
                    f"{decision.cluster.key}: {len(decision.cluster.customers)} customers"
                    if decision.cluster
                    else False
                ),
            }
            changed = {k: v for k, v in vals.items() if rec[k] != v}
            if changed:
                rec._write_rule(changed)
            rec._sync_milestones(policy, calendar, c)
            if before and decision.escalation and decision.escalation.level < int(before):
                escalations.append((rec, before))
        if escalations:
            self._notify_escalations(escalations, odoo_now)
        self._notify_stakeholders()
        return [rec for rec, _before in escalations]

    def _warn_at(self, m, policy, calendar, paused):
        """The instant ``m`` becomes due soon: start + warning_ratio of its limit,
        measured like the limit (SPEC §3)."""
        if m.start is None or m.due is None:
            return None
        ratio = policy.sla.warning_ratio
        if m.limit is None:  # the authority's deadline: clock time
            return m.start + (m.due - m.start) * float(ratio)
        with core_errors(self.env):
            total = Decimal(repr(float(calendar.limit_minutes(m.start, m.limit, paused=paused))))
            hours = (total * ratio / 60).quantize(Decimal("0.0001"))
            unit = (
                Unit.WORKING_HOURS
                if m.limit.unit in (Unit.WORKING_HOURS, Unit.WORKING_DAYS)
                else Unit.HOURS
            )
            return calendar.add(m.start, Duration(hours, unit), paused=paused)

    def _sync_milestones(self, policy, calendar, c=None):
        """Write the planned milestones as complaint.milestone records."""
        self.ensure_one()
        c = c or self._to_core(policy)
        codes = [spec.code for spec in policy.sla.milestones]
        with core_errors(self.env):
            planned = plan_milestones(
                c,
                policy,
                calendar,
                level=int(self.severity or 4),
                escalated=self.escalated,
                events=self._events(),
                done=self._done_times(codes),
            )
        existing = {m.code: m for m in self.milestone_ids}
        to_create = []
        Milestone = self.env["complaint.milestone"].sudo()
        for pm in planned:
            vals = {
                "code": pm.code,
                "label": pm.name,
                "limit": str(pm.limit) if pm.limit else False,
                "start_at": naive(pm.start),
                "due_at": naive(pm.due),
                "warn_at": naive(self._warn_at(pm, policy, calendar, c.paused)),
                "done_at": naive(pm.done),
            }
            record = existing.pop(pm.code, None)
            if record is None:
                to_create.append({**vals, "complaint_id": self.id})
                continue
            changed = {k: v for k, v in vals.items() if record[k] != v}
            if "due_at" in changed or "warn_at" in changed:
                changed.update(notified_due_soon=False, notified_breached=False)
            if changed:
                record.sudo().write(changed)
        if to_create:
            Milestone.create(to_create)
        stale = (
            self.env["complaint.milestone"]
            .concat(*existing.values())
            .filtered(lambda m: not m.done_at)
        )
        if stale:
            stale.sudo().unlink()

    def _milestone_status(self, milestone, now):
        policy = self._policy()
        with core_errors(self.env):
            return milestone_status(
                milestone._to_core(), aware(now), policy, self._calendar(), self._paused()
            )

    # -- core decisions -> record ------------------------------------------------

    def _apply_effects(self, effects, now):
        """Map the core's typed effects to fields (ARCHITECTURE "The seam"); the
        side effects that reach other records (approvals voided, approvers asked)
        are returned for the caller to run after the state is written."""
        self.ensure_one()
        vals, after = {}, []
        for effect in effects:
            match effect:
                case fx.EventReached(event=event) if event in EVENT_FIELDS:
                    vals[EVENT_FIELDS[event]] = now
                case fx.EventsCleared(events=events):
                    for event in events:
                        fname = EVENT_FIELDS.get(event)
                        if fname and self[fname] and fname not in vals:
                            vals[fname] = False
                case fx.KindChanged(kind=kind):
                    vals["kind"] = kind.value
                case fx.ProposerSet(actor_id=actor_id):
                    vals.update(proposed_by_id=int(actor_id), proposed_at=now)
                case fx.ApprovalRoundStarted():
                    vals.update(
                        approved_fingerprint=False,
                        approval_round=self.approval_round + 1,
                        approver_ids=[Command.clear()],
                    )
                    after.append(self._void_approvals)
                case fx.ApprovalsRequested():
                    after.append(self._request_approvals)
                case fx.CustomerAccepted():
                    vals["customer_accepted"] = "accepted"
                case fx.CustomerAnswerCleared():
                    vals.update(customer_accepted=False, satisfaction=False)
                case fx.RecomplaintMarked():
                    vals["recomplaint"] = True
                case fx.InvestigationStarted():
                    vals["investigation_started"] = True
                case fx.CaseClosed():
                    vals["closed_at"] = now
                case fx.CaseReopened():
                    vals["closed_at"] = False
        return vals, after

    def _void_approvals(self):
        self.approval_ids.filtered(lambda a: not a.voided).sudo().write({"voided": True})

    def _notify_stakeholders(self):
        """SPEC §4: the notices the core says are due (product quality and level 1
        to the general manager and the management representative, transferred or
        media cases to public relations), once each, in the chatter and by e-mail,
        never to a person complained about."""
        Users = self.env["res.users"]
        flags = {
            "product_quality": "notified_quality",
            "level1": "notified_level1",
            "public_relations": "notified_pr",
        }
        for rec in self:
            if not rec.id:
                continue
            audiences, codes = rec._notify_recipients(rec.company_id)
            if not any(audiences.values()):
                continue
            sent = [key for key, flag in flags.items() if rec[flag]]
            facts = NoticeFacts(
                kind=Kind(rec.kind),
                state=State(rec.state),
                category=rec.category_id.code or None,
                level=int(rec.severity) if rec.severity else None,
                channel=Channel(rec.channel),
                media_exposure=rec.media_exposure,
            )
            with core_errors(self.env):
                notices = stakeholder_notices(
                    facts, rec._policy(), sent=sent, quality_categories=codes
                )
            done = {}
            for notice in notices:
                users = Users.browse(
                    sorted({uid for role in notice.audience for uid in audiences.get(role, ())})
                )
                users -= rec.complained_user_ids
                if not users:
                    continue
                rec.sudo().with_context(mail_notify_force_send=False).message_post(
                    body=rec._notice_body(notice.key),
                    partner_ids=users.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
                done[flags[notice.key]] = True
            if done:
                rec._write_rule(done)

    def _notice_body(self, key):
        customer = self.partner_id.display_name
        if key == "product_quality":
            return self.env._(
                "Product-quality complaint %(number)s from %(customer)s: made known to the "
                "general manager and the management representative.",
                number=self.name,
                customer=customer,
            )
        if key == "level1":
            return self.env._(
                "Level-1 complaint %(number)s from %(customer)s: %(reasons)s",
                number=self.name,
                customer=customer,
                reasons=self.severity_reasons or "",
            )
        return self.env._(
            "Complaint %(number)s was transferred by an authority or the media, or has "
            "media exposure: public relations informed.",
            number=self.name,
        )
