"""BED, bedGraph and narrowPeak/broadPeak validator (plain, gzip or BGZF).

Follows the BED specification (hts-specs BEDv1) where bedtools and UCSC
``validateFiles`` agree: TAB-separated, integer 0-based half-open
coordinates, start <= end, the typed columns of BED4..BED12, one column count
for the whole file. Sorting is a WARNING (only some tools need it).
Chromosome names and lengths are checked when the caller gives the genome's
sizes: ``options={"chrom_sizes": {"chr1": 248956422, ...}}`` (or a path to a
chrom.sizes file).

Blocks of plain records are checked with numpy (`_bed_fast`); any block with
something unusual is read line by line (`_bed_lines`), which words the findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from depositdesk.progress import Task
from depositdesk.validators.base import Context, FormatValidator, Source, register
from depositdesk.validators.formats import _bed_codes as c
from depositdesk.validators.formats._bed_codes import *  # noqa: F403 - the codes, for importers
from depositdesk.validators.formats._bed_fast import Scan, scan_block
from depositdesk.validators.formats._bed_lines import (
    BedLineChecker,
    Record,
    block_problem,
    kind_for,
)
from depositdesk.validators.formats._textlines import ReadCodes, check_text, decode_lines


def chrom_sizes_option(value: Any) -> dict[str, int] | None:
    """``chrom_sizes`` as given: a mapping, or a path to a two-column chrom.sizes file."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): int(v) for k, v in value.items()}
    sizes: dict[str, int] = {}
    for line in Path(value).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            sizes[parts[0]] = int(parts[1])
    return sizes


HEAD = 64 << 10  # read line by line until the first record has fixed the column layout


class RecordOrder:
    """Checks across records: sort order, bedGraph overlaps, chromosome names and lengths."""

    def __init__(self, ctx: Context, kind: str, sizes: dict[str, int] | None) -> None:
        self.ctx = ctx
        self.kind = kind
        self.sizes = sizes
        self.sorted = True
        self.overlap_free = True
        self.last_chrom: str | None = None
        self.last_start = -1
        self.last_end = -1
        self.seen: set[str] = set()
        self.unknown: set[str] = set()
        self.chromosomes = 0

    def add_runs(self, run_first: np.ndarray, names: list[str], starts: np.ndarray, ends: np.ndarray,
                 line_of: np.ndarray) -> None:
        bounds = [*run_first.tolist(), len(starts)]
        for r, name in enumerate(names):
            a, b = bounds[r], bounds[r + 1]
            self._run(name, starts[a:b], ends[a:b], line_of[a:b])

    def _run(self, name: str, starts: np.ndarray, ends: np.ndarray, lines: np.ndarray) -> None:
        if self.sizes is not None:
            self._against_genome(name, ends, lines)
        if name != self.last_chrom:
            if name in self.seen and self.sorted:
                self._unsorted(f"records of '{name}' appear again after other chromosomes", int(lines[0]))
            self.seen.add(name)
            self.chromosomes = len(self.seen)
            self.last_chrom, self.last_start, self.last_end = name, -1, -1
        if self.sorted or (self.kind == "bedgraph" and self.overlap_free):
            self._within(name, starts, ends, lines)
        self.last_start, self.last_end = int(starts[-1]), int(ends[-1])

    def _within(self, name: str, starts: np.ndarray, ends: np.ndarray, lines: np.ndarray) -> None:
        prev_starts = np.concatenate(([self.last_start], starts[:-1]))
        prev_ends = np.concatenate(([self.last_end], ends[:-1]))
        if self.sorted:
            down = np.flatnonzero(starts < prev_starts)
            if down.size:
                self._unsorted(f"on '{name}' the start {int(starts[down[0]])} comes after "
                               f"{int(prev_starts[down[0]])}", int(lines[down[0]]))
        if self.kind == "bedgraph" and self.overlap_free:
            hit = np.flatnonzero(starts < prev_ends)
            if hit.size:
                self.overlap_free = False
                self.ctx.report(c.OVERLAP, f"on '{name}' the interval starting at {int(starts[hit[0]])} overlaps "
                                f"the one before, which ends at {int(prev_ends[hit[0]])}", line=int(lines[hit[0]]))

    def _unsorted(self, message: str, line: int) -> None:
        self.sorted = False
        self.ctx.report(c.UNSORTED, message, line=line)

    def _against_genome(self, name: str, ends: np.ndarray, lines: np.ndarray) -> None:
        assert self.sizes is not None
        size = self.sizes.get(name)
        if size is None:
            if name not in self.unknown:
                self.unknown.add(name)
                self.ctx.report(c.CHROM_UNKNOWN, f"chromosome '{name}' is not in the genome's chromosome sizes",
                                line=int(lines[0]), column=1)
            return
        beyond = np.flatnonzero(ends > size)
        if beyond.size:
            self.ctx.report(c.END_BEYOND_CHROM, f"chromEnd {int(ends[beyond[0]])} is beyond the end of '{name}' "
                            f"({size:,})", line=int(lines[beyond[0]]), column=3)


