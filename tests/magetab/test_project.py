"""The project folder: opening any entry point, atomic saves that survive a crash, the journal."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from depositdesk.findings import Severity
from depositdesk.magetab import codes
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.resources.examples import EXAMPLE_PROJECT


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "chipseq"
    shutil.copytree(EXAMPLE_PROJECT, folder)
    return folder


def _digests(folder: Path) -> dict[str, str]:
    """Checksums of the visible files (hidden ones are the state folder and unfinished writes)."""
    return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def _unfinished(folder: Path) -> list[Path]:
    return list(folder.glob(".*.part"))


def test_open_folder_idf_or_sdrf(project_dir: Path) -> None:
    by_folder = Project.open(project_dir)
    by_idf = Project.open(project_dir / "chipseq-dmel.idf.txt")
    assert by_folder.idf_path == by_idf.idf_path and len(by_folder.sdrfs) == 1
    assert not by_folder.dirty
    by_sdrf = Project.open(project_dir / "chipseq-dmel.sdrf.txt")
    assert by_sdrf.idf_made_up and by_sdrf.dirty
    assert set(by_sdrf.idf.protocol_names()) == set(by_idf.idf.protocol_names())
    assert by_sdrf.idf.factor_names() == ["immunoprecipitate"]


def test_open_refuses_what_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no IDF"):
        Project.open(tmp_path)
    (tmp_path / "a.idf.txt").write_text("Investigation Title\tA\nSDRF File\tx\n")
    (tmp_path / "b.idf.txt").write_text("Investigation Title\tB\nSDRF File\tx\n")
    with pytest.raises(ProjectError, match="several IDF"):
        Project.open(tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("just some words\nand more\n")
    with pytest.raises(ProjectError, match="neither an IDF nor an SDRF"):
        Project.open(notes)


def test_save_writes_documents_and_never_data_files(project_dir: Path) -> None:
    before = {n: d for n, d in _digests(project_dir).items() if not n.startswith("chipseq-dmel.")}
    project = Project.open(project_dir)
    project.sdrfs[0].set_cells([(0, 4, "Canton-S")])
    assert project.dirty
    project.save()
    assert not project.dirty and (project_dir / ".depositdesk").is_dir()
    again = Project.open(project_dir)
    assert again.sdrfs[0].rows[0][4] == "Canton-S"
    after = {n: d for n, d in _digests(project_dir).items() if n in before}
    assert after == before
    assert {p.name for p in project.data_files()} >= {"GAF_ChIP_rep1.fastq.gz", "GAF_ChIP_rep1.bam"}


def test_save_refuses_to_write_over_a_data_file(project_dir: Path) -> None:
    project = Project.open(project_dir)
    project.sdrfs[0].path = project_dir / "GAF_ChIP_rep1.bam"
    with pytest.raises(ProjectError, match="never written"):
        project.save()


CRASH = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from depositdesk.magetab.project import Project
    project = Project.open(Path(sys.argv[1]))
    project.sdrfs[0].set_cells([(0, 4, "EDITED-BEFORE-CRASH")])
    project.idf.set("Investigation Title", ["EDITED TITLE"])
    project.write_journal()                     # the autosave timer fired
    project.sdrfs[0].set_cells([(1, 4, "SECOND-EDIT")])
    project.write_journal()
    def die_before_rename(src, dst):            # the power fails between write and rename
        os._exit(17)
    os.replace = die_before_rename
    project.save()
    print("not reached")
""")


