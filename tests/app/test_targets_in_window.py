"""The project's chosen targets reach the window: required columns marked, their findings listed."""

from __future__ import annotations

from pathlib import Path

from depositdesk.app.main import choose_start_project


def test_the_example_opens_with_geo_required_columns_marked_and_geo_checked(
        qtbot, settings, term_service, tmp_path: Path, monkeypatch, no_dialogs) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app import project_ops
    from depositdesk.app.main_window import MainWindow

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    example = choose_start_project(settings, None)
    assert example is not None and (example / ".depositdesk" / "targets.json").is_file()
    win = MainWindow(settings, term_service)
    qtbot.addWidget(win)
    assert project_ops.open_project(win, example)
    model = win.models[0]
    organism = model.sdrf.header.index("Characteristics[organism]")
    assert "GEO" in (model.required_label(organism) or "")
    with qtbot.waitSignal(win.checker.sig_metadata_checked, timeout=20000):
        model.sdrf.set_cells([(2, organism, "")])
        win.checker.check_project_now()
    qtbot.waitUntil(lambda: any(f.code == "GEO-VALUE-MISSING" for f in win.checker.metadata), timeout=20000)
    win.undo_stack.setClean()
    win.project.dirty = False
