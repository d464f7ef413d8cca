"""SPEC §6 retention: kept at least N years after closing, then archived and anonymised."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaint_core import InputError, PolicyError, default_policy
from complaint_core.policy import DEFAULT_PERSONAL_TEXT_FIELDS, Policy, default_policy_data
from complaint_core.retention import (
    PERSONAL_FIELDS,
    anonymise,
    is_due_for_archiving,
    personal_fields,
    retention_until,
    statistics_fields,
)

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(scope="module")
def policy():
    return default_policy()


def test_normal_complaints_are_kept_three_years(policy):
    assert retention_until(datetime(2026, 3, 10, 15, 0, tzinfo=SH), False, policy) == date(
        2029, 3, 10
    )


def test_important_complaints_are_kept_longer(policy):
    assert retention_until(datetime(2026, 3, 10, 15, 0, tzinfo=SH), True, policy) == date(
        2036, 3, 10
    )


def test_closing_date_is_taken_in_the_policy_time_zone(policy):
    # 2026-03-10 17:30 UTC is already 2026-03-11 01:30 in Shanghai
    closed = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)
    assert retention_until(closed, False, policy) == date(2029, 3, 11)


def test_29_february_becomes_28_february(policy):
    closed = datetime(2028, 2, 29, 10, 0, tzinfo=SH)
    assert retention_until(closed, False, policy) == date(2031, 2, 28)
    # 2028 + 10 = 2038, not a leap year either
    assert retention_until(closed, True, policy) == date(2038, 2, 28)


def test_years_come_from_the_policy():
    data = copy.deepcopy(default_policy_data())
    data["retention"] = {"years": 5, "important_years": 7}
    p = Policy.from_dict(data)
    closed = datetime(2026, 3, 10, 15, 0, tzinfo=SH)
    assert retention_until(closed, False, p) == date(2031, 3, 10)
    assert retention_until(closed, True, p) == date(2033, 3, 10)


def test_due_for_archiving_the_day_after_retention_ends(policy):
    closed = datetime(2026, 3, 10, 15, 0, tzinfo=SH)
    last_day = datetime(2029, 3, 10, 23, 59, tzinfo=SH)
    assert not is_due_for_archiving(closed, False, last_day, policy)
    assert is_due_for_archiving(closed, False, last_day + timedelta(minutes=1), policy)
    assert not is_due_for_archiving(closed, True, datetime(2030, 1, 1, tzinfo=SH), policy)


def test_due_for_archiving_uses_the_policy_day_of_now(policy):
    closed = datetime(2026, 3, 10, 15, 0, tzinfo=SH)
    # 2029-03-10 16:30 UTC = 2029-03-11 00:30 Shanghai: the day after the last day
    assert is_due_for_archiving(closed, False, datetime(2029, 3, 10, 16, 30, tzinfo=UTC), policy)
    assert not is_due_for_archiving(
        closed, False, datetime(2029, 3, 10, 15, 30, tzinfo=UTC), policy
    )


def test_naive_datetimes_are_refused(policy):
    with pytest.raises(InputError):
        retention_until(datetime(2026, 3, 10), False, policy)
    with pytest.raises(InputError):
        is_due_for_archiving(datetime(2026, 3, 10, tzinfo=SH), False, datetime(2030, 1, 1), policy)


def test_anonymise_blanks_personal_fields_and_keeps_statistics():
    record = {
        "number": "260310001",
        "category": "delivery",
        "severity": 2,
        "loss_amount": Decimal("120.00"),
        "closed_at": "2026-03-20",
        "name": "Wang Fang",
        "contact": "Li Lei",
        "phone": "+86 21 5555 0101",
        "email": "wang@example.com",
        "address": "1 Nanjing Rd, Shanghai",
        "customer": {"id": "c1", "name": "Acme Ltd", "phone": "123", "vip": True},
    }
    original = copy.deepcopy(record)
    out = anonymise(record)
    assert out == {
        "number": "260310001",
        "category": "delivery",
        "severity": 2,
        "loss_amount": Decimal("120.00"),
        "closed_at": "2026-03-20",
        "name": "",
        "contact": "",
        "phone": "",
        "email": "",
        "address": "",
        "customer": {"id": "c1", "name": "", "phone": "", "vip": True},
    }
    assert record == original  # the input is not changed


def test_anonymise_takes_the_fields_to_blank():
    out = anonymise({"name": "Wang", "batch": "B-7", "phone": "1"}, ["batch"])
    assert out == {"name": "Wang", "batch": "", "phone": "1"}
    assert set(PERSONAL_FIELDS) == {"name", "contact", "phone", "email", "address"}


# -- the policy names the free-text personal fields (retention.personal_fields) ----------


def test_default_policy_names_the_free_text_personal_fields(policy):
    assert policy.retention.personal_fields == (
        "description",
        "investigation_notes",
        "follow_up_notes",
        "demand_other",
        # the printed forms' free-text boxes (FORMS.md)
        "evidence_other",
        "matter_exists_note",
        "service_opinion",
        "market_opinion",
        "quality_opinion",
        "handling_result",
        "defective_handling",
    )
    # the shipped YAML and the dataclass default say the same
    assert policy.retention.personal_fields == DEFAULT_PERSONAL_TEXT_FIELDS
    # none of them is read by the statistics
    assert not set(policy.retention.personal_fields) & statistics_fields()
    # the contact details first, then the policy's free-text fields
    assert personal_fields(policy) == (*PERSONAL_FIELDS, *policy.retention.personal_fields)


def _with_fields(value):
    data = copy.deepcopy(default_policy_data())
    data["retention"]["personal_fields"] = value
    return data


def test_personal_fields_come_from_the_policy():
    p = Policy.from_dict(_with_fields(["description", "remarks", "phone"]))
    assert p.retention.personal_fields == ("description", "remarks", "phone")
    # a contact detail named again is blanked once
    assert personal_fields(p) == (*PERSONAL_FIELDS, "description", "remarks")
    assert Policy.from_dict(_with_fields([])).retention.personal_fields == ()


def test_absent_personal_fields_take_the_defaults():
    data = copy.deepcopy(default_policy_data())
    del data["retention"]["personal_fields"]
    assert Policy.from_dict(data).retention.personal_fields == DEFAULT_PERSONAL_TEXT_FIELDS


@pytest.mark.parametrize(
    ("value", "location", "code"),
    [
        ("description", "retention.personal_fields", "type_invalid"),
        ([3], "retention.personal_fields[0]", "type_invalid"),
        (["Description"], "retention.personal_fields[0]", "field_name_invalid"),
        (["x; drop"], "retention.personal_fields[0]", "field_name_invalid"),
        (["remarks", "remarks"], "retention.personal_fields[1]", "duplicate"),
        # read by the statistics: blanking it would change a past month's table
        (["batch"], "retention.personal_fields[0]", "statistics_field"),
        (["description", "loss_amount"], "retention.personal_fields[1]", "statistics_field"),
    ],
)
def test_bad_personal_fields_are_refused(value, location, code):
    with pytest.raises(PolicyError) as e:
        Policy.from_dict(_with_fields(value))
    assert [(p.location, p.code) for p in e.value.problems] == [(location, code)]


def test_every_bad_personal_field_is_reported_at_once():
    with pytest.raises(PolicyError) as e:
        Policy.from_dict(_with_fields(["Bad", "severity", "ok_field", 7]))
    assert [(p.location, p.code) for p in e.value.problems] == [
        ("retention.personal_fields[3]", "type_invalid"),
        ("retention.personal_fields[0]", "field_name_invalid"),
        ("retention.personal_fields[1]", "statistics_field"),
    ]


def test_statistics_fields_are_the_record_fields():
    names = statistics_fields()
    assert {"number", "received_at", "category", "batch", "loss_amount", "milestones"} <= names
    assert not names & set(DEFAULT_PERSONAL_TEXT_FIELDS)


def test_anonymise_with_the_policy_fields_keeps_the_statistics(policy):
    record = {
        "number": "260310001",
        "category": "delivery",
        "batch": "B-7",
        "contact": "Li Lei",
        "description": "Mr Li of 1 Nanjing Rd says the pump leaks",
        "follow_up_notes": "called Li on 138 0000 0000",
    }
    out = anonymise(record, personal_fields(policy))
    assert out == {
        "number": "260310001",
        "category": "delivery",
        "batch": "B-7",
        "contact": "",
        "description": "",
        "follow_up_notes": "",
    }
