"""Every policy section is live: change it in a copy of the default policy and
the real rule functions answer differently (SPEC: every number is policy data)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaint_core import AuthorityError, default_policy
from complaint_core.approval import approval_route, required_level
from complaint_core.model import (
    Complaint,
    Customer,
    PriorComplaint,
    Remedy,
    RemedyType,
    Role,
    SlaStatus,
    State,
)
from complaint_core.numbering import format_number
from complaint_core.policy import Policy, default_policy_data
from complaint_core.retention import retention_until
from complaint_core.severity import assess_severity, change_level
from complaint_core.stats import is_dissatisfied, satisfaction_rate
from complaint_core.workflow import Actor, CaseFacts, allowed_actions

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 10, 10, 0, tzinfo=SH)  # Tuesday


@pytest.fixture
def data():
    return copy.deepcopy(default_policy_data())


def load(data) -> Policy:
    return Policy.from_dict(data, source="modified copy")


# -- categories -------------------------------------------------------------------


def test_categories_department(data):
    assert default_policy().department_for("product_quality") == "quality"
    data["categories"]["product_quality"]["department"] = "qa_lab"
    data["categories"]["leak"] = {"name": "Leak", "parent": "product_quality"}
    p = load(data)
    assert p.department_for("product_quality") == "qa_lab"
    assert p.department_for("leak") == "qa_lab"
    # the new child category is a product-quality category for the approval rules too
    route = approval_route("leak", 3, [Remedy(RemedyType.APOLOGY)], p)
    assert [s.code for s in route.stages] == ["investigation", "remedy"]


# -- calendar (time zone; working hours are tested with the SLA below) -----------


def test_calendar_timezone_decides_the_closing_day(data):
    closed = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)  # 01:30 on 11 March in Shanghai
    assert retention_until(closed, False, default_policy()) == date(2029, 3, 11)
    data["calendar"]["timezone"] = "Europe/London"
    assert retention_until(closed, False, load(data)) == date(2029, 3, 10)


# -- severity ---------------------------------------------------------------------


def test_severity_major_loss(data):
    c = Complaint(received_at=T0, customer_loss=Decimal("20000"))
    assert assess_severity(c, default_policy()).level == 4
    data["severity"]["major_loss"] = 20000
    d = assess_severity(c, load(data))
    assert d.level == 1 and [r.code for r in d.reasons] == ["major_loss"]


def test_severity_repeat_cluster_size_and_window(data):
    c = Complaint(
        received_at=T0,
        customer=Customer("c1"),
        product="P-1",
        prior_complaints=(PriorComplaint("c2", "P-1", None, T0 - timedelta(days=40)),),
    )
    assert assess_severity(c, default_policy()).level == 4
    data["severity"]["repeat_cluster"] = {"customers": 2, "window": "60d"}
    assert assess_severity(c, load(data)).level == 2


def test_severity_escalation_steps(data):
    c = Complaint(received_at=T0)
    now = T0 + timedelta(days=10)
    assert assess_severity(c, default_policy(), now=now).level == 4
    data["severity"]["escalation"] = [{"after": "10d", "level": 3}, {"after": "20d", "level": 1}]
    d = assess_severity(c, load(data), now=now)
    assert d.level == 3 and d.escalation.at == now


def test_severity_vip_uplift_and_default_level(data):
    vip = Complaint(received_at=T0, customer=Customer("c1", vip=True))
    plain = Complaint(received_at=T0)
    assert assess_severity(vip, default_policy()).level == 3
    assert assess_severity(plain, default_policy()).level == 4
    data["severity"]["vip_uplift"] = 2
    data["severity"]["default_level"] = 3
    assert assess_severity(vip, load(data)).level == 1
    assert assess_severity(plain, load(data)).level == 3


# -- authority --------------------------------------------------------------------


def test_authority_up_to(data):
    assert required_level(Decimal("800"), 3, default_policy()) == "department_manager"
    data["authority"]["levels"][0]["up_to"] = 1000
    assert required_level(Decimal("800"), 3, load(data)) == "supervisor"


def test_authority_level1_and_two_stage(data):
    data["authority"]["level1_requires"] = "director"
    data["authority"]["two_stage_categories"] = []
    p = load(data)
    assert required_level(Decimal("10"), 1, p) == "director"
    route = approval_route("product_quality", 3, [Remedy(RemedyType.APOLOGY)], p)
    assert [(s.code, s.level) for s in route.stages] == [("remedy", "supervisor")]


# -- workflow ---------------------------------------------------------------------


def test_workflow_roles(data):
    case = CaseFacts(state=State.REMEDY_PROPOSED, proposed_by="h1")
    manager = Actor("m1", frozenset({Role.MANAGER}))
    assert "approve" in allowed_actions(case, manager, default_policy())
    data["workflow"]["roles"]["approve"] = ["admin"]
    p = load(data)
    assert "approve" not in allowed_actions(case, manager, p)
    assert "approve" in allowed_actions(case, Actor("a1", frozenset({Role.ADMIN})), p)


def test_workflow_lower_severity_roles(data):
    change_level(2, 3, [Role.MANAGER], "misread", default_policy())
    data["workflow"]["lower_severity_roles"] = ["quality"]
    p = load(data)
    assert change_level(2, 3, [Role.QUALITY], "misread", p) == 3
    with pytest.raises(AuthorityError):
        change_level(2, 3, [Role.MANAGER], "misread", p)


# -- satisfaction -----------------------------------------------------------------


def test_satisfaction_sets(data):
    answers = [5, 4, 3, 2]
    assert satisfaction_rate(answers, default_policy()) == Decimal("0.5")
    assert not is_dissatisfied(3, default_policy())
    data["satisfaction"]["satisfied"] = [5]
    data["satisfaction"]["dissatisfied"] = [3, 2, 1]
    p = load(data)
    assert satisfaction_rate(answers, p) == Decimal("0.25")
    assert is_dissatisfied(3, p)


# -- numbering --------------------------------------------------------------------


def test_numbering_pattern(data):
    on = date(2026, 1, 18)
    assert format_number(default_policy().numbering, on, 7) == "260118007"
    data["numbering"]["pattern"] = "CC{yyyy}-{seq:05d}"
    assert format_number(load(data).numbering, on, 7) == "CC2026-00007"


# -- retention --------------------------------------------------------------------


def test_retention_years(data):
    closed = datetime(2026, 3, 10, 15, 0, tzinfo=SH)
    assert retention_until(closed, False, default_policy()) == date(2029, 3, 10)
    data["retention"]["years"] = 5
    assert retention_until(closed, False, load(data)) == date(2031, 3, 10)
    assert retention_until(closed, True, load(data)) == date(2036, 3, 10)


# -- calendar (working hours, holidays) and sla: need the business calendar ---------


def _plan(policy, c, **kw):
    from complaint_core.calendar import BusinessCalendar
    from complaint_core.sla import plan_milestones

    cal = BusinessCalendar.from_policy(policy)
    return cal, {m.code: m for m in plan_milestones(c, policy, cal, level=3, **kw)}


def test_calendar_hours_and_company_holidays(data):
    c = Complaint(received_at=datetime(2026, 3, 13, 17, 0, tzinfo=SH))  # Friday 17:00
    _, ms = _plan(default_policy(), c)
    assert ms["first_contact"].due == datetime(2026, 3, 16, 10, 0, tzinfo=SH)  # Monday 10:00
    data["calendar"]["hours"]["sat"] = ["09:00-12:00"]
    _, ms = _plan(load(data), c)
    assert ms["first_contact"].due == datetime(2026, 3, 14, 10, 0, tzinfo=SH)  # Saturday
    data["calendar"]["hours"]["sat"] = []
    data["calendar"]["extra_holidays"] = ["2026-03-16"]
    _, ms = _plan(load(data), c)
    assert ms["first_contact"].due == datetime(2026, 3, 17, 10, 0, tzinfo=SH)  # Tuesday


def test_sla_warning_ratio(data):
    from complaint_core.sla import milestone_status

    c = Complaint(received_at=T0)  # Tuesday 10:00; first contact due 12:00
    now = T0 + timedelta(minutes=70)
    cal, ms = _plan(default_policy(), c)
    assert milestone_status(ms["first_contact"], now, default_policy(), cal) is SlaStatus.ON_TIME
    data["sla"]["warning_ratio"] = 0.5  # due soon from 60 of 120 minutes
    p = load(data)
    cal, ms = _plan(p, c)
    assert milestone_status(ms["first_contact"], now, p, cal) is SlaStatus.DUE_SOON


def test_sla_milestone_limits(data):
    c = Complaint(received_at=T0, category="delivery")
    _, ms = _plan(default_policy(), c)
    assert ms["first_contact"].due == datetime(2026, 3, 10, 12, 0, tzinfo=SH)
    assert ms["resolution"].due == datetime(2026, 3, 13, 10, 0, tzinfo=SH)
    data["sla"]["milestones"][0]["rules"] = [{"limit": "4wh"}]
    data["sla"]["milestones"][3]["rules"][-1] = {"limit": "7wd"}
    _, ms = _plan(load(data), c)
    assert ms["first_contact"].due == datetime(2026, 3, 10, 15, 0, tzinfo=SH)  # lunch skipped
    assert ms["resolution"].due == datetime(2026, 3, 19, 10, 0, tzinfo=SH)
