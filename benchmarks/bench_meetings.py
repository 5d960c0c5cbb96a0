"""How fast meeting planning is, against a brute-force reference in this same script.

    python benchmarks/bench_meetings.py [--runs 5] [--quick]

Two cases, each on a 15-minute grid:

- the seven workshop states (BS, DO, HT, HN, JM, MX, PA) over 18 days, 90 minutes, with
  their focal points from the shipped directory when it holds them all (otherwise the same
  zones and typical hours, made up here);
- 40 made-up participants in 20 zones from UTC-8 to UTC+2 (some 24/7 duty desks), over 90
  days that include the US and European clock changes, 60 minutes.

For each: the median, min and max of ``--runs`` runs (at least 5) of ``somnet``'s search
(``candidate_slots``: every grid start that suits everyone, with its burdens) and of a
brute-force reference that checks every minute of every candidate meeting for every
participant with ``zoneinfo`` (after a cheap look at its first and last minute). Runs are
interleaved (reference, search, reference, ...) so that a burst of load on a shared machine
hits both. The two must find the same slots; the ratio is reference / search. Holidays are
looked up once beforehand (python-holidays, its import included), and that time is reported
on its own. Nothing is asserted beyond the agreement: speed is reported, not tested.

Then series of the seven states, chosen as a whole (``plan_series``): monthly for a year and
for two, weekly for a year and for 120 weeks (the most a series may have), 4 hours in the
first days of each period. For each, the time of ``plan_series`` (holidays looked up before),
and the fairness it reached against the period-by-period choice: the worst-off participant's
minutes outside core hours, and the most inconvenient meetings of one participant.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from somnet import Participant, Window
from somnet.directory.hours import parse_hours
from somnet.meetings.participants import public_holidays
from somnet.meetings.slots import candidate_slots

WORKSHOP = ["BS", "DO", "HT", "HN", "JM", "MX", "PA"]
#: Typical hours, used when the shipped directory does not hold the workshop states yet.
WORKSHOP_FALLBACK = {
    "BS": ("America/Nassau", "Mo-Fr 09:00-17:00", "Mo-Fr 10:00-16:00"),
    "DO": ("America/Santo_Domingo", "Mo-Fr 08:00-16:00", "Mo-Fr 09:00-15:00"),
    "HT": ("America/Port-au-Prince", "Mo-Fr 08:00-16:00", "Mo-Fr 09:00-15:00"),
    "HN": ("America/Tegucigalpa", "Mo-Fr 08:00-16:00", "Mo-Fr 09:00-15:00"),
    "JM": ("America/Jamaica", "Mo-Th 08:30-17:00; Fr 08:30-16:00", "Mo-Fr 09:00-15:00"),
    "MX": ("America/Mexico_City", "Mo-Fr 09:00-18:00", "Mo-Fr 10:00-15:00"),
    "PA": ("America/Panama", "Mo-Fr 08:00-16:00", "Mo-Fr 09:00-15:00"),
}
#: Zones for the synthetic case, with a state whose holidays apply there.
SYNTHETIC_ZONES = [
    ("America/Los_Angeles", "US"),
    ("America/Denver", "US"),
    ("America/Chicago", "US"),
    ("America/New_York", "US"),
    ("America/Mexico_City", "MX"),
    ("America/Cancun", "MX"),
    ("America/Guatemala", "GT"),
    ("America/Tegucigalpa", "HN"),
    ("America/Panama", "PA"),
    ("America/Bogota", "CO"),
    ("America/Havana", "CU"),
    ("America/Nassau", "BS"),
    ("America/Port-au-Prince", "HT"),
    ("America/Santo_Domingo", "DO"),
    ("America/Puerto_Rico", "US"),
    ("America/Caracas", "VE"),
    ("America/Sao_Paulo", "BR"),
    ("Atlantic/Azores", "PT"),
    ("Europe/Lisbon", "PT"),
    ("Europe/Madrid", "ES"),
]
SYNTHETIC_HOURS = [
    ("Mo-Fr 07:00-19:00", "Mo-Fr 09:00-17:00"),
    ("Mo-Fr 06:00-20:00", "Mo-Fr 08:00-16:00"),
    ("Mo-Sa 08:00-20:00", "Mo-Fr 10:00-18:00"),
    ("24/7", "Mo-Fr 08:00-18:00"),
]


def person(contact: str, state: str, zone: str, hours: str, core: str) -> Participant:
    return Participant(
        contact=contact,
        name=contact,
        agency=f"{contact}-agency",
        agency_name="Agency",
        state=state,
        seat=state,
        timezone=zone,
        working_hours=parse_hours(hours),
        core_hours=parse_hours(core),
    )


def workshop_participants() -> tuple[list[Participant], str]:
    """The focal points of the seven states: from the shipped directory when it has them."""
    try:
        from somnet import load_directory, resolve_participants

        directory = load_directory(use_env=False)
        return resolve_participants(directory, states=WORKSHOP), "shipped directory"
    except Exception as exc:  # the data may not have landed yet
        people = [person(f"{c.lower()}-focal", c, *WORKSHOP_FALLBACK[c]) for c in WORKSHOP]
        return people, f"made-up hours ({type(exc).__name__}: {str(exc)[:60]})"


def synthetic_participants(count: int = 40) -> list[Participant]:
    people = []
    for i in range(count):
        zone, state = SYNTHETIC_ZONES[i % len(SYNTHETIC_ZONES)]
        hours, core = SYNTHETIC_HOURS[(i // len(SYNTHETIC_ZONES) + i) % len(SYNTHETIC_HOURS)]
        people.append(person(f"p{i:02d}", state, zone, hours, core))
    return people


# The brute-force reference ----------------------------------------------------------------------


def brute_force(
    people: Sequence[Participant], window: Window, holidays: dict[str, dict[date, str]]
) -> list[tuple[datetime, tuple[int, ...]]]:
    """Every grid start, every participant, every minute of the meeting, with zoneinfo."""
    zones = [ZoneInfo(p.timezone) for p in people]
    calendars = [holidays.get(p.holiday_key, {}) for p in people]
    found = []
    start = datetime.combine(window.first, datetime.min.time(), tzinfo=UTC)
    end = datetime.combine(window.last + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    minutes = [timedelta(minutes=m) for m in range(window.duration + 1)]
    t = start
    while t + minutes[-1] <= end:
        burdens = []
        for p, zone, days in zip(people, zones, calendars, strict=True):
            # A cheap look at the first and last minute before checking every minute.
            first, last = t.astimezone(zone), (t + minutes[-2]).astimezone(zone)
            if not (_open(p.working_hours, first) and _open(p.working_hours, last)):
                break
            local = [(t + m).astimezone(zone) for m in minutes]
            if local[0].utcoffset() != local[-1].utcoffset() or any(map(_ambiguous, local)):
                break
            inside = local[:-1]
            if not all(
                _open(p.working_hours, moment) and moment.date() not in days for moment in inside
            ):
                break
            burdens.append(sum(not _open(p.core_hours, moment) for moment in inside))
        else:
            found.append((t, tuple(burdens)))
        t += timedelta(minutes=window.step)
    return found


def _open(hours: Any, local: datetime) -> bool:
    minute = local.hour * 60 + local.minute
    return any(a <= minute < b for a, b in hours.windows(local.weekday()))


def _ambiguous(local: datetime) -> bool:
    naive = local.replace(tzinfo=None)
    return (
        naive.replace(tzinfo=local.tzinfo, fold=0).utcoffset()
        != naive.replace(tzinfo=local.tzinfo, fold=1).utcoffset()
    )


# Measuring -------------------------------------------------------------------------------------


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = function()
    return time.perf_counter() - began, result


def measure(
    name: str,
    people: Sequence[Participant],
    window: Window,
    runs: int,
) -> list[str]:
    seconds, (calendars, _) = timed(
        lambda: public_holidays(
            people, window.first - timedelta(days=1), window.last + timedelta(days=1)
        )
    )
    search: list[float] = []
    reference: list[float] = []
    fast: list[Any] = []
    slow: list[Any] = []
    for _ in range(runs):
        spent, slow = timed(lambda: brute_force(people, window, calendars))
        reference.append(spent)
        spent, found = timed(lambda: candidate_slots(people, window, calendars))
        search.append(spent)
        fast = [(s.start, s.burdens) for s in found]
    if fast != slow:
        raise SystemExit(f"{name}: the search and the reference disagree")
    best = min(fast, key=lambda s: (sum(s[1]), s[0]), default=None)
    best_text = f"{best[0]:%Y-%m-%d %H:%M} UTC, score {sum(best[1])}" if best else "none"
    ratio = statistics.median(reference) / statistics.median(search)
    return [
        f"{name}",
        f"  {len(people)} participants, {window.first} to {window.last}, "
        f"{window.duration} min on a {window.step}-min grid: {len(fast)} feasible starts; "
        f"best {best_text}",
        f"  holidays looked up once        {seconds * 1000:9.1f} ms",
        _row("somnet search", search),
        _row("brute-force reference", reference),
        f"  ratio (reference / search)     {ratio:9.0f} x",
    ]


def _row(label: str, values: Sequence[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"  {label:<30} {statistics.median(ms):9.1f} ms median "
        f"(min {min(ms):.1f}, max {max(ms):.1f}, {len(ms)} runs)"
    )


SERIES = [
    ("monthly x 12, 4h, first 14 days", "month", 12, 240, 14),
    ("monthly x 24, 4h, first 14 days", "month", 24, 240, 14),
    ("weekly x 52, 4h, first 5 days", "week", 52, 240, 5),
    ("weekly x 120, 4h, first 7 days", "week", 120, 240, 7),
]


def measure_series(people: Sequence[Participant], runs: int, quick: bool) -> list[str]:
    from somnet import plan_series
    from somnet.meetings.series import periods

    first = date(2027, 1, 4)
    lines = ["Series of the seven states, chosen as a whole (plan_series)"]
    for label, every, count, duration, within in SERIES[:2] if quick else SERIES:
        spans = periods(first, every, count)  # type: ignore[arg-type]
        calendars, _ = public_holidays(
            people, spans[0][0] - timedelta(days=1), spans[-1][1] + timedelta(days=1)
        )
        spent: list[float] = []
        found: Any = None
        for _ in range(runs):
            seconds, found = timed(
                functools.partial(
                    plan_series,
                    people,
                    first=first,
                    every=every,
                    count=count,
                    duration=duration,
                    within_days=within,
                    holidays=calendars,
                )
            )
            spent.append(seconds)
        lines += [
            f"  {label}: worst-off {found.worst} min, at most {found.most_inconvenient} "
            f"inconvenient meetings (period by period: {found.greedy_worst} min, "
            f"{found.greedy_most_inconvenient})",
            _row("  plan_series", spent),
        ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (at least 5)")
    parser.add_argument(
        "--quick", action="store_true", help="30 days instead of 90 for the 40 participants"
    )
    args = parser.parse_args(argv)
    runs = max(args.runs, 5)
    people, source = workshop_participants()
    lines = measure(
        f"Seven workshop states ({source})",
        people,
        Window(date(2026, 12, 1), date(2026, 12, 18), 90, 15),
        runs,
    )
    days = 30 if args.quick else 90
    window = Window(date(2027, 1, 4), date(2027, 1, 4) + timedelta(days=days - 1), 60, 15)
    lines += [
        "",
        *measure("40 participants in 20 zones (made up)", synthetic_participants(), window, runs),
        "",
        *measure_series(people, runs, args.quick),
    ]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
