"""Reading an IDF tolerantly: spelling variants of field names, duplicates, quoting, encodings."""

from __future__ import annotations

from pathlib import Path

from depositdesk.findings import Finding, FindingCollector, Location, finding
from depositdesk.magetab import codes
from depositdesk.magetab.idf import Idf, IdfLine, canonical_field, field_key
from depositdesk.magetab.textio import Table, read_table


def read_idf(path: Path) -> tuple[Idf, list[Finding]]:
    """The IDF at ``path`` and what was odd about it. Raises ProjectError if it is not text."""
    return idf_from_table(read_table(path), path, path.name)


def idf_from_table(table: Table, path: Path | None, name: str) -> tuple[Idf, list[Finding]]:
    collector = FindingCollector()
    collector.extend(table.findings)
    lines: list[IdfLine] = []
    seen: dict[str, int] = {}
    for cells, number in zip(table.rows, table.lines):
        raw = cells[0].strip()
        values = [c.strip() for c in cells[1:]]
        while values and values[-1] == "":
            values.pop()
        if not raw:
            continue
        where = Location(file=name, line=number, column=1)
        canonical, known = canonical_field(raw)
        _note_name(collector, raw, canonical, known, where)
        key = field_key(canonical)
        if key in seen and not key.startswith("comment["):
            collector.add(finding(codes.IDF_FIELD_DUPLICATE,
                                  f"'{canonical}' appears again (first on line {seen[key]})", where))
        seen.setdefault(key, number)
        lines.append(IdfLine(canonical, values))
    return Idf(lines, path), collector.finish()


def _note_name(collector: FindingCollector, raw: str, canonical: str, known: bool,
               where: Location) -> None:
    if not known:
        collector.add(finding(codes.IDF_FIELD_UNKNOWN, f"'{raw}' is not an IDF field of MAGE-TAB", where))
    elif raw != canonical and not canonical.startswith("Comment["):
        collector.add(finding(codes.IDF_FIELD_SPELLING,
                              f"'{raw}' is read as '{canonical}'", where))
