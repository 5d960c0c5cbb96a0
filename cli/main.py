"""The ``somnet`` command: parses the command line and hands each command to its module.

Command modules register their sub-parsers here and import heavy libraries only inside the
function that runs the command, so that ``somnet contact`` starts fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from somnet_cli import _common, contact, directory, meeting

EPILOG = """\
examples:
  somnet contact --flag HT --zone contiguous
  somnet contact --stateless --zone high-seas --as BS --nationality CU --distress
  somnet consular --nationality HT --in BS
  somnet agreements --between US HT
  somnet directory show HT
  somnet meeting plan --states BS,DO,HT --duration 90m --from 2026-12-01 --to 2026-12-18

Exit status: 0 done, 2 bad input (a flag, a data file, a key), 1 a failure of the world
(network, disk). Every command that loads the directory accepts --data DIR (repeatable) and
reads overlays from SOMNET_DATA.
"""


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, every command and flag."""
    parser = _common.SomnetArgumentParser(
        prog="somnet",
        description=(
            "Whom to contact, in what order, on what legal basis, through which channel open "
            "now, when a migrant-smuggling vessel is intercepted at sea; and the region's "
            "coordination meetings."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"somnet {_common.version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    contact.register(commands)
    directory.register(commands)
    meeting.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""

    def command() -> int:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            # A command group without its subcommand (`somnet directory`) shows its help.
            getattr(args, "help_parser", parser).print_help()
            return 2
        return _common.run(args.run, args)

    # Once, for every command: standard output that cannot be written is one line, exit 1.
    return _common.with_guarded_output(command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
