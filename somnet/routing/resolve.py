"""Resolving a step: the agency of the role (or the consular post, or the RCC), its contacts
best first, and the channels answered at the time of contact."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import attrs

from somnet._codes import state_code, state_name
from somnet._i18n import Message, _, _n, joined_messages, quoted
from somnet._terms import role_name
from somnet._time import utc_offset
from somnet.directory.hours import HolidayName
from somnet.directory.lookup import Directory, days_before, primary_first
from somnet.directory.records import (
    Agency,
    ConsularChannel,
    RoleGap,
)
from somnet.routing.agreements import mention_text
from somnet.routing.asks import Ask, joined
from somnet.routing.interception import (
    Interception,
)
from somnet.routing.plan import ChannelChoice, ContactChoice, OtherAgency, Step

#: Steps about the vessel itself: the flag state's answer, and the offence aboard (UNTOC art.
#: 15(1)(b)). For a territory's vessel, a sovereign with no authority for the role at home
#: answers through its authority for that territory.
VESSEL_JURISDICTION = frozenset({"flag-state-authorization", "investigation"})
#: Steps about the people where they are landed, asked of the landing state. People landed in
#: a sovereign itself (the United Kingdom, from the Cayman Islands' waters) are in its own
#: jurisdiction: its authorities there answer, not those of its territory whose waters they
#: were found in, which have no say in a landing in Britain.
AT_THE_LANDING = frozenset(
    {
        "disembarkation",
        "protection-referral",
        "child-protection",
        "trafficking-victim-referral",
        "repatriation",
        "anti-corruption",
    }
)


def resolve(
    directory: Directory,
    i: Interception,
    rule: str,
    basis: tuple[str, ...],
    ask: Ask,
    stale_days: int,
    unknown_holidays: set[tuple[str, int]] | None = None,
) -> Step:
    """The step ``ask`` asks for, its agency and contacts found in ``directory``.

    Args:
        unknown_holidays: where the states and years whose public holidays were needed (to
            say an office is open) but are not known are added, for the plan to say once;
            None not to keep them.
    """
    base = Step(
        purpose=ask.purpose,
        rule=rule,
        action=ask.action,
        state=ask.state,
        role=ask.role,
        resolved=False,
        basis=basis,
        agreement=ask.agreement,
        requires_consent=ask.requires_consent,
        notes=ask.notes,
        warnings=ask.warnings,
        nationality=ask.nationality,
        mentioned=ask.mentioned,
        provenance=(*ask.provenance, *(mention_text(m) for m in ask.mentioned)),
        deferred=ask.deferred,
        waits_for=ask.waits_for,
        own_nationals=ask.own_nationals,
    )
    if ask.also:
        base = attrs.evolve(
            base,
            also=tuple(
                _other_agency(directory, i, a, why, ask.role, stale_days, unknown_holidays)
                for a, why in ask.also
            ),
        )
    if ask.missing is not None or ask.state is None:
        what = ask.missing.what if ask.missing else _("the state whose authority is needed")
        return attrs.evolve(
            base,
            missing=ask.missing.fields if ask.missing else (),
            notes=(
                *ask.notes,
                _("Unresolved: the interception does not say {what}.").format(what=what),
            ),
        )
    notes = list(ask.notes)
    warnings = list(ask.warnings)
    provenance = list(base.provenance)
    if ask.agreement is not None:
        agreement = ask.agreement
        provenance[:0] = [
            _("{id}: {note}").format(id=agreement.id, note=note) for note in agreement.notes
        ]
        # The condition an agreement's provisions depend on belongs in the step itself.
        if agreement.provides.condition:
            warnings.append(
                _(
                    "Only if {condition} ({id}); otherwise the agreement does not apply: request "
                    "instead."
                ).format(condition=agreement.provides.condition, id=agreement.id)
            )
        if agreement.status == "terminated" and agreement.ended is not None:
            # Applied to a past moment: it governed that day, and no case after it ended. Or
            # denounced with effect from a day still ahead: it governs until then.
            warnings.append(
                (
                    _(
                        "{id} ends on {ended}: it governs until the day before, and no case "
                        "from that day."
                    )
                    if agreement.ended > directory.today_in(i.acting)
                    else _(
                        "{id} ended on {ended}: it governed on the day of this plan, and "
                        "governs no case after it ended."
                    )
                ).format(id=agreement.id, ended=agreement.ended.isoformat())
            )
        if agreement.in_force_from_practice:
            warnings.append(
                _(
                    "{id} is treated as in force because it is applied in practice; no record "
                    "of its entry into force was seen."
                ).format(id=agreement.id)
            )
    agency: Agency | None = ask.agency
    role = ask.role
    # What the search below warns of when it finds no agency is why the step is unresolved.
    searched_from = len(warnings)
    if agency is None and ask.consular_receiving is not None:
        agency, found_notes, found_warnings, found_provenance = consular_mission(
            directory, ask.state, ask.consular_receiving
        )
        notes += found_notes
        warnings += found_warnings
        provenance += found_provenance
        if agency is None:
            ministry = directory.foreign_ministry(ask.state)
            if ministry is not None:
                agency, role = ministry, "foreign-affairs"
                notes.append(
                    _(
                        "Without a consular post, the notice goes through diplomatic channels "
                        "(usually through your own foreign ministry) to {agency} of {state} "
                        "({name}), which can also say which of its missions covers {receiving}."
                    ).format(
                        agency=ministry.name_en,
                        state=ministry.state,
                        name=state_name(ministry.state),
                        receiving=ask.consular_receiving,
                    )
                )
    elif agency is None:
        candidates_roles = (ask.role, *ask.fallback_roles)
        # Asked of the state at home: the country people go back to, or the landing state
        # about people landed in it (not in one of its territories).
        at_landing = ask.state == i.disembark and ask.purpose in AT_THE_LANDING
        at_home = ask.home or at_landing
        territories = (
            _own_territories(directory, i, ask.state, (i.coastal or i.coast, i.acting))
            if at_landing
            else []
        )
        if territories:
            # People landed in a sovereign itself from (or by) one of its territories: its own
            # authorities receive them, not the territory's. Where the directory holds none
            # for the role at home (the United Kingdom's are recorded for its territories),
            # its foreign ministry says which does.
            notes.append(
                _n(
                    "People landed in {state} ({name}) itself are for its own authorities, not "
                    "those of {territories}, its territory.",
                    "People landed in {state} ({name}) itself are for its own authorities, not "
                    "those of {territories}, its territories.",
                    len(territories),
                ).format(
                    state=ask.state,
                    name=state_name(ask.state),
                    territories=", ".join(territories),
                )
            )
            if not ask.serving and "foreign-affairs" not in candidates_roles:
                candidates_roles += ("foreign-affairs",)
        for candidate in candidates_roles:
            found = (
                _serving_own_territory(directory, i, ask.state, candidate, notes)
                or directory.agencies(role=candidate, serving=ask.state)
                if ask.serving
                else (
                    []
                    if at_home
                    else _in_own_territory(
                        directory,
                        i,
                        ask.state,
                        candidate,
                        notes,
                        # The flag state answers for its register and for boarding its vessel
                        # before anyone is landed: where they will be is not where it acts.
                        (i.coastal,) if ask.purpose == "flag-state-authorization" else None,
                    )
                )
                or directory.at_home(ask.state, candidate)
                + _stationed(directory, ask.state, candidate)
                or (
                    _in_own_territory(directory, i, ask.state, candidate, notes, (i.flag,))
                    if ask.purpose in VESSEL_JURISDICTION
                    else []
                )
            )
            by_covers = False
            if not found and not ask.serving:
                # Another jurisdiction's agency that acts for this one (the Dutch Caribbean
                # Coast Guard for Aruba): its ``covers`` says so.
                found = [
                    a
                    for a in directory.agencies(role=candidate, serving=ask.state)
                    if a.state != ask.state
                ]
                by_covers = True
            if found:
                # The agency marked primary for the role first (stable: then confirmed, by id).
                found = primary_first(found, candidate)
                agency, role = found[0], candidate
                # Found by what it covers, or stationed there: said once, of the one chosen.
                if (
                    not ask.serving
                    and agency.state != ask.state
                    and (by_covers or agency.located_in == ask.state)
                ):
                    notes.append(
                        _("{agency} ({state}) acts for {served} as its {role} authority.").format(
                            agency=agency.name_en,
                            state=agency.state,
                            served=ask.state,
                            role=role_name(candidate),
                        )
                    )
                if candidate != ask.role:
                    notes.append(
                        _(
                            "No {role} agency of {state} in the directory: falling back to its "
                            "{fallback} authority."
                        ).format(
                            role=role_name(ask.role),
                            state=ask.state,
                            fallback=role_name(candidate),
                        )
                    )
                if len(found) > 1:
                    others = ", ".join(a.id for a in found[1:])
                    notes.append(_("Also with this role: {ids}.").format(ids=others))
                break
        else:
            sovereign = directory.sovereign_of(ask.state)
            fallback = (
                _sovereigns(directory, sovereign, candidates_roles, serving=ask.serving)
                if sovereign != ask.state
                else None
            )
            if fallback is not None:
                agency, role = fallback
                warnings.append(
                    _(
                        "The directory has no {role} authority for {state} ({name}): {agency} of "
                        "{sovereign}, its sovereign, is shown; check that it acts in {state}."
                    ).format(
                        role=role_name(role),
                        state=ask.state,
                        name=state_name(ask.state),
                        agency=agency.name_en,
                        sovereign=sovereign,
                    )
                )
            else:
                warnings.append(
                    _("The directory has no {roles} agency for {state} ({name}).").format(
                        roles=joined_messages([role_name(r) for r in candidates_roles], " / "),
                        state=ask.state,
                        name=state_name(ask.state),
                    )
                )
            # What the data says of the gap: what was searched, whom to ask meanwhile.
            gap = _documented_gap(directory, ask.state, candidates_roles)
            if gap is not None:
                first = gap.summary
                notes.append(
                    _("The directory's note on this gap in {state}: {note}").format(
                        state=ask.state, note=quoted(first)
                    )
                )
                if first != gap.note:
                    provenance.append(
                        _("What was searched for this gap in {state}: {note}").format(
                            state=ask.state, note=quoted(gap.note)
                        )
                    )
    if agency is None:
        searched = warnings[searched_from:]
        return attrs.evolve(
            base,
            role=role,
            notes=tuple(notes),
            warnings=tuple(warnings),
            provenance=tuple(provenance),
            unresolved_because=searched[-1] if searched else None,
        )
    if agency.status != "confirmed":
        warnings.append(
            _("{agency}: the record is uncertain; confirm before relying on it.").format(
                agency=agency.name_en
            )
        )
        if agency.notes:
            provenance.append(
                _("Why {id} is uncertain: {notes}.").format(
                    id=agency.id, notes=joined(agency.notes)
                )
            )
    contacts, contact_notes, contact_warnings = _choose_contacts(
        directory,
        agency,
        i,
        stale_days,
        role,
        set() if unknown_holidays is None else unknown_holidays,
    )
    return attrs.evolve(
        base,
        role=role,
        resolved=True,
        agency=agency,
        contacts=contacts,
        notes=(*notes, *contact_notes),
        warnings=(*warnings, *contact_warnings),
        provenance=tuple(provenance),
        timezone=directory.agency_timezone(agency),
    )


def _other_agency(
    directory: Directory,
    i: Interception,
    agency: Agency,
    why: str,
    role: str,
    stale_days: int,
    unknown_holidays: set[tuple[str, int]] | None,
) -> OtherAgency:
    """Another agency to call for a step (``Ask.also``), with its contacts and the channels
    answered at the time of contact, as the step's own agency is given."""
    contacts, notes, warnings = _choose_contacts(
        directory,
        agency,
        i,
        stale_days,
        role,
        set() if unknown_holidays is None else unknown_holidays,
    )
    if agency.status != "confirmed":
        warnings.append(
            _("{agency}: the record is uncertain; confirm before relying on it.").format(
                agency=agency.name_en
            )
        )
    return OtherAgency(
        state=agency.state,
        agency=agency,
        contacts=contacts,
        timezone=directory.agency_timezone(agency),
        notes=(why, *notes),
        warnings=tuple(warnings),
    )


