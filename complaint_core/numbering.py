"""Complaint numbers (SPEC §1): ``YYMMDD`` + a sequence that resets every year.

The counter itself belongs to the caller (an ``ir.sequence`` in Odoo, a
database row elsewhere); the core formats, parses and says when it resets.
A sequence past the pattern's width simply widens (``999`` -> ``1000``): the
number grows one digit and stays unique, because within one reset period the
date part is fixed-width and the sequence strictly increases.
"""

from __future__ import annotations

import re
import string
from datetime import date

from .errors import InputError
from .policy import NumberingPolicy

FIELDS = {"yyyy", "yy", "mm", "dd", "seq"}


def validate_pattern(pattern: str) -> list[str]:
    """Problems with a numbering pattern (empty list: fine)."""
    problems = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as e:
        return [f"malformed pattern {pattern!r}: {e}"]
    names = [name for _, name, _, _ in parsed if name is not None]
    for name in names:
        if name not in FIELDS:
            problems.append(f"unknown field {{{name}}}; use {', '.join(sorted(FIELDS))}")
    if names.count("seq") != 1:
        problems.append("the pattern must contain {seq} exactly once")
    elif not any(name == "seq" for _, name, _, _ in parsed[-1:]) or parsed[-1][0] is None:
        pass
    for _, name, spec, _ in parsed:
        if name == "seq" and spec and not re.fullmatch(r"0?\d*d", spec):
            problems.append(f"{{seq:{spec}}}: the sequence format must be like 03d")
        if name in FIELDS - {"seq"} and spec:
            problems.append(f"{{{name}:{spec}}}: date fields take no format")
    if not problems and names and names[-1] != "seq":
        problems.append("{seq} must be the last field, so a widened sequence stays unique")
    return problems


def format_number(policy: NumberingPolicy, on: date, seq: int) -> str:
    """The number of the ``seq``-th item (1-based) registered ``on`` that day."""
    if not isinstance(seq, int) or seq < 1:
        raise InputError(
            f"sequence must be a positive whole number, got {seq!r}",
            code="sequence_invalid",
            value=str(seq),
        )
    return policy.pattern.format(
        yyyy=f"{on.year:04d}",
        yy=f"{on.year % 100:02d}",
        mm=f"{on.month:02d}",
        dd=f"{on.day:02d}",
        seq=seq,
    )


def reset_key(policy: NumberingPolicy, on: date) -> str:
    """The period a sequence counts in; a new key means the counter restarts at 1."""
    return {
        "yearly": f"{on.year:04d}",
        "monthly": f"{on.year:04d}-{on.month:02d}",
        "daily": on.isoformat(),
        "never": "all",
    }[policy.reset]


def number_regex(policy: NumberingPolicy) -> re.Pattern:
    """A regex matching numbers of this pattern, with named groups."""
    out = []
    for literal, name, spec, _ in string.Formatter().parse(policy.pattern):
        out.append(re.escape(literal))
        if name is None:
            continue
        if name == "seq":
            width = int(spec.rstrip("d").lstrip("0") or 1) if spec else 1
            out.append(rf"(?P<seq>\d{{{width},}})")
        else:
            width = 4 if name == "yyyy" else 2
            out.append(rf"(?P<{name}>\d{{{width}}})")
    return re.compile("^" + "".join(out) + "$")


def parse_number(policy: NumberingPolicy, number: str) -> tuple[date | None, int]:
    """(registration date if the pattern has one, sequence) of a number."""
    m = number_regex(policy).match(number)
    if not m:
        raise InputError(
            f"{number!r} does not match the numbering pattern {policy.pattern!r}",
            code="number_invalid",
            value=number,
        )
    g = m.groupdict()
    seq = int(g["seq"])
    if "yy" in g or "yyyy" in g:
        year = int(g["yyyy"]) if "yyyy" in g else 2000 + int(g["yy"])
        try:
            return date(year, int(g.get("mm", 1)), int(g.get("dd", 1))), seq
        except ValueError:
            raise InputError(
                f"{number!r} carries an impossible date", code="number_invalid", value=number
            ) from None
    return None, seq
