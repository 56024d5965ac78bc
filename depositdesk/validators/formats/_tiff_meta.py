"""What a TIFF says about its pixels: pixel size, instrument, channels, OME-XML, the fileset.

Pure functions over an open `tifffile.TiffFile`; each returns values for the
statistics and appends (code, message) pairs for the findings. Pixel sizes are
given in micrometres whatever the file's unit.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import tifffile

from depositdesk.validators.formats import _image_codes as C

Problem = tuple[str, str]

_TO_UM = {"pm": 1e-6, "å": 1e-4, "Å": 1e-4, "angstrom": 1e-4, "nm": 1e-3, "nanometer": 1e-3,
          "µm": 1.0, "μm": 1.0, "um": 1.0, "micron": 1.0, "microns": 1.0, "micrometer": 1.0,
          "\\u00b5m": 1.0, "mm": 1e3, "millimeter": 1e3, "cm": 1e4, "centimeter": 1e4,
          "m": 1e6, "meter": 1e6}
PLAUSIBLE_UM = (1e-5, 1e4)  # 0.01 nm (electron microscopy) .. 1 cm (a slide overview)
_DPI_DEFAULTS = {72.0, 96.0, 150.0, 300.0, 600.0}
_ROOT_UUID = re.compile(r"<OME\b[^>]*?\bUUID=\"([^\"]+)\"", re.S)


def to_um(value: float, unit: str | None) -> float | None:
    if unit is None:
        return None
    factor = _TO_UM.get(unit.strip().lower()) or _TO_UM.get(unit.strip())
    return None if factor is None else value * factor


def parse_ome(tif: tifffile.TiffFile, problems: list[Problem]) -> Any | None:
    """The OME model of an OME-TIFF (ome-types, schema-validated), or None with a finding."""
    xml = tif.ome_metadata
    return parse_xml(xml, "the OME-XML", problems) if xml else None


def parse_xml(xml: str, what: str, problems: list[Problem]) -> Any | None:
    import ome_types  # imported here: it is slow to import and only OME-TIFFs need it

    # xsdata warns (on stderr) of each value it cannot convert; the schema validation reports them
    warnings.filterwarnings("ignore", module="xsdata")
    try:
        return ome_types.from_xml(xml, validate=True)
    except Exception as exc:  # xmlschema/pydantic/lxml raise many types; all mean "not valid"
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        problems.append((C.OME_XML_INVALID, f"{what} does not validate against the OME schema: {first}"))
        try:
            return ome_types.from_xml(xml, validate=False)
        except Exception:
            return None


def companion(path: Path, ome: Any, problems: list[Problem]) -> Any | None:
    """A BinaryOnly OME-TIFF keeps its metadata in a companion .companion.ome file: read that one."""
    binary = ome.binary_only
    if binary is None or not binary.metadata_file:
        return None
    other = path.parent / binary.metadata_file
    if not other.is_file():
        problems.append((C.FILESET_INCOMPLETE, f"the companion metadata file {binary.metadata_file} "
                         f"(named by this file's BinaryOnly OME-XML) is not in {path.parent}"))
        return None
    try:
        xml = other.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append((C.OME_XML_INVALID, f"the companion file {other.name} cannot be read: {exc}"))
        return None
    return parse_xml(xml, f"the companion file {other.name}", problems)


def ome_pixel_size(ome: Any, problems: list[Problem]) -> dict[str, float]:
    """Pixel size (µm) of the first image, with findings for every image that lacks X/Y."""
    first: dict[str, float] = {}
    for i, image in enumerate(ome.images):
        px = image.pixels
        sizes: dict[str, float] = {}
        for axis in "xyz":
            value = getattr(px, f"physical_size_{axis}")
            unit = getattr(px, f"physical_size_{axis}_unit")
            if value is None:
                continue
            um = to_um(float(value), getattr(unit, "value", unit))
            if um is not None:
                sizes[axis] = um
        name = f"image {i} ({image.name})" if image.name else f"image {i}"
        if "x" not in sizes or "y" not in sizes:
            problems.append((C.NO_PIXEL_SIZE, f"{name}: OME PhysicalSizeX/PhysicalSizeY are not set"))
        else:
            _plausible(sizes, name, problems)
        if i == 0:
            first = sizes
    return first


def tiff_pixel_size(tif: tifffile.TiffFile, problems: list[Problem]) -> dict[str, float]:
    """Pixel size (µm) from ImageJ metadata or the TIFF resolution tags of the first page."""
    page = tif.pages.first
    ij = tif.imagej_metadata or {}
    xres, yres = page.tags.valueof("XResolution"), page.tags.valueof("YResolution")
    unit_tag = page.tags.valueof("ResolutionUnit")
    sizes: dict[str, float] = {}
    if ij.get("unit") and xres and yres:
        unit = str(ij["unit"])
        x, y = _per_unit(xres), _per_unit(yres)
        if unit.lower() in ("pixel", "pixels", ""):
            problems.append((C.NO_PIXEL_SIZE, "ImageJ metadata has unit 'pixel': the image is not calibrated"))
            return {}
        if x and y and to_um(1 / x, unit) is not None:
            sizes = {"x": to_um(1 / x, unit) or 0.0, "y": to_um(1 / y, unit) or 0.0}
            if ij.get("spacing"):
                sizes["z"] = to_um(float(ij["spacing"]), unit) or 0.0
        else:
            problems.append((C.NO_PIXEL_SIZE, f"ImageJ metadata has an unknown unit {unit!r}"))
            return {}
    elif xres and yres and unit_tag in (2, 3):
        per = 25400.0 if unit_tag == 2 else 10000.0  # µm per inch / per centimetre
        x, y = _per_unit(xres), _per_unit(yres)
        if not x or not y:
            problems.append((C.NO_PIXEL_SIZE, "the TIFF resolution tags are zero"))
            return {}
        sizes = {"x": per / x, "y": per / y}
        if unit_tag == 2 and x in _DPI_DEFAULTS:
            problems.append((C.PIXEL_SIZE_IMPLAUSIBLE, f"the resolution is {x:g} dpi, a screen or print "
                             "default rather than a microscope calibration"))
            return sizes
    else:
        why = ("the TIFF resolution tags have no unit (ResolutionUnit = none)" if xres and unit_tag == 1
               else "there are neither OME nor ImageJ metadata nor TIFF resolution tags")
        problems.append((C.NO_PIXEL_SIZE, why))
        return {}
    _plausible(sizes, "the image", problems)
    return sizes


def _per_unit(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 2:
        return value[0] / value[1] if value[1] else 0.0
    return float(value or 0.0)


def _plausible(sizes: dict[str, float], name: str, problems: list[Problem]) -> None:
    low, high = PLAUSIBLE_UM
    for axis, um in sizes.items():
        if not low <= um <= high:
            problems.append((C.PIXEL_SIZE_IMPLAUSIBLE, f"{name}: pixel size {axis} = {um:g} µm lies outside "
                             f"{low:g}..{high:g} µm"))


def instrument(tif: tifffile.TiffFile, ome: Any | None) -> str:
    """'Manufacturer Model, objective ...' from OME, else the TIFF Make/Model tags; '' when none."""
    if ome is not None:
        for inst in ome.instruments:
            parts = []
            mic = inst.microscope
            if mic is not None and (mic.manufacturer or mic.model):
                parts.append(" ".join(p for p in (mic.manufacturer, mic.model) if p))
            for obj in inst.objectives[:1]:
                bits = [b for b in (obj.manufacturer, obj.model) if b]
                if obj.nominal_magnification:
                    bits.append(f"{obj.nominal_magnification:g}x")
                if obj.lens_na:
                    bits.append(f"NA {obj.lens_na:g}")
                if bits:
                    parts.append("objective " + " ".join(bits))
            if parts:
                return ", ".join(parts)
    page = tif.pages.first
    make, model = page.tags.valueof("Make"), page.tags.valueof("Model")
    return " ".join(str(v).strip() for v in (make, model) if v and str(v).strip())


def channels(ome: Any, problems: list[Problem]) -> list[str]:
    """Channel names of the first image; a finding per image with unnamed channels."""
    names: list[str] = []
    for i, image in enumerate(ome.images):
        chans = image.pixels.channels
        unnamed = [str(j) for j, ch in enumerate(chans) if not (ch.name or "").strip()]
        if unnamed and (len(chans) > 1 or image.pixels.size_c > 1):
            problems.append((C.CHANNEL_UNNAMED, f"image {i}: channel(s) {', '.join(unnamed)} of {len(chans)} "
                             "have no Name"))
        if i == 0:
            names = [ch.name or "" for ch in chans]
    return names


def fileset(path: Path, ome: Any, problems: list[Problem], own: str | None = None) -> list[str]:
    """Check every file the OME-XML's TiffData references: present, and with the UUID named."""
    own = own or ome.uuid
    referenced: dict[str, str] = {}
    for image in ome.images:
        for block in image.pixels.tiff_data_blocks:
            if block.uuid is not None and block.uuid.file_name:
                referenced.setdefault(block.uuid.file_name, block.uuid.value)
    for name, uuid in sorted(referenced.items()):
        other = path.parent / name
        if other.resolve() == path.resolve():
            if own and uuid != own:
                problems.append((C.FILESET_UUID, f"the OME-XML names this file {name} with UUID {uuid}, "
                                 f"its own UUID is {own}"))
            continue
        if not other.is_file():
            problems.append((C.FILESET_INCOMPLETE, f"{name} (referenced by the OME-XML, {uuid}) is not "
                             f"in {path.parent}"))
            continue
        found = _root_uuid(other)
        if found is not None and found != uuid:
            problems.append((C.FILESET_UUID, f"{name} has UUID {found}, the OME-XML expects {uuid}"))
    return sorted(referenced)


def _root_uuid(path: Path) -> str | None:
    try:
        with tifffile.TiffFile(path) as other:
            xml = other.pages.first.description or ""
    except Exception:  # an unreadable fileset member is its own file's finding
        return None
    match = _ROOT_UUID.search(xml)
    return match.group(1) if match else None
