"""What every command shares: the --data and --format options, loading the directory,
printing JSON and tables, and turning library errors into one line and an exit status."""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn, TextIO

from somnet import N_, BadInputError, available_languages, localized, ngettext
from somnet import gettext as _

if TYPE_CHECKING:
    from datetime import date

    from somnet import Directory, Replacement

Runner = Callable[[argparse.Namespace], int]


def now() -> datetime:
    """The command line's clock (the tests set it): what "today" is counted from."""
    return datetime.now(UTC)


def home_code() -> str | None:
    """The configured home state (``SOMNET_HOME_STATE``, else ``home_state`` in config.toml),
    checked; None when none is set.

    Raises:
        BadInputError: not a state code (named by where it was set).
    """
    from somnet import home_state, state_code

    configured, source = home_state()
    return state_code(configured, field=source) if configured else None


def today_at_home(directory: Directory) -> date:
    """The date contact plans are made on: the home state's, else UTC (never the machine's)."""
    return directory.today_in(home_code(), now())


def version() -> str:
    """The installed version, read without importing the library."""
    from importlib.metadata import version as installed

    return installed("somnet")


#: Where a parse keeps the options already given (removed from the namespace at its end).
_GIVEN = "_somnet_given"


class _StoreOnce(argparse._StoreAction):
    """An option that takes one value: given twice with two values, which one is meant cannot
    be guessed (``--as BS ... --as US`` would quietly plan as the United States), so it is an
    error; the same value twice (``HT``, ``ht``) is taken once."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, Any] = namespace.__dict__.setdefault(_GIVEN, {})
        if self.dest in given and _same(given[self.dest]) != _same(values):
            raise argparse.ArgumentError(
                self,
                _("given twice, as {first} and {second}; give it once").format(
                    first=_shown(given[self.dest]), second=_shown(values)
                ),
            )
        given[self.dest] = values
        setattr(namespace, self.dest, values)


def _same(value: Any) -> Any:
    return value.strip().casefold() if isinstance(value, str) else value


def _shown(value: Any) -> str:
    # A path as typed ('a'), not as Python writes the object (PosixPath('a')).
    text = repr(os.fspath(value) if isinstance(value, os.PathLike) else value)
    return text if len(text) <= 40 else text[:37] + "..."


def refuse_repeated_options(parser: argparse.ArgumentParser) -> None:
    """The options ``parser`` is given from now on take one value each: two different values
    are an error (call it before adding them)."""
    parser.register("action", None, _StoreOnce)
    parser.register("action", "store", _StoreOnce)


class SomnetArgumentParser(argparse.ArgumentParser):
    """Bad flags exit 2 with one line naming the flag, instead of argparse's usage block; every
    command takes --lang."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kwargs.get("add_help", True):
            # Read before the parser is built (choose_language), so that the help itself is in
            # the language asked for; declared here so that it is accepted and documented.
            self.add_argument(
                "--lang",
                metavar="LANG",
                default=argparse.SUPPRESS,
                help=_(
                    "the language of the output: {languages} (default: SOMNET_LANG, then "
                    "language in config.toml, then the locale, else en)"
                ).format(languages=", ".join(available_languages())),
            )

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if args is not None and "--" in args and " " in self.prog and not self._takes_words():
            # "--" ends the options, and this command takes no words: what follows is refused
            # as such, before argparse would say that an option given after it is missing.
            words = list(args)
            self.error(_("unrecognized arguments: %s") % " ".join(words[words.index("--") :]))
        parsed, rest = super().parse_known_args(args, namespace)
        parsed.__dict__.pop(_GIVEN, None)
        if rest and " " in self.prog:
            # A command's words it does not take: its own help says what it takes (the main
            # parser would point to the help of every command).
            self.error(_("unrecognized arguments: %s") % " ".join(rest))
        return parsed, rest

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> Any:
        if action.option_strings and action.nargs in (None, "?") and arg_strings == ["--"]:
            # ``--at=--``: the value "--", refused (or taken) as any other value of the
            # option. Python 3.11's argparse drops every "--" it is handed, even an option's
            # own value, and gave the command an empty list where it expects text.
            value = self._get_value(action, "--")
            self._check_value(action, value)
            return value
        return super()._get_values(action, arg_strings)

    def _takes_words(self) -> bool:
        """Whether the command takes words besides its options (a state, a text, a
        subcommand)."""
        return any(not action.option_strings for action in self._actions)

    def error(self, message: str) -> NoReturn:
        self.exit(
            2,
            # argparse repeats what was typed: a line break in it is shown, not obeyed.
            _("{prog}: {message} (see {prog} --help)").format(
                prog=self.prog, message=_one_line(message)
            )
            + "\n",
        )


#: argparse's own words (usage, options, its errors), in the catalogs so that its help and
#: errors are in the chosen language too.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ignored explicit argument %r"),
)


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


