"""``somnet meeting ...``: plan, series, invite, update, cancel, resend, list, show.

Each command reads its flags, calls one use case of ``somnet`` and prints what it returns.
Errors name the library's fields; here they become flags, and the hints that are command lines
(``somnet meeting resend ID --send ...``) are composed from the data the errors carry.
icalendar, holidays and httpx are imported by the library only inside the functions that run
a meeting command, so that ``somnet contact`` does not pay for them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import somnet
from somnet import N_, format_time, localized, ngettext
from somnet import gettext as _

from . import _common

if TYPE_CHECKING:
    from somnet import (
        Channels,
        IncompleteDeliveryError,
        IncompleteSeriesError,
        Issued,
        LedgerEntry,
        Meeting,
        MeetingStore,
        Participant,
        Person,
        Plan,
        Series,
        SeriesInvitation,
        Slot,
    )

EPILOG = N_("""\
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
and so is less than --notice working days' notice (2, or notice_days in config.toml).

Times are planned in UTC on a grid; each participant keeps the working hours, core hours and
public holidays of their agency or state, in their own time zone. Passwords for --send and
--publish come from environment variables only (SOMNET_SMTP_PASSWORD, SOMNET_CALDAV_PASSWORD).
""")

# The flag of each field the library names in its errors, by group of options.
_PARTICIPANTS = {"states": "--states", "roles": "--role", "contacts": "--contact", "data": "--data"}
_WINDOW = {
    "duration": "--duration",
    "first": "--from",
    "last": "--to",
    "step": "--step",
    "pick": "--pick",
}
_NOTICE = {"start": "--start", "notice_days": "--notice"}
_COUNT = {"count": "--count"}
_SERIES = {"every": "--every", "within_days": "--within", "resume": "--resume"}
_INVITE = {
    "title": "--title",
    "organizer": "--organizer",
    "organizer_name": "--organizer-name",
    "timezone": "--timezone",
    "location": "--location",
    "description": "--description",
}
#: The environment variables the passwords are read from unless --*-password-env names others.
_SMTP_PASSWORD_ENV = "SOMNET_SMTP_PASSWORD"
_CALDAV_PASSWORD_ENV = "SOMNET_CALDAV_PASSWORD"

_ISSUE = {
    "store": "--store",
    "out": "--out",
    "send": "--send",
    "starttls": "--starttls",
    "smtp_user": "--smtp-user",
    "publish": "--publish",
    "caldav_user": "--caldav-user",
    "smtp_password_env": "--smtp-password-env",
    "caldav_password_env": "--caldav-password-env",
    "timeout": "--timeout",
}


def _flags(*groups: dict[str, str]) -> dict[str, str]:
    return {field: flag for group in groups for field, flag in group.items()}


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "meeting",
        help=_("find times for regional meetings, send and track their invites"),
        description=_("Find times for the region's meetings, and send, update and cancel invites."),
        epilog=_(EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="meeting_command", metavar="SUBCOMMAND")
    parser.set_defaults(run=lambda _args: _usage(parser))

    p = sub.add_parser("plan", help=_("the best times for everyone to meet"))
    _common.refuse_repeated_options(p)
    _participant_options(p)
    _window_options(p)
    _notice_option(p)
    p.add_argument("--count", default="5", help=_("how many slots to show (5)"))
    p.add_argument("--per-day", action="store_true", help=_("at most one slot per UTC day"))
    _common.add_format_option(p)
    p.set_defaults(run=_guarded(plan), flags=_flags(_PARTICIPANTS, _WINDOW, _NOTICE, _COUNT))

    p = sub.add_parser("series", help=_("a recurring meeting whose inconvenient hours rotate"))
    _common.refuse_repeated_options(p)
    _participant_options(p)
    p.add_argument("--duration", required=True, help=_("e.g. 90m, 1h30m, 2h"))
    p.add_argument("--from", dest="first", required=True, metavar="DATE", help=_("first UTC date"))
    p.add_argument(
        "--every",
        required=True,
        choices=["week", "month", "quarter"],
        help=_(
            "one meeting a period; each period begins on the day of the month of --from, or "
            "on the month's last day when it is shorter (from 31 January: 28 February, "
            "31 March)"
        ),
    )
    p.add_argument("--count", required=True, help=_("how many meetings"))
    p.add_argument(
        "--within", metavar="DAYS", help=_("search only the first DAYS days of each period")
    )
    p.add_argument("--step", default="15m", help=_("grid of start times (15m)"))
    _notice_option(p)
    p.add_argument(
        "--ledger-from-store",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=_(
            "start the ledger from the meetings of the same participants recorded in the "
            "store (default; --no-ledger-from-store starts from zero)"
        ),
    )
    sending = p.add_argument_group(
        _(
            "invites (--invite: one meeting per occurrence, each with its own UID, recorded "
            "together)"
        )
    )
    sending.add_argument(
        "--invite", action="store_true", help=_("record and deliver an invite for each occurrence")
    )
    sending.add_argument(
        "--resume",
        metavar="ID",
        help=_(
            "after a failed --invite: send the occurrences of series ID not yet sent "
            "(same options as before)"
        ),
    )
    _invite_options(sending, required=False)
    _issue_options(p, publish_needs_url=True, out_metavar="DIR")
    p.set_defaults(
        run=_guarded(series),
        flags=_flags(_PARTICIPANTS, _WINDOW, _NOTICE, _COUNT, _SERIES, _INVITE, _ISSUE),
    )

    p = sub.add_parser("invite", help=_("create a meeting, write or send its invite, record it"))
    _common.refuse_repeated_options(p)
    _participant_options(p)
    when = p.add_argument_group(_("when (--start, or the best slot of --from/--to)"))
    when.add_argument("--start", help=_start_help())
    when.add_argument("--from", dest="first", metavar="DATE", help=_("plan: first UTC date"))
    when.add_argument("--to", dest="last", metavar="DATE", help=_("plan: last UTC date"))
    when.add_argument("--pick", default="1", help=_("plan: take the Nth best slot (1)"))
    when.add_argument("--step", default="15m", help=_("plan: grid of start times (15m)"))
    p.add_argument("--duration", required=True, help=_("e.g. 90m, 1h30m, 2h"))
    _notice_option(p, allow_past=True)
    _invite_options(p, required=True)
    _issue_options(p, publish_needs_url=True)
    p.set_defaults(
        run=_guarded(invite), flags=_flags(_PARTICIPANTS, _WINDOW, _NOTICE, _INVITE, _ISSUE)
    )

    p = sub.add_parser(
        "update",
        help=_("change a recorded meeting (same UID, SEQUENCE + 1)"),
        description=_(
            "Change a recorded meeting: same UID, SEQUENCE + 1. --states, --role and "
            "--contact name who attends from now on: those added get the invite, those removed a "
            "CANCEL naming only them (with --out FILE, written to FILE-uninvite.ics)."
        ),
    )
    _common.refuse_repeated_options(p)
    p.add_argument("id", help=_("the meeting id (or a unique beginning of it)"))
    _participant_options(p)
    p.add_argument("--start", help=_start_help())
    p.add_argument("--duration", help=_("the new length, e.g. 90m, 1h30m, 2h"))
    p.add_argument("--title", help=_("the new title"))
    p.add_argument("--location", help=_('the new location ("" clears it)'))
    p.add_argument("--description", help=_('the new description ("" clears it)'))
    p.add_argument("--timezone", help=_("the new zone of the invite's times, e.g. America/Nassau"))
    _notice_option(p, allow_past=True)
    _issue_options(p, publish_needs_url=False)
    p.set_defaults(
        run=_guarded(update), flags=_flags(_PARTICIPANTS, _WINDOW, _NOTICE, _INVITE, _ISSUE)
    )

    p = sub.add_parser("cancel", help=_("cancel a recorded meeting (METHOD:CANCEL)"))
    _common.refuse_repeated_options(p)
    p.add_argument("id", nargs="?", help=_("the meeting id (or a unique beginning of it)"))
    p.add_argument(
        "--series",
        metavar="ID",
        help=_("cancel every meeting of this series still on (--out is then a folder)"),
    )
    _issue_options(p, publish_needs_url=False, out_metavar="FILE|DIR")
    p.set_defaults(run=_guarded(cancel), flags=_flags(_ISSUE, {"series": "--series"}))

    p = sub.add_parser(
        "resend",
        help=_("deliver what a recorded meeting has not reached (after a failure)"),
        description=_(
            "Deliver the current version of a recorded meeting (same UID, same "
            "SEQUENCE) to whoever it has not reached on the channels given: the attendees not "
            "e-mailed, the CalDAV copy not published (or, for a cancelled meeting, not removed). "
            "Nothing is sent twice."
        ),
    )
    _common.refuse_repeated_options(p)
    p.add_argument("id", help=_("the meeting id (or a unique beginning of it)"))
    _issue_options(p, publish_needs_url=False)
    p.set_defaults(run=_guarded(resend), flags=_flags(_ISSUE))

    p = sub.add_parser("list", help=_("the recorded meetings"))
    _common.refuse_repeated_options(p)
    p.add_argument("--series", metavar="ID", help=_("only the meetings of this series"))
    _store_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=_guarded(list_meetings), flags={"store": "--store", "series": "--series"})

    p = sub.add_parser("show", help=_("one recorded meeting, its history, or its invite"))
    _common.refuse_repeated_options(p)
    p.add_argument("id", help=_("the meeting id (or a unique beginning of it)"))
    p.add_argument("--ics", action="store_true", help=_("print its current invite (.ics)"))
    _store_option(p)
    _common.add_format_option(p)
    p.set_defaults(run=_guarded(show), flags={"store": "--store"})


def _usage(parser: argparse.ArgumentParser) -> int:
    # Help goes to standard output, always (the exit status says it was not a command).
    parser.print_help()
    return 2


def _start_help() -> str:
    """How invite and update read --start: one reading for both."""
    return _(
        "a date and time with its UTC offset, e.g. 2026-12-03T15:00Z or "
        "2026-12-03T10:00-05:00 (without one, it is refused)"
    )


def _participant_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(_("participants"))
    group.add_argument(
        "--states",
        action="append",
        default=[],
        metavar="XX,YY",
        help=_("states whose meeting focal points attend (or, with --role, whose agencies)"),
    )
    group.add_argument(
        "--role",
        action="append",
        default=[],
        help=_("for each state, the first contact of its agency with this role (repeatable)"),
    )
    group.add_argument(
        "--contact", action="append", default=[], metavar="ID", help=_("a contact (repeatable)")
    )
    _common.add_data_option(parser)


def _window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--duration", required=True, help=_("e.g. 90m, 1h30m, 2h"))
    parser.add_argument(
        "--from", dest="first", required=True, metavar="DATE", help=_("first UTC date")
    )
    parser.add_argument("--to", dest="last", required=True, metavar="DATE", help=_("last UTC date"))
    parser.add_argument("--step", default="15m", help=_("grid of start times (15m)"))


def _notice_option(parser: argparse.ArgumentParser, *, allow_past: bool = False) -> None:
    parser.add_argument(
        "--notice",
        metavar="DAYS",
        help=_(
            "working days of notice every participant gets (0 for none; by default "
            "notice_days in config.toml, else 2)"
        ),
    )
    if allow_past:
        parser.add_argument(
            "--allow-past", action="store_true", help=_("accept a start in the past (a record)")
        )


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        metavar="DIR",
        type=_common.path,
        help=_("where meetings are recorded (default: DATA_HOME/meetings)"),
    )


def _invite_options(group: Any, *, required: bool) -> None:
    group.add_argument("--title", required=required, help=_("the meeting's title"))
    group.add_argument(
        "--organizer",
        required=required,
        metavar="EMAIL",
        help=_("the organizer's address: replies go there"),
    )
    group.add_argument("--organizer-name", metavar="NAME", help=_("the organizer's name"))
    group.add_argument(
        "--timezone", help=_("zone of the invite's times (default: the first participant's)")
    )
    group.add_argument("--location", help=_("where it is held: a room, an address or a link"))
    group.add_argument("--description", help=_("the text of the invite"))


def _issue_options(
    parser: argparse.ArgumentParser, *, publish_needs_url: bool, out_metavar: str = "FILE"
) -> None:
    _store_option(parser)
    if out_metavar == "FILE":
        out_help = _("write the invite (.ics) to FILE")
    else:
        out_help = _("write the invite (.ics) to FILE; for a series, one DIR/YYYY-MM-DD.ics each")
    # An empty one (a script's unset variable) is refused, not taken as no --out.
    parser.add_argument("--out", metavar=out_metavar, type=_common.out_path, help=out_help)
    mail = parser.add_argument_group(_("e-mail (iMIP)"))
    mail.add_argument("--send", metavar="smtp://HOST:PORT", help=_("send it to every attendee"))
    mail.add_argument("--starttls", action="store_true", help=_("upgrade with STARTTLS"))
    mail.add_argument("--smtp-user", metavar="USER", help=_("log in as USER"))
    mail.add_argument(
        "--smtp-password-env",
        default=_SMTP_PASSWORD_ENV,
        metavar="VAR",
        help=_("environment variable holding the password (SOMNET_SMTP_PASSWORD)"),
    )
    mail.add_argument(
        "--per-attendee", action="store_true", help=_("one message per attendee, not one to all")
    )
    caldav = parser.add_argument_group(_("CalDAV"))
    if publish_needs_url:
        caldav.add_argument(
            "--publish", metavar="URL", help=_("put it in the calendar collection at URL")
        )
    else:
        caldav.add_argument(
            "--publish",
            metavar="URL",
            nargs="?",
            const="",
            help=_("change it where it was published (URL optional)"),
        )
    caldav.add_argument("--caldav-user", metavar="USER", help=_("Basic-auth user name"))
    caldav.add_argument(
        "--force",
        action="store_true",
        help=_("replace (or remove) the calendar's copy even though it was changed there"),
    )
    caldav.add_argument(
        "--caldav-password-env",
        default=_CALDAV_PASSWORD_ENV,
        metavar="VAR",
        help=_("environment variable holding the password (SOMNET_CALDAV_PASSWORD)"),
    )
    parser.add_argument(
        "--timeout", default="10", metavar="SECONDS", help=_("network timeout (10)")
    )
    _common.add_format_option(parser)


# Errors ----------------------------------------------------------------------------------------


def _guarded(command: Callable[[argparse.Namespace], int]) -> _common.Runner:
    """``command``, its library errors printed as one line: the field as its flag, and the
    command to run next when the error says what it would be."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except somnet.SomnetError as exc:
            if getattr(args, "format", None) == "json":
                # What was recorded and delivered before it failed, as a success prints it:
                # a script learns the meeting's id without reading the error.
                done = _done_json(exc)
                if done is not None:
                    _common.print_json(done)
            else:
                # What the run that completes it would warn of (a holiday, illustrative
                # contacts): an officer who reads the error and gives up is told it too.
                _warn(_done_warnings(exc))
            if isinstance(
                exc,
                (
                    somnet.NoticeError,
                    somnet.NoSlotError,
                    somnet.AlreadyRecordedError,
                    somnet.NothingMissingError,
                    somnet.NothingChangesError,
                ),
            ):
                # What the refusal could not check (the holidays of the earliest start named),
                # or what still holds of the meetings sent before (a series run again).
                _warn(exc.warnings)
            reason = _reason(exc, args)
            field = exc.field
            text = reason
            if field:
                # The command's own flags, then those every command shares (overlays: --data).
                flag = args.flags.get(field) or _common.COMMON_FLAGS.get(field, field)
                text = _common.labelled(flag, reason)
            print(_common.labelled("somnet", text), file=sys.stderr)
            return exc.exit_code

    return run


