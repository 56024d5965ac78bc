"""FASTQ and sniffer under hostile input (hypothesis), cancellation of a big file, and the cache."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depositdesk.findings import FindingCollector
from depositdesk.progress import run
from depositdesk.validators import blocks
from depositdesk.validators.base import Context
from depositdesk.validators.engine import validate_file
from depositdesk.validators.formats._fastq_names import NameHashes
from depositdesk.validators.formats._fastq_records import RecordChecker
from depositdesk.validators.sniff import sniff_bytes

GOOD = b"".join(b"@read%d 1:N:0:ACGT\nACGTNACGTA\n+\nIIII#IIIII\n" % i for i in range(40))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        if out:
            out[position % len(out)] = value
    return bytes(out)


@FUZZ
@given(st.binary(max_size=3000))
def test_sniffer_never_raises_on_random_bytes(data: bytes) -> None:
    sniffed = sniff_bytes(data, "x.fastq.gz")
    assert sniffed.compression in (None, "gzip", "bgzf", "bzip2", "xz", "zstd")


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=12),
       st.integers(0, len(GOOD)))
def test_mutated_fastq_gives_findings_never_an_exception(tmp_path: Path, edits: list[tuple[int, int]],
                                                         cut: int) -> None:
    path = tmp_path / "fuzz.fastq"
    path.write_bytes(mutate(GOOD, edits)[:cut])
    report = run(validate_file(path, use_cache=False))
    assert all(f.code != "FILE-VALIDATOR-FAILED" for f in report.findings), report.findings
    assert report.md5 is not None


def lines_of(text: bytes) -> list[bytes]:
    return text.split(b"\n")


def checker_result(lines: list[bytes], slow_only: bool) -> tuple[list[tuple[str, int | None]], dict]:
    ctx = Context("x", "spec")
    names = NameHashes()
    checker = RecordChecker(ctx, names)
    if slow_only:
        checker._slow_all(lines[:-1])
        checker.finish([lines[-1]] if lines[-1] else [])
    else:
        used = checker.feed(lines[:-1])
        checker.finish(lines[used:-1] + ([lines[-1]] if lines[-1] else []))
    stats = checker.stats()
    names.close()
    return sorted((f.code, f.location.line) for f in ctx.findings()), stats


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(b"@+ACGTUN\n I#.x\t\r\x00\x7f")), max_size=6))
def test_fast_and_slow_gears_agree(edits: list[tuple[int, int]]) -> None:
    """The block-wise gear is an optimisation: it must say exactly what the line-wise one says."""
    lines = lines_of(mutate(GOOD, edits))
    fast, fast_stats = checker_result(lines, slow_only=False)
    slow, slow_stats = checker_result(lines, slow_only=True)
    assert fast == slow
    assert {k: fast_stats[k] for k in ("reads", "bases", "quality_range")} == \
           {k: slow_stats[k] for k in ("reads", "bases", "quality_range")}


def test_cancelling_a_big_validation_stops_within_a_second(tmp_path: Path) -> None:
    path = tmp_path / "big.fastq"
    with open(path, "wb") as handle:
        for _ in range(150):  # ~120 MB
            handle.write(GOOD * 400)
    threads_before = threading.active_count()
    task = validate_file(path, use_cache=False)
    seen = 0
    for tick in task:
        seen = tick.done
        if tick.done > 10_000_000:
            break
    started = time.monotonic()
    task.close()
    assert time.monotonic() - started < 1.0
    assert seen < path.stat().st_size
    deadline = time.monotonic() + 1.0
    while threading.active_count() > threads_before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() == threads_before  # the reading thread is gone too


def test_a_cached_fastq_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.fastq"
    path.write_bytes(GOOD)
    first = run(validate_file(path))
    opened: list[Path] = []
    real_init = blocks.BlockReader.__init__

    def spy(self: blocks.BlockReader, source, **kwargs) -> None:  # type: ignore[no-untyped-def]
        opened.append(source.path)
        real_init(self, source, **kwargs)

    monkeypatch.setattr(blocks.BlockReader, "__init__", spy)
    second = run(validate_file(path))
    assert second.from_cache and not opened
    assert (second.md5, second.stats["reads"]) == (first.md5, 40)


def test_findings_repeated_many_times_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "many.fastq"
    path.write_bytes(GOOD.replace(b"ACGTNACGTA", b"ACGTNACGTX") * 5)
    report = run(validate_file(path, use_cache=False))
    seq_char = [f for f in report.findings if f.code == "FASTQ-SEQ-CHAR"]
    assert len(seq_char) == FindingCollector().cap
    assert any(f.code == "GEN-REPEATS" and "180 more" in f.message for f in report.findings)


def test_a_disk_error_mid_file_is_an_io_finding_not_a_content_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.fastq"
    path.write_bytes(GOOD * 20_000)  # several blocks
    real = blocks.BlockReader._raw
    calls = {"n": 0}

    def failing(self: blocks.BlockReader, raw: object, size: int) -> bytes:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(5, "Input/output error")
        return real(self, raw, size)

    monkeypatch.setattr(blocks.BlockReader, "_raw", failing)
    report = run(validate_file(path, use_cache=False))
    assert [f.code for f in report.findings if f.severity >= 3] == ["FILE-IO-ERROR"]
    assert "Input/output error" in report.findings[0].message
