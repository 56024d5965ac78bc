"""``depositdesk report PROJECTS... --by assay,organism,stage``: counts for a funder or a facility.

Folders are searched for projects (folders holding an *.idf.txt). Values are
grouped through the ontology indexes already built on this machine (the
report never builds one: ``depositdesk ontology build`` does); ``--under
ACCESSION`` (repeatable) counts every term below that term as that term.
Output: a text table (default), ``--format tsv``, ``xlsx`` or ``html`` (a
table with a bar per row) written to ``--output FILE`` or printed.
Exit: 0, or 2 when it could not run.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from pathlib import Path
from typing import Any

from depositdesk.reports.counting import DIMENSIONS, Report, count


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report", help="count data sets, samples, files and bytes per assay, organism, stage, tissue ...",
        description=__doc__.split("\n\n")[1] if __doc__ else None)
    parser.add_argument("paths", nargs="+", type=Path, metavar="PROJECT_OR_FOLDER")
    parser.add_argument("--by", default="assay,organism", metavar="DIMS",
                        help=f"comma-separated, from: {', '.join(DIMENSIONS)} (default: assay,organism)")
    parser.add_argument("--under", action="append", default=[], metavar="ACCESSION",
                        help="count every term below this term as this term (repeatable)")
    parser.add_argument("--format", choices=("text", "tsv", "xlsx", "html", "json"), default="text",
                        dest="output")
    parser.add_argument("--output", "-o", type=Path, dest="out_file", metavar="FILE",
                        help="write the report here (required for xlsx)")
    parser.add_argument("--no-ontology", action="store_true", help="count values as typed")
    parser.set_defaults(func=run_report)


def _fail(message: str) -> int:
    print(f"depositdesk report: {message}", file=sys.stderr)
    return 2


def run_report(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        return _fail(f"no such file or folder: {missing[0]}")
    if args.output == "xlsx" and args.out_file is None:
        return _fail("--format xlsx needs --output FILE.xlsx")
    by = [d.strip() for d in args.by.split(",") if d.strip()]
    service = None
    if not args.no_ontology:
        from depositdesk.ontology.service import TermService

        service = TermService()
    try:
        report = count(args.paths, by, service, args.under)
    except ValueError as exc:
        return _fail(str(exc))
    if args.output == "xlsx":
        write_xlsx(report, args.out_file)
        return 0
    text = {"text": render_text, "tsv": render_tsv, "html": render_html, "json": render_json}[args.output](report)
    if args.out_file:
        args.out_file.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    for path, why in report.skipped:
        print(f"depositdesk report: {path} was not counted: {why}", file=sys.stderr)
    return 0


def render_tsv(report: Report) -> str:
    lines = ["\t".join(report.header())]
    lines += ["\t".join(str(v) for v in row) for row in report.rows()]
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    return json.dumps({"projects": report.projects, "by": report.dimensions,
                       "rows": [dict(zip(report.header(), row, strict=False)) for row in report.rows()],
                       "skipped": [{"path": p, "why": w} for p, w in report.skipped]}, indent=2) + "\n"


def render_text(report: Report) -> str:
    header = report.header()
    rows = [[f"{v:,}" if isinstance(v, int) else str(v) for v in row] for row in report.rows()]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(v.ljust(w) if i < len(report.dimensions) else v.rjust(w)
                               for i, (v, w) in enumerate(zip(row, widths, strict=False))))
    lines.append(f"{report.projects:,} projects counted")
    return "\n".join(lines) + "\n"


def render_html(report: Report) -> str:
    most = max((len(g.projects) for g in report.groups), default=1) or 1
    head = "".join(f"<th>{html.escape(h)}</th>" for h in report.header()) + "<th></th>"
    body = []
    for group, row in zip(report.groups, report.rows(), strict=False):
        cells = "".join(f"<td>{html.escape(f'{v:,}' if isinstance(v, int) else str(v))}</td>" for v in row)
        width = round(200 * len(group.projects) / most)
        body.append(f"<tr>{cells}<td><div class='bar' style='width:{width}px'></div></td></tr>")
    title = "Data sets by " + ", ".join(report.dimensions)
    return ("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>" + html.escape(title) + "</title>"
            "<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:left}"
            ".bar{height:12px;background:#3a7bd5}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{report.projects:,} projects</p>"
            f"<table><tr>{head}</tr>{''.join(body)}</table></body></html>\n")


def write_xlsx(report: Report, path: Path) -> None:
    import openpyxl
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Report"
    sheet.append(report.header())
    for row in report.rows():
        sheet.append(row)
    dims = len(report.dimensions)
    if report.groups:
        chart = BarChart()
        chart.title = "Data sets"
        chart.add_data(Reference(sheet, min_col=dims + 1, min_row=1, max_row=len(report.groups) + 1),
                       titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, max_col=dims, min_row=2,
                                       max_row=len(report.groups) + 1))
        sheet.add_chart(chart, f"{chr(ord('A') + dims + 5)}2")
    book.save(path)
