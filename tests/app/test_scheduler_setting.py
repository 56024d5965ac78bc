"""Settings take a Dask scheduler address; the files view's validation then runs on it."""

from __future__ import annotations

from pathlib import Path

from depositdesk.app import project_ops


def test_the_settings_dialog_accepts_a_scheduler_and_refuses_what_is_not_one(qtbot, settings) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.settings_dialog import SettingsDialog

    dialog = SettingsDialog(settings, None)
    qtbot.addWidget(dialog)
    dialog.scheduler.setText("tcp:/nowhere")
    dialog.accept()
    assert dialog.result() == 0
    assert "not a scheduler" in dialog.scheduler_note.text() and settings.scheduler == ""
    dialog.scheduler.setText("local:0")
    dialog.accept()
    assert "at least 1" in dialog.scheduler_note.text() and settings.scheduler == ""
    dialog.scheduler.setText(" tcp://cluster.example:8786 ")
    dialog.accept()
    assert dialog.result() == 1 and settings.scheduler == "tcp://cluster.example:8786"
    again = SettingsDialog(settings, None)
    qtbot.addWidget(again)
    assert again.scheduler.text() == "tcp://cluster.example:8786"
    again.scheduler.setText("")
    again.accept()
    assert settings.scheduler == "" and "this computer" in again.scheduler_note.text()


def test_files_are_validated_on_the_dask_scheduler_the_settings_name(window, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                     monkeypatch) -> None:
    from depositdesk.validators import dask_runner

    used: list[str] = []
    real = dask_runner.run_on_dask

    def spy(files, profile, *, scheduler, **kwargs):  # type: ignore[no-untyped-def]
        used.append(scheduler)
        return (yield from real(files, profile, scheduler=scheduler, **kwargs))

    monkeypatch.setattr(dask_runner, "run_on_dask", spy)
    window.settings.scheduler = "local:1"
    bed = tmp_path / "peaks.bed"
    bed.write_text("".join(f"chr2L\t{i * 10}\t{i * 10 + 5}\tpeak{i}\n" for i in range(50)))
    bad = tmp_path / "broken.bed"
    bad.write_text("chr2L\t100\t50\tbackwards\n")
    project_ops.add_files(window, [bed, bad])
    project_ops.validate_files(window)
    with qtbot.waitSignal(window.checker.sig_validation_done, timeout=120_000):
        pass
    assert used == ["local:1"]
    entries = {e.path.name: e for e in window.files_panel.model.entries}
    assert entries["peaks.bed"].status.startswith("valid") and len(entries["peaks.bed"].md5) == 32
    assert "error" in entries["broken.bed"].status


def test_an_unreachable_scheduler_is_a_message_not_a_crash(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as probe:        # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    window.settings.scheduler = f"tcp://127.0.0.1:{port}"
    bed = tmp_path / "peaks.bed"
    bed.write_text("chr2L\t0\t5\tpeak\n")
    project_ops.add_files(window, [bed])
    project_ops.validate_files(window)
    with qtbot.waitSignal(window.checker.sig_validation_done, timeout=60_000) as blocker:
        pass
    assert "cannot reach the Dask scheduler" in blocker.args[0]
    assert window.files_panel.validate_button.isEnabled()
