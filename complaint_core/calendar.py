"""The business calendar (SPEC §3): working hours, holidays, make-up working
days, and time limits counted on them.

What this module promises (the conventions the rest of the core relies on):

* **Working time** is the weekly hours of `CalendarSpec.hours` (local wall
  clock in ``spec.timezone``) on working days. A day is a working day unless
  it is a holiday; precedence, first match wins: ``extra_holidays`` (company
  closing days) → ``extra_workdays`` (company working days) → the holiday
  library's public holidays for ``spec.holidays`` → its make-up working days
  (调休, ``weekend_workdays``) → the weekly table.
* **Make-up hours**: a make-up or company working day whose weekday has no
  hours in the weekly table works the most common weekday hours of the table
  (ties: the earliest weekday, so Monday's hours in the default policy).
* **Inside working time**: a moment *is working time* (`is_working_time`,
  `next_working_moment`) when it lies in a span ``[start, end)``: at 12:00 or
  18:00 the clock no longer runs. A *deadline* may land on the end of a span
  (2 working hours from 16:00 are due at 18:00, not at 09:00 the next day):
  for deadlines a span counts as ``[start, end]``.
* ``wh``: working time counted exactly (to the microsecond, minute by minute
  in SPEC's words); a zero limit is due at the start itself.
* ``wd``: a start outside working time first moves to the next working moment
  S; the deadline is S's local time of day on the N-th working day after S's
  day; when that day has no working time at that hour (in the ``[start, end]``
  sense) it is the next working moment after that time. ``0wd`` is S.
* ``h`` and ``d``: real elapsed time, computed in UTC, so across a DST change
  ``24h`` is 24 real hours, and **1d = 24 real hours** (not "same wall time
  tomorrow"): the simplest reading that stays consistent with ``h``.
* **Pausing** (SPEC §3 "resumes where it stopped"): a limit's measure is
  working time for ``wh``/``wd`` and clock time for ``h``/``d``. The measure
  of the whole limit (`limit_minutes`) is fixed by the start; paused time
  never counts, and after a pause the remaining part runs on from the pause's
  end in that measure (for ``wh`` this is "the paused working minutes are
  added on"). A pause that covers no working time before the deadline (a
  night, a weekend) does not move a ``wh``/``wd`` deadline. Therefore
  ``limit_minutes(s, d, p) == elapsed(s, add(s, d, p), d.unit, p)``.
* Results keep the start's ``tzinfo`` (``+08:00`` in, ``+08:00`` out).
* DST: wall-clock hours stay wall-clock hours on a day with a DST change;
  a span that crosses the change is as long as the real time it covers. A
  ``wd`` time of day that does not exist that day (in the spring gap) moves
  to the next working moment.

How: per year (lazily, cached) the working spans of every day become UTC
microsecond intervals with a running total of working time before each, so
``add`` and ``working_minutes_between`` are two binary searches (the shape of
Odoo's ``resource`` interval algebra, written for this calendar).
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import CalendarError, InputError
from .model import Duration, Unit, require_aware
from .policy import CalendarSpec, Policy

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ONE_US = timedelta(microseconds=1)
_US_PER_MINUTE = 60_000_000
_US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 86_400_000_000
_WH, _WD = Unit.WORKING_HOURS, Unit.WORKING_DAYS
_WORKING_UNITS = (_WH, _WD)

Span = tuple[int, int]  # minutes after local midnight, [start, end)


# -- instants as integers --------------------------------------------------------


def _to_us(t: datetime, what: str = "datetime") -> int:
    """An aware datetime as UTC microseconds since 1970 (exact integers)."""
    try:
        return (t - _EPOCH) // _ONE_US
    except TypeError:  # naive, or not a datetime
        require_aware(t, what)
        raise


def _from_us(us: int, tzinfo) -> datetime:
    return (_EPOCH + timedelta(microseconds=us)).astimezone(tzinfo)


def _shift(start: datetime, t: int, r: int) -> datetime:
    """Instant ``r`` in start's tzinfo (``t`` is start in microseconds).

    With a fixed offset (UTC, ``+08:00``: what the addon and the CLI pass)
    adding to the wall clock is exact and much cheaper than a conversion; a
    zone with DST (wall times that do not exist or occur twice) is converted."""
    if type(start.tzinfo) is timezone:
        return start + timedelta(microseconds=r - t)
    return _from_us(r, start.tzinfo)


class _Beyond(Exception):
    """The index does not cover what an operation needs: grow it and retry.

    ``at`` is an instant (UTC microseconds) to cover; ``None`` asks for one
    more year at the end."""

    def __init__(self, at: int | None = None):
        self.at = at


class _Index:
    """The working intervals of the years ``y0..y1``, immutable once built.

    Interval ``i`` is ``[st[i], en[i])`` in UTC microseconds; ``cum[i]`` is the
    working time before it (from the start of ``y0``) and ``ce[i]`` the working
    time at its end; ``wall[i]`` its local wall time after midnight; ``day[i]``
    the position of its day in ``days`` (ordinals of the working days);
    ``first[k]`` the first interval of working day ``k`` (one sentinel more).
    ``lo``/``hi``: the local midnights that bound the covered years.
    """

    __slots__ = ("y0", "y1", "lo", "hi", "st", "en", "cum", "ce", "wall", "day", "days", "first")

    def __init__(self, y0, y1, lo, hi, year_days):
        # an empty index (no years) has lo > hi: it covers no instant at all
        self.y0, self.y1, self.lo, self.hi = y0, y1, lo, hi
        st, en, cum, ce, wall, day, days, first = [], [], [], [], [], [], [], []
        total = 0
        for y in range(y0, y1 + 1) if y0 is not None else ():
            for ordinal, pieces in year_days[y]:
                k = len(days)
                days.append(ordinal)
                first.append(len(st))
                for a, b, w in pieces:
                    st.append(a)
                    en.append(b)
                    cum.append(total)
                    total += b - a
                    ce.append(total)
                    wall.append(w)
                    day.append(k)
        first.append(len(st))
        self.st, self.en, self.cum, self.ce = st, en, cum, ce
        self.wall, self.day, self.days, self.first = wall, day, days, first

    # Every operation below works on one index and raises _Beyond when it
    # runs off its ends; BusinessCalendar._run grows the index and retries.

    def worked(self, t: int) -> int:
        """Working time from the start of the index to ``t``."""
        if t < self.lo or t > self.hi:
            raise _Beyond(t)
        i = bisect_right(self.st, t) - 1
        if i < 0:
            return 0
        e = self.en[i]
        return self.cum[i] + (e if t > e else t) - self.st[i]

    def add_work(self, t: int, amount: int) -> int:
        """The earliest instant with ``amount`` (> 0) working time after ``t``."""
        if t < self.lo or t > self.hi:  # worked(t), inlined: this is the hot path
            raise _Beyond(t)
        i = bisect_right(self.st, t) - 1
        if i < 0:
            target = amount
        else:
            e = self.en[i]
            target = self.cum[i] + (e if t > e else t) - self.st[i] + amount
        i = bisect_left(self.ce, target)
        if i == len(self.ce):
            raise _Beyond()
        return self.st[i] + target - self.cum[i]

    def next_working(self, t: int) -> tuple[int, int]:
        """``(moment, interval)``: ``t`` itself when it is working time, else
        the start of the next working interval."""
        if t < self.lo or t >= self.hi:
            raise _Beyond(t)
        i = bisect_right(self.st, t) - 1
        if i >= 0 and t < self.en[i]:
            return t, i
        i += 1
        if i == len(self.st):
            raise _Beyond()
        return self.st[i], i

    def add_days(self, t: int, n: int) -> int:
        """SPEC §3 ``wd``: S's wall time of day on the n-th working day after
        S's day, or the next working moment after it."""
        st, en, wall, first = self.st, self.en, self.wall, self.first
        if t < self.lo or t >= self.hi:  # next_working(t), inlined: the hot path
            raise _Beyond(t)
        i = bisect_right(st, t) - 1
        if i >= 0 and t < en[i]:
            s = t
        else:
            i += 1
            if i == len(st):
                raise _Beyond()
            s = st[i]
        if n == 0:
            return s
        hour = wall[i] + s - st[i]
        k = self.day[i] + n
        if k >= len(self.days):
            raise _Beyond()
        j1 = first[k + 1]
        for j in range(first[k], j1):
            w = wall[j]
            if hour <= w + en[j] - st[j]:
                return st[j] + (hour - w if hour > w else 0)
        if j1 == len(st):
            raise _Beyond()
        return st[j1]

    def measure(self, a: int, b: int, working: bool) -> int:
        return self.worked(b) - self.worked(a) if working else b - a