def _sovereigns(
    directory: Directory, sovereign: str, roles: tuple[str, ...], *, serving: bool
) -> tuple[Agency, str] | None:
    """The sovereign's agency for a territory that has none of its own for any of ``roles``
    (the last resort: a territory with its own law has its own authorities)."""
    for role in roles:
        found = (
            primary_first(directory.agencies(role=role, serving=sovereign), role)
            if serving
            else directory.at_home(sovereign, role)
        )
        if found:
            return found[0], role
    return None


def _documented_gap(directory: Directory, code: str, roles: tuple[str, ...]) -> RoleGap | None:
    """The state's recorded gap for the first of ``roles`` it documents, if any."""
    state = directory.state(code)
    if state is None:
        return None
    return next((gap for role in roles if (gap := state.gap_for(role)) is not None), None)


def _stationed(directory: Directory, place: str, role: str) -> list[Agency]:
    """Another jurisdiction's agencies stationed in ``place``, serving it and marked primary for
    ``role`` (the U.S. Coast Guard sector in Puerto Rico): they act there before the place's
    own agencies not marked primary for it. After the place's own in the list, so that one of
    its own marked primary still comes first."""
    return [
        a
        for a in directory.agencies(role=role, serving=place)
        if a.state != place and a.located_in == place and role in a.primary_for
    ]


