"""The fastest gear of the FASTQ checks: a whole block of bytes as numpy positions, no line objects.

Splitting a block into lines costs a Python object per line (four per read,
~0.8 s per GB of FASTQ); here a block is one uint8 array instead:

- newlines are found in one numpy pass: they give the four lines of every
  record; the '@' lines are read 8 bytes at a time, word j of every line in
  a few numpy operations (two aligned gathers and shifts), to find where each
  read name ends (its first space or tab, a SWAR "byte < 0x21" test) and hash
  it, with only as many words as the longest name needs (copying each '@'
  line into a row first cost twice as much);
- '@' and '+' are the first bytes of lines 1 and 3 of every record, sequence
  and quality lines have one length per record;
- sequences and qualities are copied as rows of a sliding window as wide as
  the longest read: the sequence alphabet is one ``bytes.translate`` of them
  all, the quality range one numpy min/max (when reads differ in length,
  trimmed reads, the bytes past each read's end are masked first);
- read names are hashed in bulk (``_fastq_names.fingerprint_columns``);
- a byte <= 0x20 in a sequence or quality is not a sequence letter nor
  a quality: the alphabet and range checks above find it.

Anything else (empty reads, U and T mixed, any defect) returns
None and the caller falls back to the line-wise gears, which say exactly what
is wrong and where. This gear only ever accepts blocks those gears accept.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from depositdesk.validators.formats._fastq_names import fingerprint_columns

SEQ_LETTERS = b"ACGTUNRYKMSWBDHVacgtunrykmswbdhv."


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


def record_lines(a: np.ndarray, start: int = 0, scratch: np.ndarray | None = None) -> np.ndarray:
    """The newlines ending whole four-line records in ``a[start:]`` (``scratch``: a bool array
    at least that long to reuse for the comparison, instead of a new one per block)."""
    if scratch is not None and len(scratch) >= len(a) - start:
        ends = np.flatnonzero(np.equal(a[start:], 10, out=scratch[:len(a) - start]))
    else:
        ends = np.flatnonzero(a[start:] == 10)
    if start:
        ends += start
    return ends[:len(ends) // 4 * 4]


def check_block(data: bytes | bytearray, a: np.ndarray, ends: np.ndarray, start: int = 0) -> Block | None:
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
    if not _pluses_repeat_headers(data, heads, head_ends, pluses, plus_ends):
        return None
    named = _names(data, a, heads, head_ends)
    if named is None:
        return None
    window = sliding_window_view(a, length)
    seq_rows, qual_rows = window[seqs], window[quals]
    if int(lengths.min()) < length:  # past a short read's end: letters and qualities that pass
        short = _past_end(length)[lengths]
        np.copyto(seq_rows, ord("N"), where=short)
        np.copyto(qual_rows, qual_rows[0, 0], where=short)
    seq = seq_rows.tobytes()  # a byte <= 0x20 in a sequence (or quality) fails here (or below)
    if seq.translate(None, SEQ_LETTERS):
        return None
    has_u = b"U" in seq or b"u" in seq
    if has_u and (b"T" in seq or b"t" in seq):
        return None  # U and T in one read? The line-wise gear looks read by read
    qmin, qmax = int(qual_rows.min()), int(qual_rows.max())
    if qmin < 33 or qmax > 126:
        return None
    name_lengths, hashes = named
    return Block(data, heads, head_ends, heads + name_lengths, hashes, int(lengths.sum()), qmin, qmax, has_u)


@functools.lru_cache(maxsize=8)
def _past_end(width: int) -> np.ndarray:
    """Row k: which of ``width`` bytes lie past the end of a read of length k."""
    return np.arange(width) >= np.arange(width + 1)[:, None]


def _names(data: bytes | bytearray, a: np.ndarray, heads: np.ndarray,
           head_ends: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(length, hash) of each read name: the '@' line up to its first space or tab (as
    ``_fastq_records._name_of`` cuts it). The '@' lines are read as columns of 8-byte words
    (word j of every line made of two aligned words, each gathered for all lines at once:
    no copy per line, no unaligned access), enough
    words to reach each line's newline, so every line has a byte <= 0x20: the first one
    ends the name (None when it is another control byte: the line gear)."""
    n_words = (int((head_ends - heads).max()) + 8) // 8
    words = np.frombuffer(data, np.uint64, len(data) // 8)  # aligned words of the block
    base = heads >> 3
    if int(base[-1]) + n_words >= len(words) or not _LITTLE_ENDIAN:
        return None  # tiny reads at the very end: the line gear
    down = ((heads & 7) << 3).astype(np.uint64)  # word j of a line starting mid-word: two halves
    up = _56 - down
    lengths = np.full(len(heads), -1, np.int64)
    columns: list[np.ndarray] = []
    right = words[base]
    for j in range(n_words):  # only as many words as the longest name needs
        left, right = right, words[base + (j + 1)]
        column = (left >> down) | ((right << up) << _8)
        columns.append(column)
        low = (column - _LOW_21) & ~column & _HIGH_BITS  # the high bit of each byte < 0x21
        hit = (low != 0) & (lengths < 0)
        if hit.any():
            first = low[hit]
            first &= ~first + _ONE  # the lowest flagged byte is exact (borrows only go up)
            lengths[hit] = 8 * j + (np.log2(first.astype(np.float64)).astype(np.int64) >> 3)
            if int(lengths.min()) >= 0:
                break
    if int(lengths.min()) < 0:
        return None
    ends = a[heads + lengths]
    if not ((ends == 32) | (ends == 9) | (ends == 10)).all():  # a space, a tab or the newline
        return None  # a CR, VT, FF or other control byte inside the name: the line gear
    return lengths, fingerprint_columns(columns, lengths)


_LOW_21 = np.uint64(0x2121212121212121)
_HIGH_BITS = np.uint64(0x8080808080808080)
_ONE = np.uint64(1)
_56, _8 = np.uint64(56), np.uint64(8)
_LITTLE_ENDIAN = sys.byteorder == "little"  # the words below are read little-endian


def _pluses_repeat_headers(data: bytes | bytearray, heads: np.ndarray, head_ends: np.ndarray, pluses: np.ndarray,
                           plus_ends: np.ndarray) -> bool:
    """'+' alone, or '+' and the header again (old Illumina), on every '+' line."""
    long = np.flatnonzero(plus_ends - pluses != 1)
    return all(data[int(pluses[i]) + 1:int(plus_ends[i])] == data[int(heads[i]) + 1:int(head_ends[i])]
               for i in long)
