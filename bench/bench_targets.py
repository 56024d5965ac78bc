"""Benchmark: checking a 50,000-row SDRF against every target at once, and one edited cell.

    .venv/bin/python bench/bench_targets.py [ROWS]

Prints seconds (wall and CPU: on a shared machine the CPU time is the figure); the SDRF is the example project's, its rows repeated with distinct libraries.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from depositdesk.magetab.project import Project
from depositdesk.packaging.targets import all_targets, check_targets
from depositdesk.packaging.targets.base import check_cell, find_column, refresh_cells
from depositdesk.resources.examples.chipseq_metadata import make_idf, make_sdrf


def main(rows: int = 50_000) -> None:
    sdrf = make_sdrf()
    assay = sdrf.header.index("Assay Name")
    table = [list(sdrf.rows[i % len(sdrf.rows)]) for i in range(rows)]
    for i, row in enumerate(table):
        row[assay] = f"lib{i}"
    sdrf.reset(sdrf.header, table)
    folder = Path("bench-project")
    project = Project(folder, make_idf(), folder / "x.idf.txt", [sdrf])
    every = [t.name for t in all_targets()]
    declared = [t.name for t in all_targets() if t.name not in ("arrayexpress", "sdrf-proteomics")]
    for label, names in (("all targets", every), ("targets-core targets", declared)):
        start, cpu = time.perf_counter(), time.process_time()
        found = check_targets(project, names)
        print(f"{rows:,} rows, {label} ({len(names)}): {time.perf_counter() - start:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU, {len(found)} findings")
    c = find_column(sdrf, "Comment[library strategy]")
    assert c is not None
    start = time.perf_counter()
    for r in range(100):
        check_cell(every, sdrf, r, c)
    print(f"one cell against all targets: {(time.perf_counter() - start) * 10:.2f} ms")
    # an edit in the app: the edited cell's target findings replace its old ones in the last check's list
    cpu = time.process_time()
    for r in range(0, rows, max(1, rows // 20)):
        sdrf.set_cells([(r, c, "chip-seq"), (r, assay, f"lib{r}")])   # library name: a uniqueness scan
        found = refresh_cells(found, sdrf, every, [(r, c), (r, assay)])
    print(f"an edit -> its cell's target findings (refresh_cells, {rows:,} rows): "
          f"{(time.process_time() - cpu) * 1000 / 20:.1f} ms CPU per edit")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
