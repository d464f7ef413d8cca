"""The figures (issue 10 §1–§2): stored after the real workflow steps, rates
aggregated as ratios of sums, and the statistics API, whose table is the one
``complaints stats`` computes from the same complaints exported."""

import json
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import yaml
from click.testing import CliRunner
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from complaint_core.cli import cli
from complaint_core.stats import GROUPINGS, read_records, render

from ..models.complaint import aware
from .common import ComplaintCase, utc

NOVEMBER = (date(2026, 11, 1), date(2026, 12, 1))


def november_fixture(cls, prefix):
    """What the November walk (`TestFigures._november`) needs besides the common
    fixture: an auditor, a department the test manager does not manage (with its
    own manager) and a second product; ``prefix`` keeps the logins apart."""
    cls.auditor = new_test_user(
        cls.env,
        f"{prefix}_auditor",
        name="Auditor",
        groups="customer_complaint.group_complaint_auditor",
    )
    cls.finance_manager = new_test_user(
        cls.env,
        f"{prefix}_finance",
        name="Finance Manager",
        groups="customer_complaint.group_complaint_manager",
    )
    cls.dept_other = cls.env["complaint.department"].create(
        {"name": "Test Finance", "code": "test_finance", "manager_id": cls.finance_manager.id}
    )
    cls.product_b = cls.env["product.product"].create({"name": "Valve V-8"})