def _done_json(exc: somnet.SomnetError) -> dict[str, Any] | None:
    """The JSON of what a run that failed recorded and delivered, when it recorded some."""
    if isinstance(exc, somnet.IncompleteSeriesError):
        done = exc.done
        if done is None:
            return None
        return done.to_json(warnings=_done_warnings(exc))
    if isinstance(exc, somnet.IncompleteDeliveryError) and exc.issued is not None:
        return exc.issued.to_json(warnings=_done_warnings(exc))
    return None


def _done_warnings(exc: somnet.SomnetError) -> list[str]:
    """The warnings of what a run that failed recorded and delivered, as a success gives
    them (in JSON, and in text before its error line); none when it recorded nothing."""
    if isinstance(exc, somnet.IncompleteSeriesError):
        done = exc.done
        if done is None:
            return []
        if isinstance(done, somnet.SeriesCancellation):
            return _series_warnings(done.issued)
        return _invitation_warnings(done)
    if isinstance(exc, somnet.IncompleteDeliveryError) and exc.issued is not None:
        return _warnings(exc.issued)
    return []


def _reason(exc: somnet.SomnetError, args: argparse.Namespace) -> str:
    """The error's reason, with what to run next when its data says."""
    reason = _common.reason_text(exc)
    if isinstance(exc, somnet.IncompleteSeriesError):
        return localized(exc.cause_reason) + localized(exc.progress.text(_rest_of_series(exc)))
    if isinstance(exc, somnet.IncompleteDeliveryError):
        return reason + _("; ") + _resend_hint(exc, args)
    if isinstance(exc, somnet.NotRecordedError):
        return _("{reason} (see: somnet meeting list)").format(reason=reason)
    if isinstance(exc, somnet.AlreadyRecordedError):
        if exc.series_id is not None:
            return _("{reason}; to send what it has not sent, add --resume {series}").format(
                reason=reason, series=exc.series_id
            )
        if exc.meeting_id is None:
            return reason
        return _("{reason}; change it with: somnet meeting update {id}").format(
            reason=reason, id=exc.meeting_id
        )
    if isinstance(exc, somnet.NoticeError):
        if exc.remedy == "allow_past":
            return _("{reason}; give --allow-past to record a meeting that was held").format(
                reason=reason
            )
        return _("{reason}; give --notice with fewer days (0 for none) to send it anyway").format(
            reason=reason
        )
    return reason


