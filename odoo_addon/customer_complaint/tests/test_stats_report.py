"""SPEC §7 in Odoo: the statistics wizard, its lines, the printed table and the
printed summary. The figures are the core's: the lines of a table must be the
rows of the core StatsTable they were made from, and what is printed must be
those lines."""

import shutil
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from complaint_core.model import Channel, State
from complaint_core.stats import ComplaintRecord, period_bounds, period_table, summary

from .common import ComplaintCase, utc

SH = ZoneInfo("Asia/Shanghai")


def at(day, hour=10, month=11):
    return datetime(2026, month, day, hour, tzinfo=SH)


def hand_made_records():
    """Eight complaints of November 2026 (and one of October still open), with
    milestones, money, quantities and answers: every column has a figure."""
    return [
        ComplaintRecord(
            "C-1",
            at(2),
            category="product_quality",
            severity=2,
            channel=Channel.PHONE,
            product="Pump P-20",
            closed_at=at(6),
            state=State.CLOSED,
            valid=True,
            loss_amount=Decimal("1200.50"),
            remedy_cost=Decimal("300"),
            quantity=Decimal(100),
            defective_quantity=Decimal(7),
            satisfaction=(5, 4),
            milestones={"first_contact": (at(3), at(2, 15)), "resolution": (at(9), at(6))},
            quality=True,
            process_link="processing",
            countermeasures=(("Seal ring too soft", "Harder seal compound from lot 2611"),),
        ),
        ComplaintRecord(
            "C-2",
            at(4),
            category="product_quality",
            severity=3,
            channel=Channel.EMAIL,
            product="Pump P-20",
            closed_at=at(20),
            state=State.CLOSED,
            valid=False,
            remedy_cost=Decimal("0"),
            quantity=Decimal(50),
            defective_quantity=Decimal(1),
            satisfaction=(2,),
            milestones={"first_contact": (at(5), at(5, 16)), "resolution": (at(11), at(20))},
            quality=True,
            process_link="processing",
            countermeasures=(("Seal ring too soft", "100% leak test before packing"),),
        ),
        ComplaintRecord(
            "C-3",
            at(10),
            category="delivery",
            severity=1,
            channel=Channel.PHONE,
            milestones={"first_contact": (at(11), None)},
        ),
        ComplaintRecord(
            "C-4",
            at(12),
            category="delivery",
            severity=2,
            channel=Channel.WEB,
            closed_at=at(13),
            state=State.CLOSED,
            valid=True,
            recomplaint=True,
            cluster=True,
            loss_amount=Decimal("80"),
            remedy_cost=Decimal("45.5"),
            process_link="transport",
            countermeasures=(("Pallet not strapped", "Strap every pallet; driver checklist"),),
        ),
        ComplaintRecord(
            "C-5", at(25), category="service_attitude", severity=1, channel=Channel.SALES_VISIT
        ),
        ComplaintRecord("C-6", at(28, 23), severity=4, channel=Channel.LETTER),
        ComplaintRecord(
            "C-0", at(20, 9, month=10), category="product_quality", severity=2
        ),  # October, still open: counted as open in November
    ]