#: argparse's words in English: as argparse writes them. Its own gettext, Python's, looks for a
#: catalog of them at each word it says (sixteen for a contact, importing the locale module at
#: the first), and Python ships none.
_ARGPARSE_ENGLISH = (_english, _english_plural)


def _argparse_plurals() -> None:  # pragma: no cover - read by the catalogs' extraction only
    """argparse's plural message a user can meet (``agreements --between US``), which it asks
    through ``ngettext``: written here so that the catalogs hold it."""
    ngettext("expected %s argument", "expected %s arguments", 2)


def language_option(words: Sequence[str]) -> str | None:
    """The value of --lang on the command line, read before the parser is built."""
    given = language_options(words)
    return given[0] if given else None


def language_options(words: Sequence[str]) -> list[str]:
    """Every value of --lang on the command line, in order."""
    found: list[str] = []
    for n, word in enumerate(words):
        if word == "--":
            break
        if is_language_option(word):
            if "=" in word:
                found.append(word.partition("=")[2])
            elif n + 1 < len(words):
                found.append(words[n + 1])
    return found


def is_language_option(word: str) -> bool:
    """Whether ``word`` is --lang (``--lang``, ``--lang=es``) or what argparse takes for it:
    an abbreviation (``--la es``, ``--lan=es``; ``--l`` where no other option begins so, and
    where another does argparse refuses it as ambiguous)."""
    name = word.partition("=")[0]
    return len(name) > 2 and "--lang".startswith(name)


def use_language(words: Sequence[str]) -> None:
    """Speak the language the command line, SOMNET_LANG, config.toml or the locale asks for
    (somnet.choose_language), argparse's own words included.

    Raises:
        UnknownLanguageError: one somnet does not speak (the error names where it was asked).
    """
    from somnet import choose_language
    from somnet import ngettext as translate_plural

    given = language_options(words)
    if len({_same(value) for value in given}) > 1:
        # Which one is meant cannot be guessed (as for every other option): told in the
        # language the rest of the settings ask for.
        choose_language(None)
        raise BadInputError(
            _("given twice, as {first} and {second}; give it once").format(
                first=_shown(given[0]),
                second=_shown(next(v for v in given if _same(v) != _same(given[0]))),
            ),
            field="language",
            value=given[1],
        )
    chosen = choose_language(given[0] if given else None)
    if chosen == "en":
        argparse._, argparse.ngettext = _ARGPARSE_ENGLISH  # type: ignore[attr-defined]
    else:
        argparse._ = _  # type: ignore[attr-defined]
        argparse.ngettext = translate_plural  # type: ignore[attr-defined]


def add_data_option(parser: argparse.ArgumentParser) -> None:
    """--data DIR (repeatable) and --no-cache, for commands that load the directory."""
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="DIR",
        help=_(
            "an overlay folder laid over the shipped directory (repeatable; later wins); "
            "SOMNET_DATA lists more, separated by {separator}"
        ).format(separator=repr(os.pathsep)),
    )
    parser.add_argument(
        "--no-cache", action="store_true", help=_("read and validate every data file afresh")
    )


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        type=str.lower,
        help=_("table for people (default), json for scripts"),
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
        text = _("somnet: warning: {warning}").format(warning=localized(warning))
        print(colour(text, "1;33", sys.stderr), file=sys.stderr)


def print_json(value: Any) -> None:
    import json  # only commands asked for JSON pay for the module

    text = json.dumps(value, ensure_ascii=False, indent=2)
    if not text.isascii():
        import re

        # A name in another encoding than UTF-8 (a folder named in a Latin-1 shell) reaches
        # Python as lone surrogates, which UTF-8 cannot carry: written as JSON escapes them
        # (\udce9), from which Python's os.fsencode gives the name's bytes back. Only strings
        # hold them, and nothing else in the document changes.
        text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m[0]):04x}", text)
    write_document(text + "\n")


