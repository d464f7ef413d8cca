"""SPEC: every number is a default of a configurable policy, loaded and validated."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
import yaml

from complaint_core import PolicyError, default_policy, load_policy
from complaint_core.model import Duration, Kind, Role, Unit
from complaint_core.policy import Policy, default_policy_data


@pytest.fixture
def data():
    return copy.deepcopy(default_policy_data())


def problems_of(data) -> list[str]:
    with pytest.raises(PolicyError) as exc:
        Policy.from_dict(data, source="test.yaml")
    return [str(p) for p in exc.value.problems]


def test_default_policy_carries_spec_defaults():
    p = default_policy()
    assert p.calendar.timezone == "Asia/Shanghai"
    assert p.calendar.holidays == "CN"
    assert p.calendar.hours[0] == ((9 * 60, 12 * 60), (13 * 60, 18 * 60))
    assert p.calendar.hours[5] == () and p.calendar.hours[6] == ()
    assert p.severity.major_loss == Decimal(50000)
    assert (p.severity.departments_level1, p.severity.departments_level2) == (3, 2)
    assert p.severity.cluster_customers == 3
    assert p.severity.cluster_window == Duration(Decimal(30), Unit.DAYS)
    assert [(s.after.amount, s.level) for s in p.severity.escalation] == [(15, 2), (30, 1)]
    assert [(lv.code, lv.up_to) for lv in p.authority.levels] == [
        ("supervisor", 500), ("department_manager", 5000), ("director", 50000),
        ("general_manager", None)]
    assert p.authority.level1_requires == "general_manager"
    assert p.authority.two_stage_categories == {"product_quality"}
    assert p.sla.warning_ratio == Decimal("0.8")
    codes = [m.code for m in p.sla.milestones]
    assert codes == ["first_contact", "dispatch", "site_visit", "resolution", "reply",
                     "follow_up", "authority_reply"]
    assert str(p.sla.milestone("first_contact").rules[0].limit) == "2wh"
    assert str(p.sla.milestone("dispatch").rules[0].limit) == "24h"
    assert p.sla.milestone("authority_reply").rules[0].limit is None
    assert p.satisfaction.satisfied == {5, 4} and p.satisfaction.dissatisfied == {2, 1}
    assert p.numbering.pattern == "{yy}{mm}{dd}{seq:03d}" and p.numbering.reset == "yearly"
    assert p.retention.years == 3
    assert p.department_for("product_quality") == "quality"
    assert Role.MANAGER in p.workflow.roles["approve"]


def test_category_tree_inherits_department(data):
    data["categories"]["leak"] = {"name": "Leak", "parent": "product_quality"}
    p = Policy.from_dict(data)
    assert p.category_ancestors("leak") == ("product_quality",)
    assert p.department_for("leak") == "quality"


def test_every_problem_is_reported_with_its_location(data):
    data["severity"]["major_loss"] = "lots"
    data["calendar"]["timezone"] = "Mars/Olympus"
    data["calendar"]["hours"]["mon"] = ["18:00-09:00"]
    data["sla"]["milestones"][0]["rules"][0]["limit"] = "2 fortnights"
    data["authority"]["levels"][1]["up_to"] = 100  # lower than the level before
    data["workflow"]["roles"]["approve"] = ["pope"]
    data["numbering"]["pattern"] = "{yy}{seq:03d}{mm}"
    data["categories"]["orphan"] = {"name": "Orphan", "parent": "nowhere"}
    data["surprise"] = 1
    found = problems_of(data)
    expected = [
        "severity.major_loss:", "calendar.timezone:", "calendar.hours.mon[0]:",
        "sla.milestones[0](first_contact).rules[0].limit:", "authority.levels[1].up_to:",
        "workflow.roles.approve[0]:", "numbering.pattern:", "categories.orphan.parent:",
        "surprise:",
    ]
    for prefix in expected:
        assert any(f.startswith(prefix) for f in found), (prefix, found)


def test_missing_sections_are_problems_not_tracebacks():
    found = problems_of({"version": "x"})
    assert any(f.startswith("categories:") for f in found)
    assert any(f.startswith("calendar.hours:") for f in found)
    assert any(f.startswith("authority.levels:") for f in found)


def test_not_a_mapping():
    assert problems_of(["a", "list"]) == ["a policy must be a mapping of sections"]


def test_highest_authority_level_must_be_unlimited(data):
    data["authority"]["levels"][-1]["up_to"] = 10**6
    assert any("highest level must be unlimited" in f for f in problems_of(data))


def test_unknown_condition_values(data):
    data["sla"]["milestones"][2]["when"] = {"kinds": ["rant"], "categories": ["nope"]}
    found = problems_of(data)
    assert any("kinds[0]" in f and "rant" in f for f in found)
    assert any("unknown category 'nope'" in f for f in found)


def test_condition_holds_for_child_categories(data):
    data["categories"]["leak"] = {"name": "Leak", "parent": "product_quality"}
    p = Policy.from_dict(data)
    site = p.sla.milestone("site_visit")
    assert site.when.holds(kind=Kind.COMPLAINT, category="leak", channel=None, level=4,
                           transferred=False, escalated=False,
                           category_ancestors=p.category_ancestors("leak"))
    assert not site.when.holds(kind=Kind.COMPLAINT, category="billing", channel=None, level=4,
                               transferred=False, escalated=False)


def test_yaml_syntax_error_names_line(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("version: 1\ncategories: [oops\n", encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_policy(f)
    assert f"{f}:" in str(exc.value.problems[0]) and "syntax error" in str(exc.value)


def test_toml_policy_loads(tmp_path, data):
    import tomllib

    # TOML has no null: the unlimited level is written without up_to
    del data["authority"]["levels"][-1]["up_to"]
    data["calendar"]["holidays"] = "CN"
    lines = []

    def emit(prefix, value):
        lines.append(f"{prefix} = {toml_value(value)}")

    def toml_value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return str(v)
        if isinstance(v, str):
            return '"' + v.replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(toml_value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f'"{k}" = {toml_value(x)}' for k, x in v.items()
                                   if x is not None) + "}"
        raise TypeError(v)

    for key, value in data.items():
        emit(f'"{key}"', value)
    f = tmp_path / "p.toml"
    f.write_text("\n".join(lines), encoding="utf-8")
    assert tomllib.loads(f.read_text())  # the file is valid TOML
    p = load_policy(f)
    assert p.authority.levels[-1].up_to is None
    assert p.severity.major_loss == 50000


def test_missing_file_is_a_policy_error(tmp_path):
    with pytest.raises(PolicyError) as exc:
        load_policy(tmp_path / "absent.yaml")
    assert "cannot read" in str(exc.value)


def test_shipped_file_is_the_default(tmp_path):
    from complaint_core.policy import data_file

    assert yaml.safe_load(data_file("default_policy.yaml").read_text()) == default_policy_data()
