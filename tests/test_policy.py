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
        ("supervisor", 500),
        ("department_manager", 5000),
        ("director", 50000),
        ("general_manager", None),
    ]
    assert p.authority.level1_requires == "general_manager"
    assert p.authority.two_stage_categories == {"product_quality"}
    assert p.sla.warning_ratio == Decimal("0.8")
    codes = [m.code for m in p.sla.milestones]
    assert codes == [
        "first_contact",
        "dispatch",
        "site_visit",
        "resolution",
        "reply",
        "follow_up",
        "authority_reply",
    ]
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
        "severity.major_loss:",
        "calendar.timezone:",
        "calendar.hours.mon[0]:",
        "sla.milestones[0](first_contact).rules[0].limit:",
        "authority.levels[1].up_to:",
        "workflow.roles.approve[0]:",
        "numbering.pattern:",
        "categories.orphan.parent:",
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
    assert site.when.holds(
        kind=Kind.COMPLAINT,
        category="leak",
        channel=None,
        level=4,
        transferred=False,
        escalated=False,
        category_ancestors=p.category_ancestors("leak"),
    )
    assert not site.when.holds(
        kind=Kind.COMPLAINT,
        category="billing",
        channel=None,
        level=4,
        transferred=False,
        escalated=False,
    )


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
            return (
                "{"
                + ", ".join(f'"{k}" = {toml_value(x)}' for k, x in v.items() if x is not None)
                + "}"
            )
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


# -- problem codes: each refused value has its own stable code and params -------------


def coded(data) -> list[tuple[str, str]]:
    with pytest.raises(PolicyError) as exc:
        Policy.from_dict(data, source="test.yaml")
    return [(p.location, p.code) for p in exc.value.problems]


def first_problem(data):
    with pytest.raises(PolicyError) as exc:
        Policy.from_dict(data, source="test.yaml")
    return exc.value.problems[0]


def put(data, path, value):
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


M0 = "sla.milestones[0](first_contact).rules[0].limit"


