"""``somnet meeting ...``: plan, series, invite, update, cancel, list, show.

icalendar, holidays and httpx are imported by the library only inside the functions that run
a meeting command, so that ``somnet contact`` does not pay for them.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from somnet_cli import _common

if TYPE_CHECKING:
    from somnet.meetings.delivery import CaldavServer, SmtpServer
    from somnet.meetings.invites import Issued
    from somnet.meetings.planning import LedgerEntry, Participant, Plan, Series, Slot
    from somnet.meetings.store import Meeting, MeetingStore, Person

EPILOG = """\
examples:
  somnet meeting plan --states BS,DO,HT,HN,JM,MX,PA --duration 90m --from 2026-12-01 --to 2026-12-18
  somnet meeting series --states BS,DO,HT,PA --duration 90m --from 2027-01-04 \\
      --every quarter --count 4
  somnet meeting invite --states BS,DO,HT --start 2026-12-03T15:00Z --duration 90m \\
      --title "Regional coordination" --organizer focal@example.org --out meeting.ics
  somnet meeting update 3f2a9c1e --start 2026-12-04T15:00Z --out meeting.ics
  somnet meeting cancel 3f2a9c1e --send smtp://mail.example.org:587 --starttls --smtp-user me
  somnet meeting resend 3f2a9c1e --send smtp://mail.example.org:587 --starttls --smtp-user me

A version is recorded before it is sent, attendee by attendee: after a failure, the error
says who has it and who has not; 'meeting resend ID' (or the same command again) sends only
what is missing, with the same UID and SEQUENCE. Starts in the past are refused (--allow-past)
and so is less than --notice working days' notice (2).

