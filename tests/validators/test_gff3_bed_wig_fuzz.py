"""Fuzzing the GFF3, BED and WIG validators: any bytes give findings, never an exception or a hang.

Inputs are random text built from each format's own alphabet (TABs, digits,
'=', ';', '#', pragmas ...) and mutations of a valid file (characters
replaced, deleted, duplicated). Each example must finish well within the
hypothesis deadline, and the reader thread must be gone afterwards.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depositdesk.progress import run
from depositdesk.validators.base import Context, FormatValidator, Sniffed, Source
from depositdesk.validators.formats import _textlines, bed, gff3, wig

FUZZ = settings(max_examples=120, deadline=2000, suppress_health_check=[HealthCheck.too_slow])

GFF3_VALID = ("##gff-version 3\n##sequence-region c 1 900\nc\t.\tgene\t1\t90\t.\t+\t.\tID=g;Name=a%20b\n"
              "c\t.\tmRNA\t1\t90\t.\t+\t.\tID=m;Parent=g\nc\t.\tCDS\t1\t30\t.\t+\t0\tID=x;Parent=m\n"
              "c\t.\tCDS\t40\t90\t.\t+\t0\tID=x;Parent=m\n###\n##FASTA\n>c\nACGT\n")
BED_VALID = "track name=x\nchr1\t0\t100\tn\t5\t+\t10\t90\t0\t2\t10,20,\t0,80,\nchr1\t5\t105\tm\t0\t-\t5\t5\t1,2,3\t1\t100\t0\n"
WIG_VALID = "track type=wiggle_0\nvariableStep chrom=c span=5\n1\t1.5\n10\t2\nfixedStep chrom=d start=1 step=2\n1\n-2e3\n"

TOKENS = ["\t", "\n", "\r", " ", ";", "=", ",", "%", "%2", "#", "##", "###", ">", ".", "-", "+", "0", "1", "99",
          "-1", "chr1", "ID", "Parent", "gene", "CDS", "mRNA", "##gff-version 3", "##sequence-region c 1 9",
          "##FASTA", "track", "browser", "variableStep", "fixedStep", "chrom=", "start=", "step=", "span=",
          "1e5", "nan", "\x00", "\xff", "é"]


def _run(validator: FormatValidator, fmt: str, data: bytes, **sniffed: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz"
        path.write_bytes(data)
        ctx = Context("fuzz", "spec")
        stats = run(validator.run(Source(path, Sniffed(fmt, **sniffed), len(data)), ctx))
        assert isinstance(stats, dict)
        for item in ctx.findings():
            assert item.code and item.message
        ctx2 = Context("fuzz", "strict-modencode")
        run(validator.run(Source(path, Sniffed(fmt, **sniffed), len(data)), ctx2))
    assert not [t for t in threading.enumerate() if t.name == "depositdesk-read-ahead"]


def token_text() -> st.SearchStrategy[bytes]:
    return st.lists(st.sampled_from(TOKENS), max_size=80).map(lambda parts: "".join(parts).encode("utf-8"))


def mutated(valid: str) -> st.SearchStrategy[bytes]:
    base = valid.encode()

    @st.composite
    def strategy(draw: st.DrawFn) -> bytes:
        data = bytearray(base)
        for _ in range(draw(st.integers(1, 6))):
            if not data:
                break
            at = draw(st.integers(0, len(data) - 1))
            action = draw(st.sampled_from(["replace", "delete", "insert", "duplicate"]))
            byte = draw(st.sampled_from(b"\t\n\r =;,.-+0123456789#>%aZ\x00\xff"))
            if action == "replace":
                data[at] = byte
            elif action == "delete":
                del data[at]
            elif action == "insert":
                data.insert(at, byte)
            else:
                data[at:at] = data[at:at + draw(st.integers(1, 40))]
        return bytes(data)
    return strategy()


@FUZZ
@given(st.one_of(st.binary(max_size=300), token_text(), mutated(GFF3_VALID)))
def test_gff3_never_raises(data: bytes) -> None:
    _run(gff3.Gff3Validator(), "gff3", data)


@FUZZ
@given(st.one_of(st.binary(max_size=300), token_text(), mutated(BED_VALID)), st.sampled_from(["", "narrowPeak"]))
def test_bed_never_raises(data: bytes, detail: str) -> None:
    _run(bed.BedValidator(), "bed", data, detail=detail)
    _run(bed.BedGraphValidator(), "bedgraph", data)


@FUZZ
@given(st.one_of(st.binary(max_size=300), token_text(), mutated(WIG_VALID)))
def test_wig_never_raises(data: bytes) -> None:
    _run(wig.WigValidator(), "wig", data)


@settings(max_examples=25, deadline=4000)
@given(mutated(BED_VALID * 40))
def test_bed_fast_path_never_raises_on_mutated_blocks(data: bytes) -> None:
    """Many small blocks so that mutations land inside numpy-scanned blocks."""
    old = _textlines.BLOCK
    _textlines.BLOCK = 256
    try:
        _run(bed.BedValidator(), "bed", data)
    finally:
        _textlines.BLOCK = old


def test_cancelling_stops_the_reader_thread(tmp_path: Path) -> None:
    path = tmp_path / "big.bed"
    path.write_bytes(b"chr1\t0\t10\n" * 300_000)
    task = bed.BedValidator().run(Source(path, Sniffed("bed"), path.stat().st_size), Context("big.bed"))
    old = _textlines.BLOCK
    _textlines.BLOCK = 4096
    try:
        next(task)
        task.close()
    finally:
        _textlines.BLOCK = old
    assert not [t for t in threading.enumerate() if t.name == "depositdesk-read-ahead"]
