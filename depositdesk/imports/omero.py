"""OMERO exports as an import source: an omero-cli-transfer pack (unpacked) becomes a project.

``omero transfer pack`` writes a folder (then tar/zip) holding the images' original files
and ``transfer.xml``: OME-XML with the Project/Dataset/Image tree, the images' Pixels (and,
when the server had them, physical sizes, channels and the Instrument), the annotations
(MapAnnotation key-value pairs, tags, comments) and, per image, an XMLAnnotation in the
``openmicroscopy.org/cli/transfer`` namespace whose ``CLITransferServerPath/Path`` is the
image file's path inside the pack (a path ending in ``mock_folder`` means every file of that
folder: a multi-file fileset). ``--barchive`` writes instead ``submission.tsv`` (first column
``filename``: Project/Dataset/file paths, then ``data_type`` Image | File Annotation, a
column per map-annotation key, ``original_omero_ids``).

What the import makes (``depositdesk import PACK OUT_DIR``), on the imaging template:
- one SDRF row per image file: Source/Sample/Assay Name from the OMERO image, ``Image File``
  ``data/<its path in the pack>``: a hard link made in the project folder (instant, no copy;
  the pack's file is only read). Where a hard link cannot be made (another disk), the row names
  the pack's file by a relative path and IMPORT-OMERO-NOT-LINKED says how to bring it in,
- ``Comment[study component]``: the OMERO dataset (the BioImage Archive's Study Component),
- a ``Comment[<key>]`` per key-value annotation key; a species/organism key fills
  ``Characteristics[organism]`` (with its NCBITaxon accession for the common model organisms),
  cell line / cell type / organism part / tissue / strain / genotype keys their
  ``Characteristics[...]``; tags and comments as ``Comment[tag]``/``Comment[comment]``,
- the imaging method (``Parameter Value[imaging method]``, the column BIA and IDR read) as an FBbi
  term from the channels' AcquisitionMode / ContrastMethod, the instrument as
  ``Parameter Value[imaging instrument]``,
- pixel sizes (µm), channel names and instrument/objective from the OME-XML; when the XML
  lacks them (OMERO writes ``MetadataOnly`` Pixels), from the image file's own header,
- ``.depositdesk/rembi.yaml`` (depositdesk.imports.rembi_from_images) once the project exists.
What has no place (ROIs, file annotations, plates) is reported, never dropped silently.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.imports import codes as import_codes
from depositdesk.imports.isatab import Imported
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf

PART = "imports"
TRANSFER_NS = "openmicroscopy.org/cli/transfer"
MOCK_FOLDER = "mock_folder"
DATA_FOLDER = "data"

XML_INVALID = define(
    "IMPORT-OMERO-XML-INVALID", Severity.ERROR, "The pack's transfer.xml is not readable OME-XML",
    "Pack the object again with omero-cli-transfer (omero transfer pack), or import the folder of "
    "images instead.", part=PART)
FILE_MISSING = define(
    "IMPORT-OMERO-FILE-MISSING", Severity.ERROR, "An image file the OMERO pack names is not in the pack",
    "The pack was unpacked or copied incompletely: unpack it again (tar xf / unzip) and re-import.",
    part=PART)
NOT_LINKED = define(
    "IMPORT-OMERO-NOT-LINKED", Severity.WARNING,
    "Image files of the pack could not be hard-linked into the project folder; rows name them in the pack",
    "Hard links need the project on the same disk as the pack: import into a folder on that disk, or "
    "bring the files in with 'Create SDRF rows from files' (link or checked copy) before packaging.",
    part=PART)
PATH_OUTSIDE = define(
    "IMPORT-OMERO-PATH-OUTSIDE", Severity.ERROR, "A file path of the pack leads outside the pack",
    "A pack names its files inside its own folder; this one ('..', an absolute path or a link out) was "
    "not imported. Pack the object again with omero-cli-transfer.", part=PART)
REMBI_NOT_WRITTEN = define(
    "IMPORT-REMBI-NOT-WRITTEN", Severity.WARNING, "The project's REMBI section (.depositdesk/rembi.yaml) "
    "could not be written", "Check that the project folder is writable; the IDF and SDRF were written.",
    part=PART)
NO_PATH = define(
    "IMPORT-OMERO-NO-PATH", Severity.WARNING,
    "An image of the pack has no file path (no CLITransferServerPath annotation)",
    "Pack it again with a current omero-cli-transfer; the image was not imported.", part=PART)

SUBMISSION_TSV = "submission.tsv"
TRANSFER_XML = "transfer.xml"
ORGANISM_KEYS = {"organism", "species", "scientific name"}
CHARACTERISTICS = {"cell line": "cell line", "cell type": "cell type", "organism part": "organism part",
                   "tissue": "organism part", "strain": "strain", "genotype": "genotype",
                   "developmental stage": "developmental stage"}
"""Key-value keys that are sample characteristics (the BIA's biological entity: cell line, ...)."""
TAXA = {"homo sapiens": 9606, "mus musculus": 10090, "rattus norvegicus": 10116, "danio rerio": 7955,
        "drosophila melanogaster": 7227, "caenorhabditis elegans": 6239, "saccharomyces cerevisiae": 4932,
        "arabidopsis thaliana": 3702, "xenopus laevis": 8355, "gallus gallus": 9031,
        "schizosaccharomyces pombe": 4896, "escherichia coli": 562}
"""NCBI Taxonomy ids of the organisms imaged most, to fill the organism's term accession offline."""
_FIXED_BARCHIVE = {"filename", "data_type", "original_omero_ids"}

# OME Channel AcquisitionMode / ContrastMethod -> FBbi term (labels as in fbbi.owl)
FBBI_BY_MODE = {
    "LaserScanningConfocalMicroscopy": ("confocal microscopy", "FBbi:00000251"),
    "SpinningDiskConfocal": ("spinning disk confocal microscopy", "FBbi:00000253"),
    "SlitScanConfocal": ("slit-scan confocal microscopy", "FBbi:00000392"),
    "MultiPhotonMicroscopy": ("multi-photon microscopy", "FBbi:00000255"),
    "StructuredIllumination": ("structured illumination microscopy (SIM)", "FBbi:00000332"),
    "STED": ("stimulated emission depletion (STED)", "FBbi:00000334"),
    "PALM": ("PALM (photoactivation localization microscopy)", "FBbi:00000335"),
    "BrightField": ("bright-field microscopy", "FBbi:00000243"),
}
FBBI_BY_CONTRAST = {
    "Fluorescence": ("fluorescence microscopy", "FBbi:00000246"),
    "Brightfield": ("bright-field microscopy", "FBbi:00000243"),
    "Phase": ("phase contrast microscopy", "FBbi:00000247"),
    "DIC": ("differential interference contrast microscopy", "FBbi:00000245"),
}


@dataclass
class PackImage:
    """One OMERO image as the pack describes it."""

    name: str
    omero_id: str
    files: list[str]                      # paths inside the pack, '/' separators
    dataset: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    pixel_size_um: dict[str, float] = field(default_factory=dict)
    channels: list[str] = field(default_factory=list)
    instrument: str = ""
    method: tuple[str, str] = ("", "")  # (FBbi label, FBbi accession)


def is_pack(path: Path) -> bool:
    """An unpacked omero-cli-transfer pack: a folder with transfer.xml, or a --barchive submission.tsv."""
    path = Path(path)
    if not path.is_dir():
        return False
    if (path / TRANSFER_XML).is_file():
        return True
    tsv = path / SUBMISSION_TSV
    if not tsv.is_file():
        return False
    with open(tsv, encoding="utf-8", errors="replace") as handle:
        return handle.readline().split("\t", 1)[0].strip() == "filename"


def is_packed_archive(path: Path) -> bool:
    name = Path(path).name.lower()
    return Path(path).is_file() and name.endswith((".tar", ".zip", ".tar.gz", ".tgz"))


def read_pack(pack: Path, project_folder: Path | None = None) -> Imported:
    """The documents of a project made from a pack; file paths relative to ``project_folder``."""
    pack = Path(pack)
    findings: list[Finding] = []
    if (pack / TRANSFER_XML).is_file():
        title, description, images = _from_transfer_xml(pack, findings)
        source = TRANSFER_XML
    else:
        title, description, images = _from_submission_tsv(pack, findings)
        source = SUBMISSION_TSV
    images = [img for img in images if _files_present(pack, img, source, findings)]
    _fill_from_files(pack, images)
    idf, sdrf = _documents(title or pack.name, description, images, pack, project_folder, findings)
    return Imported(idf, [sdrf] if images else [], findings, [f for img in images for f in img.files])


# -- transfer.xml ------------------------------------------------------------------------------------


def _from_transfer_xml(pack: Path, findings: list[Finding]) -> tuple[str, str, list[PackImage]]:
    import ome_types

    where = Location(file=TRANSFER_XML)
    try:
        ome = ome_types.from_xml(pack / TRANSFER_XML)
    except Exception as exc:  # ome-types raises ValidationError, XMLSchemaValidationError, ParseError
        findings.append(finding(XML_INVALID, f"{TRANSFER_XML}: {type(exc).__name__}: {str(exc)[:300]}", where))
        return "", "", []
    annotations = {a.id: a for a in ome.structured_annotations or []}
    datasets = {ref.id: ds.name or "" for ds in ome.datasets for ref in ds.image_refs}
    instruments = {inst.id: inst for inst in ome.instruments}
    images = []
    for image in ome.images:
        anns = [annotations[r.id] for r in image.annotation_refs if r.id in annotations]
        files = _server_paths(anns)
        if not files:
            findings.append(finding(NO_PATH, f"image {image.id} ({image.name}) has no file path", where))
            continue
        images.append(PackImage(
            name=image.name or Path(files[0]).name, omero_id=image.id.split(":")[-1], files=files,
            dataset=datasets.get(image.id, ""), attributes=_attributes(anns),
            pixel_size_um=_pixel_size(image.pixels), channels=[c.name or "" for c in image.pixels.channels],
            instrument=_instrument(image, instruments), method=_imaging_method(image.pixels)))
    _report_unplaced(ome, findings)
    project = ome.projects[0] if ome.projects else None
    if project is not None:
        return project.name or "", project.description or "", images
    if len(ome.datasets) == 1:
        return ome.datasets[0].name or "", ome.datasets[0].description or "", images
    return "", "", images


def _server_paths(annotations: list[Any]) -> list[str]:
    """The pack paths of an image's CLITransferServerPath annotations (in order, once each)."""
    paths: list[str] = []
    for ann in annotations:
        if type(ann).__name__ != "XMLAnnotation" or (ann.namespace or "") != TRANSFER_NS:
            continue
        for element in ann.value.any_elements:
            if element.qname.rsplit("}", 1)[-1] != "CLITransferServerPath":
                continue
            for child in element.children:
                text = (child.text or "").strip()
                if child.qname.rsplit("}", 1)[-1] == "Path" and text and text not in paths:
                    paths.append(text.replace("\\", "/").removeprefix("./"))
    return paths


def _attributes(annotations: list[Any]) -> dict[str, str]:
    """Key-value pairs of the map annotations (first non-blank value of a key), tags, comments."""
    out: dict[str, str] = {}
    tags: list[str] = []
    for ann in annotations:
        kind = type(ann).__name__
        if kind == "MapAnnotation":
            for pair in ann.value.ms:
                key, value = (pair.k or "").strip(), (pair.value or "").strip()
                if key and (value or key not in out):
                    out[key] = value
        elif kind == "TagAnnotation" and (ann.value or "").strip():
            tags.append(ann.value.strip())
        elif kind == "CommentAnnotation" and (ann.value or "").strip():
            out.setdefault("comment", ann.value.strip())
    if tags:
        out["tag"] = "; ".join(dict.fromkeys(tags))
    return out


def _pixel_size(pixels: Any) -> dict[str, float]:
    from depositdesk.validators.formats._tiff_meta import to_um

    sizes: dict[str, float] = {}
    for axis in "xyz":
        value = getattr(pixels, f"physical_size_{axis}")
        unit = getattr(pixels, f"physical_size_{axis}_unit")
        um = to_um(float(value), getattr(unit, "value", unit)) if value is not None else None
        if um is not None:
            sizes[axis] = um
    return sizes


def _imaging_method(pixels: Any) -> tuple[str, str]:
    """The FBbi term of the first channel's acquisition mode (else contrast method) the XML states."""
    for channel in pixels.channels:
        mode = getattr(channel.acquisition_mode, "value", channel.acquisition_mode)
        contrast = getattr(channel.contrast_method, "value", channel.contrast_method)
        term = FBBI_BY_MODE.get(str(mode)) or FBBI_BY_CONTRAST.get(str(contrast))
        if term:
            return term
    return "", ""


def _instrument(image: Any, instruments: dict[str, Any]) -> str:
    """'Manufacturer Model, objective ...' of the image's instrument ('' when none)."""
    ref = image.instrument_ref
    inst = instruments.get(ref.id) if ref is not None else None
    if inst is None and len(instruments) == 1:
        inst = next(iter(instruments.values()))
    if inst is None:
        return ""
    parts = []
    mic = inst.microscope
    if mic is not None and (mic.manufacturer or mic.model):
        parts.append(" ".join(p for p in (mic.manufacturer, mic.model) if p))
    wanted = image.objective_settings.id if image.objective_settings is not None else None
    objectives = [o for o in inst.objectives if o.id == wanted] or inst.objectives[:1]
    for obj in objectives[:1]:
        bits = [b for b in (obj.manufacturer, obj.model) if b]
        if obj.nominal_magnification:
            bits.append(f"{obj.nominal_magnification:g}x")
        if obj.lens_na:
            bits.append(f"NA {obj.lens_na:g}")
        if bits:
            parts.append("objective " + " ".join(bits))
    return ", ".join(parts)


def _report_unplaced(ome: Any, findings: list[Finding]) -> None:
    where = Location(file=TRANSFER_XML)
    things = [(len(ome.rois), "ROI(s)"), (len(ome.plates), "plate(s)"), (len(ome.screens), "screen(s)"),
              (sum(type(a).__name__ == "FileAnnotation" for a in ome.structured_annotations or []),
               "file annotation(s)")]
    for count, what in things:
        if count:
            findings.append(finding(import_codes.UNPLACED, f"{count} {what} of the pack are not imported "
                                    "(the project lists images only)", where))


# -- submission.tsv (--barchive) -----------------------------------------------------------------------


def _from_submission_tsv(pack: Path, findings: list[Finding]) -> tuple[str, str, list[PackImage]]:
    with open(pack / SUBMISSION_TSV, encoding="utf-8", errors="replace", newline="") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if any(c.strip() for c in r)]
    header, rows = [h.strip() for h in rows[0]], rows[1:]
    images: list[PackImage] = []
    tops: set[str] = set()
    skipped = 0
    for row in rows:
        if "data_type" not in header and len(row) == len(header) + 1:
            row = [row[0], *row[2:]] if row[1].strip() in ("Image", "File Annotation") else row  # noqa: PLW2901
            kind = "Image"
        else:
            kind = row[header.index("data_type")].strip() if "data_type" in header else "Image"
        cells = dict(zip(header, (c.strip() for c in row), strict=False))
        if kind != "Image":
            skipped += 1
            continue
        path = cells.get("filename", "").replace("\\", "/").strip("/")
        parts = path.split("/")
        dataset = parts[-2] if len(parts) >= 2 else ""
        if len(parts) >= 3:
            tops.add(parts[0])
        attributes = {k: v for k, v in cells.items() if k not in _FIXED_BARCHIVE and v}
        images.append(PackImage(name=Path(path).name, omero_id=cells.get("original_omero_ids", ""),
                                files=[path], dataset=dataset, attributes=attributes))
    if skipped:
        findings.append(finding(import_codes.UNPLACED, f"{skipped} file annotation(s) of {SUBMISSION_TSV} are "
                                "not imported (the project lists images only)", Location(file=SUBMISSION_TSV)))
    return (next(iter(tops)) if len(tops) == 1 else ""), "", images


