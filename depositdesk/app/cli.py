"""The ``depositdesk`` command: sub-commands for headless work, the window otherwise.

    depositdesk check PROJECT_OR_IDF        (depositdesk.magetab.commands)
    depositdesk convert INPUT OUTPUT_DIR    (depositdesk.magetab.commands)
    depositdesk validate FILE_OR_DIR ...    (depositdesk.validators.commands)
    depositdesk ontology ...                (depositdesk.ontology.commands)
    depositdesk [PROJECT] [--screenshot OUT.png]   the desktop app

Each part registers its own sub-commands (``register(subparsers)``); each
handler returns the exit code: 0 fine, 1 findings with errors, 2 could not run.
Qt is imported only when the window is asked for, so the sub-commands run on a
machine without a display. An unexpected failure prints one line, never a
traceback (set DEPOSITDESK_DEBUG=1 to see it).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from depositdesk import __version__

COMMAND_MODULES = (
    "depositdesk.magetab.commands",
    "depositdesk.validators.commands",
    "depositdesk.ontology.commands",
    "depositdesk.imports.commands",
    "depositdesk.reports.commands",
    "depositdesk.packaging.commands",
    "depositdesk.packaging.upload_commands",
    "depositdesk.packaging.package_commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="depositdesk",
        description="Prepare, validate and package a public data submission offline.",
    )
    parser.add_argument("--version", action="version", version=f"depositdesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="depositdesk", description="Open the DepositDesk window.")
    parser.add_argument("project", nargs="?", help="project folder or IDF to open")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the window to a PNG and exit")
    return parser


def _command_names(parser: argparse.ArgumentParser) -> set[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def _fail(message: str) -> int:
    print(f"depositdesk: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        parser = build_parser()
        commands = _command_names(parser)
        if args_list and (args_list[0] in commands or args_list[0] in {"-h", "--help", "--version"}):
            args = parser.parse_args(args_list)
            return int(args.func(args))
        gui_args = gui_parser().parse_args(args_list)
        from depositdesk.app.main import run_gui

        return run_gui(gui_args.project, screenshot=gui_args.screenshot)
    except KeyboardInterrupt:
        return _fail("interrupted")
    except SystemExit as exit_:
        return int(exit_.code or 0) if isinstance(exit_.code, int) else _fail(str(exit_.code))
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("DEPOSITDESK_DEBUG"):
            raise
        return _fail(f"unexpected failure: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
