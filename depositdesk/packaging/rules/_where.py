"""Walking a project's metadata cells with their locations (shared by the cross-target rules)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator

from depositdesk.findings import Location
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf


def sdrf_name(sdrf: Sdrf) -> str:
    return sdrf.path.name if sdrf.path is not None else "SDRF"


def cell(sdrf: Sdrf, r: int, c: int) -> Location:
    """The location of 0-based cell (r, c), written 1-based as every Location is."""
    return Location(file=sdrf_name(sdrf), row=r + 1, column=c + 1, column_name=sdrf.header[c])


def column_counts(sdrf: Sdrf, c: int) -> dict[str, int]:
    """Distinct values of column c and how often each occurs (checks run once per distinct value)."""
    return Counter(row[c] for row in sdrf.rows)


def rows_with(sdrf: Sdrf, c: int, values: Collection[str]) -> Iterator[tuple[int, str]]:
    """(0-based row, value) of the rows whose column c holds one of ``values``."""
    if not values:
        return
    for r, row in enumerate(sdrf.rows):
        if row[c] in values:
            yield r, row[c]


def cells(sdrf: Sdrf) -> Iterator[tuple[int, int, str]]:
    """(row, column, value) of every non-empty cell, 0-based."""
    for r, row in enumerate(sdrf.rows):
        for c, value in enumerate(row):
            if value:
                yield r, c, value


def idf_values(project: Project) -> Iterator[tuple[Location, str, str]]:
    """(location, field name, value) of every non-empty IDF value."""
    name = project.idf_path.name
    for number, line in enumerate(project.idf.lines, start=1):
        for i, value in enumerate(line.values, start=2):
            if value:
                yield Location(file=name, line=number, column=i, column_name=line.name), line.name, value
