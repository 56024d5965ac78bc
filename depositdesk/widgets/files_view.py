"""`FilesPanel`: the project's data files with format, size, md5 and validation status.

Files come from the SDRF's file columns and from drops / "Add files…". The
window runs the validators' `validate_files` in a worker and feeds each
`FileReport` here (`set_report`) as it arrives; the overall bar counts bytes
over all files, the per-file bar the file being read. Results from the
validators' cache are marked "cached".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from depositdesk.findings import Finding, Severity, counted, severity_counts
from depositdesk.progress import Progress
from depositdesk.widgets import icons

AnyIndex = QModelIndex | QPersistentModelIndex
COLUMNS = ("File", "Format", "Size", "MD5", "Status")
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def human_size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} B"


@dataclass
class FileEntry:
    path: Path
    size: int = 0
    format: str = ""
    md5: str = ""
    status: str = "not checked"
    worst: Severity | None = None
    findings: list[Finding] = field(default_factory=list)
    checked: bool = False


class FilesModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[FileEntry] = []
        self._by_path: dict[str, int] = {}

    def add_files(self, paths: list[Path]) -> int:
        """Add files not listed yet; returns how many were new."""
        new = [p for p in dict.fromkeys(paths) if str(p) not in self._by_path]
        if not new:
            return 0
        first = len(self.entries)
        self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
        for p in new:
            try:
                size = os.stat(p).st_size
                status = "not checked"
            except OSError:
                size, status = 0, "missing"
            self._by_path[str(p)] = len(self.entries)
            self.entries.append(FileEntry(p, size, status=status))
        self.endInsertRows()
        return len(new)

    def clear(self) -> None:
        self.beginResetModel()
        self.entries, self._by_path = [], {}
        self.endResetModel()

    def row_of(self, path: str | Path) -> int:
        return self._by_path.get(str(path), -1)

    def set_status(self, path: str | Path, status: str) -> None:
        row = self.row_of(path)
        if row >= 0 and self.entries[row].status != status:
            self.entries[row].status = status
            self.dataChanged.emit(self.index(row, 4), self.index(row, 4))

    def set_report(self, report: Any) -> None:
        """Take one validators `FileReport`."""
        row = self.row_of(report.path)
        if row < 0:
            self.add_files([Path(report.path)])
            row = self.row_of(report.path)
        entry = self.entries[row]
        entry.format = " ".join(p for p in (report.format or "unknown", report.compression or "") if p)
        entry.size, entry.md5 = report.size, report.md5 or ""
        entry.findings, entry.worst, entry.checked = list(report.findings), report.worst, True
        entry.status = _status_text(report)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (e.path.name, e.format, human_size(e.size), e.md5, e.status)[col]
        if role == PATH_ROLE:
            return str(e.path)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [str(e.path)] + [f.describe() for f in e.findings[:10]]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.DecorationRole and col == 4 and e.checked:
            return icons.severity_icon(e.worst) if e.worst else icons.ok_icon()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


def _status_text(report: Any) -> str:
    counts = severity_counts(report.findings)
    if counts[Severity.ERROR]:
        text = counted(counts[Severity.ERROR], "error")
    elif counts[Severity.WARNING]:
        text = f"valid, {counted(counts[Severity.WARNING], 'warning')}"
    else:
        text = "valid"
    return text + (" (cached)" if report.from_cache else "")


class FilesPanel(QWidget):
    """The files table with its buttons and the two progress bars."""

    sig_validate = Signal()
    sig_cancel = Signal()
    sig_add_files = Signal()
    sig_make_rows = Signal()
    sig_file_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FilesModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((260, 110, 80, 260)):
            self.table.setColumnWidth(col, width)
        self.table.doubleClicked.connect(
            lambda index: self.sig_file_activated.emit(self.model.data(index, PATH_ROLE)))
        self.validate_button = QPushButton("Validate files")
        self.cancel_button = QPushButton("Cancel")
        self.add_button = QPushButton("Add files…")
        self.rows_button = QPushButton("Create SDRF rows")
        self.rows_button.setToolTip("One row per run; _R1/_R2 and _1/_2 FASTQ mates share a row's sample")
        self.validate_button.clicked.connect(self.sig_validate)
        self.cancel_button.clicked.connect(self.sig_cancel)
        self.add_button.clicked.connect(self.sig_add_files)
        self.rows_button.clicked.connect(self.sig_make_rows)
        self.overall = QProgressBar(self)
        self.current = QProgressBar(self)
        self.current_label = QLabel("No validation running.", self)
        self._build_layout()
        self.set_running(False)

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for b in (self.add_button, self.rows_button, self.validate_button, self.cancel_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        bars = QHBoxLayout()
        bars.addWidget(QLabel("All files:"))
        bars.addWidget(self.overall, 1)
        bars.addWidget(QLabel("This file:"))
        bars.addWidget(self.current, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addLayout(bars)
        layout.addWidget(self.current_label)

    def set_running(self, running: bool) -> None:
        self.validate_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self._done_bytes = 0
        self._reported: set[str] = set()
        if running:
            self.overall.setValue(0)
            self.current.setValue(0)

    def on_report(self, report: Any) -> None:
        self.model.set_report(report)
        self._reported.add(str(report.path))
        self._done_bytes += report.size

    def on_progress(self, tick: Progress) -> None:
        self.overall.setValue(int((tick.fraction or 0) * 100))
        row = self.model.row_of(tick.message)
        if row >= 0 and tick.message not in self._reported:
            entry = self.model.entries[row]
            part = max(0, tick.done - self._done_bytes)
            self.current.setValue(min(100, int(100 * part / entry.size)) if entry.size else 0)
            self.current_label.setText(f"Reading {entry.path.name} …")
            self.model.set_status(entry.path, "validating…")

    def finish(self, message: str, complete: bool = False) -> None:
        self.set_running(False)
        if complete:
            self.overall.setValue(100)
            self.current.setValue(100)
        self.current_label.setText(message)
        for entry in self.model.entries:
            if entry.status == "validating…":
                self.model.set_status(entry.path, "not checked")

    def findings(self) -> list[Finding]:
        return [f for e in self.model.entries for f in e.findings]
