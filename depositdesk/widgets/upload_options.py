"""What an upload of a target needs besides its server: the Synapse parent, the Zenodo record a
new version is made of; and which uploads of a project stopped before every file was verified.

The options are project state (``.depositdesk/upload-options.json``, never a secret); no Qt here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from depositdesk.magetab.project import STATE_FOLDER
from depositdesk.magetab.textio import atomic_write

OPTIONS_NAME = "upload-options.json"
SYNAPSE_ID = re.compile(r"syn\d+")


def check_parent(text: str) -> str | None:
    """None when ``text`` is empty or a Synapse id (syn123), else why not."""
    text = text.strip()
    if not text or SYNAPSE_ID.fullmatch(text):
        return None
    return f"'{text}' is not a Synapse id: the project or folder id looks like syn12345"


def check_record(text: str) -> str | None:
    """None when ``text`` is empty or a Zenodo record id, DOI or address, else why not."""
    from depositdesk.packaging.upload_commands import record_id

    if not text.strip() or record_id(text) is not None:
        return None
    return (f"'{text.strip()}' is not a Zenodo record: give its number (1234567), its DOI "
            "(10.5281/zenodo.1234567) or its address")


def _all(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load(folder: Path | None, target: str) -> dict[str, str]:
    if folder is None:
        return {}
    values = _all(folder / STATE_FOLDER / OPTIONS_NAME).get(target, {})
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


def save(folder: Path | None, target: str, values: dict[str, str]) -> None:
    """Remember ``values`` for ``target`` in the project (written whole, atomically)."""
    if folder is None:
        return
    path = folder / STATE_FOLDER / OPTIONS_NAME
    data = _all(path)
    if data.get(target) == values:
        return
    data[target] = values
    atomic_write(path, json.dumps(data, indent=1, sort_keys=True) + "\n")


@dataclass(frozen=True)
class Unfinished:
    target: str
    where: str          # the server and folder the upload went to
    verified: int
    files: int
    package: Path


def unfinished_uploads(folder: Path) -> list[Unfinished]:
    """The project's uploads recorded as 'uploading' whose journal has not every file of the
    package verified (a stopped, paused, killed or crashed upload)."""
    from depositdesk.packaging.transfer.journal import JOURNAL_NAME, read_sections, verified_files

    sections = read_sections(folder / STATE_FOLDER / JOURNAL_NAME)
    if not sections:   # (most projects: opening them imports none of the packaging code)
        return []
    from depositdesk.packaging.manifest import PackageError, read_manifest
    from depositdesk.packaging.status import read_status

    found = []
    for target, record in read_status(folder)["targets"].items():
        if record.get("state") != "uploading" or not record.get("package"):
            continue
        package = Path(str(record["package"]))
        try:
            _info, entries = read_manifest(package)
        except (PackageError, OSError):
            continue
        paths = {e.path for e in entries}
        for key, section in sections.items():
            name, _, where = key.partition(" ")
            if name != target or not section.get("files"):
                continue
            verified = len(verified_files(section) & paths)
            if verified < len(paths):
                found.append(Unfinished(target, where, verified, len(paths), package))
    return found
