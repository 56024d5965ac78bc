"""SRA and ENA rules: a passing and a failing project each, checking code and location."""

from __future__ import annotations

from depositdesk.packaging.targets import check_targets
from tests.packaging.targets.core_recipes import example_project, set_cell, set_column

SRA_FILLED = {
    "Comment[library source]": "GENOMIC", "Comment[LIBRARY_LAYOUT]": "single", "Comment[platform]": "ILLUMINA",
    "Comment[design description]": "ChIP-seq of GAF in stage 11 embryos", "Comment[filetype]": "fastq",
    "Characteristics[collection_date]": "2026-03-02", "Characteristics[geo_loc_name]": "not collected",
}


def sra_ready(layout: str = "single"):
    project = example_project()
    for heading, value in {**SRA_FILLED, "Comment[LIBRARY_LAYOUT]": layout}.items():
        set_column(project, heading, value)
    return project


def codes(project, target: str) -> list[str]:
    return sorted({f.code for f in check_targets(project, [target], cap=1000)})


def test_sra_passes_when_filled_and_accepts_not_collected() -> None:
    assert check_targets(sra_ready(), ["sra"]) == []


def test_sra_layout_case_variant() -> None:
    found = check_targets(sra_ready("SINGLE"), ["sra"])
    item = found[0]
    assert {f.code for f in found} == {"SRA-VOCABULARY"} and len(found) == 6 and item.location.row == 1
    assert item.code == "SRA-VOCABULARY" and item.suggestion == "Write 'single' exactly."


def test_sra_instrument_must_belong_to_the_platform() -> None:
    project = sra_ready()
    column = set_cell(project, "Parameter Value[instrument model]", 2, "MinION")
    [item] = check_targets(project, ["sra"])
    assert item.code == "SRA-INSTRUMENT-PLATFORM" and (item.location.row, item.location.column) == (2, column)
    assert "ILLUMINA" in item.message and "Illumina HiSeq 2000" in item.suggestion


def test_biosample_mandatory_attribute_missing_column_then_cell() -> None:
    project = example_project()
    for heading, value in SRA_FILLED.items():
        if heading != "Characteristics[geo_loc_name]":
            set_column(project, heading, value)
    [item] = check_targets(project, ["sra"])
    assert item.code == "SRA-BIOSAMPLE-MISSING" and item.location.column_name == "Characteristics[geo_loc_name]"
    set_column(project, "Characteristics[geo_loc_name]", "Japan: Kanazawa")
    column = set_cell(project, "Characteristics[geo_loc_name]", 5, "")
    [item] = check_targets(project, ["sra"])
    assert item.code == "SRA-BIOSAMPLE-MISSING" and (item.location.row, item.location.column) == (5, column)


def test_biosample_package_from_the_idf() -> None:
    project = sra_ready()
    project.idf.set("Comment[BioSample package]", ["Invertebrate.1.0"])   # no *sex: still fine
    assert check_targets(project, ["sra"]) == []
    project.idf.set("Comment[BioSample package]", ["Human.1.0"])
    [item] = check_targets(project, ["sra"])
    assert item.code == "SRA-BIOSAMPLE-PACKAGE" and item.location.column_name == "Comment[BioSample package]"


def test_ena_passes_with_its_layout_and_fastq_runs() -> None:
    assert check_targets(sra_ready("SINGLE"), ["ena"]) == []


def test_ena_paired_run_with_one_fastq() -> None:
    project = sra_ready("PAIRED")
    found = check_targets(project, ["ena"])
    assert {f.code for f in found} == {"ENA-READ-FILES"} and len(found) == 4   # four runs
    assert found[0].location.column_name == "Assay Name" and found[0].location.row == 1


def test_ena_fastq_and_bam_mixed_in_one_run() -> None:
    project = sra_ready("SINGLE")
    set_cell(project, "Array Data File", 2, "GAF_ChIP_rep1.bam")   # row 2 is run GAF_ChIP_rep1 again
    [item] = check_targets(project, ["ena"])
    assert item.code == "ENA-READ-FILES" and "mixed" in item.message and item.location.row == 1


def test_ena_makes_a_readless_bam_an_error() -> None:
    from depositdesk.findings import Finding, Severity
    from depositdesk.packaging.targets import get_target
    from depositdesk.packaging.targets.base import apply_file_rules

    [changed] = apply_file_rules(get_target("ena"), [Finding("SAM-NO-RECORDS", Severity.WARNING, "no reads")])
    assert changed.severity == Severity.ERROR
