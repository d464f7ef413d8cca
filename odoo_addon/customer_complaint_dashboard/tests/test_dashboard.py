"""The Complaints spreadsheet dashboard (issue 10 §2), on real Odoo: the record sits in
its group for the right roles, and every pivot, list, chart, link and global filter of
its spreadsheet is a query the server answers as a complaint manager — existing models
and fields, stored measures that aggregate, valid domains and group-bys — through the
normal ORM, so the record rules decide what each figure counts."""

import json
import re

from odoo.tests import new_test_user, tagged

from odoo.addons.customer_complaint.tests.common import ComplaintCase

PREFIX = "customer_complaint_dashboard."
MEASURE_TYPES = {"integer", "float", "monetary"}
# what the dashboard promises (issue 10 §2) and the stored figures it is built on
KPI_MEASURES = {
    "on_time_rate",
    "milestones_on_time",
    "milestones_counted",
    "remedy_cost",
    "satisfaction_rate",
    "satisfaction_answered",
}
PIVOT_FORMULA = re.compile(r'PIVOT\.(VALUE|HEADER)\((\d+)(?:,"([^"]+)")?')
LIST_FORMULA = re.compile(r'ODOO\.LIST\((\d+),\d+,"([^"]+)"\)')
VIEW_LINK = re.compile(r"^\[[^\]]+\]\(odoo://view/(.+)\)$")


def _dimension(spec):
    """'received_at:month' or {"fieldName": ..., "granularity": ...} -> (field, spec)."""
    if isinstance(spec, dict):
        name = spec["fieldName"]
        return name, f"{name}:{spec['granularity']}" if spec.get("granularity") else name
    return spec.split(":")[0], spec