def _rest_of_series(exc: IncompleteSeriesError) -> str:
    # Stopped by a calendar copy changed (or removed) there: the same command again would
    # stop at it again; --force takes it over.
    conflict = isinstance(exc, somnet.IncompleteDeliveryError) and exc.conflict
    if exc.progress.action == "cancelled":
        if conflict:
            return _(
                "to remove the calendar's copy, and what was changed in it, and cancel the "
                "rest, run the same command with --force"
            )
        return _("run the same command again to cancel the rest")
    # Running the same command again would send a second series; --resume sends the rest
    # under this one (and would stop again at a calendar copy changed there without --force).
    if conflict:
        return _(
            "to replace the calendar's copy, and what was changed in it, with this version and "
            "send the rest, run the same command with --resume {series} --force"
        ).format(series=exc.progress.series)
    return _("to send the rest, run the same command with --resume {series}").format(
        series=exc.progress.series
    )


def _resend_hint(exc: IncompleteDeliveryError, args: argparse.Namespace) -> str:
    """The command that delivers what a failed delivery did not reach."""
    import shlex

    meeting = exc.meeting
    missing = meeting.undelivered
    words = ["somnet", "meeting", "resend", meeting.id]
    if args.store:
        words += ["--store", str(args.store)]
    if args.send and any(d.channel == "email" for d in missing):
        words += ["--send", args.send]
        words += ["--per-attendee"] if args.per_attendee else []
        words += ["--starttls"] if args.starttls else []
        words += ["--smtp-user", args.smtp_user] if args.smtp_user else []
        if args.smtp_password_env != _SMTP_PASSWORD_ENV:
            words += ["--smtp-password-env", args.smtp_password_env]
    calendar = next((d.via for d in missing if d.channel == "caldav"), None)
    if args.publish is not None and calendar is not None:
        words += ["--publish", calendar]
        words += ["--caldav-user", args.caldav_user] if args.caldav_user else []
        if args.caldav_password_env != _CALDAV_PASSWORD_ENV:
            words += ["--caldav-password-env", args.caldav_password_env]
    if args.timeout != "10":
        words += ["--timeout", args.timeout]
    if exc.conflict:
        words.append("--force")
        if meeting.status == "CANCELLED":
            # A cancellation has no version to put in its place: --force removes the event.
            return _(
                "to remove the calendar's copy, and what was changed in it, run: {command}"
            ).format(command=shlex.join(words))
        if exc.removed:
            # Removed there: nothing to replace; --force puts this version back.
            return _("to put this version back on the calendar, run: {command}").format(
                command=shlex.join(words)
            )
        return _(
            "to replace the calendar's copy, and what was changed in it, with this version, "
            "run: {command}"
        ).format(command=shlex.join(words))
    return _("to deliver the rest, run: {command} (or the same command again)").format(
        command=shlex.join(words)
    )


