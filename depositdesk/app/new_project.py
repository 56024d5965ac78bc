"""`NewProjectDialog`: what the person knows (assay, organism, conditions, replicates) becomes the rows.

The assay picks the template (its columns and protocols); the organism is
completed from the offline NCBITaxon index (the grid's `TermCompleter`), so its
accession comes with it; conditions and replicates per condition name the
samples (control_1, control_2, treated_1 ...) and fill the factor's values.
Everything has a default, so Return creates a project at once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from depositdesk.app import dialogs
from depositdesk.ontology.model import TermHit
from depositdesk.resources.templates import Design, Template, name_stem, templates

ORGANISM_ONTOLOGY = "NCBITaxon"
MATERIALS = ("", "organism part", "cell", "cell line", "whole organism")
SHOWN_NAMES = 6


class NewProjectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, template_name: str | None = None,
                 term_service: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.templates = templates()
        self.term_service = term_service
        self.accession = ""
        self._chosen_label = ""
        self._folder_edited = False
        self._guesses: tuple[str, str, int] | None = None   # the current template's suggestions
        self._build_widgets()
        self._build_layout()
        self._connect()
        names = [t.name for t in self.templates]
        self.list.setCurrentRow(names.index(template_name) if template_name in names else 0)
        self.list.setFocus()
        self.resize(820, 520)

    # -- widgets -----------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.list = QListWidget()
        self.list.addItems([t.title for t in self.templates])
        self.list.setFixedWidth(180)
        self.list.setAccessibleName("Assay")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.title = QLineEdit()
        self.title.setPlaceholderText("What the experiment shows, in one sentence")
        self.organism = QLineEdit()
        self.organism.setPlaceholderText("Type a species name and pick it from the list")
        self.organism_note = QLabel()
        self.organism_note.setWordWrap(True)
        self.completer = self._attach_completer()
        self.factor = QLineEdit()
        self.conditions = QLineEdit()
        self.conditions.setToolTip("The values of the factor, separated by commas")
        self.replicates = QSpinBox()
        self.replicates.setRange(1, 500)
        self.replicates.setSuffix(" per condition")
        self.material = QComboBox()
        self.material.setEditable(True)
        self.material.addItems(MATERIALS)
        line = self.material.lineEdit()
        if line is not None:
            line.setPlaceholderText("not yet known (fill in the grid later)")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.folder = QLineEdit(str(free_folder(Path.home() / "DepositDesk" / "new-project")))
        self.browse = QPushButton("Choose…")
        self.browse.setAutoDefault(False)     # Return anywhere creates the project
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        create = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        create.setText("Create")
        create.setDefault(True)

    def _attach_completer(self) -> Any:
        if self.term_service is None:
            self.organism_note.setText("The term index is not available: the organism is kept as typed.")
            return None
        from depositdesk.widgets.term_completer import TermCompleter

        completer = TermCompleter(self.organism, self.term_service, [ORGANISM_ONTOLOGY])
        completer.sig_chosen.connect(self._organism_chosen)
        return completer

    def _build_layout(self) -> None:
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(self.browse)
        form = QFormLayout()
        form.addRow(self.description)
        form.addRow("&Title:", self.title)
        form.addRow("&Organism:", self.organism)
        form.addRow("", self.organism_note)
        form.addRow("&Factor:", self.factor)
        form.addRow("Co&nditions:", self.conditions)
        form.addRow("&Replicates:", self.replicates)
        form.addRow("&Material Type:", self.material)
        form.addRow("Samples:", self.preview)
        folder_label = QLabel("Fol&der:")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, where)
        right = QWidget()
        right.setLayout(form)
        assay = QVBoxLayout()
        heading = QLabel("&Assay:")
        heading.setBuddy(self.list)
        assay.addWidget(heading)
        assay.addWidget(self.list, 1)
        body = QHBoxLayout()
        body.addLayout(assay)
        body.addWidget(right, 1)
        outer = QVBoxLayout(self)
        outer.addLayout(body, 1)
        outer.addWidget(self.buttons)
        order = [self.list, self.title, self.organism, self.factor, self.conditions, self.replicates,
                 self.material, self.folder, self.browse]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.list.currentRowChanged.connect(self._show)
        self.browse.clicked.connect(self._browse)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.organism.textEdited.connect(self._organism_typed)
        self.title.textEdited.connect(self._title_typed)
        self.folder.textEdited.connect(lambda _t: setattr(self, "_folder_edited", True))
        for signal in (self.conditions.textChanged, self.replicates.valueChanged, self.factor.textChanged):
            signal.connect(self._update_preview)

    # -- reactions ---------------------------------------------------------------------
    def _show(self, row: int) -> None:
        template = self.templates[row]
        header = template.data["sdrf"]["header"]
        shown = [h for h in header if h not in ("Term Source REF", "Term Accession Number")
                 and not h.startswith("Factor Value")]
        self.description.setText(f"<b>{template.title}</b>: {template.description}<br>"
                                 f"<small>Columns: {', '.join(dict.fromkeys(shown))}</small>")
        suggest = template.suggest
        guesses = (str(suggest.get("factor", "condition")),
                   ", ".join(suggest.get("conditions", ["control", "treated"])),
                   int(suggest.get("replicates", 3)))
        previous = self._guesses
        if previous is None or self.factor.text() == previous[0]:   # what the person typed stays
            self.factor.setText(guesses[0])
        if previous is None or self.conditions.text() == previous[1]:
            self.conditions.setText(guesses[1])
        if previous is None or self.replicates.value() == previous[2]:
            self.replicates.setValue(guesses[2])
        self._guesses = guesses
        self._update_preview()

    def _organism_chosen(self, hit: TermHit) -> None:
        self.accession, self._chosen_label = hit.accession, hit.label
        self.organism_note.setText(f"{hit.label} — {hit.accession}")

    def _organism_typed(self, text: str) -> None:
        if text.strip().casefold() != self._chosen_label.casefold():
            self.accession, self._chosen_label = "", ""
            self.organism_note.setText("")

    def _title_typed(self, text: str) -> None:
        if not self._folder_edited:
            stem = name_stem(text).lower()[:60] or "new-project"
            self.folder.setText(str(free_folder(Path.home() / "DepositDesk" / stem)))

    def _update_preview(self) -> None:
        names = [name for name, _ in self.design().sample_names()]
        shown = ", ".join(names[:SHOWN_NAMES]) + (", …" if len(names) > SHOWN_NAMES else "")
        self.preview.setText(f"{len(names)} row(s): {shown}")

    def _browse(self) -> None:
        shown = Path(self.folder.text()).expanduser()
        start = next((str(p) for p in (shown, *shown.parents) if p.is_dir()), str(Path.home()))
        folder = dialogs.save_folder(self, "Folder for the new project", start)
        if folder:
            self.folder.setText(folder)
            self._folder_edited = True

    def accept(self) -> None:
        if self.organism.text().strip() and not self.accession:
            self._look_up_organism()
        super().accept()

    def _look_up_organism(self) -> None:
        """A name typed in full without picking it: its accession when the index knows it exactly."""
        if self.term_service is None:
            return
        text = self.organism.text().strip()
        try:
            hits = self.term_service.search(text, [ORGANISM_ONTOLOGY], limit=5)
        except (sqlite3.Error, OSError):   # an index being rebuilt: the name stays as typed, checks say so
            return
        exact = [h for h in hits if h.label.casefold() == text.casefold()]
        if len(exact) == 1:
            self._organism_chosen(exact[0])
            self.organism.setText(exact[0].label)

    # -- the answer --------------------------------------------------------------------
    def template(self) -> Template:
        return self.templates[max(self.list.currentRow(), 0)]

    def design(self) -> Design:
        conditions = tuple(dict.fromkeys(c.strip() for c in self.conditions.text().split(",") if c.strip()))
        return Design(organism=self.organism.text().strip(), organism_accession=self.accession,
                      factor=self.factor.text().strip(), conditions=conditions,
                      replicates=self.replicates.value(), material=self.material.currentText().strip())

    def choice(self) -> tuple[Path, str, Template]:
        template = self.template()
        title = self.title.text().strip() or f"New {template.title} experiment"
        return Path(self.folder.text()).expanduser(), title, template


def free_folder(folder: Path) -> Path:
    """``folder``, or ``folder-2``, ``folder-3`` ... when it exists and is not empty."""
    candidate, n = folder, 1
    while candidate.exists() and (not candidate.is_dir() or any(candidate.iterdir())):
        n += 1
        candidate = folder.with_name(f"{folder.name}-{n}")
    return candidate
