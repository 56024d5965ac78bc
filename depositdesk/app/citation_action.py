"""File > Export citation files…: CITATION.cff and .zenodo.json into the Git repository of the analysis code.

The same files as ``depositdesk citation PROJECT REPO_DIR`` (`depositdesk.packaging.citation`),
from the open project's IDF as edited. Existing files are replaced only after asking; the end
message says what Zenodo's GitHub integration reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from depositdesk.app import dialogs
from depositdesk.findings import Severity
from depositdesk.packaging.citation import (
    CFF_INVALID,
    ZENODO_NOTE,
    CitationError,
    write_citation_files,
)

if TYPE_CHECKING:
    from depositdesk.app.main_window import MainWindow

TITLE = "Export citation files"


def add_citation_action(window: MainWindow) -> QAction:
    """The action, in the File menu after REMBI metadata… (or at the File menu's end)."""
    action = QAction("Export &citation files…", window)
    action.setStatusTip("CITATION.cff and .zenodo.json for the Git repository of the analysis code")
    action.triggered.connect(lambda _checked=False: export_citation(window))
    after = window.actions_by_name.get("rembi")
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and after is not None and after in menu.actions():
            following = menu.actions()[menu.actions().index(after) + 1:]
            if following:
                menu.insertAction(following[0], action)
            else:
                menu.addAction(action)
            break
    window.actions_by_name["export_citation"] = action
    return action


def export_citation(window: MainWindow, repo: str = "") -> bool:
    """Ask for the repository (unless given), write both files; True when written."""
    project = window.project
    if project is None:
        window.show_message("Open a project first.")
        return False
    repo = repo or dialogs.open_folder(window, "Git repository of the analysis code")
    if not repo:
        return False
    try:
        result = write_citation_files(project, Path(repo))
    except CitationError as exc:
        if exc.exit_code != 1:
            dialogs.tell(window, TITLE, str(exc), error=True)
            return False
        existing = str(exc).split(";")[0]
        if dialogs.ask(window, TITLE, f"{existing}.\n\nReplace the files with the project's?") != "yes":
            return False
        result = write_citation_files(project, Path(repo), force=True)
    notes = [f"{f.severity.label}: {f.message}" for f in result.findings if f.severity >= Severity.WARNING]
    if not result.written:
        invalid = [f.message for f in result.findings if f.code == CFF_INVALID]
        dialogs.tell(window, TITLE, "Nothing written: CITATION.cff would not be valid CFF 1.2.0.\n\n"
                     + "\n".join(invalid), error=True)
        return False
    text = "Wrote " + " and ".join(p.name for p in result.written) + f" into {repo}.\n\n" + ZENODO_NOTE
    dialogs.tell(window, TITLE, text + ("\n\n" + "\n".join(notes) if notes else ""))
    window.show_message(f"Citation files written into {repo}")
    return True
