"""TIFF / BigTIFF / OME-TIFF: each recipe fixture gives the finding a curator must see, by code."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import tifffile
from conftest import codes_of
from imaging_recipes import (
    bigtiff,
    companion_fileset,
    compressed_tiff,
    damaged_tiff,
    fileset,
    jpeg_tiff,
    no_ifd_tiff,
    ome_tiff,
    ome_tiff_no_pixel_size,
    pyramid_ome_tiff,
    truncated_tiff,
)

from depositdesk.findings import Severity


def test_valid_ome_tiff_has_no_findings_and_reports_what_a_file_list_shows(tmp_path: Path, check) -> None:
    path = ome_tiff(tmp_path)
    report = check(path)
    assert report.format == "tiff"
    assert report.findings == []
    assert report.md5 == hashlib.md5(path.read_bytes()).hexdigest()
    stats = report.stats
    assert stats["pixel_size_um"] == {"x": 0.65, "y": 0.65}
    assert stats["instrument"].startswith("Zeiss LSM 980, objective")
    assert "63x NA 1.4" in stats["instrument"]
    assert stats["channels"] == ["DAPI", "GFP"]
    assert stats["compression"] == ["NONE"]
    assert (stats["axes"], stats["shape"], stats["dtype"]) == ("CYX", [2, 64, 64], "uint16")


def test_ome_tiff_without_pixel_size(tmp_path: Path, check) -> None:
    report = check(ome_tiff_no_pixel_size(tmp_path))
    assert codes_of(report) == {"IMG-NO-PIXEL-SIZE"}
    assert report.stats["pixel_size_um"] == {}
    assert report.worst == Severity.WARNING  # BIA/IDR raise it to an error through file_rules


def test_jpeg_compressed_tiff_is_lossy(tmp_path: Path, check) -> None:
    report = check(jpeg_tiff(tmp_path))
    assert codes_of(report) == {"IMG-LOSSY"}
    lossy = next(f for f in report.findings if f.code == "IMG-LOSSY")
    assert lossy.severity == Severity.WARNING and "JPEG" in lossy.message
    assert report.stats["compression"] == ["JPEG"]


def test_truncated_in_last_strip(tmp_path: Path, check) -> None:
    report = check(truncated_tiff(tmp_path))
    assert "IMG-TRUNCATED" in codes_of(report)
    message = next(f.message for f in report.findings if f.code == "IMG-TRUNCATED")
    assert "strip 3 of 4" in message
    assert not report.ok


def test_bigtiff(tmp_path: Path, check) -> None:
    report = check(bigtiff(tmp_path))
    assert report.findings == []
    assert report.stats["bigtiff"] is True
    assert report.stats["pixel_size_um"] == {"x": 0.5, "y": 0.5}
    assert report.stats["instrument"] == "Nikon Ti2-E"


def test_pyramidal_ome_tiff_reads_every_level(tmp_path: Path, check) -> None:
    report = check(pyramid_ome_tiff(tmp_path))
    assert report.stats["levels"] == 3
    assert report.stats["compression"] == ["ADOBE_DEFLATE"]
    assert report.stats["pixel_size_um"] == {"x": 0.25, "y": 0.25}
    assert codes_of(report) == {"IMG-NO-INSTRUMENT"}  # tifffile's OME writer names no microscope


def test_fileset_with_a_missing_file(tmp_path: Path, check) -> None:
    first, second = fileset(tmp_path)
    report = check(first)
    assert codes_of(report) == {"IMG-FILESET-INCOMPLETE"}
    assert second.name in report.findings[0].message


def test_complete_fileset_passes_and_a_foreign_member_is_caught(tmp_path: Path, check) -> None:
    first, second = fileset(tmp_path, missing=False)
    assert check(first).findings == []
    other = tmp_path / "other"
    other.mkdir()
    foreign = fileset(other, missing=False)[1]
    second.write_bytes(foreign.read_bytes())  # same name, from another export
    assert codes_of(check(first)) == {"IMG-FILESET-UUID"}


def test_a_damaged_strip_cannot_be_decoded(tmp_path: Path, check) -> None:
    assert codes_of(check(damaged_tiff(tmp_path))) == {"IMG-DECODE"}


def test_uncalibrated_and_default_dpi_tiffs(tmp_path: Path, check) -> None:
    none = tmp_path / "none.tif"
    tifffile.imwrite(none, plain_tiff_data(), metadata=None)
    assert {"IMG-NO-PIXEL-SIZE", "IMG-NO-INSTRUMENT"} <= codes_of(check(none))
    dpi = tmp_path / "dpi.tif"
    tifffile.imwrite(dpi, plain_tiff_data(), metadata=None, resolution=(72, 72), resolutionunit="INCH")
    assert "IMG-PIXEL-SIZE-IMPLAUSIBLE" in codes_of(check(dpi))


def test_imagej_calibration_in_micron(tmp_path: Path, check) -> None:
    path = tmp_path / "fiji.tif"
    tifffile.imwrite(path, plain_tiff_data(), imagej=True, resolution=(1 / 0.1, 1 / 0.1),
                     metadata={"unit": "micron", "spacing": 0.5})
    report = check(path)
    assert report.stats["pixel_size_um"]["x"] == 0.1
    assert "IMG-NO-PIXEL-SIZE" not in codes_of(report)


def test_invalid_ome_xml(tmp_path: Path, check) -> None:
    path = tmp_path / "bad.ome.tif"
    xml = ('<?xml version="1.0" encoding="UTF-8"?><OME xmlns="http://www.openmicroscopy.org/Schemas/OME/'
           '2016-06"><Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint8" '
           'SizeX="64" SizeY="64" SizeZ="1" SizeC="1" SizeT="1" Bogus="1"><TiffData/></Pixels></Image></OME>')
    tifffile.imwrite(path, plain_tiff_data(), description=xml.encode(), metadata=None)
    assert "IMG-OME-XML-INVALID" in codes_of(check(path))


def test_header_pointing_past_the_end(tmp_path: Path, check) -> None:
    path = no_ifd_tiff(tmp_path)
    report = check(path)
    assert codes_of(report) == {"IMG-UNREADABLE"}
    assert "past the end of the file" in report.findings[0].message
    assert report.md5 == hashlib.md5(path.read_bytes()).hexdigest()


def plain_tiff_data():
    import numpy as np
    return np.arange(64 * 64, dtype=np.uint8).reshape(64, 64)


@pytest.mark.parametrize(("compression", "args", "lossy"), [
    ("jpeg2000", {"level": 30}, "irreversible 9-7 wavelet"),
    ("jpeg2000", {"reversible": True}, None),
    ("webp", {"level": 80, "lossless": False}, "WebP compression (lossy)"),
    ("webp", {"lossless": True}, None),
    ("jpegxl", {"lossless": True}, "may be lossy"),
    ("zstd", {}, None),
])
def test_lossy_told_from_lossless_by_the_codestream(tmp_path: Path, check, compression: str,
                                                    args: dict[str, object], lossy: str | None) -> None:
    report = check(compressed_tiff(tmp_path, f"{compression}.tif", compression, args))
    if lossy is None:
        assert report.findings == []
    else:
        assert codes_of(report) == {"IMG-LOSSY"}
        assert lossy in report.findings[0].message


def test_binary_only_fileset_reads_its_companion(tmp_path: Path, check) -> None:
    report = check(companion_fileset(tmp_path))
    assert report.findings == []
    assert report.stats["pixel_size_um"] == {"x": 0.65, "y": 0.65}
    assert report.stats["instrument"].startswith("Zeiss LSM 980, objective")
    assert report.stats["fileset"] == ["cmp_c0.ome.tif", "cmp_c1.ome.tif"]


@pytest.mark.parametrize("missing", ["companion", "c1"])
def test_binary_only_fileset_with_a_file_missing(tmp_path: Path, check, missing: str) -> None:
    report = check(companion_fileset(tmp_path, missing=missing))
    assert codes_of(report) == {"IMG-FILESET-INCOMPLETE"}
