"""SPEC §5 satisfaction and §7 statistics: every figure of the monthly table
hand-computed from data/sample_complaints.csv (the worked numbers are in the
comments), month boundaries in Asia/Shanghai, bad input, rendering."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from complaint_core import stats
from complaint_core.errors import InputError
from complaint_core.model import Kind, State
from complaint_core.policy import Policy, default_policy, default_policy_data

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE_CSV = DATA / "sample_complaints.csv"
SAMPLE_JSON = DATA / "sample_complaints.json"
SH = ZoneInfo("Asia/Shanghai")
D = Decimal


@pytest.fixture(scope="module")
def policy() -> Policy:
    return default_policy()


@pytest.fixture(scope="module")
def records(policy):
    return stats.read_records(SAMPLE_CSV, policy)


def policy_with(**changes) -> Policy:
    """A copy of the default policy data with sections changed."""
    data = default_policy_data()
    for path, value in changes.items():
        section, key = path.split("__")
        data[section][key] = value
    return Policy.from_dict(data)


# -- SPEC §5 satisfaction ---------------------------------------------------------


def test_satisfaction_rate_counts_the_top_two_of_the_answers_received(policy):
    # 5 and 4 are satisfied: 5, 4, 4 of six answers
    assert stats.satisfaction_rate([5, 4, 3, 2, 1, 4], policy) == D(3) / D(6)
    assert stats.satisfaction_rate([5], policy) == D(1)
    assert stats.satisfaction_rate([3, 2], policy) == D(0)


def test_satisfaction_rate_is_none_without_answers(policy):
    assert stats.satisfaction_rate([], policy) is None


def test_satisfaction_rate_follows_the_policy():
    changed = policy_with(satisfaction__satisfied=[5])
    # only 5 is satisfied now: one of six answers
    assert stats.satisfaction_rate([5, 4, 3, 2, 1, 4], changed) == D(1) / D(6)
    assert stats.satisfaction_rate([5, 4, 3, 2, 1, 4], default_policy()) == D(1) / D(2)


def test_answers_off_the_scale_are_refused(policy):
    with pytest.raises(InputError) as e:
        stats.satisfaction_rate([5, 7], policy)
    assert e.value.code == "satisfaction_invalid"
    with pytest.raises(InputError):
        stats.is_dissatisfied(0, policy)


def test_is_dissatisfied_takes_the_two_lowest_and_follows_the_policy(policy):
    assert [stats.is_dissatisfied(a, policy) for a in (5, 4, 3, 2, 1)] == [
        False,
        False,
        False,
        True,
        True,
    ]
    changed = policy_with(satisfaction__dissatisfied=[1])
    assert stats.is_dissatisfied(2, changed) is False
    assert stats.is_dissatisfied(1, changed) is True


# -- p90 ------------------------------------------------------------------------


def test_p90_is_the_nearest_rank():
    ten = [D(v) for v in (10, 1, 9, 2, 8, 3, 7, 4, 6, 5)]
    assert stats.percentile(ten, 90) == D(9)  # ceil(0.9 * 10) = 9th smallest
    assert stats.percentile([*ten, D(11)], 90) == D(10)  # ceil(9.9) = 10th of 11
    assert stats.percentile([D(3)], 90) == D(3)
    assert stats.percentile([D(1), D(2)], 90) == D(2)  # ceil(1.8) = 2nd
    assert stats.percentile([D(v) for v in range(1, 21)], 50) == D(10)
    assert stats.percentile([], 90) is None
    with pytest.raises(InputError):
        stats.percentile([D(1)], 0)


# -- reading records ------------------------------------------------------------


def test_sample_csv_reads_every_field(records):
    assert [r.number for r in records] == [
        "260820009",
        "260915001",
        "260930002",
        "261005008",
        "261008003",
        "261012004",
        "261015005",
        "261020006",
        "261031007",
    ]
    r = records[2]
    assert r.kind is Kind.COMPLAINT and r.category == "product_quality" and r.severity == 2
    assert r.received_at == datetime(2026, 9, 30, 20, tzinfo=ZoneInfo("UTC"))
    assert r.closed_at == datetime(2026, 10, 9, 16, tzinfo=SH)
    assert r.state is State.CLOSED and r.valid is True and r.cluster is True
    assert (r.loss_amount, r.remedy_cost, r.quantity, r.defective_quantity) == (
        D(1800),
        D(1460),
        D(50),
        D(5),
    )
    assert r.satisfaction == (5, 4)
    assert r.milestones["first_contact"] == (
        datetime(2026, 10, 8, 11, tzinfo=SH),
        datetime(2026, 10, 8, 10, tzinfo=SH),
    )
    assert r.batch == "2609-A" and r.handler == "zhao.handler"
    # the not-valid state without a `valid` value counts as not valid
    assert records[6].state is State.NOT_VALID and records[6].valid is False
    # blank cells: no milestone, no quantity, undetermined validity
    assert records[0].milestones == {} and records[0].quantity is None
    assert records[5].valid is None and records[5].closed_at is None
    assert records[3].kind is Kind.REQUEST


def test_json_export_reads_the_same_records(records, policy):
    assert stats.read_records(SAMPLE_JSON, policy) == records


# -- the monthly table, October 2026, by category -------------------------------
#
# October 2026 in Asia/Shanghai = [2026-10-01T00:00+08, 2026-11-01T00:00+08).
# Complaints received: 260930002 (2026-09-30T20:00Z = Oct 1 04:00 in Shanghai),
# 261008003, 261012004, 261015005, 261020006 = 5. 261031007 (Oct 31 16:30Z =
# Nov 1 00:30) is November's; 261005008 is a request, not counted.
# Closed in October: 260915001 (24 d), 260930002 (8.5 d), 261008003 (1.5 d),
# 261015005 (1 d, not valid), 261020006 (11.5 d) = 5.
# Open at the end: 260820009 (August, still open) and 261012004 = 2.


def test_october_total(records, policy):
    t = stats.monthly_table(records, "2026-10", policy)
    total = t.total
    assert (t.start, t.end) == (datetime(2026, 10, 1, tzinfo=SH), datetime(2026, 11, 1, tzinfo=SH))
    assert (total.received, total.closed, total.open) == (5, 5, 2)
    # received in October and closed by its end: 0002, 8003, 5005, 0006 of 5
    assert total.resolution_rate == D(4) / D(5)
    # first contact due or done in October: 0002 on, 8003 late, 2004 on, 5005 on, 0006 on
    assert total.on_time["first_contact"] == stats.OnTime(4, 5)
    # resolution: 0001 (due Sep 18, done Oct 9: late), 0002 on, 8003 on,
    # 2004 (due Oct 19, not done: late), 0006 (due Oct 23, done Oct 31: late)
    assert total.on_time["resolution"] == stats.OnTime(2, 5)
    assert total.on_time["resolution"].rate == D("0.4")
    assert [c for c, _, _ in t.milestones] == ["first_contact", "resolution"]
    # (24 + 8.5 + 1.5 + 1 + 11.5) / 5 = 9.3; nearest rank ceil(4.5) = 5th of 5 = 24
    assert total.mean_days_to_close == D("9.30")
    assert total.p90_days_to_close == D("24.00")
    assert total.loss_amount == D(1800 + 0 + 2400 + 0 + 300)
    assert total.remedy_cost == D(1460 + 200)
    assert (total.valid, total.not_valid) == (3, 1)  # 0002, 8003, 0006 / 5005
    assert (total.recomplaints, total.clusters) == (1, 2)  # 0006 / 0002, 2004
    # answers of the complaints closed in October: 4 | 5,4 | 2 | 5 -> 4 of 5
    assert total.satisfaction_rate == D(4) / D(5)
    # (5 + 10 + 2) / (50 + 200 + 20)
    assert total.defect_rate == D(17) / D(270)


def test_october_rows_by_category(records, policy):
    t = stats.monthly_table(records, "2026-10", policy, by="category")
    # policy order; billing's only complaint is November's
    assert [r.key for r in t.rows] == [
        "product_quality",
        "service_attitude",
        "staff_conduct",
        "delivery",
    ]
    pq, sa, sc, dl = t.rows
    assert pq.label == "产品质量 Product quality"
    assert (pq.received, pq.closed, pq.open) == (3, 3, 1)
    assert pq.resolution_rate == D(2) / D(3)
    assert pq.on_time["first_contact"] == stats.OnTime(3, 3)
    assert pq.on_time["resolution"] == stats.OnTime(1, 4)
    assert pq.mean_days_to_close == D("14.67")  # (24 + 8.5 + 11.5) / 3
    assert pq.p90_days_to_close == D("24.00")
    assert (pq.loss_amount, pq.remedy_cost) == (D(4500), D(1660))
    assert (pq.valid, pq.not_valid, pq.recomplaints, pq.clusters) == (2, 0, 1, 2)
    assert pq.satisfaction_rate == D(1)  # 4, 5, 4, 5
    assert pq.defect_rate == D(17) / D(270)

    assert (sa.received, sa.closed, sa.open) == (1, 1, 0)
    assert sa.on_time["first_contact"] == stats.OnTime(0, 1)
    assert sa.satisfaction_rate == D(0)  # one answer: 2
    assert sa.mean_days_to_close == sa.p90_days_to_close == D("1.50")
    assert sa.defect_rate is None

    # August's open complaint: in the backlog only
    assert (sc.received, sc.closed, sc.open) == (0, 0, 1)
    assert sc.resolution_rate is None and sc.mean_days_to_close is None
    assert sc.satisfaction_rate is None and sc.on_time["resolution"] == stats.OnTime(0, 0)

    assert (dl.received, dl.closed, dl.valid, dl.not_valid) == (1, 1, 0, 1)
    assert dl.on_time["first_contact"] == stats.OnTime(1, 1)


def test_october_by_severity_channel_and_handler(records, policy):
    t = stats.monthly_table(records, "2026-10", policy, by="severity")
    assert [r.key for r in t.rows] == ["2", "3", "4"]
    s2, s3, s4 = t.rows
    assert (s2.received, s2.closed, s2.open, s2.clusters) == (2, 1, 1, 2)  # 0002, 2004
    assert (s2.loss_amount, s2.remedy_cost) == (D(4200), D(1460))
    # level 3: 0006 received; 0001 and 0006 closed (24 d, 11.5 d); 0009 open
    assert (s3.received, s3.closed, s3.open) == (1, 2, 1)
    assert s3.mean_days_to_close == D("17.75") and s3.p90_days_to_close == D("24.00")
    assert (s4.received, s4.closed, s4.open) == (2, 2, 0)  # 8003, 5005
    assert t.total == stats.monthly_table(records, "2026-10", policy).total

    by_channel = stats.monthly_table(records, "2026-10", policy, by="channel")
    assert [(r.key, r.received, r.closed) for r in by_channel.rows] == [
        ("phone", 2, 3),
        ("email", 1, 1),
        ("web", 1, 1),
        ("sales_visit", 0, 0),
        ("dealer", 1, 0),
    ]

    by_handler = stats.monthly_table(records, "2026-10", policy, by="handler")
    assert [(r.key, r.received) for r in by_handler.rows] == [
        ("li.service", 1),
        ("sun.logistics", 1),
        ("wu.rep", 0),
        ("zhao.handler", 3),
    ]

    by_batch = stats.monthly_table(records, "2026-10", policy, by="batch")
    # defect rate per batch: 2609-A received in October: 0002 (5/50); 2610-B: 2004, 0006
    rates = {r.key: r.defect_rate for r in by_batch.rows}
    assert rates == {"2609-A": D(5) / D(50), "2610-B": D(12) / D(220), "(none)": None}


def test_requests_are_counted_only_when_asked(records, policy):
    t = stats.monthly_table(records, "2026-10", policy, kinds=("complaint", "request"))
    assert (t.total.received, t.total.closed) == (6, 6)
    assert [r.key for r in t.rows][-1] == "other"


# -- month boundaries ------------------------------------------------------------


def test_month_boundaries_are_in_the_policy_time_zone(records, policy):
    sep = stats.monthly_table(records, "2026-09", policy)
    # 260930002 at 2026-09-30T20:00Z is October in Shanghai: only 260915001
    assert sep.total.received == 1
    assert sep.total.open == 2  # 260820009, 260915001
    nov = stats.monthly_table(records, "2026-11", policy)
    assert nov.total.received == 1  # 261031007, Nov 1 00:30 in Shanghai
    assert [r.number for r in records if r.received_at.astimezone(SH).month == 11] == ["261031007"]

    utc = policy_with(calendar__timezone="UTC")
    assert stats.monthly_table(records, "2026-09", utc).total.received == 2
    assert stats.monthly_table(records, "2026-10", utc).total.received == 5
    assert stats.month_bounds("2026-12", policy) == (
        datetime(2026, 12, 1, tzinfo=SH),
        datetime(2027, 1, 1, tzinfo=SH),
    )


def test_instants_on_the_boundary_belong_to_the_month_they_start(policy):
    # received at October's first instant, closed at November's first instant
    r = _rec(
        "b",
        received=datetime(2026, 10, 1, tzinfo=SH),
        closed_at=datetime(2026, 11, 1, tzinfo=SH),
        state=State.CLOSED,
    )
    oct_, nov = (stats.monthly_table([r], m, policy).total for m in ("2026-10", "2026-11"))
    assert (oct_.received, oct_.closed, oct_.open, oct_.resolution_rate) == (1, 0, 1, D(0))
    assert (nov.received, nov.closed, nov.open) == (0, 1, 0)
    assert nov.mean_days_to_close == D("31.00")
    sep = stats.monthly_table([r], "2026-09", policy).total
    assert (sep.received, sep.open) == (0, 0)


def test_bad_month_and_grouping_are_refused(records, policy):
    for bad in ("2026-13", "Oct 2026", "2026-1", ""):
        with pytest.raises(InputError) as e:
            stats.monthly_table(records, bad, policy)
        assert e.value.code == "month_invalid"
    with pytest.raises(InputError) as e:
        stats.monthly_table(records, "2026-10", policy, by="colour")
    assert e.value.code == "grouping_unknown"


# -- milestones at the edges -------------------------------------------------------


def _rec(number="1", received=datetime(2026, 10, 10, 10, tzinfo=SH), **kw):
    return stats.ComplaintRecord(number=number, received_at=received, **kw)


def test_on_time_definition_at_the_edges(policy):
    due = datetime(2026, 10, 20, 12, tzinfo=SH)
    recs = [
        _rec("a", milestones={"reply": (due, due)}),  # done at due: on time
        _rec("b", milestones={"reply": (due, due + timedelta(minutes=1))}),  # late
        # done in October, due in November: counted, on time
        _rec("c", milestones={"reply": (datetime(2026, 11, 2, 9, tzinfo=SH), due)}),
        # due in September and still not done: not October's
        _rec("d", milestones={"reply": (datetime(2026, 9, 2, 9, tzinfo=SH), None)}),
        _rec("e", milestones={"reply": (None, due)}),  # no due time: not counted
        # due in October, not done: late
        _rec("f", milestones={"reply": (due, None), "custom": (due, due)}),
    ]
    t = stats.monthly_table(recs, "2026-10", policy)
    assert t.total.on_time["reply"] == stats.OnTime(2, 4)
    # a code the policy does not know still gets its column, after the policy's
    assert [c for c, _, _ in t.milestones] == ["reply", "custom"]
    assert t.total.on_time["custom"] == stats.OnTime(1, 1)


def test_records_are_values(policy):
    a = _rec("a", satisfaction=4, milestones={"reply": (None, None)})
    assert a.satisfaction == (4,) and hash(a) == hash(_rec("a", satisfaction=(4,)))
    with pytest.raises(InputError) as e:
        _rec("b", received=datetime(2026, 10, 1, 9))
    assert e.value.code == "datetime_naive"


def test_empty_month(policy):
    t = stats.monthly_table([], "2026-10", policy)
    assert t.rows == () and t.milestones == ()
    assert (t.total.received, t.total.closed, t.total.open) == (0, 0, 0)
    assert t.total.resolution_rate is None and t.total.satisfaction_rate is None
    assert t.total.defect_rate is None and t.total.p90_days_to_close is None
    assert "合计 Total" in stats.render(t, "text")


# -- summary (投诉处理总结表) --------------------------------------------------------


def test_summary_of_october(records, policy):
    s = stats.summary(records, date(2026, 10, 1), date(2026, 11, 1), policy)
    assert (s.start, s.end) == (datetime(2026, 10, 1, tzinfo=SH), datetime(2026, 11, 1, tzinfo=SH))
    f = s.figures
    assert (f.received, f.closed, f.open) == (5, 5, 2)
    assert f.on_time["first_contact"] == stats.OnTime(4, 5)
    assert (f.mean_days_to_close, f.p90_days_to_close) == (D("9.30"), D("24.00"))
    assert (f.loss_amount, f.remedy_cost, f.defect_rate) == (D(4500), D(1660), D(17) / D(270))
    assert dict(s.by_category) == {"product_quality": 3, "service_attitude": 1, "delivery": 1}
    assert dict(s.by_severity) == {"2": 2, "3": 1, "4": 2}
    assert dict(s.by_channel) == {"phone": 2, "email": 1, "web": 1, "dealer": 1}
    text = stats.render(s, "text")
    assert text.startswith("投诉处理总结表 / Complaint handling summary")
    assert "9.30" in text and "80.0%" in text
    rows = dict(csv.reader(io.StringIO(stats.render(s, "csv"))))
    assert rows["受理 Received"] == "5" and rows["按等级 By severity"] == "2 2, 3 1, 4 2"
    page = stats.render(s, "html")
    assert "<caption>投诉处理总结表 / Complaint handling summary" in page
    assert '<th scope="row">P90 days</th><td>24.00</td>' in page
    doc = json.loads(stats.render(s, "json"))
    assert doc["received"] == 5 and doc["by_severity"] == {"2": 2, "3": 1, "4": 2}
    # a week: Monday 12 to Monday 19 October: 2004 and 5005 received
    week = stats.summary(records, date(2026, 10, 12), date(2026, 10, 19), policy)
    assert (week.figures.received, week.figures.closed) == (2, 1)
    with pytest.raises(InputError):
        stats.summary(records, date(2026, 10, 19), date(2026, 10, 12), policy)
    with pytest.raises(InputError):
        stats.summary(records, datetime(2026, 10, 1), date(2026, 11, 1), policy)


# -- rendering ------------------------------------------------------------------


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_text_is_titled_and_aligned(records, policy):
    text = stats.render(stats.monthly_table(records, "2026-10", policy), "text")
    lines = text.splitlines()
    assert lines[0] == (
        "客户投诉月统计表 / Monthly complaint statistics 2026-10 "
        "(by category, Asia/Shanghai, amounts in CNY)"
    )
    table_lines = [ln for ln in lines[1:] if not set(ln) <= {"-"}]
    assert len(table_lines) == 1 + 4 + 1  # header, four groups, total
    assert len({_display_width(ln) for ln in table_lines}) == 1  # right edges line up
    total = table_lines[-1].split()
    assert total[:6] == ["合计", "Total", "5", "5", "2", "80.0%"]
    assert "4/5 80.0%" in table_lines[-1] and "2/5 40.0%" in table_lines[-1]
    assert "4,500.00" in table_lines[-1] and "6.3%" in table_lines[-1]


def test_csv_and_json(records, policy):
    t = stats.monthly_table(records, "2026-10", policy)
    rows = list(csv.DictReader(io.StringIO(stats.render(t, "csv"))))
    assert [r["group"] for r in rows] == [
        "product_quality",
        "service_attitude",
        "staff_conduct",
        "delivery",
        "total",
    ]
    total = rows[-1]
    assert (total["received"], total["closed"], total["open"]) == ("5", "5", "2")
    assert total["resolution_rate"] == "0.8000"
    assert (
        total["on_time_resolution_count"],
        total["on_time_resolution_done"],
        total["on_time_resolution_rate"],
    ) == ("5", "2", "0.4000")
    assert total["defect_rate"] == "0.0630" and total["loss_amount"] == "4500"
    assert rows[1]["defect_rate"] == ""  # None is an empty cell

    doc = json.loads(stats.render(t, "json"))
    assert doc["month"] == "2026-10" and doc["timezone"] == "Asia/Shanghai"
    assert doc["total"]["received"] == 5
    assert doc["total"]["on_time_first_contact"] == {"on_time": 4, "counted": 5, "rate": "0.8000"}
    assert doc["total"]["mean_days_to_close"] == "9.30"
    assert doc["rows"][2]["resolution_rate"] is None
    assert [m["code"] for m in doc["milestones"]] == ["first_contact", "resolution"]


def test_html_escapes_and_is_a_printable_table(policy):
    recs = [_rec("x", handler="<b>Tom & Jerry</b>")]
    page = stats.render(stats.monthly_table(recs, "2026-10", policy, by="handler"), "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;" in page and "<b>Tom" not in page
    assert "<caption>客户投诉月统计表 / Monthly complaint statistics 2026-10" in page
    assert page.count("<tr>") == 3  # header, one group, total (in tfoot)
    assert "@page" in page


def test_unknown_format_is_refused(records, policy):
    with pytest.raises(InputError) as e:
        stats.render(stats.monthly_table(records, "2026-10", policy), "pdf")
    assert e.value.code == "format_unknown"


# -- bad input ------------------------------------------------------------------

HEADER = "number,kind,received_at,closed_at,state,loss_amount,satisfaction"
GOOD = "1,complaint,2026-10-01T09:00:00+08:00,,registered,0,"


def _csv(tmp_path, *rows, header=HEADER) -> Path:
    p = tmp_path / "export.csv"
    p.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "row, field, code",
    [
        ("2,complaint,2026-10-32T09:00:00+08:00,,registered,0,", "received_at", "datetime_invalid"),
        ("2,complaint,2026-10-02T09:00:00,,registered,0,", "received_at", "datetime_naive"),
        (
            "2,complaint,2026-10-02T09:00:00+08:00,,registered,12.5x,",
            "loss_amount",
            "number_invalid",
        ),
        ("2,complaint,2026-10-02T09:00:00+08:00,,registered,-3,", "loss_amount", "number_invalid"),
        ("2,praise,2026-10-02T09:00:00+08:00,,registered,0,", "kind", "value_unknown"),
        ("2,complaint,2026-10-02T09:00:00+08:00,,lost,0,", "state", "value_unknown"),
        ("2,complaint,2026-10-02T09:00:00+08:00,,closed,0,", "closed_at", "field_missing"),
        (
            "2,complaint,2026-10-02T09:00:00+08:00,2026-10-01T09:00:00+08:00,closed,0,",
            "closed_at",
            "closed_before_received",
        ),
        (
            "2,complaint,2026-10-02T09:00:00+08:00,2026-10-03T09:00:00+08:00,triaged,0,",
            "closed_at",
            "closed_at_open",
        ),
        (
            "2,complaint,2026-10-02T09:00:00+08:00,,registered,0,4;7",
            "satisfaction",
            "satisfaction_invalid",
        ),
        (
            "2,complaint,2026-10-02T09:00:00+08:00,,registered,0,good",
            "satisfaction",
            "satisfaction_invalid",
        ),
        (",complaint,2026-10-02T09:00:00+08:00,,registered,0,", "number", "field_missing"),
        ("1,complaint,2026-10-02T09:00:00+08:00,,registered,0,", "number", "number_duplicate"),
    ],
)
def test_bad_csv_rows_name_the_row_and_field(tmp_path, policy, row, field, code):
    with pytest.raises(InputError) as e:
        stats.read_records(_csv(tmp_path, GOOD, row), policy)
    assert e.value.code == code
    assert e.value.params["row"] == 2 and e.value.params["field"] == field
    assert str(e.value).startswith(f"export.csv: row 2, field {field}: ")


def test_bad_columns_and_files(tmp_path, policy):
    with pytest.raises(InputError) as e:
        stats.read_records(_csv(tmp_path, GOOD, header=HEADER + ",colour"), policy)
    assert e.value.code == "field_unknown"
    with pytest.raises(InputError) as e:
        stats.read_records(_csv(tmp_path, GOOD + ",red", header=HEADER + ",colour"), policy)
    assert e.value.code == "field_unknown" and e.value.params["field"] == "colour"
    with pytest.raises(InputError) as e:
        stats.read_records(_csv(tmp_path, GOOD + ",", header=HEADER + ",lunch_due"), policy)
    assert e.value.code == "milestone_unknown"
    with pytest.raises(InputError) as e:
        stats.read_records(
            _csv(tmp_path, "1,2026-10-01T09:00:00+08:00", header="number,received"), policy
        )
    assert e.value.code == "column_missing"
    with pytest.raises(InputError) as e:
        stats.read_records(_csv(tmp_path, GOOD + ",extra"), policy)
    assert e.value.code == "row_invalid"
    cat = _csv(
        tmp_path,
        "1,complaint,2026-10-01T09:00:00+08:00,,registered,0,,kettles",
        header=HEADER + ",category",
    )
    with pytest.raises(InputError) as e:
        stats.read_records(cat, policy)
    assert e.value.code == "category_unknown" and e.value.params["field"] == "category"
    assert stats.read_records(cat)[0].category == "kettles"  # no policy: not checked
    (tmp_path / "x.xlsx").write_text("")
    with pytest.raises(InputError) as e:
        stats.read_records(tmp_path / "x.xlsx")
    assert e.value.code == "file_type_unknown"
    with pytest.raises(InputError) as e:
        stats.read_records(tmp_path / "missing.csv")
    assert e.value.code == "file_unreadable"


def test_bad_json_exports(tmp_path, policy):
    p = tmp_path / "export.json"
    p.write_text('[{"number": "1", ', encoding="utf-8")
    with pytest.raises(InputError) as e:
        stats.read_records(p)
    assert e.value.code == "json_invalid"
    p.write_text('{"number": "1"}', encoding="utf-8")
    with pytest.raises(InputError) as e:
        stats.read_records(p)
    assert e.value.code == "list_invalid"
    good = {"number": "1", "received_at": "2026-10-01T09:00:00+08:00"}
    p.write_text(json.dumps([good, {**good, "number": "2", "severity": 7}]), encoding="utf-8")
    with pytest.raises(InputError) as e:
        stats.read_records(p)
    assert (e.value.code, e.value.params["row"], e.value.params["field"]) == (
        "level_invalid",
        2,
        "severity",
    )
    p.write_text(json.dumps([{**good, "milestones": {"reply": {"due": "soon"}}}]), encoding="utf-8")
    with pytest.raises(InputError) as e:
        stats.read_records(p)
    assert (e.value.code, e.value.params["field"]) == ("datetime_invalid", "reply_due")
    p.write_text(json.dumps([{**good, "milestones": {"reply": {"when": "x"}}}]), encoding="utf-8")
    with pytest.raises(InputError) as e:
        stats.read_records(p)
    assert e.value.code == "object_invalid"
    p.write_text(json.dumps([{**good, "valid": "maybe"}]), encoding="utf-8")
    with pytest.raises(InputError) as e:
        stats.read_records(p)
    assert (e.value.code, e.value.params["field"]) == ("flag_invalid", "valid")
    p.write_text(json.dumps([{**good, "quantity": 10, "defective_quantity": 11}]), encoding="utf-8")
    with pytest.raises(InputError) as e:
        stats.read_records(p)
    assert e.value.code == "defective_exceeds_quantity"
