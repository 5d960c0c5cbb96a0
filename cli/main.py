"""The ``somnet`` command: parses the command line and hands each command to its module.

Command modules register their sub-parsers here and import heavy libraries only inside the
function that runs the command, so that ``somnet contact`` starts fast.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence

from somnet import N_, SomnetError, use_newest_time_zone_data
from somnet import gettext as _

from . import _common

EPILOG = N_("""\
examples:
  somnet contact --flag HT --zone contiguous
  somnet contact --stateless --zone high-seas --as BS --nationality CU --distress
  somnet consular --nationality HT --in BS
  somnet agreements --between US HT
  somnet directory show HT
  somnet meeting plan --states BS,DO,HT --duration 90m --from 2026-12-01 --to 2026-12-18

Exit status: 0 done, 2 bad input (a flag, a data file, a key), 1 a failure of the world
(network, disk). Every command that loads the directory accepts --data DIR (repeatable) and
reads overlays from SOMNET_DATA. --lang en|es|fr (or SOMNET_LANG, language in config.toml,
the locale) chooses the language of text output; JSON stays the same in every language.
""")


#: Each command: the module that registers it, and its one-line help for ``somnet --help``
#: (the module's own parser says the same: a test keeps them equal).
COMMANDS = {
    "contact": (
        "contact",
        N_("whom to contact for an interception, in order, with the legal basis"),
    ),
    "agreements": ("contact", N_("bilateral and regional agreements")),
    "consular": ("contact", N_("which mission serves nationals of N in D")),
    "directory": ("directory", N_("read, check and share the directory")),
    "meeting": ("meeting", N_("find times for regional meetings, send and track their invites")),
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line. Only the module of the command on ``argv`` builds its parsers (and
    imports what it needs): the others are listed by name and help, so that a command does
    not pay for the twenty others' arguments. With no ``argv``, every command is built."""
    parser = _common.SomnetArgumentParser(
        prog="somnet",
        description=_(
            "Whom to contact, in what order, on what legal basis, through which channel open "
            "now, when a migrant-smuggling vessel is intercepted at sea; and the region's "
            "coordination meetings."
        ),
        epilog=_(EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action=_Version, nargs=0, help=_("show the version of somnet and exit")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = _chosen(argv) if argv is not None else None
    if chosen is not None:
        wanted = {COMMANDS[chosen][0]}
    else:
        # No command on the line (--help, --version): their names and help are enough.
        wanted = set() if argv is not None else {module for module, _help in COMMANDS.values()}
    for module in dict.fromkeys(module for module, _help in COMMANDS.values()):
        if module in wanted:
            importlib.import_module(f"somnet_cli.{module}").register(commands)
    for name, (_module, help_text) in COMMANDS.items():
        if name not in commands.choices:
            commands.add_parser(name, help=_(help_text), add_help=False)
    return parser


class _Version(argparse.Action):
    """--version, reading the installed version only when asked (it costs milliseconds)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        print(f"somnet {_common.version()}")
        parser.exit()


def _chosen(argv: Sequence[str]) -> str | None:
    """The command named on the command line (the first word that is one), if any."""
    words = iter(argv)
    for word in words:
        if word in COMMANDS:
            return word
        if _common.is_language_option(word):
            if "=" not in word:
                next(words, None)  # its value
        elif not word.startswith("-"):
            return None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""

    def command() -> int:
        words = list(sys.argv[1:] if argv is None else argv)
        # The language first: the help and every message are in it.
        try:
            _common.use_language(words)
        except SomnetError as exc:
            print(_common.labelled("somnet", _common.error_text(exc, {})), file=sys.stderr)
            return exc.exit_code
        parser = build_parser(words)
        args = parser.parse_args(words)
        run: _common.Runner | None = getattr(args, "run", None)
        if run is None:
            # A command group without its subcommand (`somnet directory`) shows its help.
            helper: argparse.ArgumentParser = getattr(args, "help_parser", parser)
            helper.print_help()
            return 2
        return _common.run(run, args)

    # Once, for every command: standard output that cannot be written is one line, exit 1.
    return _common.with_guarded_output(command)


def console() -> int:
    """The ``somnet`` program: :func:`main` in a process of its own, with the cyclic garbage
    collector off.

    A command lives for a fraction of a second to a few seconds, and most of what it allocates
    is the directory, which it keeps to the end: the collector would only scan those records
    again after the load. Reference counting still frees everything dropped. :func:`main`,
    called from Python, leaves the collector as it finds it.

    When the command is done (its files written and closed, its output flushed), what it made
    is left to the end of the process: Python's exit would otherwise scan every object for
    cycles once more (the directory's records, every module), a tenth of a warm ``contact``,
    to free memory the system takes back anyway.

    zoneinfo is made to read the newer time-zone database (``use_newest_time_zone_data``).
    """
    gc.disable()
    # The newer of the system's time-zone database and the tzdata package's (an old system
    # would keep Mexico on daylight saving time): before any time is read.
    use_newest_time_zone_data()
    status = main()
    gc.freeze()
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(console())
