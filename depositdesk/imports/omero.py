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
from pathlib import Path
from typing import Any

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.imports import codes as import_codes
from depositdesk.imports._omero_xml import PackImage, read_transfer
from depositdesk.imports.isatab import Imported
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf

PART = "imports"
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
    where = Location(file=TRANSFER_XML)
    try:
        transfer = read_transfer(pack / TRANSFER_XML)
    except (ValueError, OSError) as exc:
        findings.append(finding(XML_INVALID, f"{TRANSFER_XML}: {exc}", where))
        return "", "", []
    for image in transfer.without_path:
        findings.append(finding(NO_PATH, f"image {image} has no file path", where))
    for count, what in transfer.unplaced:
        findings.append(finding(import_codes.UNPLACED, f"{count} {what} of the pack are not imported "
                                "(the project lists images only)", where))
    return transfer.title, transfer.description, transfer.images


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
            found = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()
                           and p.relative_to(pack).as_posix() not in (TRANSFER_XML, SUBMISSION_TSV)) \
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
