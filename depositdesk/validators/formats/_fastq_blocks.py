"""The fastest gear of the FASTQ checks: a whole block of bytes as numpy positions, no line objects.

Splitting a block into lines costs a Python object per line (four per read,
~0.8 s per GB of FASTQ); here a block is one uint8 array instead:

- the bytes <= 0x20 are found in one numpy pass: newlines give the four
  lines of every record, the others (spaces, tabs, control bytes) must be in
  '@' lines (where the first whitespace ends the read name) or in '+' lines
  that repeat the header;
- '@' and '+' are the first bytes of lines 1 and 3 of every record, sequence
  and quality lines have one length per record;
- sequences and qualities are copied as rows of a sliding window as wide as
  the longest read: the sequence alphabet is one ``bytes.translate`` of them
  all, the quality range one numpy min/max (when reads differ in length,
  trimmed reads, the bytes past each read's end are masked first);
- read names are hashed in bulk (``_fastq_names.fingerprints``).

Anything else (empty reads, U and T mixed, any defect) returns
None and the caller falls back to the line-wise gears, which say exactly what
is wrong and where. This gear only ever accepts blocks those gears accept.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from depositdesk.validators.formats._fastq_names import fingerprints

SEQ_LETTERS = b"ACGTUNRYKMSWBDHVacgtunrykmswbdhv."
_WHITESPACE = np.array([9, 11, 12, 13, 32], np.uint8)  # what bytes.split() splits on, besides newline


@dataclass
class Block:
    """Whole four-line records that passed every check, as positions in ``data``."""

    data: bytes | bytearray
    heads: np.ndarray  # where each '@' line starts
    head_ends: np.ndarray  # where it ends (its newline)
    name_ends: np.ndarray  # where its read name ends
    hashes: np.ndarray
    bases: int
    qmin: int
    qmax: int
    has_u: bool

    def __len__(self) -> int:
        return len(self.heads)

    def name(self, i: int) -> bytes:
        return bytes(self.data[int(self.heads[i]):int(self.name_ends[i])])

    def header(self, i: int) -> bytes:
        return bytes(self.data[int(self.heads[i]):int(self.head_ends[i])])


def record_lines(a: np.ndarray, start: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(newlines of the whole records, the other bytes <= 0x20, their values) in ``a[start:]``."""
    low = np.flatnonzero(a[start:] <= 32)
    if start:
        low += start
    values = a[low]
    newline = values == 10
    ends = low[newline]
    ends = ends[:len(ends) // 4 * 4]
    others = ~newline
    return ends, low[others], values[others]


def check_block(data: bytes | bytearray, a: np.ndarray, ends: np.ndarray, others: np.ndarray,
                other_values: np.ndarray, start: int = 0) -> Block | None:
    """The records from ``start`` to ``ends`` (a multiple of 4 newlines) when all is well, else None."""
    starts = np.empty(len(ends), np.int64)
    starts[0] = start
    starts[1:] = ends[:-1] + 1
    heads, seqs, pluses, quals = starts[0::4], starts[1::4], starts[2::4], starts[3::4]
    head_ends, seq_ends, plus_ends, qual_ends = ends[0::4], ends[1::4], ends[2::4], ends[3::4]
    if not ((a[heads] == 64).all() and (a[heads + 1] > 32).all() and (a[pluses] == 43).all()):
        return None
    lengths = seq_ends - seqs
    length = int(lengths.max())
    if not (qual_ends - quals == lengths).all() or int(lengths.min()) == 0 or int(quals[-1]) + length > len(a):
        return None
    name_ends = _name_ends(ends, heads, head_ends, others, other_values)
    if name_ends is None or not _pluses_repeat_headers(data, heads, head_ends, pluses, plus_ends):
        return None
    window = sliding_window_view(a, length)
    seq_rows, qual_rows = window[seqs], window[quals]
    if int(lengths.min()) < length:  # past a short read's end: letters and qualities that pass
        short = _past_end(length)[lengths]
        np.copyto(seq_rows, ord("N"), where=short)
        np.copyto(qual_rows, qual_rows[0, 0], where=short)
    seq = seq_rows.tobytes()
    if seq.translate(None, SEQ_LETTERS):
        return None
    has_u = b"U" in seq or b"u" in seq
    if has_u and (b"T" in seq or b"t" in seq):
        return None  # U and T in one read? The line-wise gear looks read by read
    qmin, qmax = int(qual_rows.min()), int(qual_rows.max())
    if qmin < 33 or qmax > 126:
        return None
    hashes = fingerprints(a, heads, name_ends - heads)
    return Block(data, heads, head_ends, name_ends, hashes, int(lengths.sum()), qmin, qmax, has_u)


@functools.lru_cache(maxsize=8)
def _past_end(width: int) -> np.ndarray:
    """Row k: which of ``width`` bytes lie past the end of a read of length k."""
    return np.arange(width) >= np.arange(width + 1)[:, None]


def _name_ends(ends: np.ndarray, heads: np.ndarray, head_ends: np.ndarray, others: np.ndarray,
               other_values: np.ndarray) -> np.ndarray | None:
    """Where each read name ends: its first whitespace, else the line's end. None when a
    byte <= 0x20 is in a sequence or quality line (or past the block: those wait)."""
    name_ends = head_ends.copy()
    if not len(others):
        return name_ends
    inside = others < ends[-1]
    others, other_values = others[inside], other_values[inside]
    line = np.searchsorted(ends, others)
    role = line % 4
    if ((role == 1) | (role == 3)).any():
        return None
    in_head = (role == 0) & np.isin(other_values, _WHITESPACE)
    record = line[in_head] // 4
    first = np.ones(len(record), bool)
    first[1:] = record[1:] != record[:-1]
    name_ends[record[first]] = others[in_head][first]
    return name_ends


def _pluses_repeat_headers(data: bytes | bytearray, heads: np.ndarray, head_ends: np.ndarray, pluses: np.ndarray,
                           plus_ends: np.ndarray) -> bool:
    """'+' alone, or '+' and the header again (old Illumina), on every '+' line."""
    long = np.flatnonzero(plus_ends - pluses != 1)
    return all(data[int(pluses[i]) + 1:int(plus_ends[i])] == data[int(heads[i]) + 1:int(head_ends[i])]
               for i in long)