# Reading values ----------------------------------------------------------------------------


def _notice(args: argparse.Namespace) -> int | None:
    """--notice, or None for the configured default."""
    if args.notice is None:
        return None
    return somnet.parse_whole(args.notice, field="notice_days", minimum=0)


def _participants(args: argparse.Namespace) -> list[Participant]:
    directory = _common.load(args)
    return somnet.resolve_participants(
        directory,
        states=_common.code_list(args.states, "states"),
        roles=args.role,
        contacts=args.contact,
    )


def _timezone(args: argparse.Namespace) -> str | None:
    """--timezone. An empty one (a script's unset variable) names no zone: refused, as a blank
    one is, not taken as the default."""
    zone: str | None = args.timezone
    if zone is not None and not zone.strip():
        raise somnet.MeetingError(
            _("{value} is not an IANA time zone such as America/Panama").format(value=repr(zone)),
            field="timezone",
            value=zone,
        )
    return zone


def _store(args: argparse.Namespace) -> MeetingStore:
    return somnet.MeetingStore(Path(args.store) if args.store else None)


def _organizer(args: argparse.Namespace) -> Person:
    return somnet.Person(args.organizer.strip(), (args.organizer_name or "").strip())


def _channels(args: argparse.Namespace) -> Channels:
    """The delivery options, the servers' addresses and logins checked."""
    timeout = somnet.parse_timeout(args.timeout)
    smtp = None
    if args.send is not None:
        # An empty address (a script's unset variable) is refused, not taken as no --send.
        smtp = somnet.smtp_server(
            args.send,
            starttls=args.starttls,
            user=args.smtp_user,
            password_env=args.smtp_password_env,
            timeout=timeout,
            per_attendee=args.per_attendee,
        )
    elif (
        args.starttls
        or args.smtp_user is not None
        or args.per_attendee
        or args.smtp_password_env != _SMTP_PASSWORD_ENV
    ):
        raise somnet.MeetingError(
            _(
                "--starttls, --smtp-user, --smtp-password-env and --per-attendee need "
                "--send smtp://HOST:PORT"
            )
        )
    caldav = None
    if args.publish is None and (
        args.caldav_user is not None or args.caldav_password_env != _CALDAV_PASSWORD_ENV
    ):
        # The calendar is written as no one: said, not ignored.
        raise somnet.MeetingError(_("--caldav-user and --caldav-password-env need --publish URL"))
    if args.publish is None and args.force:
        # No calendar copy to take over: said, not ignored.
        raise somnet.MeetingError(_("--force needs --publish URL: it takes over a calendar's copy"))
    if args.publish is not None:
        # --publish alone: where the meeting is published, found in its record.
        caldav = somnet.caldav_server(
            args.publish or None,
            user=args.caldav_user,
            password_env=args.caldav_password_env,
            timeout=timeout,
        )
    return somnet.Channels(
        out=Path(args.out) if args.out else None, smtp=smtp, caldav=caldav, force=args.force
    )


def _warn(lines: Sequence[str]) -> None:
    for line in lines:
        text = _("warning: {warning}").format(warning=localized(line))
        print(_common.warn(text), file=sys.stderr)


def _warnings(issued: Issued) -> list[str]:
    """What to warn about a delivery: its warnings, and a calendar copy or attendees e-mailed
    before that it did not reach, with the flag that reaches them (before the note on
    illustrative contacts, which ends)."""
    warnings = list(issued.warnings)
    behind = issued.calendar_behind
    if behind is not None:
        meeting = issued.meeting
        if meeting.status == "CANCELLED":
            line = _(
                "meeting {id} is still published at {url}; add --publish to remove it from there"
            ).format(id=meeting.id, url=behind)
        else:
            line = _(
                "meeting {id} is published at {url}; add --publish to change it there too"
            ).format(id=meeting.id, url=behind)
        note = somnet.INVITE_ILLUSTRATIVE_NOTE
        warnings.insert(warnings.index(note) if note in warnings else len(warnings), line)
    if issued.emailed_before:
        meeting = issued.meeting
        if meeting.status == "CANCELLED":
            line = _(
                "meeting {id}: its attendees were e-mailed an earlier version; add --send to "
                "send them the cancellation"
            ).format(id=meeting.id)
        else:
            line = _(
                "meeting {id}: its attendees were e-mailed an earlier version; add --send to "
                "send them this one"
            ).format(id=meeting.id)
        note = somnet.INVITE_ILLUSTRATIVE_NOTE
        warnings.insert(warnings.index(note) if note in warnings else len(warnings), line)
    return warnings


