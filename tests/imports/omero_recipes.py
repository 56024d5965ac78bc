"""Recipes for OMERO export fixtures: unpacked omero-cli-transfer packs, made on the spot.

The layout follows omero-cli-transfer (src/generate_xml.py and its test/data packs): the
original files under ``root_0/<date>/<time>/``, ``transfer.xml`` written by ome-types with a
Project -> Datasets -> Images tree, MapAnnotation key-value pairs, a TagAnnotation, and per
image an XMLAnnotation (namespace ``openmicroscopy.org/cli/transfer``) whose
``CLITransferServerPath/Path`` is the file's place in the pack. ``barchive`` writes the
``--barchive`` variant: Project/Dataset/file folders and ``submission.tsv`` (``filename``,
``data_type``, one column per key, ``original_omero_ids``). tifffile writes tiny images.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tifffile
from ome_types import OME, to_xml
from ome_types.model import (
    ROI,
    AnnotationRef,
    Channel,
    Dataset,
    DatasetRef,
    Image,
    ImageRef,
    Instrument,
    InstrumentRef,
    Line,
    Map,
    MapAnnotation,
    Microscope,
    Objective,
    Pixels,
    Project,
    ROIRef,
    TagAnnotation,
    XMLAnnotation,
)
from xsdata_pydantic_basemodel.compat import AnyElement

OME_NS = "http://www.openmicroscopy.org/Schemas/OME/2016-06"
TRANSFER_NS = "openmicroscopy.org/cli/transfer"

# (image id, name, dataset, file in the pack, key-value pairs, pixel size in µm or None)
IMAGES = (
    (51, "control_01.tif", "control", "root_0/2024-05/02/10-11-12.001/control_01.tif",
     {"cell line": "HeLa", "treatment": "none", "species": "Homo sapiens"}, 0.65),
    (52, "control_02.tif", "control", "root_0/2024-05/02/10-11-13.002/control_02.tif",
     {"cell line": "HeLa", "treatment": "none", "species": "Homo sapiens"}, 0.65),
    (53, "nocodazole_01.tif", "nocodazole", "root_0/2024-05/03/09-00-00.003/nocodazole_01.tif",
     {"cell line": "HeLa", "treatment": "nocodazole 100 ng/ml", "species": "Homo sapiens"}, None),
)


def _image_file(path: Path, *, calibrated: bool) -> None:
    """A two-channel 32 x 32 TIFF; the uncalibrated-in-XML one carries 0.5 µm resolution tags."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = np.random.default_rng(len(path.name)).integers(0, 200, size=(2, 32, 32)).astype("uint16")
    extra = {} if calibrated else {"resolution": (20000, 20000), "resolutionunit": "CENTIMETER"}
    tifffile.imwrite(path, data, photometric="minisblack", metadata=None, **extra)


def _server_path(ann_id: str, path: str) -> XMLAnnotation:
    element = AnyElement(qname=f"{{{OME_NS}}}CLITransferServerPath",
                         children=[AnyElement(qname=f"{{{OME_NS}}}Path", text=path)])
    return XMLAnnotation(id=ann_id, namespace=TRANSFER_NS, value=XMLAnnotation.Value(any_elements=[element]))


def transfer_model(*, instrument: bool = True) -> OME:
    """The OME model of the pack: Project 'Mitosis screen' with datasets control and nocodazole."""
    annotations: list[object] = [TagAnnotation(id="Annotation:1", value="mitosis")]
    images, datasets = [], {}
    for number, (image_id, name, dataset, path, pairs, size) in enumerate(IMAGES):
        kv = MapAnnotation(id=f"Annotation:{100 + 2 * number}", namespace="openmicroscopy.org/omero/client/mapAnnotation",
                           value=Map(ms=[Map.M(k=k, value=v) for k, v in pairs.items()]))
        where = _server_path(f"Annotation:{101 + 2 * number}", path)
        annotations += [kv, where]
        sizes = dict(physical_size_x=size, physical_size_y=size, physical_size_x_unit="µm",
                     physical_size_y_unit="µm") if size else {}
        pixels = Pixels(id=f"Pixels:{image_id}", dimension_order="XYZCT", type="uint16", size_x=32, size_y=32,
                        size_z=1, size_c=2, size_t=1, metadata_only=True,
                        channels=[Channel(id=f"Channel:{image_id}:{c}", name=n, acquisition_mode="SpinningDiskConfocal",
                                          contrast_method="Fluorescence")
                                  for c, n in enumerate(("DAPI", "H2B-GFP"))],
                        **sizes)
        refs = [AnnotationRef(id="Annotation:1"), AnnotationRef(id=kv.id), AnnotationRef(id=where.id)]
        image = Image(id=f"Image:{image_id}", name=name, pixels=pixels, annotation_refs=refs,
                      instrument_ref=InstrumentRef(id="Instrument:1") if instrument else None,
                      roi_refs=[ROIRef(id="ROI:1")] if number == 0 else [])
        images.append(image)
        datasets.setdefault(dataset, []).append(image.id)
    dataset_objects = [Dataset(id=f"Dataset:{i + 1}", name=name, image_refs=[ImageRef(id=r) for r in refs])
                       for i, (name, refs) in enumerate(datasets.items())]
    project = Project(id="Project:1", name="Mitosis screen", description="HeLa cells, control and nocodazole.",
                      dataset_refs=[DatasetRef(id=d.id) for d in dataset_objects])
    instruments = [Instrument(id="Instrument:1", microscope=Microscope(manufacturer="Nikon", model="Ti2-E"),
                              objectives=[Objective(id="Objective:1:0", manufacturer="Nikon", model="CFI Plan Apo",
                                                    nominal_magnification=60, lens_na=1.4)])] if instrument else []
    roi = ROI(id="ROI:1", union=[Line(id="Shape:1", x1=1, y1=1, x2=20, y2=20)])
    return OME(projects=[project], datasets=dataset_objects, images=images, instruments=instruments,
               structured_annotations=annotations, rois=[roi])


def pack(folder: Path, *, missing: str = "", instrument: bool = True) -> Path:
    """An unpacked omero-cli-transfer pack; ``missing`` names an image file left out."""
    folder.mkdir(parents=True, exist_ok=True)
    for _, name, _, path, _, size in IMAGES:
        if name != missing:
            _image_file(folder / path, calibrated=size is not None)
    (folder / "transfer.xml").write_text(to_xml(transfer_model(instrument=instrument)), encoding="utf-8")
    return folder


def barchive(folder: Path) -> Path:
    """The --barchive variant: Project/Dataset/file folders and submission.tsv (no transfer.xml)."""
    folder.mkdir(parents=True, exist_ok=True)
    keys = ["cell line", "treatment", "species"]
    lines = ["\t".join(["filename", "data_type", *keys, "original_omero_ids"])]
    for image_id, name, dataset, _, pairs, _ in IMAGES:
        rel = f"Mitosis screen/{dataset}/{name}"
        _image_file(folder / rel, calibrated=False)
        lines.append("\t".join([rel, "Image", *[pairs[k] for k in keys], str(image_id)]))
    (folder / "file_annotations" / "7").mkdir(parents=True)
    (folder / "file_annotations" / "7" / "protocol.pdf").write_bytes(b"%PDF-1.4\n")
    lines.append("\t".join(["file_annotations/7/protocol.pdf", "File Annotation", " ", " ", " ", "51"]))
    (folder / "submission.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
