"""The printed forms (issue 10 §3, FORMS.md): 客户投诉登记表 and 投诉处理单 filled
from the record, in the customer's language, in the copies the company's policy
names (一式四联); the reply letter on the same layout; the boxes the forms added
to the case and the server's checks on them, for every caller."""

import json
import re
import shutil
import subprocess

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ComplaintCase

REGISTRATION = "customer_complaint.action_report_complaint_registration"
HANDLING = "customer_complaint.action_report_complaint_handling"
REPLY = "customer_complaint.action_report_complaint_reply"

# The forms' titles as the companies' procedures name them. The module's zh_CN.po
# carries them once the coordinator re-exports it; until then the test gives the
# views the translation the .po lacks (only where it lacks it), so what is asserted
# is Odoo's translation of the template in the reader's language either way.
ZH_TITLES_TEXT = {REGISTRATION: "客户投诉登记表", HANDLING: "投诉处理单"}


def ticked(html, label):
    """Whether the form's box for ``label`` is ticked (☑) or empty (☐)."""
    match = re.search(r"(☑|☐)\s*<span>" + re.escape(label) + "</span>", html)
    assert match, f"no box for {label!r}"
    return match.group(1) == "☑"


class FormsCase(ComplaintCase):
    """The fixture of the forms' tests: a customer with a code, the company's policy
    settings, a complaint with every box of the registration form filled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.ref = "C-0042"
        cls.policy = cls.env["complaint.policy"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        ) or cls.env["complaint.policy"].create({"company_id": cls.env.company.id})

    def html(self, report, records):
        return self.env["ir.actions.report"]._render_qweb_html(report, records.ids)[0].decode()

    def registered(self, **vals):
        values = {
            "contact_name": "Wang Li",
            "phone": "021-5555-0101",
            "address": "上海市浦东新区世纪大道1号",
            "product_id": self.product.id,
            "product_spec": "DN20",
            "production_plant": "Suzhou Plant 2",
            "lot_number": "LOT-2611-07",
            "quantity": 200,
            "amount": 12000,
            "defective_quantity": 20,
            "defective_used": 12,
            "defective_unused": 8,
            "evidence_sample": True,
            "evidence_other": "photos",
            "demand_compensation": 500,
            "demand_discount": 5,
            "demand_return_qty": 8,
            "demand_return_amount": 480,
            "description": "密封圈两天后漏水 (the seal leaks after two days)",
        }
        values.update(vals)
        return self.make(**values)

    def zh_customer(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["customer_complaint"], ["zh_CN"], overwrite=True
        )
        self.customer.lang = "zh_CN"


@tagged("post_install", "-at_install", "customer_complaint")
class TestForms(FormsCase):
    # -- 客户投诉登记表 -------------------------------------------------------------

    def test_registration_form_prints_the_record_in_chinese(self):
        c = self.registered()
        c.with_user(self.handler).service_opinion = "同意退换不良品"
        c.with_user(self.quality).quality_opinion = "加强来料检验"
        c.with_user(self.manager).write({"user_id": self.handler.id})
        c.with_user(self.manager).action_triage()
        self.zh_customer()
        html = self.html(REGISTRATION, c)
        self.assertIn("客户投诉登记表", html)
        self.assertNotIn("Complaint Registration Form", html)
        for value in (
            c.name,
            "Shanghai Widgets Ltd",
            "C-0042",
            "Wang Li",
            "上海市浦东新区世纪大道1号",
            "Suzhou Plant 2",
            "LOT-2611-07",
            "Pump P-20",
            "DN20",
            "<span>10.00</span> %",  # the defect rate: 20 of 200
            "密封圈两天后漏水",
            "同意退换不良品",
            "加强来料检验",
            "photos",
        ):
            self.assertIn(value, html)
        # the split of the defective quantity and the demands, as the record holds them
        self.assertRegex(html, r"(?s)已使用：.*12\.0.*未使用：.*8\.0.*合计：.*20\.0")
        self.assertIn("480.00", html)
        # who wrote the opinions and who reviewed (triaged) it: names the record holds
        self.assertEqual(c.service_opinion_by_id, self.handler)
        self.assertEqual(c.quality_opinion_by_id, self.quality)
        self.assertTrue(c.quality_opinion_at)
        for name in ("Handler", "Quality", "Manager", "Rep"):
            self.assertIn(f"<span>{name}</span>", html)
        # the boxes: the sample and "other" ticked, the rest left empty
        self.assertTrue(ticked(html, "不良样品"))
        self.assertFalse(ticked(html, "投诉事件"))
        self.assertFalse(ticked(html, "经常"))
        # the four copies of the company's default, each starting a page
        self.assertEqual(html.count('class="o_complaint_copy_label"'), 4)
        self.assertEqual(html.count("o_complaint_next_copy"), 3)

    def test_registration_form_in_english_for_an_english_customer(self):
        self.customer.lang = "en_US"
        c = self.registered(similar_complaints="first", matter_exists="yes")
        html = self.html(REGISTRATION, c)
        self.assertIn("Complaint Registration Form", html)
        self.assertIn("Copy 1: File", html)
        self.assertIn("Copy 4: Finance", html)
        self.assertTrue(ticked(html, "First time"))
        self.assertTrue(ticked(html, "Yes"))
        self.assertFalse(ticked(html, "No"))

    # -- 投诉处理单 -------------------------------------------------------------------

    def test_handling_form_ticks_the_remedies_and_signs_the_approvals(self):
        c = self._determined(investigation_notes="现场检查：密封圈安装不当")
        c.with_user(self.handler).write(
            {
                "countermeasure_definitive": "更换密封圈供应商",
                "remedy_ids": [
                    (0, 0, {"type": "return", "quantity": 8, "description": "退回8件"}),
                    (0, 0, {"type": "free_repair", "description": "replace the seal"}),
                    (0, 0, {"type": "gift", "amount": 50, "description": "voucher"}),
                ],
            }
        )
        c.with_user(self.handler).action_propose_remedy()
        c.with_user(self.manager).action_approve_stage()
        approval = c.approval_ids.filtered(lambda a: not a.voided)
        self.assertTrue(approval)
        self.zh_customer()
        html = self.html(HANDLING, c)
        self.assertIn("投诉处理单", html)
        self.assertIn("现场检查：密封圈安装不当", html)
        self.assertIn("更换密封圈供应商", html)
        self.assertIn("退回8件", html)
        # □退货 □换货 □打折扣 □免费修复 □其他, from the remedy lines, in zh_CN
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        labels = dict(zh["complaint.remedy"]._fields["type"]._description_selection(zh))
        self.assertEqual(labels["return"], "退货")
        self.assertTrue(ticked(html, labels["return"]))
        self.assertFalse(ticked(html, labels["exchange"]))
        self.assertFalse(ticked(html, labels["discount"]))
        self.assertTrue(ticked(html, labels["free_repair"]))
        self.assertTrue(ticked(html, labels["other"]))  # the voucher
        # the finding in the reader's language
        finding = dict(zh["customer.complaint"]._fields["finding"]._description_selection(zh))
        self.assertIn(finding["misuse"], html)
        # the approval: approver, the level's name, the date
        level = self.env["complaint.authority.level"].search(
            [("code", "=", approval[0].level_code)], limit=1
        )
        self.assertIn(approval[0].approver_id.name, html)
        self.assertIn(level.with_context(lang="zh_CN").name, html)
        self.assertEqual(c._form_approvals()[0][1], level.name)
        self.assertEqual(html.count('class="o_complaint_copy_label"'), 4)

    def test_handling_form_without_remedies_or_approvals(self):
        c = self._triaged()
        html = self.html(HANDLING, c)
        self.assertIn("No approval decided yet.", html)
        self.assertFalse(any(ticked for _label, ticked in c._form_remedy_boxes()))

    # -- the copies (一式四联) -----------------------------------------------------

    def test_copies_and_their_labels_come_from_the_policy(self):
        c = self.registered()
        self.policy.write({"form_copies": 2, "form_copy_labels": "White: file\nYellow: customer"})
        self.env["res.lang"]._activate_lang("zh_CN")
        self.policy.update_field_translations(
            "form_copy_labels", {"zh_CN": "第一联 存根\n第二联 客户"}
        )
        html = self.html(HANDLING, c)
        self.assertEqual(html.count('class="o_complaint_copy_label"'), 2)
        self.assertIn("White: file", html)
        self.assertIn("Yellow: customer", html)
        self.customer.lang = "zh_CN"
        html = self.html(REGISTRATION, c)
        self.assertIn("第二联 客户", html)
        self.assertNotIn("Yellow: customer", html)
        # more copies than labels: the others are numbered
        self.policy.form_copies = 3
        self.customer.lang = "en_US"
        self.assertEqual(c._form_copy_labels(), ["White: file", "Yellow: customer", "Copy 3"])
        # one copy: one page, no label
        self.policy.form_copies = 1
        html = self.html(REGISTRATION, c)
        self.assertEqual(html.count('class="page o_complaint_report"'), 1)
        self.assertNotIn("o_complaint_next_copy", html)
        self.assertNotIn('class="o_complaint_copy_label"', html)
        with self.assertRaises(ValidationError):
            self.policy.form_copies = 0
        with self.assertRaises(ValidationError):
            self.policy.form_copies = 11

    def test_the_reply_letter_shares_the_layout_and_prints_once(self):
        c = self._proposed(category_id=self.cat_delivery.id)
        c.with_user(self.manager).action_approve_stage()
        html = self.html(REPLY, c)
        self.assertEqual(html.count('class="page o_complaint_report"'), 1)
        self.assertNotIn('class="o_complaint_copy_label"', html)
        self.assertIn("Reply to Your Complaint", html)
        self.assertFalse(ticked(html, "I accept the remedy"))

    # -- the server's checks ---------------------------------------------------------

    def test_used_and_unused_fit_in_the_defective_quantity(self):
        with self.assertRaises(ValidationError) as error:
            self.registered(defective_used=15, defective_unused=8)
        self.assertIn("more than the defective quantity", str(error.exception))
        c = self.registered()
        with self.assertRaises(ValidationError):
            c.with_user(self.handler).write({"defective_unused": 9})
        with self.assertRaises(ValidationError):
            c.with_user(self.handler).write({"defective_quantity": 19})
        with self.assertRaises(ValidationError):
            c.with_user(self.handler).write({"defective_used": -1, "defective_unused": 0})
        self.assertEqual((c.defective_used, c.defective_unused, c.defective_quantity), (12, 8, 20))
        c.with_user(self.handler).write({"defective_used": 10, "defective_unused": 10})
        self.assertEqual(c.defective_used, 10)

    def test_only_quality_writes_the_quality_managers_opinion(self):
        c = self.registered()
        self.env.cr.flush()  # a record created in the same request is not tracked
        for user in (self.rep, self.handler):
            with self.assertRaises(AccessError) as error:
                c.with_user(user).write({"quality_opinion": "fine by me"})
            self.assertIn("Only the Quality group", str(error.exception))
        with self.assertRaises(AccessError):
            self.make(user=self.rep, quality_opinion="fine by me")
        self.assertFalse(c.quality_opinion)
        c.with_user(self.manager).quality_opinion = "managers have the Quality rights"
        self.assertEqual(c.quality_opinion_by_id, self.manager)
        # the opinion's change is in the chatter (tracking values are written at commit)
        self.env.flush_all()
        self.env.cr.flush()
        c.invalidate_recordset()
        self.assertTrue(
            c.message_ids.sudo().tracking_value_ids.filtered(
                lambda t: t.field_id.name == "quality_opinion"
            )
        )
        c.with_user(self.quality).quality_opinion = False
        self.assertFalse(c.quality_opinion_by_id)
        self.assertFalse(c.quality_opinion_at)

    def test_who_wrote_an_opinion_is_stamped_never_given(self):
        c = self.registered()
        for vals in (
            {"service_opinion_by_id": self.manager.id},
            {"quality_opinion_at": "2026-01-01 00:00:00"},
            {"market_opinion": "ok", "market_opinion_by_id": self.manager.id},
        ):
            with self.assertRaises(UserError):
                c.with_user(self.handler).with_context(complaint_workflow=True).write(vals)
        self.assertFalse(c.market_opinion)
        c.with_user(self.handler).market_opinion = "ok"
        self.assertEqual(c.market_opinion_by_id, self.handler)


@tagged("post_install", "-at_install", "customer_complaint")
class TestFormsPdf(FormsCase, HttpCase):
    """Real PDFs through wkhtmltopdf (it fetches the report's assets from the test's
    HTTP server, hence an HttpCase)."""

    def test_real_pdfs_where_wkhtmltopdf_is_present(self):
        Report = self.env["ir.actions.report"]
        if Report.get_wkhtmltopdf_state() not in ("ok", "upgrade"):
            self.skipTest("wkhtmltopdf is not installed: the PDFs are not rendered")
        c = self.registered()
        self.zh_customer()
        forced = Report.with_context(force_report_rendering=True)
        for report, pages in ((REGISTRATION, 4), (HANDLING, 4), (REPLY, 1)):
            pdf, kind = forced._render_qweb_pdf(report, c.ids)
            self.assertEqual(kind, "pdf")
            self.assertEqual(pdf[:4], b"%PDF", report)
            # one A4 page per copy: nothing spills over onto a second page
            self.assertEqual(len(re.findall(rb"/Type\s*/Page\b", pdf)), pages, report)
            if shutil.which("pdftotext") and report != REPLY:
                text = subprocess.run(
                    ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
                ).stdout.decode()
                # the Chinese is in the PDF as text (a CJK font is embedded; some
                # characters come out as their compatibility forms, hence the choice)
                self.assertIn(ZH_TITLES_TEXT[report], text)
                self.assertIn("密封圈两天后漏", text)


@tagged("post_install", "-at_install", "customer_complaint")
class TestFormsJsonRpc(HttpCase):
    """The quality manager's opinion over the server's JSON-RPC, as a browser's
    developer tools can call it: refused for a handler, with the reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.policy"]._invalidate_policy_cache()
        cls.rep = new_test_user(
            cls.env,
            "cc_forms_rep",
            password="cc_forms_rep_pw",
            groups="customer_complaint.group_complaint_sales_rep",
        )
        cls.quality = new_test_user(
            cls.env,
            "cc_forms_quality",
            password="cc_forms_quality_pw",
            groups="customer_complaint.group_complaint_quality,"
            "customer_complaint.group_complaint_admin",
        )
        customer = cls.env["res.partner"].create({"name": "RPC Forms", "user_id": cls.rep.id})
        cls.complaint = (
            cls.env["customer.complaint"]
            .with_user(cls.rep)
            .create({"partner_id": customer.id, "description": "kettle leaks"})
        )

    def rpc_write(self, vals):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": "customer.complaint",
                "method": "write",
                "args": [[self.complaint.id], vals],
                "kwargs": {"context": {"complaint_workflow": True}},
            },
        }
        return self.url_open(
            "/web/dataset/call_kw/customer.complaint/write",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        ).json()

    def test_quality_opinion_over_json_rpc(self):
        self.authenticate("cc_forms_rep", "cc_forms_rep_pw")
        answer = self.rpc_write({"quality_opinion": "accepted", "service_opinion": "ok"})
        self.assertIn("Only the Quality group", answer["error"]["data"]["message"])
        self.complaint.invalidate_recordset()
        self.assertFalse(self.complaint.quality_opinion)
        self.assertFalse(self.complaint.service_opinion)
        self.authenticate("cc_forms_quality", "cc_forms_quality_pw")
        answer = self.rpc_write({"quality_opinion": "accepted"})
        self.assertNotIn("error", answer)
        self.complaint.invalidate_recordset()
        self.assertEqual(self.complaint.quality_opinion, "accepted")
        self.assertEqual(self.complaint.quality_opinion_by_id, self.quality)
