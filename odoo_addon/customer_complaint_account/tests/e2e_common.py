"""The fixture of issue #4's end-to-end case, shared by the Python run
(test_end_to_end.py) and the browser run (test_e2e_tour.py): a delivered sales
order of 10 pumps and a product-quality complaint on it, investigated, with an
exchange and a 1,200 credit proposed."""

from .common import CreditNoteCase

NEEDED = ("customer_complaint_sale", "customer_complaint_stock")


class EndToEndCase(CreditNoteCase):
    def setUp(self):
        super().setUp()
        Module = self.env["ir.module.module"]
        missing = [name for name in NEEDED if Module._get(name).state != "installed"]
        if missing:
            self.skipTest(f"end-to-end test needs {', '.join(missing)} installed")
        self.rep.groups_id |= self.env.ref("sales_team.group_sale_salesman")
        self.handler.groups_id |= self.env.ref("stock.group_stock_user")
        self.warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        self.product.write({"is_storable": True, "list_price": 250.0})
        self.env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, 20
        )

    def _validate(self, picking):
        picking = picking.with_user(self.handler)
        picking.action_assign()
        for move in picking.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def _delivered_order(self):
        """A confirmed order of 10 pumps at 250, its delivery validated."""
        order = (
            self.env["sale.order"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "warehouse_id": self.warehouse.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 10,
                                "price_unit": 250.0,
                                "tax_id": [(6, 0, [])],
                            },
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        self._validate(order.picking_ids)
        return order

    def _proposed_on(self, order):
        """Registered from the order, triaged, investigated, a quality finding
        signed off by quality, an exchange + 1,200 credit proposed. Read as
        superuser; every step as the user whose role it needs."""
        c = self.make(
            sale_order_id=order.id, product_id=self.product.id, quantity=10, defective_quantity=1
        ).sudo()
        c.with_user(self.manager).write({"user_id": self.handler.id})
        c.with_user(self.manager).action_triage()
        c.with_user(self.handler).action_start_investigation()
        c.with_user(self.handler).write(
            {
                "finding": "quality",
                "quality_signoff_by_id": self.quality.id,
                "responsible_department_ids": [(6, 0, [self.dept_quality.id])],
                "remedy_ids": [
                    (
                        0,
                        0,
                        {
                            "type": "exchange",
                            "amount": 250.0,
                            "quantity": 1,
                            "description": "new pump",
                        },
                    ),
                    (0, 0, {"type": "credit", "amount": 1200.0, "description": "production stop"}),
                ],
            }
        )
        c.with_user(self.handler).action_determine()
        c.with_user(self.handler).action_propose_remedy()
        return c
