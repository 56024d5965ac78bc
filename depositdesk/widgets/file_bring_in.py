"""Bringing a data file from outside the project folder into its ``data/`` folder (no Qt here).

Three ways, the person's choice: a symbolic link (instant, the file stays
where it is), a hard link (instant, same disk only) or a copy whose md5 is
compared with the original's after it was written (a copy that differs is
removed: FILE-COPY-DIFFERS). The original is only ever read. A name already
taken in ``data/`` by the same file is used as it is; by another file, the
file is not brought in and the reason is said.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from depositdesk.findings import Finding, Location, finding
from depositdesk.progress import Progress, Task
from depositdesk.validators import codes

CHUNK = 4 * 1024 * 1024


@dataclass
class Brought:
    source: Path
    dest: Path | None           # None: not brought in (see problem)
    problem: Finding | None = None


def destination(folder: Path, source: Path, data_folder: str = "data") -> Path:
    return folder / data_folder / source.name


def bring_in_all(items: Sequence[tuple[Path, str]], folder: Path,
                 data_folder: str = "data") -> Task[list[Brought]]:
    """Link or copy each (source, how) into ``folder/data_folder``; progress counts copied bytes."""
    total = sum(_size(src) for src, how in items if how == "copy")
    done = 0
    out: list[Brought] = []
    for source, how in items:
        dest = destination(folder, source, data_folder)
        if how == "copy":
            result = yield from _copy_checked(source, dest, done, total)
            done += _size(source)
        else:
            result = _link(source, dest, hard=how == "hardlink")
        out.append(result)
    return out


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _problem(source: Path, code: str, message: str) -> Brought:
    return Brought(source, None, finding(code, message, Location(file=str(source))))


def _taken(source: Path, dest: Path) -> Brought | None:
    """Whether dest exists already: the same file (use it) or another one (refuse)."""
    if not (dest.exists() or dest.is_symlink()):
        return None
    try:
        if os.path.samefile(source, dest):
            return Brought(source, dest)
    except OSError:
        pass
    return _problem(source, codes.FILE_OUTSIDE_PROJECT,
                    f"{dest} exists already and is another file: {source.name} was not brought in")


def _link(source: Path, dest: Path, *, hard: bool) -> Brought:
    taken = _taken(source, dest)
    if taken is not None:
        return taken
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if hard:
            os.link(source, dest)
        else:
            os.symlink(os.path.abspath(source), dest)
    except OSError as exc:
        kind = "hard link" if hard else "link"
        return _problem(source, codes.FILE_OUTSIDE_PROJECT,
                        f"cannot {kind} {source} into {dest.parent}: {exc.strerror or exc}")
    return Brought(source, dest)


def _copy_checked(source: Path, dest: Path, done: int, total: int) -> Task[Brought]:
    taken = _taken(source, dest)
    if taken is not None:
        return taken
    partial = dest.with_name(f".{dest.name}.part")
    original = hashlib.md5()
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb") as src, open(partial, "wb") as out:
            while block := src.read(CHUNK):
                original.update(block)
                out.write(block)
                done += len(block)
                yield Progress(done, total, f"copying {source.name}")
        copied = hashlib.md5()
        with open(partial, "rb") as back:
            while block := back.read(CHUNK):
                copied.update(block)
        if copied.hexdigest() != original.hexdigest():
            partial.unlink(missing_ok=True)
            return _problem(source, codes.FILE_COPY_DIFFERS,
                            f"the copy of {source.name} has md5 {copied.hexdigest()}, the original "
                            f"{original.hexdigest()}: the copy was removed")
        shutil.copystat(source, partial)
        os.replace(partial, dest)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        return _problem(source, codes.FILE_OUTSIDE_PROJECT,
                        f"cannot copy {source} into {dest.parent}: {exc.strerror or exc}")
    except GeneratorExit:
        partial.unlink(missing_ok=True)
        raise
    return Brought(source, dest)
