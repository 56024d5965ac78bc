"""BAM and CRAM: end-of-file markers, truncation apart from bad content, offline CRAM, profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pysam
import pytest

from depositdesk.findings import Finding, Severity
from depositdesk.progress import run
from depositdesk.validators.base import Context, Sniffed, Source, validator_for
from depositdesk.validators.formats import sam  # noqa: F401 - registers the validators
from depositdesk.validators.formats._sam_binary import BGZF_EOF

REFERENCE = {"chr1": "ACGT" * 250, "chr2": "TTGCA" * 100}


def header(sort_order: str = "coordinate", with_sq: bool = True) -> dict:
    head: dict = {"HD": {"VN": "1.6", "SO": sort_order}, "RG": [{"ID": "rg1", "SM": "s1", "PL": "ILLUMINA"}]}
    if with_sq:
        head["SQ"] = [{"SN": name, "LN": len(seq)} for name, seq in REFERENCE.items()]
    return head


def reads(handle: pysam.AlignmentFile, n: int = 200, *, mapped: bool = True, shuffle: bool = False) -> None:
    order = list(range(n))
    if shuffle:
        order = order[::-1]
    for i in order:
        start = i * 900 // max(n, 1)  # sorted by position whatever n
        a = pysam.AlignedSegment(handle.header)
        a.query_name = f"read{i:05d}"
        a.query_sequence = REFERENCE["chr1"][start: start + 20] if mapped else "ACGTACGTACGTACGTACGT"
        a.query_qualities = pysam.qualitystring_to_array("I" * 20)
        if mapped:
            a.flag, a.reference_id, a.reference_start, a.mapping_quality = 0, 0, start, 60
            a.cigartuples = [(0, 20)]
        else:
            a.flag = 4
        a.set_tag("RG", "rg1")
        handle.write(a)


def make_bam(path: Path, **kw: object) -> Path:
    with pysam.AlignmentFile(str(path), "wb", header=header(with_sq=kw.pop("with_sq", True))) as out:  # type: ignore[arg-type]
        reads(out, **kw)  # type: ignore[arg-type]
    return path


def make_cram(tmp_path: Path, n: int = 200) -> Path:
    fasta = tmp_path / "ref.fa"
    fasta.write_text("".join(f">{name}\n{seq}\n" for name, seq in REFERENCE.items()))
    pysam.faidx(str(fasta))
    path = tmp_path / "reads.cram"
    with pysam.AlignmentFile(str(path), "wc", header=header(), reference_filename=str(fasta)) as out:
        reads(out, n)
    fasta.unlink()  # the validator must manage without it
    return path


def validate(path: Path, fmt: str, profile: str = "spec") -> tuple[list[Finding], dict]:
    cls = validator_for(fmt)
    assert cls is not None
    source = Source(path, Sniffed(fmt, "bgzf" if fmt == "bam" else None), path.stat().st_size)
    ctx = Context(path.name, profile)
    stats = run(cls().run(source, ctx))
    return ctx.findings(), stats


def errors(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings if f.severity >= Severity.ERROR}


def test_valid_bam_reads_every_record_and_leaves_hashing_to_the_engine(tmp_path: Path) -> None:
    findings, stats = validate(make_bam(tmp_path / "ok.bam"), "bam")
    assert not errors(findings) and stats["records"] == 200
    assert validator_for("bam").hashes_raw_bytes is False  # type: ignore[union-attr]


def test_bam_without_eof_block_is_truncated_though_records_read(tmp_path: Path) -> None:
    path = make_bam(tmp_path / "ok.bam")
    cut = tmp_path / "no_eof.bam"
    data = path.read_bytes()
    assert data.endswith(BGZF_EOF)
    cut.write_bytes(data[: -len(BGZF_EOF)])
    findings, stats = validate(cut, "bam")
    assert errors(findings) == {"SAM-TRUNCATED"} and stats["records"] == 200


def test_bam_cut_mid_block_is_truncated_not_unreadable(tmp_path: Path) -> None:
    path = make_bam(tmp_path / "ok.bam", n=5000)
    cut = tmp_path / "cut.bam"
    data = path.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    findings, stats = validate(cut, "bam")
    assert errors(findings) == {"SAM-TRUNCATED"}
    assert 0 < stats["records"] < 5000


def test_bam_claiming_coordinate_order_but_unsorted(tmp_path: Path) -> None:
    findings, _ = validate(make_bam(tmp_path / "unsorted.bam", shuffle=True), "bam")
    assert "SAM-SORT-ORDER" in errors(findings)
    (first,) = [f for f in findings if f.code == "SAM-SORT-ORDER"]
    assert "record 2 " in first.message  # where it went wrong, by record number


def test_unaligned_bam_is_fine_under_spec_and_an_error_under_strict(tmp_path: Path) -> None:
    path = make_bam(tmp_path / "unaligned.bam", mapped=False, with_sq=False)
    assert not errors(validate(path, "bam")[0])
    assert "SAM-HEADER-NO-SQ" in errors(validate(path, "bam", "strict-modencode")[0])


def test_bam_without_reads_warns_under_spec(tmp_path: Path) -> None:
    findings, stats = validate(make_bam(tmp_path / "empty.bam", n=0), "bam")
    assert stats["records"] == 0 and not errors(findings)
    assert "SAM-NO-RECORDS" in {f.code for f in findings}


def test_bam_read_group_missing_from_header(tmp_path: Path) -> None:
    path = tmp_path / "rg.bam"
    with pysam.AlignmentFile(str(path), "wb", header=header()) as out:
        reads(out, 3)
        a = pysam.AlignedSegment(out.header)
        a.query_name, a.flag, a.query_sequence = "orphan", 4, "ACGT"
        a.set_tag("RG", "nobody")
        out.write(a)
    findings, _ = validate(path, "bam")
    assert "SAM-RG-UNKNOWN" in errors(findings)


def test_random_bytes_named_bam_become_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "noise.bam"
    path.write_bytes(os.urandom(4096))
    findings, stats = validate(path, "bam")
    assert errors(findings) & {"SAM-UNREADABLE", "SAM-TRUNCATED"}


def test_cram_is_checked_without_its_reference_and_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REF_PATH", "http://example.invalid/%s")  # must never be used
    path = make_cram(tmp_path)
    findings, stats = validate(path, "cram")
    assert not errors(findings) and stats["records"] == 200
    assert "SAM-CRAM-NO-REFERENCE" in {f.code for f in findings}
    assert os.environ["REF_PATH"] == "http://example.invalid/%s"  # restored afterwards


def test_cram_without_eof_container_is_truncated(tmp_path: Path) -> None:
    path = make_cram(tmp_path)
    cut = tmp_path / "cut.cram"
    cut.write_bytes(path.read_bytes()[:-38])
    assert "SAM-TRUNCATED" in errors(validate(cut, "cram")[0])


def test_bam_reports_progress_and_cancels_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cancelled check (the generator closed) leaves htslib's settings and Python's hooks as they were."""
    import sys

    from depositdesk.validators.formats import _sam_bam

    monkeypatch.setattr(_sam_bam, "RAW_CHUNK", 4096)
    path = make_bam(tmp_path / "ok.bam", n=20000)
    hooks = (sys.excepthook, sys.unraisablehook, os.environ.get("REF_PATH"))
    cls = validator_for("bam")
    assert cls is not None
    task = cls().run(Source(path, Sniffed("bam", "bgzf"), path.stat().st_size), Context("ok.bam"))
    ticks = [next(task), next(task)]
    assert ticks[0].total == path.stat().st_size and ticks[1].done >= ticks[0].done
    task.close()  # the user pressed Cancel
    assert (sys.excepthook, sys.unraisablehook, os.environ.get("REF_PATH")) == hooks