#: What a terminal would act on or show reordered, in text somnet prints: control characters
#: but the tab and the line break (a C1 control such as CSI, U+009B, is one on many terminals)
#: and the marks that reorder text; and the one colour sequence somnet writes itself
#: (``colour``), kept as it is.
_TERMINAL_COMMANDS = re.compile(
    "\x1b\\[(?:1;33|0)m|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def printable(text: str) -> str:
    """``text`` with what a terminal would act on written as Python escapes it (``\\x1b``):
    a name given, a file's or a server's, may hold an escape sequence (``ESC[2K`` erases a
    line, a right-to-left override shows what follows reversed), and printed as it is it would
    command the officer's terminal rather than be read."""
    return _TERMINAL_COMMANDS.sub(
        lambda found: found[0] if len(found[0]) > 1 else found[0].encode("unicode_escape").decode(),
        text,
    )


def write_document(text: str) -> None:
    """A JSON or vCard document on standard output as its standard writes it: UTF-8 (RFC 8259,
    RFC 6350) whatever the stream's own encoding (a file redirect on Windows, cp1252; a C
    locale), its line ends as they are (a Windows text stream would turn a vCard's CRLF into
    CR CR LF). Its bytes go below the text layer, after what that layer holds."""
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # not a file (a StringIO): written as it is all the same
        getattr(stream, "write_document", stream.write)(text)
        return
    stream.flush()
    try:
        buffer.write(text.encode("utf-8"))
    except OSError as exc:
        raise OutputError(exc) from exc


def colour(text: str, code: str, stream: Any = None) -> str:
    """ANSI colour on a terminal, unless NO_COLOR is set."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") or not getattr(stream, "isatty", lambda: False)():
        return text
    return f"\033[{code}m{text}\033[0m"


def warn(text: str) -> str:
    return colour(text, "1;33")


#: The flags every command shares.
COMMON_FLAGS = {"overlays": "--data", "language": "--lang"}


def error_text(exc: Any, flags: dict[str, str]) -> str:
    """A library error as one line: its field turned into the command's flag (``coastal`` ->
    ``--coastal``), or the field's own name when the command has no flag for it."""
    field = getattr(exc, "field", None)
    reason = reason_text(exc)
    if field is None:
        return reason
    flag = flags.get(field) or COMMON_FLAGS.get(field, field)
    return labelled(flag, reason)


def labelled(where: str, text: str) -> str:
    """``where: text``, the colon set as the language in use sets it ("--zone : ..." in
    French); ``where`` may be a message itself ("FILE: home_state"), told in that language."""
    return _("{where}: {message}").format(where=localized(where), message=text)


def reason_text(exc: Any) -> str:
    """A library error's reason in the language in use: several problems in the directory
    under one heading, a meeting that cannot be planned with the reasons why."""
    problems = getattr(exc, "problems", None)
    if problems is not None and len(problems) > 1:
        heading = ngettext(
            "{n} problem in the directory:", "{n} problems in the directory:", len(problems)
        ).format(n=len(problems))
        return "\n".join([heading, *(_one_line(localized(p)) for p in problems)])
    if problems:
        return _one_line(localized(problems[0]))
    summary, reasons = getattr(exc, "summary", None), getattr(exc, "reasons", None)
    if summary is not None and reasons is not None:
        if not reasons:
            return _one_line(localized(summary))
        return _one_line(labelled(localized(summary), _("; ").join(map(localized, reasons))))
    return _one_line(localized(getattr(exc, "reason", str(exc))))


def _one_line(text: str) -> str:
    """A reason on one line: a line break in what it quotes (a file named with one) is
    written as Python escapes it, not as a line that would seem a message of its own."""
    return text.replace("\n", "\\n")


