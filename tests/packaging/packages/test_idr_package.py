"""IDR package: the study folder passes what IDR's own checks ask (study_parser's mandatory keys per
scope, unique CSV headers, one YAML document, UTF-8), from an imaging project made by a recipe."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import yaml

from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.manifest import read_manifest
from depositdesk.packaging.packages.build import build_package
from depositdesk.packaging.targets import check_targets
from depositdesk.packaging.targets.idr import EXPERIMENT_KEYS, STUDY_KEYS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "validators" / "imaging"))
import imaging_recipes  # noqa: E402

HEADER = ["Source Name", "Characteristics[organism]", "Term Source REF", "Term Accession Number",
          "Characteristics[cell line]", "Protocol REF", "Sample Name", "Protocol REF", "Assay Name",
          "Parameter Value[imaging method]", "Term Source REF", "Term Accession Number",
          "Comment[study component]", "Factor Value[siRNA]", "Image File"]


def imaging_project(folder: Path) -> Path:
    """Two study components (control, knock-down) of two OME-TIFFs each, with pixel sizes."""
    images = folder / "images"
    images.mkdir(parents=True)
    rows = []
    for component, sirna in (("control", "none"), ("PLK4 knock-down", "PLK4")):
        for n in (1, 2):
            name = f"{sirna}_{n}.ome.tif"
            imaging_recipes.ome_tiff(images, name)
            rows.append([f"HeLa {sirna} {n}", "Homo sapiens", "NCBITaxon", "NCBITaxon:9606", "HeLa",
                         "P-PREP", f"cells {sirna} {n}", "P-IMG", f"image {sirna} {n}",
                         "confocal microscopy", "FBbi", "FBbi:00000251", component, sirna,
                         f"images/{name}"])
    idf = Idf.blank("Centriole duplication after PLK4 knock-down")
    for field, value in (("Experiment Description", "Confocal images of HeLa cells after siRNA."),
                         ("Comment[Study Type]", "high content screen"),
                         ("Publication Title", "PLK4 and centrioles"), ("Publication Author List", "Doe J"),
                         ("Public Release Date", "2027-01-31"), ("Comment[Experiment Sample Type]", "cell"),
                         ("Comment[License]", "CC BY 4.0"), ("Experimental Design", "imaging")):
        idf.set(field, [value])
    idf.set_records("person", [{"Person Last Name": "Doe", "Person First Name": "Jane",
                                "Person Email": "jane@example.org", "Person Affiliation": "Lab"}])
    idf.set_records("protocol", [{"Protocol Name": "P-PREP", "Protocol Type": "sample preparation protocol"},
                                 {"Protocol Name": "P-IMG", "Protocol Type": "image acquisition protocol"}])
    idf.set("Experimental Factor Name", ["siRNA"])
    idf.set("Term Source Name", ["NCBITaxon", "FBbi"])
    idf.set("Term Source File", ["http://purl.obolibrary.org/obo/ncbitaxon.owl",
                                 "http://purl.obolibrary.org/obo/fbbi.owl"])
    Project.create(folder, idf, [Sdrf(HEADER, rows)])
    return folder


def _has_key(text: str, key: str) -> bool:
    """As study_parser's get_value: the row '^<key>\\t' must exist (the value may be empty)."""
    return re.search(rf"^{re.escape(key)}\t(.*)", text, flags=re.MULTILINE) is not None


def test_the_study_folder_has_what_idr_checks(tmp_path: Path) -> None:
    folder = imaging_project(tmp_path / "proj")
    project = Project.open(folder)
    errors = [f.describe() for f in check_targets(project, ["idr"]) if f.severity.name == "ERROR"]
    assert not errors, errors
    out = tmp_path / "idr"
    result = build_package(project, "idr", out)
    assert result.built, [f.describe() for f in result.findings]
    study = (out / "idr0000-study.txt").read_text(encoding="utf-8")
    study_part, *experiment_parts = study.split("\n\n")
    for key in STUDY_KEYS:
        assert _has_key(study_part, key), key
    assert len(experiment_parts) == 2
    for n, part in enumerate(experiment_parts, start=1):
        for key in EXPERIMENT_KEYS:
            assert _has_key(part, key), key
        assert f"Experiment Number\t{n}" in part and "Experiment Sample Type\tcell" in part
        assert "Experiment Organism\tHomo sapiens" in part and "Experiment Imaging Method\tconfocal" in part
    assert not _has_key(study_part, "Study Organism")          # never at both levels
    for letter, sirna in (("A", "none"), ("B", "PLK4")):
        stem = out / f"experiment{letter}" / f"idr0000-experiment{letter}"
        raw = Path(f"{stem}-annotation.csv").read_bytes()
        table = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
        assert len(table[0]) == len(set(table[0])) and not any(h.startswith("Unnamed") for h in table[0])
        assert table[0][:2] == ["Dataset Name", "Image Name"] and len(table) == 3
        assert table[1][1] == f"{sirna}_1.ome.tif" and "Experimental Condition [siRNA]" in table[0]
        paths = Path(f"{stem}-filePaths.tsv").read_text(encoding="utf-8").splitlines()
        assert [line.split("\t")[1] for line in paths] == [f"images/{sirna}_1.ome.tif", f"images/{sirna}_2.ome.tif"]
        assert all(line.startswith("Dataset:name:") for line in paths)
        docs = list(yaml.safe_load_all(Path(f"{stem}-bulk.yml").read_text(encoding="utf-8")))
        assert len(docs) == 1 and docs[0]["path"] == f"idr0000-experiment{letter}-filePaths.tsv"
    _info, entries = read_manifest(out)
    assert {e.path for e in entries if e.role == "data"} == {f"images/{s}_{n}.ome.tif"
                                                             for s in ("none", "PLK4") for n in (1, 2)}


def test_a_study_without_sample_type_is_refused(tmp_path: Path) -> None:
    folder = imaging_project(tmp_path / "proj")
    project = Project.open(folder)
    project.idf.set("Comment[Experiment Sample Type]", [""])
    assert any("Sample Type" in f.describe() for f in check_targets(project, ["idr"]))
