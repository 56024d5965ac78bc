"""`depositdesk citation PROJECT REPO_DIR [--force] [--format json]`: citation files for a code repository.

Writes ``CITATION.cff`` (validated against the CFF 1.2.0 schema) and ``.zenodo.json`` from the
project's IDF into a Git repository of analysis code, then says what Zenodo's GitHub integration
reads. Exit codes: 0 written, 1 refused (a file exists without --force, or the CFF would be
invalid: nothing written), 2 could not run (not a Git repository, unreadable project).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from depositdesk.findings import Severity
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.project import Project
from depositdesk.packaging.citation import (
    CFF_INVALID,
    ZENODO_NOTE,
    CitationError,
    CitationResult,
    write_citation_files,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "citation", help="write CITATION.cff and .zenodo.json into a Git repository of analysis code",
        description="Write CITATION.cff (CFF 1.2.0, validated against its schema) and .zenodo.json "
                    "(Zenodo's GitHub integration) from the project's IDF: the same people, title, "
                    "abstract, keywords, licence and publication as the data.")
    parser.add_argument("project", help="project folder or IDF")
    parser.add_argument("repo", metavar="REPO_DIR", help="the Git repository of the analysis code")
    parser.add_argument("--force", action="store_true", help="replace existing CITATION.cff / .zenodo.json")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    parser.set_defaults(func=run_citation)


def _fail(message: str, code: int = 2) -> int:
    print(f"depositdesk citation: {message}", file=sys.stderr)
    return code


def run_citation(args: argparse.Namespace) -> int:
    try:
        project = Project.open(Path(args.project))
        result = write_citation_files(project, Path(args.repo), force=args.force)
    except ProjectError as exc:
        return _fail(str(exc))
    except CitationError as exc:
        return _fail(str(exc), exc.exit_code)
    except OSError as exc:
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
    if args.format == "json":
        print(json.dumps(_as_json(result), indent=1, ensure_ascii=False))
    else:
        _print_text(result)
    return 0 if result.written else 1


def _as_json(result: CitationResult) -> dict:
    return {"written": [str(p) for p in result.written], "findings": [f.to_dict() for f in result.findings],
            "citation_cff": result.cff, "zenodo_json": result.zenodo, "note": ZENODO_NOTE}


def _print_text(result: CitationResult) -> None:
    for item in result.findings:
        if item.severity >= Severity.WARNING:
            print(item.describe())
    if not result.written:
        errors = sum(f.code == CFF_INVALID for f in result.findings)
        print(f"not written: CITATION.cff would break the CFF 1.2.0 schema in {errors} place(s)")
        return
    print("wrote " + " and ".join(str(p) for p in result.written))
    print(ZENODO_NOTE)
