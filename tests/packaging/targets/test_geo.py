"""GEO: every kind of declared requirement and every GEO rule, a passing and a failing project each.

The passing project is the example's recipe (which GEO accepts); each failure is one edit of it,
and the test checks the code and where it points (IDF field, or SDRF row + column).
"""

from __future__ import annotations

import pytest

from depositdesk.findings import Finding
from depositdesk.packaging.targets import check_targets
from tests.packaging.targets.core_recipes import (
    IDF_NAME,
    SDRF_NAME,
    drop_column,
    example_project,
    set_cell,
    set_column,
)


def geo(project) -> list[Finding]:
    return check_targets(project, ["geo"], cap=1000)


def codes(findings: list[Finding]) -> list[str]:
    return sorted({f.code for f in findings})


def test_the_example_passes_geo() -> None:
    assert geo(example_project()) == []


def test_missing_idf_field_points_at_the_field() -> None:
    project = example_project()
    project.idf.set("Investigation Title", [])
    [item] = geo(project)
    assert item.code == "GEO-FIELD-MISSING" and "*title" in item.message
    assert item.location.file == IDF_NAME and item.location.column_name == "Investigation Title"
    assert item.location.line == 2


def test_title_over_255_characters_is_too_long() -> None:
    project = example_project()
    project.idf.set("Investigation Title", ["x" * 256])
    [item] = geo(project)
    assert item.code == "GEO-TOO-LONG" and "256" in item.message and "255" in item.message
    project.idf.set("Investigation Title", ["x" * 255])
    assert geo(project) == []


def test_missing_required_column_names_the_heading() -> None:
    project = example_project()
    drop_column(project, "Comment[molecule]")
    [item] = geo(project)
    assert item.code == "GEO-COLUMN-MISSING" and item.location.column_name == "Comment[molecule]"
    assert item.location.file == SDRF_NAME and item.location.row is None


def test_empty_required_cell_points_at_the_cell() -> None:
    project = example_project()
    column = set_cell(project, "Characteristics[organism]", 3, "")
    [item] = geo(project)
    assert item.code == "GEO-VALUE-MISSING"
    assert (item.location.row, item.location.column) == (3, column)


def test_vocabulary_case_variant_suggests_the_exact_spelling() -> None:
    project = example_project()
    column = set_cell(project, "Comment[library strategy]", 2, "chip-seq")
    [item] = geo(project)
    assert item.code == "GEO-VOCABULARY" and item.suggestion == "Write 'ChIP-Seq' exactly."
    assert (item.location.row, item.location.column) == (2, column)


def test_vocabulary_unknown_value_suggests_close_ones() -> None:
    project = example_project()
    set_cell(project, "Parameter Value[instrument model]", 1, "Illumina HiSeq 2001")
    [item] = geo(project)
    assert item.code == "GEO-VOCABULARY" and "Illumina HiSeq 2000" in item.suggestion


def test_layout_vocabulary_is_geos_own() -> None:
    project = example_project()
    set_column(project, "Comment[single or paired-end]", "SINGLE")
    assert codes(geo(project)) == ["GEO-VOCABULARY"]


def test_one_of_group_needs_one_column_filled_per_row() -> None:
    project = example_project()
    column = set_cell(project, "Characteristics[organism part]", 4, "")
    [item] = geo(project)
    assert item.code == "GEO-ONE-OF" and (item.location.row, item.location.column) == (4, column)
    set_column(project, "Characteristics[cell type]", "embryonic cell")
    assert geo(project) == []
    drop_column(project, "Characteristics[organism part]")
    drop_column(project, "Characteristics[cell type]")
    [item] = geo(project)
    assert item.code == "GEO-ONE-OF" and item.location.row is None


def test_two_libraries_with_one_title_are_not_unique_but_a_repeated_library_is_fine() -> None:
    project = example_project()   # rows 1 and 2 are one library (two derived files): no finding
    title = project.sdrfs[0].rows[0][project.sdrfs[0].header.index("Comment[title]")]
    column = set_cell(project, "Comment[title]", 3, title)   # row 3 is another library
    [item] = geo(project)
    assert item.code == "GEO-NOT-UNIQUE" and (item.location.row, item.location.column) == (3, column)
    assert "row 1" in item.message


def test_one_raw_file_listed_for_two_libraries_is_not_unique() -> None:
    project = example_project()
    set_cell(project, "Array Data File", 3, "GAF_ChIP_rep1.fastq.gz")
    assert codes(geo(project)) == ["GEO-NOT-UNIQUE"]


def test_sample_title_over_120_characters() -> None:
    project = example_project()
    set_cell(project, "Comment[title]", 1, "t" * 121)
    set_cell(project, "Comment[title]", 2, "t" * 121)
    assert codes(geo(project)) == ["GEO-TOO-LONG"]


def test_non_ascii_genotype_or_library_name() -> None:
    project = example_project()
    column = set_column(project, "Characteristics[genotype]", "w¹¹¹⁸")
    item = geo(project)[0]
    assert item.code == "GEO-NOT-ASCII" and item.location.column == column
    project = example_project()
    set_column(project, "Characteristics[genotype]", "w1118")
    assert geo(project) == []


@pytest.mark.parametrize("protocol_type", ["nucleic acid extraction protocol",
                                           "nucleic acid library construction protocol"])