def _in_own_territory(
    directory: Directory,
    i: Interception,
    state: str,
    role: str,
    notes: list[str],
    codes: tuple[str | None, ...] | None = None,
) -> list[Agency]:
    """A state acting where it is sovereign but not at home (France off Saint-Martin, the
    United Kingdom off the Cayman Islands): the authority competent there. First its own agency
    that serves the territory (the prosecutor's office at Saint-Martin, the U.S. Attorney for
    Puerto Rico), then the territory's own (the Cayman Islands' prosecutor, where the territory
    has its own law); empty when neither exists, and the state's own agencies are asked.
    ``codes`` are the places to look at (default: the waters' and the landing place)."""
    for place in _own_territories(directory, i, state, codes):
        serving = directory.agencies(role=role, serving=place)
        found = [a for a in serving if a.state == state] or [a for a in serving if a.state == place]
        if found:
            # The one the step will name (primary for the role first), in the note too.
            found = primary_first(found, role)
            notes.append(
                _("{agency} acts for {state} in {place} ({name}).").format(
                    agency=found[0].name_en, state=state, place=place, name=state_name(place)
                )
            )
            return found
    return []


def _serving_own_territory(
    directory: Directory, i: Interception, state: str, role: str, notes: list[str]
) -> list[Agency]:
    """The office (UNHCR's) that covers the territory of ``state`` where it acts (the United
    Kingdom off the Turks and Caicos Islands): the people are there, whichever office serves
    ``state`` at home. Empty when people are landed in ``state`` itself, when it acts in
    none of its territories, or when none is covered."""
    if state == i.disembark:
        return []
    for place in _own_territories(directory, i, state):
        found = primary_first(directory.agencies(role=role, serving=place), role)
        if found:
            notes.append(
                _(
                    "{agency} covers {place} ({name}), the territory of {state} where it acts."
                ).format(agency=found[0].name_en, place=place, name=state_name(place), state=state)
            )
            return found
    return []