class LinesAssertions:
    """The lines of a wizard are the rows and the total of a core StatsTable."""

    def assert_lines_equal(self, wiz, table):
        lines = wiz.line_ids.sorted("sequence")
        figures = [*table.rows, table.total]
        self.assertEqual(len(lines), len(figures))
        self.assertEqual(lines.mapped("is_total"), [False] * len(table.rows) + [True])
        codes = [c for c, _, _ in table.milestones]
        for line, fig in zip(lines, figures, strict=True):
            with self.subTest(group=fig.key):
                self.assertEqual(line.name, fig.label)
                self.assertEqual(line.received_count, fig.received)
                self.assertEqual(line.closed_count, fig.closed)
                self.assertEqual(line.open_count, fig.open)
                self.assertAlmostEqual(
                    line.resolution_rate, float((fig.resolution_rate or 0) * 100), places=2
                )
                self.assertEqual(
                    line.on_time_ids.mapped("code"), codes, "one on-time figure per milestone"
                )
                for o in line.on_time_ids:
                    core = fig.on_time[o.code]
                    self.assertEqual((o.on_time, o.counted), (core.on_time, core.counted))
                    self.assertAlmostEqual(o.rate, float((core.rate or 0) * 100), places=2)
                self.assertAlmostEqual(
                    line.mean_days_to_close, float(fig.mean_days_to_close or 0), places=2
                )
                self.assertAlmostEqual(
                    line.p90_days_to_close, float(fig.p90_days_to_close or 0), places=2
                )
                self.assertAlmostEqual(line.loss_amount, float(fig.loss_amount), places=2)
                self.assertAlmostEqual(line.remedy_cost, float(fig.remedy_cost), places=2)
                self.assertEqual(line.valid_count, fig.valid)
                self.assertEqual(line.not_valid_count, fig.not_valid)
                self.assertEqual(line.recomplaint_count, fig.recomplaints)
                self.assertEqual(line.cluster_count, fig.clusters)
                self.assertEqual(line.has_satisfaction_rate, fig.satisfaction_rate is not None)
                self.assertAlmostEqual(
                    line.satisfaction_rate, float((fig.satisfaction_rate or 0) * 100), places=2
                )
                self.assertEqual(line.has_defect_rate, fig.defect_rate is not None)
                self.assertAlmostEqual(
                    line.defect_rate, float((fig.defect_rate or 0) * 100), places=2
                )


