"""Zenodo, BIA, IDR and dbGaP: declared requirements against their sources, and each rule pass/fail."""

from __future__ import annotations

import re
from pathlib import Path

from depositdesk.findings import Severity
from depositdesk.packaging.targets import bia, check_targets, get_target, idr, zenodo
from tests.packaging.targets.core_recipes import example_project, set_cell, set_column

REMBI_TEMPLATE = "metadata-corpus/bia/bia-agent/templates/rembi-mifa-metadata-template.yaml"
COLLECTIONS = {"biosamples", "specimens", "acquisitions", "study_component", "associations"}


def _required_rembi_keys(text: str) -> set[str]:
    """Keys marked '# Required' outside the template's optional sections, collection names dropped."""
    keys: set[str] = set()
    stack: list[tuple[int, str]] = []
    optional = False
    for line in text.splitlines():
        match = re.match(r"^(\s*)(- )?([A-Za-z0-9_ ]+):(.*)$", line)
        if not match:
            continue
        indent = len(match.group(1)) + (2 if match.group(2) else 0)
        stack = [(i, k) for i, k in stack if i < indent] + [(indent, match.group(3))]
        if indent == 0:
            optional = "Optional section" in match.group(4)
        path = [k for n, (_, k) in enumerate(stack) if not (n == 1 and stack[0][1] in COLLECTIONS)]
        if re.search(r"#\s*Required\s*(#|$)", match.group(4)) and not optional:
            keys.add(".".join(path))
    return keys


def test_rembi_required_keys_equal_the_template(shared: Path) -> None:
    keys = _required_rembi_keys((shared / REMBI_TEMPLATE).read_text(encoding="utf-8"))
    assert keys == set(bia.REMBI)


def zenodo_ready():
    project = example_project()
    project.idf.set("Comment[License]", ["cc-by-4.0"])
    return project


def test_zenodo_passes_with_a_licence_and_limits_are_decimal() -> None:
    assert check_targets(zenodo_ready(), ["zenodo"]) == []
    limits = get_target("zenodo").limits
    assert (limits.max_files, limits.max_total_bytes) == (100, 50_000_000_000)


def test_zenodo_access_right_needs_its_fields() -> None:
    project = example_project()
    project.idf.set("Comment[License]", [])
    [item] = check_targets(project, ["zenodo"])
    assert item.code == "ZEN-ACCESS" and item.location.column_name == "Comment[License]"
    project = zenodo_ready()
    project.idf.set("Comment[Zenodo access right]", ["embargoed"])
    project.idf.set("Comment[Zenodo embargo date]", ["31/12/2027"])
    [item] = check_targets(project, ["zenodo"])
    assert item.code == "ZEN-ACCESS" and "YYYY-MM-DD" in item.message
    project.idf.set("Comment[Zenodo embargo date]", ["2027-12-31"])
    assert check_targets(project, ["zenodo"]) == []
    project.idf.set("Comment[Zenodo access right]", ["Open"])
    [item] = check_targets(project, ["zenodo"])
    assert item.code == "ZEN-VOCABULARY" and item.suggestion == "Write 'open' exactly."


def test_zenodo_creator_needs_family_and_given_name() -> None:
    project = zenodo_ready()
    project.idf.set("Person First Name", [""])
    [item] = check_targets(project, ["zenodo"])
    assert item.code == "ZEN-CREATOR" and "first name" in item.message


def test_zenodo_file_count_limit(tmp_path: Path) -> None:
    project = zenodo_ready()
    sdrf = project.sdrfs[0]
    sdrf.insert_rows(len(sdrf.rows), [list(sdrf.rows[0]) for _ in range(100)])
    column = sdrf.header.index("Array Data File")
    sdrf.set_cells([(r, column, f"extra_{r}.fastq.gz") for r in range(6, len(sdrf.rows))])
    found = check_targets(project, ["zenodo"])
    assert [f.code for f in found] == ["ZEN-LIMITS"] and "at most 100" in found[0].message