def _series_warnings(issued: Sequence[Issued]) -> list[str]:
    """The warnings of a series' deliveries, each once."""
    return list(dict.fromkeys(w for i in issued for w in _warnings(i)))


def _invitation_warnings(done: SeriesInvitation) -> list[str]:
    """A series invited: its own warnings, then its deliveries' not among them."""
    warnings = _series_warnings(done.issued)
    return [*done.warnings, *(w for w in warnings if w not in done.warnings)]


def _now() -> datetime:
    """The meeting commands' clock (the tests set it)."""
    return datetime.now(UTC)


def _utc(value: datetime) -> str:
    return f"{value.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


# plan ----------------------------------------------------------------------------------------


def plan(args: argparse.Namespace) -> int:
    window = somnet.Window(
        somnet.parse_date(args.first, field="first"),
        somnet.parse_date(args.last, field="last"),
        somnet.parse_duration(args.duration),
        somnet.parse_duration(args.step, field="step"),
    )
    count = somnet.parse_whole(args.count, field="count")
    notice = _notice(args)
    participants = _participants(args)
    try:
        found = somnet.plan_meeting(
            participants,
            window,
            count=count,
            per_day=args.per_day,
            now=_now(),
            notice_days=notice,
        )
    except somnet.NoSlotError as exc:
        if args.format == "json":
            _common.print_json(somnet.Plan.no_slot_json(exc))
        raise
    if args.format == "json":
        _common.print_json(found.to_json())
        return 0
    _warn(found.warnings)
    print(plan_text(found))
    return 0


def _span(start: datetime, end: datetime, pattern: str) -> str:
    """``start``-``end`` written with ``pattern``, the end as a time of day when it is on the
    same date, else whole (a 24-hour meeting is not ``15:00-15:00``)."""
    until = f"{end:%H:%M}" if end.date() == start.date() else format_time(end, pattern)
    return f"{format_time(start, pattern)}-{until}"


def _slot_lines(slot: Slot, participants: Sequence[Participant], *, burden: bool) -> list[str]:
    width = max(len(p.label) for p in participants)
    lines = []
    for t in slot.local_times(participants):
        extra = (
            "  " + _("+{minutes} min").format(minutes=t.minutes_outside_core)
            if burden and t.minutes_outside_core
            else ""
        )
        lines.append(
            f"      {t.participant.label:<{width}}  {_span(t.start, t.end, '%a %H:%M')}  "
            f"{t.participant.timezone}{extra}"
        )
    return lines


def _interpretation_lines(participants: Sequence[Participant]) -> list[str]:
    """Which interpretation the meeting needs: the participants' languages."""
    found = somnet.interpretation(participants)
    if not found.languages:
        return []
    if found.needed:
        head = _("Interpretation needed: {languages} (no language is common to all)").format(
            languages=", ".join(found.languages)
        )
    else:
        head = _("No interpretation needed: everyone speaks {languages}").format(
            languages=", ".join(found.common)
        )
    width = max(len(p.label) for p, _langs in found.by_participant)
    lines = [head]
    for p, langs in found.by_participant:
        spoken = ", ".join(langs) if langs else _("(languages not recorded)")
        lines.append(f"  {p.label:<{width}}  {spoken}")
    return lines


def plan_text(found: Plan) -> str:
    window = found.window
    # Each count takes its own plural ("1 participant", "2 possible starts"): one sentence whose
    # counted phrases are filled in, so that a translation keeps its own word order.
    head = ngettext(
        "{n} best of {starts} for {duration}, {first} to {last} (UTC dates), {participants}; "
        "score = minutes outside core hours",
        "{n} best of {starts} for {duration}, {first} to {last} (UTC dates), {participants}; "
        "score = minutes outside core hours",
        len(found.slots),
    ).format(
        n=len(found.slots),
        starts=ngettext("{n} possible start", "{n} possible starts", found.feasible).format(
            n=found.feasible
        ),
        duration=somnet.duration_text(window.duration),
        first=window.first,
        last=window.last,
        participants=ngettext(
            "{n} participant", "{n} participants", len(found.participants)
        ).format(n=len(found.participants)),
    )
    out = [head, ""]
    for number, slot in enumerate(found.slots, start=1):
        when = f"{_span(slot.start, slot.end, '%a %Y-%m-%d %H:%M')} UTC"
        out.append(f"{number:>2}  {when}   " + _("score {score}").format(score=slot.score))
        out += _slot_lines(slot, found.participants, burden=True)
    if found.holidays:
        # A day offices close that is no public holiday has a name that says so (closure).
        if any(getattr(name, "closure", False) for _p, _day, name in found.holidays):
            # Carnival in Trinidad and Tobago: no public holiday, but its offices close.
            out += ["", _("Days offices close in the window (no meeting on them):")]
        else:
            out += ["", _("Public holidays in the window (no meeting on them):")]
        for p, day, name in found.holidays:
            holiday = localized(p.holiday_text(name))  # whose calendar, in the language in use
            out.append(f"  {p.label}  {format_time(day, '%a %Y-%m-%d')}  {holiday}")
    interpretation = _interpretation_lines(found.participants)
    if interpretation:
        out += ["", *interpretation]
    if any(p.illustrative for p in found.participants):
        out += ["", _common.warn(localized(somnet.INVITE_ILLUSTRATIVE_NOTE))]
    return "\n".join(out)


# series --------------------------------------------------------------------------------------


def series(args: argparse.Namespace) -> int:
    try:
        return _series(args)
    except somnet.NoSlotError as exc:
        # As plan does: a script reading the JSON learns that nothing fits, and why.
        if args.format == "json":
            _common.print_json(somnet.Series.no_slot_json(exc))
        raise


