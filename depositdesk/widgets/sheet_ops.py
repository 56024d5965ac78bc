"""Spreadsheet habits as plain functions (no Qt): clipboard text, fill series, read pairs, find.

Kept apart from the widgets so they are tested directly and reused by the
benchmark without a display.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

# -- clipboard ----------------------------------------------------------------


def parse_tsv(text: str) -> list[list[str]]:
    """Cells of a tab-separated block as Excel and LibreOffice put it on the clipboard.

    Quoted cells may hold tabs, newlines and doubled quotes (Excel quotes a
    cell that contains a newline). A final newline does not make an empty row.
    """
    if '"' not in text:  # nothing quoted: plain splits (10,000 rows in milliseconds, not seconds)
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return [line.split("\t") for line in lines]
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    quoted_start = True
    while i < n:
        ch = text[i]
        if quoted_start and ch == '"':
            end, value = _read_quoted(text, i)
            if end is not None:
                cell.append(value)
                i = end
                quoted_start = False
                continue
        quoted_start = False
        if ch == "\t":
            row.append("".join(cell))
            cell, quoted_start = [], True
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell, quoted_start = [], [], True
        else:
            cell.append(ch)
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


def _read_quoted(text: str, start: int) -> tuple[int | None, str]:
    """Read a quoted cell; return (index after it, value), or (None, '') when it is not one."""
    out: list[str] = []
    i = start + 1
    while i < len(text):
        if text[i] == '"':
            if i + 1 < len(text) and text[i + 1] == '"':
                out.append('"')
                i += 2
                continue
            after = i + 1
            if after == len(text) or text[after] in "\t\r\n":
                return after, "".join(out)
            return None, ""
        out.append(text[i])
        i += 1
    return None, ""


def to_tsv(block: Sequence[Sequence[str]]) -> str:
    """A rectangular block as clipboard text, quoting cells that hold tabs, newlines or quotes."""
    return "".join("\t".join(_quote(c) for c in row) + "\n" for row in block)


def _quote(cell: str) -> str:
    if any(ch in cell for ch in '\t\n\r"'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


# -- fill series --------------------------------------------------------------

_NUMBER_AT_END = re.compile(r"^(.*?)(\d+)(\D*)$")


def _split_number(text: str) -> tuple[str, int, str, int] | None:
    """'rep07' -> ('rep', 7, '', 2): prefix, number, suffix, zero-padded width."""
    m = _NUMBER_AT_END.match(text)
    if not m:
        return None
    digits = m.group(2)
    width = len(digits) if digits.startswith("0") and len(digits) > 1 else 0
    return m.group(1), int(m.group(2)), m.group(3), width


def same_pattern(a: str, b: str) -> bool:
    """Both carry a number between the same prefix and suffix ('rep1', 'rep3')."""
    sa, sb = _split_number(a), _split_number(b)
    return sa is not None and sb is not None and sa[0] == sb[0] and sa[2] == sb[2]


def fill_series(seeds: Sequence[str], count: int) -> list[str]:
    """Continue ``seeds`` to ``count`` values: 1,2 -> 3,4; rep1 -> rep2, rep3; text repeats.

    The step is the difference of the last two seeds when both carry a number
    with the same prefix and suffix, else 1. Without any number the seeds are
    repeated in turn, as a spreadsheet does.
    """
    if not seeds:
        return [""] * count
    last = _split_number(seeds[-1])
    if last is None:
        return [seeds[i % len(seeds)] for i in range(count)]
    prefix, number, suffix, width = last
    step = 1
    if len(seeds) >= 2:
        before = _split_number(seeds[-2])
        if before is not None and before[0] == prefix and before[2] == suffix:
            step = number - before[1]
    out = list(seeds[:count])
    value = number
    while len(out) < count:
        value += step
        out.append(f"{prefix}{str(max(value, 0)).zfill(width)}{suffix}")
    return out


# -- data files to rows ---------------------------------------------------------

_MATE = re.compile(r"^(?P<stem>.+?)(?P<sep>[._])(?P<mate>R?[12])(?P<tail>(?:_\d{3})?\.(?:fastq|fq)(?:\.gz|\.bz2|\.zst)?)$", re.IGNORECASE)


def pair_read_files(paths: Iterable[Path]) -> list[tuple[str, list[Path]]]:
    """Group data files into runs: ``x_R1``/``x_R2`` and ``x_1``/``x_2`` FASTQ mates pair up.

    Returns (sample stem, files) in name order; an unpaired file is a run of one.
    """
    groups: dict[str, list[Path]] = {}
    for path in sorted(paths, key=lambda p: p.name):
        m = _MATE.match(path.name)
        stem = m.group("stem") if m else path.name.split(".")[0]
        groups.setdefault(stem, []).append(path)
    return [(stem, files) for stem, files in groups.items()]


# -- find ---------------------------------------------------------------------------


def find_cells(rows: Sequence[Sequence[str]], needle: str, *, case: bool = False,
               columns: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """All (row, column) whose text contains ``needle``, in reading order."""
    if not needle:
        return []
    wanted = needle if case else needle.casefold()
    hits: list[tuple[int, int]] = []
    for r, row in enumerate(rows):
        cols = range(len(row)) if columns is None else columns
        for c in cols:
            cell = row[c] if case else row[c].casefold()
            if wanted in cell:
                hits.append((r, c))
    return hits


def replace_in(text: str, needle: str, replacement: str, *, case: bool = False) -> str:
    if case:
        return text.replace(needle, replacement)
    return re.sub(re.escape(needle), lambda _m: replacement, text, flags=re.IGNORECASE)
