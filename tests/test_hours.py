"""Weekly opening hours: the grammar, its error messages, and open/next-opening across DST."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from somnet.directory.hours import Span, WeeklyHours, parse_hours
from tests.factories import weekly_hours

NASSAU = ZoneInfo("America/Nassau")
PANAMA = ZoneInfo("America/Panama")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


# The grammar ---------------------------------------------------------------------------------


def test_24_7_is_open_always():
    hours = parse_hours("24/7")
    assert hours == WeeklyHours(always=True)
    assert hours.windows(6) == [(0, 24 * 60)]


def test_day_range_gives_one_window_per_day():
    hours = parse_hours("Mo-Fr 08:00-16:00")
    assert hours.spans == tuple(Span(day, minutes("08:00"), minutes("16:00")) for day in range(5))
    assert hours.windows(5) == []  # Saturday closed


def test_day_list_and_mixed_list_of_ranges():
    assert [s.weekday for s in parse_hours("Mo,We,Fr 08:00-12:00").spans] == [0, 2, 4]
    assert [s.weekday for s in parse_hours("Mo-Tu,Th,Sa-Su 08:00-12:00").spans] == [0, 1, 3, 5, 6]


def test_several_windows_in_one_day():
    hours = parse_hours("Mo 08:00-12:00, 13:00-17:00")
    assert hours.windows(0) == [(480, 720), (780, 1020)]


def test_several_rules_separated_by_semicolons():
    hours = parse_hours("Mo-Th 08:00-16:00; Fr 08:00-13:00")
    assert hours.windows(3) == [(480, 960)]
    assert hours.windows(4) == [(480, 780)]


def test_24_00_closes_the_day():
    hours = parse_hours("Sa 20:00-24:00; Su 00:00-06:00")
    assert hours.windows(5) == [(1200, 1440)]
    assert hours.windows(6) == [(0, 360)]


def test_windows_that_touch_do_not_overlap():
    hours = parse_hours("Mo 08:00-12:00,12:00-16:00")
    assert hours.windows(0) == [(480, 720), (720, 960)]


def test_surrounding_whitespace_is_ignored():
    assert parse_hours("  Mo-Fr 08:00-16:00 ") == parse_hours("Mo-Fr 08:00-16:00")
    assert parse_hours(" 24/7 ").always


def test_rules_are_sorted_whatever_order_they_are_written_in():
    assert parse_hours("Fr 08:00-13:00; Mo-Th 08:00-16:00") == parse_hours(
        "Mo-Th 08:00-16:00; Fr 08:00-13:00"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mx 08:00-16:00", "unknown days 'Mx'; use Mo, Tu, We, Th, Fr, Sa, Su"),
        ("Monday 08:00-16:00", "unknown days 'Monday'"),
        ("Mo-Xy 08:00-16:00", "unknown days 'Mo-Xy'"),
        ("mo-fr 08:00-16:00", "unknown days 'mo-fr'"),
        ("Fr-Mo 08:00-16:00", "day range 'Fr-Mo' runs backwards"),
        ("Mo-Fr 08:00-12:00; We 11:00-13:00", "windows overlap on We"),
        ("Mo 08:00-12:00,10:00-14:00", "08:00-12:00 and 10:00-14:00"),
        ("Mo 16:00-08:00", "time span '16:00-08:00' must end after it starts"),
        ("Mo 08:00-08:00", "must end after it starts"),
        ("Fr 22:00-02:00", "split a window that crosses midnight in two"),
        ("Mo 25:00-26:00", "has an hour outside 00:00-24:00"),
        ("Mo 08:00-24:30", "has an hour outside 00:00-24:00"),
        ("Mo 24:00-24:00", "has an hour outside 00:00-24:00"),
        ("Mo 8-16", "time span '8-16' must look like '08:00-16:00'"),
        ("Mo 08:00 to 16:00", "must look like '08:00-16:00'"),
        ("Mo 08:60-09:00", "must look like '08:00-16:00'"),
        ("whenever", "'whenever' needs days and times"),
        ("Mo-Fr", "needs days and times"),
        ("", "hours are empty"),
        ("   ", "hours are empty"),
        ("24/7; Mo 08:00-09:00", "'24/7' needs days and times"),
        # Digits of other scripts (Arabic-Indic, fullwidth) were read as the hour they write.
        ("Mo-Fr 0\u0669:00-17:00", "must look like '08:00-16:00'"),
        ("Mo-Fr 08:00-\uff11\uff17:00", "must look like '08:00-16:00'"),
    ],
)
def test_bad_hours_are_refused_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_hours(text)


@pytest.mark.parametrize("value", [None, 8, ["Mo-Fr 08:00-16:00"]])
def test_hours_that_are_not_text_are_refused(value):
    with pytest.raises(ValueError, match="hours must be text like 'Mo-Fr 08:00-16:00'"):
        parse_hours(value)


@given(st.text(max_size=40))
def test_any_text_either_parses_or_raises_value_error(text):
    try:
        hours = parse_hours(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert parse_hours(str(hours)) == hours


# Writing hours back ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "24/7",
        "Mo-Fr 08:00-16:00",
        "Mo-Th 08:00-16:00; Fr 08:00-13:00",
        "Mo,We,Fr 08:00-12:00",
        "Mo-We,Fr 08:00-12:00,13:00-17:00",
        "Sa 20:00-24:00; Su 00:00-06:00",
        "Mo 08:00-12:00,12:00-16:00",
        "Mo-Su 00:00-24:00",
    ],
)
def test_canonical_text_is_written_back_unchanged(text):
    assert str(parse_hours(text)) == text


def test_written_text_groups_days_with_the_same_windows():
    assert str(parse_hours("Mo 09:00-17:00; Tu 09:00-17:00; We 09:00-17:00")) == "Mo-We 09:00-17:00"


@given(weekly_hours())
def test_hours_round_trip_through_their_text(hours):
    assert parse_hours(str(hours)) == hours


# Open now, and when next -----------------------------------------------------------------------

OFFICE = parse_hours("Mo-Fr 09:00-17:00")


def test_is_open_reads_the_local_clock_on_both_sides_of_the_november_change():
    # Friday 30 Oct 2026 is still on EDT (UTC-4); Monday 2 Nov 2026 is on EST (UTC-5).
    assert OFFICE.is_open(utc(2026, 10, 30, 13, 0), NASSAU)  # 09:00 EDT
    assert not OFFICE.is_open(utc(2026, 10, 30, 12, 59), NASSAU)
    assert not OFFICE.is_open(utc(2026, 11, 2, 13, 30), NASSAU)  # 08:30 EST
    assert OFFICE.is_open(utc(2026, 11, 2, 14, 0), NASSAU)  # 09:00 EST
    assert not OFFICE.is_open(utc(2026, 11, 2, 22, 0), NASSAU)  # 17:00 EST


def test_is_open_reads_the_local_clock_on_both_sides_of_the_march_change():
    assert OFFICE.is_open(utc(2027, 3, 12, 14, 0), NASSAU)  # Friday 09:00 EST
    assert not OFFICE.is_open(utc(2027, 3, 12, 13, 30), NASSAU)
    assert OFFICE.is_open(utc(2027, 3, 15, 13, 0), NASSAU)  # Monday 09:00 EDT
    assert not OFFICE.is_open(utc(2027, 3, 15, 12, 59), NASSAU)


def test_the_repeated_hour_of_the_november_change_is_open_both_times():
    night = parse_hours("Su 01:00-02:00")
    assert night.is_open(utc(2026, 11, 1, 5, 30), NASSAU)  # 01:30 EDT
    assert night.is_open(utc(2026, 11, 1, 6, 30), NASSAU)  # 01:30 EST
    assert not night.is_open(utc(2026, 11, 1, 7, 0), NASSAU)  # 02:00 EST


def test_next_opening_after_a_friday_lands_on_monday_in_the_new_offset():
    opening = OFFICE.next_opening(utc(2026, 10, 30, 22, 0), NASSAU)
    assert opening == utc(2026, 11, 2, 14, 0)  # Monday 09:00 EST
    assert opening.utcoffset() == timedelta(hours=-5)
    opening = OFFICE.next_opening(utc(2027, 3, 12, 23, 0), NASSAU)
    assert opening == utc(2027, 3, 15, 13, 0)  # Monday 09:00 EDT
    assert opening.utcoffset() == timedelta(hours=-4)


def test_next_opening_is_the_instant_itself_when_open():
    at = utc(2026, 11, 2, 15, 0)
    assert OFFICE.next_opening(at, NASSAU) is at
    always = parse_hours("24/7")
    assert always.next_opening(at, NASSAU) is at


def test_next_opening_of_hours_that_never_open_is_none():
    assert WeeklyHours(always=False).next_opening(utc(2026, 11, 2, 15, 0), NASSAU) is None


def test_next_opening_later_the_same_day_and_across_the_weekend():
    two_windows = parse_hours("Mo-Fr 08:00-12:00,13:00-17:00")
    # Monday 2 Nov 2026 12:30 EST -> 13:00 EST
    assert two_windows.next_opening(utc(2026, 11, 2, 17, 30), NASSAU) == utc(2026, 11, 2, 18, 0)
    # Saturday -> Monday 08:00
    assert two_windows.next_opening(utc(2026, 11, 7, 15, 0), NASSAU) == utc(2026, 11, 9, 13, 0)


def test_an_instant_given_in_another_zone_is_read_on_the_agencys_clock():
    at = datetime(2026, 11, 2, 8, 30, tzinfo=ZoneInfo("America/Mexico_City"))  # 09:30 EST
    assert OFFICE.is_open(at, NASSAU)


@pytest.mark.parametrize("day", [datetime(2026, 1, 5), datetime(2026, 7, 6), datetime(2026, 11, 2)])
def test_panama_keeps_utc_minus_five_all_year(day):
    office = parse_hours("Mo-Fr 08:00-16:00")
    opening = utc(day.year, day.month, day.day, 13, 0)
    assert office.is_open(opening, PANAMA)
    assert not office.is_open(opening - timedelta(minutes=1), PANAMA)
    assert office.next_opening(opening - timedelta(hours=1), PANAMA) == opening


def _first_open_minute(hours: WeeklyHours, at: datetime, zone: ZoneInfo) -> datetime:
    moment = at
    while not hours.is_open(moment, zone):
        moment += timedelta(minutes=1)
    return moment


@pytest.mark.parametrize(
    "text", ["Mo-Fr 09:00-17:00", "Mo-Su 06:00-10:00,18:00-22:00", "Sa-Su 00:00-24:00"]
)
@pytest.mark.parametrize("change", [utc(2026, 10, 31, 12), utc(2027, 3, 13, 12)])
def test_next_opening_agrees_with_is_open_around_each_dst_change(text, change):
    hours = parse_hours(text)
    for step in range(0, 48 * 60, 50):
        at = change + timedelta(minutes=step)
        assert hours.next_opening(at, NASSAU) == _first_open_minute(hours, at, NASSAU), at


def test_a_window_starting_in_the_spring_forward_gap_opens_when_the_clock_jumps():
    night = parse_hours("Su 02:30-04:00")
    assert night.is_open(utc(2027, 3, 14, 7, 0), NASSAU)  # 03:00 EDT, right after the jump
    assert night.next_opening(utc(2027, 3, 14, 5, 0), NASSAU) == utc(2027, 3, 14, 7, 0)


def test_a_window_in_the_repeated_hour_opens_again_after_the_fall_back():
    night = parse_hours("Su 01:00-01:40")
    at = utc(2026, 11, 1, 5, 50)  # 01:50 EDT: the first 01:00-01:40 is over
    assert night.is_open(utc(2026, 11, 1, 6, 0), NASSAU)  # 01:00 EST, the second pass
    assert night.next_opening(at, NASSAU) == utc(2026, 11, 1, 6, 0)


def test_a_window_wholly_in_the_spring_forward_gap_does_not_open_that_day():
    # 02:10-02:40 never shows on Nassau's clock on 14 March 2027 (02:00 jumps to 03:00): the
    # next opening is the Sunday after, not the jump, when it is closed.
    night = parse_hours("Su 02:10-02:40")
    at = utc(2027, 3, 14, 5, 0)  # 00:00 EST
    opening = night.next_opening(at, NASSAU)
    assert opening == utc(2027, 3, 21, 6, 10)  # 02:10 EDT a week later
    assert night.is_open(opening, NASSAU)


def test_hours_are_closed_on_the_local_days_given_and_reopen_on_the_next_working_day():
    office = parse_hours("Mo-Fr 09:00-17:00")
    holidays = {date(2026, 12, 25), date(2026, 12, 28)}  # Christmas; Boxing Day (observed)
    christmas_morning = utc(2026, 12, 25, 15)  # 10:00 EST, a Friday
    assert office.is_open(christmas_morning, NASSAU)
    assert not office.is_open(christmas_morning, NASSAU, holidays)
    assert office.next_opening(christmas_morning, NASSAU, holidays) == utc(2026, 12, 29, 14)
    # The day is the office's own: 23:30 on the 24th in Nassau is already the 25th in UTC.
    late = parse_hours("Mo-Su 00:00-24:00")
    assert late.is_open(utc(2026, 12, 25, 4, 30), NASSAU, holidays)
    assert not late.is_open(utc(2026, 12, 25, 5, 30), NASSAU, holidays)


def test_around_the_clock_hours_are_open_on_a_holiday():
    assert parse_hours("24/7").is_open(utc(2026, 12, 25, 15), NASSAU, {date(2026, 12, 25)})


def test_hours_closed_on_every_day_given_never_open():
    office = parse_hours("Mo-Fr 09:00-17:00")
    every_day = _EveryDay()
    assert office.next_opening(utc(2026, 12, 25, 15), NASSAU, every_day) is None


class _EveryDay:
    def __contains__(self, day: object) -> bool:
        return True


# Hours told to a reader ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Mo-Fr 08:00-16:00; Sa 09:00-12:00; Su 10:00-11:00,15:00-16:00"),
        ("es", "lun-vie 08:00-16:00; sáb 09:00-12:00; dom 10:00-11:00,15:00-16:00"),
        ("fr", "lun.-ven. 08:00-16:00 ; sam. 09:00-12:00 ; dim. 10:00-11:00,15:00-16:00"),
    ],
)
def test_hours_name_their_days_in_the_readers_language(language: str, expected: str) -> None:
    text = "Mo-Fr 08:00-16:00; Sa 09:00-12:00; Su 10:00-11:00,15:00-16:00"
    hours = parse_hours(text)
    assert hours.localized(language) == expected
    # What the data files and JSON carry does not change with the language.
    assert str(hours) == text
    assert parse_hours("24/7").localized(language) == "24/7"


def test_hours_inside_a_message_are_told_in_the_messages_language() -> None:
    from somnet._i18n import Message

    message = Message.make(
        "open ({hours})", None, 1, {"hours": parse_hours("Mo,We,Fr 09:00-12:00")}, True
    )
    assert str(message) == "open (Mo,We,Fr 09:00-12:00)"
    assert message.localized("fr") == "open (lun.,mer.,ven. 09:00-12:00)"


# Holidays named to a reader ------------------------------------------------------------------

CHRISTMAS = date(2026, 12, 25)


@pytest.mark.parametrize(
    ("state", "language", "expected"),
    [
        ("MX", "es", "Navidad"),
        ("DO", "es", "Día de Navidad"),
        ("CU", "es", "Día de Navidad"),
        ("HT", "es", "Navidad"),
        # Haiti's French is python-holidays' "fr_HT": French all the same.
        ("HT", "fr", "Noël"),
        # python-holidays has no French for Mexico, and nothing but English for the Bahamas,
        # Jamaica and the United States: their names stay English.
        ("MX", "fr", "Christmas Day"),
        ("BS", "es", "Christmas Day"),
        ("JM", "fr", "Christmas Day"),
        ("US", "es", "Christmas Day"),
        ("MX", "en", "Christmas Day"),
    ],
)
def test_a_holiday_is_named_in_the_readers_language_where_python_holidays_has_it(
    state: str, language: str, expected: str
) -> None:
    from somnet._i18n import _, localized
    from somnet.directory.hours import HolidayName, public_holidays

    calendar = public_holidays(state, None, 2026)
    assert calendar is not None
    name = HolidayName(calendar[CHRISTMAS], state, None, CHRISTMAS)
    assert name.localized(language) == expected
    assert localized(name, language) == expected
    message = _("closed ({holiday})").format(holiday=name)
    assert message.localized(language) == f"closed ({expected})"
    # What JSON carries does not change with the language.
    assert str(name) == name == "Christmas Day" and str(message) == "closed (Christmas Day)"


def test_a_day_of_two_holidays_names_both_in_the_readers_language() -> None:
    from somnet.directory.hours import HolidayName, public_holidays

    new_year = date(2026, 1, 1)
    calendar = public_holidays("HT", None, 2026)
    assert calendar is not None
    name = HolidayName(calendar[new_year], "HT", None, new_year)
    assert str(name) == "National Independence Day; New Year's Day"
    assert name.localized("fr") == "Fête de l'Indépendance Nationale ; Nouvel An"
    assert name.localized("es") == "Año Nuevo; Día de la Independencia Nacional"
    # Where python-holidays has not the language, the English names with its separator.
    calendar = public_holidays("US", None, 2026)
    assert calendar is not None
    assert HolidayName("Christmas Day; Boxing Day", "US", None, CHRISTMAS).localized("fr") == (
        "Christmas Day; Boxing Day"
    )


def test_a_holiday_named_in_english_builds_no_calendar(monkeypatch: pytest.MonkeyPatch) -> None:
    # A language must not cost English runs anything: the name is the English one already.
    from somnet.directory import hours
    from somnet.directory.hours import HolidayName

    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("a calendar was built")

    monkeypatch.setattr(hours, "holiday_calendar", refused)
    assert HolidayName("Christmas Day", "MX", None, CHRISTMAS).localized("en") == "Christmas Day"


def test_a_holiday_name_survives_a_copy_and_a_pickle() -> None:
    import copy
    import pickle

    from somnet.directory.hours import HolidayName

    name = HolidayName("Christmas Day", "MX", None, CHRISTMAS)
    for again in (copy.deepcopy(name), pickle.loads(pickle.dumps(name))):
        assert again == "Christmas Day" and again.localized("es") == "Navidad"


@pytest.mark.parametrize(("language", "expected"), [("en", "en_US"), ("es", "es"), ("fr", "fr_HT")])
def test_the_calendar_of_a_state_is_in_the_language_asked_where_it_has_it(
    language: str, expected: str
) -> None:
    from somnet.directory.hours import holiday_calendar

    assert holiday_calendar("HT", None, 2026, language).language == expected
    # English where python-holidays has no French for the state.
    assert holiday_calendar("MX", None, 2026, "fr").language == "en_US"
