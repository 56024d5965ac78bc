"""Reading an omero-cli-transfer ``transfer.xml`` (OME-XML) in one ElementTree pass.

Elements are matched by local name, so any OME schema version reads the same. Read: the
first Project (name, description), the Datasets' ImageRefs, the Instruments (Microscope,
Objectives), each Image (name, InstrumentRef, ObjectiveSettings, Pixels physical sizes
with units, Channels with names, AcquisitionMode, ContrastMethod, AnnotationRefs) and the
StructuredAnnotations (MapAnnotation pairs, Tag, Comment, and the XMLAnnotations of the
``openmicroscopy.org/cli/transfer`` namespace holding ``CLITransferServerPath/Path``).
ome-types reads the same model but takes seconds per thousand images; a 10,000-image pack
is read here in about a second.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

TRANSFER_NS = "openmicroscopy.org/cli/transfer"

# OME Channel AcquisitionMode / ContrastMethod -> FBbi term (labels and ids as in fbbi.owl)
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


@dataclass
class Transfer:
    """What transfer.xml says: the title and description, the images, what has no place."""

    title: str = ""
    description: str = ""
    images: list[PackImage] = field(default_factory=list)
    without_path: list[str] = field(default_factory=list)     # "Image:1 (name)"
    unplaced: list[tuple[int, str]] = field(default_factory=list)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if _local(c.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _text(element: ET.Element | None, name: str) -> str:
    found = _child(element, name) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def read_transfer(path: Path) -> Transfer:
    """The pack's model; ValueError (one line) when the file is not OME-XML."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed XML: {exc}") from None
    if _local(root.tag) != "OME":
        raise ValueError(f"the root element is <{_local(root.tag)}>, not <OME>")
    annotations = _annotations(root)
    datasets = {ref.get("ID", ""): ds.get("Name", "") for ds in _children(root, "Dataset")
                for ref in _children(ds, "ImageRef")}
    instruments = {i.get("ID", ""): i for i in _children(root, "Instrument")}
    out = Transfer()
    for image in _children(root, "Image"):
        out_image = _image(image, annotations, datasets, instruments)
        if out_image.files:
            out.images.append(out_image)
        else:
            out.without_path.append(f"{image.get('ID', '?')} ({image.get('Name', '')})")
    projects, all_datasets = _children(root, "Project"), _children(root, "Dataset")
    top = projects[0] if projects else all_datasets[0] if len(all_datasets) == 1 else None
    if top is not None:
        out.title, out.description = top.get("Name", ""), _text(top, "Description")
    files = sum(1 for kind, _ in annotations.values() if kind == "FileAnnotation")
    for count, what in ((len(_children(root, "ROI")), "ROI(s)"), (len(_children(root, "Plate")), "plate(s)"),
                        (len(_children(root, "Screen")), "screen(s)"), (files, "file annotation(s)")):
        if count:
            out.unplaced.append((count, what))
    return out


def _annotations(root: ET.Element) -> dict[str, tuple[str, object]]:
    """Annotation ID -> (kind, value): pairs of a map, text of a tag/comment, paths of a server path."""
    out: dict[str, tuple[str, object]] = {}
    holder = _child(root, "StructuredAnnotations")
    for ann in holder if holder is not None else []:
        kind, value = _local(ann.tag), _child(ann, "Value")
        content: object = ""
        if kind == "MapAnnotation" and value is not None:
            content = [(m.get("K", "").strip(), (m.text or "").strip()) for m in _children(value, "M")]
        elif kind in ("TagAnnotation", "CommentAnnotation"):
            content = (value.text or "").strip() if value is not None else ""
        elif kind == "XMLAnnotation" and ann.get("Namespace", "") == TRANSFER_NS and value is not None:
            content = [(p.text or "").strip() for holder_el in _children(value, "CLITransferServerPath")
                       for p in _children(holder_el, "Path") if (p.text or "").strip()]
            kind = "ServerPath"
        out[ann.get("ID", "")] = (kind, content)
    return out


