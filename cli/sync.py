"""``somnet directory keygen|publish|sync|status``: sharing the directory.

Each command parses its flags, calls one function of ``somnet`` and prints; the command-line
hints of the sharing errors (which flag to pass, which command to run) are composed here
from what the errors carry.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from somnet import N_, localized, ngettext
from somnet import gettext as _

from . import _common

if TYPE_CHECKING:
    from somnet import PublishedVersionError, SomnetError, SyncedCopyWarning

#: What to run when the synced copy has expired or is missing.
SYNC_AGAIN = N_("run: somnet directory sync")


def register(directory_commands: Any) -> None:
    """Add the sharing commands to ``somnet directory``."""
    sub = directory_commands

    p = sub.add_parser(
        "keygen",
        help=_("make an Ed25519 key pair for publishing (KEY private, KEY.pub public)"),
        description=_(
            "Write an Ed25519 key pair: KEY (private, PEM, mode 0600: keep it secret) "
            "and KEY.pub (the public key to hand to every agency as its trust file)."
        ),
    )
    _common.refuse_repeated_options(p)
    p.add_argument(
        "--out", required=True, metavar="KEY", type=_common.out_path, help=_("private key file")
    )
    p.add_argument("--force", action="store_true", help=_("overwrite an existing key pair"))
    _common.add_format_option(p)
    p.set_defaults(run=keygen, flags={"out": "--out", "overwrite": "--force"})

    p = sub.add_parser(
        "publish",
        help=_("validate a directory folder and write it, signed, into a web site folder"),
        description=_(
            "Validate DIR and write the bundle and SITE/signed-manifest.json (the "
            "manifest and its signature in one file, replaced atomically), ready for any static "
            "web server. The version must go up at each publication with new content; "
            "republishing the same content renews its expiry. Bundles of versions older than the "
            "last --keep are then removed."
        ),
    )
    _common.refuse_repeated_options(p)
    p.add_argument(
        "--data", required=True, metavar="DIR", type=_common.path, help=_("folder to publish")
    )
    p.add_argument(
        "--key", required=True, metavar="KEY", type=_common.path, help=_("private key file")
    )
    p.add_argument(
        "--out", required=True, metavar="SITE", type=_common.out_path, help=_("site folder")
    )
    p.add_argument(
        "--name",
        required=True,
        metavar="NAME",
        help=_(
            "the directory's name, which the manifest carries, e.g. caribbean-coast-guards "
            "(lower-case letters, digits, '.', '_', '-'); a site publishes one directory"
        ),
    )
    p.add_argument(
        "--version",
        type=_whole,
        metavar="N",
        help=_("the new version (default: the site's current version + 1, or 1)"),
    )
    p.add_argument(
        "--expires",
        default="30d",
        metavar="WHEN",
        help=_("when clients stop trusting it: 30d (default), 12h, 2w, 2027-01-31, or a time"),
    )
    p.add_argument(
        "--keep",
        type=_whole,
        default=3,
        metavar="N",
        help=_(
            "keep the bundles of the last N versions, this one included (3); older ones are "
            "removed once the new manifest is in place"
        ),
    )
    _common.add_format_option(p)
    p.set_defaults(
        run=publish,
        flags={
            "data": "--data",
            "key": "--key",
            "out": "--out",
            "name": "--name",
            "version": "--version",
            "expires": "--expires",
            "keep": "--keep",
        },
    )

    p = sub.add_parser(
        "sync",
        help=_("fetch the published directory, verify it and install it for every command"),
        description=_(
            "Fetch SITE/signed-manifest.json, check its signature against the trusted "
            "keys, refuse an older version or an expired manifest, download the bundle checking "
            "its size and SHA-256, validate it, and install it atomically. On any failure the "
            "installed copy stays as it was. Without URL and --trust, the last sync's are used."
        ),
    )
    _common.refuse_repeated_options(p)
    p.add_argument("url", nargs="?", metavar="URL", help=_("the site, e.g. https://host/somnet/"))
    p.add_argument(
        "--trust",
        action="append",
        default=[],
        type=_common.path,
        metavar="FILE",
        help=_("the publisher's public key (KEY.pub) or a trust file of several (repeatable)"),
    )
    p.add_argument(
        "--name",
        metavar="NAME",
        help=_(
            "the name of the directory to install, which the site's manifest must give "
            "(default: the name the first sync finds; later syncs install only that directory)"
        ),
    )
    p.add_argument(
        "--cache",
        type=_common.path,
        metavar="DIR",
        help=_(
            "where to keep the synced copy (default: SOMNET_SYNC_DIR, else the user data "
            "directory); commands read it only from the default place"
        ),
    )
    p.add_argument("--timeout", type=_seconds, metavar="S", help=_("network timeout (20 s)"))
    p.add_argument(
        "--attempts",
        type=_whole,
        metavar="N",
        help=_("tries on a network error or a 5xx answer (3; at most 10)"),
    )
    p.add_argument(
        "--deadline",
        type=_seconds,
        metavar="S",
        help=_(
            "the most the whole sync may spend fetching, headers, retries and waits "
            "included, however slowly the server sends (300 s; at most 3600)"
        ),
    )
    _common.add_format_option(p)
    p.set_defaults(
        run=sync,
        flags={
            "url": "URL",
            "trust": "--trust",
            "name": "--name",
            "cache": "--cache",
            "timeout": "--timeout",
            "attempts": "--attempts",
            "deadline": "--deadline",
        },
    )

    p = sub.add_parser(
        "status",
        help=_("the synced directory: source, version, when synced, expiry, whether in use"),
    )
    _common.refuse_repeated_options(p)
    p.add_argument(
        "--cache", type=_common.path, metavar="DIR", help=_("the sync folder (default as sync)")
    )
    _common.add_format_option(p)
    p.set_defaults(run=status, flags={"cache": "--cache"})


def _whole(text: str) -> int:
    """An argparse type: a whole number in ASCII digits (the library says which ones it
    accepts)."""
    from somnet import read_whole_number

    value = read_whole_number(text)
    if value is None:
        raise argparse.ArgumentTypeError(
            _("{value} is not a whole number").format(value=repr(text))
        )
    return value


def _seconds(text: str) -> str:
    """An argparse type: a number of seconds in ASCII digits, kept as typed (the library says
    which ones it accepts, repeating the text)."""
    from somnet import read_decimal_number

    if read_decimal_number(text) is None:
        raise argparse.ArgumentTypeError(
            _("{value} is not a number of seconds").format(value=repr(text))
        )
    return text


def _time(moment: datetime | None) -> str:
    """An instant as ``2026-11-27 10:00 UTC``."""
    from datetime import UTC

    if moment is None:
        return "-"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _days_ago(moment: datetime, now: datetime) -> str:
    """How long ago an instant was at ``now``, in days between the UTC dates (as its time is
    shown)."""
    from datetime import UTC

    days = (now.astimezone(UTC).date() - moment.astimezone(UTC).date()).days
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days) if days > 0 else _("today")


def _fail(exc: SomnetError, args: argparse.Namespace, hint: str) -> int:
    """Print a library error as one line with a hint of the command line's, and its status."""
    text = _common.error_text(exc, getattr(args, "flags", {}))
    print(_common.labelled("somnet", f"{text}{hint}"), file=sys.stderr)
    return exc.exit_code


