"""Who attends a meeting: participants found in the directory (states' focal points, agencies by
role, contacts), each with the zone, working and core hours and public holidays they live by."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from somnet._exceptions import MeetingError
from somnet._i18n import SHOWN_LENGTH, _, shown, shown_given
from somnet.directory.hours import WeeklyHours, year_runs
from somnet.directory.records import ROLES

if TYPE_CHECKING:
    from somnet.directory.lookup import Directory
    from somnet.directory.records import Agency, Contact

#: Holidays of one participant's calendar: local date -> name(s).
HolidayCalendar = Mapping[date, str]


@attrs.frozen
class Participant:
    """Someone who attends, with the clock and calendar they live by.

    Attributes:
        contact: the contact id in the directory.
        name: how to address them (the contact's name, else title, else the agency's name).
        agency: the agency id.
        agency_name: the agency's English name.
        state: the state they represent (the agency's state).
        seat: the state whose public holidays they keep (where the agency sits).
        timezone: their IANA zone.
        working_hours: when they can meet, in their zone.
        core_hours: when they prefer to meet (the working hours when the state has none).
        holiday_subdivision: the python-holidays subdivision of their seat, if any.
        email: the first e-mail channel of the contact, if any.
        illustrative: a made-up contact shipped as an example.
        languages: the languages the contact speaks (BCP 47).
        represents: for a post abroad (a consulate, an embassy), the state it represents,
            whose national days it may close on though its seat's calendar is kept; None for
            an office in its own state or one of its territories.
        represents_subdivision: the python-holidays subdivision of ``represents``, if any.

    Raises:
        MeetingError: naming the field: a zone IANA does not name, or an alias or a fixed
            offset that is no place's zone (``timezone``; UTC is one, as for an invite);
            hours that are not ``WeeklyHours`` (``parse_hours`` makes them)
            (``working_hours``, ``core_hours``); working hours that open at no
            time (``working_hours``): no meeting could ever be planned with them, and the
            directory never makes such a participant; core hours that open at no time
            (``core_hours``): every meeting would be outside them (the directory gives the
            working hours as core hours when a state has none).
    """

    contact: str
    name: str
    agency: str
    agency_name: str
    state: str
    seat: str
    timezone: str
    working_hours: WeeklyHours
    core_hours: WeeklyHours
    holiday_subdivision: str | None = None
    email: str | None = None
    illustrative: bool = False
    languages: tuple[str, ...] = ()
    represents: str | None = None
    represents_subdivision: str | None = None

    def __attrs_post_init__(self) -> None:
        from somnet._given import one_of_kind
        from somnet._numbers import check_text
        from somnet._time import zone_refusal

        # A script's mistake, told where it is made: planning would fail deep inside (text
        # for hours, a zone zoneinfo cannot read), read the machine's own zone (localtime),
        # or blame the notice and the window for hours that never open.
        check_text(self.timezone, field="timezone", error=MeetingError)
        # A place's zone, or UTC, as an invite's: an invite to them is written in their zone
        # unless told another, and one refused there would blame a zone the caller never gave.
        refusal = zone_refusal(self.timezone, ("place", "universal"))
        if refusal is not None:
            raise MeetingError(refusal, field="timezone", value=self.timezone)
        for field in ("working_hours", "core_hours"):
            one_of_kind(getattr(self, field), WeeklyHours, field=field, error=MeetingError)
        hours = self.working_hours
        if not hours.always and not any(s.start < s.end for s in hours.spans):
            raise MeetingError(
                _(
                    "{label} has no working hours: no meeting could be planned with them; "
                    "give some, such as parse_hours('Mo-Fr 09:00-17:00')"
                ).format(label=self.label),
                field="working_hours",
                value=hours,
            )
        core = self.core_hours
        if not core.always and not any(s.start < s.end for s in core.spans):
            # Every minute would be outside them: every slot would cost its whole length,
            # and a series would count each meeting as inconvenient, whatever its time.
            raise MeetingError(
                _(
                    "{label} has no core hours: every meeting would be outside them; give "
                    "the part of the working hours they prefer, or the working hours "
                    "themselves when they prefer none"
                ).format(label=self.label),
                field="core_hours",
                value=core,
            )

    @property
    def holiday_key(self) -> str:
        """Which public-holiday calendar applies: ``HT`` or ``US-FL``."""
        if self.holiday_subdivision:
            return f"{self.seat}-{self.holiday_subdivision}"
        return self.seat

    def holiday_text(self, name: str) -> str:
        """A public holiday of theirs as messages name it: with the calendar it is from
        (``holiday_key``) when that is not their state's own, e.g. a US office in Puerto Rico
        that keeps Puerto Rico's holidays, a consulate that keeps its host's.

        Args:
            name: the holiday's name.

        Returns:
            ``Emancipation Day in PR``, or ``name`` alone.
        """
        if self.holiday_key == self.state:
            return name
        return _("{holiday} in {calendar}").format(holiday=name, calendar=self.holiday_key)

    @property
    def label(self) -> str:
        """``HT ht-mae-desk``: short enough for tables and messages."""
        return f"{self.state} {self.contact}"

    def view(self) -> ParticipantView:
        """The participant as meeting plans and series show it in JSON."""
        return ParticipantView(
            contact=self.contact,
            name=self.name,
            agency=self.agency,
            state=self.state,
            timezone=self.timezone,
            working_hours=self.working_hours,
            core_hours=self.core_hours,
            email=self.email,
            illustrative=self.illustrative,
            languages=self.languages,
        )


@attrs.frozen
class ParticipantView:
    """A participant in the JSON of plans and series (hours as their text; the languages
    their contact speaks, BCP 47)."""

    contact: str
    name: str
    agency: str
    state: str
    timezone: str
    working_hours: WeeklyHours
    core_hours: WeeklyHours
    email: str | None
    illustrative: bool
    languages: tuple[str, ...] = ()


def resolve_participants(
    directory: Directory,
    *,
    states: Sequence[str] = (),
    roles: Sequence[str] = (),
    contacts: Sequence[str] = (),
) -> list[Participant]:
    """The participants a meeting request names, in the order named, without duplicates.

    Args:
        directory: the loaded directory.
        states: state codes (any case; one may be given alone, as text). Without ``roles``,
            each state's meeting focal point.
        roles: agency roles; for each state in ``states`` and each role, the first contact of
            the first agency of that state with that role.
        contacts: contact ids, added after the states.

    Returns:
        The participants.

    Raises:
        UnknownCodeError: a code that is not ISO 3166-1 alpha-2 (field ``states``).
        MeetingError: naming the field (``states``, ``roles``, ``contacts``): nobody named; a
            state the directory does not hold, or without a focal point; a role outside the
            vocabulary, or no agency with it; an unknown contact id; a contact whose hours are
            unknown (no field: the directory lacks them).
    """
    from somnet._given import a_directory

    a_directory(directory)
    from somnet._codes import state_code, state_name

    states, roles, contacts = (
        _texts(states, "states"),
        _texts(roles, "roles"),
        _texts(contacts, "contacts"),
    )
    roles = list(dict.fromkeys(r.strip().lower() for r in roles))
    if roles and not states:
        raise MeetingError(
            _("give the states whose agencies with that role attend"), field="roles", value=roles[0]
        )
    if not states and not contacts:
        raise MeetingError(
            _("name the participants: states (with roles, their agencies) or contacts"),
            field="states",
        )
    for role in roles:
        if role not in ROLES:
            near = difflib.get_close_matches(role[:SHOWN_LENGTH], sorted(ROLES), n=1)
            refusal = (
                _("{value} is not a role; did you mean {role}?").format(role=repr(near[0]))
                if near
                else _("{value} is not a role; the roles are {roles}").format(
                    roles=", ".join(sorted(ROLES))
                )
            )
            raise MeetingError(
                refusal.format(value=shown(role)),
                field="roles",
                value=role,
            )
    found: dict[str, Participant] = {}
    codes: list[str] = []
    for text in states:
        if len(text.strip()) > SHOWN_LENGTH:  # not a code: not worth suggesting one
            raise MeetingError(
                _("{value} is not a state code like HT").format(value=shown(text.strip())),
                field="states",
                value=text,
            )
        code = state_code(text, field="states", preferred=sorted(directory.states))
        if code not in codes:
            codes.append(code)
    for code in codes:
        state = directory.state(code)
        if state is None:
            raise MeetingError(
                _("the directory holds no state {code} ({state_name}); it holds {items}").format(
                    code=code,
                    state_name=state_name(code),
                    items=", ".join(sorted(directory.states)),
                ),
                field="states",
                value=code,
            )
        chosen: list[tuple[Agency, Contact]] = []
        if not roles:
            if state.meeting_focal_point is None:
                raise MeetingError(
                    _(
                        "{code} ({en}) has no meeting_focal_point in the directory; name a "
                        "contact instead, or choose its agencies by role"
                    ).format(code=code, en=state.names.en),
                    field="states",
                    value=code,
                )
            owner = directory.contact(state.meeting_focal_point)
            if owner is None:  # pragma: no cover - the loader refuses a dangling focal point
                raise MeetingError(
                    _("{code}: focal point {repr} not found").format(
                        code=code, repr=repr(state.meeting_focal_point)
                    )
                )
            chosen.append(owner)
        for role in roles:
            agencies = [a for a in directory.agencies(state=code, role=role) if a.contacts]
            # An office at home before a mission abroad with the same role.
            agencies.sort(key=lambda a: a.located_in not in (None, code))
            if not agencies:
                raise MeetingError(
                    _(
                        "no agency of {code} ({en}) with the role {role} has a contact in the "
                        "directory"
                    ).format(code=code, en=state.names.en, role=role),
                    field="roles",
                    value=role,
                )
            chosen.append((agencies[0], agencies[0].contacts[0]))
        for agency, contact in chosen:
            found.setdefault(contact.id, _participant(directory, agency, contact))
    for contact_id in contacts:
        owner = directory.contact(contact_id.strip())
        if owner is None:
            known = [c.id for _, c in directory.contacts()]
            near = difflib.get_close_matches(contact_id[:SHOWN_LENGTH], known, n=3)
            text = (
                _("no contact has id {value}; did you mean {ids}?").format(ids=", ".join(near))
                if near
                else _("no contact has id {value}")
            )
            raise MeetingError(
                text.format(value=shown(contact_id)),
                field="contacts",
                value=contact_id,
            )
        found.setdefault(owner[1].id, _participant(directory, *owner))
    return list(found.values())


def _texts(given: object, field: str) -> tuple[str, ...]:
    """The states, roles or contacts ``resolve_participants`` was given, read once: one given
    alone is that one, not its letters.

    Raises:
        MeetingError: naming ``field``: not text nor a collection of texts (bytes, a number),
            or an item that is not text.
    """
    from somnet._numbers import check_text

    if isinstance(given, Iterable) and not isinstance(given, str | bytes | Mapping):
        return tuple(check_text(item, field=field, error=MeetingError) for item in given)
    return (check_text(given, field=field, error=MeetingError),)  # refused unless text


def given_participants(participants: object) -> tuple[Participant, ...]:
    """The participants a meeting function was given, read once: a generator is read here,
    not once by each check and again, found empty, by the planning.

    Args:
        participants: who attends, as the caller gave them (a list, a tuple, a generator).

    Returns:
        The participants, in order.

    Raises:
        MeetingError: naming ``participants``: none; not a collection of participants (one
            participant alone, a text, a number); an item that is not a ``Participant``.
    """
    if isinstance(participants, Participant | str | bytes | Mapping) or not isinstance(
        participants, Iterable
    ):
        raise MeetingError(
            _("{value} is not a list of participants (resolve_participants gives one)").format(
                value=shown_given(participants)
            ),
            field="participants",
            value=participants,
        )
    found = tuple(participants)
    if not found:
        raise MeetingError(
            _("no participants: name states, roles or contacts"), field="participants"
        )
    for item in found:
        if not isinstance(item, Participant):
            raise MeetingError(
                _("{value} is not a participant (resolve_participants gives them)").format(
                    value=shown_given(item)
                ),
                field="participants",
                value=item,
            )
    return found


def _participant(directory: Directory, agency: Agency, contact: Contact) -> Participant:
    seat = agency.located_in or agency.state
    seat_state = directory.state(seat)
    hours = directory.agency_hours(agency)
    if hours is None:
        raise MeetingError(
            _(
                "contact {id}: the directory gives no working hours for {id2} or its "
                "state {seat}; add working_hours to the agency"
            ).format(id=contact.id, id2=agency.id, seat=seat)
        )
    core = seat_state.core_hours if seat_state and seat_state.core_hours else hours
    email = next((c.value for c in contact.channels if c.kind == "email"), None)
    abroad = directory.sovereign_of(seat) != directory.sovereign_of(agency.state)
    home = directory.state(agency.state) if abroad else None
    return Participant(
        contact=contact.id,
        name=contact.name or contact.title or agency.name_en,
        agency=agency.id,
        agency_name=agency.name_en,
        state=agency.state,
        seat=seat,
        timezone=directory.agency_timezone(agency),
        working_hours=hours,
        core_hours=core,
        holiday_subdivision=directory.agency_holiday_subdivision(agency),
        email=email,
        illustrative=contact.illustrative,
        languages=contact.languages,
        represents=agency.state if abroad else None,
        represents_subdivision=home.holiday_subdivision if home else None,
    )


def national_days_abroad(
    participants: Sequence[Participant],
    starts: Iterable[datetime],
    duration: int,
    *,
    holidays: Mapping[str, HolidayCalendar] | None = None,
) -> list[str]:
    """What a plan says of the meetings it offers on a national day of the state a post
    abroad represents: the post keeps its seat's calendar (python-holidays), and many posts
    also close on their own national days, which no calendar records post by post.

    Args:
        participants: who attends.
        starts: the UTC starts offered.
        duration: the meetings' length in minutes.
        holidays: the calendars the plan was given, by ``holiday_key`` (the represented
            state's is keyed ``HT``, or ``US-PR`` with its subdivision): when given, the
            national days are read there, as the slots and the notice are (a state without
            a calendar there has none), and nothing is said of calendars unknown; looked up
            with python-holidays when None.

    Returns:
        One warning for each such post and day.
    """
    abroad = [p for p in participants if p.represents]
    starts = sorted(starts)
    if not abroad or not starts:
        return []
    from somnet.directory.hours import HolidayName
    from somnet.directory.hours import public_holidays as holidays_of
    from somnet.meetings.intervals import zone

    found: list[str] = []
    for participant in abroad:
        code = participant.represents or ""
        tz = zone(participant.timezone)
        days = sorted(
            {
                moment.astimezone(tz).date()
                for start in starts
                for moment in (start, start + timedelta(minutes=max(duration - 1, 0)))
            }
        )
        calendars: dict[int, Mapping[date, str] | None]
        if holidays is not None:
            key = (
                f"{code}-{participant.represents_subdivision}"
                if (participant.represents_subdivision)
                else code
            )
            given = holidays.get(key, {})
            calendars = {day.year: given for day in days}
        else:
            calendars = {
                year: holidays_of(code, participant.represents_subdivision, year)
                for year in {day.year for day in days}
            }
        unknown = [year for year, calendar in calendars.items() if calendar is None]
        if unknown:
            found.append(
                _(
                    "{label}: public holidays of {code}, the state this post represents, are "
                    "not known for {years}: it may be closed on one of its national days; "
                    "confirm the date with it"
                ).format(label=participant.label, code=code, years=year_runs(unknown))
            )
        for day in days:
            holiday = (calendars[day.year] or {}).get(day)
            if holiday:
                found.append(
                    _(
                        "{label}: {day} is a public holiday in {code} ({holiday}), the state "
                        "this post represents: it may be closed; confirm the date with it"
                    ).format(
                        label=participant.label,
                        day=day.isoformat(),
                        code=code,
                        # Named in the language the warning is told in (a name given, as
                        # given).
                        holiday=holiday
                        if holidays is not None
                        else HolidayName(holiday, code, participant.represents_subdivision, day),
                    )
                )
    return found


def decreed_closures(
    participants: Sequence[Participant], starts: Iterable[datetime], duration: int
) -> list[str]:
    """What a plan says of the meetings it offers on a day that is no public holiday, but on
    which a state closes its public offices by a decree of the year, in most years
    (``DECREED_CATEGORIES``: Panama's Carnival Monday): of each participant whose office is
    in its own state (a post abroad is not one of the host's public offices).

    Args:
        participants: who attends.
        starts: the UTC starts offered.
        duration: the meetings' length in minutes.

    Returns:
        One warning for each such participant and day.
    """
    from somnet.directory.hours import (
        DECREED_CATEGORIES,
        HolidayName,
        holiday_calendar,
        holiday_names,
    )
    from somnet.meetings.intervals import zone

    starts = sorted(starts)
    found: list[str] = []
    for participant in participants:
        extra = DECREED_CATEGORIES.get(participant.seat, ())
        if not extra or participant.represents or not starts:
            continue
        tz = zone(participant.timezone)
        days = sorted(
            {
                moment.astimezone(tz).date()
                for start in starts
                for moment in (start, start + timedelta(minutes=max(duration - 1, 0)))
            }
        )
        seat, subdivision = participant.seat, participant.holiday_subdivision
        years = sorted({day.year for day in days})
        try:
            public = holiday_calendar(seat, subdivision, years)
            decreed = holiday_calendar(seat, subdivision, years, also=extra)
        except NotImplementedError:  # no calendar: public_holidays warns of it
            continue
        for day in days:
            if day in public or day not in decreed:
                continue
            name = HolidayName(holiday_names(decreed.get_list(day)), seat, subdivision, day)
            found.append(
                _(
                    "{label}: {day} is {holiday} in {code}, no public holiday, but its public "
                    "offices are closed on it by a decree in most years: confirm the date "
                    "with them"
                ).format(label=participant.label, day=day.isoformat(), holiday=name, code=seat)
            )
    return found


def public_holidays(
    participants: Iterable[Participant], first: date, last: date
) -> tuple[dict[str, dict[date, str]], list[str]]:
    """The public holidays (observed days included) of each participant's calendar, and the
    days its offices close though they are none (``CLOSURE_CATEGORIES``).

    Args:
        participants: whose calendars; keyed by ``Participant.holiday_key``.
        first: the first local date that matters.
        last: the last local date that matters.

    Returns:
        The calendars by key (names in English where python-holidays has them, each a
        ``HolidayName`` that a message tells in its own language), and a warning
        for each state or subdivision python-holidays does not cover, and for each one whose
        calendar python-holidays does not have for some of the years (their days are then not
        checked: python-holidays lists no holiday in them, which is not a year without any).
    """
    from somnet.directory.hours import (
        CLOSURE_CATEGORIES,
        HolidayName,
        covered_years,
        holiday_calendar,
        holiday_names,
    )

    years = list(range(first.year, last.year + 1))
    calendars: dict[str, dict[date, str]] = {}
    warnings: list[str] = []
    for participant in participants:
        key = participant.holiday_key
        if key in calendars:
            continue
        try:
            entity = holiday_calendar(
                participant.seat,
                participant.holiday_subdivision,
                years,
                also=CLOSURE_CATEGORIES.get(participant.seat, ()),
            )
        except NotImplementedError as exc:
            calendars[key] = {}
            warnings.append(
                _(
                    "{label}: public holidays of {key} are not checked (python-holidays: {exc})"
                ).format(label=participant.label, key=key, exc=exc)
            )
            continue
        seat, subdivision = participant.seat, participant.holiday_subdivision
        closures = CLOSURE_CATEGORIES.get(seat, ())
        # The days of the public calendar alone: the others are days offices close though
        # they are no public holiday, and are told so.
        public = holiday_calendar(seat, subdivision, years) if closures else entity
        calendars[key] = {
            # Named in English, and in the language of the text where python-holidays can.
            day: HolidayName(
                holiday_names(entity.get_list(day)), seat, subdivision, day, day not in public
            )
            for day in sorted(entity)
            if first <= day <= last
        }
        start, end = covered_years(entity)
        uncovered = [year for year in years if not start <= year <= end]
        if uncovered:
            warnings.append(
                _(
                    "{label}: public holidays of {key} in {years} are not checked "
                    "(its calendar is known for {start}-{end} only)"
                ).format(
                    label=participant.label,
                    key=key,
                    years=year_runs(uncovered),
                    start=start,
                    end=end,
                )
            )
    return calendars, warnings
