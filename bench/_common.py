"""Small helpers shared by the benchmarks: where inputs live, and measuring a command.

Benchmarks print figures; they assert nothing. Generated inputs go to
bench/_data/ (git-ignored) and are reused between runs.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tools import dd

DATA = Path(__file__).resolve().parent / "_data"


def data_dir() -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    return DATA


@dataclass(frozen=True)
class Measure:
    label: str
    seconds: float
    peak_rss_mb: float
    nbytes: int
    ok: bool = True
    note: str = ""
    cpu_seconds: float | None = None

    @property
    def mb_per_s(self) -> float:
        return self.nbytes / 1e6 / self.seconds if self.seconds > 0 else float("inf")

    def row(self) -> str:
        status = "" if self.ok else f"  (exit not 0: {self.note})"
        cpu = "" if self.cpu_seconds is None else f"  {self.cpu_seconds:7.2f} s CPU"
        return (f"  {self.label:<44} {self.seconds:8.2f} s  {self.mb_per_s:9.1f} MB/s  "
                f"{self.peak_rss_mb:8.1f} MB RSS{cpu}{status}")


GNU_TIME = Path("/usr/bin/time")
_TIME_LINE = re.compile(r"peak_rss_kb=(\d+) cpu=([\d.]+)\+([\d.]+)")


def measure(label: str, command: Sequence[str], nbytes: int, *, stdin_path: Path | None = None) -> Measure:
    """Run a command once: wall time, and its own peak RSS and CPU seconds.

    The peak RSS comes from GNU time (installed when missing): wait4's figure for
    a direct child starts at this process's RSS, inherited at fork, which would
    charge a data-generating benchmark's memory to the tool being measured.
    """
    if not GNU_TIME.exists():
        apt_install("time")
    timed = GNU_TIME.exists()
    full = [str(GNU_TIME), "-f", "peak_rss_kb=%M cpu=%U+%S", *command] if timed else list(command)
    start = time.perf_counter()
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        proc = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=stdin, check=False)
    finally:
        if stdin_path:
            stdin.close()  # type: ignore[union-attr]
    seconds = time.perf_counter() - start
    err = proc.stderr.decode(errors="replace")
    match = _TIME_LINE.search(err)
    rss_mb = int(match.group(1)) / 1024 if match else float("nan")
    cpu = float(match.group(2)) + float(match.group(3)) if match else None
    note = _TIME_LINE.sub("", err).strip()[-200:]
    return Measure(label, seconds, rss_mb, nbytes, ok=proc.returncode == 0, note=note, cpu_seconds=cpu)


def warm_page_cache(*paths: Path) -> None:
    """Read files once before timing, so the first tool measured does not pay for the disk alone."""
    for path in paths:
        with open(path, "rb", buffering=0) as handle:
            while handle.read(8 << 20):
                pass


def python_command(code: str) -> list[str]:
    """A command that runs a snippet in this same Python (so its RSS is measured alone)."""
    return [sys.executable, "-c", code]


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


def apt_install(*packages: str) -> None:
    """Install peer tools from Debian when missing (benchmarks only): the set-up script's own way."""
    for package in dd.missing_debian_packages(list(packages)):  # one by one: a peer that is not
        dd.apt_install([package], required=False)                # packaged must not stop the others


def print_table(title: str, rows: Sequence[Measure]) -> None:
    print(f"\n{title}")
    for m in rows:
        print(m.row())
