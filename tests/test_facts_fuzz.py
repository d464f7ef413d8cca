"""Fact parsing never raises anything but a typed error (a ComplaintError):
any JSON value, as the whole document or in place of any field of an otherwise
valid complaint, either parses or is refused with a ComplaintError; and the CLI
answers it with exit 0 or one line on stderr and exit 2, never a traceback."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint_core import ComplaintError, default_policy
from complaint_core.cli import main
from complaint_core.facts import FIELDS, facts_from_json
from complaint_core.policy import START_EVENTS

POLICY = default_policy()
AT = "2026-10-10T10:00:00+08:00"
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

VALID = {
    "number": "260930001",
    "kind": "complaint",
    "category": "product_quality",
    "channel": "media",
    "received_at": "2026-09-30T16:30:00+08:00",
    "customer": {"id": "c1", "vip": True, "name": "Acme"},
    "product": "P-1",
    "injury": False,
    "repeated_complaints": 1,
    "departments": ["quality", "sales"],
    "customer_loss": "1200.50",
    "prior_complaints": [
        {
            "customer_id": "c2",
            "product": "P-1",
            "category": "product_quality",
            "received_at": "2026-09-20T09:00:00+08:00",
            "number": "260920001",
        }
    ],
    "remedies": [
        {
            "type": "cash",
            "amount": "300",
            "currency": "CNY",
            "discount_percent": 5,
            "quantity": 1,
            "reason": "lost time",
            "description": "refund",
        }
    ],
    "closed_at": None,
    "paused": [["2026-10-08T10:00:00+08:00", "2026-10-08T11:00:00+08:00"]],
    "authority_deadline": "2026-10-20T18:00:00+08:00",
    "manual_level": 2,
    "events": {"triaged": "2026-09-30T17:00:00+08:00"},
    "done": {"first_contact": "2026-09-30T17:10:00+08:00"},
}

# every place a value can be put: top-level fields, then the nested ones
NESTED = (
    [("customer", k) for k in ("id", "vip", "name")]
    + [
        ("remedies", 0, k)
        for k in (
            "type",
            "amount",
            "currency",
            "discount_percent",
            "quantity",
            "reason",
            "description",
        )
    ]
    + [
        ("prior_complaints", 0, k)
        for k in ("customer_id", "product", "category", "received_at", "number")
    ]
    + [
        ("paused", 0),
        ("paused", 0, 0),
        ("paused", 0, 1),
        ("remedies", 0),
        ("prior_complaints", 0),
        ("departments", 0),
    ]
    + [("events", e) for e in START_EVENTS]
    + [("done", m.code) for m in POLICY.sla.milestones]
)
PATHS = [(f,) for f in sorted(FIELDS)] + NESTED

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.sampled_from(
        [
            10**40,
            -(10**40),
            "1e999",
            "-1e999",
            "NaN",
            "nan",
            "Infinity",
            "-0",
            "1e-999",
            1e308,
            -1e308,
            "0001-01-01T00:00:00+00:00",
            "9999-12-31T23:59:59-12:00",
            "0001-01-01T00:00:00-12:00",
            "9999-12-31T23:59:59+14:00",
            "2026-02-30T10:00:00+08:00",
            "2026-09-30T16:30:00",
            "2026-09-30",
            "1969-12-31T23:59:59+00:00",
            "2201-01-01T00:00:00+08:00",
            "2199-12-31T23:00:00+08:00",
            "",
            " ",
            "\x00",
            "product_quality",
            "complaint",
            "cash",
            "phone",
        ]
    )
)
JSON = st.recursive(
    SCALARS,
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    max_leaves=12,
)


def put(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return doc


def parse(doc):
    try:
        return facts_from_json(doc, POLICY)
    except ComplaintError:
        return None


def test_the_valid_complaint_parses():
    facts = facts_from_json(copy.deepcopy(VALID), POLICY)
    assert facts.complaint.customer_loss == 1200.5 and facts.events and facts.done


@FUZZ
@given(JSON)
def test_any_document(doc):
    parse(doc)


@FUZZ
@given(st.sampled_from(PATHS), JSON)
def test_any_value_in_any_field(path, value):
    parse(put(copy.deepcopy(VALID), path, value))


@pytest.mark.parametrize(
    "path, value, code",
    [
        (("category",), ["x"], "type_invalid"),
        (("category",), {"a": 1}, "type_invalid"),
        (("customer",), "c1", "object_invalid"),
        (("remedies", 0, "amount"), {"a": 1}, "number_invalid"),
        (("events", "triaged"), 5, "datetime_invalid"),
        (("customer_loss",), 10**40, "number_out_of_range"),
        (("customer_loss",), "1e999", "number_out_of_range"),
        (("customer_loss",), 10**5000, "number_invalid"),
        (("customer_loss",), "NaN", "number_invalid"),
        (("received_at",), "0001-01-01T00:00:00+00:00", "datetime_out_of_range"),
        (("received_at",), "9999-12-31T23:59:59-12:00", "datetime_out_of_range"),
        (("closed_at",), "1969-12-31T23:59:59+00:00", "datetime_out_of_range"),
        (
            ("prior_complaints", 0, "received_at"),
            "2201-01-01T00:00:00+08:00",
            "datetime_out_of_range",
        ),
        (("product",), ["P-1"], "type_invalid"),
        (("kind",), ["complaint"], "value_unknown"),
        (("departments", 0), {"x": 1}, "type_invalid"),
    ],
    ids=lambda v: str(v)[:30] if not isinstance(v, int) else f"int{len(f'{v:x}')}",
)
def test_known_hostile_values_are_typed_errors(path, value, code):
    with pytest.raises(ComplaintError) as exc:
        facts_from_json(put(copy.deepcopy(VALID), path, value), POLICY)
    assert exc.value.code == code
    assert exc.value.params.get("field", "").startswith("complaint.")


def test_out_of_range_dates_name_field_and_value():
    doc = put(copy.deepcopy(VALID), ("received_at",), "9999-12-31T23:59:59-12:00")
    with pytest.raises(ComplaintError) as exc:
        facts_from_json(doc, POLICY)
    assert exc.value.params["field"] == "complaint.received_at"
    assert exc.value.params["value"].startswith("9999-12-31")
    assert "1970-2200" in str(exc.value)


# -- the same through the CLI -------------------------------------------------------


def run_cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def assert_clean(code, out, err, is_json=True):
    assert code in (0, 2), (code, err)
    assert "Traceback" not in out + err
    if code == 0:
        assert err == ""
        assert json.loads(out) is not None if is_json else out.count("\n") == 1
    else:
        assert out == "" and err.count("\n") == 1 and err.startswith("complaints: "), err


@pytest.fixture(scope="module")
def doc_file(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "complaint.json"


def assess(doc_file, doc):
    doc_file.write_text(json.dumps(doc), encoding="utf-8")
    return run_cli("assess", str(doc_file), "--at", AT)


def test_cli_known_failing_input_is_one_line(doc_file):
    code, out, err = assess(
        doc_file, {"received_at": "2026-09-30T16:30:00+08:00", "category": ["x"]}
    )
    assert_clean(code, out, err)
    assert code == 2 and "complaint.category" in err


def test_cli_extreme_but_valid_values_assess(doc_file):
    doc = put(copy.deepcopy(VALID), ("customer_loss",), "999999999999999")
    doc["received_at"] = "2099-12-31T23:59:59+08:00"
    doc["prior_complaints"][0]["received_at"] = "2099-12-01T00:00:00+08:00"
    doc["paused"] = []
    del doc["events"], doc["done"]
    code, out, err = assess(doc_file, doc)
    assert_clean(code, out, err)


@FUZZ
@given(JSON)
def test_cli_any_document(doc_file, doc):
    assert_clean(*assess(doc_file, doc))


@FUZZ
@given(st.sampled_from(PATHS), JSON)
def test_cli_any_value_in_any_field(doc_file, path, value):
    assert_clean(*assess(doc_file, put(copy.deepcopy(VALID), path, value)))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "[" * 100_000,
        "1" * 5000,
        "\udcff",
        '{"received_at": NaN}',
        "[1, 2",
        "null",
        '{"received_at": "2026-09-30T16:30:00+08:00", "customer_loss": Infinity}',
    ],
    ids=lambda v: repr(v[:20]),
)
def test_cli_hostile_json_text(doc_file, text):
    doc_file.write_text(text, encoding="utf-8", errors="surrogateescape")
    assert_clean(*run_cli("assess", str(doc_file), "--at", AT))


def test_cli_file_not_utf8(doc_file):
    doc_file.write_bytes(b'{"received_at": "\xff"}')
    code, out, err = run_cli("assess", str(doc_file), "--at", AT)
    assert_clean(code, out, err)
    assert code == 2


HOSTILE_TEXT = st.text() | st.sampled_from(
    [
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59-12:00",
        "9999-12-31T23:59:59+14:00",
        "2026-09-30T16:30:00",
        "1e999",
        "NaN",
        "99999999999999999999wd",
        "1e3wh",
        "-1wh",
        "2wk",
        "99999999d",
        "3wd",
        "2wh",
        "0.5wh",
        "2026-09-30T16:30:00+08:00",
        "\x00",
        "--help",
    ]
)


@FUZZ
@given(HOSTILE_TEXT, HOSTILE_TEXT)
def test_cli_deadline_with_hostile_start_and_duration(start, duration):
    # "--" so a text starting with "-" is an argument, as a user would write it
    assert_clean(*run_cli("deadline", "--", start, duration), is_json=False)


@FUZZ
@given(HOSTILE_TEXT)
def test_cli_assess_with_hostile_at(doc_file, at):
    doc_file.write_text(json.dumps(VALID), encoding="utf-8")
    assert_clean(*run_cli("assess", str(doc_file), "--at", at))


def test_floats_in_the_strategy_are_finite():
    assert not any(math.isnan(x) for x in (0.0, 1e308))
