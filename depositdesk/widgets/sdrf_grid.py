"""`SdrfGrid`: the SDRF as a spreadsheet — two views over one model, a sort/filter proxy.

Layout: a narrow *frozen* view on the left shows the first N columns (sample
names stay visible while scrolling right); the main view shows the rest. Both
share the model, the proxy and the selection model, and scroll together.

The proxy (`RowViewProxy`) sorts and filters the *view* only; the file keeps
its row order unless a row-move command is asked for. On a big sheet the order
is computed in a worker from a snapshot of the column and applied only if the
rows did not change meanwhile (else it is computed again). Every edit
is done in *source* row numbers, so the grid converts selections once
(`source_rows`) and then builds plain edit commands (`spreadsheet.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from depositdesk.app.workers import launch, make_task, simple_task
from depositdesk.widgets.row_view import RowViewProxy, row_order, rows_matching
from depositdesk.widgets.sdrf_model import SdrfTableModel

ROW_HEIGHT = 24
BACKGROUND_ROWS = 5_000
"""Sheets with more rows sort and filter in a worker (the window never waits for them)."""


class SdrfFilterProxy(RowViewProxy):
    """The grid's view of the rows: sorted and filtered without touching the document."""

    def setFilterKeyColumn(self, column: int) -> None:  # noqa: N802 (QSortFilterProxyModel's name)
        self._filter = (column, self._filter[1])

    def setFilterFixedString(self, text: str) -> None:  # noqa: N802
        self.set_filter(self._filter[0], text)


