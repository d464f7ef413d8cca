"""zh_CN translation of the bridge is complete (SPEC preamble: every user-facing
label in English and Simplified Chinese), held like the main module's
(customer_complaint/tests/test_i18n.py): every term an export finds has a
Chinese msgstr with the same placeholders. New terms: export as the main
module's test_i18n.py says, with --modules=customer_complaint_survey."""

import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from odoo.addons.customer_complaint.tests.test_i18n import placeholders

MODULE = "customer_complaint_survey"


@tagged("post_install", "-at_install", MODULE)
class TestSurveyZhCn(TransactionCase):
    def test_po_file_is_complete(self):
        po = polib.pofile(file_path(f"{MODULE}/i18n/zh_CN.po"))
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
        terms = {
            src: f"{ttype}:{name}"
            for module, ttype, name, _res_id, src, _value, _comments in reader
            if module == MODULE and src
        }
        self.assertGreater(len(terms), 40, "the export finds the bridge's terms")
        entries = {e.msgid: e for e in po if not e.obsolete}
        problems = []
        for src, where in sorted(terms.items()):
            entry = entries.get(src)
            if entry is None:
                problems.append(f"missing (re-export and translate) {where}: {src!r}")
            elif not entry.msgstr.strip():
                problems.append(f"untranslated {where}: {src!r}")
        for entry in entries.values():
            if "fuzzy" in entry.flags:
                problems.append(f"fuzzy: {entry.msgid!r}")
            if entry.msgstr and placeholders(entry.msgid) != placeholders(entry.msgstr):
                problems.append(f"placeholders differ: {entry.msgid!r} -> {entry.msgstr!r}")
            if entry.msgstr == entry.msgid and re.search(r"[a-z]{3}", entry.msgid):
                problems.append(f"msgstr copies the English: {entry.msgid!r}")
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
