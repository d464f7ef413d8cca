"""`complaints stats --period` (month, ISO week, quarter) and `complaints
summary` (投诉处理总结表), driven through `complaint_core.cli.main` as a user
would run them, over an export written by `stats.write_records`."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from complaint_core import stats
from complaint_core.cli import main
from complaint_core.model import State

DATA = Path(__file__).resolve().parent.parent / "data"
SAMPLE = str(DATA / "sample_complaints.csv")
SH = ZoneInfo("Asia/Shanghai")
R = stats.ComplaintRecord


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, out, err):
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("complaints: ")
    assert "Traceback" not in err


@pytest.fixture
def export(tmp_path) -> str:
    """Three November complaints and one of the last day of October."""
    recs = [
        R(
            "261102001",
            datetime(2026, 11, 2, 9, tzinfo=SH),
            category="product_quality",
            closed_at=datetime(2026, 11, 4, 9, tzinfo=SH),
            state=State.CLOSED,
            working_hours_to_close=Decimal(16),
            quality=True,
            process_link="processing",
            countermeasures=(("密封圈压伤 Seal ring cut", "调整压机 Re-set the press"),),
        ),
        R(
            "261124002",
            datetime(2026, 11, 24, 9, tzinfo=SH),
            category="delivery",
            process_link="transport",
            countermeasures=(("Box crushed", "Stronger cartons"),),
        ),
        R("261130003", datetime(2026, 11, 30, 9, tzinfo=SH), category="product_quality"),
        R("261031004", datetime(2026, 10, 31, 9, tzinfo=SH), category="delivery"),
    ]
    return str(stats.write_records(recs, tmp_path / "november.json"))


# -- stats --period -------------------------------------------------------------


def test_stats_period_week_and_quarter(capsys, export):
    # ISO week 48 of 2026: Monday 23 to Monday 30 November -> 261124002 only
    code, out, err = run(capsys, "stats", export, "--period", "2026-W48", "--format", "json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["period"] == "2026-W48" and doc["start"] == "2026-11-23T00:00:00+08:00"
    assert doc["title"] == "客户投诉统计表 / Complaint statistics"
    assert [(r["group"], r["received"]) for r in doc["rows"]] == [("delivery", 1)]
    # the fourth quarter: all four
    code, out, _ = run(capsys, "stats", export, "--period", "2026-q4")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("客户投诉统计表 / Complaint statistics 2026-Q4 (by category")
    assert lines[-1].split()[:5] == ["合计", "Total", "4", "1", "3"]


def test_stats_period_month_is_the_month_option(capsys, export):
    _, by_period, _ = run(capsys, "stats", export, "--period", "2026-11", "--format", "csv")
    _, by_month, _ = run(capsys, "stats", export, "--month", "2026-11", "--format", "csv")
    assert by_period == by_month
    total = list(csv.DictReader(io.StringIO(by_period)))[-1]
    assert (total["received"], total["mean_working_hours_to_close"]) == ("3", "16.00")
    # without either: the month of the latest complaint
    _, default, _ = run(capsys, "stats", export, "--format", "csv")
    assert default == by_period


def test_stats_period_errors_are_one_line(capsys, export):
    code, out, err = run(capsys, "stats", export, "--period", "2026-W54")
    assert_one_line_error(code, out, err)
    assert "invalid period '2026-W54'" in err
    code, out, err = run(capsys, "stats", export, "--period", "2026-11", "--month", "2026-11")
    assert_one_line_error(code, out, err)
    assert "--period or --month" in err


# -- summary --------------------------------------------------------------------


def test_summary_text_defaults_to_the_latest_month(capsys, export):
    code, out, err = run(capsys, "summary", export)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "投诉处理总结表 / Complaint handling summary 2026-11 (amounts in CNY)"
    values = {ln.split("  ")[0]: ln.split()[-1] for ln in lines[1:] if "  " in ln}
    assert values["天数 Days"] == "30"
    assert values["受理 Received"] == "3"
    assert values["每天投诉次数 Complaints per day"] == "0.10"  # 3 / 30
    assert values["已解决投诉次数 Resolved complaints"] == "1"
    assert values["解决比例 Resolution ratio"] == "33.3%"
    assert values["涉及产品质量的次数 Product-quality complaints"] == "1"
    assert "密封圈压伤 Seal ring cut ×1 (261102001): 调整压机 Re-set the press" in out


def test_summary_formats(capsys, export):
    _, out, _ = run(capsys, "summary", export, "--period", "2026-W48", "--format", "json")
    doc = json.loads(out)
    assert (doc["period"], doc["days"], doc["received"], doc["per_day"]) == (
        "2026-W48",
        7,
        1,
        "0.14",
    )
    assert doc["by_process_link"]["transport"]["problems"][0]["problem"] == "Box crushed"
    _, out, _ = run(capsys, "summary", export, "--period", "2026-Q4", "--format", "csv")
    rows = dict(list(csv.reader(io.StringIO(out)))[1:8])
    assert rows["天数 Days"] == "92" and rows["受理 Received"] == "4"  # Oct 31 + Nov 30 + Dec 31
    code, out, _ = run(capsys, "summary", export, "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert "<caption>投诉处理总结表 / Complaint handling summary 2026-11" in out


def test_summary_of_the_sample(capsys):
    # the October figures of the sample (tests/test_stats.py), through the command
    code, out, _ = run(capsys, "summary", SAMPLE, "--period", "2026-10", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and (doc["received"], doc["closed"], doc["open"]) == (5, 5, 2)
    assert (doc["days"], doc["resolved"], doc["resolution_rate"]) == (31, 4, "0.8000")
    assert doc["quality"] == 0 and doc["quality_problems"] == []


def test_summary_bad_input_is_one_line_and_exit_2(capsys, tmp_path, export):
    assert_one_line_error(*run(capsys, "summary", export, "--period", "November"))
    assert_one_line_error(*run(capsys, "summary", export, "--format", "pdf"))
    assert_one_line_error(*run(capsys, "summary", str(tmp_path / "missing.json")))
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    code, out, err = run(capsys, "summary", str(empty))
    assert_one_line_error(code, out, err)
    assert "give --period" in err
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            [{"number": "1", "received_at": "2026-11-02T09:00:00+08:00", "process_link": "x"}]
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "summary", str(bad))
    assert_one_line_error(code, out, err)
    assert "row 1, field process_link" in err


def test_help_names_the_commands(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "summary" in out and "stats" in out
    code, out, _ = run(capsys, "summary", "--help")
    assert code == 0 and "2026-W48" in out and "投诉处理总结表" in out
