"""Everything that produces findings for the window, and where they go.

Three sources, one panel:
- *cell checks* run in the GUI thread right after an edit (cheap: one index
  lookup per edited cell of a term column) — group ``cells``;
- *project checks* (`check_project`: grammar and structure) run in a worker on
  a snapshot of the documents, a moment after the last edit — group ``metadata``;
- *file validation* (`validate_files`) runs in a worker with progress and
  Cancel — group ``files``.
Metadata and cell findings are also handed to the grid models, which mark the
cells (`FINDINGS_ROLE`).

Every edit re-runs the checks it affects, whichever view made it: a grid edit
reaches `check_cells` and `schedule` through the window's SDRF listener; an
IDF edit (the IDF form, an undo, a journal recovery) and a change of the
files list reach `schedule` through the listeners the checker itself keeps on
the open project (`watch`), so no finding stays on screen after its cause is
gone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from depositdesk.app.saving import EditCounter, EditedMeanwhile, copy_documents
from depositdesk.app.workers import TaskWorker, launch, make_task, simple_task
from depositdesk.findings import Finding
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.ontology.model import TermHit, fold
from depositdesk.packaging.targets.base import check_targets, folder_targets, refresh_cells
from depositdesk.widgets.cell_checks import assess_cell_text
from depositdesk.widgets.edit_commands import EditCommand, Macro, SetCells, SetIdfRecords
from depositdesk.widgets.term_completer import term_source_file

if TYPE_CHECKING:
    from depositdesk.app.main_window import MainWindow

MAX_CELLS_CHECKED_AT_ONCE = 500


def check_with_targets(project: Project) -> list[Finding]:
    """What `depositdesk check PROJECT` reports: the MAGE-TAB checks and the project's chosen targets'."""
    findings = check_project(project)
    targets = folder_targets(project.folder)
    return findings + check_targets(project, targets) if targets else findings


def snapshot(project: Project) -> Project:
    """A copy of the documents for a worker to read while the person keeps editing."""
    return Project(project.folder, project.idf.copy(), project.idf_path, [s.copy() for s in project.sdrfs],
                   project.read_findings, idf_made_up=project.idf_made_up)


def with_qualified_cells(sdrf: Sdrf, cells: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The edited cells plus the term cells their Term Source REF / Accession / Unit columns qualify.

    A term cell is checked against its accession, so editing the accession must re-check the term.
    """
    out = dict.fromkeys(cells)
    for row, col in cells:
        if 0 <= col < len(sdrf.header):
            qualified = sdrf.column(col).attached_to
            if qualified is not None:
                out.setdefault((row, qualified))
    return list(out)


def fill_command(sdrf: Sdrf, fills: Sequence[tuple[int, int, TermHit]], idf: Idf | None) -> EditCommand | None:
    """One edit writing each term's label, Term Source REF and accession (cells changed since are left)."""
    changes: list[tuple[int, int, str]] = []
    sources: list[str] = []
    for row, col, hit in fills:
        source, accession = sdrf.companions(col)
        if (accession is None or row >= len(sdrf.rows) or sdrf.rows[row][accession].strip()
                or fold(sdrf.rows[row][col]) != fold(hit.label)):
            continue
        changes += [(row, col, hit.label), (row, accession, hit.accession)]
        if source is not None:
            changes.append((row, source, hit.ontology))
            sources.append(hit.ontology)
    if not changes:
        return None
    labels = {hit.label for _, _, hit in fills}
    text = (f"Fill in the accession of '{fills[0][2].label}' ({fills[0][2].accession})" if len(labels) == 1
            else f"Fill in the accessions of {len(labels)} terms")
    cells = SetCells(sdrf, changes, text=text)
    known = {n.casefold() for n in idf.term_source_names()} if idf is not None else set()
    missing = list(dict.fromkeys(o for o in sources if o.casefold() not in known))
    if idf is None or not missing:
        return cells
    records = [dict(r) for r in idf.records("term_source")]
    records += [{"Term Source Name": o, "Term Source File": term_source_file(o)} for o in missing]
    return Macro([cells, SetIdfRecords(idf, "term_source", records)], text=text)


