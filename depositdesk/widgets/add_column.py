"""`AddColumnDialog`: add a column from the MAGE-TAB grammar, with its companions.

The person picks a kind (``Characteristics[…]``, ``Factor Value[…]``,
``Comment[…]``, a node or file column ...), types the bracket name, and
chooses whether the ``Term Source REF`` / ``Term Accession Number``
companions (and a ``Unit[…]``) come along; the ontologies the column's terms
come from are filled in from the defaults and can be changed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from depositdesk.magetab.sdrf import SDRF_COLUMN_CHOICES
from depositdesk.widgets.term_bindings import default_ontologies

BRACKET = "[…]"
NAME_SUGGESTIONS = ["organism", "cell type", "developmental stage", "organism part", "sex", "genotype",
                    "strain", "age", "disease", "treatment", "time", "instrument model", "antibody"]


def column_headers(choice: str, name: str, terms: bool, unit: str = "") -> list[str]:
    """The headings to insert: 'Characteristics[…]' + 'age' + unit 'year' -> value, Unit, REF, accession."""
    head = choice.replace(BRACKET, f"[{name.strip()}]") if BRACKET in choice else choice
    headers = [head]
    if unit:
        headers.append(f"Unit[{unit.strip()}]")
    if terms:
        headers += ["Term Source REF", "Term Accession Number"]
    return headers


class AddColumnDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add column")
        self.kind = QComboBox()
        self.kind.addItems(SDRF_COLUMN_CHOICES)
        self.name = QComboBox()
        self.name.setEditable(True)
        self.name.addItems(NAME_SUGGESTIONS)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("e.g. day, hour, degree Celsius (optional)")
        self.terms = QCheckBox("Add Term Source REF and Term Accession Number")
        self.terms.setChecked(True)
        self.ontologies = QLineEdit()
        self.ontologies.setPlaceholderText("e.g. NCBITaxon, CL (empty = free text)")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Kind:", self.kind)
        form.addRow("Name in brackets:", self.name)
        form.addRow("Unit:", self.unit)
        form.addRow("", self.terms)
        form.addRow("Terms from:", self.ontologies)
        form.addRow("Will add:", self.preview)
        form.addRow(buttons)
        self.kind.currentTextChanged.connect(self._update)
        self.name.currentTextChanged.connect(self._update)
        self.unit.textChanged.connect(self._update)
        self.terms.toggled.connect(self._update)
        self.resize(540, 220)
        self._update()

    def _update(self) -> None:
        bracketed = BRACKET in self.kind.currentText()
        self.name.setEnabled(bracketed)
        self.unit.setEnabled(bracketed)
        head = self.headers()[0]
        self.ontologies.setText(", ".join(default_ontologies(head)))
        self.preview.setText("  |  ".join(self.headers()))

    def headers(self) -> list[str]:
        bracketed = BRACKET in self.kind.currentText()
        return column_headers(self.kind.currentText(), self.name.currentText(), self.terms.isChecked(),
                              self.unit.text() if bracketed else "")

    def ontology_names(self) -> list[str]:
        return [p.strip() for p in self.ontologies.text().split(",") if p.strip()]
