"""A walk over a CRAM file's containers and blocks before htslib decodes it.

htslib trusts the sizes and counts a container declares: a 727-byte file whose
numbers were damaged made it allocate 4 GB. This walk reads only the container
and block headers (a few bytes each, seeking over the data) and refuses a file
whose declared counts or uncompressed sizes cannot be true for its size. A
container or block running past the end of the file is left to the truncation
checks (the walk stops there).
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

FILE_DEFINITION = 26
MIN_BLOCK_BYTES = 5                 # method, content type, id, two sizes
MAX_RATIO = 10_000                  # raw size per compressed byte that any codec could claim
RAW_FLOOR = 64 << 20                # below this any claimed uncompressed size is let through
MAX_CONTAINERS = 10_000_000


class Layout(Exception):
    """A declared size or count that cannot be true."""


def itf8(data: bytes, pos: int) -> tuple[int, int]:
    """CRAM's ITF8 integer at ``pos``: (value, position after it)."""
    b = data[pos]
    n = 0 if b < 0x80 else 1 if b < 0xC0 else 2 if b < 0xE0 else 3 if b < 0xF0 else 4
    if pos + n >= len(data):
        raise IndexError(pos)
    if n < 4:
        value = b & (0x7F >> n)
        for k in range(1, n + 1):
            value = (value << 8) | data[pos + k]
        return value, pos + n + 1
    value = ((b & 0x0F) << 28 | data[pos + 1] << 20 | data[pos + 2] << 12 | data[pos + 3] << 4
             | (data[pos + 4] & 0x0F))
    return value, pos + 5


def ltf8(data: bytes, pos: int) -> tuple[int, int]:
    b = data[pos]
    n = 0
    while n < 8 and b & (0x80 >> n):
        n += 1
    if pos + n >= len(data):
        raise IndexError(pos)
    value = b & (0x7F >> n) if n < 8 else 0
    for k in range(1, n + 1):
        value = (value << 8) | data[pos + k]
    return value, pos + n + 1


def layout_problem(path: Path) -> str | None:
    """Why the CRAM's declared sizes cannot be true, or None (also for files htslib will refuse)."""
    try:
        with open(path, "rb") as fh:
            return _walk(fh, path.stat().st_size)
    except Layout as exc:
        return str(exc)
    except (OSError, IndexError, struct.error):
        return None   # cut short or unreadable: the other checks say so


def _walk(fh: BinaryIO, size: int) -> str | None:
    head = fh.read(FILE_DEFINITION)
    if len(head) < 6 or not head.startswith(b"CRAM") or head[4] not in (2, 3):
        return None
    major = head[4]
    pos = FILE_DEFINITION
    for _ in range(MAX_CONTAINERS):
        if pos >= size:
            return None
        fh.seek(pos)
        raw = fh.read(4 + 5 * 5 + 9 * 2 + 5 + 5)
        if len(raw) < 4:
            return None
        (length,) = struct.unpack_from("<i", raw, 0)
        if length < 0:
            raise Layout(f"the container at byte {pos:,} declares a negative length")
        p = 4
        for _ in range(3):                       # reference id, start, span
            _, p = itf8(raw, p)
        records, p = itf8(raw, p)
        _, p = ltf8(raw, p)                      # record counter
        _, p = ltf8(raw, p)                      # bases
        blocks, p = itf8(raw, p)
        landmarks, p = itf8(raw, p)
        if blocks > length // MIN_BLOCK_BYTES + 1 or landmarks > blocks + 1:
            raise Layout(f"the container at byte {pos:,} declares {blocks:,} blocks and {landmarks:,} slices "
                         f"in {length:,} bytes")
        if records > 100 * length + 10_000:
            raise Layout(f"the container at byte {pos:,} declares {records:,} records in {length:,} bytes")
        fh.seek(pos + p)
        rest = fh.read(landmarks * 5 + 4)
        q = 0
        for _ in range(landmarks):
            _, q = itf8(rest, q)
        body = pos + p + q + (4 if major >= 3 else 0)
        if body + length > size:
            return None                           # truncated: the other checks report it
        _blocks(fh, body, body + length, blocks, major)
        pos = body + length
    return None


def _blocks(fh: BinaryIO, pos: int, end: int, count: int, major: int) -> None:
    for _ in range(count):
        if pos >= end:
            return
        fh.seek(pos)
        raw = fh.read(2 + 5 * 3)
        if len(raw) < 5:
            return
        p = 2
        _, p = itf8(raw, p)                       # content id
        compressed, p = itf8(raw, p)
        uncompressed, p = itf8(raw, p)
        if raw[0] == 0 and compressed != uncompressed:
            raise Layout(f"an uncompressed block at byte {pos:,} declares {uncompressed:,} bytes "
                         f"but holds {compressed:,}")
        if uncompressed > max(RAW_FLOOR, compressed * MAX_RATIO):
            raise Layout(f"a block at byte {pos:,} declares {uncompressed:,} uncompressed bytes from "
                         f"{compressed:,} compressed: the size is corrupt")
        pos += p + compressed + (4 if major >= 3 else 0)
