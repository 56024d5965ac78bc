"""Benchmark: checking a 50,000-row SDRF against every target at once, and one edited cell.

    .venv/bin/python bench/bench_targets.py [ROWS] [--app]

Prints seconds (wall and CPU: on a shared machine the CPU time is the figure); the SDRF is the example project's, its rows repeated with distinct libraries.
``--app`` also opens that project (targets GEO and SRA) in the window (offscreen) and times an edit of a
vocabulary cell until its target finding is on the findings panel (targets < 2 s and < 100 ms).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from depositdesk.magetab.project import Project
from depositdesk.packaging.targets import all_targets, check_targets
from depositdesk.packaging.targets.base import check_cell, find_column, refresh_cells
from depositdesk.resources.examples.chipseq_metadata import make_idf, make_sdrf


def big_project(rows: int) -> Project:
    sdrf = make_sdrf()
    assay = sdrf.header.index("Assay Name")
    table = [list(sdrf.rows[i % len(sdrf.rows)]) for i in range(rows)]
    for i, row in enumerate(table):
        row[assay] = f"lib{i}"
    sdrf.reset(sdrf.header, table)
    folder = Path("bench-project")
    return Project(folder, make_idf(), folder / "x.idf.txt", [sdrf])


def main(rows: int = 50_000) -> None:
    project = big_project(rows)
    sdrf = project.sdrfs[0]
    assay = sdrf.header.index("Assay Name")
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


def app_edit(rows: int = 50_000, edits: int = 20) -> None:
    """In the window: an edit of a vocabulary cell -> its target finding listed (GUI thread, synchronous)."""
    import os
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from depositdesk.app import project_ops
    from depositdesk.app.main_window import MainWindow
    from depositdesk.app.settings import AppSettings, make_qsettings
    from depositdesk.packaging.targets.base import set_project_targets

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        made = big_project(rows)
        project = Project.create(Path(tmp) / "big", made.idf, made.sdrfs)
        set_project_targets(project, ["geo", "sra"])
        window = MainWindow(AppSettings(make_qsettings(Path(tmp) / "settings.ini")), None)
        project_ops.open_project(window, project.folder)
        window.checker.check_project_now()
        while window.checker.project_worker is not None:
            app.processEvents()
        window.checker.timer.stop()
        model = window.models[0]
        c = model.sdrf.header.index("Comment[library strategy]")
        times = []
        for i in range(edits):
            r = (i * 2_477) % rows
            wall, cpu = time.perf_counter(), time.process_time()
            model.setData(model.index(r, c), "chip seq" if i % 2 == 0 else "ChIP-Seq")
            times.append((time.perf_counter() - wall, time.process_time() - cpu))
            shown = any(f.code == "GEO-VOCABULARY" and f.location.row == r + 1
                        for f in window.findings_panel.model.findings())
            assert shown == (i % 2 == 0), (i, shown)
        window.undo_stack.setClean()
        window.project.dirty = False  # type: ignore[union-attr]
        window.close()
    worst_wall, worst_cpu = max(t[0] for t in times), max(t[1] for t in times)
    mean_cpu = sum(t[1] for t in times) / len(times)
    print(f"in the window, {rows:,} rows, GEO + SRA: an edit -> its target finding on the panel: "
          f"{mean_cpu * 1000:.1f} ms CPU mean, {worst_cpu * 1000:.1f} ms CPU / {worst_wall * 1000:.1f} ms wall worst "
          f"({edits} edits)")


if __name__ == "__main__":
    numbers = [a for a in sys.argv[1:] if a.isdigit()]
    main(int(numbers[0]) if numbers else 50_000)
    if "--app" in sys.argv:
        app_edit(int(numbers[0]) if numbers else 50_000)
