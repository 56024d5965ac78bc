"""bigWig validation speed and memory beside a pyBigWig full scan, in the same run on the same file.

Generates (once, deterministically, with pyBigWig) a bigWig of ``--values``
intervals (default 8,000,000) over four chromosomes, then times our full
validation through the engine (every block decompressed and checked + md5)
and a pyBigWig full scan (all intervals of every chromosome, the only way
pyBigWig reads every value), and md5sum for scale. Prints seconds, MB/s and
peak RSS.

    .venv/bin/python -m bench.bench_bigwig --values 500000
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench._common import Measure, data_dir, measure, print_table, python_command
from bench.bench_bam import cpu_ratio

CHROMS = [("chr1", 250_000_000), ("chr2", 240_000_000), ("chr3", 200_000_000), ("chr4", 190_000_000)]


def generate(path: Path, values: int, seed: int = 7) -> None:
    """Intervals of 1-50 bp with gaps, values like a coverage track; added in chunks to bound memory."""
    import numpy as np  # here, not at the top: a child's peak RSS starts from this process's size when forked
    import pyBigWig
    rng = np.random.default_rng(seed)
    bw = pyBigWig.open(str(path), "w")
    bw.addHeader(CHROMS, maxZooms=10)
    per_chrom = -(-values // len(CHROMS))
    for c, (name, length) in enumerate(CHROMS):
        todo, pos = min(per_chrom, values - c * per_chrom), 0
        while todo > 0:
            n = min(todo, 1_000_000)
            spans = rng.integers(1, 50, n)
            gaps = rng.integers(0, 10, n)
            starts = pos + np.cumsum(gaps + spans) - spans
            ends = starts + spans
            assert ends[-1] < length
            bw.addEntries([name] * n, starts.tolist(), ends=ends.tolist(),
                          values=rng.gamma(2.0, 3.0, n).astype(np.float64).tolist())
            pos, todo = int(ends[-1]), todo - n
    bw.close()


OURS = """
import sys
from pathlib import Path
from depositdesk.progress import run
from depositdesk.validators.engine import validate_file
report = run(validate_file(Path({path!r}), use_cache=False))
bad = [f.describe() for f in report.findings if f.severity >= 3]
print(report.stats, report.md5, bad[:3], file=sys.stderr)
sys.exit(0 if report.stats.get("intervals") == {values} and not bad and report.md5 else 3)
"""

PYBIGWIG_SCAN = """
import sys, pyBigWig
bw = pyBigWig.open({path!r})
n = 0
for chrom in bw.chroms():
    n += len(bw.intervals(chrom) or ())
sys.exit(0 if n == {values} else 3)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", type=int, default=8_000_000)
    args = parser.parse_args()
    path = data_dir() / f"bench_{args.values}.bw"
    if not path.exists():
        print(f"generating {path} ({args.values:,} values) ...")
        generate(path, args.values)
    size = path.stat().st_size
    rows: list[Measure] = [
        measure("depositdesk validate (all blocks + md5)",
                python_command(OURS.format(path=str(path), values=args.values)), size),
        measure("pyBigWig full scan (intervals of every chrom)",
                python_command(PYBIGWIG_SCAN.format(path=str(path), values=args.values)), size),
        measure("md5sum", ["md5sum", str(path)], size),
    ]
    print_table(f"bigWig, {args.values:,} values, {size / 1e6:.1f} MB", rows)
    ours, scan = rows[0], rows[1]
    if ours.ok and scan.ok:
        print(f"  pyBigWig full scan / ours: {scan.seconds / ours.seconds:.2f}x our wall time, "
              f"{cpu_ratio(scan, ours)} our CPU time; RSS {ours.peak_rss_mb:.0f} MB vs {scan.peak_rss_mb:.0f} MB")
    import depositdesk.validators.formats  # noqa: F401 - registers the validators (after the measures: RSS)

    alone = in_process(path, "bigwig")
    print(f"  our bigWig validator alone, in this process (no start-up, imports, md5): {alone:.2f} s; "
          f"pyBigWig full scan / that: {scan.seconds / alone:.2f}x")


def in_process(path: Path, fmt: str) -> float:
    """Seconds of the validator alone in this process: no interpreter start, imports or md5."""
    import time

    from depositdesk.progress import run
    from depositdesk.validators.base import Context, Sniffed, Source, validator_for

    cls = validator_for(fmt)
    assert cls is not None
    start = time.perf_counter()
    run(cls().run(Source(path, Sniffed(fmt), path.stat().st_size), Context(path.name)))
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
