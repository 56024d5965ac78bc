"""The Reports view: data sets, samples, files and bytes per assay, organism, stage ... with a bar chart.

The same counting as ``depositdesk report`` (depositdesk.reports.counting), run on a pool thread with
progress and Cancel; the table sorts by any column, the chart shows data sets per group (the first
30 groups, largest first); Export writes TSV, Excel (with its chart), HTML or JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QKeySequence, QPainter, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depositdesk.reports.counting import DIMENSIONS, Report, count_task

DEFAULT_DIMENSIONS = ("assay", "organism")
CHART_GROUPS = 30
EXPORTS = {"Tab-separated (*.tsv)": ".tsv", "Excel workbook (*.xlsx)": ".xlsx", "Web page (*.html)": ".html",
           "JSON (*.json)": ".json"}


class BarChart(QWidget):
    """Horizontal bars: one per group, its label on the left, its count at the end of the bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, int]] = []
        self.title = ""
        self.setMinimumSize(QSize(320, 160))

    def set_bars(self, title: str, bars: list[tuple[str, int]]) -> None:
        self.title, self.bars = title, bars[:CHART_GROUPS]
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, 40 + 22 * max(len(self.bars), 4))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.base())
        metrics = QFontMetrics(self.font())
        painter.setPen(palette.text().color())
        painter.drawText(QRectF(8, 4, self.width() - 16, 22), Qt.AlignmentFlag.AlignLeft, self.title)
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Nothing counted yet")
            return
        label_width = min(max(metrics.horizontalAdvance(label) for label, _ in self.bars) + 12,
                          self.width() // 2)
        most = max(n for _, n in self.bars) or 1
        height = max(12.0, min(22.0, (self.height() - 34) / len(self.bars)))
        room = self.width() - label_width - 60
        colour = QColor("#3a7bd5")
        for i, (label, n) in enumerate(self.bars):
            y = 30 + i * height
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, label_width - 12)
            painter.setPen(palette.text().color())
            painter.drawText(QRectF(4, y, label_width - 8, height), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, shown)
            width = max(2.0, room * n / most)
            painter.fillRect(QRectF(label_width, y + 3, width, height - 6), colour)
            painter.drawText(QRectF(label_width + width + 4, y, 56, height), Qt.AlignmentFlag.AlignVCenter,
                             f"{n:,}")