def copy_warning_text(warning: SyncedCopyWarning, *, english: bool = False) -> str:
    """A warning about the synced copy as the command line says it, with what to run: in the
    language in use, or in English for JSON (which is the same in every language)."""
    if english:
        reason = localized(warning.reason, "en")
        return f"{reason}; {SYNC_AGAIN}" if warning.sync_again else reason
    reason = localized(warning.reason)
    return reason + _("; ") + _(SYNC_AGAIN) if warning.sync_again else reason


def _warn(warnings: Any) -> None:
    for warning in warnings:
        text = _("somnet: warning: {warning}").format(warning=localized(warning))
        print(_common.warn(text), file=sys.stderr)


# keygen --------------------------------------------------------------------------------------


def keygen(args: argparse.Namespace) -> int:
    from somnet import KeyExistsError, generate_key_pair

    try:
        pair = generate_key_pair(args.out, overwrite=args.force)
    except KeyExistsError as exc:
        return _fail(exc, args, " " + _("(move it away, or pass --force)"))
    if args.format == "json":
        _common.print_json(pair.to_json())
        return 0
    print(_("key {id}").format(id=pair.key_id))
    print(
        "  "
        + _("private {file} (keep it secret: it signs the directory)").format(file=pair.private)
    )
    print(
        "  "
        + _("public  {file} (give it to every agency: somnet directory sync --trust)").format(
            file=pair.public
        )
    )
    return 0


