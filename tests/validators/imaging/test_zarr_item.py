"""An OME-Zarr folder is one item of `depositdesk validate`: checked whole, md5 of its manifest."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from imaging_recipes import bioformats2raw_zarr, ome_zarr, ome_zarr_missing_array, plain_tiff

from depositdesk.validators.commands import register
from depositdesk.validators.engine import expand_paths


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``depositdesk validate ARGS`` through its own parser; (exit code, stdout, stderr)."""
    parser = argparse.ArgumentParser(prog="depositdesk")
    register(parser.add_subparsers())
    namespace = parser.parse_args(["validate", *args])
    code = namespace.func(namespace)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_store_given_is_one_item_with_the_manifest_md5(tmp_path: Path, capsys) -> None:
    store = ome_zarr(tmp_path, version="0.5")
    code, out, _ = cli(capsys, str(store), "--format", "json", "--jobs", "1")
    [report] = json.loads(out)
    assert code == 0 and report["format"] == "ome-zarr" and report["findings"] == []
    lines = "".join(f"{md5}  {rel}\n" for rel, md5 in sorted(report["stats"]["manifest"].items(),
                                                           key=lambda kv: kv[0].encode()))
    assert report["md5"] == hashlib.md5(lines.encode()).hexdigest()
    assert report["size"] == sum(p.stat().st_size for p in store.rglob("*") if p.is_file())


def test_a_missing_array_fails_through_the_cli(tmp_path: Path, capsys) -> None:
    store = ome_zarr_missing_array(tmp_path)
    code, out, _ = cli(capsys, str(store), "--jobs", "1")
    assert code == 1
    assert "IMG-ZARR-ARRAY-MISSING" in out and "dataset '2'" in out
    assert out.strip().endswith("1 file: 1 with errors, 0 with warnings only")


def test_a_folder_walk_keeps_stores_whole(tmp_path: Path, capsys) -> None:
    study = tmp_path / "study"
    (study / "plate1").mkdir(parents=True)
    plain_tiff(study)
    ome_zarr(study / "plate1", "A1.zarr")
    ome_zarr_missing_array(study / "plate1")
    bare = ome_zarr(study, "unnamed")  # no .zarr suffix, but a .zgroup: a store all the same
    items = expand_paths([study])
    assert [p.relative_to(study).as_posix() for p in items] == [
        "plain.tif", "unnamed", "plate1/A1.zarr", "plate1/incomplete.zarr"]
    assert bare in items
    code, out, _ = cli(capsys, str(study), "--format", "json")  # a pool of workers, as by default
    reports = {Path(r["path"]).name: r for r in json.loads(out)}
    assert code == 1
    assert reports["A1.zarr"]["findings"] == [] and reports["unnamed"]["format"] == "ome-zarr"
    assert [f["code"] for f in reports["incomplete.zarr"]["findings"]] == ["IMG-ZARR-ARRAY-MISSING"]


def test_an_unchanged_store_comes_from_the_cache_and_a_changed_one_is_read(tmp_path: Path, capsys) -> None:
    store = ome_zarr(tmp_path)
    first = json.loads(cli(capsys, str(store), "--format", "json", "--jobs", "1")[1])[0]
    again = json.loads(cli(capsys, str(store), "--format", "json", "--jobs", "1")[1])[0]
    assert not first["from_cache"] and again["from_cache"] and again["md5"] == first["md5"]
    shutil.rmtree(store / "1")
    code, out, _ = cli(capsys, str(store), "--format", "json", "--jobs", "1")
    changed = json.loads(out)[0]
    assert code == 1 and not changed["from_cache"] and changed["md5"] != first["md5"]


def test_a_bioformats2raw_store_is_checked_series_by_series(tmp_path: Path, capsys) -> None:
    store = bioformats2raw_zarr(tmp_path)
    code, out, _ = cli(capsys, str(store), "--format", "json", "--jobs", "1")
    [report] = json.loads(out)
    assert code == 0 and report["findings"] == []
    assert report["stats"]["layout"] == "bioformats2raw" and report["stats"]["series"] == 2
    assert report["stats"]["pixel_size_um"] == {"y": 0.5, "x": 0.5}
    broken = bioformats2raw_zarr(tmp_path, "broken.zarr", missing_series=True)
    code, out, _ = cli(capsys, str(broken), "--format", "json", "--jobs", "1")
    [report] = json.loads(out)
    assert code == 1 and [f["code"] for f in report["findings"]] == ["IMG-ZARR-ARRAY-MISSING"]
    assert "series '1'" in report["findings"][0]["message"]
