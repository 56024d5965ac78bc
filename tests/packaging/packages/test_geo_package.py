"""GEO package: the workbook a GEO curator reads, the folder beside it, the MANIFEST, the CLI."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import openpyxl
import pytest

from depositdesk.app.cli import main
from depositdesk.magetab.project import Project
from depositdesk.packaging.manifest import read_manifest
from depositdesk.packaging.packages.build import build_package
from tests.packaging.packages.recipes import example_project, paired_project

GOLDEN = Path(__file__).parent / "golden"
TEMPLATE = "metadata-corpus/geo/seq_template_2024-12-17_filled_rat-colon.xlsx"


def cells(path: Path) -> dict[str, dict[str, str]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # the template's data-validation extension
        wb = openpyxl.load_workbook(path)
    return {ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
            for ws in wb.worksheets if ws.title in ("Metadata", "MD5 Checksums")}


def locate(sheet: dict[str, str]) -> dict[str, str]:
    """What a reader of the template does: each label (first occurrence, row-major) -> its cell."""
    found: dict[str, str] = {}
    order = sorted(sheet, key=lambda ref: (int("".join(ch for ch in ref if ch.isdigit())), len(ref), ref))
    for ref in order:
        found.setdefault(str(sheet[ref]), ref)
    return found


@pytest.fixture
def geo_example(tmp_path: Path) -> Path:
    project = Project.open(example_project(tmp_path / "proj"))
    result = build_package(project, "geo", tmp_path / "out")
    assert result.built, [f.describe() for f in result.findings]
    return tmp_path / "out"


def test_every_mandatory_label_is_where_the_real_template_has_it(shared: Path, geo_example: Path) -> None:
    real = cells(shared / TEMPLATE)
    ours = cells(geo_example / "seq_template.xlsx")
    for sheet in ("Metadata", "MD5 Checksums"):
        theirs, mine = locate(real[sheet]), locate(ours[sheet])
        labels = [v for v in theirs if v.startswith("*") or v in (
            "STUDY", "SAMPLES", "PROTOCOLS", "PAIRED-END EXPERIMENTS", "RAW FILES", "PROCESSED DATA FILES",
            "file name 1", "file name 2", "file checksum", "contributor", "raw file", "processed data file")]
        assert len(labels) >= (20 if sheet == "Metadata" else 3)
        for label in labels:
            assert mine.get(label) == theirs[label], f"{sheet}: '{label}' at {mine.get(label)}, template {theirs[label]}"


def test_workbook_cells_equal_the_golden_and_are_all_text(geo_example: Path) -> None:
    path = geo_example / "seq_template.xlsx"
    expected = json.loads((GOLDEN / "geo-chipseq-dmel.cells.json").read_text(encoding="utf-8"))
    assert cells(path) == expected
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.data_type == "s" and cell.number_format == "@", cell.coordinate


def test_manifest_lists_every_file_with_md5_and_data_files_are_links(tmp_path: Path, geo_example: Path) -> None:
    info, entries = read_manifest(geo_example)
    assert info["target"] == "geo" and info["forced"] is False
    expected = (GOLDEN / "geo-chipseq-dmel.data-manifest.tsv").read_text(encoding="utf-8").splitlines()
    data = [f"{e.path}\t{e.size}\t{e.md5}\t{e.role}" for e in entries if e.role == "data"]
    assert data == expected
    assert {e.path for e in entries if e.role != "data"} == {"seq_template.xlsx", "README.md"}
    for entry in entries:
        if entry.role == "data":
            assert (geo_example / entry.path).stat().st_ino == (tmp_path / "proj" / entry.path).stat().st_ino
    readme = (geo_example / "README.md").read_text(encoding="utf-8")
    assert "12 data file(s)" in readme and "## Open findings" in readme
    assert not (geo_example / ".partial").exists()


def test_paired_end_recipe_golden(tmp_path: Path) -> None:
    project = Project.open(paired_project(tmp_path / "rna"))
    result = build_package(project, "geo", tmp_path / "out", force=True)
    assert result.built
    got = cells(tmp_path / "out" / "seq_template.xlsx")
    expected = json.loads((GOLDEN / "geo-paired-rnaseq.cells.json").read_text(encoding="utf-8"))
    assert got == expected
    meta = got["Metadata"]
    assert (meta["Q39"], meta["R39"]) == ("ctrl_1_R1.fastq.gz", "ctrl_1_R2.fastq.gz")   # one row per library
    paired = [ref for ref, v in meta.items() if v == "file name 1"][0]
    first_run = int(paired[1:]) + 1
    assert (meta[f"A{first_run}"], meta[f"B{first_run}"]) == ("ctrl_1_R1.fastq.gz", "ctrl_1_R2.fastq.gz")
    assert meta["O39"] == "counts.txt" and "O40" in meta   # processed file in each library's row
    assert "MARCH1" not in str(meta)   # data files are never read into the workbook


def test_cli_blocks_on_errors_and_force_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = paired_project(tmp_path / "rna")
    sdrf = folder / "rnaseq.sdrf.txt"
    sdrf.write_text(sdrf.read_text(encoding="utf-8").replace("RNA-Seq", "RNA-Sequencing"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["package", str(folder), "--target", "geo", str(out), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["built"] is False and "GEO-VOCABULARY" in {f["code"] for f in report["findings"]}
    assert not out.exists() or not any(out.iterdir())
    assert main(["package", str(folder), "--target", "geo", str(out), "--force"]) == 0
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "--force" in readme and "GEO-VOCABULARY" in readme
    assert read_manifest(out)[0]["forced"] is True


def test_cli_could_not_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = example_project(tmp_path / "proj")
    assert main(["package", str(folder), "--target", "nosuch", str(tmp_path / "o")]) == 2
    assert "unknown target" in capsys.readouterr().err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "thesis.docx").write_text("x")
    assert main(["package", str(folder), "--target", "geo", str(tmp_path / "full")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["package", str(folder), "--target", "geo", str(folder)]) == 2