def _series(args: argparse.Namespace) -> int:
    first = somnet.parse_date(args.first, field="first")
    duration = somnet.parse_duration(args.duration)
    step = somnet.parse_duration(args.step, field="step")
    count = somnet.parse_whole(args.count, field="count")
    within = (
        somnet.parse_whole(args.within, field="within_days") if args.within is not None else None
    )
    notice = _notice(args)
    channels = None
    if args.invite:
        if not args.title or not args.organizer:
            missing = [
                flag
                for flag, value in (("--title", args.title), ("--organizer EMAIL", args.organizer))
                if not value
            ]
            add = _("add {flags}").format(flags=_(" and ").join(missing))
            raise somnet.MeetingError(_("{where}: {message}").format(where="--invite", message=add))
        channels = _channels(args)
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
            if value is not None  # given, even empty (a script's unset variable)
        ]
        if given:
            add = _("add {flags}").format(flags="--invite")
            what = _("record and deliver an invite for each occurrence")
            raise somnet.MeetingError(
                _("{where}: {message}").format(where=", ".join(given), message=f"{add} ({what})")
            )
    participants = _participants(args)
    store = _store(args)
    if channels is not None:
        done = somnet.invite_series(
            participants,
            first=first,
            every=args.every,
            count=count,
            duration=duration,
            step=step,
            within_days=within,
            title=args.title,
            organizer=_organizer(args),
            store=store,
            now=_now(),
            notice_days=notice,
            ledger_from_store=args.ledger_from_store,
            resume=args.resume,
            timezone=_timezone(args),
            location=args.location,
            description=args.description,
            channels=channels,
        )
        warnings = _invitation_warnings(done)
        if args.format == "json":
            _common.print_json(done.to_json(warnings=warnings))
            return 0
        # series_text already ends with the note on illustrative contacts.
        _warn([w for w in warnings if w != somnet.INVITE_ILLUSTRATIVE_NOTE])
        sent = len(done.sent_before) - len(done.completed)
        before = [
            ngettext("{n} sent before", "{n} sent before", sent).format(n=sent) if sent > 0 else "",
            ngettext(
                "{n} recorded before, sent where it was missing",
                "{n} recorded before, sent where they were missing",
                len(done.completed),
            ).format(n=len(done.completed))
            if done.completed
            else "",
        ]
        lines = [series_text(done.series), ""]
        recorded = ngettext(
            "series {id}: {n} meeting recorded in {store}, with its own UID at SEQUENCE 0",
            "series {id}: {n} meetings recorded in {store}, each with its own UID at SEQUENCE 0",
            done.created,
        ).format(id=done.id, n=done.created, store=done.store)
        if done.sent_before:
            recorded += " (" + _("; ").join(b for b in before if b) + ")"
        lines.append(recorded)
        for i in done.issued:
            m = i.meeting
            when = f"{_span(m.start, m.end, '%a %Y-%m-%d %H:%M')} UTC"
            lines.append(f"  {m.id}  {when}  {m.uid}")
            lines += [f"    {_delivered_text(item)}" for item in i.delivered]
        print("\n".join(lines))
        return 0
    found = somnet.plan_series(
        participants,
        first=first,
        every=args.every,
        count=count,
        duration=duration,
        step=step,
        within_days=within,
        now=_now(),
        notice_days=notice,
        store=store,
        ledger_from_store=args.ledger_from_store,
    )
    if args.format == "json":
        _common.print_json(found.to_json())
        return 0
    _warn(found.warnings)
    print(series_text(found))
    return 0


def _delivered_text(item: str) -> str:
    kind, _sep, where = item.partition(":")
    labels = {
        "file": N_("wrote {where}"),
        "smtp": N_("e-mailed via {where}"),
        "caldav": N_("CalDAV {where}"),
    }
    return _(labels[kind]).format(where=where) if kind in labels else f"{kind} {where}"


#: How often a series meets, in words.
EVERY = {"week": N_("Every week"), "month": N_("Every month"), "quarter": N_("Every quarter")}


def series_text(found: Series) -> str:
    out = [
        _("{every}, {meetings} of {duration}, {participants}; periods in UTC dates").format(
            every=_(EVERY[found.every]) if found.every in EVERY else found.every,
            meetings=ngettext("{n} meeting", "{n} meetings", len(found.occurrences)).format(
                n=len(found.occurrences)
            ),
            duration=somnet.duration_text(found.duration),
            participants=ngettext(
                "{n} participant", "{n} participants", len(found.participants)
            ).format(n=len(found.participants)),
        ),
        "",
    ]
    for o in found.occurrences:
        head = f"{o.index:>2}  " + _("period {first} to {last}").format(first=o.first, last=o.last)
        if o.slot is None:
            reasons = _("; ").join(map(localized, o.reasons))
            out.append(_("{head}: no slot: {reasons}").format(head=head, reasons=reasons))
            continue
        sent = "  " + _("(recorded already)") if o.fixed else ""
        when = f"{_span(o.slot.start, o.slot.end, '%a %Y-%m-%d %H:%M')} UTC"
        out.append(_common.labelled(head, f"{when}{sent}"))
        out += _slot_lines(o.slot, found.participants, burden=True)
    width = max(len(e.participant.label) for e in found.ledger)
    out += [
        "",
        _("Ledger: minutes outside core hours, inconvenient meetings"),
        "  " + " " * width + "  " + _("before").rjust(13) + "  " + _("after").rjust(13),
    ]
    entries: Sequence[tuple[LedgerEntry, LedgerEntry]] = list(
        zip(found.ledger_before, found.ledger, strict=True)
    )
    for before, after in entries:
        out.append(
            f"  {after.participant.label:<{width}}  "
            f"{before.minutes_outside_core:>5} min  {before.inconvenient_meetings:>3}  "
            f"{after.minutes_outside_core:>5} min  {after.inconvenient_meetings:>3}"
        )
    counted = found.counted
    if counted and found.recorded_in is not None:
        out.append(
            ngettext(
                "Before: {n} meeting of these participants recorded in {store} "
                "(--no-ledger-from-store leaves it out)",
                "Before: {n} meetings of these participants recorded in {store} "
                "(--no-ledger-from-store leaves them out)",
                len(counted),
            ).format(n=len(counted), store=found.recorded_in)
        )
    elif counted:
        out.append(
            ngettext(
                "Before: {n} meeting of these participants recorded "
                "(--no-ledger-from-store leaves it out)",
                "Before: {n} meetings of these participants recorded "
                "(--no-ledger-from-store leaves them out)",
                len(counted),
            ).format(n=len(counted))
        )
    else:
        out.append(_("Before: no meeting of these participants recorded"))
    out.append(
        _(
            "Worst-off: {worst} min, at most {most} inconvenient meetings each (chosen period "
            "by period: {greedy} min, at most {greedy_most}; each period's best slot: "
            "{earliest} min)"
        ).format(
            worst=found.worst,
            most=found.most_inconvenient,
            greedy=found.greedy_worst,
            greedy_most=found.greedy_most_inconvenient,
            earliest=found.earliest_worst,
        )
    )
    if any(p.illustrative for p in found.participants):
        out += ["", _common.warn(localized(somnet.INVITE_ILLUSTRATIVE_NOTE))]
    return "\n".join(out)