class SdrfGrid(QWidget):
    """The spreadsheet widget. Editing operations live in `depositdesk.widgets.spreadsheet`."""

    sig_message = Signal(str)          # one line for the status bar
    sig_current_changed = Signal(int, int)  # source row, column (-1 when none)

    def __init__(self, model: SdrfTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = SdrfFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.view = self._make_view()
        self.frozen_view = self._make_view()
        self.view.setModel(self.proxy)
        self.frozen_view.setModel(self.proxy)
        self.frozen_view.setSelectionModel(self.view.selectionModel())
        self.frozen_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for view in (self.view, self.frozen_view):  # one frame for both: else their rows sit a pixel apart
            view.setFrameShape(QTableView.Shape.NoFrame)
        # the frozen columns' edge: a line of the layout (a style sheet on the view took 20 ms to apply)
        self._divider = QFrame(self)
        self._divider.setFrameShape(QFrame.Shape.VLine)
        self._divider.setFixedWidth(2)
        self._divider.setAutoFillBackground(True)
        self._divider.setBackgroundRole(QPalette.ColorRole.Mid)
        self._frozen = 0
        self._widths: dict[int, int] = {}
        self._view_job: Any = None
        self._cells_version = 0
        model.dataChanged.connect(self._count_edit)
        self._link_scrolling()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(self._frozen_column())
        layout.addWidget(self._divider)
        layout.addWidget(self.view, 1)
        model.columnsInserted.connect(self._columns_inserted)
        model.columnsRemoved.connect(self._columns_removed)
        model.modelReset.connect(self._after_reset)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self._frozen = 1
        self._idle_selection = QItemSelectionModel(self.proxy, self)
        self._highlight_headers()
        self.fit_columns()
        # (the window keeps the garbage collector off the document's rows: depositdesk.app.collector)


    def _make_view(self) -> QTableView:
        view = QTableView(self)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        view.setWordWrap(False)
        view.setAlternatingRowColors(True)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vheader = view.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(ROW_HEIGHT)
        hheader = view.horizontalHeader()
        hheader.setSectionsMovable(False)
        hheader.setHighlightSections(True)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        return view

    def _frozen_column(self) -> QVBoxLayout:
        """The frozen view over a blank as tall as the main view's horizontal scroll bar.

        Without it the frozen view is taller than the main one by that bar, shows more rows, and
        cannot scroll as far: at the bottom of a long sheet its rows drift out of line.
        """
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.frozen_view, 1)
        self._under_frozen = QWidget(self)
        self._under_frozen.setFixedHeight(0)
        column.addWidget(self._under_frozen)
        self.view.horizontalScrollBar().installEventFilter(self)
        return column

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.view.horizontalScrollBar() and event.type() in (
                QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.Resize):
            bar = self.view.horizontalScrollBar()
            self._under_frozen.setFixedHeight(bar.height() if bar.isVisibleTo(self.view) else 0)
        return super().eventFilter(watched, event)

    def _link_scrolling(self) -> None:
        main_bar = self.view.verticalScrollBar()
        frozen_bar = self.frozen_view.verticalScrollBar()
        main_bar.valueChanged.connect(frozen_bar.setValue)
        frozen_bar.valueChanged.connect(main_bar.setValue)
        self.view.horizontalHeader().sectionResized.connect(self._on_resized)
        self.frozen_view.horizontalHeader().sectionResized.connect(self._on_resized)

    def _on_resized(self, column: int, _old: int, new: int) -> None:
        if new <= 0:  # hiding a column in one view is not a resize to copy to the other
            return
        self._widths[column] = new
        for view in (self.view, self.frozen_view):
            if view.isColumnHidden(column):
                continue
            if view.columnWidth(column) != new:
                view.setColumnWidth(column, new)
        self._size_frozen()

    # -- frozen columns -------------------------------------------------------

    def set_frozen_columns(self, count: int) -> None:
        """Keep the first ``count`` columns in place while the rest scroll (0 = none)."""
        self._frozen = max(0, min(count, self.proxy.columnCount()))
        self._apply_frozen()

    def _apply_frozen(self) -> None:
        columns = self.proxy.columnCount()
        self._frozen = min(self._frozen, columns)
        for c in range(columns):
            self.frozen_view.setColumnHidden(c, c >= self._frozen)
            self.view.setColumnHidden(c, c < self._frozen)
            shown = self.frozen_view if c < self._frozen else self.view
            width = self._widths.get(c) or self._fit_width(c)
            if shown.columnWidth(c) != width:
                shown.setColumnWidth(c, width)
        self.frozen_view.setVisible(self._frozen > 0)
        self._divider.setVisible(self._frozen > 0)
        self.view.verticalHeader().setVisible(self._frozen == 0)  # row numbers stay at the far left
        self._size_frozen()

    def _columns_inserted(self, _parent: Any, first: int, last: int) -> None:
        """Widths the person set stay with their columns; the new ones are fitted."""
        n = last - first + 1
        self._widths = {(c + n if c >= first else c): w for c, w in self._widths.items()}
        for c in range(first, last + 1):
            self._widths[c] = self._fit_width(c)
        self._apply_frozen()

    def _columns_removed(self, _parent: Any, first: int, last: int) -> None:
        n = last - first + 1
        self._widths = {(c - n if c > last else c): w for c, w in self._widths.items() if not first <= c <= last}
        self._apply_frozen()

    def _size_frozen(self) -> None:
        header = self.frozen_view.horizontalHeader()
        width = sum(header.sectionSize(c) for c in range(self._frozen)) + 2
        width += self.frozen_view.verticalHeader().sizeHint().width()
        self.frozen_view.setFixedWidth(width)

    def _after_reset(self) -> None:
        self._highlight_headers()
        self.fit_columns()

    def _highlight_headers(self) -> None:
        """The selected column's heading is highlighted — not on a big sheet.

        To draw a heading Qt asks whether its neighbours' columns are wholly selected, row by row
        (50,000 calls into Python per repaint once a column is selected). There the headings get a
        selection model of their own that holds nothing; clicking a heading still selects its column.
        """
        small = self.model.rowCount() <= BACKGROUND_ROWS
        for view in (self.view, self.frozen_view):
            header = view.horizontalHeader()
            header.setHighlightSections(small)
            header.setSelectionModel(self.view.selectionModel() if small else self._idle_selection)

    def _fit_width(self, c: int, sample_rows: int = 60) -> int:
        """A column's width from its heading and its first rows (never from all 50,000)."""
        metrics = QFontMetrics(self.view.font())
        rows = self.model.sdrf.rows[:sample_rows]
        widest = max([metrics.horizontalAdvance(self.model.sdrf.header[c]) + 28,
                      *(metrics.horizontalAdvance(r[c]) + 34 for r in rows)])
        return max(70, min(widest, 320))

    def fit_columns(self) -> None:
        self._widths = {c: self._fit_width(c) for c in range(len(self.model.sdrf.header))}
        self._apply_frozen()

    # -- positions ------------------------------------------------------------

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        src = self.proxy.mapToSource(current)
        self.sig_current_changed.emit(src.row() if src.isValid() else -1, src.column() if src.isValid() else -1)

    def current_cell(self) -> tuple[int, int]:
        """(source row, column) of the current cell, (-1, -1) when none."""
        src = self.proxy.mapToSource(self.view.currentIndex())
        return (src.row(), src.column()) if src.isValid() else (-1, -1)

    def current_proxy_cell(self) -> tuple[int, int]:
        index = self.view.currentIndex()
        return (index.row(), index.column()) if index.isValid() else (-1, -1)

    def source_row(self, proxy_row: int) -> int:
        rows = self.proxy.source_rows(proxy_row, proxy_row)
        return rows[0] if rows else -1

    def source_rows(self, first: int, last: int) -> list[int]:
        """Source rows of the view's rows ``first..last``, in view order."""
        return self.proxy.source_rows(first, last)

    def selected_block(self) -> tuple[int, int, int, int] | None:
        """Bounding (top, left, bottom, right) of the selection in *proxy* coordinates."""
        selection = self.view.selectionModel().selection()
        ranges = [selection.at(i) for i in range(selection.count())]
        if not ranges:
            row, col = self.current_proxy_cell()
            return None if row < 0 else (row, col, row, col)
        return (min(r.top() for r in ranges), min(r.left() for r in ranges),
                max(r.bottom() for r in ranges), max(r.right() for r in ranges))

    def selected_source_rows(self) -> list[int]:
        rows = {self.source_row(i.row()) for i in self.view.selectionModel().selectedIndexes()}
        if not rows and self.view.currentIndex().isValid():
            rows = {self.current_cell()[0]}
        return sorted(rows)

    def select_cell(self, row: int, column: int) -> bool:
        """Make a source cell current and visible (clears a filter that hides it)."""
        if not (0 <= row < self.model.rowCount() and 0 <= column < self.model.columnCount()):
            return False
        index = self.proxy.mapFromSource(self.model.index(row, column))
        if not index.isValid():
            self.clear_filter()
            index = self.proxy.mapFromSource(self.model.index(row, column))
        view = self.frozen_view if column < self._frozen else self.view
        view.setCurrentIndex(index)
        self.view.selectionModel().select(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        view.setFocus()
        return True

    def select_block(self, top: int, left: int, bottom: int, right: int) -> None:
        """Select a rectangle in proxy coordinates (tests and paste use it)."""
        selection = QItemSelection(self.proxy.index(top, left), self.proxy.index(bottom, right))
        self.view.selectionModel().setCurrentIndex(self.proxy.index(top, left),
                                                   QItemSelectionModel.SelectionFlag.NoUpdate)
        self.view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    # -- sorting and filtering the view ----------------------------------------

    def sort_view(self, column: int, descending: bool = False) -> None:
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().setSortIndicator(column, order)
        done = f"View sorted by '{self.model.sdrf.header[column]}'; the file keeps its order."

        def apply(rows: list[int]) -> None:
            self.proxy.apply(rows, self.proxy._keep, sort=(column, order))
            self.sig_message.emit(done)

        self._run_view_job(column, lambda values: row_order(values, descending), apply,
                           f"Sorting {len(self.model.sdrf.rows):,} rows by '{self.model.sdrf.header[column]}'")

    def unsort_view(self) -> None:
        self._cancel_view_job()
        self.proxy.apply(None, self.proxy._keep, sort=(-1, Qt.SortOrder.AscendingOrder))
        self.view.horizontalHeader().setSortIndicatorShown(False)
        self.sig_message.emit("View in file order.")

    def filter_view(self, column: int, text: str) -> None:
        if not text:
            self.clear_filter()
            return

        def apply(keep: list[bool]) -> None:
            self.proxy.apply(self.proxy._order, keep, filter_key=(column, text))
            shown, total = self.proxy.rowCount(), self.model.rowCount()
            self.sig_message.emit(f"Showing {shown:,} of {total:,} rows where "
                                  f"'{self.model.sdrf.header[column]}' contains '{text}'.")

        self._run_view_job(column, lambda values: rows_matching(values, text), apply,
                           f"Filtering {len(self.model.sdrf.rows):,} rows")

    def clear_filter(self) -> None:
        self._cancel_view_job()
        self.proxy.apply(self.proxy._order, None, filter_key=(0, ""))

    def view_busy(self) -> bool:
        """A sort or filter is being computed in a worker."""
        return self._view_job is not None

    def _run_view_job(self, column: int, compute: Callable[[list[str]], Any], apply: Callable[[Any], None],
                      message: str) -> None:
        """``compute`` over a snapshot of the column, here for a small sheet, else in a worker."""
        self._cancel_view_job()
        values = [row[column] for row in self.model.sdrf.rows]   # a snapshot: the worker reads only this
        if len(values) <= BACKGROUND_ROWS:
            apply(compute(values))
            return
        stamp = (self.proxy.version, self._cells_version)
        worker = make_task(simple_task(lambda: compute(values), message))
        self._view_job = worker

        def finished(result: Any) -> None:
            if self._view_job is not worker:
                return
            self._view_job = None
            if stamp == (self.proxy.version, self._cells_version):
                apply(result)
            else:  # edited meanwhile: compute again from the new cells
                self._run_view_job(column, compute, apply, message)

        worker.signals.finished.connect(finished)
        worker.signals.failed.connect(lambda text: self._job_failed(worker, text))
        self.sig_message.emit(f"{message} …")
        launch(worker)

    def _job_failed(self, worker: Any, text: str) -> None:
        if self._view_job is not worker:
            return
        self._view_job = None
        self.sig_message.emit(f"Sorting or filtering failed: {text}")

    def _cancel_view_job(self) -> None:
        if self._view_job is not None:
            self._view_job.cancel()
            self._view_job = None

    def _count_edit(self, *_args: Any) -> None:
        self._cells_version += 1