# -- both ----------------------------------------------------------------------------------------------


def _files_present(pack: Path, image: PackImage, source: str, findings: list[Finding]) -> bool:
    """Expand a mock_folder path to its files; False (with a finding) when nothing of the image is there."""
    files: list[str] = []
    root = os.path.realpath(pack)
    for rel in image.files:
        inside = os.path.realpath(pack / rel)
        if Path(rel).is_absolute() or ".." in rel.split("/") or os.path.commonpath([root, inside]) != root:
            findings.append(finding(PATH_OUTSIDE, f"image {image.name}: '{rel}' is not inside the pack",
                                    Location(file=source)))
        elif Path(rel).name == MOCK_FOLDER:
            folder = pack / Path(rel).parent
            found = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) \
                if folder.is_dir() else []
            files += [p.relative_to(pack).as_posix() for p in found]
            if not found:
                findings.append(finding(FILE_MISSING, f"image {image.name}: the folder {Path(rel).parent} "
                                        "of its fileset is not in the pack", Location(file=source)))
        elif (pack / rel).is_file():
            files.append(rel)
        else:
            findings.append(finding(FILE_MISSING, f"image {image.name}: {rel} is not in the pack",
                                    Location(file=source)))
    image.files = list(dict.fromkeys(files))
    return bool(image.files)


