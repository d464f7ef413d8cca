from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from complaint_core.errors import AuthorityError, InputError, TransitionError

from ..models.core_errors import translate_error
from .common import ComplaintCase, utc


@tagged("post_install", "-at_install", "customer_complaint")
class TestPolicyAdapter(ComplaintCase):
    def test_defaults_come_from_the_records(self):
        """The records made at install reproduce the shipped default policy."""
        from complaint_core.policy import default_policy

        policy = self.env["complaint.policy"]._complaint_policy()
        default = default_policy()

        def rules(p):  # Chinese names come from translations, absent in a test database
            return (
                replace(p.sla, milestones=tuple(replace(m, name_zh="") for m in p.sla.milestones)),
                replace(
                    p.authority, levels=tuple(replace(lv, name_zh="") for lv in p.authority.levels)
                ),
                {
                    code: (p.categories[code].parent, p.categories[code].department)
                    for code in default.categories
                },
            )

        self.assertEqual(policy.calendar, default.calendar)
        self.assertEqual(policy.severity, default.severity)
        self.assertEqual(rules(policy), rules(default))
        self.assertEqual(policy.numbering, default.numbering)
        self.assertEqual(policy.department_for("product_quality"), "quality")

    def test_a_changed_record_changes_the_rules(self):
        """Editing configuration drops the cached policy: the next complaint
        gets the new limit and the new threshold."""
        before = self.env["complaint.policy"]._complaint_policy()
        self.env.ref("customer_complaint.complaint_sla_milestone_first_contact").limit = "4wh"
        self.env.ref("customer_complaint.complaint_policy_main").major_loss = 1000
        after = self.env["complaint.policy"]._complaint_policy()
        self.assertIsNot(before, after)
        self.assertEqual(after.severity.major_loss, Decimal("1000.0"))
        with freeze_time("2026-01-19 02:00:00"):
            c = self.make(received_at=datetime(2026, 1, 19, 2, 0), customer_loss=1500)
        first = c.milestone_ids.filtered(lambda m: m.code == "first_contact")
        self.assertEqual(first.due_at, utc("2026-01-19 15:00"))  # 10:00 + 4 wh over lunch
        self.assertEqual(c.severity, "1")

    def test_make_up_working_day_counts(self):
        """A company make-up working day (a Saturday) carries working time."""
        calendar = self.env.ref("customer_complaint.complaint_calendar_china")
        calendar.day_ids = [
            (0, 0, {"date": "2026-01-24", "day_type": "workday", "name": "make-up day"})
        ]
        with freeze_time("2026-01-23 09:30:00"):
            c = self.make(received_at=utc("2026-01-23 17:30"))  # Friday 17:30
        first = c.milestone_ids.filtered(lambda m: m.code == "first_contact")
        self.assertEqual(first.due_at, utc("2026-01-24 10:30"))  # Saturday, not Monday

    def test_invalid_configuration_is_a_validation_error(self):
        self.env.ref("customer_complaint.complaint_sla_milestone_dispatch").limit = "24x"
        with self.assertRaisesRegex(ValidationError, "dispatch"):
            self.env["complaint.policy"]._complaint_policy()

    def test_error_mapping(self):
        """Core error codes become translated messages of the right Odoo class."""
        err = translate_error(
            self.env,
            TransitionError(
                "x", code="state_invalid", action="triage", state="closed", allowed=["registered"]
            ),
        )
        self.assertIsInstance(err, UserError)
        # codes become the labels users know: the button, the states
        self.assertEqual(
            str(err),
            "The step “Triage” is not possible while the complaint is "
            "Closed; it is possible when it is Registered.",
        )
        err = translate_error(
            self.env,
            AuthorityError(
                "x",
                code="authority_too_low",
                stage="remedy",
                required="director",
                level="supervisor",
            ),
        )
        self.assertIsInstance(err, AccessError)
        director = self.env["complaint.authority.level"].search([("code", "=", "director")])
        supervisor = self.env["complaint.authority.level"].search([("code", "=", "supervisor")])
        self.assertIn(
            f"needs the authority level {director.name}; you have {supervisor.name}", str(err)
        )
        err = translate_error(self.env, InputError("something odd", code="not_mapped"))
        self.assertIsInstance(err, ValidationError)
        self.assertIn("something odd", str(err))