# -- the calendar -----------------------------------------------------------------

_PARSED: dict = {}  # duration (text or Duration) -> (unit, quantity)
_SEEN: dict = {}  # id(duration) -> (duration, (unit, quantity)): skips hashing Durations


def _parse(duration) -> tuple[Unit, int]:
    """``(unit, quantity)``: microseconds for wh/h/d, a day count for wd."""
    seen = _SEEN.get(id(duration))
    if seen is not None and seen[0] is duration:
        return seen[1]
    try:
        parsed = _PARSED[duration]
    except (KeyError, TypeError):
        parsed = _parse_new(duration)
    if len(_SEEN) > 4096:
        _SEEN.clear()
    _SEEN[id(duration)] = (duration, parsed)  # keeps it alive, so its id stays its own
    return parsed


def _parse_new(duration) -> tuple[Unit, int]:
    d = Duration.parse(duration)
    if d.unit is Unit.WORKING_DAYS:
        q = int(d.amount)
    else:
        per = _US_PER_DAY if d.unit is Unit.DAYS else _US_PER_HOUR
        q = int((d.amount * per).to_integral_value())
    if len(_PARSED) > 4096:
        _PARSED.clear()
    try:
        _PARSED[duration] = (d.unit, q)
    except TypeError:
        pass
    return d.unit, q


