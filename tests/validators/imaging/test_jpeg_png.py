"""PNG is accepted but its missing calibration said; JPEG is flagged as a lossy copy."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import codes_of
from imaging_recipes import cut, jpeg, png


def test_png_is_accepted_with_no_pixel_size_reported(tmp_path: Path, check) -> None:
    path = png(tmp_path)
    report = check(path)
    assert report.format == "png"
    assert codes_of(report) == {"IMG-NO-PIXEL-SIZE"}
    assert report.ok  # a warning, not an error
    assert report.stats["shape"] == [64, 64]
    assert report.md5 == hashlib.md5(path.read_bytes()).hexdigest()


def test_png_with_phys_gives_its_pixel_size(tmp_path: Path, check) -> None:
    report = check(png(tmp_path, pixel_size_um=0.5))
    assert report.findings == []
    assert report.stats["pixel_size_um"] == {"x": 0.5, "y": 0.5}


def test_cut_png_is_truncated(tmp_path: Path, check) -> None:
    assert "IMG-TRUNCATED" in codes_of(check(cut(png(tmp_path))))


def test_jpeg_is_lossy(tmp_path: Path, check) -> None:
    path = jpeg(tmp_path)
    report = check(path)
    assert report.format == "jpeg"
    assert codes_of(report) == {"IMG-LOSSY", "IMG-NO-PIXEL-SIZE"}
    assert report.stats["shape"] == [64, 64, 3]
    assert report.md5 == hashlib.md5(path.read_bytes()).hexdigest()


def test_cut_jpeg_is_truncated(tmp_path: Path, check) -> None:
    assert "IMG-TRUNCATED" in codes_of(check(cut(jpeg(tmp_path))))
