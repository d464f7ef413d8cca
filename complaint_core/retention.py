"""Retention of closed complaints (SPEC §6): how long they are kept, when they
are due for archiving, and anonymising their personal data.

Decisions of this module:

* The retention period counts from the *closing date in the policy's time zone*
  (``policy.calendar.timezone``): a complaint closed at 23:30 in Shanghai was
  closed that Shanghai day, whatever the offset of ``closed_at``.
* ``retention_until`` is the last day the record must still be kept: the
  closing date plus ``retention.years`` (``important_years`` for important
  complaints); 29 February becomes 28 February in a year without it.
* A record is due for archiving from the day *after* ``retention_until`` (in
  the policy's time zone), so it is always kept *at least* the full period.
* Anonymising keeps every statistics field and blanks the personal ones
  (SPEC §6 "keeping the statistics"); it returns a new mapping and never
  deletes a key, so a record keeps its shape.
* Which free-text fields hold personal data besides the contact details is
  the policy's choice (``retention.personal_fields``); a field the statistics
  read (a `ComplaintRecord` field) is never one of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields as dataclass_fields
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from .model import require_aware
from .policy import Policy

PERSONAL_FIELDS = ("name", "contact", "phone", "email", "address")


@cache
def statistics_fields() -> frozenset[str]:
    """The fields the statistics read (`ComplaintRecord`): anonymising keeps them."""
    from .stats.figures import ComplaintRecord  # the statistics import the policy

    return frozenset(f.name for f in dataclass_fields(ComplaintRecord))


def personal_fields(policy: Policy) -> tuple[str, ...]:
    """Everything anonymisation blanks: the contact details and the free-text
    fields the policy names."""
    extra = tuple(f for f in policy.retention.personal_fields if f not in PERSONAL_FIELDS)
    return PERSONAL_FIELDS + extra


def _local_date(t: datetime, policy: Policy) -> date:
    return t.astimezone(ZoneInfo(policy.calendar.timezone)).date()


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a year without it
        return d.replace(year=d.year + years, day=28)


def retention_until(closed_at: datetime, important: bool, policy: Policy) -> date:
    """The last day a complaint closed at ``closed_at`` must be kept."""
    require_aware(closed_at, "closed_at")
    years = policy.retention.important_years if important else policy.retention.years
    return _add_years(_local_date(closed_at, policy), years)


def is_due_for_archiving(
    closed_at: datetime, important: bool, now: datetime, policy: Policy
) -> bool:
    """True once the retention period has fully run out at ``now``."""
    require_aware(now, "now")
    return _local_date(now, policy) > retention_until(closed_at, important, policy)


def anonymise(record: Mapping, fields: Iterable[str] = PERSONAL_FIELDS) -> dict:
    """A copy of ``record`` with the personal ``fields`` blanked (``""``), also
    inside nested mappings (e.g. a ``customer`` sub-record); all other fields,
    the statistics, are kept unchanged."""
    personal = frozenset(fields)

    def scrub(value: Mapping) -> dict:
        out = {}
        for key, v in value.items():
            if key in personal:
                out[key] = ""
            elif isinstance(v, Mapping):
                out[key] = scrub(v)
            else:
                out[key] = v
        return out

    return scrub(record)
