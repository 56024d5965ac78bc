"""installer.spec builds a working one-folder app: the frozen binary renders the example project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_installer_spec_builds_an_app_that_opens_the_example(tmp_path: Path) -> None:
    dist, work = tmp_path / "dist", tmp_path / "build"
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(dist), "--workpath", str(work), str(ROOT / "installer.spec")],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    binary = dist / "DepositDesk" / "DepositDesk"
    assert binary.exists()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_CACHE_HOME=str(tmp_path / "cache"))
    shot = tmp_path / "frozen.png"
    run = subprocess.run([str(binary), "--screenshot", str(shot)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.stat().st_size > 20_000  # a rendered window, not a blank image
    # the frozen command line validates the bundled example's data files
    example = next((tmp_path / "data" / "depositdesk" / "examples").iterdir())
    check = subprocess.run([str(binary), "validate", str(example), "--format", "json"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert check.returncode == 0, check.stderr[-2000:]
    assert '"md5"' in check.stdout