Times are planned in UTC on a grid; each participant keeps the working hours, core hours and
public holidays of their agency or state, in their own time zone. Passwords for --send and
--publish come from environment variables only (SOMNET_SMTP_PASSWORD, SOMNET_CALDAV_PASSWORD).
"""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "meeting",
        help="find times for regional meetings, send and track their invites",
        description="Find times for the region's meetings, and send, update and cancel invites.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="meeting_command", metavar="SUBCOMMAND")
    parser.set_defaults(run=lambda _args: _usage(parser))

    p = sub.add_parser("plan", help="the best times for everyone to meet")
    _participant_options(p)
    _window_options(p)
    _notice_option(p)
    p.add_argument("--count", default="5", help="how many slots to show (5)")
    p.add_argument("--per-day", action="store_true", help="at most one slot per UTC day")
    _common.add_format_option(p)
    p.set_defaults(run=plan)

    p = sub.add_parser("series", help="a recurring meeting whose inconvenient hours rotate")
    _participant_options(p)
    p.add_argument("--duration", required=True, help="e.g. 90m, 1h30m, 2h")
    p.add_argument("--from", dest="first", required=True, metavar="DATE", help="first day")
    p.add_argument("--every", required=True, choices=["week", "month", "quarter"])
    p.add_argument("--count", required=True, help="how many meetings")
    p.add_argument(
        "--within", metavar="DAYS", help="search only the first DAYS days of each period"
    )
    p.add_argument("--step", default="15m", help="grid of start times (15m)")
    _notice_option(p)
    p.add_argument(
        "--ledger-from-store",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="start the ledger from the meetings of the same participants recorded in the "
        "store (default; --no-ledger-from-store starts from zero)",
    )
    sending = p.add_argument_group(
        "invites (--invite: one meeting per occurrence, each with its own UID, recorded together)"
    )
    sending.add_argument(
        "--invite", action="store_true", help="record and deliver an invite for each occurrence"
    )
    sending.add_argument(
        "--resume",
        metavar="ID",
        help="after a failed --invite: send the occurrences of series ID not yet sent "
        "(same options as before)",
    )
    _invite_options(sending, required=False)
    _issue_options(p, publish_needs_url=True, out_metavar="DIR")
    p.set_defaults(run=series)

    p = sub.add_parser("invite", help="create a meeting, write or send its invite, record it")
    _participant_options(p)
    when = p.add_argument_group("when (--start, or the best slot of --from/--to)")
    when.add_argument("--start", help="e.g. 2026-12-03T15:00Z or 2026-12-03T10:00-05:00")
    when.add_argument("--from", dest="first", metavar="DATE", help="plan: first UTC date")
    when.add_argument("--to", dest="last", metavar="DATE", help="plan: last UTC date")
    when.add_argument("--pick", default="1", help="plan: take the Nth best slot (1)")
    when.add_argument("--step", default="15m", help="plan: grid of start times (15m)")
    p.add_argument("--duration", required=True, help="e.g. 90m, 1h30m, 2h")
    _notice_option(p, allow_past=True)
    _invite_options(p, required=True)
    _issue_options(p, publish_needs_url=True)
    p.set_defaults(run=invite)

    p = sub.add_parser(
        "update",
        help="change a recorded meeting (same UID, SEQUENCE + 1)",
        description="Change a recorded meeting: same UID, SEQUENCE + 1. --states, --role and "
        "--contact name who attends from now on: those added get the invite, those removed a "
        "CANCEL naming only them (with --out FILE, written to FILE-uninvite.ics).",
    )
    p.add_argument("id", help="the meeting id (or a unique beginning of it)")
    _participant_options(p)
    p.add_argument("--start")
    p.add_argument("--duration")
    p.add_argument("--title")
    p.add_argument("--location", help='the new location ("" clears it)')
    p.add_argument("--description", help='the new description ("" clears it)')
    p.add_argument("--timezone")
    _notice_option(p, allow_past=True)
    _issue_options(p, publish_needs_url=False)
    p.set_defaults(run=update)

    p = sub.add_parser("cancel", help="cancel a recorded meeting (METHOD:CANCEL)")
    p.add_argument("id", nargs="?", help="the meeting id (or a unique beginning of it)")
    p.add_argument(
        "--series",
        metavar="ID",
        help="cancel every meeting of this series still on (--out is then a folder)",
    )
    _issue_options(p, publish_needs_url=False, out_metavar="FILE|DIR")
    p.set_defaults(run=cancel)

    p = sub.add_parser(
        "resend",
        help="deliver what a recorded meeting has not reached (after a failure)",
        description="Deliver the current version of a recorded meeting (same UID, same "
        "SEQUENCE) to whoever it has not reached on the channels given: the attendees not "
        "e-mailed, the CalDAV copy not published (or, for a cancelled meeting, not removed). "
        "Nothing is sent twice.",
    )
    p.add_argument("id", help="the meeting id (or a unique beginning of it)")
    _issue_options(p, publish_needs_url=False)
    p.set_defaults(run=resend)

    p = sub.add_parser("list", help="the recorded meetings")
    p.add_argument("--series", metavar="ID", help="only the meetings of this series")
    _store_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=list_meetings)

    p = sub.add_parser("show", help="one recorded meeting, its history, or its invite")
    p.add_argument("id", help="the meeting id (or a unique beginning of it)")
    p.add_argument("--ics", action="store_true", help="print its current invite (.ics)")
    _store_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=show)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _participant_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("participants")
    group.add_argument(
        "--states",
        action="append",
        default=[],
        metavar="XX,YY",
        help="states whose meeting focal points attend (or, with --role, whose agencies)",
    )
    group.add_argument(
        "--role",
        action="append",
        default=[],
        help="for each state, the first contact of its agency with this role (repeatable)",
    )
    group.add_argument(
        "--contact", action="append", default=[], metavar="ID", help="a contact (repeatable)"
    )
    _common.add_data_option(parser)


def _window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--duration", required=True, help="e.g. 90m, 1h30m, 2h")
    parser.add_argument(
        "--from", dest="first", required=True, metavar="DATE", help="first UTC date"
    )
    parser.add_argument("--to", dest="last", required=True, metavar="DATE", help="last UTC date")
    parser.add_argument("--step", default="15m", help="grid of start times (15m)")


def _notice_option(parser: argparse.ArgumentParser, *, allow_past: bool = False) -> None:
    parser.add_argument(
        "--notice",
        default="2",
        metavar="DAYS",
        help="working days of notice every participant gets (2; 0 for none)",
    )
    if allow_past:
        parser.add_argument(
            "--allow-past", action="store_true", help="accept a start in the past (a record)"
        )


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store", metavar="DIR", help="where meetings are recorded (default: DATA_HOME/meetings)"
    )


def _invite_options(group: Any, *, required: bool) -> None:
    group.add_argument("--title", required=required)
    group.add_argument("--organizer", required=required, metavar="EMAIL")
    group.add_argument("--organizer-name", metavar="NAME")
    group.add_argument(
        "--timezone", help="zone of the invite's times (default: the first participant's)"
    )
    group.add_argument("--location")
    group.add_argument("--description")


def _issue_options(
    parser: argparse.ArgumentParser, *, publish_needs_url: bool, out_metavar: str = "FILE"
) -> None:
    _store_option(parser)
    if out_metavar == "FILE":
        out_help = "write the invite (.ics) to FILE"
    else:
        out_help = "write the invite (.ics) to FILE; for a series, one DIR/YYYY-MM-DD.ics each"
    parser.add_argument("--out", metavar=out_metavar, help=out_help)
    mail = parser.add_argument_group("e-mail (iMIP)")
    mail.add_argument("--send", metavar="smtp://HOST:PORT", help="send it to every attendee")
    mail.add_argument("--starttls", action="store_true", help="upgrade with STARTTLS")
    mail.add_argument("--smtp-user", metavar="USER", help="log in as USER")
    mail.add_argument(
        "--smtp-password-env",
        default="SOMNET_SMTP_PASSWORD",
        metavar="VAR",
        help="environment variable holding the password (SOMNET_SMTP_PASSWORD)",
    )
    mail.add_argument(
        "--per-attendee", action="store_true", help="one message per attendee, not one to all"
    )
    caldav = parser.add_argument_group("CalDAV")
    if publish_needs_url:
        caldav.add_argument(
            "--publish", metavar="URL", help="put it in the calendar collection at URL"
        )
    else:
        caldav.add_argument(
            "--publish",
            metavar="URL",
            nargs="?",
            const="",
            help="change it where it was published (URL optional)",
        )
    caldav.add_argument("--caldav-user", metavar="USER", help="Basic-auth user name")
    caldav.add_argument(
        "--force",
        action="store_true",
        help="replace (or remove) the calendar's copy even though it was changed there",
    )
    caldav.add_argument(
        "--caldav-password-env",
        default="SOMNET_CALDAV_PASSWORD",
        metavar="VAR",
        help="environment variable holding the password (SOMNET_CALDAV_PASSWORD)",
    )
    parser.add_argument("--timeout", default="10", metavar="SECONDS", help="network timeout (10)")
    _common.add_format_option(parser)


# Reading values ----------------------------------------------------------------------------


# The messages read like those of the other commands ('5': give ...), after the flag's name:
# these are MeetingErrors, printed without argparse's "argument --flag:" prefix.


def _whole(text: str, flag: str, *, minimum: int = 1) -> int:
    from somnet import MeetingError
    from somnet.meetings.planning import shown

    try:
        value = int(text)
    except ValueError:
        raise MeetingError(f"{flag}: {shown(text)} is not a whole number") from None
    if value < minimum:
        raise MeetingError(f"{flag}: {shown(text)}: give at least {minimum}")
    return value


#: The longest network timeout a meeting command accepts.
MAX_TIMEOUT = 600


def _seconds(text: str, flag: str = "--timeout") -> float:
    from somnet import MeetingError
    from somnet.meetings.planning import shown

    try:
        value = float(text)
    except ValueError:
        raise MeetingError(f"{flag}: {shown(text)} is not a number of seconds") from None
    if not 0 < value <= MAX_TIMEOUT:
        raise MeetingError(
            f"{flag}: {shown(text)}: give more than 0 and at most {MAX_TIMEOUT} seconds"
        )
    return value


def _states(values: Sequence[str]) -> list[str]:
    return [code for value in values for code in value.split(",") if code.strip()]


def _participants(args: argparse.Namespace) -> list[Participant]:
    from somnet.meetings.planning import resolve_participants

    directory = _common.load(args)
    return resolve_participants(
        directory, states=_states(args.states), roles=args.role, contacts=args.contact
    )


def _store(args: argparse.Namespace) -> MeetingStore:
    from somnet._config import data_home
    from somnet.meetings.store import MeetingStore

    store = MeetingStore(Path(args.store) if args.store else data_home() / "meetings")
    if store.root.exists() and not store.root.is_dir():
        store.check()  # raises: a file is not a meeting store
    return store


def _warn(lines: Sequence[str]) -> None:
    for line in lines:
        print(_common.warn(f"warning: {line}"), file=sys.stderr)


def _now() -> datetime:
    """The meeting commands' clock (the tests set it)."""
    return datetime.now(UTC)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# plan ----------------------------------------------------------------------------------------


