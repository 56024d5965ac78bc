"""Reading and writing the text of MAGE-TAB files, tolerantly in and canonically out.

In: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252; CRLF/CR
line endings; cells wrapped in double quotes; lines padded with tabs. Each
oddity is read correctly and reported once as a finding. Out: UTF-8 without
BOM, LF, tab-delimited, no quotes, written atomically.
"""

from __future__ import annotations

import csv
import gc
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab import codes
from depositdesk.magetab.errors import ProjectError

SNIFF_BYTES = 8192


@dataclass
class Table:
    """The cells of a tab-delimited file, with each row's 1-based line number."""

    rows: list[list[str]]
    lines: list[int]
    findings: list[Finding] = field(default_factory=list)
    trimmed: set[int] = field(default_factory=set)   # indices of rows whose trailing empty cells were dropped


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a ProjectError saying in one sentence why not."""
    try:
        if not path.exists():
            raise ProjectError(f"{path}: no such file or folder")
        if path.is_dir():
            raise ProjectError(f"{path} is a folder, not a MAGE-TAB file")
        return path.read_bytes()
    except OSError as exc:
        raise ProjectError(f"{path} cannot be read: {exc.strerror or exc}") from exc


def decode(data: bytes, name: str, display: str | None = None) -> tuple[str, list[Finding]]:
    """Text of a MAGE-TAB file; BOM, encoding and line endings reported as findings.

    ``name`` goes into findings; ``display`` (default ``name``) into the ProjectError
    raised for a file that is binary or empty.
    """
    where = Location(file=name)
    display = display or name
    notes: list[Finding] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
        notes.append(finding(codes.UTF16, location=where))
    else:
        if b"\x00" in data[:SNIFF_BYTES]:
            raise ProjectError(f"{display} is not a text file (it holds binary data)")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            notes.append(finding(codes.BOM, location=where))
        text = _decode_8bit(data, where, notes)
    if not text.strip():
        raise ProjectError(f"{display} is empty")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append(finding(codes.LINE_ENDINGS, location=where))
    return text, notes


def _decode_8bit(data: bytes, where: Location, notes: list[Finding]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        notes.append(finding(codes.ENCODING, location=Location(file=where.file, line=line)))
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:  # bytes 0x81, 0x8d, ... are undefined in cp1252
        return data.decode("latin-1")


def split_cells(text: str, name: str) -> Table:
    """Rows of cells. Comment lines (#) and blank lines are skipped; quotes removed.

    The cyclic garbage collector is paused meanwhile: millions of new cell strings
    would otherwise trigger it again and again for nothing (strings hold no cycles).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _split_cells(text, name)
    finally:
        if paused:
            gc.enable()


def _split_cells(text: str, name: str) -> Table:
    rows: list[list[str]] = []
    lines: list[int] = []
    notes: list[Finding] = []
    trimmed: set[int] = set()
    quoted = trailing = False
    source = text.split("\n")
    i = 0
    while i < len(source):
        line, number = source[i], i + 1
        i += 1
        if not line.strip():
            continue
        if line.startswith("#"):
            if not any(n.code == codes.COMMENT_LINE for n in notes):
                notes.append(finding(codes.COMMENT_LINE, location=Location(file=name, line=number)))
            continue
        if '"' in line:
            cells, used = _quoted_line(source, i - 1)
            i += used
            quoted = True
        elif len(line) > TRIM_CELLS_FROM and line.endswith("\t"):
            cells = line.rstrip("\t").split("\t")   # thousands of trailing tabs make no cells
            trailing = trailing or not rows or line.count("\t") >= len(rows[0])
            trimmed.add(len(rows))
        else:
            cells = line.split("\t")
        if cells[-1] == "" and len(cells) > 1 and (not rows or len(cells) > len(rows[0])):
            trailing = True     # a row as wide as the header is rectangular, not padded
        if len(cells) > MAX_CELLS:
            cells = _cut(cells, name, number, notes)
            trimmed.add(len(rows))
        rows.append(cells)
        lines.append(number)
    if quoted:
        notes.append(finding(codes.QUOTED, location=Location(file=name)))
    table = Table(rows, lines, notes, trimmed)
    table.findings.extend([finding(codes.TRAILING_TABS, location=Location(file=name))] if trailing else [])
    return table


MAX_LINES_IN_A_CELL = 200
MAX_CELLS = 4096          # no sane IDF line or SDRF row is wider; wider rows are cut, with one finding
TRIM_CELLS_FROM = 1024    # a line this long loses its trailing tabs (the reader pads rows back)


def _cut(cells: list[str], name: str, number: int, notes: list[Finding]) -> list[str]:
    """A wide row without its trailing empty cells, cut to MAX_CELLS (reported once per file)."""
    end = len(cells)
    while end > 1 and not cells[end - 1]:
        end -= 1
    if end > MAX_CELLS:
        if not any(n.code == codes.ROW_TOO_WIDE for n in notes):
            notes.append(finding(codes.ROW_TOO_WIDE,
                                 f"Line {number} has {end} cells; only the first {MAX_CELLS} were read",
                                 Location(file=name, line=number)))
        end = MAX_CELLS
    return cells[:end]


def _quoted_line(source: list[str], at: int) -> tuple[list[str], int]:
    """Cells of a line with quotes, and how many following lines a quoted cell ran over.

    Balanced quotes are read as CSV does (a quoted cell may hold tabs and, when
    it opens at the end of a line without closing, line breaks: following lines
    are joined until it closes). Unbalanced quotes (a lone 5" UTR, a stray
    "Smith) are kept as typed: the line is split on tabs and only cells wholly
    wrapped in quotes are unwrapped, so no column is ever swallowed.
    """
    line = source[at]
    if line.count('"') % 2 == 1:
        inside = _ends_inside_quotes(line)
        if inside:
            parts = [line]
            for extra in range(1, min(MAX_LINES_IN_A_CELL, len(source) - at - 1) + 1):
                parts.append(source[at + extra])
                inside = _ends_inside_quotes(source[at + extra], inside=True)
                if not inside:
                    return _csv_record("\n".join(parts)), extra
        cells, _ = _unquote(line.split("\t"))
        return cells, 0
    return _csv_record(line), 0


def _ends_inside_quotes(text: str, inside: bool = False) -> bool:
    """True when ``text`` ends inside a cell that opened with a quote (a quote at a cell's start,
    inner quotes doubled): the cell goes on on the next line. ``inside``: the line before ended
    inside such a cell. One pass, linear in the text."""
    at_cell_start = not inside
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if inside:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 1
                else:
                    inside = False
        elif ch == "\t" or ch == "\n":
            at_cell_start = True
            i += 1
            continue
        elif ch == '"' and at_cell_start:
            inside = True
        at_cell_start = False
        i += 1
    return inside


def _csv_record(text: str) -> list[str]:
    if len(text) >= csv.field_size_limit():   # the csv module refuses cells over 128 KB by default
        csv.field_size_limit(len(text) + 1)
    return next(csv.reader([text], delimiter="\t", quotechar='"', strict=False), [""])


def _unquote(cells: list[str]) -> tuple[list[str], bool]:
    out = []
    changed = False
    for cell in cells:
        stripped = cell.strip()
        if len(stripped) >= 2 and stripped[0] == '"' and stripped[-1] == '"':
            out.append(stripped[1:-1].replace('""', '"'))
            changed = True
        else:
            out.append(cell)
    return out, changed


def read_table(path: Path) -> Table:
    """Read and split one MAGE-TAB file, or raise ProjectError when it is not text at all."""
    text, notes = decode(read_bytes(path), path.name, str(path))
    table = split_cells(text, path.name)
    table.findings[:0] = notes
    return table


def _needs_quotes(value: str) -> bool:
    return "\t" in value or "\n" in value or "\r" in value or value.lstrip().startswith('"')


def quote_cell(value: str) -> str:
    """A cell wrapped in quotes, inner quotes doubled (MAGE-TAB's quoting)."""
    return '"' + value.replace('"', '""') + '"'


def _format_row(row: list[str], line: str) -> str:
    """One line (``line`` is the row joined by tabs); a row with a cell that must be quoted (tab,
    line break, leading quote) has every cell holding a quote quoted too, so its quotes balance."""
    if any(_needs_quotes(c) for c in row):
        line = "\t".join(quote_cell(c) if _needs_quotes(c) or '"' in c else c for c in row)
    if line.startswith("#"):                  # a value such as "#1", not a comment line
        line = quote_cell(row[0]) + line[len(row[0]):]
    return line


def format_rows(rows: list[list[str]], *, rectangular: bool = False) -> str:
    """Canonical text: tab-delimited, LF, quotes only where a cell needs them (tab, line break, leading quote).

    An SDRF is written ``rectangular`` (every row as wide as the header, so a
    re-read finds no short rows); an IDF line loses its trailing empty values.
    """
    out = []
    for row in rows:
        line = "\t".join(row)
        if "\x00" in line:                       # NUL would make the file read as binary
            row = [c.replace("\x00", "") for c in row]
            line = "\t".join(row)
        if '"' in line or "\n" in line or "\r" in line or line.startswith("#") or line.count("\t") != len(row) - 1:
            line = _format_row(row, line)
        if not rectangular:
            line = line.rstrip("\t") if line.strip("\t") else line[:0]
        out.append(line)
    return "\n".join(out) + "\n"


def atomic_write(path: Path, text: str | bytes) -> None:
    """Write beside, fsync, rename over, fsync the folder: a crash leaves old or new, never half."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        os.chmod(tmp, mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_folder(folder)


def mode_for(path: Path) -> int:
    """The existing file's permissions, or what a plain open() would give (mkstemp's 0600 is too tight)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_UMASK


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def fsync_folder(folder: Path) -> None:
    """Make a rename durable (a no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
