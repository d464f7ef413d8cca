"""zh_CN translation of the module is complete and effective (issue #3).

SPEC (preamble): "every user-facing label ships in English and Simplified
Chinese (zh_CN)". The first test fails as soon as the module gains a term that
i18n/zh_CN.po does not translate; the second shows that a zh_CN user really
reads Chinese: a state label, a menu, configuration records and a core error.

New terms: install/update the module on a database with zh_CN loaded after its
creation (a database created with --load-language has en_US inactive and
exports Chinese msgids for records), then
  odoo-bin ... -d DB --i18n-export=/tmp/cc.po --modules=customer_complaint \
      --language=zh_CN --stop-after-init
keeps the existing translations and lists the new terms with an empty msgstr
(the same without --language, saved as i18n/customer_complaint.pot, gives the
template); translate them and copy the file to i18n/zh_CN.po.
"""

import re

import polib

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from .common import ComplaintCase

MODULE = "customer_complaint"

# printf-style (%s, %(name)s, %d, %%) and str.format/Owl-style ({name}, {{ x }})
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdfr%]|\{\{?\s*\w*\s*\}?\}")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def po_problems(env, module, po):
    """The terms an export of ``module`` finds now (its Python/JS/XML sources and its
    records with an XML id), and what ``po`` lacks for them: missing or untranslated
    terms, fuzzy entries, placeholders that differ, English copied as the Chinese."""
    reader = TranslationModuleReader(env.cr, modules=[module])
    terms = {
        src: f"{ttype}:{name}"
        for mod, ttype, name, _res_id, src, _value, _comments in reader
        if mod == module and src
    }
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
        # Chinese, not a copy of the English (codes such as "ID", "VIP" may stay)
        if entry.msgstr == entry.msgid and re.search(r"[a-z]{3}", entry.msgid):
            problems.append(f"msgstr copies the English: {entry.msgid!r}")
    return terms, problems


@tagged("post_install", "-at_install", "customer_complaint")
class TestZhCnTranslation(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po = polib.pofile(file_path(f"{MODULE}/i18n/zh_CN.po"))

    def test_po_file_is_complete(self):
        terms, problems = po_problems(self.env, MODULE, self.po)
        self.assertGreater(len(terms), 300, "the export finds the module's terms")
        self.assertFalse(problems, "i18n/zh_CN.po is not complete:\n" + "\n".join(problems))

    def test_placeholder_check_catches_a_mismatch(self):
        """The placeholder comparison above is not vacuous."""
        self.assertEqual(
            placeholders("You cannot %(action)s yet: %(field)s is required."),
            ["%(action)s", "%(field)s"],
        )
        self.assertNotEqual(placeholders("%(action)s"), placeholders("%(操作)s"))
        self.assertEqual(placeholders("{name} 100 %%"), ["%%", "{name}"])

    def test_zh_cn_user_reads_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"], overwrite=True)
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))

        # a state label of the selection (SPEC §4: registered = 登记)
        states = dict(zh["customer.complaint"]._fields["state"]._description_selection(zh))
        self.assertEqual(states["registered"], "登记")
        self.assertEqual(states["closed"], "结案")
        complaint = self.make()
        self.assertEqual(
            complaint.with_env(zh)
            ._fields["state"]
            .convert_to_export(complaint.state, complaint.with_env(zh)),
            "登记",
        )

        # the application's root menu
        menu = zh.ref("customer_complaint.menu_customer_complaint_root")
        self.assertEqual(menu.name, "投诉")

        # a refused transition: the core's error (code state_invalid), mapped
        # in models/core_errors.py and translated for the zh_CN user
        with self.assertRaises(UserError) as caught:
            complaint.with_env(zh).with_user(self.manager).action_close()
        message = str(caught.exception.args[0])
        # the state and the step inside are labels in the user's language too
        self.assertEqual(message, "投诉当前为“登记”，不能执行“结案”；仅在“回访/满意度”时可以执行。")
        self.assertNotIn("You cannot", message)

        # the default categories' names (policy name_zh) for the zh_CN user
        quality = zh.ref("customer_complaint.complaint_category_product_quality")
        self.assertEqual(quality.name, "产品质量")
        self.assertEqual(
            zh.ref("customer_complaint.complaint_sla_milestone_first_contact").name, "首次联系"
        )
        self.assertEqual(zh.ref("customer_complaint.complaint_department_logistics").name, "物流")
        # and the English user still reads English
        self.assertEqual(quality.with_context(lang="en_US").name, "Product quality")
