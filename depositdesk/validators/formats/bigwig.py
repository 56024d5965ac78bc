"""bigWig and bigBed validators.

One pass over the file's structure and every data block, in bounded memory:
the header and every offset it declares (each must lie inside the file), the
chromosome tree, the R-tree index (every block's offset + size inside the
data section), then each block decompressed with zlib and its intervals
checked with numpy (start < end, within the chromosome, sorted, not
overlapping, finite values), and finally the header's total summary against
what the data holds. pyBigWig (libBigWig) is asked to open the file too, so
a file our reader accepts but the common library refuses is still flagged.
"""

from __future__ import annotations

import contextlib
import math
import os
import struct
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, ClassVar, cast

import numpy as np
import pyBigWig
from isal import isal_zlib

from depositdesk.findings import Severity, define
from depositdesk.progress import Task
from depositdesk.validators.base import Context, FormatValidator, Source, profile_rule, register
from depositdesk.validators.formats._bigwig_format import (
    HEADER_SIZE,
    BbiFile,
    BbiHeader,
    Block,
    Broken,
    Cut,
)

PART = "validators/bigwig"
E, W = Severity.ERROR, Severity.WARNING

NOT_BBI = define("BIGWIG-NOT-BBI", E, "Not a bigWig/bigBed file",
                 "The file's first bytes are not the bigWig/bigBed magic number: check it is the binary file "
                 "(made by wigToBigWig/bedToBigBed), not a renamed WIG/bedGraph/BED text file.", part=PART)
TRUNCATED = define("BIGWIG-TRUNCATED", E, "The file ends early: it was cut off while being copied or written",
                   "Copy the file again from its source and compare checksums; its header points past its end.",
                   part=PART)
HEADER = define("BIGWIG-HEADER", E, "The bigWig/bigBed header is inconsistent",
                "Re-create the file with wigToBigWig/bedGraphToBigWig/bedToBigBed.", part=PART)
CHROM_TREE = define("BIGWIG-CHROM-TREE", E, "The chromosome list is damaged",
                    "Re-create the file from its source with the right chrom.sizes.", part=PART)
INDEX = define("BIGWIG-INDEX", E, "The data index (R-tree) is damaged",
               "Re-create the file; browsers use this index to find data and would show gaps.", part=PART)
BLOCK = define("BIGWIG-BLOCK", E, "A data block cannot be decompressed or decoded",
               "The file is damaged: copy it again or re-create it.", part=PART)
INTERVAL = define("BIGWIG-INTERVAL", E, "An interval is empty, inverted or outside its chromosome",
                  "Intervals need start < end within the chromosome length: check the chrom.sizes used.",
                  part=PART)
ORDER = define("BIGWIG-ORDER", E, "Intervals are out of order or overlap",
               "Sort the input (sort -k1,1 -k2,2n) and remove overlaps before converting.", part=PART)
VALUE = define("BIGWIG-VALUE", W, "Data values that are not finite numbers (NaN or infinity)",
               "Remove NaN/inf values from the input before converting; tools treat them inconsistently.",
               part=PART)
SUMMARY = define("BIGWIG-SUMMARY", W, "The header's summary disagrees with the data",
                 "The file was probably modified after it was written; re-create it.", part=PART)
ZOOM = define("BIGWIG-ZOOM", E, "A zoom level is damaged",
              "Re-create the file; genome browsers read the zoom levels when zoomed out.", part=PART)
UNREADABLE = define("BIGWIG-UNREADABLE", E, "libBigWig (pyBigWig) cannot open the file",
                    "Tools built on libBigWig (deepTools, pyBigWig) will fail on it; re-create the file.",
                    part=PART)
EMPTY = define("BIGWIG-EMPTY", W, "The file holds no data", "An empty track is usually a failed step.", part=PART)
KIND = define("BIGWIG-KIND", W, "The file is a bigBed where a bigWig was expected, or the reverse",
              "Rename the file (.bw for bigWig, .bb for bigBed) so repositories and browsers read it right.",
              part=PART)
