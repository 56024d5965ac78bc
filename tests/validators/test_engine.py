"""The engine: sniffing by content, one pass with md5, coded failures, cache, CLI."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from depositdesk.findings import Severity
from depositdesk.progress import Progress, Task, run
from depositdesk.validators import base, codes
from depositdesk.validators.base import Context, FormatValidator, Source
from depositdesk.validators.commands import register
from depositdesk.validators.engine import FileReport, sniff, validate_file, validate_files
from depositdesk.validators.pairs import find_pairs
from depositdesk.validators.sniff import extension_mismatch, sniff_bytes

FASTQ = b"@r1\nACGT\n+\nIIII\n@r2\nGGCC\n+\nIIII\n"


def bgzf(data: bytes) -> bytes:
    """One BGZF block plus the EOF block, as bgzip writes them."""
    import zlib

    deflater = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = deflater.compress(data) + deflater.flush()
    crc = zlib.crc32(data).to_bytes(4, "little")
    block_size = (18 + len(body) + 8 - 1).to_bytes(2, "little")
    header = b"\x1f\x8b\x08\x04\x00\x00\x00\x00\x00\xff\x06\x00BC\x02\x00" + block_size
    eof = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
    return header + body + crc + len(data).to_bytes(4, "little") + eof


def codes_of(report: FileReport) -> set[str]:
    return {f.code for f in report.findings}


# -- sniffing ----------------------------------------------------------------------


@pytest.mark.parametrize(("head", "fmt", "compression"), [
    (FASTQ, "fastq", None),
    (gzip.compress(FASTQ, mtime=0), "fastq", "gzip"),
    (bgzf(FASTQ), "fastq", "bgzf"),
    (bgzf(b"BAM\x01" + b"\x00" * 20), "bam", "bgzf"),
    (b"CRAM\x03\x00" + b"\x00" * 20, "cram", None),
    (b"\x26\xfc\x8f\x88" + b"\x00" * 60, "bigwig", None),
    (b"\x88\x8f\xfc\x26" + b"\x00" * 60, "bigwig", None),
    (b"\xeb\xf2\x89\x87" + b"\x00" * 60, "bigbed", None),
    (b"II*\x00" + b"\x00" * 20, "tiff", None),
    (b"MM\x00+" + b"\x00" * 20, "tiff", None),
    (b"@HD\tVN:1.6\n@SQ\tSN:c\tLN:9\n", "sam", None),
    (b"r\t0\tc\t1\t60\t4M\t*\t0\t0\tACGT\tIIII\n", "sam", None),
    (b"##gff-version 3\nc\t.\tgene\t1\t9\t.\t+\t.\tID=g\n", "gff3", None),
    (b"track type=wiggle_0\nfixedStep chrom=c start=1 step=1\n1\n", "wig", None),
    (b"variableStep chrom=c\n1\t2.0\n", "wig", None),
    (b"chr1\t10\t20\tname\t0\t+\n", "bed", None),
    (b"chr1\t10\t20\t1.5\nchr1\t20\t30\t2\n", "bedgraph", None),
    (b"chr1\t9\t20\t.\t0\t.\t17\t15.3\t-1\t-1\n", "bed", None),
])
def test_sniff_tells_format_and_compression_by_content(head: bytes, fmt: str, compression: str | None) -> None:
    sniffed = sniff_bytes(head, "no_extension")
    assert (sniffed.format, sniffed.compression) == (fmt, compression)


def test_a_read_longer_than_the_sniffed_head_is_still_fastq() -> None:
    head = (b"@ont_read_1 runid=abc\n" + b"ACGT" * 20_000)[:65536]
    assert sniff_bytes(head, "no_extension").format == "fastq"


def test_bzip2_is_reported_not_misread_as_text(tmp_path: Path) -> None:
    import bz2

    path = tmp_path / "r.fastq.bz2"
    path.write_bytes(bz2.compress(FASTQ))
    report = run(validate_file(path))
    assert report.compression == "bzip2" and codes_of(report) == {codes.FILE_NOT_CHECKED}
    assert report.md5 == hashlib.md5(path.read_bytes()).hexdigest()


def test_unclear_text_falls_back_to_the_extension_but_clear_content_wins() -> None:
    assert sniff_bytes(b"chr1 1 2\n", "x.bed").format == "bed"          # space-delimited: the BED validator says why
    assert sniff_bytes(b"14430066\t0.78\n", "x.wig").format == "wig"     # data before a declaration
    assert sniff_bytes(FASTQ, "reads.bed").format == "fastq"


def test_a_lying_extension_is_named() -> None:
    assert "fastq" in (extension_mismatch("reads.bed", sniff_bytes(FASTQ, "reads.bed")) or "")
    assert "not compressed" in (extension_mismatch("r.fastq.gz", sniff_bytes(FASTQ, "r.fastq.gz")) or "")
    assert extension_mismatch("r.fastq", sniff_bytes(gzip.compress(FASTQ), "r.fastq"))
    assert extension_mismatch("r.fastq.gz", sniff_bytes(bgzf(FASTQ), "r.fastq.gz")) is None
    assert extension_mismatch("a.bam", sniff_bytes(bgzf(b"BAM\x01" + bytes(20)), "a.bam")) is None


def test_sniff_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(gzip.compress(FASTQ))
    assert sniff(path).format == "fastq"


# -- one file ------------------------------------------------------------------------


class _Exploding(FormatValidator):
    format = "tiff"
    version = "test"

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        with source.open_raw() as stream:
            stream.read(10)
            yield source.progress()
            raise KeyError("boom")


class _StopsEarly(FormatValidator):
    format = "tiff"
    version = "test"

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        with source.open_raw() as stream:
            stream.read(5)
        yield source.progress()
        return {"read": 5}


def tiff(tmp_path: Path, n: int = 3_000_000) -> Path:
    path = tmp_path / "image.tif"
    path.write_bytes(b"II*\x00" + bytes(range(256)) * (n // 256))
    return path


def test_a_validator_crash_becomes_a_coded_finding_and_md5_is_still_right(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base._REGISTRY, "tiff", _Exploding)
    path = tiff(tmp_path)
    report = run(validate_file(path, use_cache=False))
    failed = [f for f in report.findings if f.code == codes.FILE_VALIDATOR_FAILED]
    assert failed and "KeyError" in failed[0].message and failed[0].location.file == str(path)
    assert report.md5 == hashlib.md5(path.read_bytes()).hexdigest()


def test_md5_is_completed_when_a_validator_stops_reading_early(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base._REGISTRY, "tiff", _StopsEarly)
    path = tiff(tmp_path)
    report = run(validate_file(path, use_cache=False))
    assert report.md5 == hashlib.md5(path.read_bytes()).hexdigest()
    assert report.stats == {"read": 5} and report.size == path.stat().st_size


def test_empty_missing_and_unknown_files_get_their_own_codes(tmp_path: Path) -> None:
    empty = tmp_path / "empty.fastq"
    empty.touch()
    junk = tmp_path / "junk.dat"
    junk.write_bytes(bytes(range(256)) * 4)
    assert codes_of(run(validate_file(empty))) == {codes.FILE_EMPTY}
    assert codes_of(run(validate_file(tmp_path / "nope.fastq"))) == {codes.FILE_NOT_A_FILE}
    assert codes_of(run(validate_file(tmp_path))) == {codes.FILE_NOT_A_FILE}
    unknown = run(validate_file(junk))
    assert codes_of(unknown) == {codes.FILE_UNKNOWN_FORMAT}
    assert unknown.md5 == hashlib.md5(junk.read_bytes()).hexdigest()


def test_gzip_that_cannot_be_decompressed_is_corrupt_not_unknown(tmp_path: Path) -> None:
    path = tmp_path / "damaged.dat.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 200)
    assert codes.FILE_COMPRESSION_CORRUPT in codes_of(run(validate_file(path)))


def test_unknown_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        run(validate_file(tmp_path / "x", "lenient"))


# -- cache ---------------------------------------------------------------------------


class _Counting(FormatValidator):
    format = "tiff"
    version = "test"
    runs = 0

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        type(self).runs += 1
        with source.open_raw() as stream:
            while stream.read(1 << 20):
                yield source.progress()
        return {"runs": type(self).runs}


def test_an_unchanged_file_is_answered_from_cache_without_opening_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base._REGISTRY, "tiff", _Counting)
    path = tiff(tmp_path, 100_000)
    first = run(validate_file(path))
    opened: list[str] = []
    real_open = open

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    second = run(validate_file(path))
    monkeypatch.setattr("builtins.open", real_open)
    assert second.from_cache and not first.from_cache
    assert str(path) not in opened and _Counting.runs == 1
    assert second.md5 == first.md5 and second.stats == first.stats
    # touched -> read again; --no-cache -> read again
    path.write_bytes(path.read_bytes())
    assert not run(validate_file(path)).from_cache
    assert not run(validate_file(path, use_cache=False)).from_cache
    assert _Counting.runs == 3
    assert run(validate_file(path, "strict-modencode")).from_cache is False  # profile is in the key


# -- many files, pairs, CLI ----------------------------------------------------------------


def test_find_pairs_knows_the_sequencers_naming_habits() -> None:
    names = ["s_1.fastq.gz", "s_2.fastq.gz", "x_R1_001.fq", "x_R2_001.fq", "lone_1.fq", "a.1.fq", "a.2.fq"]
    pairs = {(names[i], names[j]) for i, j in find_pairs([Path(n) for n in names])}
    assert pairs == {("s_1.fastq.gz", "s_2.fastq.gz"), ("x_R1_001.fq", "x_R2_001.fq"), ("a.1.fq", "a.2.fq")}


def test_validate_files_in_processes_walks_folders_and_counts_bytes(tmp_path: Path) -> None:
    for i in range(4):
        (tmp_path / f"d{i}.dat").write_bytes(bytes([i]) * 5000 + bytes(range(256)))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "e.dat").write_bytes(b"\x01\x02" * 100)
    ticks: list[Progress] = []
    task = validate_files([tmp_path], jobs=2, use_cache=False)
    from depositdesk.progress import drive

    reports = drive(task, ticks.append)
    assert [Path(r.path).name for r in reports] == ["d0.dat", "d1.dat", "d2.dat", "d3.dat", "e.dat"]
    assert all(r.md5 == hashlib.md5(Path(r.path).read_bytes()).hexdigest() for r in reports)
    total = sum(r.size for r in reports)
    assert ticks and ticks[-1].total == total and ticks[-1].done == total


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``depositdesk validate ARGS`` through its own parser; (exit code, stdout, stderr)."""
    parser = argparse.ArgumentParser(prog="depositdesk")
    register(parser.add_subparsers())
    namespace = parser.parse_args(["validate", *args])
    code = namespace.func(namespace)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "data.dat"
    good.write_bytes(bytes(range(256)))
    empty = tmp_path / "empty.dat"
    empty.touch()
    code, out, err = cli(capsys, str(good), "--format", "json", "--no-cache")
    assert code == 0, err
    (entry,) = json.loads(out)
    assert entry["md5"] == hashlib.md5(good.read_bytes()).hexdigest() and entry["size"] == 256
    assert {"path", "format", "compression", "size", "md5", "findings", "stats"} <= set(entry)
    code, out, _ = cli(capsys, str(tmp_path), "--jobs", "1")
    assert code == 1 and "FILE-EMPTY" in out and "2 files: 1 with errors" in out
    code, out, err = cli(capsys, str(tmp_path / "absent"))
    assert code == 2 and len(err.strip().splitlines()) == 1 and not out


