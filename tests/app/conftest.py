"""Fixtures of the window tests: isolated settings, a tiny term index, a project from a template."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from depositdesk import progress

TINY_OBO = """format-version: 1.2
ontology: cl

[Term]
id: CL:0000084
name: T cell
def: "A type of lymphocyte whose defining characteristic is the expression of a T cell receptor complex." []
synonym: "T lymphocyte" EXACT []

[Term]
id: CL:0000236
name: B cell
def: "A lymphocyte of B lineage that is capable of B cell mediated immunity." []

[Term]
id: CL:0000540
name: neuron
def: "The basic cellular unit of nervous tissue." []
"""


@pytest.fixture(autouse=True)
def _qt_garbage_collected_on_the_gui_thread() -> Iterator[None]:
    """Whatever a test left in reference cycles (widgets included) is collected here, on the GUI
    thread, not by the next collection some worker thread of a later test happens to trigger
    (Qt objects destroyed off the GUI thread crash the test process). A window switches CPython's
    own collection off (`depositdesk.app.collector`); it is switched back on for the next test."""
    yield
    from PySide6.QtCore import QThreadPool

    from depositdesk.app import collector

    # The test's workers end here, not during the next test (where they would hold its pool threads
    # and the objects their tasks hold, e.g. a project the next test expects to be freed).
    QThreadPool.globalInstance().waitForDone(10_000)

    collector.uninstall()
    gc.collect()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from depositdesk.app.settings import AppSettings, make_qsettings

    path = tmp_path / "settings.ini"
    monkeypatch.setenv("DEPOSITDESK_SETTINGS", str(path))
    return AppSettings(make_qsettings(path))


@pytest.fixture
def term_service(tmp_path: Path):  # type: ignore[no-untyped-def]
    from depositdesk.ontology.service import TermService

    obo = tmp_path / "tiny-cl.obo"
    obo.write_text(TINY_OBO, encoding="utf-8")
    service = TermService(tmp_path / "ontology-cache")
    progress.run(service.add_file(obo))
    return service


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    from depositdesk.magetab.project import Project
    from depositdesk.resources.templates import template

    idf, sdrf = template("chipseq").build("Zelda binding in early embryos")
    sdrf.insert_columns(4, ["Characteristics[cell type]", "Term Source REF", "Term Accession Number"])
    sdrf.insert_rows(1, [["sample 2"], ["sample 3"]])
    folder = tmp_path / "project"
    Project.create(folder, idf, [sdrf])
    return folder


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Any question the window asks is recorded and answered 'cancel' (tests override per case)."""
    from depositdesk.app import dialogs

    asked: list[tuple[str, str]] = []

    def ask(_parent, title, text, choices=("yes", "no")):  # type: ignore[no-untyped-def]
        asked.append((title, text))
        return "cancel" if "cancel" in choices else choices[-1]

    monkeypatch.setattr(dialogs, "ask", ask)
    monkeypatch.setattr(dialogs, "tell", lambda *a, **k: asked.append((a[1], a[2])))
    real_run_dialog = dialogs.run_dialog

    def run_dialog(dialog):  # type: ignore[no-untyped-def]
        if type(dialog).__name__ == "FilesToRowsDialog":  # the file -> row preview, accepted as proposed
            asked.append((dialog.windowTitle(), dialog.summary.text()))
            return True
        return real_run_dialog(dialog)

    monkeypatch.setattr(dialogs, "run_dialog", run_dialog)
    return asked


@pytest.fixture
def window(qtbot, settings, term_service, project_dir, no_dialogs) -> Iterator:  # type: ignore[no-untyped-def]
    from depositdesk.app import project_ops
    from depositdesk.app.main_window import MainWindow

    win = MainWindow(settings, term_service)
    qtbot.addWidget(win)
    assert project_ops.open_project(win, project_dir)
    win.show()
    yield win
    win.checker.cancel_validation()
    win.undo_stack.setClean()
    if win.project is not None:
        win.project.dirty = False
    from PySide6.QtCore import QDeadlineTimer, QThreadPool

    QThreadPool.globalInstance().waitForDone(QDeadlineTimer(10000))
