"""Where terms come from: the starter set shipped in PyPI packages, and files the user added.

A `Source` names one ontology, its file, its version and a fingerprint. The
fingerprint keys the index file, so an index is rebuilt only when its source
(or the index schema) changes. Starter sources are found in the installed
packages on every start (cheap: a directory listing and one small JSON file);
files the user adds or downloads are copied into the cache and listed in
``sources.json`` beside the indexes, so they stay usable offline.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

# psims vendors these OBO files; its PATO duplicates cellxgene's (which has ancestors), so it is left out.
PSIMS_FILES = {"UO": "unit.obo.gz", "GO": "go.obo.gz", "MS": "psi-ms.obo.gz", "MOD": "psi-mod.obo.gz"}
# cellxgene-ontology-guide ontologies not used as term sources (UniProt is a protein list).
CELLXGENE_SKIP = {"UniProt"}


@dataclass(frozen=True)
class Source:
    name: str          # the ontology's short name, e.g. "CL", "NCBITaxon", "OBI"
    kind: str          # 'cellxgene' | 'obo' | 'owl'
    path: str
    version: str
    fingerprint: str
    origin: str        # 'starter' | 'user' | 'download'
    url: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


class ChecksumCache:
    """SHA-256 of package files, remembered by (path, size, mtime) so a start does not re-hash 35 MB.

    The index is keyed by the source's checksum: a reinstalled package with the
    same file names but other content still gets new indexes.
    """

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._known: dict[str, str] = {}
        if file is not None:
            try:
                self._known = dict(json.loads(file.read_text()))
            except (OSError, ValueError, TypeError):
                self._known = {}
        self._dirty = False

    def fingerprint(self, path: Path) -> str:
        stat = path.stat()
        key = f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
        if key not in self._known:
            self._known[key] = file_checksum(path)[:16]
            self._dirty = True
        return self._known[key]

    def save(self) -> None:
        if self.file is None or not self._dirty:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_name(f"{self.file.name}.tmp-{os.getpid()}")
            tmp.write_text(json.dumps(self._known, indent=0))
            os.replace(tmp, self.file)
        except OSError:
            pass  # only a cache: the next start hashes again


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cellxgene_sources(checksums: ChecksumCache) -> list[Source]:
    """The latest version of each ontology in cellxgene-ontology-guide (as its latest_ontology_info.json names)."""
    base = _package_dir("cellxgene_ontology_guide")
    if base is None:
        return []
    data = base / "data"
    try:
        info = json.loads((data / "latest_ontology_info.json").read_text())["ontologies"]
    except (OSError, ValueError, KeyError):
        return []
    out = []
    for name, entry in info.items():
        path = data / f"{name}-ontology-{entry.get('version', '')}.json.zst"
        if name in CELLXGENE_SKIP or not path.is_file():
            continue
        out.append(Source(name, "cellxgene", str(path), str(entry.get("version", "")),
                          checksums.fingerprint(path), "starter"))
    return out


def psims_sources(checksums: ChecksumCache) -> list[Source]:
    base = _package_dir("psims")
    if base is None:
        return []
    vendor = base / "controlled_vocabulary" / "vendor"
    out = []
    for name, filename in PSIMS_FILES.items():
        path = vendor / filename
        if path.is_file():
            out.append(Source(name, "obo", str(path), "", checksums.fingerprint(path), "starter"))
    return out


def starter_sources(cache_file: Path | None = None) -> list[Source]:
    """The starter set found in the installed packages (checksums remembered in ``cache_file``)."""
    checksums = ChecksumCache(cache_file)
    found = cellxgene_sources(checksums) + psims_sources(checksums)
    checksums.save()
    return found


class SourceRegistry:
    """The user's own sources (added files, downloads), kept in ``<root>/sources.json``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = root / "sources.json"
        self.files_dir = root / "sources"

    def load(self) -> list[Source]:
        try:
            items = json.loads(self.file.read_text())
        except (OSError, ValueError):
            return []
        fields = set(Source.__dataclass_fields__)
        return [Source(**{k: v for k, v in item.items() if k in fields}) for item in items
                if isinstance(item, dict) and fields - {"url"} <= set(item)]

    def save(self, sources: list[Source]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f"sources.json.tmp-{os.getpid()}")
        tmp.write_text(json.dumps([s.to_dict() for s in sources], indent=1))
        os.replace(tmp, self.file)

    def put(self, source: Source) -> None:
        kept = [s for s in self.load() if s.name.lower() != source.name.lower()]
        self.save([*kept, source])

    def keep_copy(self, path: Path, checksum: str) -> Path:
        """Copy a user's file into the cache (read-only use of the original), named by its checksum."""
        self.files_dir.mkdir(parents=True, exist_ok=True)
        suffix = "".join(path.suffixes[-2:]) if path.suffix == ".gz" else path.suffix
        target = self.files_dir / f"{checksum[:16]}{suffix}"
        if not target.exists():
            tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
            with open(path, "rb") as src, open(tmp, "wb") as dst:
                for block in iter(lambda: src.read(1 << 20), b""):
                    dst.write(block)
            os.replace(tmp, target)
        return target
