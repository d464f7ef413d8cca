"""SPEC §3 business calendar: hand-computed deadlines on the 2026 China
calendar, a DST calendar, pauses, errors, and the laws (checked with
hypothesis, and against a minute-by-minute reference written here)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_core.calendar import BusinessCalendar
from complaint_core.errors import CalendarError, InputError
from complaint_core.model import Duration, Unit
from complaint_core.policy import CalendarSpec, Policy, default_policy, default_policy_data

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
PLUS8 = timezone(timedelta(hours=8))
OFFICE = ((9 * 60, 12 * 60), (13 * 60, 18 * 60))
WEEKDAYS_ONLY = {0: OFFICE, 1: OFFICE, 2: OFFICE, 3: OFFICE, 4: OFFICE, 5: (), 6: ()}


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def be(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture(scope="module")
def cal() -> BusinessCalendar:
    return BusinessCalendar.from_policy(default_policy())


def spec(**kw) -> CalendarSpec:
    kw.setdefault("hours", WEEKDAYS_ONLY)
    return CalendarSpec(**kw)


# -- the 2026 China calendar ------------------------------------------------------


def test_default_calendar_knows_spring_festival_and_national_day(cal):
    # Spring Festival 2026: Feb 15-23 off, Sat Feb 14 and Sat Feb 28 worked (调休)
    assert cal.is_working_day(date(2026, 2, 13))
    assert cal.is_working_day(date(2026, 2, 14))
    for day in range(15, 24):
        assert not cal.is_working_day(date(2026, 2, day)), day
    assert cal.is_working_day(date(2026, 2, 24))
    assert cal.is_working_day(date(2026, 2, 28))
    assert not cal.is_working_day(date(2026, 3, 1))
    # National Day 2026: Oct 1-7 off; Sun Sep 20 and Sat Oct 10 worked
    assert cal.is_working_day(date(2026, 9, 20))
    assert not cal.is_working_day(date(2026, 9, 19))
    for day in range(1, 8):
        assert not cal.is_working_day(date(2026, 10, day)), day
    assert cal.is_working_day(date(2026, 10, 8))
    assert cal.is_working_day(date(2026, 10, 10))
    assert not cal.is_working_day(date(2026, 10, 11))


@pytest.mark.parametrize(
    "start, duration, due",
    [
        # Fri Feb 13 16:00: 2h left that day, then the make-up Saturday
        (sh(2026, 2, 13, 16), "2wh", sh(2026, 2, 13, 18)),
        (sh(2026, 2, 13, 16), "3wh", sh(2026, 2, 14, 10)),
        # 2 + 8 (Sat Feb 14) + 1 -> after the festival, Tue Feb 24
        (sh(2026, 2, 13, 16), "11wh", sh(2026, 2, 24, 10)),
        (sh(2026, 2, 13, 16), "1wd", sh(2026, 2, 14, 16)),
        (sh(2026, 2, 13, 16), "2wd", sh(2026, 2, 24, 16)),
        (sh(2026, 2, 14, 10), "1wd", sh(2026, 2, 24, 10)),
        # Feb 24-27 are days 1-4, the make-up Saturday Feb 28 is day 5
        (sh(2026, 2, 14, 10), "5wd", sh(2026, 2, 28, 10)),
        (sh(2026, 2, 14, 10), "6wd", sh(2026, 3, 2, 10)),
        # National Day: Oct 8, Oct 9, then the make-up Saturday Oct 10
        (sh(2026, 9, 30, 16, 30), "3wd", sh(2026, 10, 10, 16, 30)),
        (sh(2026, 9, 30, 17), "2wh", sh(2026, 10, 8, 10)),
        # Fri Sep 18 17:00: 1h, then the make-up Sunday Sep 20
        (sh(2026, 9, 18, 17), "2wh", sh(2026, 9, 20, 10)),
        (sh(2026, 9, 18, 17), "1wd", sh(2026, 9, 20, 17)),
    ],
)
def test_china_2026_deadlines(cal, start, duration, due):
    assert cal.add(start, duration) == due


def test_working_minutes_across_spring_festival(cal):
    # Feb 13, 14 (make-up), 24, 25, 26, 27, 28 (make-up): 7 days of 480 minutes
    assert cal.working_minutes_between(sh(2026, 2, 13, 9), sh(2026, 3, 2, 9)) == 7 * 480
    assert cal.working_minutes_between(sh(2026, 3, 2, 9), sh(2026, 2, 13, 9)) == -7 * 480
    assert cal.working_minutes_between(sh(2026, 2, 15, 0), sh(2026, 2, 24, 0)) == 0


@pytest.mark.parametrize(
    "start, duration, due",
    [
        # Thu Dec 31 2026 17:00: 1h, Jan 1 holiday, weekend, Mon Jan 4 2027
        (sh(2026, 12, 31, 17), "2wh", sh(2027, 1, 4, 10)),
        (sh(2026, 12, 31, 12, 30), "1wd", sh(2027, 1, 4, 13)),
        # Wed Dec 31 2025: Jan 1 holiday, Fri Jan 2 day off, Sun Jan 4 2026 is worked
        (sh(2025, 12, 31, 17), "2wh", sh(2026, 1, 4, 10)),
        (sh(2025, 12, 31, 17), "1wd", sh(2026, 1, 4, 17)),
    ],
)
def test_year_end(cal, start, duration, due):
    assert cal.add(start, duration) == due


# -- starts outside working time, the end of a span ----------------------------------


@pytest.mark.parametrize(
    "start, duration, due",
    [
        (sh(2026, 3, 2, 20), "1wh", sh(2026, 3, 3, 10)),  # Monday night
        (sh(2026, 3, 2, 3), "1wh", sh(2026, 3, 2, 10)),  # small hours
        (sh(2026, 3, 7, 10), "1wh", sh(2026, 3, 9, 10)),  # Saturday
        (sh(2026, 3, 2, 12, 30), "1wh", sh(2026, 3, 2, 14)),  # lunch
        (sh(2026, 3, 2, 11, 30), "1wh", sh(2026, 3, 2, 13, 30)),  # runs over lunch
        (sh(2026, 3, 2, 12, 30), "1wd", sh(2026, 3, 3, 13)),  # wd: S = 13:00
        (sh(2026, 3, 7, 10), "1wd", sh(2026, 3, 10, 9)),  # wd: S = Mon 09:00
        (sh(2026, 3, 2, 20), "2wd", sh(2026, 3, 5, 9)),  # wd: S = Tue 09:00
        (sh(2026, 3, 2, 10, 15), "1.5wh", sh(2026, 3, 2, 11, 45)),
        (sh(2026, 3, 2, 9), "0wh", sh(2026, 3, 2, 9)),
        (sh(2026, 3, 2, 20), "0wh", sh(2026, 3, 2, 20)),  # nothing to count: the start
        (sh(2026, 3, 2, 20), "0wd", sh(2026, 3, 3, 9)),  # 0wd is S
    ],
)
def test_starts_outside_working_time(cal, start, duration, due):
    assert cal.add(start, duration) == due


def test_end_of_span_is_a_deadline_but_not_working_time(cal):
    # a deadline lands on 18:00 / 12:00 instead of jumping to the next span ...
    assert cal.add(sh(2026, 3, 2, 16), "2wh") == sh(2026, 3, 2, 18)
    assert cal.add(sh(2026, 3, 2, 11), "1wh") == sh(2026, 3, 2, 12)
    # ... but the clock does not run at 18:00 or 12:00: spans are [start, end)
    assert not cal.is_working_time(sh(2026, 3, 2, 18))
    assert cal.is_working_time(sh(2026, 3, 2, 17, 59, 59))
    assert not cal.is_working_time(sh(2026, 3, 2, 12))
    assert cal.is_working_time(sh(2026, 3, 2, 13))
    assert not cal.is_working_time(sh(2026, 3, 2, 8, 59))
    assert cal.next_working_moment(sh(2026, 3, 2, 18)) == sh(2026, 3, 3, 9)
    assert cal.next_working_moment(sh(2026, 3, 2, 12)) == sh(2026, 3, 2, 13)
    assert cal.next_working_moment(sh(2026, 3, 2, 10, 7)) == sh(2026, 3, 2, 10, 7)
    # wd from 18:00: S is Tue 09:00, so one working day later is Wed 09:00
    assert cal.add(sh(2026, 3, 2, 18), "1wd") == sh(2026, 3, 4, 9)


def test_wd_lands_on_a_day_without_that_hour():
    short_friday = dict(WEEKDAYS_ONLY)
    short_friday[4] = ((9 * 60, 12 * 60),)
    c = BusinessCalendar(spec(holidays=None, hours=short_friday))
    # Thu 16:00 + 1wd: Friday has no working time at 16:00 -> Mon 09:00
    assert c.add(sh(2026, 3, 5, 16), "1wd") == sh(2026, 3, 9, 9)
    # Thu 12:00 is lunch: S = 13:00, and Friday has nothing at 13:00 -> Mon 09:00
    assert c.add(sh(2026, 3, 5, 12), "1wd") == sh(2026, 3, 9, 9)
    assert c.add(sh(2026, 3, 5, 11, 59), "1wd") == sh(2026, 3, 6, 11, 59)
    # Friday's span ends at 12:00, and the end of a span counts for a deadline
    long_thursday = dict(short_friday)
    long_thursday[3] = ((9 * 60, 12 * 60 + 30), (13 * 60, 18 * 60))
    c = BusinessCalendar(spec(holidays=None, hours=long_thursday))
    assert c.add(sh(2026, 3, 5, 12), "1wd") == sh(2026, 3, 6, 12)
    assert c.add(sh(2026, 3, 5, 12, 1), "1wd") == sh(2026, 3, 9, 9)
    afternoon_friday = dict(WEEKDAYS_ONLY)
    afternoon_friday[4] = ((13 * 60, 18 * 60),)
    c = BusinessCalendar(spec(holidays=None, hours=afternoon_friday))
    # Thu 10:00 + 1wd: no working time Friday 10:00 -> the next moment, Fri 13:00
    assert c.add(sh(2026, 3, 5, 10), "1wd") == sh(2026, 3, 6, 13)


# -- clock units ------------------------------------------------------------------


def test_clock_units_ignore_the_calendar(cal):
    assert cal.add(sh(2026, 3, 7, 10), "24h") == sh(2026, 3, 8, 10)
    assert cal.add(sh(2026, 2, 13, 16), "15d") == sh(2026, 2, 28, 16)
    assert cal.add(sh(2026, 2, 13, 16), "1.5h") == sh(2026, 2, 13, 17, 30)
    assert cal.add(sh(2026, 2, 13, 16), Duration.parse("30d")) == sh(2026, 3, 15, 16)
    assert cal.limit_minutes(sh(2026, 3, 7, 10), "24h") == 1440
    assert cal.elapsed(sh(2026, 3, 7, 10), sh(2026, 3, 7, 16), Unit.HOURS) == 360


# -- a non-China calendar with DST ----------------------------------------------------


@pytest.fixture(scope="module")
def berlin() -> BusinessCalendar:
    nine_to_five = ((9 * 60, 17 * 60),)
    return BusinessCalendar(
        CalendarSpec(
            timezone="Europe/Berlin",
            holidays="DE",
            hours={
                0: nine_to_five,
                1: nine_to_five,
                2: nine_to_five,
                3: nine_to_five,
                4: nine_to_five,
                5: (),
                6: (),
            },
        )
    )


def test_berlin_dst_spring(berlin):
    # DST starts Sun Mar 29 2026 (CET +01 -> CEST +02); hours stay 09:00-17:00 local
    fri = be(2026, 3, 27, 16)
    assert fri.utcoffset() == timedelta(hours=1)
    due = berlin.add(fri, "2wh")
    assert due == be(2026, 3, 30, 10)
    assert due.utcoffset() == timedelta(hours=2)
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert berlin.add(be(2026, 3, 27, 10), "1wd") == be(2026, 3, 30, 10)
    assert berlin.working_minutes_between(be(2026, 3, 27, 9), be(2026, 3, 30, 9)) == 480
    # clock time is real time: 24 hours over the short night end one wall hour later
    assert berlin.add(be(2026, 3, 28, 12), "24h") == be(2026, 3, 29, 13)
    assert berlin.add(be(2026, 3, 28, 12), "1d") == be(2026, 3, 29, 13)


def test_berlin_dst_autumn_and_holidays(berlin):
    # DST ends Sun Oct 25 2026: 24 real hours from Sat noon end at Sun 11:00
    assert berlin.add(be(2026, 10, 24, 12), "24h") == be(2026, 10, 25, 11)
    assert berlin.add(be(2026, 10, 23, 16), "2wh") == be(2026, 10, 26, 10)
    # Easter 2026: Good Friday Apr 3 and Easter Monday Apr 6 are German holidays
    assert berlin.add(be(2026, 4, 2, 16), "2wh") == be(2026, 4, 7, 10)
    assert not berlin.is_working_day(date(2026, 4, 6))


def test_a_span_across_the_dst_change_is_real_time():
    night = ((60, 4 * 60),)  # 01:00-04:00 local, Sundays only
    c = BusinessCalendar(
        CalendarSpec(
            timezone="Europe/Berlin",
            holidays=None,
            hours={0: (), 1: (), 2: (), 3: (), 4: (), 5: (), 6: night},
        )
    )
    # Mar 29: 02:00-03:00 does not exist -> 2 real hours; Oct 25: 02:00-03:00 twice -> 4
    assert c.working_minutes_between(be(2026, 3, 29), be(2026, 3, 30)) == 120
    assert c.working_minutes_between(be(2026, 10, 25), be(2026, 10, 26)) == 240
    assert c.working_minutes_between(be(2026, 3, 22), be(2026, 3, 23)) == 180
    assert c.add(be(2026, 3, 29, 1), "1.5wh") == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert c.add(be(2026, 10, 25, 1), "3wh") == datetime(2026, 10, 25, 2, tzinfo=UTC)


# -- company overrides --------------------------------------------------------------


def test_company_closing_days_and_working_days():
    c = BusinessCalendar(
        spec(
            extra_holidays=frozenset({date(2026, 3, 3)}),
            extra_workdays=frozenset({date(2026, 3, 7), date(2026, 10, 5)}),
        )
    )
    assert not c.is_working_day(date(2026, 3, 3))
    assert c.add(sh(2026, 3, 2, 17), "2wh") == sh(2026, 3, 4, 10)
    # a company Saturday works the usual weekday hours (lunch included)
    assert c.add(sh(2026, 3, 6, 17), "2wh") == sh(2026, 3, 7, 10)
    assert c.add(sh(2026, 3, 6, 17), "5wh") == sh(2026, 3, 7, 14)
    # a company working day inside National Day (Mon Oct 5)
    assert c.add(sh(2026, 9, 30, 17), "2wh") == sh(2026, 10, 5, 10)
    assert c.add(sh(2026, 9, 30, 17), "1wd") == sh(2026, 10, 5, 17)


def test_makeup_day_works_the_most_common_weekday_hours():
    hours = {
        0: ((8 * 60, 16 * 60),),
        1: OFFICE,
        2: OFFICE,
        3: OFFICE,
        4: ((9 * 60, 15 * 60),),
        5: (),
        6: (),
    }
    c = BusinessCalendar(spec(hours=hours))  # CN: Sat Feb 14 2026 is a make-up day
    assert c.add(sh(2026, 2, 14, 8), "1wh") == sh(2026, 2, 14, 10)
    assert c.add(sh(2026, 2, 14, 11, 30), "1wh") == sh(2026, 2, 14, 13, 30)


def test_a_datetime_counts_at_its_local_date(cal):
    # Fri Feb 13 2026 20:00 UTC is already Sat Feb 14 (a make-up day) in Shanghai
    assert cal.is_working_day(datetime(2026, 2, 13, 20, tzinfo=UTC))
    assert not cal.is_working_day(datetime(2026, 2, 14, 20, tzinfo=UTC))  # Sun Feb 15


def test_the_cache_lets_a_dropped_policy_go():
    import gc

    from complaint_core import calendar as module

    data = copy.deepcopy(default_policy_data())
    policy = Policy.from_dict(data)
    key = id(policy)
    BusinessCalendar.from_policy(policy)
    assert key in module._CACHE
    del policy
    gc.collect()
    assert key not in module._CACHE


# -- pausing --------------------------------------------------------------------------


def test_pause_working_hours(cal):
    start = sh(2026, 3, 2, 9)
    assert cal.add(start, "2wh", paused=[(sh(2026, 3, 2, 10), sh(2026, 3, 2, 10, 30))]) == sh(
        2026, 3, 2, 11, 30
    )
    # 10:00 + 3wh = 14:00; paused 11:30-13:30 holds 60 working minutes -> 15:00
    assert cal.add(
        sh(2026, 3, 2, 10), "3wh", paused=[(sh(2026, 3, 2, 11, 30), sh(2026, 3, 2, 13, 30))]
    ) == sh(2026, 3, 2, 15)
    # a pause at night or at lunch holds no working time: nothing moves
    night = [(sh(2026, 3, 2, 19), sh(2026, 3, 3, 8))]
    assert cal.add(sh(2026, 3, 2, 17), "2wh", paused=night) == sh(2026, 3, 3, 10)
    # a pause after the due time changes nothing; overlapping pauses count once
    assert cal.add(start, "1wh", paused=[(sh(2026, 3, 2, 11), sh(2026, 3, 2, 15))]) == sh(
        2026, 3, 2, 10
    )
    two = [(sh(2026, 3, 2, 10), sh(2026, 3, 2, 11)), (sh(2026, 3, 2, 10, 30), sh(2026, 3, 2, 11))]
    assert cal.add(start, "2wh", paused=two) == sh(2026, 3, 2, 12)
    # still paused at the end of the day: the rest runs on the next morning
    assert cal.add(start, "2wh", paused=[(sh(2026, 3, 2, 10), sh(2026, 3, 3, 9, 30))]) == sh(
        2026, 3, 3, 10, 30
    )


def test_pause_working_days(cal):
    start = sh(2026, 3, 2, 9)
    assert cal.add(start, "1wd") == sh(2026, 3, 3, 9)
    # one working hour paused: the remaining 7 run on from 11:00 -> Tue 10:00
    assert cal.add(start, "1wd", paused=[(sh(2026, 3, 2, 10), sh(2026, 3, 2, 11))]) == sh(
        2026, 3, 3, 10
    )
    # paused 17:00 Mon - Tue 09:30: 420 used, 60 left from 09:30
    assert cal.add(start, "1wd", paused=[(sh(2026, 3, 2, 17), sh(2026, 3, 3, 9, 30))]) == sh(
        2026, 3, 3, 10, 30
    )
    # a pause over the night only: the wd deadline stays
    assert cal.add(start, "1wd", paused=[(sh(2026, 3, 2, 19), sh(2026, 3, 3, 8))]) == sh(
        2026, 3, 3, 9
    )
    assert cal.limit_minutes(start, "1wd") == 480
    assert cal.limit_minutes(start, "1wd", paused=[(sh(2026, 3, 2, 10), sh(2026, 3, 2, 11))]) == 480
    # at Tue 10:00 with Mon 10-11 paused: 480 working minutes minus 60 paused
    assert (
        cal.elapsed(
            start, sh(2026, 3, 3, 10), "wd", paused=[(sh(2026, 3, 2, 10), sh(2026, 3, 2, 11))]
        )
        == 480
    )


def test_pause_clock_time(cal):
    start = sh(2026, 3, 7, 10)
    paused = [(sh(2026, 3, 7, 12), sh(2026, 3, 7, 14))]
    assert cal.add(start, "24h", paused=paused) == sh(2026, 3, 8, 12)
    assert cal.elapsed(start, sh(2026, 3, 7, 16), "h", paused=paused) == 240
    assert cal.limit_minutes(start, "24h", paused=paused) == 1440
    # a pause before the start does not count
    assert cal.add(start, "1h", paused=[(sh(2026, 3, 7, 8), sh(2026, 3, 7, 9))]) == sh(
        2026, 3, 7, 11
    )


def test_elapsed_and_limit(cal):
    start = sh(2026, 3, 2, 16)
    assert cal.limit_minutes(start, "2wh") == 120
    assert cal.elapsed(start, sh(2026, 3, 2, 17, 30), Unit.WORKING_HOURS) == 90
    assert cal.elapsed(start, sh(2026, 3, 3, 9, 30), "wh") == 150
    assert cal.elapsed(start, sh(2026, 3, 2, 15), "wh") == 0
    # 3wd from Wed Sep 30 16:30 is Sat Oct 10 16:30: 90 + 480 + 480 + (180 + 210)
    assert cal.limit_minutes(sh(2026, 9, 30, 16, 30), "3wd") == 1440


# -- offsets, errors, policy ------------------------------------------------------------


def test_results_keep_the_start_offset(cal):
    due = cal.add(datetime(2026, 3, 2, 16, tzinfo=PLUS8), "2wh")
    assert due == sh(2026, 3, 2, 18)
    assert due.tzinfo is PLUS8 and due.isoformat() == "2026-03-02T18:00:00+08:00"
    due = cal.add(datetime(2026, 3, 2, 8, tzinfo=UTC), "2wh")  # 16:00 in Shanghai
    assert due.tzinfo is UTC and due.isoformat() == "2026-03-02T10:00:00+00:00"
    due = cal.add(be(2026, 3, 2, 9), "1wh")  # 16:00 in Shanghai
    assert due.tzinfo is BERLIN and due == be(2026, 3, 2, 10)
    assert cal.next_working_moment(datetime(2026, 3, 2, 11, tzinfo=UTC)) == datetime(
        2026, 3, 3, 1, tzinfo=UTC
    )


def test_errors(cal):
    with pytest.raises(InputError) as e:
        cal.add(datetime(2026, 3, 2, 9), "2wh")
    assert e.value.code == "datetime_naive"
    with pytest.raises(InputError) as e:
        cal.add(sh(2026, 3, 2, 9), "2 weeks")
    assert e.value.code == "duration_invalid"
    with pytest.raises(InputError) as e:
        cal.add_working_minutes(sh(2026, 3, 2, 9), -5)
    assert e.value.code == "duration_invalid"
    with pytest.raises(InputError) as e:
        cal.add_working_days(sh(2026, 3, 2, 9), 1.5)
    assert e.value.code == "duration_invalid"
    with pytest.raises(InputError) as e:
        cal.add(sh(2026, 3, 2, 9), "2wh", paused=[(sh(2026, 3, 2, 11), sh(2026, 3, 2, 10))])
    assert e.value.code == "pause_invalid"
    with pytest.raises(InputError) as e:
        cal.elapsed(sh(2026, 3, 2, 9), sh(2026, 3, 2, 11), "weeks")
    assert e.value.code == "unit_invalid"
    with pytest.raises(CalendarError) as e:
        cal.add(sh(2101, 3, 1, 9), "2wh")  # the holiday library's China ends in 2100
    assert e.value.code == "calendar_year_out_of_range"
    assert e.value.params["year"] == 2101
    with pytest.raises(CalendarError) as e:
        cal.add(sh(2100, 12, 31, 17), "2wh")  # runs off the end
    assert e.value.code == "calendar_year_out_of_range"
    with pytest.raises(CalendarError) as e:
        BusinessCalendar(CalendarSpec(hours={}))
    assert e.value.code == "calendar_no_working_time"
    with pytest.raises(CalendarError) as e:
        BusinessCalendar(spec(timezone="Mars/Olympus"))
    assert e.value.code == "calendar_timezone_unknown"


def test_from_policy_is_cached_per_policy_and_follows_it():
    base = default_policy()
    assert BusinessCalendar.from_policy(base) is BusinessCalendar.from_policy(base)
    start = sh(2026, 9, 30, 16, 30)
    assert BusinessCalendar.from_policy(base).add(start, "3wd") == sh(2026, 10, 10, 16, 30)

    data = copy.deepcopy(default_policy_data())
    data["calendar"]["holidays"] = None
    no_holidays = Policy.from_dict(data)
    # without China's holidays: Thu Oct 1, Fri Oct 2, Mon Oct 5
    assert BusinessCalendar.from_policy(no_holidays).add(start, "3wd") == sh(2026, 10, 5, 16, 30)

    data = copy.deepcopy(default_policy_data())
    data["calendar"]["hours"]["mon"] = ["08:00-12:00"]
    mornings = Policy.from_dict(data)
    # Monday now ends at 12:00: one hour Monday, one Tuesday morning
    assert BusinessCalendar.from_policy(mornings).add(sh(2026, 3, 2, 11), "2wh") == sh(
        2026, 3, 3, 10
    )
    assert BusinessCalendar.from_policy(base).add(sh(2026, 3, 2, 11), "2wh") == sh(2026, 3, 2, 14)

    data = copy.deepcopy(default_policy_data())
    data["calendar"]["timezone"] = "Europe/Berlin"
    data["calendar"]["holidays"] = "DE"
    german = Policy.from_dict(data)
    # Mon Mar 2 16:00 in Shanghai is 09:00 in Berlin: 2wh -> 11:00 Berlin
    assert BusinessCalendar.from_policy(german).add(sh(2026, 3, 2, 16), "2wh") == be(2026, 3, 2, 11)


# -- a minute-by-minute reference, straight from SPEC §3 ---------------------------
# Deliberately naive and independent of the index: it walks UTC minutes and asks
# the local wall clock of each whether it is working time.


@cache
def _library(country: str, year: int):
    lib = holidays.country_holidays(country, years=year)
    return frozenset(lib), frozenset(d for d in lib.weekend_workdays if d.year == year)


_REF_HOURS: dict = {}


def ref_hours(s: CalendarSpec, d: date):
    key = (id(s), d)
    if key not in _REF_HOURS:
        _REF_HOURS[key] = _ref_hours(s, d)
    return _REF_HOURS[key]


def _ref_hours(s: CalendarSpec, d: date):
    weekly = tuple(s.hours.get(d.weekday(), ()))
    tables = [tuple(s.hours.get(i, ())) for i in range(7)]
    usual = max((h for h in tables if h), key=lambda h: (tables.count(h), -tables.index(h)))
    if d in s.extra_holidays:
        return ()
    if d in s.extra_workdays:
        return weekly or usual
    if s.holidays:
        off, makeup = _library(s.holidays, d.year)
        if d in off:
            return ()
        if d in makeup:
            return weekly or usual
    return weekly


def ref_working_minute(s: CalendarSpec, t: datetime) -> bool:
    """Whether the minute starting at ``t`` is working time."""
    local = t.astimezone(ZoneInfo(s.timezone))
    m = local.hour * 60 + local.minute
    return any(a <= m < b for a, b in ref_hours(s, local.date()))


def ref_add_wh(s: CalendarSpec, start: datetime, minutes: int) -> datetime:
    t, left = start.astimezone(UTC), minutes
    while left:
        if ref_working_minute(s, t):
            left -= 1
        t += timedelta(minutes=1)
    return t


def ref_add_wd(s: CalendarSpec, start: datetime, days: int) -> datetime:
    tz = ZoneInfo(s.timezone)
    t = start.astimezone(UTC)
    while not ref_working_minute(s, t):
        t += timedelta(minutes=1)
    local = t.astimezone(tz)
    day, hour = local.date(), local.hour * 60 + local.minute
    for _ in range(days):
        day += timedelta(days=1)
        while not ref_hours(s, day):
            day += timedelta(days=1)
    if days == 0:
        return t
    x = datetime.combine(day, time(hour // 60, hour % 60), tz).astimezone(UTC)
    if not any(a <= hour <= b for a, b in ref_hours(s, day)):
        while not ref_working_minute(s, x):
            x += timedelta(minutes=1)
    return x


def inside_for_a_deadline(s: CalendarSpec, t: datetime) -> bool:
    """The deadline convention: spans are closed, [start, end]."""
    local = t.astimezone(ZoneInfo(s.timezone))
    m = local.hour * 60 + local.minute + local.second / 60 + local.microsecond / 6e7
    return any(a <= m <= b for a, b in ref_hours(s, local.date()))


DEFAULT_SPEC = default_policy().calendar
BERLIN_SPEC = CalendarSpec(
    timezone="Europe/Berlin",
    holidays="DE",
    hours={
        0: ((8 * 60, 12 * 60), (13 * 60, 17 * 60)),
        1: ((8 * 60, 16 * 60),),
        2: ((8 * 60, 16 * 60),),
        3: ((8 * 60, 16 * 60),),
        4: ((8 * 60, 13 * 60),),
        5: (),
        6: (),
    },
    extra_workdays=frozenset({date(2026, 3, 28), date(2026, 10, 24)}),
)

# minute-aligned instants over 2026-2027 (China) and around Berlin's DST weeks
_2026 = datetime(2026, 1, 1, tzinfo=SH)
china_instants = st.integers(0, 2 * 365 * 1440 - 20 * 1440).map(
    lambda m: _2026 + timedelta(minutes=m)
)
any_instants = st.integers(0, 2 * 365 * 1440 * 60 * 10**6).map(
    lambda us: _2026 + timedelta(microseconds=us)
)
berlin_instants = st.sampled_from(
    [datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 10, 16, tzinfo=UTC)]
).flatmap(lambda base: st.integers(0, 14 * 1440).map(lambda m: base + timedelta(minutes=m)))
wh_minutes = st.integers(0, 30 * 60)
wd_days = st.integers(0, 12)
REF = settings(max_examples=100, deadline=None)
LAWS = settings(max_examples=300, deadline=None)


@REF
@given(china_instants, st.integers(0, 16 * 60))
def test_wh_equals_the_minute_reference(start, minutes):
    cal = BusinessCalendar.from_policy(default_policy())
    assert cal.add_working_minutes(start, minutes) == ref_add_wh(DEFAULT_SPEC, start, minutes)
    quarters = minutes // 15
    assert cal.add(start, f"{quarters * 0.25}wh") == ref_add_wh(DEFAULT_SPEC, start, quarters * 15)


@REF
@given(china_instants, st.integers(0, 6))
def test_wd_equals_the_minute_reference(start, days):
    cal = BusinessCalendar.from_policy(default_policy())
    assert cal.add(start, f"{days}wd") == ref_add_wd(DEFAULT_SPEC, start, days)


@REF
@given(berlin_instants, st.integers(0, 20 * 60), st.integers(0, 4))
def test_dst_calendar_equals_the_minute_reference(start, minutes, days):
    cal = BusinessCalendar(BERLIN_SPEC)
    assert cal.add_working_minutes(start, minutes) == ref_add_wh(BERLIN_SPEC, start, minutes)
    assert cal.add_working_days(start, days) == ref_add_wd(BERLIN_SPEC, start, days)


@LAWS
@given(any_instants, wh_minutes, wh_minutes)
def test_wh_is_monotonic_additive_and_inverted_by_between(start, a, b):
    cal = BusinessCalendar.from_policy(default_policy())
    a, b = min(a, b), max(a, b)
    ta, tb = cal.add_working_minutes(start, a), cal.add_working_minutes(start, b)
    assert ta <= tb
    assert cal.add_working_minutes(ta, b - a) == tb
    assert cal.add(cal.add(start, f"{a}wh"), f"{b}wh") == cal.add(start, f"{a + b}wh")
    assert cal.working_minutes_between(start, tb) == b
    assert cal.working_minutes_between(ta, tb) == b - a


@LAWS
@given(
    any_instants,
    any_instants,
    st.sampled_from(["1wh", "0.5wh", "7wh", "40wh", "1wd", "3wd", "10wd", "24h", "15d"]),
)
def test_later_start_never_gives_an_earlier_deadline(t1, t2, duration):
    cal = BusinessCalendar.from_policy(default_policy())
    t1, t2 = min(t1, t2), max(t1, t2)
    assert cal.add(t1, duration) <= cal.add(t2, duration)


@LAWS
@given(any_instants, wd_days, wd_days)
def test_wd_is_monotonic_in_the_amount(start, a, b):
    cal = BusinessCalendar.from_policy(default_policy())
    a, b = min(a, b), max(a, b)
    assert cal.add_working_days(start, a) <= cal.add_working_days(start, b)


@LAWS
@given(any_instants, st.integers(1, 60 * 60), st.integers(1, 15))
def test_positive_deadlines_land_inside_working_time(start, minutes, days):
    cal = BusinessCalendar.from_policy(default_policy())
    assert inside_for_a_deadline(DEFAULT_SPEC, cal.add_working_minutes(start, minutes))
    assert inside_for_a_deadline(DEFAULT_SPEC, cal.add_working_days(start, days))
    # and the clock runs at the next working moment, wherever one starts
    assert cal.is_working_time(cal.next_working_moment(start))


@st.composite
def pauses(draw, start):
    out = []
    for _ in range(draw(st.integers(0, 3))):
        f = start + timedelta(minutes=draw(st.integers(-600, 6 * 1440)))
        out.append((f, f + timedelta(minutes=draw(st.integers(0, 2 * 1440)))))
    return out


@LAWS
@given(
    st.data(),
    any_instants,
    st.sampled_from(["2wh", "0.5wh", "16wh", "0wh", "1wd", "3wd", "5wd", "24h", "2d"]),
)
def test_limit_equals_elapsed_at_the_due_time(data, start, duration):
    cal = BusinessCalendar.from_policy(default_policy())
    paused = data.draw(pauses(start))
    unit = Duration.parse(duration).unit
    due = cal.add(start, duration, paused=paused)
    assert due >= cal.add(start, duration)  # a pause never brings a deadline forward
    assert cal.limit_minutes(start, duration, paused) == cal.elapsed(start, due, unit, paused)
    assert cal.limit_minutes(start, duration, paused) == cal.limit_minutes(start, duration)
    if unit in (Unit.WORKING_HOURS, Unit.WORKING_DAYS) and duration[0] != "0":
        assert inside_for_a_deadline(DEFAULT_SPEC, due)
