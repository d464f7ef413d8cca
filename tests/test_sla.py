"""SPEC §3 time limits on the 2026 China calendar (Asia/Shanghai, Mon-Fri
09:00-12:00 and 13:00-18:00, public holidays and make-up working days).

Every due time is computed by hand in the comments. 2026 facts used: 1-5 May
are days off (1 May Fri, 4 May Mon, 5 May Tue), Saturday 9 May is a make-up
working day (调休); March 2026 has no holiday.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from complaint_core import default_policy
from complaint_core.calendar import BusinessCalendar
from complaint_core.model import Channel, Complaint, Kind, SlaStatus
from complaint_core.sla import Notification, milestone_status, notifications_due, plan_milestones

SH = ZoneInfo("Asia/Shanghai")


def sh(mo, d, h, mi=0):
    return datetime(2026, mo, d, h, mi, tzinfo=SH)


@pytest.fixture(scope="module")
def policy():
    return default_policy()


@pytest.fixture(scope="module")
def cal(policy):
    return BusinessCalendar.from_policy(policy)


def plan(policy, cal, c, level=3, **kw):
    return {m.code: m for m in plan_milestones(c, policy, cal, level=level, **kw)}


def due(policy, cal, c, level=3, **kw):
    return {code: m.due for code, m in plan(policy, cal, c, level, **kw).items()}


# Thursday 30 April 2026, 16:30, just before the May Day break.
MAY_EVE = sh(4, 30, 16, 30)


def test_every_default_milestone_of_a_product_quality_complaint(policy, cal):
    c = Complaint(received_at=MAY_EVE, category="product_quality")
    ms = plan(policy, cal, c)
    assert list(ms) == [
        "first_contact",
        "dispatch",
        "site_visit",
        "resolution",
        "reply",
        "follow_up",
    ]
    # 2wh: 16:30-18:00 is 90 min; 1-5 May off; the last 30 min on Wed 6 May 09:00-09:30
    assert ms["first_contact"].due == sh(5, 6, 9, 30)
    # 24h clock time, holidays count
    assert ms["dispatch"].due == sh(5, 1, 16, 30)
    # 2wd: working days after 30 Apr are 6 May (1), 7 May (2)
    assert ms["site_visit"].due == sh(5, 7, 16, 30)
    # 3wd: 6, 7, 8 May
    assert ms["resolution"].due == sh(5, 8, 16, 30)
    assert all(ms[code].start == MAY_EVE for code in ("first_contact", "dispatch", "resolution"))
    # reply and follow-up wait for their start events
    assert (ms["reply"].start, ms["reply"].due) == (None, None)
    assert (ms["follow_up"].start, ms["follow_up"].due) == (None, None)


def test_site_visit_only_for_product_quality_complaints(policy, cal):
    assert "site_visit" not in plan(
        policy, cal, Complaint(received_at=MAY_EVE, category="delivery")
    )
    assert "site_visit" not in plan(
        policy, cal, Complaint(received_at=MAY_EVE, category="product_quality", kind=Kind.REQUEST)
    )


def test_resolution_limits(policy, cal):
    c = Complaint(received_at=MAY_EVE, category="delivery")
    # level 1-2 and escalated: 5wd = 6, 7, 8, Sat 9 May (make-up day), Mon 11 May
    assert due(policy, cal, c, level=2)["resolution"] == sh(5, 11, 16, 30)
    assert due(policy, cal, c, level=1)["resolution"] == sh(5, 11, 16, 30)
    assert due(policy, cal, c, level=3, escalated=True)["resolution"] == sh(5, 11, 16, 30)
    # a request: 2wd = 6, 7 May
    req = Complaint(received_at=MAY_EVE, category="delivery", kind=Kind.REQUEST)
    assert due(policy, cal, req, level=4)["resolution"] == sh(5, 7, 16, 30)
    # normal complaint: 3wd
    assert due(policy, cal, c, level=4)["resolution"] == sh(5, 8, 16, 30)


def test_reply_one_working_hour_after_approval(policy, cal):
    c = Complaint(received_at=MAY_EVE, category="delivery")
    # approved Fri 8 May 17:30: 30 min that day, 30 on the make-up Saturday 9 May
    ms = plan(policy, cal, c, events={"approved": sh(5, 8, 17, 30)})
    assert ms["reply"].start == sh(5, 8, 17, 30)
    assert ms["reply"].due == sh(5, 9, 9, 30)


def test_follow_up_five_working_days_after_remedy_done(policy, cal):
    c = Complaint(received_at=MAY_EVE, category="delivery")
    # done at lunch (Mon 11 May 12:30): S = 13:00; 12, 13, 14, 15, 18 May
    ms = plan(policy, cal, c, events={"remedy_done": sh(5, 11, 12, 30)})
    assert ms["follow_up"].due == sh(5, 18, 13, 0)


def test_registration_outside_working_time_starts_at_the_next_working_moment(policy, cal):
    # Saturday 7 March 2026 (an ordinary weekend): S = Mon 9 March 09:00
    c = Complaint(received_at=sh(3, 7, 11), category="delivery")
    d = due(policy, cal, c)
    assert d["first_contact"] == sh(3, 9, 11)
    assert d["resolution"] == sh(3, 12, 9)  # 10, 11, 12 March
    assert d["dispatch"] == sh(3, 8, 11)  # clock time ignores the weekend


def test_authority_deadline_for_transferred_cases(policy, cal):
    deadline = sh(5, 15, 17)
    c = Complaint(received_at=MAY_EVE, channel=Channel.REGULATOR, authority_deadline=deadline)
    ms = plan(policy, cal, c)
    assert ms["authority_reply"].due == deadline and ms["authority_reply"].limit is None
    assert "authority_reply" not in plan(policy, cal, Complaint(received_at=MAY_EVE))
    unknown = plan(policy, cal, Complaint(received_at=MAY_EVE, channel=Channel.MEDIA))
    assert unknown["authority_reply"].due is None


# -- status --------------------------------------------------------------------------

TUE = sh(3, 10, 10)  # Tuesday 10 March 2026, 10:00


@pytest.fixture(scope="module")
def tue(policy, cal):
    return plan(policy, cal, Complaint(received_at=TUE, category="delivery"))


def status(policy, cal, m, now):
    return milestone_status(m, now, policy, cal)


def test_first_contact_status_through_its_life(policy, cal, tue):
    m = tue["first_contact"]
    assert m.due == sh(3, 10, 12)
    # 80% of 120 working minutes = 96 min -> due soon from 11:36
    assert status(policy, cal, m, TUE - timedelta(minutes=1)) is SlaStatus.NOT_STARTED
    assert status(policy, cal, m, sh(3, 10, 11, 35)) is SlaStatus.ON_TIME
    assert status(policy, cal, m, sh(3, 10, 11, 36)) is SlaStatus.DUE_SOON
    assert status(policy, cal, m, sh(3, 10, 12)) is SlaStatus.DUE_SOON  # at due: not yet late
    assert status(policy, cal, m, sh(3, 10, 12, 1)) is SlaStatus.BREACHED


def test_due_soon_counts_working_time_only(policy, cal, tue):
    m = tue["resolution"]
    assert m.due == sh(3, 13, 10)  # 3wd: 11, 12, 13 March
    # limit 3 x 480 = 1440 working minutes; 80% = 1152: Tue 420 + Wed 480 = 900,
    # Thu 09-12 = 180 -> 1080, then 72 min after 13:00 -> Thu 12 March 14:12
    assert status(policy, cal, m, sh(3, 12, 14, 11)) is SlaStatus.ON_TIME
    assert status(policy, cal, m, sh(3, 12, 14, 12)) is SlaStatus.DUE_SOON


def test_clock_limit_due_soon(policy, cal, tue):
    m = tue["dispatch"]
    assert m.due == sh(3, 11, 10)
    # 80% of 24h = 19h12m -> Wed 05:12
    assert status(policy, cal, m, sh(3, 11, 5, 11)) is SlaStatus.ON_TIME
    assert status(policy, cal, m, sh(3, 11, 5, 12)) is SlaStatus.DUE_SOON


def test_done_and_done_late(policy, cal):
    c = Complaint(received_at=TUE, category="delivery")
    on_time = plan(policy, cal, c, done={"first_contact": sh(3, 10, 11, 50)})["first_contact"]
    assert status(policy, cal, on_time, sh(3, 10, 15)) is SlaStatus.DONE
    # evaluated before it was done, it was still running
    assert status(policy, cal, on_time, sh(3, 10, 11, 40)) is SlaStatus.DUE_SOON
    late = plan(policy, cal, c, done={"first_contact": sh(3, 10, 12, 30)})["first_contact"]
    assert status(policy, cal, late, sh(3, 10, 15)) is SlaStatus.DONE_LATE
    at_due = plan(policy, cal, c, done={"first_contact": sh(3, 10, 12)})["first_contact"]
    assert status(policy, cal, at_due, sh(3, 10, 15)) is SlaStatus.DONE


def test_not_started_without_its_start_event(policy, cal, tue):
    assert status(policy, cal, tue["reply"], sh(6, 1, 10)) is SlaStatus.NOT_STARTED


# -- pause -------------------------------------------------------------------------


def test_pause_moves_due_times_and_resumes_where_it_stopped(policy, cal):
    pause = (sh(3, 10, 11), sh(3, 11, 11))  # waiting on the customer, Tue 11:00 - Wed 11:00
    c = Complaint(received_at=TUE, category="delivery", paused=(pause,))
    d = due(policy, cal, c)
    # 2wh: 60 min used before the pause, the other 60 from Wed 11:00
    assert d["first_contact"] == sh(3, 11, 12)
    # 24h clock: 24h of pause added
    assert d["dispatch"] == sh(3, 12, 10)
    # 3wd = 1440 working min: 60 before the pause, 1380 from Wed 11:00:
    # Wed 360, Thu 480, Fri 480 -> 60 left: Mon 16 March 10:00
    assert d["resolution"] == sh(3, 16, 10)
    m = plan(policy, cal, c)["first_contact"]
    # at Wed 11:30, 90 of 120 working minutes used (pause not counting): not yet 96
    assert milestone_status(m, sh(3, 11, 11, 30), policy, cal, paused=(pause,)) is SlaStatus.ON_TIME
    assert (
        milestone_status(m, sh(3, 11, 11, 36), policy, cal, paused=(pause,)) is SlaStatus.DUE_SOON
    )


# -- notifications -------------------------------------------------------------------


def test_notifications_are_sent_once(policy, cal, tue):
    ms = [tue["first_contact"], tue["resolution"]]
    now = sh(3, 10, 11, 40)
    assert notifications_due(ms, now, policy, cal) == [Notification("first_contact", "due_soon")]
    assert notifications_due(ms, now, policy, cal, sent={("first_contact", "due_soon")}) == []
    later = sh(3, 10, 12, 5)
    assert notifications_due(ms, later, policy, cal, sent={("first_contact", "due_soon")}) == [
        Notification("first_contact", "breached", ("owner", "manager"))
    ]
    assert (
        notifications_due(
            ms,
            later,
            policy,
            cal,
            sent=[
                Notification("first_contact", "due_soon"),
                Notification("first_contact", "breached"),
            ],
        )
        == []
    )


def test_a_breach_sends_only_breached(policy, cal, tue):
    # nothing was sent before and the milestone is already late: no late due-soon warning
    out = notifications_due([tue["first_contact"]], sh(3, 10, 15), policy, cal)
    assert out == [Notification("first_contact", "breached")]


def test_done_milestones_notify_nothing(policy, cal):
    c = Complaint(received_at=TUE, category="delivery")
    ms = plan_milestones(c, policy, cal, level=3, done={"first_contact": sh(3, 10, 11)})
    first = [m for m in ms if m.code == "first_contact"]
    assert notifications_due(first, sh(3, 10, 15), policy, cal) == []