def make_name_grouped_bam(path: Path, pairs: int, lost: int, doubled: int) -> Path:
    """Unmapped pairs by name; pair ``lost`` misses its second read, ``doubled`` repeats its first."""
    with pysam.AlignmentFile(str(path), "wb", header=header("queryname", with_sq=False)) as out:
        for i in range(pairs):
            ends = [77, 141] if i != lost else [77]
            if i == doubled:
                ends = [77, 77, 141]
            for flag in ends:
                a = pysam.AlignedSegment(out.header)
                a.query_name, a.flag, a.query_sequence = f"pair{i:06d}", flag, "ACGTACGTAC"
                a.set_tag("RG", "rg1")
                out.write(a)
    return path


@pytest.mark.parametrize("chunk", [4096, 4 << 20])
def test_bam_reads_split_across_chunks_are_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    chunk: int) -> None:
    """Mates and duplicates are found the same whether a read's records share a chunk or not."""
    from depositdesk.validators.formats import _sam_bam

    monkeypatch.setattr(_sam_bam, "RAW_CHUNK", chunk)
    path = make_name_grouped_bam(tmp_path / "grouped.bam", 6000, lost=4321, doubled=5000)
    findings, stats = validate(path, "bam")
    assert stats["records"] == 6000 * 2 - 1 + 1
    missing = [f for f in findings if f.code == "SAM-MATE-MISSING"]
    doubled = [f for f in findings if f.code == "SAM-MATE-SAME-END"]
    assert [("pair004321" in f.message) for f in missing] == [True]
    assert [("pair005000" in f.message) for f in doubled] == [True]
    assert "record 10,001 " in doubled[0].message  # 9,999 records before pair005000, then 77, 77


def rewrite_first_bgzf_block(path: Path, old: bytes, new: bytes) -> None:
    """Edit bytes inside a BAM's first BGZF block, re-deflating it with a fresh CRC and size."""
    import struct
    import zlib

    data = path.read_bytes()
    size = struct.unpack_from("<H", data, 16)[0] + 1
    payload = zlib.decompress(data[18: size - 8], wbits=-15)
    assert old in payload
    payload = payload.replace(old, new, 1)
    squeezer = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = squeezer.compress(payload) + squeezer.flush()
    head = data[:16] + struct.pack("<H", len(body) + 25)
    tail = struct.pack("<II", zlib.crc32(payload), len(payload))
    path.write_bytes(head + body + tail + data[size:])


def test_bam_header_text_disagreeing_with_its_reference_list(tmp_path: Path) -> None:
    path = make_bam(tmp_path / "ok.bam")
    assert not errors(validate(path, "bam")[0])
    rewrite_first_bgzf_block(path, b"SN:chr2\tLN:500", b"SN:chr2\tLN:600")
    findings, stats = validate(path, "bam")
    assert "SAM-HEADER-SQ" in errors(findings) and stats["records"] == 200


def test_bam_block_with_a_wrong_crc_is_corruption(tmp_path: Path) -> None:
    path = make_bam(tmp_path / "ok.bam")
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "little") + 1
    data[size - 8] ^= 0xFF  # the first block's CRC32
    path.write_bytes(bytes(data))
    assert errors(validate(path, "bam")[0]) == {"SAM-UNREADABLE"}