# invite, update, cancel, resend ------------------------------------------------------------


def invite(args: argparse.Namespace) -> int:
    duration = somnet.parse_duration(args.duration)
    # Given empty (a script's unset variable), they are refused, not taken as not given.
    start = somnet.parse_instant(args.start) if args.start is not None else None
    first = somnet.parse_date(args.first, field="first") if args.first is not None else None
    last = somnet.parse_date(args.last, field="last") if args.last is not None else None
    step = somnet.parse_duration(args.step, field="step")
    pick = somnet.parse_whole(args.pick, field="pick")
    notice = _notice(args)
    channels = _channels(args)
    # Before the directory is read: a store that cannot be is refused alone, with no warning
    # about a cache key that cannot be kept there either.
    store = _store(args)
    participants = _participants(args)
    issued = somnet.invite_meeting(
        participants,
        title=args.title,
        organizer=_organizer(args),
        duration=duration,
        store=store,
        start=start,
        first=first,
        last=last,
        step=step,
        pick=pick,
        now=_now(),
        notice_days=notice,
        allow_past=args.allow_past,
        timezone=_timezone(args),
        location=args.location,
        description=args.description,
        channels=channels,
    )
    return _report(args, issued)


def update(args: argparse.Namespace) -> int:
    # Given empty (a script's unset variable), they are refused, not taken as not given.
    start = somnet.parse_instant(args.start) if args.start is not None else None
    duration = somnet.parse_duration(args.duration) if args.duration is not None else None
    notice = _notice(args)
    channels = _channels(args)
    # Before the directory is read, as invite does: a store that cannot be is refused alone,
    # not after a warning about a cache key that cannot be kept there, nor after a state or
    # contact the next run would find the store refused behind.
    store = _store(args)
    participants = None
    if args.states or args.role or args.contact:
        participants = _participants(args)
    # Given as "" they are cleared; not given, they are kept.
    texts = {
        name: value
        for name, value in [("location", args.location), ("description", args.description)]
        if value is not None
    }
    issued = somnet.update_meeting(
        store,
        args.id,
        start=start,
        duration=duration,
        title=args.title,
        timezone=_timezone(args),
        participants=participants,
        directory=lambda: _common.load(args),
        now=_now(),
        notice_days=notice,
        allow_past=args.allow_past,
        channels=channels,
        **texts,
    )
    return _report(args, issued)


def cancel(args: argparse.Namespace) -> int:
    if (args.id is None) == (args.series is None):
        raise somnet.MeetingError(_("cancel: give a meeting id or --series ID (one of them)"))
    channels = _channels(args)
    if args.series is None:
        issued = somnet.cancel_meeting(_store(args), args.id, now=_now(), channels=channels)
        return _report(args, issued)
    done = somnet.cancel_series(_store(args), args.series, now=_now(), channels=channels)
    warnings = _series_warnings(done.issued)
    if args.format == "json":
        _common.print_json(done.to_json(warnings=warnings))
        return 0
    _warn(warnings)
    lines = [
        ngettext(
            "series {id}: {n} meeting cancelled (METHOD:CANCEL)",
            "series {id}: {n} meetings cancelled (METHOD:CANCEL)",
            len(done.issued),
        ).format(id=done.series, n=len(done.issued))
    ]
    for i in done.issued:
        m = i.meeting
        when = f"{_span(m.start, m.end, '%a %Y-%m-%d %H:%M')} UTC"
        lines.append(f"  {m.id}  {when}  SEQUENCE {m.sequence}")
        lines += [f"    {_delivered_text(item)}" for item in i.delivered]
    print("\n".join(lines))
    return 0


def resend(args: argparse.Namespace) -> int:
    channels = _channels(args)
    issued = somnet.resend_meeting(_store(args), args.id, now=_now(), channels=channels)
    return _report(args, issued)


def _report(args: argparse.Namespace, issued: Issued) -> int:
    meeting = issued.meeting
    warnings = _warnings(issued)
    if args.format == "json":
        _common.print_json(issued.to_json(warnings=warnings))
        return 0
    _warn(warnings)
    headlines = {
        "created": N_("meeting {id} recorded (UID {uid}, SEQUENCE {sequence})"),
        "updated": N_("meeting {id} updated (UID {uid}, SEQUENCE {sequence})"),
        "cancelled": N_("meeting {id} cancelled (UID {uid}, SEQUENCE {sequence})"),
        "resent": N_(
            "meeting {id} delivered where it was missing (UID {uid}, SEQUENCE {sequence})"
        ),
    }
    headline = _(headlines[meeting.history[-1].action])
    if issued.again == "updated-since":
        headline = _(
            "meeting {id} was recorded and sent by this invite, and updated since (UID {uid}, "
            "now SEQUENCE {sequence}): nothing sent; 'meeting resend {id}' delivers what the "
            "update did not reach"
        )
    elif issued.again is not None:
        headline = (
            _(
                "meeting {id} with this title, time and attendees is recorded already (UID "
                "{uid}, SEQUENCE {sequence}): sent it where it was missing"
            )
            if issued.again == "sent-missing"
            else _(
                "meeting {id} with this title, time and attendees is recorded already (UID "
                "{uid}, SEQUENCE {sequence}); it has reached everyone on the channels given: "
                "nothing sent again"
            )
        )
    headline = headline.format(id=meeting.id, uid=meeting.uid, sequence=meeting.sequence)
    out = [headline, *_meeting_lines(meeting)]
    out += [
        "  " + _("added {who} <{email}>").format(who=_who(p), email=p.email) for p in issued.added
    ]
    out += [
        "  "
        + _("removed {who} <{email}> (uninvited: METHOD:CANCEL naming them)").format(
            who=_who(p), email=p.email
        )
        for p in issued.removed
    ]
    out += [f"  {_delivered_text(item)}" for item in issued.delivered]
    out.append("  " + _("record {file}").format(file=issued.record))
    print("\n".join(out))
    return 0


