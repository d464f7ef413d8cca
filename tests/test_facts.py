"""Reading a complaint's facts from JSON: every field, and every problem names its field."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from complaint_core import InputError, default_policy
from complaint_core.facts import FIELDS, facts_from_json
from complaint_core.model import (
    Channel,
    Customer,
    Kind,
    PriorComplaint,
    Remedy,
    RemedyType,
    RequestType,
)

CST = timezone(timedelta(hours=8))

FULL = {
    "number": "260310001",
    "kind": "request",
    "request_type": "enquiry",
    "category": "delivery",
    "channel": "regulator",
    "received_at": "2026-03-10T10:00:00+08:00",
    "customer": {"id": "c1", "vip": True, "name": "Acme Ltd"},
    "product": "P-1",
    "injury": True,
    "media_exposure": True,
    "litigation": True,
    "unauthorized_promise": True,
    "service_not_delivered": True,
    "repeated_complaints": 3,
    "facility_unmaintained": True,
    "recomplaint": True,
    "may_spread": True,
    "not_company_fault": True,
    "company_fault": False,
    "departments": ["sales", "logistics"],
    "customer_loss": "1234.56",
    "prior_complaints": [
        {
            "customer_id": "c2",
            "product": "P-1",
            "category": "delivery",
            "received_at": "2026-03-01T09:00:00Z",
            "number": "260301002",
        }
    ],
    "remedies": [
        {
            "type": "cash",
            "amount": "300.10",
            "currency": "USD",
            "discount_percent": 5,
            "quantity": 2,
            "reason": "no account",
            "description": "refund",
        }
    ],
    "closed_at": "2026-03-20T17:00:00+08:00",
    "paused": [["2026-03-11T09:00:00+08:00", "2026-03-12T09:00:00+08:00"]],
    "authority_deadline": "2026-03-17T18:00:00+08:00",
    "manual_level": 2,
    "events": {"approved": "2026-03-13T10:00:00+08:00"},
    "done": {"first_contact": "2026-03-10T11:00:00+08:00"},
}


@pytest.fixture(scope="module")
def policy():
    return default_policy()


def at(y, mo, d, h, mi=0, tz=CST):
    return datetime(y, mo, d, h, mi, tzinfo=tz)


def test_the_full_example_uses_every_field():
    assert set(FULL) == FIELDS


def test_every_field_is_read(policy):
    f = facts_from_json(copy.deepcopy(FULL), policy)
    c = f.complaint
    assert c.number == "260310001"
    assert c.kind is Kind.REQUEST and c.request_type is RequestType.ENQUIRY
    assert c.category == "delivery"
    assert c.channel is Channel.REGULATOR
    assert c.received_at == at(2026, 3, 10, 10)
    assert c.customer == Customer(id="c1", vip=True, name="Acme Ltd")
    assert c.product == "P-1"
    for flag in (
        "injury",
        "media_exposure",
        "litigation",
        "unauthorized_promise",
        "service_not_delivered",
        "facility_unmaintained",
        "recomplaint",
        "may_spread",
        "not_company_fault",
    ):
        assert getattr(c, flag) is True, flag
    assert c.company_fault is False
    assert c.repeated_complaints == 3
    assert c.departments == ("sales", "logistics")
    assert c.customer_loss == Decimal("1234.56")
    assert c.prior_complaints == (
        PriorComplaint("c2", "P-1", "delivery", at(2026, 3, 1, 9, tz=UTC), "260301002"),
    )
    assert c.remedies == (
        Remedy(
            RemedyType.CASH,
            Decimal("300.10"),
            "USD",
            Decimal(5),
            Decimal(2),
            "no account",
            "refund",
        ),
    )
    assert c.closed_at == at(2026, 3, 20, 17)
    assert c.paused == ((at(2026, 3, 11, 9), at(2026, 3, 12, 9)),)
    assert c.authority_deadline == at(2026, 3, 17, 18)
    assert c.manual_level == 2
    assert f.events == {"approved": at(2026, 3, 13, 10)}
    assert f.done == {"first_contact": at(2026, 3, 10, 11)}


def test_defaults_with_only_received_at(policy):
    f = facts_from_json({"received_at": "2026-03-10T10:00:00+08:00"}, policy)
    c = f.complaint
    assert (c.kind, c.channel, c.category, c.customer.id) == (
        Kind.COMPLAINT,
        Channel.PHONE,
        None,
        "",
    )
    assert c.company_fault is True and c.customer_loss == 0 and c.remedies == ()
    assert f.events == {} and f.done == {}
    assert c.remedies == () and c.prior_complaints == ()


def test_remedy_currency_defaults_to_the_policy_currency(policy):
    f = facts_from_json(
        {
            "received_at": "2026-03-10T10:00:00+08:00",
            "remedies": [{"type": "credit", "amount": 10}],
        },
        policy,
    )
    assert f.complaint.remedies[0].currency == "CNY"
    assert f.complaint.remedies[0].amount == Decimal(10)


def bad(policy, **changes):
    data = {"received_at": "2026-03-10T10:00:00+08:00", **changes}
    with pytest.raises(InputError) as exc:
        facts_from_json(data, policy)
    return exc.value


@pytest.mark.parametrize(
    "changes, field, code",
    [
        ({"colour": "red"}, "complaint", "field_unknown"),
        ({"customer": {"id": "c1", "age": 3}}, "complaint.customer", "field_unknown"),
        ({"remedies": [{"type": "credit", "cost": 1}]}, "complaint.remedies[0]", "field_unknown"),
        ({"received_at": "10 March"}, "complaint.received_at", "datetime_invalid"),
        ({"received_at": "2026-03-10T10:00:00"}, "complaint.received_at", "datetime_naive"),
        ({"closed_at": "2026-02-30T10:00:00+08:00"}, "complaint.closed_at", "datetime_invalid"),
        ({"authority_deadline": 20260317}, "complaint.authority_deadline", "datetime_invalid"),
        (
            {"paused": [["2026-03-11T09:00:00", "2026-03-12T09:00:00+08:00"]]},
            "complaint.paused[0][0]",
            "datetime_naive",
        ),
        ({"paused": [["2026-03-11T09:00:00+08:00"]]}, "complaint.paused[0]", "pause_invalid"),
        (
            {"prior_complaints": [{"customer_id": "c2", "received_at": "yesterday"}]},
            "complaint.prior_complaints[0].received_at",
            "datetime_invalid",
        ),
        (
            {"events": {"approved": "2026-03-13T10:00:00"}},
            "complaint.events.approved",
            "datetime_naive",
        ),
        ({"events": {"paid": "2026-03-13T10:00:00+08:00"}}, "complaint.events", "field_unknown"),
        ({"done": {"lunch": "2026-03-13T10:00:00+08:00"}}, "complaint.done", "field_unknown"),
        ({"kind": "praise"}, "complaint.kind", "value_unknown"),
        ({"request_type": "gossip"}, "complaint.request_type", "value_unknown"),
        ({"channel": "pigeon"}, "complaint.channel", "value_unknown"),
        ({"remedies": [{"type": "hug"}]}, "complaint.remedies[0].type", "value_unknown"),
        ({"remedies": [{"amount": 5}]}, "complaint.remedies[0].type", "field_missing"),
        (
            {"remedies": [{"type": "credit", "amount": "lots"}]},
            "complaint.remedies[0].amount",
            "number_invalid",
        ),
        ({"injury": "yes"}, "complaint.injury", "flag_invalid"),
        ({"customer": {"vip": 1}}, "complaint.customer.vip", "flag_invalid"),
        ({"departments": "sales"}, "complaint.departments", "list_invalid"),
        ({"repeated_complaints": -1}, "complaint.repeated_complaints", "number_invalid"),
        ({"manual_level": 5}, "complaint.manual_level", "level_invalid"),
        ({"manual_level": True}, "complaint.manual_level", "level_invalid"),
        ({"customer_loss": "much"}, "complaint.customer_loss", "number_invalid"),
        ({"customer_loss": "NaN"}, "complaint.customer_loss", "number_invalid"),
        ({"customer_loss": "-10"}, "complaint.customer_loss", "number_invalid"),
        ({"category": "weather"}, "complaint.category", "category_unknown"),
    ],
)
def test_problems_name_their_field(policy, changes, field, code):
    e = bad(policy, **changes)
    assert e.code == code
    assert e.params["field"] == field
    assert field in e.message


def test_missing_received_at(policy):
    with pytest.raises(InputError) as exc:
        facts_from_json({"number": "1"}, policy)
    assert exc.value.code == "field_missing"
    assert exc.value.params["field"] == "complaint.received_at"


def test_not_an_object(policy):
    with pytest.raises(InputError) as exc:
        facts_from_json(["received_at"], policy)
    assert exc.value.code == "object_invalid"
