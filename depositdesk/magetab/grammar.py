"""Findings about the SDRF header alone: headings the grammar does not know, typos, orphans.

Run on reading and again by `check_project` on the header as edited, so a
fixed heading stops being reported without re-reading the file.
"""

from __future__ import annotations

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab import codes
from depositdesk.magetab.columns import parse_heading
from depositdesk.magetab.sdrf import Sdrf

_PROBLEM_CODES = {
    "unknown": codes.SDRF_HEADING_UNKNOWN,
    "empty": codes.SDRF_HEADING_EMPTY,
    "bracket_empty": codes.SDRF_BRACKET_EMPTY,
    "unit_bare": codes.SDRF_UNIT_BARE,
}


def header_findings(sdrf: Sdrf, file: str | None, line: int | None = 1) -> list[Finding]:
    """Grammar findings of the header, each located at its column (1-based)."""
    out: list[Finding] = []
    for c, text in enumerate(sdrf.header):
        where = Location(file=file, line=line, column=c + 1, column_name=text)
        out.extend(_heading_findings(sdrf, c, text, where))
    out.extend(_node_findings(sdrf, file, line))
    return out


def _heading_findings(sdrf: Sdrf, c: int, text: str, where: Location) -> list[Finding]:
    heading = parse_heading(text)
    out = []
    if heading.typo:
        out.append(finding(codes.SDRF_HEADING_TYPO,
                           f"Column heading '{text}' is a misspelling of '{heading.canonical}'", where,
                           f"Rename the column to '{heading.canonical}'; peer tools (validate_magetab.pl, "
                           "Annotare) reject the misspelt heading."))
    if heading.problem:
        message = f"Column heading '{text}' is not part of the SDRF grammar"
        if heading.problem == "empty":
            message = f"Column {c + 1} has no heading"
        elif heading.problem == "unit_bare":
            message = "A 'Unit' column has no unit type, e.g. Unit[time unit]"
        elif heading.problem == "bracket_empty":
            message = f"Column heading '{text}' names nothing between its brackets"
        out.append(finding(_PROBLEM_CODES[heading.problem], message, where))
    col = sdrf.column(c)
    if col.kind in ("term_source_ref", "term_accession", "unit") and col.attached_to is None \
            and heading.problem is None:
        out.append(finding(codes.SDRF_ORPHAN_QUALIFIER,
                           f"'{text}' in column {c + 1} follows no column it could qualify", where))
    return out


def _node_findings(sdrf: Sdrf, file: str | None, line: int | None) -> list[Finding]:
    kinds = [col.kind for col in sdrf.columns]
    if not kinds:
        return [finding(codes.SDRF_NO_NODE, "The SDRF has no columns", Location(file=file, line=line))]
    if "node" not in kinds:
        return [finding(codes.SDRF_NO_NODE, location=Location(file=file, line=line))]
    if kinds[0] not in ("node", "file"):
        return [finding(codes.SDRF_FIRST_NOT_NODE,
                        f"The first column is '{sdrf.header[0]}', not a node such as Source Name",
                        Location(file=file, line=line, column=1, column_name=sdrf.header[0]))]
    return []
