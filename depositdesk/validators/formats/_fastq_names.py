"""Duplicate read names in bounded memory: 64-bit hashes, sorted, spilled to disk in buckets.

Keeping the names themselves is what makes fastq_info need 860 MB for 2.9 M
reads. Here each name costs 8 bytes (its hash) in one preallocated buffer of
``memory_limit`` hashes (8 MB by default); when it is full its hashes go, split
by their top 6 bits, to 64 bucket files, so the final check sorts one bucket at
a time: a 100 M-read file peaks near 800 MB / 64 of hashes. Equal hashes are
only *suspects*: the validator re-reads the file looking for those hashes to
confirm with the real names (hash collisions are then dismissed) and to say on
which lines they are.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

_BUCKET_BITS = 6
_SHIFT = np.uint64(64 - _BUCKET_BITS)
_BUCKET_STARTS = np.arange(1 << _BUCKET_BITS, dtype=np.uint64) << _SHIFT


_ODD = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9], np.uint64)
_KEEP = np.array([(1 << (8 * i)) - 1 for i in range(8)] + [(1 << 64) - 1], np.uint64)  # low i bytes of a word


def fingerprints(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """64-bit hashes of the byte strings ``buf[start:start + length]``, all at once."""
    if not len(starts):
        return np.empty(0, np.int64)
    lengths = np.asarray(lengths, np.int64)
    width = max(8, (int(lengths.max()) + 7) // 8 * 8)
    if int(starts.max()) + width > len(buf):
        buf = np.concatenate((buf, np.zeros(width, np.uint8)))
    return fingerprint_rows(sliding_window_view(buf, width)[starts], lengths)


def fingerprint_rows(rows: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """64-bit hashes of the first ``lengths[i]`` bytes of each row of a C-contiguous (n, 8k) uint8 array.

    Each 8-byte word is mixed on its own (multiply, xor-shift, multiply) and
    the results summed: a word past a name's end is zero and adds nothing, so
    the hash does not depend on the width the block happened to need.
    """
    words = rows.view(np.uint64)
    return fingerprint_columns([words[:, j] for j in range(words.shape[1])], lengths)


def fingerprint_columns(columns: list[np.ndarray], lengths: np.ndarray) -> np.ndarray:
    """``fingerprint_rows`` of rows given as their 8-byte words: ``columns[j][i]`` is bytes
    8j..8j+7 of name i (bytes past a name's end are masked off here). The block gear gathers
    these words straight from the block, without copying each name into a row first."""
    total = lengths.astype(np.uint64) * _ODD[0]
    longest = int(lengths.max()) if len(lengths) else 0
    for j, column in enumerate(columns):
        if 8 * j >= longest:
            break  # past every name's end: the words are masked to 0 and would add 0
        word = column & _KEEP[np.maximum(np.minimum(lengths - 8 * j, 8), 0)]
        word *= _ODD[j % 8]
        word ^= word >> np.uint64(31)
        word *= _ODD[(j + 3) % 8]
        total += word
    total ^= total >> np.uint64(33)  # splitmix64's finaliser
    total *= _ODD[4]
    total ^= total >> np.uint64(29)
    return total.view(np.int64)


def fingerprints_of(names: list[bytes]) -> np.ndarray:
    """``fingerprints`` of a list of names (the line-by-line gear's)."""
    lengths = np.fromiter(map(len, names), np.int64, len(names))
    starts = np.zeros(len(names), np.int64)
    np.cumsum(lengths[:-1], out=starts[1:])
    return fingerprints(np.frombuffer(b"".join(names), np.uint8), starts, lengths)


class NameHashes:
    """A multiset of int64 name hashes that can say which values occur more than once."""

    def __init__(self, memory_limit: int = 1_000_000, spill_dir: Path | None = None) -> None:
        self.memory_limit = memory_limit
        self.spill_dir = spill_dir
        self._buffer: np.ndarray | None = None
        self._held = 0
        self._tmp: Path | None = None
        self.count = 0

    def add(self, hashes: np.ndarray) -> None:
        hashes = np.asarray(hashes, dtype=np.int64)
        self.count += len(hashes)
        while len(hashes):
            if self._buffer is None:
                self._buffer = np.empty(self.memory_limit, np.int64)
            room = self.memory_limit - self._held
            taken = hashes[:room]
            self._buffer[self._held:self._held + len(taken)] = taken
            self._held += len(taken)
            hashes = hashes[room:]
            if self._held == self.memory_limit:
                self._spill()

    @property
    def spilled(self) -> bool:
        return self._tmp is not None

    def _spill(self) -> None:
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="depositdesk-names-", dir=self.spill_dir))
        values = self._held_values().view(np.uint64)
        values.sort()  # in place: the buckets (top bits) are runs, cut where each begins
        cuts = np.searchsorted(values, _BUCKET_STARTS).tolist()
        for bucket, (begin, end) in enumerate(zip(cuts, [*cuts[1:], len(values)])):
            if end > begin:
                with open(self._tmp / f"{bucket:02d}.i64", "ab") as handle:
                    values[begin:end].view(np.int64).tofile(handle)
        self._held = 0

    def _held_values(self) -> np.ndarray:
        if self._buffer is None:
            return np.empty(0, np.int64)
        return self._buffer[:self._held]

    def duplicates(self, limit: int = 1000) -> np.ndarray:
        """Hashes seen more than once (at most ``limit`` of them)."""
        if self._tmp is None:
            return _repeated(self._held_values())[:limit]
        if self._held:
            self._spill()
        found: list[np.ndarray] = []
        for bucket in sorted(self._tmp.glob("*.i64")):
            found.append(_repeated(np.fromfile(bucket, dtype=np.int64)))
            if sum(map(len, found)) >= limit:
                break
        return (np.concatenate(found) if found else np.empty(0, np.int64))[:limit]

    def close(self) -> None:
        self._buffer = None
        self._held = 0
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def _repeated(values: np.ndarray) -> np.ndarray:
    if len(values) < 2:
        return np.empty(0, np.int64)
    values.sort()  # in place: no second copy (numpy's SIMD quicksort: 5x timsort here)
    same = values[1:] == values[:-1]
    return np.unique(values[1:][same])
