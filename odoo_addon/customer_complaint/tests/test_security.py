# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Access rights and record rules of the complaint module (SPEC §4 recusal, §6 privacy, §8 roles).

The rights are held against the role matrix kept as data at the repository top
(``security/roles.yaml``), so a change of the matrix or of the module that does not change
the other fails here. Visibility is tested with real users of the lowest group of a role,
through the ORM as that user (``with_user``): record rules apply to them, unlike to the
superuser that builds the fixtures.
"""

from pathlib import Path
from unittest import SkipTest

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

# tests/ -> customer_complaint/ -> odoo_addon/ -> repository; resolve() so a symlinked
# addons path still finds the repository the file really lives in.
ROLES_YAML = Path(__file__).resolve().parents[3] / "security" / "roles.yaml"
MODES = ("read", "write", "create", "unlink")
ROLE_ORDER = ("sales_rep", "handler", "quality", "manager", "admin", "auditor")
GROUP = "customer_complaint.group_complaint_%s"


def load_matrix():
    """The role matrix, or a skip when the module was installed without the repository."""
    if not ROLES_YAML.is_file():
        raise SkipTest(f"role matrix {ROLES_YAML} absent (module installed from a wheel?)")
    import yaml  # noqa: PLC0415 - only needed when the repository is there

    return yaml.safe_load(ROLES_YAML.read_text(encoding="utf-8"))


@tagged("post_install", "-at_install", "customer_complaint")
class TestSecurityMatrix(TransactionCase):
    """ir.model.access and the groups of the installed module = security/roles.yaml."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix = load_matrix()
        cls.users = {
            role: new_test_user(cls.env, login=f"cc_matrix_{role}", groups=GROUP % role)
            for role in ROLE_ORDER
        }

    def test_matrix_names_every_role(self):
        self.assertEqual(set(self.matrix["roles"]), set(ROLE_ORDER))

    def test_matrix_covers_every_model_of_the_module(self):
        """A model added to the module without a line in the matrix is a hole: caught here."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "customer_complaint"), ("model", "=", "ir.model")]
        )
        models = self.env["ir.model"].browse(data.mapped("res_id"))
        ours = {  # defined here (not only inherited), stored, not a wizard
            m.model
            for m in models
            if self.env[m.model]._original_module == "customer_complaint"
            and not m.transient
            and not self.env[m.model]._abstract
        }
        for role, spec in self.matrix["roles"].items():
            self.assertEqual(set(spec["rights"]), ours, f"matrix of {role} vs module models")

    def test_effective_rights_match_matrix(self):
        access = self.env["ir.model.access"]
        for role, spec in self.matrix["roles"].items():
            user = self.users[role]
            for model, flags in spec["rights"].items():
                self.assertEqual(len(flags), 4, f"{role}/{model}: flags {flags!r}")
                for mode, flag in zip(MODES, flags, strict=True):
                    with self.subTest(role=role, model=model, mode=mode):
                        allowed = access.with_user(user).check(model, mode, raise_exception=False)
                        self.assertEqual(
                            bool(allowed),
                            flag != "-",
                            f"{role} {mode} {model}: installed {bool(allowed)}, matrix {flags}",
                        )

    def test_implied_chain(self):
        for role, spec in self.matrix["roles"].items():
            group = self.env.ref(GROUP % role)
            ours = group.implied_ids.filtered(
                lambda g: g.get_external_id()[g.id].startswith("customer_complaint.")
            )
            self.assertEqual(
                sorted(g.get_external_id()[g.id] for g in ours),
                sorted(GROUP % r for r in spec["implies"]),
                f"groups {role} implies",
            )
            self.assertEqual(
                group.category_id,
                self.env.ref("customer_complaint.module_category_customer_complaint"),
            )

    def test_auditor_implies_no_working_role(self):
        auditor = self.users["auditor"]
        for role in ROLE_ORDER[:-1]:
            self.assertFalse(auditor.has_group(GROUP % role), role)

    def test_core_roles_of_users(self):
        """res.users._complaint_roles() maps groups (and what they imply) to the core's Role."""
        from complaint_core.model import Role  # noqa: PLC0415

        chain = ["sales_rep", "handler", "quality", "manager", "admin"]
        for role, spec in self.matrix["roles"].items():
            expected = {Role(spec["core_role"])}
            if role in chain:
                expected |= {Role(r) for r in chain[: chain.index(role)]}
            self.assertEqual(set(self.users[role]._complaint_roles()), expected, role)

    def test_portal_section_of_the_matrix(self):
        """Portal users: no right on any model of the module (the ORM and JSON-RPC refuse
        them everything), and the portal rule is the matrix's domain, for reading only."""
        spec = self.matrix["portal"]
        portal = new_test_user(self.env, login="cc_matrix_portal", groups=spec["group"])
        access = self.env["ir.model.access"]
        models = set(self.matrix["roles"]["sales_rep"]["rights"])
        for model in models:
            for mode, flag in zip(MODES, spec["rights"], strict=True):
                with self.subTest(model=model, mode=mode):
                    allowed = access.with_user(portal).check(model, mode, raise_exception=False)
                    self.assertEqual(bool(allowed), flag != "-", f"portal {mode} {model}")
        rule = self.env.ref("customer_complaint.rule_complaint_portal")
        self.assertEqual(rule.domain_force, spec["rule"])
        self.assertEqual(rule.groups, self.env.ref(spec["group"]))
        self.assertEqual(
            (rule.perm_read, rule.perm_write, rule.perm_create, rule.perm_unlink),
            (True, False, False, False),
        )


