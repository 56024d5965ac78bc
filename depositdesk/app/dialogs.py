"""Every question the window asks a person goes through these functions.

Tests replace them (``monkeypatch.setattr(dialogs, "ask", ...)``) so no modal
dialog ever blocks a test run; the window never calls QMessageBox or
QFileDialog directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

BUTTONS = {
    "save": QMessageBox.StandardButton.Save, "discard": QMessageBox.StandardButton.Discard,
    "cancel": QMessageBox.StandardButton.Cancel, "yes": QMessageBox.StandardButton.Yes,
    "no": QMessageBox.StandardButton.No, "ok": QMessageBox.StandardButton.Ok,
}


def ask(parent: QWidget | None, title: str, text: str, choices: Sequence[str] = ("yes", "no")) -> str:
    """A question with standard buttons; returns the chosen one's name ('save', 'discard', ...)."""
    buttons = QMessageBox.StandardButton.NoButton
    for name in choices:
        buttons |= BUTTONS[name]
    answer = QMessageBox.question(parent, title, text, buttons, BUTTONS[choices[0]])
    for name, button in BUTTONS.items():
        if answer == button:
            return name
    return choices[-1]


def tell(parent: QWidget | None, title: str, text: str, error: bool = False) -> None:
    if error:
        QMessageBox.warning(parent, title, text)
    else:
        QMessageBox.information(parent, title, text)


_last_folder = ""   # the folder of the last file or folder chosen in this run


def start_folder(parent: QWidget | None, start: str = "") -> str:
    """Where a file dialog opens: ``start``, else the open project's folder, else the folder last
    chosen, else the home folder; never the folder the program was started from."""
    if start:
        return start
    widget = parent
    while widget is not None:
        project = getattr(widget, "project", None)
        folder = getattr(project, "folder", None)
        if folder is not None and Path(folder).is_dir():
            return str(folder)
        widget = widget.parentWidget()
    return _last_folder if _last_folder and Path(_last_folder).is_dir() else str(Path.home())


def _remember(chosen: str, is_folder: bool = False) -> str:
    global _last_folder
    if chosen:
        _last_folder = chosen if is_folder else str(Path(chosen).parent)
    return chosen


def open_path(parent: QWidget | None, title: str, start: str = "") -> str:
    """An IDF, an SDRF or a workbook; '' when cancelled."""
    path, _ = QFileDialog.getOpenFileName(
        parent, title, start_folder(parent, start),
        "MAGE-TAB and workbooks (*.idf.txt *.sdrf.txt *.txt *.tsv *.xlsx);;All files (*)")
    return _remember(path)


def open_folder(parent: QWidget | None, title: str, start: str = "") -> str:
    return _remember(QFileDialog.getExistingDirectory(parent, title, start_folder(parent, start)), True)


def save_folder(parent: QWidget | None, title: str, start: str = "") -> str:
    """Save As: a folder (the dialog can make a new one) for a project; '' when cancelled."""
    return _remember(QFileDialog.getExistingDirectory(parent, title, start_folder(parent, start)), True)


def open_files(parent: QWidget | None, title: str, start: str = "") -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, start_folder(parent, start), "All files (*)")
    if paths:
        _remember(paths[0])
    return list(paths)


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text; None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def run_dialog(dialog: QDialog) -> bool:
    """Show a dialog modally; True when accepted."""
    return dialog.exec() == QDialog.DialogCode.Accepted