def _own_territories(
    directory: Directory,
    i: Interception,
    state: str,
    codes: tuple[str | None, ...] | None = None,
) -> list[str]:
    """Of ``codes`` (default: the waters' and the landing place's), those that are
    territories of ``state``."""
    return [
        p
        for p in dict.fromkeys((i.coastal, i.disembark) if codes is None else codes)
        if p is not None and p != state and directory.sovereign_of(p) == state
    ]


def consular_channels(
    directory: Directory, nationality: str, receiving: str
) -> tuple[list[ConsularChannel], list[Message], list[Message]]:
    """The consular channels for ``nationality`` in ``receiving``, with what was inferred.

    A territory's people are protected by its sovereign's missions; a territory with no
    record of its own is looked up under its sovereign, whose missions are accredited to it
    unless the record says otherwise, with a warning to check the post covers it.

    Codes are ISO 3166-1 alpha-2, in any case; one that is not is refused with an
    ``UnknownCodeError`` naming ``nationality`` or ``receiving``."""
    from somnet._given import a_directory

    a_directory(directory)
    nationality = state_code(nationality, field="nationality", preferred=directory.states)
    receiving = state_code(receiving, field="receiving", preferred=directory.states)
    nationalities = dict.fromkeys((nationality, directory.sovereign_of(nationality)))
    receivings = dict.fromkeys((receiving, directory.sovereign_of(receiving)))
    for rec in receivings:
        for nat in nationalities:
            found = directory.consular_channels(nationality=nat, receiving=rec)
            if not found:
                continue
            notes: list[Message] = []
            warnings: list[Message] = []
            if nat != nationality:
                notes.append(
                    _(
                        "{territory} ({name}) is a territory of {sovereign}: its people are "
                        "protected by {sovereign}'s consular posts."
                    ).format(territory=nationality, name=state_name(nationality), sovereign=nat)
                )
            if rec != receiving:
                warnings.append(
                    _(
                        "The directory records no post of {nationality} for {receiving} itself: "
                        "these are {nationality}'s posts in {sovereign}, its sovereign; check "
                        "which covers {receiving}."
                    ).format(nationality=nat, receiving=receiving, sovereign=rec)
                )
            return found, notes, warnings
    return [], [], []


