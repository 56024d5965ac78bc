"""BED / bedGraph / narrowPeak validator: valid files, broken twins per rule, and the fast path's equivalence."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from depositdesk.findings import Finding, Severity
from depositdesk.progress import run
from depositdesk.validators.base import Context, Sniffed, Source
from depositdesk.validators.engine import validate_file
from depositdesk.validators.formats import _textlines, bed

BED6 = "chr1\t100\t200\tp1\t500\t+\nchr1\t150\t300\tp2\t0\t-\nchr2\t10\t20\tp3\t1000\t.\n"
BED12 = ("chr1\t1000\t5000\ttx1\t0\t+\t1200\t4800\t255,0,0\t3\t500,400,1000,\t0,2000,3000,\n"
         "chr1\t6000\t6100\ttx2\t0\t-\t6000\t6000\t0\t1\t100\t0\n")
BEDGRAPH = "track type=bedGraph\nchr1\t0\t100\t1.5\nchr1\t100\t250\t-2\nchr2\t0\t10\t3e-2\n"
NARROWPEAK = "chr1\t100\t250\t.\t0\t.\t17\t15.32\t-1\t75\nchr1\t300\t450\tpk2\t1000\t+\t6.1\t-1\t-1\t-1\n"


def check(tmp_path: Path, text: str | bytes, fmt: str = "bed", detail: str = "", name: str = "x.bed",
          options: dict | None = None, profile: str = "spec") -> list[Finding]:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    compression = "gzip" if name.endswith(".gz") else None
    ctx = Context(name, profile, options=options)
    validator = bed.BedGraphValidator() if fmt == "bedgraph" else bed.BedValidator()
    run(validator.run(Source(path, Sniffed(fmt, compression, detail), path.stat().st_size), ctx))
    return ctx.findings()


def codes(findings: list[Finding], at_least: Severity = Severity.WARNING) -> set[str]:
    return {f.code for f in findings if f.severity >= at_least}


@pytest.mark.parametrize(("text", "fmt", "detail"), [
    ("chr1\t0\t10\n", "bed", ""), (BED6, "bed", ""), (BED12, "bed", ""), (BEDGRAPH, "bedgraph", ""),
    (NARROWPEAK, "bed", "narrowPeak"), ("# comment\nbrowser position chr1\ntrack name=x\n" + BED6, "bed", ""),
], ids=["bed3", "bed6", "bed12", "bedgraph", "narrowpeak", "headers"])
def test_valid_files_give_no_finding(tmp_path: Path, text: str, fmt: str, detail: str) -> None:
    assert check(tmp_path, text, fmt, detail) == []


TWINS: dict[str, tuple[str, str, str]] = {
    # name: (text, flavour, expected code)
    "two_columns": ("chr1\t1\n", "bed", bed.COLUMN_COUNT),
    "column_count_changes": (BED6 + "chr3\t1\t2\n", "bed", bed.COLUMN_COUNT),
    "trailing_tab": ("chr1\t1\t5\nchr1\t6\t9\t\n", "bed", bed.EMPTY_FIELD),
    "start_not_integer": ("chr1\t.\t2\n", "bed", bed.COORD_NOT_INTEGER),
    "negative_start": ("chr1\t1\t10\nchr1\t-1\t10\n", "bed", bed.COORD_NEGATIVE),
    "start_after_end": ("chr1\t10\t5\n", "bed", bed.START_AFTER_END),
    "score_text": (BED6.replace("\t500\t", "\thigh\t"), "bed", bed.SCORE_INVALID),
    "strand_x": (BED6.replace("\t+\n", "\tx\n"), "bed", bed.STRAND_INVALID),
    "thick_outside": (BED12.replace("\t1200\t4800\t", "\t900\t4800\t"), "bed", bed.THICK_INVALID),
    "rgb_256": (BED12.replace("255,0,0", "256,0,0"), "bed", bed.RGB_INVALID),
    "block_count_mismatch": (BED12.replace("\t3\t500", "\t2\t500"), "bed", bed.BLOCKS_INVALID),
    "first_block_not_at_start": (BED12.replace("\t0,2000,3000,", "\t1,2000,3000,"), "bed", bed.BLOCKS_INVALID),
    "blocks_overlap": (BED12.replace("\t0,2000,3000,", "\t0,300,3000,"), "bed", bed.BLOCKS_INVALID),
    "last_block_short": (BED12.replace("500,400,1000,", "500,400,900,"), "bed", bed.BLOCKS_INVALID),
    "bedgraph_value_text": (BEDGRAPH.replace("\t-2\n", "\tn/a\n"), "bedgraph", bed.VALUE_INVALID),
    "narrowpeak_offset_beyond_peak": (NARROWPEAK.replace("\t75\n", "\t500\n"), "narrowPeak", bed.PEAK_FIELD),
    "narrowpeak_signal_text": (NARROWPEAK.replace("\t17\t", "\tstrong\t"), "narrowPeak", bed.PEAK_FIELD),
}


@pytest.mark.parametrize("defect", sorted(TWINS))
def test_each_broken_twin_gives_its_error(tmp_path: Path, defect: str) -> None:
    text, flavour, code = TWINS[defect]
    fmt = "bedgraph" if flavour == "bedgraph" else "bed"
    found = check(tmp_path, text, fmt, flavour if flavour != "bed" else "")
    assert code in codes(found, Severity.ERROR), [f.describe() for f in found]


@pytest.mark.parametrize(("text", "fmt", "code"), [
    (BED6.replace("\t500\t", "\t2000\t"), "bed", bed.SCORE_RANGE),
    (BED6.replace("\t500\t", "\t5.5\t"), "bed", bed.SCORE_RANGE),
    ("chr1\t100\t200\nchr1\t50\t60\n", "bed", bed.UNSORTED),
    ("chr1\t1\t2\nchr2\t1\t2\nchr1\t5\t6\n", "bed", bed.UNSORTED),
    ("chr1\t0\t100\t1\nchr1\t50\t150\t2\n", "bedgraph", bed.OVERLAP),
    ("chr1\t0\t10\r\n", "bed", bed.CRLF),
    ("chrom\tstart\tend\nchr1\t0\t10\n", "bed", bed.HEADER_LINE),
], ids=["score_2000", "score_float", "unsorted_starts", "chromosome_revisited", "bedgraph_overlap", "crlf",
        "heading_without_hash"])
def test_tolerated_oddities_are_warnings_not_errors(tmp_path: Path, text: str, fmt: str, code: str) -> None:
    found = check(tmp_path, text, fmt)
    assert code in codes(found) and not codes(found, Severity.ERROR), [f.describe() for f in found]


SPACED_BED6 = "chr7  127471196  127472363  Pos1  0  +\nchr7 127472363 127473530 Pos2 0 +\n"
"""Two lines of the BEDv1 specification's own example (section 2.1), written with spaces."""


