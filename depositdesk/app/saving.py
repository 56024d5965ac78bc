"""Saving and autosaving a big project in a worker, from a snapshot of its documents.

Turning 50,000 rows × 40 columns into text and writing them took 0.6 s on the
GUI thread. Here the worker copies the rows itself, while the person may go on
editing: a counter bumped by the document before *and* after every edit (odd =
an edit is under way) tells whether the copy saw one state — if an edit came
between, it copies again (a seqlock). The IDF is copied on the GUI thread (it
is small). The copy is then saved by `Project.save` (write every part, record
the generation, rename: `depositdesk.magetab.commit`, atomic as a set) or
written as the autosave journal. Back on the GUI thread the project takes the
new generation, and is marked saved only if nothing was edited meanwhile.
"""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop

from depositdesk.app.workers import TaskWorker, launch, make_task, simple_task
from depositdesk.magetab.project import Project, ProjectError
from depositdesk.magetab.sdrf import SdrfChange

if TYPE_CHECKING:
    from depositdesk.app.main_window import MainWindow

BACKGROUND_ROWS = 5_000
"""Projects with more SDRF rows than this save in a worker; smaller ones save at once."""


class EditedMeanwhile(Exception):
    """The IDF changed while the SDRFs were being copied: the copy is not one state; start again."""


def in_background(project: Project) -> bool:
    return sum(len(s.rows) for s in project.sdrfs) > BACKGROUND_ROWS


class EditCounter:
    """Counts edits of a project's documents: SDRF edits twice (before and after), IDF edits once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.sdrf_count = 0
        self.idf_count = 0
        for sdrf in project.sdrfs:
            sdrf.subscribe(self._on_sdrf)
        project.idf.subscribe(self._on_idf)

    def _on_sdrf(self, _phase: str, _change: SdrfChange) -> None:
        self.sdrf_count += 1

    def _on_idf(self, _field: str) -> None:
        self.idf_count += 1

    def stamp(self) -> tuple[int, int]:
        return self.sdrf_count, self.idf_count

    def close(self) -> None:
        for sdrf in self.project.sdrfs:
            sdrf.unsubscribe(self._on_sdrf)
        self.project.idf.unsubscribe(self._on_idf)


def copy_documents(project: Project, counter: EditCounter, idf_stamp: int, tries: int = 50) -> Project:
    """In the worker: a copy of ``project`` whose SDRFs are one state of the documents (see module text)."""
    for _ in range(tries):
        before = counter.sdrf_count
        if before % 2:                  # an edit is being applied on the GUI thread
            time.sleep(0.002)
            continue
        sdrfs = [sdrf.copy() for sdrf in project.sdrfs]
        if counter.sdrf_count == before:
            if counter.idf_count != idf_stamp:
                raise EditedMeanwhile()
            snap = copy.copy(project)
            snap.sdrfs = sdrfs
            return snap
    raise EditedMeanwhile()


class BackgroundSave:
    """One save or autosave of the window's project, run in a worker."""

    def __init__(self, window: MainWindow, journal: bool) -> None:
        self.window = window
        assert window.project is not None
        self.project: Project = window.project
        self.journal = journal
        self.counter = EditCounter(self.project)
        self.start_stamp = self.counter.stamp()
        self.clean_index = window.undo_stack.index()
        self.idf = self.project.idf.copy()
        self.result: Project | None = None
        self.error: str | None = None
        self.done = False
        self.worker: TaskWorker | None = None

    def start(self) -> None:
        project, counter, idf, idf_stamp, journal = (self.project, self.counter, self.idf,
                                                     self.start_stamp[1], self.journal)

        def work() -> Project:
            snap = copy_documents(project, counter, idf_stamp)
            snap.idf = idf
            if journal:
                snap.write_journal()
            else:
                snap.save()
            return snap

        rows = sum(len(s.rows) for s in project.sdrfs)
        message = f"Autosaving {rows:,} rows" if journal else f"Saving {rows:,} rows"
        self.worker = make_task(simple_task(work, message))
        self.worker.signals.finished.connect(self._finished)
        self.worker.signals.failed.connect(self._failed)
        if not journal:
            self.window.show_message(f"{message} … (you can go on editing)")
        launch(self.worker)

    def _failed(self, text: str) -> None:
        self.error = text.split(": ", 1)[-1] if text.startswith(("ProjectError", "EditedMeanwhile")) else text
        if text.startswith("EditedMeanwhile"):
            self.error = "the project kept changing while it was being copied; save again"
        self._end()

    def _finished(self, snap: Project) -> None:
        self.result = snap
        project = self.project
        assert project is not None
        if not self.journal:
            project.generation = snap.generation
            project.idf_made_up = False
            project.read_findings = snap.read_findings
            if self.unchanged():
                project.dirty = False
        self._end()

    def unchanged(self) -> bool:
        """Nothing was edited since the save began (so the files on disk are what is on screen)."""
        try:
            same_index = self.window.undo_stack.index() == self.clean_index
        except RuntimeError:   # the window is being destroyed
            same_index = True
        return self.counter.stamp() == self.start_stamp and same_index

    def _end(self) -> None:
        self.counter.close()
        self.done = True

    def wait(self) -> None:
        """Until the worker is done, with the window answering (a local event loop)."""
        loop = QEventLoop()
        assert self.worker is not None
        self.worker.signals.done.connect(loop.quit)
        if not self.done:
            loop.exec()


def running(window: MainWindow) -> BackgroundSave | None:
    job: BackgroundSave | None = getattr(window, "_background_save", None)
    return job if job is not None and not job.done else None


def save_in_background(window: MainWindow) -> BackgroundSave | None:
    """Save the project from a worker and wait for it with the window answering.

    Returns the finished save (its ``unchanged()`` says whether the window shows what was saved),
    None when a save is under way already; raises `ProjectError` when it could not be saved.
    """
    if (busy := running(window)) is not None:
        if not busy.journal:
            window.show_message("A save is under way already.")
            return None
        busy.wait()                 # an autosave first, so the two never write at once
    job = BackgroundSave(window, journal=False)
    window._background_save = job   # type: ignore[attr-defined]
    job.start()
    job.wait()
    if job.error is not None:
        raise ProjectError(job.error)
    return job


def autosave_in_background(window: MainWindow) -> bool:
    """Start writing the journal from a worker (nothing is waited for); False when one is under way."""
    if running(window) is not None:
        return False
    job = BackgroundSave(window, journal=True)
    window._background_save = job   # type: ignore[attr-defined]

    def report() -> None:
        if job.error is not None:
            window.show_message(f"Autosave failed: {job.error}")

    job.start()
    assert job.worker is not None
    job.worker.signals.done.connect(report)
    return True
