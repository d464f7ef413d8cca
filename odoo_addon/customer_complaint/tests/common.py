from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from odoo.tests import TransactionCase, new_test_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utc(local_text):
    """A Shanghai wall-clock time 'YYYY-MM-DD HH:MM' as Odoo's naive UTC datetime."""
    local = datetime.strptime(local_text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    return local.astimezone(UTC).replace(tzinfo=None)


class ComplaintCase(TransactionCase):
    """Fixture shared by the addon tests: one user per role, the default
    quality department with a manager and a handler, a customer of the rep."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["complaint.policy"]._invalidate_policy_cache()
        ref = cls.env.ref
        cls.rep = new_test_user(
            cls.env, "cc_rep", name="Rep", groups="customer_complaint.group_complaint_sales_rep"
        )
        cls.handler = new_test_user(
            cls.env,
            "cc_handler",
            name="Handler",
            groups="customer_complaint.group_complaint_handler",
        )
        cls.quality = new_test_user(
            cls.env,
            "cc_quality",
            name="Quality",
            groups="customer_complaint.group_complaint_quality",
        )
        cls.manager = new_test_user(
            cls.env,
            "cc_manager",
            name="Manager",
            groups="customer_complaint.group_complaint_manager",
        )
        cls.director = new_test_user(
            cls.env,
            "cc_director",
            name="Director",
            groups="customer_complaint.group_complaint_manager",
        )
        cls.level_supervisor = ref("customer_complaint.complaint_authority_level_supervisor")
        cls.level_dept = ref("customer_complaint.complaint_authority_level_department_manager")
        cls.level_director = ref("customer_complaint.complaint_authority_level_director")
        cls.manager.complaint_authority_level_id = cls.level_dept
        cls.director.complaint_authority_level_id = cls.level_director
        cls.dept_quality = ref("customer_complaint.complaint_department_quality")
        cls.dept_quality.write(
            {
                "manager_id": cls.manager.id,
                "member_ids": [(6, 0, [cls.handler.id, cls.quality.id])],
            }
        )
        cls.dept_service = ref("customer_complaint.complaint_department_customer_service")
        cls.dept_service.write(
            {"manager_id": cls.manager.id, "member_ids": [(6, 0, [cls.handler.id])]}
        )
        cls.dept_logistics = ref("customer_complaint.complaint_department_logistics")
        cls.dept_logistics.write(
            {"manager_id": cls.manager.id, "member_ids": [(6, 0, [cls.handler.id])]}
        )
        # the tests' own categories under the default ones: they inherit the
        # department, the two-stage approval and the level-4 rule of their
        # parent, and no demo complaint shares them (no repeat cluster by accident)
        Category = cls.env["complaint.category"]
        cls.cat_quality = Category.create(
            {
                "code": "test_quality",
                "name": "Test: seal leaks",
                "parent_id": ref("customer_complaint.complaint_category_product_quality").id,
            }
        )
        cls.cat_service = Category.create(
            {
                "code": "test_service",
                "name": "Test: rude answer",
                "parent_id": ref("customer_complaint.complaint_category_service_attitude").id,
            }
        )
        cls.cat_delivery = Category.create(
            {
                "code": "test_delivery",
                "name": "Test: late truck",
                "parent_id": ref("customer_complaint.complaint_category_delivery").id,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Shanghai Widgets Ltd",
                "is_company": True,
                "user_id": cls.rep.id,
                "phone": "+86 21 5555 0101",
                "email": "buyer@widgets.example",
                "street": "1 Century Avenue",
                "city": "Shanghai",
            }
        )
        cls.product = cls.env["product.product"].create({"name": "Pump P-20"})
        cls.Complaint = cls.env["customer.complaint"]

    def setUp(self):
        super().setUp()
        # the policy cache lives on the cursor: a rolled-back test must not leave
        # its configuration behind for the next one
        self.addCleanup(self.env["complaint.policy"]._invalidate_policy_cache)

    def make(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "category_id": self.cat_quality.id,
            "description": "Pump leaks after two days",
        }
        values.update(vals)
        return self.Complaint.with_user(user or self.rep).create(values)

    # -- the steps that bring a complaint to a proposed remedy --------------------

    def _triaged(self, **vals):
        c = self.make(**vals)
        c.with_user(self.manager).write({"user_id": self.handler.id})
        c.with_user(self.manager).action_triage()
        return c

    def _determined(self, **vals):
        c = self._triaged(**vals)
        c.with_user(self.handler).action_start_investigation()
        c.with_user(self.handler).finding = "misuse"
        c.with_user(self.handler).action_determine()
        return c

    def _proposed(self, amount=300.0, currency=None, by=None, **vals):
        c = self._determined(**vals)
        line = {"type": "free_repair", "amount": amount, "description": "replace the seal"}
        if currency:
            line["currency_id"] = currency.id
        c.with_user(self.handler).write({"remedy_ids": [(0, 0, line)]})
        c.with_user(by or self.handler).action_propose_remedy()
        return c