# publish -------------------------------------------------------------------------------------


def publish(args: argparse.Namespace) -> int:
    from somnet import PublishedVersionError, publish_directory

    try:
        result = publish_directory(
            args.data,
            args.key,
            args.out,
            name=args.name,
            version=args.version,
            expires=args.expires,
            keep=args.keep,
        )
    except PublishedVersionError as exc:
        return _fail(exc, args, _published_version_hint(exc))
    _warn(result.warnings)
    if args.format == "json":
        _common.print_json(result.to_json())
        return 0
    print(
        _("published version {version} to {site}").format(version=result.version, site=result.site)
    )
    files = ngettext("{n} file", "{n} files", result.files).format(n=result.files)
    rows = [
        (_("name"), result.directory),
        (
            _("bundle"),
            _("{bundle} ({files}, {size} bytes)").format(
                bundle=result.bundle, files=files, size=result.size
            ),
        ),
        ("sha256", result.sha256),
        (_("expires"), _time(result.expires)),
        (_("signed"), _("by key {id}").format(id=result.key_id)),
    ]
    if result.removed:
        count = len(result.removed)
        removed = ngettext(
            "{n} older bundle (keeping the last {keep})",
            "{n} older bundles (keeping the last {keep})",
            count,
        )
        kept = ngettext("{n} version", "{n} versions", args.keep).format(n=args.keep)
        rows.append((_("removed"), removed.format(n=count, keep=kept)))
    _rows(rows, indent="  ", width=8)
    return 0


def _published_version_hint(exc: PublishedVersionError) -> str:
    """What to do when the site publishes a higher version or this one with other content:
    raise the version, or, when a key since replaced signed the site's manifest (perhaps a
    stolen one, which may have published the highest version there is), clear the way."""
    if exc.version == exc.published_version:
        return _("; ") + _("publish it as --version {version}").format(version=exc.version + 1)
    if exc.published_key_id == exc.signing_key_id:
        return ""
    return _("; ") + _(
        "if key {stolen}, which signed it, was stolen, remove {manifest} and publish again: "
        "agencies that trust key {key} instead accept its versions from 1"
    ).format(stolen=exc.published_key_id, manifest=exc.site_manifest, key=exc.signing_key_id)


# sync ----------------------------------------------------------------------------------------


