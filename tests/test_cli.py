"""The `complaints` command, driven through `complaint_core.cli.main` as a user
would run it: exit codes, one stderr line for bad input (never a traceback),
and answers hand-computed from SPEC §3 with the 2026 China calendar:
Wed 30 Sep works until 18:00; 1–7 Oct are holidays (4 Oct a Sunday); Thu 8
Oct works; Sat 10 Oct is a make-up working day (调休)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from complaint_core.cli import main
from complaint_core.policy import data_file, default_policy_data

DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLE = str(DATA / "example_complaint.json")
EXAMPLES = str(DATA / "example_complaints.json")
SAMPLE = str(DATA / "sample_complaints.csv")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, out, err):
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("complaints: ")
    assert "Traceback" not in err


# -- deadline -------------------------------------------------------------------


def test_deadline_two_working_hours_over_national_day(capsys):
    # 16:30-18:00 on Wed 30 Sep = 90 min; 1-7 Oct off; Thu 8 Oct 09:00 + 30 min
    code, out, err = run(capsys, "deadline", "2026-09-30T16:30:00+08:00", "2wh")
    assert (code, out, err) == (0, "2026-10-08T09:30:00+08:00\n", "")


@pytest.mark.parametrize(
    "start, duration, due",
    [
        # working days: Thu 8, Fri 9, Sat 10 (make-up working day) -> the 3rd is Sat 10
        ("2026-09-30T16:30:00+08:00", "3wd", "2026-10-10T16:30:00+08:00"),
        # clock hours ignore the holidays
        ("2026-09-30T16:30:00+08:00", "24h", "2026-10-01T16:30:00+08:00"),
        # the answer keeps the start's offset: 08:30Z is 16:30 in Shanghai
        ("2026-09-30T08:30:00Z", "2wh", "2026-10-08T01:30:00+00:00"),
    ],
)
def test_deadline_units(capsys, start, duration, due):
    code, out, _ = run(capsys, "deadline", start, duration)
    assert (code, out) == (0, due + "\n")


@pytest.mark.parametrize(
    "argv",
    [
        ("deadline", "2026-09-31T16:30:00+08:00", "2wh"),  # no 31 September
        ("deadline", "yesterday", "2wh"),
        ("deadline", "2026-09-30T16:30:00", "2wh"),  # no offset
        ("deadline", "2026-09-30T16:30:00+08:00", "2wk"),  # unknown unit
        ("deadline", "2026-09-30T16:30:00+08:00", "1.5wd"),  # days are whole
        ("deadline", "2026-09-30T16:30:00+08:00"),  # missing duration
        ("deadline", "2026-09-30T16:30:00+08:00", "2wh", "--policy", "/no/such/policy.yaml"),
        ("frobnicate",),
    ],
)
def test_deadline_bad_input_is_one_line_and_exit_2(capsys, argv):
    assert_one_line_error(*run(capsys, *argv))


# -- assess ---------------------------------------------------------------------


def test_assess_the_example_complaint(capsys):
    code, out, err = run(capsys, "assess", EXAMPLE, "--at", "2026-10-13T10:00:00+08:00")
    assert (code, err) == (0, "")
    result = json.loads(out)
    sev = result["severity"]
    # C-204 and C-377 within 30 days + this customer C-118 = 3 different customers
    assert (sev["level"], sev["computed_level"], sev["escalated"]) == (2, 2, False)
    assert [r["code"] for r in sev["reasons"]] == ["repeat_cluster"]
    assert sev["repeat_cluster"] == {
        "by": "product",
        "value": "KX-200 kettle",
        "customers": ["C-118", "C-204", "C-377"],
    }
    ms = {m["code"]: m for m in result["milestones"]}
    assert list(ms) == [
        "first_contact",
        "dispatch",
        "site_visit",
        "resolution",
        "reply",
        "follow_up",
    ]  # not transferred: no authority reply
    # Mon 12 Oct 09:30 + 2wh = 11:30, done at 10:00
    assert (ms["first_contact"]["due"], ms["first_contact"]["status"]) == (
        "2026-10-12T11:30:00+08:00",
        "done",
    )
    # 24 clock hours, not done at Tue 10:00
    assert (ms["dispatch"]["due"], ms["dispatch"]["status"]) == (
        "2026-10-13T09:30:00+08:00",
        "breached",
    )
    # 2wd = 960 working minutes; 690 used by the pause at Tue 14:00 (Mon 09:30-18:00
    # 450, Tue 09:00-14:00 240); the other 270 from Wed 10:00 -> Wed 15:30.
    # At Tue 10:00 510 of 960 are used (53% < 80%): on time.
    assert (ms["site_visit"]["due"], ms["site_visit"]["status"]) == (
        "2026-10-14T15:30:00+08:00",
        "on_time",
    )
    # level 2 -> 5wd = 2400 minutes; 1710 left from Wed 10:00: Wed 420, Thu 480,
    # Fri 480, Mon 19 Oct 09:00-12:00 180, then 150 after 13:00 -> 15:30
    assert (ms["resolution"]["limit"], ms["resolution"]["due"], ms["resolution"]["status"]) == (
        "5wd",
        "2026-10-19T15:30:00+08:00",
        "on_time",
    )
    assert (ms["reply"]["due"], ms["reply"]["status"]) == (None, "not_started")
    assert result["escalation"] == [
        {"level": 2, "after": "15d", "at": "2026-10-27T09:30:00+08:00", "reached": False},
        {"level": 1, "after": "30d", "at": "2026-11-11T09:30:00+08:00", "reached": False},
    ]
    # 260 + 1200 = 1460: department manager; product quality takes two approvals
    remedies = result["remedies"]
    assert remedies["cost"] == "1460"
    assert remedies["route"] == [
        {"stage": "investigation", "level": "department_manager"},
        {"stage": "remedy", "level": "department_manager"},
    ]
    assert [line["type"] for line in remedies["lines"]] == ["exchange", "credit"]


def test_assess_escalation_is_reached_later(capsys):
    code, out, _ = run(capsys, "assess", EXAMPLE, "--at", "2026-10-28T10:00:00+08:00")
    result = json.loads(out)
    assert code == 0
    assert result["severity"]["escalated"] is True
    assert [e["reached"] for e in result["escalation"]] == [True, False]


def test_assess_a_list(capsys):
    code, out, _ = run(capsys, "assess", EXAMPLES, "--at", "2026-10-21T10:00:00+08:00")
    results = json.loads(out)
    assert code == 0
    assert [r["number"] for r in results] == ["261012004", "261008003", "261020010"]
    # service attitude is level 4; the VIP customer makes it 3
    assert results[1]["severity"]["level"] == 3
    assert {r["code"] for r in results[1]["severity"]["reasons"]} == {"level4_category", "vip"}
    # media exposure and injury: level 1, approved by the general manager
    media = results[2]
    assert media["severity"]["level"] == 1
    assert media["remedies"]["route"] == [{"stage": "remedy", "level": "general_manager"}]
    authority = [m for m in media["milestones"] if m["code"] == "authority_reply"]
    assert [(m["due"], m["status"]) for m in authority] == [
        ("2026-10-27T17:00:00+08:00", "on_time")
    ]


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_assess_bad_input_is_one_line_and_exit_2(capsys, tmp_path):
    example = json.loads(Path(EXAMPLE).read_text(encoding="utf-8"))
    cases = {
        "malformed.json": '{"received_at": "2026-10-12T09:30:00+08:00",',
        "category.json": json.dumps({**example, "category": "kettles"}),
        "field.json": json.dumps({**example, "colour": "red"}),
        "date.json": json.dumps({**example, "received_at": "12/10/2026"}),
        "remedy.json": json.dumps({**example, "remedies": [{"type": "hug"}]}),
    }
    expected = {
        "malformed.json": "malformed JSON",
        "category.json": "kettles",
        "field.json": "colour",
        "date.json": "received_at",
        "remedy.json": "remedies[0].type",
    }
    for name, text in cases.items():
        code, out, err = run(
            capsys, "assess", _write(tmp_path, name, text), "--at", "2026-10-13T10:00:00+08:00"
        )
        assert_one_line_error(code, out, err)
        assert expected[name] in err, name
    assert_one_line_error(*run(capsys, "assess", EXAMPLE, "--at", "soon"))
    assert_one_line_error(*run(capsys, "assess", str(tmp_path / "missing.json")))


# -- policy check -----------------------------------------------------------------


def test_policy_check_accepts_the_default_policy(capsys):
    code, out, err = run(capsys, "policy", "check", str(data_file("default_policy.yaml")))
    assert (code, err) == (0, "")
    assert "valid policy 'Default policy' version 2026.1" in out
    assert "9 categories, 7 milestones, 4 authority levels" in out


def test_policy_check_lists_every_problem_with_its_key_path(capsys, tmp_path):
    data = default_policy_data()
    data["calendar"]["timezone"] = "Mars/Olympus"
    data["sla"]["warning_ratio"] = 1.5
    data["authority"]["levels"][1]["up_to"] = 100
    data["satisfaction"]["satisfied"] = [7, 5]
    data["workflow"]["roles"]["triage"] = ["janitor"]
    path = _write(tmp_path, "broken.yaml", yaml.safe_dump(data, allow_unicode=True))
    code, out, err = run(capsys, "policy", "check", path)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"{path}: 5 problem(s)"
    assert sorted(line.split(":")[0].strip() for line in lines[1:]) == sorted(
        [
            "calendar.timezone",
            "sla.warning_ratio",
            "authority.levels[1].up_to",
            "satisfaction.satisfied[0]",
            "workflow.roles.triage[0]",
        ]
    )
    assert "Mars/Olympus" in err and "janitor" in err


def test_policy_check_on_a_syntax_error(capsys, tmp_path):
    code, _, err = run(
        capsys, "policy", "check", _write(tmp_path, "bad.yaml", "calendar: [unclosed\n")
    )
    assert code == 1
    assert "syntax error" in err and "Traceback" not in err


# -- stats ----------------------------------------------------------------------


def test_stats_text(capsys):
    code, out, err = run(capsys, "stats", SAMPLE, "--month", "2026-10")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("客户投诉月统计表 / Monthly complaint statistics 2026-10")
    total = lines[-1].split()
    assert total[:6] == ["合计", "Total", "5", "5", "2", "80.0%"]
    assert "9.30" in lines[-1] and "24.00" in lines[-1]


def test_stats_csv_json_html_agree(capsys):
    _, out, _ = run(capsys, "stats", SAMPLE, "--month", "2026-10", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[-1]["group"] == "total"
    assert (rows[-1]["received"], rows[-1]["satisfaction_rate"]) == ("5", "0.8000")

    _, out, _ = run(
        capsys, "stats", SAMPLE, "--month", "2026-10", "--format", "json", "--by", "severity"
    )
    doc = json.loads(out)
    assert doc["by"] == "severity"
    assert [(r["group"], r["received"]) for r in doc["rows"]] == [("2", 2), ("3", 1), ("4", 2)]
    assert doc["total"]["remedy_cost"] == "1660"

    code, out, _ = run(capsys, "stats", SAMPLE, "--month", "2026-10", "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert "<caption>客户投诉月统计表 / Monthly complaint statistics 2026-10" in out


def test_stats_defaults_to_the_month_of_the_latest_complaint(capsys):
    # 261031007 at 2026-10-31T16:30Z is 1 November in Shanghai
    code, out, _ = run(capsys, "stats", str(DATA / "sample_complaints.json"))
    assert code == 0 and "statistics 2026-11 " in out.splitlines()[0]


def test_stats_bad_input_is_one_line_and_exit_2(capsys, tmp_path):
    bad = _write(
        tmp_path, "export.csv", "number,received_at\n1,2026-10-01T09:00:00+08:00\n2,next tuesday\n"
    )
    code, out, err = run(capsys, "stats", bad, "--month", "2026-10")
    assert_one_line_error(code, out, err)
    assert "row 2, field received_at" in err
    assert_one_line_error(*run(capsys, "stats", SAMPLE, "--month", "October"))
    assert_one_line_error(*run(capsys, "stats", SAMPLE, "--format", "pdf"))
    empty = _write(tmp_path, "empty.csv", "number,received_at\n")
    assert_one_line_error(*run(capsys, "stats", empty))


# -- demo -------------------------------------------------------------------------


def test_demo_walks_the_case_to_closed(capsys):
    code, out, err = run(capsys, "demo")
    assert (code, err) == (0, "")
    # registered 30 Sep 2026 as the 7th of the year: 260930007
    assert "Registered 260930007" in out
    assert " 1. " in out and "14. Closed after" in out
    assert "follow_up -> closed" in out
    assert "refused" in out  # the rep's triage and the handler's own approval


# -- the installed console script ----------------------------------------------------


def _script() -> str:
    beside = Path(sys.executable).parent / "complaints"
    found = str(beside) if beside.exists() else shutil.which("complaints")
    assert found, "the `complaints` console script is not installed (pip install -e .)"
    return found


def test_console_script_help_and_exit_codes():
    done = subprocess.run([_script(), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: complaints")
    for command in ("assess", "deadline", "demo", "policy", "stats"):
        assert f"  {command} " in done.stdout
    bad = subprocess.run(
        [_script(), "deadline", "2026-09-30T16:30:00+08:00", "2wk"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "2wk" in bad.stderr


def test_no_command_shows_the_help_and_exits_2(capsys):
    code, out, err = run(capsys)
    assert code == 2 and out == ""
    assert err.startswith("Usage: complaints") and "Traceback" not in err


def test_assess_category_given_as_a_list_is_one_line(capsys, tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps({"received_at": "2026-09-30T16:30:00+08:00", "category": ["x"]}))
    code, out, err = run(capsys, "assess", str(f))
    assert_one_line_error(code, out, err)
    assert "complaint.category" in err


def test_assess_refuses_dates_outside_the_window(capsys, tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps({"received_at": "9999-12-31T23:59:59-12:00"}))
    code, out, err = run(capsys, "assess", str(f))
    assert_one_line_error(code, out, err)
    assert "1970-2200" in err
    code, out, err = run(capsys, "assess", EXAMPLE, "--at", "0001-01-01T00:00:00+00:00")
    assert_one_line_error(code, out, err)


def test_user_text_with_line_breaks_stays_one_line(capsys, tmp_path):
    f = tmp_path / "c.json"
    f.write_text(json.dumps({"received_at": "2026-09-30T16:30:00+08:00", "a\nb": 1}))
    code, out, err = run(capsys, "assess", str(f))
    assert_one_line_error(code, out, err)


def test_deadline_beyond_the_last_date_is_one_line(capsys):
    code, out, err = run(capsys, "deadline", "2026-09-30T16:30:00+08:00", "3000000d")
    assert_one_line_error(code, out, err)