def consular_mission(
    directory: Directory, nationality: str, receiving: str
) -> tuple[Agency | None, list[Message], list[Message], list[Message]]:
    """R6: the post that handles landings where the data names one, else a resident embassy
    or consulate, else concurrent accreditation, else an honorary consul, else a warning that
    no mission covering the receiving state was found. Other resident posts are named, with
    their districts, so the officer can choose the nearest."""
    channels, fallback_notes, fallback_warnings = consular_channels(
        directory, nationality, receiving
    )
    usable = [
        (channel, mission)
        for channel in channels
        if channel.type != "none" and channel.mission is not None
        for mission in [directory.agency(channel.mission)]
        if mission is not None
    ]
    if usable:
        (channel, mission), others = usable[0], usable[1:]
        notes = list(fallback_notes)
        if channel.protecting_state:
            notes.append(
                _(
                    "Consular protection of {nationality} nationals is given by {protecting} "
                    "({name})."
                ).format(
                    nationality=nationality,
                    protecting=channel.protecting_state,
                    name=state_name(channel.protecting_state),
                )
            )
        if channel.serves_landings:
            notes.append(
                _(
                    "The post that handles nationals landed from the sea (district: {district})."
                ).format(district=channel.district)
                if channel.district
                else _("The post that handles nationals landed from the sea.")
            )
        if channel.type == "concurrent":
            notes.append(
                _(
                    "No resident mission of {nationality} in {receiving}: {mission} is "
                    "accredited to {receiving} from {seat}."
                ).format(
                    nationality=nationality,
                    receiving=receiving,
                    mission=mission.name_en,
                    seat=mission.located_in or mission.state,
                )
            )
        elif channel.type == "honorary":
            notes.append(
                _("Only an honorary consul of {nationality} covers {receiving}.").format(
                    nationality=nationality, receiving=receiving
                )
            )
        elif channel.type == "office":
            notes.append(
                _(
                    "{mission} is not a consular post: an office without diplomatic or consular "
                    "status, which can pass a message on but cannot exercise consular functions. "
                    "Also ask {nationality}'s foreign ministry."
                ).format(mission=mission.name_en, nationality=nationality)
            )
        resident = [
            _("{mission} ({id}; district: {district})").format(
                mission=m.name_en, id=m.id, district=c.district
            )
            if c.district
            else _("{mission} ({id})").format(mission=m.name_en, id=m.id)
            for c, m in others
            if c.type in ("embassy", "consulate")
        ]
        if resident:
            notes.append(
                _("Other posts of {nationality} in {receiving}: {posts}.").format(
                    nationality=nationality,
                    receiving=receiving,
                    posts=joined_messages(resident, _("; ")),
                )
            )
        warnings = list(fallback_warnings)
        provenance: list[Message] = []
        if channel.status != "confirmed":
            warnings.append(_("This consular channel is uncertain: confirm it with the mission."))
            if channel.notes:
                provenance.append(
                    _("Why the consular channel is uncertain: {notes}.").format(
                        notes=joined(channel.notes)
                    )
                )
        return mission, notes, warnings, provenance
    name = f"{nationality} ({state_name(nationality)})"
    nones = [c for c in channels if c.type == "none"]
    if nones:
        checked = max(c.last_verified for c in nones)
        why = joined([n for c in nones for n in c.notes])
        found = (
            _(
                "No consular mission of {name} covering {receiving} was found (checked "
                "{checked}). Ask {name}'s foreign ministry or its nearest mission."
            )
            if any(c.status == "confirmed" for c in nones)
            else _(
                "No consular mission of {name} covering {receiving} was found (checked "
                "{checked}; this is uncertain). Ask {name}'s foreign ministry or its nearest "
                "mission."
            )
        )
        return (
            None,
            [],
            [found.format(name=name, receiving=receiving, checked=checked.isoformat())],
            [_("How it was concluded: {why}.").format(why=why)] if why else [],
        )
    return (
        None,
        [],
        [
            _(
                "The directory records no consular mission of {name} covering {receiving}: ask "
                "{name}'s foreign ministry or the nearest mission."
            ).format(name=name, receiving=receiving)
        ],
        [],
    )


