"""The numpy block gear of the FASTQ checks says exactly what the line-wise gear says, wherever blocks are cut."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from depositdesk.progress import run
from depositdesk.validators import blocks
from depositdesk.validators.base import Context
from depositdesk.validators.engine import validate_file
from depositdesk.validators.formats import fastq
from depositdesk.validators.formats._fastq_names import NameHashes, fingerprints, fingerprints_of
from depositdesk.validators.formats._fastq_records import RecordChecker

GOOD = b"".join(b"@read%d 1:N:0:ACGT\nACGTNACGTA\n+\nIIII#IIIII\n" % i for i in range(40))
TRIMMED = b"".join(b"@r%d\n%s\n+\n%s\n" % (i, b"ACGTTGCAAC"[:1 + i % 10], b"IIII#IIIII"[:1 + i % 10])
                   for i in range(40))
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        out[position % len(out)] = value
    return bytes(out)


def by_blocks(data: bytes, size: int) -> tuple[list[tuple[str, int | None, int | None]], dict, np.ndarray]:
    """Checker fed as the validator feeds it: blocks of ``size`` bytes, records cut at the edges."""
    ctx, names = Context("x", "spec"), NameHashes()
    checker = RecordChecker(ctx, names)
    carry = b""
    for i in range(0, len(data), size):
        block = bytearray(len(carry)) + data[i:i + size]
        block[:len(carry)] = carry
        carry = bytes(block[checker.feed_block(block, 0):])
    lines = carry.split(b"\n")
    partial = lines.pop()
    checker.finish(lines + ([partial] if partial else []))
    found = sorted((f.code, f.location.line, f.location.column) for f in ctx.findings())
    duplicates = names.duplicates()
    names.close()
    return found, checker.stats(), duplicates


def line_by_line(data: bytes) -> tuple[list[tuple[str, int | None, int | None]], dict, np.ndarray]:
    ctx, names = Context("x", "spec"), NameHashes()
    checker = RecordChecker(ctx, names)
    lines = data.split(b"\n")
    checker._slow_all(lines[:-1])
    checker.finish([lines[-1]] if lines[-1] else [])
    found = sorted((f.code, f.location.line, f.location.column) for f in ctx.findings())
    duplicates = names.duplicates()
    names.close()
    return found, checker.stats(), duplicates


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(b"@+ACGTUN\n I#.x\t\r\x00\x7f\xff")), max_size=6),
       st.sampled_from([37, 120, 1000, 10**6]), st.sampled_from([GOOD, TRIMMED]))
@example([(2, ord("\r")), (4, ord("U"))], 10**6, TRIMMED)  # '@r\r': a CR in a name, U and T in one block
@example([(2, 0x0B), (4, ord("U"))], 10**6, TRIMMED)  # (the list gear's names, not the numpy gear's)
@example([(2, 0x0C), (4, ord("U"))], 120, TRIMMED)
def test_block_gear_agrees_with_the_line_gear(edits: list[tuple[int, int]], size: int, text: bytes) -> None:
    data = mutate(text, edits)
    fast_found, fast_stats, fast_dups = by_blocks(data, size)
    slow_found, slow_stats, slow_dups = line_by_line(data)
    assert fast_found == slow_found
    assert fast_stats == slow_stats
    assert list(fast_dups) == list(slow_dups)


@pytest.mark.parametrize("byte", [b"\r", b"\x0b", b"\x0c"])
def test_a_name_ends_at_a_space_or_tab_only(byte: bytes) -> None:
    """A CR, VT or FF inside a read name is part of the name in both gears: '@r' + CR + '9'
    is not the read 'r', and the same name twice is a duplicate whichever gear read it."""
    odd = b"@r%s9 1:N:0:ACGT\nACGT\n+\nIIII\n" % byte
    data = GOOD + odd + b"@r\nACGT\n+\nIIII\n" + odd
    for found, stats, duplicates in (by_blocks(data, 1 << 20), by_blocks(data, 120), line_by_line(data)):
        assert found == []
        assert [name for _, _, name in stats["_mate_sample"][40:]] == [f"r{byte.decode()}9", "r", f"r{byte.decode()}9"]
        assert list(duplicates) == list(fingerprints_of([b"@r%s9" % byte]))


def test_trimmed_reads_count_their_own_bases() -> None:
    found, stats, _ = by_blocks(TRIMMED * 10, 1 << 20)
    assert found == [] and stats["reads"] == 400
    assert stats["bases"] == 10 * sum(1 + i % 10 for i in range(40))
    assert stats["quality_range"] == [ord("#"), ord("I")]


def test_a_defect_deep_in_a_big_block_is_found_on_its_line() -> None:
    data = GOOD * 50
    at = data.index(b"@read7 ", 25 * len(GOOD))
    line = data[:at].count(b"\n") + 2  # the sequence line of that record
    bad = data[:at] + data[at:].replace(b"ACGTNACGTA", b"ACGTNAXGTA", 1)
    found, stats, _ = by_blocks(bad, 1 << 20)
    assert found == [("FASTQ-SEQ-CHAR", line, 7)]
    assert stats["reads"] == 2000


def test_duplicate_names_across_block_edges_and_gears_are_found(tmp_path: Path) -> None:
    """A name hashed by the block gear and its repeat hashed by the line gear (a wrapped record) meet."""
    wrapped = b"@read5 again\nACGTN\nACGTA\n+\nIIII#\nIIIII\n"
    data = GOOD * 3 + wrapped  # every name three times, read5 four times
    found, stats, duplicates = by_blocks(data, 300)
    assert len(duplicates) == 40
    path = tmp_path / "d.fastq"
    path.write_bytes(data)
    report = run(validate_file(path, use_cache=False))
    lines = [f.location.line for f in report.findings if f.code == "FASTQ-DUPLICATE-NAME" and "read5'" in f.message]
    assert lines[-1] == 3 * 160 + 1  # the wrapped record's header


def test_read_names_hash_alike_whatever_the_block_width() -> None:
    names = [b"@a", b"@read1", b"@" + b"x" * 70, b"@read1 "[:-1]]
    one = fingerprints_of(names)
    assert one[1] == one[3] and len(set(one.tolist())) == 3
    buffer = np.frombuffer(b"--@read1--", np.uint8)
    assert fingerprints(buffer, np.array([2]), np.array([6]))[0] == one[1]


@pytest.mark.parametrize(("suffix", "headroom"), [(".fastq", 0), (".fastq", 16), (".fastq.gz", 16), (".fastq.gz", 0)])
def test_tiny_read_blocks_give_the_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                suffix: str, headroom: int) -> None:
    """Blocks far smaller than a record (every record cut, buffers reused many times), records longer
    than the headroom kept for them before each block: nothing changes."""
    if headroom:
        monkeypatch.setattr(fastq, "_HEADROOM", headroom)
    import gzip

    data = GOOD.replace(b"@read3 ", b"@read2 ") + b"@last\nACGU\n+\nIIII\n"
    path = tmp_path / f"r{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    whole = run(validate_file(path, use_cache=False))
    monkeypatch.setattr(blocks, "BLOCK", 7)
    tiny = run(validate_file(path, use_cache=False))
    assert [(f.code, f.location.line) for f in tiny.findings] == [(f.code, f.location.line) for f in whole.findings]
    assert (tiny.md5, tiny.stats["reads"]) == (whole.md5, 41)


def test_md5_beside_the_checks_is_the_files_and_stops_with_the_reader(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The md5 of plain content is taken on its own thread over the blocks handed to the checks:
    with blocks far smaller than the file (buffers refilled many times) it is still the file's
    md5, and a reader closed half-way leaves no thread behind."""
    import hashlib
    import threading

    from depositdesk.validators.base import Source
    from depositdesk.validators.sniff import sniff

    data = GOOD * 200
    path = tmp_path / "r.fastq"
    path.write_bytes(data)
    monkeypatch.setattr(blocks, "BLOCK", 1000)
    assert run(validate_file(path, use_cache=False)).md5 == hashlib.md5(data).hexdigest()
    source = Source(path, sniff(path), len(data))
    reader = blocks.BlockReader(source, headroom=16)
    for i, _ in enumerate(reader):
        if i == 3:
            break
    reader.close()
    assert not [t for t in threading.enumerate() if t.name in (f"md5 {path.name}", f"read {path.name}")]
