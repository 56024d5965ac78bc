"""Every edit of an SDRF or IDF document as a plain command object (no Qt here).

A command remembers row and column *numbers* and *values*, never a
``QModelIndex``: indexes go stale as soon as a row moves, numbers replayed on
the document in reverse order do not (glue's ``core/command.py`` habit). The
Qt undo stack only wraps these objects (`depositdesk.widgets.undo`).

``redo()`` applies the edit (and is what "do" means the first time); ``undo()``
restores exactly what was there before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf

Cell = tuple[int, int, str]


class EditCommand(Protocol):
    text: str

    def redo(self) -> None: ...

    def undo(self) -> None: ...


@dataclass
class SetCells:
    """Change any number of cells in one step (typing, paste, fill, replace, term choice)."""

    sdrf: Sdrf
    changes: list[Cell]
    text: str = "Edit cells"
    _old: list[Cell] = field(default_factory=list, repr=False)

    def redo(self) -> None:
        self._old = self.sdrf.set_cells(self.changes)

    def undo(self) -> None:
        self.sdrf.set_cells(self._old)


@dataclass
class SetBlock:
    """A pasted block: source row ``rows[i]`` gets ``values[i]`` from column ``left`` on (at most
    ``width`` cells). Its cell list is made when it is done, so a 10,000-row paste cut into steps
    costs nothing before each step runs."""

    sdrf: Sdrf
    rows: list[int]
    values: list[list[str]]
    left: int
    width: int
    text: str = "Paste"
    _old: list[Cell] = field(default_factory=list, repr=False)

    def cell_count(self) -> int:
        return sum(min(len(v), self.width) for v in self.values)

    def changes(self) -> list[Cell]:
        left, width = self.left, self.width
        return [(row, left + j, value) for row, values in zip(self.rows, self.values)
                for j, value in enumerate(values[:width])]

    def redo(self) -> None:
        self._old = self.sdrf.set_cells(self.changes())

    def undo(self) -> None:
        self.sdrf.set_cells(self._old)


@dataclass
class InsertRows:
    sdrf: Sdrf
    at: int
    rows: list[list[str]]
    text: str = "Insert rows"

    def redo(self) -> None:
        self.sdrf.insert_rows(self.at, self.rows)

    def undo(self) -> None:
        self.sdrf.remove_rows(self.at, len(self.rows))


@dataclass
class RemoveRows:
    sdrf: Sdrf
    at: int
    count: int
    text: str = "Delete rows"
    _removed: list[list[str]] = field(default_factory=list, repr=False)

    def redo(self) -> None:
        self._removed = self.sdrf.remove_rows(self.at, self.count)

    def undo(self) -> None:
        self.sdrf.insert_rows(self.at, self._removed)


def undo_move(first: int, count: int, dest: int) -> tuple[int, int, int]:
    """The move that puts rows back, in Qt's ``beginMoveRows`` numbering (dest = row before which)."""
    if dest > first:
        return dest - count, count, first
    return dest, count, first + count


@dataclass
class MoveRows:
    sdrf: Sdrf
    first: int
    count: int
    dest: int
    text: str = "Move rows"

    def redo(self) -> None:
        self.sdrf.move_rows(self.first, self.count, self.dest)

    def undo(self) -> None:
        self.sdrf.move_rows(*undo_move(self.first, self.count, self.dest))


@dataclass
class InsertColumns:
    """New columns, e.g. ``Characteristics[organism]`` with its two companions, in one step."""

    sdrf: Sdrf
    at: int
    headers: list[str]
    values: list[list[str]] | None = None
    text: str = "Insert columns"

    def redo(self) -> None:
        self.sdrf.insert_columns(self.at, self.headers, self.values)

    def undo(self) -> None:
        self.sdrf.remove_columns(self.at, len(self.headers))


@dataclass
class RemoveColumns:
    sdrf: Sdrf
    at: int
    count: int
    text: str = "Delete columns"
    _headers: list[str] = field(default_factory=list, repr=False)
    _values: list[list[str]] = field(default_factory=list, repr=False)

    def redo(self) -> None:
        self._headers, self._values = self.sdrf.remove_columns(self.at, self.count)

    def undo(self) -> None:
        self.sdrf.insert_columns(self.at, self._headers, self._values)


@dataclass
class MoveColumn:
    """Move one column (with its cells) so that it ends up at index ``to``."""

    sdrf: Sdrf
    column: int
    to: int
    text: str = "Move column"

    def _move(self, src: int, dst: int) -> None:
        headers, values = self.sdrf.remove_columns(src, 1)
        self.sdrf.insert_columns(dst, headers, values)

    def redo(self) -> None:
        self._move(self.column, self.to)

    def undo(self) -> None:
        self._move(self.to, self.column)


@dataclass
class SetHeader:
    sdrf: Sdrf
    column: int
    header: str
    text: str = "Rename column"
    _old: str = ""

    def redo(self) -> None:
        self._old = self.sdrf.set_header(self.column, self.header)

    def undo(self) -> None:
        self.sdrf.set_header(self.column, self._old)


@dataclass
class SetIdfField:
    """One IDF field (a row of the IDF: name + values), e.g. ``Investigation Title``."""

    idf: Idf
    name: str
    values: list[str]
    text: str = "Edit investigation"
    _old: list[str] = field(default_factory=list, repr=False)

    def redo(self) -> None:
        self._old = list(self.idf.get(self.name))
        self.idf.set(self.name, self.values)

    def undo(self) -> None:
        self.idf.set(self.name, self._old)


@dataclass
class SetIdfRecords:
    """All records of a multi-valued IDF section (people, protocols, ...) in one step."""

    idf: Idf
    section: str
    records: list[dict[str, str]]
    text: str = "Edit records"
    _old: list[dict[str, str]] = field(default_factory=list, repr=False)

    def redo(self) -> None:
        self._old = [dict(r) for r in self.idf.records(self.section)]
        self.idf.set_records(self.section, self.records)

    def undo(self) -> None:
        self.idf.set_records(self.section, self._old)


@dataclass
class Macro:
    """Several commands as one undo step (paste that grows rows, drop files that add rows)."""

    commands: list[EditCommand]
    text: str = "Edit"

    def redo(self) -> None:
        for command in self.commands:
            command.redo()

    def undo(self) -> None:
        for command in reversed(self.commands):
            command.undo()
