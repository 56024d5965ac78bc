"""`MainWindow`: the project's pages (IDF form, SDRF grid, files) and the panels around them.

The window owns one `Project` at a time, one undo stack for every edit of it,
one `SdrfTableModel` per SDRF. Menus and shortcuts are built in
`depositdesk.app.actions`; opening/saving/autosave in
`depositdesk.app.project_ops`; findings in `depositdesk.app.checking`.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from depositdesk.app import collector, project_ops
from depositdesk.app.actions import build_actions
from depositdesk.app.checking import Checker
from depositdesk.app.citation_action import add_citation_action
from depositdesk.app.settings import AppSettings
from depositdesk.app.workers import favour_the_gui_thread, launch, make_task, simple_task
from depositdesk.findings import Finding
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import SdrfChange
from depositdesk.packaging.targets.base import folder_targets
from depositdesk.widgets import icons
from depositdesk.widgets.files_view import FilesPanel
from depositdesk.widgets.find_bar import FindBar
from depositdesk.widgets.findings_panel import FindingsPanel
from depositdesk.widgets.idf_form import IdfForm
from depositdesk.widgets.sdrf_grid import SdrfGrid
from depositdesk.widgets.sdrf_model import SdrfTableModel
from depositdesk.widgets.target_delegate import install_target_columns
from depositdesk.widgets.term_bindings import load_bindings
from depositdesk.widgets.term_completer import TermDelegate, TermDetails

PAGE_IDF, PAGE_SDRF, PAGE_FILES = 0, 1, 2


class MainWindow(QMainWindow):
    def __init__(self, settings: AppSettings | None = None, term_service: Any = None) -> None:
        super().__init__()
        collector.install()   # garbage cycles are collected on this thread only (see the module)
        favour_the_gui_thread()
        self.settings = settings or AppSettings()
        self.term_service = term_service
        self.project: Project | None = None
        self.undo_stack = QUndoStack(self)
        self.models: list[SdrfTableModel] = []
        self.grids: list[SdrfGrid] = []
        self.delegates: list[TermDelegate] = []
        self._listeners: list[tuple[Any, Any]] = []
        self.idf_form: IdfForm | None = None
        self.setWindowTitle("DepositDesk")
        self.setWindowIcon(icons.app_icon())
        self.setAcceptDrops(True)
        self._build_pages()
        self._build_docks()
        self.checker = Checker(self)
        self.checker.sig_validation_done.connect(self._on_validation_done)
        self.actions_by_name = build_actions(self)
        add_citation_action(self)   # File > Export citation files…
        self.undo_stack.cleanChanged.connect(lambda _clean: self.update_title())
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(self.settings.autosave_seconds * 1000)
        self.autosave_timer.timeout.connect(lambda: project_ops.autosave(self))
        self.autosave_timer.start()
        self.statusBar().showMessage("Ready.")
        self.resize(1360, 860)

    # -- layout --------------------------------------------------------------------

    def _build_pages(self) -> None:
        self.pages = QTabWidget(self)
        self.pages.setDocumentMode(True)
        self.idf_holder = QWidget()
        QVBoxLayout(self.idf_holder).setContentsMargins(0, 0, 0, 0)
        self.sdrf_page = QWidget()
        sdrf_layout = QVBoxLayout(self.sdrf_page)
        sdrf_layout.setContentsMargins(0, 0, 0, 0)
        sdrf_layout.setSpacing(0)
        self.find_bar = FindBar(self.sdrf_page)
        self.sdrf_tabs = QTabWidget(self.sdrf_page)
        self.sdrf_tabs.setTabPosition(QTabWidget.TabPosition.South)
        sdrf_layout.addWidget(self.sdrf_tabs, 1)
        sdrf_layout.addWidget(self.find_bar)
        self.find_bar.hide()
        self.files_panel = FilesPanel(self)
        self.pages.addTab(self.idf_holder, "Investigation (IDF)")
        self.pages.addTab(self.sdrf_page, "Samples and data (SDRF)")
        self.pages.addTab(self.files_panel, "Files")
        self.setCentralWidget(self.pages)
        self.files_panel.sig_validate.connect(lambda: project_ops.validate_files(self))
        self.files_panel.sig_cancel.connect(lambda: self.checker.cancel_validation())
        self.files_panel.sig_add_files.connect(lambda: project_ops.add_files_dialog(self))
        self.files_panel.sig_make_rows.connect(lambda: project_ops.rows_from_files(self))
        self.find_bar.sig_message.connect(self.show_message)
        self.sdrf_tabs.currentChanged.connect(lambda _i: self.find_bar.set_grid(self.current_grid()))

    def _build_docks(self) -> None:
        self.findings_panel = FindingsPanel(self)
        self.findings_panel.sig_activated.connect(self.jump_to_finding)
        self.findings_dock = QDockWidget("Findings", self)
        self.findings_dock.setObjectName("findings")
        self.findings_dock.setWidget(self.findings_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self.term_details = TermDetails(self)
        self.details_dock = QDockWidget("Term details", self)
        self.details_dock.setObjectName("term-details")
        self.details_dock.setWidget(self.term_details)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.details_dock)
        self.resizeDocks([self.findings_dock], [220], Qt.Orientation.Vertical)
        self.resizeDocks([self.details_dock], [260], Qt.Orientation.Horizontal)

    # -- the project ------------------------------------------------------------------

    def set_project(self, project: Project, data_files: list[Path] | None = None) -> None:
        """Show ``project`` in every page (the previous one is let go).

        ``data_files``: the SDRFs' data files on disk, when the caller has listed them already.
        """
        self._drop_project()
        self.project = project
        self.undo_stack.clear()
        self.idf_form = IdfForm(project.idf, self.undo_stack, self.idf_holder)
        layout = self.idf_holder.layout()
        assert layout is not None
        layout.addWidget(self.idf_form)
        bindings = load_bindings(project.folder)
        for i, sdrf in enumerate(project.sdrfs):
            model = SdrfTableModel(sdrf, self.undo_stack, self)
            model.set_term_bindings(bindings)
            model.set_targets(folder_targets(project.folder))
            grid = SdrfGrid(model, self.sdrf_tabs)
            delegate = TermDelegate(model, self.term_service, grid, project.idf)
            for view in (grid.view, grid.frozen_view):
                # one delegate per view: a shared one sends its commitData to both views, and the
                # one that did not open the editor logs "editor that does not belong to this view"
                own = delegate if view is grid.view else TermDelegate(model, self.term_service, grid,
                                                                      project.idf)
                own.sig_highlighted.connect(self.term_details.show_hit)
                own.sig_message.connect(self.show_message)
                view.setItemDelegate(own)
                view.addActions(getattr(self, "grid_context_actions", []))
            install_target_columns(grid, folder_targets(project.folder))   # the targets' drop-down lists
            grid.sig_message.connect(self.show_message)
            listener = self._sdrf_listener(i)
            sdrf.subscribe(listener)
            self._listeners.append((sdrf, listener))
            self.models.append(model)
            self.grids.append(grid)
            self.delegates.append(delegate)
            self.sdrf_tabs.addTab(grid, sdrf.path.name if sdrf.path is not None else f"SDRF {i + 1}")
        self.sdrf_tabs.tabBar().setVisible(len(project.sdrfs) > 1)
        self.find_bar.set_grid(self.current_grid())
        self.checker.cancel_validation()  # the previous project's files: no result of theirs shows here
        self.files_panel.reset(project.folder)
        self.findings_panel.set_group("files", [])
        self.checker.reset()
        self.checker.schedule()  # after the window has shown the project
        self.pages.setCurrentIndex(PAGE_SDRF if project.sdrfs else PAGE_IDF)
        self.update_title()
        # once the new pages are laid out and polished: with a worker busy in the interpreter meanwhile,
        # each of Qt's calls into Python waited for its turn (the first show took 0.2–0.3 s more)
        QTimer.singleShot(0, partial(self._list_data_files_of, project, data_files))
        from depositdesk.widgets import resume_banner

        resume_banner.offer(self)       # an upload that stopped: offered, not asked
        collector.settle()   # the documents live long: later collections skip them

    def _list_data_files_of(self, project: Project, listed: list[Path] | None) -> None:
        if self.project is not project:     # a project opened after it meanwhile
            return
        if listed is None:
            self._list_data_files(project)
        elif listed:
            project_ops.add_files(self, listed, listed=True)

    def _list_data_files(self, project: Project) -> None:
        """Files named in the SDRF go to the files page; resolving 50,000 names runs in a worker."""
        worker = make_task(simple_task(project.data_files_on_disk, "listing data files"))
        worker.signals.finished.connect(
            lambda files: self.project is project and project_ops.add_files(self, files, listed=True))
        launch(worker)

    def _drop_project(self) -> None:
        if self.idf_form is not None:
            self.idf_form.detach()
            self.idf_form.deleteLater()
            self.idf_form = None
        if self.project is not None:
            collector.release()     # the closed project's cycles may be collected (once, by `settle`)
        for model in self.models:
            model.detach()
            model.deleteLater()     # a child of the window: it (and its document) would live as long
        self.sdrf_tabs.clear()
        for grid in self.grids:
            grid.deleteLater()
        for sdrf, listener in self._listeners:
            sdrf.unsubscribe(listener)
        self.models, self.grids, self.delegates, self._listeners = [], [], [], []
        self.project = None

    def _sdrf_listener(self, index: int) -> Any:
        return lambda phase, change: self._on_sdrf_change(index, phase, change)

    def _on_sdrf_change(self, index: int, phase: str, change: SdrfChange) -> None:
        if phase != "after":
            return
        if change.kind == "cells":
            self.checker.check_cells(index, change.cells)
        else:
            self.checker.forget_cells(index)
        self.checker.schedule()
        self.update_title()

    def current_grid(self) -> SdrfGrid | None:
        widget = self.sdrf_tabs.currentWidget()
        return widget if isinstance(widget, SdrfGrid) else None

    # -- findings -----------------------------------------------------------------------

    def jump_to_finding(self, item: Finding) -> None:
        """Double-click / F8: select the cell of a metadata finding, or show the file of a file finding."""
        where = item.location.model_index()
        for i, model in enumerate(self.models):
            if where is not None and item.location.file == model.file_name:
                self.pages.setCurrentIndex(PAGE_SDRF)
                self.sdrf_tabs.setCurrentIndex(i)
                self.grids[i].select_cell(*where)
                self.show_message(item.describe().splitlines()[0])
                return
        row = self.files_panel.model.row_of(item.location.file or "")
        if row >= 0:
            self.pages.setCurrentIndex(PAGE_FILES)
            self.files_panel.table.selectRow(row)
        elif item.location.file and self.project and item.location.file == self.project.idf_path.name:
            self.pages.setCurrentIndex(PAGE_IDF)
        self.show_message(item.describe().splitlines()[0])

    def _on_validation_done(self, message: str) -> None:
        self.files_panel.finish(message, complete=message.startswith("Validated"))
        self.findings_panel.set_group("files", self.files_panel.findings())
        self.show_message(message)

    # -- window chrome -----------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def is_modified(self) -> bool:
        if self.project is None:
            return False
        try:
            return bool(not self.undo_stack.isClean() or self.project.dirty)
        except RuntimeError:  # the C++ stack is gone: the window is being destroyed
            return bool(self.project.dirty)

    def update_title(self) -> None:
        if self.project is None:
            self.setWindowTitle("DepositDesk")
            return
        title = self.project.idf.first("Investigation Title") or self.project.folder.name
        mark = "*" if self.is_modified() else ""
        self.setWindowTitle(f"{mark}{title} — {self.project.folder} — DepositDesk")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            project_ops.add_files(self, paths)
            event.acceptProposedAction()

    def commit_open_editor(self) -> None:
        """A cell still being typed in becomes an edit now (the editor commits when it loses focus)."""
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.commit_open_editor()  # so that the unsaved-changes question sees what was typed
        if not self._stop_upload_ok() or not project_ops.maybe_save(self):
            event.ignore()
            return
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self.checker.cancel_validation()
        event.accept()

    def _stop_upload_ok(self) -> bool:
        """An upload running in the Submission view: ask before quitting stops it (it resumes later)."""
        from depositdesk.app import dialogs

        view = getattr(self, "submission_dialog", None)
        if view is None:
            return True
        try:
            if not view.upload.running():
                return True
        except RuntimeError:        # the view was closed (and deleted)
            return True
        answer = dialogs.ask(self, "Upload running", "An upload is running. Quit and stop it? The next "
                             "upload of this package resumes where it stopped.", ("yes", "cancel"))
        if answer != "yes":
            return False
        view.upload.cancel()
        return True

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        if event.type() == event.Type.ActivationChange and not self.isActiveWindow():
            project_ops.autosave(self)

    def restore_window_state(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)
