"""One door for every rule (issue #7): each hole found by calling the server the
way a logged-in user can from the browser's developer tools (``with_user`` +
``write`` / ``create`` / public methods, with a hostile context), now closed."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from complaint_core.workflow import allowed_actions, transition

from ..models.complaint import aware
from ..models.complaint_workflow import CAN_FIELDS
from .common import ComplaintCase

# the fields issue #7 found writable over RPC although the form shows them read-only
RULE_FIELD_VALUES = {
    "severity": "4",
    "computed_severity": "4",
    "escalated": True,
    "escalation_due_at": "9999-12-31 00:00:00",
    "name": "260101001",
    "registered_by_id": None,  # set per test: another user
    "proposed_by_id": None,
    "approver_ids": None,
    "approval_round": 7,
    "approved_fingerprint": "0" * 64,
    "state": "closed",
    "closed_at": "2026-01-01 00:00:00",
    "recomplaint": True,
}


@tagged("post_install", "-at_install", "customer_complaint")
class TestOneDoor(ComplaintCase):
    """Holes 1 and 2: a context key is no master key; read-only fields have one writer."""

    def _values(self, name):
        value = RULE_FIELD_VALUES[name]
        if name in ("registered_by_id", "proposed_by_id"):
            return self.manager.id
        if name == "approver_ids":
            return [Command.set([self.manager.id])]
        return value

    def test_hostile_context_closes_nothing(self):
        c = self.make()
        for ctx in (
            {"complaint_workflow": True},
            {"complaint_no_refresh": True},
            {"complaint_workflow": True, "complaint_no_refresh": True},
        ):
            with self.assertRaisesRegex(UserError, "only through its workflow steps"):
                c.with_user(self.rep).with_context(**ctx).write({"state": "closed"})
        self.assertEqual(c.state, "registered")
        self.assertEqual(c.audit_ids.mapped("action"), ["register"])

    def test_no_refresh_context_does_not_let_a_rep_lower_the_severity(self):
        c = self.make(injury=True)
        self.assertEqual(c.severity, "1")
        with self.assertRaisesRegex(AccessError, "needs the role"):
            c.with_user(self.rep).with_context(complaint_no_refresh=True).write(
                {"manual_severity": "4"}
            )
        self.assertEqual(c.severity, "1")

    def test_every_rule_field_is_refused_to_every_role(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        before = {name: c[name] for name in RULE_FIELD_VALUES}
        for user in (self.rep, self.handler, self.manager, self.env.ref("base.user_admin")):
            for name in RULE_FIELD_VALUES:
                with (
                    self.subTest(user=user.login, field=name),
                    self.assertRaisesRegex(UserError, "only through its workflow steps"),
                ):
                    c.with_user(user).with_context(complaint_workflow=True).write(
                        {name: self._values(name)}
                    )
        c.invalidate_recordset()
        self.assertEqual({name: c[name] for name in RULE_FIELD_VALUES}, before)

    def test_a_manager_cannot_take_over_a_proposal_and_approve_it(self):
        c = self._proposed(category_id=self.cat_delivery.id, by=self.manager)
        with self.assertRaises(UserError):
            c.with_user(self.manager).write({"proposed_by_id": self.handler.id})
        self.manager.complaint_authority_level_id = self.level_director
        with self.assertRaisesRegex(AccessError, "their own proposal"):
            c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "remedy_proposed")

    def test_a_handler_cannot_downgrade_an_injury_case_to_change_the_approver(self):
        c = self._proposed(category_id=self.cat_delivery.id, injury=True)
        self.assertEqual(c.severity, "1")
        with self.assertRaises(UserError):
            c.with_user(self.handler).write({"severity": "4"})
        self.assertEqual(c.approval_next_level_id.code, "general_manager")

    def test_create_takes_no_rule_field_from_values_or_context(self):
        with self.assertRaisesRegex(UserError, "only through its workflow steps"):
            self.make(state="closed")
        with self.assertRaisesRegex(UserError, "only through its workflow steps"):
            self.make(name="260101001")
        with self.assertRaisesRegex(UserError, "only through its workflow steps"):
            self.make(registered_by_id=self.manager.id)
        hostile = self.Complaint.with_context(
            default_state="closed",
            default_severity="4",
            default_escalated=True,
            default_escalation_due_at="9999-12-31 00:00:00",
            default_registered_by_id=1,
        )
        c = hostile.with_user(self.rep).create(
            {"partner_id": self.customer.id, "category_id": self.cat_quality.id}
        )
        self.assertEqual(
            (c.state, c.registered_by_id, c.escalated), ("registered", self.rep, False)
        )
        self.assertNotEqual(c.escalation_due_at, datetime(9999, 12, 31))
        with self.assertRaisesRegex(UserError, "only through its workflow steps"):
            c.with_user(self.rep).copy({"state": "closed"})

    def test_sub_records_are_not_written_through_the_complaint(self):
        c = self.make()
        milestone = c.milestone_ids[:1]
        for vals in (
            {"milestone_ids": [Command.update(milestone.id, {"due_at": "9999-12-31 00:00:00"})]},
            {"audit_ids": [Command.create({"action": "close", "at": fields.Datetime.now()})]},
            {"pause_ids": [Command.create({"start_at": "2020-01-01 00:00:00", "reason": "x"})]},
        ):
            with self.assertRaises(UserError):  # AccessError is a UserError too
                c.with_user(self.manager).write(vals)
        with self.assertRaises(AccessError):
            milestone.with_user(self.manager).write({"due_at": "9999-12-31 00:00:00"})


@tagged("post_install", "-at_install", "customer_complaint")
class TestFrozen(ComplaintCase):
    """Hole 3: frozen means frozen, on an approved and on a closed case."""

    def _approved(self):
        c = self._proposed(category_id=self.cat_delivery.id, amount=80.0)
        self.manager.complaint_authority_level_id = self.level_dept
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "approved")
        return c

    def _closed(self):
        c = self._approved()
        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        c.with_user(self.handler).action_remedy_done()
        c.with_user(self.rep).action_follow_up()
        c.with_user(self.rep).satisfaction = "4"
        c.with_user(self.handler).action_close()
        self.assertEqual(c.state, "closed")
        return c

    def test_closed_case_changes_only_through_reopen(self):
        c = self._closed()
        audits = len(c.audit_ids)
        line = c.remedy_ids
        with self.assertRaisesRegex(UserError, "only after it is reopened|until it is"):
            line.with_user(self.handler).write({"type": "cash", "amount": 50000, "reason": "x"})
        with self.assertRaises(UserError):
            c.with_user(self.handler).write(
                {"remedy_ids": [Command.create({"type": "credit", "amount": 9999})]}
            )
        with self.assertRaises(UserError):
            line.with_user(self.handler).unlink()
        with self.assertRaisesRegex(UserError, "until it is reopened"):
            c.with_user(self.handler).write({"description": "rewritten"})
        self.assertEqual((line.type, line.amount, len(c.remedy_ids)), ("free_repair", 80.0, 1))
        self.assertEqual((c.state, len(c.audit_ids)), ("closed", audits))
        # reopen is the way: then the case moves again
        c.with_user(self.rep).action_reason = "the repair did not hold"
        c.with_user(self.rep).action_reopen()
        self.assertEqual(c.state, "investigating")

    def test_an_approved_remedy_changes_only_through_a_new_proposal(self):
        c = self._approved()
        with self.assertRaisesRegex(UserError, "Revise Remedy"):
            c.remedy_ids.with_user(self.handler).amount = 50000
        self.assertEqual(c.remedy_ids.amount, 80.0)
        # a description is not what was approved
        c.remedy_ids.with_user(self.handler).description = "replace the seal and the lid"
        # revise: back to determined, approvals void, audited; a new proposal is approved anew
        c.with_user(self.handler).action_reason = "the customer wants a refund"
        c.with_user(self.handler).action_revise_remedy()
        self.assertEqual(c.state, "determined")
        self.assertFalse(c.approved_fingerprint)
        self.assertFalse(c.approved_at)
        self.assertTrue(all(c.approval_ids.mapped("voided")))
        c.remedy_ids.with_user(self.handler).write({"type": "credit", "amount": 2000})
        c.with_user(self.handler).action_propose_remedy()
        self.assertEqual(c.approval_round, 3)
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "approved")
        self.assertEqual(
            c.audit_ids.sorted("id").mapped("action")[-3:],
            ["revise_remedy", "propose_remedy", "approve"],
        )


@tagged("post_install", "-at_install", "customer_complaint")
class TestLiveRecusal(ComplaintCase):
    """Hole 4: naming someone as complained about takes every role from them."""

    def test_a_follower_named_later_is_removed_and_told_nothing(self):
        c = self._triaged()
        c.message_subscribe(partner_ids=self.quality.partner_id.ids)
        self.assertIn(self.quality.partner_id, c.message_partner_ids)
        c.with_user(self.manager).write({"complained_user_ids": [Command.link(self.quality.id)]})
        self.assertNotIn(self.quality.partner_id, c.message_partner_ids)
        message = c.message_post(
            body="internal update",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.quality.partner_id.ids,
        )
        self.assertNotIn(self.quality.partner_id, message.notification_ids.res_partner_id)
        with self.assertRaisesRegex(AccessError, "cannot follow it"):
            c.with_user(self.rep).message_subscribe(partner_ids=self.quality.partner_id.ids)

    def test_a_person_complained_about_cannot_be_made_handler(self):
        c = self.make(complained_user_ids=[Command.link(self.handler.id)])
        with self.assertRaisesRegex(ValidationError, "cannot be its Handler"):
            c.with_user(self.manager).write({"user_id": self.handler.id})
        # the handler named afterwards is no longer the handler
        d = self._triaged()
        d.with_user(self.manager).write({"complained_user_ids": [Command.link(self.handler.id)]})
        self.assertFalse(d.user_id)

    def test_no_activity_for_a_recused_manager_and_old_ones_go(self):
        c = self._proposed(category_id=self.cat_delivery.id, amount=1000.0)
        approval = self.env["mail.activity"].search(
            [("res_model", "=", c._name), ("res_id", "=", c.id), ("user_id", "=", self.manager.id)]
        )
        self.assertTrue(approval)
        c.with_user(self.handler).write({"complained_user_ids": [Command.link(self.manager.id)]})
        self.assertFalse(approval.exists())
        self.assertNotIn(self.manager, c.approver_ids)
        with self.assertRaisesRegex(UserError, "complained about"), self.env.cr.savepoint():
            c.activity_schedule("mail.mail_activity_data_todo", user_id=self.manager.id)
        # the deadline cron tells the handler, not the recused department manager
        later = fields.Datetime.now() + timedelta(days=40)
        self.Complaint._check_deadlines(now=later)
        users = (
            self.env["mail.activity"]
            .search([("res_model", "=", c._name), ("res_id", "=", c.id)])
            .user_id
        )
        self.assertNotIn(self.manager, users)


@tagged("post_install", "-at_install", "customer_complaint")
class TestPauses(ComplaintCase):
    """Hole 6: pauses are started and ended by the steps only, now, with a reason."""

    def test_pauses_cannot_be_back_dated_or_edited(self):
        c = self._triaged()
        Pause = self.env["complaint.pause"]
        with self.assertRaises(UserError):  # refused, whatever the access rights say
            Pause.with_user(self.rep).create(
                {"complaint_id": c.id, "reason": "", "start_at": "2026-01-01 00:00:00"}
            )
        with self.assertRaisesRegex(UserError, "needs a reason"):
            c.with_user(self.handler).action_pause()
        with freeze_time("2026-12-01 02:00:00"):
            c.with_user(self.handler).action_reason = "waiting for photos"
            c.with_user(self.handler).action_pause()
        pause = c.pause_ids
        self.assertEqual(
            (pause.start_at, pause.reason), (datetime(2026, 12, 1, 2, 0), "waiting for photos")
        )
        with self.assertRaises(UserError):
            pause.with_user(self.handler).write({"start_at": "2026-01-01 00:00:00"})
        with self.assertRaises(UserError):
            pause.sudo().write({"start_at": "2026-01-01 00:00:00"})
        with self.assertRaises(UserError):
            pause.with_user(self.handler).unlink()
        with freeze_time("2026-12-01 03:00:00"):
            c.with_user(self.handler).action_resume()
        self.assertEqual(pause.end_at, datetime(2026, 12, 1, 3, 0))
        with self.assertRaises(UserError):
            pause.sudo().write({"end_at": "2026-12-31 00:00:00"})
        self.assertEqual(c.audit_ids.sorted("id").mapped("action")[-2:], ["pause", "resume"])


@tagged("post_install", "-at_install", "customer_complaint")
class TestBadInput(ComplaintCase):
    """Hole 7: bad input is a clear, translated error, and nothing is written."""

    def assertRefused(self, vals, field_label, record=None):
        count = self.Complaint.search_count([])
        with self.assertRaisesRegex(ValidationError, field_label):
            if record is None:
                self.make(**vals)
            else:
                record.with_user(self.rep).write(vals)
        self.assertEqual(self.Complaint.search_count([]), count)

    def test_facts_are_checked_by_the_core(self):
        self.assertRefused({"received_at": "0001-01-01 00:00:00"}, "Received At.*out of range")
        self.assertRefused({"received_at": "9999-12-31 23:59:59"}, "Received At.*out of range")
        future = fields.Datetime.now() + timedelta(days=2)
        self.assertRefused({"received_at": future}, "Received At.*future")
        self.assertRefused({"quantity": -3}, "Quantity.*negative")
        self.assertRefused({"amount": -1}, "Amount.*negative")
        self.assertRefused({"customer_loss": -100}, "Customer Loss.*negative")
        self.assertRefused({"quantity": 10, "defective_quantity": 20}, "defective quantity")
        self.assertRefused({"demand_discount": 150}, "Discount Asked.*between 0 and 100")
        self.assertRefused({"description": "a\x00b"}, "Description.*NUL")
        c = self.make(received_at=fields.Datetime.now() - timedelta(hours=3))
        self.assertRefused(
            {"first_contact_at": fields.Datetime.now() - timedelta(days=1)},
            "First Contact.*earlier",
            record=c,
        )

    def test_every_problem_is_reported_at_once(self):
        with self.assertRaises(ValidationError) as info:
            self.make(quantity=-1, demand_discount=500, description="x\x00")
        text = str(info.exception)
        for label in ("Quantity", "Discount Asked", "Description"):
            self.assertIn(label, text)

    def test_unknown_selection_values_are_refused(self):
        self.assertRefused({"channel": "carrier_pigeon"}, "carrier_pigeon")
        c = self.make()
        self.assertRefused({"satisfaction": "9"}, "Satisfaction", record=c)

    def test_the_form_shows_the_error_too(self):
        form = Form(self.Complaint.with_user(self.rep))
        form.partner_id = self.customer
        form.received_at = datetime(1, 1, 1)
        with self.assertRaisesRegex(ValidationError, "out of range"):
            form.save()


@tagged("post_install", "-at_install", "customer_complaint")
class TestConfigurationValidated(ComplaintCase):
    """Hole 8: a configuration the core refuses is not saved, in the user's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.calendar = cls.env.ref("customer_complaint.complaint_calendar_china")

    def refused(self, pattern, record, vals):
        """``record.write(vals)`` is refused; like a request, its transaction part
        is rolled back (here: a savepoint)."""
        with self.assertRaisesRegex(ValidationError, pattern), self.env.cr.savepoint():
            record.write(vals)

    def test_bad_configuration_is_refused_with_its_problem(self):
        cal = self.calendar.with_user(self.admin)
        self.refused(
            "overlap",
            cal,
            {"hour_ids": [Command.create({"weekday": "0", "hour_from": 10, "hour_to": 11})]},
        )
        self.refused("XX", cal, {"holidays_country": "XX"})
        self.refused("no working time", cal, {"hour_ids": [Command.clear()]})
        milestone = self.env.ref("customer_complaint.complaint_sla_milestone_first_contact")
        self.refused("abc", milestone.with_user(self.admin), {"limit": "abc"})
        self.refused("-100", self.level_dept.with_user(self.admin), {"up_to": -100})
        self.env.invalidate_all()
        self.assertEqual(self.calendar.holidays_country, "CN")
        self.assertEqual(milestone.limit, "2wh")
        self.assertTrue(self.calendar.hour_ids)
        # and registration still works for everyone
        self.env["complaint.policy"]._invalidate_policy_cache()
        self.assertTrue(self.make().milestone_ids)

    def test_the_refusal_is_in_chinese_for_a_chinese_user(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.admin.lang = "zh_CN"
        with self.assertRaises(ValidationError) as info:
            self.calendar.with_user(self.admin).with_context(lang="zh_CN").write(
                {"holidays_country": "XX"}
            )
        self.assertRegex(str(info.exception), "[\u4e00-\u9fff]")


@tagged("post_install", "-at_install", "customer_complaint")
class TestChatterAndPartner(ComplaintCase):
    """Hole 9: the chatter is part of the audit trail; partners read for everyone."""

    def test_a_rep_cannot_delete_or_edit_a_message_on_a_complaint(self):
        c = self.make()
        message = c.with_user(self.rep).message_post(
            body="called the customer", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        with self.assertRaisesRegex(AccessError, "audit trail"):
            message.with_user(self.rep).unlink()
        with self.assertRaisesRegex(AccessError, "audit trail"):
            c.with_user(self.rep)._message_update_content(message, "", attachment_ids=[])
        with self.assertRaisesRegex(AccessError, "audit trail"):
            message.with_user(self.rep).write({"body": "nothing happened"})
        self.assertIn("called the customer", message.body)

    def test_an_employee_without_a_complaint_group_reads_partners(self):
        employee = self.env["res.users"].create(
            {
                "name": "Plain Employee",
                "login": "cc_plain_employee",
                "groups_id": [Command.set([self.env.ref("base.group_user").id])],
            }
        )
        Partner = self.env["res.partner"].with_user(employee)
        readable = Partner.fields_get(attributes=["type"])
        self.assertNotIn("complaint_count", readable)
        # every field our modules add to the partner that the employee is shown reads
        ours = [
            name
            for name, field in Partner._fields.items()
            if (field._module or "").startswith("customer_complaint") and name in readable
        ]
        data = self.customer.with_user(employee).read(["name", *ours])
        self.assertEqual(data[0]["name"], self.customer.name)
        with self.assertRaises(AccessError):
            self.customer.with_user(employee).read(["complaint_count"])


@tagged("post_install", "-at_install", "customer_complaint")
class TestButtonsFollowTheCore(ComplaintCase):
    """The buttons a user sees are the core's allowed actions for that user, and
    the step the server takes is the core's transition on the same facts."""

    def test_buttons_are_the_cores_answer_for_each_user(self):
        c = self.make()
        policy = c._policy()
        for user in (self.rep, self.handler, self.manager):
            mine = c.with_user(user)
            allowed = set(
                allowed_actions(mine._case_facts(policy), user._complaint_actor(), policy)
            )
            shown = {action for action, fname in CAN_FIELDS.items() if mine[fname]}
            self.assertEqual(shown, allowed & set(CAN_FIELDS), user.login)
        self.assertFalse(c.with_user(self.rep).can_triage)
        self.assertTrue(c.with_user(self.manager).can_triage)
        # never on an unsaved record; pause and resume never together
        draft = self.Complaint.with_user(self.manager).new({"partner_id": self.customer.id})
        self.assertFalse(any(draft[f] for f in CAN_FIELDS.values()))
        handler = c.with_user(self.handler)
        self.assertTrue(handler.can_pause and not handler.can_resume)
        handler.action_reason = "waiting for photos"
        handler.action_pause()
        self.assertTrue(handler.can_resume and not handler.can_pause)

    def test_odoo_takes_the_same_step_as_the_core_on_the_same_facts(self):
        c = self._triaged()
        policy = c._policy()
        facts = c._case_facts(policy)
        now = fields.Datetime.now()
        expected = transition(
            facts, "start_investigation", self.handler._complaint_actor(), policy, aware(now)
        )
        c.with_user(self.handler).action_start_investigation()
        entry = c.audit_ids.sorted("id")[-1]
        self.assertEqual(
            (c.state, entry.action, entry.from_state, entry.to_state),
            (
                expected.state.value,
                expected.audit.action,
                expected.audit.from_state.value,
                expected.audit.to_state.value,
            ),
        )
        self.assertTrue(c.investigation_started)  # the InvestigationStarted effect
