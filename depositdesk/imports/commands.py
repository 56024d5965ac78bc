"""``depositdesk import SOURCE OUT_DIR``: a new project from the sheets people already have.

SOURCE is an ISA-Tab investigation (its i_*.txt, or the folder holding it), a
GEO high-throughput sequencing metadata workbook of any generation, or an NCBI
SRA_data or BioSample sheet (Excel or tab-separated; the other one is read
too when it lies beside it). The project is written into OUT_DIR (new
or empty); the source is only read. Every value that found no place is listed
as a finding. Exit: 0 imported, 1 imported with errors among the findings,
2 could not run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from depositdesk.findings import Finding, has_errors, summarize
from depositdesk.imports.isatab import Imported


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import", help="make a project from an ISA-Tab investigation, a GEO workbook or SRA/BioSample sheets",
        description=__doc__.split("\n\n")[1] if __doc__ else None)
    parser.add_argument("source", type=Path, metavar="SOURCE")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--format", choices=("text", "json"), default="text", dest="output")
    parser.set_defaults(func=run_import)


def _fail(message: str, output: str) -> int:
    if output == "json":
        print(json.dumps({"error": message}))
    print(f"depositdesk import: {message}", file=sys.stderr)
    return 2


def read_source(source: Path, out_dir: Path | None = None) -> Imported:
    """The documents an import source gives (ValueError: not a source we know, said in one line).

    ``out_dir`` is where the project will be: data files stay where they are, named from there.
    """
    from depositdesk.imports import geo, isatab, omero

    if omero.is_pack(source):
        return omero.read_pack(source, out_dir)
    if omero.is_packed_archive(source):
        raise ValueError(f"{source.name}: unpack the omero-cli-transfer pack first (tar xf / unzip), "
                         "then import its folder")
    if source.is_dir():
        investigations = sorted(source.glob("i_*.txt"))
        if len(investigations) != 1:
            raise ValueError(f"{source} holds {len(investigations)} ISA-Tab investigation files (i_*.txt); "
                             "name the one to import")
        return isatab.read_investigation(investigations[0])
    name = source.name.lower()
    if name.startswith("i_") and name.endswith(".txt"):
        return isatab.read_investigation(source)
    if name.endswith((".xlsx", ".xlsm")) and geo.is_geo_workbook(source):
        return geo.read_workbook(source)
    from depositdesk.imports import sra

    if sra.is_sra_source(source):
        return sra.read_sheets(source)
    raise ValueError(f"{source.name} is not an ISA-Tab investigation (i_*.txt), a GEO metadata workbook, "
                     "an SRA_data sheet or a BioSample sheet")


def run_import(args: argparse.Namespace) -> int:
    from depositdesk.magetab.errors import ProjectError
    from depositdesk.magetab.project import Project

    source, out_dir = Path(args.source), Path(args.out_dir)
    if not source.exists():
        return _fail(f"no such file or folder: {source}", args.output)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        return _fail(f"{out_dir} is not an empty folder: give a new folder for the project", args.output)
    try:
        imported = read_source(source, out_dir)
    except (ValueError, OSError) as exc:
        return _fail(str(exc), args.output)
    if not imported.sdrfs:
        _print(imported.findings, None, args.output)
        return 1
    try:
        project = Project.create(out_dir, imported.idf, imported.sdrfs)
    except (ProjectError, OSError) as exc:
        return _fail(f"the project could not be written: {exc}", args.output)
    from depositdesk.imports import omero

    if omero.is_pack(source):  # the REMBI section from the images, now that the project exists
        imported.findings += omero.finish(project)
    _print(imported.findings, project.idf_path, args.output)
    return 1 if has_errors(imported.findings) else 0


def _print(findings: list[Finding], idf_path: Path | None, output: str) -> None:
    if output == "json":
        print(json.dumps({"project": str(idf_path) if idf_path else None,
                          "findings": [f.to_dict() for f in findings]}, indent=2))
        return
    for item in findings:
        print(item.describe())
    where = f"project written: {idf_path}" if idf_path else "nothing imported"
    print(f"{where} ({summarize(findings)})")
