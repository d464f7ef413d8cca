"""The steps of a complaint (SPEC §4 处理流程) and the buttons that take them.

Every step asks the core (`complaint_core.workflow.transition`) and writes its
decision through `_apply_core`; the buttons a user sees are the core's answer
for that user (`allowed_actions`, stored in ``can_*`` booleans the form reads),
so the transition table exists once, in the core.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from complaint_core.model import Kind, State
from complaint_core.severity import change_level
from complaint_core.workflow import (
    allowed_actions,
    convertible_kinds,
    remedy_change,
    transition,
)

from .complaint import FINAL, aware
from .core_errors import core_errors

# core action -> the boolean that shows its button
CAN_FIELDS = {
    "triage": "can_triage",
    "start_investigation": "can_start_investigation",
    "determine": "can_determine",
    "propose_remedy": "can_propose_remedy",
    "revise_remedy": "can_revise_remedy",
    "reply": "can_reply",
    "customer_accepts": "can_customer_accepts",
    "customer_rejects": "can_customer_rejects",
    "remedy_done": "can_remedy_done",
    "follow_up": "can_follow_up",
    "close": "can_close",
    "mark_not_valid": "can_mark_not_valid",
    "withdraw": "can_withdraw",
    "reopen": "can_reopen",
}


class CustomerComplaint(models.Model):
    _inherit = "customer.complaint"

    can_triage = fields.Boolean(compute="_compute_allowed_actions")
    can_start_investigation = fields.Boolean(compute="_compute_allowed_actions")
    can_determine = fields.Boolean(compute="_compute_allowed_actions")
    can_propose_remedy = fields.Boolean(compute="_compute_allowed_actions")
    can_revise_remedy = fields.Boolean(compute="_compute_allowed_actions")
    can_reply = fields.Boolean(compute="_compute_allowed_actions")
    can_customer_accepts = fields.Boolean(compute="_compute_allowed_actions")
    can_customer_rejects = fields.Boolean(compute="_compute_allowed_actions")
    can_remedy_done = fields.Boolean(compute="_compute_allowed_actions")
    can_follow_up = fields.Boolean(compute="_compute_allowed_actions")
    can_close = fields.Boolean(compute="_compute_allowed_actions")
    can_mark_not_valid = fields.Boolean(compute="_compute_allowed_actions")
    can_withdraw = fields.Boolean(compute="_compute_allowed_actions")
    can_reopen = fields.Boolean(compute="_compute_allowed_actions")
    can_convert_to_complaint = fields.Boolean(compute="_compute_allowed_actions")
    can_convert_to_request = fields.Boolean(compute="_compute_allowed_actions")
    can_convert_to_suggestion = fields.Boolean(compute="_compute_allowed_actions")
    can_decide_approval = fields.Boolean(compute="_compute_allowed_actions")
    can_pause = fields.Boolean(compute="_compute_allowed_actions")
    can_resume = fields.Boolean(compute="_compute_allowed_actions")
    can_first_contact = fields.Boolean(compute="_compute_allowed_actions")
    can_site_visit = fields.Boolean(compute="_compute_allowed_actions")
    is_paused = fields.Boolean(compute="_compute_allowed_actions", string="Clock Paused")

    # -- the buttons follow the core -------------------------------------------------

    @api.depends_context("uid")
    @api.depends(
        "state",
        "kind",
        "user_id",
        "complained_user_ids",
        "proposed_by_id",
        "satisfaction",
        "customer_accepted",
        "investigation_started",
        "pause_ids.end_at",
        "first_contact_at",
        "site_visit_at",
    )
    def _compute_allowed_actions(self):
        """The steps this user may take now, as the core answers them (state,
        role, recusal, own proposal); nothing on an unsaved record."""
        names = [
            *CAN_FIELDS.values(),
            "can_convert_to_complaint",
            "can_convert_to_request",
            "can_convert_to_suggestion",
            "can_decide_approval",
            "can_pause",
            "can_resume",
            "can_first_contact",
            "can_site_visit",
            "is_paused",
        ]
        actor = self.env.user._complaint_actor()
        for rec in self:
            values = dict.fromkeys(names, False)
            if rec.id and isinstance(rec.id, int):
                policy = rec._policy()
                facts = rec._case_facts(policy)
                with core_errors(self.env):
                    allowed = set(allowed_actions(facts, actor, policy))
                values.update({CAN_FIELDS[a]: True for a in allowed if a in CAN_FIELDS})
                if "convert_kind" in allowed:
                    for kind in convertible_kinds(facts):
                        values[f"can_convert_to_{kind.value}"] = True
                values["can_decide_approval"] = bool(
                    {"approve", "reject_remedy"} & allowed
                    and self.env.user._complaint_authority_level()
                )
                running = rec.pause_ids.filtered(lambda p: not p.end_at)
                # the clocks and event times: for those who may act on the open case
                open_case = rec.state not in FINAL and bool(allowed)
                values.update(
                    is_paused=bool(running),
                    can_pause=open_case and not running,
                    can_resume=open_case and bool(running),
                    can_first_contact=open_case and not rec.first_contact_at,
                    can_site_visit=open_case
                    and not rec.site_visit_at
                    and rec.state in (State.TRIAGED.value, State.INVESTIGATING.value),
                )
            rec.update(values)

    # -- taking a step -----------------------------------------------------------------

    def _run_action(self, action, reason=None, actor=None, partner=None, **kw):
        """Ask the core's workflow to take ``action``; apply its decision.

        ``actor``/``partner``: the customer acting through the portal or a signed
        link (`_customer_answer`); the caller has checked their access to the case,
        the audit entry names the partner."""
        now = fields.Datetime.now()
        as_user = actor is None
        actor = actor or self.env.user._complaint_actor()
        for rec in self:
            if as_user:
                rec.check_access("write")
            policy = rec._policy()
            why = (reason if reason is not None else rec.action_reason) or ""
            case = rec._case_facts(policy)
            with core_errors(self.env):
                result = transition(
                    case, action, actor, policy, aware(now), why, **rec._transition_kw(action), **kw
                )
            rec._apply_core(result, now, partner=partner)
        return True

    def _apply_core(self, result, now, partner=None):
        """Write a workflow decision: the state and what its effects change, the
        audit entry (who, when, from, to, why), then what follows on other
        records; then assess severity and plan the milestones again."""
        self.ensure_one()
        vals, after = self._apply_effects(result.effects, now)
        vals.update(state=result.state.value, action_reason=False)
        self._write_rule(vals)
        self._audit(
            result.audit.action,
            result.audit.from_state.value,
            result.audit.to_state.value,
            result.audit.reason,
            now,
            partner=partner,
        )
        for follow in after:
            follow()
        self._refresh(now)

    def _audit(self, action, from_state, to_state, reason, now, partner=None):
        self.env["complaint.audit"].sudo().create(
            {
                "complaint_id": self.id,
                "partner_id": partner.id if partner else False,
                "action": action,
                "user_id": self.env.uid,
                "at": now,
                "from_state": from_state,
                "to_state": to_state,
                "reason": reason or "",
            }
        )

    def action_triage(self):
        for rec in self:
            if rec.category_id and not rec.department_id:
                rec.department_id = rec._default_department(rec.category_id, rec.company_id)
        return self._run_action("triage")

    def action_start_investigation(self):
        return self._run_action("start_investigation")

    def action_determine(self):
        return self._run_action("determine")

    def action_propose_remedy(self):
        return self._run_action("propose_remedy")

    def action_revise_remedy(self):
        return self._run_action("revise_remedy")

    def action_reply(self):
        return self._run_action("reply")

    def action_customer_accepts(self):
        """The customer's acceptance given by phone or on paper, recorded by staff."""
        return self._run_action("customer_accepts")

    def action_customer_rejects(self):
        return self._run_action("customer_rejects")

    def action_remedy_done(self):
        return self._run_action("remedy_done")

    def action_follow_up(self):
        return self._run_action("follow_up")

    def action_close(self):
        return self._run_action("close")

    def action_mark_not_valid(self):
        return self._run_action("mark_not_valid")

    def action_withdraw(self):
        return self._run_action("withdraw")

    def action_reopen(self):
        return self._run_action("reopen")

    def action_convert_to_complaint(self):
        return self._run_action("convert_kind", new_kind=Kind.COMPLAINT.value)

    def action_convert_to_request(self):
        return self._run_action("convert_kind", new_kind=Kind.REQUEST.value)

    def action_convert_to_suggestion(self):
        return self._run_action("convert_kind", new_kind=Kind.SUGGESTION.value)

    # -- event times of milestones --------------------------------------------------------

    def _mark_event(self, fname, action):
        now = fields.Datetime.now()
        for rec in self:
            rec.check_access("write")
            if rec.state in FINAL:
                rec._check_final_write({fname: now})
            if not rec[fname]:
                rec.write({fname: now})
                rec._audit(action, rec.state, rec.state, "", now)
        return True

    def action_first_contact(self):
        return self._mark_event("first_contact_at", "first_contact")

    def action_site_visit(self):
        return self._mark_event("site_visit_at", "site_visit")

    # -- pauses (SPEC §3: clocks stop while waiting on the customer) -----------------------

    def action_pause(self):
        """Stop the clocks from now on; the reason (Reason / Comment) is required.
        A pause starts now and is never back-dated or edited; each is audited."""
        now = fields.Datetime.now()
        for rec in self:
            rec.check_access("write")
            if rec.state in FINAL:
                rec._check_final_write({"pause_ids": True})
            if rec.pause_ids.filtered(lambda p: not p.end_at):
                raise UserError(
                    self.env._("The clocks of %(number)s are already paused.", number=rec.name)
                )
            reason = (rec.action_reason or "").strip()
            if not reason:
                raise UserError(
                    self.env._(
                        "Pausing the clocks needs a reason: fill in Reason / Comment (what the "
                        "customer is asked for)."
                    )
                )
            self.env["complaint.pause"].sudo()._start(rec, now, reason)
            rec._write_rule({"action_reason": False})
            rec._audit("pause", rec.state, rec.state, reason, now)
            rec._refresh(now)
        return True

    def action_resume(self):
        now = fields.Datetime.now()
        for rec in self:
            rec.check_access("write")
            running = rec.pause_ids.filtered(lambda p: not p.end_at)
            if not running:
                raise UserError(
                    self.env._("The clocks of %(number)s are not paused.", number=rec.name)
                )
            running.sudo()._end(now)
            rec._audit("resume", rec.state, rec.state, running[:1].reason, now)
            rec._refresh(now)
        return True

    # -- severity by hand (SPEC §2) -----------------------------------------------------------

    def _check_severity_change(self, vals):
        """A person may raise a level; lowering needs a manager and a reason."""
        new = vals.get("manual_severity")
        roles = self.env.user._complaint_roles()
        now = fields.Datetime.now()
        for rec in self:
            current = int(rec.severity or rec.computed_severity or 4)
            target = int(new) if new else int(rec.computed_severity or current)
            reason = vals.get("severity_change_reason", rec.severity_change_reason) or ""
            with core_errors(self.env):
                change_level(current, target, roles, reason, rec._policy())
            rec._audit(
                "severity", rec.state, rec.state, f"{current} -> {target}: {reason}".strip(), now
            )

    # -- remedies (SPEC §4: an approved remedy is frozen) -----------------------------------

    def _check_remedy_change(self):
        """Refuse a change of the remedies where the core says they are frozen."""
        for rec in self:
            with core_errors(self.env):
                remedy_change(rec.state, bool(rec._decisions()))

    def _remedies_changed(self):
        """A change of the remedies while they are being approved: the core says
        the round's decisions are void and the route is asked again (its cost,
        and so its approvers, may have changed); audited."""
        now = fields.Datetime.now()
        for rec in self:
            if rec.state != State.REMEDY_PROPOSED.value:
                continue
            if rec._remedies_match(rec.proposed_fingerprint):
                continue
            with core_errors(self.env):
                effects = remedy_change(rec.state, bool(rec._decisions()))
            vals, after = rec._apply_effects(effects, now)
            if vals:
                rec._write_rule(vals)
                rec._audit(
                    "remedy_changed",
                    rec.state,
                    rec.state,
                    "remedies changed while being approved: the decisions are void",
                    now,
                )
                rec.message_post(
                    body=self.env._(
                        "The remedies changed while being approved: the decisions taken so far are "
                        "void and the remedy is asked to be approved again."
                    )
                )
            for follow in after:
                follow()
