"""The transfer journal: what the server has confirmed, per file, surviving crashes and kill -9.

One JSON file, ``.depositdesk/transfer-journal.json`` in the project's state folder (or the
package's, when the project folder is gone), written atomically (temporary file, fsync, rename)
after every change. Per upload (target + server) it holds the remote draft (Zenodo) and per file:
target, remote id/URL, bytes confirmed by the server, md5, size, verified. No credential is ever
stored here.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

JOURNAL_NAME = "transfer-journal.json"


@dataclass
class FileRecord:
    path: str
    target: str
    size: int
    md5: str
    remote_id: str = ""
    url: str = ""
    bytes_confirmed: int = 0
    verified: bool = False
    attempts: int = 0
    error: str = ""


def journal_path(package_dir: Path, info: dict) -> Path:
    """The state folder of the package's project when it exists, else the package's own."""
    project = Path(str(info.get("project") or ""))
    base = project if info.get("project") and project.is_dir() else Path(package_dir)
    return base / ".depositdesk" / JOURNAL_NAME


def read_sections(path: Path) -> dict[str, dict[str, Any]]:
    """Every upload's section of the journal file at ``path``, by its key ('geo ftp://host/dir');
    {} when the file is missing or unreadable. For readers (the app); writers use ``Journal``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    uploads = data.get("uploads", {}) if isinstance(data, dict) else {}
    if not isinstance(uploads, dict):
        return {}
    return {str(k): v for k, v in uploads.items() if isinstance(v, dict)}


def verified_files(section: dict[str, Any]) -> set[str]:
    """The paths a journal section records as verified on the server."""
    files = section.get("files", {})
    return {p for p, f in files.items() if isinstance(f, dict) and f.get("verified")} \
        if isinstance(files, dict) else set()


class Journal:
    """Thread-safe view of one upload's section of the journal file."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = Path(path)
        self.key = key
        self._lock = threading.RLock()
        data = self._load()
        section = data.get("uploads", {}).get(key, {})
        self.remote: dict[str, Any] = dict(section.get("remote", {}))
        self.files: dict[str, FileRecord] = {}
        for name, rec in section.get("files", {}).items():
            try:
                self.files[name] = FileRecord(**rec)
            except TypeError:
                continue

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"version": 1, "uploads": {}}
        return data if isinstance(data, dict) else {"version": 1, "uploads": {}}

    def record(self, path: str, target: str, size: int, md5: str) -> FileRecord:
        """The file's record; a record made for other content (size/md5 differ) starts over."""
        with self._lock:
            rec = self.files.get(path)
            if rec is None or rec.size != size or rec.md5 != md5:
                rec = FileRecord(path=path, target=target, size=size, md5=md5)
                self.files[path] = rec
                self.save()
            return rec

    def update(self, path: str, *, save: bool = True, **changes: Any) -> None:
        """Change the file's record; ``save=False``: in memory only, written (fsync) with the
        next save (for what a crash may lose, such as the attempts count)."""
        with self._lock:
            rec = self.files[path]
            for name, value in changes.items():
                setattr(rec, name, value)
            if save:
                self.save()

    def set_remote(self, **values: Any) -> None:
        with self._lock:
            self.remote.update(values)
            self.save()

    def save(self) -> None:
        with self._lock:
            data = self._load()
            data.setdefault("uploads", {})[self.key] = {
                "remote": self.remote,
                "files": {name: asdict(rec) for name, rec in sorted(self.files.items())},
            }
            self.path.parent.mkdir(parents=True, exist_ok=True)
            raw = (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(raw)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def all_verified(self, paths: list[str]) -> bool:
        with self._lock:
            return all(p in self.files and self.files[p].verified for p in paths)