@tagged("post_install", "-at_install", "customer_complaint")
class TestFigures(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        november_fixture(cls, "cc_fig")

    # -- the walk of a complaint through November ----------------------------------

    def _walk_to_closed(self):
        """Received Mon 2 Nov 10:00 (Shanghai), handled through every step,
        closed Tue 10 Nov 10:00: a quality finding in transport with its CAPA,
        a 300 repair, a satisfied follow-up."""
        with freeze_time(utc("2026-11-02 10:00")):
            c = self.make(
                category_id=self.cat_delivery.id,
                channel="phone",
                received_at=utc("2026-11-02 10:00"),
                product_id=self.product.id,
                lot_number="P20-2610",
                quantity=10,
                defective_quantity=2,
                customer_loss=500,
            )
        with freeze_time(utc("2026-11-02 10:30")):
            c.with_user(self.manager).write({"user_id": self.handler.id})
            c.with_user(self.manager).action_triage()
        with freeze_time(utc("2026-11-02 11:00")):
            c.with_user(self.handler).action_start_investigation()
            c.with_user(self.handler).write(
                {
                    "finding": "quality",
                    "process_link": "transport",
                    "quality_signoff_by_id": self.quality.id,
                    "responsible_department_ids": [(6, 0, self.dept_logistics.ids)],
                }
            )
            c.with_user(self.handler).action_determine()
            c.with_user(self.manager).write(
                {
                    "capa_ids": [
                        (
                            0,
                            0,
                            {
                                "root_cause": "Pumps stacked without spacers",
                                "action": "Spacers in every carton",
                            },
                        )
                    ]
                }
            )
            c.with_user(self.handler).write(
                {
                    "remedy_ids": [
                        (0, 0, {"type": "free_repair", "amount": 300.0, "description": "seal"})
                    ]
                }
            )
            c.with_user(self.handler).action_propose_remedy()
        with freeze_time(utc("2026-11-03 10:00")):
            c.with_user(self.manager).action_approve_stage()
        with freeze_time(utc("2026-11-03 11:00")):
            c.with_user(self.rep).action_reply()
            c.with_user(self.rep).action_customer_accepts()
        with freeze_time(utc("2026-11-10 10:00")):
            c.with_user(self.handler).action_remedy_done()
            c.with_user(self.handler).action_follow_up()
            c.with_user(self.handler).satisfaction = "5"
            c.with_user(self.handler).action_close()
        self.assertEqual(c.state, "closed")
        return c

    def _november(self):
        """The test's complaints around November 2026: closed in it, open from
        October, not valid in it, a defect rate, a request (not counted), and
        one of a department the test manager does not manage."""
        closed = self._walk_to_closed()
        with freeze_time(utc("2026-10-28 09:00")):
            october = self.make(
                category_id=self.cat_quality.id,
                channel="email",
                received_at=utc("2026-10-28 09:00"),
            )
            october.with_user(self.manager).write({"user_id": self.handler.id})
            october.with_user(self.manager).action_triage()
        with freeze_time(utc("2026-11-20 14:00")):
            not_valid = self.make(
                category_id=self.cat_service.id, channel="web", received_at=utc("2026-11-20 14:00")
            )
            not_valid.with_user(self.manager).write({"user_id": self.handler.id})
            not_valid.with_user(self.manager).action_triage()
            not_valid.with_user(self.handler).action_start_investigation()
        with freeze_time(utc("2026-11-25 09:00")):
            not_valid.with_user(self.handler).write(
                {"finding": "misuse", "action_reason": "Cleaned with acetone, see the manual."}
            )
            not_valid.with_user(self.handler).action_mark_not_valid()
        self.assertEqual(not_valid.state, "not_valid")
        with freeze_time(utc("2026-11-12 09:00")):
            defects = self.make(
                category_id=self.cat_quality.id,
                channel="letter",
                received_at=utc("2026-11-12 09:00"),
                product_id=self.product_b.id,
                lot_number="V8-2611",
                quantity=90,
                defective_quantity=5,
            )
            request = self.make(
                category_id=self.cat_service.id,
                kind="request",
                request_type="enquiry",
                received_at=utc("2026-11-12 09:00"),
            )
            other = self.make(
                category_id=self.cat_quality.id,
                department_id=self.dept_other.id,
                received_at=utc("2026-11-12 09:00"),
            )
        return closed, october, not_valid, defects, request, other

    # -- stored figures ------------------------------------------------------------

    def test_stored_figures_after_the_workflow(self):
        c = self._walk_to_closed()
        self.assertEqual(c.days_to_close, 8.0)
        self.assertEqual(c.is_closed_count, 1)
        calendar = c._calendar()
        minutes = calendar.working_minutes_between(aware(c.received_at), aware(c.closed_at))
        self.assertAlmostEqual(c.working_hours_to_close, round(minutes / 60, 2))
        # six working days of eight hours at most, and some of them worked
        self.assertGreater(c.working_hours_to_close, 8)
        self.assertLessEqual(c.working_hours_to_close, 7 * 8)
        self.assertEqual(c.remedy_cost, 300.0)
        self.assertEqual(c.customer_loss, 500.0)
        self.assertEqual(c.defect_rate, 20.0)
        self.assertEqual(c.process_link, "transport")
        self.assertEqual((c.valid_count, c.not_valid_count), (1, 0))
        self.assertEqual((c.recomplaint_count, c.cluster_count), (0, 0))
        self.assertEqual(c.satisfaction_score, 5)
        self.assertEqual((c.satisfied_count, c.satisfaction_answered), (1, 1))
        self.assertEqual(c.satisfaction_rate, 100.0)
        # milestones: dispatch done at triage (on time); the first contact was
        # never recorded, so it is done at the closing, a week late
        ms = {m.code: m for m in c.milestone_ids}
        self.assertTrue(ms["dispatch"].on_time)
        self.assertEqual((ms["dispatch"].on_time_count, ms["dispatch"].late_count), (1, 0))
        self.assertTrue(ms["first_contact"].late)
        self.assertEqual(ms["first_contact"].on_time_rate, 0.0)
        on_time = sum(1 for m in c.milestone_ids if m.due_at and m.done_at <= m.due_at)
        late = sum(1 for m in c.milestone_ids if m.due_at and m.done_at > m.due_at)
        self.assertEqual((c.milestones_on_time, c.milestones_late), (on_time, late))
        self.assertEqual(c.milestones_counted, on_time + late)
        self.assertAlmostEqual(c.on_time_rate, 100.0 * on_time / (on_time + late))
        # the stored columns hold it (what read_group and the dashboard read)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT remedy_cost, days_to_close, is_closed_count, milestones_late "
            "FROM customer_complaint WHERE id = %s",
            [c.id],
        )
        self.assertEqual(self.env.cr.fetchone(), (300.0, 8.0, 1, late))

        # reopened: open again, nothing counted as closed
        with freeze_time(utc("2026-11-11 10:00")):
            c.with_user(self.rep).action_reason = "still leaking"
            c.with_user(self.rep).action_reopen()
        self.assertEqual((c.is_closed_count, c.days_to_close), (0, 0.0))
        self.assertEqual(c.recomplaint_count, 1)
        self.assertEqual(c.satisfaction_answered, 0, "the core clears the answer of the round")

    def test_not_valid_and_breached(self):
        *_, not_valid, defects, _request, _other = self._november()
        self.assertEqual((not_valid.valid_count, not_valid.not_valid_count), (0, 1))
        self.assertEqual(not_valid.is_closed_count, 1)
        self.assertEqual((defects.valid_count, defects.not_valid_count), (0, 0), "undetermined")
        # a milestone not done: counted late once the deadline cron found it breached
        first = defects.milestone_ids.filtered(lambda m: m.code == "first_contact")
        self.assertFalse(first.done_at)
        self.assertEqual(first.counted_count, 0)
        with freeze_time(utc("2026-11-20 09:00")):
            self.Complaint._check_deadlines()
        self.assertTrue(first.notified_breached)
        self.assertTrue(first.late)
        self.assertEqual(defects.milestones_late, len(defects.milestone_ids.filtered("late")))
        self.assertEqual(defects.milestones_counted, defects.milestones_late)

    # -- rates aggregate as ratios of sums -------------------------------------------

    def test_pivot_rates_are_ratios_of_sums(self):
        a = self.make(quantity=10, defective_quantity=5)  # 50 %
        b = self.make(quantity=90, defective_quantity=5)  # 5.56 %
        both = a | b
        self.assertEqual(a.defect_rate, 50.0)
        domain = [("id", "in", both.ids)]
        # the pivot's call (the field's aggregator), and every sum/avg spelling
        [group] = self.Complaint.read_group(domain, ["defect_rate"], ["category_id"])
        self.assertAlmostEqual(group["defect_rate"], 10.0)  # 10 / 100, not 55.56 or 27.78
        for spec in ("defect_rate:avg", "defect_rate:sum"):
            [(total,)] = self.Complaint._read_group(domain, [], [spec])
            self.assertAlmostEqual(total, 10.0, msg=spec)
        [(quantity, defective)] = self.Complaint._read_group(
            domain, [], ["quantity:sum", "defective_quantity:sum"]
        )
        self.assertEqual((quantity, defective), (100.0, 10.0))
        # min/max keep their meaning
        [(top,)] = self.Complaint._read_group(domain, [], ["defect_rate:max"])
        self.assertEqual(top, 50.0)
        # nothing to divide by: empty, not an error
        c = self.make()
        [(rate,)] = self.Complaint._read_group([("id", "=", c.id)], [], ["defect_rate:avg"])
        self.assertFalse(rate)

    def test_on_time_and_satisfaction_rates_are_ratios_of_sums(self):
        closed, *rest = self._november()
        complaints = closed.union(*rest)
        domain = [("id", "in", complaints.ids)]
        [(on_time, counted, rate)] = self.Complaint._read_group(
            domain, [], ["milestones_on_time:sum", "milestones_counted:sum", "on_time_rate:avg"]
        )
        self.assertTrue(counted)
        self.assertAlmostEqual(rate, 100.0 * on_time / counted)
        # the milestone analysis: per code, on time / counted
        Milestone = self.env["complaint.milestone"]
        groups = Milestone._read_group(
            [("complaint_id", "in", complaints.ids)],
            ["code"],
            ["on_time_count:sum", "counted_count:sum", "on_time_rate:avg"],
        )
        self.assertTrue(groups)
        for code, on, n, code_rate in groups:
            if n:
                self.assertAlmostEqual(code_rate, 100.0 * on / n, msg=code)
            else:
                self.assertFalse(code_rate, code)
        [group] = Milestone.read_group(
            [("complaint_id", "in", closed.ids), ("code", "=", "first_contact")],
            ["on_time_rate"],
            ["code"],
        )
        self.assertEqual(group["on_time_rate"], 0.0)
        [(satisfied, answered, sat_rate)] = self.Complaint._read_group(
            domain,
            [],
            ["satisfied_count:sum", "satisfaction_answered:sum", "satisfaction_rate:avg"],
        )
        self.assertEqual((satisfied, answered, sat_rate), (1, 1, 100.0))

    # -- the statistics API equals `complaints stats` ----------------------------------

    def _cli_table(self, export, by):
        """``complaints stats FILE --month 2026-11 --by BY --format json`` on the
        export, with the company's policy written to a file."""
        return self._cli(export, "stats", "--month", "2026-11", "--by", by)

    def _cli(self, export, command, *args):
        policy = self.env["complaint.policy"]._policy_data(self.env.company)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "complaints.json")
            path.write_text(export, encoding="utf-8")
            policy_path = Path(tmp, "policy.yaml")
            policy_path.write_text(
                yaml.safe_dump(policy, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            result = CliRunner().invoke(
                cli,
                [command, str(path), *args, "--format", "json", "--policy", str(policy_path)],
            )
        self.assertEqual(result.exit_code, 0, result.output)
        return json.loads(result.output)

    def test_table_equals_the_cli_on_the_export(self):
        closed, october, not_valid, defects, request, other = self._november()
        Complaint = self.Complaint.with_user(self.manager)
        export = Complaint._stats_export(Complaint.with_context(active_test=False).search([]))
        numbers = {r["number"] for r in json.loads(export)}
        self.assertLessEqual({closed.name, october.name, not_valid.name, defects.name}, numbers)
        self.assertNotIn(other.name, numbers, "the manager does not see that department")
        for by in GROUPINGS:
            with self.subTest(by=by):
                table = Complaint._stats_table(*NOVEMBER, by=by, period="2026-11")
                self.assertEqual(json.loads(render(table, "json")), self._cli_table(export, by))
        # and the table holds the test's figures
        table = Complaint._stats_table(*NOVEMBER, by="product", period="2026-11")
        rows = {row.key: row for row in table.rows}
        pump = rows[self.product.display_name]
        self.assertGreaterEqual(pump.closed, 1)
        self.assertEqual(rows[self.product_b.display_name].defect_rate, Decimal(5) / Decimal(90))
        by_batch = {
            r.key: r for r in Complaint._stats_table(*NOVEMBER, by="batch", period="2026-11").rows
        }
        self.assertEqual(by_batch["P20-2610"].remedy_cost, 300)
        self.assertEqual(by_batch["P20-2610"].mean_days_to_close, 8)

    def test_export_round_trips(self):
        closed, *_ = self._november()
        export = self.Complaint._stats_export(closed)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "one.json")
            path.write_text(export, encoding="utf-8")
            [record] = read_records(path, closed._policy())
        self.assertEqual(record, closed._stats_records()[0])
        self.assertEqual(record.process_link, "transport")
        self.assertTrue(record.quality)
        self.assertEqual(
            record.countermeasures, (("Pumps stacked without spacers", "Spacers in every carton"),)
        )
        self.assertEqual(str(record.working_hours_to_close), f"{closed.working_hours_to_close:.2f}")
        self.assertEqual(record.satisfaction, (5,))
        self.assertEqual(self.Complaint._stats_export([]), "[]\n")

    def test_summary_equals_the_cli_on_the_export(self):
        closed, october, not_valid, defects, request, other = self._november()
        Complaint = self.Complaint.with_user(self.auditor)
        summary = Complaint._stats_summary(*NOVEMBER, period="2026-11")
        table = Complaint._stats_table(*NOVEMBER, period="2026-11")
        self.assertEqual(summary.figures, table.total)
        self.assertGreaterEqual(summary.figures.received, 4)
        export = Complaint._stats_export(Complaint.with_context(active_test=False).search([]))
        self.assertEqual(
            json.loads(render(summary, "json")),
            self._cli(export, "summary", "--period", "2026-11"),
        )
        # the form's items: the quality finding and its process link with the CAPA
        transport = next(p for p in summary.by_process_link if p.link == "transport")
        self.assertGreaterEqual(transport.complaints, 1)
        self.assertGreaterEqual(summary.quality, 1)
        self.assertIn("Spacers in every carton", json.dumps(json.loads(render(summary, "json"))))

    # -- record rules apply ------------------------------------------------------------------

    def test_a_manager_sees_the_figures_of_their_departments(self):
        *_, other = self._november()
        by_dept = {}
        for user in (self.manager, self.finance_manager, self.auditor):
            table = self.Complaint.with_user(user)._stats_table(*NOVEMBER, by="department")
            by_dept[user] = {row.key: row.received for row in table.rows}
        self.assertNotIn("Test Finance", by_dept[self.manager])
        self.assertEqual(by_dept[self.finance_manager], {"Test Finance": 1})
        self.assertEqual(by_dept[self.auditor]["Test Finance"], 1)
        for key, received in by_dept[self.manager].items():
            self.assertEqual(by_dept[self.auditor][key], received, key)
        # the pivot obeys the same rules
        groups = self.Complaint.with_user(self.finance_manager).read_group(
            [], ["remedy_cost"], ["department_id"]
        )
        self.assertEqual([g["department_id"][0] for g in groups], self.dept_other.ids)
        # and a complaint out of reach is not exported for the caller
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.manager)._stats_export(other.with_user(self.manager))

    def test_period_and_grouping_are_checked(self):
        with self.assertRaisesRegex(UserError, "grouped by"):
            self.Complaint._stats_table(*NOVEMBER, by="colour")
        with self.assertRaisesRegex(UserError, "end after it starts"):
            self.Complaint._stats_table(date(2026, 12, 1), date(2026, 11, 1))
        with self.assertRaises(UserError):
            self.Complaint._stats_table("2026-11", "2026-12")

    def test_domain_touches_the_period(self):
        closed, october, not_valid, defects, request, other = self._november()
        found = self.Complaint.search(self.Complaint._stats_domain(*NOVEMBER, self.env.company))
        self.assertLessEqual(closed | october | not_valid | defects | request | other, found)
        with freeze_time(utc("2026-09-01 10:00")):
            september = self.make(received_at=utc("2026-09-01 10:00"))
            september.with_user(self.rep).action_reason = "customer withdrew"
            september.with_user(self.rep).action_withdraw()
        self.assertEqual(september.state, "withdrawn")
        found = self.Complaint.search(self.Complaint._stats_domain(*NOVEMBER, self.env.company))
        self.assertNotIn(september, found, "closed before the period")
        december = self.Complaint._stats_domain(date(2026, 12, 1), date(2027, 1, 1))
        self.assertNotIn(closed, self.Complaint.search(december))
        self.assertIn(october, self.Complaint.search(december), "still open")

    # -- the server is the only guard ----------------------------------------------------------

    def test_figures_are_not_written_by_rpc(self):
        c = self._walk_to_closed()
        c.with_user(self.rep).action_reason = "reopen"
        with freeze_time(utc("2026-11-11 10:00")):
            c.with_user(self.rep).action_reopen()
        fields_values = {
            "remedy_cost": 1.0,
            "days_to_close": 1.0,
            "working_hours_to_close": 1.0,
            "is_closed_count": 1,
            "valid_count": 0,
            "not_valid_count": 1,
            "recomplaint_count": 0,
            "cluster_count": 1,
            "satisfaction_score": 1,
            "satisfied_count": 0,
            "satisfaction_answered": 9,
            "satisfaction_rate": 0.0,
            "milestones_on_time": 9,
            "milestones_late": 0,
            "milestones_counted": 9,
            "on_time_rate": 100.0,
            "defect_rate": 0.0,
        }
        for user in (self.manager, self.env.ref("base.user_admin")):
            for fname, value in fields_values.items():
                with self.subTest(field=fname, user=user.login):
                    with self.assertRaises(UserError):
                        c.with_user(user).write({fname: value})
                    with self.assertRaises(UserError):
                        self.make(user=user, **{fname: value})
        milestone = c.milestone_ids[:1]
        with self.assertRaises(AccessError):
            milestone.with_user(self.manager).write({"on_time": False, "late_count": 0})
        # the process link is a fact of the finding: written, tracked, checked
        c.with_user(self.handler).process_link = "management"
        self.assertEqual(c.process_link, "management")
        with self.assertRaises(ValidationError):
            c.with_user(self.handler).write({"process_link": "weather"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = c.sudo().message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "process_link"
        )
        self.assertTrue(tracked)
        # without a finding the link counts nowhere (the summary's problems by link
        # are the findings'); with one, it is the record's
        c.sudo()._write_rule({"finding": False})
        self.assertIsNone(c._stats_records()[0].process_link)
        c.sudo()._write_rule({"finding": "quality"})
        self.assertEqual(c._stats_records()[0].process_link, "management")


@tagged("post_install", "-at_install", "customer_complaint")
class TestFiguresDemo(TransactionCase):
    def test_demo_has_last_month(self):
        demo = self.env.ref(
            "customer_complaint.demo_complaint_figures_01", raise_if_not_found=False
        )
        if not demo:
            self.skipTest("installed without demo data")
        today = date.today()
        start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        manager = self.env.ref("customer_complaint.demo_user_manager_zhao")
        table = (
            self.env["customer.complaint"]
            .with_user(manager)
            ._stats_table(start, today.replace(day=1))
        )
        self.assertGreaterEqual(table.total.received, 1)