def test_report_survives_json_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "e.dat"
    path.touch()
    report = run(validate_file(path))
    again = FileReport.from_dict(json.loads(json.dumps(report.to_dict())))
    assert again.findings == report.findings and again.worst is Severity.ERROR


def test_cancelling_validate_files_stops_the_worker_processes(tmp_path: Path) -> None:
    import time

    block = b"".join(b"@r%d\nACGTACGTAC\n+\nIIIIIIIIII\n" % i for i in range(50_000))
    for name in ("a.fastq", "b.fastq"):
        with open(tmp_path / name, "wb") as handle:
            for _ in range(25):  # ~40 MB each
                handle.write(block)
    task = validate_files([tmp_path], jobs=2, use_cache=False)
    for tick in task:
        if tick.done > 0:
            break
    started = time.monotonic()
    task.close()
    assert time.monotonic() - started < 2.0


class _LibraryReads(FormatValidator):
    """Like pysam/pyBigWig: reads the path itself, so the engine hashes on its own thread."""

    format = "tiff"
    version = "test"
    hashes_raw_bytes = False

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        with open(source.path, "rb") as handle:
            handle.read(100)
        yield Progress(100, None, "library")
        return {"library": True}


def test_validators_that_read_by_themselves_get_md5_from_a_second_thread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    monkeypatch.setitem(base._REGISTRY, "tiff", _LibraryReads)
    path = tiff(tmp_path, 30_000_000)
    report = run(validate_file(path, use_cache=False))
    assert report.md5 == hashlib.md5(path.read_bytes()).hexdigest() and report.stats == {"library": True}
    before = threading.active_count()
    task = validate_file(path, use_cache=False)
    next(task)
    task.close()
    deadline = time.monotonic() + 1.0
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() == before  # the hashing thread stopped at its next block


