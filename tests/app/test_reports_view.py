"""The Reports view: count a lab's projects in the background, show the table and the chart, export."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from depositdesk.magetab.project import Project
from depositdesk.resources import examples

EXAMPLE = Path(examples.__file__).parent / "chipseq-dmel"


def _lab(tmp_path: Path, n: int = 3) -> Path:
    """n copies of the example; the last one says its organism is Drosophila simulans."""
    lab = tmp_path / "lab"
    for i in range(n):
        shutil.copytree(EXAMPLE, lab / f"project{i}")
    project = Project.open(lab / f"project{n - 1}")
    sdrf = project.sdrfs[0]
    c = sdrf.header.index("Characteristics[organism]")
    for row in sdrf.rows:
        row[c] = "Drosophila simulans"
        row[c + 2] = "NCBITaxon:7240"
    project.save()
    return lab


def _count(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.start()
    qtbot.waitUntil(lambda: dialog.report is not None and dialog.worker is None, timeout=60_000)


def test_a_report_counts_every_project_and_charts_the_groups(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.widgets.reports_view import ReportsDialog

    dialog = ReportsDialog(None, [_lab(tmp_path)])
    qtbot.addWidget(dialog)
    dialog.checks["assay"].setChecked(False)
    _count(qtbot, dialog)
    table = dialog.table
    rows = {table.item(r, 0).text(): int(table.item(r, 1).text()) for r in range(table.rowCount())}
    assert rows == {"Drosophila melanogaster": 2, "Drosophila simulans": 1}
    assert dialog.chart.bars == [("Drosophila melanogaster", 2), ("Drosophila simulans", 1)]
    assert "3 projects counted" in dialog.status.text()
    assert dialog.export_button.isEnabled()


def test_export_writes_each_format(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.widgets.reports_view import ReportsDialog

    dialog = ReportsDialog(None, [_lab(tmp_path, 3)])
    qtbot.addWidget(dialog)
    _count(qtbot, dialog)
    assert dialog.export(tmp_path / "r.tsv")
    lines = (tmp_path / "r.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[:3] == ["assay", "organism", "data sets"]
    assert lines[1].split("\t")[1:3] == ["Drosophila melanogaster", "2"]
    assert dialog.export(tmp_path / "r.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert sheet.cell(2, 3).value == 2
    assert dialog.export(tmp_path / "r.html") and "<table>" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_nothing_to_count_says_what_is_missing(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.widgets.reports_view import ReportsDialog

    dialog = ReportsDialog(None, [tmp_path / "nowhere"])
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.worker is None and "folder that exists" in dialog.status.text()


def test_cancel_stops_the_count_and_keeps_the_dialog_usable(qtbot, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from depositdesk.reports import counting
    from depositdesk.widgets.reports_view import ReportsDialog

    gate = threading.Event()
    real_open = counting.Project.open

    def slow_open(path):  # type: ignore[no-untyped-def]
        gate.wait(10)
        return real_open(path)

    monkeypatch.setattr(counting.Project, "open", staticmethod(slow_open))
    dialog = ReportsDialog(None, [_lab(tmp_path, 3)])
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.cancel_button.isEnabled() and not dialog.count_button.isEnabled()
    dialog.cancel()
    gate.set()
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=20_000)
    assert dialog.report is None and dialog.status.text().startswith("Cancelled")
    assert dialog.count_button.isEnabled()


def test_the_view_menu_opens_reports_on_the_projects_folder(qtbot, settings, project_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app import project_ops
    from depositdesk.app.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    assert project_ops.open_project(window, project_dir)
    window.actions_by_name["reports"].trigger()
    dialog = window.reports_dialog
    assert dialog.paths() == [project_dir.parent]
    assert window.actions_by_name["reports"].shortcut().toString() == "Ctrl+Shift+R"
    dialog.close()
