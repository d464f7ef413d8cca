from lxml import etree

from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.complaint_buttons import PRIMARY_STEPS
from .common import ComplaintCase

# header button -> the core's boolean that allows it
BUTTONS = {
    "action_triage": "can_triage",
    "action_start_investigation": "can_start_investigation",
    "action_determine": "can_determine",
    "action_propose_remedy": "can_propose_remedy",
    "action_approve_stage": "can_decide_approval",
    "action_open_decision_wizard": "can_decide_approval",
    "action_reply_send": "can_reply",
    "action_customer_accepts": "can_customer_accepts",
    "action_remedy_done": "can_remedy_done",
    "action_customer_rejects": "can_customer_rejects",
    "action_revise_remedy": "can_revise_remedy",
    "action_follow_up": "can_follow_up",
    "action_close": "can_close",
    "action_reopen": "can_reopen",
    "action_first_contact": "can_first_contact",
    "action_site_visit": "can_site_visit",
    "action_pause": "can_pause",
    "action_resume": "can_resume",
    "action_convert_to_complaint": "can_convert_to_complaint",
    "action_convert_to_request": "can_convert_to_request",
    "action_mark_not_valid": "can_mark_not_valid",
    "action_withdraw": "can_withdraw",
}
PRIMARY_BUTTON = {
    "triage": "action_triage",
    "start_investigation": "action_start_investigation",
    "determine": "action_determine",
    "propose_remedy": "action_propose_remedy",
    "decide_approval": "action_approve_stage",
    "reply": "action_reply_send",
    "customer_accepts": "action_customer_accepts",
    "remedy_done": "action_remedy_done",
    "follow_up": "action_follow_up",
    "close": "action_close",
}
FIELDS = [*dict.fromkeys(BUTTONS.values()), "next_action", "is_paused", "dissatisfied_pending"]


@tagged("post_install", "-at_install")
class TestFormButtons(ComplaintCase):
    """The form's header shows each user the steps the core allows them now, one
    primary button (the next step), Pause or Resume, nothing before the first save."""

    def _header(self, user):
        arch = self.Complaint.with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
        buttons = etree.fromstring(arch).xpath("//header/button")
        return [b for b in buttons if b.get("name") in BUTTONS]

    def _shown(self, complaint, user):
        """(names of the shown workflow buttons, names of the shown primary ones),
        the invisible modifiers evaluated on the values this user reads."""
        rec = complaint.with_user(user)
        values = rec.read(FIELDS)[0]
        shown, primary = [], []
        for button in self._header(user):
            if safe_eval(button.get("invisible") or "False", values):
                continue
            shown.append(button.get("name"))
            if "oe_highlight" in (button.get("class") or "").split():
                primary.append(button.get("name"))
        return values, shown, primary

    def _check(self, complaint, user):
        values, shown, primary = self._shown(complaint, user)
        allowed = {name for name, can in BUTTONS.items() if values[can]}
        self.assertEqual(set(shown), allowed, f"{user.name}: the buttons are the core's answer")
        self.assertEqual(len(shown), len(set(shown)), "no step shows twice")
        self.assertFalse(values["can_pause"] and values["can_resume"], "Pause XOR Resume")
        self.assertFalse(
            {"action_pause", "action_resume"} <= set(shown), "Pause and Resume never together"
        )
        first = next((step for step, can in PRIMARY_STEPS if values[can]), False)
        self.assertEqual(values["next_action"], first)
        self.assertEqual(
            primary,
            [PRIMARY_BUTTON[first]] if first else [],
            f"{user.name}: one primary button, the next step",
        )
        return values, shown, primary

    def test_registered(self):
        complaint = self.make()
        _v, rep_shown, _p = self._check(complaint, self.rep)
        self.assertNotIn("action_triage", rep_shown, "a rep may not triage")
        self.assertNotIn("action_resume", rep_shown)
        _v, shown, primary = self._check(complaint, self.manager)
        self.assertEqual(primary, ["action_triage"], "the manager's next step is Triage")
        self._check(complaint, self.handler)

    def test_triaged(self):
        complaint = self._triaged()
        _v, shown, primary = self._check(complaint, self.handler)
        self.assertEqual(primary, ["action_start_investigation"])
        self.assertIn("action_pause", shown)
        self.assertNotIn("action_resume", shown)
        self.assertNotIn("action_triage", shown, "triaged already")
        self._check(complaint, self.rep)
        self._check(complaint, self.manager)

    def test_paused_shows_resume_only(self):
        complaint = self._triaged()
        handler = complaint.with_user(self.handler)
        handler.action_reason = "Waiting for the customer's photos"
        handler.action_pause()
        for user in (self.handler, self.manager):
            values, shown, _p = self._check(complaint, user)
            self.assertTrue(values["is_paused"])
            self.assertIn("action_resume", shown)
            self.assertNotIn("action_pause", shown)

    def test_unsaved_record_has_no_workflow_button(self):
        for user in (self.rep, self.handler, self.manager):
            header = self._header(user)
            self.assertTrue(header)
            for button in header:
                self.assertTrue(
                    button.get("invisible", "").startswith("not id or "),
                    f"{button.get('name')} hides before the first save",
                )
            form = Form(self.Complaint.with_user(user))
            values = {name: form._values.get(name) for name in FIELDS}
            values["id"] = False
            for button in header:
                self.assertTrue(safe_eval(button.get("invisible"), values), button.get("name"))
            self.assertFalse(form.next_action)
