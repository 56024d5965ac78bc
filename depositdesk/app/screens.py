"""Rendering the window (or any widget) to PNG offscreen: the ``--screenshot`` option and the docs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget


def settle(wait_workers_ms: int = 5000) -> None:
    """Let layouts and background checks finish so the picture shows their results."""
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()
    QThreadPool.globalInstance().waitForDone(QDeadlineTimer(wait_workers_ms))
    for _ in range(3):
        app.processEvents()


def render(widget: QWidget, out: Path, size: tuple[int, int] = (1360, 860)) -> bool:
    widget.resize(*size)
    widget.show()
    settle()
    out.parent.mkdir(parents=True, exist_ok=True)
    return bool(widget.grab().save(str(out)))


def _grab(widget: QWidget, out: Path, size: tuple[int, int] | None = None) -> Path:
    if size is not None:
        widget.resize(*size)
    widget.show()
    settle(0)
    widget.grab().save(str(out))
    return out


def render_all(out_dir: Path, project: Path, service: object = None) -> list[Path]:
    """Every screen of the app as a PNG, to look at (and for docs/screenshots)."""
    from depositdesk.app import dialogs, project_ops
    from depositdesk.app.about import AboutDialog
    from depositdesk.app.main_window import PAGE_FILES, PAGE_IDF, PAGE_SDRF, MainWindow
    from depositdesk.app.new_project import NewProjectDialog
    from depositdesk.app.settings import AppSettings, make_qsettings
    from depositdesk.app.settings_dialog import SettingsDialog
    from depositdesk.widgets.add_column import AddColumnDialog

    out_dir.mkdir(parents=True, exist_ok=True)
    dialogs.ask = lambda *_a, **_k: "later"  # type: ignore[assignment]
    window = MainWindow(AppSettings(make_qsettings(out_dir / ".settings.ini")), service)
    project_ops.open_project(window, project)
    shots = [_grab(window, out_dir / "main-window-grid.png", (1360, 860))]
    window.pages.setCurrentIndex(PAGE_IDF)
    shots.append(_grab(window, out_dir / "idf-investigation.png"))
    assert window.idf_form is not None
    for i, name in ((1, "people"), (2, "protocols")):
        window.idf_form.setCurrentIndex(i)
        shots.append(_grab(window, out_dir / f"idf-{name}.png"))
    window.pages.setCurrentIndex(PAGE_FILES)
    project_ops.validate_files(window)
    settle(60000)
    shots.append(_grab(window, out_dir / "files-validated.png"))
    window.pages.setCurrentIndex(PAGE_SDRF)
    shots.append(_completer_shot(window, out_dir / "completer-open.png"))
    shots.append(_findings_shot(window, out_dir / "findings-marked-cells.png"))
    shots.append(_grab(SettingsDialog(window.settings, service, window), out_dir / "settings.png"))
    shots.append(_grab(AboutDialog(service, window), out_dir / "about.png"))
    shots.append(_grab(NewProjectDialog(window), out_dir / "new-project.png"))
    shots.append(_grab(AddColumnDialog(window), out_dir / "add-column.png"))
    window.undo_stack.setClean()
    if window.project is not None:
        window.project.dirty = False
    window.close()
    return shots


def _findings_shot(window: QWidget, out: Path) -> Path:
    """Free text typed in a term column: the cell is marked and the finding listed (then undone)."""
    grid = window.current_grid()  # type: ignore[attr-defined]
    model = grid.model
    cols = model.sdrf.find_columns("characteristics", "developmental stage") or [1]
    model.setData(model.index(1, cols[0]), "stage eleven-ish")
    window.findings_panel.next_finding(1)  # type: ignore[attr-defined]
    settle(2000)
    path = _grab(window, out)
    window.undo_stack.undo()  # type: ignore[attr-defined]
    return path


def _completer_shot(window: QWidget, out: Path) -> Path:
    """The grid with a cell being edited and the term list open, composed into one picture."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainter
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    grid = window.current_grid()  # type: ignore[attr-defined]
    sdrf = grid.model.sdrf
    cols = (sdrf.find_columns("characteristics", "developmental stage")
            or sdrf.find_columns("characteristics", "cell type") or sdrf.find_columns("characteristics"))
    col = cols[0]
    index = grid.proxy.index(0, col)
    grid.view.horizontalScrollBar().setValue(max(0, grid.view.horizontalHeader().sectionPosition(col) - 260))
    grid.view.setCurrentIndex(index)
    grid.view.edit(index)
    settle(0)
    editor = grid.view.findChild(QLineEdit)
    if editor is not None:
        editor.clear()
        QTest.keyClicks(editor, "neur" if "cell" in sdrf.header[col] else "embryonic stage 1")
    settle(0)
    picture = window.grab()
    completer = window.delegates[0].last_completer  # type: ignore[attr-defined]
    if completer is not None and completer.popup().isVisible():
        popup = completer.popup()
        popup.setCurrentIndex(completer.model().index(1, 0))
        if completer.hits[1:]:
            window.term_details.show_hit(completer.hits[1])  # type: ignore[attr-defined]
        settle(0)
        picture = window.grab()
        painter = QPainter(picture)
        assert editor is not None
        painter.drawPixmap(editor.mapTo(window, editor.rect().bottomLeft()), popup.grab())
        painter.end()
    picture.save(str(out))
    if editor is not None:
        QTest.keyClick(editor, Qt.Key.Key_Escape)
    return out


if __name__ == "__main__":
    import sys

    from depositdesk.ontology.service import TermService

    app = QApplication.instance() or QApplication(sys.argv[:1])
    cache = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    for shot in render_all(Path(sys.argv[1]), Path(sys.argv[2]), TermService(cache)):
        print(shot)
