"""Building a package folder: checks first, data files linked in, metadata written, manifest last.

`build_package` runs the target's checks (`check_targets` + `check_project`) and the name checks
of `names.plan_files`; with errors it writes nothing unless ``force`` (then the findings go into
the README). Data files are hard-linked into ``OUT_DIR/.partial`` and renamed into place, one
completion record each (``.partial/done.jsonl``), so a rerun after a crash skips what is done;
when a link is impossible (another disk) the file is copied and the copy's md5 compared. The md5
of an unchanged file comes from the validators' cache (never re-read); otherwise it is computed
while the file is linked or copied. Data files are never opened for writing. The builder of the
target (`BUILDERS`) writes the metadata files; README.md, MANIFEST.tsv and package.json follow.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from depositdesk.findings import Finding, finding, has_errors
from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project
from depositdesk.magetab.textio import atomic_write
from depositdesk.packaging.manifest import (
    PACKAGE_JSON,
    ManifestEntry,
    PackageError,
    write_manifest,
)
from depositdesk.packaging.packages import codes
from depositdesk.packaging.packages.names import DataFile, forget_folders, plan_files
from depositdesk.packaging.packages.readme import readme_text
from depositdesk.packaging.targets.base import check_targets, get_target

PARTIAL = ".partial"
DONE = "done.jsonl"
CHUNK = 1 << 20
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PackedFile:
    """A data file in the package: its package name, size, md5, and the SDRF name it came from."""

    name: str
    size: int
    md5: str
    named: str


Builder = Callable[[Project, Sequence[PackedFile]], dict[str, bytes]]


@dataclass
class BuildResult:
    target: str
    out_dir: Path
    findings: list[Finding] = field(default_factory=list)
    built: bool = False
    entries: list[ManifestEntry] = field(default_factory=list)
    reused: int = 0          # data files finished by an earlier (interrupted) run
    linked: int = 0
    copied: int = 0

    @property
    def blocked(self) -> bool:
        return not self.built


BUILDER_MODULES = {"geo": "geo", "sra": "sra", "ena": "ena", "zenodo": "zenodo", "arrayexpress": "arrayexpress",
                   "bia": "bia", "figshare": "figshare", "synapse": "synapse",
                   "ro-crate": "ro_crate", "idr": "idr", "dbgap": "dbgap", "dryad": "dryad"}
"""target -> module of this package whose ``build(project, packed) -> {name: bytes}`` writes its metadata
(a module not present yet is skipped: that target has no builder)."""


def builder_for(target: str) -> Builder | None:
    """The builder of one target, importing only its module (not every target's libraries)."""
    import importlib
    import importlib.util

    module = BUILDER_MODULES.get(target)
    name = f"depositdesk.packaging.packages.{module}"
    if module is None or importlib.util.find_spec(name) is None:
        return None
    build: Builder = importlib.import_module(name).build
    return build


def builders() -> dict[str, Builder]:
    return {target: found for target in BUILDER_MODULES if (found := builder_for(target)) is not None}


def build_package(project: Project, target_name: str, out_dir: Path, *, force: bool = False,
                  progress: Progress | None = None) -> BuildResult:
    """Check, then build the package of one target into ``out_dir``. Raises PackageError when it cannot run."""
    target = get_target(target_name)
    builder = builder_for(target.name)
    if builder is None:
        raise PackageError(f"no package builder for target '{target.name}' yet (available: "
                           f"{', '.join(sorted(builders()))})")
    out_dir = Path(os.path.abspath(out_dir))
    _realpath.cache_clear()          # folders are resolved afresh for each build
    forget_folders()
    _check_out_dir(project, out_dir)
    files, refused = plan_files(project, target.name)
    result = BuildResult(target.name, out_dir)
    result.findings = [*check_project(project, for_target=True), *check_targets(project, [target.name]), *refused]
    if has_errors(result.findings):
        if not force:
            return result
        result.findings.insert(0, finding(codes.FORCED))
    packed = _place_data(files, out_dir, result, progress)
    metadata = builder(project, packed)
    readme = readme_text(project, target, packed, metadata, result.findings, forced=force)
    readme += getattr(sys.modules[builder.__module__], "README_NOTE", "")   # a target's own README part
    entries: list[ManifestEntry] = []
    for name, data in [*metadata.items(), ("README.md", readme.encode("utf-8"))]:
        _write_inside(out_dir, name, data)
        role = "readme" if name == "README.md" else "metadata"
        entries.append(ManifestEntry(name, len(data), hashlib.md5(data).hexdigest(), role))
    entries.extend(ManifestEntry(p.name, p.size, p.md5, "data") for p in packed)
    info = {"target": target.name, "project": str(project.folder.resolve()),
            "built": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "forced": force}
    write_manifest(out_dir, entries, info)
    shutil.rmtree(out_dir / PARTIAL, ignore_errors=True)
    result.entries, result.built = entries, True
    return result


def _check_out_dir(project: Project, out_dir: Path) -> None:
    real, folder = os.path.realpath(out_dir), os.path.realpath(project.folder)
    if real == folder:
        raise PackageError(f"{out_dir}: the package folder cannot be the project folder itself")
    if out_dir.exists() and not out_dir.is_dir():
        raise PackageError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not (
            (out_dir / PACKAGE_JSON).exists() or (out_dir / PARTIAL).exists()):
        raise PackageError(f"{out_dir}: the folder is not empty and holds no package; choose an empty folder")
    out_dir.mkdir(parents=True, exist_ok=True)


def _target_path(out_dir: Path, name: str) -> Path:
    """OUT_DIR/name, refusing anything (a '..', a linked folder) that would land outside OUT_DIR."""
    path = out_dir / name
    parent = _realpath(str(path.parent))
    root = _realpath(str(out_dir))
    if ".." in name.split("/") or name.startswith("/") or not (
            parent == root or parent.startswith(root + os.sep)):
        raise PackageError(f"'{name}' would be written outside {out_dir}")
    return path


@lru_cache(maxsize=4096)
def _realpath(path: str) -> str:
    """realpath, remembered for the few folders of one build (one per package subfolder)."""
    return os.path.realpath(path)


def _write_inside(out_dir: Path, name: str, data: bytes) -> None:
    path = _target_path(out_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_symlink():
        path.unlink()
    atomic_write(path, data)


# --- data files ------------------------------------------------------------------------------------
def _done_records(partial: Path) -> dict[str, dict]:
    records: dict[str, dict] = {}
    try:
        lines = (partial / DONE).read_text(encoding="utf-8").splitlines()
    except OSError:
        return records
    for line in lines:
        try:
            record = json.loads(line)
            records[record["name"]] = record
        except (ValueError, KeyError, TypeError):
            continue   # a torn last line of a crashed run
    return records


def _place_data(files: Sequence[DataFile], out_dir: Path, result: BuildResult,
                progress: Progress | None) -> list[PackedFile]:
    partial = out_dir / PARTIAL
    partial.mkdir(exist_ok=True)
    done = _done_records(partial)
    md5_of = _cached_md5s()
    packed: list[PackedFile] = []
    made: set[Path] = {out_dir}       # folders of the package known to exist (one mkdir per folder)
    with open(partial / DONE, "a", encoding="utf-8") as journal:
        for i, item in enumerate(files):
            if progress is not None:
                progress(i, len(files), item.name)
            st = item.source.stat()
            final = _target_path(out_dir, item.name)
            record = done.get(item.name)
            if (record and record["size"] == st.st_size and record["mtime_ns"] == st.st_mtime_ns
                    and final.is_file() and final.stat().st_size == st.st_size):
                result.reused += 1
                packed.append(PackedFile(item.name, st.st_size, record["md5"], item.named))
                continue
            if final.parent not in made:
                final.parent.mkdir(parents=True, exist_ok=True)
                made.add(final.parent)
            md5 = _place_one(item, st, final, partial / f"{i}.part", md5_of(item.source, st), result)
            journal.write(json.dumps({"name": item.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                                      "md5": md5}) + "\n")
            journal.flush()
            packed.append(PackedFile(item.name, st.st_size, md5, item.named))
    if progress is not None:
        progress(len(files), len(files), "")
    return packed


def _place_one(item: DataFile, st: os.stat_result, final: Path, staged: Path, cached: str | None,
               result: BuildResult) -> str:
    staged.unlink(missing_ok=True)
    try:
        os.link(item.source, staged)
        md5 = cached or _md5(staged)
        result.linked += 1
    except OSError:
        md5 = _copy_verified(item, staged, cached)
        result.copied += 1
    os.replace(staged, final)
    return md5


def _md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_verified(item: DataFile, staged: Path, cached: str | None) -> str:
    digest = hashlib.md5()
    with open(item.source, "rb") as src, open(staged, "wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    source_md5 = digest.hexdigest()
    if (cached and cached != source_md5) or _md5(staged) != source_md5:
        staged.unlink(missing_ok=True)
        raise PackageError(f"{item.named}: the copy in the package does not have the original's md5 "
                           f"({codes.COPY_MISMATCH})")
    return source_md5


def _cached_md5s() -> Callable[[Path, os.stat_result], str | None]:
    """md5 of a file from the validators' cache, for the file's present size and mtime; None if not cached.

    The cache is asked directly with the stat the build already made (one query per file, the
    validator versions computed once), not through full reports: 10,000 files in well under a second.
    """
    from depositdesk.validators.base import PROFILES
    from depositdesk.validators.cache import ResultCache
    from depositdesk.validators.engine import validator_versions

    cache = ResultCache()
    versions = validator_versions()

    def lookup(path: Path, st: os.stat_result) -> str | None:
        absolute = os.path.abspath(path)
        for profile in PROFILES:
            hit = cache.get((absolute, st.st_size, st.st_mtime_ns, profile), versions)
            if hit is not None and hit.get("md5"):
                return str(hit["md5"])
        return None

    return lookup
