from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditNoteCase


@tagged("post_install", "-at_install", "customer_complaint_account")
class TestComplaintCreditNotes(CreditNoteCase):
    def _proposed(self, remedies, **vals):
        """A delivery complaint (one-stage approval) with its remedies proposed."""
        # the complaint's own vals may hold "amount", so not the base _proposed
        c = self._determined(category_id=self.cat_delivery.id, **vals)
        c.with_user(self.handler).write({"remedy_ids": [(0, 0, r) for r in remedies]})
        c.with_user(self.handler).action_propose_remedy()
        return c.sudo()  # read as superuser; each step is taken as its user

    def test_approval_drafts_credit_notes_and_remedy_done_waits_for_payment(self):
        c = self._proposed(
            [
                {"type": "credit", "amount": 1200.0, "description": "credit for the lost day"},
                {"type": "cash", "amount": 300.0, "reason": "taxi to collect the pump"},
                {"type": "apology"},
            ]
        )
        credit, cash, apology = c.remedy_ids.sorted("id")
        self.assertFalse(c.move_ids)  # nothing before the approval (SPEC §4)
        self.assertEqual(credit.credit_note_state, "todo")
        # 1,500 needs the department manager; the manager is no accountant
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.state, "approved")
        moves = c.move_ids
        self.assertEqual(len(moves), 2)
        self.assertEqual(c.credit_note_count, 2)
        self.assertEqual(set(moves.mapped("move_type")), {"out_refund"})
        self.assertEqual(set(moves.mapped("state")), {"draft"})
        self.assertEqual(moves.partner_id, self.customer)
        self.assertEqual(credit.move_id.amount_total, 1200.0)
        self.assertEqual(cash.move_id.amount_total, 300.0)
        self.assertEqual(credit.move_id.invoice_origin, c.name)
        self.assertEqual(credit.move_id.complaint_remedy_ids, credit)
        self.assertEqual(moves.complaint_id, c)
        self.assertFalse(apology.move_id)
        self.assertEqual(
            (credit.credit_note_state, credit.execution_state), ("in_progress", "in_progress")
        )
        self.assertEqual((apology.credit_note_state, apology.execution_state), (False, "none"))
        c.with_user(self.rep).action_reply()
        c.with_user(self.rep).action_customer_accepts()
        with self.assertRaisesRegex(
            UserError,
            r"not carried out: Credit \(In progress\), "
            r"Cash compensation \(In progress\)",
        ):
            c.with_user(self.handler).action_remedy_done()
        self.post_and_pay(credit.move_id)
        self.assertEqual(credit.execution_state, "done")
        cash.move_id.with_user(self.accountant).action_post()
        self.assertEqual(cash.credit_note_state, "in_progress")  # posted, not paid
        with self.assertRaisesRegex(UserError, r"Cash compensation \(In progress\)\.$"):
            c.with_user(self.handler).action_remedy_done()
        self.pay(cash.move_id)
        c.with_user(self.handler).action_remedy_done()
        self.assertEqual(c.state, "remedy_done")

    def test_discount_by_percentage_and_no_note_before_approval(self):
        """A 10 % discount on the complaint's 2,000: a 200 credit note."""
        c = self._proposed([{"type": "discount", "discount_percent": 10.0}], amount=2000.0)
        with self.assertRaisesRegex(UserError, "once the remedy is approved"):
            c.with_user(self.manager).action_create_credit_notes()
        c.with_user(self.manager).action_approve_stage()
        self.assertEqual(c.remedy_ids.move_id.amount_total, 200.0)
        self.assertFalse(c.can_create_credit_notes)

    def test_rejection_drafts_nothing_and_a_changed_remedy_is_drafted_again(self):
        c = self._proposed([{"type": "credit", "amount": 400.0}])
        c.with_user(self.manager).action_reason = "too generous"
        c.with_user(self.manager).action_reject_stage()
        self.assertEqual(c.state, "determined")
        self.assertFalse(c.move_ids)
        c.with_user(self.handler).action_propose_remedy()
        c.with_user(self.manager).action_approve_stage()
        first = c.remedy_ids.move_id
        self.assertEqual(first.amount_total, 400.0)
        # a change after approval is a new proposal; the new approval replaces the draft
        c.with_user(self.handler).action_reason = "the customer accepts less"
        c.with_user(self.handler).action_revise_remedy()
        c.remedy_ids.with_user(self.handler).amount = 350.0
        c.with_user(self.handler).action_propose_remedy()
        self.assertEqual(c.state, "remedy_proposed")
        c.with_user(self.manager).action_approve_stage()
        self.assertFalse(first.exists())
        self.assertEqual(c.remedy_ids.move_id.amount_total, 350.0)
        self.assertEqual(c.credit_note_count, 1)

    def test_cancelled_note_is_drafted_again_by_hand(self):
        c = self._proposed([{"type": "credit", "amount": 100.0}])
        c.with_user(self.manager).action_approve_stage()
        first = c.remedy_ids.move_id
        first.with_user(self.accountant).button_cancel()
        self.assertEqual(c.remedy_ids.credit_note_state, "todo")
        self.assertTrue(c.can_create_credit_notes)
        self.manager.groups_id |= self.env.ref("account.group_account_invoice")
        action = c.with_user(self.manager).action_create_credit_notes()
        second = c.remedy_ids.move_id
        self.assertNotEqual(second, first)
        self.assertEqual((second.state, second.amount_total), ("draft", 100.0))
        self.assertEqual(action["res_id"], second.id)
        with self.assertRaisesRegex(UserError, "No discount or compensation remedy"):
            c.with_user(self.manager).action_create_credit_notes()

    def test_refusal_is_translated(self):
        """i18n/zh_CN.po loads and translates the bridge's messages."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_complaint_account"], ["zh_CN"])
        c = self._proposed([{"type": "credit", "amount": 100.0}])
        refusal = f"投诉 {c.name}：处理方式审批通过后才能创建红字发票"
        with self.assertRaisesRegex(UserError, refusal):
            c.with_user(self.manager).with_context(lang="zh_CN").action_create_credit_notes()
