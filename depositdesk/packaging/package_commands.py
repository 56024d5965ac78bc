"""`depositdesk package PROJECT --target T OUT_DIR`: build the submission package of one target.

Exit codes as everywhere: 0 built, 1 blocked by findings with errors (nothing written unless
--force), 2 could not run (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from depositdesk.findings import Severity, summarize
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.project import Project
from depositdesk.packaging.manifest import PackageError
from depositdesk.packaging.packages.build import BuildResult, build_package
from depositdesk.packaging.targets.base import TargetError


def register(subparsers: argparse._SubParsersAction) -> None:
    package = subparsers.add_parser(
        "package", help="build the submission package of a target (metadata, data files, MANIFEST.tsv)",
        description="Check the project against the target, then write its submission package into "
                    "OUT_DIR: the target's metadata files, the data files (hard-linked, never "
                    "modified), README.md, MANIFEST.tsv and package.json. A rerun after an "
                    "interruption finishes the package without redoing finished files.")
    package.add_argument("project", help="project folder or IDF")
    package.add_argument("out_dir", metavar="OUT_DIR", help="folder to build the package in (empty or a package)")
    package.add_argument("--target", required=True, help="target repository (see 'depositdesk targets')")
    package.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    package.add_argument("--force", action="store_true",
                         help="build although checks report errors (the findings go into README.md)")
    package.set_defaults(func=run_package)


def _fail(message: str) -> int:
    print(f"depositdesk package: {message}", file=sys.stderr)
    return 2


def run_package(args: argparse.Namespace) -> int:
    try:
        project = Project.open(Path(args.project))
        result = build_package(project, args.target, Path(args.out_dir), force=args.force)
    except (ProjectError, TargetError, PackageError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
    if result.built:
        try:
            record_packaged(project.folder, result)
        except (OSError, PackageError) as exc:  # a read-only project: the package stands, its status is not kept
            print(f"depositdesk package: the status could not be recorded: {exc}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(_as_json(result), indent=1, ensure_ascii=False))
    else:
        _print_text(result)
    return 0 if result.built else 1


def record_packaged(folder: Path, result: BuildResult) -> None:
    """The project's status of the target moves to 'packaged', with the package and its manifest md5
    (so a later change to a packaged file shows as 'changed since packaged')."""
    from depositdesk.packaging.manifest import read_manifest
    from depositdesk.packaging.status import set_status

    info, _entries = read_manifest(result.out_dir)
    forced = " (forced past errors)" if info.get("forced") else ""
    set_status(folder, result.target, "packaged", f"package built in {result.out_dir}{forced}",
               str(info.get("manifest_md5", "")), package=str(result.out_dir))


def _as_json(result: BuildResult) -> dict:
    return {
        "target": result.target, "out_dir": str(result.out_dir), "built": result.built,
        "summary": summarize(result.findings), "findings": [f.to_dict() for f in result.findings],
        "files": [vars(e) for e in result.entries],
        "data_files": {"linked": result.linked, "copied": result.copied, "reused": result.reused},
    }


def _print_text(result: BuildResult) -> None:
    shown = [f for f in result.findings if f.severity >= (Severity.WARNING if result.built else Severity.ERROR)]
    for item in shown:
        print(item.describe())
    if result.built:
        data = sum(1 for e in result.entries if e.role == "data")
        print(f"built {result.target} package in {result.out_dir}: {len(result.entries)} files "
              f"({data} data: {result.linked} linked, {result.copied} copied, {result.reused} already there); "
              f"{summarize(result.findings)}")
    else:
        print(f"not built: {summarize(result.findings)} (fix the errors, or use --force)")