class ReportsDialog(QDialog):
    """Choose folders and dimensions, count (in the background), look, export."""

    def __init__(self, parent: QWidget | None, folders: list[Path], service: Any | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reports — data sets by characteristic")
        self.service = service
        self.report: Report | None = None
        self.worker: Any = None
        self.folders = QListWidget()
        self.folders.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.folders.setMaximumHeight(84)
        for folder in folders:
            self.folders.addItem(str(folder))
        self.checks = {name: QCheckBox(name) for name in DIMENSIONS}
        for name in DEFAULT_DIMENSIONS:
            self.checks[name].setChecked(True)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.chart = BarChart()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("Choose the folders of projects and what to count by, then Count.")
        self.status.setWordWrap(True)
        self._layout()
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start)

    def _layout(self) -> None:
        add = QPushButton("&Add folder…")
        add.clicked.connect(self._add_folder)
        remove = QPushButton("&Remove")
        remove.clicked.connect(lambda: [self.folders.takeItem(self.folders.row(i))
                                        for i in self.folders.selectedItems()])
        folder_buttons = QVBoxLayout()
        folder_buttons.addWidget(add)
        folder_buttons.addWidget(remove)
        folder_buttons.addStretch()
        top = QHBoxLayout()
        top.addWidget(self.folders, 3)
        top.addLayout(folder_buttons)
        dims = QHBoxLayout()
        dims.addWidget(QLabel("Count by:"))
        for box in self.checks.values():
            dims.addWidget(box)
        dims.addStretch()
        self.count_button = QPushButton("&Count")
        self.count_button.setDefault(True)
        self.count_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        dims.addWidget(self.count_button)
        dims.addWidget(self.cancel_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton("&Export…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self._export_dialog)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Projects under these folders:"))
        layout.addLayout(top)
        layout.addLayout(dims)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.resize(820, 640)

    # --- counting ---------------------------------------------------------------------------
    def dimensions(self) -> list[str]:
        return [name for name, box in self.checks.items() if box.isChecked()]

    def paths(self) -> list[Path]:
        return [Path(self.folders.item(i).text()) for i in range(self.folders.count())]

    def start(self) -> None:
        from depositdesk.app.workers import launch, make_task

        by, paths = self.dimensions(), [p for p in self.paths() if p.exists()]
        if not by or not paths:
            self.status.setText("Choose at least one folder that exists and one characteristic to count by.")
            return
        if self.worker is not None:
            return
        self.worker = make_task(lambda _emit: count_task(paths, by, self.service))
        self.worker.signals.progress.connect(self._on_progress)
        self.worker.signals.finished.connect(self.show_report)
        self.worker.signals.failed.connect(lambda text: self._ended(f"The report could not be made: {text}"))
        self.worker.signals.cancelled.connect(lambda: self._ended("Cancelled; nothing was changed."))
        self.worker.signals.done.connect(self._worker_done)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.count_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText("Counting…")
        launch(self.worker)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _on_progress(self, tick: Any) -> None:
        if tick.total:
            self.progress.setRange(0, tick.total)
            self.progress.setValue(tick.done)
        self.status.setText(f"{tick.message} ({tick.done:,} of {tick.total or 0:,} projects)")

    def _ended(self, text: str) -> None:
        self.status.setText(text)

    def _worker_done(self) -> None:
        self.worker = None
        self.progress.setVisible(False)
        self.count_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def show_report(self, report: Report) -> None:
        self.report = report
        header = report.header()
        self.table.setSortingEnabled(False)
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setHorizontalHeaderLabels(header)
        rows = report.rows()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem()
                if isinstance(value, int):
                    item.setData(Qt.ItemDataRole.DisplayRole, value)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                else:
                    item.setText(str(value))
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        bars = [(" · ".join(g.values), len(g.projects)) for g in report.groups]
        self.chart.set_bars(f"Data sets by {', '.join(report.dimensions)}", bars)
        skipped = f"; {len(report.skipped)} could not be read: " + ", ".join(
            Path(p).name for p, _ in report.skipped[:5]) if report.skipped else ""
        self.status.setText(f"{report.projects:,} projects counted, {len(report.groups):,} groups{skipped}.")
        self.export_button.setEnabled(True)

    # --- folders and export ------------------------------------------------------------------
    def _add_folder(self) -> None:
        start = self.folders.item(0).text() if self.folders.count() else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Folder of projects", start)
        if folder:
            self.folders.addItem(folder)

    def _export_dialog(self) -> None:
        start = str(Path(self.paths()[0] if self.paths() else Path.home()) / "report.tsv")
        path, chosen = QFileDialog.getSaveFileName(self, "Export the report", start, ";;".join(EXPORTS))
        if path:
            target = Path(path)
            if not target.suffix:
                target = target.with_suffix(EXPORTS.get(chosen, ".tsv"))
            self.export(target)

    def export(self, path: Path) -> bool:
        from depositdesk.magetab.textio import atomic_write
        from depositdesk.reports.commands import render_html, render_json, render_tsv, write_xlsx

        if self.report is None:
            return False
        try:
            if path.suffix.lower() == ".xlsx":
                write_xlsx(self.report, path)
            else:
                render = {".html": render_html, ".htm": render_html, ".json": render_json}.get(
                    path.suffix.lower(), render_tsv)
                atomic_write(path, render(self.report))
        except OSError as exc:
            QMessageBox.warning(self, "Export failed", f"The report could not be written to {path}:\n{exc}")
            return False
        self.status.setText(f"Report written to {path}")
        return True
