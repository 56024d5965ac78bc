"""Does a TIFF's own structure reach past its end? The IFD chain and tag values, read raw.

tifffile works around a file cut short when what is missing is a tag value
(an OME-XML description written last) or the next IFD: it warns and shows
fewer pages, so the strip ranges of the pages it did read all look fine. This
walk of the IFD chain (its tag values and strip/tile ranges, pages that
tifffile only infers included) finds the first offset that points past the
end of the file, so a truncated file is said to be truncated (IMG-TRUNCATED).
"""

from __future__ import annotations

import struct
from pathlib import Path

_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4,
              16: 8, 17: 8, 18: 8}
MAX_IFDS = 100_000
MAX_SEGMENT_TABLE = 8 * 1024 * 1024  # bytes of one strip/tile offset table read at most
_SEGMENT_TAGS = {273, 279, 324, 325}  # StripOffsets, StripByteCounts, TileOffsets, TileByteCounts
_INT_FORMAT = {3: "H", 4: "I", 16: "Q"}


def cut_short(path: Path, size: int) -> str:
    """Where the structure first points past the end ('' when it does not, or is not plain TIFF)."""
    try:
        with open(path, "rb") as handle:
            return _walk(handle, size)
    except (OSError, struct.error):
        return ""


def _walk(handle, size: int) -> str:  # type: ignore[no-untyped-def]
    head = handle.read(16)
    order = {b"II": "<", b"MM": ">"}.get(head[:2])
    if order is None:
        return ""
    version = struct.unpack(order + "H", head[2:4])[0]
    big = version == 43
    if version not in (42, 43):
        return ""
    count_fmt, entry_size, offset_fmt, inline = ("Q", 20, "Q", 8) if big else ("H", 12, "I", 4)
    offset = struct.unpack(order + offset_fmt, head[8:16] if big else head[4:8])[0]
    seen: set[int] = set()
    for ifd in range(MAX_IFDS):
        if offset == 0 or offset in seen:
            return ""
        seen.add(offset)
        width = struct.calcsize(count_fmt)
        if offset + width > size:
            return f"IFD {ifd} starts at byte {offset:,}, past the end of the file ({size:,} bytes)"
        handle.seek(offset)
        count = struct.unpack(order + count_fmt, handle.read(width))[0]
        end = offset + width + count * entry_size + struct.calcsize(offset_fmt)
        if end > size:
            return f"IFD {ifd} (bytes {offset:,}..{end:,}) runs past the end of the file ({size:,} bytes)"
        entries = handle.read(count * entry_size)
        next_at = handle.read(struct.calcsize(offset_fmt))
        values: dict[int, tuple[int, ...]] = {}
        for i in range(count):
            entry = entries[i * entry_size:(i + 1) * entry_size]
            tag, kind = struct.unpack(order + "HH", entry[:4])
            number = struct.unpack(order + offset_fmt, entry[4:4 + inline])[0]
            length = number * _TYPE_SIZE.get(kind, 1)
            raw = entry[4 + inline:4 + 2 * inline]
            if length > inline:
                at = struct.unpack(order + offset_fmt, raw)[0]
                if at + length > size:
                    return (f"IFD {ifd}: the value of tag {tag} spans bytes {at:,}..{at + length:,}, "
                            f"the file has {size:,} bytes")
                if tag in _SEGMENT_TAGS and kind in _INT_FORMAT and length <= MAX_SEGMENT_TABLE:
                    handle.seek(at)
                    raw = handle.read(length)
            if tag in _SEGMENT_TAGS and kind in _INT_FORMAT and len(raw) >= length:
                values[tag] = struct.unpack(f"{order}{number}{_INT_FORMAT[kind]}", raw[:length])
        problem = _segments_past_end(ifd, values, size)
        if problem:
            return problem
        offset = struct.unpack(order + offset_fmt, next_at)[0]
    return ""


def _segments_past_end(ifd: int, values: dict[int, tuple[int, ...]], size: int) -> str:
    for offsets_tag, counts_tag, kind in ((273, 279, "strip"), (324, 325, "tile")):
        offsets, counts = values.get(offsets_tag, ()), values.get(counts_tag, ())
        for i, (at, count) in enumerate(zip(offsets, counts, strict=False)):
            if count and at + count > size:
                return (f"IFD {ifd}: {kind} {i} of {len(offsets)} spans bytes {at:,}..{at + count:,}, "
                        f"the file has {size:,} bytes")
    return ""