@pytest.mark.parametrize(
    "path, value, location, code",
    [
        (
            ("calendar", "hours", "mon"),
            ["09:00-12:00", "11:00-13:00"],
            "calendar.hours.mon[1]",
            "hours_overlap",
        ),
        (
            ("calendar", "hours", "tue"),
            ["13:00-18:00", "09:00-13:30"],
            "calendar.hours.tue[0]",
            "hours_overlap",
        ),
        (("calendar", "hours", "mon"), ["18:00-09:00"], "calendar.hours.mon[0]", "span_order"),
        (("calendar", "hours", "mon"), ["09:00-09:00"], "calendar.hours.mon[0]", "span_order"),
        (("calendar", "hours", "mon"), ["09:00-25:00"], "calendar.hours.mon[0]", "span_out_of_day"),
        (("calendar", "hours", "mon"), ["09:61-10:00"], "calendar.hours.mon[0]", "span_out_of_day"),
        (("calendar", "hours", "mon"), ["nine to five"], "calendar.hours.mon[0]", "span_invalid"),
        (("calendar", "hours", "mon"), [900], "calendar.hours.mon[0]", "span_invalid"),
        (("calendar", "hours", "mon"), "09:00-18:00", "calendar.hours.mon", "type_invalid"),
        (
            ("calendar", "hours"),
            {d: [] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
            "calendar.hours",
            "calendar_empty",
        ),
        (
            ("calendar", "hours", "funday"),
            ["09:00-10:00"],
            "calendar.hours.funday",
            "value_unknown",
        ),
        (("calendar", "holidays"), "XX", "calendar.holidays", "holidays_country_unknown"),
        (("calendar", "timezone"), "Mars/Olympus", "calendar.timezone", "timezone_unknown"),
        (
            ("calendar", "extra_holidays"),
            ["2026-02-30"],
            "calendar.extra_holidays[0]",
            "date_invalid",
        ),
        (("sla", "milestones", 0, "rules", 0, "limit"), "abc", M0, "duration_invalid"),
        (("sla", "milestones", 0, "rules", 0, "limit"), 5, M0, "duration_invalid"),
        (("sla", "milestones", 0, "rules", 0, "limit"), "99999999d", M0, "too_large"),
        (("sla", "milestones", 0, "rules", 0, "limit"), "999999999999wd", M0, "too_large"),
        (
            ("severity", "escalation", 0, "after"),
            "3661d",
            "severity.escalation[0].after",
            "too_large",
        ),
        (
            ("severity", "repeat_cluster", "window"),
            "30 days",
            "severity.repeat_cluster.window",
            "duration_invalid",
        ),
        (("sla", "warning_ratio"), 1, "sla.warning_ratio", "ratio_out_of_range"),
        (("sla", "warning_ratio"), 0, "sla.warning_ratio", "ratio_out_of_range"),
        (("sla", "warning_ratio"), "NaN", "sla.warning_ratio", "number_invalid"),
        (
            ("sla", "milestones", 0, "start"),
            "lunch",
            "sla.milestones[0](first_contact).start",
            "value_unknown",
        ),
        (("authority", "levels", 0, "up_to"), -100, "authority.levels[0].up_to", "too_small"),
        (
            ("authority", "levels", 0, "up_to"),
            "lots",
            "authority.levels[0].up_to",
            "number_invalid",
        ),
        (("authority", "levels", 0, "up_to"), "NaN", "authority.levels[0].up_to", "number_invalid"),
        (("authority", "levels", 0, "up_to"), [500], "authority.levels[0].up_to", "number_invalid"),
        (
            ("authority", "levels", 1, "up_to"),
            100,
            "authority.levels[1].up_to",
            "limits_not_rising",
        ),
        (
            ("authority", "levels", 3, "up_to"),
            10**6,
            "authority.levels[3].up_to",
            "highest_limited",
        ),
        (
            ("authority", "level1_requires"),
            "pope",
            "authority.level1_requires",
            "authority_level_unknown",
        ),
        (
            ("authority", "two_stage_categories"),
            [["product_quality"]],
            "authority.two_stage_categories[0]",
            "type_invalid",
        ),
        (
            ("authority", "two_stage_categories"),
            ["nowhere"],
            "authority.two_stage_categories[0]",
            "category_unknown",
        ),
        (
            ("severity", "level4_categories"),
            [{"a": 1}],
            "severity.level4_categories[0]",
            "type_invalid",
        ),
        (("severity", "major_loss"), "lots", "severity.major_loss", "number_invalid"),
        (("severity", "departments_level1"), 0, "severity.departments_level1", "too_small"),
        (("severity", "vip_uplift"), 9, "severity.vip_uplift", "too_large"),
        (("severity", "default_level"), 7, "severity.default_level", "level_invalid"),
        (("satisfaction", "satisfied"), [[5]], "satisfaction.satisfied[0]", "type_invalid"),
        (("satisfaction", "satisfied"), [9], "satisfaction.satisfied[0]", "not_on_scale"),
        (("satisfaction", "satisfied"), [5, 4, 2], "satisfaction", "satisfied_and_dissatisfied"),
        (("workflow", "roles", "approve"), ["pope"], "workflow.roles.approve[0]", "value_unknown"),
        (("workflow", "roles", "dance"), ["manager"], "workflow.roles.dance", "value_unknown"),
        (("numbering", "pattern"), "{yy}{seq:03d}{mm}", "numbering.pattern", "pattern_invalid"),
        (("numbering", "reset"), "hourly", "numbering.reset", "value_unknown"),
        (("retention", "years"), 10**30, "retention.years", "too_large"),
        (("retention", "important_years"), 1, "retention.important_years", "too_small"),
        (
            ("categories", "orphan"),
            {"name": "Orphan", "parent": "nowhere"},
            "categories.orphan.parent",
            "category_unknown",
        ),
        (("categories", "other"), "Other", "categories.other", "type_invalid"),
        (("surprise",), 1, "surprise", "section_unknown"),
        (("intake",), {"clock_skew": "5 min"}, "intake.clock_skew", "duration_invalid"),
    ],
)
def test_each_bad_value_has_its_code_and_location(data, path, value, location, code):
    assert coded(put(data, path, value)) == [(location, code)]


def test_missing_values_are_coded(data):
    del data["severity"]["major_loss"]
    del data["workflow"]["roles"]["approve"]
    assert coded(data) == [
        ("severity.major_loss", "missing"),
        ("workflow.roles.approve", "missing"),
    ]


def test_problem_params_carry_what_the_message_says(data):
    p = first_problem(put(data, ("authority", "levels", 0, "up_to"), -100))
    assert p.params == {"minimum": "0", "value": "-100"} and "-100" in p.message
    p = first_problem(put(copy.deepcopy(default_policy_data()), ("calendar", "holidays"), "XX"))
    assert p.params == {"value": "XX"} and "XX" in p.message
    data = copy.deepcopy(default_policy_data())
    p = first_problem(put(data, ("calendar", "hours", "mon"), ["09:00-12:00", "11:00-13:00"]))
    assert p.params == {"value": "11:00-13:00", "other": "09:00-12:00"}
    data = copy.deepcopy(default_policy_data())
    p = first_problem(put(data, ("severity", "major_loss"), [1]))
    assert p.params == {"value": "[1]"}
    data = copy.deepcopy(default_policy_data())
    p = first_problem(put(data, ("sla", "milestones", 0, "rules", 0, "limit"), "abc"))
    assert p.params == {"value": "'abc'"}
    data = copy.deepcopy(default_policy_data())
    p = first_problem(put(data, ("calendar", "hours", "mon"), "x"))
    assert p.params == {"expected": "a list of HH:MM-HH:MM spans", "value": "'x'"}


def test_unordered_spans_that_do_not_overlap_are_fine(data):
    data["calendar"]["hours"]["mon"] = ["13:00-18:00", "09:00-12:00"]
    assert Policy.from_dict(data).calendar.hours[0] == ((540, 720), (780, 1080))


def test_several_problems_are_all_reported_at_once(data):
    data["calendar"]["hours"]["mon"] = ["09:00-12:00", "11:00-13:00"]
    data["calendar"]["holidays"] = "XX"
    data["sla"]["milestones"][1]["rules"][0]["limit"] = "abc"
    data["sla"]["warning_ratio"] = 1.5
    data["authority"]["levels"][0]["up_to"] = -100
    data["retention"]["years"] = 0
    found = coded(data)
    assert found == [
        ("calendar.holidays", "holidays_country_unknown"),
        ("calendar.hours.mon[1]", "hours_overlap"),
        ("sla.warning_ratio", "ratio_out_of_range"),
        ("sla.milestones[1](dispatch).rules[0].limit", "duration_invalid"),
        ("authority.levels[0].up_to", "too_small"),
        ("retention.years", "too_small"),
    ]


def test_problems_are_frozen_hashable_and_default_coded():
    from complaint_core import Problem

    p = Problem("a.b", "wrong")
    assert (p.code, dict(p.params)) == ("invalid", {})
    q = Problem("a.b", "wrong", "too_small", {"minimum": 0, "value": -1})
    assert q.params == {"minimum": "0", "value": "-1"}
    assert len({p, q, Problem("a.b", "wrong")}) == 2
    with pytest.raises(TypeError):
        q.params["minimum"] = "1"


def test_an_accepted_policy_never_breaks_the_rules_later(data):
    """The extremes the loader accepts still give a calendar and milestones."""
    from datetime import datetime, timedelta, timezone

    from complaint_core.calendar import BusinessCalendar
    from complaint_core.model import Complaint
    from complaint_core.severity import assess_severity, escalation_schedule
    from complaint_core.sla import plan_milestones

    data["calendar"]["hours"]["sat"] = ["23:00-24:00"]
    data["calendar"]["hours"]["sun"] = ["00:00-00:01"]
    data["sla"]["milestones"][0]["rules"][0]["limit"] = "2500wd"
    data["sla"]["milestones"][1]["rules"][0]["limit"] = "3660d"
    data["severity"]["escalation"][0]["after"] = "20000wh"
    p = Policy.from_dict(data)
    cal = BusinessCalendar.from_policy(p)
    t = datetime(2026, 3, 10, 10, tzinfo=timezone(timedelta(hours=8)))
    c = Complaint(received_at=t)
    sev = assess_severity(c, p, now=t, calendar=cal)
    ms = plan_milestones(c, p, cal, level=sev.level)
    assert all(m.due is None or m.due > t for m in ms)
    assert escalation_schedule(c, p, cal)
