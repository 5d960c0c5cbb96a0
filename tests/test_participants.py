"""Who attends: states' focal points, agencies by role, contacts, each with their zone, hours
and public holidays; and the errors that name the field at fault."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from somnet import (
    Directory,
    MeetingError,
    NoSlotError,
    SomnetError,
    UnknownCodeError,
    Window,
    resolve_participants,
)
from somnet import plan_meeting as plan
from somnet.meetings.participants import public_holidays


def test_states_send_their_meeting_focal_points(region: Directory) -> None:
    people = resolve_participants(region, states=["bs", "DO", "BS", " ht "])
    assert [p.contact for p in people] == ["bs-focal", "do-focal", "ht-focal"]
    bahamas = people[0]
    assert bahamas.timezone == "America/Nassau"
    assert str(bahamas.working_hours) == "Mo-Fr 09:00-17:00"
    assert str(bahamas.core_hours) == "Mo-Fr 10:00-16:00"
    assert bahamas.email == "bs-focal@example.org"
    assert bahamas.illustrative


def test_roles_choose_each_states_agency_with_that_role(region: Directory) -> None:
    people = resolve_participants(
        region, states=["PA", "MX"], roles=["Maritime-Law-Enforcement "], contacts=["bs-focal"]
    )
    assert [p.contact for p in people] == ["pa-cg-ops", "mx-cg-ops", "bs-focal"]


def test_hours_and_zone_come_from_the_agency_before_the_state(region: Directory) -> None:
    duty, cancun = resolve_participants(region, contacts=["mx-semar-duty", "mx-cancun-desk"])
    assert duty.working_hours.always and duty.timezone == "America/Mexico_City"
    assert cancun.timezone == "America/Cancun"
    # No core hours of its own: the state's core hours are what it prefers.
    assert str(duty.core_hours) == "Mo-Fr 10:00-15:00"


def test_a_state_without_core_hours_prefers_its_working_hours(region: Directory) -> None:
    (us,) = resolve_participants(region, states=["US"])
    assert us.core_hours == us.working_hours
    assert us.holiday_key == "US-FL"


@pytest.mark.parametrize(
    ("kwargs", "error", "field", "message"),
    [
        ({"states": ["GT"]}, MeetingError, "states", "holds no state GT"),
        ({"states": ["QQ"]}, UnknownCodeError, "states", "not an ISO 3166-1"),
        ({"states": ["JM"]}, MeetingError, "states", "JM .*no meeting_focal_point"),
        ({"states": ["PA"], "roles": ["ship-registry"]}, MeetingError, "roles", "no agency of PA"),
        ({"states": ["PA"], "roles": ["coastguard"]}, MeetingError, "roles", "not a role"),
        ({"roles": ["sar"]}, MeetingError, "roles", "give the states"),
        ({"contacts": ["bs-focl"]}, MeetingError, "contacts", "did you mean bs-focal"),
        ({}, MeetingError, "states", "name the participants"),
    ],
)
def test_participants_that_cannot_be_found_are_errors_naming_the_field(
    region: Directory,
    kwargs: dict[str, Any],
    error: type[SomnetError],
    field: str,
    message: str,
) -> None:
    with pytest.raises(error, match=message) as raised:
        resolve_participants(region, **kwargs)
    assert raised.value.field == field
    assert "--" not in str(raised.value)


def test_dominican_and_haitian_holidays_in_early_january(region: Directory) -> None:
    people = resolve_participants(region, states=["DO", "HT", "PA"])
    calendars, warnings = public_holidays(people, date(2027, 1, 1), date(2027, 1, 10))
    assert warnings == []
    assert calendars["DO"][date(2027, 1, 4)] == "Epiphany"
    assert "National Independence Day" in calendars["HT"][date(2027, 1, 1)]
    assert calendars["HT"][date(2027, 1, 2)] == "Ancestry Day"
    assert calendars["PA"][date(2027, 1, 9)] == "Martyrs' Day"
    with pytest.raises(NoSlotError) as caught:
        plan(people, Window(date(2027, 1, 4), date(2027, 1, 4), 90))
    message = str(caught.value)
    assert "DO do-focal" in message and "2027-01-04 Epiphany" in message
    assert "\n" not in message


def test_a_post_keeps_the_holidays_of_the_part_of_its_host_it_sits_in() -> None:
    """Suriname's consulate in Cayenne keeps French Guiana's calendar (10 June, the Abolition
    of Slavery there), not metropolitan France's, as its plans' office hours do."""
    from somnet import load_directory

    shipped = load_directory(use_env=False)
    (cayenne,) = resolve_participants(shipped, contacts=["sr-cons-cayenne.desk"])
    assert (cayenne.seat, cayenne.holiday_subdivision) == ("FR", "973")
    calendars, warnings = public_holidays([cayenne], date(2026, 6, 1), date(2026, 6, 30))
    assert warnings == []
    assert date(2026, 6, 10) in calendars[cayenne.holiday_key]


def _by_hand(**changed: Any) -> Any:
    """A participant made by a script, with ``changed`` fields."""
    from somnet import Participant, parse_hours

    hours = parse_hours("Mo-Fr 09:00-17:00")
    fields: dict[str, Any] = {
        "contact": "x",
        "name": "x",
        "agency": "x-agency",
        "agency_name": "Agency",
        "state": "PA",
        "seat": "PA",
        "timezone": "America/Panama",
        "working_hours": hours,
        "core_hours": hours,
    }
    return Participant(**{**fields, **changed})


def test_a_participant_made_without_working_hours_is_refused_naming_the_field() -> None:
    # The directory refuses empty hours; a script could make them, and plans then blamed the
    # notice ("no 2 working days within a year", field notice_days) or gave "working hours
    # (, America/Panama)".
    from somnet import WeeklyHours

    with pytest.raises(MeetingError) as raised:
        _by_hand(working_hours=WeeklyHours(always=False))
    assert raised.value.field == "working_hours"
    assert "PA x" in raised.value.reason and "--" not in raised.value.reason
    # Always open, or open some time of the week, is a participant.
    assert _by_hand(working_hours=WeeklyHours(always=True)).working_hours.always


@pytest.mark.parametrize("field", ["working_hours", "core_hours"])
def test_participant_hours_given_as_text_are_refused_naming_the_field(field: str) -> None:
    # Planning failed with an AttributeError deep inside: 'str' object has no attribute ...
    with pytest.raises(MeetingError) as raised:
        _by_hand(**{field: "Mo-Fr 09:00-17:00"})
    assert raised.value.field == field
    assert "WeeklyHours" in raised.value.reason


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "localtime", "", 5])
def test_a_participant_made_with_a_zone_that_is_none_is_refused_naming_the_field(
    zone: Any,
) -> None:
    # Planning failed with a ZoneInfoNotFoundError (a KeyError) deep inside, or read the
    # machine's own zone for "localtime".
    with pytest.raises(MeetingError) as raised:
        _by_hand(timezone=zone)
    assert raised.value.field == "timezone" and raised.value.value == zone
    # UTC is a zone to plan in (no place's, but it reads no hour off).
    assert _by_hand(timezone="UTC").timezone == "UTC"


@pytest.mark.parametrize("zone", ["US/Eastern", "Cuba", "EST", "Etc/GMT+5"])
def test_a_participant_made_with_an_alias_or_a_fixed_offset_is_refused_as_an_invite_is(
    zone: str,
) -> None:
    # Accepted, and planned; then an invite to them, its zone left to theirs (as the command
    # line sends it), was refused naming timezone, a field the caller never gave.
    from somnet.meetings.lifecycle import check_wording

    with pytest.raises(MeetingError) as raised:
        _by_hand(timezone=zone)
    assert raised.value.field == "timezone" and raised.value.value == zone
    with pytest.raises(MeetingError) as worded:
        check_wording(title="t", timezone=zone)
    assert raised.value.reason == worded.value.reason


def test_a_participant_made_with_core_hours_that_never_open_is_refused_naming_the_field() -> None:
    # Every minute was outside their core hours: every slot cost them its whole length, and a
    # series counted each meeting as an inconvenient one for them, whatever its time.
    from somnet import WeeklyHours

    with pytest.raises(MeetingError) as raised:
        _by_hand(core_hours=WeeklyHours(always=False))
    assert raised.value.field == "core_hours"
    assert "PA x" in raised.value.reason and "--" not in raised.value.reason
    assert _by_hand(core_hours=WeeklyHours(always=True)).core_hours.always