def _meeting_lines(meeting: Meeting) -> list[str]:
    status = "" if meeting.status == "CONFIRMED" else "  " + _("[cancelled]")
    when = f"{_span(meeting.start, meeting.end, '%a %Y-%m-%d %H:%M')} UTC"
    lines = [
        "  "
        + _("{title}: {when} ({timezone} in the invite)").format(
            title=meeting.title, when=when, timezone=meeting.timezone
        )
        + status
    ]
    if meeting.location:
        lines.append("  " + _("where: {location}").format(location=meeting.location))
    organizer = meeting.organizer
    name = f"{organizer.name} " if organizer.name else ""
    lines.append("  " + _("organizer {name}<{email}>").format(name=name, email=organizer.email))
    if meeting.series:
        lines.append("  " + _("series {id}").format(id=meeting.series))
    for person, start, end in meeting.local_times():
        tag = " " + _("[illustrative]") if person.illustrative else ""
        who = _who(person)
        local = _span(start, end, "%a %H:%M")
        lines.append(
            f"  - {who:<24} {local} {person.timezone or meeting.timezone}  <{person.email}>{tag}"
        )
    if meeting.publication:
        lines.append("  " + _("published {url}").format(url=meeting.publication.url))
    return lines


def _who(person: Person) -> str:
    return f"{person.state or ''} {person.contact or ''}".strip() or person.name


# list, show ----------------------------------------------------------------------------------


def list_meetings(args: argparse.Namespace) -> int:
    store = _store(args)
    store.check()
    meetings, problems = store.scan()
    if args.series is not None:  # an empty one is refused, not taken as no --series
        wanted = {m.id for m in store.series(args.series)}
        meetings = [m for m in meetings if m.id in wanted]
    if args.format == "json":
        _common.print_json([m.to_json() for m in meetings])
    elif not meetings and not problems:
        print(_("no meetings recorded in {store}").format(store=store.root))
    for m in meetings if args.format != "json" else []:
        status = _("cancelled") if m.status == "CANCELLED" else _("confirmed")
        missing = len(m.undelivered)
        attendees = ngettext("{n} attendee", "{n} attendees", len(m.attendees)).format(
            n=len(m.attendees)
        )
        print(
            f"{m.id}  {_span(m.start, m.end, '%Y-%m-%d %H:%M')} UTC  seq {m.sequence}  "
            f"{status:<9}  {attendees}  {m.title}"
            + ("  " + _("(series {id})").format(id=m.series) if m.series else "")
            + (
                "  "
                + ngettext(
                    "[{n} delivery missing: see meeting show {id}]",
                    "[{n} deliveries missing: see meeting show {id}]",
                    missing,
                ).format(n=missing, id=m.id)
                if missing
                else ""
            )
        )
    # The others are listed; the damaged records are named, and the exit status says so: 2
    # for records edited by hand (the user's to repair), 1 when the system could not read
    # one (running again may be what it takes).
    for problem in problems:
        print(_common.labelled("somnet", localized(problem.reason)), file=sys.stderr)
    if any(not isinstance(problem, somnet.RecordError) for problem in problems):
        return 1
    return 2 if problems else 0


def _delivery_lines(meeting: Meeting) -> list[str]:
    """What became of the current version, per attendee and channel; and a CalDAV PUT of an
    earlier version left unconfirmed (the calendar may still hold that version)."""
    current = [d for d in meeting.deliveries if d.sequence == meeting.sequence]
    earlier = [d for d in meeting.deliveries if d.sequence != meeting.sequence]
    if not current and not earlier:
        return []
    uninvited = {p.email.lower() for p in meeting.uninvited}
    emails = [d for d in current if d.channel == "email"]
    width = max((len(d.to) for d in emails), default=0)
    lines = ["  " + _("deliveries of SEQUENCE {sequence}:").format(sequence=meeting.sequence)]
    states = {
        "pending": N_("pending"),
        "delivered": N_("delivered"),
        "failed": N_("failed"),
        "unconfirmed": N_("unconfirmed"),
    }

    def replied(line: str, reply: str | None) -> str:
        """``line``, then the server's reply after the language's own colon."""
        return _("{where}: {message}").format(where=line, message=reply) if reply else line

    for d in [*emails, *(d for d in current if d.channel == "caldav"), *earlier]:
        when = f" {_utc(d.at)}" if d.at else ""
        state = _(states[d.state]) if d.state in states else d.state
        if d.channel == "caldav":
            version = f" (SEQUENCE {d.sequence})" if d.sequence != meeting.sequence else ""
            line = _("{where}: {message}").format(
                where=f"    CalDAV  {state}{when}", message=f"{d.to}{version}"
            )
            lines.append(replied(line, d.reply))
            continue
        kind = (
            " " + _("(uninvited)")
            if d.method == "CANCEL" and meeting.status != "CANCELLED" and d.to.lower() in uninvited
            else ""
        )
        via = _("via {server}").format(server=d.via)
        email = _("e-mail")
        lines.append(
            replied(f"    {email:<6}  {d.to:<{width}}  {state}{when} {via}{kind}", d.reply)
        )
    return lines


def show(args: argparse.Namespace) -> int:
    if args.ics and args.format == "json":
        # A script asking for JSON gets JSON or an error, never an iCalendar file.
        raise somnet.MeetingError(
            _("{where}: {message}").format(
                where="--ics, --format json",
                message=_("the invite is iCalendar, not JSON: give one of them"),
            )
        )
    meeting = _store(args).get(args.id)
    if args.ics:
        ics = somnet.calendar_bytes(
            meeting,
            method="CANCEL" if meeting.status == "CANCELLED" else "REQUEST",
            now=meeting.modified,
        )
        _common.write_document(ics.decode())
        return 0
    if args.format == "json":
        _common.print_json(meeting.to_json())
        return 0
    out = [
        _("meeting {id}  UID {uid}  SEQUENCE {sequence}").format(
            id=meeting.id, uid=meeting.uid, sequence=meeting.sequence
        )
    ]
    out += _meeting_lines(meeting)
    out += _delivery_lines(meeting)
    out.append("  " + _("history:"))
    actions = {
        "created": N_("created"),
        "updated": N_("updated"),
        "cancelled": N_("cancelled"),
        "resent": N_("resent"),
    }
    for change in meeting.history:
        action = _(actions[change.action]) if change.action in actions else change.action
        event = f"{action} (SEQUENCE {change.sequence})"
        if change.delivered:
            # The language's own colon ("créée (SEQUENCE 0) : file:...").
            event = _("{where}: {message}").format(where=event, message=", ".join(change.delivered))
        out.append(f"    {_utc(change.at)}  {event}")
    print("\n".join(out))
    return 0
