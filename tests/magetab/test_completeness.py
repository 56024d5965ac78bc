"""A submission that lacks what every repository asks for never checks as '0 errors'."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from depositdesk.findings import Severity
from depositdesk.magetab import completeness as c
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.resources.examples import EXAMPLE_PROJECT

HEADER = ["Source Name", "Characteristics[organism]", "Term Source REF", "Term Accession Number",
          "Sample Name", "Extract Name", "Assay Name", "Array Data File"]


def _hollow_project(folder: Path) -> Project:
    """What a new user made: six mouse samples, names missing, no protocol, one file, nobody to contact."""
    rows = [[f"mouse {i}", "Mus musculus", "NCBITaxon", "NCBITaxon:10090", "", "", "", ""] for i in range(1, 7)]
    rows[0][4:] = ["sample 1", "extract 1", "assay 1", "mouse1.fastq.gz"]
    idf = Idf.blank("Six mice")
    return Project.create(folder, idf, [Sdrf(HEADER, rows)])


def _errors(project: Project) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in check_project(project):
        if f.severity == Severity.ERROR:
            out.setdefault(f.code, []).append(f)
    return out


def test_an_empty_submission_has_an_error_for_each_thing_it_lacks(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "mouse1.fastq.gz").write_bytes(b"")
    errors = _errors(_hollow_project(tmp_path / "p"))
    assert {c.NAME_EMPTY, c.NO_PROTOCOL, c.NO_DATA_FILE, c.NO_CONTACT, c.NO_RELEASE_DATE} <= set(errors)
    named = {(f.location.row, f.location.column_name) for f in errors[c.NAME_EMPTY]}
    assert (2, "Sample Name") in named and (6, "Assay Name") in named and len(named) == 15
    assert sorted(f.location.row for f in errors[c.NO_DATA_FILE]) == [2, 3, 4, 5, 6]
    assert len(errors[c.NO_PROTOCOL]) == 1 and "no Protocol REF column" in errors[c.NO_PROTOCOL][0].message
    everything = {f.code for f in check_project(Project.open(tmp_path / "p"))}
    assert not {c.NO_ORGANISM, c.ORGANISM_NO_ACCESSION} & everything      # the organisms are right


def test_the_command_line_says_errors_not_zero(tmp_path: Path) -> None:
    _hollow_project(tmp_path / "p")
    done = subprocess.run([sys.executable, "-m", "depositdesk", "check", str(tmp_path / "p")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "0 errors" not in done.stdout and "IDF-NO-CONTACT" in done.stdout


def test_a_row_without_protocol_and_an_organism_without_accession(tmp_path: Path) -> None:
    sdrf = Sdrf(["Source Name", "Characteristics[organism]", "Term Source REF", "Term Accession Number",
                 "Protocol REF", "Assay Name", "Array Data File"],
                [["s1", "Mus musculus", "NCBITaxon", "NCBITaxon:10090", "P-1", "a1", "a1.fq.gz"],
                 ["s2", "Mus musculus", "", "", "", "a2", "a2.fq.gz"],
                 ["s3", "", "", "", "P-1", "a3", "a3.fq.gz"]])
    found = c.sdrf_completeness(sdrf, "x.sdrf.txt")
    by_code = {(f.code, f.location.row) for f in found}
    assert (c.NO_PROTOCOL, 2) in by_code and (c.ORGANISM_NO_ACCESSION, 2) in by_code
    assert (c.NO_ORGANISM, 3) in by_code and len(found) == 3
    bare = Sdrf(["Source Name", "Characteristics[organism]", "Protocol REF", "Array Data File"],
                [["s1", "Mus musculus", "P-1", "a.fq.gz"]])
    assert [(f.code, f.severity) for f in c.sdrf_completeness(bare, "y")] == [(c.ORGANISM_NO_ACCESSION,
                                                                                Severity.WARNING)]


def test_a_contact_needs_an_e_mail_and_an_archived_experiment_needs_no_release_date() -> None:
    idf = Idf.blank("t")
    idf.set_records("person", [{"Person Last Name": "Curie", "Person Email": "marie at example.org"}])
    (contact,) = [f for f in c.idf_completeness(idf, "t.idf.txt") if f.code == c.NO_CONTACT]
    assert "'marie at example.org' is not one" in contact.message
    idf.set_records("person", [{"Person Last Name": "Curie", "Person Email": "marie@example.org"}])
    assert [f.code for f in c.idf_completeness(idf, "t.idf.txt")] == [c.NO_RELEASE_DATE]
    idf.set(c.ARCHIVE_ACCESSION, ["E-AFMX-1"])     # an archive's copy of a released experiment
    assert c.idf_completeness(idf, "t.idf.txt") == []


def test_the_bundled_example_is_complete() -> None:
    assert check_project(Project.open(EXAMPLE_PROJECT), for_target=False) == []


def test_with_chosen_targets_what_they_do_not_require_stays_listed_as_a_warning(tmp_path: Path) -> None:
    project = _hollow_project(tmp_path / "p")
    (project.state_folder / "targets.json").write_text('{"targets": ["sra"]}', encoding="utf-8")
    found = {f.code: f.severity for f in check_project(Project.open(tmp_path / "p"))}
    assert found[c.NO_PROTOCOL] == found[c.NO_CONTACT] == Severity.WARNING   # SRA decides the errors
    alone = {f.code: f.severity for f in check_project(Project.open(tmp_path / "p"), for_target=False)}
    assert alone[c.NO_PROTOCOL] == alone[c.NO_CONTACT] == Severity.ERROR
