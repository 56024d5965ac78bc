"""`depositdesk check --target` and `depositdesk targets` as a person runs them; targets.json."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from depositdesk.magetab.project import Project
from depositdesk.packaging.targets import (
    TargetError,
    get_target,
    project_targets,
    required_headings,
    set_project_targets,
)
from depositdesk.packaging.targets.base import heading_key
from depositdesk.resources.examples import EXAMPLE_PROJECT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("DEPOSITDESK_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "depositdesk", *args], capture_output=True, text=True,
                          timeout=300, env=env)


def test_example_passes_geo_and_zenodo_on_the_command_line() -> None:
    done = _run("check", str(EXAMPLE_PROJECT), "--target", "geo", "--target", "zenodo", "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []
    assert project_targets(Project.open(EXAMPLE_PROJECT)) == ["geo"]


def test_check_with_several_targets_lists_real_gaps_with_locations() -> None:
    done = _run("check", str(EXAMPLE_PROJECT), "--target", "geo", "--target", "sra", "--format", "json")
    assert done.returncode == 1
    found = json.loads(done.stdout)
    assert {f["code"] for f in found} >= {"SRA-COLUMN-MISSING", "SRA-VOCABULARY", "SRA-BIOSAMPLE-MISSING"}
    assert not any(f["code"].startswith("GEO-") for f in found)
    vocab = next(f for f in found if f["code"] == "SRA-VOCABULARY")
    assert vocab["location"]["row"] == 1 and vocab["location"]["column_name"] == "Comment[LIBRARY_LAYOUT]"
    assert vocab["suggestion"] == "Write 'single' exactly."


def test_unknown_target_is_one_line_listing_the_known_ones() -> None:
    done = _run("check", str(EXAMPLE_PROJECT), "--target", "nosuchrepo")
    assert done.returncode == 2 and done.stdout == ""
    [line] = done.stderr.strip().splitlines()
    assert "unknown target 'nosuchrepo'" in line and "geo" in line and "zenodo" in line


def test_targets_command_lists_every_target() -> None:
    done = _run("targets", "--format", "json")
    assert done.returncode == 0
    rows = {row["name"]: row for row in json.loads(done.stdout)}
    assert {"geo", "sra", "ena", "bia", "zenodo", "idr", "dbgap"} <= set(rows)
    assert rows["dbgap"]["access"] == "controlled" and rows["zenodo"]["limits"]["max_files"] == 100
    text = _run("targets").stdout
    assert "GEO" in text and "Dec 17, 2024" in text and "[controlled access]" in text


def test_targets_json_round_trip_and_errors(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    shutil.copytree(EXAMPLE_PROJECT, folder)
    project = Project.open(folder)
    set_project_targets(project, ["GEO", "zenodo", "geo"])
    assert project_targets(project) == ["geo", "zenodo"]
    assert json.loads((folder / ".depositdesk" / "targets.json").read_text()) == {"targets": ["geo", "zenodo"]}
    with pytest.raises(TargetError, match="unknown target 'nope'"):
        set_project_targets(project, ["nope"])
    (folder / ".depositdesk" / "targets.json").write_text("{not json")
    with pytest.raises(TargetError, match="not readable JSON"):
        project_targets(project)
    shutil.rmtree(folder / ".depositdesk")
    assert project_targets(Project.open(folder)) == []


def test_required_headings_carry_the_targets_wording() -> None:
    marks = required_headings(["geo", get_target("sra")])
    assert marks[heading_key("Comment[LIBRARY_STRATEGY]")] == "GEO: *library strategy; SRA: library_strategy"
    assert "one of group" in marks[heading_key("Characteristics[organism part]")]
    assert heading_key("Characteristics[genotype]") not in marks   # optional in GEO