def test_space_separated_bed_is_a_warning_under_spec_and_its_records_are_checked(tmp_path: Path) -> None:
    found = check(tmp_path, SPACED_BED6)
    assert [(f.code, f.severity, f.location.line) for f in found] == [(bed.NOT_TAB, Severity.WARNING, 1)]
    mixed = "chr1\t100\t200\tp1\t500\t+\nchr1 150 300 p2 0 -\nchr1 400 300 p3 0 +\nchr1 500 600 p4 0 x\n"
    found = check(tmp_path, mixed)
    assert {(f.code, f.location.line) for f in found} == {
        (bed.NOT_TAB, 2), (bed.START_AFTER_END, 3), (bed.STRAND_INVALID, 4)}
    assert codes(found, Severity.ERROR) == {bed.START_AFTER_END, bed.STRAND_INVALID}


def test_space_separated_bed_is_an_error_under_strict_modencode(tmp_path: Path) -> None:
    found = check(tmp_path, SPACED_BED6, profile="strict-modencode")
    assert codes(found, Severity.ERROR) == {bed.NOT_TAB}


def test_a_line_of_fewer_than_three_fields_however_separated_is_a_column_count(tmp_path: Path) -> None:
    assert codes(check(tmp_path, "chr1 100\n"), Severity.ERROR) == {bed.COLUMN_COUNT}


def test_chromosome_names_and_lengths_against_chrom_sizes(tmp_path: Path) -> None:
    sizes = {"chr1": 1000, "chr2": 500}
    found = check(tmp_path, "chr1\t0\t10\nchr1x\t0\t10\nchr2\t0\t600\n", options={"chrom_sizes": sizes})
    assert {(f.code, f.location.line) for f in found} == {(bed.CHROM_UNKNOWN, 2), (bed.END_BEYOND_CHROM, 3)}
    table = tmp_path / "genome.chrom.sizes"
    table.write_text("chr1\t1000\nchr2\t500\n")
    assert check(tmp_path, "chr2\t0\t500\n", options={"chrom_sizes": str(table)}) == []


def test_corpus_rows_that_need_chrom_sizes_fail_with_them(shared: Path) -> None:
    folder = shared / "conformance" / "bed"
    sizes = str(folder / "checkfiles__GRCh38.chrom.sizes")
    for name, code in (("checkfiles__invalid_chrom.bed", bed.CHROM_UNKNOWN),
                       ("checkfiles__invalid_size.bed", bed.END_BEYOND_CHROM)):
        report = run(validate_file(folder / name, use_cache=False, options={"chrom_sizes": sizes}))
        assert code in codes(report.findings, Severity.ERROR), name


