"""The pixel size and lossy columns of a file list, from the validation report (fresh or cached)."""

from __future__ import annotations

from pathlib import Path

from imaging_recipes import jpeg_tiff, ome_tiff, ome_tiff_no_pixel_size, ome_zarr

from depositdesk.progress import run
from depositdesk.validators.engine import FileReport, validate_file
from depositdesk.validators.image_summary import image_summary


def _summary(path: Path):
    first = run(validate_file(path))
    again = run(validate_file(path))  # from the cache: the same columns
    assert again.from_cache and image_summary(again) == image_summary(first)
    return image_summary(FileReport.from_dict(first.to_dict()))


def test_pixel_size_and_lossy_of_images(tmp_path: Path) -> None:
    good = _summary(ome_tiff(tmp_path))
    assert good.is_image and good.pixel_size == "0.65 × 0.65 µm" and good.lossy is False
    lossy = _summary(jpeg_tiff(tmp_path))
    assert lossy.lossy is True and "JPEG" in lossy.lossy_reason and lossy.pixel_size == "0.5 × 0.5 µm"
    assert _summary(ome_tiff_no_pixel_size(tmp_path)).pixel_size == "none"
    assert _summary(ome_zarr(tmp_path)).pixel_size == "0.5 × 0.5 µm"


def test_a_file_that_is_no_image_has_blank_columns(tmp_path: Path) -> None:
    text = tmp_path / "notes.dat"
    text.write_bytes(bytes(range(256)))
    summary = _summary(text)
    assert not summary.is_image and summary.pixel_size == "" and summary.lossy is None
