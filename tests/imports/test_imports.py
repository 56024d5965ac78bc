"""Imports of the sheets people already have: ISA-Tab investigations and GEO workbooks of three generations."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from depositdesk.imports import codes
from depositdesk.imports.geo import read_workbook
from depositdesk.imports.isatab import read_investigation
from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "metadata-corpus"
ISATAB = CORPUS / "isatab"
GEO = CORPUS / "geo"

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # openpyxl: data validation extension


def _codes(findings: list) -> list[str]:
    return [f.code for f in findings]


def test_an_isatab_study_with_two_assays_becomes_one_idf_and_two_sdrfs() -> None:
    imported = read_investigation(ISATAB / "BII-S-3" / "i_gilbert.txt")
    assert imported.idf.first("Investigation Title").startswith("Metagenomes and Metatranscriptomes")
    assert [s.path.name for s in imported.sdrfs] == ["BII-S-3.gilbert-assay-Gx.sdrf.txt",
                                                     "BII-S-3.gilbert-assay-Tx.sdrf.txt"]
    assert imported.idf.get("PubMed ID") == ["18725995", "18783384"]
    assert "OBI" in imported.idf.term_source_names()
    assert imported.idf.first("Experimental Design") == "time series design"
    protocols = set(imported.idf.protocol_names())
    for sdrf in imported.sdrfs:
        assert sdrf.header[0] == "Source Name" and "Sample Name" in sdrf.header
        refs = {row[c] for c in sdrf.find_columns("protocol_ref") for row in sdrf.rows if row[c]}
        assert refs and refs <= protocols
    assert codes.UNPLACED not in _codes(imported.findings)


def test_the_bii_i_1_investigation_gives_the_files_of_isatab2magetab() -> None:
    """magetab/BII-I-1 is what isa-api's isatab2magetab made of isatab/BII-I-1."""
    imported = read_investigation(ISATAB / "BII-I-1" / "i_investigation.txt")
    golden = Project.open(CORPUS / "magetab" / "BII-I-1" / "BII-I-1.idf.txt")
    assert imported.idf.first("Investigation Title") == golden.idf.first("Investigation Title")
    assert imported.idf.first("Public Release Date") == golden.idf.first("Public Release Date")
    ours = {s.path.name: s for s in imported.sdrfs}
    theirs = {s.path.name: s for s in golden.sdrfs}
    for name in ("BII-S-1.transcriptome.sdrf.txt", "BII-S-2.microarray.sdrf.txt"):
        column = "Array Data File"
        mine = {row[c] for c in ours[name].find_columns("file") for row in ours[name].rows
                if ours[name].header[c] == column and row[c]}
        gold = {row[c] for c in theirs[name].find_columns("file") for row in theirs[name].rows
                if theirs[name].header[c] == column and row[c]}
        assert gold and gold <= mine  # the golden microarray SDRF kept 2 of the assay file's 14 rows
    transcriptome = ours["BII-S-1.transcriptome.sdrf.txt"]
    column = transcriptome.header.index("Array Data File")
    assert len({row[column] for row in transcriptome.rows if row[column]}) == 48
    assert set(golden.idf.factor_names()) <= set(imported.idf.factor_names())


def test_a_label_with_no_idf_field_is_reported_not_dropped(tmp_path: Path) -> None:
    source = tmp_path / "study"
    shutil.copytree(ISATAB / "BII-S-3", source)
    investigation = source / "i_gilbert.txt"
    investigation.write_text(investigation.read_text().replace(
        "STUDY DESIGN DESCRIPTORS", 'Study Favourite Colour\t"teal"\nSTUDY DESIGN DESCRIPTORS', 1))
    imported = read_investigation(investigation)
    unplaced = [f for f in imported.findings if f.code == codes.UNPLACED]
    assert len(unplaced) == 1 and "teal" in unplaced[0].message and unplaced[0].location.line


