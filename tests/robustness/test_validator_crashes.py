"""Reproducers of issue 14 for the file validators: a damaged file gives the format's own
finding, fast, never FILE-VALIDATOR-FAILED."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from depositdesk.progress import run
from depositdesk.validators.engine import FileReport, validate_file
from tests.robustness import recipes


def validate(path: Path) -> tuple[FileReport, float]:
    start = time.monotonic()
    report = run(validate_file(path, use_cache=False))
    return report, time.monotonic() - start


CASES: list[tuple[Callable[[Path, Path], Path], str]] = [
    (recipes.bed_huge_coordinate, "BED-COORD-RANGE"),
    (recipes.wig_digits_over_4300, "WIG-LINE-TOO-LONG"),
    (recipes.wig_position_1000_digits, "WIG-POSITION-INVALID"),
    (recipes.wig_huge_value, "WIG-STEP-INVALID"),
    (recipes.wig_fixedstep_past_int64, "WIG-POSITION-INVALID"),
    (recipes.wig_70000_digit_line, "WIG-LINE-TOO-LONG"),
    (recipes.cram_header_not_utf8, "SAM-HEADER-NOT-UTF8"),
    (recipes.sam_mapq_5000_digits, "SAM-MAPQ"),
    (recipes.sam_b_array_long_digits, "SAM-TAG"),
    (recipes.gff3_end_5000_digits, "GFF3-COORD-NOT-INTEGER"),
    (recipes.gff3_gap_superscript_length, "GFF3-GAP-INVALID"),
]


@pytest.mark.parametrize(("recipe", "expected"), CASES, ids=[c[0].__name__ for c in CASES])
def test_damaged_file_gives_its_format_finding(shared: Path, tmp_path: Path,
                                               recipe: Callable[[Path, Path], Path], expected: str) -> None:
    report, seconds = validate(recipe(shared, tmp_path))
    codes = [f.code for f in report.findings]
    assert "FILE-VALIDATOR-FAILED" not in codes, report.findings
    assert any(code.startswith(expected) for code in codes), codes
    assert seconds < 2


def test_bam_of_300000_one_byte_blocks_is_linear(shared: Path, tmp_path: Path) -> None:
    report, seconds = validate(recipes.bam_one_byte_blocks(shared, tmp_path))
    assert report.stats["records"] == 20000
    assert not {"FILE-VALIDATOR-FAILED", "SAM-UNREADABLE", "SAM-TRUNCATED"} & {f.code for f in report.findings}
    assert seconds < 2


def test_cram_block_with_a_corrupt_size_is_not_handed_to_htslib(shared: Path, tmp_path: Path) -> None:
    report, seconds = validate(recipes.cram_block_claims_4gb(shared, tmp_path))
    unreadable = [f for f in report.findings if f.code == "SAM-UNREADABLE"]
    assert unreadable and "4,294,967,280" in unreadable[0].message
    assert "FILE-VALIDATOR-FAILED" not in {f.code for f in report.findings}
    assert seconds < 2
