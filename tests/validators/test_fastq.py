"""FASTQ: every defect gets its code at the right line, in plain, gzip and BGZF, under both profiles."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest

from depositdesk.findings import Finding, Severity
from depositdesk.progress import run
from depositdesk.validators import codes as file_codes
from depositdesk.validators.engine import FileReport, validate_file, validate_files
from depositdesk.validators.formats import _fastq_codes as codes
from depositdesk.validators.formats._fastq_names import NameHashes


def record(name: str, seq: str = "ACGTACGTAC", qual: str | None = None, plus: str = "+") -> str:
    return f"@{name}\n{seq}\n{plus}\n{qual if qual is not None else 'I' * len(seq)}\n"


def reads(n: int, prefix: str = "r", comment: str = " 1:N:0:ACGT") -> str:
    return "".join(record(f"{prefix}{i}{comment}") for i in range(n))


def check(tmp_path: Path, text: str | bytes, name: str = "x.fastq", profile: str = "spec",
          compress: str | None = None) -> FileReport:
    data = text.encode() if isinstance(text, str) else text
    if compress == "gzip":
        data = gzip.compress(data)
    path = tmp_path / name
    path.write_bytes(data)
    return run(validate_file(path, profile, use_cache=False))


def found(report: FileReport, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def errors(report: FileReport) -> set[str]:
    return {f.code for f in report.findings if f.severity >= Severity.ERROR}


def test_good_file_gives_stats_and_md5_and_no_findings(tmp_path: Path) -> None:
    report = check(tmp_path, reads(100))
    assert report.format == "fastq" and report.findings == []
    assert report.stats["reads"] == 100 and report.stats["bases"] == 1000
    assert report.stats["quality_encoding"] == "Phred+33"
    assert report.md5 == hashlib.md5((tmp_path / "x.fastq").read_bytes()).hexdigest()


def test_gzip_content_is_checked_and_md5_is_of_the_stored_bytes(tmp_path: Path) -> None:
    report = check(tmp_path, reads(50) + record("bad", "ACGX"), "x.fastq.gz", compress="gzip")
    assert report.compression == "gzip"
    assert found(report, codes.SEQ_CHAR)[0].location.line == 202
    assert report.md5 == hashlib.md5((tmp_path / "x.fastq.gz").read_bytes()).hexdigest()


@pytest.mark.parametrize(("text", "code", "line", "column"), [
    (record("a") + "r2\nACGT\n+\nIIII\n", codes.HEADER, 5, None),
    (record("a") + record(""), codes.NAME_EMPTY, 5, None),
    (record("a") + "@b\nACGT\n@c\nACGT\n+\nIIII\n", codes.PLUS, 7, None),
    (record("a") + record("b", plus="+c"), codes.PLUS_ID, 7, None),
    (record("a") + record("b", "ACGT ACGT", "I" * 9), codes.SEQ_CHAR, 6, 5),
    (record("a") + record("b", "ACGT", "II\x7fI"), codes.QUAL_CHAR, 8, 3),
    (record("a") + record("b", "ACGT", "III") + record("c"), codes.QUAL_LEN, 8, None),
    (record("a") + record("b", "ACGT", "IIIII"), codes.QUAL_LEN, 8, None),
    (record("a") + "\n" + record("b"), codes.BLANK_LINE, 5, None),
    (record("a") + "@b\nACGT\n+\n", codes.TRUNCATED, 7, None),
    (record("a") + "@b\nAC", codes.TRUNCATED, 6, None),
    (record("a") + record("a"), codes.DUPLICATE_NAME, 5, None),
    (record("a") + record("b", "ACTU", "IIII"), codes.MIXED_U_T, 6, None),
])
def test_each_defect_has_its_code_and_place(tmp_path: Path, text: str, code: str, line: int,
                                            column: int | None) -> None:
    report = check(tmp_path, text)
    hits = found(report, code)
    assert hits, report.findings
    assert (hits[0].location.line, hits[0].location.column) == (line, column)
    assert hits[0].severity is Severity.ERROR


def test_an_error_in_the_last_lines_of_a_big_file_is_found_where_it_is(tmp_path: Path) -> None:
    n = 40_000  # several blocks: the fast gear carries the line count
    text = reads(n) + record("late", "ACGT", "II I") + reads(10, prefix="after")
    report = check(tmp_path, text, "big.fastq.gz", compress="gzip")
    (hit,) = found(report, codes.QUAL_CHAR)
    assert (hit.location.line, hit.location.column) == (4 * n + 4, 3)
    assert report.stats["reads"] == n + 11


def test_two_errors_far_apart_are_both_reported_and_fast_gear_resumes(tmp_path: Path) -> None:
    text = record("a", "AXGT", "IIII") + reads(30_000) + record("b", "ACGT", "III")
    report = check(tmp_path, text)
    assert found(report, codes.SEQ_CHAR)[0].location.line == 2
    assert found(report, codes.TRUNCATED)[0].location.line == 4 * 30_002
    assert report.stats["reads"] == 30_001


def test_duplicate_names_compare_the_name_before_the_comment(tmp_path: Path) -> None:
    text = reads(10) + record("r3 2:N:0:ACGT") + record("r33 1:N")
    (hit,) = found(check(tmp_path, text), codes.DUPLICATE_NAME)
    assert hit.location.line == 41 and "line 13" in hit.message


def test_interleaved_mates_are_noted_not_reported_as_duplicates(tmp_path: Path) -> None:
    text = "".join(record(f"m{i} 1:N:0:A") + record(f"m{i} 2:N:0:A") for i in range(50))
    report = check(tmp_path, text)
    assert not errors(report) and found(report, codes.INTERLEAVED)
    spoiled = text + record("m3 1:N:0:A")  # a third m3, far away: a real duplicate
    assert codes.DUPLICATE_NAME in errors(check(tmp_path, spoiled))


def test_profiles_differ_on_wrapped_records_empty_reads_and_crlf(tmp_path: Path) -> None:
    wrapped = "@a\nACGT\nACGT\n+\nIIII\nIIII\n" + record("b")
    spec, strict = check(tmp_path, wrapped), check(tmp_path, wrapped, profile="strict-modencode")
    assert not errors(spec) and found(spec, codes.WRAPPED)[0].severity is Severity.INFO
    assert codes.WRAPPED in errors(strict)
    assert spec.stats["reads"] == 2 and spec.stats["bases"] == 18
    empty = record("a") + "@z\n\n+\n\n" + record("b")
    assert found(check(tmp_path, empty), codes.EMPTY_READ)[0].severity is Severity.WARNING
    assert codes.EMPTY_READ in errors(check(tmp_path, empty, profile="strict-modencode"))
    crlf = reads(3).replace("\n", "\r\n")
    report = check(tmp_path, crlf)
    assert not errors(report) and found(report, codes.CRLF) and report.stats["reads"] == 3


def test_wrapped_quality_line_starting_with_at_is_quality_not_a_record(tmp_path: Path) -> None:
    text = "@a\nACGTACGT\n+\nIIII\n@III\n" + record("b")
    report = check(tmp_path, text)
    assert not errors(report) and report.stats["reads"] == 2


def test_phred64_is_detected_and_noted(tmp_path: Path) -> None:
    report = check(tmp_path, record("a", "ACGT", "hhhh") + record("b", "ACGT", "BBhh"))
    assert report.stats["quality_encoding"] == "Phred+64" and found(report, codes.PHRED64)


def test_truncated_gzip_and_corrupt_gzip_are_told_apart(tmp_path: Path) -> None:
    data = gzip.compress(reads(2000).encode())
    cut = check(tmp_path, data[: len(data) // 2], "cut.fastq.gz")
    assert file_codes.FILE_TRUNCATED in errors(cut)
    damaged = bytearray(data)
    damaged[len(data) // 2: len(data) // 2 + 40] = b"\xff" * 40
    bad = check(tmp_path, bytes(damaged), "bad.fastq.gz")
    assert errors(bad) & {file_codes.FILE_COMPRESSION_CORRUPT, file_codes.FILE_TRUNCATED}
    assert bad.md5 == hashlib.md5(bytes(damaged)).hexdigest()


def test_empty_gzip_holds_no_reads(tmp_path: Path) -> None:
    assert codes.NO_READS in errors(check(tmp_path, gzip.compress(b""), "e.fastq.gz"))


def test_pairs_with_matching_names_pass_and_mismatches_are_found(tmp_path: Path) -> None:
    def pair(r1: str, r2: str) -> list[FileReport]:
        (tmp_path / "s_R1_001.fastq").write_text(r1)
        (tmp_path / "s_R2_001.fastq").write_text(r2)
        return run(validate_files([tmp_path / "s_R1_001.fastq", tmp_path / "s_R2_001.fastq"], jobs=1,
                                  use_cache=False))

    ok = pair(reads(200, comment="/1"), reads(200, comment="/2"))
    assert not any(errors(r) for r in ok) and ok[0].stats["mate"].endswith("s_R2_001.fastq")
    short = pair(reads(200), reads(150))
    assert all(codes.PAIR_COUNT in errors(r) for r in short)
    swapped = pair(reads(200), reads(100) + reads(100, prefix="q"))
    hits = found(swapped[0], codes.PAIR_NAMES)
    assert hits and hits[0].location.line == 4 * 100 + 1 and "q0" in hits[0].message


def test_name_hashes_spill_to_disk_and_still_find_repeats(tmp_path: Path) -> None:
    names = NameHashes(memory_limit=1000, spill_dir=tmp_path)
    rng = np.random.default_rng(1)
    values = rng.integers(-(2**63), 2**63 - 1, 20_000, dtype=np.int64)
    for part in np.array_split(values, 37):
        names.add(part)
    names.add(values[[5, 17_000]])
    assert names.spilled and sorted(names.duplicates()) == sorted(values[[5, 17_000]])
    names.close()
    assert not list(tmp_path.iterdir())


def test_multi_member_gzip_padding_and_trailing_garbage(tmp_path: Path) -> None:
    one, two = reads(300).encode(), reads(300, prefix="s").encode()
    members = gzip.compress(one) + gzip.compress(two)
    report = check(tmp_path, members, "m.fastq.gz")
    assert not errors(report) and report.stats["reads"] == 600
    padded = check(tmp_path, members + b"\x00" * 5000, "p.fastq.gz")
    assert not errors(padded) and padded.stats["reads"] == 600
    garbage = check(tmp_path, members + b"not gzip at all", "g.fastq.gz")
    assert file_codes.FILE_COMPRESSION_CORRUPT in errors(garbage)


def test_bgzf_blocks_are_read_through_and_a_missing_eof_block_is_truncation(tmp_path: Path) -> None:
    import pysam

    plain = tmp_path / "r.fastq"
    plain.write_text(reads(5000))
    pysam.tabix_compress(str(plain), str(tmp_path / "r.fastq.gz"), force=True)
    data = (tmp_path / "r.fastq.gz").read_bytes()
    good = check(tmp_path, data, "b.fastq.gz")
    assert good.compression == "bgzf" and not errors(good) and good.stats["reads"] == 5000
    cut = check(tmp_path, data[:-28], "c.fastq.gz")
    assert file_codes.FILE_TRUNCATED in errors(cut) and cut.stats["reads"] == 5000


def test_mates_are_compared_again_from_cached_reports(tmp_path: Path) -> None:
    (tmp_path / "x_1.fq").write_text(reads(100))
    (tmp_path / "x_2.fq").write_text(reads(50) + reads(50, prefix="z"))
    for round_ in range(2):
        reports = run(validate_files([tmp_path], jobs=1))
        assert all(r.from_cache == (round_ == 1) for r in reports)
        assert all(codes.PAIR_NAMES in errors(r) for r in reports)
        assert "_mate_sample" not in reports[0].to_dict()["stats"]