class Checker(QObject):
    sig_metadata_checked = Signal()
    sig_validation_done = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.metadata: list[Finding] = []
        self.cells: dict[tuple[int, int, int], list[Finding]] = {}
        self.project_worker: TaskWorker | None = None
        self.validation_worker: TaskWorker | None = None
        self._again = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(700)
        self.timer.timeout.connect(self.check_project_now)
        self._watched: Idf | None = None
        files = window.files_panel.model
        for signal in (files.rowsInserted, files.rowsRemoved, files.modelReset):
            signal.connect(self.schedule)

    def reset(self) -> None:
        """A project was opened (or closed): drop the old findings and listen to the new IDF."""
        self.metadata, self.cells = [], {}
        self.watch(self.window.project)
        self.publish()

    def watch(self, project: Project | None) -> None:
        """Re-check a moment after any change of ``project``'s IDF (the previous IDF is let go)."""
        if self._watched is not None:
            self._watched.unsubscribe(self._on_idf_change)
        self._watched = project.idf if project is not None else None
        if self._watched is not None:
            self._watched.subscribe(self._on_idf_change)

    def _on_idf_change(self, _field: str) -> None:
        self.schedule()

    # -- project checks ---------------------------------------------------------------

    def schedule(self, *_args: Any) -> None:
        self.timer.start()

    def check_project_now(self) -> None:
        """Check a copy of the project in a worker; the SDRF rows are copied there, not here.

        Copying 50,000 rows took up to 100 ms of the GUI thread. The worker copies them as the
        background save does (`saving.copy_documents`: the edit counter tells whether the copy saw
        one state); an edit meanwhile means the check starts again on the new state.
        """
        project = self.window.project
        if project is None:
            return
        if self.project_worker is not None:
            self._again = True
            return
        counter = EditCounter(project)
        idf, idf_stamp = project.idf.copy(), counter.idf_count

        def work() -> list[Finding]:
            try:
                copy = copy_documents(project, counter, idf_stamp)
            except EditedMeanwhile:
                self._again = True
                return []
            copy.idf = idf
            return check_with_targets(copy)

        worker = make_task(simple_task(work, "checking the metadata"))
        worker.signals.finished.connect(self._on_project_checked)
        worker.signals.failed.connect(lambda msg: self.window.show_message(f"Metadata check failed: {msg}"))
        worker.signals.done.connect(counter.close)
        worker.signals.done.connect(self._on_project_worker_done)
        self.project_worker = launch(worker)

    def _on_project_checked(self, findings: list[Finding]) -> None:
        if self._again:     # the copy was not one state, or an edit came since: its findings are stale
            return
        self.metadata = list(findings)
        self.publish()
        self.sig_metadata_checked.emit()

    def _on_project_worker_done(self) -> None:
        self.project_worker = None
        if self._again:
            self._again = False
            self.check_project_now()

    # -- cell checks ----------------------------------------------------------------------

    def check_cells(self, sdrf_index: int, cells: Sequence[tuple[int, int]]) -> None:
        model = self.window.models[sdrf_index]
        service = self.window.term_service
        changed = False
        edited = set(cells)
        fills: list[tuple[int, int, TermHit]] = []
        for row, col in with_qualified_cells(model.sdrf, cells)[:MAX_CELLS_CHECKED_AT_ONCE]:
            if not (0 <= row < len(model.sdrf.rows) and 0 <= col < len(model.sdrf.header)):
                continue
            found, fill = assess_cell_text(service, model.sdrf, row, col, model.sdrf.rows[row][col],
                                           model.column_terms(col), model.file_name)
            if fill is not None and (row, col) in edited:   # typed or pasted, not a companion's edit
                fills.append((row, col, fill))
            key = (sdrf_index, row, col)
            if found or key in self.cells:
                changed = True
                if found:
                    self.cells[key] = found
                else:
                    del self.cells[key]
        names = folder_targets(self.window.project.folder) if self.window.project is not None else []
        if names:   # the chosen targets' findings of the edited cells at once; the whole check follows
            fresh = refresh_cells(self.metadata, model.sdrf, names, cells[:MAX_CELLS_CHECKED_AT_ONCE])
            if fresh != self.metadata:
                self.metadata, changed = fresh, True
        if changed:
            self.publish()
        if fills:   # after the edit's own undo step is on the stack, as a step of its own
            QTimer.singleShot(0, lambda: self._fill_terms(sdrf_index, fills))

    def _fill_terms(self, sdrf_index: int, fills: list[tuple[int, int, TermHit]]) -> None:
        """Fill the accessions of labels typed without them, unless the edit was an undo or a redo.

        After an undo the stack can redo; a fresh edit has cleared what could
        be redone. So undoing a fill does not fill the cell again.
        """
        window = self.window
        if window.undo_stack.canRedo() or not 0 <= sdrf_index < len(window.models):
            return
        model = window.models[sdrf_index]
        command = fill_command(model.sdrf, fills, window.project.idf if window.project else None)
        if command is not None:
            model.apply(command)
            window.show_message(command.text + " from the offline ontology index.")

    def forget_cells(self, sdrf_index: int) -> None:
        """Rows or columns moved: cell findings would point at the wrong cells; the next check redoes them."""
        self.cells = {k: v for k, v in self.cells.items() if k[0] != sdrf_index}

    # -- where findings go ---------------------------------------------------------------------

    def publish(self) -> None:
        cell_items = [f for items in self.cells.values() for f in items]
        panel = self.window.findings_panel
        panel.set_group("metadata", self.metadata)
        panel.set_group("cells", cell_items)
        for model in self.window.models:
            name = model.file_name
            model.set_findings(f for f in [*self.metadata, *cell_items]
                               if f.location.row is not None and f.location.file == name)

    # -- file validation ----------------------------------------------------------------------

    def validate(self, paths: Sequence[Path], profile: str, jobs: int,
                 on_report: Callable[[Any], None], on_progress: Callable[[Any], None]) -> TaskWorker | None:
        if self.validation_worker is not None or not paths:
            return None
        from depositdesk.validators.engine import validate_files

        scheduler = self.window.settings.scheduler or None   # a Dask cluster, when Settings name one

        def factory(emit: Callable[[Any], None]) -> Any:
            return validate_files(list(paths), profile, jobs=jobs, on_report=emit, scheduler=scheduler)

        worker = make_task(factory)
        worker.signals.item.connect(on_report)
        worker.signals.progress.connect(on_progress)
        worker.signals.finished.connect(lambda reports: self._validation_ended(f"Validated {len(reports)} file(s)."))
        worker.signals.cancelled.connect(lambda: self._validation_ended("Validation cancelled."))
        worker.signals.failed.connect(lambda msg: self._validation_ended(f"Validation failed: {msg}"))
        self.validation_worker = launch(worker)
        return worker

    def _validation_ended(self, message: str) -> None:
        """The worker is let go first, so a slot of the signal may start the next validation."""
        self.validation_worker = None
        self.sig_validation_done.emit(message)

    def cancel_validation(self) -> None:
        if self.validation_worker is not None:
            self.validation_worker.cancel()