def bia_ready():
    project = example_project()
    project.idf.set("Comment[Keywords]", ["GAGA factor"])
    project.idf.set("Comment[License]", ["CC BY 4.0"])
    types = project.idf.get("Protocol Type")
    project.idf.set("Protocol Type", [*types[:-2], "sample preparation protocol", "image acquisition protocol"])
    set_column(project, "Parameter Value[imaging method]", "confocal microscopy")
    project.sdrfs[0].insert_columns(len(project.sdrfs[0].header), ["Term Source REF", "Term Accession Number"])
    set_column(project, "Parameter Value[imaging instrument]", "Zeiss LSM 880")
    sdrf = project.sdrfs[0]
    method = sdrf.header.index("Parameter Value[imaging method]")
    sdrf.set_cells([(r, method + c, v) for r in range(len(sdrf.rows))
                    for c, v in ((1, "FBbi"), (2, "FBbi:00000251"))])
    return project


def test_bia_passes_when_rembi_is_filled() -> None:
    assert check_targets(bia_ready(), ["bia"]) == []


def test_bia_licence_typo_gets_the_exact_spelling() -> None:
    project = bia_ready()
    project.idf.set("Comment[License]", ["CC-BY 4.0"])
    [item] = check_targets(project, ["bia"])
    assert item.code == "BIA-VOCABULARY" and item.suggestion == "Write 'CC BY 4.0' exactly."


def test_bia_protocol_and_term_rules() -> None:
    project = example_project()
    codes = {f.code for f in check_targets(project, ["bia"], cap=1000)}
    assert {"BIA-PROTOCOL-MISSING", "BIA-COLUMN-MISSING", "BIA-FIELD-MISSING"} <= codes
    project = bia_ready()
    column = set_cell(project, "Term Accession Number", 1, "")   # the organism's accession
    [item] = check_targets(project, ["bia"])
    assert item.code == "BIA-TERM-MISSING" and item.location.row == 1 and item.location.column == column - 2


def test_idr_needs_experiment_sample_type() -> None:
    project = example_project()
    for field in ("Comment[Study Type]", "Publication Title", "Publication Author List"):
        project.idf.set(field, ["x"])
    set_column(project, "Parameter Value[imaging method]", "confocal microscopy")
    [item] = check_targets(project, ["idr"])
    assert item.code == "IDR-FIELD-MISSING" and item.location.column_name == "Comment[Experiment Sample Type]"
    project.idf.set("Comment[Experiment Sample Type]", ["tissue"])
    assert check_targets(project, ["idr"]) == []
    assert set(idr.STUDY_KEYS) >= {"Study Title", "Study Public Release Date"}


def dbgap_ready():
    project = example_project()
    set_column(project, "Characteristics[SUBJECT_ID]", "S-1")
    set_column(project, "Characteristics[CONSENT]", "1")
    project.idf.set("Comment[dbGaP consent groups]", ["1=General Research Use (GRU)"])
    return project


def test_dbgap_is_controlled_access_and_passes_when_consent_is_defined() -> None:
    assert get_target("dbgap").public is False
    assert check_targets(dbgap_ready(), ["dbgap"]) == []


def test_dbgap_subject_id_and_consent_rules() -> None:
    project = dbgap_ready()
    column = set_cell(project, "Characteristics[SUBJECT_ID]", 2, "007")
    [item] = check_targets(project, ["dbgap"])
    assert item.code == "DBGAP-SUBJECT-ID" and (item.location.row, item.location.column) == (2, column)
    project = dbgap_ready()
    set_cell(project, "Characteristics[CONSENT]", 3, "2")
    found = check_targets(project, ["dbgap"])
    assert [f.code for f in found] == ["DBGAP-CONSENT", "DBGAP-CONSENT-CONFLICT"]
    assert found[0].severity == Severity.ERROR and "1=General Research Use (GRU)" in found[0].message


def test_zenodo_declares_the_deposit_fields() -> None:
    assert set(zenodo.METADATA) >= {"upload_type", "title", "description", "access_right", "license",
                                    "embargo_date"}
