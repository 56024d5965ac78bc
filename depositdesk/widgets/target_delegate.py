"""Vocabulary columns edited with the chosen targets' drop-down list.

`TargetColumns` installs one `TargetDelegate` on each grid column whose heading a chosen target
gives a vocabulary (GEO's library strategy, SRA's platform ...), in both views of the grid, and
re-installs when columns are added, removed, moved or renamed, or when the targets change. Other
columns keep the view's own delegate (the term completer).

The editor is a `QComboBox` listing the targets' values (`column_vocabularies`); it stays
editable, so a value the list lacks can still be typed — the targets' check then says what is
wrong with it. The edit goes through the model, so it is one undo step as any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from depositdesk.packaging.targets._grid import column_vocabularies
from depositdesk.packaging.targets.base import heading_key

AnyIndex = QModelIndex | QPersistentModelIndex


class TargetDelegate(QStyledItemDelegate):
    """A drop-down of a column's vocabulary (looked up by the column's heading at edit time)."""

    def __init__(self, columns: TargetColumns) -> None:
        super().__init__(columns)
        self.columns = columns

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        box = QComboBox(parent)
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        box.addItems(list(self.columns.vocabulary(index.column())))
        box.setMaxVisibleItems(20)
        completer = box.completer()
        if completer is not None:
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        return box

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        text = str(index.data(Qt.ItemDataRole.EditRole) or "")
        at = editor.findText(text, Qt.MatchFlag.MatchExactly)
        if at >= 0:
            editor.setCurrentIndex(at)
        else:
            editor.setEditText(text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText().strip(), Qt.ItemDataRole.EditRole)


class TargetColumns(QObject):
    """Keeps a `TargetDelegate` on the vocabulary columns of some views of one SDRF model."""

    def __init__(self, model: Any, views: Sequence[QTableView], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model            # the SdrfTableModel (the views may show it through a proxy)
        self.views = list(views)
        self.delegate = TargetDelegate(self)
        # one delegate per view: a shared one makes the view that did not open an editor log
        # "commitData called with an editor that does not belong to this view"
        self._delegates = [self.delegate, *(TargetDelegate(self) for _ in self.views[1:])]
        self._vocabularies: dict[str, tuple[str, ...]] = {}
        self._installed: set[int] = set()
        for signal in (model.columnsInserted, model.columnsRemoved, model.columnsMoved, model.modelReset):
            signal.connect(self.refresh)
        model.headerDataChanged.connect(self.refresh)

    def set_targets(self, names: Iterable[str]) -> None:
        self._vocabularies = column_vocabularies(list(names))
        self.refresh()

    def vocabulary(self, column: int) -> tuple[str, ...]:
        header = self.model.sdrf.header
        return self._vocabularies.get(heading_key(header[column]), ()) if 0 <= column < len(header) else ()

    def columns(self) -> list[int]:
        """The columns edited with a drop-down now."""
        return sorted(self._installed)

    def refresh(self, *_args: Any) -> None:
        wanted = {c for c in range(len(self.model.sdrf.header)) if self.vocabulary(c)}
        for view, delegate in zip(self.views, self._delegates, strict=True):
            for c in self._installed - wanted:
                view.setItemDelegateForColumn(c, None)  # type: ignore[arg-type]
            for c in wanted:
                view.setItemDelegateForColumn(c, delegate)
        self._installed = wanted


def install_target_columns(grid: Any, names: Iterable[str]) -> TargetColumns:
    """The grid's `TargetColumns` (made on first use, kept on the grid) set to ``names``."""
    columns = getattr(grid, "target_columns", None)
    if not isinstance(columns, TargetColumns):
        columns = TargetColumns(grid.model, [grid.view, grid.frozen_view], grid)
        grid.target_columns = columns
    columns.set_targets(names)
    return columns
