"""Targets in the app: Project > Targets…, Add required columns, drop-down lists, findings by target."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem

from depositdesk.findings import Finding, Location, Severity, finding
from depositdesk.packaging.targets import all_targets, get_target
from depositdesk.widgets.sdrf_model import REQUIRED_COLOUR
from depositdesk.widgets.target_delegate import TargetDelegate

H = Qt.Orientation.Horizontal


def _choose(window, qtbot, names):  # type: ignore[no-untyped-def]
    window.actions_by_name["targets"].trigger()
    dialog = window.targets_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    for name, box in dialog.boxes.items():
        box.setChecked(name in names)
    dialog.accept()
    return dialog


def test_the_chooser_lists_every_target_and_marks_the_grid_at_once(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    model = window.models[0]
    strategy = model.sdrf.header.index("Comment[LIBRARY_STRATEGY]")
    assert model.headerData(strategy, H, Qt.ItemDataRole.BackgroundRole) is None
    window.actions_by_name["targets"].trigger()
    dialog = window.targets_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert [b.text() for b in dialog.boxes.values()] == [t.title for t in all_targets()]
    assert not any(b.isChecked() for b in dialog.boxes.values())
    for name in ("geo", "sra"):
        dialog.boxes[name].setChecked(True)
    dialog.accept()
    recorded = json.loads((window.project.folder / ".depositdesk" / "targets.json").read_text())
    assert recorded == {"targets": ["geo", "sra"]}
    brush = model.headerData(strategy, H, Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color() == REQUIRED_COLOUR
    assert "GEO: *library strategy" in model.headerData(strategy, H, Qt.ItemDataRole.ToolTipRole)
    reopened = _choose(window, qtbot, ["sra"])
    assert reopened.boxes["geo"] is not dialog.boxes["geo"]
    assert model.required_label(strategy) == "SRA: library_strategy"


def test_missing_required_columns_are_added_in_one_undo_step(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.targets_dialog import _fill_missing_menu
    from depositdesk.packaging.targets._grid import missing_columns

    _choose(window, qtbot, ["sra"])
    sdrf = window.models[0].sdrf
    before = list(sdrf.header)
    missing = [h for h, _ in missing_columns(sdrf, ["sra"])]
    assert "Comment[platform]" in missing
    menu = window.actions_by_name["add_required_columns"].menu()
    _fill_missing_menu(window, menu)
    entries = [a.text() for a in menu.actions() if a.text()]
    assert entries[0] == f"All missing columns ({len(missing)})"
    assert "Comment[platform]\tSRA: platform" in entries
    menu.actions()[0].trigger()
    assert missing_columns(sdrf, ["sra"]) == [] and len(sdrf.header) == len(before) + len(missing)
    platform = sdrf.header.index("Comment[platform]")
    assert sdrf.header[platform - 1].startswith("Comment[")    # beside the other comments
    window.undo_stack.undo()
    assert sdrf.header == before


def test_a_vocabulary_column_is_edited_with_the_targets_list(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    _choose(window, qtbot, ["geo"])
    grid = window.grids[0]
    sdrf = grid.model.sdrf
    strategy = sdrf.header.index("Comment[LIBRARY_STRATEGY]")
    organism = sdrf.header.index("Characteristics[organism]")
    delegate = grid.view.itemDelegateForColumn(strategy)
    assert isinstance(delegate, TargetDelegate)
    assert not isinstance(grid.view.itemDelegateForColumn(organism), TargetDelegate)
    index = grid.proxy.index(0, strategy)
    editor = delegate.createEditor(grid.view.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox)
    geo = next(r for r in get_target("geo").columns if r.heading == "Comment[library strategy]")
    assert [editor.itemText(i) for i in range(editor.count())] == list(geo.vocabulary)
    delegate.setEditorData(editor, index)
    assert editor.currentText() == "ChIP-Seq"
    editor.setCurrentIndex(editor.findText("RNA-Seq"))
    delegate.setModelData(editor, grid.proxy, index)
    assert sdrf.rows[0][strategy] == "RNA-Seq"
    window.undo_stack.undo()
    assert sdrf.rows[0][strategy] == "ChIP-Seq"
    # a column added later gets the list too; one removed loses it
    window.models[0].sdrf.insert_columns(0, ["Comment[library strategy]"])
    assert isinstance(grid.view.itemDelegateForColumn(0), TargetDelegate)
    assert isinstance(grid.frozen_view.itemDelegateForColumn(0), TargetDelegate)
    _choose(window, qtbot, ["idr"])    # a target without lists: the columns are plain again
    assert grid.view.itemDelegateForColumn(0) is None and grid.view.itemDelegateForColumn(strategy + 1) is None


def test_an_edit_shows_its_target_finding_before_the_whole_check(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    _choose(window, qtbot, ["geo"])
    window.checker.timer.stop()
    model = window.models[0]
    strategy = model.sdrf.header.index("Comment[LIBRARY_STRATEGY]")
    model.setData(model.index(1, strategy), "chip seq")
    at = [f for f in window.checker.metadata if (f.location.row, f.location.column) == (2, strategy + 1)]
    assert [f.code for f in at] == ["GEO-VOCABULARY"] and "ChIP-Seq" in at[0].suggestion
    shown = window.findings_panel.model.findings()
    assert any(f.code == "GEO-VOCABULARY" and f.location.row == 2 for f in shown)
    model.setData(model.index(1, strategy), "ChIP-Seq")
    assert not [f for f in window.checker.metadata if (f.location.row, f.location.column) == (2, strategy + 1)]


def test_findings_are_filterable_by_target(window) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.findings import REPEATS

    panel = window.findings_panel
    where = Location(file="x.sdrf.txt", row=1, column=2)
    items = [finding("GEO-VOCABULARY", "g", where), finding("SRA-VOCABULARY", "s", where),
             finding("XL-SPACES", "x", where),
             finding(REPEATS, "… and 3 more like this (GEO-NOT-UNIQUE: 'a' is used twice)", where,
                     severity=Severity.ERROR),
             Finding("SDRF-EMPTY-CELL", Severity.WARNING, "e", where)]
    panel.set_group("metadata", items)
    labels = [panel.target_box.itemText(i) for i in range(panel.target_box.count())]
    assert labels == ["All targets", get_target("geo").title, get_target("sra").title, "Rules shared by targets"]
    panel.target_box.setCurrentIndex(labels.index(get_target("geo").title))
    shown = {panel.proxy.data(panel.proxy.index(r, 1)) for r in range(panel.proxy.rowCount())}
    assert shown == {"GEO-VOCABULARY", REPEATS}
    panel.target_box.setCurrentIndex(labels.index("Rules shared by targets"))
    assert panel.proxy.rowCount() == 1
    panel.target_box.setCurrentIndex(0)
    assert panel.proxy.rowCount() == len(items)
