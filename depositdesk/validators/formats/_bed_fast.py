"""Vectorised scan of a block of plain BED records with numpy.

A Python loop over every line reaches about 30 MB/s; BED files of peaks and
coverage are often gigabytes. So a block of lines is checked as arrays: the
positions of newlines and TABs give every field's bounds, numeric fields are
parsed by gathering their digits into a matrix, and chromosome changes are
found by comparing the padded name bytes of neighbouring lines.

The scan only says "every line here is a plain, well-formed record" and
returns what the cross-line checks need. Anything unusual (a header, CR,
a space, a bad number, a wrong column count, ...) makes it return None and
the block is read again, line by line, by `_bed_lines`, which words the
findings. So the fast path can never hide a finding, only skip work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided

from depositdesk.validators.formats._bed_lines import Layout

_HEADER_FIRST = np.frombuffer(b"#tb", dtype=np.uint8)
_HEADER_PREFIXES = (b"#", b"track", b"browser")
_STRANDS = np.frombuffer(b"+-.", dtype=np.uint8)


@dataclass
class Scan:
    """What the cross-line checks need from a clean block."""

    starts: np.ndarray  # chromStart per record
    ends: np.ndarray  # chromEnd per record
    run_first: np.ndarray  # index of the first record of each run of one chromosome
    run_names: list[str]
    rows: list[tuple[int, bytes]]  # (index, raw text) of columns the scan leaves to Python (BED9+)


class Fields:
    """Start/end byte offsets of every field of every line of a block."""

    def __init__(self, buf: np.ndarray, line_starts: np.ndarray, newlines: np.ndarray, tabs: np.ndarray) -> None:
        self.buf = buf
        self.first = [line_starts] + [tabs[:, j] + 1 for j in range(tabs.shape[1])]
        self.after = [tabs[:, j] for j in range(tabs.shape[1])] + [newlines]

    def width(self, j: int) -> np.ndarray:
        return self.after[j] - self.first[j]


def scan_block(chunk: bytes, layout: Layout) -> Scan | None:
    """Scan a block of whole lines; None when it must be read line by line."""
    if not chunk or b"\r" in chunk or b" " in chunk or not chunk.isascii():
        return None
    if not chunk.endswith(b"\n"):
        chunk += b"\n"
    fields = _split(chunk, layout.ncols)
    if fields is None:
        return None
    starts = parse_uint(fields.buf, fields.first[1], fields.after[1])
    ends = parse_uint(fields.buf, fields.first[2], fields.after[2])
    if starts is None or ends is None or bool(np.any(starts > ends)):
        return None
    if not _typed_columns_ok(fields, layout, starts, ends):
        return None
    run_first, names = chromosome_runs(chunk, fields)
    rows: list[tuple[int, bytes]] = []
    if layout.kind == "bed" and layout.typed >= 9:
        rows = [(i, chunk[a:b]) for i, (a, b) in enumerate(zip(fields.first[8].tolist(),
                                                                fields.after[layout.typed - 1].tolist()))]
    return Scan(starts, ends, run_first, names, rows)


def _split(chunk: bytes, ncols: int) -> Fields | None:
    """Field bounds of a block in which every line has exactly ``ncols - 1`` TABs, or None.

    One pass finds every byte below 11 (TAB, LF and any other control
    character); reshaped to one row per line, the rows must read
    TAB ... TAB LF, which proves the column count of every line at once.
    """
    buf = np.frombuffer(chunk, dtype=np.uint8)
    k = ncols - 1
    marks = np.flatnonzero(buf < 11)
    n = marks.size // (k + 1)
    if k < 2 or n == 0 or marks.size != n * (k + 1):
        return None
    grid = marks.reshape(n, k + 1)
    kinds = buf[grid]
    if not (bool(np.all(kinds[:, :-1] == 9)) and bool(np.all(kinds[:, -1] == 10))):
        return None
    newlines = grid[:, -1]
    line_starts = np.empty(n, dtype=np.int64)
    line_starts[0] = 0
    line_starts[1:] = newlines[:-1] + 1
    if bool(np.any(grid[:, 0] == line_starts)) or bool(np.any(np.diff(grid, axis=1) == 1)):
        return None  # an empty field (or a blank line)
    maybe_header = np.flatnonzero(np.isin(buf[line_starts], _HEADER_FIRST))
    if any(chunk.startswith(_HEADER_PREFIXES, int(line_starts[i])) for i in maybe_header):
        return None
    return Fields(buf, line_starts, newlines, grid[:, :-1])


def parse_uint(buf: np.ndarray, first: np.ndarray, after: np.ndarray) -> np.ndarray | None:
    """Fields made only of ASCII digits, as int64; None if any field is not.

    Lines are grouped by the field's width (a handful of widths per block), and
    each group is parsed by Horner's rule one digit column at a time, so every
    step is one vector operation over many lines.
    """
    widths = after - first
    if widths.size == 0:
        return np.zeros(0, dtype=np.int64)
    low, high = int(widths.min()), int(widths.max())
    if low < 1 or high > 18:
        return None
    value = np.empty(widths.size, dtype=np.int64)
    for w in range(low, high + 1):
        rows = np.flatnonzero(widths == w) if low != high else np.arange(widths.size)
        if rows.size == 0:
            continue
        starts = first[rows]
        acc = np.zeros(rows.size, dtype=np.int64)
        for j in range(w):
            digit = buf[starts + j] - np.uint8(48)
            if bool(np.any(digit > 9)):
                return None
            acc *= 10
            acc += digit
        value[rows] = acc
    return value


def numbers_ok(buf: np.ndarray, first: np.ndarray, after: np.ndarray) -> bool:
    """True when every field is a plain decimal number ([-+]digits[.digits]); exponents go the slow way."""
    widths = after - first
    w = int(widths.max())
    if w > 40:
        return False
    pos = np.arange(w)
    inside = pos < widths[:, None]
    ch = np.where(inside, buf[np.minimum(first[:, None] + pos, buf.size - 1)], 48)
    digit = (ch >= 48) & (ch <= 57)
    dot = ch == 46
    sign = (ch == 43) | (ch == 45)
    if not bool(np.all(digit | dot | sign)) or bool(np.any(sign[:, 1:])):
        return False
    if bool(np.any(dot.sum(axis=1) > 1)):
        return False
    return bool(np.all((digit & inside).any(axis=1)))


def _typed_columns_ok(f: Fields, layout: Layout, starts: np.ndarray, ends: np.ndarray) -> bool:
    typed = layout.typed
    if layout.kind == "bedgraph":
        return numbers_ok(f.buf, f.first[3], f.after[3])
    if typed >= 5:
        score = parse_uint(f.buf, f.first[4], f.after[4])
        if score is None or bool(np.any(score > 1000)):
            return False
    if typed >= 6 and not (bool(np.all(f.width(5) == 1)) and bool(np.all(np.isin(f.buf[f.first[5]], _STRANDS)))):
        return False
    if layout.kind in ("narrowPeak", "broadPeak"):
        return _peak_columns_ok(f, typed, starts, ends)
    if typed >= 8:
        thick_start = parse_uint(f.buf, f.first[6], f.after[6])
        thick_end = parse_uint(f.buf, f.first[7], f.after[7])
        if thick_start is None or thick_end is None:
            return False
        if not bool(np.all((starts <= thick_start) & (thick_start <= thick_end) & (thick_end <= ends))):
            return False
    return True


def _peak_columns_ok(f: Fields, typed: int, starts: np.ndarray, ends: np.ndarray) -> bool:
    for j in range(6, min(typed, 9)):
        if not numbers_ok(f.buf, f.first[j], f.after[j]):
            return False
    if typed < 10:
        return True
    first, after = f.first[9], f.after[9]
    minus_one = (after - first == 2) & (f.buf[first] == 45) & (f.buf[np.minimum(first + 1, f.buf.size - 1)] == 49)
    peak = parse_uint(f.buf, np.where(minus_one, after - 1, first), after)
    return peak is not None and bool(np.all(minus_one | (peak <= ends - starts)))


def chromosome_runs(chunk: bytes, f: Fields) -> tuple[np.ndarray, list[str]]:
    """Index of the first line of each run of one chromosome name, and the names.

    For every line the ``w`` bytes ending where its name ends (w = longest name
    rounded up to 8) are taken through a strided window, the bytes before the
    name zeroed, and the rows viewed as 64-bit words: neighbouring lines are
    then compared a word at a time.
    """
    first, after = f.first[0], f.after[0]
    widths = after - first
    w = -(-int(widths.max()) // 8) * 8
    padded = np.zeros(f.buf.size + w, dtype=np.uint8)
    padded[w:] = f.buf
    windows = as_strided(padded, shape=(f.buf.size + 1, w), strides=(1, 1), writeable=False)
    names = windows[after] * (np.arange(w) >= (w - widths)[:, None])
    words = np.ascontiguousarray(names).view(np.uint64)
    changes = np.flatnonzero(np.any(words[1:] != words[:-1], axis=1)) + 1
    run_first = np.concatenate(([0], changes)).astype(np.int64)
    labels = [chunk[a:b].decode("ascii") for a, b in zip(first[run_first].tolist(), after[run_first].tolist())]
    return run_first, labels