profile_rule("strict-modencode", EMPTY, E)

SECTION = np.dtype([("chrom", "u4"), ("start", "u4"), ("end", "u4"), ("step", "u4"), ("span", "u4"),
                    ("type", "u1"), ("reserved", "u1"), ("count", "u2")])
BEDGRAPH_ITEM = np.dtype([("start", "u4"), ("end", "u4"), ("value", "f4")])
VARSTEP_ITEM = np.dtype([("start", "u4"), ("value", "f4")])
PROGRESS_EVERY = 256
INFLATE_BATCH = 64
CHECK_BATCH = 128
INFLATE_ERRORS: tuple[type[BaseException], ...] = (zlib.error, cast(type[BaseException], isal_zlib.error))


@dataclass(frozen=True)
class Section:
    """One decoded bigWig section, waiting for the batched checks."""

    block: Block
    chrom: int
    starts: np.ndarray
    ends: np.ndarray
    values: np.ndarray


class _Scan:
    """Running state of the data scan: order across blocks and the totals for the summary."""

    def __init__(self, chrom_sizes: dict[int, tuple[str, int]], endian: str) -> None:
        self.chrom_sizes = chrom_sizes
        self.endian = endian
        self.last = (-1, 0)  # (chrom id, end) of the previous interval
        self.items = 0
        self.bases = 0
        self.minimum = math.inf
        self.maximum = -math.inf
        self.non_finite = 0


