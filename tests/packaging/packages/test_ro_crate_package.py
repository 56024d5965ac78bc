"""RO-Crate 1.1 of the whole project: read back by the rocrate package, every data file a File
entity with its size, md5 (as in MANIFEST.tsv) and format; the root's required properties."""

from __future__ import annotations

import json
from pathlib import Path

from rocrate.rocrate import ROCrate

from depositdesk.magetab.project import Project
from depositdesk.packaging.manifest import read_manifest
from depositdesk.packaging.packages.build import build_package
from depositdesk.packaging.targets import check_targets
from tests.packaging.packages.recipes import example_project, paired_project


def _crate(tmp_path: Path, folder: Path, force: bool = False) -> tuple[Path, dict]:
    result = build_package(Project.open(folder), "ro-crate", tmp_path / "crate", force=force)
    assert result.built, [f.describe() for f in result.findings]
    return tmp_path / "crate", json.loads((tmp_path / "crate" / "ro-crate-metadata.json").read_text("utf-8"))


def test_the_example_becomes_a_1_1_crate_that_rocrate_reads_back(tmp_path: Path) -> None:
    out, data = _crate(tmp_path, example_project(tmp_path / "proj"))
    assert data["@context"][0] == "https://w3id.org/ro/crate/1.1/context"
    graph = {e["@id"]: e for e in data["@graph"]}
    assert graph["ro-crate-metadata.json"]["conformsTo"] == {"@id": "https://w3id.org/ro/crate/1.1"}
    root = graph["./"]
    assert root["name"].startswith("GAGA factor") and root["datePublished"] == "2026-12-31"
    assert graph[root["license"]["@id"]] == {"@id": "https://creativecommons.org/licenses/by/4.0/",
                                             "@type": "CreativeWork", "name": "CC BY 4.0"}
    assert graph[root["author"][0]["@id"]]["name"] == "Ada Example"
    _info, entries = read_manifest(out)
    data_entries = [e for e in entries if e.role == "data"]
    assert data_entries
    for entry in data_entries:
        entity = graph[entry.path]
        assert entity["@type"] == "File" and entity["md5"] == entry.md5 and entity["contentSize"] == str(entry.size)
    assert graph["GAF_ChIP_rep1.fastq.gz"]["encodingFormat"] == [
        "application/gzip", {"@id": "http://edamontology.org/format_1930"}]
    assert graph["chipseq-dmel.sdrf.txt"]["@type"] == "File"
    crate = ROCrate(out)          # the rocrate package reads it as a crate of its own
    assert {e.id for e in crate.data_entities} >= {e.path for e in data_entries}
    assert crate.name == root["name"]


def test_files_in_folders_keep_their_paths(tmp_path: Path) -> None:
    out, data = _crate(tmp_path, paired_project(tmp_path / "proj"), force=True)   # about paths only
    ids = {e["@id"] for e in data["@graph"] if e.get("@type") == "File"}
    _info, entries = read_manifest(out)
    assert {e.path for e in entries if e.role == "data"} <= ids


def test_a_project_without_licence_or_release_date_is_told(tmp_path: Path) -> None:
    folder = example_project(tmp_path / "proj")
    idf = folder / "chipseq-dmel.idf.txt"
    text = idf.read_text(encoding="utf-8").replace("Comment[License]\tCC BY 4.0", "Comment[License]")
    idf.write_text(text.replace("Public Release Date\t2026-12-31", "Public Release Date"), encoding="utf-8")
    messages = [f.describe() for f in check_targets(Project.open(folder), ["ro-crate"])]
    assert any("license" in m for m in messages) and any("datePublished" in m for m in messages)
    assert not build_package(Project.open(folder), "ro-crate", tmp_path / "crate").built
