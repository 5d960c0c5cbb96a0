"""What every command shares: the --data and --format options, loading the directory,
printing JSON and tables, and turning library errors into one line and an exit status."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, overload

if TYPE_CHECKING:
    from somnet import Agency, Contact, Directory

Runner = Callable[[argparse.Namespace], int]


def version() -> str:
    """The installed version, read without importing the library."""
    from importlib.metadata import version as installed

    return installed("somnet")


class SomnetArgumentParser(argparse.ArgumentParser):
    """Bad flags exit 2 with one line naming the flag, instead of argparse's usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """--data DIR (repeatable) and --no-cache, for commands that load the directory."""
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="DIR",
        help="an overlay folder laid over the shipped directory (repeatable; later wins); "
        f"SOMNET_DATA lists more, separated by {os.pathsep!r}",
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="read and validate every data file afresh"
    )


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        type=str.lower,
        help="table for people (default), json for scripts",
    )


def load(args: argparse.Namespace) -> Any:
    """The directory for this command: the base (shipped, or the synced copy when one is
    installed), SOMNET_DATA overlays, then --data overlays. A synced copy that does not load
    gives way to the previous good copy, then to the shipped directory, with a warning."""
    return _load(args, checked=False)[0]


def load_checked(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    """The directory as :func:`load` reads it, every file read afresh, and the records the
    overlays replaced (``somnet.directory.loading.Replacement``)."""
    return _load(args, checked=True)


def _load(args: argparse.Namespace, *, checked: bool) -> tuple[Any, list[Any]]:
    from somnet import BadInputError, load_directory
    from somnet._config import cache_dir

    overlays = [Path(p) for p in getattr(args, "data", [])]
    for overlay in overlays:
        if not overlay.is_dir():
            what = "a file, not a folder of data files" if overlay.exists() else "no such directory"
            raise BadInputError(f"--data {overlay}: {what}")
    use_cache = not getattr(args, "no_cache", False) and not os.environ.get("SOMNET_NO_CACHE")

    def load_over(base: Path | None) -> tuple[Any, list[Any]]:
        if checked:
            from somnet.directory.loading import check_directory

            return check_directory(overlays, base=base)
        cache = cache_dir() if use_cache else None
        return load_directory(overlays, base=base, cache_dir=cache), []

    base = synced_base()
    if base is None:
        directory, replaced = load_over(None)
    else:
        from somnet.sharing.installed import load_over_installed

        (directory, replaced), fallbacks = load_over_installed(load_over, base)
        directory.warnings.extend(fallbacks)
    # Added after the cache is written, so an expiry warning is never served from the cache.
    directory.warnings.extend(synced_warnings())
    for warning in directory.warnings:
        print(colour(f"somnet: warning: {warning}", "1;33", sys.stderr), file=sys.stderr)
    return directory, replaced


@overload
def state_code(directory: Any, text: str, flag: str) -> str: ...
@overload
def state_code(directory: Any, text: None, flag: str) -> None: ...
def state_code(directory: Any, text: str | None, flag: str) -> str | None:
    """The ISO code a user typed for ``flag`` (None stays None); the codes the directory
    holds are suggested first when it is not one."""
    from somnet._codes import normalise_state_code

    if text is None:
        return None
    return normalise_state_code(text, what=flag, preferred=sorted(directory.states))


def synced_base() -> Path | None:
    """The synced copy of a shared directory, when one is installed and in use (else None,
    meaning the shipped directory)."""
    from somnet._config import sync_installed

    if not sync_installed():
        return None
    from somnet.sharing.installed import installed_base

    return installed_base()


def synced_warnings() -> list[str]:
    """What the user must know about the synced copy: expired, damaged or missing."""
    from somnet._config import sync_installed

    if not sync_installed():
        return []
    from somnet import synced_copy_warnings

    from .sync import copy_warning_text

    return [copy_warning_text(warning) for warning in synced_copy_warnings()]


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def colour(text: str, code: str, stream: Any = None) -> str:
    """ANSI colour on a terminal, unless NO_COLOR is set."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or not getattr(stream, "isatty", lambda: False)():
        return text
    return f"\033[{code}m{text}\033[0m"


def warn(text: str) -> str:
    return colour(text, "1;33")


def error_text(exc: Any, flags: dict[str, str]) -> str:
    """A library error as one line: its field turned into the command's flag (``coastal`` ->
    ``--coastal``), or the field's own name when the command has no flag for it."""
    field = getattr(exc, "field", None)
    if field is None:
        return str(exc)
    return f"{flags.get(field, field)}: {exc.reason}"


