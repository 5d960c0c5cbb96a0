"""A meeting as iCalendar text (RFC 5545, iTIP RFC 5546): CRLF, 75-octet folding, a VTIMEZONE
made for the meeting's dates only, ``METHOD:REQUEST`` or ``CANCEL`` (none for the copy stored
on a CalDAV server), the uninvite that takes some attendees off, and the meeting's description
on every attendee's clock.

The times are written in one IANA zone (by default the first participant's) with a VTIMEZONE
generated for the days around the meeting only: clients such as Outlook mishandle the
1970-2038 definitions some generators emit, and a short definition is exact for the dates it
covers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from somnet._exceptions import MeetingError
from somnet._given import checked_kinds
from somnet._i18n import (
    LANGUAGE_NAMES,
    SOURCE_LANGUAGE,
    _,
    available_languages,
    format_time,
    localized,
    normalise,
)
from somnet.meetings.inputs import DAY
from somnet.meetings.intervals import from_minute, offset_segments, to_minute
from somnet.meetings.records import Meeting, Method, Person

PRODID = "-//somnet//regional meetings//EN"
#: Said in every invite, plan and series with an illustrative contact.
ILLUSTRATIVE_NOTE = _(
    "Contacts marked illustrative are made-up examples shipped with somnet (example.org "
    "addresses): lay your restricted directory over them as an overlay before inviting anyone."
)


@checked_kinds(MeetingError)
def calendar_bytes(meeting: Meeting, *, method: Method | None, now: datetime) -> bytes:
    """The meeting as an iCalendar object: CRLF line ends, lines folded at 75 octets.

    Args:
        meeting: the version to write.
        method: ``REQUEST`` or ``CANCEL`` for iTIP (a file, e-mail); None for the copy stored
            on a CalDAV server, which must not carry a METHOD (RFC 4791 section 4.1).
        now: DTSTAMP.

    Returns:
        The iCalendar object's octets.

    Raises:
        MeetingError: the meeting cannot be written (icalendar refused a value).
    """
    return _calendar(meeting, method=method, now=now, uninvite=False)


def uninvite_bytes(meeting: Meeting, removed: Sequence[Person], *, now: datetime) -> bytes:
    """The ``METHOD:CANCEL`` that takes ``removed`` off a meeting that goes on without them.

    RFC 5546 section 3.2.5: a CANCEL sent only to the attendees removed, naming only them,
    with the UID and the SEQUENCE of the new version of the meeting, and without STATUS (which
    would cancel the whole meeting).

    Args:
        meeting: the new version (from ``changed_meeting``), without them.
        removed: who is uninvited (``removed_attendees``).
        now: DTSTAMP.

    Returns:
        The iCalendar object's octets.

    Raises:
        MeetingError: nobody to uninvite.
    """
    if not removed:
        raise MeetingError(_("meeting {id}: nobody to uninvite").format(id=meeting.id))
    return _calendar(
        attrs.evolve(meeting, attendees=tuple(removed)), method="CANCEL", now=now, uninvite=True
    )


def _calendar(meeting: Meeting, *, method: Method | None, now: datetime, uninvite: bool) -> bytes:
    from icalendar import Calendar, Event, vCalAddress, vText

    zone = ZoneInfo(meeting.timezone)
    start = _local_or_utc(meeting.start, zone)
    end = _local_or_utc(meeting.end, zone)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method is not None:
        cal.add("method", method)
    cal.add_component(vtimezone(meeting.timezone, *_vtimezone_dates(meeting)))
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", now.astimezone(UTC).replace(microsecond=0))
    event.add("created", meeting.created)
    event.add("last-modified", meeting.modified)
    event.add("sequence", meeting.sequence)
    if not uninvite:
        event.add("status", meeting.status)
    event.add("summary", meeting.title)
    event.add("dtstart", start)
    event.add("dtend", end)
    if meeting.location:
        event.add("location", meeting.location)
    event.add("description", vText(description_text(meeting, uninvite=uninvite)))
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{meeting.organizer.email}")
    organizer.params["CN"] = meeting.organizer.name or meeting.organizer.email
    event.add("organizer", organizer)
    for person in meeting.attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["CN"] = person.name or person.email
        attendee.params["CUTYPE"] = "INDIVIDUAL"
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        attendee.params["RSVP"] = (
            "TRUE" if meeting.status != "CANCELLED" and not uninvite else "FALSE"
        )
        event.add("attendee", attendee)
    cal.add_component(event)
    try:
        content: bytes = cal.to_ical()
    except (ValueError, TypeError) as exc:  # pragma: no cover - every value is checked above
        raise MeetingError(
            _("meeting {id}: cannot be written as iCalendar: {exc}").format(id=meeting.id, exc=exc)
        ) from exc
    return content


def _local_or_utc(instant: datetime, zone: ZoneInfo) -> datetime:
    """``instant`` on the zone's clock, or in UTC when that clock shows it twice and this is
    the second time: a local time with a TZID means the first of the two (RFC 5545 section
    3.3.5), so the hour after a fall-back change can only be written in UTC."""
    local = instant.astimezone(zone)
    if local.fold and local.utcoffset() != local.replace(fold=0).utcoffset():
        return instant.astimezone(UTC)
    return local


def _vtimezone_dates(meeting: Meeting) -> tuple[date, date]:
    """The local dates the meeting's VTIMEZONE covers: from the day before the last change of
    offset before the meeting (within a year) to the day after it ends, so that the offset in
    force is described with its real onset, and a zone with daylight saving time gets both a
    STANDARD and a DAYLIGHT observance."""
    zone = ZoneInfo(meeting.timezone)
    start = to_minute(meeting.start)
    first = meeting.start.astimezone(zone).date() - timedelta(days=1)
    last = meeting.end.astimezone(zone).date() + timedelta(days=1)
    segments = offset_segments(meeting.timezone, start - 366 * DAY, start + 1)
    if len(segments) > 1:
        change = from_minute(segments[-1][0]).astimezone(zone).date()
        first = min(first, change - timedelta(days=1))
    return first, last


def vtimezone(tzid: str, first: date, last: date) -> Any:
    """A VTIMEZONE for ``tzid`` that is exact from ``first`` to ``last`` (local dates).

    One observance for the offset in force at the start, and one for each change of offset
    in the range, with DTSTART the onset in the local time of the offset before it (RFC 5545
    section 3.6.5: ``TZOFFSETFROM`` applies to DTSTART).

    Args:
        tzid: the IANA zone.
        first: the first local date covered.
        last: the last local date covered.

    Returns:
        An ``icalendar.Timezone`` component.
    """
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = ZoneInfo(tzid)
    lo = to_minute(datetime.combine(first, time(), tzinfo=zone))
    hi = to_minute(datetime.combine(last + timedelta(days=1), time(), tzinfo=zone))
    component = Timezone()
    component.add("tzid", tzid)
    previous: int | None = None
    for seg_start, _seg_end, offset in offset_segments(tzid, lo, hi):
        instant = from_minute(seg_start).astimezone(zone)
        before = offset if previous is None else previous
        observance = TimezoneDaylight() if instant.dst() else TimezoneStandard()
        onset = from_minute(seg_start + before).replace(tzinfo=None)
        observance.add("dtstart", onset)
        observance.add("tzoffsetfrom", timedelta(minutes=before))
        observance.add("tzoffsetto", timedelta(minutes=offset))
        observance.add("tzname", instant.tzname() or _offset_name(offset))
        component.add_component(observance)
        previous = offset
    return component


def _offset_name(offset: int) -> str:
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset), 60)
    return f"{sign}{hours:02d}{minutes:02d}" if minutes else f"{sign}{hours:02d}"


def meeting_languages(meeting: Meeting) -> tuple[str, ...]:
    """The languages an invite is written in: English, then each language somnet speaks that
    an attendee reads (their contacts' ``languages``), in code order.

    Args:
        meeting: the meeting.

    Returns:
        Language codes, English first.
    """
    spoken = set(available_languages())
    read = {normalise(tag) for person in meeting.attendees for tag in person.languages}
    return (SOURCE_LANGUAGE, *sorted((read & spoken) - {SOURCE_LANGUAGE}))


def in_languages(meeting: Meeting, text: Callable[[str], str]) -> str:
    """``text(code)`` for each of the meeting's languages, one after the other under the
    language's own name (English alone has no heading).

    Args:
        meeting: the meeting.
        text: the text in a language.

    Returns:
        The text, in one language or in several.
    """
    codes = meeting_languages(meeting)
    if len(codes) == 1:
        return text(codes[0])
    return "\n\n".join(f"== {LANGUAGE_NAMES.get(code, code)} ==\n{text(code)}" for code in codes)


def description_text(
    meeting: Meeting, *, uninvite: bool = False, language: str | None = None
) -> str:
    """DESCRIPTION: in English and in each attendee's language, what became of the meeting,
    the organizer's text (once, in the English part), and the meeting on every attendee's
    clock.

    Args:
        meeting: the version described.
        uninvite: for the uninvite of removed attendees.
        language: only this language (default: every language of the meeting).

    Returns:
        The text.
    """
    if language is not None:
        return described_text(meeting, uninvite, language, own=True)
    return in_languages(
        meeting,
        lambda code: described_text(meeting, uninvite, code, own=code == SOURCE_LANGUAGE),
    )


def described_text(meeting: Meeting, uninvite: bool, code: str, *, own: bool) -> str:
    """The meeting's text in one language: what became of it, the organizer's description
    when ``own``, its times on every attendee's clock, the note on illustrative contacts."""
    text = []
    if uninvite:
        text += [
            localized(
                _("You are no longer invited to this meeting; it goes on without you."), code
            ),
            "",
        ]
    elif meeting.status == "CANCELLED":
        text += [localized(_("This meeting is cancelled."), code), ""]
    if own and meeting.description:
        text += [meeting.description.strip(), ""]
    text.append(
        _("{date} {start}-{end} UTC; local times:")
        .format(
            date=f"{meeting.start:%Y-%m-%d}",
            start=f"{meeting.start:%H:%M}",
            end=f"{meeting.end:%H:%M}"
            if meeting.end.date() == meeting.start.date()
            else f"{meeting.end:%Y-%m-%d %H:%M}",
        )
        .localized(code)
    )
    seen: set[tuple[str | None, str]] = set()
    for person, start, end in meeting.local_times():
        zone = person.timezone or meeting.timezone
        if (person.state, zone) in seen:
            continue
        seen.add((person.state, zone))
        where = f"{person.state} " if person.state else ""
        day = format_time(start, "%a %d %b %H:%M", code)
        until = (
            f"{end:%H:%M}"
            if end.date() == start.date()
            else format_time(end, "%a %d %b %H:%M", code)
        )
        text.append(f"- {where}{day}-{until} ({zone})")
    if any(p.illustrative for p in meeting.attendees):
        text += ["", ILLUSTRATIVE_NOTE.localized(code)]
    return "\n".join(text)
