"""Ontology term completion inside grid cells.

`TermCompleter` attaches to a cell editor: each keystroke searches the offline
index (`TermService.search`, SQLite FTS5 — a few milliseconds, measured in
``bench/bench_app.py``, so it runs directly in the GUI thread) among the
column's ontologies, and shows label, accession, ontology and the synonym that
matched. Highlighting a hit shows its definition in the `TermDetails` panel.

Accepting a hit fills the cell *and* its ``Term Source REF`` / ``Term
Accession Number`` companions in one `SetCells` command (one undo step).
Free text stays allowed; the cell checks flag it when the column expects a
term — already while it is typed (`LiveCellCheck` marks the editor) and on
the cell once committed. While the index is still being built, the list says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFontMetrics, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QLabel,
    QLineEdit,
    QListView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from depositdesk.findings import Finding
from depositdesk.magetab.idf import Idf
from depositdesk.ontology.model import TermHit
from depositdesk.widgets.cell_checks import check_cell_text
from depositdesk.widgets.edit_commands import EditCommand, Macro, SetCells, SetIdfRecords
from depositdesk.widgets.live_check import LiveCellCheck
from depositdesk.widgets.sdrf_model import SdrfTableModel

HIT_ROLE = Qt.ItemDataRole.UserRole + 10
AnyIndex = QModelIndex | QPersistentModelIndex


class TermSearch(Protocol):
    """What the completer needs of `depositdesk.ontology.TermService`."""

    def search(self, text: str, ontologies: Any = None, under: str | None = None, limit: int = 20) -> list[TermHit]: ...

    def available(self) -> dict[str, str]: ...


def hit_text(hit: TermHit) -> str:
    """One line of the list: label, accession, ontology, and the synonym when that is what matched."""
    text = f"{hit.label}    {hit.accession}"
    if hit.matched and hit.matched.casefold() != hit.label.casefold():
        text += f"    (synonym: {hit.matched})"
    if hit.obsolete:
        text += "    [obsolete]"
    return text


POPUP_WIDTH = 460


def building_note(building: list[str]) -> str:
    """The list's first line while some of the column's ontologies are not indexed yet (two short lines)."""
    return (f"{', '.join(building)}: the term index is still being built.\n"
            "Type freely; these terms are offered when it is ready.")


class TermCompleter(QCompleter):
    """The popup list of terms for one line editor."""

    sig_highlighted = Signal(object)  # TermHit
    sig_chosen = Signal(object)       # TermHit

    def __init__(self, editor: QLineEdit, service: TermSearch, ontologies: list[str], limit: int = 15) -> None:
        super().__init__(editor)
        self.service = service
        self.ontologies = list(ontologies)
        self.limit = limit
        self.hits: list[TermHit] = []
        self.items = QStandardItemModel(self)
        self.setModel(self.items)
        self.setWidget(editor)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(10)
        popup = self.list_view()
        popup.setMinimumWidth(POPUP_WIDTH)
        if isinstance(popup, QListView):
            popup.setUniformItemSizes(False)  # the two-line note keeps its height
        popup.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.highlighted[QModelIndex].connect(self._on_highlighted)  # type: ignore[index]
        self.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]
        editor.textEdited.connect(self.update_hits)

    def list_view(self) -> QAbstractItemView:
        popup = self.popup()
        assert popup is not None
        return popup

    def _index_states(self) -> tuple[list[str], list[str]]:
        """(ready, being built) among this column's ontologies."""
        states = {k.lower(): v for k, v in self.service.available().items()}
        ready = [o for o in self.ontologies if states.get(o.lower()) == "ready"]
        building = [o for o in self.ontologies if states.get(o.lower()) == "building"]
        return ready, building

    def update_hits(self, text: str) -> None:
        """Search and show the list (empty text hides it)."""
        self.items.clear()
        self.hits = []
        text = text.strip()
        if len(text) < 1:
            self.list_view().hide()
            return
        ready, building = self._index_states()
        if ready:
            self.hits = self.service.search(text, ready, limit=self.limit)
            for hit in self.hits:
                item = QStandardItem(hit_text(hit))
                item.setData(hit, HIT_ROLE)
                item.setToolTip(hit.definition or "(no definition)")
                self.items.appendRow(item)
        if building:
            note = QStandardItem(building_note(building))
            note.setEnabled(False)
            note.setToolTip(note.text())
            self.items.insertRow(0, note)  # on top: seen before the hits, not scrolled away
        if self.items.rowCount() == 0:
            self.list_view().hide()
            return
        editor = self.widget()
        rect = editor.rect()
        rect.setWidth(max(rect.width(), POPUP_WIDTH, self._needed_width()))
        self.complete(rect)

    def _needed_width(self) -> int:
        """Wide enough for the longest line of the note (hits are long labels: those may elide)."""
        popup = self.list_view()
        metrics = QFontMetrics(popup.font())
        widest = 0
        for row in range(self.items.rowCount()):
            item = self.items.item(row)
            if item is not None and not item.isEnabled():
                widest = max(widest, *(metrics.horizontalAdvance(line) for line in item.text().split("\n")))
        bar = popup.verticalScrollBar()
        return widest + 2 * popup.frameWidth() + 24 + (bar.sizeHint().width() if bar is not None else 0)

    def _hit(self, index: QModelIndex) -> TermHit | None:
        hit = index.data(HIT_ROLE)
        return hit if isinstance(hit, TermHit) else None

    def _on_highlighted(self, index: QModelIndex) -> None:
        hit = self._hit(index)
        if hit is not None:
            self.sig_highlighted.emit(hit)

    def _on_activated(self, index: QModelIndex) -> None:
        hit = self._hit(index)
        if hit is None:
            return
        editor = self.widget()
        assert isinstance(editor, QLineEdit)
        editor.setText(hit.label)
        editor.setProperty("term_hit", hit)
        self.sig_chosen.emit(hit)


