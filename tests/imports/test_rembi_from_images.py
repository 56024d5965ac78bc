"""REMBI from the images: .depositdesk/rembi.yaml in bia-agent's layout, prefilled from the files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "validators" / "imaging"))

from imaging_recipes import ome_tiff, plain_tiff  # noqa: E402
from omero_recipes import pack  # noqa: E402

from depositdesk.imports.rembi_from_images import rembi_from_project, write_rembi  # noqa: E402
from depositdesk.magetab.project import Project  # noqa: E402
from depositdesk.magetab.sdrf import Sdrf  # noqa: E402
from depositdesk.resources.templates import template  # noqa: E402

BIA_AGENT = "bia/bia-agent/rembi-metadata.yaml"


def _fill(sdrf: Sdrf, row: list[str], values: dict[str, str]) -> None:
    for heading, value in values.items():
        row[sdrf.header.index(heading)] = value


def _after(sdrf: Sdrf, row: list[str], heading: str, values: list[str]) -> None:
    """Term Source REF and Term Accession Number, the two columns after ``heading``."""
    at = sdrf.header.index(heading)
    assert sdrf.header[at + 1:at + 3] == ["Term Source REF", "Term Accession Number"]
    row[at + 1:at + 3] = values


def _top_keys(data: dict) -> list[str]:
    return [k for k in data if k not in ("correlations", "analysis")]


def test_an_omero_import_writes_rembi_yaml_in_bia_agents_layout(tmp_path: Path, shared: Path) -> None:
    out = tmp_path / "project"
    done = subprocess.run([sys.executable, "-m", "depositdesk", "import", str(pack(tmp_path / "pack")),
                           str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rembi = yaml.safe_load((out / ".depositdesk" / "rembi.yaml").read_text(encoding="utf-8"))
    reference = yaml.safe_load((shared / "metadata-corpus" / BIA_AGENT).read_text(encoding="utf-8"))
    assert list(rembi) == _top_keys(reference)
    assert set(rembi["study"]) <= set(reference["study"]) | {"email"}
    assert rembi["study"]["title"] == "Mitosis screen" and rembi["study"]["rembi_version"] == "1.5"
    assert list(rembi["study_component"]) == ["control", "nocodazole"]
    assert rembi["study_component"]["control"]["name"] == "control"
    [acquisition] = rembi["acquisitions"].values()
    assert acquisition["imaging_instrument"] == "Nikon Ti2-E, objective Nikon CFI Plan Apo 60x NA 1.4"
    assert acquisition["imaging_method"] == {"value": "spinning disk confocal microscopy", "ontology_name": "FBbi",
                                             "ontology_id": "http://purl.obolibrary.org/obo/FBbi_00000253"}
    parameters = acquisition["image_acquisition_parameters"]
    assert "0.65 x 0.65 µm (2 images)" in parameters and "0.5 x 0.5 µm (1 image)" in parameters
    assert "channels: DAPI, H2B-GFP" in parameters
    assert rembi["biosamples"] == {"Homo sapiens HeLa": {
        "organism": {"scientific_name": "Homo sapiens", "common_name": "", "ncbi_taxon": "NCBI:txid9606"},
        "biological_entity": "HeLa", "description": ""}}
    for association in rembi["associations"].values():  # every association names a section that exists
        assert association["biosample_id"] in rembi["biosamples"]
        assert association["specimen_id"] in rembi["specimens"]
        assert association["acquisition_id"] in rembi["acquisitions"]


def test_values_the_sdrf_lacks_come_from_the_image_files(tmp_path: Path) -> None:
    """An imaging-template project naming two TIFFs: pixel size, instrument, channels read from them."""
    data = tmp_path / "data"
    data.mkdir()
    ome_tiff(data)     # Zeiss LSM 980, 0.65 µm, DAPI/GFP
    plain_tiff(data)   # Nikon Ti2-E (Make/Model tags), 0.5 µm
    idf, sdrf = template("imaging").build("Embryos")
    rows = [[""] * len(sdrf.header) for _ in range(2)]
    for row, name in zip(rows, ("data/cells.ome.tif", "data/plain.tif"), strict=True):
        _fill(sdrf, row, {"Source Name": "embryo 1", "Characteristics[organism]": "Drosophila melanogaster",
                          "Characteristics[organism part]": "embryo", "Sample Name": "embryo 1",
                          "Comment[imaging method]": "confocal microscopy", "Image File": name})
        _after(sdrf, row, "Characteristics[organism]", ["NCBITaxon", "NCBITaxon:7227"])
        _after(sdrf, row, "Comment[imaging method]", ["FBbi", "FBbi:00000251"])
    idf.set("Public Release Date", ["2027-01-31"])
    project = Project.create(tmp_path, idf, [Sdrf(sdrf.header, rows)])
    rembi = rembi_from_project(project)
    assert set(rembi["acquisitions"]) == {"Zeiss LSM 980, objective Zeiss Plan-Apochromat 63x NA 1.4",
                                          "Nikon Ti2-E"}
    zeiss = rembi["acquisitions"]["Zeiss LSM 980, objective Zeiss Plan-Apochromat 63x NA 1.4"]
    assert zeiss["imaging_method"] == {"value": "confocal microscopy",
                                       "ontology_id": "http://purl.obolibrary.org/obo/FBbi_00000251",
                                       "ontology_name": "FBbi"}
    assert "0.65 x 0.65 µm (1 image)" in zeiss["image_acquisition_parameters"]
    assert "channels: DAPI, GFP" in zeiss["image_acquisition_parameters"]
    assert rembi["biosamples"]["Drosophila melanogaster embryo"]["organism"]["ncbi_taxon"] == "NCBI:txid7227"
    [(specimen, fields)] = rembi["specimens"].items()  # the template's sample preparation protocol
    assert specimen == "P-PREP-1" and set(fields) == {"sample_preparation"}
    path = write_rembi(project, rembi)
    text = path.read_text(encoding="utf-8")
    assert "private_until_date: 2027-01-31\n" in text and "µm" in text  # a YAML date, unicode kept
    assert not list(path.parent.glob("*.part")) and not list(path.parent.glob(".rembi*"))


def test_a_missing_image_file_leaves_its_values_empty_not_invented(tmp_path: Path) -> None:
    idf, sdrf = template("imaging").build("Nothing on disk")
    rows = [[""] * len(sdrf.header)]
    _fill(sdrf, rows[0], {"Source Name": "s", "Sample Name": "s", "Image File": "data/gone.tif"})
    project = Project.create(tmp_path, idf, [Sdrf(sdrf.header, rows)])
    [acquisition] = rembi_from_project(project)["acquisitions"].values()
    assert acquisition["imaging_instrument"] == ""
    assert "pixel size unknown for 1 image" in acquisition["image_acquisition_parameters"]
