"""`FindBar`: find (Ctrl+F) and replace (Ctrl+H) in the SDRF grid.

Searching walks the document's rows directly (plain Python lists: about two
million cells a second), in file order from the current cell; "Replace all"
is one `SetCells` command, so one Ctrl+Z undoes it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from depositdesk.widgets.edit_commands import SetCells
from depositdesk.widgets.sdrf_grid import SdrfGrid
from depositdesk.widgets.sheet_ops import find_cells, replace_in


class FindBar(QWidget):
    sig_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid: SdrfGrid | None = None
        self.find_text = QLineEdit()
        self.find_text.setPlaceholderText("Find in cells")
        self.replace_text = QLineEdit()
        self.replace_text.setPlaceholderText("Replace with")
        self.case = QCheckBox("Match case")
        self.next_button = QPushButton("Next")
        self.previous_button = QPushButton("Previous")
        self.replace_button = QPushButton("Replace")
        self.replace_all_button = QPushButton("Replace all")
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.hide)
        self.replace_label = QLabel("Replace:")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.find_text, 2)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.case)
        layout.addWidget(self.replace_label)
        layout.addWidget(self.replace_text, 2)
        layout.addWidget(self.replace_button)
        layout.addWidget(self.replace_all_button)
        layout.addWidget(close)
        self.find_text.returnPressed.connect(self.find_next)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(lambda: self.find_next(-1))
        self.replace_button.clicked.connect(self.replace_current)
        self.replace_all_button.clicked.connect(self.replace_all)

    def set_grid(self, grid: SdrfGrid | None) -> None:
        self.grid = grid

    def open(self, replace: bool = False) -> None:
        for w in (self.replace_label, self.replace_text, self.replace_button, self.replace_all_button):
            w.setVisible(replace)
        self.show()
        self.find_text.setFocus()
        self.find_text.selectAll()

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeyEvent

        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def _hits(self) -> list[tuple[int, int]]:
        if self.grid is None:
            return []
        return find_cells(self.grid.model.sdrf.rows, self.find_text.text(), case=self.case.isChecked())

    def find_next(self, step: int = 1) -> bool:
        hits = self._hits()
        if self.grid is None or not hits:
            self.sig_message.emit(f"'{self.find_text.text()}' not found.")
            return False
        here = self.grid.current_cell()
        after = [h for h in hits if (h > here if step > 0 else h < here)]
        target = (after[0] if step > 0 else after[-1]) if after else (hits[0] if step > 0 else hits[-1])
        self.grid.select_cell(*target)
        self.find_text.setFocus()
        self.sig_message.emit(f"{len(hits):,} cell(s) contain '{self.find_text.text()}'.")
        return True

    def replace_current(self) -> None:
        if self.grid is None:
            return
        row, col = self.grid.current_cell()
        sdrf = self.grid.model.sdrf
        needle = self.find_text.text()
        if row >= 0 and needle and (needle if self.case.isChecked() else needle.casefold()) in (
                sdrf.rows[row][col] if self.case.isChecked() else sdrf.rows[row][col].casefold()):
            new = replace_in(sdrf.rows[row][col], needle, self.replace_text.text(), case=self.case.isChecked())
            self.grid.model.apply(SetCells(sdrf, [(row, col, new)], text="Replace"))
        self.find_next()

    def replace_all(self) -> int:
        if self.grid is None:
            return 0
        sdrf = self.grid.model.sdrf
        needle, case = self.find_text.text(), self.case.isChecked()
        changes = [(r, c, replace_in(sdrf.rows[r][c], needle, self.replace_text.text(), case=case))
                   for r, c in self._hits()]
        if changes:
            self.grid.model.apply(SetCells(sdrf, changes, text=f"Replace all ({len(changes)} cells)"))
        self.sig_message.emit(f"Replaced in {len(changes):,} cell(s).")
        return len(changes)
