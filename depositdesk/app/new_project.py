"""`NewProjectDialog`: pick a template, a title and a folder for a new project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QWidget,
)

from depositdesk.app import dialogs
from depositdesk.resources.templates import Template, templates


class NewProjectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, template_name: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.templates = templates()
        self.list = QListWidget()
        self.list.addItems([t.title for t in self.templates])
        self.list.setFixedWidth(200)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.columns = QLabel()
        self.columns.setWordWrap(True)
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Genome-wide binding of Zelda in early embryos")
        self.folder = QLineEdit(str(Path.home() / "DepositDesk" / "new-project"))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.folder, 1)
        where.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Template:", self.description)
        form.addRow("SDRF columns:", self.columns)
        form.addRow("Title:", self.title)
        form.addRow("Folder:", where)
        right = QWidget()
        right.setLayout(form)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addWidget(right, 1)
        outer = QFormLayout(self)
        outer.addRow(body)
        outer.addRow(buttons)
        self.list.currentRowChanged.connect(self._show)
        names = [t.name for t in self.templates]
        self.list.setCurrentRow(names.index(template_name) if template_name in names else 0)
        self.resize(760, 360)

    def _show(self, row: int) -> None:
        template = self.templates[row]
        self.description.setText(f"<b>{template.title}</b><br>{template.description}")
        header = template.data["sdrf"]["header"]
        shown = [h for h in header if h not in ("Term Source REF", "Term Accession Number")]
        self.columns.setText(", ".join(dict.fromkeys(shown)))

    def _browse(self) -> None:
        folder = dialogs.open_folder(self, "Folder for the new project")
        if folder:
            self.folder.setText(folder)

    def choice(self) -> tuple[Path, str, Template]:
        template = self.templates[max(self.list.currentRow(), 0)]
        title = self.title.text().strip() or f"New {template.title} experiment"
        return Path(self.folder.text()).expanduser(), title, template
