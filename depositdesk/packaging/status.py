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
        raise ValueError(f"unknown status {state!r} (known: {', '.join(STATES)})")
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
