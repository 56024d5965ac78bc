"""`depositdesk validate FILES --target T`: the target's file_rules decide the severities and the exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from imaging_recipes import jpeg_tiff, ome_tiff, ome_tiff_no_pixel_size
from test_zarr_item import cli


def _codes(out: str) -> dict[str, str]:
    return {f["code"]: f["severity"] for r in json.loads(out) for f in r["findings"]}


def test_a_lossy_tiff_is_a_warning_alone_and_an_error_for_bia_and_idr(tmp_path: Path, capsys) -> None:
    path = str(jpeg_tiff(tmp_path))
    code, out, _ = cli(capsys, path, "--format", "json", "--no-cache")
    assert code == 0 and _codes(out) == {"IMG-LOSSY": "warning"}
    for target in ("bia", "idr"):
        code, out, _ = cli(capsys, path, "--format", "json", "--target", target)
        assert code == 1 and _codes(out) == {"IMG-LOSSY": "error"}
    code, out, _ = cli(capsys, path, "--format", "json", "--target", "zenodo")
    assert code == 0 and _codes(out) == {"IMG-LOSSY": "warning"}


def test_no_pixel_size_is_an_error_for_idr_and_the_text_says_why(tmp_path: Path, capsys) -> None:
    path = str(ome_tiff_no_pixel_size(tmp_path))
    assert cli(capsys, path)[0] == 0
    code, out, _ = cli(capsys, path, "--target", "idr")
    assert code == 1
    assert "ERROR   IMG-NO-PIXEL-SIZE" in out
    assert "1 with errors" in out and "severities as the target idr gives them" in out


def test_the_most_severe_of_several_targets_wins_and_good_files_stay_good(tmp_path: Path, capsys) -> None:
    lossy, good = str(jpeg_tiff(tmp_path)), str(ome_tiff(tmp_path))
    code, out, _ = cli(capsys, lossy, good, "--format", "json", "--target", "zenodo", "--target", "bia")
    reports = {Path(r["path"]).name: r for r in json.loads(out)}
    assert code == 1
    assert [f["severity"] for f in reports["lossy.tif"]["findings"]] == ["error"]
    assert reports["cells.ome.tif"]["findings"] == []


def test_an_unknown_target_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, str(ome_tiff(tmp_path)), "--target", "nowhere")
    assert code == 2 and out == ""
    assert err.startswith("depositdesk validate: unknown target 'nowhere' (known: ") and err.count("\n") == 1
