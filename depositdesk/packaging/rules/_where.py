"""Walking a project's metadata cells with their locations (shared by the cross-target rules).

Column work is shared within one check: `check_targets` runs its targets and rules inside
`shared_work()`, where a column's values, its distinct-value counts, its stripped values and the
project's named files are computed once however many rules ask (outside it, each call computes).
The documents must not change during a shared check (the app checks a snapshot in the GUI thread).
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from operator import itemgetter
from typing import Any, TypeVar

from depositdesk.findings import Location
from depositdesk.magetab.project import Project, is_uri
from depositdesk.magetab.sdrf import Sdrf

T = TypeVar("T")
_SHARED: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("shared_work", default=None)


@contextmanager
def shared_work() -> Iterator[None]:
    """Compute each column's values once while inside (nested uses share the outer one).

    The cyclic garbage collector is paused meanwhile: the checks make many small objects and none
    with cycles, and each collection would walk every cell of a 50,000-row table (a third of the time).
    """
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        _SHARED.reset(token)


def shared(key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``, computed once per ``key`` inside `shared_work` (keys hold id() of live documents)."""
    memo = _SHARED.get()
    if memo is None:
        return make()
    try:
        return memo[key]   # type: ignore[no-any-return]
    except KeyError:
        value = memo[key] = make()
        return value


def sdrf_name(sdrf: Sdrf) -> str:
    return sdrf.path.name if sdrf.path is not None else "SDRF"


def cell(sdrf: Sdrf, r: int, c: int) -> Location:
    """The location of 0-based cell (r, c), written 1-based as every Location is."""
    return Location(file=sdrf_name(sdrf), row=r + 1, column=c + 1, column_name=sdrf.header[c])


def _transposed(sdrf: Sdrf) -> list[tuple[str, ...]]:
    width = len(sdrf.header)
    if not sdrf.rows:
        return [() for _ in range(width)]
    columns = list(zip(*sdrf.rows, strict=False))
    if len(columns) == width and all(len(row) == width for row in sdrf.rows):
        return columns
    return [tuple(row[c] if c < len(row) else "" for row in sdrf.rows) for c in range(width)]


def column(sdrf: Sdrf, c: int) -> tuple[str, ...]:
    """Column c's cells, as written (one per row)."""
    return shared(("columns", id(sdrf)), lambda: _transposed(sdrf))[c]


def stripped(sdrf: Sdrf, c: int) -> list[str]:
    """Column c's cells without surrounding spaces."""
    return shared(("stripped", id(sdrf), c), lambda: [v.strip() for v in column(sdrf, c)])


def column_counts(sdrf: Sdrf, c: int) -> dict[str, int]:
    """Distinct values of column c and how often each occurs (checks run once per distinct value).

    Shared: do not change the dict returned.
    """
    return shared(("counts", id(sdrf), c), lambda: Counter(column(sdrf, c)))


def named_files(project: Project) -> list[tuple[str, str, int, int, str]]:
    """`Project.named_files` (each distinct local file where first named), once per shared check."""
    return shared(("named_files", id(project)), lambda: _named_files(project))


def _named_files(project: Project) -> list[tuple[str, str, int, int, str]]:
    """As `Project.named_files`, judging each distinct value of a column once."""
    seen: dict[str, tuple[str, str, int, int, str]] = {}
    for sdrf in project.sdrfs:
        name = sdrf_name(sdrf)
        for c in sdrf.find_columns("file"):
            values = stripped(sdrf, c)
            first = dict(zip(reversed(values), range(len(values) - 1, -1, -1), strict=True))
            for value, r in sorted(first.items(), key=itemgetter(1)):
                if value and value not in seen and not is_uri(value):
                    seen[value] = (value, name, r, c, sdrf.header[c])
    return list(seen.values())


def rows_with(sdrf: Sdrf, c: int, values: Collection[str]) -> Iterator[tuple[int, str]]:
    """(0-based row, value) of the rows whose column c holds one of ``values``."""
    if not values:
        return
    for r, value in enumerate(column(sdrf, c)):
        if value in values:
            yield r, value


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
