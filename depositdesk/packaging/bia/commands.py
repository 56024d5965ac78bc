"""The BioImage Archive part of the command line.

    depositdesk convert REMBI.yaml|json OUT_DIR --to pagetab [--accession S-BIADXXX]
    depositdesk check BIA_RO_CRATE_FOLDER
    depositdesk rembi PROJECT [--write [--force]]

`convert` and `check` are declared by depositdesk.magetab.commands, which hands these inputs
here; `rembi` is registered here. Exit codes: 0 written / no errors, 1 error findings (nothing written), 2 could not run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from depositdesk.findings import Finding, Location, finding, has_errors, summarize
from depositdesk.packaging.bia import codes
from depositdesk.packaging.bia.rembi import read_rembi
from depositdesk.packaging.bia.topagetab import rembi_to_pagetab


def _fail(command: str, message: str) -> int:
    print(f"depositdesk {command}: {message}", file=sys.stderr)
    return 2


def _report(findings: list[Finding], fmt: str, name: str) -> None:
    if fmt == "json":
        print(json.dumps([f.to_dict() for f in findings], indent=1, ensure_ascii=False))
        return
    for item in findings:
        print(item.describe())
    print(f"{name}: {summarize(findings)}")


def pagetab_paths(source: Path, out_dir: Path) -> tuple[Path, Path]:
    stem = source.name.rsplit(".", 1)[0]
    return out_dir / f"{stem}.pagetab.tsv", out_dir / f"{stem}.pagetab.json"


def write_pagetab(source: Path, out_dir: Path, accession: str | None) -> tuple[list[Finding], list[Path]]:
    """Convert a REMBI file into PageTab TSV + JSON in `out_dir`; nothing is written on errors."""
    rembi = read_rembi(source)
    if has_errors(rembi.findings) or not rembi.ok:
        return rembi.findings, []
    submission = rembi_to_pagetab(rembi, accession)
    multiline = submission.multiline_values()
    if multiline:
        names = ", ".join(dict.fromkeys(a.name for a in multiline))
        rembi.findings.append(finding(codes.PAGETAB_MULTILINE, f"{len(multiline)} value(s) ({names}) hold line "
                                      "breaks, written as bia-agent writes them", Location(file=str(source))))
    tsv_path, json_path = pagetab_paths(source, out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tsv_path.write_text(submission.as_tsv(), encoding="utf-8", newline="\n")
    json_path.write_text(submission.json_text(), encoding="utf-8", newline="\n")
    return rembi.findings, [tsv_path, json_path]


def run_convert_pagetab(args: argparse.Namespace) -> int:
    source, out_dir = Path(args.input), Path(args.output)
    if not source.is_file():
        return _fail("convert", f"{source} is not a REMBI file (.yaml or .json)")
    if out_dir.exists() and not out_dir.is_dir():
        return _fail("convert", f"{out_dir} exists and is not a folder")
    try:
        findings, written = write_pagetab(source, out_dir, getattr(args, "accession", None))
    except OSError as exc:
        return _fail("convert", f"cannot write into {out_dir}: {exc.strerror or exc}")
    for item in findings:
        print(item.describe())
    if not written:
        print(f"{source.name}: {summarize(findings)}; no PageTab written")
        return 1
    print("wrote " + ", ".join(str(p) for p in written))
    return 0


def crate_findings(folder: Path) -> list[Finding]:
    """BIA's RO-Crate validator's issues for the crate in `folder`, as findings (same messages)."""
    from depositdesk.packaging.bia.crate_check import ERROR, WARNING, validate_crate

    out = []
    for issue in validate_crate(folder):
        code = (codes.CRATE_INVALID if issue.severity >= ERROR else
                codes.CRATE_WARNING if issue.severity >= WARNING else codes.CRATE_NOTE)
        text = f"{issue.location}: {issue.message}" if issue.location else issue.message
        about_list = text.lower().startswith(("in file list", "file list", "at file list"))
        where = Location(file=str(folder / ("file_list.tsv" if about_list else "ro-crate-metadata.json")))
        out.append(finding(code, text, where))
    return out


def run_check_crate(args: argparse.Namespace) -> int:
    """`depositdesk check` of a BIA RO-Crate folder (or its ro-crate-metadata.json)."""
    path = Path(args.path)
    folder = path.parent if path.is_file() else path
    findings = crate_findings(folder)
    _report(findings, args.format, folder.name or str(folder))
    return 1 if has_errors(findings) else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    rembi = subparsers.add_parser(
        "rembi", help="check a project's REMBI metadata (.depositdesk/rembi.yaml), or write it from the IDF/SDRF",
        description="Check the project's .depositdesk/rembi.yaml (bia-agent's REMBI layout) as the BioImage "
                    "Archive package reads it; with --write, first make it from the IDF, the SDRF and the "
                    "image files' metadata, to edit before 'depositdesk package --target bia'.")
    rembi.add_argument("project", help="project folder or IDF")
    rembi.add_argument("--write", action="store_true", help="write .depositdesk/rembi.yaml from the IDF/SDRF")
    rembi.add_argument("--force", action="store_true", help="with --write: replace an existing rembi.yaml")
    rembi.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    rembi.set_defaults(func=run_rembi)


def run_rembi(args: argparse.Namespace) -> int:
    from depositdesk.imports.rembi_from_images import rembi_path, write_rembi
    from depositdesk.magetab.errors import ProjectError
    from depositdesk.magetab.project import Project

    try:
        project = Project.open(Path(args.project))
    except ProjectError as exc:
        return _fail("rembi", str(exc))
    path = rembi_path(project)
    if args.write:
        if path.exists() and not args.force:
            return _fail("rembi", f"{path} exists; give --force to replace it")
        try:
            write_rembi(project)
        except OSError as exc:
            return _fail("rembi", f"cannot write {path}: {exc.strerror or exc}")
        if args.format == "text":
            print(f"wrote {path}")
    elif not path.is_file():
        return _fail("rembi", f"{path} does not exist; 'depositdesk rembi {args.project} --write' makes it")
    findings = read_rembi(path).findings
    _report(findings, args.format, path.name)
    return 1 if has_errors(findings) else 0
