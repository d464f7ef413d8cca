"""SPEC §7 periods (month, ISO week, quarter), the mean working hours to close
and the 投诉处理总结表 summary (FORMS.md: 投诉次数, 每天投诉次数, 已解决投诉次数,
解决比例, 涉及产品质量的次数, 主要质量问题, 具体对策, 运输 / 加工 / 管理 / 其他环节
问题及对策), every figure hand-computed from the November records below (the
worked numbers are in the comments)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from complaint_core import stats
from complaint_core.errors import InputError
from complaint_core.model import Kind, State
from complaint_core.policy import Policy, default_policy, default_policy_data

SH = ZoneInfo("Asia/Shanghai")
D = Decimal
R = stats.ComplaintRecord


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _at(month, day, hour=9, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=SH)


SEAL = "Seal ring cut by the press"

# November 2026 in Asia/Shanghai: 30 days.
# Received: n1..n5 = 5 (o1 is October's, r1 a request) -> 5 / 30 = 0.1666.. = 0.17 a day.
# Resolved (received and closed before 1 December): n1, n3 = 2 -> 40.0%.
# Closed in November: n1 (16 wh), n3 (8.5 wh), o1 (40 wh) -> 64.5 / 3 = 21.50 working hours.
# Product quality, received: n1, n2, n4, n5 = 4.
NOVEMBER = [
    R(
        "n1",
        _at(11, 2),
        category="product_quality",
        closed_at=_at(11, 4),
        state=State.CLOSED,
        working_hours_to_close=D(16),
        quality=True,
        process_link="processing",
        countermeasures=((SEAL, "Re-set the press stop"), (SEAL, "Train operators")),
    ),
    R(
        "n2",
        _at(11, 3),
        category="product_quality",
        quality=True,
        process_link="transport",
        countermeasures=(
            (SEAL, "Check every lot"),
            (SEAL, "Train operators"),  # already n1's: listed once
            ("Box crushed", "Stronger cartons"),
        ),
    ),
    R(
        "n3",
        _at(11, 5),
        category="delivery",
        closed_at=_at(11, 6, 13, 30),
        state=State.CLOSED,
        working_hours_to_close=D("8.5"),
        process_link="transport",
        countermeasures=(("Late truck", "Second carrier"),),
    ),
    R("n4", _at(11, 6), category="product_quality", quality=True),  # no finding yet
    R(
        "n5",
        _at(11, 30, 23, 30),
        category="product_quality",
        closed_at=_at(12, 1, 10),  # December: not resolved in November
        state=State.CLOSED,
        working_hours_to_close=D(2),
        quality=True,
        process_link="management",
        countermeasures=(("", "Weekly review"),),  # no problem named
    ),
    R(
        "o1",
        _at(10, 20),
        category="product_quality",
        closed_at=_at(11, 10),
        state=State.CLOSED,
        working_hours_to_close=D(40),
        quality=True,
        process_link="processing",
        countermeasures=(("Old problem", "Old measure"),),
    ),
    R(
        "r1",
        _at(11, 7),
        kind=Kind.REQUEST,
        quality=True,
        process_link="transport",
        countermeasures=(("Request problem", "Not counted"),),
    ),
]


# -- periods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, start, end",
    [
        ("2026-11", date(2026, 11, 1), date(2026, 12, 1)),
        ("2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        # 1 January 2026 is a Thursday: week 1 starts on Monday 29 December 2025
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 5)),
        ("2026-W48", date(2026, 11, 23), date(2026, 11, 30)),
        ("2026-w48", date(2026, 11, 23), date(2026, 11, 30)),
        # 2026 starts on a Thursday, so it has a 53rd week, ending in 2027
        ("2026-W53", date(2026, 12, 28), date(2027, 1, 4)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 4, 1)),
        ("2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
        (" 2026-q2 ", date(2026, 4, 1), date(2026, 7, 1)),
    ],
)
def test_period_bounds(policy, spec, start, end):
    assert stats.period_bounds(spec, policy) == (
        datetime(start.year, start.month, start.day, tzinfo=SH),
        datetime(end.year, end.month, end.day, tzinfo=SH),
    )


@pytest.mark.parametrize(
    "spec",
    ["2026-13", "2026-00", "2026-W00", "2026-W54", "2025-W53", "2026-Q0", "2026-Q5", "Nov 2026"]
    + ["", "2026-11-01", "2026-W4", "26-Q4"],
)
def test_bad_periods_are_refused(policy, spec):
    with pytest.raises(InputError) as e:
        stats.period_bounds(spec, policy)
    assert e.value.code == "period_invalid"
    assert "2026-W48" in str(e.value) and "2026-Q4" in str(e.value)


def test_periods_are_in_the_policy_time_zone():
    data = default_policy_data()
    data["calendar"]["timezone"] = "Europe/Berlin"
    berlin = Policy.from_dict(data)
    start, end = stats.period_bounds("2026-Q4", berlin)
    assert start.isoformat() == "2026-10-01T00:00:00+02:00"  # summer time
    assert end.isoformat() == "2027-01-01T00:00:00+01:00"
    # October has 31 days though its length is 745 hours (the clocks go back)
    oct_start, oct_end = stats.period_bounds("2026-10", berlin)
    assert stats.summary([], oct_start, oct_end, berlin).days == 31


def test_a_week_and_a_quarter_table(policy):
    start, end = stats.period_bounds("2026-W45", policy)  # Mon 2 to Mon 9 November
    week = stats.period_table(NOVEMBER, start, end, policy, period="2026-W45")
    # received n1, n2, n3, n4; closed n1, n3
    assert (week.total.received, week.total.closed) == (4, 2)
    assert stats.render(week, "text").startswith("客户投诉统计表 / Complaint statistics 2026-W45 ")
    doc = json.loads(stats.render(week, "json"))
    assert (doc["title"], doc["period"]) == ("客户投诉统计表 / Complaint statistics", "2026-W45")
    start, end = stats.period_bounds("2026-Q4", policy)
    quarter = stats.period_table(NOVEMBER, start, end, policy, period="2026-Q4")
    # every complaint, o1 included; n5 closed on 1 December is in the quarter
    assert (quarter.total.received, quarter.total.closed, quarter.total.open) == (6, 4, 2)
    # a month keeps the monthly table's title
    month = stats.monthly_table(NOVEMBER, "2026-11", policy)
    assert stats.render(month, "csv") and stats.render(month, "text").startswith(
        "客户投诉月统计表 / Monthly complaint statistics 2026-11 "
    )


# -- mean working hours to close --------------------------------------------------


def test_mean_working_hours_to_close(policy):
    t = stats.monthly_table(NOVEMBER, "2026-11", policy)
    assert t.total.mean_working_hours_to_close == D("21.50")  # (16 + 8.5 + 40) / 3
    by = {f.key: f.mean_working_hours_to_close for f in t.rows}
    assert by == {"product_quality": D(28), "delivery": D("8.50")}  # (16 + 40) / 2; 8.5
    # rounded to 0.01 hour; records without hours are left out, not counted as 0
    recs = [
        R(str(i), _at(11, 2), closed_at=_at(11, 3), state=State.CLOSED, working_hours_to_close=h)
        for i, h in enumerate([D(1), D(1), D(2), None])
    ]
    assert stats.monthly_table(recs, "2026-11", policy).total.mean_working_hours_to_close == D(
        "1.33"
    )
    # nothing closed with hours: no mean
    assert stats.monthly_table(recs, "2026-10", policy).total.mean_working_hours_to_close is None
    rows = list(csv.DictReader(io.StringIO(stats.render(t, "csv"))))
    assert rows[-1]["mean_working_hours_to_close"] == "21.50"
    assert json.loads(stats.render(t, "json"))["total"]["mean_working_hours_to_close"] == "21.50"
    assert "平均工时 Mean working hours" in stats.render(t, "text").splitlines()[2]


# -- the summary ------------------------------------------------------------------


@pytest.fixture(scope="module")
def november(policy):
    start, end = stats.period_bounds("2026-11", policy)
    return stats.summary(NOVEMBER, start, end, policy, period="2026-11")


def test_summary_counts(november):
    s = november
    assert (s.period, s.days, s.per_day) == ("2026-11", 30, D("0.17"))
    assert (s.figures.received, s.resolved, s.figures.resolution_rate) == (5, 2, D(2) / D(5))
    assert s.quality == 4
    assert s.figures.mean_working_hours_to_close == D("21.50")


def test_summary_main_quality_problems(november):
    # of n1, n2, n4, n5 (o1 is October's, r1 a request); the seal ring twice
    # (n1 names it twice: one complaint), the unnamed problems of n4 and n5 last
    assert november.quality_problems == (
        stats.Problem(
            SEAL, 2, ("n1", "n2"), ("Re-set the press stop", "Train operators", "Check every lot")
        ),
        stats.Problem("Box crushed", 1, ("n2",), ("Stronger cartons",)),
        stats.Problem(stats.NONE_KEY, 2, ("n4", "n5"), ("Weekly review",)),
    )


def test_summary_problems_by_process_link(november):
    links = {x.link: x for x in november.by_process_link}
    assert list(links) == ["transport", "processing", "management", "other"]
    assert {k: x.complaints for k, x in links.items()} == {
        "transport": 2,  # n2, n3 (r1 is a request)
        "processing": 1,  # n1 (o1 is October's)
        "management": 1,  # n5
        "other": 0,
    }
    assert links["transport"].problems == (
        stats.Problem("Box crushed", 1, ("n2",), ("Stronger cartons",)),
        stats.Problem("Late truck", 1, ("n3",), ("Second carrier",)),
        stats.Problem(SEAL, 1, ("n2",), ("Check every lot", "Train operators")),
    )
    assert links["processing"].problems == (
        stats.Problem(SEAL, 1, ("n1",), ("Re-set the press stop", "Train operators")),
    )
    assert links["management"].problems == (
        stats.Problem(stats.NONE_KEY, 1, ("n5",), ("Weekly review",)),
    )
    assert links["other"].problems == ()


def test_an_empty_summary(policy):
    s = stats.summary([], date(2026, 11, 2), date(2026, 11, 9), policy)
    assert (s.days, s.per_day, s.resolved, s.quality) == (7, D("0.00"), 0, 0)
    assert s.quality_problems == () and [x.complaints for x in s.by_process_link] == [0] * 4
    assert s.figures.resolution_rate is None
    text = stats.render(s, "text")
    assert "主要质量问题及对策 Main quality problems and countermeasures  —" in text


def test_days_count_the_calendar_days_touched(policy):
    # from noon to noon the next day touches two calendar days
    s = stats.summary([], _at(11, 2, 12), _at(11, 3, 12), policy)
    assert s.days == 2


# -- rendering the summary ----------------------------------------------------------


def test_summary_text(november):
    text = stats.render(november, "text")
    lines = text.splitlines()
    assert lines[0] == "投诉处理总结表 / Complaint handling summary 2026-11 (amounts in CNY)"
    items = [ln.split("  ")[0] for ln in lines[1:8]]
    assert items == [
        "期间 Period",
        "天数 Days",
        "受理 Received",
        "每天投诉次数 Complaints per day",
        "已解决投诉次数 Resolved complaints",
        "解决比例 Resolution ratio",
        "涉及产品质量的次数 Product-quality complaints",
    ]
    assert [ln.split()[-1] for ln in lines[2:8]] == ["30", "5", "0.17", "2", "40.0%", "4"]
    assert "2026-11 2026-11-01T00:00:00+08:00 .. 2026-12-01T00:00:00+08:00" in lines[1]
    start = lines.index(
        next(ln for ln in lines if ln.startswith("主要质量问题及对策 Main quality problems"))
    )
    # one problem a line, the label on the first only, values aligned
    assert lines[start].endswith(
        f"{SEAL} ×2 (n1, n2): Re-set the press stop; Train operators; Check every lot"
    )
    assert lines[start + 1].strip() == "Box crushed ×1 (n2): Stronger cartons"
    assert lines[start + 2].strip() == "（无）(none) ×2 (n4, n5): Weekly review"
    first, second = lines[start], lines[start + 1]
    assert _width(second[: second.index("Box")]) == _width(first[: first.index(SEAL)])
    links = "运输 Transport 2, 加工 Processing 1, 管理 Management 1, 其他 Other 0"
    (by_link,) = [ln for ln in lines if ln.startswith("按环节 By process link ")]
    assert by_link.endswith(f"  {links}")
    assert "其他环节问题及对策 Other problems and countermeasures" in text
    assert "平均工时 Mean working hours" in text and "21.50" in text


def test_summary_csv(november):
    rows = list(csv.reader(io.StringIO(stats.render(november, "csv"))))
    assert rows[0] == ["item", "value"]
    values = dict(rows[1:])
    assert values["每天投诉次数 Complaints per day"] == "0.17"
    assert values["已解决投诉次数 Resolved complaints"] == "2"
    assert values["解决比例 Resolution ratio"] == "40.0%"
    assert values["涉及产品质量的次数 Product-quality complaints"] == "4"
    transport = [v for k, v in rows if k.startswith("运输环节问题及对策")]
    assert transport == [
        "Box crushed ×1 (n2): Stronger cartons",
        "Late truck ×1 (n3): Second carrier",
        f"{SEAL} ×1 (n2): Check every lot; Train operators",
    ]
    assert [v for k, v in rows if k.startswith("其他环节")] == ["—"]


def test_summary_json(november):
    doc = json.loads(stats.render(november, "json"))
    assert (doc["period"], doc["days"], doc["per_day"], doc["resolved"]) == (
        "2026-11",
        30,
        "0.17",
        2,
    )
    assert (doc["received"], doc["resolution_rate"], doc["quality"]) == (5, "0.4000", 4)
    assert doc["mean_working_hours_to_close"] == "21.50"
    assert doc["quality_problems"][0] == {
        "problem": SEAL,
        "complaints": 2,
        "numbers": ["n1", "n2"],
        "countermeasures": ["Re-set the press stop", "Train operators", "Check every lot"],
    }
    assert doc["quality_problems"][2]["problem"] is None  # unnamed: null, not "(none)"
    assert list(doc["by_process_link"]) == ["transport", "processing", "management", "other"]
    assert doc["by_process_link"]["transport"]["label"] == "运输 Transport"
    assert doc["by_process_link"]["transport"]["complaints"] == 2
    assert doc["by_process_link"]["other"] == {
        "label": "其他 Other",
        "complaints": 0,
        "problems": [],
    }


def test_summary_html_escapes_every_text(policy):
    recs = [
        R(
            "x<1>",
            _at(11, 2),
            quality=True,
            process_link="other",
            countermeasures=(("<script>alert(1)</script>", "Tom & Jerry"),),
        )
    ]
    page = stats.render(stats.summary(recs, date(2026, 11, 1), date(2026, 12, 1), policy), "html")
    assert "<script>" not in page and "&lt;script&gt;" in page and "Tom &amp; Jerry" in page
    assert "x&lt;1&gt;" in page
    assert (
        '<th scope="row">其他环节问题及对策 Other problems and countermeasures</th><td>'
        "&lt;script&gt;alert(1)&lt;/script&gt; ×1 (x&lt;1&gt;): Tom &amp; Jerry</td>"
    ) in page
    s = stats.summary(NOVEMBER, date(2026, 11, 1), date(2026, 12, 1), policy, period="2026-11")
    page = stats.render(s, "html")
    assert "<caption>投诉处理总结表 / Complaint handling summary 2026-11" in page
    # an item of several lines is a list in its cell
    assert "<td><ul><li>Seal ring cut by the press ×2 (n1, n2)" in page
    assert '<th scope="row">涉及产品质量的次数 Product-quality complaints</th><td>4</td>' in page
