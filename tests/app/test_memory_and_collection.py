"""A closed project is freed; garbage cycles are collected on the GUI thread only; data files are listed by folder.

Before: every worker stayed alive in Qt's thread pool with the closure of its task (so every
project the window had opened, and each copy a check took, stayed in memory: 150 MB per reopen
of a 50,000-row project), the SDRF models stayed children of the window, and a collection could
start on a worker thread and destroy widgets there.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QTimer

from depositdesk.app import collector, project_ops
from depositdesk.app.workers import launch, make_task, simple_task
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf


def _project(folder: Path, rows: int = 20) -> Path:
    header = ["Source Name", "Characteristics[organism]", "Assay Name", "Array Data File"]
    sdrf = Sdrf(header, [[f"s{r}", "Mus musculus", f"a{r}", f"reads/run{r}.fastq.gz"] for r in range(rows)])
    Project.create(folder, Idf.blank(folder.name), [sdrf])
    return folder


def _spin(qapp, until, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not until() and time.monotonic() < end:
        qapp.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        time.sleep(0.01)


def _idle(window) -> bool:  # type: ignore[no-untyped-def]
    return not window.checker.timer.isActive() and window.checker.project_worker is None


def test_a_project_is_freed_once_another_is_opened(qapp, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.main_window import MainWindow

    window = MainWindow(settings, None)
    assert project_ops.open_project(window, _project(tmp_path / "first"))
    window.checker.check_project_now()          # a check worker has held a copy of it
    _spin(qapp, lambda: _idle(window))
    first = weakref.ref(window.project.sdrfs[0])  # type: ignore[union-attr]
    first_project = weakref.ref(window.project)
    assert project_ops.open_project(window, _project(tmp_path / "second"))
    _spin(qapp, lambda: _idle(window))
    _spin(qapp, lambda: first() is None, timeout=5)
    gc.collect()
    held_by = [type(r).__name__ for o in (first(), first_project()) if o is not None for r in gc.get_referrers(o)]
    assert first() is None and first_project() is None, f"the closed project is still in memory, held by {held_by}"
    window.undo_stack.setClean()
    window.close()


def test_a_finished_worker_lets_go_of_what_its_task_held(qapp) -> None:  # type: ignore[no-untyped-def]
    class Big:
        pass

    def holding(obj: Big):  # type: ignore[no-untyped-def]
        return lambda: obj is not None

    held = Big()
    probe = weakref.ref(held)
    task = holding(held)
    del held
    results: list[object] = []
    worker = make_task(simple_task(task, "holding"))
    worker.signals.finished.connect(results.append)
    launch(worker)
    del task, worker
    _spin(qapp, lambda: bool(results))
    _spin(qapp, lambda: probe() is None, timeout=5)
    assert results == [True]
    assert probe() is None, "the worker (and its task's closure) outlived the task"


def test_with_a_window_open_garbage_is_collected_on_the_gui_thread_only(qapp, settings) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.main_window import MainWindow

    window = MainWindow(settings, None)
    threads: list[str] = []

    def record(phase: str, _info: dict) -> None:  # type: ignore[type-arg]
        if phase == "start":
            threads.append(threading.current_thread().name)

    def make_cycles() -> int:
        for _ in range(50_000):   # far past every threshold: CPython would collect here, on this thread
            a: list[object] = []
            a.append(a)
        return 1

    gc.callbacks.append(record)
    try:
        done: list[object] = []
        worker = make_task(simple_task(make_cycles, "garbage"))
        worker.signals.finished.connect(done.append)
        launch(worker)
        _spin(qapp, lambda: bool(done))
        assert threads == [], f"collections ran on {threads} while the worker made garbage"
        _spin(qapp, lambda: bool(threads), timeout=5)   # the GUI thread's collector does it
        assert threads and set(threads) == {threading.main_thread().name}
    finally:
        gc.callbacks.remove(record)
    window.close()


def test_settle_freezes_what_lives_and_a_closed_project_thaws_it(qapp, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.main_window import MainWindow

    window = MainWindow(settings, None)
    assert project_ops.open_project(window, _project(tmp_path / "one", rows=3000))
    _spin(qapp, lambda: _idle(window) and not collector._installed.settling.isActive())  # type: ignore[union-attr]
    row = window.project.sdrfs[0].rows[1500]  # type: ignore[union-attr]

    def collected_over(obj: object) -> bool:   # gc.get_objects() leaves out the frozen ones
        return any(o is obj for o in gc.get_objects())

    assert not collected_over(row)               # the rows are out of later collections' way
    collector.release()
    assert collected_over(row)
    window.undo_stack.setClean()
    window.close()


def test_data_files_are_listed_by_folder_with_missing_folders_and_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    (folder / "reads").mkdir(parents=True)
    (folder / "reads" / "a.fastq.gz").write_bytes(b"@r\nA\n+\nI\n")
    (folder / "top.bam").write_bytes(b"x")
    (folder / "reads" / "sub.fastq.gz").mkdir()      # a folder named like a file is not a file
    header = ["Source Name", "Array Data File", "Derived Array Data File"]
    rows = [["s1", "reads/a.fastq.gz", "top.bam"], ["s2", "reads/./a.fastq.gz", "ftp://x.org/a.bam"],
            ["s3", "nowhere/b.fastq.gz", ""], ["s4", "reads/sub.fastq.gz", "reads/missing.fastq.gz"]]
    project = Project(folder, Idf.blank("p"), folder / "p.idf.txt", [Sdrf(header, rows)])
    assert project.data_files_on_disk() == [folder / "reads" / "a.fastq.gz", folder / "top.bam"]


def test_a_big_project_is_read_in_a_worker_with_its_data_files_and_errors_as_dialogs(  # type: ignore[no-untyped-def]
        qapp, tmp_path: Path, settings, no_dialogs, monkeypatch) -> None:
    """Past `BACKGROUND_BYTES` the reading (and the data-file listing) runs in a worker: the project,
    its files on disk and a project that cannot be read reach the window as when read at once."""
    from depositdesk.app.main_window import MainWindow

    monkeypatch.setattr(project_ops, "BACKGROUND_BYTES", 0)   # this small project counts as big
    folder = _project(tmp_path / "big-enough")
    (folder / "reads").mkdir()
    for r in (0, 3):
        (folder / "reads" / f"run{r}.fastq.gz").write_bytes(b"")
    window = MainWindow(settings, None)
    nested: list[bool] = []   # a second open asked for while the first is read (the window answers)
    QTimer.singleShot(0, lambda: nested.append(project_ops.open_project(window, tmp_path / "elsewhere")))
    assert project_ops.open_project(window, folder)
    assert nested == [False] and no_dialogs == []   # refused as under way, not tried (no such folder)
    assert window.project is not None and len(window.project.sdrfs[0].rows) == 20
    _spin(qapp, lambda: window.files_panel.model.rowCount() == 2)
    assert window.files_panel.model.rowCount() == 2
    (tmp_path / "two").mkdir()
    for name in ("a.idf.txt", "b.idf.txt"):
        Idf.blank(name).write(tmp_path / "two" / name)
    assert not project_ops.open_project(window, tmp_path / "two")
    assert no_dialogs and no_dialogs[-1][0] == "Cannot open project" and "several IDF" in no_dialogs[-1][1]
    assert window.project.folder == folder       # the open project stays
    window.undo_stack.setClean()
    window.close()
