"""Multi-company (issue #7, hole 5): every model of the complaint modules that has
a company holds exactly one company rule, and users of one company do not read
another company's milestones."""

from odoo import Command
from odoo.tests import tagged

from .common import ComplaintCase

MODULES = (
    "customer_complaint",
    "customer_complaint_sale",
    "customer_complaint_stock",
    "customer_complaint_account",
)


@tagged("post_install", "-at_install", "customer_complaint")
class TestCompanyRules(ComplaintCase):
    def test_every_model_with_a_company_has_one_company_rule(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", MODULES), ("model", "=", "ir.model")]
        )
        models = self.env["ir.model"].browse(data.mapped("res_id"))
        problems = []
        for model in models:
            Model = self.env.get(model.model)
            if Model is None or Model._abstract or Model._transient:
                continue
            if "company_id" not in Model._fields:
                continue
            rules = self.env["ir.rule"].search(
                [
                    ("model_id", "=", model.id),
                    ("global", "=", True),
                    ("domain_force", "ilike", "company_ids"),
                ]
            )
            if len(rules) != 1:
                problems.append(f"{model.model}: {len(rules)} company rules")
        self.assertFalse(problems, "\n".join(problems))
        self.assertIn("complaint.milestone", models.mapped("model"))

    def test_a_user_of_company_a_reads_no_milestone_of_company_b(self):
        company_b = self.env["res.company"].create({"name": "Complaints B Ltd"})
        handler_b = self.env["res.users"].create(
            {
                "name": "Handler B",
                "login": "cc_handler_b",
                "company_id": company_b.id,
                "company_ids": [Command.set(company_b.ids)],
                "groups_id": [
                    Command.set([self.env.ref("customer_complaint.group_complaint_admin").id])
                ],
            }
        )
        c = self.make()
        milestones = c.milestone_ids
        self.assertTrue(milestones)
        Milestone = self.env["complaint.milestone"].with_user(handler_b)
        self.assertFalse(Milestone.search([("id", "in", milestones.ids)]))
