"""Files validated in the background with progress and Cancel; autosave journal after a crash; screenshot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from depositdesk.app import dialogs, project_ops
from depositdesk.app.main_window import MainWindow


def _bed(path: Path, lines: int) -> Path:
    path.write_text("".join(f"chr2L\t{i * 10}\t{i * 10 + 5}\tpeak{i}\n" for i in range(lines)))
    return path


def test_validation_shows_progress_results_and_cache(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = _bed(tmp_path / "peaks.bed", 2000)
    bad = tmp_path / "broken.bed"
    bad.write_text("chr2L\t100\t50\tbackwards\n")
    project_ops.add_files(window, [good, bad])
    panel = window.files_panel
    project_ops.validate_files(window)
    worker = window.checker.validation_worker
    assert worker is not None and not panel.validate_button.isEnabled()
    with qtbot.waitSignal(window.checker.sig_validation_done, timeout=60000):
        pass
    entries = {e.path.name: e for e in panel.model.entries}
    assert entries["peaks.bed"].status == "valid" and len(entries["peaks.bed"].md5) == 32
    assert "error" in entries["broken.bed"].status
    assert panel.overall.value() == 100 and panel.validate_button.isEnabled()
    assert any(f.location.file and f.location.file.endswith("broken.bed")
               for f in window.findings_panel.model.group("files"))
    project_ops.validate_files(window)  # unchanged files come from the cache
    with qtbot.waitSignal(window.checker.sig_validation_done, timeout=60000):
        pass
    assert entries["peaks.bed"].status == "valid (cached)"


def test_validation_can_be_cancelled_while_it_runs(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    big = _bed(tmp_path / "big.bed", 1_500_000)
    project_ops.add_files(window, [big])
    project_ops.validate_files(window)
    worker = window.checker.validation_worker
    ticks = []
    worker.signals.progress.connect(ticks.append)
    qtbot.waitUntil(lambda: bool(ticks), timeout=30000)
    with qtbot.waitSignal(worker.signals.cancelled, timeout=30000):
        window.files_panel.cancel_button.click()
    qtbot.waitUntil(lambda: window.checker.validation_worker is None)
    assert window.files_panel.current_label.text() == "Validation cancelled."
    assert window.files_panel.model.entries[0].status == "not checked"


def test_autosave_journal_is_restored_after_a_crash(window, qtbot, settings, term_service, project_dir,
                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sdrf = window.current_grid().model.sdrf
    sdrf.set_cells([(0, 0, "edited before the crash")])
    assert window.is_modified()
    assert project_ops.autosave(window)
    # the "crash": the window goes away without saving; a new one opens the same folder
    window.project.dirty = False
    window.undo_stack.setClean()
    monkeypatch.setattr(dialogs, "ask", lambda *_a, **_k: "yes")
    again = MainWindow(settings, term_service)
    qtbot.addWidget(again)
    assert project_ops.open_project(again, project_dir)
    assert again.current_grid().model.sdrf.rows[0][0] == "edited before the crash"
    assert again.is_modified()
    assert project_ops.save(again)
    assert not again.project.has_journal()


def test_quitting_with_unsaved_changes_asks(window, no_dialogs) -> None:  # type: ignore[no-untyped-def]
    window.current_grid().model.sdrf.set_cells([(0, 0, "unsaved")])
    assert not window.close()  # the fixture answers "cancel"
    assert no_dialogs and no_dialogs[-1][0] == "Unsaved changes"


def test_screenshot_command_writes_a_picture_of_the_project(project_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    env = {"QT_QPA_PLATFORM": "offscreen", "DEPOSITDESK_SETTINGS": str(tmp_path / "s.ini"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "depositdesk", str(project_dir), "--screenshot", str(out)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 23)}
    assert len(colours) > 8  # not blank: text, grid lines, headers


def test_screenshot_of_a_missing_project_says_why_and_exits(tmp_path: Path) -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", "DEPOSITDESK_SETTINGS": str(tmp_path / "s.ini"),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "depositdesk", str(tmp_path / "no-such-project"),
                             "--screenshot", str(tmp_path / "shot.png")],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "no-such-project" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "shot.png").exists()
