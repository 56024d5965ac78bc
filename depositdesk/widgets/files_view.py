"""`FilesPanel`: the project's data files with format, size, md5 and validation status.

Files come from the SDRF's file columns and from drops / "Add files…". The
window runs the validators' `validate_files` in a worker and feeds each
`FileReport` here (`set_report`) as it arrives; the overall bar counts bytes
over all files, the per-file bar the file being read. Results from the
validators' cache are marked "cached"; they are shown as soon as the files are
listed (`cached_reports`), without pressing Validate. A file whose format has
no content check is "not checked", never "valid". A file outside the project
folder carries FILE-OUTSIDE-PROJECT (the SDRF can only name it once it is
linked or copied in).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
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

from depositdesk.findings import Finding, Location, Severity, counted, finding, severity_counts
from depositdesk.progress import Progress, human_bytes
from depositdesk.validators import codes
from depositdesk.validators.image_summary import image_summary
from depositdesk.widgets import icons

AnyIndex = QModelIndex | QPersistentModelIndex
COLUMNS = ("File", "Format", "Size", "MD5", "Status", "Pixel size")
LOSSY_COLOUR = "#b35c00"
PATH_ROLE = Qt.ItemDataRole.UserRole + 1
UNCHECKED_CODES = frozenset({codes.FILE_NOT_CHECKED, codes.FILE_UNKNOWN_FORMAT})


def human_size(n: int) -> str:
    return human_bytes(n)


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
    notes: list[Finding] = field(default_factory=list)   # about where the file is, not its content
    pixel_size: str = ""          # images: "0.65 × 0.65 µm" or "none"; other files: ""
    lossy: bool = False           # a lossy image copy (IMG-LOSSY)


class FilesModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.entries: list[FileEntry] = []
        self._by_path: dict[str, int] = {}
        self.folder: Path | None = None

    def set_folder(self, folder: Path | None) -> None:
        """The project folder: files outside it get FILE-OUTSIDE-PROJECT."""
        self.folder = folder

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
            self.entries.append(FileEntry(p, size, status=status, notes=self._notes(p)))
        self.endInsertRows()
        return len(new)

    def _notes(self, path: Path) -> list[Finding]:
        from depositdesk.widgets.file_rows_plan import relative_name

        if self.folder is None or relative_name(path, self.folder) is not None:
            return []
        return [finding(codes.FILE_OUTSIDE_PROJECT,
                        f"{path} is outside the project folder {self.folder}: the SDRF can name it only "
                        "once it is linked or copied in ('Create SDRF rows' offers both)",
                        Location(file=str(path)))]

    def replace_path(self, old: Path, new: Path) -> None:
        """A file brought into the project folder: its entry now names the new place."""
        row = self.row_of(old)
        if row < 0:
            self.add_files([new])
            return
        if self.row_of(new) >= 0:  # listed under both names: keep the new one only
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.entries[row]
            self.endRemoveRows()
            self._by_path = {str(e.path): i for i, e in enumerate(self.entries)}
            return
        entry = self.entries[row]
        del self._by_path[str(old)]
        entry.path, entry.notes = new, self._notes(new)
        entry.findings = [f.with_location(file=str(new)) for f in entry.findings]
        self._by_path[str(new)] = row
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

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
        """Take one validators `FileReport` of a listed file (a report of another project's file is dropped)."""
        row = self.row_of(report.path)
        if row < 0:
            return
        entry = self.entries[row]
        entry.format = " ".join(p for p in (report.format or "unknown", report.compression or "") if p)
        entry.size, entry.md5 = report.size, report.md5 or ""
        entry.findings, entry.worst, entry.checked = list(report.findings), report.worst, True
        entry.status = _status_text(report)
        summary = image_summary(report)
        entry.pixel_size, entry.lossy = summary.pixel_size, bool(summary.lossy)
        if entry.lossy:
            entry.format += " (lossy)"
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
            return (e.path.name, e.format, human_size(e.size), e.md5, e.status, e.pixel_size)[col]
        if role == Qt.ItemDataRole.ForegroundRole and (
                (col == 1 and e.lossy) or (col == 5 and e.pixel_size == "none")):
            return QColor(LOSSY_COLOUR)     # what BIA and IDR refuse: a lossy copy, no pixel size
        if role == PATH_ROLE:
            return str(e.path)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [str(e.path)] + [f.describe() for f in [*e.notes, *e.findings][:10]]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.DecorationRole and col == 4 and e.checked:
            if e.worst is None and not _unchecked(e.findings):
                return icons.ok_icon()
            return icons.severity_icon(e.worst or Severity.INFO)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


def _unchecked(items: list[Finding]) -> bool:
    return any(f.code in UNCHECKED_CODES for f in items)


def _status_text(report: Any) -> str:
    """'2 errors', 'valid', 'valid, 1 warning' - or 'not checked' when no validator read the content."""
    counts = severity_counts(report.findings)
    if counts[Severity.ERROR]:
        text = counted(counts[Severity.ERROR], "error")
    elif _unchecked(report.findings):
        others = counts[Severity.WARNING] - sum(
            1 for f in report.findings if f.code in UNCHECKED_CODES and f.severity == Severity.WARNING)
        text = "not checked" + (f", {counted(others, 'warning')}" if others else "")
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
        self.rows_button.setToolTip("Put the files into the rows of their samples (found by name; _R1/_R2 and "
                                    "_1/_2 mates share a sample), new rows only for the others; "
                                    "a preview shows the mapping first")
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

    def reset(self, folder: Path | None) -> None:
        """Another project: no file, no result, no progress of the previous one."""
        self.model.clear()
        self.model.set_folder(folder)
        self.set_running(False)
        self.overall.setValue(0)
        self.current.setValue(0)
        self.current_label.setText("No validation running.")

    def take_cached(self, reports: list[Any]) -> int:
        """Show results remembered by the validators' cache (files not changed since); how many."""
        shown = 0
        for report in reports:
            if self.model.row_of(report.path) >= 0 and not self.model.entries[self.model.row_of(report.path)].checked:
                self.model.set_report(report)
                shown += 1
        return shown

    def findings(self) -> list[Finding]:
        return [f for e in self.model.entries for f in (*e.notes, *e.findings)]


def cached_reports(paths: list[Path], profile: str) -> list[Any]:
    """The validators' cached reports of files unchanged since they were validated (none is read)."""
    from depositdesk.validators.cache import ResultCache
    from depositdesk.validators.engine import cached_report

    cache = ResultCache()
    try:
        return [r for r in (cached_report(p, profile, cache) for p in paths) if r is not None]
    finally:
        cache.close()
