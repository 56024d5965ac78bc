"""The REMBI editor (Project > REMBI…): the project's ``.depositdesk/rembi.yaml`` as a tree.

REMBI is what the BioImage Archive asks of an imaging study (study, biosamples, specimens,
acquisitions, correlations, analysis, study components, associations), stored in bia-agent's YAML
layout so the BIA package converter reads it as it is. The keys the bia target requires
(`depositdesk.packaging.targets.bia.REMBI`) are in bold, and red while empty; the organism and the
imaging method complete from the offline term index (NCBITaxon, FBbi) and fill their ontology ids.
"Fill from images" takes what the image files and the SDRF say (pixel sizes, instrument, channels,
organism) into the fields that are still empty. Saving is atomic; closing with changes asks.
"""

from __future__ import annotations

import copy
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

SECTIONS = ("study", "biosamples", "specimens", "acquisitions", "correlations", "analysis",
            "study_component", "associations")
NAMED = {"biosamples", "specimens", "acquisitions", "correlations", "analysis", "study_component",
         "associations"}
"""Sections whose items are named by the user (a mapping name -> fields)."""
NEW_ITEM = {
    "biosamples": {"organism": {"scientific_name": "", "common_name": "", "ncbi_taxon": ""},
                   "biological_entity": "", "description": ""},
    "specimens": {"sample_preparation": ""},
    "acquisitions": {"imaging_method": {"value": "", "ontology_id": "", "ontology_name": ""},
                     "imaging_instrument": "", "image_acquisition_parameters": ""},
    "study_component": {"name": "", "description": "", "rembi_version": "1.5"},
    "associations": {"biosample_id": "", "specimen_id": "", "acquisition_id": ""},
    "correlations": {"spatial_and_temporal_alignment": ""},
    "analysis": {"analysis_overview": ""},
}
TERM_FIELDS = {"biosamples.organism.scientific_name": ["NCBITaxon"],
               "acquisitions.imaging_method.value": ["FBbi"]}
PATH_ROLE = Qt.ItemDataRole.UserRole + 7
REQUIRED_COLOUR = QColor("#fbe3e3")


def required_keys() -> set[str]:
    from depositdesk.packaging.targets.bia import REMBI

    return set(REMBI)


def schema_path(path: tuple[Any, ...]) -> str:
    """('biosamples', 'mouse', 'organism', 'scientific_name') -> 'biosamples.organism.scientific_name';
    list positions and the names of named items are left out."""
    out: list[str] = []
    for i, part in enumerate(path):
        if isinstance(part, int) or (i == 1 and path[0] in NAMED):
            continue
        out.append(str(part))
    return ".".join(out)


def skeleton() -> dict[str, Any]:
    return {"study": {"title": "", "description": "", "private_until_date": "", "keywords": [],
                      "authors": [], "rembi_version": "1.5"},
            **{name: {} for name in SECTIONS[1:]}}


class _ValueDelegate(QStyledItemDelegate):
    """Value cells: a line editor, with term completion for the organism and the imaging method.

    The editor is held weakly: the tree owns this delegate, so a strong reference back would make the
    dialog a reference cycle, freed only by a full garbage collection, which may run on any thread
    (Qt widgets destroyed off the GUI thread crash the app)."""

    def __init__(self, editor: RembiEditor) -> None:
        super().__init__(editor.tree)
        self._owner = weakref.ref(editor)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        line = QLineEdit(parent)
        path = index.model().index(index.row(), 0, index.parent()).data(PATH_ROLE)
        ontologies = TERM_FIELDS.get(schema_path(tuple(path or ())))
        owner = self._owner()
        if ontologies and owner is not None and owner.service is not None:
            from depositdesk.widgets.term_completer import TermCompleter

            completer = TermCompleter(line, owner.service, ontologies)
            completer.sig_chosen.connect(lambda hit, p=tuple(path): self._chosen(p, hit))
        return line

    def _chosen(self, path: tuple[Any, ...], hit: Any) -> None:
        owner = self._owner()
        if owner is not None:
            owner.term_chosen(path, hit)


