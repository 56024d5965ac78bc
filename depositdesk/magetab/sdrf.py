"""The SDRF as a document: a header and rows of text, edited only through methods that notify.

The grid model of the app adapts this document: every edit calls each
listener twice, ``listener("before", change)`` then ``listener("after",
change)``, which maps one to one on Qt's ``beginInsertRows``/``endInsertRows``
and friends. Edits return what they replaced, so an undo command is just the
inverse edit with the returned values.

Everything is text: a cell is a ``str`` exactly as written (never a number,
never a date), so "SEPT2", "1.10" and "007" stay what the scientist typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from depositdesk.findings import Finding
from depositdesk.magetab.columns import attach_qualifiers, parse_heading
from depositdesk.magetab.textio import atomic_write, format_rows


@dataclass(frozen=True)
class SdrfColumn:
    """What one column is, by the MAGE-TAB grammar."""

    header: str
    kind: str
    name: str
    attached_to: int | None


@dataclass(frozen=True)
class SdrfChange:
    """One edit, as listeners see it (row/column numbers are 0-based indexes)."""

    kind: str
    first: int = 0
    count: int = 0
    dest: int = 0
    cells: tuple[tuple[int, int], ...] = ()


Listener = Callable[[str, SdrfChange], None]

SDRF_COLUMN_CHOICES: list[str] = [
    "Characteristics[…]", "Factor Value[…]", "Parameter Value[…]", "Comment[…]", "Unit[…]",
    "Term Source REF", "Term Accession Number", "Protocol REF",
    "Source Name", "Sample Name", "Extract Name", "Labeled Extract Name", "Assay Name",
    "Hybridization Name", "Scan Name", "Normalization Name",
    "Array Data File", "Derived Array Data File", "Array Data Matrix File",
    "Derived Array Data Matrix File", "Image File", "Comment[FASTQ_URI]",
    "Comment[SUBMITTED_FILE_NAME]", "Array Design REF", "Array Design File",
    "Material Type", "Label", "Technology Type", "Performer", "Date", "Provider", "Description",
]


class Sdrf:
    """A sample and data relationship table: ``header`` and ``rows``, all text, all rows full width."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[str]] = (),
                 path: Path | None = None) -> None:
        self.path = path
        self.header: list[str] = [str(h) for h in header]
        width = len(self.header)
        self.rows: list[list[str]] = [_fit(r, width) for r in rows]
        self._listeners: list[Listener] = []
        self._columns: list[SdrfColumn] | None = None

    # --- reading and writing -------------------------------------------------------------------
    @classmethod
    def read(cls, path: Path) -> tuple[Sdrf, list[Finding]]:
        """Read tolerantly; each oddity becomes a finding. Raises ProjectError if not text at all."""
        from depositdesk.magetab.reader import read_sdrf

        return read_sdrf(Path(path))

    def write(self, path: Path | None = None) -> None:
        """Write canonical tab-delimited UTF-8, atomically (the data files are never touched)."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("this SDRF has no path to be written to")
        atomic_write(target, self.to_text())

    def to_text(self) -> str:
        return format_rows([self.header, *self.rows], rectangular=True)

    def copy(self) -> Sdrf:
        """An independent copy (no listeners), e.g. for a worker to check while editing goes on."""
        twin = Sdrf(self.header, [], self.path)
        twin.rows = [list(row) for row in self.rows]
        return twin

    # --- the grammar -------------------------------------------------------------------------
    @property
    def columns(self) -> list[SdrfColumn]:
        if self._columns is None:
            headings = [parse_heading(h) for h in self.header]
            attached = attach_qualifiers([h.kind for h in headings])
            self._columns = [SdrfColumn(h.canonical, h.kind, h.name, a)
                             for h, a in zip(headings, attached)]
        return self._columns

    def column(self, c: int) -> SdrfColumn:
        return self.columns[c]

    def companions(self, c: int) -> tuple[int | None, int | None]:
        """(Term Source REF column, Term Accession Number column) that qualify column ``c``."""
        source = accession = None
        for i in range(c + 1, len(self.header)):
            col = self.columns[i]
            if col.kind == "unit" and col.attached_to == c:
                continue
            if col.attached_to != c or col.kind not in ("term_source_ref", "term_accession"):
                break
            if col.kind == "term_source_ref" and source is None:
                source = i
            elif col.kind == "term_accession" and accession is None:
                accession = i
        return source, accession

    def find_columns(self, kind: str, name: str | None = None) -> list[int]:
        """Columns of a kind (and a name, compared case-insensitively)."""
        wanted = name.strip().lower() if name is not None else None
        return [c for c, col in enumerate(self.columns)
                if col.kind == kind and (wanted is None or col.name.strip().lower() == wanted)]

    def canonicalize_headings(self) -> list[tuple[int, str]]:
        """Rewrite headings in their standard form (typos fixed, spacing and case as MAGE-TAB writes them).

        Returns (column, old heading) for each change, through `set_header` so listeners hear each one.
        Unknown headings are left alone.
        """
        changed = []
        for c, col in enumerate(list(self.columns)):
            if col.kind != "unknown" and col.header and col.header != self.header[c]:
                changed.append((c, self.set_header(c, col.header)))
        return changed

    def column_values(self, c: int) -> list[str]:
        return [row[c] for row in self.rows]

    # --- listeners ---------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, phase: str, change: SdrfChange) -> None:
        for listener in list(self._listeners):
            listener(phase, change)

    # --- edits -------------------------------------------------------------------------------
    def set_cells(self, changes: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """Set cells; returns the old values in the same shape (feed them back to undo)."""
        for r, c, _ in changes:
            self._check_cell(r, c)
        change = SdrfChange("cells", cells=tuple((r, c) for r, c, _ in changes))
        self._notify("before", change)
        old = []
        for r, c, value in changes:
            old.append((r, c, self.rows[r][c]))
            self.rows[r][c] = "" if value is None else str(value)
        self._notify("after", change)
        return old

    def insert_rows(self, at: int, rows: Sequence[Sequence[str]]) -> None:
        self._check_index(at, len(self.rows) + 1, "row")
        width = len(self.header)
        new = [_fit(r, width) for r in rows]
        change = SdrfChange("rows_inserted", first=at, count=len(new))
        self._notify("before", change)
        self.rows[at:at] = new
        self._notify("after", change)

    def remove_rows(self, at: int, count: int) -> list[list[str]]:
        self._check_range(at, count, len(self.rows), "row")
        change = SdrfChange("rows_removed", first=at, count=count)
        self._notify("before", change)
        removed = self.rows[at:at + count]
        del self.rows[at:at + count]
        self._notify("after", change)
        return removed

    def move_rows(self, first: int, count: int, dest: int) -> None:
        """Move rows ``first..first+count-1`` before row ``dest`` (indexes before the move, as Qt)."""
        self._check_range(first, count, len(self.rows), "row")
        self._check_index(dest, len(self.rows) + 1, "row")
        if first <= dest <= first + count:
            raise IndexError("rows cannot be moved into themselves")
        change = SdrfChange("rows_moved", first=first, count=count, dest=dest)
        self._notify("before", change)
        block = self.rows[first:first + count]
        del self.rows[first:first + count]
        at = dest - count if dest > first else dest
        self.rows[at:at] = block
        self._notify("after", change)

    def insert_columns(self, at: int, headers: Sequence[str],
                       values: Sequence[Sequence[str]] | None = None) -> None:
        """Insert columns; ``values[i]`` holds the cells of new column i (empty when None)."""
        self._check_index(at, len(self.header) + 1, "column")
        n = len(self.rows)
        cells = [_fit(values[i], n) if values is not None else [""] * n for i in range(len(headers))]
        change = SdrfChange("columns_inserted", first=at, count=len(headers))
        self._notify("before", change)
        self.header[at:at] = [str(h) for h in headers]
        for r, row in enumerate(self.rows):
            row[at:at] = [col[r] for col in cells]
        self._columns = None
        self._notify("after", change)

    def remove_columns(self, at: int, count: int) -> tuple[list[str], list[list[str]]]:
        """Remove columns; returns (headings, column-wise cells) for an undo."""
        self._check_range(at, count, len(self.header), "column")
        change = SdrfChange("columns_removed", first=at, count=count)
        self._notify("before", change)
        headers = self.header[at:at + count]
        cells = [[row[c] for row in self.rows] for c in range(at, at + count)]
        del self.header[at:at + count]
        for row in self.rows:
            del row[at:at + count]
        self._columns = None
        self._notify("after", change)
        return headers, cells

    def set_header(self, c: int, header: str) -> str:
        self._check_index(c, len(self.header), "column")
        change = SdrfChange("header", first=c, count=1)
        self._notify("before", change)
        old = self.header[c]
        self.header[c] = str(header)
        self._columns = None
        self._notify("after", change)
        return old

    def reset(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Replace everything (journal recovery, reload from disk)."""
        change = SdrfChange("reset")
        self._notify("before", change)
        self.header = [str(h) for h in header]
        self.rows = [_fit(r, len(self.header)) for r in rows]
        self._columns = None
        self._notify("after", change)

    # --- guards ------------------------------------------------------------------------------
    def _check_cell(self, r: int, c: int) -> None:
        self._check_index(r, len(self.rows), "row")
        self._check_index(c, len(self.header), "column")

    @staticmethod
    def _check_index(i: int, limit: int, what: str) -> None:
        if not 0 <= i < limit:
            raise IndexError(f"{what} {i} is out of range (0..{limit - 1})")

    @staticmethod
    def _check_range(at: int, count: int, size: int, what: str) -> None:
        if count < 0 or at < 0 or at + count > size:
            raise IndexError(f"{what}s {at}..{at + count - 1} are out of range (size {size})")

    def __repr__(self) -> str:
        return f"Sdrf({self.path!s}, {len(self.rows)} rows × {len(self.header)} columns)"


def _fit(cells: Sequence[str], width: int) -> list[str]:
    """A row of exactly ``width`` text cells."""
    row = ["" if c is None else str(c) for c in cells[:width]]
    if len(row) < width:
        row.extend([""] * (width - len(row)))
    return row
