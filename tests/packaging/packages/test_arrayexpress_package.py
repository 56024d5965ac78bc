"""ArrayExpress package: canonical IDF + SDRF with Comment[MD5] after each file column, equal to goldens."""

from __future__ import annotations

from pathlib import Path

from depositdesk.magetab.project import Project
from depositdesk.packaging.manifest import read_manifest
from depositdesk.packaging.packages.build import build_package
from tests.packaging.packages.recipes import example_project

GOLDEN = Path(__file__).parent / "golden"


def test_idf_and_sdrf_equal_the_golden_and_md5s_match_the_manifest(tmp_path: Path) -> None:
    project = Project.open(example_project(tmp_path / "proj"))
    assert not build_package(project, "arrayexpress", tmp_path / "blocked").built   # Annotare rules fail
    result = build_package(project, "arrayexpress", tmp_path / "out", force=True)
    assert result.built
    out = tmp_path / "out"
    for name in ("chipseq-dmel.idf.txt", "chipseq-dmel.sdrf.txt"):
        assert (out / name).read_bytes() == (GOLDEN / f"arrayexpress-{name}").read_bytes(), name
    lines = (out / "chipseq-dmel.sdrf.txt").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    _, entries = read_manifest(out)
    md5 = {e.path: e.md5 for e in entries}
    for line in lines[1:]:
        cells = line.split("\t")
        for c, heading in enumerate(header):
            if heading in ("Array Data File", "Derived Array Data File"):
                assert header[c + 1] == "Comment[MD5]" and cells[c + 1] == md5[cells[c]]
    reopened = Project.open(out)     # the package's MAGE-TAB reads back as a project
    assert reopened.idf.first("Comment[AEExperimentType]") == "ChIP-seq"


def test_annotare_refuses_dashes_in_file_names(tmp_path: Path) -> None:
    folder = example_project(tmp_path / "proj")
    (folder / "GAF-rep1.fastq.gz").write_bytes((folder / "GAF_ChIP_rep1.fastq.gz").read_bytes())
    sdrf = folder / "chipseq-dmel.sdrf.txt"
    sdrf.write_text(sdrf.read_text(encoding="utf-8").replace("GAF_ChIP_rep1.fastq.gz", "GAF-rep1.fastq.gz"),
                    encoding="utf-8")
    result = build_package(Project.open(folder), "arrayexpress", tmp_path / "out", force=True)
    assert "PKG-NAME-FORBIDDEN" in {f.code for f in result.findings}
    assert not (tmp_path / "out" / "GAF-rep1.fastq.gz").exists()