@tagged("post_install", "-at_install", "customer_complaint_dashboard")
class TestComplaintDashboard(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboard = cls.env.ref(PREFIX + "spreadsheet_dashboard_complaints")
        cls.data = json.loads(cls.dashboard.spreadsheet_data)
        cls.auditor = new_test_user(
            cls.env,
            "cc_dash_auditor",
            name="Dashboard Auditor",
            groups="customer_complaint.group_complaint_auditor",
        )

    # -- the record ---------------------------------------------------------------------

    def test_dashboard_in_its_group_for_managers_quality_and_auditors(self):
        group = self.env.ref(PREFIX + "spreadsheet_dashboard_group_complaints")
        self.assertEqual(group.name, "Complaints")
        self.assertEqual(self.dashboard.dashboard_group_id, group)
        self.assertEqual(self.dashboard.name, "Complaints")
        self.assertTrue(self.dashboard.is_published)
        self.assertEqual(
            set(self.dashboard.group_ids.get_external_id().values()),
            {
                "customer_complaint.group_complaint_manager",
                "customer_complaint.group_complaint_quality",
                "customer_complaint.group_complaint_auditor",
            },
        )
        Dashboard = self.env["spreadsheet.dashboard"]
        for user in (self.manager, self.quality, self.auditor):
            self.assertIn(
                self.dashboard, Dashboard.with_user(user).search([]), f"{user.login} sees it"
            )
            self.assertIn(self.dashboard, group.with_user(user).published_dashboard_ids, user.login)
        for user in (self.rep, self.handler):
            self.assertNotIn(
                self.dashboard, Dashboard.with_user(user).search([]), f"{user.login} must not"
            )
        # what the Dashboards app loads for the manager: the snapshot, our spreadsheet
        readonly = self.dashboard.with_user(self.manager).get_readonly_dashboard()
        self.assertEqual(readonly["snapshot"]["pivots"].keys(), self.data["pivots"].keys())

    def test_odoo_validates_the_spreadsheet(self):
        # spreadsheet's own check (models, field chains, menus); it runs on write in
        # test mode only, so it is called here explicitly as well
        self.dashboard._check_spreadsheet_data()
        self.assertTrue(self.data["chartOdooMenusReferences"])

    # -- every data source is a query the server answers as a manager -----------------

    def _fields(self, model):
        self.assertIn(model, self.env, f"model {model} does not exist")
        return self.env[model].with_user(self.manager).fields_get()

    def _check_domain(self, model, domain):
        """A domain the ORM accepts as it is, for the manager (search_count raises on an
        unknown field or operator)."""
        self.assertIsInstance(domain, list, f"{model}: domain {domain!r} is not a list")
        self.env[model].with_user(self.manager).search_count(domain)

    def _check_measure(self, model, fields, measure):
        if measure == "__count":
            return
        self.assertIn(measure, fields, f"{model}.{measure} does not exist")
        field = fields[measure]
        self.assertIn(field["type"], MEASURE_TYPES, f"{model}.{measure} is not a number")
        self.assertTrue(field["store"], f"{model}.{measure} is not stored")
        self.assertTrue(field.get("aggregator"), f"{model}.{measure} does not aggregate")

    def _check_groupby(self, model, fields, name):
        self.assertIn(name, fields, f"{model}.{name} does not exist")
        self.assertTrue(fields[name]["groupable"], f"{model}.{name} cannot be grouped by")

    def _filter_domains(self, definition):
        """The domain each global filter adds to a data source: its field chain must
        lead to a record of the filter's model."""
        filters = {f["id"]: f for f in self.data["globalFilters"]}
        matching = definition.get("fieldMatching", {})
        self.assertEqual(set(matching), set(filters), f"{definition.get('name')}: filters")
        domains = []
        for filter_id, match in matching.items():
            comodel = filters[filter_id]["modelName"]
            model = definition.get("model") or definition["metaData"]["resModel"]
            for name in match["chain"].split("."):
                field = self.env[model]._fields.get(name)
                self.assertTrue(field, f"{model}.{name} (filter chain {match['chain']})")
                model = field.comodel_name
            self.assertEqual(model, comodel, f"filter chain {match['chain']}")
            record = self.env[comodel].search([], limit=1)
            domains.append([(match["chain"], "in", record.ids)])
        return domains

    def test_pivots_read_group_as_a_manager(self):
        pivots = self.data["pivots"]
        self.assertTrue(pivots)
        used = set()
        for pivot in pivots.values():
            model = pivot["model"]
            fields = self._fields(model)
            measures = [m["fieldName"] for m in pivot["measures"]]
            for measure in measures:
                self._check_measure(model, fields, measure)
            used |= set(measures)
            groupby = []
            for dim in pivot["rows"] + pivot["columns"]:
                name, spec = _dimension(dim)
                self._check_groupby(model, fields, name)
                groupby.append(spec)
            self._check_domain(model, pivot["domain"])
            Model = self.env[model].with_user(self.manager)
            for extra in [[], *self._filter_domains(pivot)]:
                groups = Model.read_group(pivot["domain"] + extra, measures, groupby, lazy=False)
                self.assertIsInstance(groups, list, pivot["name"])
                total = Model.read_group(pivot["domain"] + extra, measures, [], lazy=False)
                self.assertEqual(len(total), 1, pivot["name"])
        self.assertLessEqual(KPI_MEASURES, used)

    def test_lists_search_read_as_a_manager(self):
        self.assertTrue(self.data["lists"])
        for definition in self.data["lists"].values():
            model = definition["model"]
            fields = self._fields(model)
            for column in definition["columns"]:
                self.assertIn(column, fields, f"{model}.{column} does not exist")
            order = ", ".join(
                f"{o['name']} {'asc' if o['asc'] else 'desc'}" for o in definition["orderBy"]
            )
            for o in definition["orderBy"]:
                self.assertTrue(fields[o["name"]]["sortable"], f"{model}.{o['name']} order")
            self._check_domain(model, definition["domain"])
            Model = self.env[model].with_user(self.manager)
            for extra in [[], *self._filter_domains(definition)]:
                Model.search_read(
                    definition["domain"] + extra, definition["columns"], order=order, limit=10
                )

    def test_charts_read_group_as_a_manager(self):
        charts = [
            figure["data"]
            for sheet in self.data["sheets"]
            for figure in sheet["figures"]
            if figure["data"]["type"].startswith("odoo_")
        ]
        self.assertEqual(len(charts), 2)
        for chart in charts:
            meta, search = chart["metaData"], chart["searchParams"]
            model = meta["resModel"]
            fields = self._fields(model)
            self._check_measure(model, fields, meta["measure"])
            self.assertEqual(meta["groupBy"], search["groupBy"])
            for spec in meta["groupBy"]:
                self._check_groupby(model, fields, _dimension(spec)[0])
            self._check_domain(model, search["domain"])
            Model = self.env[model].with_user(self.manager)
            for extra in [[], *self._filter_domains(chart)]:
                Model.read_group(
                    search["domain"] + extra, [meta["measure"]], meta["groupBy"], lazy=False
                )

    def test_cell_formulas_and_links_point_at_existing_sources(self):
        pivots, lists = self.data["pivots"], self.data["lists"]
        cells = {
            (sheet["name"], ref): cell["content"]
            for sheet in self.data["sheets"]
            for ref, cell in sheet["cells"].items()
        }
        found_pivot = found_list = found_link = False
        for (sheet, ref), content in cells.items():
            for function, pivot_id, arg in PIVOT_FORMULA.findall(content):
                found_pivot = True
                self.assertIn(pivot_id, pivots, f"{sheet}!{ref}: {content}")
                pivot = pivots[pivot_id]
                if function == "VALUE" and arg:
                    measures = [m["fieldName"] for m in pivot["measures"]]
                    self.assertIn(arg, measures, f"{sheet}!{ref}: {content}")
                elif function == "HEADER" and arg:
                    dims = [_dimension(d)[1] for d in pivot["rows"] + pivot["columns"]]
                    self.assertIn(arg.lstrip("#"), dims, f"{sheet}!{ref}: {content}")
            for list_id, field in LIST_FORMULA.findall(content):
                found_list = True
                self.assertIn(list_id, lists, f"{sheet}!{ref}")
                self.assertIn(field, lists[list_id]["columns"], f"{sheet}!{ref}: {content}")
            link = VIEW_LINK.match(content)
            if link:
                found_link = True
                action = json.loads(link.group(1))["action"]
                self._check_domain(action["modelName"], action["domain"])
                fields = self._fields(action["modelName"])
                for spec in action["context"].get("group_by", []):
                    self._check_groupby(action["modelName"], fields, _dimension(spec)[0])
        self.assertTrue(found_pivot and found_list and found_link)
        # the scorecards show cells of the Data sheet that are filled
        for sheet in self.data["sheets"]:
            for figure in sheet["figures"]:
                data = figure["data"]
                if data["type"] != "scorecard":
                    continue
                for key in ("keyValue", "baseline"):
                    if key in data:
                        sheet_name, ref = data[key].split("!")
                        self.assertIn((sheet_name, ref), cells, f"{data['title']}: {data[key]}")

    # -- the record rules decide what the figures count --------------------------------

    def test_manager_counts_only_the_complaints_they_may_see(self):
        other_manager = new_test_user(
            self.env,
            "cc_dash_other_manager",
            name="Other Manager",
            groups="customer_complaint.group_complaint_manager",
        )
        other_dept = self.env["complaint.department"].create(
            {
                "name": "Dashboard: elsewhere",
                "code": "test_dash_elsewhere",
                "manager_id": other_manager.id,
            }
        )
        other_cat = self.env["complaint.category"].create(
            {
                "code": "test_dash_elsewhere",
                "name": "Dashboard: elsewhere",
                "parent_id": self.env.ref(
                    "customer_complaint.complaint_category_product_quality"
                ).id,
                "department_id": other_dept.id,
            }
        )
        mine = self.make()
        theirs = self.make(category_id=other_cat.id)
        self.assertEqual(mine.department_id, self.dept_quality)
        self.assertEqual(theirs.department_id, other_dept)
        open_pivot = next(
            p for p in self.data["pivots"].values() if p["name"] == "Open complaints by severity"
        )
        domain = open_pivot["domain"] + [("id", "in", (mine | theirs).ids)]
        Complaint = self.env["customer.complaint"]

        def count(user):
            groups = Complaint.with_user(user).read_group(domain, ["__count"], [], lazy=False)
            return groups[0]["__count"]

        self.assertEqual(count(self.manager), 1)
        self.assertEqual(count(other_manager), 1)
        self.assertEqual(count(self.auditor), 2)

    def test_archived_complaints_keep_counting(self):
        """The retention job archives closed complaints; the dashboard's figures
        (like the statistics) still count them: every data source reads with
        active_test off."""
        sources = [*self.data["pivots"].values(), *self.data["lists"].values()]
        for source in sources:
            self.assertIs(source["context"].get("active_test"), False, source["name"])
        pivot = next(p for p in self.data["pivots"].values() if p["name"] == "Remedy cost by month")
        c = self.make()
        domain = pivot["domain"] + [("id", "=", c.id)]
        Complaint = self.env["customer.complaint"].with_user(self.manager)

        def count():
            ctx = Complaint.with_context(**pivot["context"])
            return ctx.read_group(domain, ["__count"], [], lazy=False)[0]["__count"]

        self.assertEqual(count(), 1)
        c._write_rule({"active": False})
        self.assertFalse(c.active)
        self.assertEqual(count(), 1)
        # without the source's context, the ORM's default hides it: the context matters
        default = Complaint.read_group(domain, ["__count"], [], lazy=False)[0]["__count"]
        self.assertEqual(default, 0)
