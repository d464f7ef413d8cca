from lxml import etree

from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install", "customer_complaint")
class TestPartnerButton(ComplaintCase):
    """Issue 11 item 10: the smart button shows one figure per line."""

    def test_button_lines(self):
        partner = self.customer.with_user(self.rep)
        self.assertEqual(partner.complaint_count_label, "0 Complaints")
        first = self.make()
        partner.invalidate_recordset()
        self.assertEqual(partner.complaint_count_label, "1 Complaint")
        self.assertEqual(partner.complaint_open_label, "1 open")
        self.make()
        first.with_user(self.rep).action_reason = "solved by phone"
        first.with_user(self.rep).action_withdraw()
        partner.invalidate_recordset()
        self.assertEqual(partner.complaint_count, 2)
        self.assertEqual(partner.complaint_count_label, "2 Complaints")
        self.assertEqual(partner.complaint_open_label, "1 open")

    def test_form_arch(self):
        arch = (
            self.env["res.partner"]
            .with_user(self.rep)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        button = etree.fromstring(arch).xpath("//button[@name='action_view_complaints']")[0]
        info = button.xpath("./div[hasclass('o_stat_info')]")[0]
        # Odoo 18 shows the text line first, the bold value line under it
        (text,) = info.xpath("./span[hasclass('o_stat_text')]")
        self.assertEqual(text.xpath("./field/@name"), ["complaint_count_label"])
        self.assertIsNone(text.get("invisible"))
        (value,) = info.xpath("./span[hasclass('o_stat_value')]")
        self.assertEqual(value.xpath("./field/@name"), ["complaint_open_label"])
        self.assertIn("text-danger", value.get("class"))
        self.assertEqual(value.get("invisible"), "not complaint_open_count")
        # no loose words around the figures ("2 open" was a field plus text)
        for span in (text, value):
            self.assertFalse("".join(span.itertext()).strip())
