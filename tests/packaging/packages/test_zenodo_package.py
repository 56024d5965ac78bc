"""Zenodo package: the legacy deposit body and the InvenioRDM draft body equal the goldens and use
only the shapes of the corpus's API examples; the upload reads zenodo.json."""

from __future__ import annotations

import json
from pathlib import Path

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages.build import build_package
from tests.packaging.packages.recipes import example_project

GOLDEN = Path(__file__).parent / "golden"
API = "metadata-corpus/zenodo-api"
EXTRA_IDF = ("Comment[License]\tCC BY 4.0\nComment[Person ORCID]\t0000-0002-1825-0097\n"
             "Comment[GEO accession]\tGSE000001\n")


def _zenodo_package(tmp_path: Path) -> Path:
    folder = example_project(tmp_path / "proj")
    idf = folder / "chipseq-dmel.idf.txt"
    text = idf.read_text(encoding="utf-8").replace("Publication DOI\n", "Publication DOI\t10.1234/example.5678\n")
    idf.write_text(text + EXTRA_IDF, encoding="utf-8")
    result = build_package(Project.open(folder), "zenodo", tmp_path / "out")
    assert result.built, [f.describe() for f in result.findings]
    return tmp_path / "out"


def test_bodies_equal_the_goldens_and_follow_the_api_examples(shared: Path, tmp_path: Path) -> None:
    out = _zenodo_package(tmp_path)
    legacy = json.loads((out / "zenodo.json").read_text(encoding="utf-8"))
    rdm = json.loads((out / "zenodo-rdm-draft.json").read_text(encoding="utf-8"))
    assert legacy == json.loads((GOLDEN / "zenodo-chipseq-dmel.zenodo.json").read_text(encoding="utf-8"))
    assert rdm == json.loads((GOLDEN / "zenodo-chipseq-dmel.rdm-draft.json").read_text(encoding="utf-8"))
    example = json.loads((shared / API / "legacy-deposit-api/03b_POST_depositions_full_metadata.request.json")
                         .read_text(encoding="utf-8"))["metadata"]
    assert set(legacy["metadata"]) <= set(example) | {"version"}
    assert set(legacy["metadata"]["creators"][0]) <= set(example["creators"][0])
    assert set(legacy["metadata"]["related_identifiers"][0]) == {"identifier", "relation", "scheme"}
    minimal = json.loads((shared / API / "invenio-rdm-api/POST_records_minimal.request.json").read_text(encoding="utf-8"))
    assert set(rdm) == set(minimal)
    assert set(minimal["metadata"]) <= set(rdm["metadata"])
    assert rdm["metadata"]["creators"][0]["person_or_org"]["type"] == "personal"
    names = {p.name for p in out.iterdir()}
    assert {"GAF_ChIP_rep1.fastq.gz", "MANIFEST.tsv", "README.md"} <= names   # files flat, as Zenodo stores them


def test_over_the_record_limits_blocks(tmp_path: Path) -> None:
    folder = example_project(tmp_path / "proj")
    sdrf = folder / "chipseq-dmel.sdrf.txt"
    lines = sdrf.read_text(encoding="utf-8").splitlines()
    head, row = lines[0], lines[1].split("\t")
    c = head.split("\t").index("Array Data File")
    for i in range(101):
        (folder / f"extra_{i}.fastq.gz").write_bytes(b"")
        lines.append("\t".join(row[:c] + [f"extra_{i}.fastq.gz"] + row[c + 1:]))
    sdrf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build_package(Project.open(folder), "zenodo", tmp_path / "out")
    assert not result.built and "ZEN-LIMITS" in {f.code for f in result.findings}
