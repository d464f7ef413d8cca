"""SPEC §1 numbering: YYMMDD + a 3-digit sequence resetting yearly, widening past 999."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from complaint_core import InputError, Policy, PolicyError, default_policy
from complaint_core.numbering import format_number, parse_number, reset_key, validate_pattern
from complaint_core.policy import default_policy_data

NP = default_policy().numbering


def test_spec_example():
    assert format_number(NP, date(2026, 1, 18), 7) == "260118007"


def test_widens_past_999_and_stays_unique():
    numbers = {format_number(NP, date(2026, 1, 18), s) for s in range(1, 2001)}
    assert len(numbers) == 2000
    assert format_number(NP, date(2026, 1, 18), 999) == "260118999"
    assert format_number(NP, date(2026, 1, 18), 1000) == "2601181000"
    # numbers of the same year never collide, whatever the day and sequence
    year = {
        format_number(NP, date(2026, m, d), s)
        for m in (1, 2, 12)
        for d in (1, 10, 28)
        for s in (1, 9, 10, 99, 100, 999, 1000, 1001)
    }
    assert len(year) == 3 * 3 * 8


def test_parse_roundtrip():
    assert parse_number(NP, "260118007") == (date(2026, 1, 18), 7)
    assert parse_number(NP, "2601181000") == (date(2026, 1, 18), 1000)
    with pytest.raises(InputError):
        parse_number(NP, "26011800")
    with pytest.raises(InputError):
        parse_number(NP, "261318007")  # month 13


def test_reset_is_yearly_by_default():
    assert reset_key(NP, date(2026, 12, 31)) != reset_key(NP, date(2027, 1, 1))
    assert reset_key(NP, date(2026, 1, 1)) == reset_key(NP, date(2026, 12, 31))


def test_pattern_is_policy():
    data = copy.deepcopy(default_policy_data())
    data["numbering"] = {"pattern": "TS-{yyyy}{mm}-{seq:05d}", "reset": "monthly"}
    np_ = Policy.from_dict(data).numbering
    assert format_number(np_, date(2026, 1, 18), 7) == "TS-202601-00007"
    assert parse_number(np_, "TS-202601-00007") == (date(2026, 1, 1), 7)
    assert reset_key(np_, date(2026, 1, 31)) != reset_key(np_, date(2026, 2, 1))


@pytest.mark.parametrize(
    "pattern, fragment",
    [
        ("{yy}{mm}{dd}", "exactly once"),
        ("{yy}{seq}{seq}", "exactly once"),
        ("{seq:03d}{yy}", "must be the last"),
        ("{yy}{week}{seq}", "unknown field"),
        ("{yy}{seq:x}", "like 03d"),
        ("{yy", "malformed"),
    ],
)
def test_bad_patterns(pattern, fragment):
    assert any(fragment in p for p in validate_pattern(pattern))
    data = copy.deepcopy(default_policy_data())
    data["numbering"]["pattern"] = pattern
    with pytest.raises(PolicyError):
        Policy.from_dict(data)


def test_sequence_must_be_positive():
    with pytest.raises(InputError):
        format_number(NP, date(2026, 1, 1), 0)
