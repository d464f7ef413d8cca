"""Benchmark of the business calendar (SPEC §3): deadlines per second.

100,000 seeded random deadlines over the two-year China calendar 2026–2027
(the default policy: Asia/Shanghai, 09:00–12:00 and 13:00–18:00, public
holidays and make-up working days), for working hours (``wh``) and working
days (``wd``). Ours (`complaint_core.calendar.BusinessCalendar`) against a
straightforward baseline written here: minute stepping over the same
`CalendarSpec` semantics, run on a subsample and extrapolated per case.
The baseline also checks ours: on the subsample both must agree exactly.

Run: ``python bench/bench_calendar.py`` (exit status 1 when a target is missed
or the answers differ). Targets: >= 100,000 deadlines/s and >= 20x the
baseline, for both units.
"""

from __future__ import annotations

import argparse
import random
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from complaint_core.calendar import BusinessCalendar
from complaint_core.model import Duration
from complaint_core.policy import CalendarSpec, default_policy

TARGET_RATE = 100_000
TARGET_RATIO = 20


class MinuteStepCalendar:
    """The baseline: SPEC §3 taken literally, one minute at a time."""

    def __init__(self, spec: CalendarSpec):
        self.spec = spec
        self.tz = ZoneInfo(spec.timezone)
        tables = [tuple(spec.hours.get(i, ())) for i in range(7)]
        # make-up days work the most common weekday hours (earliest weekday on a tie)
        self.usual = max(
            (h for h in tables if h), key=lambda h: (tables.count(h), -tables.index(h))
        )
        self.lib: dict[int, tuple[frozenset, frozenset]] = {}

    def hours(self, d: date):
        s = self.spec
        weekly = tuple(s.hours.get(d.weekday(), ()))
        if d in s.extra_holidays:
            return ()
        if d in s.extra_workdays:
            return weekly or self.usual
        if s.holidays:
            if d.year not in self.lib:
                lib = holidays.country_holidays(s.holidays, years=d.year)
                self.lib[d.year] = (
                    frozenset(lib),
                    frozenset(x for x in lib.weekend_workdays if x.year == d.year),
                )
            off, makeup = self.lib[d.year]
            if d in off:
                return ()
            if d in makeup:
                return weekly or self.usual
        return weekly

    def working(self, t: datetime) -> bool:
        local = t.astimezone(self.tz)
        m = local.hour * 60 + local.minute
        return any(a <= m < b for a, b in self.hours(local.date()))

    def add_wh(self, start: datetime, minutes: int) -> datetime:
        t, left = start, minutes
        while left:
            if self.working(t):
                left -= 1
            t += timedelta(minutes=1)
        return t.astimezone(start.tzinfo)

    def add_wd(self, start: datetime, days: int) -> datetime:
        t = start
        while not self.working(t):
            t += timedelta(minutes=1)
        local = t.astimezone(self.tz)
        day, hour = local.date(), local.hour * 60 + local.minute
        for _ in range(days):
            day += timedelta(days=1)
            while not self.hours(day):
                day += timedelta(days=1)
        x = datetime.combine(day, time(hour // 60, hour % 60), self.tz)
        if not any(a <= hour <= b for a, b in self.hours(day)):
            while not self.working(x):
                x += timedelta(minutes=1)
        return x.astimezone(start.tzinfo)

    def add(self, start: datetime, d: Duration) -> datetime:
        if d.unit.value == "wh":
            return self.add_wh(start, int(d.amount * 60))
        return self.add_wd(start, int(d.amount))


def cases(n: int, unit: str, seed: int) -> list[tuple[datetime, Duration]]:
    """Minute-aligned starts over 2026-01-01 .. 2027-11-30 (so every deadline
    stays in the two years), offsets as callers send them (+08:00 and UTC)."""
    rng = random.Random(seed)
    tz = ZoneInfo("Asia/Shanghai")
    base = datetime(2026, 1, 1, tzinfo=tz)
    span = (datetime(2027, 12, 1, tzinfo=tz) - base) // timedelta(minutes=1)
    amounts = [1, 2, 3, 4, 8, 16, 24, 40] if unit == "wh" else [1, 2, 3, 5, 7, 10]
    durations = [Duration.parse(f"{a}{unit}") for a in amounts]
    zones = [tz, UTC]
    out = []
    for _ in range(n):
        start = (base + timedelta(minutes=rng.randrange(span))).astimezone(rng.choice(zones))
        out.append((start, rng.choice(durations)))
    return out


def rate(fn, items, rounds: int = 1) -> tuple[float, list]:
    """Cases per second, the best of ``rounds`` (other work on the machine only
    ever slows a round down), and the answers."""
    best = 0.0
    for _ in range(rounds):
        t0 = clock.perf_counter()
        results = [fn(s, d) for s, d in items]
        best = max(best, len(items) / (clock.perf_counter() - t0))
    return best, results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=100_000, help="deadlines per unit (ours)")
    ap.add_argument(
        "--baseline",
        type=int,
        default=200,
        help="subsample per unit for the baseline and the agreement check",
    )
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("--rounds", type=int, default=5, help="timed rounds of ours; the best counts")
    args = ap.parse_args(argv)

    policy = default_policy()
    t0 = clock.perf_counter()
    ours = BusinessCalendar(policy.calendar)
    ours.add(datetime(2026, 1, 1, tzinfo=UTC), "1wh")  # builds 2026
    ours.add(datetime(2027, 1, 1, tzinfo=UTC), "1wh")  # builds 2027
    built = clock.perf_counter() - t0
    baseline = MinuteStepCalendar(policy.calendar)
    print(
        f"calendar 2026-2027 ({policy.calendar.timezone}, holidays "
        f"{policy.calendar.holidays}) built once in {built * 1000:.0f} ms; "
        f"ours on {args.n:,} cases per unit (best of {args.rounds} rounds), the baseline "
        f"on the first {args.baseline:,} (extrapolated per case)"
    )
    ok = True
    for unit in ("wh", "wd"):
        items = cases(args.n, unit, args.seed + (unit == "wd"))
        ours_rate, ours_out = rate(ours.add, items, args.rounds)
        sample = items[: args.baseline]
        base_rate, base_out = rate(baseline.add, sample)
        wrong = [
            (s, d, o, b)
            for (s, d), o, b in zip(sample, ours_out, base_out, strict=False)
            if o != b or o.utcoffset() != b.utcoffset()
        ]
        ratio = ours_rate / base_rate
        hit = ours_rate >= TARGET_RATE and ratio >= TARGET_RATIO and not wrong
        ok &= hit
        print(
            f"{unit}: ours {ours_rate:,.0f}/s  baseline {base_rate:,.0f}/s  "
            f"ratio {ratio:,.0f}x (target >= {TARGET_RATIO}x, >= {TARGET_RATE // 1000}k/s)  "
            f"agree {len(sample) - len(wrong)}/{len(sample)}"
            f"{'' if hit else '  MISSED'}"
        )
        for s, d, o, b in wrong[:5]:
            print(
                f"   differs: {s.isoformat()} + {d}: ours {o.isoformat()}, baseline {b.isoformat()}"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
