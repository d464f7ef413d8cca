"""Two approvers deciding the same stage at the same moment (SPEC §4): exactly
one decision, the other approver told so in words, with real concurrent
transactions (two cursors of their own, not the test's)."""

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

ADMIN = "customer_complaint.group_complaint_admin"


@tagged("post_install", "-at_install", "customer_complaint")
class TestApprovalConcurrency(TransactionCase):
    """The concurrent cursors cannot see the test's uncommitted data, so the
    complaint they decide is made and committed by a cursor of its own and
    removed again afterwards; the two deciding cursors never commit."""

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_fixture)
        self.ids = {}
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            ref = env.ref
            handler = new_test_user(
                env,
                "cc_conc_handler",
                name="Conc Handler",
                groups="customer_complaint.group_complaint_handler",
            )
            first = new_test_user(env, "cc_conc_first", name="Conc First", groups=ADMIN)
            second = new_test_user(env, "cc_conc_second", name="Conc Second", groups=ADMIN)
            first.complaint_authority_level_id = ref(
                "customer_complaint.complaint_authority_level_department_manager"
            )
            second.complaint_authority_level_id = ref(
                "customer_complaint.complaint_authority_level_director"
            )
            self.ids["users"] = (handler | first | second).ids
            partner = env["res.partner"].create({"name": "Concurrent Customer Ltd"})
            self.ids["partner"] = partner.id
            c = env["customer.complaint"].create(
                {
                    "partner_id": partner.id,
                    "description": "two approvers at once",
                    "category_id": ref("customer_complaint.complaint_category_delivery").id,
                }
            )
            self.ids["complaint"] = c.id
            c.with_user(first).write({"user_id": handler.id})
            c.with_user(first).action_triage()
            c.with_user(handler).action_start_investigation()
            c.with_user(handler).write(
                {
                    "finding": "misuse",
                    "remedy_ids": [(0, 0, {"type": "free_repair", "amount": 300.0})],
                }
            )
            c.with_user(handler).action_determine()
            c.with_user(handler).action_propose_remedy()
            self.assertEqual(c.state, "remedy_proposed")
            self.ids["first"], self.ids["second"] = first.id, second.id
            # two real transactions need committed data to race on
            cr.commit()  # pylint: disable=invalid-commit

    def _remove_fixture(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if self.ids.get("complaint"):
                env["customer.complaint"].browse(self.ids["complaint"]).exists().unlink()
            users = env["res.users"].browse(self.ids.get("users", [])).exists()
            partners = (
                users.partner_id | env["res.partner"].browse(self.ids.get("partner") or []).exists()
            )
            users.unlink()
            partners.unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _race(self, first_approves, second_approves):
        """The first approver decides (not committed yet) while the second
        tries: the second is refused at once, the first holds one decision."""
        cid = self.ids["complaint"]
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        try:
            env_a = api.Environment(cr_a, self.ids["first"], {})
            env_b = api.Environment(cr_b, self.ids["second"], {})
            a = env_a["customer.complaint"].browse(cid)
            b = env_b["customer.complaint"].browse(cid)
            self.assertEqual(b.state, "remedy_proposed")  # b has read it: both start together
            a._decide_stage(first_approves, comment="a decides")
            # without the guard b would wait for a's lock: fail fast instead of hanging
            cr_b.execute("SET LOCAL lock_timeout = '2s'")
            with self.assertRaisesRegex(UserError, "is being decided by someone else"):
                b._decide_stage(second_approves, comment="b decides")
            cr_a.execute(
                "SELECT approver_id, approved FROM complaint_approval WHERE complaint_id = %s",
                [cid],
            )
            self.assertEqual(cr_a.fetchall(), [(self.ids["first"], first_approves)])
            # b's transaction is still usable, and saw no decision of its own
            cr_b.execute("SELECT count(*) FROM complaint_approval WHERE complaint_id = %s", [cid])
            self.assertEqual(cr_b.fetchone()[0], 0)
        finally:
            for cr in (cr_a, cr_b):
                cr.rollback()
                cr.close()

    def test_two_approvals_at_once(self):
        self._race(True, True)

    def test_rejection_against_approval_is_not_lost(self):
        """The second approver's rejection is not silently dropped: they are
        told someone else is deciding, and can try again on the fresh case."""
        self._race(True, False)
        self._race(False, True)
