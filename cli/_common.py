"""What every command shares: the --data and --format options, loading the directory,
printing JSON and tables, and turning library errors into one line and an exit status."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

if TYPE_CHECKING:
    from somnet import Agency, Contact, Directory, Replacement

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


def load(args: argparse.Namespace) -> Directory:
    """The directory for this command, as ``somnet.load_directory`` reads it (the synced copy
    when one is installed, SOMNET_DATA overlays, then --data overlays, the user's cache unless
    --no-cache), its warnings shown on standard error."""
    from somnet import load_directory

    overlays = getattr(args, "data", [])
    if getattr(args, "no_cache", False):
        directory = load_directory(overlays, cache_dir=None)
    else:
        directory = load_directory(overlays)
    show_warnings(directory)
    return directory


def load_checked(args: argparse.Namespace) -> tuple[Directory, list[Replacement]]:
    """The directory as :func:`load` reads it, every file read afresh, and the records the
    overlays replaced."""
    from somnet import check_directory

    directory, replaced = check_directory(getattr(args, "data", []))
    show_warnings(directory)
    return directory, replaced


def show_warnings(directory: Directory) -> None:
    """What the user must know about the directory: on standard error, before the output."""
    texts = list(directory.warnings)
    if directory.synced_copy_warnings:
        from .sync import copy_warning_text

        texts += map(copy_warning_text, directory.synced_copy_warnings)
    for warning in texts:
        print(colour(f"somnet: warning: {warning}", "1;33", sys.stderr), file=sys.stderr)


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


#: The flags every command that loads the directory shares.
COMMON_FLAGS = {"overlays": "--data"}


def error_text(exc: Any, flags: dict[str, str]) -> str:
    """A library error as one line: its field turned into the command's flag (``coastal`` ->
    ``--coastal``), or the field's own name when the command has no flag for it."""
    field = getattr(exc, "field", None)
    if field is None:
        return str(exc)
    flag = flags.get(field) or COMMON_FLAGS.get(field, field)
    return f"{flag}: {exc.reason}"


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
    sys.stdout = GuardedOutput(real)
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


def whole_number_of(unit: str) -> Callable[[str], int]:
    """An argparse type: a whole number of ``unit`` (days, years), zero or more."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of {unit}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{text!r}: {unit} cannot be negative")
        return value

    return parse


positive_days = whole_number_of("days")


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