def _fill_from_files(pack: Path, images: list[PackImage]) -> None:
    """Pixel size, channels, instrument from the image file's header where the pack does not say them."""
    from depositdesk.imports.rembi_from_images import image_metadata

    for image in images:
        if image.pixel_size_um and image.instrument and any(image.channels):
            continue
        meta = image_metadata(pack / image.files[0])
        image.pixel_size_um = image.pixel_size_um or dict(meta.get("pixel_size_um") or {})
        image.instrument = image.instrument or str(meta.get("instrument") or "")
        if not any(image.channels):
            image.channels = [str(c) for c in meta.get("channels") or []]


def _documents(title: str, description: str, images: list[PackImage], pack: Path,
               project_folder: Path | None, findings: list[Finding]) -> tuple[Idf, Sdrf]:
    from depositdesk.resources.templates import template

    idf, _ = template("imaging").build(title)
    # the template's example descriptions are no facts about this study: left for the curator
    idf.set_records("protocol", [{**p, "Protocol Description": ""} for p in idf.records("protocol")])
    if description:
        idf.set("Experiment Description", [description])
    idf.set("Comment[OMERO pack]", [str(pack.resolve())])
    traits = list(dict.fromkeys(CHARACTERISTICS[k.lower()] for img in images for k in img.attributes
                                if k.lower() in CHARACTERISTICS))
    keys = list(dict.fromkeys(k for img in images for k in img.attributes
                              if k.lower() not in ORGANISM_KEYS and k.lower() not in CHARACTERISTICS))
    header = ["Source Name", "Characteristics[organism]", "Term Source REF", "Term Accession Number",
              *[f"Characteristics[{t}]" for t in traits], "Protocol REF", "Sample Name", "Protocol REF",
              "Assay Name", "Parameter Value[imaging method]", "Term Source REF", "Term Accession Number",
              "Parameter Value[imaging instrument]", "Comment[channel content]", "Comment[voxel size x (µm)]",
              "Comment[voxel size y (µm)]", "Comment[voxel size z (µm)]", "Comment[study component]",
              "Comment[OMERO image id]", *[f"Comment[{k}]" for k in keys], "Image File", "Comment[MD5]"]
    place = _Placer(pack, project_folder)
    rows = []
    for img in images:
        organism = next((v for k, v in img.attributes.items() if k.lower() in ORGANISM_KEYS and v), "")
        taxon = TAXA.get(" ".join(organism.lower().split()))
        by_trait = {CHARACTERISTICS[k.lower()]: v for k, v in img.attributes.items() if k.lower() in CHARACTERISTICS}
        sizes = [_number(img.pixel_size_um.get(axis)) for axis in "xyz"]
        method, accession = img.method
        for rel in img.files:
            rows.append([img.name, organism, "NCBITaxon" if taxon else "", f"NCBITaxon:{taxon}" if taxon else "",
                         *[by_trait.get(t, "") for t in traits], "P-PREP-1", img.name, "P-IMG-1", img.name,
                         method, "FBbi" if accession else "", accession,
                         img.instrument, "; ".join(c for c in img.channels if c), *sizes, img.dataset,
                         img.omero_id, *[img.attributes.get(k, "") for k in keys], place(rel), ""])
    if place.unlinked:
        findings.append(finding(NOT_LINKED, f"{place.unlinked} file(s) could not be hard-linked into "
                                f"{project_folder}/{DATA_FOLDER} ({place.reason}); the rows name them in the pack",
                                Location(file=str(pack))))
    return idf, Sdrf(header, rows)


