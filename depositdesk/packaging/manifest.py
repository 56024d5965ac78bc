"""A built package's MANIFEST.tsv and package.json (the contract between packaging and upload).

A package folder holds the target's files, ``MANIFEST.tsv`` (``path\\tsize\\tmd5\\trole`` per file,
paths relative with '/' separators) and ``package.json`` (format, version, target, project, built,
manifest_md5, forced). The two files are not listed in the manifest. No Qt here.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "MANIFEST.tsv"
PACKAGE_JSON = "package.json"
HEADER = ("path", "size", "md5", "role")
ROLES = ("metadata", "data", "readme")


class PackageError(Exception):
    """A package folder that cannot be read: the message says what and where."""


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    size: int
    md5: str
    role: str


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _parse_line(line: str, number: int, where: Path) -> ManifestEntry:
    cells = line.split("\t")
    if len(cells) != 4:
        raise PackageError(f"{where}: line {number} has {len(cells)} cells, 4 expected")
    path, size, md5, role = cells
    if not size.isdigit():
        raise PackageError(f"{where}: line {number}: size {size!r} is not a number of bytes")
    if len(md5) != 32 or any(c not in "0123456789abcdef" for c in md5):
        raise PackageError(f"{where}: line {number}: {md5!r} is not a lowercase md5")
    if role not in ROLES:
        raise PackageError(f"{where}: line {number}: role {role!r} is not one of {', '.join(ROLES)}")
    if not path or path.startswith("/") or ".." in path.split("/") or "\\" in path:
        raise PackageError(f"{where}: line {number}: {path!r} is not a relative '/' path")
    return ManifestEntry(path, int(size), md5, role)


def read_manifest(package_dir: Path) -> tuple[dict, list[ManifestEntry]]:
    """(package.json as a dict, manifest entries); PackageError with a clear message otherwise."""
    package_dir = Path(package_dir)
    manifest, info_path = package_dir / MANIFEST, package_dir / PACKAGE_JSON
    if not package_dir.is_dir():
        raise PackageError(f"{package_dir}: not a package folder")
    for needed in (manifest, info_path):
        if not needed.is_file():
            raise PackageError(f"{package_dir}: {needed.name} missing (build the package first)")
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        raw = manifest.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, ValueError) as exc:
        raise PackageError(f"{package_dir}: cannot read the package: {exc}") from None
    if not isinstance(info, dict) or info.get("format") != "depositdesk-package":
        raise PackageError(f"{info_path}: not a depositdesk package description")
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise PackageError(f"{manifest}: the first line must be 'path<TAB>size<TAB>md5<TAB>role'")
    entries = [_parse_line(line, n, manifest) for n, line in enumerate(lines[1:], 2) if line]
    expected = info.get("manifest_md5")
    if expected and expected != hashlib.md5(raw).hexdigest():
        raise PackageError(f"{manifest}: changed since the package was built (md5 differs)")
    return info, entries


def write_manifest(package_dir: Path, entries: Sequence[ManifestEntry], info: dict) -> None:
    """Write MANIFEST.tsv then package.json (with manifest_md5), each atomically."""
    package_dir = Path(package_dir)
    rows = ["\t".join(HEADER)] + [f"{e.path}\t{e.size}\t{e.md5}\t{e.role}" for e in entries]
    raw = ("\n".join(rows) + "\n").encode("utf-8")
    _atomic_write(package_dir / MANIFEST, raw)
    info = {"format": "depositdesk-package", "version": 1, **info,
            "manifest_md5": hashlib.md5(raw).hexdigest()}
    _atomic_write(package_dir / PACKAGE_JSON,
                  (json.dumps(info, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
