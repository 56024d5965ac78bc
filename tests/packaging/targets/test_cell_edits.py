"""An edited cell's target findings, as the app shows them at once (`check_cells`, `refresh_cells`)."""

from __future__ import annotations

import time

from depositdesk.packaging.targets.base import (
    check_cells,
    check_targets,
    find_column,
    refresh_cells,
)
from tests.packaging.targets.core_recipes import example_project, set_cell

TARGETS = ["geo", "sra"]


def _at(found, row, column):
    return sorted(f.code for f in found if (f.location.row, f.location.column) == (row, column))


def test_each_cell_gets_the_findings_the_whole_check_gives_it() -> None:
    project = example_project()
    strategy = set_cell(project, "Comment[library strategy]", 2, "chip-seq")
    title = set_cell(project, "Comment[title]", 3, "")
    set_cell(project, "Assay Name", 4, "  caf  ")
    sdrf = project.sdrfs[0]
    whole = check_targets(project, TARGETS)
    every = [(r, c) for r in range(len(sdrf.rows)) for c in range(len(sdrf.header))]
    per_cell = check_cells(sdrf, TARGETS, every)
    assert "GEO-VOCABULARY" in _at(per_cell, 2, strategy) and "GEO-VALUE-MISSING" in _at(per_cell, 3, title)
    cell_codes = {f.code for f in per_cell}
    # every cell-level finding of the whole check is found cell by cell, at the same place
    expected = {(f.code, f.location.row, f.location.column, f.message) for f in whole if f.code in cell_codes}
    assert expected <= {(f.code, f.location.row, f.location.column, f.message) for f in per_cell}


def test_a_repeated_library_name_is_not_unique_at_the_edited_cell() -> None:
    project = example_project()
    sdrf = project.sdrfs[0]
    c = find_column(sdrf, "Assay Name")
    assert c is not None
    sdrf.set_cells([(3, c, sdrf.rows[0][c])])
    assert _at(check_cells(sdrf, ["geo"], [(3, c)]), 4, c + 1) == ["GEO-NOT-UNIQUE"]
    assert check_cells(sdrf, ["geo"], [(0, c)]) == []     # the first row holding it is fine


def test_refresh_replaces_the_edited_cells_findings_and_keeps_the_others() -> None:
    project = example_project()
    strategy = set_cell(project, "Comment[library strategy]", 2, "chip-seq")
    set_cell(project, "Comment[library strategy]", 5, "CHIPseq")
    before = check_targets(project, ["geo"])
    assert _at(before, 2, strategy) == ["GEO-VOCABULARY"] and _at(before, 5, strategy) == ["GEO-VOCABULARY"]
    set_cell(project, "Comment[library strategy]", 2, "ChIP-Seq")
    after = refresh_cells(before, project.sdrfs[0], ["geo"], [(1, strategy - 1)])
    assert _at(after, 2, strategy) == [] and _at(after, 5, strategy) == ["GEO-VOCABULARY"]
    set_cell(project, "Comment[library strategy]", 2, "2-Sep")
    again = refresh_cells(after, project.sdrfs[0], ["geo"], [(1, strategy - 1)])
    assert _at(again, 2, strategy) == ["GEO-VOCABULARY", "XL-GENE-DATE"]


def test_an_edit_in_50000_rows_is_checked_within_100_ms() -> None:
    project = example_project()
    sdrf = project.sdrfs[0]
    assay = sdrf.header.index("Assay Name")
    rows = [list(sdrf.rows[i % len(sdrf.rows)]) for i in range(50_000)]
    for i, row in enumerate(rows):
        row[assay] = f"lib{i}"
    sdrf.reset(sdrf.header, rows)
    found = check_targets(project, TARGETS)
    c = find_column(sdrf, "Comment[library strategy]")
    assert c is not None
    start = time.process_time()
    for r in (49_999, 25_000, 7):
        sdrf.set_cells([(r, c, "chip-seq"), (r, assay, f"lib{r}")])
        found = refresh_cells(found, sdrf, TARGETS, [(r, c), (r, assay)])
        assert "GEO-VOCABULARY" in _at(found, r + 1, c + 1)
    assert (time.process_time() - start) / 3 < 0.1
    # a paste of 500 library names (a unique column): the column is read once, not once per cell
    pasted = [(r, assay) for r in range(1000, 1500)]
    sdrf.set_cells([(r, c, f"lib{r % 400}") for r, c in pasted])
    start = time.process_time()
    found = refresh_cells(found, sdrf, TARGETS, pasted)
    assert time.process_time() - start < 0.5
    def repeated(items):  # type: ignore[no-untyped-def]
        return {(f.code, f.location.row, f.message) for f in items
                if f.code.endswith("-NOT-UNIQUE") and 1001 <= (f.location.row or 0) <= 1500
                and f.location.column == assay + 1}   # other columns' findings: the whole check's

    assert repeated(found) == repeated(check_targets(project, TARGETS, cap=10**6)) != set()


def test_rules_give_the_same_findings_with_and_without_shared_column_work() -> None:
    from depositdesk.packaging.rules import excel_damage, identifiers, privacy
    from depositdesk.packaging.rules._where import shared_work
    from depositdesk.packaging.targets import arrayexpress, ena, sdrf_proteomics, sra

    project = example_project()
    set_cell(project, "Assay Name", 2, "SEPT2 ")
    set_cell(project, "Characteristics[organism]", 3, "Homo sapiens")
    set_cell(project, "Comment[LIBRARY_LAYOUT]", 4, "single")
    set_cell(project, "Comment[title]", 5, "call 555-123-4567")
    rules = [excel_damage.findings, privacy.findings, privacy.safe_harbor_findings, identifiers.findings,
             arrayexpress.findings, ena.read_file_findings, sra.biosample_findings, sdrf_proteomics.findings]
    alone = [rule(project) for rule in rules]
    with shared_work():
        together = [rule(project) for rule in rules]
    assert together == alone and any(alone)