class RembiEditor(QDialog):
    def __init__(self, project: Any, service: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from depositdesk.imports.rembi_from_images import rembi_path

        self.project, self.service = project, service
        self.path: Path = rembi_path(project)
        self.setWindowTitle(f"REMBI — {Path(project.folder).name}")
        self.required = required_keys()
        self.data = self._load()
        self.saved = copy.deepcopy(self.data)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Field", "Value"])
        self.tree.setItemDelegateForColumn(1, _ValueDelegate(self))
        self.tree.itemChanged.connect(self._edited)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self._layout()
        self.refresh()
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.resize(820, 680)

    def _layout(self) -> None:
        fill = QPushButton("&Fill from images")
        fill.setToolTip("Pixel sizes, instrument, channels and organism from the image files and the SDRF, "
                        "into the fields that are still empty")
        fill.clicked.connect(self.fill_from_images)
        add = QPushButton("&Add item…")
        add.clicked.connect(self._add_dialog)
        remove = QPushButton("&Remove item")
        remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        for button in (fill, add, remove):
            row.addWidget(button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("REMBI metadata for the BioImage Archive. Bold: required (red while empty)."))
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    # --- data ------------------------------------------------------------------------------
    def _load(self) -> dict[str, Any]:
        import yaml

        data = skeleton()
        try:
            loaded = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return data
        except (OSError, yaml.YAMLError) as exc:
            QMessageBox.warning(self, "REMBI", f"{self.path} cannot be read ({exc}); starting from an empty one. "
                                "The file is left as it is until you save.")
            return data
        if isinstance(loaded, dict):
            data.update(loaded)
        return data

    def modified(self) -> bool:
        return self.data != self.saved

    def missing(self) -> list[str]:
        """The required fields that are empty ('biosamples/mouse/organism/ncbi_taxon', ...)."""
        out = []
        stack: list[tuple[Any, tuple[Any, ...]]] = [(self.data, ())]  # a loop, not a recursive closure:
        while stack:                                                    # that would be a cycle holding self
            node, path = stack.pop()
            if isinstance(node, dict):
                stack.extend((value, (*path, key)) for key, value in reversed(node.items()))
            elif isinstance(node, list):
                stack.extend((value, (*path, i)) for i, value in reversed(list(enumerate(node))))
            elif schema_path(path) in self.required and str(node or "").strip() == "":
                out.append("/".join(str(p) for p in path))
        return out

    def set_value(self, path: tuple[Any, ...], value: Any) -> None:
        node: Any = self.data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    def get_value(self, path: tuple[Any, ...]) -> Any:
        node: Any = self.data
        for part in path:
            node = node[part]
        return node

    # --- the tree ----------------------------------------------------------------------------
    def refresh(self) -> None:
        expanded = {tuple(i.data(0, PATH_ROLE)) for i in self._items() if i.isExpanded()}
        self.tree.blockSignals(True)
        self.tree.clear()
        for section in SECTIONS:
            self._add(self.tree.invisibleRootItem(), section, self.data.get(section, {}), (section,))
        for item in self._items():
            if tuple(item.data(0, PATH_ROLE)) in expanded or len(item.data(0, PATH_ROLE)) <= 2:
                item.setExpanded(True)
        self.tree.resizeColumnToContents(0)
        self.tree.blockSignals(False)
        self._show_missing()

    def _show_missing(self) -> None:
        missing = self.missing()
        self.note.setText("All required fields are filled." if not missing else
                          f"{len(missing)} required field(s) empty: " + ", ".join(missing[:6])
                          + (" …" if len(missing) > 6 else ""))

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            out.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return out

    def _add(self, parent: QTreeWidgetItem, key: Any, value: Any, path: tuple[Any, ...]) -> None:
        label = f"{path[-2]} {key + 1}" if isinstance(key, int) and len(path) > 1 else str(key)
        item = QTreeWidgetItem(parent, [label.replace("_", " "), ""])
        item.setData(0, PATH_ROLE, list(path))
        required = schema_path(path) in self.required
        if isinstance(value, dict):
            for k, v in value.items():
                self._add(item, k, v, (*path, k))
            return
        if isinstance(value, list) and (not value or isinstance(value[0], dict)):
            for i, v in enumerate(value):
                self._add(item, i, v, (*path, i))
            return
        text = ", ".join(str(v) for v in value) if isinstance(value, list) else ("" if value is None else str(value))
        item.setText(1, text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        if required:
            font = QFont(item.font(0))
            font.setBold(True)
            item.setFont(0, font)
            item.setToolTip(0, "Required by the BioImage Archive (REMBI 1.5)")
            if not text.strip():
                for column in (0, 1):
                    item.setBackground(column, QBrush(REQUIRED_COLOUR))

    def _edited(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 1:
            return
        path = tuple(item.data(0, PATH_ROLE))
        old = self.get_value(path)
        text = item.text(1).strip()
        value: Any = [w.strip() for w in text.split(",") if w.strip()] if isinstance(old, list) else text
        self.set_value(path, value)
        # the item is the one Qt is telling about: it is recoloured in place, never deleted here
        # (rebuilding the tree inside its own itemChanged frees it under Qt's feet)
        self._mark(item, path, text)
        self._show_missing()

    def _mark(self, item: QTreeWidgetItem, path: tuple[Any, ...], text: str) -> None:
        empty_required = schema_path(path) in self.required and not text.strip()
        self.tree.blockSignals(True)
        if item.text(1) != text:
            item.setText(1, text)
        for column in (0, 1):
            item.setBackground(column, QBrush(REQUIRED_COLOUR) if empty_required else QBrush())
        self.tree.blockSignals(False)

    def _shown(self, path: tuple[Any, ...], value: Any) -> None:
        """Show a value set from code in its row (if the row exists) without rebuilding the tree."""
        for item in self._items():
            if tuple(item.data(0, PATH_ROLE)) == path:
                text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value or "")
                self._mark(item, path, text)
                return

    def term_chosen(self, path: tuple[Any, ...], hit: Any) -> None:
        """An organism or imaging method picked from the list: its ontology ids go beside it."""
        parent = path[:-1]
        if path[-1] == "scientific_name":
            number = hit.accession.split(":", 1)[-1]
            values = {(*parent, "ncbi_taxon"): f"NCBI:txid{number}"}
        elif path[-1] == "value":
            values = {(*parent, "ontology_id"): hit.iri or hit.accession,
                      (*parent, "ontology_name"): hit.ontology}
        else:
            values = {}
        values[path] = hit.label
        for where, value in values.items():
            self.set_value(where, value)
            self._shown(where, value)
        self._show_missing()

    # --- actions -----------------------------------------------------------------------------
    def add_item(self, section: str, name: str) -> bool:
        if section not in NEW_ITEM or not name.strip() or name in self.data.setdefault(section, {}):
            return False
        self.data[section][name.strip()] = copy.deepcopy(NEW_ITEM[section])
        self.refresh()
        return True

    def _add_dialog(self) -> None:
        section, ok = QInputDialog.getItem(self, "Add item", "Section:", list(NEW_ITEM), 0, False)
        if not ok:
            return
        name, ok = QInputDialog.getText(self, "Add item", f"Name of the new {section} item:")
        if ok and not self.add_item(section, name):
            self.note.setText(f"'{name}' is empty or already in {section}.")

    def remove_selected(self) -> None:
        item = self.tree.currentItem()
        path = tuple(item.data(0, PATH_ROLE)) if item is not None else ()
        if len(path) != 2 or path[0] not in NAMED:
            self.note.setText("Select an item of a section (a biosample, an acquisition …) to remove it.")
            return
        del self.data[path[0]][path[1]]
        self.refresh()

    def fill_from_images(self) -> int:
        """Empty fields take the values made from the images and the SDRF; returns how many were filled."""
        from depositdesk.imports.rembi_from_images import rembi_from_project

        made = rembi_from_project(self.project)
        filled = _merge(self.data, made)
        self.refresh()
        self.note.setText(f"{filled} field(s) filled from the images and the SDRF. " + self.note.text())
        return filled

    def save(self) -> bool:
        from depositdesk.imports.rembi_from_images import write_rembi

        try:
            write_rembi(self.project, self.data)
        except OSError as exc:
            QMessageBox.warning(self, "REMBI", f"{self.path} could not be written: {exc}")
            return False
        self.saved = copy.deepcopy(self.data)
        self.note.setText(f"Saved to {self.path}. " + self.note.text())
        return True

    def closeEvent(self, event: Any) -> None:
        if self.modified():
            answer = QMessageBox.question(
                self, "REMBI", "Save the changes to the REMBI metadata?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self.save()):
                event.ignore()
                return
        super().closeEvent(event)


def _merge(into: dict[str, Any], made: dict[str, Any]) -> int:
    """Fill the empty values of ``into`` from ``made`` (and add what ``into`` lacks); count filled."""
    filled = 0
    for key, value in made.items():
        if key not in into or into[key] in ("", None, [], {}):
            if value not in ("", None, [], {}):
                into[key] = copy.deepcopy(value)
                filled += _count(value)
        elif isinstance(into[key], dict) and isinstance(value, dict):
            filled += _merge(into[key], value)
    return filled


def _count(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_count(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count(v) for v in value) if value and isinstance(value[0], dict) else 1
    return 0 if value in ("", None) else 1
