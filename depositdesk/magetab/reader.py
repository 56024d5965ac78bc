"""Reading an SDRF tolerantly: ragged rows, trailing tabs, encodings, quotes — read and reported."""

from __future__ import annotations

from pathlib import Path

from depositdesk.findings import Finding, FindingCollector, Location, finding
from depositdesk.magetab import codes
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.grammar import header_findings
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.magetab.textio import Table, read_table


def read_sdrf(path: Path) -> tuple[Sdrf, list[Finding]]:
    """The SDRF at ``path`` and what was odd about it. Raises ProjectError if it is not a table."""
    table = read_table(path)
    return sdrf_from_table(table, path, path.name)


def sdrf_from_table(table: Table, path: Path | None, name: str) -> tuple[Sdrf, list[Finding]]:
    """Build the document from split cells (shared by the text and the Excel readers)."""
    if not table.rows:
        raise ProjectError(f"{name} has no header line")
    header = [h.strip() for h in table.rows[0]]
    while header and header[-1] == "":
        header.pop()
    if not header:
        raise ProjectError(f"{name} has an empty header line")
    collector = FindingCollector()
    collector.extend(table.findings)
    rows = _fit_rows(table, header, name, collector)
    sdrf = Sdrf(header, [], path)
    sdrf.rows = rows
    collector.extend(header_findings(sdrf, name, table.lines[0]))
    if not rows:
        collector.add(finding(codes.SDRF_EMPTY, location=Location(file=name)))
    return sdrf, collector.finish()


def _fit_rows(table: Table, header: list[str], name: str, collector: FindingCollector) -> list[list[str]]:
    """Rows of exactly the header's width. Extra filled cells get new (empty) headings."""
    width = len(header)
    rows = table.rows[1:]
    for i, row in enumerate(rows):
        n = len(row)
        if n == width:
            continue
        if n > width:
            extra = row[width:]
            if any(cell.strip() for cell in extra):
                last = max(j for j, cell in enumerate(extra) if cell.strip()) + 1
                collector.add(finding(codes.SDRF_ROW_LONG,
                                      f"Row {i + 1} has {width + last} cells but the header has {width}",
                                      Location(file=name, line=table.lines[i + 1], row=i + 1)))
                header.extend([""] * last)
                width = len(header)
            del row[width:]
        if len(row) < width and i + 1 not in table.trimmed:
            collector.add(finding(codes.SDRF_ROW_SHORT,
                                  f"Row {i + 1} has {len(row)} cells; the header has {width}",
                                  Location(file=name, line=table.lines[i + 1], row=i + 1)))
    for row in rows:  # a later widening of the header pads earlier rows too
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return rows
