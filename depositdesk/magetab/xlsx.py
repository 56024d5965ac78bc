"""IDF and SDRF in an Excel workbook, every cell kept as text.

Excel turns "SEPT2" and "MARCH1" into dates, "1.10" into 1.1 and "007" into 7
unless a cell is text. Writing: every cell is a string cell with number
format '@' (Text), and a value starting with '=' stays a string, not a
formula. Reading: text cells come back as they are; a cell Excel stored as a
number is written back the way a person would type it (7, not 7.0; 1.1 by
its shortest form), a real date as YYYY-MM-DD.

Which sheet is what is decided by content: a sheet whose first column holds
IDF field names is the IDF; a sheet whose first row has node columns is an
SDRF (several SDRF sheets follow the IDF's "SDRF File" order).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

from depositdesk.findings import Finding
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.idf_reader import idf_from_table
from depositdesk.magetab.reader import sdrf_from_table
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.magetab.textio import Table, atomic_write

TEXT_FORMAT = "@"
SHEET_NAME_MAX = 31


def cell_text(value: object) -> str:
    """A cell value as the text a person typed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path) -> tuple[Idf | None, list[Sdrf], list[Finding]]:
    """The IDF (if a sheet is one) and the SDRF sheets of a workbook, with reading findings."""
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():  # openpyxl warns about Excel features it drops (data validation ...)
            warnings.simplefilter("ignore", UserWarning)
            book = load_workbook(path, read_only=True, data_only=True)
    except DAMAGED as exc:
        raise _damaged(path, exc) from exc
    try:
        return _read_sheets(path, book)
    except DAMAGED as exc:
        raise _damaged(path, exc) from exc
    finally:
        with contextlib.suppress(*DAMAGED):
            book.close()


# What openpyxl, zipfile, zlib and lxml raise on a damaged workbook (lxml's XMLSyntaxError and
# ElementTree's ParseError are SyntaxErrors); read anywhere in a workbook, they make one clear error.
DAMAGED = (OSError, EOFError, zipfile.BadZipFile, zlib.error, SyntaxError, KeyError, IndexError,
           TypeError, ValueError, AttributeError, OverflowError, RecursionError)


def _damaged(path: Path, exc: BaseException) -> ProjectError:
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return ProjectError(f"{path} is not a readable Excel workbook (it is damaged: {detail})")


def _read_sheets(path: Path, book) -> tuple[Idf | None, list[Sdrf], list[Finding]]:
    from depositdesk.magetab.opening import sniff_table

    idf: Idf | None = None
    sdrfs: list[Sdrf] = []
    notes: list[Finding] = []
    for sheet in book.worksheets:
        with warnings.catch_warnings():  # read-only sheets warn while they are read
            warnings.simplefilter("ignore", UserWarning)
            table = _sheet_table(sheet)
        label = f"{path.name} [{sheet.title}]"
        kind = sniff_table(table) if table.rows else None
        if kind == "idf" and idf is None:
            idf, more = idf_from_table(table, None, label)
            notes.extend(more)
        elif kind == "sdrf":
            sdrf, more = sdrf_from_table(table, None, label)
            sdrfs.append(sdrf)
            notes.extend(more)
    if idf is None and not sdrfs:
        raise ProjectError(f"{path} has no sheet that is an IDF or an SDRF")
    return idf, sdrfs, notes


def _sheet_table(sheet) -> Table:
    rows: list[list[str]] = []
    lines: list[int] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(v) for v in values]
        if any(cells):
            rows.append(cells)
            lines.append(number)
    return Table(rows, lines, [])


def write_xlsx(path: Path, idf: Idf | None, sdrfs: Sequence[Sdrf]) -> None:
    """A workbook with an 'IDF' sheet and one sheet per SDRF, every cell text (atomic)."""
    import io

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    if idf is not None:
        _write_sheet(book, _unique_title("IDF", used), [[line.name, *line.values] for line in idf.lines])
    for i, sdrf in enumerate(sdrfs):
        stem = sdrf.path.name.split(".sdrf")[0] if sdrf.path is not None else f"SDRF {i + 1}"
        _write_sheet(book, _unique_title(stem or f"SDRF {i + 1}", used), [sdrf.header, *sdrf.rows])
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(Path(path), buffer.getvalue())


def _write_sheet(book, title: str, rows: Sequence[Sequence[str]]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet = book.create_sheet(title)
    for row in rows:
        out = []
        for value in row:
            if value and ILLEGAL_CHARACTERS_RE.search(value):   # control characters Excel cannot hold
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell = WriteOnlyCell(sheet, value=value or None)
            if value:
                cell.data_type = "s"          # never a formula, never a number or a date
            cell.number_format = TEXT_FORMAT
            out.append(cell)
        sheet.append(out)


def _unique_title(name: str, used: set[str]) -> str:
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:SHEET_NAME_MAX] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title
