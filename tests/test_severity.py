"""SPEC §2 severity: criteria, repeat clusters, VIP uplift, escalation by age, manual changes.

Escalation and the repeat-cluster window are clock days (``15d``, ``30d``), so
these tests need no business calendar.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaint_core import AuthorityError, InputError, default_policy
from complaint_core.model import Complaint, Customer, PriorComplaint, Role, State
from complaint_core.severity import (
    assess_severity,
    change_level,
    escalation_at,
    escalation_schedule,
    find_repeat_cluster,
)

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 10, 10, 0, tzinfo=SH)  # a Tuesday


@pytest.fixture(scope="module")
def policy():
    return default_policy()


def make(**kw) -> Complaint:
    kw.setdefault("received_at", T0)
    kw.setdefault("customer", Customer(id="c1"))
    return Complaint(**kw)


def codes(decision) -> list[str]:
    return [r.code for r in decision.reasons]


def prior(customer: str, days_before: float, product="P-1", category="product_quality", number=""):
    return PriorComplaint(
        customer_id=customer,
        product=product,
        category=category,
        received_at=T0 - timedelta(days=days_before),
        number=number,
    )


# -- criteria -------------------------------------------------------------------


def test_no_criterion_gives_the_default_level(policy):
    d = assess_severity(make(), policy)
    assert (d.level, d.computed_level) == (4, 4)
    assert codes(d) == ["default"]
    assert d.cluster is None and d.escalation is None and d.escalated is False


@pytest.mark.parametrize("flag", ["media_exposure", "litigation", "injury"])
def test_level1_flags(policy, flag):
    d = assess_severity(make(**{flag: True}), policy)
    assert d.level == 1
    assert codes(d) == [flag]
    assert d.reasons[0].level == 1


def test_major_loss_at_threshold_is_level1(policy):
    d = assess_severity(make(customer_loss=Decimal("50000")), policy)
    assert d.level == 1
    assert codes(d) == ["major_loss"]
    assert d.reasons[0].params == {"loss": Decimal("50000"), "threshold": Decimal("50000")}


def test_loss_just_below_threshold_is_not_level1(policy):
    d = assess_severity(make(customer_loss=Decimal("49999.99")), policy)
    assert d.level == 4
    assert "major_loss" not in codes(d)


def test_three_departments_level1_two_level2_duplicates_once(policy):
    d3 = assess_severity(make(departments=("sales", "quality", "logistics")), policy)
    assert d3.level == 1 and codes(d3) == ["departments"]
    assert d3.reasons[0].params == {"count": 3, "threshold": 3}
    d2 = assess_severity(make(departments=("sales", "quality", "sales")), policy)
    assert d2.level == 2 and d2.reasons[0].params == {"count": 2, "threshold": 2}
    d1 = assess_severity(make(departments=("sales", "sales", "")), policy)
    assert d1.level == 4 and codes(d1) == ["default"]


def test_unauthorised_promise_is_level2(policy):
    d = assess_severity(make(unauthorized_promise=True), policy)
    assert d.level == 2 and codes(d) == ["unauthorized_promise"]


def test_service_not_delivered_needs_repeated_complaints(policy):
    d = assess_severity(make(service_not_delivered=True, repeated_complaints=2), policy)
    assert d.level == 2 and codes(d) == ["service_not_delivered"]
    once = assess_severity(make(service_not_delivered=True, repeated_complaints=1), policy)
    assert once.level == 4
    repeated_only = assess_severity(make(repeated_complaints=5), policy)
    assert repeated_only.level == 4


@pytest.mark.parametrize("flag", ["facility_unmaintained", "recomplaint", "may_spread"])
def test_level3_criteria(policy, flag):
    d = assess_severity(make(**{flag: True}), policy)
    assert d.level == 3 and codes(d) == [flag]


def test_level4_category_and_not_company_fault(policy):
    d = assess_severity(make(category="service_attitude"), policy)
    assert d.level == 4 and codes(d) == ["level4_category"]
    d = assess_severity(make(not_company_fault=True), policy)
    assert d.level == 4 and codes(d) == ["not_company_fault"]


def test_most_severe_criterion_wins_and_every_reason_is_recorded(policy):
    d = assess_severity(
        make(
            facility_unmaintained=True,
            unauthorized_promise=True,
            litigation=True,
            category="service_attitude",
        ),
        policy,
    )
    assert d.level == 1
    assert codes(d) == [
        "litigation",
        "unauthorized_promise",
        "facility_unmaintained",
        "level4_category",
    ]
    assert [r.level for r in d.reasons] == [1, 2, 3, 4]


# -- repeat clusters --------------------------------------------------------------


def test_three_different_customers_same_product_is_a_cluster(policy):
    c = make(product="P-1", prior_complaints=(prior("c2", 10), prior("c3", 29)))
    cluster = find_repeat_cluster(c, policy)
    assert cluster is not None
    assert (cluster.key, cluster.value) == ("product", "P-1")
    assert cluster.customers == {"c1", "c2", "c3"}  # the complaint's own customer counts
    d = assess_severity(c, policy)
    assert d.level == 2 and codes(d) == ["repeat_cluster"]
    assert d.reasons[0].params["customers"] == 3


def test_same_customer_thrice_is_not_a_cluster(policy):
    c = make(product="P-1", prior_complaints=(prior("c1", 1), prior("c1", 2)))
    assert find_repeat_cluster(c, policy) is None
    assert assess_severity(c, policy).level == 4


def test_own_customer_among_priors_counts_once(policy):
    c = make(product="P-1", prior_complaints=(prior("c1", 1), prior("c2", 2)))
    assert find_repeat_cluster(c, policy) is None


def test_unknown_customers_do_not_count(policy):
    c = make(product="P-1", prior_complaints=(prior("", 1), prior("c2", 2)))
    assert find_repeat_cluster(c, policy) is None


def test_cluster_by_category_when_products_differ(policy):
    c = make(
        product="P-1",
        category="delivery",
        prior_complaints=(
            prior("c2", 3, product="P-7", category="delivery"),
            prior("c3", 4, product=None, category="delivery"),
        ),
    )
    cluster = find_repeat_cluster(c, policy)
    assert (cluster.key, cluster.value) == ("category", "delivery")
    assert len(cluster.complaints) == 2


def test_cluster_window_boundary_is_exactly_30_days(policy):
    """'within 30 days': a prior exactly 30 days earlier is inside, a minute more is not."""
    inside = make(product="P-1", prior_complaints=(prior("c2", 1), prior("c3", 30)))
    assert find_repeat_cluster(inside, policy) is not None
    outside = make(product="P-1", prior_complaints=(prior("c2", 1), prior("c3", 30 + 1 / 1440)))
    assert find_repeat_cluster(outside, policy) is None


def test_later_complaints_and_the_complaint_itself_are_not_priors(policy):
    later = PriorComplaint("c3", "P-1", None, T0 + timedelta(hours=1))
    c = make(
        product="P-1",
        number="260310001",
        prior_complaints=(prior("c2", 1), later, prior("c4", 2, number="260310001")),
    )
    assert find_repeat_cluster(c, policy) is None


# -- VIP ------------------------------------------------------------------------


def test_vip_is_one_level_more_severe(policy):
    d = assess_severity(make(customer=Customer(id="c1", vip=True), recomplaint=True), policy)
    assert (d.level, d.computed_level) == (2, 2)
    vip = [r for r in d.reasons if r.code == "vip"]
    assert vip and vip[0].params == {"uplift": 1, "from": 3, "to": 2}


def test_vip_never_beyond_level1(policy):
    d = assess_severity(make(customer=Customer(id="c1", vip=True), injury=True), policy)
    assert d.level == 1


# -- escalation by age ------------------------------------------------------------


def test_escalation_schedule_is_clock_days_after_registration(policy):
    steps = escalation_schedule(make(), policy)
    assert [(e.level, e.at) for e in steps] == [
        (2, T0 + timedelta(days=15)),
        (1, T0 + timedelta(days=30)),
    ]


def test_escalation_to_level2_after_15_days(policy):
    c = make()
    before = assess_severity(c, policy, now=T0 + timedelta(days=15, minutes=-1))
    assert before.level == 4 and not before.escalated
    at = assess_severity(c, policy, now=T0 + timedelta(days=15))
    assert at.level == 2 and at.escalated
    assert at.escalation.level == 2 and at.escalation.at == T0 + timedelta(days=15)
    assert "escalated" in codes(at)


def test_escalation_to_level1_after_30_days(policy):
    d = assess_severity(make(), policy, now=T0 + timedelta(days=30))
    assert d.level == 1 and d.escalation.level == 1


def test_no_escalation_without_now(policy):
    assert assess_severity(make(), policy).escalated is False


def test_no_escalation_when_closed(policy):
    now = T0 + timedelta(days=40)
    closed = make(closed_at=T0 + timedelta(days=5), state=State.CLOSED)
    assert escalation_at(closed, policy, now) is None
    assert assess_severity(closed, policy, now=now).level == 4
    final_state = make(state=State.WITHDRAWN)
    assert escalation_at(final_state, policy, now) is None
    # closed only after `now`: still open at `now`
    later = make(closed_at=T0 + timedelta(days=45))
    assert escalation_at(later, policy, now).level == 1


def test_no_escalation_when_the_delay_is_not_the_company_fault(policy):
    d = assess_severity(make(company_fault=False), policy, now=T0 + timedelta(days=31))
    assert d.level == 4 and not d.escalated


def test_escalation_never_lowers(policy):
    d = assess_severity(make(media_exposure=True), policy, now=T0 + timedelta(days=16))
    assert d.level == 1 and d.escalated and d.escalation.level == 2


def test_manual_lowering_cannot_go_under_an_escalation(policy):
    c = make(manual_level=4)
    d = assess_severity(c, policy, now=T0 + timedelta(days=16))
    assert d.level == 2 and d.computed_level == 2
    # without an escalation the manual level stands
    assert assess_severity(make(manual_level=4, recomplaint=True), policy).level == 4


def test_manual_raise_is_used(policy):
    d = assess_severity(make(manual_level=1), policy)
    assert (d.level, d.computed_level) == (1, 4)
    assert codes(d)[0] == "manual"


# -- change_level ----------------------------------------------------------------


def test_raising_is_free(policy):
    assert change_level(4, 2, [Role.SALES_REP], "", policy) == 2


def test_lowering_needs_a_manager(policy):
    with pytest.raises(AuthorityError) as exc:
        change_level(2, 3, [Role.HANDLER], "customer calmed down", policy)
    assert exc.value.code == "lower_needs_manager"
    assert exc.value.params["current"] == 2 and exc.value.params["new"] == 3


def test_lowering_needs_a_reason(policy):
    with pytest.raises(InputError) as exc:
        change_level(2, 3, [Role.MANAGER], "  ", policy)
    assert exc.value.code == "reason_required"
    assert change_level(2, 3, [Role.MANAGER], "misread", policy) == 3


@pytest.mark.parametrize("bad", [0, 5, True, "2"])
def test_change_level_rejects_invalid_levels(policy, bad):
    with pytest.raises(InputError) as exc:
        change_level(3, bad, [Role.MANAGER], "x", policy)
    assert exc.value.code == "level_invalid"


def test_clock_escalation_is_real_time_across_dst():
    """15d after a Berlin registration before the October DST change is 15 x 24 real
    hours later, the same instant the calendar gives, not 15 wall-clock days."""
    import copy
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from complaint_core.calendar import BusinessCalendar
    from complaint_core.model import Complaint
    from complaint_core.policy import Policy, default_policy_data
    from complaint_core.severity import escalation_schedule

    data = copy.deepcopy(default_policy_data())
    data["calendar"]["timezone"] = "Europe/Berlin"
    data["calendar"]["holidays"] = "DE"
    policy = Policy.from_dict(data)
    start = datetime(2026, 10, 20, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # CEST, +02:00
    steps = escalation_schedule(Complaint(received_at=start), policy)
    at_15 = next(e.at for e in steps if e.level == 2)
    assert at_15 == datetime(2026, 11, 4, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # CET
    assert at_15 == BusinessCalendar.from_policy(policy).add(start, "15d")
