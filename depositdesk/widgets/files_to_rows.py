"""The preview of "Create SDRF rows from files": file -> row, changeable, then OK or Cancel.

One line per file: the row it goes to (an existing row found by its sample's
name, a new row, or left out; the person may pick any row), what that does
(fills the row / a copy of the row for an R1/R2 mate / a new row) and the
name the SDRF will give it. A file outside the project folder says so and
offers to link, hard-link or copy it into ``data/`` (or leave it out): the
SDRF never names an absolute path. Nothing is written before OK.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depositdesk.findings import Finding, Severity
from depositdesk.widgets import icons
from depositdesk.widgets.file_bring_in import Brought
from depositdesk.widgets.file_rows_plan import Plan, relative_name

if TYPE_CHECKING:
    from depositdesk.widgets.files_view import FilesModel
    from depositdesk.widgets.sdrf_grid import SdrfGrid

COLUMNS = ("File", "Goes to", "Result", "Named in the SDRF as", "Outside the project folder")
BRING_LABELS = {"link": "Link it into data/", "hardlink": "Hard-link it into data/",
                "copy": "Copy it into data/ (md5 checked)", "skip": "Leave it out"}


def row_labels(plan: Plan) -> list[str]:
    """'row 3: liver3' for every row (its first node name), computed once for all the boxes."""
    sdrf = plan.sdrf
    nodes = [c for c in range(len(sdrf.header)) if sdrf.column(c).kind == "node"]
    labels = []
    for r, row in enumerate(sdrf.rows):
        name = next((row[c] for c in nodes if row[c].strip()), "")
        labels.append(f"row {r + 1}: {name}" if name else f"row {r + 1}")
    return labels


def _box_index(target: int | None, skip: bool, rows: int) -> int:
    """Index in the 'Goes to' list: a new row, row 1 .. row n, leave it out."""
    return rows + 1 if skip else (0 if target is None else target + 1)


class FilesToRowsDialog(QDialog):
    def __init__(self, plan: Plan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle("Create SDRF rows from files")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(plan.choices), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.row_boxes: list[QComboBox] = []
        rows = len(plan.sdrf.rows)  # one list for every box: 50,000 rows are listed once, not per file
        self.targets = QStringListModel(["a new row", *row_labels(plan), "leave it out"], self)
        self._rows = rows
        self.bring_boxes: dict[int, QComboBox] = {}
        for i in range(len(plan.choices)):
            self._fill_line(i)
        self._size_columns()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Create rows")
        self.in_order = QPushButton("Unmatched files into empty rows, in order", self)
        self.in_order.setToolTip("Files whose name matches no row go to the rows that have no file yet, "
                                 "top to bottom, one sample (R1 and R2 together) per row")
        self.in_order.clicked.connect(self.assign_in_order)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel("Each file goes to the row of its sample, found by name; R1/R2 mates share a "
                       "sample. Change 'Goes to' where the guess is wrong. Nothing is written before "
                       "'Create rows'; one Undo takes it all back.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.in_order)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(1100, min(760, 190 + 32 * max(len(plan.choices), 4)))
        self.refresh()

    def _fill_line(self, i: int) -> None:
        choice = self.plan.choices[i]
        item = QTableWidgetItem(choice.path.name)
        item.setToolTip(str(choice.path) + (f"\nfound by {choice.reason}" if choice.reason else ""))
        if choice.outside:
            item.setIcon(icons.severity_icon(Severity.WARNING))
        self.table.setItem(i, 0, item)
        box = QComboBox(self.table)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(16)  # else each box measures all 50,000 labels
        box.setModel(self.targets)
        box.setMaxVisibleItems(20)
        box.setCurrentIndex(_box_index(choice.target, choice.skip, self._rows))
        box.currentIndexChanged.connect(lambda _i, line=i: self._on_row_changed(line))
        self.table.setCellWidget(i, 1, box)
        self.row_boxes.append(box)
        for col in (2, 3):
            self.table.setItem(i, col, QTableWidgetItem(""))
        if choice.outside:
            bring = QComboBox(self.table)
            for key, label in BRING_LABELS.items():
                bring.addItem(label, key)
            bring.setCurrentIndex(bring.findData(choice.bring))
            bring.setToolTip(f"{choice.path} is outside {self.plan.folder}; an SDRF names files "
                             "relative to its project folder")
            bring.currentIndexChanged.connect(lambda _i, line=i: self._on_bring_changed(line))
            self.table.setCellWidget(i, 4, bring)
            self.bring_boxes[i] = bring
        else:
            inside = QTableWidgetItem("inside")
            inside.setForeground(Qt.GlobalColor.darkGray)
            self.table.setItem(i, 4, inside)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((250, 190, 230, 240)):
            self.table.setColumnWidth(col, width)

    def set_target(self, line: int, target: int | None, *, skip: bool = False) -> None:
        """Choose where file ``line`` goes (as the person would in its 'Goes to' box)."""
        box = self.row_boxes[line]
        box.setCurrentIndex(_box_index(target, skip, self._rows))

    def assign_in_order(self) -> None:
        if self.plan.assign_in_order():
            for line, choice in enumerate(self.plan.choices):
                box = self.row_boxes[line]
                box.blockSignals(True)
                box.setCurrentIndex(_box_index(choice.target, choice.skip, self._rows))
                box.blockSignals(False)
        self.refresh()

    def set_bring(self, line: int, how: str) -> None:
        box = self.bring_boxes[line]
        box.setCurrentIndex(box.findData(how))

    def _on_row_changed(self, line: int) -> None:
        index = self.row_boxes[line].currentIndex()
        choice = self.plan.choices[line]
        choice.skip = index == self._rows + 1
        choice.target = index - 1 if 0 < index <= self._rows else None
        self.refresh()

    def _on_bring_changed(self, line: int) -> None:
        self.plan.choices[line].bring = str(self.bring_boxes[line].currentData())
        self.refresh()

    def refresh(self) -> None:
        outcome = self.plan.outcome()
        self.in_order.setEnabled(any(c.target is None and not c.left_out for c in self.plan.choices)
                                 and bool(self.plan.free_rows()))
        for i, (choice, effect) in enumerate(zip(self.plan.choices, outcome.effects, strict=True)):
            result = self.table.item(i, 2)
            named = self.table.item(i, 3)
            if result is None or named is None:
                continue
            result.setText(effect)
            if choice.reason and effect.startswith("fills"):
                result.setToolTip(f"found by {choice.reason}")
            named.setText("" if choice.left_out else choice.sdrf_name())
            named.setForeground(Qt.GlobalColor.darkGray if choice.left_out else Qt.GlobalColor.black)
        text = f"{len(self.plan.choices)} file(s): {outcome.summary()}."
        outside = sum(1 for c in self.plan.choices if c.outside)
        if outside:
            text += f" {outside} file(s) lie outside the project folder {self.plan.folder}."
        if self.plan.already:
            text += f" {len(self.plan.already)} file(s) are named in the grid already and stay as they are."
        self.summary.setText(text)


def apply_plan(plan: Plan, grid: SdrfGrid, files: FilesModel,
               brought: Sequence[Brought] = ()) -> tuple[int, list[Finding], str]:
    """Do the accepted plan as one undo step, after the outside files were brought in.

    Returns (files written into the grid, problems of files that could not be brought in -
    those are left out -, a summary of what was done).
    """
    by_source = {b.source: b for b in brought}
    problems: list[Finding] = []
    for choice in plan.choices:
        done = by_source.get(choice.path)
        if not choice.outside or choice.left_out:
            continue
        if done is None or done.dest is None:
            choice.bring = "skip"
            if done is not None and done.problem is not None:
                problems.append(done.problem)
            continue
        choice.name = relative_name(done.dest, plan.folder) or ""
        choice.outside = not choice.name
        files.replace_path(choice.path, done.dest)
    command = plan.commands()
    first = plan.outcome()
    if command is None:
        return 0, problems, first.summary()
    grid.model.apply(command)
    written = len(plan.choices) - sum(1 for c in plan.choices if c.left_out)
    if first.fills:
        grid.select_cell(first.fills[0][0], first.fills[0][1])
    return written, problems, first.summary()
