#!/usr/bin/env python3
"""Set up DepositDesk on a fresh machine and run it, or run its tests.

    python3 tools/dd.py app [PROJECT]   # set up, then launch the app (example project by default)
    python3 tools/dd.py test [ARGS]     # set up, then ruff + mypy + the whole pytest suite

Only the standard library is used here, so a machine with nothing but python3
can run it. It installs the Debian packages it needs when they are missing
(as root, or through sudo), keeps its own virtual environment in .venv, and
re-installs the Python packages only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".depositdesk-installed"

# Shared libraries Qt's offscreen/xcb platforms load, fonts for rendering text,
# and the keyring's D-Bus library: the app and the tests need the same ones.
# (python3-venv, which Debian splits out of python3, is handled by ensure_venv_module.)
DEBIAN_PACKAGES = [
    "libgl1", "libegl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3",
    "fonts-dejavu-core", "libglib2.0-0",
    "libtiff-tools",  # tiffinfo: the imaging tests' peer for TIFF structure
    # Qt's xcb platform (a real X display) loads these; without them the window does not start.
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0",
    "libxcb-xinerama0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-randr0", "libxcb-shape0",
]
# The tests also start the window on a virtual X display and look for it there.
TEST_DEBIAN_PACKAGES = ["xvfb", "xauth", "x11-utils", "xdotool"]


def say(message: str) -> None:
    print(f"[depositdesk setup] {message}", flush=True)


def missing_debian_packages(names: list[str]) -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for name in names:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name],
            capture_output=True, text=True, check=False,
        )
        if "install ok installed" not in result.stdout:
            missing.append(name)
    return missing


def apt_install(names: list[str], *, required: bool = True) -> None:
    """apt-get install ``names`` (as root, or through sudo); ``required=False``: a failure is only said."""
    if not names or not shutil.which("apt-get"):
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            say(f"please install these Debian packages: {' '.join(names)}")
            return
        prefix = ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    say(f"installing Debian packages: {' '.join(names)}")
    subprocess.run([*prefix, "apt-get", "update", "-qq"], check=False, env=env)
    done = subprocess.run(
        [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *names],
        check=False, env=env,
    )
    if done.returncode != 0:
        if required:
            raise SystemExit(f"[depositdesk setup] apt-get could not install: {' '.join(names)}")
        say(f"apt-get could not install: {' '.join(names)}")


def ensure_venv_module() -> None:
    probe = subprocess.run(
        [sys.executable, "-c", "import ensurepip, venv"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        minor = f"{sys.version_info.major}.{sys.version_info.minor}"
        apt_install([f"python{minor}-venv"])


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


NO_DEPS_PACKAGES = ["cffconvert==2.0.0"]
"""Installed without their dependencies: only cffconvert's CFF 1.2.0 JSON schema file is read
(depositdesk.packaging.citation); its own pins (jsonschema<4) would clash with ours."""


def wanted_stamp(extras: str) -> str:
    wanted = (ROOT / "pyproject.toml").read_bytes() + " ".join(NO_DEPS_PACKAGES).encode()
    digest = hashlib.sha256(wanted).hexdigest()
    return f"{digest} {extras}"


def ensure_python_packages(extras: str) -> None:
    if not venv_python().exists():
        ensure_venv_module()
        say(f"creating {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    installed = STAMP.read_text().split("\n") if STAMP.exists() else []
    stamp = wanted_stamp(extras)
    if stamp in installed:
        return
    say("installing Python packages (first run takes a few minutes)")
    pip = [str(venv_python()), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    subprocess.run([*pip, "install", "-e", target], check=True)
    subprocess.run([*pip, "install", "--no-deps", *NO_DEPS_PACKAGES], check=True)
    STAMP.write_text("\n".join([*installed, stamp]))


def setup(kind: str) -> None:
    wanted = DEBIAN_PACKAGES + (TEST_DEBIAN_PACKAGES if kind == "test" else [])
    apt_install(missing_debian_packages(wanted))
    ensure_python_packages("test" if kind == "test" else "")


def run_app(args: list[str]) -> int:
    setup("app")
    # With no display the app itself says so in one line (and how to work headless), exit 2.
    return subprocess.call([str(venv_python()), "-m", "depositdesk", *args], cwd=ROOT)


def run_tests(args: list[str]) -> int:
    setup("test")
    py = str(venv_python())
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    steps = [
        ("ruff", [py, "-m", "ruff", "check", "depositdesk", "tests", "bench", "tools"]),
        ("mypy", [py, "-m", "mypy"]),
    ]
    for name, command in steps:
        say(f"{name} ...")
        if subprocess.call(command, env=env, cwd=ROOT) != 0:
            say(f"{name} failed")
            return 1
    wants_serial = any(a.startswith("-n") for a in args) or "no:xdist" in args
    jobs = [] if wants_serial else ["-n", "auto"]
    say("pytest ...")
    return subprocess.call([py, "-m", "pytest", *jobs, *args], env=env, cwd=ROOT)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"app", "test"}:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    return run_app(rest) if command == "app" else run_tests(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