@register
class BigWigValidator(FormatValidator):
    format = "bigwig"
    version = "1"
    hashes_raw_bytes: ClassVar[bool] = False  # we seek around; the engine hashes beside us

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        stats: dict[str, Any] = {}
        try:
            with open(source.path, "rb") as fh:
                bbi = BbiFile(fh, source.size)
                stats = yield from self._check(bbi, source, ctx)
        except Cut as exc:
            ctx.report(TRUNCATED, str(exc))
        except Broken as exc:
            ctx.report(exc.code, str(exc))
        except OSError as exc:
            ctx.report(BLOCK, f"reading failed: {exc}")
        if not ctx.collector.worst or ctx.collector.worst < Severity.ERROR:
            self._library_view(source, ctx)  # a second opinion, when ours found nothing wrong
        source.bytes_read = source.size
        return stats

    def _check(self, bbi: BbiFile, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        header = bbi.header(NOT_BBI)
        if header.kind != self.format:
            ctx.report(KIND, f"the content is a {header.kind}, the file was taken for a {self.format}")
        self._check_offsets(header, source.size, ctx)
        chroms = self._chromosomes(bbi, header, ctx)
        scan = _Scan(chroms, header.endian)
        declared = bbi.unpack_at("Q", header.full_data_offset, "data section count")[0]
        count = blocks = 0
        if header.full_index_offset:  # writers leave it 0 in a file without data
            count = bbi.rtree_header(header.full_index_offset, "index")
            sections: list[Section] = []
            with ThreadPoolExecutor(2) as pool:
                for block, data, problem in self._inflated_blocks(bbi, header, ctx, pool):
                    blocks += 1
                    if problem:
                        ctx.report(BLOCK, f"block at byte {block.offset:,} {problem}")
                    elif header.kind == "bigwig":
                        section = self._bigwig_section(data, header, block, ctx)
                        if section is not None:
                            sections.append(section)
                    else:
                        self._bigbed_items(data, block, scan, ctx)
                    if len(sections) == CHECK_BATCH:
                        self._check_sections(sections, scan, ctx)
                        sections = []
                    if blocks % PROGRESS_EVERY == 0:
                        source.bytes_read = block.offset
                        yield source.progress("checking data blocks")
            self._check_sections(sections, scan, ctx)
        elif declared:
            ctx.report(INDEX, f"the data section declares {declared:,} entries but the file has no index")
        if blocks != count:
            ctx.report(INDEX, f"the index declares {count:,} blocks but holds {blocks:,}")
        if header.kind == "bigwig" and declared != blocks:
            ctx.report(INDEX, f"the data section declares {declared:,} sections but the index lists {blocks:,}")
        elif header.kind == "bigbed" and declared != scan.items:
            ctx.report(INDEX, f"the data section declares {declared:,} items but the blocks hold {scan.items:,}")
        self._check_zooms(bbi, header, ctx)
        self._check_summary(bbi, header, scan, ctx)
        if scan.items == 0:
            ctx.report(EMPTY)
        if scan.non_finite:
            ctx.report(VALUE, f"{scan.non_finite:,} values are NaN or infinite")
        return {"kind": header.kind, "chromosomes": len(chroms), "blocks": blocks, "intervals": scan.items,
                "bases": scan.bases, "zoom_levels": header.zoom_levels}

    # -- structure --------------------------------------------------------------------
    @staticmethod
    def _check_offsets(header: BbiHeader, size: int, ctx: Context) -> None:
        for name, offset in header.offsets().items():
            if offset >= size:
                raise Cut(f"the header points to the {name} at byte {offset:,}, past the end of the file "
                          f"({size:,} bytes)")
        required = {"chromosome tree": header.chrom_tree_offset, "data section": header.full_data_offset}
        for name, offset in required.items():
            if offset < HEADER_SIZE:
                raise Broken(HEADER, f"the {name} offset {offset} points into the header")
        if 0 < header.full_index_offset <= header.full_data_offset:
            ctx.report(HEADER, "the index starts before the data section it indexes")

    @staticmethod
    def _chromosomes(bbi: BbiFile, header: BbiHeader, ctx: Context) -> dict[int, tuple[str, int]]:
        chroms: dict[int, tuple[str, int]] = {}
        names: set[str] = set()
        for name, chrom_id, size in bbi.chromosomes(header.chrom_tree_offset):
            if chrom_id in chroms or name in names:
                ctx.report(CHROM_TREE, f"chromosome {name} (id {chrom_id}) is listed twice")
            if size == 0:
                ctx.report(CHROM_TREE, f"chromosome {name} has length 0")
            chroms[chrom_id] = (name, size)
            names.add(name)
        return chroms

    def _inflated_blocks(self, bbi: BbiFile, header: BbiHeader, ctx: Context, pool: ThreadPoolExecutor
                         ) -> Iterator[tuple[Block, bytes, str | None]]:
        """Every indexed block, read here in index order and inflated on the pool a batch ahead."""
        batch: list[tuple[Block, bytes]] = []
        pending: list[tuple[Block, Any]] = []
        limit = header.uncompress_buf_size
        for block in bbi.blocks(header.full_index_offset):
            batch.append((block, self._read_block(bbi, header, block, ctx)))
            if len(batch) == INFLATE_BATCH:
                for done, job in pending:
                    yield (done, *job.result())
                pending = [(b, pool.submit(inflate, raw, limit)) for b, raw in batch]
                batch = []
        for done, job in pending:
            yield (done, *job.result())
        for block, raw in batch:
            yield (block, *inflate(raw, limit))

    @staticmethod
    def _read_block(bbi: BbiFile, header: BbiHeader, block: Block, ctx: Context) -> bytes:
        if block.offset < header.full_data_offset or block.offset + block.size > header.full_index_offset:
            if block.offset + block.size > bbi.size:
                raise Cut(f"the data block at byte {block.offset:,} (+{block.size:,}) lies past the end of "
                          f"the file ({bbi.size:,} bytes)")
            ctx.report(INDEX, f"the data block at byte {block.offset:,} lies outside the data section")
        return bbi.read_at(block.offset, block.size, "data block")

    # -- data ----------------------------------------------------------------------------
    @staticmethod
    def _bigwig_section(data: bytes, header: BbiHeader, block: Block, ctx: Context) -> Section | None:
        """One bigWig section (bedGraph, varStep or fixedStep items) as start/end/value arrays."""
        where = f"block at byte {block.offset:,}"
        endian: Any = header.endian
        if len(data) < SECTION.itemsize:
            ctx.report(BLOCK, f"{where} is shorter than a section header")
            return None
        sec: Any = np.frombuffer(data, SECTION.newbyteorder(endian), 1)[0]
        kind, count = int(sec["type"]), int(sec["count"])
        body = data[SECTION.itemsize:]
        item = {1: BEDGRAPH_ITEM, 2: VARSTEP_ITEM, 3: np.dtype("f4")}.get(kind)
        if item is None or len(body) != count * item.itemsize:
            ctx.report(BLOCK, f"{where}: section type {kind} with {count} items does not match its "
                       f"{len(body)} bytes")
            return None
        items: Any = np.frombuffer(body, item.newbyteorder(endian), count)
        if kind == 1:
            starts, ends, values = items["start"], items["end"], items["value"]
        elif kind == 2:
            starts = items["start"].astype(np.int64)
            ends, values = starts + int(sec["span"]), items["value"]
        else:
            starts = int(sec["start"]) + int(sec["step"]) * np.arange(count, dtype=np.int64)
            ends, values = starts + int(sec["span"]), items
        return Section(block, int(sec["chrom"]), starts, ends, values)

    def _check_sections(self, sections: list[Section], scan: _Scan, ctx: Context) -> None:
        """The interval checks of many sections at once (numpy's per-call cost paid per batch, not per block).

        A section holds one chromosome, so chromosome order and sizes are checked per
        section and only starts/ends/values are whole-batch arrays.
        """
        sections = [sec for sec in sections if sec.starts.size and self._known_chromosome(sec, scan, ctx)]
        if not sections:
            return
        counts = np.array([sec.starts.size for sec in sections])
        bounds = np.cumsum(counts) - counts
        chroms = np.array([sec.chrom for sec in sections])
        sizes = np.array([scan.chrom_sizes[sec.chrom][1] for sec in sections])
        starts = np.concatenate([sec.starts for sec in sections]).astype(np.int64)
        ends = np.concatenate([sec.ends for sec in sections]).astype(np.int64)
        values = np.concatenate([sec.values for sec in sections])
        scan.items += int(starts.size)

        def at(i: int) -> str:
            sec = sections[int(np.searchsorted(bounds, i, "right")) - 1]
            name = scan.chrom_sizes[sec.chrom][0]
            return f"block at byte {sec.block.offset:,}: {name}:{starts[i]}-{ends[i]}"

        inverted = ends <= starts
        if inverted.any():
            ctx.report(INTERVAL, f"{at(int(np.argmax(inverted)))} has start >= end")
        beyond = np.flatnonzero(np.maximum.reduceat(ends, bounds) > sizes)
        if beyond.size:
            sec = int(beyond[0])
            i = int(bounds[sec]) + int(np.argmax(ends[bounds[sec]: bounds[sec] + counts[sec]] > sizes[sec]))
            ctx.report(INTERVAL, f"{at(i)} runs past the chromosome's end ({sizes[sec]:,})")
        scan.bases += int(ends.sum() - starts.sum())
        previous_chroms = np.concatenate(([scan.last[0]], chroms[:-1]))
        back = np.flatnonzero(chroms < previous_chroms)
        if back.size:
            late = sections[int(back[0])]
            ctx.report(ORDER, f"block at byte {late.block.offset:,}: {scan.chrom_sizes[late.chrom][0]} data "
                       "comes after a later chromosome's")
        previous_ends = np.empty_like(ends)
        previous_ends[0], previous_ends[1:] = scan.last[1], ends[:-1]
        previous_ends[bounds[chroms != previous_chroms]] = -1  # a new chromosome starts afresh
        overlap = starts < previous_ends
        if overlap.any():
            ctx.report(ORDER, f"{at(int(np.argmax(overlap)))} starts before the previous interval ends "
                       "(unsorted or overlapping)")
        scan.last = (int(chroms[-1]), int(ends[-1]))
        finite = np.isfinite(values)
        good = values if finite.all() else values[finite]
        scan.non_finite += int(values.size - good.size)
        if good.size:
            scan.minimum = min(scan.minimum, float(good.min()))
            scan.maximum = max(scan.maximum, float(good.max()))

    @staticmethod
    def _known_chromosome(sec: Section, scan: _Scan, ctx: Context) -> bool:
        where = f"block at byte {sec.block.offset:,}"
        if sec.chrom not in scan.chrom_sizes:
            scan.items += int(sec.starts.size)
            ctx.report(INTERVAL, f"{where}: chromosome id {sec.chrom} is not in the chromosome list")
            return False
        if not sec.block.start_chrom <= sec.chrom <= sec.block.end_chrom:
            ctx.report(INDEX, f"{where}: holds {scan.chrom_sizes[sec.chrom][0]} data but the index files it "
                       "under other chromosomes")
        return True

    def _bigbed_items(self, data: bytes, block: Block, scan: _Scan, ctx: Context) -> None:
        """bigBed records: chromId, start, end, then the rest of the BED line up to a NUL."""
        where = f"block at byte {block.offset:,}"
        head = struct.Struct(scan.endian + "III")
        runs: list[tuple[int, list[int], list[int]]] = []
        pos = 0
        while pos < len(data):
            stop = data.find(b"\0", pos + 12)
            if pos + 12 > len(data) or stop < 0:
                ctx.report(BLOCK, f"{where}: a record is cut short")
                break
            chrom, start, end = head.unpack_from(data, pos)
            if not runs or runs[-1][0] != chrom:
                runs.append((chrom, [], []))
            runs[-1][1].append(start)
            runs[-1][2].append(end)
            pos = stop + 1
        for chrom, starts, ends in runs:
            self._intervals(where, chrom, block, np.asarray(starts, np.int64), np.asarray(ends, np.int64),
                            scan, ctx, overlaps_ok=True)

    def _intervals(self, where: str, chrom: int, block: Block, starts: np.ndarray, ends: np.ndarray,
                   scan: _Scan, ctx: Context, *, overlaps_ok: bool = False) -> None:
        """Checks of one chromosome's run of intervals; ``overlaps_ok`` for bigBed (sorted by start only)."""
        n = int(starts.size)
        scan.items += n
        if n == 0:
            return
        known = scan.chrom_sizes.get(chrom)
        if known is None:
            ctx.report(INTERVAL, f"{where}: chromosome id {chrom} is not in the chromosome list")
            return
        name, size = known
        if not block.start_chrom <= chrom <= block.end_chrom:
            ctx.report(INDEX, f"{where}: holds {name} data but the index files it under other chromosomes")
        # a bigWig interval covers at least one base; a bigBed item may be empty (start == end: an
        # insertion point, as BED allows and bedToBigBed keeps), never inverted
        bad = ends < starts if overlaps_ok else ends <= starts
        if bad.any():
            i = int(np.argmax(bad))
            relation = "start > end" if overlaps_ok else "start >= end"
            ctx.report(INTERVAL, f"{where}: {name}:{starts[i]}-{ends[i]} has {relation}")
        beyond = ends > size
        if beyond.any():
            i = int(np.argmax(beyond))
            ctx.report(INTERVAL, f"{where}: {name}:{starts[i]}-{ends[i]} runs past the chromosome's end ({size:,})")
        scan.bases += int(np.clip(ends - starts, 0, None).sum())
        if scan.last[0] > chrom:
            ctx.report(ORDER, f"{where}: {name} data comes after a later chromosome's")
        previous = scan.last[1] if scan.last[0] == chrom else -1
        # bigWig intervals may not overlap: each starts at or after the previous end.
        # bigBed items may overlap but are sorted: each starts at or after the previous start.
        before = np.concatenate(([previous], starts[:-1] if overlaps_ok else ends[:-1]))
        out = starts < before
        if out.any():
            i = int(np.argmax(out))
            what = "unsorted" if overlaps_ok else "unsorted or overlapping"
            ctx.report(ORDER, f"{where}: {name}:{starts[i]}-{ends[i]} starts before the previous interval "
                       f"{'starts' if overlaps_ok else 'ends'} ({what})")
        scan.last = (chrom, int(starts[-1] if overlaps_ok else ends[-1]))

    # -- zoom levels, summary, library -------------------------------------------------------
    @staticmethod
    def _check_zooms(bbi: BbiFile, header: BbiHeader, ctx: Context) -> None:
        for level, (_, _data, index) in enumerate(header.zooms, 1):
            try:
                for block in bbi.blocks(index, f"zoom level {level} index"):
                    if block.offset + block.size > bbi.size:
                        raise Cut(f"zoom level {level} data block at byte {block.offset:,} lies past the end "
                                  f"of the file ({bbi.size:,} bytes)")
            except Broken as exc:
                ctx.report(ZOOM, f"zoom level {level}: {exc}")

    @staticmethod
    def _check_summary(bbi: BbiFile, header: BbiHeader, scan: _Scan, ctx: Context) -> None:
        if not header.total_summary_offset or header.kind != "bigwig" or not scan.items:
            return
        valid, low, high, _, _ = bbi.total_summary(header.total_summary_offset)
        if valid != scan.bases:
            ctx.report(SUMMARY, f"the summary counts {valid:,} bases with data, the data holds {scan.bases:,}")
        elif scan.maximum >= scan.minimum and (not math.isclose(low, scan.minimum, rel_tol=1e-6, abs_tol=1e-6)
                                               or not math.isclose(high, scan.maximum, rel_tol=1e-6, abs_tol=1e-6)):
            ctx.report(SUMMARY, f"the summary's range {low:g}..{high:g} differs from the data's "
                       f"{scan.minimum:g}..{scan.maximum:g}")

    @staticmethod
    def _library_view(source: Source, ctx: Context) -> None:
        """libBigWig's verdict: it raises a bare RuntimeError; make it a finding with the path."""
        try:
            with _quiet_stderr():
                handle = pyBigWig.open(str(source.path))
        except RuntimeError as exc:
            ctx.report(UNREADABLE, f"{source.path}: pyBigWig: {exc or 'could not open the file'}")
            return
        if handle is None:
            ctx.report(UNREADABLE, f"{source.path}: pyBigWig could not open the file")
            return
        handle.close()


def inflate(raw: bytes, limit: int) -> tuple[bytes, str | None]:
    """zlib-inflate one block with ISA-L (about twice zlib's speed); it must fit the header's buffer size.

    Runs on worker threads (ISA-L lets go of the GIL); returns the data and what is wrong, if anything.
    One-shot inflation is used for speed: a block is at most a few hundred KB on disk.
    """
    if not limit:
        return raw, None
    try:
        data = isal_zlib.decompress(raw, bufsize=limit)
    except INFLATE_ERRORS as exc:
        return b"", f"cannot be decompressed: {exc}"
    if len(data) > limit:
        return b"", f"inflates past the header's buffer size ({limit:,} bytes)"
    return data, None


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """libBigWig prints its errors on file descriptor 2; keep them off the user's terminal."""
    with _STDERR_LOCK:
        try:
            saved = os.dup(2)
        except OSError:
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
                yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


_STDERR_LOCK = threading.Lock()


@register
class BigBedValidator(BigWigValidator):
    format = "bigbed"
    version = "2"   # 2: an empty item (start == end, an insertion) is legal