def plan(args: argparse.Namespace) -> int:
    from somnet._exceptions import NoSlotError
    from somnet.meetings.planning import Window, earliest_start, parse_date, parse_duration
    from somnet.meetings.planning import plan as find

    window = Window(
        parse_date(args.first, flag="--from"),
        parse_date(args.last, flag="--to"),
        parse_duration(args.duration),
        parse_duration(args.step, flag="--step"),
    )
    count = _whole(args.count, "--count")
    notice = _whole(args.notice, "--notice", minimum=0)
    participants = _participants(args)
    try:
        not_before = earliest_start(participants, _now(), notice)
        found = find(participants, window, count=count, per_day=args.per_day, not_before=not_before)
    except NoSlotError as exc:
        if args.format == "json":
            _common.print_json({"slots": [], "reasons": exc.reasons})
        raise
    if args.format == "json":
        _common.print_json(plan_json(found))
        return 0
    _warn(found.warnings)
    print(plan_text(found))
    return 0


def participant_json(p: Participant) -> dict[str, Any]:
    return {
        "contact": p.contact,
        "name": p.name,
        "agency": p.agency,
        "state": p.state,
        "timezone": p.timezone,
        "working_hours": str(p.working_hours),
        "core_hours": str(p.core_hours),
        "email": p.email,
        "illustrative": p.illustrative,
    }


def slot_json(slot: Slot, participants: Sequence[Participant]) -> dict[str, Any]:
    return {
        "start": _utc(slot.start),
        "end": _utc(slot.end),
        "score": slot.score,
        "participants": [
            {
                "contact": t.participant.contact,
                "state": t.participant.state,
                "timezone": t.participant.timezone,
                "local_start": t.start.isoformat(),
                "local_end": t.end.isoformat(),
                "minutes_outside_core": t.minutes_outside_core,
            }
            for t in slot.local_times(participants)
        ],
    }


def plan_json(found: Plan) -> dict[str, Any]:
    return {
        "window": {
            "from": found.window.first.isoformat(),
            "to": found.window.last.isoformat(),
            "duration_minutes": found.window.duration,
            "step_minutes": found.window.step,
        },
        "participants": [participant_json(p) for p in found.participants],
        "feasible_starts": found.feasible,
        "slots": [slot_json(s, found.participants) for s in found.slots],
        "holidays": [
            {"contact": p.contact, "state": p.seat, "date": day.isoformat(), "name": name}
            for p, day, name in found.holidays
        ],
        "warnings": list(found.warnings),
    }


def _slot_lines(slot: Slot, participants: Sequence[Participant], *, burden: bool) -> list[str]:
    width = max(len(p.label) for p in participants)
    lines = []
    for t in slot.local_times(participants):
        extra = f"  +{t.minutes_outside_core} min" if burden and t.minutes_outside_core else ""
        lines.append(
            f"      {t.participant.label:<{width}}  {t.start:%a %H:%M}-{t.end:%H:%M}  "
            f"{t.participant.timezone}{extra}"
        )
    return lines


def plan_text(found: Plan) -> str:
    window = found.window
    from somnet.meetings.planning import _duration_text

    out = [
        f"{len(found.slots)} best of {found.feasible} possible starts for "
        f"{_duration_text(window.duration)}, {window.first} to {window.last} (UTC dates), "
        f"{len(found.participants)} participants; score = minutes outside core hours",
        "",
    ]
    for number, slot in enumerate(found.slots, start=1):
        out.append(
            f"{number:>2}  {slot.start:%a %Y-%m-%d %H:%M}-{slot.end:%H:%M} UTC   score {slot.score}"
        )
        out += _slot_lines(slot, found.participants, burden=True)
    if found.holidays:
        out += ["", "Public holidays in the window (no meeting on them):"]
        for p, day, name in found.holidays:
            out.append(f"  {p.label}  {day:%a %Y-%m-%d}  {name}")
    if any(p.illustrative for p in found.participants):
        out += ["", _common.warn(_illustrative_note())]
    return "\n".join(out)


def _illustrative_note() -> str:
    from somnet.meetings.invites import ILLUSTRATIVE_NOTE

    return ILLUSTRATIVE_NOTE


# series --------------------------------------------------------------------------------------


