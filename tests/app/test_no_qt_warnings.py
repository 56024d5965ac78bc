"""Editing with completion logs no Qt warning, and the completer's "still being built" note is readable.

A delegate shared by the grid's two views (frozen names + the rest) made Qt log
"QAbstractItemView::commitData called with an editor that does not belong to
this view" on every committed edit: the view that did not open the editor got
the delegate's commitData signal too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6 import QtCore
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLineEdit


@pytest.fixture
def qt_messages() -> Iterator[list[str]]:
    messages: list[str] = []

    def handler(_kind: QtCore.QtMsgType, _context: QtCore.QMessageLogContext, text: str) -> None:
        messages.append(text)

    previous = QtCore.qInstallMessageHandler(handler)
    yield messages
    QtCore.qInstallMessageHandler(previous)


def _cell_type_column(sdrf) -> int:  # type: ignore[no-untyped-def]
    return sdrf.find_columns("characteristics", "cell type")[0]


def _edit(qtbot, grid, view, row: int, col: int):  # type: ignore[no-untyped-def]
    for v in (grid.view, grid.frozen_view):  # the previous editor is gone (deleted later)
        qtbot.waitUntil(lambda v=v: not v.viewport().findChildren(QLineEdit))
    index = grid.proxy.index(row, col)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.viewport().findChild(QLineEdit)
    assert editor is not None
    return editor


def test_completion_and_plain_edits_log_no_qt_warning(window, qtbot, qt_messages) -> None:  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    sdrf = grid.model.sdrf
    col = _cell_type_column(sdrf)
    editor = _edit(qtbot, grid, grid.view, 0, col)
    qtbot.keyClicks(editor, "T lymph")
    completer = window.delegates[0].last_completer
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sdrf.rows[0][col] == "T cell")
    editor = _edit(qtbot, grid, grid.view, 1, col)           # typed free text, committed with Enter
    qtbot.keyClicks(editor, "neuron")
    window.delegates[0].last_completer.popup().hide()   # the list is shown; the person ignores it
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sdrf.rows[1][col] == "neuron")
    editor = _edit(qtbot, grid, grid.frozen_view, 2, 0)      # the frozen Source Name column
    editor.selectAll()
    qtbot.keyClicks(editor, "sample three")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sdrf.rows[2][0] == "sample three")
    noisy = [m for m in qt_messages if "does not belong to this view" in m]
    assert noisy == []


class _Building:
    """A term service whose CL index is still being built."""

    def search(self, text, ontologies=None, under=None, limit=20):  # type: ignore[no-untyped-def]
        return []

    def available(self) -> dict[str, str]:
        return {"CL": "building", "NCBITaxon": "building", "UBERON": "building"}


def test_the_still_being_built_note_is_shown_whole(qtbot) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.widgets.term_completer import TermCompleter

    editor = QLineEdit()
    qtbot.addWidget(editor)
    editor.resize(120, 24)
    editor.show()
    completer = TermCompleter(editor, _Building(), ["NCBITaxon", "UBERON", "CL"])
    completer.update_hits("mus")
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    index = popup.model().index(0, 0)
    text = index.data()
    assert "still being built" in text and "NCBITaxon" in text
    metrics = QFontMetrics(popup.font())
    lines = text.split("\n")
    needed = max(metrics.horizontalAdvance(line) for line in lines)
    shown = popup.visualRect(index)
    assert shown.width() >= needed                       # no line is elided
    assert shown.height() >= metrics.lineSpacing() * len(lines)
    assert popup.viewport().width() >= needed


def test_first_launch_builds_the_open_project_s_ontologies_first(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The index is built in the background with the project's column ontologies (CL for its
    cell type column, NCBITaxon for organism) ahead of the rest of the starter set."""
    from depositdesk.app import main

    asked: list[list[str]] = []
    service = window.term_service
    monkeypatch.setattr(service, "available", lambda: {"CL": "ready", "NCBITaxon": "missing"})

    def build(names=None, force=False, first=()):  # type: ignore[no-untyped-def]
        asked.append(list(first))
        return iter(())

    monkeypatch.setattr(service, "build", build)
    main.build_missing_indexes(window)
    from PySide6.QtCore import QDeadlineTimer, QThreadPool

    QThreadPool.globalInstance().waitForDone(QDeadlineTimer(5000))
    assert asked and {"CL", "NCBITaxon"} <= set(asked[0])
    assert asked[0] == main.project_ontologies(window)
