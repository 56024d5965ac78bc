"""A project: a folder with an IDF, its SDRF file(s) and a hidden state folder ``.depositdesk/``.

Saving is atomic per project (`commit`: every file written beside, one
commit record, then the renames), so a crash leaves the IDF and SDRF of one
save, never a mix. Unsaved edits are journalled into ``.depositdesk/journal/``
with the saved generation they extend; a later open offers to recover a
journal only if it extends the files on disk (never one older than them). Data files named in the SDRF are only
ever read: nothing here writes to them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Sequence
from glob import escape as glob_escape
from pathlib import Path

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab import codes
from depositdesk.magetab.commit import (
    commit,
    new_generation,
    part_path,
    saved_generation,
    write_part,
)
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.idf_reader import read_idf
from depositdesk.magetab.opening import open_path
from depositdesk.magetab.reader import read_sdrf
from depositdesk.magetab.sdrf import Sdrf, SdrfChange
from depositdesk.magetab.textio import atomic_write

STATE_FOLDER = ".depositdesk"
JOURNAL_MANIFEST = "journal.json"

__all__ = ["Project", "ProjectError", "STATE_FOLDER"]


class Project:
    """The documents of one submission and the folder they live in."""

    def __init__(self, folder: Path, idf: Idf, idf_path: Path, sdrfs: Sequence[Sdrf],
                 read_findings: Sequence[Finding] = (), idf_made_up: bool = False, unsaved: bool = False) -> None:
        self.folder = Path(folder)
        self.idf = idf
        self.idf_path = Path(idf_path)
        self.idf.path = self.idf_path
        self.sdrfs: list[Sdrf] = list(sdrfs)
        self.read_findings: list[Finding] = list(read_findings)
        self.idf_made_up = idf_made_up
        self.dirty = idf_made_up or unsaved
        self.generation = saved_generation(self.folder)   # the saved version the documents are
        self._watch()

    # --- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> Project:
        """A folder with one IDF, an IDF, an SDRF (IDF made up) or an .xlsx workbook."""
        opened = open_path(Path(path))
        project = cls(opened.folder, opened.idf, opened.idf_path, opened.sdrfs, opened.findings,
                      idf_made_up=opened.idf_made_up, unsaved=opened.unsaved)
        project._remove_unfinished_writes()
        if project.has_journal():
            project.read_findings.append(finding(codes.PROJECT_JOURNAL, location=Location(
                file=str(project.journal_folder.relative_to(project.folder)))))
        return project

    @classmethod
    def create(cls, folder: Path, idf: Idf, sdrfs: Sequence[Sdrf]) -> Project:
        """Make a new project folder and save the documents into it."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        title = idf.first("Investigation Title") or folder.name
        stem = _slug(title)
        for i, sdrf in enumerate(sdrfs):
            name = sdrf.path.name if sdrf.path is not None else f"{stem}{'' if i == 0 else f'-{i + 1}'}.sdrf.txt"
            sdrf.path = folder / name
        idf.set("SDRF File", [s.path.name for s in sdrfs if s.path is not None])
        project = cls(folder, idf, folder / f"{stem}.idf.txt", sdrfs)
        project.save()
        return project

    def _remove_unfinished_writes(self) -> None:
        """Delete ``.<name>.*.part`` files a crashed save left beside our documents (never data files)."""
        names = [self.idf_path.name] + [s.path.name for s in self.sdrfs if s.path is not None]
        for name in names:
            for leftover in self.folder.glob(f".{glob_escape(name)}.*.part"):
                leftover.unlink(missing_ok=True)

    # --- watching edits ------------------------------------------------------------------------
    def _watch(self) -> None:
        self.idf.subscribe(self._idf_changed)
        for sdrf in self.sdrfs:
            sdrf.subscribe(self._sdrf_changed)

    def _idf_changed(self, _field: str) -> None:
        self.dirty = True

    def _sdrf_changed(self, phase: str, _change: SdrfChange) -> None:
        if phase == "after":
            self.dirty = True

    # --- saving --------------------------------------------------------------------------------
    def save(self) -> None:
        """Write every SDRF, then the IDF, each atomically; then drop the journal."""
        protected = set(self.data_files())
        targets = [s.path for s in self.sdrfs] + [self.idf_path]
        for target in targets:
            if target is None:
                raise ProjectError("an SDRF of this project has no file name")
            if target in protected:
                raise ProjectError(f"{target.name} is a data file named in the SDRF; it is never written")
        generation = new_generation()
        writes = [(s.path, s.to_text()) for s in self.sdrfs if s.path is not None]
        writes.append((self.idf_path, self.idf.to_text()))
        try:
            self.state_folder.mkdir(exist_ok=True)
            for target, text in writes:
                write_part(target, text, generation)
            commit(self.folder, generation, [target for target, _ in writes])
        except OSError as exc:
            for target, _ in writes:
                with contextlib.suppress(OSError):
                    part_path(target, generation).unlink(missing_ok=True)
            raise ProjectError(f"the project could not be saved in {self.folder}: {exc.strerror or exc}") from exc
        self.generation = generation
        self.discard_journal()
        self.dirty = False
        self.idf_made_up = False
        self.read_findings = [f for f in self.read_findings if not f.code.startswith("MAGETAB-")
                              and f.code not in (codes.PROJECT_JOURNAL, codes.IDF_FIELD_SPELLING)]

    def reload(self) -> None:
        """Re-read the files from disk, dropping unsaved edits (documents keep their listeners)."""
        idf, _ = read_idf(self.idf_path)
        self.idf.replace_lines(idf.lines)
        for sdrf in self.sdrfs:
            if sdrf.path is not None and sdrf.path.is_file():
                fresh, _ = read_sdrf(sdrf.path)
                sdrf.reset(fresh.header, fresh.rows)
        self.generation = saved_generation(self.folder)
        self.dirty = False

    # --- the journal ---------------------------------------------------------------------------
    @property
    def state_folder(self) -> Path:
        return self.folder / STATE_FOLDER

    @property
    def journal_folder(self) -> Path:
        return self.state_folder / "journal"

    def write_journal(self) -> None:
        """Autosave the unsaved state: a new generation of files, then the manifest naming it."""
        try:
            self._write_journal()
        except OSError as exc:
            raise ProjectError(f"unsaved edits could not be autosaved in {self.journal_folder}: "
                               f"{exc.strerror or exc}") from exc

    def _write_journal(self) -> None:
        generation = f"g{time.time_ns()}"
        folder = self.journal_folder / generation
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / "idf.txt", self.idf.to_text())
        sdrf_entries = []
        for i, sdrf in enumerate(self.sdrfs):
            atomic_write(folder / f"sdrf-{i + 1}.txt", sdrf.to_text())
            sdrf_entries.append({"file": f"sdrf-{i + 1}.txt",
                                 "path": sdrf.path.name if sdrf.path is not None else None})
        manifest = {"generation": generation, "base": self.generation, "written": time.time(), "idf": "idf.txt",
                    "idf_path": self.idf_path.name, "sdrfs": sdrf_entries}
        atomic_write(self.journal_folder / JOURNAL_MANIFEST, json.dumps(manifest, indent=1))
        self._drop_old_generations(keep=generation)

    def _drop_old_generations(self, keep: str) -> None:
        for child in self.journal_folder.iterdir():
            if child.is_dir() and child.name != keep:
                shutil.rmtree(child, ignore_errors=True)

    def has_journal(self) -> bool:
        """A journal that extends the saved files (one older than them would undo a saved edit)."""
        manifest = self._manifest()
        return manifest is not None and manifest.get("base") == saved_generation(self.folder)

    def _manifest(self) -> dict | None:
        path = self.journal_folder / JOURNAL_MANIFEST
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(manifest, dict) or not (self.journal_folder / str(manifest.get("generation"))).is_dir():
            return None
        return manifest

    def recover_journal(self) -> None:
        """Replace the in-memory documents by the journal's; the project is then unsaved (dirty)."""
        manifest = self._manifest()
        if manifest is None or not self.has_journal():
            raise ProjectError(f"there is no readable autosave journal in {self.journal_folder} that extends "
                               "the saved files")
        folder = self.journal_folder / manifest["generation"]
        idf, _ = read_idf(folder / manifest["idf"])
        self.idf.replace_lines(idf.lines)
        recovered = []
        for i, entry in enumerate(manifest["sdrfs"]):
            fresh, _ = read_sdrf(folder / entry["file"])
            target = self.folder / entry["path"] if entry.get("path") else None
            if i < len(self.sdrfs):
                self.sdrfs[i].reset(fresh.header, fresh.rows)
                self.sdrfs[i].path = target or self.sdrfs[i].path
                recovered.append(self.sdrfs[i])
            else:
                fresh.path = target
                fresh.subscribe(self._sdrf_changed)
                recovered.append(fresh)
        self.sdrfs = recovered
        self.dirty = True

    def discard_journal(self) -> None:
        shutil.rmtree(self.journal_folder, ignore_errors=True)
        self.read_findings = [f for f in self.read_findings if f.code != codes.PROJECT_JOURNAL]

    # --- data files ----------------------------------------------------------------------------
    def data_files(self) -> list[Path]:
        """Files named in SDRF file columns (not URIs), resolved against the project folder."""
        return list(dict.fromkeys(self.folder / named[0] for named in self.named_files()))

    def data_files_on_disk(self) -> list[Path]:
        """`data_files` that are on disk (a 50,000-row SDRF of remote files has none).

        One directory listing per folder, not one stat per file, and a `Path` made only for a file
        found: 50,000 stats and paths kept the window's worker in the interpreter for a second, and
        every call of the window's repaints into Python waited for its turn meanwhile.
        """
        base = str(self.folder)
        folders: dict[str, set[str]] = {}
        found = []
        for named in self.named_files():
            text = os.path.join(base, named[0])
            folder, name = os.path.split(text)
            if folder not in folders:
                try:
                    with os.scandir(folder or ".") as entries:
                        folders[folder] = {e.name for e in entries if e.is_file()}
                except OSError:     # no such folder, not a folder, not readable: none of its files is there
                    folders[folder] = set()
            if name in folders[folder]:
                found.append(Path(text))
        return list(dict.fromkeys(found))

    def named_files(self) -> list[tuple[str, str, int, int, str]]:
        """(file name, SDRF name, 0-based row, 0-based column, heading) where each distinct local file is first named."""
        seen: dict[str, tuple[str, str, int, int, str]] = {}
        for sdrf in self.sdrfs:
            sdrf_name = sdrf.path.name if sdrf.path is not None else "SDRF"
            for c in sdrf.find_columns("file"):
                for r, row in enumerate(sdrf.rows):
                    value = row[c].strip()
                    if value and not is_uri(value) and value not in seen:
                        seen[value] = (value, sdrf_name, r, c, sdrf.header[c])
        return list(seen.values())

    def __repr__(self) -> str:
        return f"Project({self.folder}, idf={self.idf_path.name}, sdrfs={len(self.sdrfs)})"


def is_uri(text: str) -> bool:
    """ftp://, http(s)://, s3:// ... : a remote file, whose existence is not checked here."""
    head, sep, _ = text.partition("://")
    return bool(sep) and head.isalnum()


def _slug(title: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in title.strip())
    while "--" in keep:
        keep = keep.replace("--", "-")
    return keep.strip("-")[:60] or "experiment"
