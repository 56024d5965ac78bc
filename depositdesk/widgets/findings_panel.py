"""`FindingsPanel`: every finding of the project in one table, filterable, with jumps.

Filters: least severity, file, code, and target repository (`target_of`: the target whose
declaration defines the code; the rules targets share are one entry).

Metadata findings (from the project checks and from cell checks as you type)
and file findings (from validation) come in as separate *groups*, so each can
be replaced on its own when its check re-runs. Double-clicking a finding
emits `sig_activated`; the window then selects the grid cell or shows the file.
`next_finding` is F8 / Shift+F8.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from depositdesk.findings import REPEATS, Finding, Severity, code_info, summarize
from depositdesk.widgets import icons

AnyIndex = QModelIndex | QPersistentModelIndex
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Severity", "Code", "Where", "Message", "Suggestion")
SHARED_RULES = "rules"
"""`target_of` for the cross-target rules (identifiers, spreadsheet damage, privacy)."""
_REPEATED_CODE = re.compile(r"\(([A-Z][A-Z0-9-]*): ")


@lru_cache(maxsize=4096)
def _code_target(code: str) -> str:
    try:
        part = code_info(code).part
    except KeyError:
        return ""
    return part.split("/", 1)[1] if part.startswith("targets/") else ""


def target_of(item: Finding) -> str:
    """The target a finding belongs to ('geo', 'sra' ..., 'rules' for the shared rules, '' for none).

    A "… and N more like this" finding belongs where the code it counts belongs.
    """
    if item.code == REPEATS:
        match = _REPEATED_CODE.search(item.message)
        return _code_target(match.group(1)) if match else ""
    return _code_target(item.code)


def target_titles() -> dict[str, str]:
    """Target name -> title, for the filter (and 'rules' -> the shared rules)."""
    from depositdesk.packaging.targets.base import all_targets

    return {**{t.name: t.title for t in all_targets()}, SHARED_RULES: "Rules shared by targets"}


class FindingsModel(QAbstractTableModel):
    """Findings in groups ('metadata', 'cells', 'files', ...), shown as one list, worst first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._groups: dict[str, list[Finding]] = {}
        self._items: list[Finding] = []

    def set_group(self, group: str, items: Iterable[Finding]) -> None:
        self.beginResetModel()
        self._groups[group] = list(items)
        self._items = sorted(
            (f for g in self._groups.values() for f in g),
            key=lambda f: (-f.severity, f.location.file or "", f.location.row or 0, f.location.line or 0,
                           f.location.column or 0, f.code),
        )
        self.endResetModel()

    def group(self, group: str) -> list[Finding]:
        return list(self._groups.get(group, []))

    def findings(self) -> list[Finding]:
        return list(self._items)

    def finding(self, row: int) -> Finding:
        return self._items[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        col = index.column()
        if role == FINDING_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return (item.severity.label, item.code, item.location.describe(), item.message, item.suggestion)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return icons.severity_icon(item.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.describe()
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class FindingsFilter(QSortFilterProxyModel):
    """Filter by least severity, by file, by code and by target repository (empty = all)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.least = Severity.INFO
        self.file = ""
        self.code = ""
        self.target = ""

    def set_filter(self, least: Severity | None = None, file: str | None = None, code: str | None = None,
                   target: str | None = None) -> None:
        self.beginFilterChange()
        if least is not None:
            self.least = least
        if file is not None:
            self.file = file
        if code is not None:
            self.code = code
        if target is not None:
            self.target = target
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, FindingsModel)
        item = model.finding(source_row)
        return (item.severity >= self.least
                and (not self.file or (item.location.file or "") == self.file)
                and (not self.code or item.code == self.code)
                and (not self.target or target_of(item) == self.target))


class FindingsPanel(QWidget):
    """The findings table with its four filters and a count line."""

    sig_activated = Signal(object)  # Finding

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FindingsModel(self)
        self.proxy = FindingsFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col, width in enumerate((80, 170, 330, 380)):
            self.table.setColumnWidth(col, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(self._on_double_click)
        self.severity_box = QComboBox(self)
        for label, sev in (("All severities", Severity.INFO), ("Warnings and errors", Severity.WARNING),
                           ("Errors only", Severity.ERROR)):
            self.severity_box.addItem(label, sev)
        self.file_box = QComboBox(self)
        self.code_box = QComboBox(self)
        self.target_box = QComboBox(self)
        self.target_box.setToolTip("Only the findings of one target repository (Project > Targets…)")
        self.count_label = QLabel(self)
        self.severity_box.currentIndexChanged.connect(self._apply_filters)
        self.file_box.currentIndexChanged.connect(self._apply_filters)
        self.code_box.currentIndexChanged.connect(self._apply_filters)
        self.target_box.currentIndexChanged.connect(self._apply_filters)
        self.model.modelReset.connect(self._refresh_choices)
        self._build_layout()
        self._refresh_choices()

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.severity_box)
        bar.addWidget(QLabel("File:"))
        bar.addWidget(self.file_box, 1)
        bar.addWidget(QLabel("Code:"))
        bar.addWidget(self.code_box, 1)
        bar.addWidget(QLabel("Target:"))
        bar.addWidget(self.target_box)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def set_group(self, group: str, items: Iterable[Finding]) -> None:
        self.model.set_group(group, items)

    def _refresh_choices(self) -> None:
        items = self.model.findings()
        self._refill(self.file_box, "All files", sorted({f.location.file or "" for f in items} - {""}))
        self._refill(self.code_box, "All codes", sorted({f.code for f in items}))
        titles = target_titles()
        present = {target_of(f) for f in items} - {""}
        self._refill(self.target_box, "All targets", sorted(present, key=lambda n: (n == SHARED_RULES, n)),
                     labels=titles)
        self._update_count()

    @staticmethod
    def _refill(box: QComboBox, everything: str, values: list[str], labels: dict[str, str] | None = None) -> None:
        current = box.currentData()
        box.blockSignals(True)
        box.clear()
        box.addItem(everything, "")
        for value in values:
            box.addItem((labels or {}).get(value, value), value)
        at = box.findData(current) if current else 0
        box.setCurrentIndex(max(at, 0))
        box.blockSignals(False)

    def _apply_filters(self) -> None:
        self.proxy.set_filter(self.severity_box.currentData(), self.file_box.currentData() or "",
                              self.code_box.currentData() or "", self.target_box.currentData() or "")
        self._update_count()

    def _update_count(self) -> None:
        items = self.model.findings()
        self.count_label.setText(f"{summarize(items)} ({self.proxy.rowCount()} shown)")

    def _on_double_click(self, index: QModelIndex) -> None:
        self.sig_activated.emit(self.proxy.data(index, FINDING_ROLE))

    def next_finding(self, step: int = 1, least: Severity = Severity.ERROR) -> Finding | None:
        """Select and activate the next (step=1) or previous (step=-1) finding of at least ``least``.

        Falls back to any severity when there is none that bad, and wraps around.
        """
        rows = self.proxy.rowCount()
        if rows == 0:
            return None
        current = self.table.currentIndex().row()
        for floor in (least, Severity.INFO):
            for i in range(1, rows + 1):
                row = (current + step * i) % rows if current >= 0 else (i - 1 if step > 0 else rows - i)
                item = self.proxy.data(self.proxy.index(row, 0), FINDING_ROLE)
                if item.severity >= floor:
                    self.table.selectRow(row)
                    self.table.scrollTo(self.proxy.index(row, 0))
                    self.sig_activated.emit(item)
                    return item
        return None