def test_crash_in_the_middle_of_a_save_leaves_the_old_project_and_the_journal(project_dir: Path) -> None:
    before = _digests(project_dir)
    done = subprocess.run([sys.executable, "-c", CRASH, str(project_dir)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 17, done.stderr
    assert _digests(project_dir) == before                     # the previous complete version
    assert _unfinished(project_dir)                            # the half-done write, beside
    project = Project.open(project_dir)
    assert not _unfinished(project_dir)                        # cleared away on the next open
    assert project.sdrfs[0].rows[0][4] == "Oregon-R"
    assert project.has_journal()
    assert codes.PROJECT_JOURNAL in {f.code for f in project.read_findings}
    heard = []
    project.sdrfs[0].subscribe(lambda phase, change: heard.append((phase, change.kind)))
    project.recover_journal()
    assert project.sdrfs[0].rows[0][4] == "EDITED-BEFORE-CRASH"
    assert project.sdrfs[0].rows[1][4] == "SECOND-EDIT"
    assert project.idf.first("Investigation Title") == "EDITED TITLE"
    assert heard == [("before", "reset"), ("after", "reset")] and project.dirty
    project.save()
    assert not project.has_journal()
    assert Project.open(project_dir).sdrfs[0].rows[1][4] == "SECOND-EDIT"


def test_discarding_the_journal_keeps_the_saved_files(project_dir: Path) -> None:
    project = Project.open(project_dir)
    project.sdrfs[0].set_cells([(0, 4, "unsaved")])
    project.write_journal()
    again = Project.open(project_dir)
    again.discard_journal()
    assert not again.has_journal() and again.sdrfs[0].rows[0][4] == "Oregon-R"


def test_create_makes_a_folder_that_opens_again(tmp_path: Path) -> None:
    idf = Idf.blank("My ChIP-seq")
    sdrf = Sdrf(["Source Name", "Protocol REF", "Array Data File"], [["s1", "P-1", "s1.fastq.gz"]])
    idf.set("Protocol Name", ["P-1"])
    project = Project.create(tmp_path / "new", idf, [sdrf])
    assert project.idf_path.name == "My-ChIP-seq.idf.txt"
    again = Project.open(tmp_path / "new")
    assert again.sdrfs[0].rows == [["s1", "P-1", "s1.fastq.gz"]]
    missing = [f for f in check_project(again) if f.code == codes.SDRF_FILE_MISSING]
    assert missing and missing[0].severity == Severity.ERROR and missing[0].location.row == 1


def test_structural_rules_find_dangling_references(project_dir: Path) -> None:
    project = Project.open(project_dir)
    sdrf = project.sdrfs[0]
    protocol = sdrf.find_columns("protocol_ref")[0]
    factor = sdrf.find_columns("factor_value")[0]
    sdrf.set_cells([(2, protocol, "P-NOT-IN-IDF"), (0, 2, "NCBITaxonomy")])
    sdrf.set_header(factor, "Factor Value[genotype]")
    (project_dir / "GAF_peaks_rep2.gff3").unlink()
    project.idf.set("Protocol Name", project.idf.get("Protocol Name")[:-1])   # P-DMEL-SIGNAL gone
    found = {(f.code, f.location.row) for f in check_project(project, check_files=True)}
    assert (codes.SDRF_PROTOCOL_UNKNOWN, 3) in found
    assert (codes.SDRF_TERM_SOURCE_UNKNOWN, 1) in found
    assert (codes.SDRF_FACTOR_UNKNOWN, None) in found and (codes.SDRF_FACTOR_MISSING, None) in found
    assert (codes.SDRF_FILE_MISSING, 4) in found
    assert (codes.SDRF_PROTOCOL_UNKNOWN, 2) in found          # the row using P-DMEL-SIGNAL


def test_told_not_to_look_for_files_gives_one_note_even_for_missing_ones(project_dir: Path) -> None:
    (project_dir / "GAF_peaks_rep2.gff3").unlink()
    found = check_project(Project.open(project_dir), check_files=False)
    assert [f.code for f in found] == [codes.SDRF_FILE_NOT_CHECKED]
    assert "as asked" in found[0].message and "never been saved" not in found[0].message


def test_example_project_checks_clean() -> None:
    assert check_project(Project.open(EXAMPLE_PROJECT)) == []


def test_save_and_autosave_failures_are_one_clear_error(project_dir: Path) -> None:
    project = Project.open(project_dir)
    (project_dir / "not-a-folder").write_text("a file where a folder should be\n")
    project.sdrfs[0].path = project_dir / "not-a-folder" / "x.sdrf.txt"
    with pytest.raises(ProjectError, match="could not be saved"):
        project.save()
    shutil.rmtree(project_dir / ".depositdesk", ignore_errors=True)   # the example has one (targets.json)
    (project_dir / ".depositdesk").write_text("a file where the state folder should be\n")
    with pytest.raises(ProjectError, match="could not be autosaved"):
        project.write_journal()


def test_single_file_magetab_opens_as_idf_and_sdrf(tmp_path: Path) -> None:
    combined = tmp_path / "E-TEST-9.txt"
    combined.write_text("[IDF]\nInvestigation Title\tOne file\nProtocol Name\tP-1\n[SDRF]\n"
                        "Source Name\tProtocol REF\tSample Name\ns1\tP-1\tx1\n", encoding="utf-8")
    project = Project.open(combined)
    assert project.idf.first("Investigation Title") == "One file" and project.dirty
    assert project.sdrfs[0].rows == [["s1", "P-1", "x1"]]
    assert project.idf.sdrf_files() == ["E-TEST-9.sdrf.txt"]
    errors = {f.code for f in check_project(project) if f.severity == Severity.ERROR}
    # read as one IDF and one SDRF without a fault; what it lacks to be a submission is said
    assert errors == {"IDF-NO-CONTACT", "IDF-NO-RELEASE-DATE", "SDRF-NO-DATA-FILE", "SDRF-NO-ORGANISM"}
    project.save()
    assert (tmp_path / "E-TEST-9.idf.txt").is_file() and (tmp_path / "E-TEST-9.sdrf.txt").is_file()
    assert combined.read_text(encoding="utf-8").startswith("[IDF]")          # the input is left alone