def test_gzip_bed_and_its_truncation(tmp_path: Path) -> None:
    packed = gzip.compress((BED6 * 200).replace("chr2", "chr1").encode())
    assert not codes(check(tmp_path, packed, name="x.bed.gz"), Severity.ERROR)
    assert bed.TRUNCATED in codes(check(tmp_path, packed[:-30], name="cut.bed.gz"), Severity.ERROR)


def _sorted_bed(lines: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    rows: list[str] = []
    pos = 0
    for i in range(lines):
        chrom = f"chr{1 + i * 3 // lines}"
        pos = 0 if i and chrom != rows[-1].split("\t")[0] else pos
        pos += rng.randint(1, 50)
        rows.append(f"{chrom}\t{pos}\t{pos + rng.randint(1, 300)}\tn{i}\t{rng.randint(0, 1000)}\t{'+-.'[i % 3]}\n")
    return rows


def test_fast_path_finds_what_the_line_by_line_reader_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small read blocks so the numpy scan runs on many blocks; defects must keep their exact line numbers."""
    monkeypatch.setattr(_textlines, "BLOCK", 2048)
    monkeypatch.setattr(bed, "HEAD", 512)
    rows = _sorted_bed(3000)
    rows[1500] = rows[1500].replace("\t+\n", "\t*\n").replace("\t-\n", "\t*\n").replace("\t.\n", "\t*\n")
    rows[2200] = "\t".join([*rows[2200].split("\t")[:4], "1001", rows[2200].split("\t")[5]])
    rows[2500] = rows[2500].split("\t")[0] + "\t99999999\t5\tbad\t0\t+\n"
    text = "".join(rows)
    ctx_fast = _run(tmp_path, text)
    monkeypatch.setattr(bed, "scan_block", lambda chunk, layout: None)
    ctx_slow = _run(tmp_path, text)
    summary = [(f.code, f.location.line) for f in ctx_fast[1]]
    assert ctx_fast[0]["fast_blocks"] > 10
    assert summary == [(f.code, f.location.line) for f in ctx_slow[1]]
    assert (bed.STRAND_INVALID, 1501) in summary and (bed.SCORE_RANGE, 2201) in summary
    assert (bed.START_AFTER_END, 2501) in summary


def _run(tmp_path: Path, text: str) -> tuple[dict, list[Finding]]:
    path = tmp_path / "many.bed"
    path.write_text(text)
    ctx = Context("many.bed")
    stats = run(bed.BedValidator().run(Source(path, Sniffed("bed", None, "BED6"), path.stat().st_size), ctx))
    return stats, ctx.findings()


def test_engine_sniffs_and_validates_narrowpeak_by_content(tmp_path: Path) -> None:
    path = tmp_path / "peaks.narrowPeak"
    path.write_text(NARROWPEAK * 3)
    report = run(validate_file(path, use_cache=False))
    assert report.format == "bed" and not codes(report.findings, Severity.ERROR)
    assert report.stats["layout"] == "narrowPeak"


def test_fast_path_checks_bed12_blocks_line_by_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_textlines, "BLOCK", 1024)
    monkeypatch.setattr(bed, "HEAD", 256)
    good = BED12.split("\n")[0] + "\n"
    rows = [good.replace("\t1000\t5000\t", f"\t{1000 + i}\t{5000 + i}\t").replace("\t1200\t4800\t",
                                                                              f"\t{1200 + i}\t{4800 + i}\t")
            for i in range(400)]
    rows[333] = rows[333].replace("500,400,1000,", "500,400,999,")
    path = tmp_path / "tx.bed"
    path.write_text("".join(rows))
    ctx = Context("tx.bed")
    stats = run(bed.BedValidator().run(Source(path, Sniffed("bed", None, "BED12"), path.stat().st_size), ctx))
    assert stats["fast_blocks"] > 5
    assert [(f.code, f.location.line) for f in ctx.findings()] == [(bed.BLOCKS_INVALID, 334)]


def test_ten_columns_of_thick_part_and_colour_are_bed10_not_narrowpeak(tmp_path: Path) -> None:
    """UCSC BED10 and narrowPeak share a width; without a .narrowPeak name the first record decides."""
    bed10 = "chr5\t1000\t5000\tx\t1000\t+\t1000\t5000\t255,0,0\t2\nchr5\t6000\t7000\ty\t0\t-\t6000\t7000\t0\t1\n"
    assert check(tmp_path, bed10, detail="narrowPeak", name="loops.bed10") == []
    assert bed.PEAK_FIELD in codes(check(tmp_path, bed10, detail="narrowPeak", name="loops.narrowPeak"),
                                   Severity.ERROR)
