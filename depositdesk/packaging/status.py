"""Submission status and history per target, in the project's ``.depositdesk/status.json``.

States in order: draft -> checked -> packaged -> uploading -> uploaded -> submitted ->
accessioned ("changed since packaged" when a packaged file changed). Each change adds a history
line: when, the new state, what happened, the package's manifest md5. Writes are atomic.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

STATES = ("draft", "checked", "packaged", "uploading", "uploaded", "submitted", "accessioned",
          "changed since packaged")
STATUS_NAME = "status.json"
# Which identifier kinds (depositdesk.packaging.rules.identifiers.KINDS) a target's accession is.
ACCESSION_KINDS = {"geo": ("GSE",), "sra": ("PRJNA", "SRP"), "ena": ("PRJEB", "ERP"),
                   "arrayexpress": ("E-MTAB",), "bia": ("S-BIAD",), "zenodo": ("DOI",),
                   "idr": ("IDR",), "dbgap": ()}


class StatusError(ValueError):
    """A state or accession that cannot be recorded; the message says why."""


def status_path(folder: Path) -> Path:
    return Path(folder) / ".depositdesk" / STATUS_NAME


def read_status(folder: Path) -> dict:
    try:
        data = json.loads(status_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"targets": {}}
    if not isinstance(data, dict) or not isinstance(data.get("targets"), dict):
        return {"targets": {}}
    return data


def set_status(folder: Path, target: str, state: str, what: str, manifest_md5: str = "",
               **details: str) -> dict:
    """Move ``target`` to ``state`` (one of STATES) with a history line; returns its record."""
    if state not in STATES:
        raise StatusError(f"unknown status {state!r} (known: {', '.join(STATES)})")
    data = read_status(folder)
    record = data["targets"].setdefault(target, {"state": "draft", "history": []})
    record["state"] = state
    record.update({k: v for k, v in details.items() if v})
    record["history"].append({"when": datetime.now(UTC).isoformat(timespec="seconds"),
                              "state": state, "what": what, "manifest_md5": manifest_md5})
    path = status_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".status.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return record


def check_accession(target: str, accession: str) -> str | None:
    """None when ``accession`` is a well-formed accession of ``target`` (offline, by the
    identifier rules), else why not."""
    from depositdesk.packaging.rules.identifiers import kind_of_value, validate_identifier

    kinds = ACCESSION_KINDS.get(target)
    if not kinds:
        return f"no accession kind is known for target '{target}'"
    kind = "DOI" if accession.strip().startswith("10.") else kind_of_value(accession)
    if kind not in kinds:
        return f"'{accession}' is not a {target} accession (expected {' or '.join(kinds)})"
    return validate_identifier(kind, accession)


def record_accession(folder: Path, target: str, accession: str) -> dict:
    why = check_accession(target, accession)
    if why:
        raise StatusError(why)
    return set_status(folder, target, "accessioned", f"accession {accession} received",
                      accession=accession.strip())


def changed_since_packaged(record: dict) -> bool:
    """The package last uploaded/packaged is gone, rebuilt, or one of its files changed size."""
    from depositdesk.packaging.manifest import PackageError, read_manifest

    package = record.get("package")
    history = record.get("history") or []
    if not package or not history or record.get("state") in ("draft", "checked"):
        return False
    expected = next((h["manifest_md5"] for h in reversed(history) if h.get("manifest_md5")), "")
    try:
        info, entries = read_manifest(Path(package))
    except PackageError:
        return True
    if expected and info.get("manifest_md5") != expected:
        return True
    for entry in entries:
        path = Path(package) / entry.path
        if not path.is_file() or path.stat().st_size != entry.size:
            return True
    return False
