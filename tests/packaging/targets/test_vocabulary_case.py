"""One term in two letter cases: SRA's library layout 'paired', ENA's 'PAIRED'.

A project aimed at both can be clean: either target's spelling passes both (each package writes its
repository's spelling), a spelling neither writes is a finding of each, and the spreadsheet-damage
case-variant rule does not ask to rewrite a cell into a spelling that a chosen target refuses.
"""

from __future__ import annotations

import pytest

from depositdesk.packaging.targets import check_targets, get_target
from depositdesk.packaging.targets.base import check_cell, find_column
from tests.packaging.targets.core_recipes import example_project, set_cell, set_column

LAYOUT = "Comment[LIBRARY_LAYOUT]"


def _layout_codes(project, names):
    c = find_column(project.sdrfs[0], LAYOUT)
    return sorted({f.code for f in check_targets(project, names) if f.location.column == (c or 0) + 1})


def test_the_two_repositories_spell_the_layout_differently() -> None:
    sra = next(r for r in get_target("sra").columns if r.heading.lower() == "comment[library layout]")
    ena = next(r for r in get_target("ena").columns if r.heading.lower() == "comment[library layout]")
    assert "paired" in sra.vocabulary and "PAIRED" in ena.vocabulary
    assert "PAIRED" not in sra.vocabulary and "paired" not in ena.vocabulary


@pytest.mark.parametrize("spelling", ["paired", "PAIRED"])
def test_either_spelling_passes_a_project_aimed_at_both(spelling: str) -> None:
    project = example_project()
    set_column(project, LAYOUT, spelling)
    assert _layout_codes(project, ["sra", "ena"]) == []
    c = find_column(project.sdrfs[0], LAYOUT)
    assert c is not None and check_cell(["sra", "ena"], project.sdrfs[0], 0, c) == []


def test_alone_each_target_still_wants_its_own_spelling() -> None:
    project = example_project()
    set_column(project, LAYOUT, "PAIRED")
    assert _layout_codes(project, ["sra"]) == ["SRA-VOCABULARY"]
    set_column(project, LAYOUT, "paired")
    assert _layout_codes(project, ["ena"]) == ["ENA-VOCABULARY"]


def test_a_spelling_neither_writes_is_a_finding_of_each() -> None:
    project = example_project()
    set_column(project, LAYOUT, "Paired")
    assert _layout_codes(project, ["sra", "ena"]) == ["ENA-VOCABULARY", "SRA-VOCABULARY"]


def test_mixed_case_in_the_column_is_no_case_variant_when_each_spelling_is_required() -> None:
    project = example_project()
    set_column(project, LAYOUT, "PAIRED")
    set_cell(project, LAYOUT, 1, "paired")
    assert _layout_codes(project, ["sra", "ena"]) == []
    # aimed at SRA alone: the majority 'PAIRED' is SRA's error, and 'paired' is not asked to become it
    found = [f for f in check_targets(project, ["sra"]) if f.location.column_name == LAYOUT]
    assert {f.code for f in found} == {"SRA-VOCABULARY"}
    assert all(f.location.row != 1 for f in found)
