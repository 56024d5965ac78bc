"""SRA_data and BioSample sheets into a project, and DepositDesk's own GEO and SRA packages read back."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from depositdesk.imports.commands import read_source
from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project
from depositdesk.packaging.targets import check_targets
from depositdesk.resources import examples

SRA = Path(__file__).resolve().parents[3] / "shared" / "metadata-corpus" / "sra"
EXAMPLE = Path(examples.__file__).parent / "chipseq-dmel"


def _dd(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "depositdesk", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


def _column(sdrf, heading: str) -> list[str]:
    c = sdrf.header.index(heading)
    return [row[c] for row in sdrf.rows]


def test_the_filled_sra_sheet_with_its_biosample_sheet_beside_it_becomes_one_project() -> None:
    imported = read_source(SRA / "SRA_metadata_filled_dsuzukii_wgs.xlsx")
    assert [f.code for f in imported.findings] == ["IMPORT-SRA-COMPANION"]
    assert "BioSample_Invertebrate.1.0_filled_dsuzukii.xlsx" in imported.findings[0].message
    (sdrf,) = imported.sdrfs
    assert imported.idf.first("Comment[BioSample package]") == "Invertebrate.1.0"
    assert len(imported.data_files) == 42 and len(set(_column(sdrf, "Assay Name"))) == 8
    first = dict(zip(sdrf.header, sdrf.rows[0], strict=False))
    assert first["Source Name"] == first["Sample Name"] == "JP-Kan"
    assert first["Characteristics[organism]"] == "Drosophila suzukii"
    assert first["Characteristics[geo_loc_name]"] == "Japan: Kanazawa"
    assert first["Characteristics[collection_date]"] == "Oct-2019"      # as typed, not made a date
    assert first["Comment[library layout]"] == "paired" and first["Parameter Value[instrument model]"] == \
        "Illumina NovaSeq 6000"
    # R1 then R2 of each run, in the sheet's order
    jp_kan = [f for f, a in zip(_column(sdrf, "Array Data File"), _column(sdrf, "Assay Name"), strict=True)
              if a == "JP-Kan"]
    assert jp_kan[:2] == ["Kanazawa-KZ_S47_L002_R1_001.fastq.gz", "Kanazawa-KZ_S47_L002_R2_001.fastq.gz"]


def test_the_imported_project_meets_sra_without_its_files(tmp_path: Path) -> None:
    out = tmp_path / "suzukii"
    result = _dd("import", SRA / "BioSample_Invertebrate.1.0_filled_dsuzukii.xlsx", out)
    assert result.returncode == 0, result.stdout + result.stderr
    project = Project.open(out)
    findings = check_project(project, check_files=False, for_target=True) + check_targets(project, ["sra"])
    assert not [f for f in findings if f.severity.name == "ERROR"], [f.describe() for f in findings]


def test_empty_templates_and_other_sheets_say_so(tmp_path: Path) -> None:
    empty = read_source(SRA / "SRA_metadata_acc_variant_2019.xlsx")
    assert not empty.sdrfs and [f.code for f in empty.findings] == ["IMPORT-SRA-NOT-SHEET"]
    assert "no filled rows" in empty.findings[0].message
    other = tmp_path / "notes.tsv"
    other.write_text("gene\tcount\nSOX2\t4\n", encoding="utf-8")
    result = _dd("import", other, tmp_path / "out", "--format", "json")
    assert result.returncode == 2 and "BioSample sheet" in json.loads(result.stdout)["error"]
    broken = tmp_path / "SRA_metadata.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = _dd("import", broken, tmp_path / "out2")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_biosample_sheet_alone_gives_the_samples_and_a_library_naming_an_unknown_sample_is_reported(
        tmp_path: Path) -> None:
    (tmp_path / "BioSample.tsv").write_text(
        "# 'Model organism or animal; version 1.0'\n*sample_name\t*organism\t*tissue\tstrain\n"
        "m1\tMus musculus\tliver\tC57BL/6\nm2\tMus musculus\tliver\tC57BL/6\n", encoding="utf-8")
    alone = read_source(tmp_path / "BioSample.tsv")
    assert _column(alone.sdrfs[0], "Characteristics[strain]") == ["C57BL/6", "C57BL/6"]
    assert alone.idf.first("Comment[BioSample package]") == "Model.organism.animal.1.0"
    (tmp_path / "SRA_data.tsv").write_text(
        "sample_name\tlibrary_ID\ttitle\tlibrary_layout\tfiletype\tfilename\tfilename2\n"
        "m1\tL1\tliver m1\tsingle\tfastq\tm1.fq.gz\t\nm3\tL3\tliver m3\tsingle\tfastq\tm3.fq.gz\t\n",
        encoding="utf-8")
    both = read_source(tmp_path / "SRA_data.tsv")
    messages = [f.message for f in both.findings]
    assert any("'m3', which the BioSample sheet does not have" in m for m in messages)
    assert any("'m2' has no library" in m for m in messages)      # nothing dropped: m2 is a row
    assert _column(both.sdrfs[0], "Source Name") == ["m1", "m3", "m2"]


def _data_files_into(package: Path, project: Path) -> None:
    for item in package.iterdir():
        if item.suffix not in (".tsv", ".md", ".json", ".xlsx"):
            shutil.copy2(item, project / item.name)


def _cells(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


@pytest.mark.parametrize("target", ["geo", "sra"])
def test_a_package_imports_back_to_the_same_values(tmp_path: Path, target: str) -> None:
    """The example -> package -> import -> package again: the sheets are the same, cell for cell."""
    source = tmp_path / "example"
    shutil.copytree(EXAMPLE, source)      # packaging records its status in the project: not in ours
    first = tmp_path / "first"
    assert _dd("package", source, "--target", target, first, "--force").returncode == 0
    assert "packaged" in _dd("status", source).stdout
    sheet = first / ("seq_template.xlsx" if target == "geo" else "SRA_data.tsv")
    imported = tmp_path / "imported"
    result = _dd("import", sheet, imported)
    assert result.returncode == 0, result.stdout + result.stderr
    _data_files_into(first, imported)
    second = tmp_path / "second"
    result = _dd("package", imported, "--target", target, second, "--force")
    assert result.returncode == 0, result.stdout + result.stderr
    if target == "geo":
        assert _cells(second / "seq_template.xlsx") == _cells(sheet)
    else:
        for name in ("SRA_data.tsv", "BioSample.tsv"):
            assert (second / name).read_bytes() == (first / name).read_bytes(), name
