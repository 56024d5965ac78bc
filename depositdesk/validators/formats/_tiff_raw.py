"""Microscope originals that are TIFF inside (Zeiss LSM, Aperio SVS, Hamamatsu NDPI, Olympus VSI):
which one a TIFF is, and the pixel size and instrument their own metadata carry (read by tifffile)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tifffile

_MPP = re.compile(r"\|\s*MPP\s*=\s*([0-9.eE+-]+)")
_SCANNER = re.compile(r"\|\s*ScannerType\s*=\s*([^|]+)")


def raw_kind(tif: tifffile.TiffFile, path: Path) -> str:
    """'Zeiss LSM', 'Aperio SVS', 'Hamamatsu NDPI', 'Olympus VSI' or '' for an ordinary TIFF."""
    if tif.is_lsm:
        return "Zeiss LSM"
    if tif.is_svs:
        return "Aperio SVS"
    if tif.is_ndpi:
        return "Hamamatsu NDPI"
    if path.suffix.lower() == ".vsi":  # cellSens VSI is a TIFF whose pixels lie in _name_/stack*/*.ets
        return "Olympus VSI"
    return ""


def raw_pixel_size(tif: tifffile.TiffFile, kind: str) -> dict[str, float]:
    """Pixel size in µm from the format's own metadata ({} when it has none: the caller falls back)."""
    if kind == "Zeiss LSM":
        meta: dict[str, Any] = tif.lsm_metadata or {}
        sizes = {axis: float(meta.get(f"VoxelSize{axis.upper()}") or 0.0) * 1e6 for axis in "xyz"}
        return {axis: um for axis, um in sizes.items() if um > 0}
    if kind == "Aperio SVS":
        match = _MPP.search(tif.pages.first.description or "")
        if match:
            mpp = float(match.group(1))
            return {"x": mpp, "y": mpp} if mpp > 0 else {}
    return {}


def raw_instrument(tif: tifffile.TiffFile, kind: str) -> str:
    if kind == "Zeiss LSM":
        return "Zeiss LSM confocal (LSM file)"
    if kind == "Aperio SVS":
        match = _SCANNER.search(tif.pages.first.description or "")
        return f"Aperio {match.group(1).strip()}" if match else "Aperio slide scanner (SVS file)"
    return ""


def vsi_missing_stack(path: Path) -> str:
    """A VSI's pixels are in the folder _<name>_ beside it; a message when that folder is absent."""
    folder = path.parent / f"_{path.stem}_"
    if folder.is_dir():
        return ""
    return f"the pixel data folder {folder.name}/ (with the .ets files) is not beside the VSI file"
