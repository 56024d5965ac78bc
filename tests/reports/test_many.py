"""`depositdesk check DIR --all` and `depositdesk status DIR --all`: one line per project under a folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from depositdesk.magetab.project import Project
from depositdesk.packaging.status import set_status
from depositdesk.packaging.targets.base import set_project_targets
from depositdesk.resources import examples

EXAMPLE = Path(examples.__file__).parent / "chipseq-dmel"
TITLE = Project.open(EXAMPLE).idf.first("Investigation Title")


def _dd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "depositdesk", *args], capture_output=True, text=True,
                          timeout=120)


def _lab(tmp_path: Path) -> Path:
    """Three projects of one lab: the example (clean, GEO, uploaded), one missing a data file, one unreadable."""
    lab = tmp_path / "lab"
    good = lab / "alice" / "zelda"
    shutil.copytree(EXAMPLE, good)
    set_project_targets(Project.open(good), ["geo"])
    set_status(good, "geo", "uploaded", "test upload")
    broken = lab / "bob" / "broken"
    shutil.copytree(EXAMPLE, broken)
    victim = Project.open(broken).data_files()[0]
    victim.unlink()                                          # a data file named in the SDRF is gone
    (lab / "carol" / "junk").mkdir(parents=True)
    (lab / "carol" / "junk" / "x.idf.txt").write_bytes(b"\x00\xff\xfe not an IDF")
    return lab


def test_check_all_lists_every_project_with_its_counts_and_fails_on_errors(tmp_path: Path) -> None:
    lab = _lab(tmp_path)
    result = _dd("check", str(lab), "--all", "--format", "json")
    assert result.returncode == 1, result.stderr
    lines = {Path(item["project"]).name: item for item in json.loads(result.stdout)}
    assert set(lines) == {"zelda", "broken", "junk"}
    good, broken, junk = lines["zelda"], lines["broken"], lines["junk"]
    assert good["errors"] == 0 and good["targets"] == "geo" and good["status"] == "geo: uploaded"
    assert good["title"] == TITLE
    assert good["files"] > 0 and good["bytes"] > 0
    assert broken["errors"] >= 1
    assert junk["status"] == "unreadable" and "binary" in junk["problem"] and junk["errors"] is None


def test_check_all_text_and_tsv(tmp_path: Path) -> None:
    lab = _lab(tmp_path)
    text = _dd("check", str(lab), "--all")
    out = text.stdout.splitlines()
    assert any(line.startswith(f"alice/zelda: {TITLE}") and "0 errors" in line for line in out)
    assert any(line.startswith("carol/junk: unreadable") for line in out)
    assert out[-1].startswith("3 projects,")
    tsv = _dd("check", str(lab), "--all", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t") == ["project", "title", "targets", "status", "errors", "warnings", "files",
                                  "bytes"]
    assert len(tsv) == 4


def test_status_all_does_not_check_and_a_clean_lab_exits_0(tmp_path: Path) -> None:
    lab = _lab(tmp_path)
    shutil.rmtree(lab / "carol")
    status = _dd("status", str(lab), "--all", "--format", "json")
    assert status.returncode == 0, status.stderr
    items = json.loads(status.stdout)
    assert len(items) == 2 and all(item["errors"] is None for item in items)
    shutil.rmtree(lab / "bob")
    assert _dd("check", str(lab), "--all").returncode == 0


def test_no_projects_or_no_folder_is_a_one_line_error(tmp_path: Path) -> None:
    empty = _dd("check", str(tmp_path), "--all", "--format", "json")
    assert empty.returncode == 2 and "no project" in json.loads(empty.stdout)["error"]
    missing = _dd("status", str(tmp_path / "nope"), "--all")
    assert missing.returncode == 2 and "not a folder" in missing.stderr and "Traceback" not in missing.stderr
    assert _dd("check", str(EXAMPLE), "--format", "tsv").returncode == 2
