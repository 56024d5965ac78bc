"""SRA package: SRA_data and BioSample TSVs equal the checked-in goldens, sample_name shared by both."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import openpyxl
import pytest

from depositdesk.magetab.project import Project
from depositdesk.packaging.manifest import read_manifest
from depositdesk.packaging.packages.build import build_package
from tests.packaging.packages.recipes import example_project, paired_project

GOLDEN = Path(__file__).parent / "golden"


def _table(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")), delimiter="\t"))


@pytest.mark.parametrize(("recipe", "golden", "force"), [(paired_project, "sra-paired-rnaseq", False),
                                                         (example_project, "sra-chipseq-dmel", True)])
def test_sra_files_equal_the_golden(tmp_path: Path, recipe, golden: str, force: bool) -> None:
    project = Project.open(recipe(tmp_path / "proj"))
    result = build_package(project, "sra", tmp_path / "out", force=force)
    assert result.built
    for name in ("SRA_data.tsv", "BioSample.tsv"):
        assert (tmp_path / "out" / name).read_bytes() == (GOLDEN / f"{golden}.{name}").read_bytes(), name
    _, entries = read_manifest(tmp_path / "out")
    assert {e.path for e in entries if e.role == "metadata"} == {"SRA_data.tsv", "BioSample.tsv"}


def test_sra_data_columns_are_the_templates_and_sample_names_agree(shared: Path, tmp_path: Path) -> None:
    project = Project.open(paired_project(tmp_path / "proj"))
    assert build_package(project, "sra", tmp_path / "out").built
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ws = openpyxl.load_workbook(shared / "metadata-corpus/sra/SRA_metadata_template_2026.xlsx")["SRA_data"]
    template = [c.value for c in ws[1] if c.value]
    header = (tmp_path / "out" / "SRA_data.tsv").read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header == template
    runs = _table(tmp_path / "out" / "SRA_data.tsv")
    samples = _table(tmp_path / "out" / "BioSample.tsv")
    assert {r["sample_name"] for r in runs} == {s["*sample_name"] for s in samples} == {
        "sample ctrl_1", "sample treated_1"}
    assert [(r["filename"], r["filename2"]) for r in runs] == [
        ("ctrl_1_R1.fastq.gz", "ctrl_1_R2.fastq.gz"), ("treated_1_R1.fastq.gz", "treated_1_R2.fastq.gz")]
    assert all(r["library_layout"] == "paired" for r in runs)
