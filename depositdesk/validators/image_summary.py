"""What a file list shows of an image: its pixel size and whether it is a lossy copy (no Qt).

Made from a validation report (fresh or from the cache, the same data): the pixel size
from the report's ``pixel_size_um`` statistics (TIFF/OME-TIFF, OME-Zarr, PNG/JPEG,
microscope originals), lossy from the IMG-LOSSY finding. A file that is no image gives
empty values, so a view can leave its cells blank rather than say "none".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

IMAGE_FORMATS = frozenset({"tiff", "png", "jpeg", "ome-zarr", "czi", "lif", "nd2", "oir"})
LOSSY_CODE = "IMG-LOSSY"
NO_PIXEL_SIZE_CODE = "IMG-NO-PIXEL-SIZE"


@dataclass(frozen=True)
class ImageSummary:
    is_image: bool
    pixel_size: str          # "0.65 × 0.65 µm", "none" (an image without one), "" (no image)
    pixel_size_um: dict[str, float]
    lossy: bool | None       # None: no image
    lossy_reason: str        # the IMG-LOSSY message ("series 0: JPEG compression ...")


def image_summary(report: Any) -> ImageSummary:
    """The pixel size and lossiness of one `FileReport` (or its ``to_dict()`` JSON)."""
    data = report if isinstance(report, dict) else report.to_dict()
    fmt = data.get("format")
    stats = data.get("stats") or {}
    findings = data.get("findings") or []
    if fmt not in IMAGE_FORMATS:
        return ImageSummary(False, "", {}, None, "")
    sizes = {k: float(v) for k, v in (stats.get("pixel_size_um") or {}).items()
             if isinstance(v, int | float)}
    lossy = next((f.get("message", "") for f in findings if f.get("code") == LOSSY_CODE), None)
    return ImageSummary(True, format_pixel_size(sizes), sizes, lossy is not None, lossy or "")


def format_pixel_size(sizes: dict[str, float]) -> str:
    """{'x': 0.65, 'y': 0.65} -> '0.65 × 0.65 µm'; {} -> 'none'. Axes in x, y, z order, then the rest."""
    if not sizes:
        return "none"
    order = [a for a in ("x", "y", "z") if a in sizes] + sorted(a for a in sizes if a not in "xyz")
    return " × ".join(f"{sizes[a]:.4g}" for a in order) + " µm"
