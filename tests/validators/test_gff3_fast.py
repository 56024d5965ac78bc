"""The GFF3 fast lane must never change a finding: the same file gives the same findings with it and without it.

The fast lane (`_gff3_fast.FEATURE_LINE`) takes plainly well-formed feature
lines past the careful column checks; these tests mix such lines with lines
that only look plain (escapes, repeated tags, Parent lists, leading zeros,
Gap, Is_circular, bad ranges, unknown types ...) and compare every finding,
line number and message against the careful path alone.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from depositdesk.validators.base import Context
from depositdesk.validators.formats import gff3
from depositdesk.validators.formats._gff3_fast import FEATURE_LINE

HEAD = ["##gff-version 3", "##sequence-region chr1 1 5000"]
LINES = [
    "chr1\tsrc\tgene\t100\t900\t.\t+\t.\tID=g1;Name=G1;biotype=protein_coding",
    "chr1\tsrc\tmRNA\t100\t900\t.\t+\t.\tID=t1;Parent=g1;Name=T1",
    "chr1\tsrc\texon\t100\t300\t.\t+\t.\tID=e1;Parent=t1",
    "chr1\tsrc\tCDS\t100\t300\t.\t+\t0\tID=c1;Parent=t1",
    "chr1\tsrc\tCDS\t400\t600\t.\t+\t2\tID=c1;Parent=t1",
    "chr1\tsrc\tCDS\t700\t900\t.\t+\t1\tParent=t1",
    "chr1\tsrc\tCDS\t700\t900\t.\t-\t.\tParent=t1;",
    "chr1\tsrc\tCDS\t100\t300\t.\t+\t0\tID=c1;Parent=t2",
    "chr1\tsrc\texon\t100\t300\t.\t+\t.\tID=t1",
    "chr1\tsrc\tgene\t100\t9000\t.\t+\t.\tID=g2",
    "chr1\tsrc\tgene\t900\t100\t.\t+\t.\tID=g3",
    "chr1\tsrc\tgene\t0100\t900\t.\t+\t.\tID=g4",
    "chr1\tsrc\tgene\t100\t900\t1e3\t?\t.\tID=g5;Note=a b",
    "chr1\tsrc\tgene\t100\t900\tx\t+\t.\tID=g6",
    "chr1\tsrc\tgene\t100\t900\t.\t+\t.\tID=g7;Name=a%20b",
    "chr1\tsrc\tgene\t100\t900\t.\t+\t.\tID=g8;Name=a&b",
    "chr1\tsrc\tgene\t100\t900\t.\t+\t.\tID=g9;x=1;x=2",
    "chr1\tsrc\tgene\t100\t900\t.\t+\t.\tID=g10;Color=red",
    "chr1\tsrc\tmRNA\t100\t900\t.\t+\t.\tID=t3;Parent=g1,g2",
    "chr1\tsrc\tmRNA\t100\t900\t.\t+\t.\tID=t4;Parent=t4",
    "chr1\tsrc\tmRNA\t100\t900\t.\t+\t.\tParent=g1;ID=t5",
    "chr1\tsrc\tmatch\t100\t199\t.\t+\t.\tID=m1;Gap=M90 D10",
    "chr1\tsrc\tgene\t100\t900\t.\t+\t.\tID=g11;Derives_from=g1",
    "chr1\tsrc\tregion\t1\t6000\t.\t+\t.\tID=r1;Is_circular=true",
    "chr1\tsrc\tsnRNA\t100\t900\t.\t+\t.\tID=g12",
    "chr1\tother\tgene\t100\t900\t.\t+\t.\tID=g13;;Name=x",
    "chr2\tsrc\tgene\t100\t900\t.\t+\t.\tID=g14",
    "chr2\tsrc\tmRNA\t100\t900\t.\t+\t.\tID=t6;Parent=g1",
    "chr 3\tsrc\tgene\t1\t9\t.\t+\t.\tID=g15",
    "chr1\tsrc\tgene\t100\t900\t.\t+\t.\t.",
    "chr1\tsrc\tgene\t100\t900\t.\t+\t.\t",
    "chr1\tsrc\tgene\t100\t900\t.\t+",
    "###",
    "##sequence-region chr2 1 500",
    "# a comment",
    "",
]


def _findings(text: str, profile: str) -> tuple[dict[str, object], list[tuple[object, ...]]]:
    ctx = Context("f", profile, cap=10_000)
    state = gff3.Gff3File(ctx)
    data = text.encode()
    first = 1
    for chunk in data.splitlines(keepends=True):  # one line per block: the block edges are crossed too
        state.feed(chunk, first)
        first += 1
    stats = state.finish()
    return stats, [(f.code, f.location.line, f.location.column, f.message, f.severity) for f in ctx.collector]


def _both(text: str, profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _findings(text, profile)
    with monkeypatch.context() as m:
        m.setattr(gff3, "FEATURE_LINE", re.compile(r"(?!)"))  # never matches: every line the careful way
        careful = _findings(text, profile)
    assert fast == careful


def test_plain_lines_take_the_fast_lane() -> None:
    assert FEATURE_LINE.fullmatch(LINES[1]).groups()[1:7] == ("100", "900", "+", ".", "t1", "g1")  # type: ignore[union-attr]
    for line in LINES[7:9] + LINES[12:13] + LINES[29:31]:
        assert FEATURE_LINE.fullmatch(line) is not None, line
    for i in (11, 13, 14, 15, 16, 17, 18, 20, 21, 22, 23, 25):  # each needs the careful checks
        assert FEATURE_LINE.fullmatch(LINES[i]) is None, LINES[i]


def test_a_file_with_every_kind_of_line_gives_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n".join(HEAD + LINES + LINES[:8] + ["##FASTA", ">chr1", "ACGT"]) + "\n"
    _both(text, "spec", monkeypatch)
    fast = _findings(text, "spec")[1]
    assert {"GFF3-ESCAPE", "GFF3-ATTRIBUTE-REPEATED", "GFF3-PHASE-WRONG", "GFF3-CHILD-SEQID"} <= {f[0] for f in fast}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=40), st.sampled_from(["spec", "strict-modencode"]))
def test_any_mix_of_lines_gives_the_same_findings(lines: list[str], profile: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _both("\n".join(HEAD + lines) + "\n", profile, monkeypatch)
