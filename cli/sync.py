"""``somnet directory keygen|publish|sync|status``: sharing the directory (somnet.sharing.sync)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from somnet_cli import _common


def register(directory_commands: Any) -> None:
    """Add the sharing commands to ``somnet directory``."""
    sub = directory_commands

    p = sub.add_parser(
        "keygen",
        help="make an Ed25519 key pair for publishing (KEY private, KEY.pub public)",
        description="Write an Ed25519 key pair: KEY (private, PEM, mode 0600: keep it secret) "
        "and KEY.pub (the public key to hand to every agency as its trust file).",
    )
    p.add_argument("--out", required=True, metavar="KEY", type=Path, help="private key file")
    p.add_argument("--force", action="store_true", help="overwrite an existing key pair")
    _common.add_format_option(p)
    p.set_defaults(run=keygen)

    p = sub.add_parser(
        "publish",
        help="validate a directory folder and write it, signed, into a web site folder",
        description="Validate DIR and write the bundle and SITE/signed-manifest.json (the "
        "manifest and its signature in one file, replaced atomically), plus manifest.json and "
        "manifest.json.sig for earlier clients, ready for any static web server. The version "
        "must go up at each publication with new content; republishing the same content renews "
        "its expiry. Bundles of versions older than the last --keep are then removed.",
    )
    p.add_argument("--data", required=True, metavar="DIR", type=Path, help="folder to publish")
    p.add_argument("--key", required=True, metavar="KEY", type=Path, help="private key file")
    p.add_argument("--out", required=True, metavar="SITE", type=Path, help="site folder")
    p.add_argument(
        "--version",
        type=_version,
        metavar="N",
        help="the new version (default: the site's current version + 1, or 1)",
    )
    p.add_argument(
        "--expires",
        default="30d",
        metavar="WHEN",
        help="when clients stop trusting it: 30d (default), 12h, 2w, 2027-01-31, or a time",
    )
    p.add_argument(
        "--keep",
        type=_keep,
        default=3,
        metavar="N",
        help="keep the bundles of the last N versions, this one included (3); older ones are "
        "removed once the new manifest is in place",
    )
    _common.add_format_option(p)
    p.set_defaults(run=publish)

    p = sub.add_parser(
        "sync",
        help="fetch the published directory, verify it and install it for every command",
        description="Fetch SITE/signed-manifest.json, check its signature against the trusted "
        "keys, refuse an older version or an expired manifest, download the bundle checking its "
        "size and SHA-256, validate it, and install it atomically. On any failure the installed "
        "copy stays as it was. Without URL and --trust, the last sync's are used.",
    )
    p.add_argument("url", nargs="?", metavar="URL", help="the site, e.g. https://host/somnet/")
    p.add_argument(
        "--trust",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="the publisher's public key (KEY.pub) or a trust file of several (repeatable)",
    )
    p.add_argument(
        "--cache",
        type=Path,
        metavar="DIR",
        help="where to keep the synced copy (default: SOMNET_SYNC_DIR, else the user data "
        "directory); commands read it only from the default place",
    )
    p.add_argument(
        "--timeout", type=_seconds, default=20.0, metavar="S", help="network timeout (20 s)"
    )
    p.add_argument(
        "--attempts",
        type=_attempts,
        default=3,
        metavar="N",
        help="tries on a network error or a 5xx answer (3)",
    )
    p.add_argument(
        "--deadline",
        type=_seconds,
        default=300.0,
        metavar="S",
        help="the most the whole sync may spend fetching, headers, retries and waits "
        "included, however slowly the server sends (300 s)",
    )
    _common.add_format_option(p)
    p.set_defaults(run=sync)

    p = sub.add_parser(
        "status",
        help="the synced directory: source, version, when synced, expiry, whether in use",
    )
    p.add_argument("--cache", type=Path, metavar="DIR", help="the sync folder (default as sync)")
    _common.add_format_option(p)
    p.set_defaults(run=status)


def _whole(low: int, high: int | None, why: str) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` (to ``high``), else ``why`` is said."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{text!r}: {why}")
        return value

    return parse


_version = _whole(1, 2**63 - 1, "versions are whole numbers from 1 to 2**63 - 1")
_keep = _whole(1, None, "keep at least 1 version (the one published)")
_attempts = _whole(1, 10, "give 1 to 10 attempts")


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r}: give more than 0 and at most 3600 seconds")
    return value


def _time(text: str | None) -> str:
    """``2026-11-27T10:00:00Z`` as ``2026-11-27 10:00 UTC``."""
    if not text:
        return "-"
    return text.replace("T", " ")[:16] + " UTC"


# keygen --------------------------------------------------------------------------------------


def keygen(args: argparse.Namespace) -> int:
    from somnet.sharing.signing import PUBLIC_SUFFIX, generate_key_pair
    from somnet.sharing.sync import utc_now

    key = generate_key_pair(args.out, now=utc_now(), overwrite=args.force)
    public = args.out.with_name(args.out.name + PUBLIC_SUFFIX)
    if args.format == "json":
        _common.print_json({"key_id": key.key_id, "private": str(args.out), "public": str(public)})
        return 0
    print(f"key {key.key_id}")
    print(f"  private {args.out} (keep it secret: it signs the directory)")
    print(f"  public  {public} (give it to every agency: somnet directory sync --trust)")
    return 0


# publish -------------------------------------------------------------------------------------


def publish(args: argparse.Namespace) -> int:
    from somnet.sharing.sync import format_time
    from somnet.sharing.sync import publish as publish_directory

    result = publish_directory(
        args.data, args.key, args.out, version=args.version, expires=args.expires, keep=args.keep
    )
    m = result.manifest
    for warning in result.warnings:
        print(_common.warn(f"somnet: warning: {warning}"), file=sys.stderr)
    if args.format == "json":
        _common.print_json(
            {
                "site": str(result.site),
                "version": m.version,
                "files": result.files,
                "bundle": m.bundle_name,
                "size": m.bundle_size,
                "sha256": m.bundle_sha256,
                "created": format_time(m.created),
                "expires": format_time(m.expires),
                "key_id": m.key_id,
                "removed": list(result.removed),
                "warnings": list(result.warnings),
            }
        )
        return 0
    print(f"published version {m.version} to {result.site}")
    files = f"{result.files} file{'s' if result.files != 1 else ''}"
    print(f"  bundle   {m.bundle_name} ({files}, {m.bundle_size} bytes)")
    print(f"  sha256   {m.bundle_sha256}")
    print(f"  expires  {_time(format_time(m.expires))}")
    print(f"  signed   by key {m.key_id}")
    if result.removed:
        count = len(result.removed)
        kept = f"{args.keep} version{'s' if args.keep != 1 else ''}"
        print(
            f"  removed  {count} older bundle{'s' if count != 1 else ''} (keeping the last {kept})"
        )
    return 0


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
    from somnet.sharing.sync import format_time, installed_warnings, sync_dir
    from somnet.sharing.sync import sync as sync_directory

    progress = DownloadProgress(sys.stderr)
    try:
        result = sync_directory(
            args.url,
            args.trust,
            folder=args.cache,
            timeout=args.timeout,
            attempts=args.attempts,
            deadline=args.deadline,
            progress=progress,
        )
    finally:
        progress.finish()
    warnings = [*result.warnings, *installed_warnings(args.cache)]
    if args.format == "json":
        _common.print_json(
            {
                "outcome": result.outcome,
                "version": result.version,
                "previous_version": result.previous_version,
                "expires": format_time(result.expires),
                "source": result.source,
                "copy": str(result.folder),
                "warnings": warnings,
            }
        )
    else:
        expires = _time(format_time(result.expires))
        if result.outcome == "installed":
            before = f" (was version {result.previous_version})" if result.previous_version else ""
            print(f"installed version {result.version}{before}, expires {expires}")
        elif result.outcome == "current":
            print(f"version {result.version} is current; expires {expires}")
        else:
            print(f"version {result.version} is current (not modified); expires {expires}")
        if args.cache is not None and Path(args.cache).resolve() != sync_dir().resolve():
            print(
                f"  kept in {args.cache}: commands read it only with SOMNET_SYNC_DIR={args.cache}"
            )
    for warning in warnings:
        print(_common.warn(f"somnet: warning: {warning}"), file=sys.stderr)
    return 0


# status --------------------------------------------------------------------------------------


def status(args: argparse.Namespace) -> int:
    from somnet.sharing.sync import installed_warnings, sync_status

    report = sync_status(args.cache)
    warnings = installed_warnings(args.cache)
    if args.format == "json":
        _common.print_json({**report, "warnings": warnings})
        return 0
    if "source" not in report:
        print(f"nothing synced in {report['folder']}: commands read the shipped directory")
        return 0
    expiry = _time(report["expires"]) + ("  EXPIRED" if report["expired"] else "")
    print(f"source    {report['source']}")
    revoked = "; no longer in the trust files" if report["key_trusted"] is False else ""
    print(f"version   {report['version']} (signed by key {report['key_id']}{revoked})")
    print(f"trust     {', '.join(report['trust']) or '-'}")
    print(f"synced    {_time(report['synced_at'])} (last checked {_time(report['checked_at'])})")
    print(f"expires   {expiry}")
    print(f"in use    {'yes' if report['in_use'] else 'no'}: {report['note']}")
    print(f"copy      {report['copy']}")
    if report["previous_version"] is not None:
        print(f"previous  version {report['previous_version']} kept")
    for warning in warnings:
        print(_common.warn(f"somnet: warning: {warning}"), file=sys.stderr)
    return 0
