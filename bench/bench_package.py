"""Benchmark: build the GEO package of a project of 10,000 small data files whose md5s are cached.

    .venv/bin/python -m bench.bench_package [--files 10000]

The project (the example's IDF, one SDRF row per library, one small FASTQ each) is generated
under bench/_data/ and validated once in a child process, so the validators' cache holds every
md5 (the cache lives under bench/_data/, not in the user's folder). The build is then timed in this
process: wall seconds and peak RSS are printed, with how many data files were hard-linked.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench._common import data_dir

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--warm", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["XDG_CACHE_HOME"] = str(data_dir() / "package-cache")
    if args.warm:
        warm_cache(Path(args.warm))
        return
    folder = data_dir() / f"package-{args.files}"
    make_project(folder, args.files)
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "bench.bench_package", "--warm", str(folder)], check=True)
    print(f"validated (cache warmed) in {time.monotonic() - started:.1f} s")

    from depositdesk.magetab.project import Project
    from depositdesk.packaging.packages.build import build_package

    out = data_dir() / f"package-{args.files}-out"
    shutil.rmtree(out, ignore_errors=True)
    started = time.monotonic()
    result = build_package(Project.open(folder), "geo", out, force=True)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"GEO package of {args.files} files: built={result.built} in {seconds:.2f} s, peak RSS {peak:.0f} MB, "
          f"{result.linked} linked, {result.copied} copied, {len(result.entries)} manifest entries")


if __name__ == "__main__":
    main()