def run(command: Runner, args: argparse.Namespace) -> int:
    """Run a command; a library error becomes one line on stderr and its exit status."""
    from somnet import SomnetError

    try:
        return command(args)
    except SomnetError as exc:
        print(labelled("somnet", error_text(exc, getattr(args, "flags", {}))), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(_("somnet: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError as exc:
        # Standard output's is caught as such (with_guarded_output: the reader stopped). This
        # one is another pipe's or a socket's: what the command was to do was not done.
        reason = exc.strerror or str(exc)
        print(
            _("somnet: a pipe or connection closed while writing: {reason}").format(reason=reason),
            file=sys.stderr,
        )
        return 1


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
        return self.write_document(printable(text))

    def write_document(self, text: str) -> int:
        """Write ``text`` as it is: a document (JSON, vCard, iCalendar) escapes what its
        standard says itself, and a vCard's line ends are CR LF."""
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


class QuietErrors:
    """``sys.stderr`` for the time a command runs: what cannot be written to it (standard
    error closed, ``2>&-``; a pipe whose reader has gone; a full disk) is dropped, and nothing
    more is tried. The exit status is the command's whether or not its message could be
    written (0 done, 2 bad input, 1 a failure of the world), a warning that cannot be written
    does not stop the command, and nothing meant for standard error goes to standard output
    (``print(file=None)`` would write there)."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        if self.stream is not None:
            # A carriage return first is somnet's own: a progress line redrawn (sync).
            redraw = "\r" if text.startswith("\r") else ""
            try:
                return self.stream.write(redraw + printable(text[len(redraw) :]))
            except (OSError, ValueError):  # ValueError: the stream was closed
                self._give_up()
        return len(text)

    def flush(self) -> None:
        if self.stream is not None:
            try:
                self.stream.flush()
            except (OSError, ValueError):
                self._give_up()

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def _give_up(self) -> None:
        # What the stream still holds would fail again when the process exits, and turn its
        # status into 120.
        if self.stream is not None:
            _discard_output(self.stream)
        self.stream = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def with_guarded_output(body: Callable[[], int]) -> int:
    """Run ``body`` (the whole command, parsing included) with standard output guarded and
    flushed before returning: a closed pipe (``somnet ... | head -1``) ends it quietly with
    status 0; any other failure to write (``> /dev/full``) is one line and status 1. Standard
    error that cannot be written changes nothing (``QuietErrors``)."""
    errors = sys.stderr
    sys.stderr = QuietErrors(errors)
    try:
        return _with_guarded_stdout(body)
    finally:
        sys.stderr.flush()
        sys.stderr = errors


def _with_guarded_stdout(body: Callable[[], int]) -> int:
    real = sys.stdout
    if real is None:  # started with standard output closed (`somnet ... >&-`)
        print(
            _("somnet: cannot write to standard output: {reason}").format(
                reason=os.strerror(errno.EBADF)
            ),
            file=sys.stderr,
        )
        return 1
    # Text for people on a stream that cannot encode every name (ASCII, cp1252): a character
    # it cannot write becomes "?" rather than a traceback half-way (documents: write_document).
    reconfigure = getattr(real, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="replace")
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
        print(
            _("somnet: cannot write to standard output: {reason}").format(reason=reason),
            file=sys.stderr,
        )
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


#: A space that French (and some other languages) set before : ; ? ! » and after «.
_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?=[:;?!»])|(?<=«) ")
NO_BREAK = "\u00a0"


def glue_punctuation(text: str) -> str:
    """``text`` with the space before : ; ? ! » (and after «) made non-breaking, so that a
    wrapped line never starts with the punctuation that ends a phrase ("; Mo-Fr 08:00-16:00").
    Wrap, then turn the non-breaking spaces back into spaces with ``unglue``."""
    return _SPACE_BEFORE_PUNCTUATION.sub(NO_BREAK, text)


def unglue(line: str) -> str:
    return line.replace(NO_BREAK, " ")


def wide_characters(text: str) -> int:
    """How many characters of ``text`` take two columns on a terminal (Chinese, Japanese,
    Korean): a line is wrapped that much shorter, so that it still fits its columns."""
    import unicodedata

    return sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")


def whole_number_of(unit: Literal["days", "years"]) -> Callable[[str], int]:
    """An argparse type: a whole number of ``unit`` (days, years), zero or more, in ASCII
    digits (``somnet.read_whole_number``)."""
    # Whole sentences per unit, so that each language can say them its own way; translated
    # when a value is read, once the language is chosen.
    not_whole, negative = {
        "days": (
            N_("{value} is not a whole number of days"),
            N_("{value}: days cannot be negative"),
        ),
        "years": (
            N_("{value} is not a whole number of years"),
            N_("{value}: years cannot be negative"),
        ),
    }[unit]

    def parse(text: str) -> int:
        from somnet import read_whole_number

        value = read_whole_number(text)
        if value is None:
            raise argparse.ArgumentTypeError(_(not_whole).format(value=repr(text)))
        if value < 0:
            raise argparse.ArgumentTypeError(_(negative).format(value=repr(text)))
        return value

    return parse


positive_days = whole_number_of("days")


def code_list(values: Sequence[str], field: str) -> list[str]:
    """The codes of a repeatable, comma-separated option (``--nationality HT,CU``), in order.
    An empty item (``HT,,CU``, a trailing comma, a script's unset variable) is refused."""
    codes = []
    for value in values:
        for part in value.split(","):
            if not part.strip():
                raise BadInputError(
                    _("empty code in {value}; write codes like HT,CU").format(
                        value=repr(value[:60])
                    ),
                    field=field,
                    value=value,
                )
            codes.append(part)
    return codes


def out_path(text: str) -> Path:
    """An argparse type: a file or folder to write (:func:`path`), but not ``-``: standard
    output to many programs, where the commands that write one tell what they did. A file
    named '-' in the working folder is never what was meant (``./-`` names one)."""
    if text == "-":
        raise argparse.ArgumentTypeError(
            _(
                "'-' would be a file or folder named '-', not standard output (which tells "
                "what was done); give a path (./- for one so named)"
            )
        )
    return path(text)


def path(text: str) -> Path:
    """An argparse type: a file or folder. An empty one (a script's unset variable) is a
    mistake, never the working folder nor the default."""
    if not text.strip():
        raise argparse.ArgumentTypeError(_("an empty path; give a file or folder"))
    try:
        os.stat(text)
    except OSError as exc:
        # A name the system cannot take (a pasted key, a runaway variable): every later look
        # at it would fail with the same error, far from the flag that gave it.
        if exc.errno == errno.ENAMETOOLONG:
            raise argparse.ArgumentTypeError(
                _("{value}: a path longer than this system allows").format(value=_shown(text))
            ) from None
    return Path(text)