def test_required_protocol_missing(protocol_type: str) -> None:
    project = example_project()
    types = project.idf.get("Protocol Type")
    project.idf.set("Protocol Type", ["growth protocol" if t == protocol_type else t for t in types])
    [item] = geo(project)
    assert item.code == "GEO-PROTOCOL-MISSING" and item.location.column_name == "Protocol Type"


def test_genome_build_from_sdrf_or_idf() -> None:
    project = example_project()
    set_column(project, "Parameter Value[genome assembly]", "")
    [item] = geo(project)
    assert item.code == "GEO-GENOME-BUILD"
    project.idf.set("Comment[genome build/assembly]", ["dm6"])
    assert geo(project) == []


def test_contributor_name_form() -> None:
    project = example_project()
    project.idf.set("Person First Name", [""])
    [item] = geo(project)
    assert item.code == "GEO-CONTRIBUTOR" and item.location.column_name == "Person Last Name"
    project.idf.set("Person First Name", ["Ada, Jr"])
    assert codes(geo(project)) == ["GEO-CONTRIBUTOR"]


def test_paired_end_library_needs_two_raw_files() -> None:
    project = example_project()
    column = set_column(project, "Comment[single or paired-end]", "paired-end")
    found = geo(project)
    assert codes(found) == ["GEO-PAIRED-FILES"] and found[0].location.column == column
    project.sdrfs[0].insert_columns(len(project.sdrfs[0].header), ["Comment[SUBMITTED_FILE_NAME]"])
    set_column(project, "Comment[SUBMITTED_FILE_NAME]", "")
    for row, mate in enumerate(["c1_2.fq.gz", "c1_2.fq.gz", "i1_2.fq.gz", "c2_2.fq.gz", "c2_2.fq.gz", "i2_2.fq.gz"], 1):
        set_cell(project, "Comment[SUBMITTED_FILE_NAME]", row, mate)
    assert geo(project) == []


def test_check_cell_gives_one_cells_findings_as_the_full_check_does() -> None:
    from depositdesk.packaging.targets.base import check_cell, find_column

    project = example_project()
    set_cell(project, "Comment[library strategy]", 2, "chip-seq")
    sdrf = project.sdrfs[0]
    c = find_column(sdrf, "Comment[library strategy]")
    assert c is not None
    assert check_cell(["geo"], sdrf, 1, c) == geo(project)
    assert check_cell(["geo"], sdrf, 0, c) == []


def _second_raw_column(project, mates: list[str]) -> int:
    """Add a second 'Array Data File' column (the R2 of each row); returns its 1-based number."""
    sdrf = project.sdrfs[0]
    sdrf.insert_columns(len(sdrf.header), ["Array Data File"])
    c = len(sdrf.header) - 1
    sdrf.set_cells([(r, c, mate) for r, mate in enumerate(mates)])
    return c + 1


MATES = ["rep1_2.fq.gz", "rep1_2.fq.gz", "in1_2.fq.gz", "rep2_2.fq.gz", "rep2_2.fq.gz", "in2_2.fq.gz"]


def test_a_raw_file_in_two_file_columns_is_not_unique() -> None:
    project = example_project()
    r2 = _second_raw_column(project, MATES)
    assert geo(project) == []        # each library's R1 and R2 repeated on its rows: one file each
    project.sdrfs[0].set_cells([(2, r2 - 1, "GAF_ChIP_rep1.fastq.gz")])   # input_rep1's R2 = rep1's R1
    [item] = geo(project)
    assert item.code == "GEO-NOT-UNIQUE" and (item.location.row, item.location.column) == (3, r2)
    assert "'GAF_ChIP_rep1.fastq.gz'" in item.message and "library 'GAF_ChIP_rep1'" in item.message


def test_r1_of_one_row_as_r2_of_another_or_twice_in_a_row_is_not_unique() -> None:
    project = example_project()
    r2 = _second_raw_column(project, MATES)
    r1 = set_cell(project, "Array Data File", 2, "rep1_2.fq.gz")    # row 2's R1 is row 1's R2 (same library)
    project.sdrfs[0].set_cells([(1, r2 - 1, "rep1_3.fq.gz")])
    # (rows of one library with different raw files also read as two entries of one library name)
    [item] = [f for f in geo(project) if f.location.column in (r1, r2)]
    assert item.code == "GEO-NOT-UNIQUE" and (item.location.row, item.location.column) == (2, r1)
    assert "file 2 of library 'GAF_ChIP_rep1' (row 1)" in item.message
    project = example_project()
    r2 = _second_raw_column(project, ["GAF_ChIP_rep1.fastq.gz"] * 2 + MATES[2:])   # rows 1, 2: R1 == R2
    found = geo(project)
    assert codes(found) == ["GEO-NOT-UNIQUE"]
    assert [(f.location.row, f.location.column) for f in found] == [(1, r2), (2, r2)]


def test_one_file_in_array_data_file_and_submitted_file_name_is_one_file() -> None:
    project = example_project()
    sdrf = project.sdrfs[0]
    sdrf.insert_columns(len(sdrf.header), ["Comment[SUBMITTED_FILE_NAME]"])
    adf = set_cell(project, "Array Data File", 1, "GAF_ChIP_rep1.fastq.gz") - 1
    sdrf.set_cells([(r, len(sdrf.header) - 1, row[adf]) for r, row in enumerate(sdrf.rows)])
    assert geo(project) == []
