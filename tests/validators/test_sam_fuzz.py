"""Fuzzing the SAM, BAM and bigWig readers: damaged input gives findings, never an exception or a hang."""

from __future__ import annotations

from pathlib import Path

import pysam
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bigwig import bbi_bytes
from test_sam import VALID

from depositdesk.progress import run
from depositdesk.validators.base import Context, Sniffed, Source, validator_for
from depositdesk.validators.formats import bigwig, sam  # noqa: F401 - registers the validators

FUZZ = settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.function_scoped_fixture],
                derandomize=True)


def check_never_raises(path: Path, fmt: str, data: bytes) -> None:
    path.write_bytes(data)
    cls = validator_for(fmt)
    assert cls is not None
    ctx = Context(path.name)
    stats = run(cls().run(Source(path, Sniffed(fmt, "bgzf" if fmt == "bam" else None), len(data)), ctx))
    assert isinstance(stats, dict)
    ctx.findings()


def mutate(data: bytes, flips: list[tuple[int, int]], cut: int | None) -> bytes:
    buffer = bytearray(data)
    for position, value in flips:
        buffer[position % len(buffer)] = value
    return bytes(buffer[:cut] if cut is not None else buffer)


mutations = st.tuples(st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=8),
                      st.none() | st.integers(0, 4096))


@pytest.fixture(scope="module")
def small_bam(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("bam")
    sam_path = folder / "in.sam"
    sam_path.write_text(VALID)
    bam_path = folder / "in.bam"
    with pysam.AlignmentFile(str(sam_path)) as src, pysam.AlignmentFile(str(bam_path), "wb", template=src) as out:
        for read in src:
            out.write(read)
    return bam_path.read_bytes()


@FUZZ
@given(mutation=mutations)
def test_mutated_sam_never_raises(tmp_path: Path, mutation: tuple[list[tuple[int, int]], int | None]) -> None:
    check_never_raises(tmp_path / "f.sam", "sam", mutate(VALID.encode(), *mutation))


@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes_as_sam_never_raise(tmp_path: Path, data: bytes) -> None:
    check_never_raises(tmp_path / "r.sam", "sam", data)


@FUZZ
@given(mutation=mutations)
def test_mutated_bam_never_raises(tmp_path: Path, small_bam: bytes,
                                  mutation: tuple[list[tuple[int, int]], int | None]) -> None:
    check_never_raises(tmp_path / "f.bam", "bam", mutate(small_bam, *mutation))


@FUZZ
@given(mutation=mutations)
def test_mutated_bigwig_never_raises(tmp_path: Path, mutation: tuple[list[tuple[int, int]], int | None]) -> None:
    check_never_raises(tmp_path / "f.bw", "bigwig", mutate(bbi_bytes(), *mutation))


@FUZZ
@given(data=st.binary(max_size=1024))
def test_random_bytes_as_bigwig_never_raise(tmp_path: Path, data: bytes) -> None:
    check_never_raises(tmp_path / "r.bw", "bigwig", data)
