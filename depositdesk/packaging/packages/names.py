"""Which data files of a project go into a package, under which names, and which are refused.

A name from the SDRF is refused (with a finding, never followed) when it holds NUL or control
characters, is absolute, climbs out with '..', resolves (through a symbolic link) to a place
outside the project folder, is a character the target forbids, or would collide with another
file's package name after case-folding. Nothing refused is ever opened.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.packages import codes

# Targets whose upload wants every file beside the metadata in one folder (Zenodo records have
# no folders), and those restricting the characters of file names (GEO/SRA/ENA: FTP upload
# areas; ArrayExpress: Annotare's rule).
FLAT_TARGETS = {"geo", "sra", "ena", "arrayexpress", "zenodo", "figshare"}
FTP_NAME = (re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$"), "letters, digits, '.', '_', '+' and '-'")
STRICT_NAMES = {"geo": FTP_NAME, "sra": FTP_NAME, "ena": FTP_NAME,
                "arrayexpress": (re.compile(r"^[A-Za-z0-9_.]+$"), "letters, digits, '_' and '.'")}


@dataclass(frozen=True)
class DataFile:
    named: str           # as written in the SDRF
    source: Path         # the file in the project folder (not resolved through links)
    name: str            # its path inside the package ('/' separators)
    where: Location      # SDRF cell that first names it


def _control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@lru_cache(maxsize=64)
def real_folder(folder: Path) -> str:
    return os.path.realpath(folder)


def forget_folders() -> None:
    """Forget the folders resolved so far (links may have changed): called at the start of each build."""
    real_folder.cache_clear()
    _real_dir.cache_clear()


def package_name(named: str, target: str) -> str:
    clean = named.replace("\\", "/")
    if target not in FLAT_TARGETS:
        return str(PurePosixPath(clean))
    last = clean.rsplit("/", 1)[-1]
    return last if last not in ("", ".", "..") else PurePosixPath(clean).name   # 'a/', 'a/.': the path's rules


@lru_cache(maxsize=4096)
def _real_dir(folder: str) -> str:
    return os.path.realpath(folder)


def _real_path(path: str) -> str:
    """os.path.realpath of a file, resolving its folder once per folder (10,000 files in one folder: one
    walk, not 10,000); a file that is itself a link, or an odd last part, is resolved in full."""
    folder, last = os.path.split(path)
    if last in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_dir(folder), last)


def refusal(named: str, project: Project, target: str, where: Location) -> Finding | None:
    """The finding that refuses this SDRF file name, or None when the name is safe to follow."""
    shown = named.encode("unicode_escape").decode("ascii")
    if _control(named):
        return finding(codes.NAME_UNSAFE, f"'{shown}' holds a NUL or control character", where)
    parts = named.replace("\\", "/").split("/")
    if named.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", named):
        return finding(codes.NAME_UNSAFE, f"'{named}' is an absolute path", where)
    if ".." in parts:
        return finding(codes.NAME_UNSAFE, f"'{named}' climbs out of the project folder with '..'", where)
    folder = real_folder(project.folder)
    if not _inside(_real_path(os.path.join(project.folder, named)), folder):
        return finding(codes.SYMLINK_OUTSIDE, f"'{named}' is a link to a place outside the project folder", where)
    name = package_name(named, target)
    pattern, allowed = STRICT_NAMES.get(target, (None, ""))
    if pattern is not None and not all(pattern.match(p) for p in name.split("/")):
        return finding(codes.NAME_FORBIDDEN, f"'{name}': {target} accepts {allowed} in file names", where)
    return None


def plan_files(project: Project, target: str) -> tuple[list[DataFile], list[Finding]]:
    """The data files to package (first-named order) and the findings refusing the others."""
    accepted: list[DataFile] = []
    refused: list[Finding] = []
    for named, sdrf_name, r, c, heading in project.named_files():
        where = Location(file=sdrf_name, row=r + 1, column=c + 1, column_name=heading)
        problem = refusal(named, project, target, where)
        if problem is not None:
            refused.append(problem)
            continue
        source = project.folder / named
        if not source.is_file():
            refused.append(finding(codes.FILE_MISSING, f"'{named}' is not in {project.folder}", where))
            continue
        accepted.append(DataFile(named, source, package_name(named, target), where))
    by_key: dict[str, list[DataFile]] = {}
    for item in accepted:
        by_key.setdefault(item.name.casefold(), []).append(item)
    clashing = {id(i) for group in by_key.values() if len(group) > 1 for i in group}
    for group in by_key.values():
        if len(group) > 1:
            names = ", ".join(f"'{i.named}'" for i in group)
            refused.extend(finding(codes.NAME_COLLISION, f"{names} would be one file in the package", i.where)
                           for i in group)
    return [i for i in accepted if id(i) not in clashing], refused