def _image(image: ET.Element, annotations: dict[str, tuple[str, object]], datasets: dict[str, str],
           instruments: dict[str, ET.Element]) -> PackImage:
    refs = [annotations[r.get("ID", "")] for r in _children(image, "AnnotationRef") if r.get("ID", "") in annotations]
    files: list[str] = []
    for kind, content in refs:
        if kind == "ServerPath" and isinstance(content, list):
            files += [p.replace("\\", "/").removeprefix("./") for p in content]
    pixels = _child(image, "Pixels")
    channels = _children(pixels, "Channel") if pixels is not None else []
    ident = image.get("ID", "")
    return PackImage(
        name=image.get("Name", "") or (Path(files[0]).name if files else ident), omero_id=ident.split(":")[-1],
        files=list(dict.fromkeys(files)), dataset=datasets.get(ident, ""), attributes=_attributes(refs),
        pixel_size_um=_pixel_size(pixels), channels=[c.get("Name", "") for c in channels],
        instrument=_instrument(image, instruments), method=_method(channels))


def _attributes(refs: list[tuple[str, object]]) -> dict[str, str]:
    """Key-value pairs (first non-blank value of a key), tags joined as 'tag', the first comment."""
    out: dict[str, str] = {}
    tags: list[str] = []
    for kind, content in refs:
        if kind == "MapAnnotation" and isinstance(content, list):
            for key, value in content:
                if key and (value or key not in out):
                    out[key] = value
        elif kind == "TagAnnotation" and content:
            tags.append(str(content))
        elif kind == "CommentAnnotation" and content:
            out.setdefault("comment", str(content))
    if tags:
        out["tag"] = "; ".join(dict.fromkeys(tags))
    return out


def _pixel_size(pixels: ET.Element | None) -> dict[str, float]:
    from depositdesk.validators.formats._tiff_meta import to_um

    sizes: dict[str, float] = {}
    for axis in "XYZ":
        text = pixels.get(f"PhysicalSize{axis}") if pixels is not None else None
        try:
            value = float(text) if text else None
        except ValueError:
            value = None
        um = to_um(value, pixels.get(f"PhysicalSize{axis}Unit", "µm")) if value is not None and pixels is not None \
            else None
        if um is not None:
            sizes[axis.lower()] = um
    return sizes


def _method(channels: list[ET.Element]) -> tuple[str, str]:
    """The FBbi term of the first channel whose AcquisitionMode (else ContrastMethod) maps to one."""
    for channel in channels:
        term = FBBI_BY_MODE.get(channel.get("AcquisitionMode", "")) or \
            FBBI_BY_CONTRAST.get(channel.get("ContrastMethod", ""))
        if term:
            return term
    return "", ""


def _instrument(image: ET.Element, instruments: dict[str, ET.Element]) -> str:
    """'Manufacturer Model, objective ...' of the image's instrument ('' when none)."""
    ref = _child(image, "InstrumentRef")
    inst = instruments.get(ref.get("ID", "")) if ref is not None else None
    if inst is None and len(instruments) == 1:
        inst = next(iter(instruments.values()))
    if inst is None:
        return ""
    parts = []
    mic = _child(inst, "Microscope")
    if mic is not None and (mic.get("Manufacturer") or mic.get("Model")):
        parts.append(" ".join(v for v in (mic.get("Manufacturer"), mic.get("Model")) if v))
    settings = _child(image, "ObjectiveSettings")
    wanted = settings.get("ID") if settings is not None else None
    objectives = [o for o in _children(inst, "Objective") if o.get("ID") == wanted] or _children(inst, "Objective")
    for obj in objectives[:1]:
        bits = [v for v in (obj.get("Manufacturer"), obj.get("Model")) if v]
        for attribute, shown in (("NominalMagnification", "{:g}x"), ("LensNA", "NA {:g}")):
            try:
                bits += [shown.format(float(obj.get(attribute, "")))] if obj.get(attribute) else []
            except ValueError:
                continue
        if bits:
            parts.append("objective " + " ".join(bits))
    return ", ".join(parts)
