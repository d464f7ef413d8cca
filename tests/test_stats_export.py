"""Writing records as a JSON export (`records_to_json`, `write_records`): what
is written is read back by `read_records` to equal records, milestones and the
finding fields (working hours, quality, process link, countermeasures)
included; a record the reader would refuse is refused before anything is
written."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from complaint_core import stats
from complaint_core.errors import InputError
from complaint_core.model import Channel, Kind, State
from complaint_core.policy import default_policy

DATA = Path(__file__).resolve().parent.parent / "data"
SH = ZoneInfo("Asia/Shanghai")
D = Decimal


def _rec(number="1", received=datetime(2026, 11, 10, 10, tzinfo=SH), **kw):
    return stats.ComplaintRecord(number=number, received_at=received, **kw)


def _full() -> stats.ComplaintRecord:
    """A record with every field set, several offsets and awkward texts."""
    return _rec(
        "261110001",
        kind=Kind.COMPLAINT,
        category="product_quality",
        severity=2,
        channel=Channel.EMAIL,
        product='KX-200 "kettle", 1.7 L',
        batch="2611-A",
        department="质量部",
        handler="zhao.handler",
        closed_at=datetime(2026, 11, 13, 1, 30, tzinfo=UTC),
        state=State.CLOSED,
        valid=True,
        recomplaint=True,
        cluster=True,
        loss_amount=D("1800.50"),
        remedy_cost=D("0.01"),
        quantity=D(50),
        defective_quantity=D("4.5"),
        satisfaction=(5, 4),
        milestones={
            "first_contact": (
                datetime(2026, 11, 10, 12, tzinfo=SH),
                datetime(2026, 11, 10, 3, 15, tzinfo=UTC),
            ),
            "resolution": (datetime(2026, 11, 13, 10, tzinfo=SH), None),
            "custom_check": (None, datetime(2026, 11, 11, 9, tzinfo=timezone(timedelta(hours=-5)))),
        },
        working_hours_to_close=D("17.25"),
        quality=True,
        process_link="processing",
        countermeasures=(
            (
                "Seal ring cut by the press; 密封圈被压伤",
                "Re-set the press stop\nand train operators",
            ),
            ("", "Check every lot at the gate"),
        ),
    )


def _read_back(tmp_path, records, name="out.json"):
    path = stats.write_records(records, tmp_path / name)
    return stats.read_records(path)


# -- round trips ------------------------------------------------------------------


@pytest.mark.parametrize("sample", ["sample_complaints.csv", "sample_complaints.json"])
def test_the_samples_round_trip(tmp_path, sample):
    policy = default_policy()
    records = stats.read_records(DATA / sample, policy)
    again = _read_back(tmp_path, records)
    assert again == records
    # milestones are not part of the dataclass equality's hash but are compared
    assert [dict(r.milestones) for r in again] == [dict(r.milestones) for r in records]
    # and the same statistics come out of the written file
    for by in stats.GROUPINGS:
        assert stats.monthly_table(again, "2026-10", policy, by) == stats.monthly_table(
            records, "2026-10", policy, by
        )


def test_every_field_round_trips(tmp_path):
    full = _full()
    (again,) = _read_back(tmp_path, [full])
    assert again == full
    assert dict(again.milestones) == dict(full.milestones)
    assert again.working_hours_to_close == D("17.25")
    assert again.quality is True and again.process_link == "processing"
    assert again.countermeasures == full.countermeasures
    # instants keep their instant (written with their own offset)
    assert again.closed_at == datetime(2026, 11, 13, 9, 30, tzinfo=SH)


def test_the_json_is_the_documented_export():
    doc = json.loads(stats.records_to_json([_full(), _rec("2")]))
    full, bare = doc
    assert full["received_at"] == "2026-11-10T10:00:00+08:00"
    assert full["closed_at"] == "2026-11-13T01:30:00+00:00"
    assert (full["kind"], full["channel"], full["state"]) == ("complaint", "email", "closed")
    assert (full["loss_amount"], full["defective_quantity"]) == ("1800.50", "4.5")
    assert full["working_hours_to_close"] == "17.25"
    assert full["satisfaction"] == [5, 4]
    assert full["milestones"]["resolution"] == {"due": "2026-11-13T10:00:00+08:00", "done": None}
    assert full["countermeasures"][1] == {
        "problem": "",
        "countermeasure": "Check every lot at the gate",
    }
    assert "质量部" in stats.records_to_json([_full()])  # UTF-8, not \\u escapes
    # defaults: the new fields are optional and written as such
    assert bare["state"] == "registered" and bare["valid"] is None
    assert (bare["working_hours_to_close"], bare["quality"], bare["process_link"]) == (
        None,
        False,
        None,
    )
    assert bare["countermeasures"] == [] and bare["milestones"] == {}
    assert stats.records_to_json([]) == "[]\n"


def test_a_milestone_without_times_is_not_written(tmp_path):
    rec = _rec("1", milestones={"reply": (None, None)})
    assert json.loads(stats.records_to_json([rec]))[0]["milestones"] == {}
    (again,) = _read_back(tmp_path, [rec])
    assert dict(again.milestones) == {}


# -- the new fields when reading ---------------------------------------------------


def test_exports_without_the_new_fields_read_the_defaults():
    for r in stats.read_records(DATA / "sample_complaints.csv"):
        assert (r.working_hours_to_close, r.quality, r.process_link, r.countermeasures) == (
            None,
            False,
            None,
            (),
        )


def test_csv_reads_the_new_fields(tmp_path):
    p = tmp_path / "export.csv"
    cm = json.dumps(
        [["Loose lid", "New lid supplier"], {"problem": "Dent", "countermeasure": "Pad"}]
    )
    p.write_text(
        "number,received_at,working_hours_to_close,quality,process_link,countermeasures\n"
        f'1,2026-11-02T09:00:00+08:00,8.5,yes,transport,"{cm.replace(chr(34), chr(34) * 2)}"\n'
        "2,2026-11-02T09:00:00+08:00,,,,\n",
        encoding="utf-8",
    )
    one, two = stats.read_records(p)
    assert one.working_hours_to_close == D("8.5") and one.quality is True
    assert one.process_link == "transport"
    assert one.countermeasures == (("Loose lid", "New lid supplier"), ("Dent", "Pad"))
    assert (two.working_hours_to_close, two.quality, two.process_link) == (None, False, None)


@pytest.mark.parametrize(
    "values, field, code",
    [
        ({"process_link": "packing"}, "process_link", "value_unknown"),
        ({"quality": "sometimes"}, "quality", "flag_invalid"),
        ({"working_hours_to_close": -1}, "working_hours_to_close", "number_invalid"),
        ({"working_hours_to_close": "soon"}, "working_hours_to_close", "number_invalid"),
        ({"countermeasures": "not json"}, "countermeasures", "countermeasure_invalid"),
        ({"countermeasures": {"problem": "x"}}, "countermeasures", "countermeasure_invalid"),
        ({"countermeasures": [["only one"]]}, "countermeasures", "countermeasure_invalid"),
        (
            {"countermeasures": [{"problem": "x", "owner": "y"}]},
            "countermeasures",
            "countermeasure_invalid",
        ),
        ({"countermeasures": [[1, 2]]}, "countermeasures", "countermeasure_invalid"),
    ],
)
def test_bad_new_fields_name_the_row_and_field(tmp_path, values, field, code):
    good = {"number": "1", "received_at": "2026-11-02T09:00:00+08:00"}
    p = tmp_path / "export.json"
    p.write_text(json.dumps([good, {**good, "number": "2", **values}]), encoding="utf-8")
    with pytest.raises(InputError) as e:
        stats.read_records(p)
    assert (e.value.code, e.value.params["row"], e.value.params["field"]) == (code, 2, field)
    assert str(e.value).startswith(f"export.json: row 2, field {field}: ")


def test_records_check_their_new_fields():
    with pytest.raises(InputError) as e:
        _rec("1", process_link="packing")
    assert (e.value.code, e.value.params["field"]) == ("value_unknown", "process_link")
    with pytest.raises(InputError) as e:
        _rec("1", countermeasures=("just a text",))
    assert e.value.code == "countermeasure_invalid"
    # lists (as an ORM would give them) become tuples: records stay hashable values
    r = _rec("1", countermeasures=[["a", "b"]])
    assert r.countermeasures == (("a", "b"),) and hash(r) == hash(
        _rec("1", countermeasures=(("a", "b"),))
    )
    assert stats.PROCESS_LINKS == ("transport", "processing", "management", "other")


# -- refusals: nothing half-written ---------------------------------------------------


def test_a_record_the_reader_would_refuse_is_refused_and_nothing_written(tmp_path):
    open_but_closed = _rec("2", closed_at=datetime(2026, 11, 11, tzinfo=SH), state=State.TRIAGED)
    with pytest.raises(InputError) as e:
        stats.records_to_json([_rec("1"), open_but_closed])
    assert (e.value.code, e.value.params["row"], e.value.params["field"]) == (
        "closed_at_open",
        2,
        "closed_at",
    )
    target = tmp_path / "out.json"
    with pytest.raises(InputError):
        stats.write_records([_rec("1"), open_but_closed], target)
    assert not target.exists()
    with pytest.raises(InputError) as e:
        stats.write_records([_rec("1"), _rec("1")], target)
    assert e.value.code == "number_duplicate" and not target.exists()
    with pytest.raises(InputError) as e:
        stats.records_to_json([{"number": "1"}])
    assert e.value.code == "object_invalid"
    with pytest.raises(InputError) as e:
        stats.write_records([_rec("1")], tmp_path / "out.csv")
    assert e.value.code == "file_type_unknown"
    with pytest.raises(InputError) as e:
        stats.write_records([_rec("1")], tmp_path / "no" / "such" / "dir.json")
    assert e.value.code == "file_unwritable"
