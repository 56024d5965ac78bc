"""The project's target repositories, chosen in the app (Project > Targets…), and what follows.

`TargetsDialog` shows one checkbox per known target with its title, where its requirements come
from (template / API version) and whether it is public or controlled access. Accepting it records
the choice (`set_project_targets`, ``.depositdesk/targets.json``), and at once the grid marks the
columns the targets require, the vocabulary columns get the targets' drop-down lists and the
project is re-checked.

Project > Add required columns lists the columns the chosen targets require and the open SDRF
lacks; one entry adds one column, "All missing columns" adds them all, each as one undo step.
A new column goes after the last column of its kind (a Comment after the last Comment ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from depositdesk.magetab.columns import parse_heading
from depositdesk.packaging.targets._grid import missing_columns
from depositdesk.packaging.targets.base import (
    TargetError,
    all_targets,
    folder_targets,
    set_project_targets,
)
from depositdesk.widgets.edit_commands import InsertColumns, Macro
from depositdesk.widgets.target_delegate import install_target_columns

if TYPE_CHECKING:
    from depositdesk.app.main_window import MainWindow

QUALIFIERS = ("term_source_ref", "term_accession", "unit")


class TargetsDialog(QDialog):
    """A checkbox per target: its title, its source and its access."""

    def __init__(self, chosen: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Target repositories")
        self.boxes: dict[str, QCheckBox] = {}
        intro = QLabel("Check the project against the repositories it will be submitted to. Their "
                       "required columns are marked in the grid, their lists of values offered in it.")
        intro.setWordWrap(True)
        body = QWidget()
        rows = QVBoxLayout(body)
        for target in all_targets():
            box = QCheckBox(target.title, body)
            box.setChecked(target.name in chosen)
            box.setToolTip(f"--target {target.name}")
            access = "public" if target.public else "controlled access"
            source = QLabel(f"{target.source} · {access}", body)
            source.setWordWrap(True)
            source.setIndent(24)
            source.setStyleSheet("color: #555555;")
            rows.addWidget(box)
            rows.addWidget(source)
            self.boxes[target.name] = box
        rows.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(640, 720)

    def chosen(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]


def choose_targets(window: MainWindow) -> TargetsDialog | None:
    """Project > Targets…: the dialog, opened window-modal; accepting it applies the choice."""
    if window.project is None:
        window.show_message("Open a project first.")
        return None
    dialog = TargetsDialog(folder_targets(window.project.folder), window)
    dialog.accepted.connect(lambda: apply_targets(window, dialog.chosen()))
    dialog.open()
    window.targets_dialog = dialog  # type: ignore[attr-defined]
    return dialog


def apply_targets(window: MainWindow, names: Sequence[str]) -> None:
    """Record the targets and show what they ask for at once (marks, lists, findings)."""
    project = window.project
    if project is None:
        return
    try:
        set_project_targets(project, names)
    except (TargetError, OSError) as exc:
        window.show_message(f"The targets could not be recorded: {exc}")
        return
    show_targets(window, names)
    window.checker.schedule()
    missing = [h for grid in window.grids for h, _ in missing_columns(grid.model.sdrf, names)]
    chosen = ", ".join(names) if names else "none"
    window.show_message(f"Targets: {chosen}." + (f" {len(missing)} required column(s) missing: "
                                                  "Project > Add required columns." if missing else ""))


def show_targets(window: MainWindow, names: Sequence[str]) -> None:
    """Required-column marks and drop-down lists of every grid for ``names``."""
    for grid in window.grids:
        grid.model.set_targets(names)
        install_target_columns(grid, names)


# --- adding the missing required columns ---------------------------------------------------------
def insert_positions(header: Sequence[str], headings: Sequence[str]) -> list[tuple[int, str]]:
    """(position, heading) to insert one after the other: each after the last column of its kind."""
    current = list(header)
    out: list[tuple[int, str]] = []
    for heading in headings:
        kind = parse_heading(heading).kind
        same = [c for c, h in enumerate(current) if parse_heading(h).kind == kind]
        at = same[-1] + 1 if same else len(current)
        while at < len(current) and parse_heading(current[at]).kind in QUALIFIERS:
            at += 1       # not between a column and its Term Source REF / accession / Unit
        current.insert(at, heading)
        out.append((at, heading))
    return out


def add_required_columns(window: MainWindow, headings: Sequence[str]) -> bool:
    """Add ``headings`` to the open SDRF as one undo step."""
    grid = window.current_grid()
    if grid is None or not headings:
        return False
    sdrf = grid.model.sdrf
    commands: list[Any] = [InsertColumns(sdrf, at, [h], text=f"Add column {h}")
                           for at, h in insert_positions(sdrf.header, headings)]
    text = f"Add column {headings[0]}" if len(headings) == 1 else f"Add {len(headings)} required columns"
    grid.model.apply(commands[0] if len(commands) == 1 else Macro(commands, text=text))
    window.show_message(text + ".")
    return True


def _fill_missing_menu(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    grid = window.current_grid()
    names = folder_targets(window.project.folder) if window.project is not None else []
    missing = missing_columns(grid.model.sdrf, names) if grid is not None else []
    if not names:
        menu.addAction("(no targets chosen: Project > Targets…)").setEnabled(False)
        return
    if not missing:
        menu.addAction("(every required column is there)").setEnabled(False)
        return
    every = menu.addAction(f"All missing columns ({len(missing)})")
    every.triggered.connect(lambda _checked=False: add_required_columns(window, [h for h, _ in missing]))
    menu.addSeparator()
    for heading, label in missing:
        action = menu.addAction(f"{heading}\t{label}")   # the wording in the shortcut column, aligned
        action.setToolTip(label)
        action.triggered.connect(partial(lambda h, _checked=False: add_required_columns(window, [h]), heading))


def add_project_menu(window: MainWindow, acts: dict[str, QAction]) -> QMenu:
    """The Project menu: Targets…, Add required columns ▸."""
    menu = window.menuBar().addMenu("&Project")
    targets = QAction("&Targets…", window)
    targets.setStatusTip("The repositories this project is for: their requirements are checked and marked")
    targets.triggered.connect(lambda _checked=False: choose_targets(window))
    menu.addAction(targets)
    acts["targets"] = targets
    missing = menu.addMenu("&Add required columns")
    missing.aboutToShow.connect(lambda: _fill_missing_menu(window, missing))
    acts["add_required_columns"] = missing.menuAction()
    return menu
