from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.customer_complaint.tests.common import ComplaintCase


@tagged("post_install", "-at_install", "customer_complaint_sale")
class TestComplaintSale(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep.groups_id |= cls.env.ref("sales_team.group_sale_salesman")
        cls.seal = cls.env["product.product"].create({"name": "Seal S-4", "list_price": 8.0})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep.id,
                "client_order_ref": "PO-77",
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 10,
                            "price_unit": 250.0,
                            "tax_id": [(6, 0, [])],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "product_id": cls.seal.id,
                            "product_uom_qty": 40,
                            "price_unit": 8.0,
                            "tax_id": [(6, 0, [])],
                        },
                    ),
                ],
            }
        )
        cls.order.action_confirm()
        cls.pump_line, cls.seal_line = cls.order.order_line

    def test_order_and_lines_prefill_the_form(self):
        """Choosing the order fills the order number and date; choosing a line
        its product, quantity and amount (10 x 250 = 2,500, no tax)."""
        form = Form(self.Complaint.with_user(self.rep))
        form.partner_id = self.customer
        form.category_id = self.cat_quality
        form.description = "Two pumps leak"
        form.sale_order_id = self.order
        self.assertEqual(form.order_number, self.order.name)
        self.assertEqual(form.purchase_date, self.order.date_order.date())
        # two products on the order: no single product to prefill yet
        self.assertFalse(form.product_id)
        self.assertEqual(form.amount, 2500.0 + 320.0)
        form.sale_line_ids.add(self.pump_line)
        self.assertEqual(form.product_id, self.product)
        self.assertEqual(form.quantity, 10.0)
        self.assertEqual(form.amount, 2500.0)
        complaint = form.save()
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.sale_line_ids, self.pump_line)
        self.assertEqual(
            (complaint.product_id, complaint.quantity, complaint.amount),
            (self.product, 10.0, 2500.0),
        )

    def test_single_line_order_selects_its_line(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": self.seal.id,
                            "product_uom_qty": 3,
                            "price_unit": 8.0,
                            "tax_id": [(6, 0, [])],
                        },
                    )
                ],
            }
        )
        form = Form(self.Complaint.with_user(self.rep))
        form.partner_id = self.customer
        form.category_id = self.cat_quality
        form.description = "Seals are cracked"
        form.sale_order_id = order
        self.assertEqual(form.sale_line_ids[:], order.order_line)
        self.assertEqual((form.product_id, form.quantity, form.amount), (self.seal, 3.0, 24.0))

    def test_log_complaint_from_the_order(self):
        """The order's button opens a complaint prefilled with customer and order;
        the smart button then counts and lists it."""
        order = self.order.with_user(self.rep)
        self.assertEqual(order.complaint_count, 0)
        action = order.action_log_complaint()
        self.assertEqual(action["res_model"], "customer.complaint")
        form = Form(self.Complaint.with_user(self.rep).with_context(**action["context"]))
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.sale_order_id, self.order)
        self.assertEqual(form.order_number, self.order.name)
        self.assertEqual(form.phone, "+86 21 5555 0101")
        form.category_id = self.cat_quality
        form.description = "Pump leaks"
        complaint = form.save()
        other = self.make(sale_order_id=self.order.id)
        self.make()  # a complaint without an order is not counted
        order.invalidate_recordset(["complaint_count"])
        self.assertEqual(order.complaint_count, 2)
        listing = order.action_view_complaints()
        self.assertEqual(
            self.Complaint.with_user(self.rep).search(listing["domain"]), complaint | other
        )
        self.assertEqual(listing["context"]["default_sale_order_id"], self.order.id)

    def test_order_of_another_customer_is_refused(self):
        stranger = self.env["res.partner"].create({"name": "Other Buyer"})
        order = self.env["sale.order"].create({"partner_id": stranger.id})
        with self.assertRaisesRegex(ValidationError, "is not an order of"):
            self.make(sale_order_id=order.id)
        other_order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.seal.id, "product_uom_qty": 1})],
            }
        )
        with self.assertRaisesRegex(ValidationError, "must belong"):
            self.make(
                sale_order_id=self.order.id, sale_line_ids=[(6, 0, other_order.order_line.ids)]
            )

    def test_refusal_is_translated(self):
        """i18n/zh_CN.po loads and translates the bridge's messages."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_complaint_sale"], ["zh_CN"])
        stranger = self.env["res.partner"].create({"name": "Other Buyer"})
        order = self.env["sale.order"].create({"partner_id": stranger.id})
        with self.assertRaisesRegex(ValidationError, f"销售订单 {order.name} 不是 .* 的订单"):
            self.Complaint.with_user(self.rep).with_context(lang="zh_CN").create(
                {
                    "partner_id": self.customer.id,
                    "category_id": self.cat_quality.id,
                    "description": "Pump leaks",
                    "sale_order_id": order.id,
                }
            )
