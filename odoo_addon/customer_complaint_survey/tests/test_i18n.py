"""zh_CN translation of the bridge is complete (SPEC preamble: every user-facing
label in English and Simplified Chinese), held like the main module's
(customer_complaint/tests/test_i18n.py): every term an export finds has a
Chinese msgstr with the same placeholders. New terms: export as the main
module's test_i18n.py says, with --modules=customer_complaint_survey."""

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path

from odoo.addons.customer_complaint.tests.test_i18n import po_problems

MODULE = "customer_complaint_survey"


@tagged("post_install", "-at_install", MODULE)
class TestSurveyZhCn(TransactionCase):
    def test_po_file_is_complete(self):
        po = polib.pofile(file_path(f"{MODULE}/i18n/zh_CN.po"))
        terms, problems = po_problems(self.env, MODULE, po)
        self.assertGreater(len(terms), 40, "the export finds the bridge's terms")
        self.assertFalse(problems, "i18n/zh_CN.po is not complete:\n" + "\n".join(problems))

    def test_zh_cn_user_reads_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"], overwrite=True)
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        codes = dict(zh["survey.question"]._fields["complaint_code"]._description_selection(zh))
        self.assertEqual(codes["timeliness"], "处理及时性")
        self.assertEqual(codes["comments"], "意见和建议")
        self.assertEqual(zh.ref(f"{MODULE}.survey_question_comments").title, "意见和建议")
        template = zh.ref(f"{MODULE}.mail_template_complaint_survey_invite")
        self.assertIn("满意", template.subject)
