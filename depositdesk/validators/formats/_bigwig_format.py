"""The bigWig/bigBed (UCSC "bbi") container read with struct: header, zoom headers,
chromosome B+ tree and the R-tree index of data blocks.

Why our own reader: libBigWig (pyBigWig) and pybigtools open a truncated file
without complaint and return fewer or no intervals. Reading the offsets
ourselves lets every one be checked against the file size, and walking the
R-tree gives every data block's offset and size to check and decompress.
Layout: Kent et al. 2010, and kent/src/inc/bbiFile.h, bPlusTree.h, cirTree.h.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

BIGWIG_MAGIC = 0x888FFC26
BIGBED_MAGIC = 0x8789F2EB
CHROM_TREE_MAGIC = 0x78CA8C91
RTREE_MAGIC = 0x2468ACE0
HEADER_SIZE = 64
ZOOM_HEADER_SIZE = 24
MAX_ZOOM_LEVELS = 64  # bbiFile.h: bbiMaxZoomLevels is 10; leave room for other writers
MAX_NODES = 1 << 22  # a guard against index loops in damaged files


class Cut(Exception):
    """The file ends before something its header or index points to."""


class Broken(Exception):
    """A structure is wrong; ``code`` says which one (a finding code)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class BbiHeader:
    kind: str  # "bigwig" | "bigbed"
    endian: str  # struct prefix "<" or ">"
    version: int
    zoom_levels: int
    chrom_tree_offset: int
    full_data_offset: int
    full_index_offset: int
    field_count: int
    defined_field_count: int
    auto_sql_offset: int
    total_summary_offset: int
    uncompress_buf_size: int
    extension_offset: int
    zooms: list[tuple[int, int, int]] = field(default_factory=list)  # (reduction, data offset, index offset)

    def offsets(self) -> dict[str, int]:
        """Every offset the header declares (0 = absent for the optional ones)."""
        named = {"chromosome tree": self.chrom_tree_offset, "data section": self.full_data_offset,
                 "index": self.full_index_offset, "autoSql": self.auto_sql_offset,
                 "total summary": self.total_summary_offset, "extension header": self.extension_offset}
        for i, (_, data, index) in enumerate(self.zooms, 1):
            named[f"zoom level {i} data"] = data
            named[f"zoom level {i} index"] = index
        return named


@dataclass(frozen=True)
class Block:
    """One R-tree leaf item: a data block and the range it claims to cover."""

    start_chrom: int
    start_base: int
    end_chrom: int
    end_base: int
    offset: int
    size: int


