"""`IdfForm`: the investigation description edited as forms and lists, never as raw rows.

One tab per IDF section: the investigation fields as a form; people,
protocols, factors, publications and term sources as a list of records plus a
form for the selected one. Each change is one `SetIdfField`/`SetIdfRecords`
command on the undo stack; the form re-reads the document when it changes
(after an undo, a journal recovery ...).

ORCID: MAGE-TAB has no person identifier line, so DepositDesk keeps it in a
``Comment[ORCID]`` line aligned by position with the people (the same
convention as other per-person comments), which every MAGE-TAB reader keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from depositdesk.magetab.idf import IDF_SECTIONS, Idf
from depositdesk.widgets.edit_commands import EditCommand, Macro, SetIdfField, SetIdfRecords
from depositdesk.widgets.undo import push

ORCID_FIELD = "Comment[ORCID]"
LONG_FIELDS = {"Experiment Description", "Protocol Description", "Person Address", "Publication Author List",
               "Publication Title", "Protocol Parameters"}
SUGGESTIONS = {
    "Person Roles": ["submitter", "investigator", "data analyst", "data coder", "experiment performer",
                     "curator"],
    "Protocol Type": ["sample collection protocol", "growth protocol", "treatment protocol",
                      "nucleic acid extraction protocol", "nucleic acid library construction protocol",
                      "nucleic acid sequencing protocol", "high throughput sequence alignment protocol",
                      "chromatin immunoprecipitation protocol", "imaging protocol",
                      "image acquisition and processing protocol", "normalization data transformation protocol"],
    "Publication Status": ["published", "submitted", "in preparation"],
    "Experimental Design": ["binding site identification design", "transcription profiling by high throughput "
                            "sequencing", "chromatin accessibility", "time series design", "genotype design",
                            "imaging"],
}
LABELS = {ORCID_FIELD: "ORCID", "MAGE-TAB Version": "MAGE-TAB version", "PubMed ID": "PubMed ID",
          "Publication DOI": "DOI", "Person Email": "E-mail"}
SECTION_TABS = [
    ("person", "People", "Person Last Name"),
    ("protocol", "Protocols", "Protocol Name"),
    ("experimental_factor", "Factors", "Experimental Factor Name"),
    ("publication", "Publications", "Publication Title"),
    ("term_source", "Term sources", "Term Source Name"),
]
INVESTIGATION_FIELDS = ["Investigation Title", "Experiment Description", "Experimental Design",
                        "Experimental Design Term Source REF", "Experimental Design Term Accession Number",
                        "Date of Experiment", "Public Release Date", "MAGE-TAB Version"]


def field_label(name: str, section: str) -> str:
    """'Person Last Name' -> 'Last name'; 'Protocol Term Source REF' -> 'Term source REF'."""
    prefix = {"person": "Person ", "protocol": "Protocol ", "experimental_factor": "Experimental Factor ",
              "publication": "Publication ", "term_source": "Term Source "}.get(section, "")
    text = name[len(prefix):] if prefix and name.startswith(prefix) and name != prefix.strip() else name
    if name in LABELS:
        return LABELS[name]
    return text[:1].upper() + text[1:].replace("REF", "ref").lower().replace("ref", "REF")


def _editor(name: str) -> QLineEdit | QPlainTextEdit:
    if name in LONG_FIELDS:
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.setFixedHeight(90 if "Description" in name else 56)
        return box
    line = QLineEdit()
    if name in SUGGESTIONS:
        line.setCompleter(QCompleter(SUGGESTIONS[name], line))
    return line


def _text(editor: QLineEdit | QPlainTextEdit) -> str:
    return editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()


def _set_text(editor: QLineEdit | QPlainTextEdit, value: str) -> None:
    if _text(editor) == value:
        return
    if isinstance(editor, QPlainTextEdit):
        editor.setPlainText(value)
    else:
        editor.setText(value)
        editor.setCursorPosition(0)


def _on_commit(editor: QLineEdit | QPlainTextEdit, commit: Callable[[], None]) -> None:
    if isinstance(editor, QLineEdit):
        editor.editingFinished.connect(commit)
    else:
        original = editor.focusOutEvent

        def focus_out(event: object) -> None:
            commit()
            original(event)  # type: ignore[arg-type]

        editor.focusOutEvent = focus_out  # type: ignore[method-assign]


class InvestigationTab(QWidget):
    """Title, description, design and dates: one field each."""

    def __init__(self, form: IdfForm) -> None:
        super().__init__()
        self.form = form
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        outer = QVBoxLayout(self)
        body = QWidget()
        layout = QFormLayout(body)
        outer.addWidget(body)
        outer.addStretch(1)  # fields stay at the top; spare height stays empty below them
        for name in INVESTIGATION_FIELDS:
            editor = _editor(name)
            self.editors[name] = editor
            _on_commit(editor, partial(self._commit, name))
            layout.addRow(field_label(name, "investigation") + ":", editor)
        self.sdrf_label = QLabel()
        layout.addRow("SDRF file(s):", self.sdrf_label)

    def _commit(self, name: str) -> None:
        value = _text(self.editors[name])
        if [value] != (self.form.idf.get(name) or [""]):
            self.form.apply(SetIdfField(self.form.idf, name, [value], text=f"Edit {field_label(name, '')}"))

    def refresh(self) -> None:
        for name, editor in self.editors.items():
            _set_text(editor, self.form.idf.first(name))
        self.sdrf_label.setText(", ".join(self.form.idf.sdrf_files()) or "(none)")


class RecordsTab(QWidget):
    """A list of records (people, protocols, ...) and a form for the selected one."""

    def __init__(self, form: IdfForm, section: str, title_field: str) -> None:
        super().__init__()
        self.form = form
        self.section = section
        self.title_field = title_field
        self.fields = list(IDF_SECTIONS[section]) + ([ORCID_FIELD] if section == "person" else [])
        self.list = QListWidget()
        self.list.setMinimumWidth(180)
        self.list.setMaximumWidth(260)
        self.list.currentRowChanged.connect(self._show_record)
        self.editors: dict[str, QLineEdit | QPlainTextEdit] = {}
        self._build(title_field)

    def _build(self, title_field: str) -> None:
        add = QPushButton("Add")
        remove = QPushButton("Remove")
        add.clicked.connect(self.add_record)
        remove.clicked.connect(self.remove_record)
        left = QVBoxLayout()
        left.addWidget(self.list)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        left.addLayout(buttons)
        body = QWidget()
        holder = QVBoxLayout(body)
        form_part = QWidget()
        grid = QFormLayout(form_part)
        holder.addWidget(form_part)
        holder.addStretch(1)  # fields packed at the top, not spread over the height
        for name in self.fields:
            editor = _editor(name)
            self.editors[name] = editor
            _on_commit(editor, partial(self._commit, name))
            grid.addRow(field_label(name, self.section) + ":", editor)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addWidget(scroll, 1)

    # -- reading the document ------------------------------------------------

    def records(self) -> list[dict[str, str]]:
        records = self.form.idf.records(self.section)
        if self.section == "person":
            orcids = self.form.idf.get(ORCID_FIELD)
            for i, rec in enumerate(records):
                rec[ORCID_FIELD] = orcids[i] if i < len(orcids) else ""
        return records

    def _title(self, rec: dict[str, str], i: int) -> str:
        if self.section == "person":
            name = " ".join(p for p in (rec.get("Person First Name", ""), rec.get("Person Last Name", "")) if p)
            return name or f"(person {i + 1})"
        return rec.get(self.title_field, "") or f"(unnamed {i + 1})"

    def refresh(self) -> None:
        records = self.records()
        row = self.list.currentRow()
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([self._title(r, i) for i, r in enumerate(records)])
        self.list.blockSignals(False)
        if records:
            self.list.setCurrentRow(min(max(row, 0), len(records) - 1))
        self._show_record(self.list.currentRow())

    def _show_record(self, row: int) -> None:
        records = self.records()
        rec = records[row] if 0 <= row < len(records) else {}
        for name, editor in self.editors.items():
            editor.setEnabled(bool(rec))
            _set_text(editor, rec.get(name, ""))

    # -- edits -------------------------------------------------------------

    def _commands(self, records: list[dict[str, str]], text: str) -> EditCommand:
        plain = [{k: v for k, v in r.items() if k != ORCID_FIELD} for r in records]
        command: EditCommand = SetIdfRecords(self.form.idf, self.section, plain, text=text)
        if self.section == "person":
            orcids = [r.get(ORCID_FIELD, "") for r in records]
            if any(orcids) or self.form.idf.has(ORCID_FIELD):
                command = Macro([command, SetIdfField(self.form.idf, ORCID_FIELD, orcids)], text=text)
        return command

    def _commit(self, name: str) -> None:
        row = self.list.currentRow()
        records = self.records()
        if not 0 <= row < len(records):
            return
        value = _text(self.editors[name])
        if records[row].get(name, "") == value:
            return
        records[row][name] = value
        self.form.apply(self._commands(records, f"Edit {field_label(name, self.section)}"))

    def add_record(self) -> None:
        records = self.records()
        records.append({name: "" for name in self.fields} | {self.title_field: "new"})
        self.form.apply(self._commands(records, f"Add {self.section.replace('_', ' ')}"))
        self.list.setCurrentRow(len(records) - 1)

    def remove_record(self) -> None:
        row = self.list.currentRow()
        records = self.records()
        if 0 <= row < len(records):
            del records[row]
            self.form.apply(self._commands(records, f"Remove {self.section.replace('_', ' ')}"))


class IdfForm(QTabWidget):
    """All IDF tabs. ``apply`` pushes a command; the document's events refresh the tabs."""

    def __init__(self, idf: Idf, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.idf = idf
        self.undo_stack = undo_stack
        self.investigation = InvestigationTab(self)
        self.addTab(self.investigation, "Investigation")
        self.sections: dict[str, RecordsTab] = {}
        for section, title, title_field in SECTION_TABS:
            tab = RecordsTab(self, section, title_field)
            self.sections[section] = tab
            self.addTab(tab, title)
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh)
        idf.subscribe(self._on_idf_change)
        self.refresh()

    def detach(self) -> None:
        self.idf.unsubscribe(self._on_idf_change)

    def _on_idf_change(self, _field: str) -> None:
        self._pending.start()

    def apply(self, command: EditCommand) -> None:
        push(self.undo_stack, command)
        self.refresh()

    def refresh(self) -> None:
        self.investigation.refresh()
        for tab in self.sections.values():
            tab.refresh()
