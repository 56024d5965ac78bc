"""SAM text rules: one valid file and its broken twins, each named for its defect."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from depositdesk.findings import Finding, Severity
from depositdesk.progress import run
from depositdesk.validators.base import Context, Sniffed, Source
from depositdesk.validators.formats.sam import SamValidator

VALID = """\
@HD\tVN:1.6\tSO:coordinate
@SQ\tSN:chr1\tLN:1000
@SQ\tSN:chr2\tLN:500
@RG\tID:rg1\tSM:s1\tPL:ILLUMINA\tDT:2024-03-01
@PG\tID:bwa\tPN:bwa
@PG\tID:sort\tPN:samtools\tPP:bwa
@CO\tfree text: anything goes here
r1\t99\tchr1\t100\t60\t10M\t=\t200\t110\tACGTACGTAC\tIIIIIIIIII\tRG:Z:rg1\tNM:i:0
r1\t147\tchr1\t200\t60\t10M\t=\t100\t-110\tACGTACGTAC\tIIIIIIIIII\tRG:Z:rg1\tXB:B:C,1,255
r2\t0\tchr2\t5\t30\t2S4M1I3M\t*\t0\t0\tACGTACGTAC\t*\tRG:Z:rg1\tXF:f:-1.5e3
u1\t4\t*\t0\t0\t*\t*\t0\t0\tACGT\tIIII\tRG:Z:rg1
"""
R1 = "r1\t99\tchr1\t100\t60\t10M\t=\t200\t110\tACGTACGTAC\tIIIIIIIIII\tRG:Z:rg1\tNM:i:0"


def validate_sam(path: Path, profile: str = "spec", compression: str | None = None) -> tuple[list[Finding], dict]:
    source = Source(path, Sniffed("sam", compression), path.stat().st_size)
    ctx = Context(path.name, profile)
    stats = run(SamValidator().run(source, ctx))
    return ctx.findings(), stats


def errors(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.severity >= Severity.ERROR}


def write(tmp_path: Path, text: str, name: str = "reads.sam") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_valid_file_has_no_errors_and_counts_records(tmp_path: Path) -> None:
    findings, stats = validate_sam(write(tmp_path, VALID))
    assert errors(findings) == set()
    assert not [f for f in findings if f.severity >= Severity.WARNING]
    assert stats["records"] == 4 and stats["references"] == 2


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


TWINS: dict[str, tuple[Callable[[str], str], str]] = {
    "hd_not_first": (lambda t: t.replace("@HD\tVN:1.6\tSO:coordinate\n", "", 1).replace(
        "@CO", "@HD\tVN:1.6\n@CO", 1), "SAM-HEADER-HD"),
    "hd_version_not_major_minor": (replace("VN:1.6", "VN:1"), "SAM-HEADER-HD"),
    "hd_unknown_sort_order": (replace("SO:coordinate", "SO:query"), "SAM-HEADER-HD"),
    "header_spaces_not_tabs": (replace("@HD\tVN:1.6\tSO:coordinate", "@HD VN:1.6 SO:coordinate"),
                               "SAM-HEADER-LINE"),
    "header_unknown_type": (replace("@CO", "@XY\tAB:1\n@CO"), "SAM-HEADER-TYPE"),
    "header_tag_twice": (replace("@SQ\tSN:chr2\tLN:500", "@SQ\tSN:chr2\tLN:500\tLN:600"), "SAM-HEADER-TAG-DUP"),
    "sq_without_length": (replace("@SQ\tSN:chr2\tLN:500", "@SQ\tSN:chr2"), "SAM-HEADER-SQ"),
    "sq_length_zero": (replace("LN:500", "LN:0"), "SAM-HEADER-SQ"),
    "sq_uppercase_md5": (replace("LN:500", "LN:500\tM5:7FC56270E7A70FA81A5935B72EACBE29"), "SAM-HEADER-SQ"),
    "sq_bad_name": (replace("SN:chr2\tLN:500", "SN:*chr2\tLN:500"), "SAM-HEADER-SQ"),
    "sq_declared_twice": (replace("@SQ\tSN:chr2\tLN:500", "@SQ\tSN:chr1\tLN:1000"), "SAM-HEADER-SQ-DUP"),
    "rg_without_id": (replace("@RG\tID:rg1\t", "@RG\t"), "SAM-HEADER-RG"),
    "rg_declared_twice": (replace("@PG\tID:bwa", "@RG\tID:rg1\tPL:ILLUMINA\n@PG\tID:bwa"), "SAM-HEADER-RG-DUP"),
    "rg_bad_date": (replace("DT:2024-03-01", "DT:2024-23-01"), "SAM-HEADER-RG"),
    "rg_insert_size_not_integer": (replace("DT:2024-03-01", "PI:300-500"), "SAM-HEADER-RG"),
    "pg_parent_missing": (replace("PP:bwa", "PP:bowtie"), "SAM-HEADER-PG"),
    "pg_without_id": (replace("@PG\tID:bwa\tPN:bwa", "@PG\tPN:bwa"), "SAM-HEADER-PG"),
    "too_few_fields": (replace("\tACGT\tIIII\tRG:Z:rg1\n", "\n"), "SAM-FIELDS"),
    "qname_with_at": (replace("u1\t4", "u@1\t4"), "SAM-QNAME"),
    "qname_too_long": (replace("u1\t4", "u" * 255 + "\t4"), "SAM-QNAME"),
    "flag_not_a_number": (replace("u1\t4\t", "u1\t0x4\t"), "SAM-FLAG"),
    "flag_undefined_bits": (replace("u1\t4\t", "u1\t4100\t"), "SAM-FLAG"),
    "rname_undeclared": (replace("r2\t0\tchr2", "r2\t0\tchr3"), "SAM-RNAME-UNKNOWN"),
    "rname_with_space": (replace("r2\t0\tchr2", "r2\t0\tchr 2"), "SAM-RNAME"),
    "pos_negative": (replace("r2\t0\tchr2\t5\t", "r2\t0\tchr2\t-5\t"), "SAM-POS"),
    "pnext_float": (replace("=\t200\t110", "=\t200.5\t110"), "SAM-POS"),
    "mapq_above_255": (replace("chr2\t5\t30\t", "chr2\t5\t256\t"), "SAM-MAPQ"),
    "cigar_unknown_op": (replace("2S4M1I3M", "2S4M1Y3M"), "SAM-CIGAR"),
    "cigar_soft_clip_inside": (replace("2S4M1I3M", "2M4S1I3M"), "SAM-CIGAR"),
    "cigar_longer_than_seq": (replace("2S4M1I3M", "2S4M1I4M"), "SAM-CIGAR-SEQ-LENGTH"),
    "tlen_float": (replace("=\t100\t-110", "=\t100\t-110.0"), "SAM-TLEN"),
    "seq_with_digits": (replace("\tACGT\tIIII", "\tAC1T\tIIII"), "SAM-SEQ"),
    "qual_shorter_than_seq": (replace("\tACGT\tIIII", "\tACGT\tIII"), "SAM-QUAL"),
    "qual_without_seq": (replace("\tACGT\tIIII", "\t*\tIIII"), "SAM-QUAL"),
    "qual_with_space": (replace("\tACGT\tIIII", "\tACGT\tI II"), "SAM-QUAL"),
    "tag_twice": (replace("NM:i:0", "NM:i:0\tNM:i:1"), "SAM-TAG"),
    "tag_unknown_type": (replace("NM:i:0", "NM:q:0"), "SAM-TAG"),
    "tag_integer_not_number": (replace("NM:i:0", "NM:i:zero"), "SAM-TAG"),
    "tag_array_value_out_of_range": (replace("XB:B:C,1,255", "XB:B:C,1,256"), "SAM-TAG"),
    "tag_char_two_letters": (replace("NM:i:0", "XA:A:ab"), "SAM-TAG"),
    "read_group_undeclared": (replace("u1\t4\t*\t0\t0\t*\t*\t0\t0\tACGT\tIIII\tRG:Z:rg1",
                                      "u1\t4\t*\t0\t0\t*\t*\t0\t0\tACGT\tIIII\tRG:Z:rg9"), "SAM-RG-UNKNOWN"),
    "coordinate_order_broken": (lambda t: t.replace(R1 + "\n", "").replace("u1\t4", R1 + "\nu1\t4"),
                                "SAM-SORT-ORDER"),
    "primary_record_twice": (replace(R1, R1 + "\n" + R1), "SAM-MATE-SAME-END"),
}


@pytest.mark.parametrize("defect", sorted(TWINS))
def test_broken_twin_is_reported(tmp_path: Path, defect: str) -> None:
    edit, code = TWINS[defect]
    findings, _ = validate_sam(write(tmp_path, edit(VALID), f"{defect}.sam"))
    assert code in errors(findings), [f.describe() for f in findings]


def test_findings_carry_the_line_number(tmp_path: Path) -> None:
    findings, _ = validate_sam(write(tmp_path, replace("chr2\t5\t30\t", "chr2\t5\t256\t")(VALID)))
    (mapq,) = [f for f in findings if f.code == "SAM-MAPQ"]
    assert mapq.location.line == 10 and mapq.location.file == "reads.sam"


def test_queryname_order_accepts_natural_and_byte_order(tmp_path: Path) -> None:
    header = "@HD\tVN:1.6\tSO:queryname\n"
    natural = "".join(f"read{i}\t4\t*\t0\t0\t*\t*\t0\t0\tA\tI\n" for i in (2, 10))
    byte_order = "".join(f"read{i}\t4\t*\t0\t0\t*\t*\t0\t0\tA\tI\n" for i in (10, 2))
    neither = "".join(f"read{i}\t4\t*\t0\t0\t*\t*\t0\t0\tA\tI\n" for i in (3, 10, 2))
    assert not errors(validate_sam(write(tmp_path, header + natural, "n.sam"))[0])
    assert not errors(validate_sam(write(tmp_path, header + byte_order, "b.sam"))[0])
    assert "SAM-SORT-ORDER" in errors(validate_sam(write(tmp_path, header + neither, "x.sam"))[0])


def test_illogical_but_permitted_records_only_warn(tmp_path: Path) -> None:
    """hts-specs files these as passed/*.warn.sam: unpaired read with mate bits, unmapped with CIGAR."""
    text = VALID.replace("u1\t4\t*\t0\t0\t*", "u1\t12\t*\t0\t0\t4M")
    findings, _ = validate_sam(write(tmp_path, text))
    assert not errors(findings)
    assert {"SAM-FLAG-ODD"} <= {f.code for f in findings if f.severity == Severity.WARNING}


def test_read_past_reference_end_warns_under_spec_and_fails_strict(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("r2\t0\tchr2\t5\t", "r2\t0\tchr2\t501\t"))
    assert "SAM-POS-BEYOND-REF" not in errors(validate_sam(path)[0])
    assert "SAM-POS-BEYOND-REF" in errors(validate_sam(path, "strict-modencode")[0])


def test_unaligned_file_is_valid_under_spec_but_not_strict(tmp_path: Path) -> None:
    path = write(tmp_path, "@HD\tVN:1.6\n@RG\tID:a\tPL:ONT\nq1\t4\t*\t0\t0\t*\t*\t0\t0\tACGT\tIIII\tRG:Z:a\n")
    spec, _ = validate_sam(path)
    assert not errors(spec) and "SAM-HEADER-NO-SQ" in {f.code for f in spec}
    assert "SAM-HEADER-NO-SQ" in errors(validate_sam(path, "strict-modencode")[0])


def test_header_only_file_warns_no_reads(tmp_path: Path) -> None:
    findings, stats = validate_sam(write(tmp_path, "@HD\tVN:1.6\n@SQ\tSN:a\tLN:10\n"))
    assert stats["records"] == 0 and not errors(findings)
    assert "SAM-NO-RECORDS" in {f.code for f in findings}


def test_cut_gzip_sam_is_truncated_not_a_crash(tmp_path: Path) -> None:
    data = gzip.compress(VALID.encode() * 50)
    path = tmp_path / "reads.sam.gz"
    path.write_bytes(data[: len(data) // 2])
    findings, _ = validate_sam(path, compression="gzip")
    assert "SAM-TRUNCATED" in errors(findings)


def test_compressed_sam_is_checked_like_plain(tmp_path: Path) -> None:
    path = tmp_path / "reads.sam.gz"
    path.write_bytes(gzip.compress(replace("NM:i:0", "NM:i:0\tNM:i:1")(VALID).encode()))
    assert "SAM-TAG" in errors(validate_sam(path, compression="gzip")[0])
