"""Validation on a Dask LocalCluster (2 workers vs 1) against the plain local process pool, one run.

    .venv/bin/python -m bench.bench_dask [--files 40] [--size-mb 50]

Generates (once, reused) FASTQ.gz files in bench/_data (CPU-bound to validate:
gzip decoding + checks + md5) and runs ``depositdesk validate --no-cache`` on
them with ``--scheduler local:1``, ``--scheduler local:2`` and ``--jobs 2``
(the local pool). Each figure includes starting and stopping the cluster. The
target is >= 1.8x throughput for 2 workers over 1; on a 2-core machine that is
the ceiling, so anything else running on it shows in the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from isal import igzip

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import Measure, data_dir, measure, print_table, warm_page_cache  # noqa: E402
from bench.bench_fastq import generate  # noqa: E402


def inputs(count: int, size_mb: int) -> list[Path]:
    folder = data_dir() / f"dask_{count}x{size_mb}mb"
    folder.mkdir(exist_ok=True)
    plain = data_dir() / f"dask_reads_{size_mb}mb.fastq"
    if not plain.exists():
        print(f"generating {plain} ...", flush=True)
        generate(plain, size_mb)
    files = []
    for n in range(count):
        gz = folder / f"reads_{n:03d}.fastq.gz"
        if not gz.exists():
            with open(plain, "rb") as src, igzip.open(gz.with_suffix(".partial"), "wb", compresslevel=3) as dst:
                shutil.copyfileobj(src, dst, 8 << 20)
            gz.with_suffix(".partial").rename(gz)
        files.append(gz)
    return files


def command(files: list[Path], *extra: str) -> list[str]:
    return [sys.executable, "-m", "depositdesk", "validate", "--no-cache", *extra, *map(str, files)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--size-mb", type=int, default=50)
    args = parser.parse_args()
    files = inputs(args.files, args.size_mb)
    nbytes = sum(f.stat().st_size for f in files)
    warm_page_cache(*files)
    rows: list[Measure] = [
        measure("dask local:1 (1 worker)", command(files, "--scheduler", "local:1"), nbytes),
        measure("dask local:2 (2 workers)", command(files, "--scheduler", "local:2"), nbytes),
        measure("local process pool --jobs 2", command(files, "--jobs", "2"), nbytes),
        measure("local, one process --jobs 1", command(files, "--jobs", "1"), nbytes),
    ]
    print_table(f"{len(files)} FASTQ.gz files, {nbytes / 1e6:,.0f} MB as stored (wall time includes "
                "starting the cluster; CPU is the command's own, not its workers')", rows)
    one, two, pool = rows[0], rows[1], rows[2]
    print(f"\n  2 workers over 1 worker: {one.seconds / two.seconds:.2f}x (target >= 1.8x)")
    print(f"  2 Dask workers against the local pool of 2: {pool.seconds / two.seconds:.2f}x")
    single = rows[3]
    if single.cpu_seconds and single.seconds > 0:
        # One validation already runs its decoder, checks and md5 in threads of their own, so one worker keeps
        # more than one core busy; two workers cannot beat the cores left over.
        busy = single.cpu_seconds / single.seconds
        cores = os.cpu_count() or 1
        print(f"  one validating process keeps {busy:.2f} cores busy; on {cores} cores two workers can reach at "
              f"most {max(1.0, min(2.0, cores / busy)):.2f}x over one")


if __name__ == "__main__":
    main()