class TermDelegate(QStyledItemDelegate):
    """Cell editors with term completion for columns bound to ontologies."""

    sig_highlighted = Signal(object)  # TermHit, for the details panel
    sig_message = Signal(str)         # what the open editor's live check says, for the status bar

    def __init__(self, model: SdrfTableModel, service: TermSearch | None, parent: QWidget | None = None,
                 idf: Idf | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.service = service
        self.idf = idf
        self.last_completer: TermCompleter | None = None
        self.last_live_check: LiveCellCheck | None = None

    def _source(self, index: AnyIndex) -> QModelIndex:
        proxy = index.model()
        mapper = getattr(proxy, "mapToSource", None)
        if mapper is not None:
            return mapper(index)  # type: ignore[no-any-return]
        return self.model.index(index.row(), index.column())

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        src = self._source(index)
        ontologies = self.model.column_terms(src.column())
        if self.service is not None and ontologies and isinstance(editor, QLineEdit):
            completer = TermCompleter(editor, self.service, ontologies)
            completer.sig_highlighted.connect(self.sig_highlighted)
            completer.sig_chosen.connect(lambda hit, e=editor: self._chosen(e, hit))
            self.last_completer = completer
            live = LiveCellCheck(editor, self._cell_check(QPersistentModelIndex(src), ontologies), ontologies)
            live.sig_message.connect(self.sig_message)
            self.last_live_check = live
        return editor

    def _cell_check(self, cell: QPersistentModelIndex, ontologies: list[str]) -> Callable[[str], list[Finding]]:
        """The committed cell's check, on the editor's text (the cell may have moved meanwhile)."""
        def check(text: str) -> list[Finding]:
            if not cell.isValid():
                return []
            return check_cell_text(self.service, self.model.sdrf, cell.row(), cell.column(), text, ontologies,
                                   self.model.file_name)
        return check

    def _chosen(self, editor: QLineEdit, hit: TermHit) -> None:
        self.sig_highlighted.emit(hit)
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        hit = editor.property("term_hit") if isinstance(editor, QLineEdit) else None
        if isinstance(hit, TermHit) and isinstance(editor, QLineEdit) and editor.text() == hit.label:
            src = self._source(index)
            self.model.apply(term_command(self.model, src.row(), src.column(), hit, self.idf))
            return
        super().setModelData(editor, model, index)


def term_command(model: SdrfTableModel, row: int, column: int, hit: TermHit, idf: Idf | None = None) -> EditCommand:
    """The cell and its Term Source REF / Term Accession Number companions, as one edit.

    When the IDF does not list the term's ontology yet, the same step adds it
    to the IDF's term sources (a Term Source REF must name one).
    """
    sdrf = model.sdrf
    changes = [(row, column, hit.label)]
    source, accession = sdrf.companions(column)
    if source is not None:
        changes.append((row, source, hit.ontology))
    if accession is not None:
        changes.append((row, accession, hit.accession))
    text = f"Choose term {hit.label}"
    cells = SetCells(sdrf, changes, text=text)
    known = {n.casefold() for n in idf.term_source_names()} if idf is not None else set()
    if idf is None or source is None or hit.ontology.casefold() in known:
        return cells
    records = [dict(r) for r in idf.records("term_source")]
    records.append({"Term Source Name": hit.ontology, "Term Source File": term_source_file(hit.ontology)})
    return Macro([cells, SetIdfRecords(idf, "term_source", records)], text=text)


def term_source_file(ontology: str) -> str:
    """Where an ontology is published: EFO at EBI, the OBO Foundry ones at their PURL."""
    if ontology.upper() == "EFO":
        return "http://www.ebi.ac.uk/efo/efo.owl"
    return f"http://purl.obolibrary.org/obo/{ontology.lower()}.owl"


class TermDetails(QLabel):
    """The side panel: what the highlighted term is, with its definition."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setMargin(8)
        self.setMinimumWidth(220)
        self.show_hint()

    def show_hint(self, text: str = "") -> None:
        self.setText(text or "<i>Type in a column bound to an ontology (organism, cell type, stage, tissue, "
                             "assay, instrument, unit …) to see matching terms here.</i>")

    def show_hit(self, hit: TermHit) -> None:
        from html import escape

        parts = [f"<b>{escape(hit.label)}</b>", f"<tt>{escape(hit.accession)}</tt> · {escape(hit.ontology)}"]
        if hit.matched and hit.matched.casefold() != hit.label.casefold():
            parts.append(f"matched synonym: <i>{escape(hit.matched)}</i>")
        if hit.obsolete:
            parts.append("<span style='color:#b00'>obsolete</span>"
                         + (f" — replaced by {escape(hit.replaced_by)}" if hit.replaced_by else ""))
        parts.append(escape(hit.definition) if hit.definition else "<i>(no definition in the source)</i>")
        self.setText("<br>".join(parts))