class BedFile:
    """One pass over a BED-family file: fast blocks, precise fallback, cross-record checks."""

    def __init__(self, ctx: Context, kind: str) -> None:
        self.ctx = ctx
        self.lines = BedLineChecker(ctx, kind)
        self.order = RecordOrder(ctx, kind, chrom_sizes_option(ctx.options.get("chrom_sizes")))
        self.fast_blocks = 0
        self.records = 0

    def feed(self, chunk: bytes, first_line: int) -> None:
        if self.lines.layout is None and len(chunk) > HEAD:
            cut = chunk.find(b"\n", HEAD) + 1 or len(chunk)
            self._precise(chunk[:cut], first_line)  # headers and the first record fix the layout
            chunk, first_line = chunk[cut:], first_line + chunk.count(b"\n", 0, cut)
            if not chunk:
                return
        layout = self.lines.layout
        scan = scan_block(chunk, layout) if layout is not None else None
        if scan is None:
            self._precise(chunk, first_line)
            return
        self.fast_blocks += 1
        n = len(scan.starts)
        self.records += n
        self.lines.records += n
        self.order.kind = layout.kind if layout else self.order.kind
        self._rows(scan, first_line)
        self.order.add_runs(scan.run_first, scan.run_names, scan.starts, scan.ends,
                            np.arange(first_line, first_line + n))

    def _rows(self, scan: Scan, first_line: int) -> None:
        """Columns 9-12 of BED9+ files: checked per line by the precise reader's rules."""
        for i, text in scan.rows:
            parts = text.decode("ascii").split("\t")
            line = first_line + i
            self.lines.rgb(parts[0], line)
            if len(parts) >= 4:
                problem = block_problem(parts[1], parts[2], parts[3], int(scan.ends[i] - scan.starts[i]))
                if problem:
                    self.ctx.report(c.BLOCKS_INVALID, problem, line=line, column=10)

    def _precise(self, chunk: bytes, first_line: int) -> None:
        texts, utf8 = decode_lines(chunk)
        if not utf8:
            self.lines.once(c.NOT_UTF8, "bytes that are not UTF-8 text", first_line)
        records: list[Record] = []
        numbers: list[int] = []
        for offset, text in enumerate(texts):
            record = self.lines.check(text, first_line + offset)
            if record is not None:
                records.append(record)
                numbers.append(first_line + offset)
        self.records += len(records)
        if self.lines.layout is not None:
            self.order.kind = self.lines.layout.kind
        if records:
            self._order_records(records, numbers)

    def _order_records(self, records: list[Record], numbers: list[int]) -> None:
        names = [r[0] for r in records]
        firsts = [0] + [i for i in range(1, len(names)) if names[i] != names[i - 1]]
        self.order.add_runs(np.array(firsts, dtype=np.int64), [names[i] for i in firsts],
                            np.array([r[1] for r in records], dtype=np.int64),
                            np.array([r[2] for r in records], dtype=np.int64), np.array(numbers))

    def finish(self) -> dict[str, Any]:
        if self.lines.records == 0:  # no data line at all (broken ones count: they have their own findings)
            self.ctx.report(c.EMPTY, "no records")
        layout = self.lines.layout
        return {"records": self.records, "layout": layout.name if layout else None,
                "chromosomes": self.order.chromosomes, "sorted": self.order.sorted,
                "fast_blocks": self.fast_blocks}


class _BedFamilyValidator(FormatValidator):
    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        kind = kind_for(source.sniffed.format or self.format, source.sniffed.detail, source.path.name)
        codes = ReadCodes(c.TRUNCATED, c.UNREADABLE)
        return (yield from check_text(source, ctx, BedFile(ctx, kind), codes, "checking BED records"))


@register
class BedValidator(_BedFamilyValidator):
    """BED3-BED12, BED+ and narrowPeak/broadPeak (the sniffer's detail tells the flavour)."""

    format = "bed"
    version = "2"   # 2: space-separated fields are BEDv1 (BED-NOT-TAB a warning), their records checked


@register
class BedGraphValidator(_BedFamilyValidator):
    """bedGraph: chrom, start, end, value."""

    format = "bedgraph"
    version = "2"


@register
class NarrowPeakValidator(_BedFamilyValidator):
    """ENCODE narrowPeak (BED6+4), when a caller names the format explicitly."""

    format = "narrowpeak"
    version = "2"