class DownloadProgress:
    """A one-line progress display on a terminal, for downloads that take a while: nothing
    when ``stream`` is not a terminal, nothing during the first half second."""

    def __init__(self, stream: TextIO, *, after: float = 0.5) -> None:
        self.stream = stream
        self.enabled = bool(getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.after = after
        self.shown = False
        self.last = 0.0

    def __call__(self, received: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.started < self.after or (now - self.last < 0.1 and received < total):
            return
        self.last = now
        self.shown = True
        percent = 100 * received // total if total else 100
        self.stream.write(
            "\r"
            + _(
                "downloading the directory: {percent:3d}% ({received:.1f} of {total:.1f} MB)"
            ).format(percent=percent, received=received / 1e6, total=total / 1e6)
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def sync(args: argparse.Namespace) -> int:
    from somnet import parse_sync_seconds, sync_directory, sync_folder

    settings: dict[str, Any] = {
        name: parse_sync_seconds(getattr(args, name), field=name)
        for name in ("timeout", "deadline")
        if getattr(args, name) is not None
    }
    if args.attempts is not None:
        settings["attempts"] = args.attempts
    progress = DownloadProgress(sys.stderr)
    try:
        result = sync_directory(
            args.url,
            args.trust,
            name=args.name,
            cache=args.cache,
            progress=progress,
            **settings,
        )
    finally:
        progress.finish()
    if args.format == "json":
        _common.print_json(result.to_json())
    else:
        expires = _time(result.expires)
        if result.outcome == "installed" and result.previous_version:
            text = _("installed version {version} (was version {previous}), expires {expires}")
        elif result.outcome == "installed":
            text = _("installed version {version}, expires {expires}")
        elif result.outcome == "current":
            text = _("version {version} is current; expires {expires}")
        else:
            text = _("version {version} is current (not modified); expires {expires}")
        print(
            text.format(version=result.version, previous=result.previous_version, expires=expires)
        )
        if args.cache is not None and Path(args.cache).resolve() != sync_folder().resolve():
            print(
                "  "
                + _("kept in {folder}: commands read it only with SOMNET_SYNC_DIR={folder}").format(
                    folder=os.path.abspath(args.cache)  # as the variable takes it
                )
            )
    _warn(result.warnings)
    return 0


# status --------------------------------------------------------------------------------------


def status(args: argparse.Namespace) -> int:
    from somnet import sync_folder, sync_status

    # One clock for the copy's age and its expiry: the command line's.
    now = _common.now()
    report = sync_status(args.cache, now=now)
    if args.format == "json":
        english = [copy_warning_text(warning, english=True) for warning in report.warnings]
        _common.print_json({**report.to_json(), "warnings": english})
        return 0
    warnings = [copy_warning_text(warning) for warning in report.warnings]
    synced = report.synced
    if synced is None and (report.warnings or report.folder.resolve() != sync_folder().resolve()):
        # Something is there that cannot be read (a damaged state): not "nothing synced"; or
        # a folder the commands do not look in, which the note says.
        print(_common.labelled(str(report.folder), localized(report.note)))
        _warn(warnings)
        return 0
    if synced is None:
        print(
            _("nothing synced in {folder}: commands read the shipped directory").format(
                folder=report.folder
            )
        )
        _warn(warnings)
        return 0
    expiry = _time(synced.expires) + ("  " + _("EXPIRED") if synced.expired else "")
    if synced.key_trusted is False:
        signed = _("{version} (signed by key {key}; no longer in the trust files)")
    elif synced.key_trusted_note is not None:
        signed = _(
            "{version} (signed by key {key}; whether it is still trusted cannot be told: {why})"
        )
    else:
        signed = _("{version} (signed by key {key})")
    signed = signed.format(
        version=synced.version,
        key=synced.key_id,
        why=localized(synced.key_trusted_note),
    )
    rows = [
        (_("source"), str(synced.source)),
        (_("name"), synced.directory),
        (_("version"), signed),
        (_("trust"), ", ".join(synced.trust) or "-"),
        # How old what the site serves is: a site frozen on an old manifest (within its expiry)
        # is checked, and said current, at every sync.
        (_("created"), f"{_time(synced.created)} ({_days_ago(synced.created, now)})"),
        (
            _("synced"),
            _("{synced} (last checked {checked})").format(
                synced=_time(synced.synced_at), checked=_time(synced.checked_at)
            ),
        ),
        (_("expires"), expiry),
        (
            _("in use"),
            _common.labelled(_("yes") if report.in_use else _("no"), localized(report.note)),
        ),
        (_("copy"), str(synced.copy)),
    ]
    if synced.previous_version is not None:
        rows.append(
            (_("previous"), _("version {version} kept").format(version=synced.previous_version))
        )
    _rows(rows)
    _warn(warnings)
    return 0


def _rows(rows: list[tuple[str, str]], *, indent: str = "", width: int = 9) -> None:
    """Labels and values, the values in one column (wider when a language's label is); a
    value wrapped at 80 columns goes on in that column (a path or a URL is never split)."""
    import textwrap

    width = max(width, *(len(label) + 1 for label, _value in rows))
    for label, value in rows:
        lines = textwrap.wrap(
            _common.glue_punctuation(value),
            width=80 - min(_common.wide_characters(value), 40),
            initial_indent=f"{indent}{label:<{width}} ",
            subsequent_indent=" " * (len(indent) + width + 1),
            break_on_hyphens=False,
            break_long_words=False,
        ) or [f"{indent}{label}"]
        print("\n".join(_common.unglue(line).rstrip() for line in lines))
