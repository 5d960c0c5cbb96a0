"""Which channel is answered right now, and when a closed one opens (docs/routing.md,
"Contacts and channels"), checked against a deliberately naive clock written here: it reads
the hours text itself and walks the time minute by minute, in UTC, reading each minute on the
agency's clock with ``zoneinfo``, closed on the public holidays of the place the office sits
(python-holidays, asked directly). Instants run over 2026-2028, drawn near the zone's
daylight-saving changes (the United States' and Europe's at 01:00-02:00 or 02:00, Mexico's
border zones', Cuba's at midnight and 01:00, Paraguay's, Chile's, Lord Howe's half hour),
near public holidays, and on the very minutes a window opens and closes.

What is checked:

- a channel shown open is open by the naive clock at that minute, and one shown closed is not;
- a closed channel's next opening is the first minute the naive clock finds open after now:
  never a holiday, never a wall time the clock skips, with the offset the zone keeps then;
- channels are listed 24/7 first, then open, then closed by opening time; contacts answering
  now before those that are not, 24/7 first (within the order of roles and languages);
- the text and the JSON tell the same: the call list's and the details' "closed, opens ..."
  are the JSON's ``next_available`` (docs/json.md), in the agency's zone with its offset;
- ``--at`` written with another UTC offset for the same instant gives the same channels;
- a post abroad keeps its host's holidays for open or closed, and says it may be closed where
  it is shown open, or opens next, on a holiday of the state it represents.

Cases found while writing them, pinned below: a window the clock is set back into, two
openings in an hour the clock repeats, an opening a week away told by its weekday alone, a
post's next opening on its own national day, and a post whose hours are unknown.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somnet import Agency, Directory, load_directory, make_interception
from somnet.directory.hours import parse_hours
from somnet.routing.resolve import _choose_contacts
from tests.cli import run

MINUTE = timedelta(minutes=1)
FIRST = datetime(2026, 1, 1, tzinfo=UTC)
LAST = datetime(2029, 1, 1, tzinfo=UTC)
#: How far the naive clock walks for an opening (a week of holidays and a week).
HORIZON = timedelta(days=21)

#: Zones whose clocks change, each in its own way, and two that keep one offset.
CHANGING_ZONES = (
    "America/New_York",  # 02:00 -> 03:00, 02:00 -> 01:00 (US, Nassau, Port-au-Prince)
    "America/Nassau",
    "America/Port-au-Prince",
    "America/Havana",  # 00:00 -> 01:00 in March, 01:00 -> 00:00 in November
    "America/Tijuana",  # Mexico's border zones keep the US changes
    "America/Matamoros",
    "America/Ojinaga",
    "America/Asuncion",  # Paraguay
    "America/Santiago",  # Chile: 24:00 -> 01:00, 24:00 -> 23:00
    "Europe/London",  # 01:00 UTC, as every European change
    "Europe/Brussels",
    "Europe/Madrid",
    "Australia/Lord_Howe",  # half an hour
    "America/St_Johns",  # an offset of half an hour, changing
    "America/Mexico_City",  # no change since 2022
    "America/Panama",  # none
)

DAY_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")


# The naive clock ------------------------------------------------------------------------------


def naive_windows(text: str) -> dict[int, list[tuple[int, int]]] | None:
    """The hours text read the plain way the data guide writes it: None for ``24/7``, else the
    (start, end) minutes of each weekday (0 = Monday)."""
    if text.strip() == "24/7":
        return None
    windows: dict[int, list[tuple[int, int]]] = {day: [] for day in range(7)}
    for rule in text.split(";"):
        days_text, _, spans = rule.strip().partition(" ")
        days: list[int] = []
        for part in days_text.split(","):
            first, _, last = part.partition("-")
            days += range(DAY_NAMES.index(first), DAY_NAMES.index(last or first) + 1)
        for span in spans.replace(" ", "").split(","):
            start, end = (int(hhmm[:2]) * 60 + int(hhmm[3:]) for hhmm in span.split("-"))
            for day in days:
                windows[day].append((start, end))
    return windows


def naive_open(
    windows: dict[int, list[tuple[int, int]]] | None,
    zone: tzinfo,
    holiday: Callable[[date], bool],
    at: datetime,
) -> bool:
    """Open at the minute of ``at``: 24/7, or the wall clock inside a window of its weekday on
    a day that is not a holiday."""
    if windows is None:
        return True
    local = at.astimezone(zone)
    if holiday(local.date()):
        return False
    minute = local.hour * 60 + local.minute
    return any(start <= minute < end for start, end in windows[local.weekday()])


def naive_next_opening(
    windows: dict[int, list[tuple[int, int]]] | None,
    zone: tzinfo,
    holiday: Callable[[date], bool],
    at: datetime,
) -> datetime | None:
    """The first whole minute after ``at`` that is open, walking the time one minute at a time
    (None within ``HORIZON``)."""
    minute = at.astimezone(UTC).replace(second=0, microsecond=0)
    end = minute + HORIZON
    while minute < end:
        minute += MINUTE
        if naive_open(windows, zone, holiday, minute):
            return minute
    return None


@functools.cache
def transitions(key: str) -> tuple[datetime, ...]:
    """The instants, 2026-2028, at which the clock of zone ``key`` changes its offset."""
    zone = ZoneInfo(key)
    found = []
    hour = FIRST
    while hour < LAST:
        later = hour + timedelta(hours=1)
        if hour.astimezone(zone).utcoffset() != later.astimezone(zone).utcoffset():
            low, high = hour, later  # the offset changes in (low, high]
            while high - low > MINUTE:
                middle = low + (high - low) // 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high)
        hour = later
    return tuple(found)


@st.composite
def instants(draw: st.DrawFn, zone_key: str, boundaries: tuple[int, ...] = ()) -> datetime:
    """A whole minute of 2026-2028: anywhere, within three days of one of the zone's changes,
    or on one of ``boundaries`` (wall-clock minutes: the hours' openings and closings) on a day
    near a change, either time it occurs."""
    changes = transitions(zone_key)
    way = draw(st.sampled_from(["any", "change", "boundary"] if changes else ["any", "boundary"]))
    if way == "any":
        offset = draw(st.integers(0, (LAST - FIRST) // MINUTE - 1))
        return FIRST + offset * MINUTE
    change = draw(st.sampled_from(changes)) if changes else FIRST + timedelta(days=400)
    if way == "change" or not boundaries:
        within = draw(st.sampled_from([3 * 60, 3 * 24 * 60]))
        return change + draw(st.integers(-within, within)) * MINUTE
    zone = ZoneInfo(zone_key)
    days = draw(st.sampled_from([0, 0, -1, 1, -2, 2]))
    day = change.astimezone(zone).date() + timedelta(days=days)
    minute = draw(st.sampled_from(boundaries))
    day, minute = day + timedelta(days=minute // 1440), minute % 1440
    wall = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
    return wall.replace(tzinfo=zone, fold=draw(st.integers(0, 1))).astimezone(UTC)


# Weekly hours, on any zone --------------------------------------------------------------------

#: Window edges where clocks change (midnight, 01:00, 02:00, 03:00) and office hours.
_EDGES = st.sampled_from(
    [0, 15, 30, 60, 90, 120, 150, 180, 210, 480, 540, 720, 1020, 1380, 1410, 1440]
)


@st.composite
def hours_texts(draw: st.DrawFn) -> str:
    """Hours as the data files write them: ``24/7``, or one rule a weekday with at least one
    window in the week, windows ending at 24:00 and starting at 00:00 among them."""
    if draw(st.integers(0, 9)) == 0:
        return "24/7"
    rules = []
    for day in range(7):
        edges = sorted(set(draw(st.lists(_EDGES, max_size=4))))
        pairs = list(zip(edges[::2], edges[1::2], strict=False))
        if pairs:
            spans = ",".join(
                f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in pairs
            )
            rules.append(f"{DAY_NAMES[day]} {spans}")
    if not rules:
        rules.append("Su 00:30-01:30")
    return "; ".join(rules)


#: Windows that the clock, set back, opens again past their start: the next opening was a week
#: later, where it is the second time the clock reads the hour (23:00 in Santiago, set back at
#: 24:00; 01:00 in New York, set back at 02:00).
_SET_BACK_INTO_A_WINDOW = [
    ("America/Santiago", "Fr 00:00-00:15; Sa 00:00-23:30", "2026-04-05T02:30:00+00:00", ()),
    ("America/New_York", "Su 00:30-01:30", "2026-11-01T05:45:00+00:00", ()),
]


@settings(max_examples=600)
@given(data=st.data(), zone_key=st.sampled_from(CHANGING_ZONES), text=hours_texts())
def test_weekly_hours_open_when_the_naive_clock_says_and_open_next_at_its_first_minute(
    data: st.DataObject, zone_key: str, text: str
) -> None:
    at = data.draw(instants(zone_key, _edges(text)), label="at")
    # A few public holidays around now: today, tomorrow (the eve of a holiday), next week.
    local_day = at.astimezone(ZoneInfo(zone_key)).date()
    closed = frozenset(
        local_day + timedelta(days=n)
        for n in data.draw(st.lists(st.integers(-1, 9), max_size=4), label="holidays")
    )
    _check_weekly_hours(zone_key, text, at, closed)


@pytest.mark.parametrize(("zone_key", "text", "at", "closed"), _SET_BACK_INTO_A_WINDOW)
def test_a_window_the_clock_is_set_back_into_opens_again_the_second_time_round(
    zone_key: str, text: str, at: str, closed: tuple[date, ...]
) -> None:
    _check_weekly_hours(zone_key, text, datetime.fromisoformat(at), frozenset(closed))


def _edges(text: str) -> tuple[int, ...]:
    windows = naive_windows(text)
    return tuple(sorted({m for w in (windows or {}).values() for pair in w for m in pair}))


def _check_weekly_hours(zone_key: str, text: str, at: datetime, closed: frozenset[date]) -> None:
    zone = ZoneInfo(zone_key)
    windows = naive_windows(text)
    hours = parse_hours(text)

    def holiday(day: date) -> bool:
        return day in closed

    is_open = hours.is_open(at, zone, closed)
    assert is_open == naive_open(windows, zone, holiday, at)
    opening = hours.next_opening(at, zone, closed)
    if is_open:
        assert opening == at
        return
    expected = naive_next_opening(windows, zone, holiday, at)
    assert expected is not None  # a window a week, four holidays at most
    assert opening == expected, (opening, expected.astimezone(zone))
    assert opening is not None
    # Told with the offset the zone keeps at that instant, as the wall clock reads it then.
    assert opening.utcoffset() == expected.astimezone(zone).utcoffset()
    assert opening.replace(tzinfo=None) == expected.astimezone(zone).replace(tzinfo=None)
    assert opening.astimezone(zone).date() not in closed


# The shipped directory ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Directory:
    return load_directory(use_env=False)


@functools.cache
def _calendar(code: str, subdivision: str | None, year: int) -> Any:
    try:
        return holidays.country_holidays(code, subdiv=subdivision, years=year)
    except NotImplementedError:
        return {}


def _subdivision(directory: Directory, code: str, agency: Agency | None) -> str | None:
    """The subdivision whose calendar is read: the agency's own where it names one (a
    consulate in Cayenne keeps French Guiana's), else the state's."""
    if agency is not None and agency.holiday_subdivision is not None:
        return agency.holiday_subdivision
    state = directory.states.get(code)
    return state.holiday_subdivision if state else None


def seat_holidays(
    directory: Directory, code: str, agency: Agency | None = None
) -> Callable[[date], bool]:
    """Whether a local date is a public holiday where an office sits (the docs: a post abroad
    keeps its host's holidays, of the part of it where it sits), observed days included."""
    subdivision = _subdivision(directory, code, agency)
    return lambda day: day in _calendar(code, subdivision, day.year)


def _holidays_of(directory: Directory, code: str, agency: Agency | None = None) -> list[date]:
    subdivision = _subdivision(directory, code, agency)
    return sorted(day for year in (2026, 2027, 2028) for day in _calendar(code, subdivision, year))


def _agencies(directory: Directory) -> list[str]:
    return [a.id for a in directory.all_agencies() if a.contacts]


@settings(max_examples=400)
@given(data=st.data())
def test_each_channel_of_any_agency_is_open_and_opens_as_the_naive_clock_says(
    shipped: Directory, data: st.DataObject
) -> None:
    agency = shipped.agency(data.draw(st.sampled_from(_agencies(shipped)), label="agency"))
    assert agency is not None
    zone_key = shipped.agency_timezone(agency)
    zone = ZoneInfo(zone_key)
    seat = agency.located_in or agency.state
    holiday = seat_holidays(shipped, seat, agency)
    hours_of = {
        str(h)
        for c in agency.contacts
        for ch in c.channels
        if (h := shipped.channel_hours(agency, ch))
    }
    edges = tuple(sorted({m for text in hours_of for m in _edges(text)}))
    days_off = _holidays_of(shipped, seat, agency)
    if days_off and data.draw(st.booleans(), label="near a holiday"):
        # From the evening four days before a holiday (of the host, for a post abroad) to
        # the day after: its eve, a long weekend, a Sunday holiday observed on Monday.
        day = data.draw(st.sampled_from(days_off), label="holiday")
        wall = datetime(day.year, day.month, day.day) - timedelta(days=4)
        minutes = data.draw(st.integers(0, 6 * 24 * 60), label="minutes after")
        at = (wall + minutes * MINUTE).replace(tzinfo=zone).astimezone(UTC)
    else:
        at = data.draw(instants(zone_key, edges), label="at")
    interception = make_interception(zone="high-seas", at=at, directory=shipped)
    choices, notes, _warnings = _choose_contacts(shipped, agency, interception, 365, "", set())
    for choice in choices:
        for channel in choice.channels:
            if channel.next_available is None and not channel.available:
                # Hours unknown: never shown open, no opening told.
                assert shipped.channel_hours(agency, _record(agency, choice, channel)) is None
                continue
            windows = naive_windows(channel.hours)
            # (a) open now means open by the naive clock at that minute, and closed closed.
            assert channel.available == naive_open(windows, zone, holiday, at), channel
            if channel.available:
                assert channel.next_available is None
                continue
            # (b) the first minute the naive clock finds open, in the agency's zone.
            expected = naive_next_opening(windows, zone, holiday, at)
            assert channel.next_available == expected, (channel, expected)
            assert expected is not None
            assert channel.next_available.utcoffset() == expected.astimezone(zone).utcoffset()
            assert not holiday(channel.next_available.date())
        # (c) 24/7 first, then open, then closed by opening time (compared as instants).
        keys = [
            (not ch.available, not ch.always, (ch.next_available or LAST).astimezone(UTC))
            for ch in choice.channels
        ]
        assert keys == sorted(keys)
    # (c) Within one role and language group, contacts answering now come first, 24/7 first.
    groups: dict[tuple[int, bool], list[tuple[bool, bool]]] = {}
    for choice in choices:
        role = 2 if choice.contact.roles else 1  # no contact is dedicated to the role ""
        groups.setdefault((role, choice.shares_language is False), []).append(
            (not choice.available, not any(ch.always for ch in choice.channels))
        )
    for ranks in groups.values():
        assert ranks == sorted(ranks)
    # (d) With nothing answered now, the step tells the first opening on the agency's clock
    # with the UTC offset it keeps then, which is not always the offset it keeps now (a
    # Saturday night before clocks go forward, an opening on Monday).
    opening = [ch.next_available for c in choices for ch in c.channels if ch.next_available]
    told = [n for n in notes if n.startswith("No channel is answered now")]
    if choices and not any(c.available for c in choices) and opening:
        first = min(opening, key=lambda moment: moment.astimezone(UTC)).astimezone(zone)
        delta = first.utcoffset()
        assert delta is not None
        minutes = int(delta.total_seconds() // 60)
        hours, rest = divmod(abs(minutes), 60)
        offset = f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")
        assert told == [
            f"No channel is answered now; the first opens {first:%a %d %b %H:%M} "
            f"({offset}, {zone_key})."
        ], notes
    else:
        assert told == [], notes
    # A post abroad keeps its host's calendar for open or closed; where an office channel is
    # shown open on a holiday of the state it represents, or the first opens on one, the step
    # says it may be closed.
    if shipped.sovereign_of(seat) == shipped.sovereign_of(agency.state):
        return
    represented = seat_holidays(shipped, agency.state)
    local_day = at.astimezone(zone).date()
    office_open = any(ch.available and not ch.always for c in choices for ch in c.channels)
    openings = [ch.next_available for c in choices for ch in c.channels if ch.next_available]
    expected = []
    if office_open and not holiday(local_day) and represented(local_day):
        expected.append(f"{local_day:%a %d %b} is a public holiday in {agency.state} (")
    if not any(c.available for c in choices) and openings:
        first = min(openings, key=lambda moment: moment.astimezone(UTC))
        if represented(first.date()):
            expected.append(
                f"It opens next on {first:%a %d %b}, a public holiday in {agency.state} ("
            )
    said = [n for n in notes if f"public holiday in {agency.state} (" in n]
    assert len(said) == len(expected), notes
    for note, start in zip(said, expected, strict=True):
        assert note.startswith(start), (note, start)


def _record(agency: Any, choice: Any, channel: Any) -> Any:
    [record] = [
        ch for ch in choice.contact.channels if (ch.kind, ch.value) == (channel.kind, channel.value)
    ]
    return record


# The command line: text and JSON, any offset --------------------------------------------------

#: Interceptions whose plans reach offices across the region, posts abroad among them.
_FACTS = st.sampled_from(
    [
        ["--flag", "HT", "--zone", "contiguous", "--coastal", "BS", "--as", "US",
         "--nationality", "HT", "--distress", "--asylum"],
        ["--flag", "CU", "--zone", "territorial", "--coastal", "US", "--as", "US",
         "--nationality", "CU", "--nationality", "VE"],
        ["--flag", "DO", "--zone", "eez", "--coastal", "PR", "--as", "US", "--nationality", "DO",
         "--disembark", "PR", "--return"],
        ["--flag", "PA", "--zone", "territorial", "--coastal", "PA", "--as", "PA",
         "--nationality", "KN", "--nationality", "CO"],
        ["--flag", "MX", "--zone", "territorial", "--coastal", "MX", "--as", "MX",
         "--nationality", "GT", "--nationality", "HN", "--minors"],
        ["--flag", "GB", "--zone", "territorial", "--coastal", "KY", "--as", "KY",
         "--nationality", "CU", "--nationality", "JM"],
    ]
)  # fmt: skip
_ZONE_OF_AT = ("America/New_York", "America/Havana", "Europe/London", "America/Mexico_City")


def _iso(at: datetime, offset_minutes: int) -> str:
    """``at`` written with another UTC offset, to the minute, as an officer types it."""
    return at.astimezone(timezone(offset_minutes * MINUTE)).isoformat(timespec="minutes")


def _offset_label(moment: datetime) -> str:
    delta = moment.utcoffset()
    assert delta is not None
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")


def _opens(iso: str, at: datetime) -> str:
    """How the text tells an opening: its weekday within the coming days, its date too six
    days on or more (on the agency's clock)."""
    moment = datetime.fromisoformat(iso)
    days = (moment.date() - at.astimezone(moment.tzinfo).date()).days
    when = f"{moment:%a %H:%M}" if days < 6 else f"{moment:%a %d %b %H:%M}"
    return f"closed, opens {when} ({_offset_label(moment)}"


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    facts=_FACTS,
    zone_key=st.sampled_from(_ZONE_OF_AT),
    data=st.data(),
    offsets=st.tuples(st.integers(-12 * 4, 14 * 4), st.integers(-12 * 4, 14 * 4)),
)
def test_the_text_tells_the_jsons_openings_and_any_offset_of_at_the_same(
    capsys: pytest.CaptureFixture[str],
    facts: list[str],
    zone_key: str,
    data: st.DataObject,
    offsets: tuple[int, int],
) -> None:
    at = data.draw(instants(zone_key, (0, 480, 540, 1020, 1440)), label="at")
    first, second = (_iso(at, quarters * 15) for quarters in offsets)
    as_json = run(capsys, "contact", *facts, "--at", first, "--format", "json")
    assert as_json.exit_code == 0, as_json.stderr
    plan = json.loads(as_json.stdout)
    # (e) The same instant written with another offset: the same channels, open or opening.
    again = run(capsys, "contact", *facts, "--at", second, "--format", "json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout)["steps"] == plan["steps"]
    # (d) The text says what the JSON says, in the agency's zone with its offset.
    text = run(capsys, "contact", *facts, "--at", first)
    assert text.exit_code == 0, text.stderr
    # The details, their wrapped lines joined.
    details = " ".join(text.stdout.split("CALL LIST", 1)[1].split("\n\n", 1)[1].split())
    for step in plan["steps"]:
        if not step["resolved"]:
            continue
        channels = [ch for c in step["contacts"] for ch in c["channels"]]
        for ch in channels:
            if ch["next_available"] is not None:
                zone = ZoneInfo(step["agency"]["timezone"])
                moment = datetime.fromisoformat(ch["next_available"])
                # In the agency's zone, with the offset the zone keeps then.
                assert moment.utcoffset() == moment.astimezone(zone).utcoffset()
                assert _opens(ch["next_available"], at) in details
        if not any(ch["available"] for ch in channels):
            openings = [ch["next_available"] for ch in channels if ch["next_available"]]
            if openings:
                first_opening = min(openings, key=datetime.fromisoformat)
                line = _call_list_line(text.stdout, step["order"])
                assert _opens(first_opening, at) + ")" in line, line


def _call_list_line(text: str, order: int) -> str:
    """The call list's entry of a step, its wrapped lines joined."""
    listing = text.split("CALL LIST", 1)[1].split("\n\n", 1)[0]
    entries = re.split(r"\n(?= ?\d+ )", listing)
    [entry] = [e for e in entries if re.match(rf"\s*{order} ", e)]
    return " ".join(entry.split())


#: A unit's refugee desk in Antigua (a role the shipped directory records as a gap there),
#: answered one hour a week.
_WEEKLY_DESK = """[[agencies]]
id = "unit-ag-refugee-desk"
state = "AG"
name = "Refugee desk"
name_en = "Refugee desk"
roles = ["refugee-status"]
status = "uncertain"
last_verified = 2026-11-01
sources = [{ title = "The unit's own record" }]

[[agencies.contacts]]
id = "unit-ag-refugee-desk.desk"
kind = "desk"
languages = ["en"]
last_verified = 2026-11-01
illustrative = true

[[agencies.contacts.channels]]
kind = "phone"
value = "+12685550199"
availability = "Mo 09:00-10:00"
"""


@pytest.mark.parametrize(
    ("at", "opens"),
    [
        # Monday after its hour: next Monday, which "Mon 09:00" told as this morning.
        ("2026-12-07T10:30-04:00", "Mon 14 Dec 09:00"),
        # Tuesday: six days on, the Monday of the header's next week.
        ("2026-12-08T10:30-04:00", "Mon 14 Dec 09:00"),
        # Sunday night: tomorrow, the weekday is enough.
        ("2026-12-13T21:00-04:00", "Mon 09:00"),
        # Friday: three days on.
        ("2026-12-11T10:00-04:00", "Mon 09:00"),
    ],
)
def test_an_opening_six_days_away_or_more_is_told_with_its_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Any, at: str, opens: str
) -> None:
    unit = tmp_path / "unit" / "states"
    unit.mkdir(parents=True)
    (unit / "AG-unit.toml").write_text(_WEEKLY_DESK, encoding="utf-8")
    facts = ("--flag", "HT", "--zone", "territorial", "--coastal", "AG", "--nationality", "HT")
    result = run(
        capsys, "contact", *facts, "--asylum", "--data", str(tmp_path / "unit"), "--at", at
    )
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert f"Refugee desk closed, opens {opens} (UTC-4)" in said, said
    assert f"+12685550199 closed, opens {opens} (UTC-4; Mo 09:00-10:00)" in said, said


@pytest.mark.parametrize(
    ("at", "said"),
    [
        ("2026-11-18T10:00-05:00", "Wed 18 Nov is a {holiday}: it may be closed; call ahead."),
        (
            "2026-11-17T20:00-05:00",
            "It opens next on Wed 18 Nov, a {holiday}: it may be closed then; call ahead.",
        ),
        # The evening after, it opens next on an ordinary day in both states: nothing said.
        ("2026-11-18T20:00-05:00", None),
    ],
)
def test_a_post_abroad_that_opens_next_on_a_holiday_of_the_state_it_represents_says_so(
    capsys: pytest.CaptureFixture[str], at: str, said: str | None
) -> None:
    """Haiti's embassy in Nassau keeps The Bahamas' holidays for open or closed; on 18
    November, a Haitian holiday, the step says it may be closed. The evening before, it said
    "opens Wed 09:00" and nothing of the holiday: the officer waited for a post that may not
    answer."""
    facts = ("--flag", "HT", "--zone", "territorial", "--coastal", "BS", "--as", "BS")
    result = run(capsys, "contact", *facts, "--nationality", "HT", "--at", at, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [step] = [s for s in json.loads(result.stdout)["steps"] if s["purpose"] == "consular-access"]
    assert step["agency"]["id"] == "ht-emb-nassau"
    holidays_said = [n for n in step["notes"] if "holiday" in n]
    if said is None:
        assert not holidays_said
        return
    holiday = (
        "public holiday in HT (Armed Forces Day; Commemoration of the Battle of Vertieres), "
        "the state this post represents"
    )
    assert holidays_said == [said.format(holiday=holiday)]


#: A unit's refugee desk in the Turks and Caicos (a gap of the shipped directory), whose two
#: channels open in the hour the clock repeats on 1 November 2026 (02:00 EDT -> 01:00 EST).
_SET_BACK_DESK = """[[agencies]]
id = "unit-tc-refugee-desk"
state = "TC"
name = "Refugee desk"
name_en = "Refugee desk"
roles = ["refugee-status"]
status = "uncertain"
last_verified = 2026-11-01
sources = [{ title = "The unit's own record" }]

[[agencies.contacts]]
id = "unit-tc-refugee-desk.desk"
kind = "desk"
languages = ["en"]
last_verified = 2026-11-01
illustrative = true

[[agencies.contacts.channels]]
kind = "phone"
value = "+16495550199"
availability = "Su 01:10-01:20"

[[agencies.contacts.channels]]
kind = "email"
value = "refugee-desk@unit.example.org"
availability = "Su 01:45-01:50"
"""


def test_openings_in_a_repeated_hour_are_ordered_as_they_happen(
    capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    """At 01:30 EDT the phone next opens at 01:10 EST (06:10 UTC), the e-mail at 01:45 EDT
    (05:45 UTC), 25 minutes sooner. Compared on the wall clock, 01:10 came first: the phone
    was listed first and the call list told its opening as the first."""
    unit = tmp_path / "unit" / "states"
    unit.mkdir(parents=True)
    (unit / "TC-unit.toml").write_text(_SET_BACK_DESK, encoding="utf-8")
    facts = ("--flag", "HT", "--zone", "territorial", "--coastal", "TC", "--nationality", "HT")
    args = (*facts, "--asylum", "--data", str(tmp_path / "unit"), "--at", "2026-11-01T01:30-04:00")
    result = run(capsys, "contact", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [step] = [
        s for s in json.loads(result.stdout)["steps"] if s["agency"]["id"] == "unit-tc-refugee-desk"
    ]
    [contact] = step["contacts"]
    assert [(ch["kind"], ch["next_available"]) for ch in contact["channels"]] == [
        ("email", "2026-11-01T01:45:00-04:00"),
        ("phone", "2026-11-01T01:10:00-05:00"),
    ]
    text = run(capsys, "contact", *args)
    said = " ".join(text.stdout.split())
    assert "Refugee desk closed, opens Sun 01:45 (UTC-4)" in said, said
    assert "the first opens Sun 01 Nov 01:45" in said, said


def test_a_post_whose_hours_are_unknown_gives_its_channels_the_directorys_empty_hours(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """St Kitts and Nevis' High Commission in Ottawa, accredited to Panama: the directory holds
    no hours of where it sits. A plan's channel `hours` is what the directory calls
    `availability` (docs/json.md), empty when unknown; the plan wrote the words "hours
    unknown" there, which no reader of the hours notation reads. The text says so in words."""
    facts = ("--flag", "PA", "--zone", "territorial", "--coastal", "PA", "--as", "PA")
    args = (*facts, "--nationality", "KN", "--at", "2026-12-01T10:00-05:00")
    plan = json.loads(run(capsys, "contact", *args, "--format", "json").stdout)
    [step] = [s for s in plan["steps"] if s["purpose"] == "consular-access"]
    assert step["agency"]["id"] == "kn-hc-ottawa"
    channels = [ch for c in step["contacts"] for ch in c["channels"]]
    assert channels
    assert {(ch["hours"], ch["available"], ch["next_available"]) for ch in channels} == {
        ("", False, None)
    }
    [shown] = json.loads(
        run(capsys, "directory", "search", "kn-hc-ottawa", "--format", "json").stdout
    )
    availability = {ch["availability"] for c in shown["contacts"] for ch in c["channels"]}
    assert availability == {""}
    said = " ".join(run(capsys, "contact", *args).stdout.split())
    assert "kn-hc-ottawa closed, hours unknown" in said
    assert "+16135550186 closed, hours unknown" in said
