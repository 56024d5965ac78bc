"""`depositdesk check` and `depositdesk convert`: the MAGE-TAB part of the command line.

Exit codes: 0 = no error findings, 1 = error findings, 2 = could not run
(one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from depositdesk.findings import has_errors, summarize
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project


def register(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
        "check", help="check a MAGE-TAB project (IDF + SDRF) against the grammar and structural rules",
        description="Check an IDF and its SDRF(s): column grammar, references between them, data files.")
    check.add_argument("path", metavar="PROJECT_OR_IDF", help="project folder, IDF, SDRF or .xlsx workbook")
    check.add_argument("--format", choices=("text", "json", "tsv"), default="text",
                       help="output format (tsv: with --all only)")
    check.add_argument("--all", action="store_true",
                       help="PROJECT_OR_IDF is a folder of projects: one summary line per project")
    check.add_argument("--files", choices=("auto", "always", "never"), default="auto",
                       help="look for the data files named in the SDRF (auto: in local projects)")
    check.add_argument("--target", action="append", default=[], metavar="TARGET",
                       help="also check what this repository requires (repeatable; see 'depositdesk targets')")
    check.set_defaults(func=run_check)

    convert = subparsers.add_parser(
        "convert", help="re-write an IDF (with its SDRFs) or an SDRF canonically, or to/from Excel",
        description="Write canonical tab-delimited UTF-8 MAGE-TAB, or an .xlsx workbook with every cell as text.")
    convert.add_argument("input", metavar="INPUT", help="IDF, SDRF, project folder or .xlsx workbook")
    convert.add_argument("output", metavar="OUTPUT_DIR", help="folder to write into (created if needed)")
    convert.add_argument("--to", choices=("magetab", "xlsx", "pagetab"), default="magetab",
                         help="output format (pagetab: INPUT is REMBI YAML/JSON, BioImage Archive)")
    convert.add_argument("--accession", metavar="S-BIADXXX", help="--to pagetab: the submission accession")
    convert.add_argument("--fix-headings", action="store_true",
                         help="write SDRF headings in their standard form (e.g. Characteristic[x] -> Characteristics[x])")
    convert.set_defaults(func=run_convert)


def _fail(command: str, message: str) -> int:
    print(f"depositdesk {command}: {message}", file=sys.stderr)
    return 2


def run_check(args: argparse.Namespace) -> int:
    from depositdesk.packaging.targets import TargetError, check_targets, get_target

    try:
        targets = [get_target(name).name for name in getattr(args, "target", None) or []]
    except TargetError as exc:
        return _fail("check", str(exc))
    if getattr(args, "all", False):
        from depositdesk.reports.many import run_all

        return run_all(Path(args.path), args.format, check=True, targets=targets)
    if args.format == "tsv":
        return _fail("check", "--format tsv is for --all (one line per project)")
    from depositdesk.packaging.bia.crate_check import is_bia_crate

    if is_bia_crate(Path(args.path)):  # a BioImage Archive RO-Crate: BIA's validator's checks
        from depositdesk.packaging.bia.commands import run_check_crate

        return run_check_crate(args)
    try:
        project = Project.open(Path(args.path))
    except ProjectError as exc:
        return _fail("check", str(exc))
    files = {"auto": None, "always": True, "never": False}[args.files]
    findings = check_project(project, check_files=files, for_target=True if targets else None)
    if not targets:  # the targets chosen for the project (.depositdesk/targets.json), as the app does
        from depositdesk.packaging.targets.base import folder_targets

        targets = folder_targets(project.folder)
    if targets:
        findings += check_targets(project, targets)
    if args.format == "json":
        print(json.dumps([f.to_dict() for f in findings], indent=1, ensure_ascii=False))
    else:
        for item in findings:
            print(item.describe())
        print(f"{project.idf_path.name}: {summarize(findings)}")
    return 1 if has_errors(findings) else 0


def run_convert(args: argparse.Namespace) -> int:
    if args.to == "pagetab":
        from depositdesk.packaging.bia.commands import run_convert_pagetab

        return run_convert_pagetab(args)
    source = Path(args.input)
    out_dir = Path(args.output)
    try:
        project = Project.open(source)
        if args.fix_headings:
            for sdrf in project.sdrfs:
                sdrf.canonicalize_headings()
        if out_dir.exists() and not out_dir.is_dir():
            return _fail("convert", f"{out_dir} exists and is not a folder")
        written = _convert(project, source, out_dir, args.to)
    except ProjectError as exc:
        return _fail("convert", str(exc))
    except OSError as exc:
        return _fail("convert", f"cannot write into {out_dir}: {exc.strerror or exc}")
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def _convert(project: Project, source: Path, out_dir: Path, to: str) -> list[Path]:
    from depositdesk.magetab.xlsx import write_xlsx

    inputs = {p.resolve() for p in [project.idf_path, *(s.path for s in project.sdrfs if s.path)] if p.exists()}
    if source.is_file():
        inputs.add(source.resolve())
    out_dir.mkdir(parents=True, exist_ok=True)
    sdrf_only = project.idf_made_up
    if to == "xlsx":
        stem = source.name.split(".")[0] if source.is_file() else source.name
        target = out_dir / f"{stem}.xlsx"
        _refuse_overwrite(target, inputs)
        write_xlsx(target, None if sdrf_only else project.idf, project.sdrfs)
        return [target]
    written = []
    for sdrf in project.sdrfs:
        assert sdrf.path is not None
        target = out_dir / sdrf.path.name
        _refuse_overwrite(target, inputs)
        sdrf.write(target)
        written.append(target)
    if not sdrf_only:
        target = out_dir / project.idf_path.name
        _refuse_overwrite(target, inputs)
        project.idf.write(target)
        written.append(target)
    return written


def _refuse_overwrite(target: Path, inputs: set[Path]) -> None:
    if target.resolve() in inputs:
        raise ProjectError(f"writing {target} would overwrite the input; choose another output folder")
