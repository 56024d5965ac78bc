"""OME-Zarr (NGFF 0.4 and 0.5): metadata checked, every array present, md5 over a manifest."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import codes_of
from imaging_recipes import ome_zarr, ome_zarr_missing_array

from depositdesk.progress import run
from depositdesk.validators.formats.omezarr import check_store, is_ome_zarr


@pytest.mark.parametrize("version", ["0.4", "0.5"])
def test_valid_store(tmp_path: Path, version: str) -> None:
    path = ome_zarr(tmp_path, version=version)
    assert is_ome_zarr(path)
    report = run(check_store(path))
    assert report.findings == []
    assert report.format == "ome-zarr"
    assert report.stats["ngff"] == version
    assert report.stats["levels"] == 3 and report.stats["axes"] == "cyx"
    assert report.stats["pixel_size_um"] == {"y": 0.5, "x": 0.5}
    assert report.size == sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def test_missing_array(tmp_path: Path) -> None:
    report = run(check_store(ome_zarr_missing_array(tmp_path)))
    assert codes_of(report) == {"IMG-ZARR-ARRAY-MISSING"}
    assert "dataset '2'" in report.findings[0].message
    assert report.stats["levels"] == 2


def test_axes_without_units_and_bad_scale(tmp_path: Path) -> None:
    path = ome_zarr(tmp_path, units=False)
    assert codes_of(run(check_store(path))) == {"IMG-ZARR-AXES"}
    attrs = json.loads((path / ".zattrs").read_text())
    attrs["multiscales"][0]["datasets"][1]["coordinateTransformations"][0]["scale"] = [1.0, 1.0]
    (path / ".zattrs").write_text(json.dumps(attrs))
    assert "IMG-ZARR-TRANSFORM" in codes_of(run(check_store(path)))


def test_plain_zarr_group_is_not_ngff(tmp_path: Path) -> None:
    path = ome_zarr(tmp_path)
    (path / ".zattrs").write_text("{}")
    assert codes_of(run(check_store(path))) == {"IMG-ZARR-NOT-NGFF"}


@pytest.mark.skipif(shutil.which("md5sum") is None, reason="md5sum (coreutils) is not installed")
def test_md5_is_the_documented_manifest_md5(tmp_path: Path) -> None:
    path = ome_zarr(tmp_path, version="0.5")
    report = run(check_store(path))
    shell = ("find . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' md5sum | md5sum")
    done = subprocess.run(["sh", "-c", shell], cwd=path, capture_output=True, text=True, check=True)
    assert report.md5 == done.stdout.split()[0]
    assert len(report.stats["manifest"]) == report.stats["files"] > 3
