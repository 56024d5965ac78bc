"""Microscope originals: sniffed by content, recognised as raw, and what could not be read said."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import codes_of
from imaging_recipes import cut, czi, lif, lsm, nd2, oir, svs

from depositdesk.validators.sniff import sniff


@pytest.mark.parametrize(("recipe", "fmt"), [(czi, "czi"), (lif, "lif"), (nd2, "nd2"), (oir, "oir"),
                                             (lsm, "tiff"), (svs, "tiff")])
def test_sniffed_by_content_even_when_renamed(tmp_path: Path, recipe, fmt: str) -> None:
    path = recipe(tmp_path)
    renamed = path.rename(tmp_path / "exported.dat")
    assert sniff(renamed).format == fmt


def test_czi_pixel_size_and_microscope_read(tmp_path: Path, check) -> None:
    report = check(czi(tmp_path))
    assert report.format == "czi"
    assert codes_of(report) == {"IMG-RAW-ORIGINAL"}
    assert report.stats["pixel_size_um"] == pytest.approx({"x": 0.1, "y": 0.1})
    assert report.stats["instrument"] == "Axio Observer Axio Observer.Z1 / 7"


def test_cut_czi_is_truncated(tmp_path: Path, check) -> None:
    assert "IMG-TRUNCATED" in codes_of(check(cut(czi(tmp_path), 0.5)))


def test_lif_reads_pixel_size_system_and_every_block(tmp_path: Path, check) -> None:
    report = check(lif(tmp_path))
    assert codes_of(report) == {"IMG-RAW-ORIGINAL"}
    assert report.stats["pixel_size_um"]["x"] == pytest.approx(0.1)
    assert report.stats["instrument"] == "Leica TCS SP8"
    assert report.stats["memory_blocks"] == 1
    assert "IMG-TRUNCATED" in codes_of(check(cut(lif(tmp_path, "cut.lif"), 0.9)))


@pytest.mark.parametrize(("recipe", "reader"), [(nd2, "bioio-nd2"), (oir, "bioio-bioformats")])
def test_unread_metadata_is_an_info_naming_the_reader(tmp_path: Path, check, recipe, reader: str) -> None:
    report = check(recipe(tmp_path))
    assert codes_of(report) == {"IMG-RAW-ORIGINAL", "IMG-METADATA-NOT-READ"}
    assert report.ok
    note = next(f for f in report.findings if f.code == "IMG-METADATA-NOT-READ")
    assert reader in note.message and "pixel size and instrument" in note.message


def test_cut_nd2_is_truncated(tmp_path: Path, check) -> None:
    assert "IMG-TRUNCATED" in codes_of(check(cut(nd2(tmp_path), 0.8)))


def test_lsm_through_tifffile(tmp_path: Path, check) -> None:
    report = check(lsm(tmp_path))
    assert report.stats["raw"] == "Zeiss LSM"
    assert report.stats["pixel_size_um"] == pytest.approx({"x": 0.2, "y": 0.2, "z": 1.0})
    assert codes_of(report) == {"IMG-RAW-ORIGINAL"}


def test_svs_through_tifffile(tmp_path: Path, check) -> None:
    report = check(svs(tmp_path))
    assert report.stats["raw"] == "Aperio SVS"
    assert report.stats["pixel_size_um"] == {"x": 0.499, "y": 0.499}
    assert report.stats["instrument"] == "Aperio GT450"
    assert codes_of(report) == {"IMG-RAW-ORIGINAL"}
