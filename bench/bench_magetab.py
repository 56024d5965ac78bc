"""Benchmark: read, write, check and graph a large SDRF (50,000 rows x 40 columns).

    .venv/bin/python -m bench.bench_magetab [--rows 50000]

Prints wall seconds for each step and the peak RSS of this process. The SDRF is
a realistic sequencing sheet: a Source -> Sample -> Extract -> Assay chain with
characteristics, their Term Source REF / Term Accession Number companions,
protocol references, comments and two file columns.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from bench._common import data_dir
from depositdesk.magetab.graph import build_graph
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project
from depositdesk.magetab.sdrf import Sdrf

CHARACTERISTICS = ["organism", "strain", "developmental stage", "sex", "organism part",
                   "cell type", "genotype", "age"]


def make_header() -> list[str]:
    header = ["Source Name"]
    for name in CHARACTERISTICS:
        header += [f"Characteristics[{name}]", "Term Source REF", "Term Accession Number"]
    header += ["Protocol REF", "Sample Name", "Protocol REF", "Extract Name", "Material Type",
               "Protocol REF", "Parameter Value[library layout]", "Assay Name", "Technology Type",
               "Comment[instrument model]", "Array Data File", "Comment[FASTQ_URI]",
               "Protocol REF", "Derived Array Data File", "Factor Value[genotype]"]
    return header


def make_rows(n: int, width: int) -> list[list[str]]:
    rows = []
    for i in range(n):
        row = [f"source {i // 4}"]
        for j, name in enumerate(CHARACTERISTICS):
            row += [f"{name} value {i % (7 + j)}", "EFO", f"EFO:{i % 1000:07d}"]
        row += ["P-growth", f"sample {i}", "P-extract", f"extract {i}", "genomic DNA",
                "P-seq", "SINGLE", f"assay {i}", "sequencing assay", "Illumina NovaSeq 6000",
                f"reads_{i}.fastq.gz", f"ftp://example.org/reads_{i}.fastq.gz", "P-align",
                f"aligned_{i}.bam", f"genotype {i % 3}"]
        assert len(row) == width
        rows.append(row)
    return rows


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    print(f"  {label:<34} {time.perf_counter() - start:7.3f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    folder = data_dir() / f"magetab-{args.rows}"
    folder.mkdir(exist_ok=True)
    sdrf_path = folder / "big.sdrf.txt"
    header = make_header()
    if not sdrf_path.exists():
        Sdrf(header, make_rows(args.rows, len(header)), path=sdrf_path).write()
    idf = Idf.blank("Benchmark")
    idf.set("SDRF File", [sdrf_path.name])
    idf.set("Protocol Name", ["P-growth", "P-extract", "P-seq", "P-align"])
    idf.set("Experimental Factor Name", ["genotype"])
    idf.set("Term Source Name", ["EFO"])
    idf_path = folder / "big.idf.txt"
    idf.write(idf_path)
    size = sdrf_path.stat().st_size
    print(f"SDRF {args.rows:,} rows x {len(header)} columns, {size / 1e6:.1f} MB")
    sdrf, _ = timed("Sdrf.read", lambda: Sdrf.read(sdrf_path))
    timed("Sdrf.write (atomic)", lambda: sdrf.write(folder / "copy.sdrf.txt"))
    project = timed("Project.open (IDF + SDRF)", lambda: Project.open(Path(idf_path)))
    timed("check_project (files not checked)", lambda: check_project(project, check_files=False))
    timed("build_graph", lambda: build_graph(project.sdrfs))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of this process           {rss:7.1f} MB")


if __name__ == "__main__":
    main()
