"""``somnet directory keygen|publish|sync|status``: sharing the directory.

Each command parses its flags, calls one function of ``somnet`` and prints; the command-line
hints of the sharing errors (which flag to pass, which command to run) are composed here
from what the errors carry.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from somnet import gettext as _

from . import _common

if TYPE_CHECKING:
    from somnet import PublishedVersionError, SomnetError, SyncedCopyWarning

#: What to run when the synced copy has expired or is missing.
SYNC_AGAIN = "run: somnet directory sync"


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
    p.add_argument("--out", required=True, metavar="KEY", type=Path, help=_("private key file"))
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
    p.add_argument("--data", required=True, metavar="DIR", type=Path, help=_("folder to publish"))
    p.add_argument("--key", required=True, metavar="KEY", type=Path, help=_("private key file"))
    p.add_argument("--out", required=True, metavar="SITE", type=Path, help=_("site folder"))
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
    p.add_argument("url", nargs="?", metavar="URL", help=_("the site, e.g. https://host/somnet/"))
    p.add_argument(
        "--trust",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help=_("the publisher's public key (KEY.pub) or a trust file of several (repeatable)"),
    )
    p.add_argument(
        "--cache",
        type=Path,
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
    p.add_argument("--cache", type=Path, metavar="DIR", help=_("the sync folder (default as sync)"))
    _common.add_format_option(p)
    p.set_defaults(run=status, flags={"cache": "--cache"})


def _whole(text: str) -> int:
    """An argparse type: a whole number (the library says which ones it accepts)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def _seconds(text: str) -> float:
    """An argparse type: a number of seconds (the library says which ones it accepts)."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None


def _time(moment: datetime | None) -> str:
    """An instant as ``2026-11-27 10:00 UTC``."""
    from datetime import UTC

    if moment is None:
        return "-"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _fail(exc: SomnetError, args: argparse.Namespace, hint: str) -> int:
    """Print a library error as one line with a hint of the command line's, and its status."""
    text = _common.error_text(exc, getattr(args, "flags", {}))
    print(f"somnet: {text}{hint}", file=sys.stderr)
    return exc.exit_code


def copy_warning_text(warning: SyncedCopyWarning) -> str:
    """A warning about the synced copy as the command line says it, with what to run."""
    return f"{warning.reason}; {SYNC_AGAIN}" if warning.sync_again else warning.reason


def _warn(warnings: Any) -> None:
    for warning in warnings:
        print(_common.warn(f"somnet: warning: {warning}"), file=sys.stderr)


# keygen --------------------------------------------------------------------------------------


def keygen(args: argparse.Namespace) -> int:
    from somnet import KeyExistsError, generate_key_pair

    try:
        pair = generate_key_pair(args.out, overwrite=args.force)
    except KeyExistsError as exc:
        return _fail(exc, args, " (move it away, or pass --force)")
    if args.format == "json":
        _common.print_json(pair.to_json())
        return 0
    print(f"key {pair.key_id}")
    print(f"  private {pair.private} (keep it secret: it signs the directory)")
    print(f"  public  {pair.public} (give it to every agency: somnet directory sync --trust)")
    return 0


# publish -------------------------------------------------------------------------------------


def publish(args: argparse.Namespace) -> int:
    from somnet import PublishedVersionError, publish_directory

    try:
        result = publish_directory(
            args.data,
            args.key,
            args.out,
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
    print(f"published version {result.version} to {result.site}")
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    print(f"  bundle   {result.bundle} ({files}, {result.size} bytes)")
    print(f"  sha256   {result.sha256}")
    print(f"  expires  {_time(result.expires)}")
    print(f"  signed   by key {result.key_id}")
    if result.removed:
        count = len(result.removed)
        kept = f"{args.keep} version{'s' if args.keep != 1 else ''}"
        print(
            f"  removed  {count} older bundle{'s' if count != 1 else ''} (keeping the last {kept})"
        )
    return 0


def _published_version_hint(exc: PublishedVersionError) -> str:
    """What to do when the site publishes a higher version or this one with other content:
    raise the version, or, when a key since replaced signed the site's manifest (perhaps a
    stolen one, which may have published the highest version there is), clear the way."""
    if exc.version == exc.published_version:
        return f"; publish it as --version {exc.version + 1}"
    if exc.published_key_id == exc.signing_key_id:
        return ""
    return (
        f"; if key {exc.published_key_id}, which signed it, was stolen, remove "
        f"{exc.site_manifest} and publish again: agencies that trust key "
        f"{exc.signing_key_id} instead accept its versions from 1"
    )


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
            f"\rdownloading the directory: {percent:3d}% "
            f"({received / 1e6:.1f} of {total / 1e6:.1f} MB)"
        )
        self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def sync(args: argparse.Namespace) -> int:
    from somnet import sync_directory, sync_folder

    settings = {
        name: getattr(args, name)
        for name in ("timeout", "attempts", "deadline")
        if getattr(args, name) is not None
    }
    progress = DownloadProgress(sys.stderr)
    try:
        result = sync_directory(
            args.url, args.trust, cache=args.cache, progress=progress, **settings
        )
    finally:
        progress.finish()
    if args.format == "json":
        _common.print_json(result.to_json())
    else:
        expires = _time(result.expires)
        if result.outcome == "installed":
            before = f" (was version {result.previous_version})" if result.previous_version else ""
            print(f"installed version {result.version}{before}, expires {expires}")
        elif result.outcome == "current":
            print(f"version {result.version} is current; expires {expires}")
        else:
            print(f"version {result.version} is current (not modified); expires {expires}")
        if args.cache is not None and Path(args.cache).resolve() != sync_folder().resolve():
            print(
                f"  kept in {args.cache}: commands read it only with SOMNET_SYNC_DIR={args.cache}"
            )
    _warn(result.warnings)
    return 0


# status --------------------------------------------------------------------------------------


def status(args: argparse.Namespace) -> int:
    from somnet import sync_status

    report = sync_status(args.cache)
    warnings = [copy_warning_text(warning) for warning in report.warnings]
    if args.format == "json":
        _common.print_json({**report.to_json(), "warnings": warnings})
        return 0
    synced = report.synced
    if synced is None:
        print(f"nothing synced in {report.folder}: commands read the shipped directory")
        _warn(warnings)
        return 0
    expiry = _time(synced.expires) + ("  EXPIRED" if synced.expired else "")
    print(f"source    {synced.source}")
    revoked = "; no longer in the trust files" if synced.key_trusted is False else ""
    print(f"version   {synced.version} (signed by key {synced.key_id}{revoked})")
    print(f"trust     {', '.join(synced.trust) or '-'}")
    print(f"synced    {_time(synced.synced_at)} (last checked {_time(synced.checked_at)})")
    print(f"expires   {expiry}")
    print(f"in use    {'yes' if report.in_use else 'no'}: {report.note}")
    print(f"copy      {synced.copy}")
    if synced.previous_version is not None:
        print(f"previous  version {synced.previous_version} kept")
    _warn(warnings)
    return 0
