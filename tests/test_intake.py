"""complaint_core.intake: every problem of a registration form at once, each at
the caller's field name with a stable code; nothing but FactsError is raised."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_core import InputError, PolicyError, default_policy
from complaint_core.errors import FactsError
from complaint_core.intake import IntakeFacts, check_intake
from complaint_core.policy import Policy, default_policy_data

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 9, 30, 16, 30, tzinfo=CST)
POLICY = default_policy()
GOOD = IntakeFacts(
    received_at=NOW - timedelta(hours=1),
    registered_at=NOW - timedelta(minutes=50),
    first_contact_at=NOW - timedelta(minutes=10),
    other_times={"site_visit_at": NOW + timedelta(days=2)},
    dates={"purchase_date": date(2026, 9, 1), "ship_date": date(2026, 9, 3)},
    amounts={"amount": Decimal("1200"), "customer_loss": 0.0, "demand_compensation": 50},
    quantity=Decimal(10),
    defective_quantity=Decimal(2),
    percents={"demand_discount": Decimal("12.5")},
    texts={"description": "漏水 — leaks at the seam", "batch": "2609-A"},
)


def problems(facts, now=NOW, policy=POLICY):
    with pytest.raises(FactsError) as exc:
        check_intake(facts, now, policy)
    assert isinstance(exc.value, InputError) and exc.value.code == "facts_invalid"
    return exc.value.problems


def one(facts, **kw):
    found = problems(facts, **kw)
    assert len(found) == 1, found
    return found[0]


def change(**kw):
    return replace(GOOD, **kw)


def test_good_facts_pass():
    assert check_intake(GOOD, NOW, POLICY) is None
    assert check_intake(IntakeFacts(), NOW, POLICY) is None


@pytest.mark.parametrize(
    "facts, location, value",
    [
        (
            change(received_at=datetime(1969, 12, 31, 23, 0, tzinfo=UTC)),
            "received_at",
            "1969-12-31T23:00:00+00:00",
        ),
        (
            change(
                other_times={
                    "site_visit_at": datetime(
                        9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12))
                    )
                }
            ),
            "site_visit_at",
            "9999-12-31T23:59:00-12:00",
        ),
        (change(dates={"purchase_date": date(1, 1, 1)}), "purchase_date", "0001-01-01"),
        (change(dates={"ship_date": date(2201, 1, 1)}), "ship_date", "2201-01-01"),
    ],
)
def test_datetime_out_of_range(facts, location, value):
    p = one(facts)
    assert (p.location, p.code) == (location, "datetime_out_of_range")
    assert p.params == {"field": location, "value": value, "first": "1970", "last": "2200"}
    assert location in str(p) and "1970-2200" in str(p)


def test_received_in_future_allows_the_policy_clock_skew():
    assert (
        check_intake(
            change(
                received_at=NOW + timedelta(minutes=5), registered_at=None, first_contact_at=None
            ),
            NOW,
            POLICY,
        )
        is None
    )
    p = one(
        change(received_at=NOW + timedelta(minutes=6), registered_at=None, first_contact_at=None)
    )
    assert (p.location, p.code) == ("received_at", "received_in_future")
    assert p.params["skew"] == "5m" and p.params["now"] == NOW.isoformat()
    data = default_policy_data()
    data["intake"] = {"clock_skew": "1h"}
    wide = Policy.from_dict(data)
    assert (
        check_intake(
            change(
                received_at=NOW + timedelta(minutes=59), registered_at=None, first_contact_at=None
            ),
            NOW,
            wide,
        )
        is None
    )


@pytest.mark.parametrize(
    "skew, code", [("5 minutes", "duration_invalid"), (5, "type_invalid"), ("25h", "too_large")]
)
def test_clock_skew_is_validated(skew, code):
    data = default_policy_data()
    data["intake"] = {"clock_skew": skew}
    with pytest.raises(PolicyError) as exc:
        Policy.from_dict(data)
    assert [(p.location, p.code) for p in exc.value.problems] == [("intake.clock_skew", code)]


@pytest.mark.parametrize(
    "facts, location",
    [
        (change(amounts={"customer_loss": Decimal("-0.01")}), "customer_loss"),
        (change(amounts={"amount": -5}), "amount"),
        (change(quantity=Decimal(-1), defective_quantity=None), "quantity"),
        (change(defective_quantity=-1.5), "defective_quantity"),
    ],
)
def test_negative(facts, location):
    p = one(facts)
    assert (p.location, p.code) == (location, "negative")
    assert p.params["value"].startswith("-")


def test_defective_exceeds_quantity():
    p = one(change(quantity=Decimal(10), defective_quantity=Decimal(11)))
    assert (p.location, p.code) == ("defective_quantity", "defective_exceeds_quantity")
    assert p.params == {"field": "defective_quantity", "defective": "11", "quantity": "10"}
    p = one(change(quantity=0, defective_quantity=Decimal(1)))
    assert p.code == "defective_exceeds_quantity" and "needs a quantity" in p.message
    # without a quantity, or with nothing defective, there is nothing to compare
    check_intake(change(quantity=None, defective_quantity=Decimal(3)), NOW, POLICY)
    check_intake(change(quantity=0, defective_quantity=0), NOW, POLICY)
    check_intake(change(quantity=10, defective_quantity=10), NOW, POLICY)


def test_defective_split_exceeds_the_defective_quantity():
    # the registration form's 不良数量 已使用 / 未使用 / 合计: the parts fit in the total
    p = one(change(defective_quantity=Decimal(5), defective_used=3, defective_unused=Decimal(3)))
    assert (p.location, p.code) == ("defective_used", "defective_split_exceeds")
    assert p.params == {"field": "defective_used", "split": "6", "defective": "5"}
    # a split without a defective quantity exceeds nothing but zero
    p = one(change(defective_quantity=None, defective_unused=Decimal(1)))
    assert (p.location, p.params["defective"]) == ("defective_unused", "0")
    p = one(change(defective_quantity=Decimal(5), defective_used=Decimal(-1)))
    assert (p.location, p.code) == ("defective_used", "negative")
    check_intake(
        change(defective_quantity=Decimal(5), defective_used=2, defective_unused=3), NOW, POLICY
    )
    check_intake(change(defective_quantity=None, defective_used=0), NOW, POLICY)


@pytest.mark.parametrize("value", [Decimal("-1"), Decimal("100.01"), 250])
def test_percent_out_of_range(value):
    p = one(change(percents={"demand_discount": value}))
    assert (p.location, p.code) == ("demand_discount", "percent_out_of_range")
    assert (p.params["minimum"], p.params["maximum"]) == ("0", "100")


def test_percent_bounds_are_inclusive():
    check_intake(change(percents={"a": 0, "b": Decimal(100)}), NOW, POLICY)


def test_first_contact_before_registration_or_receipt():
    p = one(change(first_contact_at=GOOD.registered_at - timedelta(minutes=1)))
    assert (p.location, p.code) == ("first_contact_at", "before_registration")
    assert p.params["reference"] == "registered_at"
    p = one(change(registered_at=None, first_contact_at=GOOD.received_at - timedelta(seconds=1)))
    assert p.code == "before_registration" and p.params["reference"] == "received_at"
    # before both: one problem, about the later of the two
    p = one(change(first_contact_at=GOOD.received_at - timedelta(hours=1)))
    assert p.params["reference"] == "registered_at"


def test_nul_byte():
    p = one(change(texts={"description": "abc\x00def"}))
    assert (p.location, p.code) == ("description", "nul_byte")
    assert p.params["position"] == "3"


@pytest.mark.parametrize(
    "facts, location",
    [
        (change(received_at="2026-09-30T10:00:00+08:00"), "received_at"),
        (change(registered_at=date(2026, 9, 30)), "registered_at"),
        (change(other_times={"authority_deadline": 5}), "authority_deadline"),
        (change(dates={"purchase_date": "2026-09-01"}), "purchase_date"),
        (change(amounts={"amount": "12"}), "amount"),
        (change(amounts={"amount": True}), "amount"),
        (change(quantity=[1]), "quantity"),
        (change(percents={"demand_discount": {}}), "demand_discount"),
        (change(texts={"description": b"bytes"}), "description"),
        (change(amounts=[("amount", 1)]), "amounts"),
    ],
)
def test_wrong_types_are_problems(facts, location):
    p = one(facts)
    assert (p.location, p.code) == (location, "type_invalid")
    assert "expected" in p.params and "value" in p.params


def test_naive_and_non_finite_values():
    p = one(change(received_at=datetime(2026, 9, 30, 10, 0), first_contact_at=None))
    assert (p.location, p.code) == ("received_at", "datetime_naive")
    p = one(change(amounts={"amount": float("nan")}))
    assert (p.location, p.code) == ("amount", "number_invalid")
    p = one(change(percents={"d": Decimal("Infinity")}))
    assert p.code == "number_invalid"


def test_every_problem_at_once():
    bad = IntakeFacts(
        received_at=NOW + timedelta(days=1),
        registered_at=NOW,
        first_contact_at=NOW - timedelta(hours=1),
        other_times={"site_visit_at": datetime(1900, 1, 1, tzinfo=CST)},
        dates={"purchase_date": "yesterday", "ship_date": date(2300, 1, 1)},
        amounts={"amount": Decimal(-1), "customer_loss": Decimal(-2)},
        quantity=Decimal(5),
        defective_quantity=Decimal(6),
        percents={"demand_discount": Decimal(101)},
        texts={"description": "a\x00", "batch": 7},
    )
    found = [(p.location, p.code) for p in problems(bad)]
    assert found == [
        ("site_visit_at", "datetime_out_of_range"),
        ("purchase_date", "type_invalid"),
        ("ship_date", "datetime_out_of_range"),
        ("received_at", "received_in_future"),
        ("first_contact_at", "before_registration"),
        ("amount", "negative"),
        ("customer_loss", "negative"),
        ("defective_quantity", "defective_exceeds_quantity"),
        ("demand_discount", "percent_out_of_range"),
        ("description", "nul_byte"),
        ("batch", "type_invalid"),
    ]
    with pytest.raises(FactsError) as exc:
        check_intake(bad, NOW, POLICY)
    e = exc.value
    assert e.params == {"count": len(found)}
    for p in e.problems:
        assert "\n" not in str(p) and str(p).startswith(f"{p.location}: ")
        assert p.params["field"] == p.location


def test_a_bad_now_is_a_problem_too():
    p = one(IntakeFacts(), now=datetime(2026, 1, 1))
    assert (p.location, p.code) == ("now", "datetime_naive")


# -- arbitrary inputs of the right shapes: FactsError or nothing ---------------------

ANY = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.decimals()
    | st.dates()
    | st.datetimes()
    | st.datetimes(timezones=st.timezones())
    | st.just(Decimal("sNaN"))
    | st.just(10**5000)
)
AWARE = st.none() | st.datetimes(timezones=st.timezones()) | ANY
NUMBER = st.none() | st.decimals() | st.integers() | st.floats() | ANY
NAMES = st.text(max_size=10)


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        IntakeFacts,
        received_at=AWARE,
        registered_at=AWARE,
        first_contact_at=AWARE,
        other_times=st.dictionaries(NAMES, AWARE, max_size=3),
        dates=st.dictionaries(NAMES, st.dates() | ANY, max_size=3),
        amounts=st.dictionaries(NAMES, NUMBER, max_size=3),
        quantity=NUMBER,
        defective_quantity=NUMBER,
        percents=st.dictionaries(NAMES, NUMBER, max_size=3),
        texts=st.dictionaries(NAMES, st.text() | ANY, max_size=3),
    ),
    st.datetimes(timezones=st.timezones()) | ANY,
)
def test_arbitrary_facts_raise_only_facts_error(facts, now):
    try:
        check_intake(facts, now, POLICY)
    except FactsError as e:
        assert e.problems
        for p in e.problems:
            assert p.code and p.location is not None and "\n" not in p.message
