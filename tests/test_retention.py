"""SPEC §6 retention: kept at least N years after closing, then archived and anonymised."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaint_core import InputError, default_policy
from complaint_core.policy import Policy, default_policy_data
from complaint_core.retention import (
    PERSONAL_FIELDS,
    anonymise,
    is_due_for_archiving,
    retention_until,
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
