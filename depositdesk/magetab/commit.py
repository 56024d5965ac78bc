"""Saving the files of a project together: a crash leaves the old set or the new set, never a mix.

Renaming each file over its old version is atomic per file only; a crash
between the SDRF's rename and the IDF's would leave the new SDRF beside the
old IDF. So a save (1) writes every new file beside its target as
``.<name>.<generation>.part`` and fsyncs it, (2) writes the record
``.depositdesk/saved.json`` naming the generation and the renames still to do
— one atomic rename, the commit point — and (3) does the renames. Opening a
project first finishes the renames of a committed save (`finish_interrupted_save`);
parts of a save that never committed are deleted by the project on open.
The generation also tells which saved version an autosave journal extends.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from depositdesk.magetab.textio import atomic_write, fsync_folder, mode_for

STATE_FOLDER = ".depositdesk"
SAVED_RECORD = "saved.json"


def new_generation() -> str:
    return f"{time.time_ns():x}"


def part_path(target: Path, generation: str) -> Path:
    return target.parent / f".{target.name}.{generation}.part"


def write_part(target: Path, text: str, generation: str) -> Path:
    """The new content of ``target`` written and fsynced beside it (``target`` is not touched)."""
    part = part_path(target, generation)
    data = text.encode("utf-8")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, mode_for(target))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return part


def commit(folder: Path, generation: str, targets: Sequence[Path]) -> None:
    """Make the written parts of ``generation`` the project's files: record, then rename."""
    pending = [[part_path(t, generation).name, _name(folder, t)] for t in targets]
    record = {"generation": generation, "pending": pending}
    fsync_folder(folder)                     # the parts' directory entries are durable before the commit
    atomic_write(folder / STATE_FOLDER / SAVED_RECORD, json.dumps(record))
    _roll_forward(folder, record)


def _name(folder: Path, target: Path) -> str:
    return target.name if target.parent == folder else str(target)


def saved_record(folder: Path) -> dict | None:
    try:
        record = json.loads((Path(folder) / STATE_FOLDER / SAVED_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("generation"), str) else None


def saved_generation(folder: Path) -> str | None:
    """The generation of the last committed save, or None (never saved by this version)."""
    record = saved_record(folder)
    return record["generation"] if record else None


def finish_interrupted_save(folder: Path) -> None:
    """Do the renames of a committed save that a crash interrupted (nothing when there are none)."""
    record = saved_record(folder)
    if record is not None:
        with contextlib.suppress(OSError):
            _roll_forward(Path(folder), record)


def _roll_forward(folder: Path, record: dict) -> None:
    moved = False
    pending = record.get("pending")
    for entry in pending if isinstance(pending, list) else []:
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(e, str) for e in entry)):
            continue
        part_name, target_name = entry
        target = folder / target_name
        part = target.parent / part_name
        if "/" in part_name or not (part_name.startswith(".") and part_name.endswith(".part")):
            continue
        if part.is_file():
            os.replace(part, target)
            moved = True
    if moved:
        fsync_folder(folder)
