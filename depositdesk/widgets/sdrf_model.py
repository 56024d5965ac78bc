"""`SdrfTableModel`: the Qt face of one `Sdrf` document.

The document knows nothing of Qt; it calls its listeners with ("before",
change) and ("after", change) around every edit. This model turns those into
``beginInsertRows``/``endInsertRows``, ``dataChanged`` and friends, so every
view (the grid, its frozen-column twin, the sort/filter proxy) follows edits
made anywhere: typing, paste, undo, a find/replace, a dropped folder.

Edits typed in a view come back through ``setData`` and are pushed as
`SetCells` commands on the undo stack, never applied directly. Findings reach
cells through `FINDINGS_ROLE` (a list of `Finding`), shown as a colour, an icon
and a tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack

from depositdesk.findings import Finding, Severity
from depositdesk.magetab.sdrf import Sdrf, SdrfChange
from depositdesk.packaging.targets.base import folder_targets, heading_key, required_headings
from depositdesk.widgets import icons
from depositdesk.widgets.edit_commands import EditCommand, SetCells
from depositdesk.widgets.term_bindings import default_ontologies
from depositdesk.widgets.undo import push

FINDINGS_ROLE = Qt.ItemDataRole.UserRole + 1
"""list[Finding] of a cell (empty list when clean)."""
EXPECTS_TERM_ROLE = Qt.ItemDataRole.UserRole + 2
"""Ontologies (list[str]) a column's cells should come from; [] when free text."""
_TEXT_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole)})
_CELL_ROLES = frozenset({int(FINDINGS_ROLE), int(EXPECTS_TERM_ROLE), int(Qt.ItemDataRole.BackgroundRole),
                         int(Qt.ItemDataRole.DecorationRole), int(Qt.ItemDataRole.ToolTipRole)})

SEVERITY_COLOURS = {
    Severity.ERROR: QColor(255, 205, 205),
    Severity.WARNING: QColor(255, 236, 179),
    Severity.INFO: QColor(214, 234, 255),
}
REQUIRED_COLOUR = QColor(255, 224, 160)
"""Header background of a column a chosen target repository requires."""
AnyIndex = QModelIndex | QPersistentModelIndex


