"""BAM decoded in bulk: BGZF blocks inflated by ISA-L on worker threads, records checked with numpy.

Why not pysam record by record: touching eight attributes of every read costs
about 1.5 µs in Python, which made a 5-million-read BAM take longer than
Picard. Here one Python step per record finds where it starts (a BAM record
begins with its own length), and every check of the fixed fields, CIGAR
lengths, order and read groups runs as array operations over a few MB of
records at a time. Only records that fail go through `RecordRules` one by one
to build their messages, so findings read exactly as for SAM text and CRAM.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, BinaryIO

import numpy as np
from isal import igzip, isal_zlib

from depositdesk.progress import Task
from depositdesk.validators.base import Context, Source
from depositdesk.validators.formats import _sam_codes as c
from depositdesk.validators.formats._sam_bam_records import BamChunkChecker, Damaged
from depositdesk.validators.formats._sam_binary import compare_binary_references, missing_eof_marker
from depositdesk.validators.formats._sam_header import check_header_text

RAW_CHUNK = 4 << 20  # compressed bytes read at a time (about 16 MB of records)
GROUP_BYTES = 1 << 20  # compressed bytes inflated per pool task
# magic+flags, mtime, xfl, os, xlen, subfield id, subfield length, block size - 1
BGZF_HEAD = struct.Struct("<4sIBBHHHH")


class Cut(Exception):
    """The file ends inside a BGZF block or a record."""


def _inflate(block: bytes) -> bytes:
    """One BGZF block: raw deflate data, then CRC32 and ISIZE, both checked."""
    crc, size = struct.unpack_from("<II", block, len(block) - 8)
    data = isal_zlib.decompress(memoryview(block)[18:-8], wbits=-15, bufsize=max(size, 1))
    if size != len(data) or isal_zlib.crc32(data) != crc:
        raise Damaged("a BGZF block fails its CRC/size check: the file is corrupted")
    return data


def _inflate_group(group: bytes) -> bytes:
    """Whole consecutive BGZF blocks inflated at once (a BGZF file is a multi-member gzip: the C
    decoder checks each member's CRC and size). One pool task per group, not per block: a file of
    300,000 one-byte blocks spent 13 s in per-block Python and thread-pool overhead."""
    try:
        return igzip.decompress(group)
    except (OSError, EOFError, ValueError, isal_zlib.error):  # type: ignore[misc]
        blocks, _ = _blocks(group, 0, target=0)  # again block by block, to say what is wrong
        return b"".join([_inflate(block) for block in blocks])


def _blocks(raw: bytes, at: int, target: int = GROUP_BYTES) -> tuple[list[bytes], int]:
    """Split whole BGZF blocks off ``raw`` in groups of about ``target`` bytes; returns the groups
    and the bytes consumed. Headers are checked block by block (one unpack each)."""
    groups: list[bytes] = []
    head = BGZF_HEAD.unpack_from
    pos = first = 0
    end = len(raw)
    while pos + 18 <= end:
        magic, _, _, _, xlen, sub_id, sub_len, size = head(raw, pos)
        if magic[:3] != b"\x1f\x8b\x08" or not magic[3] & 4 or sub_id != 0x4342 or sub_len != 2:
            raise Damaged(f"no BGZF block header at byte {at + pos:,}: not a BAM file, or corrupted")
        size += 1
        if xlen != 6 or size < 26:
            raise Damaged(f"malformed BGZF block header at byte {at + pos:,}")
        if pos + size > end:
            break
        pos += size
        if pos - first >= target:
            groups.append(raw[first:pos])
            first = pos
    if pos > first:
        groups.append(raw[first:pos])
    return groups, pos


def inflated(fh: BinaryIO, pool: ThreadPoolExecutor) -> Iterator[tuple[list[bytes], int]]:
    """Decompressed blocks in chunks with the raw offset reached; the next chunk inflates meanwhile."""
    leftover, offset = b"", 0
    pending = None
    while True:
        raw = fh.read(RAW_CHUNK)
        data = leftover + raw
        blocks, used = _blocks(data, offset)
        leftover, offset = data[used:], offset + used
        job = pool.map(_inflate_group, blocks) if blocks else None
        if pending is not None:
            yield list(pending[0]), pending[1]
        pending = (job, offset) if job is not None else None
        if not raw:
            break
    if pending is not None:
        yield list(pending[0]), pending[1]
    if leftover:
        raise Cut(f"the file ends inside a BGZF block ({len(leftover):,} bytes left over)")


def parse_header(buf: bytes) -> tuple[str, list[str], list[int], int] | None:
    """(text, reference names, lengths, bytes used), or None when ``buf`` does not hold it all yet."""
    if len(buf) < 12:
        return None
    if buf[:4] != b"BAM\x01":
        raise Damaged("the data does not start with the BAM magic 'BAM\\1'")
    (l_text,) = struct.unpack_from("<i", buf, 4)
    if l_text < 0:
        raise Damaged("the BAM header has a negative text length")
    pos = 8 + l_text
    if len(buf) < pos + 4:
        return None
    text = buf[8:pos].split(b"\0", 1)[0].decode("utf-8", "replace")
    (n_ref,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    names, lengths = [], []
    for _ in range(max(n_ref, 0)):
        if len(buf) < pos + 4:
            return None
        (l_name,) = struct.unpack_from("<i", buf, pos)
        if l_name < 1:
            raise Damaged("a BAM reference name has length < 1")
        if len(buf) < pos + 8 + l_name:
            return None
        names.append(buf[pos + 4: pos + 3 + l_name].decode("utf-8", "replace"))
        lengths.append(struct.unpack_from("<i", buf, pos + 4 + l_name)[0])
        pos += 8 + l_name
    return text, names, lengths, pos


def record_offsets(buf: bytes, start: int) -> tuple[np.ndarray, int]:
    """Where each whole record in ``buf[start:]`` begins; and where the first partial one starts.

    The one per-record Python loop of the BAM path, so it is kept to one unpack
    and one chained comparison (which also stops at a size below the fixed 32
    bytes, so a damaged length can never send it backwards).
    """
    size_at = struct.Struct("<i").unpack_from
    offsets: list[int] = []
    append = offsets.append
    pos, limit = start, len(buf)
    try:
        while True:
            following = pos + 4 + size_at(buf, pos)[0]
            if not pos + 36 <= following <= limit:
                break
            append(pos)
            pos = following
    except struct.error:
        pass  # fewer than 4 bytes left: the next record starts in the next chunk
    if pos + 4 <= limit and size_at(buf, pos)[0] < 32:
        raise Damaged(f"a record declares {size_at(buf, pos)[0]} bytes, fewer than a BAM record's fixed 32")
    return np.asarray(offsets, dtype=np.int64), pos


def read_bam(source: Source, ctx: Context) -> Task[dict[str, Any]]:
    """Check a BAM in chunks; a task returning its statistics."""
    why = missing_eof_marker(source.path, "bam")
    if why:
        ctx.report(c.TRUNCATED, f"{why}; the file was probably cut off")
    checker: BamChunkChecker | None = None
    buf = b""
    try:
        with open(source.path, "rb") as fh, ThreadPoolExecutor(2) as pool:
            for blocks, offset in inflated(fh, pool):
                buf = b"".join([buf, *blocks])  # one copy: the record left over plus the new blocks
                start = 0
                if checker is None:
                    header = parse_header(buf)
                    if header is None:
                        continue
                    text, names, lengths, start = header
                    sam_header = check_header_text(text, ctx, len(names))
                    compare_binary_references(ctx, sam_header, names, lengths)
                    checker = BamChunkChecker(ctx, sam_header, names, lengths)
                offsets, used = record_offsets(buf, start)
                checker.check(buf, offsets)
                buf = buf[used:]
                source.bytes_read = offset
                yield source.progress("checking alignments")
        if checker is None:
            raise Cut("the file ends inside the BAM header")
        if buf:
            raise Cut(f"the file ends inside a record ({len(buf):,} bytes of it)")
    except Cut as exc:
        ctx.report(c.TRUNCATED, str(exc) if checker is None else f"after record {checker.records:,}: {exc}")
        if checker is not None:
            checker.cut_short = True
    except (Damaged, isal_zlib.error) as exc:  # type: ignore[misc]
        where = "" if checker is None else f"after record {checker.records:,}: "
        ctx.report(c.UNREADABLE, f"{where}{exc}")
    source.bytes_read = source.size
    records = 0
    if checker is not None:
        checker.finish()
        records = checker.records
    return _stats(records, checker)


def _stats(records: int, checker: Any) -> dict[str, Any]:
    return {"records": records, "references": len(checker.references) if checker is not None else 0}

