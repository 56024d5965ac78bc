"""Production reports: counts per value, through the ontology index, in every output format."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.ontology.service import TermService
from depositdesk.progress import run
from depositdesk.reports.counting import NOT_GIVEN, count

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "metadata-corpus" / "magetab"

STAGES = """format-version: 1.2
ontology: tstage

[Term]
id: TSTAGE:0000001
name: embryonic stage

[Term]
id: TSTAGE:0000002
name: embryonic stage 4
synonym: "stage 4 embryo" EXACT []
is_a: TSTAGE:0000001 ! embryonic stage

[Term]
id: TSTAGE:0000003
name: embryonic stage 9
is_a: TSTAGE:0000001 ! embryonic stage

[Term]
id: TSTAGE:0000004
name: adult stage
"""

HEADER = ["Source Name", "Characteristics[organism]", "Characteristics[developmental stage]",
          "Term Source REF", "Term Accession Number", "Comment[LIBRARY_STRATEGY]", "Assay Name",
          "Array Data File"]


def _project(folder: Path, rows: list[list[str]]) -> Path:
    for row in rows:
        (folder / row[-1]).parent.mkdir(parents=True, exist_ok=True)
    project = Project.create(folder, Idf.blank(folder.name), [Sdrf(HEADER, rows)])
    for row in rows:
        (folder / row[-1]).write_bytes(b"x" * 100)
    return project.folder


@pytest.fixture
def projects(tmp_path: Path) -> Path:
    root = tmp_path / "facility"
    _project(root / "lab-a" / "p1", [
        ["s1", "Drosophila melanogaster", "embryonic stage 4", "TSTAGE", "TSTAGE:0000002", "ChIP-Seq", "a1", "a1.fq"],
        ["s2", "Drosophila melanogaster", "stage 4 embryo", "", "", "ChIP-Seq", "a2", "a2.fq"],
    ])
    _project(root / "lab-b" / "p2", [
        ["t1", "Drosophila melanogaster", "embryonic stage 9", "", "", "ChIP-Seq", "b1", "b1.fq"],
        ["t2", "Drosophila melanogaster", "adult stage", "", "", "RNA-Seq", "b2", "b2.fq"],
        ["t3", "Drosophila melanogaster", "", "", "", "RNA-Seq", "b3", "b3.fq"],
    ])
    return root


@pytest.fixture
def stages(tmp_path: Path) -> TermService:
    obo = tmp_path / "tstage.obo"
    obo.write_text(STAGES)
    service = TermService(tmp_path / "ontology-cache")
    run(service.add_file(obo))
    return service


def _table(report) -> dict[tuple[str, ...], list[int]]:
    return {tuple(row[:len(report.dimensions)]): row[len(report.dimensions):] for row in report.rows()}


def test_a_synonym_and_an_accession_count_as_the_same_term(projects: Path, stages: TermService) -> None:
    table = _table(count([projects], ["assay", "stage"], stages))
    assert table[("ChIP-Seq", "embryonic stage 4")] == [1, 2, 2, 200]
    assert table[("RNA-Seq", NOT_GIVEN)] == [1, 1, 1, 100]
    typed = _table(count([projects], ["assay", "stage"]))  # no ontology: as typed
    assert ("ChIP-Seq", "stage 4 embryo") in typed


def test_child_stages_are_grouped_under_the_ancestor_asked_for(projects: Path, stages: TermService) -> None:
    report = count([projects], ["stage"], stages, under=["TSTAGE:0000001"])
    table = _table(report)
    assert table[("embryonic stage",)] == [2, 3, 3, 300]  # two projects, three samples
    assert table[("adult stage",)] == [1, 1, 1, 100]
    assert report.projects == 2


def test_the_corpus_report_by_assay_and_organism() -> None:
    report = count([CORPUS], ["assay", "organism"])
    table = _table(report)
    assert report.projects >= 30
    assert table[("ChIP-Seq", "Mus musculus")][:2] == [1, 23]
    assert table[("RNA-Seq", "Danio rerio")][:3] == [1, 102, 204]
    assert sum(row[0] for row in table.values()) >= report.projects  # every project counts at least once


def _report(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "depositdesk", "report", *args], capture_output=True,
                          text=True, timeout=120)


def test_the_command_writes_tsv_html_and_a_workbook_with_a_chart(projects: Path, tmp_path: Path) -> None:
    tsv = _report(str(projects), "--by", "assay", "--format", "tsv", "--no-ontology")
    assert tsv.returncode == 0
    assert tsv.stdout.splitlines()[0] == "assay\tdata sets\tsamples\tfiles\tbytes"
    assert "ChIP-Seq\t2\t3\t3\t300" in tsv.stdout.splitlines()
    page = tmp_path / "report.html"
    assert _report(str(projects), "--format", "html", "-o", str(page), "--no-ontology").returncode == 0
    assert "<table>" in page.read_text() and "class='bar'" in page.read_text()
    book_path = tmp_path / "report.xlsx"
    assert _report(str(projects), "--format", "xlsx", "-o", str(book_path), "--no-ontology").returncode == 0
    sheet = openpyxl.load_workbook(book_path)["Report"]
    assert sheet["A1"].value == "assay" and sheet._charts
    bad = _report(str(projects), "--by", "colour")
    assert bad.returncode == 2 and "unknown dimension" in bad.stderr
