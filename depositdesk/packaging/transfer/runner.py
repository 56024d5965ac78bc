"""Upload a built package with one transport: files in parallel, the journal kept, a verdict.

The package is read only through ``manifest.read_manifest``. Each file is handed to the transport,
which retries under the one policy and writes what the server confirmed into the journal; a file
the journal already calls verified (for the same size and md5) is not sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from depositdesk.packaging.manifest import ManifestEntry, PackageError, read_manifest
from depositdesk.packaging.transfer.journal import FileRecord, Journal
from depositdesk.packaging.transfer.retry import describe


class Transport(Protocol):
    name: str
    journal: Journal

    def upload(self, local: Path, path: str, size: int, md5: str) -> None: ...


@dataclass
class UploadResult:
    target: str
    files: list[FileRecord]
    errors: dict[str, str] = field(default_factory=dict)
    remote: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and all(f.verified for f in self.files)

    def as_dict(self) -> dict:
        return {"target": self.target, "ok": self.ok, "remote": self.remote,
                "errors": self.errors,
                "files": [{"path": f.path, "size": f.size, "md5": f.md5, "verified": f.verified,
                           "bytes_confirmed": f.bytes_confirmed, "url": f.url,
                           "remote_id": f.remote_id, "attempts": f.attempts} for f in self.files]}


def package_files(package_dir: Path) -> tuple[dict, list[ManifestEntry]]:
    """The package's description and entries; a listed file missing or of another size is an
    error before anything is sent (a changed package must be built again)."""
    info, entries = read_manifest(package_dir)
    for entry in entries:
        local = Path(package_dir) / entry.path
        if not local.is_file():
            raise PackageError(f"{entry.path}: listed in MANIFEST.tsv but not in the package")
        if local.stat().st_size != entry.size:
            raise PackageError(f"{entry.path}: {local.stat().st_size} bytes, the manifest says "
                               f"{entry.size}; build the package again")
    return info, entries


def run_upload(package_dir: Path, entries: list[ManifestEntry], transport: Transport,
               jobs: int = 2, before: Callable[[], None] | None = None,
               after: Callable[[], dict] | None = None) -> UploadResult:
    """Send every entry (``jobs`` at a time); ``before``/``after`` are the transport's draft and
    finishing steps (Zenodo), run once."""
    journal = transport.journal
    result = UploadResult(target=transport.name, files=[])
    try:
        if before:
            before()
    except Exception as exc:
        result.errors["(draft)"] = describe(exc)
        result.files = [journal.record(e.path, transport.name, e.size, e.md5) for e in entries]
        return result

    def one(entry: ManifestEntry) -> None:
        try:
            transport.upload(Path(package_dir) / entry.path, entry.path, entry.size, entry.md5)
        except Exception as exc:
            result.errors[entry.path] = describe(exc)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, entries))
    result.files = [journal.files[e.path] for e in entries if e.path in journal.files]
    if not result.errors and after:
        try:
            result.remote.update(after())
        except Exception as exc:
            result.errors["(finish)"] = describe(exc)
    result.remote = {**journal.remote, **result.remote}
    return result