def _choose_contacts(
    directory: Directory,
    agency: Agency,
    i: Interception,
    stale_days: int,
    role: str,
    unknown_holidays: set[tuple[str, int]],
) -> tuple[tuple[ContactChoice, ...], list[Message], list[Message]]:
    """The agency's contacts, best first: those dedicated to the step's role, then general
    ones, then those for other roles; within each, those who
    share a language with the acting state's officers, then those answering now (24/7 first),
    duty posts before desks before persons."""
    zone = ZoneInfo(directory.agency_timezone(agency))
    # Office hours are kept on the calendar of the place the office sits (a consulate abroad
    # closes on the holidays of its host), 24/7 on none.
    seat = agency.located_in or agency.state
    closed = _Holidays(
        seat,
        directory.agency_holiday_subdivision(agency),
        functools.partial(directory.agency_holidays, agency),
        unknown_holidays,
    )
    acting = directory.state(i.acting) if i.acting else None
    officer_languages = {_primary(t) for t in acting.languages} if acting else set()
    # Counted on the acting state's calendar (as `directory stale` counts on the home
    # state's), whatever offset the time was written in.
    day = directory.today_in(i.acting, i.at)
    limit = days_before(day, stale_days)
    choices = []
    # Most channels keep their agency's hours: each distinct hours is asked about once (by
    # identity: the directory holds them for the whole plan).
    answers: dict[int, tuple[bool, datetime | None, bool, str]] = {}
    keeps_hours = False  # a channel keeps weekly (office) hours, not 24/7
    for contact in agency.contacts:
        channels = []
        for channel in contact.channels:
            hours = directory.channel_hours(agency, channel)
            keeps_hours = keeps_hours or (hours is not None and not hours.always)
            if hours is None:
                # Unknown hours (a post abroad where the directory holds no file of the place
                # it sits) are not presented as open; written empty, as the directory writes
                # the channel's availability, not in words a reader of hours cannot read.
                text: str = ""
                available, nxt, always = False, None, False
            elif id(hours) in answers:
                available, nxt, always, text = answers[id(hours)]
            else:
                available = hours.is_open(i.at, zone, closed)
                opening = None if available else hours.next_opening(i.at, zone, closed)
                nxt = opening.astimezone(zone) if opening else None
                always, text = hours.always, str(hours)
                answers[id(hours)] = (available, nxt, always, text)
            channels.append(
                ChannelChoice(
                    channel.kind,
                    channel.value,
                    available,
                    nxt,
                    always,
                    text,
                    dialable=channel.dialable,
                    placeholder=channel.telephone and not channel.dialable,
                )
            )
        # Openings compared as instants: in an hour the clock repeats, 01:45 before the change
        # comes before 01:10 after it, which the wall clock (PEP 495) puts first.
        channels.sort(
            key=lambda c: (not c.available, not c.always, c.next_available is None, _utc(c))
        )
        shares = (
            bool(officer_languages & {_primary(t) for t in contact.languages})
            if officer_languages
            else None
        )
        stale = (day - contact.last_verified).days if contact.last_verified < limit else None
        choices.append(ContactChoice(contact, tuple(channels), shares, stale))
    choices.sort(
        key=lambda c: (
            # A contact dedicated to the role, then a general one, then one for other roles.
            0 if role in c.contact.roles else 2 if c.contact.roles else 1,
            c.shares_language is False,
            not c.available,
            not any(ch.always for ch in c.channels),
            {"duty": 0, "desk": 1, "person": 2}[c.contact.kind],
        )
    )
    notes: list[Message] = []
    warnings: list[Message] = []
    holiday = closed.name(i.at.astimezone(zone).date()) if keeps_hours else None
    # A post abroad keeps its host's calendar for open or closed; many also close on the
    # national days of the state they represent, which no calendar records per post: said
    # where an office channel is shown open on such a day, or opens next on one.
    home = directory.state(agency.state)
    represented = (
        _Holidays(
            agency.state,
            home.holiday_subdivision if home else None,
            functools.partial(directory.public_holidays, agency.state),
            unknown_holidays,
        )
        if keeps_hours and directory.sovereign_of(seat) != directory.sovereign_of(agency.state)
        else None
    )
    if holiday:
        notes.append(
            _(
                "{day:%a %d %b} is a public holiday in {code} ({holiday}): office hours do not "
                "apply."
            ).format(day=i.at.astimezone(zone), code=seat, holiday=holiday)
        )
    elif represented is not None and any(
        ch.available and not ch.always for c in choices for ch in c.channels
    ):
        own = represented.name(i.at.astimezone(zone).date())
        if own:
            notes.append(
                _(
                    "{day:%a %d %b} is a public holiday in {code} ({holiday}), the state this "
                    "post represents: it may be closed; call ahead."
                ).format(day=i.at.astimezone(zone), code=agency.state, holiday=own)
            )
    if not choices:
        warnings.append(
            _("{agency} has no contact in the directory.").format(agency=agency.name_en)
        )
    elif not any(c.available for c in choices):
        openings = [ch.next_available for c in choices for ch in c.channels if ch.next_available]
        if openings:
            first = min(openings, key=lambda moment: moment.astimezone(UTC)).astimezone(zone)
            notes.append(
                _(
                    "No channel is answered now; the first opens {time:%a %d %b %H:%M} "
                    "({offset}, {zone})."
                ).format(time=first, offset=utc_offset(first), zone=zone.key)
            )
            own = represented.name(first.date()) if represented is not None else None
            if own:
                notes.append(
                    _(
                        "It opens next on {day:%a %d %b}, a public holiday in {code} "
                        "({holiday}), the state this post represents: it may be closed then; "
                        "call ahead."
                    ).format(day=first, code=agency.state, holiday=own)
                )
    spoken = sorted({t for c in choices for t in c.contact.languages})
    if officer_languages and choices and not any(c.shares_language for c in choices):
        notes.append(
            _("Interpreter needed: no contact speaks {wanted} (they speak {spoken}).").format(
                wanted="/".join(sorted(officer_languages)), spoken="/".join(spoken)
            )
        )
    for c in choices:
        if c.stale_days is not None:
            warnings.append(
                _(
                    "Contact {id} was last verified {days} days ago (limit {limit}): confirm the "
                    "details."
                ).format(id=c.contact.id, days=c.stale_days, limit=stale_days)
            )
    return tuple(choices), notes, warnings


