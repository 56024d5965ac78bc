"""The fast gears of the FASTQ validator (numpy blocks, whole-block line lists) report exactly
what the slow line-by-line gear reports on damaged files: same codes, lines, columns, messages
and statistics, through the whole validator (block edges, CR LF, duplicate confirmation)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from depositdesk.progress import run
from depositdesk.validators import blocks
from depositdesk.validators.engine import validate_file
from depositdesk.validators.formats import _fastq_records
from depositdesk.validators.formats._fastq_blocks import check_block, record_lines
from depositdesk.validators.formats._fastq_names import fingerprints_of


def record(i: int, seq: bytes = b"ACGTNACGTAACGTTGCA", qual: bytes | None = None, plus: bytes = b"+",
           name: bytes | None = None) -> bytes:
    head = name if name is not None else b"@M00:%d:FC:1:%d:%d 1:N:0:ACGT" % (i % 7, 1101 + i, i * 13)
    return b"%s\n%s\n%s\n%s\n" % (head, seq, plus, qual if qual is not None else b"I" * len(seq))


def reads(n: int = 400) -> list[bytes]:
    return [record(i) for i in range(n)]


def damaged() -> dict[str, bytes]:
    """One file per defect, the defect placed among hundreds of good records (several blocks)."""
    files: dict[str, bytes] = {}
    good = reads()
    files["good"] = b"".join(good)
    files["truncated"] = b"".join(good)[:-7]
    wrong_plus = list(good)
    wrong_plus[250] = record(250, plus=b"+other name")
    files["plus-id"] = b"".join(wrong_plus)
    no_plus = list(good)
    no_plus[120] = b"@lost plus\nACGT\nIIII\n"
    files["plus-missing"] = b"".join(no_plus)
    mismatch = list(good)
    mismatch[300] = record(300, qual=b"IIII")
    mismatch[301] = record(301, qual=b"I" * 30)
    files["length-mismatch"] = b"".join(mismatch)
    duplicated = list(good)
    duplicated[333] = good[17]
    duplicated[390] = good[17]
    files["duplicate-names"] = b"".join(duplicated)
    files["crlf"] = b"".join(good).replace(b"\n", b"\r\n")
    empty = list(good)
    empty[77] = record(77, seq=b"", qual=b"")
    files["empty-read"] = b"".join(empty)
    files["bad-letters"] = b"".join(good[:200] + [record(200, seq=b"ACGT ACGT")] + good[201:])
    files["interleaved"] = b"".join(record(i // 2, name=b"@pair%d %d:N:0:A" % (i // 2, 1 + i % 2))
                                    for i in range(300))
    return files


def report(path: Path) -> tuple[list[tuple[str, int | None, int | None, str]], dict[str, object], str | None]:
    result = run(validate_file(path, use_cache=False))
    found = sorted((f.code, f.location.line, f.location.column, f.message) for f in result.findings)
    return found, result.stats, result.md5


@pytest.mark.parametrize("name", sorted(damaged()))
def test_fast_and_slow_gears_give_identical_reports(name: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / f"{name}.fastq"
    path.write_bytes(damaged()[name])
    monkeypatch.setattr(blocks, "BLOCK", 4096)  # many blocks, records cut at their edges
    accepted: list[int] = []

    def counted(*args: object) -> object:
        block = check_block(*args)  # type: ignore[arg-type]
        accepted.extend([len(block)] if block is not None else [])
        return block

    monkeypatch.setattr(_fastq_records, "check_block", counted)
    fast = report(path)
    assert len(accepted) >= 3, "the numpy block gear took (nearly) no block"
    monkeypatch.setattr(_fastq_records, "check_block", lambda *args: None)
    monkeypatch.setattr(_fastq_records.RecordChecker, "_fast", lambda self, lines: False)
    slow = report(path)
    assert fast == slow
    if name != "good":
        assert fast[0], f"{name}: the defect was not reported"


def test_good_blocks_take_the_fast_gear() -> None:
    data = bytearray(b"".join(reads()))
    a = np.frombuffer(data, np.uint8)
    block = check_block(data, a, record_lines(a))
    assert block is not None and len(block) == 400


def test_block_gear_hashes_names_as_the_line_gear() -> None:
    """The word-gather hash of the block gear equals the one of the names as bytes (both gears
    feed one multiset of hashes: a name seen by each must collide), whatever the name's length
    and its offset in the block's 8-byte words."""
    names = [b"@" + b"x" * k + b"%d" % k for k in range(0, 70)]
    data = bytearray(b"".join(b"%s c\nACGT\n+\nIIII\n" % n for n in names))
    a = np.frombuffer(data, np.uint8)
    block = check_block(data, a, record_lines(a))
    assert block is not None
    assert [block.name(i) for i in range(len(block))] == names
    assert (block.hashes == fingerprints_of(names)).all()