class BbiFile:
    """Bounds-checked reads from an open bbi file."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh = fh
        self.size = size
        self.endian = "<"

    def read_at(self, offset: int, n: int, what: str) -> bytes:
        if offset < 0 or offset + n > self.size:
            raise Cut(f"the {what} at byte {offset:,} (+{n:,}) lies past the end of the file "
                      f"({self.size:,} bytes)")
        self.fh.seek(offset)
        data = self.fh.read(n)
        if len(data) != n:
            raise Cut(f"the {what} at byte {offset:,} could not be read whole")
        return data

    def unpack_at(self, fmt: str, offset: int, what: str) -> tuple[int, ...]:
        s = struct.Struct(self.endian + fmt)
        return s.unpack(self.read_at(offset, s.size, what))

    # -- header ------------------------------------------------------------------------
    def header(self, not_bbi_code: str) -> BbiHeader:
        raw = self.read_at(0, HEADER_SIZE, "header") if self.size >= 4 else b""
        if len(raw) < 4:
            raise Broken(not_bbi_code, "the file is shorter than a bigWig/bigBed header")
        kind = None
        for endian in ("<", ">"):
            magic = struct.unpack(endian + "I", raw[:4])[0]
            if magic in (BIGWIG_MAGIC, BIGBED_MAGIC):
                kind, self.endian = ("bigwig" if magic == BIGWIG_MAGIC else "bigbed"), endian
        if kind is None:
            raise Broken(not_bbi_code, f"the first bytes {raw[:4].hex()} are not the bigWig or bigBed magic "
                         "number")
        values = struct.unpack(self.endian + "IHHQQQHHQQIQ", raw)
        header = BbiHeader(kind, self.endian, *values[1:])
        if header.zoom_levels > MAX_ZOOM_LEVELS:
            raise Broken(not_bbi_code, f"the header declares {header.zoom_levels} zoom levels: not a "
                         "plausible bigWig/bigBed header")
        for i in range(header.zoom_levels):
            reduction, _, data, index = self.unpack_at("IIQQ", HEADER_SIZE + i * ZOOM_HEADER_SIZE,
                                                       f"zoom level {i + 1} header")
            header.zooms.append((reduction, data, index))
        return header

    # -- chromosome B+ tree -------------------------------------------------------------
    def chromosomes(self, offset: int) -> Iterator[tuple[str, int, int]]:
        """(name, id, size) of every chromosome, from the B+ tree's leaves."""
        magic, _block, key_size, val_size, count, _ = self.unpack_at("IIIIQQ", offset, "chromosome tree header")
        if magic != CHROM_TREE_MAGIC:
            raise Broken("BIGWIG-CHROM-TREE", f"the chromosome tree at byte {offset:,} has a wrong magic number")
        if val_size != 8 or not 0 < key_size <= 255:
            raise Broken("BIGWIG-CHROM-TREE", f"chromosome tree key/value sizes {key_size}/{val_size} are "
                         "not those of a bigWig/bigBed")
        yield from self._chrom_node(offset + 32, key_size, set())

    def _chrom_node(self, offset: int, key_size: int, seen: set[int]) -> Iterator[tuple[str, int, int]]:
        if offset in seen or len(seen) > MAX_NODES:
            raise Broken("BIGWIG-CHROM-TREE", f"the chromosome tree loops back to byte {offset:,}")
        seen.add(offset)
        is_leaf, _, count = self.unpack_at("BBH", offset, "chromosome tree node")
        item = key_size + 8
        raw = self.read_at(offset + 4, count * item, "chromosome tree node")
        for i in range(count):
            key = raw[i * item: i * item + key_size].rstrip(b"\0").decode("ascii", "replace")
            if is_leaf:
                chrom_id, chrom_size = struct.unpack_from(self.endian + "II", raw, i * item + key_size)
                yield key, chrom_id, chrom_size
            else:
                (child,) = struct.unpack_from(self.endian + "Q", raw, i * item + key_size)
                yield from self._chrom_node(child, key_size, seen)

    # -- R-tree of data blocks --------------------------------------------------------------
    def rtree_header(self, offset: int, what: str) -> int:
        """Check an R-tree's header; returns its declared item (block) count."""
        magic, _block, count = self.unpack_at("IIQ", offset, f"{what} header")[:3]
        self.read_at(offset, 48, f"{what} header")
        if magic != RTREE_MAGIC:
            raise Broken("BIGWIG-INDEX", f"the {what} at byte {offset:,} has a wrong magic number")
        return count

    def blocks(self, offset: int, what: str = "index") -> Iterator[Block]:
        """Every leaf item of the R-tree at ``offset``, in file order of the tree walk."""
        self.rtree_header(offset, what)
        yield from self._rtree_node(offset + 48, what, set())

    def _rtree_node(self, offset: int, what: str, seen: set[int]) -> Iterator[Block]:
        if offset in seen or len(seen) > MAX_NODES:
            raise Broken("BIGWIG-INDEX", f"the {what} loops back to byte {offset:,}")
        seen.add(offset)
        is_leaf, _, count = self.unpack_at("BBH", offset, f"{what} node")
        if is_leaf:
            raw = self.read_at(offset + 4, count * 32, f"{what} leaf")
            for values in struct.iter_unpack(self.endian + "IIIIQQ", raw):
                yield Block(*values)
        else:
            raw = self.read_at(offset + 4, count * 24, f"{what} node")
            for values in struct.iter_unpack(self.endian + "IIIIQ", raw):
                yield from self._rtree_node(values[4], what, seen)

    def total_summary(self, offset: int) -> tuple[int, float, float, float, float]:
        return self.unpack_at("Qdddd", offset, "total summary")  # type: ignore[return-value]
