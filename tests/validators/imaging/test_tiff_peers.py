"""Agreement with peers on the structural verdict of every TIFF fixture and every TIFF shipped with
the installed Python: libtiff's ``tiffinfo -D`` (reads every strip/tile) and tifffile's own full read.

A verdict is "sound" or "broken" (unreadable, truncated, a segment that does not decode); metadata
findings (pixel size, instrument, lossy) are not structural and are left out of the comparison.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import tifffile
from conftest import codes_of
from imaging_recipes import all_tiffs

STRUCTURAL = {"IMG-UNREADABLE", "IMG-TRUNCATED", "IMG-DECODE"}
TIFFINFO = shutil.which("tiffinfo")


def installed_tiffs() -> list[Path]:
    """TIFFs that ship with the Python in use (its test data), for files we did not write."""
    lib = Path(sys.base_prefix) / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    return sorted(p for p in lib.glob("test/**/*.tif*") if p.is_file())


def tiffinfo_sound(path: Path) -> bool:
    assert TIFFINFO is not None
    done = subprocess.run([TIFFINFO, "-D", str(path)], capture_output=True, text=True, check=False,
                          timeout=60)
    return done.returncode == 0 and "error" not in done.stderr.lower()


def tifffile_sound(path: Path) -> bool:
    """tifffile reads every page's pixels without an error or a warning of missing data."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with tifffile.TiffFile(path) as tif:
                if not tif.pages:
                    return False
                for page in tif.pages:
                    page.asarray(maxworkers=1)  # type: ignore[union-attr]
    except Exception:
        return False
    return True


def fixtures(folder: Path) -> dict[str, Path]:
    found = all_tiffs(folder)
    found.pop("fileset-missing")  # not structural: its pixels are all in the file, the second file is gone
    for path in installed_tiffs():
        found[f"installed:{path.name}"] = path
    return found


def ours_sound(path: Path, check) -> bool:
    return not codes_of(check(path)) & STRUCTURAL


def test_tifffile_agrees_on_every_fixture(tmp_path: Path, check, summary_lines: list[str]) -> None:
    files = fixtures(tmp_path)
    verdicts = {name: (ours_sound(p, check), tifffile_sound(p)) for name, p in files.items()}
    disagree = {n: v for n, v in verdicts.items() if v[0] != v[1]}
    summary_lines.append(f"TIFF structure, DepositDesk vs tifffile full read: {len(files) - len(disagree)}"
                         f"/{len(files)} agree")
    assert not disagree, f"(ours, tifffile) differ on: {disagree}"
    assert not verdicts["truncated"][0] and not verdicts["damaged"][0] and verdicts["ome"][0]


@pytest.mark.skipif(TIFFINFO is None, reason="tiffinfo not installed (Debian package libtiff-tools)")
def test_tiffinfo_agrees_on_every_fixture(tmp_path: Path, check, summary_lines: list[str]) -> None:
    files = fixtures(tmp_path)
    verdicts = {name: (ours_sound(p, check), tiffinfo_sound(p)) for name, p in files.items()}
    disagree = {n: v for n, v in verdicts.items() if v[0] != v[1]}
    summary_lines.append(f"TIFF structure, DepositDesk vs libtiff tiffinfo -D: {len(files) - len(disagree)}"
                         f"/{len(files)} agree ({', '.join(sorted(files))})")
    assert not disagree, f"(ours, tiffinfo) differ on: {disagree}"
    assert sum(not ours for ours, _ in verdicts.values()) == 3  # truncated, damaged, no IFD
