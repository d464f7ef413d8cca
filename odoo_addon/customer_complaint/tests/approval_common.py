"""Fixture of the approval tests (SPEC §4): approvers at every authority level
and the steps that bring a complaint to a proposed remedy."""

from odoo.tests import new_test_user

from .common import ComplaintCase

MANAGER = "customer_complaint.group_complaint_manager"
ADMIN = "customer_complaint.group_complaint_admin"


class ApprovalCase(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.level_gm = ref("customer_complaint.complaint_authority_level_general_manager")
        # approvers above the department managers see every complaint (admin)
        cls.supervisor = new_test_user(
            cls.env, "cc_supervisor", name="Supervisor Su", groups=ADMIN, email="su@example.com"
        )
        cls.supervisor.complaint_authority_level_id = cls.level_supervisor
        cls.director.groups_id = [(4, cls.env.ref(ADMIN).id)]
        cls.gm = new_test_user(
            cls.env, "cc_gm", name="General Manager Gao", groups=ADMIN, email="gao@example.com"
        )
        cls.gm.complaint_authority_level_id = cls.level_gm
        cls.mgmt_rep = new_test_user(
            cls.env, "cc_mgmt_rep", name="Management Rep Ma", groups=MANAGER, email="ma@example.com"
        )
        cls.pr = new_test_user(
            cls.env, "cc_pr", name="PR Pan", groups=MANAGER, email="pan@example.com"
        )
        for user in (cls.supervisor, cls.gm, cls.mgmt_rep, cls.pr, cls.manager, cls.director):
            user.notification_type = "email"
        Rule = cls.env["complaint.approver.rule"]
        # the approvers of this company, whatever the demo data holds
        Rule.search([]).unlink()
        cls.rule_supervisor = Rule.create(
            {
                "authority_level_id": cls.level_supervisor.id,
                "user_ids": [(6, 0, cls.supervisor.ids)],
            }
        )
        cls.rule_dept = Rule.create(
            {"authority_level_id": cls.level_dept.id, "user_ids": [(6, 0, cls.manager.ids)]}
        )
        cls.rule_director = Rule.create(
            {"authority_level_id": cls.level_director.id, "user_ids": [(6, 0, cls.director.ids)]}
        )
        cls.rule_gm = Rule.create(
            {"authority_level_id": cls.level_gm.id, "user_ids": [(6, 0, cls.gm.ids)]}
        )
        cls.activity_type = ref("customer_complaint.mail_activity_type_complaint_approval")

    def approval_activities(self, complaint):
        return complaint.activity_ids.filtered(lambda a: a.activity_type_id == self.activity_type)
