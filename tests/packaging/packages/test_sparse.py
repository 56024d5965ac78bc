"""A 10 GB data file (sparse, so the test disk stays empty) is hard-linked into the package, not
copied and not read: its md5 comes from the validators' cache, seeded as a validation run leaves it."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.manifest import read_manifest
from depositdesk.packaging.packages.build import build_package
from depositdesk.validators.base import PROFILES
from depositdesk.validators.cache import ResultCache, cache_key
from depositdesk.validators.engine import FileReport, validator_versions

SIZE = 10 * 10**9
MD5 = "0123456789abcdef0123456789abcdef"     # what a validation run would have recorded


def sparse_project(folder: Path) -> Path:
    folder.mkdir(parents=True)
    big = folder / "volume.bin"
    with open(big, "wb"):
        pass
    os.truncate(big, SIZE)
    if os.stat(big).st_blocks * 512 >= SIZE // 2:
        big.unlink()
        pytest.skip("this filesystem cannot make sparse files")
    idf = Idf.blank("One large volume")
    idf.set("Experiment Description", ["A 10 GB volume."])
    idf.set("Public Release Date", ["2027-01-31"])
    idf.set_records("person", [{"Person Last Name": "Doe", "Person First Name": "Jane",
                                "Person Email": "jane@example.org", "Person Affiliation": "Lab"}])
    header = ["Source Name", "Characteristics[organism]", "Sample Name", "Assay Name", "Array Data File"]
    Project.create(folder, idf, [Sdrf(header, [["mouse 1", "Mus musculus", "brain 1", "scan 1", "volume.bin"]])])
    return folder


def seed_cache(path: Path) -> None:
    """The cache entry a validation of ``path`` leaves (no validator for .bin: format None)."""
    cache = ResultCache()
    for profile in PROFILES:
        key, _st = cache_key(path, profile)
        report = FileReport(str(path), None, None, SIZE, MD5, [])
        cache.put(key, None, validator_versions()[""], report.to_dict(private=True))


def test_a_10_gb_file_is_hard_linked_in_seconds_not_copied(tmp_path: Path) -> None:
    folder = sparse_project(tmp_path / "proj")
    seed_cache(folder / "volume.bin")
    out = tmp_path / "package"
    started = time.monotonic()
    result = build_package(Project.open(folder), "figshare", out, force=True)
    seconds = time.monotonic() - started
    assert result.built and result.linked == 1 and result.copied == 0
    packaged = out / "volume.bin"
    source = os.stat(folder / "volume.bin")
    assert packaged.stat().st_ino == source.st_ino and source.st_nlink == 2
    assert packaged.stat().st_size == SIZE
    _info, entries = read_manifest(out)
    assert [(e.path, e.size, e.md5) for e in entries if e.role == "data"] == [("volume.bin", SIZE, MD5)]
    assert seconds < 10, f"{seconds:.1f} s: the file was read or copied"
