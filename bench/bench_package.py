"""Benchmark: build the GEO and BIA packages of a project of 10,000 small data files whose md5s are cached.

    .venv/bin/python -m bench.bench_package [--files 10000] [--target geo|bia|all] [--repeat 1]

The project (the example's IDF, one SDRF row per library, one small FASTQ each) is generated
under bench/_data/ and validated once in a child process, so the validators' cache holds every
md5 (the cache lives under bench/_data/, not in the user's folder). Each build then runs in a
child process of its own, under GNU time: printed are the seconds of ``build_package`` alone,
the child's whole wall time (imports and opening the project included), the child's peak RSS
(GNU time's, so nothing of this parent is counted) and the peak RSS of the build alone (the
kernel's high-water mark reset just before the build, read just after). Interleaved with them,
as the floor of any build, the peer: a bare ``os.link`` loop over the same files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench._common import GNU_TIME, apt_install, data_dir

EXAMPLE = Path(__file__).resolve().parent.parent / "depositdesk/resources/examples/chipseq-dmel"
HEADER = ["Source Name", "Characteristics[organism]", "Characteristics[organism part]", "Sample Name",
          "Assay Name", "Comment[title]", "Comment[library strategy]", "Comment[molecule]",
          "Comment[single or paired-end]", "Parameter Value[instrument model]",
          "Parameter Value[genome assembly]", "Array Data File"]


def make_project(folder: Path, n: int) -> None:
    if (folder / "done").is_file() and len(list(folder.glob("*.fastq.gz"))) == n:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    idf = (EXAMPLE / "chipseq-dmel.idf.txt").read_text(encoding="utf-8")
    (folder / "bench.idf.txt").write_text(idf.replace("chipseq-dmel.sdrf.txt", "bench.sdrf.txt"), encoding="utf-8")
    rows = ["\t".join(HEADER)]
    for i in range(n):
        name = f"lib{i:05d}.fastq.gz"
        reads = f"@r{i}\nACGTACGTAC\n+\nIIIIIIIIII\n".encode()
        (folder / name).write_bytes(gzip.compress(reads, mtime=0))
        rows.append("\t".join([f"src{i}", "Drosophila melanogaster", "embryo", f"sample{i}", f"lib{i:05d}",
                               f"library {i}", "ChIP-Seq", "genomic DNA", "single", "Illumina HiSeq 2000",
                               "dm6", name]))
    (folder / "bench.sdrf.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "done").write_text("ok\n")


def warm_cache(folder: Path) -> None:
    from depositdesk.magetab.project import Project
    from depositdesk.progress import run
    from depositdesk.validators.engine import validate_files

    run(validate_files(Project.open(folder).data_files(), jobs=2))


def _reset_peak_rss() -> bool:
    """Reset this process's RSS high-water mark (Linux: '5' into clear_refs); False where impossible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_rss_mb() -> float:
    match = re.search(r"^VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    return int(match.group(1)) / 1024 if match else float("nan")


def build_once(folder: Path, target: str, out: Path) -> None:
    """Child: open the project, build one package, print a JSON line with the build's figures."""
    from depositdesk.magetab.project import Project
    from depositdesk.packaging.packages.build import build_package

    shutil.rmtree(out, ignore_errors=True)
    project = Project.open(folder)
    reset = _reset_peak_rss()
    started = time.monotonic()
    result = build_package(project, target, out, force=True)
    seconds = time.monotonic() - started
    print(json.dumps({"built": result.built, "seconds": seconds,
                      "build_peak_mb": _peak_rss_mb() if reset else None, "linked": result.linked,
                      "copied": result.copied, "entries": len(result.entries),
                      "errors": sum(1 for f in result.findings if f.severity.label == "error")}))


def link_once(folder: Path, out: Path) -> None:
    """Child, the peer: hard-link every data file into an empty folder, nothing else."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    started = time.monotonic()
    count = 0
    for entry in os.scandir(folder):
        if entry.name.endswith(".fastq.gz"):
            os.link(entry.path, out / entry.name)
            count += 1
    print(json.dumps({"built": True, "seconds": time.monotonic() - started, "build_peak_mb": None,
                      "linked": count, "copied": 0, "entries": count, "errors": 0}))


def timed_child(args: list[str]) -> tuple[dict, float, float]:
    """Run this module in a child under GNU time: (its JSON line, wall seconds, peak RSS MB)."""
    if not GNU_TIME.exists():
        apt_install("time")
    command = [sys.executable, "-m", "bench.bench_package", *args]
    started = time.monotonic()
    proc = subprocess.run([str(GNU_TIME), "-f", "peak_rss_kb=%M", *command], capture_output=True, text=True,
                          check=False)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    match = re.search(r"peak_rss_kb=(\d+)", proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1]), wall, int(match.group(1)) / 1024 if match else float("nan")


def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--target", choices=("geo", "bia", "all"), default="all")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of (peer, targets), interleaved")
    parser.add_argument("--warm", metavar="FOLDER", help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=3, metavar=("FOLDER", "TARGET", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--link", nargs=2, metavar=("FOLDER", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["XDG_CACHE_HOME"] = str(data_dir() / "package-cache")
    if args.warm:
        warm_cache(Path(args.warm))
        return
    if args.build:
        build_once(Path(args.build[0]), args.build[1], Path(args.build[2]))
        return
    if args.link:
        link_once(Path(args.link[0]), Path(args.link[1]))
        return
    folder = data_dir() / f"package-{args.files}"
    make_project(folder, args.files)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "bench.bench_package", "--warm", str(folder)], check=True)
    print(f"validated (cache warmed) in {time.monotonic() - started:.1f} s ({load()})")
    targets = ["geo", "bia"] if args.target == "all" else [args.target]
    out = data_dir() / f"package-{args.files}-out"
    for _ in range(args.repeat):
        runs = [("bare os.link loop (peer)", ["--link", str(folder), str(out)])]
        runs += [(f"{t.upper()} package", ["--build", str(folder), t, str(out)]) for t in targets]
        for label, child in runs:
            before = load()
            info, wall, peak = timed_child(child)
            build_peak = "" if info["build_peak_mb"] is None else f", build alone peak RSS {info['build_peak_mb']:.0f} MB"
            print(f"{label:<26} {args.files} files: built={info['built']} in {info['seconds']:.2f} s "
                  f"(child {wall:.2f} s, peak RSS {peak:.0f} MB{build_peak}), {info['linked']} linked, "
                  f"{info['copied']} copied, {info['entries']} manifest entries, {info['errors']} errors "
                  f"[{before}]")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