def _utc(channel: ChannelChoice) -> datetime:
    """When a channel opens next, as an instant; one and the same for every channel told no
    opening (open now, or hours unknown)."""
    opening = channel.next_available
    return opening.astimezone(UTC) if opening is not None else datetime.min.replace(tzinfo=UTC)


class _Holidays:
    """The public holidays of the place an office sits (or of the state it represents), as
    the local dates weekly hours do not open on: each year's calendar is looked up when a day
    of it is first asked about.

    Args:
        code: the state whose calendar it is.
        subdivision: the python-holidays subdivision of that calendar, if any.
        calendar: the calendar of a year, as the directory keeps it.
        unknown: the states and years whose calendar is not known, added to.
    """

    def __init__(
        self,
        code: str,
        subdivision: str | None,
        calendar: Callable[[int], Mapping[date, str] | None],
        unknown: set[tuple[str, int]],
    ) -> None:
        self.code = code
        self.subdivision = subdivision
        self.calendar = calendar
        self.unknown = unknown

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self._english(day) is not None

    def name(self, day: date) -> str | None:
        """The holiday's name on ``day``, to be told in the language of the text, or None on a
        working day, and on a day whose calendar is not known (a year python-holidays has no
        calendar of: it lists no holiday in it, which is not a year without any), the state
        and year then added to ``unknown`` for the plan to say so."""
        english = self._english(day)
        if english is None:
            return None
        return HolidayName(english, self.code, self.subdivision, day)

    def _english(self, day: date) -> str | None:
        """The holiday's name on ``day`` as the directory keeps it: in English."""
        calendar = self.calendar(day.year)
        if calendar is None:
            self.unknown.add((self.code, day.year))
            return None
        return calendar.get(day)


def unknown_holidays_warnings(unknown: set[tuple[str, int]]) -> list[Message]:
    """What a plan says of the public holidays it needed and does not know: one warning for
    each state, naming its years (``resolve``'s ``unknown_holidays``)."""
    from somnet.directory.hours import year_runs

    years: dict[str, list[int]] = {}
    for code, year in sorted(unknown):
        years.setdefault(code, []).append(year)
    return [
        _(
            "Public holidays of {code} in {years} are not known: an office shown open may be "
            "closed on a holiday."
        ).format(code=code, years=year_runs(found))
        for code, found in years.items()
    ]


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()
