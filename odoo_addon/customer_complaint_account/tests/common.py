from odoo.tests import new_test_user

from odoo.addons.customer_complaint.tests.common import ComplaintCase


class CreditNoteCase(ComplaintCase):
    """ComplaintCase plus an accountant and a way to post and pay a credit note."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env, "cc_accountant", name="Accountant", groups="account.group_account_invoice"
        )
        cls.sale_journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.env.company.id)], limit=1
        )

    def setUp(self):
        super().setUp()
        if not (self.sale_journal and self.bank_journal):
            self.skipTest("the company has no sales or bank journal (no chart of accounts)")

    def post_and_pay(self, move):
        move.with_user(self.accountant).action_post()
        self.pay(move)

    def pay(self, move):
        self.env["account.payment.register"].with_user(self.accountant).with_context(
            active_model="account.move",
            active_ids=move.ids,
        ).create({"journal_id": self.bank_journal.id})._create_payments()
        self.assertIn(move.payment_state, ("paid", "in_payment"))
