"""Fixtures for the transfer tests: packages made by recipe, random credentials."""

from __future__ import annotations

import hashlib
import random
import secrets
from pathlib import Path

import pytest

from depositdesk.packaging.manifest import ManifestEntry, write_manifest

ROOT = Path(__file__).resolve().parents[3]


def make_package(folder: Path, files: dict[str, bytes], target: str = "geo",
                 project: Path | None = None) -> Path:
    """A package folder holding ``files`` + MANIFEST.tsv + package.json, as packaging builds it."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        role = "readme" if rel == "README.md" else "data"
        entries.append(ManifestEntry(rel, len(data), hashlib.md5(data).hexdigest(), role))
    write_manifest(folder, entries, {"target": target, "project": str(project or ""),
                                     "built": "2026-12-03T12:00:00Z", "forced": False})
    return folder


def random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.fixture
def token() -> str:
    return secrets.token_urlsafe(24)
