"""An OMERO export (omero-cli-transfer pack, unpacked; also --barchive) opened as a project."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from omero_recipes import barchive, pack  # noqa: E402

from depositdesk.imports.omero import read_pack  # noqa: E402
from depositdesk.magetab.project import Project  # noqa: E402


def _import(source: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "depositdesk", "import", str(source), str(out), *extra],
                          capture_output=True, text=True, timeout=120)


def _rows(project: Project) -> list[dict[str, str]]:
    [sdrf] = project.sdrfs
    return [{h: row[c] for c, h in reversed(list(enumerate(sdrf.header)))} for row in sdrf.rows]


def test_a_pack_becomes_a_project_whose_rows_name_the_images_in_place(tmp_path: Path) -> None:
    source = pack(tmp_path / "pack")
    out = tmp_path / "project"
    done = _import(source, out, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert [f["code"] for f in report["findings"]] == ["IMPORT-UNPLACED"]  # the ROI
    assert "1 ROI(s)" in report["findings"][0]["message"]
    project = Project.open(out)
    assert project.idf.first("Investigation Title") == "Mitosis screen"
    assert project.idf.first("Experiment Description") == "HeLa cells, control and nocodazole."
    rows = _rows(project)
    assert [r["Assay Name"] for r in rows] == ["control_01.tif", "control_02.tif", "nocodazole_01.tif"]
    assert [r["Comment[study component]"] for r in rows] == ["control", "control", "nocodazole"]
    assert rows[0]["Image File"] == "data/root_0/2024-05/02/10-11-12.001/control_01.tif"
    for name in project.data_files():  # hard links to the pack's files: inside the project, no copy
        assert name.is_file() and not name.is_symlink()
        assert os.path.samefile(name, source / name.relative_to(out / "data"))


def test_key_values_pixel_sizes_and_instrument_become_file_attributes(tmp_path: Path) -> None:
    source = pack(tmp_path / "pack")
    assert _import(source, tmp_path / "project").returncode == 0
    first, _, third = _rows(Project.open(tmp_path / "project"))
    assert first["Characteristics[cell line]"] == "HeLa" and third["Comment[treatment]"] == "nocodazole 100 ng/ml"
    assert first["Characteristics[organism]"] == "Homo sapiens"
    assert (first["Term Source REF"], first["Term Accession Number"]) == ("NCBITaxon", "NCBITaxon:9606")
    assert first["Comment[tag]"] == "mitosis"
    assert first["Comment[OMERO image id]"] == "51"
    assert first["Comment[voxel size x (µm)]"] == first["Comment[voxel size y (µm)]"] == "0.65"
    assert first["Comment[channel content]"] == "DAPI; H2B-GFP"
    assert first["Parameter Value[imaging instrument]"] == "Nikon Ti2-E, objective Nikon CFI Plan Apo 60x NA 1.4"
    [sdrf] = Project.open(tmp_path / "project").sdrfs
    method = sdrf.header.index("Parameter Value[imaging method]")
    assert sdrf.rows[0][method:method + 3] == ["spinning disk confocal microscopy", "FBbi", "FBbi:00000253"]
    # the third image's XML has no physical size: the file's own resolution tags give it
    assert third["Comment[voxel size x (µm)]"] == "0.5"


def test_a_file_the_pack_names_but_lacks_is_an_error(tmp_path: Path) -> None:
    source = pack(tmp_path / "pack", missing="control_02.tif")
    done = _import(source, tmp_path / "project", "--format", "json")
    assert done.returncode == 1
    codes = [f["code"] for f in json.loads(done.stdout)["findings"]]
    assert "IMPORT-OMERO-FILE-MISSING" in codes
    assert [r["Assay Name"] for r in _rows(Project.open(tmp_path / "project"))] == [
        "control_01.tif", "nocodazole_01.tif"]


def test_the_barchive_variant_reads_submission_tsv(tmp_path: Path) -> None:
    source = barchive(tmp_path / "barchive")
    done = _import(source, tmp_path / "project", "--format", "json")
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [f["code"] for f in findings] == ["IMPORT-UNPLACED"] and "file annotation" in findings[0]["message"]
    project = Project.open(tmp_path / "project")
    assert project.idf.first("Investigation Title") == "Mitosis screen"
    rows = _rows(project)
    assert [r["Image File"] for r in rows] == [f"data/Mitosis screen/{d}/{n}" for d, n in (
        ("control", "control_01.tif"), ("control", "control_02.tif"), ("nocodazole", "nocodazole_01.tif"))]
    assert [r["Comment[study component]"] for r in rows] == ["control", "control", "nocodazole"]
    assert rows[2]["Comment[treatment]"] == "nocodazole 100 ng/ml" and rows[0]["Comment[OMERO image id]"] == "51"
    assert rows[0]["Characteristics[organism]"] == "Homo sapiens"
    assert rows[0]["Comment[voxel size x (µm)]"] == "0.5"  # from the TIFF's resolution tags


def test_a_packed_archive_and_a_broken_transfer_xml_are_one_line(tmp_path: Path) -> None:
    tarball = tmp_path / "pack.tar"
    tarball.write_bytes(b"\0" * 1024)
    done = _import(tarball, tmp_path / "p1")
    assert done.returncode == 2 and "unpack the omero-cli-transfer pack first" in done.stderr
    assert done.stderr.count("\n") == 1
    source = pack(tmp_path / "pack")
    (source / "transfer.xml").write_text("<OME><Image ID='x'", encoding="utf-8")
    done = _import(source, tmp_path / "p2", "--format", "json")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert [f["code"] for f in json.loads(done.stdout)["findings"]] == ["IMPORT-OMERO-XML-INVALID"]


def test_without_hard_links_the_rows_name_the_pack_and_say_so(tmp_path: Path, monkeypatch) -> None:
    def refuse(*_args: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    source = pack(tmp_path / "pack")
    monkeypatch.setattr(os, "link", refuse)
    imported = read_pack(source, tmp_path / "elsewhere" / "project")
    assert [f.code for f in imported.findings] == ["IMPORT-UNPLACED", "IMPORT-OMERO-NOT-LINKED"]
    assert "3 file(s)" in imported.findings[1].message and "cross-device" in imported.findings[1].message
    names = [row[imported.sdrfs[0].header.index("Image File")] for row in imported.sdrfs[0].rows]
    assert names[0] == "../../pack/root_0/2024-05/02/10-11-12.001/control_01.tif"


def test_a_path_out_of_the_pack_is_refused_and_nothing_is_linked_outside(tmp_path: Path) -> None:
    source = pack(tmp_path / "pack")
    secret = tmp_path / "secret.txt"
    secret.write_text("not an image")
    xml = (source / "transfer.xml").read_text(encoding="utf-8")
    (source / "transfer.xml").write_text(xml.replace("root_0/2024-05/02/10-11-13.002/control_02.tif",
                                                     "../secret.txt"), encoding="utf-8")
    out = tmp_path / "project"
    done = _import(source, out, "--format", "json")
    assert done.returncode == 1
    assert "IMPORT-OMERO-PATH-OUTSIDE" in [f["code"] for f in json.loads(done.stdout)["findings"]]
    assert secret.stat().st_nlink == 1 and len(_rows(Project.open(out))) == 2
