"""Dryad: the dataset body equals the golden, and Dryad's own rules block the package: a licence
other than CC0, personal data of human subjects, and what its submission check refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depositdesk.app.cli import main
from depositdesk.magetab.project import Project
from depositdesk.packaging.packages.build import build_package
from depositdesk.packaging.targets import check_targets, get_target
from tests.packaging.packages.recipes import example_project

GOLDEN = Path(__file__).parent / "golden"
EXTRA_IDF = ("Comment[Person ORCID]\t0000-0002-1825-0097\nComment[Keywords]\tGAGA factor\tembryo\n"
             "Comment[Field of Science]\tBiological sciences\nComment[Funder]\tExample Research Council\n"
             "Comment[Award Number]\tERC-123\n")
CC0 = (("Comment[License]\tCC BY 4.0", "Comment[License]\tCC0"),)


def _project(tmp_path: Path, extra: str = EXTRA_IDF, replaces: tuple[tuple[str, str], ...] = CC0) -> Path:
    folder = example_project(tmp_path / "proj")
    idf = folder / "chipseq-dmel.idf.txt"
    text = idf.read_text(encoding="utf-8").replace("Publication DOI\n", "Publication DOI\t10.1234/example.5678\n")
    for old, new in replaces:
        assert old in text
        text = text.replace(old, new)
    idf.write_text(text + extra, encoding="utf-8")
    return folder


def _human(folder: Path, column: str, values: list[str]) -> None:
    """The example SDRF as Homo sapiens samples with one more column (one value per row)."""
    sdrf = folder / "chipseq-dmel.sdrf.txt"
    lines = sdrf.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + f"\t{column}"]
    out += [line.replace("Drosophila melanogaster", "Homo sapiens") + f"\t{values[i % len(values)]}"
            for i, line in enumerate(lines[1:])]
    sdrf.write_text("\n".join(out) + "\n", encoding="utf-8")


def _codes(folder: Path) -> list[str]:
    return [f.code for f in check_targets(Project.open(folder), ["dryad"])]


def test_the_dataset_body_equals_the_golden(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["package", str(_project(tmp_path)), "--target", "dryad", str(out)]) == 0
    body = json.loads((out / "dryad.json").read_text(encoding="utf-8"))
    assert body == json.loads((GOLDEN / "dryad-chipseq-dmel.dryad.json").read_text(encoding="utf-8"))
    assert body["authors"] == [{"firstName": "Ada", "lastName": "Example", "email": "ada.example@example.org",
                                "affiliation": "Example Fly Genomics Lab", "orcid": "0000-0002-1825-0097"}]
    assert body["relatedWorks"] == [{"relationship": "article", "identifierType": "DOI",
                                     "identifier": "10.1234/example.5678"}]
    manifest = (out / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    roles = {line.split("\t")[0]: line.split("\t")[3] for line in manifest[1:]}
    assert roles["dryad.json"] == "metadata" and roles["README.md"] == "readme"
    assert sum(r == "data" for r in roles.values()) == 12
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "CC0 1.0" in readme and "no\nresumable upload" in readme
    assert get_target("dryad").transport == ""       # no Dryad transport: the upload is the user's


def test_a_licence_other_than_cc0_blocks_the_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _project(tmp_path, replaces=())           # the example's CC BY 4.0
    out = tmp_path / "out"
    assert main(["package", str(folder), "--target", "dryad", str(out)]) == 1
    printed = capsys.readouterr().out
    assert "DRYAD-LICENCE" in printed and "'CC BY 4.0'" in printed
    assert not (out / "dryad.json").exists()


def test_personal_data_of_human_subjects_blocks_the_package(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    _human(folder, "Characteristics[patient name]", ["Jane Doe", "John Roe"])
    codes = _codes(folder)
    assert "PHI-COLUMN" in codes                  # the column's name says it holds names
    assert "DRYAD-PERSONAL-DATA" in codes         # and the cells look like names: an error for Dryad
    assert "DRYAD-HUMAN-SUBJECTS" in codes        # human data without the consent statement
    result = build_package(Project.open(folder), "dryad", tmp_path / "out")
    assert not result.built and not (tmp_path / "out" / "dryad.json").exists()


def test_record_number_subject_ids_are_personal_data_and_a_statement_is_kept(tmp_path: Path) -> None:
    statement = "Participants consented to public release; names and dates were removed."
    folder = _project(tmp_path, extra=EXTRA_IDF + f"Comment[Human Subjects Statement]\t{statement}\n")
    _human(folder, "Characteristics[subject id]", ["4451230", "4451231"])
    codes = _codes(folder)
    assert "DRYAD-PERSONAL-DATA" in codes and "DRYAD-HUMAN-SUBJECTS" not in codes


@pytest.mark.parametrize(("replaces", "extra", "code"), [
    ((*CC0, ("Person Affiliation\tExample Fly Genomics Lab", "Person Affiliation")), EXTRA_IDF, "DRYAD-AUTHOR"),
    ((*CC0, ("Person Email\tada.example@example.org", "Person Email")), EXTRA_IDF, "DRYAD-AUTHOR"),
    (CC0, EXTRA_IDF.replace("\tGAGA factor\tembryo", ""), "DRYAD-KEYWORDS"),
    (CC0, EXTRA_IDF.replace("Comment[Funder]\tExample Research Council\n", ""), "DRYAD-FIELD-MISSING"),
    (CC0, EXTRA_IDF.replace("Biological sciences", "Biology"), "DRYAD-VOCABULARY"),
    ((*CC0, ("Investigation Title\tGAGA factor (Trl) ChIP-seq in Drosophila melanogaster stage 11 embryos",
             "Investigation Title\tSupplementary data for figure 3")), EXTRA_IDF, "DRYAD-TITLE"),
])
def test_each_submission_rule_fails_on_its_gap_and_passes_on_the_example(
        tmp_path: Path, replaces: tuple[tuple[str, str], ...], extra: str, code: str) -> None:
    assert code not in _codes(_project(tmp_path / "good"))
    assert code in _codes(_project(tmp_path / "bad", extra=extra, replaces=replaces))
