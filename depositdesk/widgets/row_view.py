"""`RowViewProxy`: the grid's sorted/filtered view of the rows, as a plain list of source rows.

Qt's `QSortFilterProxyModel` sorts by calling the model's Python ``data()``
twice per comparison: 50,000 rows took 7 s on the GUI thread. Here the order
is computed from a snapshot of one column (a list of str) with Python's
``sorted`` — in a worker for big sheets (`row_order`, `rows_matching`) — and
the result is applied in one ``layoutChanged``. The proxy never re-sorts on an
edit (as the grid's old, non-dynamic proxy): rows added while sorted go to the
end of the view; rows removed leave it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

AnyIndex = QModelIndex | QPersistentModelIndex
_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[Any, ...]:
    """'sample 2' before 'sample 10'; case-insensitive."""
    parts = _DIGITS.split(text.casefold())
    return tuple((0, int(p), "") if i % 2 else (1, 0, p) for i, p in enumerate(parts) if p)


def row_order(values: Sequence[str], descending: bool = False) -> list[int]:
    """Source rows in the order of ``values`` (one column's cells); ties keep the file order."""
    keys = [natural_key(v) for v in values]
    return sorted(range(len(values)), key=keys.__getitem__, reverse=descending)


def rows_matching(values: Sequence[str], text: str) -> list[bool]:
    """Which rows hold ``text`` in the filtered column (case-insensitive); all when text is empty."""
    if not text:
        return [True] * len(values)
    needle = text.casefold()
    return [needle in v.casefold() for v in values]


class RowViewProxy(QAbstractProxyModel):
    """Proxy row i shows source row ``rows()[i]``; identity (no list at all) when unsorted and unfiltered."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._order: list[int] | None = None     # sorted source rows (None: file order)
        self._keep: list[bool] | None = None     # per source row (None: no filter)
        self._map: list[int] | None = None       # proxy row -> source row (None: identity)
        self._inverse: dict[int, int] = {}
        self._sort = (-1, Qt.SortOrder.AscendingOrder)
        self._filter = (0, "")
        self.version = 0                          # bumped on every change of the source rows' layout
        self._connections: list[Any] = []
        self._flags = Qt.ItemFlag.NoItemFlags
        self._cell_data: Callable[[int, int, int], Any] | None = None

    # -- wiring ----------------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802 (Qt's name)
        old = self.sourceModel()
        if old is not None:
            for signal, slot in self._connections:
                signal.disconnect(slot)
        self.beginResetModel()
        super().setSourceModel(model)
        self._flags = model.flags(model.index(0, 0)) if model.rowCount() and model.columnCount() else (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable)
        self._order = self._keep = self._map = None
        self._cell_data = getattr(model, "cell_data", None)
        self._connections = [
            (model.dataChanged, self._data_changed), (model.headerDataChanged, self._header_changed),
            (model.rowsAboutToBeInserted, self._rows_about_inserted), (model.rowsInserted, self._rows_inserted),
            (model.rowsAboutToBeRemoved, self._rows_about_removed), (model.rowsRemoved, self._rows_removed),
            (model.rowsAboutToBeMoved, self._rows_about_moved), (model.rowsMoved, self._rows_moved),
            (model.columnsAboutToBeInserted, self._cols_about_inserted), (model.columnsInserted, self._cols_inserted),
            (model.columnsAboutToBeRemoved, self._cols_about_removed), (model.columnsRemoved, self._cols_removed),
            (model.modelAboutToBeReset, self._about_reset), (model.modelReset, self._reset),
            (model.layoutAboutToBeChanged, self._about_layout), (model.layoutChanged, self._layout),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)
        self.endResetModel()

    # -- the model API ---------------------------------------------------------------------

    def _source_count(self) -> int:
        model = self.sourceModel()
        return model.rowCount() if model is not None else 0

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return self._source_count() if self._map is None else len(self._map)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        """As the source's, without mapping (Qt asks it for every row of a selected column)."""
        if not index.isValid() or self.sourceModel() is None:
            return Qt.ItemFlag.NoItemFlags
        return self._flags

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self.rowCount() > 0

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Straight from the source's ``cell_data(row, column, role)`` when it has one.

        Qt asks for about seven roles of every cell it paints; through `mapToSource` each ask
        made a source index (three more calls into Python), and a 50,000-row sheet's first
        paint took 200 ms.
        """
        cell_data = self._cell_data
        if cell_data is None:
            return super().data(index, role)
        if not index.isValid():
            return None
        row = index.row()
        return cell_data(row if self._map is None else self._map[row], index.column(), role)

    def mapToSource(self, proxy: AnyIndex) -> QModelIndex:  # noqa: N802
        model = self.sourceModel()
        if model is None or not proxy.isValid():
            return QModelIndex()
        row = proxy.row() if self._map is None else self._map[proxy.row()]
        return model.index(row, proxy.column())

    def mapFromSource(self, source: AnyIndex) -> QModelIndex:  # noqa: N802
        if not source.isValid():
            return QModelIndex()
        row = source.row() if self._map is None else self._inverse.get(source.row(), -1)
        return self.createIndex(row, source.column()) if row >= 0 else QModelIndex()

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Vertical and self._map is not None:
            if not 0 <= section < len(self._map):
                return None
            section = self._map[section]
        return model.headerData(section, orientation, role)

    # -- the rows shown --------------------------------------------------------------------

    def source_rows(self, first: int, last: int) -> list[int]:
        """Source rows of proxy rows ``first..last`` (one slice, no per-row Qt call)."""
        if self._map is None:
            return list(range(max(first, 0), min(last, self._source_count() - 1) + 1))
        return self._map[max(first, 0):last + 1]

    def rows(self) -> list[int]:
        return list(range(self._source_count())) if self._map is None else list(self._map)

    def sort_column(self) -> int:
        return self._sort[0]

    def filter_key(self) -> tuple[int, str]:
        return self._filter

    def apply(self, order: list[int] | None, keep: list[bool] | None,
              sort: tuple[int, Qt.SortOrder] | None = None, filter_key: tuple[int, str] | None = None) -> None:
        """Show the rows in ``order`` (None: file order) that ``keep`` lets through (None: all)."""
        if sort is not None:
            self._sort = sort
        if filter_key is not None:
            self._filter = filter_key
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        sources = [(self.mapToSource(i).row(), i.column()) for i in persistent]
        self._order, self._keep = order, keep
        self._remap()
        self.changePersistentIndexList(persistent, [
            self.createIndex(self._proxy_row(r), c) if r >= 0 and self._proxy_row(r) >= 0 else QModelIndex()
            for r, c in sources])
        self.layoutChanged.emit()

    def _proxy_row(self, source_row: int) -> int:
        return source_row if self._map is None else self._inverse.get(source_row, -1)

    def _remap(self) -> None:
        if self._order is None and self._keep is None:
            self._map, self._inverse = None, {}
            return
        rows = self._order if self._order is not None else range(self._source_count())
        keep = self._keep
        self._map = list(rows) if keep is None else [r for r in rows if keep[r]]
        self._inverse = {s: p for p, s in enumerate(self._map)}

    # QSortFilterProxyModel's calls, kept for the code and tests that use them (synchronous)
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is None or column < 0:
            self.apply(None, self._keep, sort=(-1, order))
            return
        values = [str(model.index(r, column).data() or "") for r in range(model.rowCount())]
        self.apply(row_order(values, order == Qt.SortOrder.DescendingOrder), self._keep, sort=(column, order))

    def set_filter(self, column: int, text: str) -> None:
        model = self.sourceModel()
        if model is None or not text:
            self.apply(self._order, None, filter_key=(column, ""))
            return
        values = [str(model.index(r, column).data() or "") for r in range(model.rowCount())]
        self.apply(self._order, rows_matching(values, text), filter_key=(column, text))

    # -- following the source --------------------------------------------------------------

    def _data_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int]) -> None:
        if self._map is None:
            self.dataChanged.emit(self.index(top.row(), top.column()), self.index(bottom.row(), bottom.column()),
                                  roles)
        elif self._map:
            self.dataChanged.emit(self.index(0, top.column()), self.index(len(self._map) - 1, bottom.column()),
                                  roles)

    def _header_changed(self, orientation: Qt.Orientation, first: int, last: int) -> None:
        self.headerDataChanged.emit(orientation, first, last)

    def _rows_about_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.version += 1
        if self._map is None:
            self.beginInsertRows(QModelIndex(), first, last)

    def _rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        if self._map is None:
            self.endInsertRows()
            return
        n = last - first + 1
        shift = lambda r: r + n if r >= first else r  # noqa: E731
        self._order = [shift(r) for r in self._order] if self._order is not None else None
        if self._keep is not None:
            self._keep[first:first] = [True] * n
        if self._order is not None:
            self._order.extend(range(first, last + 1))
        self._map = [shift(r) for r in self._map]
        self.beginInsertRows(QModelIndex(), len(self._map), len(self._map) + n - 1)
        self._map.extend(range(first, last + 1))
        self._inverse = {s: p for p, s in enumerate(self._map)}
        self.endInsertRows()

    def _rows_about_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.version += 1
        if self._map is None:
            self.beginRemoveRows(QModelIndex(), first, last)
            return
        shown = sorted(p for s in range(first, last + 1) if (p := self._inverse.get(s, -1)) >= 0)
        self._removing = "run" if shown and shown[-1] - shown[0] + 1 == len(shown) else "reset"
        if not shown:
            self._removing = "none"
        elif self._removing == "run":
            self.beginRemoveRows(QModelIndex(), shown[0], shown[-1])
        else:
            self.beginResetModel()

    def _rows_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        if self._map is None:
            self.endRemoveRows()
            return
        n = last - first + 1
        gone = range(first, last + 1)
        shift = lambda r: r - n if r > last else r  # noqa: E731
        if self._order is not None:
            self._order = [shift(r) for r in self._order if r not in gone]
        if self._keep is not None:
            del self._keep[first:last + 1]
        self._remap()
        {"run": self.endRemoveRows, "reset": self.endResetModel}.get(self._removing, lambda: None)()

    def _rows_about_moved(self, _parent: QModelIndex, first: int, last: int, _dest_parent: QModelIndex,
                          dest: int) -> None:
        self.version += 1
        if self._map is None:
            self.beginMoveRows(QModelIndex(), first, last, QModelIndex(), dest)

    def _rows_moved(self, _parent: QModelIndex, first: int, last: int, _dest_parent: QModelIndex,
                    dest: int) -> None:
        """The view keeps its order; the source rows it names are renumbered."""
        n = last - first + 1
        at = dest - n if dest > first else dest    # where the block starts after the move

        def moved(r: int) -> int:
            if first <= r <= last:
                return at + (r - first)
            after = r - n if r > last else r        # without the block
            return after + n if after >= at else after

        if self._map is None:
            self.endMoveRows()
            return
        if self._order is not None:
            self._order = [moved(r) for r in self._order]
        if self._keep is not None:
            keep = [False] * len(self._keep)
            for r, k in enumerate(self._keep):
                keep[moved(r)] = k
            self._keep = keep
        self._remap()
        self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, max(self.rowCount() - 1, 0))
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def _cols_about_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.beginInsertColumns(QModelIndex(), first, last)

    def _cols_inserted(self, *_args: Any) -> None:
        self.endInsertColumns()

    def _cols_about_removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.beginRemoveColumns(QModelIndex(), first, last)

    def _cols_removed(self, *_args: Any) -> None:
        self.endRemoveColumns()

    def _about_reset(self) -> None:
        self.version += 1
        self.beginResetModel()

    def _reset(self) -> None:
        self._order = self._keep = self._map = None
        self._inverse = {}
        self._sort, self._filter = (-1, Qt.SortOrder.AscendingOrder), (0, "")
        self.endResetModel()

    def _about_layout(self, *_args: Any) -> None:
        self.version += 1
        self.layoutAboutToBeChanged.emit()

    def _layout(self, *_args: Any) -> None:
        self.layoutChanged.emit()
