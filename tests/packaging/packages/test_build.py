"""Common package machinery: hostile names refused, nothing outside OUT_DIR, resumable, md5 from cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from depositdesk.magetab.project import Project
from depositdesk.packaging.manifest import read_manifest
from depositdesk.packaging.packages import build
from depositdesk.packaging.packages.build import build_package
from depositdesk.progress import run
from depositdesk.validators.engine import validate_files
from tests.packaging.packages.recipes import example_project

SDRF = "chipseq-dmel.sdrf.txt"


def _rename_in_sdrf(folder: Path, renames: dict[str, str]) -> None:
    path = folder / SDRF
    lines = path.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        out.append("\t".join(renames.get(cell, cell) for cell in line.split("\t")))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _tree(root: Path, skip: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for dirpath, _, files in os.walk(root):
        if Path(dirpath).is_relative_to(skip):
            continue
        for name in files:
            st = os.lstat(Path(dirpath) / name)
            found[str(Path(dirpath, name))] = (st.st_size, st.st_mtime_ns)
    return found


def test_hostile_names_are_refused_and_nothing_is_written_outside(tmp_path: Path) -> None:
    folder = example_project(tmp_path / "proj")
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the package\n")
    (folder / "link.fastq.gz").symlink_to(outside)
    (folder / "Input_rep2.fastq.gz").write_bytes((folder / "input_rep2.fastq.gz").read_bytes())
    _rename_in_sdrf(folder, {"GAF_ChIP_rep1.fastq.gz": "../../etc/passwd",
                             "GAF_ChIP_rep2.fastq.gz": str(outside),
                             "input_rep1.fastq.gz": "link.fastq.gz",
                             "GAF_peaks_rep2.gff3": "Input_rep2.fastq.gz"})
    out = tmp_path / "out"
    before = _tree(tmp_path, out)
    project = Project.open(folder)
    blocked = build_package(project, "geo", out)
    assert not blocked.built and not any(out.iterdir())
    result = build_package(project, "geo", out, force=True)
    assert result.built
    refused = {(f.code, f.message.split("'")[1]) for f in result.findings
               if f.code.startswith("PKG-") and f.code != "PKG-FORCED"}
    assert ("PKG-NAME-UNSAFE", "../../etc/passwd") in refused
    assert ("PKG-NAME-UNSAFE", str(outside)) in refused
    assert ("PKG-SYMLINK-OUTSIDE", "link.fastq.gz") in refused
    collisions = [f for f in result.findings if f.code == "PKG-NAME-COLLISION"]
    assert len(collisions) == 2
    assert all("'input_rep2.fastq.gz'" in f.message and "'Input_rep2.fastq.gz'" in f.message for f in collisions)
    assert _tree(tmp_path, out) == before        # nothing outside OUT_DIR was written or touched
    _, entries = read_manifest(out)
    names = {e.path for e in entries}
    assert not names & {"passwd", "secret.txt", "link.fastq.gz", "input_rep2.fastq.gz", "Input_rep2.fastq.gz"}
    for path in out.rglob("*"):
        assert not path.is_symlink()
        assert "not for the package" not in path.read_bytes().decode("latin-1")
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "PKG-SYMLINK-OUTSIDE" in readme and "PKG-NAME-COLLISION" in readme


def test_control_characters_and_forbidden_characters(tmp_path: Path) -> None:
    folder = example_project(tmp_path / "proj")
    (folder / "my reads.fastq.gz").write_bytes(b"")
    _rename_in_sdrf(folder, {"GAF_ChIP_rep1.fastq.gz": "bad\x07name.fastq.gz",
                             "GAF_ChIP_rep2.fastq.gz": "my reads.fastq.gz"})
    result = build_package(Project.open(folder), "geo", tmp_path / "out")
    codes = {f.code for f in result.findings}
    assert not result.built and {"PKG-NAME-UNSAFE", "PKG-NAME-FORBIDDEN"} <= codes


def test_a_rerun_after_a_crash_finishes_without_redoing_finished_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.open(example_project(tmp_path / "proj"))
    out = tmp_path / "out"

    def crash(*_args: object) -> dict[str, bytes]:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "builder_for", lambda target: crash)
    with pytest.raises(KeyboardInterrupt):
        build_package(project, "geo", out)
    assert not (out / "MANIFEST.tsv").exists() and (out / ".partial" / "done.jsonl").is_file()
    monkeypatch.undo()
    read_calls: list[Path] = []
    monkeypatch.setattr(build, "_md5", lambda p: read_calls.append(p) or "0" * 32)
    result = build_package(project, "geo", out)
    assert result.built and result.reused == 12 and result.linked == 0 and read_calls == []
    assert not (out / ".partial").exists()


def test_md5_of_an_unchanged_file_comes_from_the_validators_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = example_project(tmp_path / "proj")
    project = Project.open(folder)
    reports = run(validate_files(project.data_files(), jobs=1))
    expected = {Path(r.path).name: r.md5 for r in reports}
    monkeypatch.setattr(build, "_md5", lambda p: pytest.fail(f"{p} was read again"))
    result = build_package(project, "geo", tmp_path / "out")
    assert result.built
    assert {e.path: e.md5 for e in result.entries if e.role == "data"} == expected


def test_a_copy_is_verified_when_a_link_is_impossible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.open(example_project(tmp_path / "proj"))

    def no_link(*_args: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(build.os, "link", no_link)
    result = build_package(project, "geo", tmp_path / "out")
    assert result.built and result.copied == 12
    _, entries = read_manifest(tmp_path / "out")
    for entry in entries:
        if entry.role == "data":
            assert (tmp_path / "out" / entry.path).read_bytes() == (project.folder / entry.path).read_bytes()
