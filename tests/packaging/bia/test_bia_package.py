"""`depositdesk package PROJECT --target bia OUT_DIR`: PageTab, file lists per study component, a BIA RO-Crate.

Goldens (tests/packaging/bia/golden/) were written by this builder from the imaging recipe and read
through: PageTab as bia-agent writes it plus `File List` per study component, file lists with
`Files` first, the crate passing BIA's validator's checks with no message at all.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from depositdesk.app.cli import main
from depositdesk.magetab.project import Project
from depositdesk.packaging.bia.crate_check import validate_crate
from depositdesk.packaging.bia.package import rembi_findings
from depositdesk.packaging.manifest import read_manifest
from depositdesk.packaging.packages.build import build_package
from tests.packaging.bia.recipes import imaging_project
from tests.packaging.packages.recipes import example_project

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_FILES = ("pagetab.tsv", "pagetab.json", "file_list_study_component_1.tsv", "file_list_study_component_2.tsv",
                "file_list_study_component_1.json", "ro-crate-metadata.json", "file_list.tsv")


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    project = Project.open(imaging_project(tmp_path / "proj"))
    result = build_package(project, "bia", tmp_path / "out")
    assert result.built, [f.describe() for f in result.findings]
    return tmp_path / "out"


@pytest.mark.parametrize("name", GOLDEN_FILES)
def test_imaging_project_package_equals_the_golden(built: Path, name: str) -> None:
    assert (built / name).read_bytes() == (GOLDEN / name).read_bytes(), name


def test_one_file_list_per_study_component_and_the_manifest(built: Path) -> None:
    tsv = (built / "pagetab.tsv").read_text(encoding="utf-8")
    assert "\nName\tcontrol\n" in tsv and "\nFile List\tfile_list_study_component_1.tsv\n" in tsv
    assert "\nName\ttreated\n" in tsv and "\nFile List\tfile_list_study_component_2.tsv\n" in tsv
    rows = (built / "file_list_study_component_2.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].split("\t")[:3] == ["Files", "size", "md5"]
    assert [r.split("\t")[0] for r in rows[1:]] == ["images/treated_3.tif", "images/treated_4.tif"]
    assert rows[1].split("\t")[1] == str((built / "images/treated_3.tif").stat().st_size)
    listed = json.loads((built / "file_list_study_component_2.json").read_text(encoding="utf-8"))
    assert listed[0]["path"] == "images/treated_3.tif" and listed[0]["type"] == "file"
    assert {"name": "compound", "value": "nocodazole"} in listed[0]["attributes"]
    _, entries = read_manifest(built)
    roles = {e.path: e.role for e in entries}
    assert roles["pagetab.tsv"] == roles["ro-crate-metadata.json"] == "metadata"
    assert roles["images/control_1.tif"] == "data"


def test_the_package_is_a_bia_ro_crate_that_passes_bias_checks(built: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_crate(built) == []          # no error, warning or note
    crate = json.loads((built / "ro-crate-metadata.json").read_text(encoding="utf-8"))
    assert crate["@context"][0] == "https://w3id.org/ro/crate/1.1/context"
    descriptor = next(e for e in crate["@graph"] if e["@id"] == "ro-crate-metadata.json")
    assert descriptor["conformsTo"] == {"@id": "https://w3id.org/ro/crate/1.1"}
    assert main(["check", str(built)]) == 0
    assert "0 errors, 0 warnings, 0 notes" in capsys.readouterr().out


def test_rembi_yaml_of_the_project_is_used(tmp_path: Path, shared: Path) -> None:
    folder = imaging_project(tmp_path / "proj")
    (folder / ".depositdesk").mkdir()
    shutil.copy(shared / "metadata-corpus/bia/bia-agent/rembi-metadata.yaml", folder / ".depositdesk/rembi.yaml")
    result = build_package(Project.open(folder), "bia", tmp_path / "out")
    assert result.built
    tsv = (tmp_path / "out" / "pagetab.tsv").read_text(encoding="utf-8")
    golden = (shared / "metadata-corpus/bia/bia-agent/expected-pagetab/rembi-metadata_rembi-to-pagetab.tsv")
    expected = golden.read_text(encoding="utf-8").replace("Submission\tS-BIADXXX\n", "Submission\n").replace(
        "Ultrasound images and correlation and analysis\n",
        "Ultrasound images and correlation and analysis\nFile List\tfile_list_study_component_1.tsv\n")
    assert tsv == expected
    rows = (tmp_path / "out" / "file_list_study_component_1.tsv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 5          # the one study component holds every image
    assert validate_crate(tmp_path / "out") == []


def test_unreadable_rembi_yaml_stops_the_build_with_one_line(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = imaging_project(tmp_path / "proj")
    (folder / ".depositdesk").mkdir()
    (folder / ".depositdesk/rembi.yaml").write_text("study:\n  title: [unclosed\n", encoding="utf-8")
    assert main(["package", str(folder), "--target", "bia", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "REMBI metadata cannot be converted" in err and "BIA-REMBI-UNREADABLE" in err
    assert "Traceback" not in err


def test_a_project_without_imaging_columns_still_gives_a_valid_crate_when_forced(tmp_path: Path) -> None:
    project = Project.open(example_project(tmp_path / "proj"))
    assert not build_package(project, "bia", tmp_path / "blocked").built     # REMBI's required columns
    result = build_package(project, "bia", tmp_path / "out", force=True)
    assert result.built
    assert [i for i in validate_crate(tmp_path / "out") if i.severity >= 40] == []
    assert "\nStudy Component\tStudy Component-1\n" in (tmp_path / "out" / "pagetab.tsv").read_text(encoding="utf-8")


def test_rembi_yaml_findings_for_the_target_rules(tmp_path: Path, shared: Path) -> None:
    folder = imaging_project(tmp_path / "proj")
    assert rembi_findings(Project.open(folder)) == []
    (folder / ".depositdesk").mkdir()
    shutil.copy(shared / "metadata-corpus/bia/bia-agent/broken_specimens.yaml", folder / ".depositdesk/rembi.yaml")
    codes = {f.code for f in rembi_findings(Project.open(folder))}
    assert {"BIA-REMBI-EMPTY", "BIA-REMBI-MISPLACED"} <= codes


def _edit_crate(folder: Path, change: Callable[[dict, dict], None]) -> None:
    path = folder / "ro-crate-metadata.json"
    crate = json.loads(path.read_text(encoding="utf-8"))
    change({e["@id"]: e for e in crate["@graph"]}, crate)
    path.write_text(json.dumps(crate), encoding="utf-8")


def test_ro_crate_1_1_musts_are_checked_with_rocrate_validators_messages(built: Path) -> None:
    def change(by_id: dict, crate: dict) -> None:
        root = by_id["./"]
        del root["datePublished"]
        root["licence"] = "CC0"                                           # not a term of the context
        by_id["ro-crate-metadata.json"]["conformsTo"] = {"@id": "https://w3id.org/ro/crate/1.2"}
        by_id["file_list.tsv"]["tableSchema"] = {"@id": "#ts0", "name": "nested"}   # not flattened

    _edit_crate(built, change)
    (built / "file_list.tsv").unlink()
    messages = [i.format_message() for i in validate_crate(built)]
    base = (built / "ro-crate-metadata.json").resolve().as_uri()
    assert messages[:3] == [
        'entity "#ts0" is not a valid node object reference: it MUST have only @id, but no other properties.',
        'RO-Crate file descriptor "ro-crate-metadata.json" is not fully flattened at entity "file_list.tsv"',
        'The 1 occurrence of the JSON-LD key "licence" is not allowed in the compacted format because it is not '
        "present in the @context of the document"]
    assert (f"At ro-crate object with @id: {base}: \n   The RO-Crate metadata file descriptor MUST have a `conformsTo` "
            "property with the RO-Crate specification version") in messages
    assert any("MUST have a `datePublished` property" in m for m in messages)
    assert "The RO-Crate does not include the Data Entity 'file_list.tsv' as part of its payload" in messages


def test_rembi_command_writes_and_checks_the_projects_rembi_yaml(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = imaging_project(tmp_path / "proj")
    assert main(["rembi", str(folder)]) == 2                     # none yet: says how to make it
    assert "--write" in capsys.readouterr().err
    assert main(["rembi", str(folder), "--write"]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "rembi.yaml: 0 errors" in out
    assert main(["rembi", str(folder), "--write"]) == 2          # never replaced without --force
    capsys.readouterr()
    path = folder / ".depositdesk" / "rembi.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("sample_preparation: Cells", "sample_preparation: ''\n"
                                                             "    growth_protocol: Cells"), encoding="utf-8")
    assert main(["rembi", str(folder), "--format", "json"]) == 1
    [item] = [f for f in json.loads(capsys.readouterr().out) if f["severity"] == "error"]
    assert item["code"] == "BIA-REMBI-EMPTY" and "sample_preparation" in item["message"]


def test_the_package_pagetab_quotes_a_multi_line_description(tmp_path: Path) -> None:
    folder = imaging_project(tmp_path / "proj")
    assert main(["rembi", str(folder), "--write"]) == 0
    path = folder / ".depositdesk" / "rembi.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["study"]["description"] = 'Two lines,\na "quoted" word.'
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert build_package(Project.open(folder), "bia", tmp_path / "out").built
    tsv = (tmp_path / "out" / "pagetab.tsv").read_text(encoding="utf-8")
    assert '\nDescription\t"Two lines,\na ""quoted"" word."\nKeyword\t' in tsv


def test_a_file_list_saved_by_a_spreadsheet_still_reads(built: Path) -> None:
    path = built / "file_list.tsv"     # a BOM and blank lines at the end, as pandas reads past them
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n") + b"\r\n\r\n")
    assert validate_crate(built) == []
