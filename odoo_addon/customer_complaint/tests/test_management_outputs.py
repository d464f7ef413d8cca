"""Issue 10, "done when", in one walk on real Odoo: a manager opens the monthly
table of November in the statistics wizard and sees what `complaints stats` says
of the same complaints exported; prints it and the registration form of one
complaint as PDFs in Chinese; the retention job then anonymises an expired
complaint, and the table the manager opens again is the same."""

import json
import re
import shutil
import subprocess
import unicodedata

from odoo.tests import HttpCase, tagged

from complaint_core.stats import render

from . import test_figures  # (the module, so its tests are not collected here again)
from .common import ComplaintCase, utc
from .test_stats_report import LinesAssertions

ANONYMOUS = "customer_complaint.res_partner_anonymous_customer"
TABLE = "customer_complaint.report_complaint_stats_table"
REGISTRATION = "customer_complaint.report_complaint_registration"


@tagged("post_install", "-at_install", "customer_complaint")
class TestManagementOutputs(LinesAssertions, ComplaintCase, HttpCase):
    # the figures' November walk (their helpers, not their tests)
    _walk_to_closed = test_figures.TestFigures._walk_to_closed
    _november = test_figures.TestFigures._november
    _cli = test_figures.TestFigures._cli

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        test_figures.november_fixture(cls, "cc_out")

    def _open_november(self):
        """The manager's statistics wizard for November, by category, computed."""
        wiz = (
            self.env["complaint.stats.wizard"]
            .with_user(self.manager)
            .create({"period_type": "month", "year": 2026, "month": "11"})
        )
        wiz.action_compute()
        return wiz

    def _printed_text(self, report, ids, user):
        """The text of the printed report: the PDF's (through wkhtmltopdf and
        pdftotext) where they are installed, else the HTML Odoo prints from."""
        Report = self.env["ir.actions.report"].with_user(user)
        if Report.get_wkhtmltopdf_state() not in ("ok", "upgrade") or not shutil.which("pdftotext"):
            return Report._render_qweb_html(report, ids)[0].decode()
        forced = Report.with_context(force_report_rendering=True)
        pdf, kind = forced._render_qweb_pdf(report, ids)
        self.assertEqual((kind, pdf[:4]), ("pdf", b"%PDF"), report)
        self.assertGreaterEqual(len(re.findall(rb"/Type\s*/Page\b", pdf)), 1)
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        # the embedded CJK font maps some characters to their compatibility forms
        # (⽉ for 月); the digits of its Latin font are not extractable as text
        return unicodedata.normalize("NFKC", text)

    def test_november_table_print_and_retention(self):
        closed, _october, _not_valid, _defects, _request, _other = self._november()
        self.env.flush_all()

        # 1. the manager's table is the CLI's on the same complaints exported
        wiz = self._open_november()
        table = wiz._core_table()
        self.assert_lines_equal(wiz, table)
        Complaint = self.Complaint.with_user(self.manager)
        export = Complaint._stats_export(Complaint.with_context(active_test=False).search([]))
        cli = self._cli(export, "stats", "--month", "2026-11", "--by", "category")
        self.assertEqual(json.loads(render(table, "json")), cli)
        self.assertGreaterEqual(cli["total"]["received"], 3)
        lines_before = [
            (line.name, line.received_count, line.closed_count, line.open_count)
            for line in wiz.line_ids.sorted("sequence")
        ]

        # 2. printed: the table and the registration form of the closed case, Chinese
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_complaint"], ["zh_CN"], overwrite=True
        )
        closed.partner_id.sudo().lang = "zh_CN"
        text = self._printed_text(TABLE, wiz.ids, self.manager)
        self.assertIn("客户投诉月统计表", text)
        self.assertIn("合计", text)
        text = self._printed_text(REGISTRATION, closed.ids, self.manager)
        self.assertIn("客户投诉登记表", text)
        self.assertIn("投诉事项", text)

        # 3. December 2029: the retention of November 2026 is over; the job
        # anonymises the closed case, and the table the manager opens is the same
        self.assertGreaterEqual(self.Complaint._archive_expired(now=utc("2029-12-01 10:00")), 1)
        self.assertFalse(closed.active)
        self.assertTrue(closed.anonymised_at)
        self.assertEqual(closed.partner_id, self.env.ref(ANONYMOUS))
        self.env.invalidate_all()
        again = self._open_november()
        self.assertEqual(again._core_table(), table)
        self.assertEqual(
            [
                (line.name, line.received_count, line.closed_count, line.open_count)
                for line in again.line_ids.sorted("sequence")
            ],
            lines_before,
        )