def series(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from somnet import MeetingError
    from somnet.meetings.planning import (
        earliest_start,
        parse_date,
        parse_duration,
        periods,
        plan_series,
        recorded_ledger,
    )

    first = parse_date(args.first, flag="--from")
    duration = parse_duration(args.duration)
    step = parse_duration(args.step, flag="--step")
    count = _whole(args.count, "--count")
    within = _whole(args.within, "--within") if args.within else None
    notice = _whole(args.notice, "--notice", minimum=0)
    if args.invite:
        if not args.title or not args.organizer:
            raise MeetingError("--invite needs --title and --organizer EMAIL")
        delivery = _delivery(args, None, folder=True)
    else:
        given = [
            flag
            for flag, value in [
                ("--title", args.title),
                ("--organizer", args.organizer),
                ("--organizer-name", args.organizer_name),
                ("--timezone", args.timezone),
                ("--location", args.location),
                ("--description", args.description),
                ("--out", args.out),
                ("--send", args.send),
                ("--publish", args.publish),
                ("--resume", args.resume),
            ]
            if value
        ]
        if given:
            raise MeetingError(f"{', '.join(given)}: add --invite to record and send the series")
    participants = _participants(args)
    store = _store(args)
    # Sending the rest of a series: the meetings it sent stay where they are.
    fixed: dict[int, datetime] = {}
    if args.invite and args.resume:
        spans = periods(first, args.every, count)
        if within is not None:
            spans = [(a, min(b, a + timedelta(days=within - 1))) for a, b in spans]
        for meeting in store.series(args.resume):
            day = meeting.start.astimezone(UTC).date()
            for index, (a, b) in enumerate(spans):
                if a <= day <= b:
                    fixed.setdefault(index, meeting.start)
    counted: tuple[str, ...] = ()
    ledger: Sequence[LedgerEntry] = ()
    if args.ledger_from_store:
        resumed = (args.resume or "").strip().lower() if args.invite else ""
        store.check()
        earlier = [m for m in store.all() if not resumed or m.series != resumed]
        ledger, counted = recorded_ledger(participants, earlier)
    found = plan_series(
        participants,
        first=first,
        every=args.every,
        count=count,
        duration=duration,
        step=step,
        within_days=within,
        not_before=earliest_start(participants, _now(), notice),
        ledger=ledger,
        fixed=fixed,
    )
    if args.invite:
        return _invite_series(args, found, participants, counted, *delivery)
    if args.format == "json":
        _common.print_json(series_json(found, counted, store))
        return 0
    _warn(found.warnings)
    print(series_text(found, counted, store))
    return 0


def _invite_series(
    args: argparse.Namespace,
    found: Series,
    participants: Sequence[Participant],
    counted: Sequence[str],
    out: Path | None,
    smtp: SmtpServer | None,
    caldav: CaldavServer | None,
) -> int:
    """Record and deliver one meeting per occurrence, all with one series id."""
    import uuid

    from somnet import MeetingError
    from somnet.meetings.invites import (
        attendees_of,
        issue_series,
        missing_deliveries,
        new_meeting,
        recorded_series,
        sent_periods,
        shared_mailboxes,
    )
    from somnet.meetings.store import Person, meeting_to_json

    attendees = attendees_of(participants)
    store = _store(args)
    now = _now()
    earlier: list[Meeting] = []
    unfinished: list[Meeting] = []
    sent: set[int] = set()
    spans = [(o.first, o.last) for o in found.occurrences]
    if args.resume:
        earlier = store.series(args.resume)
        series_id = earlier[0].series or args.resume
        sent = sent_periods(
            earlier, title=args.title, organizer=args.organizer, attendees=attendees, periods=spans
        )
        # Recorded by the run that failed, and not delivered to all: completed first.
        unfinished = [
            m
            for m in earlier
            if m.status != "CANCELLED"
            and missing_deliveries(m, email=smtp is not None, caldav=caldav is not None)
        ]
    else:
        twin = recorded_series(
            store, title=args.title, organizer=args.organizer, attendees=attendees, periods=spans
        )
        if twin is not None:
            raise MeetingError(
                f"series {twin} with this title, organizer and attendees is recorded already "
                f"for these dates; to send what it has not sent, add --resume {twin}"
            )
        series_id = store.new_series_id(uuid.uuid4().hex)
    chosen: set[str] = set()

    def meeting_id(uid: str) -> str:
        # Unique on disk and among this series' occurrences, none of which is recorded yet.
        candidate = store.new_id(uid, taken=chosen)
        chosen.add(candidate)
        return candidate

    warnings = [*found.warnings, *shared_mailboxes(participants)]
    meetings = []
    for number, o in enumerate(found.occurrences):
        if number in sent:
            continue
        if o.slot is None:
            warnings.append(
                f"period {o.index} ({o.first} to {o.last}) has no slot, so no meeting: "
                f"{'; '.join(o.reasons)}"
            )
            continue
        meetings.append(
            new_meeting(
                attendees,
                start=o.slot.start,
                duration=found.duration,
                title=args.title,
                organizer=Person(args.organizer.strip(), (args.organizer_name or "").strip()),
                timezone=args.timezone or participants[0].timezone,
                now=now,
                meeting_id=meeting_id,
                uid_factory=uuid.uuid4,
                location=args.location,
                description=args.description,
                series=series_id,
            )
        )
    if args.resume and not meetings and not unfinished:
        raise MeetingError(f"--resume {series_id}: every meeting of the series was sent already")
    issued = issue_series(
        sorted([*unfinished, *meetings], key=lambda m: (m.start, m.id)),
        "created",
        store=store,
        now=now,
        out_dir=out,
        smtp=smtp,
        caldav=caldav,
        force=args.force,
        recorded={m.id for m in unfinished},
    )
    warnings += dict.fromkeys(w for i in issued for w in i.warnings)
    if args.format == "json":
        _common.print_json(
            {
                **series_json(found, counted, store),
                "series": series_id,
                "sent_before": [meeting_to_json(m) for m in earlier],
                "meetings": [
                    {
                        "meeting": meeting_to_json(i.meeting),
                        "record": str(store.path(i.meeting.id)),
                        "delivered": list(i.delivered),
                    }
                    for i in issued
                ],
                "warnings": warnings,
            }
        )
        return 0
    # series_text already ends with the note on illustrative contacts.
    _warn([w for w in warnings if w != _illustrative_note()])
    lines = [series_text(found, counted, store), ""]
    before = [
        f"{len(earlier) - len(unfinished)} sent before" if len(earlier) > len(unfinished) else "",
        f"{len(unfinished)} recorded before, sent where it was missing" if unfinished else "",
    ]
    lines.append(
        f"series {series_id}: {len(meetings)} meetings recorded in {store.root}, each with its "
        "own UID at SEQUENCE 0" + (f" ({'; '.join(b for b in before if b)})" if earlier else "")
    )
    for i in issued:
        m = i.meeting
        lines.append(f"  {m.id}  {m.start:%a %Y-%m-%d %H:%M}-{m.end:%H:%M} UTC  {m.uid}")
        lines += [f"    {_delivered_text(item)}" for item in i.delivered]
    print("\n".join(lines))
    return 0


def _delivered_text(item: str) -> str:
    kind, _, where = item.partition(":")
    label = {"file": "wrote", "smtp": "e-mailed via", "caldav": "CalDAV"}.get(kind, kind)
    return f"{label} {where}"


def _ledger_json(entries: Sequence[LedgerEntry]) -> list[dict[str, Any]]:
    return [
        {
            "contact": e.participant.contact,
            "state": e.participant.state,
            "minutes_outside_core": e.minutes_outside_core,
            "inconvenient_meetings": e.inconvenient_meetings,
        }
        for e in entries
    ]


def series_json(
    found: Series, counted: Sequence[str] = (), store: MeetingStore | None = None
) -> dict[str, Any]:
    return {
        "every": found.every,
        "duration_minutes": found.duration,
        "participants": [participant_json(p) for p in found.participants],
        "occurrences": [
            {
                "index": o.index,
                "period": {"from": o.first.isoformat(), "to": o.last.isoformat()},
                "slot": slot_json(o.slot, found.participants) if o.slot else None,
                "reasons": list(o.reasons),
                "sent_before": o.fixed,
            }
            for o in found.occurrences
        ],
        "ledger_before": _ledger_json(found.ledger_before),
        "ledger_from": {
            "store": str(store.root) if store is not None else None,
            "meetings": list(counted),
        },
        "ledger": _ledger_json(found.ledger),
        "worst_minutes_outside_core": found.worst,
        "most_inconvenient_meetings": found.most_inconvenient,
        "period_by_period_worst_minutes": found.greedy_worst,
        "period_by_period_most_inconvenient_meetings": found.greedy_most_inconvenient,
        "earliest_slot_series_worst_minutes": found.earliest_worst,
        "warnings": list(found.warnings),
    }


def series_text(
    found: Series, counted: Sequence[str] = (), store: MeetingStore | None = None
) -> str:
    from somnet.meetings.planning import _duration_text

    out = [
        f"Every {found.every}, {len(found.occurrences)} meetings of "
        f"{_duration_text(found.duration)}, {len(found.participants)} participants",
        "",
    ]
    for o in found.occurrences:
        head = f"{o.index:>2}  period {o.first} to {o.last}"
        if o.slot is None:
            out.append(f"{head}: no slot: {'; '.join(o.reasons)}")
            continue
        sent = "  (recorded already)" if o.fixed else ""
        out.append(f"{head}: {o.slot.start:%a %Y-%m-%d %H:%M}-{o.slot.end:%H:%M} UTC{sent}")
        out += _slot_lines(o.slot, found.participants, burden=True)
    width = max(len(e.participant.label) for e in found.ledger)
    out += [
        "",
        "Ledger: minutes outside core hours, inconvenient meetings",
        f"  {'':<{width}}  {'before':>13}  {'after':>13}",
    ]
    for before, after in zip(found.ledger_before, found.ledger, strict=True):
        out.append(
            f"  {after.participant.label:<{width}}  "
            f"{before.minutes_outside_core:>5} min  {before.inconvenient_meetings:>3}  "
            f"{after.minutes_outside_core:>5} min  {after.inconvenient_meetings:>3}"
        )
    if counted:
        where = f" in {store.root}" if store is not None else ""
        out.append(
            f"Before: {len(counted)} meeting{'s' if len(counted) != 1 else ''} of these "
            f"participants recorded{where} (--no-ledger-from-store leaves them out)"
        )
    else:
        out.append("Before: no meeting of these participants recorded")
    out.append(
        f"Worst-off: {found.worst} min, at most {found.most_inconvenient} inconvenient "
        f"meetings each (chosen period by period: {found.greedy_worst} min, at most "
        f"{found.greedy_most_inconvenient}; each period's best slot: {found.earliest_worst} min)"
    )
    if any(p.illustrative for p in found.participants):
        out += ["", _common.warn(_illustrative_note())]
    return "\n".join(out)


# invite, update, cancel --------------------------------------------------------------------


def _delivery(
    args: argparse.Namespace, meeting: Meeting | None, *, folder: bool = False
) -> tuple[Path | None, SmtpServer | None, CaldavServer | None]:
    """Read the delivery options, refusing bad ones before anything is sent or written.

    ``folder``: --out names a folder (a series: one file per occurrence)."""
    from somnet import MeetingError
    from somnet.meetings.delivery import caldav_server, smtp_server
    from somnet.meetings.invites import check_folder, check_writable

    timeout = _seconds(args.timeout)
    out = Path(args.out) if args.out else None
    if out is not None:
        if folder:
            check_folder(out)
        else:
            check_writable(out)
    smtp = None
    if args.send:
        smtp = smtp_server(
            args.send,
            starttls=args.starttls,
            user=args.smtp_user,
            password_env=args.smtp_password_env,
            timeout=timeout,
            per_attendee=args.per_attendee,
        )
    elif args.starttls or args.smtp_user or args.per_attendee:
        raise MeetingError(
            "--starttls, --smtp-user and --per-attendee need --send smtp://HOST:PORT"
        )
    caldav = None
    if args.publish is not None:
        url = args.publish
        if not url:
            # Where it is published, or was (a cancel run again after it removed the event).
            calendars = (
                [d.via for d in meeting.deliveries if d.channel == "caldav"] if meeting else []
            )
            if meeting is not None and meeting.publication is not None:
                url = meeting.publication.url.rsplit("/", 1)[0] + "/"
            elif calendars:
                url = calendars[-1]
            else:
                raise MeetingError(
                    "--publish needs the calendar's URL: this meeting was never published"
                )
        caldav = caldav_server(
            url, user=args.caldav_user, password_env=args.caldav_password_env, timeout=timeout
        )
    return out, smtp, caldav


def invite(args: argparse.Namespace) -> int:
    import uuid

    from somnet import MeetingError
    from somnet.meetings.invites import (
        attendees_of,
        issue,
        new_meeting,
        recorded_twin,
        shared_mailboxes,
    )
    from somnet.meetings.planning import (
        Window,
        check_slot,
        check_timing,
        earliest_start,
        from_minute,
        parse_date,
        parse_duration,
        parse_instant,
    )
    from somnet.meetings.planning import plan as find
    from somnet.meetings.store import Person

    duration = parse_duration(args.duration)
    if args.start and (args.first or args.last):
        raise MeetingError("give either --start or --from/--to (to take the best slot), not both")
    if not args.start and not (args.first and args.last):
        raise MeetingError("when? give --start, or --from and --to to take the best slot")
    start = parse_instant(args.start) if args.start else None
    window = None
    if start is None:
        window = Window(
            parse_date(args.first, flag="--from"),
            parse_date(args.last, flag="--to"),
            duration,
            parse_duration(args.step, flag="--step"),
        )
    pick = _whole(args.pick, "--pick")
    notice = _whole(args.notice, "--notice", minimum=0)
    out, smtp, caldav = _delivery(args, None)
    participants = _participants(args)
    attendees = attendees_of(participants)
    organizer = Person(args.organizer.strip(), (args.organizer_name or "").strip())
    store = _store(args)
    now = _now()
    # The same invite asked for again (a run that failed halfway): complete it, same UID.
    twin = recorded_twin(
        store,
        title=args.title,
        organizer=organizer.email,
        attendees=attendees,
        duration=duration,
        first=start or from_minute(window.start_minute if window else 0),
        last=start or from_minute(window.end_minute if window else 0),
        location=args.location,
        description=args.description,
        timezone=args.timezone,
    )
    if twin is not None:
        return _complete(args, twin, store, now, out, smtp, caldav)
    warnings = shared_mailboxes(participants)
    if window is not None:
        not_before = None if args.allow_past else earliest_start(participants, now, notice)
        found = find(participants, window, count=pick, not_before=not_before)
        if len(found.slots) < pick:
            raise MeetingError(f"--pick {pick}: only {len(found.slots)} slots fit")
        start = found.slots[pick - 1].start
        warnings += found.warnings
    else:
        assert start is not None
        check_timing(participants, start, now, notice_days=notice, allow_past=args.allow_past)
        warnings += check_slot(participants, start, duration)
    meeting = new_meeting(
        attendees,
        start=start,
        duration=duration,
        title=args.title,
        organizer=organizer,
        timezone=args.timezone or participants[0].timezone,
        now=now,
        meeting_id=store.new_id,
        uid_factory=uuid.uuid4,
        location=args.location,
        description=args.description,
    )
    with _resend_hint(args, smtp, caldav):
        issued = issue(
            meeting,
            "created",
            store=store,
            now=now,
            out=out,
            smtp=smtp,
            caldav=caldav,
            force=args.force,
        )
    return _report(args, issued, store, [*warnings, *issued.warnings])


def _complete(
    args: argparse.Namespace,
    meeting: Meeting,
    store: MeetingStore,
    now: datetime,
    out: Path | None,
    smtp: SmtpServer | None,
    caldav: CaldavServer | None,
) -> int:
    """``invite`` run again for a meeting it recorded: deliver what it has not reached."""
    from somnet.meetings.invites import (
        Issued,
        calendar_bytes,
        method_of,
        missing_deliveries,
        resend,
    )

    note = (
        f"meeting {meeting.id} with this title, time and attendees is recorded already "
        f"(UID {meeting.uid}, SEQUENCE {meeting.sequence})"
    )
    if not missing_deliveries(meeting, email=smtp is not None, caldav=caldav is not None):
        headline = f"{note}; it has reached everyone on the channels given: nothing sent again"
        if out is None:
            ics = calendar_bytes(meeting, method=method_of(meeting), now=meeting.modified)
            return _report(args, Issued(meeting, ics, ()), store, [], headline=headline)
        issued = resend(meeting, store=store, now=now, out=out)
        return _report(args, issued, store, [], headline=headline)
    with _resend_hint(args, smtp, caldav):
        issued = resend(
            meeting, store=store, now=now, out=out, smtp=smtp, caldav=caldav, force=args.force
        )
    headline = f"{note}: sent it where it was missing"
    return _report(args, issued, store, list(issued.warnings), headline=headline)


@contextlib.contextmanager
def _resend_hint(
    args: argparse.Namespace, smtp: SmtpServer | None, caldav: CaldavServer | None
) -> Iterator[None]:
    """Add to a failed delivery's one line the command that delivers the rest."""
    import shlex

    from somnet.meetings.delivery import IncompleteDeliveryError

    try:
        yield
    except IncompleteDeliveryError as exc:
        meeting = exc.meeting
        missing = meeting.undelivered
        words = ["somnet", "meeting", "resend", meeting.id]
        if args.store:
            words += ["--store", args.store]
        if smtp is not None and any(d.channel == "email" for d in missing):
            words += ["--send", args.send]
            words += ["--per-attendee"] if args.per_attendee else []
            words += ["--starttls"] if args.starttls else []
            words += ["--smtp-user", args.smtp_user] if args.smtp_user else []
            if args.smtp_password_env != "SOMNET_SMTP_PASSWORD":
                words += ["--smtp-password-env", args.smtp_password_env]
        if caldav is not None and any(d.channel == "caldav" for d in missing):
            words += ["--publish", caldav.collection]
            words += ["--caldav-user", args.caldav_user] if args.caldav_user else []
            if args.caldav_password_env != "SOMNET_CALDAV_PASSWORD":
                words += ["--caldav-password-env", args.caldav_password_env]
        if args.timeout != "10":
            words += ["--timeout", args.timeout]
        if exc.conflict:
            words.append("--force")
            then = (
                "to replace the calendar's copy, and what was changed in it, with this "
                f"version, run: {shlex.join(words)}"
            )
        else:
            then = f"to deliver the rest, run: {shlex.join(words)} (or the same command again)"
        raise IncompleteDeliveryError(f"{exc}; {then}", meeting, conflict=exc.conflict) from exc


def update(args: argparse.Namespace) -> int:
    from somnet.meetings.invites import (
        KEEP,
        NothingChangesError,
        added_attendees,
        attendees_of,
        changed_meeting,
        issue,
        missing_deliveries,
        removed_attendees,
        resend,
        shared_mailboxes,
    )
    from somnet.meetings.planning import check_timing, parse_duration, parse_instant

    start = parse_instant(args.start) if args.start else None
    duration = parse_duration(args.duration) if args.duration else None
    notice = _whole(args.notice, "--notice", minimum=0)
    store = _store(args)
    meeting = store.get(args.id)
    out, smtp, caldav = _delivery(args, meeting)
    participants = None
    if args.states or args.role or args.contact:
        participants = _participants(args)
    now = _now()
    try:
        changed = changed_meeting(
            meeting,
            now=now,
            start=start,
            duration=duration,
            title=args.title,
            location=KEEP if args.location is None else args.location,
            description=KEEP if args.description is None else args.description,
            timezone=args.timezone,
            attendees=attendees_of(participants) if participants is not None else None,
        )
    except NothingChangesError:
        # The same update run again after it failed halfway: deliver what it did not reach.
        if not missing_deliveries(meeting, email=smtp is not None, caldav=caldav is not None):
            raise
        with _resend_hint(args, smtp, caldav):
            issued = resend(
                meeting, store=store, now=now, out=out, smtp=smtp, caldav=caldav, force=args.force
            )
        return _report(args, issued, store, list(issued.warnings))
    if changed.start != meeting.start:
        known = _known_participants(args, changed.attendees, participants)
        check_timing(known, changed.start, now, notice_days=notice, allow_past=args.allow_past)
    removed = removed_attendees(meeting, changed)
    added = added_attendees(meeting, changed)
    warnings = shared_mailboxes(participants) if participants is not None else []
    if (changed.start, changed.duration) != (meeting.start, meeting.duration):
        warnings += _check_hours(args, changed, changed.attendees, participants)
    elif added:
        warnings += _check_hours(args, changed, added, participants)
    with _resend_hint(args, smtp, caldav):
        issued = issue(
            changed,
            "updated",
            store=store,
            now=now,
            out=out,
            smtp=smtp,
            caldav=caldav,
            removed=removed,
            force=args.force,
        )
    return _report(args, issued, store, [*warnings, *issued.warnings], added=added, removed=removed)


def _known_participants(
    args: argparse.Namespace,
    people: Sequence[Person],
    participants: Sequence[Participant] | None,
) -> list[Participant]:
    """The attendees ``people`` as the directory knows them (their hours, zone, holidays):
    from ``participants`` when just resolved, else looked up by contact id; those no longer in
    the directory are left out."""
    from somnet import SomnetError
    from somnet.meetings.planning import resolve_participants

    emails = {p.email.lower() for p in people}
    if participants is None:
        directory = _common.load(args)
        participants = []
        for person in people:
            if person.contact is None:
                continue
            try:
                participants += resolve_participants(directory, contacts=[person.contact])
            except SomnetError:
                continue  # no longer in the directory: their hours are not known
    return [p for p in participants if (p.email or "").lower() in emails]


def _check_hours(
    args: argparse.Namespace,
    meeting: Meeting,
    people: Sequence[Person],
    participants: Sequence[Participant] | None,
) -> list[str]:
    """Warnings for the attendees ``people`` whom the meeting's time does not suit (outside
    their hours, on a holiday), as for ``invite --start``."""
    from somnet.meetings.planning import check_slot

    chosen = _known_participants(args, people, participants)
    if not chosen:
        return []
    return check_slot(chosen, meeting.start, meeting.duration)


def cancel(args: argparse.Namespace) -> int:
    from somnet import MeetingError
    from somnet.meetings.invites import cancel as cancel_meeting
    from somnet.meetings.invites import missing_deliveries

    if (args.id is None) == (args.series is None):
        raise MeetingError("cancel: give a meeting id or --series ID (one of them)")
    if args.series is not None:
        return _cancel_series(args)
    store = _store(args)
    meeting = store.get(args.id)
    if meeting.status == "CANCELLED" and not missing_deliveries(
        meeting, email=bool(args.send), caldav=args.publish is not None
    ):
        raise MeetingError(f"meeting {meeting.id} is already cancelled")
    out, smtp, caldav = _delivery(args, meeting)
    now = _now()
    with _resend_hint(args, smtp, caldav):
        issued = cancel_meeting(
            meeting, store=store, now=now, out=out, smtp=smtp, caldav=caldav, force=args.force
        )
    return _report(args, issued, store, list(issued.warnings))


def resend(args: argparse.Namespace) -> int:
    from somnet.meetings.invites import resend as resend_meeting

    store = _store(args)
    meeting = store.get(args.id)
    out, smtp, caldav = _delivery(args, meeting)
    with _resend_hint(args, smtp, caldav):
        issued = resend_meeting(
            meeting, store=store, now=_now(), out=out, smtp=smtp, caldav=caldav, force=args.force
        )
    return _report(args, issued, store, list(issued.warnings))


def _cancel_series(args: argparse.Namespace) -> int:
    """Cancel every meeting of a series that is still on, one CANCEL each, and complete the
    cancellations an earlier run left undelivered."""
    from somnet import MeetingError
    from somnet.meetings.invites import cancelled_meeting, issue_series, missing_deliveries
    from somnet.meetings.store import meeting_to_json

    store = _store(args)
    meetings = store.series(args.series)
    live = [m for m in meetings if m.status != "CANCELLED"]
    unfinished = [
        m
        for m in meetings
        if m.status == "CANCELLED"
        and missing_deliveries(m, email=bool(args.send), caldav=args.publish is not None)
    ]
    if not live and not unfinished:
        raise MeetingError(f"every meeting of series {args.series} is already cancelled")
    published = [m for m in live + unfinished if m.publication is not None]
    out, smtp, caldav = _delivery(args, published[0] if published else None, folder=True)
    if caldav is not None and any(m.publication is None for m in live):
        missing = ", ".join(m.id for m in live if m.publication is None)
        raise MeetingError(f"--publish: meetings {missing} of the series were never published")
    now = _now()
    todo = sorted(
        [cancelled_meeting(m, now=now) for m in live] + unfinished, key=lambda m: (m.start, m.id)
    )
    issued = issue_series(
        todo,
        "cancelled",
        store=store,
        now=now,
        out_dir=out,
        smtp=smtp,
        caldav=caldav,
        force=args.force,
        recorded={m.id for m in unfinished},
    )
    warnings = list(dict.fromkeys(w for i in issued for w in i.warnings))
    if args.format == "json":
        _common.print_json(
            {
                "series": args.series,
                "meetings": [
                    {"meeting": meeting_to_json(i.meeting), "delivered": list(i.delivered)}
                    for i in issued
                ],
                "warnings": warnings,
            }
        )
        return 0
    _warn(warnings)
    lines = [f"series {args.series}: {len(issued)} meetings cancelled (METHOD:CANCEL)"]
    for i in issued:
        m = i.meeting
        lines.append(
            f"  {m.id}  {m.start:%a %Y-%m-%d %H:%M}-{m.end:%H:%M} UTC  SEQUENCE {m.sequence}"
        )
        lines += [f"    {_delivered_text(item)}" for item in i.delivered]
    print("\n".join(lines))
    return 0


def _report(
    args: argparse.Namespace,
    issued: Issued,
    store: MeetingStore,
    warnings: list[str],
    *,
    added: Sequence[Person] = (),
    removed: Sequence[Person] = (),
    headline: str | None = None,
) -> int:
    from somnet.meetings.store import meeting_to_json

    meeting = issued.meeting
    if args.format == "json":
        _common.print_json(
            {
                "meeting": meeting_to_json(meeting),
                "record": str(store.path(meeting.id)),
                "delivered": list(issued.delivered),
                "added": [p.email for p in added],
                "removed": [p.email for p in removed],
                "warnings": warnings,
            }
        )
        return 0
    _warn(warnings)
    verb = {
        "created": "recorded",
        "updated": "updated",
        "cancelled": "cancelled",
        "resent": "delivered where it was missing",
    }[meeting.history[-1].action]
    out = [
        headline or f"meeting {meeting.id} {verb} (UID {meeting.uid}, SEQUENCE {meeting.sequence})"
    ]
    out += _meeting_lines(meeting)
    out += [f"  added {_who(p)} <{p.email}>" for p in added]
    out += [
        f"  removed {_who(p)} <{p.email}> (uninvited: METHOD:CANCEL naming them)" for p in removed
    ]
    out += [f"  {_delivered_text(item)}" for item in issued.delivered]
    out.append(f"  record {store.path(meeting.id)}")
    print("\n".join(out))
    return 0


def _meeting_lines(meeting: Meeting) -> list[str]:
    from somnet.meetings.invites import local_times

    status = "" if meeting.status == "CONFIRMED" else f"  [{meeting.status.lower()}]"
    lines = [
        f"  {meeting.title}: {meeting.start:%a %Y-%m-%d %H:%M}-{meeting.end:%H:%M} UTC"
        f" ({meeting.timezone} in the invite){status}"
    ]
    if meeting.location:
        lines.append(f"  where: {meeting.location}")
    organizer = meeting.organizer
    lines.append(f"  organizer {organizer.name + ' ' if organizer.name else ''}<{organizer.email}>")
    if meeting.series:
        lines.append(f"  series {meeting.series}")
    for person, start, end in local_times(meeting):
        tag = " [illustrative]" if person.illustrative else ""
        who = _who(person)
        lines.append(
            f"  - {who:<24} {start:%a %H:%M}-{end:%H:%M} {person.timezone or meeting.timezone}"
            f"  <{person.email}>{tag}"
        )
    if meeting.publication:
        lines.append(f"  published {meeting.publication.url}")
    return lines


def _who(person: Person) -> str:
    return f"{person.state or ''} {person.contact or ''}".strip() or person.name


# list, show ----------------------------------------------------------------------------------


def list_meetings(args: argparse.Namespace) -> int:
    from somnet.meetings.store import meeting_to_json

    store = _store(args)
    store.check()
    meetings, problems = store.scan()
    if args.series:
        wanted = {m.id for m in store.series(args.series)}
        meetings = [m for m in meetings if m.id in wanted]
    if args.format == "json":
        _common.print_json([meeting_to_json(m) for m in meetings])
    elif not meetings and not problems:
        print(f"no meetings recorded in {store.root}")
    for m in meetings if args.format != "json" else []:
        status = "cancelled" if m.status == "CANCELLED" else "confirmed"
        missing = len(m.undelivered)
        print(
            f"{m.id}  {m.start:%Y-%m-%d %H:%M}-{m.end:%H:%M} UTC  seq {m.sequence}  "
            f"{status:<9}  {len(m.attendees)} attendees  {m.title}"
            + (f"  (series {m.series})" if m.series else "")
            + (
                f"  [{missing} {'delivery' if missing == 1 else 'deliveries'} missing: "
                f"see meeting show {m.id}]"
                if missing
                else ""
            )
        )
    # The others are listed; the damaged records are named, and the exit status says so.
    for problem in problems:
        print(f"somnet: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _delivery_lines(meeting: Meeting) -> list[str]:
    """What became of the current version, per attendee and channel."""
    current = [d for d in meeting.deliveries if d.sequence == meeting.sequence]
    if not current:
        return []
    uninvited = {p.email.lower() for p in meeting.uninvited}
    emails = [d for d in current if d.channel == "email"]
    width = max((len(d.to) for d in emails), default=0)
    lines = [f"  deliveries of SEQUENCE {meeting.sequence}:"]
    for d in [*emails, *(d for d in current if d.channel == "caldav")]:
        when = f" {_utc(d.at)}" if d.at else ""
        why = f": {d.reply}" if d.reply else ""
        if d.channel == "caldav":
            lines.append(f"    CalDAV  {d.state}{when}: {d.to}{why}")
            continue
        kind = (
            " (uninvited)"
            if d.method == "CANCEL" and meeting.status != "CANCELLED" and d.to.lower() in uninvited
            else ""
        )
        lines.append(f"    e-mail  {d.to:<{width}}  {d.state}{when} via {d.via}{kind}{why}")
    return lines


def show(args: argparse.Namespace) -> int:
    from somnet.meetings.invites import calendar_bytes
    from somnet.meetings.store import meeting_to_json

    store = _store(args)
    meeting = store.get(args.id)
    if args.ics:
        method = "CANCEL" if meeting.status == "CANCELLED" else "REQUEST"
        sys.stdout.write(calendar_bytes(meeting, method=method, now=meeting.modified).decode())
        return 0
    if args.format == "json":
        _common.print_json(meeting_to_json(meeting))
        return 0
    out = [f"meeting {meeting.id}  UID {meeting.uid}  SEQUENCE {meeting.sequence}"]
    out += _meeting_lines(meeting)
    out += _delivery_lines(meeting)
    out.append("  history:")
    for change in meeting.history:
        where = f": {', '.join(change.delivered)}" if change.delivered else ""
        out.append(f"    {_utc(change.at)}  {change.action} (SEQUENCE {change.sequence}){where}")
    print("\n".join(out))
    return 0
