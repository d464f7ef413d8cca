"""SPEC §4 remedies, approval by authority limit, two-stage approval, recusal, frozen remedies."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaint_core import (
    ApprovalError,
    AuthorityError,
    InputError,
    RecusalError,
    default_policy,
)
from complaint_core.approval import (
    Decision,
    Route,
    Stage,
    approval_route,
    approvals_still_valid,
    can_approve,
    check_remedies,
    decide,
    remedy_cost,
    remedy_fingerprint,
    required_level,
    route_complete,
)
from complaint_core.model import Remedy, RemedyType, Role
from complaint_core.workflow import Actor

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
D = Decimal


@pytest.fixture(scope="module")
def policy():
    return default_policy()


def manager(id_: str, reports_to=()) -> Actor:
    return Actor(id=id_, roles=frozenset({Role.MANAGER}), reports_to=tuple(reports_to))


def run(policy, route, decisions, stage, who, level, approved=True, comment="ok", **kw):
    kw.setdefault("proposed_by", "handler1")
    return decide(
        route, decisions, stage, who, level, approved, comment, now=NOW, policy=policy, **kw
    )


# -- cost and matrix ---------------------------------------------------------------


def test_cost_is_the_sum_of_the_remedy_amounts():
    remedies = [
        Remedy(RemedyType.CREDIT, D("120.50")),
        Remedy(RemedyType.APOLOGY),
        Remedy(RemedyType.GIFT, D("79.50")),
    ]
    assert remedy_cost(remedies) == D("200.00")
    assert remedy_cost([]) == D(0)


@pytest.mark.parametrize(
    "cost, level",
    [
        ("0", "supervisor"),
        ("500", "supervisor"),
        ("500.01", "department_manager"),
        ("5000", "department_manager"),
        ("5000.01", "director"),
        ("50000", "director"),
        ("50000.01", "general_manager"),
        ("1000000", "general_manager"),
    ],
)
def test_matrix_boundaries(policy, cost, level):
    assert required_level(D(cost), 3, policy) == level


@pytest.mark.parametrize("cost", ["0", "500", "50000"])
def test_level1_always_needs_the_general_manager(policy, cost):
    assert required_level(D(cost), 1, policy) == "general_manager"


def test_negative_cost_is_refused(policy):
    with pytest.raises(InputError) as exc:
        required_level(D("-1"), 3, policy)
    assert exc.value.code == "amount_negative"


def test_single_stage_route(policy):
    route = approval_route("delivery", 3, [Remedy(RemedyType.CREDIT, D("800"))], policy)
    assert route == Route((Stage("remedy", "department_manager"),), D("800"))


def test_product_quality_takes_two_stages(policy):
    small = approval_route("product_quality", 3, [Remedy(RemedyType.CREDIT, D("100"))], policy)
    # investigation at department_manager; remedy at max(supervisor, department_manager)
    assert small.stages == (
        Stage("investigation", "department_manager"),
        Stage("remedy", "department_manager"),
    )
    big = approval_route("product_quality", 3, [Remedy(RemedyType.CREDIT, D("20000"))], policy)
    assert big.stages == (Stage("investigation", "department_manager"), Stage("remedy", "director"))
    level1 = approval_route("product_quality", 1, [Remedy(RemedyType.APOLOGY)], policy)
    assert level1.stages[1] == Stage("remedy", "general_manager")


def test_unknown_category_is_refused(policy):
    with pytest.raises(InputError) as exc:
        approval_route("nope", 3, [], policy)
    assert exc.value.code == "category_unknown"


def test_can_approve_by_rank(policy):
    assert can_approve("director", "supervisor", policy)
    assert can_approve("director", "director", policy)
    assert not can_approve("supervisor", "director", policy)
    with pytest.raises(InputError):
        can_approve("king", "director", policy)


# -- remedies -----------------------------------------------------------------------


def test_cash_needs_a_written_reason(policy):
    with pytest.raises(InputError) as exc:
        check_remedies([Remedy(RemedyType.CASH, D("100"))], policy)
    assert exc.value.code == "cash_reason_required"
    assert exc.value.params["index"] == 0
    check_remedies([Remedy(RemedyType.CASH, D("100"), reason="customer has no account")], policy)


def test_negative_amounts_are_refused(policy):
    with pytest.raises(InputError) as exc:
        check_remedies([Remedy(RemedyType.APOLOGY), Remedy(RemedyType.CREDIT, D("-5"))], policy)
    assert exc.value.code == "amount_negative" and exc.value.params["index"] == 1
    with pytest.raises(InputError):
        approval_route("delivery", 3, [Remedy(RemedyType.CREDIT, D("-5"))], policy)


def test_discount_outside_0_100_is_refused(policy):
    with pytest.raises(InputError) as exc:
        check_remedies([Remedy(RemedyType.DISCOUNT, discount_percent=D("120"))], policy)
    assert exc.value.code == "discount_invalid"


def test_a_proposal_needs_a_remedy(policy):
    with pytest.raises(InputError) as exc:
        check_remedies([], policy)
    assert exc.value.code == "remedies_empty"


# -- decide -------------------------------------------------------------------------


@pytest.fixture
def two_stage(policy):
    return approval_route("product_quality", 3, [Remedy(RemedyType.CREDIT, D("100"))], policy)


def test_two_stage_route_is_decided_in_order(policy, two_stage):
    with pytest.raises(ApprovalError) as exc:
        run(policy, two_stage, [], "remedy", manager("m1"), "department_manager")
    assert exc.value.code == "stage_not_next" and exc.value.params["next"] == "investigation"
    d1 = run(policy, two_stage, [], "investigation", manager("m1"), "department_manager")
    assert d1 == Decision("investigation", "m1", True, NOW, "ok")
    assert not route_complete(two_stage, [d1])
    d2 = run(policy, two_stage, [d1], "remedy", manager("m1"), "department_manager")
    assert route_complete(two_stage, [d1, d2])


def test_a_stage_is_decided_once_two_approvers_at_once_give_one_decision(policy, two_stage):
    decisions: list[Decision] = []
    first = run(policy, two_stage, decisions, "investigation", manager("m1"), "department_manager")
    decisions.append(first)
    with pytest.raises(ApprovalError) as exc:
        run(policy, two_stage, decisions, "investigation", manager("m2"), "director")
    assert exc.value.code == "already_decided"
    assert [d.approver_id for d in decisions] == ["m1"]


def test_unknown_stage(policy, two_stage):
    with pytest.raises(ApprovalError) as exc:
        run(policy, two_stage, [], "payment", manager("m1"), "director")
    assert exc.value.code == "stage_unknown"


def test_rejection_needs_a_comment_and_ends_the_route(policy, two_stage):
    with pytest.raises(InputError) as exc:
        run(
            policy,
            two_stage,
            [],
            "investigation",
            manager("m1"),
            "department_manager",
            approved=False,
            comment=" ",
        )
    assert exc.value.code == "reason_required"
    no = run(
        policy,
        two_stage,
        [],
        "investigation",
        manager("m1"),
        "department_manager",
        approved=False,
        comment="samples missing",
    )
    assert no.approved is False and no.comment == "samples missing"
    assert not route_complete(two_stage, [no])
    with pytest.raises(ApprovalError) as exc:
        run(policy, two_stage, [no], "remedy", manager("m2"), "director")
    assert exc.value.code == "route_rejected"


def test_higher_level_may_approve_lower_may_not(policy):
    route = approval_route("delivery", 3, [Remedy(RemedyType.CREDIT, D("6000"))], policy)
    assert route.stages == (Stage("remedy", "director"),)
    with pytest.raises(AuthorityError) as exc:
        run(policy, route, [], "remedy", manager("m1"), "department_manager")
    assert exc.value.code == "authority_too_low"
    assert exc.value.params["required"] == "director"
    assert run(policy, route, [], "remedy", manager("gm"), "general_manager").approved


def test_own_proposal_is_refused(policy):
    route = approval_route("delivery", 3, [Remedy(RemedyType.APOLOGY)], policy)
    with pytest.raises(AuthorityError) as exc:
        run(policy, route, [], "remedy", manager("m1"), "general_manager", proposed_by="m1")
    assert exc.value.code == "own_proposal"


def test_person_complained_about_is_recused(policy):
    route = approval_route("delivery", 3, [Remedy(RemedyType.APOLOGY)], policy)
    with pytest.raises(RecusalError) as exc:
        run(policy, route, [], "remedy", manager("m1"), "general_manager", complained_about=("m1",))
    assert exc.value.code == "recused"


def test_sole_report_of_the_person_complained_about_is_recused(policy):
    route = approval_route("delivery", 3, [Remedy(RemedyType.APOLOGY)], policy)
    with pytest.raises(RecusalError):
        run(
            policy,
            route,
            [],
            "remedy",
            manager("s1", reports_to=("boss",)),
            "supervisor",
            complained_about=("boss",),
        )
    # someone who also reports to another, uninvolved manager is not recused
    ok = run(
        policy,
        route,
        [],
        "remedy",
        manager("s1", reports_to=("boss", "other")),
        "supervisor",
        complained_about=("boss",),
    )
    assert ok.approved


def test_naive_now_is_refused(policy):
    route = approval_route("delivery", 3, [Remedy(RemedyType.APOLOGY)], policy)
    with pytest.raises(InputError):
        decide(
            route,
            [],
            "remedy",
            manager("m1"),
            "supervisor",
            True,
            "",
            proposed_by=None,
            now=datetime(2026, 3, 10, 10, 0),
            policy=policy,
        )


# -- frozen remedies -------------------------------------------------------------


def test_fingerprint_changes_with_amount_and_type_not_description_or_order():
    a = Remedy(RemedyType.CREDIT, D("500"), description="credit note")
    b = Remedy(RemedyType.APOLOGY, description="letter")
    fp = remedy_fingerprint([a, b])
    assert remedy_fingerprint([b, a]) == fp
    assert (
        remedy_fingerprint([Remedy(RemedyType.CREDIT, D("500.00"), description="other"), b]) == fp
    )
    assert remedy_fingerprint([Remedy(RemedyType.CREDIT, D("501")), b]) != fp
    assert remedy_fingerprint([Remedy(RemedyType.GIFT, D("500")), b]) != fp
    assert remedy_fingerprint([a]) != fp


def test_approvals_void_when_the_remedy_changes():
    approved = [Remedy(RemedyType.CREDIT, D("500"))]
    fp = remedy_fingerprint(approved)
    assert approvals_still_valid(fp, approved)
    assert not approvals_still_valid(fp, [Remedy(RemedyType.CREDIT, D("900"))])
    assert not approvals_still_valid(None, approved)
