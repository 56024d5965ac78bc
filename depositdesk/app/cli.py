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
traceback (set DEPOSITDESK_DEBUG=1 to see it). A word that is neither a command
nor an existing file or folder is a usage error on the terminal; with
``--format json`` a run that cannot start (exit 2) also prints a JSON error
object on stdout, so a pipeline reading stdout always gets JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

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
    "depositdesk.packaging.bia.commands",
    "depositdesk.packaging.citation_commands",
)
# The commands that a module alone provides, so running one imports only that module (an upload
# does not pay ~1 s for the target rules' bioregistry); tests/packaging/transfer/test_cli.py and
# tests/validators/test_commands_startup.py keep this equal to what each module registers.
LAZY_COMMANDS = {name: "depositdesk.packaging.upload_commands"
                 for name in ("upload", "login", "status")} | {
    "validate": "depositdesk.validators.commands"}   # a file check does not load the target rules either


def build_parser(modules: Sequence[str] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="depositdesk",
        description="Prepare, validate and package a public data submission offline.",
    )
    parser.add_argument("--version", action="version", version=f"depositdesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
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


class _Recorder:
    """A stream that remembers what was written through it (and still writes it)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.written: list[str] = []

    def write(self, text: str) -> int:
        self.written.append(text)
        return self.stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def wants_json(args_list: Sequence[str]) -> bool:
    return any(a == "--format=json" or (a == "--format" and args_list[i + 1:i + 2] == ["json"])
               for i, a in enumerate(args_list))


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not wants_json(args_list):
        return _run(args_list)
    out, err = _Recorder(sys.stdout), _Recorder(sys.stderr)
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    try:
        code = _run(args_list)
    finally:
        sys.stdout, sys.stderr = out.stream, err.stream
    if code == 2 and not "".join(out.written).strip():
        print(json.dumps(json_error(err.written, args_list)))
    return code


def json_error(stderr_parts: list[str], args_list: Sequence[str]) -> dict[str, Any]:
    """What `--format json` prints on stdout when the run could not start (exit 2)."""
    lines = [line for line in "".join(stderr_parts).splitlines() if line.strip()]
    message = next((line for line in reversed(lines) if line.startswith(("depositdesk", "error"))),
                   lines[-1] if lines else "could not run")
    command = args_list[0] if args_list and not args_list[0].startswith("-") else ""
    return {"error": message, "exit_code": 2, "command": command}


def _run(args_list: list[str]) -> int:
    try:
        lazy = LAZY_COMMANDS.get(args_list[0]) if args_list else None
        parser = build_parser((lazy,) if lazy else COMMAND_MODULES)
        commands = _command_names(parser)
        if args_list and (args_list[0] in commands or args_list[0] in {"-h", "--help", "--version"}):
            args = parser.parse_args(args_list)
            return int(args.func(args))
        gui_args = gui_parser().parse_args(args_list)
        if gui_args.project is not None and not Path(gui_args.project).exists():
            return _usage_error(parser, gui_args.project, commands)
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


def _usage_error(parser: argparse.ArgumentParser, word: str, commands: set[str]) -> int:
    """`depositdesk WORD`: neither a command nor a file or folder — said on the terminal, no window."""
    parser.print_usage(sys.stderr)
    return _fail(f"'{word}' is neither a command nor an existing file or folder "
                 f"(commands: {', '.join(sorted(commands))}; see 'depositdesk --help')")


if __name__ == "__main__":
    sys.exit(main())