@tagged("post_install", "-at_install", "customer_complaint")
class TestSecurity(TransactionCase):
    """Record rules with real users: who sees, changes and deletes which complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        user = cls._user
        cls.rep1 = user("cc_rep1", "sales_rep")
        cls.rep2 = user("cc_rep2", "sales_rep")
        cls.handler_a = user("cc_handler_a", "handler")
        cls.handler_b = user("cc_handler_b", "handler")
        cls.quality = user("cc_quality", "quality")
        cls.manager_a = user("cc_manager_a", "manager")
        cls.manager_b = user("cc_manager_b", "manager")
        cls.admin = user("cc_admin", "admin")
        cls.auditor = user("cc_auditor", "auditor")

        Dept = cls.env["complaint.department"]
        cls.dept_a = Dept.create(
            {
                "name": "Dept A",
                "code": "CCA",
                "manager_id": cls.manager_a.id,
                "member_ids": [(6, 0, cls.handler_a.ids)],
            }
        )
        cls.dept_b = Dept.create(
            {
                "name": "Dept B",
                "code": "CCB",
                "manager_id": cls.manager_b.id,
                "member_ids": [(6, 0, cls.handler_b.ids)],
            }
        )
        cls.dept_q = Dept.create(
            {"name": "Dept Q", "code": "CCQ", "member_ids": [(6, 0, cls.quality.ids)]}
        )
        cls.cat_q = cls.env["complaint.category"].create(
            {"name": "Quality (test)", "code": "cc_test_q", "department_id": cls.dept_q.id}
        )
        Partner = cls.env["res.partner"]
        cls.cust1 = Partner.create({"name": "Customer of rep1", "user_id": cls.rep1.id})
        cls.cust2 = Partner.create({"name": "Customer of rep2", "user_id": cls.rep2.id})
        cls.cust3 = Partner.create({"name": "Customer without salesperson"})

        root = cls.env.user  # the superuser building fixtures registers what no test user did
        c = cls._complaint
        # c1: rep1's customer, dept B, assigned to handler_b
        cls.c1 = c(cls.cust1, root, cls.dept_b, cls.handler_b)
        # c2: rep2's customer registered by rep1, dept B
        cls.c2 = c(cls.cust2, cls.rep1, cls.dept_b)
        # c3: rep2's customer, dept A, assigned to handler_b (outside handler_b's department)
        cls.c3 = c(cls.cust2, cls.rep2, cls.dept_a, cls.handler_b)
        # c4: no salesperson, dept A, nobody assigned
        cls.c4 = c(cls.cust3, root, cls.dept_a)
        # c5: dept B, assigned to handler_a
        cls.c5 = c(cls.cust3, root, cls.dept_b, cls.handler_a)
        # c6: dept A, complains about manager_a (recusal)
        cls.c6 = c(cls.cust3, root, cls.dept_a, complained=cls.manager_a)
        # c7: rep1's customer but complains about rep1 (recusal beats ownership)
        cls.c7 = c(cls.cust1, root, cls.dept_b, complained=cls.rep1)
        # c8: quality category (dept Q responsible), handled in dept B
        cls.c8 = c(cls.cust3, root, cls.dept_b, category=cls.cat_q)
        cls.ours = cls.c1 | cls.c2 | cls.c3 | cls.c4 | cls.c5 | cls.c6 | cls.c7 | cls.c8

    @classmethod
    def _user(cls, login, role, **kw):
        return new_test_user(cls.env, login=login, groups=GROUP % role, **kw)

    @classmethod
    def _complaint(
        cls,
        partner,
        registered_by,
        department,
        handler=None,
        complained=None,
        category=None,
        company=None,
    ):
        vals = {
            "partner_id": partner.id,
            "department_id": department.id,
            "user_id": handler.id if handler else False,
            "complained_user_ids": [(6, 0, complained.ids if complained else [])],
            "description": f"Security test complaint of {partner.name}",
            "received_at": fields.Datetime.now(),
        }
        if category:
            vals["category_id"] = category.id
        if company:
            vals["company_id"] = company.id
        # registered by that user (as superuser: the fixture ignores the record rules)
        return cls.env["customer.complaint"].with_user(registered_by).sudo().create(vals)

    # helpers -----------------------------------------------------------------------------
    def visible(self, user):
        """What ``user`` finds among the fixture complaints, through search as that user."""
        return self.env["customer.complaint"].with_user(user).search([("id", "in", self.ours.ids)])

    def assertSees(self, user, expected):
        self.assertEqual(
            self.visible(user),
            expected,
            f"{user.login} sees {self.visible(user).mapped('description')}",
        )

    def assertCannotRead(self, user, complaint):
        with self.assertRaises(AccessError, msg=f"{user.login} reads {complaint.description}"):
            complaint.with_user(user).read(["description"])
        rows = (
            self.env["customer.complaint"]
            .with_user(user)
            .search_read([("id", "=", complaint.id)], ["description"])
        )
        self.assertEqual(rows, [], f"{user.login} finds {complaint.description} by search_read")

    def assertRefused(self, call, msg):
        """``call`` is refused by the access rights (AccessError) or by the module (UserError:
        complaints are never deleted)."""
        try:
            call()
        except (AccessError, UserError):
            return
        self.fail(f"not refused: {msg}")

    # the matrix's visibility keys ---------------------------------------------------------
    VISIBILITY = {
        # key -> does ``user`` see complaint ``c`` by this key alone
        "own_customers_or_registered": lambda c, u: c.sales_user_id == u or c.registered_by_id == u,
        "assigned_or_department": lambda c, u: (
            c.user_id == u
            or u in c.department_id.member_ids
            or u in c.involved_department_ids.member_ids
        ),
        "assigned_department_or_quality": lambda c, u: (
            u in c.category_id.department_id.member_ids or u in c.capa_ids.owner_id
        ),
        "managed_departments": lambda c, u: (
            c.department_id.manager_id == u
            or u in c.involved_department_ids.manager_id
            or u in c.approver_ids
        ),
        "all": lambda c, u: True,
        "all_readonly": lambda c, u: True,
    }

    def test_visibility_keys_of_the_matrix(self):
        """Each role sees exactly what its key in security/roles.yaml says, cumulated along
        the implied groups, minus the complaints naming the user (recusal)."""
        roles = load_matrix()["roles"]
        users = {
            "sales_rep": self.rep1,
            "handler": self.handler_a,
            "quality": self.quality,
            "manager": self.manager_a,
            "admin": self.admin,
            "auditor": self.auditor,
        }

        def keys(role):
            spec = roles[role]
            return [spec["visibility"]] + [k for r in spec["implies"] for k in keys(r)]

        for role, user in users.items():
            rules = [self.VISIBILITY[k] for k in keys(role)]
            expected = self.ours.filtered(
                lambda c, u=user, rs=rules: (
                    u not in c.complained_user_ids and any(rule(c, u) for rule in rs)
                )
            )
            self.assertTrue(expected, role)
            self.assertEqual(self.visible(user), expected, f"{role}: {keys(role)}")

    # sales rep ---------------------------------------------------------------------------
    def test_rep_sees_own_customers_and_registered(self):
        # c7 is rep1's customer but names rep1 as complained about: hidden
        self.assertSees(self.rep1, self.c1 | self.c2)
        self.assertSees(self.rep2, self.c2 | self.c3)

    def test_rep_cannot_read_other_reps_customer(self):
        self.assertCannotRead(self.rep1, self.c3)
        self.assertCannotRead(self.rep2, self.c1)

    def test_rep_cannot_write_other_reps_customer(self):
        with self.assertRaises(AccessError):
            self.c3.with_user(self.rep1).write({"description": "tampered"})
        self.c1.with_user(self.rep1).write({"description": "rep1 adds a detail"})
        self.assertEqual(self.c1.description, "rep1 adds a detail")

    def test_rep_registers_and_sees_complaint_of_any_customer(self):
        """A rep logs a complaint from whoever calls; what they registered stays theirs."""
        new = (
            self.env["customer.complaint"]
            .with_user(self.rep1)
            .create(
                {
                    "partner_id": self.cust3.id,
                    "description": "Called the rep's mobile",
                    "received_at": fields.Datetime.now(),
                }
            )
        )
        self.assertEqual(new.registered_by_id, self.rep1)
        self.assertEqual(
            new.with_user(self.rep1).read(["description"])[0]["description"],
            "Called the rep's mobile",
        )
        self.assertCannotRead(self.rep2, new)

    # handler -----------------------------------------------------------------------------
    def test_handler_sees_assigned_and_department(self):
        # handler_a: member of dept A (c3, c4, c6) + assigned c5
        self.assertSees(self.handler_a, self.c3 | self.c4 | self.c5 | self.c6)
        # handler_b: member of dept B (c1, c2, c5, c7, c8) + assigned c3 in dept A
        self.assertSees(self.handler_b, self.c1 | self.c2 | self.c3 | self.c5 | self.c7 | self.c8)

    def test_handler_cannot_read_unrelated(self):
        self.assertCannotRead(self.handler_a, self.c1)
        self.assertCannotRead(self.handler_a, self.c8)

    def test_handler_writes_department_complaint_not_others(self):
        self.c4.with_user(self.handler_a).write({"description": "visited the customer"})
        self.assertEqual(self.c4.description, "visited the customer")
        with self.assertRaises(AccessError):
            self.c2.with_user(self.handler_a).write({"description": "tampered"})

    # quality -----------------------------------------------------------------------------
    def test_quality_sees_cases_of_categories_of_their_department(self):
        self.assertSees(self.quality, self.c8)

    # manager -----------------------------------------------------------------------------
    def test_manager_sees_managed_departments(self):
        # manager_a manages dept A: c3, c4 - and c6 names manager_a: hidden
        self.assertSees(self.manager_a, self.c3 | self.c4)
        self.assertSees(self.manager_b, self.c1 | self.c2 | self.c5 | self.c7 | self.c8)

    def test_person_complained_about_cannot_find_it_even_as_manager(self):
        self.assertCannotRead(self.manager_a, self.c6)
        self.assertCannotRead(self.rep1, self.c7)
        # the others in the case still see it
        self.assertIn(self.c6, self.visible(self.handler_a))
        self.assertIn(self.c7, self.visible(self.manager_b))

    def test_person_complained_about_cannot_find_it_even_as_admin(self):
        self.c4.complained_user_ids = [(4, self.admin.id)]
        self.assertCannotRead(self.admin, self.c4)
        self.assertIn(self.c4, self.visible(self.manager_a))

    def test_sub_records_follow_their_complaint(self):
        Pause = self.env["customer.complaint"]._fields["pause_ids"].comodel_name
        now = fields.Datetime.now()
        pause3 = self.env[Pause]._start(self.c3, now, "waiting for the customer's sample")
        pause6 = self.env[Pause]._start(self.c6, now, "waiting for the customer's photos")
        Model = self.env[Pause]
        self.assertEqual(
            Model.with_user(self.rep2).search([("id", "in", (pause3 | pause6).ids)]), pause3
        )
        self.assertEqual(
            Model.with_user(self.rep1).search([("id", "in", (pause3 | pause6).ids)]), Model
        )
        with self.assertRaises(AccessError):
            pause3.with_user(self.rep1).read(["reason"])
        # manager_a sees dept A's pause of c3 but not the one of the case about them
        self.assertEqual(
            Model.with_user(self.manager_a).search([("id", "in", (pause3 | pause6).ids)]), pause3
        )

    def test_accountability_is_managers_only(self):
        """SPEC §4 责任追究: the disciplinary outcome is visible to managers only, also
        through the chatter's tracking of the change."""
        # end the fixtures' "request" first: Odoo does not track writes on records
        # created in the same transaction (their creation message covers them)
        self.env.cr.flush()
        self.c1.with_user(self.manager_b).write({"disciplinary_outcome": "Written warning"})
        self.env.cr.flush()  # tracking values are written at commit time
        self.env.invalidate_all()
        self.assertEqual(self.c1.disciplinary_outcome, "Written warning")
        with self.assertRaises(AccessError):
            self.c1.with_user(self.rep1).read(["disciplinary_outcome"])
        self.assertEqual(len(self.c1.with_user(self.rep1).read(["description"])), 1)
        tracking = self.c1.message_ids.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == "disciplinary_outcome"
        )
        self.assertEqual(len(tracking), 1)
        self.assertFalse(tracking._filter_has_field_access(self.env(user=self.rep1)))
        self.assertTrue(tracking._filter_has_field_access(self.env(user=self.manager_b)))

    # admin and auditor -------------------------------------------------------------------
    def test_admin_sees_all(self):
        self.assertSees(self.admin, self.ours)

    def test_auditor_reads_all_changes_nothing(self):
        self.assertSees(self.auditor, self.ours)
        self.assertEqual(len(self.c1.with_user(self.auditor).read(["description"])), 1)
        with self.assertRaises(AccessError):
            self.c1.with_user(self.auditor).write({"description": "tampered"})
        with self.assertRaises(AccessError):
            self.env["customer.complaint"].with_user(self.auditor).create(
                {
                    "partner_id": self.cust3.id,
                    "description": "auditor registers",
                    "received_at": fields.Datetime.now(),
                }
            )
        self.assertRefused(self.c1.with_user(self.auditor).unlink, "auditor unlinks")
        self.assertTrue(self.c1.exists())

    def test_nobody_unlinks_a_complaint(self):
        """SPEC §6: nothing registered is deleted by a user action, an administrator's
        included (the module refuses it; the matrix grants no unlink); only server code
        running as superuser (retention tooling) deletes."""
        # everyone can see c2 (as registrant, member, manager, admin) yet cannot delete it
        for user in (self.rep1, self.handler_b, self.manager_b, self.admin):
            self.assertIn(self.c2, self.visible(user))
            self.assertRefused(self.c2.with_user(user).unlink, user.login)
        self.assertTrue(self.c2.exists())
        self.c2.sudo().unlink()
        self.assertFalse(self.c2.exists())

    def test_audit_trail_cannot_be_tampered_with(self):
        """Audit entries, milestones and approvals are written by the complaint's own
        methods as superuser; no user writes, creates or deletes them directly."""
        entry = self.c1.audit_ids[:1]
        self.assertTrue(entry, "registration leaves an audit entry")
        milestone = self.c1.milestone_ids[:1]
        self.assertTrue(milestone, "registration plans milestones")
        before = entry.reason
        for user in (self.rep1, self.manager_b, self.admin):
            for record, vals in (
                (entry, {"reason": "rewritten"}),
                (milestone, {"due_at": fields.Datetime.now()}),
            ):
                with self.assertRaises(AccessError, msg=f"{user.login} {record._name}"):
                    record.with_user(user).write(vals)
                with self.assertRaises(AccessError, msg=f"{user.login} {record._name}"):
                    record.with_user(user).unlink()
            with self.assertRaises(AccessError, msg=user.login):
                self.env["complaint.audit"].with_user(user).create(
                    {
                        "complaint_id": self.c1.id,
                        "action": "forged",
                        "at": fields.Datetime.now(),
                    }
                )
            # reading their own case's trail is allowed
            self.assertEqual(entry.with_user(user).read(["action"])[0]["action"], entry.action)
        self.assertEqual(entry.reason, before)

    # multi-company -----------------------------------------------------------------------
    def test_multi_company_isolation(self):
        other = self.env["res.company"].create({"name": "CC Other Co"})
        dept_o = self.env["complaint.department"].create(
            {
                "name": "Dept Other",
                "code": "CCO",
                "company_id": other.id,
                "member_ids": [(6, 0, self.handler_a.ids)],
            }
        )
        foreign = self._complaint(self.cust3, self.env.user, dept_o, company=other)
        self.assertEqual(foreign.company_id, other)
        Complaint = self.env["customer.complaint"]
        # single-company users see nothing of the other company, whatever their role
        for user in (self.admin, self.auditor):
            self.assertFalse(Complaint.with_user(user).search([("id", "=", foreign.id)]))
            with self.assertRaises(AccessError):
                foreign.with_user(user).read(["description"])
        # a handler of both companies sees it only with that company allowed
        self.handler_a.write({"company_ids": [(4, other.id)]})
        as_a = Complaint.with_user(self.handler_a)
        self.assertFalse(
            as_a.with_context(allowed_company_ids=[self.company.id]).search(
                [("id", "=", foreign.id)]
            )
        )
        self.assertEqual(
            as_a.with_context(allowed_company_ids=[other.id, self.company.id]).search(
                [("id", "=", foreign.id)]
            ),
            foreign,
        )
