"""Menus, actions and their keyboard shortcuts (the shortcuts show in the menus).

Grid actions (copy, paste, fill, rows, columns) are active while the focus is
in the SDRF page, so typing Ctrl+C in an IDF form field copies that field's
text as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from depositdesk.app import dialogs, project_ops
from depositdesk.app.targets_dialog import add_project_menu
from depositdesk.widgets import spreadsheet as ss
from depositdesk.widgets.sdrf_grid import SdrfGrid

if TYPE_CHECKING:
    from depositdesk.app.main_window import MainWindow

Keys = QKeySequence.StandardKey


def _action(window: MainWindow, text: str, slot: Callable[[], object], shortcut: Any = None,
            tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(shortcut if isinstance(shortcut, QKeySequence) else QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _on_grid(window: MainWindow, op: Callable[[SdrfGrid], object]) -> Callable[[], None]:
    def run() -> None:
        grid = window.current_grid()
        if grid is not None:
            op(grid)
    return run


def _grid_command(window: MainWindow, build: Callable[[SdrfGrid], object]) -> Callable[[], None]:
    return _on_grid(window, lambda g: ss.run(g, build(g)))  # type: ignore[arg-type]


def build_actions(window: MainWindow) -> dict[str, QAction]:
    acts: dict[str, QAction] = {}
    _file_menu(window, acts)
    _edit_menu(window, acts)
    _rows_columns_menus(window, acts)
    _view_menu(window, acts)
    add_project_menu(window, acts)   # Project > Targets…, Add required columns
    _files_menu(window, acts)
    _help_menu(window, acts)
    grid_actions = [acts[n] for n in ("copy", "paste", "clear", "fill_down", "fill_series", "insert_rows",
                                      "insert_rows_below", "delete_rows", "move_up", "move_down", "add_column",
                                      "delete_columns", "move_left", "move_right", "bind_terms")]
    for action in grid_actions:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.sdrf_page.addAction(action)
    window.grid_context_actions = grid_actions  # type: ignore[attr-defined]
    return acts


def _file_menu(window: MainWindow, acts: dict[str, QAction]) -> None:
    from depositdesk.resources.templates import templates

    menu = window.menuBar().addMenu("&File")
    new_menu = menu.addMenu("&New project")
    for i, template in enumerate(templates()):
        act = _action(window, f"{template.title}…", partial(project_ops.new_project, window, template.name),
                      "Ctrl+N" if i == 0 else None, template.description)
        new_menu.addAction(act)
        acts[f"new_{template.name}"] = act
    acts["open"] = _action(window, "&Open or import…", lambda: project_ops.open_dialog(window), Keys.Open,
                           "An IDF, an SDRF or an .xlsx workbook")
    acts["open_folder"] = _action(window, "Open project &folder…", lambda: project_ops.open_folder_dialog(window),
                                  "Ctrl+Shift+O")
    acts["save"] = _action(window, "&Save", lambda: project_ops.save(window), Keys.Save)
    acts["quit"] = _action(window, "&Quit", window.close, Keys.Quit)
    menu.addAction(acts["open"])
    menu.addAction(acts["open_folder"])
    recent = menu.addMenu("Recent projects")
    recent.aboutToShow.connect(lambda: _fill_recent(window, recent))
    menu.addSeparator()
    menu.addAction(acts["save"])
    menu.addSeparator()
    acts["submission"] = _action(window, "Su&bmission…", lambda: open_submission(window), "Ctrl+Shift+U",
                                 "Status, checklist, Build package and Upload, per target")
    menu.addAction(acts["submission"])
    acts["rembi"] = _action(window, "&REMBI metadata…", lambda: open_rembi(window), "Ctrl+Shift+M",
                            "Imaging studies: the BioImage Archive's REMBI fields, filled from the images")
    menu.addAction(acts["rembi"])
    menu.addSeparator()
    acts["settings"] = _action(window, "Se&ttings…", lambda: _open_settings(window), "Ctrl+,")
    menu.addAction(acts["settings"])
    menu.addSeparator()
    menu.addAction(acts["quit"])


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    for path in window.settings.recent_projects():
        menu.addAction(path, partial(_open_recent, window, path))
    if menu.isEmpty():
        menu.addAction("(none yet)").setEnabled(False)


def _open_recent(window: MainWindow, path: str) -> None:
    if project_ops.maybe_save(window):
        project_ops.open_project(window, path)


def _freeze(grid: SdrfGrid, n: int) -> None:
    grid.set_frozen_columns(n)


def _open_settings(window: MainWindow) -> None:
    from depositdesk.app.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.settings, window.term_service, window)
    dialogs.run_dialog(dialog)


def _edit_menu(window: MainWindow, acts: dict[str, QAction]) -> None:
    menu = window.menuBar().addMenu("&Edit")
    undo = window.undo_stack.createUndoAction(window, "&Undo")
    undo.setShortcut(Keys.Undo)
    redo = window.undo_stack.createRedoAction(window, "&Redo")
    redo.setShortcut(Keys.Redo)
    acts["undo"], acts["redo"] = undo, redo
    acts["copy"] = _action(window, "&Copy", _on_grid(window, ss.copy), Keys.Copy)
    acts["paste"] = _action(window, "&Paste", _on_grid(window, ss.paste), Keys.Paste,
                            "Paste a block from Excel/LibreOffice; rows are added when needed")
    acts["clear"] = _action(window, "C&lear cells", _grid_command(window, ss.clear_command), Keys.Delete)
    acts["fill_down"] = _action(window, "Fill &down", _grid_command(window, ss.fill_down_command), "Ctrl+D")
    acts["fill_series"] = _action(window, "Fill &series", _grid_command(window, ss.fill_series_command),
                                  "Ctrl+Shift+D", "rep1, rep2 … / 1, 2, 3 … down the selection")
    acts["find"] = _action(window, "&Find…", lambda: _open_find(window, False), Keys.Find)
    acts["replace"] = _action(window, "Find and &replace…", lambda: _open_find(window, True), "Ctrl+H")
    for name in ("undo", "redo", None, "copy", "paste", "clear", None, "fill_down", "fill_series", None,
                 "find", "replace"):
        if name is None:
            menu.addSeparator()
        else:
            menu.addAction(acts[name])


def _open_find(window: MainWindow, replace: bool) -> None:
    window.pages.setCurrentWidget(window.sdrf_page)
    window.find_bar.set_grid(window.current_grid())
    window.find_bar.open(replace)


def _rows_columns_menus(window: MainWindow, acts: dict[str, QAction]) -> None:
    rows = window.menuBar().addMenu("&Rows")
    acts["insert_rows"] = _action(window, "Insert rows &above", _grid_command(window, ss.insert_rows_command),
                                  "Ctrl+I")
    acts["insert_rows_below"] = _action(window, "Insert rows &below",
                                        _grid_command(window, lambda g: ss.insert_rows_command(g, below=True)),
                                        "Ctrl+Shift+I")
    acts["delete_rows"] = _action(window, "&Delete rows", _grid_command(window, ss.delete_rows_command),
                                  "Ctrl+-")
    acts["move_up"] = _action(window, "Move rows &up", _grid_command(window, lambda g: ss.move_rows_command(g, -1)),
                              "Alt+Up")
    acts["move_down"] = _action(window, "Move rows do&wn",
                                _grid_command(window, lambda g: ss.move_rows_command(g, 1)), "Alt+Down")
    for name in ("insert_rows", "insert_rows_below", "delete_rows", "move_up", "move_down"):
        rows.addAction(acts[name])
    cols = window.menuBar().addMenu("&Columns")
    acts["add_column"] = _action(window, "&Add column…", lambda: _add_column(window), "Ctrl+Shift+K",
                                 "Characteristics, Factor Value, Comment … with Term Source REF and accession")
    acts["delete_columns"] = _action(window, "&Delete columns", _grid_command(window, ss.delete_columns_command),
                                     "Ctrl+Shift+-")
    acts["move_left"] = _action(window, "Move column &left",
                                _grid_command(window, lambda g: ss.move_column_command(g, -1)), "Alt+Left")
    acts["move_right"] = _action(window, "Move column &right",
                                 _grid_command(window, lambda g: ss.move_column_command(g, 1)), "Alt+Right")
    acts["bind_terms"] = _action(window, "Terms &from ontologies…", lambda: _bind_terms(window), None,
                                 "Which ontologies this column's terms come from")
    for name in ("add_column", "delete_columns", "move_left", "move_right", "bind_terms"):
        cols.addAction(acts[name])


def _add_column(window: MainWindow) -> None:
    from depositdesk.widgets.add_column import AddColumnDialog

    grid = window.current_grid()
    if grid is None:
        return
    dialog = AddColumnDialog(window)
    if dialogs.run_dialog(dialog):
        headers = dialog.headers()
        grid.model.set_column_terms(headers[0], dialog.ontology_names())
        ss.run(grid, ss.insert_columns_command(grid, headers))


def _bind_terms(window: MainWindow) -> None:
    grid = window.current_grid()
    if grid is None or grid.current_cell()[1] < 0:
        return
    col = grid.current_cell()[1]
    header = grid.model.sdrf.header[col]
    current = ", ".join(grid.model.column_terms(col))
    text = dialogs.ask_text(window, "Terms from ontologies",
                            f"Ontologies for '{header}' (comma-separated; empty = free text):", current)
    if text is not None:
        grid.model.set_column_terms(header, [p.strip() for p in text.split(",") if p.strip()])


def _view_menu(window: MainWindow, acts: dict[str, QAction]) -> None:
    menu = window.menuBar().addMenu("&View")
    acts["sort_asc"] = _action(window, "Sort view A→Z by this column",
                               _on_grid(window, lambda g: g.sort_view(max(g.current_cell()[1], 0))))
    acts["sort_desc"] = _action(window, "Sort view Z→A by this column",
                                _on_grid(window, lambda g: g.sort_view(max(g.current_cell()[1], 0), True)))
    acts["unsort"] = _action(window, "View in file order", _on_grid(window, SdrfGrid.unsort_view))
    acts["filter"] = _action(window, "Filter rows by this column…", lambda: _filter(window), "Ctrl+Shift+F")
    acts["clear_filter"] = _action(window, "Show all rows", _on_grid(window, SdrfGrid.clear_filter))
    for name in ("sort_asc", "sort_desc", "unsort", "filter", "clear_filter"):
        menu.addAction(acts[name])
    freeze = menu.addMenu("Freeze first columns")
    for n in range(0, 5):
        freeze.addAction(f"{n} column{'s' if n != 1 else ''}",
                         _on_grid(window, partial(_freeze, n=n)))
    menu.addSeparator()
    acts["next_finding"] = _action(window, "Next error", lambda: window.findings_panel.next_finding(1), "F8")
    acts["previous_finding"] = _action(window, "Previous error", lambda: window.findings_panel.next_finding(-1),
                                       "Shift+F8")
    menu.addAction(acts["next_finding"])
    menu.addAction(acts["previous_finding"])
    menu.addSeparator()
    menu.addAction(window.findings_dock.toggleViewAction())
    menu.addAction(window.details_dock.toggleViewAction())
    menu.addSeparator()
    acts["reports"] = _action(window, "&Reports…", lambda: open_reports(window), "Ctrl+Shift+R",
                              "Data sets, samples, files and bytes per assay, organism, stage … of many projects")
    menu.addAction(acts["reports"])


def open_submission(window: MainWindow) -> Any:
    """The Submission view of the open project: status, checklist, Build package, Upload."""
    from depositdesk.widgets.submission_view import SubmissionDialog

    if window.project is None:
        window.show_message("Open a project first.")
        return None
    dialog = SubmissionDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    window.submission_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def open_rembi(window: MainWindow) -> Any:
    """The REMBI editor of the open project (.depositdesk/rembi.yaml)."""
    from depositdesk.widgets.rembi_editor import RembiEditor

    if window.project is None:
        window.show_message("Open a project first.")
        return None
    dialog = RembiEditor(window.project, window.term_service, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    window.rembi_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def open_reports(window: MainWindow) -> Any:
    """The Reports view, on the folder holding the open project (a lab's folder of projects)."""
    from depositdesk.widgets.reports_view import ReportsDialog

    folder = window.project.folder.parent if window.project is not None else Path.home()
    dialog = ReportsDialog(window, [folder], window.term_service)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    window.reports_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def _filter(window: MainWindow) -> None:
    grid = window.current_grid()
    if grid is None:
        return
    col = max(grid.current_cell()[1], 0)
    text = dialogs.ask_text(window, "Filter rows", f"Show rows where '{grid.model.sdrf.header[col]}' contains:")
    if text is not None:
        grid.filter_view(col, text)


def _files_menu(window: MainWindow, acts: dict[str, QAction]) -> None:
    menu = window.menuBar().addMenu("F&iles")
    acts["add_files"] = _action(window, "&Add files…", lambda: project_ops.add_files_dialog(window), "Ctrl+Shift+A")
    acts["validate"] = _action(window, "&Validate files", lambda: project_ops.validate_files(window), "F5")
    acts["cancel_validation"] = _action(window, "&Cancel validation", window.checker.cancel_validation, "Ctrl+.")
    acts["rows_from_files"] = _action(window, "Create SDRF &rows from files",
                                      lambda: project_ops.rows_from_files(window))
    acts["fill_md5"] = _action(window, "Fill &MD5 column from validation", lambda: project_ops.fill_md5(window))
    for name in ("add_files", "validate", "cancel_validation", "rows_from_files", "fill_md5"):
        menu.addAction(acts[name])


def _help_menu(window: MainWindow, acts: dict[str, QAction]) -> None:
    from depositdesk.app.about import AboutDialog

    menu = window.menuBar().addMenu("&Help")
    acts["about"] = _action(window, "&About DepositDesk and attributions",
                            lambda: dialogs.run_dialog(AboutDialog(window.term_service, window)))
    menu.addAction(acts["about"])