class _Placer:
    """The SDRF name of a pack file: ``data/<path in the pack>``, hard-linked there when possible."""

    def __init__(self, pack: Path, project_folder: Path | None) -> None:
        self.pack = pack
        self.folder = Path(project_folder) if project_folder is not None else None
        self.unlinked = 0
        self.reason = ""

    def __call__(self, rel: str) -> str:
        if self.folder is None:
            return rel  # only read, no project yet: named as in the pack
        source, dest = self.pack / rel, self.folder / DATA_FOLDER / rel
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not (dest.exists() and os.path.samefile(source, dest)):
                os.link(source, dest)
            return f"{DATA_FOLDER}/{rel}"
        except OSError as exc:
            self.unlinked += 1
            self.reason = self.reason or (exc.strerror or str(exc))
            base = os.path.relpath(self.pack.resolve(), self.folder.resolve())
            return Path(base, rel).as_posix()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.6g}"



def finish(project: Any) -> list[Finding]:
    """After the project is written: its REMBI section, ``.depositdesk/rembi.yaml``, from the images."""
    from depositdesk.imports.rembi_from_images import write_rembi

    try:
        write_rembi(project)
    except OSError as exc:
        return [finding(REMBI_NOT_WRITTEN, f"{exc.strerror or exc}", Location(file=str(project.folder)))]
    return []
