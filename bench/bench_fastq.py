"""FASTQ validation + md5 against the peers, side by side in one run.

    .venv/bin/python bench/bench_fastq.py [--size-mb 1000] [--skip-peers] [--runs 3]
                                          [--data-dir /tmp/fastq-bench] [--plain-only]
                                          [--baseline-code DIR]

Generates (once, reused) a FASTQ of 150 bp reads with unique Illumina-style
names and its gzip in bench/_data (or --data-dir), then measures wall time, MB/s
(of the file as stored) and peak RSS of the tools below; with --runs N, md5sum
and DepositDesk are run in turns N times and the medians are printed beside
the ratio of the two. DepositDesk's speed is given three times: the whole process
(Python start and the engine's imports included), the validation pass alone
(``validate_file``, timed inside the same process: what each further file of a
batch or the app costs) and ``depositdesk validate --no-cache FILE``, what a
user types. The tools:
- ``md5sum`` (the floor: reading + md5 only),
- DepositDesk's engine (validate_file, no cache: all checks incl. duplicate names, + md5),
- fastQValidator's checking library (libStatGen ``FastQFile``, Debian libstatgen-dev,
  driven by a ten-line main written here) when g++ and the library are available.
fastq_info (fastq_utils) has no Debian or PyPI package, so it is not measured.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
from isal import igzip

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    Measure,
    apt_install,
    data_dir,
    have,
    measure,
    print_table,
    python_command,
    warm_page_cache,
)

READ_LENGTH = 150
DRIVER = """
// Benchmark driver: libStatGen's FastQFile, the checking library of fastQValidator.
#include <iostream>
#include "FastQFile.h"
int main(int argc, char** argv) {
    if (argc < 2) return 2;
    FastQFile validator(10, 20);
    FastQStatus::Status status = validator.validateFastQFile(argv[1], false, BaseAsciiMap::UNKNOWN, false);
    std::cout << FastQStatus::getStatusString(status) << std::endl;
    return status;
}
"""


def generate(path: Path, size_mb: int, seed: int = 7) -> None:
    """Random 150 bp reads with realistic Phred+33 qualities and unique CASAVA 1.8 names."""
    rng = np.random.default_rng(seed)
    target = size_mb * 1_000_000
    written, index = 0, 0
    tmp = path.with_suffix(".partial")
    with open(tmp, "wb") as out:
        while written < target:
            n = 20_000
            bases = np.frombuffer(b"ACGT", np.uint8)[rng.integers(0, 4, (n, READ_LENGTH))]
            quals = (np.clip(rng.normal(36, 4, (n, READ_LENGTH)), 2, 41) + 33).astype(np.uint8)
            seqs, qs = bases.tobytes(), quals.tobytes()
            parts = []
            for i in range(n):
                j = index + i
                start = i * READ_LENGTH
                parts.append(b"@SIM:1:FCX:%d:%d:%d:%d 1:N:0:ATCACG\n%s\n+\n%s\n" % (
                    1 + j // 40_000_000, 1101 + (j // 400_000) % 100, j % 20_000, j // 20_000,
                    seqs[start:start + READ_LENGTH], qs[start:start + READ_LENGTH]))
            block = b"".join(parts)
            out.write(block)
            written += len(block)
            index += n
    tmp.rename(path)


def inputs(size_mb: int, folder: Path, gzip: bool = True) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    fastq = folder / f"reads_{size_mb}mb.fastq"
    gz = folder / f"reads_{size_mb}mb.fastq.gz"
    if not fastq.exists():
        print(f"generating {fastq} ...", flush=True)
        generate(fastq, size_mb)
    if gzip and not gz.exists():
        print(f"compressing {gz} (isal igzip level 3) ...", flush=True)
        with open(fastq, "rb") as src, igzip.open(gz.with_suffix(".partial"), "wb", compresslevel=3) as dst:
            shutil.copyfileobj(src, dst, 8 << 20)
        gz.with_suffix(".partial").rename(gz)
    return fastq, gz


def statgen_validator() -> Path | None:
    """Build the libStatGen driver once (bench/_data); None when the library or g++ is missing."""
    apt_install("libstatgen-dev", "zlib1g-dev", "g++")
    if not have("g++") or not Path("/usr/include/libStatGen/FastQFile.h").exists():
        return None
    exe = data_dir() / "statgen_fastq_validator"
    if not exe.exists():
        source = data_dir() / "statgen_fastq_validator.cpp"
        source.write_text(DRIVER)
        subprocess.run(["g++", "-O2", "-I/usr/include/libStatGen", str(source), "-o", str(exe),
                        "-lStatGen", "-lz"], check=True)
    return exe


def ours(path: Path, code_dir: Path | None = None) -> list[str]:
    """The validation command; ``code_dir``: another copy of the package to run instead (a
    baseline, e.g. ``git archive COMMIT depositdesk | tar -x -C DIR``)."""
    first = f"import sys; sys.path.insert(0, {str(code_dir)!r}); " if code_dir else "import sys; "
    code = first + (
        "from pathlib import Path; from depositdesk.progress import run; "
        "from depositdesk.validators.engine import validate_file; import time; t = time.perf_counter(); "
        f"r = run(validate_file(Path({str(path)!r}), use_cache=False)); "
        "print(f'pass_seconds={time.perf_counter() - t:.4f}', file=sys.stderr); "
        "bad = [f.code for f in r.findings if f.severity >= 3]; "
        "print(r.md5, r.stats.get('reads')); sys.exit(1 if bad else 0)"
    )
    return python_command(code)


def cli(path: Path) -> list[str]:
    """What a user types: ``depositdesk validate --no-cache FILE`` (start-up and output included)."""
    return [sys.executable, "-m", "depositdesk", "validate", "--no-cache", str(path)]


def cpu_line(m: Measure) -> str:
    """CPU seconds against wall seconds: how much of a second core the run got."""
    cpu = m.cpu_seconds
    return "" if cpu is None else f"  {m.label}: {cpu:.2f} s CPU in {m.seconds:.2f} s wall ({cpu / m.seconds:.2f} cores busy)"


def per_gb(m: Measure, content_bytes: int, what: str = "") -> str:
    """CPU seconds per GB: what the run costs whatever else the machine is doing (wall times are not)."""
    cpu = m.cpu_seconds
    return "" if cpu is None else f"  {m.label}: {cpu / (content_bytes / 1e9):.2f} s CPU per GB {what}".rstrip()


def ratio(a: Measure, b: Measure) -> str:
    return f"{a.mb_per_s / b.mb_per_s:.2f}x"


def pass_seconds(m: Measure) -> float | None:
    """The validation pass alone, as the measured process printed it (see ``ours``)."""
    match = re.search(r"pass_seconds=([\d.]+)", m.note)
    return float(match.group(1)) if match else None


def median_measure(runs: list[Measure]) -> Measure:
    """The run of median wall time (its RSS and CPU with it)."""
    return sorted(runs, key=lambda m: m.seconds)[len(runs) // 2]


def plain_runs(fastq: Path, size: int, runs: int,
               baseline: Path | None = None) -> tuple[Measure, Measure, float, Measure | None, float, Measure]:
    """md5sum, DepositDesk in-process and as the command (and the baseline code) in turns; the medians,
    and the medians of the pass-alone times."""
    md5s, ourss, passes, bases, base_passes, clis = [], [], [], [], [], []
    for i in range(runs):
        md5s.append(measure("md5sum", ["md5sum", str(fastq)], size))
        ourss.append(measure("depositdesk (validate + md5)", ours(fastq), size))
        passes.append(pass_seconds(ourss[-1]) or ourss[-1].seconds)
        clis.append(measure("depositdesk validate (the command)", cli(fastq), size))
        line = (f"  run {i + 1} (load {os.getloadavg()[0]:.1f}): md5sum {md5s[-1].mb_per_s:.0f} MB/s, "
                f"depositdesk {ourss[-1].mb_per_s:.0f} MB/s (pass alone {size / 1e6 / passes[-1]:.0f} "
                f"MB/s, {ourss[-1].peak_rss_mb:.0f} MB RSS), the command {clis[-1].mb_per_s:.0f} MB/s")
        if baseline:
            bases.append(measure("depositdesk, baseline code", ours(fastq, baseline), size))
            base_passes.append(pass_seconds(bases[-1]) or bases[-1].seconds)
            line += f", baseline {size / 1e6 / base_passes[-1]:.0f} MB/s pass alone"
        print(line, flush=True)
    return (median_measure(md5s), median_measure(ourss), statistics.median(passes),
            median_measure(bases) if bases else None, statistics.median(base_passes) if bases else 0.0,
            median_measure(clis))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1000)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="md5sum and DepositDesk N times each, medians")
    parser.add_argument("--data-dir", type=Path, default=None, help="where the inputs are made (bench/_data)")
    parser.add_argument("--plain-only", action="store_true", help="no gzip file, no gzip figures")
    parser.add_argument("--baseline-code", type=Path, default=None,
                        help="a folder holding another copy of the depositdesk package, run in turns too")
    args = parser.parse_args()
    fastq, gz = inputs(args.size_mb, args.data_dir or data_dir(), gzip=not args.plain_only)
    plain_size = fastq.stat().st_size
    gz_size = gz.stat().st_size if gz.exists() else 0
    env_note = (f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; {plain_size / 1e6:.0f} MB FASTQ"
                + (f", {gz_size / 1e6:.0f} MB gzip" if gz_size else ""))
    statgen = None if args.skip_peers else statgen_validator()
    warm_page_cache(fastq, *([gz] if gz_size else []))  # every tool reads from the page cache

    md5sum, dd_plain, alone, base, base_alone, command = plain_runs(fastq, plain_size, max(1, args.runs),
                                                                    args.baseline_code)
    plain = [md5sum, dd_plain, command]
    if statgen:
        plain.append(measure("fastQValidator lib (libStatGen FastQFile)", [str(statgen), str(fastq)],
                           plain_size))
    runs_note = f", median of {args.runs} runs" if args.runs > 1 else ""
    print_table(f"FASTQ, plain ({env_note}{runs_note})", plain)
    alone_mb_s = plain_size / 1e6 / alone
    print(f"  md5sum {md5sum.mb_per_s:.0f} MB/s; depositdesk {dd_plain.mb_per_s:.0f} MB/s whole command, "
          f"{alone_mb_s:.0f} MB/s validation pass alone; peak RSS {dd_plain.peak_rss_mb:.0f} MB")
    print(f"  depositdesk / md5sum speed: {ratio(plain[1], plain[0])} whole process, "
          f"{alone_mb_s / md5sum.mb_per_s:.2f}x validation pass, {ratio(command, md5sum)} "
          "`depositdesk validate` (target >= 0.90x)")
    if base:
        print(f"  baseline code: {base.mb_per_s:.0f} MB/s whole command, {plain_size / 1e6 / base_alone:.0f} "
              f"MB/s pass alone ({plain_size / 1e6 / base_alone / md5sum.mb_per_s:.2f}x md5sum), "
              f"{base.peak_rss_mb:.0f} MB RSS")
        print(per_gb(base, plain_size))
    print(cpu_line(plain[0]))
    print(cpu_line(plain[1]))
    print(per_gb(plain[0], plain_size))
    print(per_gb(plain[1], plain_size))
    if not gz_size:
        return

    packed = [measure("md5sum", ["md5sum", str(gz)], gz_size),
              measure("depositdesk (validate + md5)", ours(gz), gz_size)]
    if statgen:
        packed.append(measure("fastQValidator lib (libStatGen FastQFile)", [str(statgen), str(gz)], gz_size))
    print_table("FASTQ.gz (MB/s of the compressed file)", packed)
    print(cpu_line(packed[1]))
    print(per_gb(packed[1], plain_size, "of content"))
    if statgen:
        print(f"  depositdesk / fastQValidator speed on .gz: {ratio(packed[1], packed[2])} (target >= 4x)")
        print(f"  depositdesk / fastQValidator speed on plain: {ratio(plain[1], plain[3])}")


if __name__ == "__main__":
    main()
