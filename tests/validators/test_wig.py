"""WIG validator: valid sections, broken twins per rule, profiles, and the fast path's line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.findings import Finding, Severity
from depositdesk.progress import run
from depositdesk.validators.base import Context, Sniffed, Source
from depositdesk.validators.engine import validate_file
from depositdesk.validators.formats import _textlines, wig

VALID = """\
track type=wiggle_0 name="demo"
variableStep chrom=chr1 span=10
100\t1.5
200\t-0.25
300 3e-2
fixedStep chrom=chr1 start=1001 step=20 span=20
1
2.5
-3
variableStep chrom=chr2
5\t0
"""


def check(tmp_path: Path, text: str, profile: str = "spec", options: dict | None = None) -> list[Finding]:
    path = tmp_path / "x.wig"
    path.write_text(text)
    ctx = Context("x.wig", profile, options=options)
    run(wig.WigValidator().run(Source(path, Sniffed("wig"), path.stat().st_size), ctx))
    return ctx.findings()


def codes(findings: list[Finding], at_least: Severity = Severity.WARNING) -> set[str]:
    return {f.code for f in findings if f.severity >= at_least}


def test_valid_sections_give_no_finding(tmp_path: Path) -> None:
    assert check(tmp_path, VALID) == []


def test_bedgraph_style_lines_are_wiggle_too(tmp_path: Path) -> None:
    assert check(tmp_path, "track type=wiggle_0\nchr1\t0\t100\t2.5\nchr1\t100\t200\t1\n") == []


TWINS: dict[str, tuple[str, str]] = {
    "data_before_declaration": ("100\t1\n" + VALID, wig.DATA_BEFORE_DECLARATION),
    "missing_chrom": (VALID.replace("variableStep chrom=chr2", "variableStep"), wig.CHROM_MISSING),
    "missing_start": (VALID.replace(" start=1001", ""), wig.START_MISSING),
    "missing_step": (VALID.replace(" step=20", ""), wig.STEP_MISSING),
    "start_zero": (VALID.replace("start=1001", "start=0"), wig.POSITION_INVALID),
    "position_zero": (VALID.replace("100\t1.5", "0\t1.5"), wig.POSITION_INVALID),
    "span_zero": (VALID.replace("span=10", "span=0"), wig.STEP_INVALID),
    "unknown_setting": (VALID.replace("span=10", "spam=10"), wig.DECLARATION_INVALID),
    "value_not_a_number": (VALID.replace("-0.25", "abc"), wig.VALUE_INVALID),
    "value_nan": (VALID.replace("-0.25", "nan"), wig.VALUE_INVALID),
    "positions_go_back": (VALID.replace("300 3e-2", "150 3e-2"), wig.UNSORTED),
    "variablestep_one_field": (VALID.replace("200\t-0.25", "200"), wig.DATA_LINE),
    "fixedstep_two_fields": (VALID.replace("\n2.5\n", "\n2.5 7\n"), wig.DATA_LINE),
}


@pytest.mark.parametrize("defect", sorted(TWINS))
def test_each_broken_twin_gives_its_error(tmp_path: Path, defect: str) -> None:
    text, code = TWINS[defect]
    found = check(tmp_path, text)
    assert code in codes(found, Severity.ERROR), [f.describe() for f in found]


@pytest.mark.parametrize(("text", "code"), [
    (VALID.replace("200\t-0.25", "105\t-0.25"), wig.OVERLAP),
    (VALID + "variableStep chrom=chr1\n90000\t1\n", wig.CHROM_REVISITED),
    (VALID.replace("\n", "\r\n"), wig.CRLF),
    (VALID.replace("-0.25", "-.25"), wig.VALUE_STYLE),
], ids=["span_overlaps_next", "chromosome_revisited", "crlf", "leading_dot_value"])
def test_tolerated_oddities_are_warnings(tmp_path: Path, text: str, code: str) -> None:
    found = check(tmp_path, text)
    assert code in codes(found) and not codes(found, Severity.ERROR), [f.describe() for f in found]


def test_value_without_leading_digit_fails_under_strict_modencode(tmp_path: Path) -> None:
    text = VALID.replace("-0.25", "-.25")
    assert wig.VALUE_STYLE in codes(check(tmp_path, text, "strict-modencode"), Severity.ERROR)


def test_chrom_sizes_and_the_chr_prefix_under_strict_modencode(tmp_path: Path) -> None:
    sizes = {"1": 2000, "2": 10}
    spec = check(tmp_path, VALID, options={"chrom_sizes": sizes})
    assert codes(spec, Severity.ERROR) == {wig.CHROM_UNKNOWN}
    assert check(tmp_path, VALID, "strict-modencode", options={"chrom_sizes": sizes}) == []
    short = check(tmp_path, VALID, "strict-modencode", options={"chrom_sizes": {"1": 1000, "2": 10}})
    assert codes(short, Severity.ERROR) == {wig.END_BEYOND_CHROM}


def test_fast_path_keeps_line_numbers_across_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_textlines, "BLOCK", 1000)
    lines = ["variableStep chrom=chr1 span=5"] + [f"{10 * i + 1}\t{i % 7}.5" for i in range(2000)]
    lines += ["fixedStep chrom=chr2 start=1 step=1"] + [f"{i % 3}" for i in range(2000)]
    lines[1234] = "12331\tx"
    lines[3500] = "9 9"
    path = tmp_path / "big.wig"
    path.write_text("\n".join(lines) + "\n")
    ctx = Context("big.wig")
    stats = run(wig.WigValidator().run(Source(path, Sniffed("wig"), path.stat().st_size), ctx))
    assert stats["fast_runs"] > 10 and stats["values"] == 3998
    assert [(f.code, f.location.line) for f in ctx.findings()] == [(wig.VALUE_INVALID, 1235),
                                                                    (wig.DATA_LINE, 3501)]


def test_engine_validates_wig_with_md5(tmp_path: Path) -> None:
    path = tmp_path / "signal.wig"
    path.write_text(VALID)
    report = run(validate_file(path, use_cache=False))
    assert report.format == "wig" and report.findings == [] and report.md5
