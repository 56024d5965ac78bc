"""bigWig/bigBed: a valid file and its broken twins, written byte by byte so each defect is exact.

`bbi_bytes` writes the UCSC layout (header, chromosome B+ tree, summary, zlib
blocks, R-tree index) the way bedGraphToBigWig does; a test checks that
pyBigWig reads its output, so the twins differ from a real file by their
defect only.
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

import pyBigWig
import pytest

from depositdesk.findings import Finding, Severity
from depositdesk.progress import run
from depositdesk.validators.base import Context, Sniffed, Source, validator_for
from depositdesk.validators.formats import bigwig  # noqa: F401 - registers the validators

BIGWIG_MAGIC = 0x888FFC26
BIGBED_MAGIC = 0x8789F2EB
CHROMS = [("chr1", 1000), ("chr2", 500)]
SECTIONS = [(0, [(0, 10, 1.0), (10, 20, 2.5), (100, 150, 0.5)]), (1, [(5, 6, 3.0), (400, 500, 1.0)])]

Sections = list[tuple[int, list[tuple[int, int, float]]]]


def bbi_bytes(chroms: list[tuple[str, int]] = CHROMS, sections: Sections = SECTIONS, *,
              magic: int = BIGWIG_MAGIC, summary_bases: int | None = None) -> bytes:
    key_size = max(len(name) for name, _ in chroms)
    tree = struct.pack("<IIIIQQ", 0x78CA8C91, len(chroms), key_size, 8, len(chroms), 0)
    tree += struct.pack("<BBH", 1, 0, len(chroms))
    for i, (name, size) in enumerate(chroms):
        tree += name.encode().ljust(key_size, b"\0") + struct.pack("<II", i, size)
    summary_off = 64 + len(tree)
    data_off = summary_off + 40
    bigbed = magic == BIGBED_MAGIC   # the data count is of sections (bigWig) or of items (bigBed)
    data = struct.pack("<Q", sum(len(items) for _, items in sections) if bigbed else len(sections))
    leaves, biggest = [], 0
    for chrom, items in sections:
        first, last = min(s for s, _, _ in items), max(e for _, e, _ in items)
        raw = struct.pack("<IIIIIBBH", chrom, first, last, 0, 0, 1, 0, len(items))
        raw += b"".join(struct.pack("<IIf", s, e, v) for s, e, v in items)
        if bigbed:   # bigBed: records of chromId, start, end and the rest of the BED line
            raw = b"".join(struct.pack("<III", chrom, s, e) + f"item{i}\t{int(v)}\t+".encode() + b"\0"
                           for i, (s, e, v) in enumerate(items))
        biggest = max(biggest, len(raw))
        packed = zlib.compress(raw)
        leaves.append((chrom, first, chrom, last, data_off + len(data), len(packed)))
        data += packed
    index_off = data_off + len(data)
    index = struct.pack("<IIQIIIIQII", 0x2468ACE0, 256, len(leaves), leaves[0][0], leaves[0][1],
                        leaves[-1][2], leaves[-1][3], index_off, 1, 0)
    index += struct.pack("<BBH", 1, 0, len(leaves)) + b"".join(struct.pack("<IIIIQQ", *leaf) for leaf in leaves)
    values = [v for _, items in sections for _, _, v in items]
    bases = sum(e - s for _, items in sections for s, e, _ in items)
    summary = struct.pack("<Qdddd", bases if summary_bases is None else summary_bases, min(values), max(values),
                          sum(values), sum(v * v for v in values))
    fields = 6 if magic == BIGBED_MAGIC else 0   # BED6: chrom start end name score strand
    header = struct.pack("<IHHQQQHHQQIQ", magic, 4, 0, 64, data_off, index_off, fields, fields, 0, summary_off,
                         biggest, 0)
    return header + tree + summary + data + index


def validate(path: Path, fmt: str = "bigwig", profile: str = "spec") -> tuple[list[Finding], dict]:
    cls = validator_for(fmt)
    assert cls is not None
    ctx = Context(path.name, profile)
    stats = run(cls().run(Source(path, Sniffed(fmt), path.stat().st_size), ctx))
    return ctx.findings(), stats


def codes(findings: list[Finding], at_least: Severity = Severity.ERROR) -> set[str]:
    return {f.code for f in findings if f.severity >= at_least}


def write(tmp_path: Path, data: bytes, name: str = "track.bw") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_test_writer_makes_files_pybigwig_reads(tmp_path: Path) -> None:
    bw = pyBigWig.open(str(write(tmp_path, bbi_bytes())))
    assert bw.chroms() == dict(CHROMS)
    assert bw.intervals("chr1") == tuple((s, e, v) for s, e, v in SECTIONS[0][1])
    bw.close()


def test_valid_file_passes_with_statistics(tmp_path: Path) -> None:
    findings, stats = validate(write(tmp_path, bbi_bytes()))
    assert codes(findings, Severity.WARNING) == set()
    assert stats == {"kind": "bigwig", "chromosomes": 2, "blocks": 2, "intervals": 5, "bases": 171,
                     "zoom_levels": 0}


def test_pybigwig_written_file_with_zoom_levels_passes(tmp_path: Path) -> None:
    path = tmp_path / "zoomed.bw"
    bw = pyBigWig.open(str(path), "w")
    bw.addHeader(CHROMS, maxZooms=4)
    bw.addEntries(["chr1"] * 300, list(range(0, 900, 3)), ends=list(range(2, 902, 3)),
                  values=[float(i % 7) for i in range(300)])
    bw.close()
    findings, stats = validate(path)
    assert not codes(findings, Severity.WARNING) and stats["intervals"] == 300 and stats["zoom_levels"] > 0


@pytest.mark.parametrize("keep", [10, 64, 200, 0.5, 0.9, -1])
def test_truncated_file_is_reported_as_truncated(tmp_path: Path, keep: float) -> None:
    data = bbi_bytes()
    n = int(len(data) * keep) if isinstance(keep, float) else (len(data) + keep if keep < 0 else keep)
    findings, _ = validate(write(tmp_path, data[:n]))
    assert codes(findings) & {"BIGWIG-TRUNCATED", "BIGWIG-NOT-BBI"}, [f.describe() for f in findings]
    if n >= 64:
        assert "BIGWIG-TRUNCATED" in codes(findings)


TWINS: dict[str, tuple[dict, str, Severity]] = {
    "unsorted_intervals": ({"sections": [(0, [(10, 20, 1.0), (0, 5, 1.0)])]}, "BIGWIG-ORDER", Severity.ERROR),
    "overlapping_intervals": ({"sections": [(0, [(0, 20, 1.0), (10, 30, 1.0)])]}, "BIGWIG-ORDER", Severity.ERROR),
    "chromosomes_out_of_order": ({"sections": [(1, [(0, 5, 1.0)]), (0, [(0, 5, 1.0)])]}, "BIGWIG-ORDER",
                                 Severity.ERROR),
    "empty_interval": ({"sections": [(0, [(10, 10, 1.0)])]}, "BIGWIG-INTERVAL", Severity.ERROR),
    "interval_past_chromosome_end": ({"sections": [(1, [(450, 501, 1.0)])]}, "BIGWIG-INTERVAL", Severity.ERROR),
    "unknown_chromosome_id": ({"sections": [(7, [(0, 5, 1.0)])]}, "BIGWIG-INTERVAL", Severity.ERROR),
    "chromosome_listed_twice": ({"chroms": [("chr1", 1000), ("chr1", 500)]}, "BIGWIG-CHROM-TREE", Severity.ERROR),
    "not_a_number_value": ({"sections": [(0, [(0, 5, math.nan), (5, 9, 1.0)])]}, "BIGWIG-VALUE", Severity.WARNING),
    "summary_disagrees": ({"summary_bases": 5}, "BIGWIG-SUMMARY", Severity.WARNING),
    "bad_magic": ({"magic": 0x12345678}, "BIGWIG-NOT-BBI", Severity.ERROR),
}


@pytest.mark.parametrize("defect", sorted(TWINS))
def test_broken_twin_is_reported(tmp_path: Path, defect: str) -> None:
    options, code, severity = TWINS[defect]
    findings, _ = validate(write(tmp_path, bbi_bytes(**options), f"{defect}.bw"))
    assert code in {f.code for f in findings if f.severity == severity}, [f.describe() for f in findings]


def test_corrupt_block_is_reported_not_raised(tmp_path: Path) -> None:
    data = bytearray(bbi_bytes())
    data_off = struct.unpack_from("<Q", data, 16)[0]
    data[data_off + 8 + 4: data_off + 8 + 12] = b"\xff" * 8  # inside the first zlib stream
    findings, _ = validate(write(tmp_path, bytes(data)))
    assert "BIGWIG-BLOCK" in codes(findings)


def test_index_with_wrong_magic(tmp_path: Path) -> None:
    data = bytearray(bbi_bytes())
    index_off = struct.unpack_from("<Q", data, 24)[0]
    data[index_off: index_off + 4] = b"\0\0\0\0"
    assert "BIGWIG-INDEX" in codes(validate(write(tmp_path, bytes(data)))[0])


def test_index_pointing_past_the_end_is_truncation(tmp_path: Path) -> None:
    data = bytearray(bbi_bytes())
    index_off = struct.unpack_from("<Q", data, 24)[0]
    struct.pack_into("<Q", data, index_off + 48 + 4 + 16, 10**9)  # first leaf's block offset
    assert "BIGWIG-TRUNCATED" in codes(validate(write(tmp_path, bytes(data)))[0])


def test_bigbed_corpus_file_passes_and_its_cut_copy_fails(tmp_path: Path, shared: Path) -> None:
    original = shared / "conformance" / "bigwig" / "pybigwig__test.bigBed"
    findings, stats = validate(original, "bigbed")
    assert not codes(findings) and stats["intervals"] == 19
    cut = write(tmp_path, original.read_bytes()[:1500], "cut.bigBed")  # inside the data blocks
    assert "BIGWIG-TRUNCATED" in codes(validate(cut, "bigbed")[0])


def test_bigbed_taken_for_bigwig_warns_of_the_kind(shared: Path) -> None:
    findings, _ = validate(shared / "conformance" / "bigwig" / "pybigwig__test.bigBed", "bigwig")
    assert "BIGWIG-KIND" in codes(findings, Severity.WARNING)


def test_empty_track_warns_under_spec_and_fails_strict(tmp_path: Path) -> None:
    path = tmp_path / "empty.bw"
    bw = pyBigWig.open(str(path), "w")
    bw.addHeader(CHROMS, maxZooms=0)
    bw.close()
    spec, _ = validate(path)
    assert not codes(spec)
    assert "BIGWIG-EMPTY" in codes(validate(path, profile="strict-modencode")[0])


def test_block_larger_than_the_declared_buffer(tmp_path: Path) -> None:
    """Readers allocate uncompressBufSize bytes per block: a bigger block would overrun them."""
    data = bytearray(bbi_bytes())
    struct.pack_into("<I", data, 52, 16)  # uncompressBufSize
    findings, _ = validate(write(tmp_path, bytes(data)))
    assert any(f.code == "BIGWIG-BLOCK" and "buffer size" in f.message for f in findings)


BED_SECTIONS = [(0, [(0, 10, 1.0), (50, 50, 2.0), (50, 80, 3.0), (900, 1000, 4.0)]), (1, [(7, 7, 5.0)])]
"""bigBed items with two empty ones (50-50 on chr1, 7-7 on chr2): insertion points, start == end."""


def test_the_test_writer_makes_bigbed_files_pybigwig_reads(tmp_path: Path) -> None:
    bb = pyBigWig.open(str(write(tmp_path, bbi_bytes(sections=BED_SECTIONS, magic=BIGBED_MAGIC), "x.bb")))
    assert bb.isBigBed() and bb.entries("chr2", 0, 500) == [(7, 7, "item0\t5\t+")]
    assert [e[:2] for e in bb.entries("chr1", 0, 1000)] == [(0, 10), (50, 50), (50, 80), (900, 1000)]
    bb.close()


def test_a_zero_length_bigbed_item_is_legal(tmp_path: Path) -> None:
    path = write(tmp_path, bbi_bytes(sections=BED_SECTIONS, magic=BIGBED_MAGIC), "insertions.bb")
    findings, stats = validate(path, "bigbed")
    assert codes(findings, Severity.WARNING) == set(), [f.describe() for f in findings]
    assert stats["intervals"] == 5 and stats["bases"] == 10 + 30 + 100


def test_an_inverted_bigbed_item_is_still_an_error(tmp_path: Path) -> None:
    inverted = [(0, [(0, 10, 1.0), (60, 50, 2.0)])]
    findings, _ = validate(write(tmp_path, bbi_bytes(sections=inverted, magic=BIGBED_MAGIC), "bad.bb"), "bigbed")
    assert any(f.code == "BIGWIG-INTERVAL" and "chr1:60-50 has start > end" in f.message for f in findings)


def test_a_zero_length_bigwig_interval_is_still_an_error(tmp_path: Path) -> None:
    empty = [(0, [(0, 10, 1.0), (20, 20, 2.0)])]
    findings, _ = validate(write(tmp_path, bbi_bytes(sections=empty)))
    assert any(f.code == "BIGWIG-INTERVAL" and "chr1:20-20 has start >= end" in f.message for f in findings)