class SdrfTableModel(QAbstractTableModel):
    """Rows and columns of an SDRF; every edit goes through the undo stack."""

    def __init__(self, sdrf: Sdrf, undo_stack: QUndoStack, parent: Any = None) -> None:
        super().__init__(parent)
        self.sdrf = sdrf
        self.undo_stack = undo_stack
        self._cell_findings: dict[tuple[int, int], list[Finding]] = {}
        self._column_terms: dict[str, list[str]] = {}  # by header text, so moves keep it
        self._required: dict[str, str] = {}  # heading key -> the targets' wording (see set_targets)
        self.busy = False  # a big edit is being applied in steps (see spreadsheet.CELLS_PER_STEP)
        if sdrf.path is not None:
            self.set_targets(folder_targets(sdrf.path.parent))
        sdrf.subscribe(self._on_change)

    def set_targets(self, names: Iterable[str]) -> None:
        """Mark the SDRF columns the chosen target repositories require (header colour + tooltip)."""
        self._required = required_headings(list(names))
        if self.sdrf.header:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.sdrf.header) - 1)

    def required_label(self, section: int) -> str | None:
        """The targets' wording for a required column ("GEO: *library strategy"), or None."""
        if not 0 <= section < len(self.sdrf.header):
            return None
        return self._required.get(heading_key(self.sdrf.header[section]))

    @property
    def file_name(self) -> str | None:
        """The SDRF's name as findings give it in ``Location.file`` (None before it is saved)."""
        return self.sdrf.path.name if self.sdrf.path is not None else None

    def detach(self) -> None:
        """Stop following the document (before the model is thrown away)."""
        self.sdrf.unsubscribe(self._on_change)

    # -- document events -> Qt notifications -------------------------------

    def _on_change(self, phase: str, change: SdrfChange) -> None:
        handler = getattr(self, f"_{phase}_{change.kind}", None)
        if handler is not None:
            handler(change)

    def _before_rows_inserted(self, ch: SdrfChange) -> None:
        self.beginInsertRows(QModelIndex(), ch.first, ch.first + ch.count - 1)

    def _after_rows_inserted(self, ch: SdrfChange) -> None:
        self.endInsertRows()

    def _before_rows_removed(self, ch: SdrfChange) -> None:
        self.beginRemoveRows(QModelIndex(), ch.first, ch.first + ch.count - 1)

    def _after_rows_removed(self, ch: SdrfChange) -> None:
        self.endRemoveRows()

    def _before_rows_moved(self, ch: SdrfChange) -> None:
        self._moving = self.beginMoveRows(QModelIndex(), ch.first, ch.first + ch.count - 1, QModelIndex(), ch.dest)
        if not self._moving:
            self.beginResetModel()

    def _after_rows_moved(self, ch: SdrfChange) -> None:
        if self._moving:
            self.endMoveRows()
        else:
            self.endResetModel()

    def _before_columns_inserted(self, ch: SdrfChange) -> None:
        self.beginInsertColumns(QModelIndex(), ch.first, ch.first + ch.count - 1)

    def _after_columns_inserted(self, ch: SdrfChange) -> None:
        self.endInsertColumns()

    def _before_columns_removed(self, ch: SdrfChange) -> None:
        self.beginRemoveColumns(QModelIndex(), ch.first, ch.first + ch.count - 1)

    def _after_columns_removed(self, ch: SdrfChange) -> None:
        self.endRemoveColumns()

    def _before_reset(self, ch: SdrfChange) -> None:
        self.beginResetModel()

    def _after_reset(self, ch: SdrfChange) -> None:
        self.endResetModel()

    def _after_header(self, ch: SdrfChange) -> None:
        last = ch.first + max(ch.count, 1) - 1
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, ch.first, last)

    def _after_cells(self, ch: SdrfChange) -> None:
        if not ch.cells:
            return
        rows = [r for r, _ in ch.cells]
        cols = [c for _, c in ch.cells]
        self.dataChanged.emit(self.index(min(rows), min(cols)), self.index(max(rows), max(cols)))

    # -- Qt model API ------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sdrf.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.sdrf.header)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell_data(index.row(), index.column(), role)

    def cell_data(self, r: int, c: int, role: int) -> Any:
        """`data` of cell (r, c); the grid's row proxy calls it without making an index."""
        if role in _TEXT_ROLES:
            return self.sdrf.rows[r][c] if r < len(self.sdrf.rows) else None
        if role not in _CELL_ROLES:     # font, alignment, colour, check state ...: Qt's defaults
            return None
        if role == FINDINGS_ROLE:
            return self._cell_findings.get((r, c), [])
        if role == EXPECTS_TERM_ROLE:
            return self.column_terms(c)
        return self._finding_decoration(self._cell_findings.get((r, c)), role)

    def _finding_decoration(self, items: list[Finding] | None, role: int) -> Any:
        if not items:
            return None
        worst = max(f.severity for f in items)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(SEVERITY_COLOURS[worst])
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.severity_icon(worst)
        return "\n".join(f"{f.severity.label}: {f.code} — {f.message}" for f in items)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.sdrf.header[section] if 0 <= section < len(self.sdrf.header) else None
            return str(section + 1)
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self._header_tooltip(section)
        if orientation == Qt.Orientation.Horizontal and self.required_label(section) is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(REQUIRED_COLOUR)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        return None

    def _header_tooltip(self, section: int) -> str | None:
        if not 0 <= section < len(self.sdrf.header):
            return None
        col = self.sdrf.column(section)
        text = f"{col.header}\nkind: {col.kind.replace('_', ' ')}"
        if self.column_terms(section):
            text += "\nterms from: " + ", ".join(self.column_terms(section))
        required = self.required_label(section)
        if required:
            text += "\nrequired by " + required
        return text

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        text = "" if value is None else str(value)
        if text == self.sdrf.rows[index.row()][index.column()]:
            return False
        self.apply(SetCells(self.sdrf, [(index.row(), index.column(), text)], text="Edit cell"))
        return True

    # -- for the grid and the window --------------------------------------

    def apply(self, command: EditCommand) -> None:
        """Do an edit as one undo step (refused while a big edit is still being applied in steps)."""
        if self.busy:
            return
        push(self.undo_stack, command)

    def apply_now(self, command: EditCommand) -> None:
        """One step of a big edit (`spreadsheet`): into the undo macro it has opened."""
        push(self.undo_stack, command)

    def set_findings(self, items: Iterable[Finding]) -> None:
        """Mark cells: ``items`` are findings already chosen for this SDRF (1-based locations)."""
        old = set(self._cell_findings)
        cells: dict[tuple[int, int], list[Finding]] = defaultdict(list)
        for item in items:
            where = item.location.model_index()
            if where is not None and 0 <= where[0] < len(self.sdrf.rows) and 0 <= where[1] < len(self.sdrf.header):
                cells[where].append(item)
        self._cell_findings = dict(cells)
        self._emit_cells(old | set(cells))

    def _emit_cells(self, cells: set[tuple[int, int]]) -> None:
        if not cells:
            return
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        roles = [FINDINGS_ROLE, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.DecorationRole,
                 Qt.ItemDataRole.ToolTipRole]
        self.dataChanged.emit(self.index(min(rows), min(cols)), self.index(max(rows), max(cols)), roles)

    def set_column_terms(self, header: str, ontologies: list[str]) -> None:
        """Bind the column(s) headed ``header`` to ontologies; [] makes it free text."""
        self._column_terms[header.casefold()] = list(ontologies)
        last = max(len(self.sdrf.header) - 1, 0)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)

    def column_terms(self, column: int) -> list[str]:
        if not 0 <= column < len(self.sdrf.header):
            return []
        header = self.sdrf.header[column]
        explicit = self._column_terms.get(header.casefold())
        if explicit is not None:
            return list(explicit)
        return default_ontologies(header) or self._named_sources(column)

    def _named_sources(self, column: int, sample: int = 100) -> list[str]:
        """Ontologies a column's own Term Source REF cells name (e.g. 'FBbi' in a Comment[imaging method])."""
        source_col, _ = self.sdrf.companions(column)
        if source_col is None:
            return []
        names = (row[source_col].strip() for row in self.sdrf.rows[:sample])
        return list(dict.fromkeys(n for n in names if n))

    def set_term_bindings(self, bindings: dict[str, list[str]]) -> None:
        self._column_terms = {k.casefold(): list(v) for k, v in bindings.items()}

    def term_bindings(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self._column_terms.items()}