def _makeup_hours(weekly: dict[int, tuple[Span, ...]]) -> tuple[Span, ...]:
    """The hours of a working day that has none in the weekly table: the most
    common weekday hours, the earliest weekday on a tie."""
    counts: dict[tuple[Span, ...], int] = {}
    for spans in weekly.values():
        if spans:
            counts[spans] = counts.get(spans, 0) + 1
    best: tuple[Span, ...] = ()
    for wd in range(7):
        spans = weekly[wd]
        if spans and counts[spans] > counts.get(best, 0):
            best = spans
    return best


_CACHE: dict[int, tuple[weakref.ref, BusinessCalendar]] = {}


class BusinessCalendar:
    """SPEC §3 business calendar of one `CalendarSpec` (see the module doc)."""

    def __init__(self, spec: CalendarSpec):
        self.spec = spec
        try:
            self.tz = ZoneInfo(spec.timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise CalendarError(
                f"unknown time zone {spec.timezone!r}",
                code="calendar_timezone_unknown",
                timezone=str(spec.timezone),
            ) from None
        self._weekly = {wd: tuple(tuple(s) for s in spec.hours.get(wd, ())) for wd in range(7)}
        if not any(self._weekly.values()):
            raise CalendarError(
                "the calendar has no working time on any weekday", code="calendar_no_working_time"
            )
        self._makeup = _makeup_hours(self._weekly)
        self._extra_off = frozenset(spec.extra_holidays)
        self._extra_on = frozenset(spec.extra_workdays)
        self._country = None
        self.first_year, self.last_year = 2, 9997  # keeps every UTC conversion in range
        if spec.holidays:
            import holidays

            try:
                self._country = holidays.country_holidays(spec.holidays).__class__
            except NotImplementedError:
                raise CalendarError(
                    f"unknown holiday country {spec.holidays!r}",
                    code="calendar_holidays_unknown",
                    country=spec.holidays,
                ) from None
            self.first_year = max(self.first_year, self._country.start_year)
            self.last_year = min(self.last_year, self._country.end_year)
        self._lock = threading.RLock()
        self._rules: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
        self._year_days: dict[int, list] = {}
        self._ix = _Index(None, None, 1, 0, {})

    @classmethod
    def from_policy(cls, policy: Policy) -> BusinessCalendar:
        """The calendar of ``policy.calendar``, built once per policy object
        (a Policy holds dicts, so it is cached by identity while it lives)."""
        key = id(policy)
        hit = _CACHE.get(key)
        if hit is not None and hit[0]() is policy:
            return hit[1]
        cal = cls(policy.calendar)
        _CACHE[key] = (weakref.ref(policy, lambda _r, k=key: _CACHE.pop(k, None)), cal)
        return cal

    # -- days -------------------------------------------------------------------

    def _check_year(self, year: int) -> None:
        if not self.first_year <= year <= self.last_year:
            raise CalendarError(
                f"the calendar covers the years {self.first_year}–{self.last_year}, not {year}",
                code="calendar_year_out_of_range",
                year=year,
                first=self.first_year,
                last=self.last_year,
            )

    def _year_rules(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """(public holidays, make-up working days) of ``year`` from the library."""
        rules = self._rules.get(year)
        if rules is None:
            self._check_year(year)
            if self._country is None:
                rules = (frozenset(), frozenset())
            else:
                lib = self._country(years=year)
                makeup = getattr(lib, "weekend_workdays", ()) or ()
                rules = (
                    frozenset(d for d in lib if d.year == year),
                    frozenset(d for d in makeup if d.year == year),
                )
            self._rules[year] = rules
        return rules

    def hours_on(self, d: date) -> tuple[Span, ...]:
        """The working spans of local date ``d`` (minutes after midnight)."""
        if d in self._extra_off:
            return ()
        weekly = self._weekly[d.weekday()]
        if d in self._extra_on:
            return weekly or self._makeup
        closed, makeup = self._year_rules(d.year)
        if d in closed:
            return ()
        if d in makeup:
            return weekly or self._makeup
        return weekly

    def is_working_day(self, d: date) -> bool:
        """Whether local date ``d`` has working time (an aware datetime is
        taken at its local date in the calendar's zone)."""
        if isinstance(d, datetime):
            d = require_aware(d, "day").astimezone(self.tz).date()
        return bool(self.hours_on(d))

    # -- the index ----------------------------------------------------------------

    def _local_midnight(self, d: date) -> int:
        return _to_us(datetime.combine(d, time(), self.tz))

    def _offset(self, us: int) -> int:
        return _from_us(us, self.tz).utcoffset() // _ONE_US

    def _pieces(self, d: date, spans) -> list[tuple[int, int, int]]:
        """A day's spans as UTC intervals ``(start, end, wall)``, split where
        the UTC offset changes so that wall time is linear in each piece."""
        out: list[tuple[int, int, int]] = []
        naive_midnight = (d.toordinal() - _EPOCH_ORDINAL) * _US_PER_DAY
        base = datetime.combine(d, time(), self.tz)
        prev_end = None
        for a, b in spans:
            ua = _to_us(base + timedelta(minutes=a))  # wall-clock arithmetic, fold=0
            ub = _to_us(base + timedelta(minutes=b))
            if prev_end is not None and ua < prev_end:
                ua = prev_end
            p = ua
            while p < ub:
                off = self._offset(p)
                q = ub
                if self._offset(ub - 1) != off:  # a DST change inside: find it
                    lo, hi = p, ub - 1  # offset(lo) == off != offset(hi)
                    while hi - lo > 1:
                        mid = (lo + hi) // 2
                        if self._offset(mid) == off:
                            lo = mid
                        else:
                            hi = mid
                    q = hi
                out.append((p, q, p + off - naive_midnight))
                p = q
            prev_end = max(ub, ua)
        return out

    def _days_of(self, year: int) -> list:
        days = self._year_days.get(year)
        if days is None:
            days = []
            for ordinal in range(date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()):
                d = date.fromordinal(ordinal)
                spans = self.hours_on(d)
                if spans:
                    pieces = self._pieces(d, spans)
                    if pieces:
                        days.append((ordinal, pieces))
            self._year_days[year] = days
        return days

    def _build(self, y0: int, y1: int) -> _Index:
        self._check_year(y0)
        self._check_year(y1)
        for y in range(y0, y1 + 1):
            self._days_of(y)
        return _Index(
            y0,
            y1,
            self._local_midnight(date(y0, 1, 1)),
            self._local_midnight(date(y1 + 1, 1, 1)),
            self._year_days,
        )

    def _grow(self, seen: _Index | None, need: _Beyond) -> _Index:
        with self._lock:
            ix = self._ix
            if ix is not seen:
                return ix  # another thread grew it meanwhile; retry on that one
            if need.at is not None:
                try:
                    year = _from_us(need.at, self.tz).year
                except OverflowError:
                    year = 10_000 if need.at > 0 else 0
                y0, y1 = (year, year) if ix.y0 is None else (min(ix.y0, year), max(ix.y1, year))
            else:
                y0, y1 = ix.y0, ix.y1 + 1
            ix = self._ix = self._build(y0, y1)
            return ix

    def _run(self, op, *args):
        """Run ``op(index, *args)``, growing the index until it covers the answer."""
        ix = self._ix
        while True:
            try:
                return op(ix, *args)
            except _Beyond as need:
                ix = self._grow(ix, need)

    # -- moments --------------------------------------------------------------------

    def is_working_time(self, t: datetime) -> bool:
        """Whether the clock runs at ``t`` (spans are ``[start, end)``)."""
        us = _to_us(t, "t")
        return self._run(_Index.next_working, us)[0] == us

    def next_working_moment(self, t: datetime) -> datetime:
        """``t`` when it is working time, else the start of the next span."""
        us = _to_us(t, "t")
        return _from_us(self._run(_Index.next_working, us)[0], t.tzinfo)

    def working_minutes_between(self, a: datetime, b: datetime) -> float:
        """Working time from ``a`` to ``b`` in minutes (negative when b < a)."""
        ua, ub = _to_us(a, "a"), _to_us(b, "b")
        return self._run(_between, ua, ub) / _US_PER_MINUTE

    # -- limits ----------------------------------------------------------------------

    def add(
        self,
        start: datetime,
        duration: Duration | str,
        paused: Iterable[tuple[datetime, datetime]] = (),
    ) -> datetime:
        """The due time of ``duration`` from ``start`` (SPEC §3), in start's tzinfo."""
        # The hot path of the SLA cron: one conversion in, two binary searches,
        # one conversion out; the index grows (in _run) only when it must.
        seen = _SEEN.get(id(duration))
        unit, q = seen[1] if seen is not None and seen[0] is duration else _parse(duration)
        try:
            t = (start - _EPOCH) // _ONE_US
        except TypeError:
            t = _to_us(start, "start")
        if paused:
            pauses = _pauses(paused)
            if pauses:
                return _shift(start, t, self._run(_add_paused, t, unit, q, pauses))
        try:
            if unit is _WH:
                r = self._ix.add_work(t, q) if q else t
            elif unit is _WD:
                r = self._ix.add_days(t, q)
            else:
                r = t + q
        except _Beyond:
            r = self._run(_Index.add_work if unit is _WH else _Index.add_days, t, q)
        return _shift(start, t, r)

    def add_working_minutes(self, start: datetime, minutes) -> datetime:
        """``start`` plus ``minutes`` of working time (the ``wh`` rule)."""
        q = _amount_us(minutes, _US_PER_MINUTE, "minutes")
        t = _to_us(start, "start")
        return _shift(start, t, self._run(_Index.add_work, t, q) if q else t)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """``start`` plus ``days`` working days (the ``wd`` rule)."""
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise InputError(
                f"working days must be a whole number of at least 0, got {days!r}",
                code="duration_invalid",
                value=repr(days),
            )
        t = _to_us(start, "start")
        return _shift(start, t, self._run(_Index.add_days, t, days))

    def elapsed(
        self,
        start: datetime,
        now: datetime,
        unit: Unit | str,
        paused: Iterable[tuple[datetime, datetime]] = (),
    ) -> float:
        """How much of a limit in ``unit`` is used at ``now``, in minutes of the
        unit's measure (working for wh/wd, clock for h/d); pauses do not count."""
        unit = _unit(unit)
        a, b = _to_us(start, "start"), _to_us(now, "now")
        pauses = _pauses(paused)
        if b <= a:
            return 0.0
        return self._run(_used, a, b, unit in _WORKING_UNITS, pauses) / _US_PER_MINUTE

    def limit_minutes(
        self,
        start: datetime,
        duration: Duration | str,
        paused: Iterable[tuple[datetime, datetime]] = (),
    ) -> float:
        """The length of the whole limit in its measure; equal to
        ``elapsed(start, add(start, duration, paused), unit, paused)``."""
        unit, q = _parse(duration)
        t = _to_us(start, "start")
        _pauses(paused)  # validated; pauses move the due time, not the limit's length
        return self._run(_limit, t, unit, q) / _US_PER_MINUTE


# -- operations over an index (module functions so _run can retry them) ---------


def _between(ix: _Index, a: int, b: int) -> int:
    return ix.worked(b) - ix.worked(a)


def _limit(ix: _Index, t: int, unit: Unit, q: int) -> int:
    if unit is Unit.WORKING_DAYS:
        return ix.worked(ix.add_days(t, q)) - ix.worked(t)
    return q


def _used(ix: _Index, a: int, b: int, working: bool, pauses) -> int:
    used = ix.measure(a, b, working)
    for f, to in pauses:
        f, to = max(f, a), min(to, b)
        if f < to:
            used -= ix.measure(f, to, working)
    return used


def _add_paused(ix: _Index, t: int, unit: Unit, q: int, pauses) -> int:
    """The due time with pauses: the clock stops in each pause that covers
    measured time before the due time, and the rest runs on from its end."""
    working = unit in _WORKING_UNITS
    if unit is Unit.WORKING_DAYS:
        due = ix.add_days(t, q)
        limit = ix.worked(due) - ix.worked(t)
    elif unit is Unit.WORKING_HOURS:
        due = ix.add_work(t, q) if q else t
        limit = q
    else:
        due, limit = t + q, q
    cur, used = t, 0
    for f, to in pauses:
        if to <= t:
            continue
        f = max(f, t)
        if f >= due:
            break
        if working:
            at_f = ix.worked(f)
            if ix.worked(min(to, due)) == at_f:
                continue  # the pause holds no working time before the due time
            used += at_f - ix.worked(cur)
            cur = to
            due = ix.add_work(cur, limit - used)
        else:
            used += f - cur
            cur = to
            due = cur + limit - used
    return due


def _pauses(paused) -> list[tuple[int, int]]:
    """Pauses as sorted, merged ``(from, to)`` microsecond pairs."""
    spans = []
    for pair in paused or ():
        try:
            f, to = pair
        except (TypeError, ValueError):
            raise InputError(
                f"a pause is a (from, to) pair, got {pair!r}",
                code="pause_invalid",
                value=repr(pair),
            ) from None
        uf, ut = _to_us(f, "paused from"), _to_us(to, "paused to")
        if ut < uf:
            raise InputError(
                f"pause ends before it starts: {f.isoformat()} .. {to.isoformat()}",
                code="pause_invalid",
                value=f"{f.isoformat()}..{to.isoformat()}",
            )
        if ut > uf:
            spans.append((uf, ut))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for f, to in spans:
        if merged and f <= merged[-1][1]:
            if to > merged[-1][1]:
                merged[-1] = (merged[-1][0], to)
        else:
            merged.append((f, to))
    return merged


def _unit(unit) -> Unit:
    try:
        return Unit(unit)
    except ValueError:
        raise InputError(
            f"unknown unit {unit!r}; use wh, wd, h or d", code="unit_invalid", value=str(unit)
        ) from None


def _amount_us(amount, per: int, what: str) -> int:
    if isinstance(amount, bool):
        amount = None
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value < 0:
        raise InputError(
            f"{what} must be a number of at least 0, got {amount!r}",
            code="duration_invalid",
            value=repr(amount),
        )
    return int((value * per).to_integral_value())
