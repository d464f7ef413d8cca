"""zh_CN translation of the dashboard bridge is complete (SPEC preamble: every
user-facing label in English and Simplified Chinese), held like the main module's
(customer_complaint/tests/test_i18n.py): every term an export finds — the dashboard
and group names, and the spreadsheet's cell labels, chart titles and filter labels
(Odoo extracts the _t("...") of data/files/*_dashboard.json) — has a Chinese msgstr.
New terms: export as the main module's test_i18n.py says, with
--modules=customer_complaint_dashboard."""

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

from odoo.addons.customer_complaint.tests.test_i18n import po_problems

MODULE = "customer_complaint_dashboard"


@tagged("post_install", "-at_install", MODULE)
class TestDashboardZhCn(TransactionCase):
    def test_po_file_is_complete(self):
        po = polib.pofile(file_path(f"{MODULE}/i18n/zh_CN.po"))
        terms, problems = po_problems(self.env, MODULE, po)
        self.assertIn("Remedy cost this month", terms, "the export finds the spreadsheet's labels")
        self.assertFalse(problems, "i18n/zh_CN.po is not complete:\n" + "\n".join(problems))

    def test_zh_cn_user_reads_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"], overwrite=True)
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(zh.ref(f"{MODULE}.spreadsheet_dashboard_complaints").name, "投诉")
        self.assertEqual(zh.ref(f"{MODULE}.spreadsheet_dashboard_group_complaints").name, "投诉")