def test_an_undeclared_protocol_survives_the_import_and_is_found_by_the_check(tmp_path: Path) -> None:
    imported = read_investigation(ISATAB / "issue323" / "i_05.txt")
    project = Project.create(tmp_path / "p", imported.idf, imported.sdrfs)
    found = check_project(Project.open(project.folder))
    assert any("sample collection" in f.message for f in found if f.severity >= 3)


def test_files_that_are_not_investigations_give_one_clear_finding() -> None:
    imported = read_investigation(ISATAB / "i_invalid" / "i_00.txt")
    assert _codes(imported.findings) == [codes.NOT_ISATAB] and not imported.sdrfs
    imported = read_investigation(ISATAB / "i_valid" / "i_01.txt")
    assert codes.MISSING_TABLE in _codes(imported.findings) and not imported.sdrfs


def test_the_legacy_geo_template_gives_every_sample_file_and_md5() -> None:
    imported = read_workbook(GEO / "seq_template_legacy_filled_organoid-bulk-rnaseq.xlsx")
    sdrf = imported.sdrfs[0]
    assert len(sdrf.rows) == 240
    assert imported.idf.first("Investigation Title").startswith("Glutamatergic dysfunction")
    assert imported.idf.get("Person Last Name") == ["Bowles", "Liu", "Goate", "Temple"]
    row = dict(zip(sdrf.header, sdrf.rows[0], strict=False))
    assert row["Source Name"] == row["Assay Name"] == "S_6a02_2mo_b1_1"
    assert row["Characteristics[organism]"] == "Homo sapien"
    assert row["Characteristics[batch]"] == "1.0"  # as typed, not 1
    first_raw = sdrf.header.index("Array Data File")
    assert sdrf.rows[0][first_raw] == "6a02-2mo-b1-1_R1_001.fastq.gz"
    assert sdrf.rows[0][first_raw + 1] == "69f0a6f09f4fc74b08935914610b3ed3"
    assert not [f for f in imported.findings if f.severity >= 3]


def test_the_current_geo_template_gives_study_samples_and_protocols() -> None:
    imported = read_workbook(GEO / "seq_template_2024-12-17_filled_rat-colon.xlsx")
    sdrf = imported.sdrfs[0]
    assert imported.idf.first("Investigation Title").startswith("Advantages of Magnetic Compression")
    assert imported.idf.protocol_names()[:2] == ["growth protocol", "treatment protocol"]
    titles = [row[sdrf.header.index("Comment[title]")] for row in sdrf.rows]
    assert titles[:6] == ["magzc1", "magzc2", "magzc3", "fxzc1", "fxzc2", "fxzc3"]
    strategy = sdrf.header.index("Comment[library strategy]")
    assert {row[strategy] for row in sdrf.rows[:6]} == {"RNA-Seq"}


def test_a_2021_template_with_files_only_under_paired_end_keeps_every_file() -> None:
    imported = read_workbook(GEO / "seq_template_2021-2023_partially-filled_tcell.xlsx")
    assert len(imported.data_files) == 96
    assert codes.UNPLACED in _codes(imported.findings)


def _import(source: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "depositdesk", "import", str(source), str(out), *extra],
                          capture_output=True, text=True, timeout=120)


def test_the_import_command_writes_a_project_that_opens(tmp_path: Path) -> None:
    done = _import(ISATAB / "BII-S-3", tmp_path / "gilbert")
    assert done.returncode == 0, done.stderr
    project = Project.open(tmp_path / "gilbert")
    assert len(project.sdrfs) == 2 and "project written" in done.stdout
    again = _import(ISATAB / "BII-S-3", tmp_path / "gilbert", "--format", "json")
    assert again.returncode == 2 and "not an empty folder" in json.loads(again.stdout)["error"]
    odd = _import(GEO / "../manifest.tsv", tmp_path / "x")
    assert odd.returncode == 2 and "Traceback" not in odd.stderr