def run(command: Runner, args: argparse.Namespace) -> int:
    """Run a command; a library error becomes one line on stderr and its exit status."""
    from somnet import SomnetError

    try:
        return command(args)
    except SomnetError as exc:
        print(f"somnet: {error_text(exc, getattr(args, 'flags', {}))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("somnet: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


# Standard output -----------------------------------------------------------------------------


class OutputError(Exception):
    """Standard output could not be written (a full disk, a closed pipe): raised by
    ``GuardedOutput`` in place of the OSError, so that it is told apart from the other OSErrors
    a command may meet, and so that argparse's help, which swallows OSError, reports it too."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


class GuardedOutput:
    """``sys.stdout`` for the time a command runs: every write and flush that fails raises
    ``OutputError``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except OSError as exc:
            raise OutputError(exc) from exc

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            raise OutputError(exc) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def with_guarded_output(body: Callable[[], int]) -> int:
    """Run ``body`` (the whole command, parsing included) with standard output guarded and
    flushed before returning: a closed pipe (``somnet ... | head -1``) ends it quietly with
    status 0; any other failure to write (``> /dev/full``) is one line and status 1."""
    real = sys.stdout
    sys.stdout = GuardedOutput(real)  # type: ignore[assignment]
    try:
        try:
            code = body()
        except SystemExit:
            sys.stdout.flush()  # --help and --version, printed by argparse before it exits
            raise
        sys.stdout.flush()
        return code
    except OutputError as exc:
        _discard_output(real)
        if exc.error.errno == errno.EPIPE:
            return 0
        reason = exc.error.strerror or str(exc.error)
        print(f"somnet: cannot write to standard output: {reason}", file=sys.stderr)
        return 1
    finally:
        sys.stdout = real


def _discard_output(stream: TextIO) -> None:
    """Point the process's standard output at the null device, so that the text still
    buffered is dropped at exit instead of failing again with a traceback."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a file (a test's capture): nothing is flushed at exit
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


# Shared by the commands that show the directory -------------------------------------------


def positive_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: days cannot be negative")
    return value


def agency_json(directory: Directory, agency: Agency) -> dict[str, Any]:
    hours = directory.agency_hours(agency)
    return {
        "id": agency.id,
        "state": agency.state,
        "name": agency.name,
        "name_en": agency.name_en,
        "acronym": agency.acronym,
        "roles": list(agency.roles),
        "covers": list(agency.covers),
        "located_in": agency.located_in,
        "timezone": directory.agency_timezone(agency),
        "working_hours": str(hours) if hours else None,
        "status": agency.status,
        "last_verified": agency.last_verified.isoformat(),
        "sources": [{"title": s.title, "url": s.url} for s in agency.sources],
        "notes": list(agency.notes),
        "contacts": [contact_json(directory, agency, c) for c in agency.contacts],
    }


def contact_json(directory: Directory, agency: Agency, contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "kind": contact.kind,
        "name": contact.name,
        "title": contact.title,
        "languages": list(contact.languages),
        "illustrative": contact.illustrative,
        "sensitivity": contact.sensitivity,
        "last_verified": contact.last_verified.isoformat(),
        "channels": [
            {
                "kind": ch.kind,
                "value": ch.value,
                "availability": str(directory.channel_hours(agency, ch) or ""),
                "dialable": ch.dialable,
            }
            for ch in contact.channels
        ],
    }