@tagged("post_install", "-at_install")
class TestStatsReport(LinesAssertions, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.auditor = new_test_user(
            cls.env,
            "cc_stats_auditor",
            name="Auditor",
            groups="customer_complaint.group_complaint_auditor",
        )

    def setUp(self):
        super().setUp()
        self.policy = self.env["complaint.policy"]._complaint_policy(self.company)

    def core_table(self, by="category"):
        return period_table(
            hand_made_records(), at(1, 0), at(1, 0, month=12), self.policy, by, period="2026-11"
        )

    def wizard(self, user=None, **vals):
        values = {"period_type": "month", "year": 2026, "month": "11"}
        values.update(vals)
        return self.env["complaint.stats.wizard"].with_user(user or self.manager).create(values)

    # -- the lines are the core table -------------------------------------------

    def test_lines_equal_the_core_table_for_each_grouping(self):
        wiz = self.wizard()
        for by in ("category", "severity", "channel", "product", "handler"):
            table = self.core_table(by)
            wiz.with_user(self.manager)._fill_lines(table)
            self.assert_lines_equal(wiz, table)
            self.assertEqual(wiz.computed_by, by)
        # the figures themselves, once, so that "equal" is not "equally empty"
        total = wiz.line_ids.filtered("is_total")
        self.assertEqual((total.received_count, total.closed_count, total.open_count), (6, 3, 4))
        self.assertAlmostEqual(total.loss_amount, 1280.50)
        self.assertAlmostEqual(total.defect_rate, 8 / 150 * 100, places=2)
        self.assertAlmostEqual(total.satisfaction_rate, 2 / 3 * 100, places=2)

    def test_lines_show_in_their_own_list(self):
        wiz = self.wizard()
        wiz._fill_lines(self.core_table())
        action = wiz.action_show_lines()
        self.assertEqual(action["res_model"], "complaint.stats.line")
        Line = self.env["complaint.stats.line"].with_user(self.manager)
        self.assertEqual(Line.search(action["domain"]), wiz.line_ids)
        # Odoo's export (the XLSX of the list) reads the lines as the user; Odoo
        # asks for its export right (base.group_allow_export) for any export
        self.manager.groups_id = [(4, self.env.ref("base.group_allow_export").id)]
        rows = Line.search(action["domain"]).export_data(["name", "received_count"])["datas"]
        self.assertEqual(rows[-1], ["合计 Total", 6])

    # -- the printed table --------------------------------------------------------

    def test_html_report_has_the_chinese_titles_and_the_numbers(self):
        wiz = self.wizard()
        wiz._fill_lines(self.core_table())
        html, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            ._render_qweb_html("customer_complaint.report_complaint_stats_table", wiz.ids)
        )
        self.assertEqual(kind, "html")
        html = html.decode()
        for text in (
            "客户投诉月统计表",
            "Monthly Complaint Statistics",
            "分类 Category",
            "受理 Received",
            "不良率 Defect rate",
            "2026-11: 2026-11-01 – 2026-11-30 (Asia/Shanghai)",
            "1,280.50",  # the loss of the month
            "5.3%",  # the defect rate 8/150
            "66.7%",  # the satisfaction rate 2/3
            "合计 Total",
            self.company.name,
        ):
            self.assertIn(text, html)

    def test_pdf_is_a_real_pdf(self):
        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed")
        wiz = self.wizard()
        wiz._fill_lines(self.core_table())
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("customer_complaint.report_complaint_stats_table", wiz.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_print_button_of_the_list(self):
        wiz = self.wizard()
        wiz._fill_lines(self.core_table())
        Line = self.env["complaint.stats.line"].with_user(self.manager)
        action = Line.with_context(stats_wizard_id=wiz.id).action_print_table()
        self.assertEqual(action["report_name"], "customer_complaint.report_complaint_stats_table")
        self.assertEqual(action["context"]["active_ids"], wiz.ids)
        action = wiz.line_ids[:2].with_user(self.manager).action_print_table()
        self.assertEqual(action["context"]["active_ids"], wiz.ids)

    # -- the period ------------------------------------------------------------------

    def test_impossible_periods_are_refused(self):
        with self.assertRaises(ValidationError):
            self.wizard(period_type="week", week=54)
        with self.assertRaises(ValidationError):
            self.wizard(period_type="custom", date_from="2026-11-30", date_to="2026-11-01")
        with self.assertRaises(ValidationError):
            self.wizard(period_type="custom", date_from="2026-11-30")
        with self.assertRaises(ValidationError):
            self.wizard(month=False)
        # a year out of range is a clear error, also when written to a week period
        # (the ISO week count of year 0 cannot even be computed)
        wiz = self.wizard()
        with self.assertRaisesRegex(ValidationError, "2000 to 2999"):
            wiz.write({"period_type": "week", "week": 5, "year": 0})

    # -- the guards --------------------------------------------------------------------

    def test_nobody_writes_figures_or_result_fields(self):
        wiz = self.wizard()
        wiz._fill_lines(self.core_table())
        line = wiz.line_ids[:1].with_user(self.manager)
        with self.assertRaises(AccessError):
            line.write({"received_count": 999})
        with self.assertRaises(AccessError):
            line.on_time_ids[:1].write({"on_time": 999})
        with self.assertRaises(AccessError):
            self.env["complaint.stats.line"].with_user(self.manager).create(
                {"wizard_id": wiz.id, "name": "forged", "received_count": 999}
            )
        with self.assertRaises(AccessError):
            wiz.with_user(self.manager).write({"period_label": "2020-01"})
        with self.assertRaises(AccessError):
            wiz.with_user(self.manager).write({"line_ids": [(0, 0, {"name": "forged"})]})
        with self.assertRaises(AccessError):
            self.wizard(period_label="2020-01")

    def test_a_changed_period_drops_the_stale_table(self):
        wiz = self.wizard()
        wiz._fill_lines(self.core_table())
        wiz.with_user(self.manager).write({"month": "10"})
        self.assertFalse(wiz.line_ids)

    def test_tables_are_their_owners(self):
        wiz = self.wizard()
        wiz._fill_lines(self.core_table())
        other = self.director
        with self.assertRaises(AccessError):
            wiz.with_user(other).read(["period_label"])
        self.assertFalse(
            self.env["complaint.stats.line"].with_user(other).search([("wizard_id", "=", wiz.id)])
        )
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(other)._render_qweb_html(
                "customer_complaint.report_complaint_stats_table", wiz.ids
            )
        with self.assertRaises(AccessError):
            wiz.with_user(other)._fill_lines(self.core_table())
        with self.assertRaises(AccessError):  # the list's Print with a forged context
            self.env["complaint.stats.line"].with_user(other).with_context(
                stats_wizard_id=wiz.id
            ).action_print_table()

    def test_sales_rep_and_handler_get_no_statistics(self):
        for user in (self.rep, self.handler):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.wizard(user=user)
            with self.assertRaises(AccessError):
                self.env["complaint.stats.line"].with_user(user).search([])
        menu = self.env.ref("customer_complaint.menu_complaint_stats")
        visible = self.env["ir.ui.menu"].with_user(self.rep)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
        for user in (self.quality, self.manager, self.auditor):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            self.assertIn(menu.id, visible, user.login)

    def test_auditor_computes_tables(self):
        wiz = self.wizard(user=self.auditor)
        wiz._fill_lines(self.core_table())
        self.assertEqual(wiz.with_user(self.auditor).line_ids[-1:].received_count, 6)

    def test_other_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        with self.assertRaises(AccessError):
            self.wizard(company_id=other.id)

    # -- the summary -------------------------------------------------------------------

    def core_summary(self):
        return summary(hand_made_records(), at(1, 0), at(1, 0, month=12), self.policy)

    def test_summary_form_is_the_core_summary(self):
        wiz = self.wizard()
        form = wiz._report_summary(self.core_summary())
        items = dict(form["items"])
        self.assertEqual(items["天数 Days"], "30")
        self.assertEqual(items["受理 Received"], "6")
        self.assertEqual(items["每天投诉次数 Complaints per day"], "0.20")
        self.assertEqual(items["已解决投诉次数 Resolved complaints"], "3")
        self.assertEqual(items["解决比例 Resolution ratio"], "50.0%")
        self.assertEqual(items["涉及产品质量的次数 Product-quality complaints"], "2")
        self.assertEqual(items["满意率 Satisfaction rate"], "66.7%")
        self.assertEqual(items["有效 / 无效 Valid / not valid"], "2 / 1")
        (problem,) = form["quality_problems"]
        self.assertEqual((problem.problem, problem.complaints), ("Seal ring too soft", 2))
        links = {link["label"]: link for link in form["links"]}
        self.assertEqual(links["加工 Processing"]["complaints"], 2)
        self.assertEqual(links["运输 Transport"]["complaints"], 1)
        self.assertEqual(links["管理 Management"]["complaints"], 0)

    def test_summary_html_has_the_form(self):
        wiz = self.wizard()
        s = self.core_summary()
        html = str(
            self.env["ir.qweb"]
            .with_user(self.manager)
            ._render(
                "customer_complaint.report_complaint_stats_summary",
                {
                    "docs": wiz,
                    "summaries": {
                        wiz.id: {"form": wiz._report_summary(s), "period": "2026-11: test"}
                    },
                },
            )
        )
        for text in (
            "投诉处理总结表",
            "Complaint Handling Summary",
            "每天投诉次数 Complaints per day",
            "主要质量问题及对策",
            "Seal ring too soft",
            "Harder seal compound from lot 2611",
            "100% leak test before packing",
            "C-1, C-2",
            "运输 Transport",
            "Strap every pallet; driver checklist",
        ):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestStatsReportFigures(LinesAssertions, ComplaintCase):
    """The wizard over real complaints, through the figures API: what it shows is
    `customer.complaint._stats_table` as the user calling it, record rules
    included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.dept_only = cls.env["complaint.department"].create(
            {"name": "Stats: plant 2", "code": "stats_plant2"}
        )
        cls.manager_one = new_test_user(
            cls.env,
            "cc_stats_manager_one",
            name="Manager of plant 2",
            groups="customer_complaint.group_complaint_manager",
        )
        cls.dept_only.manager_id = cls.manager_one
        cls.mine = cls.env["customer.complaint"]
        for day in ("2026-11-03 09:00", "2026-11-17 15:00"):
            cls.mine |= cls.Complaint.create(
                {
                    "partner_id": cls.customer.id,
                    "category_id": cls.cat_delivery.id,
                    "description": "Truck late",
                    "received_at": utc(day),
                    "department_id": cls.dept_only.id,
                }
            )
        cls.other = cls.Complaint.create(
            {
                "partner_id": cls.customer.id,
                "category_id": cls.cat_quality.id,
                "description": "Pump leaks",
                "received_at": utc("2026-11-10 11:00"),
                "department_id": cls.dept_quality.id,
            }
        )

    def wizard(self, user, **vals):
        values = {"period_type": "month", "year": 2026, "month": "11"}
        values.update(vals)
        return self.env["complaint.stats.wizard"].with_user(user).create(values)

    def test_show_table_is_the_figures_api_for_each_grouping(self):
        wiz = self.wizard(self.manager)
        policy = self.env["complaint.policy"]._complaint_policy(self.company)
        start, end = period_bounds("2026-11", policy)
        for by in ("category", "severity", "channel", "product", "department", "handler"):
            wiz.group_by = by
            action = wiz.action_compute()
            self.assertEqual(action["domain"], [("wizard_id", "=", wiz.id)])
            table = self.Complaint.with_user(self.manager)._stats_table(
                start, end, by=by, company=self.company, period="2026-11"
            )
            self.assert_lines_equal(wiz, table)
        self.assertGreaterEqual(wiz.line_ids.filtered("is_total").received_count, 3)

    def test_a_manager_of_one_department_sees_only_its_figures(self):
        wiz = self.wizard(self.manager_one, group_by="department")
        wiz.action_compute()
        total = wiz.line_ids.filtered("is_total")
        self.assertEqual(total.received_count, 2)
        self.assertEqual(
            wiz.line_ids.filtered(lambda r: not r.is_total).mapped("name"), [self.dept_only.name]
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.manager_one)
            ._render_qweb_html("customer_complaint.report_complaint_stats_summary", wiz.ids)[0]
            .decode()
        )
        self.assertIn("投诉处理总结表", html)
        self.assertRegex(html, r"受理 Received</span></th>\s*<td><span>2</span>")
        # the manager of every department counts the third one too
        wide = self.wizard(self.manager, group_by="department")
        wide.action_compute()
        self.assertIn(self.dept_quality.name, wide.line_ids.mapped("name"))

    def test_week_and_quarter(self):
        wiz = self.wizard(self.manager, period_type="week", week=46)
        wiz.action_compute()
        self.assertEqual(wiz.period_label, "2026-W46")
        self.assertEqual(str(wiz.date_start), "2026-11-08 16:00:00")  # Mon 9 Nov, Shanghai
        self.assertGreaterEqual(wiz.line_ids.filtered("is_total").received_count, 2)
        wiz.write({"period_type": "quarter", "quarter": "4"})
        wiz.action_compute()
        self.assertEqual(wiz.period_label, "2026-Q4")
        self.assertEqual(str(wiz.date_end), "2026-12-31 16:00:00")
        wiz.write({"period_type": "custom", "date_from": "2026-11-03", "date_to": "2026-11-03"})
        wiz.action_compute()
        self.assertEqual(str(wiz.date_end), "2026-11-03 16:00:00")

    def test_print_computes_and_renders_a_pdf(self):
        wiz = self.wizard(self.manager_one)
        action = wiz.action_print_table()
        self.assertEqual(action["report_name"], "customer_complaint.report_complaint_stats_table")
        self.assertTrue(wiz.line_ids)
        action = wiz.action_print_summary()
        self.assertEqual(action["report_name"], "customer_complaint.report_complaint_stats_summary")
        if shutil.which("wkhtmltopdf"):
            pdf, kind = (
                self.env["ir.actions.report"]
                .with_user(self.manager_one)
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf("customer_complaint.report_complaint_stats_summary", wiz.ids)
            )
            self.assertEqual(kind, "pdf")
            self.assertTrue(pdf.startswith(b"%PDF"))