class _ReadsDecompressed(FormatValidator):
    format = "tiff"
    version = "test"

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        with source.open_decompressed() as stream:
            while stream.read(1 << 16):
                yield source.progress()
        return {}


def test_damaged_gzip_under_any_validator_is_compression_corrupt_not_a_crash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base._REGISTRY, "tiff", _ReadsDecompressed)
    data = bytearray(gzip.compress(b"II*\x00" + bytes(range(256)) * 4000))
    data[200:260] = b"\x00" * 60
    path = tmp_path / "image.tif.gz"
    path.write_bytes(bytes(data))
    report = run(validate_file(path, use_cache=False))
    assert codes_of(report) & {codes.FILE_COMPRESSION_CORRUPT, codes.FILE_TRUNCATED}
    assert codes.FILE_VALIDATOR_FAILED not in codes_of(report)


def test_a_walked_project_folder_names_its_own_metadata_files(tmp_path: Path) -> None:
    from depositdesk.resources.examples import EXAMPLE_PROJECT

    idf = next(Path(EXAMPLE_PROJECT).glob("*.idf.txt"))
    sdrf = next(Path(EXAMPLE_PROJECT).glob("*.sdrf.txt"))
    assert sniff(idf).format == "magetab-idf"
    assert sniff(sdrf).format == "magetab-sdrf"
    report = run(validate_file(sdrf, use_cache=False))
    assert [f.severity for f in report.findings] == [Severity.INFO]
    assert "depositdesk check" in report.findings[0].message


def test_chrom_sizes_from_the_command_line_and_the_cache_keeps_them_apart(tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    bed = tmp_path / "peaks.bed"
    bed.write_text("chr2L\t100\t200\nchrZ\t5\t10\n", encoding="ascii")
    sizes = tmp_path / "dm6.chrom.sizes"
    sizes.write_text("chr2L\t23513712\nchrX\t23542271\n", encoding="ascii")
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())

    def validate(*extra: str) -> tuple[int, str]:
        args = parser.parse_args(["validate", str(bed), "--format", "json", *extra])
        code = args.func(args)
        return code, capsys.readouterr().out

    code, out = validate()  # without a genome, any chromosome name is fine
    assert code == 0 and "BED-CHROM-UNKNOWN" not in out
    code, out = validate("--chrom-sizes", str(sizes))  # same file, same cache: the genome changes the verdict
    assert code == 1 and "BED-CHROM-UNKNOWN" in out
    code, out = validate()
    assert code == 0 and "BED-CHROM-UNKNOWN" not in out
    args = parser.parse_args(["validate", str(bed), "--chrom-sizes", str(tmp_path / "none.sizes")])
    assert args.func(args) == 2
    assert "cannot read" in capsys.readouterr().err
