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

_BUCKET_BITS = 6
_SHIFT = np.uint64(64 - _BUCKET_BITS)


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
        values = self._held_values()
        buckets = (values.view(np.uint64) >> _SHIFT).astype(np.uint8)
        for bucket in range(1 << _BUCKET_BITS):  # one mask at a time: never a second full copy
            chosen = values[buckets == bucket]
            if len(chosen):
                with open(self._tmp / f"{bucket:02d}.i64", "ab") as handle:
                    chosen.tofile(handle)
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
    values.sort()  # in place: no second copy of what may be several MB
    same = values[1:] == values[:-1]
    return np.unique(values[1:][same])
