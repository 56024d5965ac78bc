"""Spreadsheet habits in the SDRF grid: paste, fills, every edit kind undone and redone, view-only sorting."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from depositdesk.widgets import spreadsheet as ss
from depositdesk.widgets.edit_commands import SetHeader, SetIdfField, SetIdfRecords


def _cells(sdrf, rows, cols):  # type: ignore[no-untyped-def]
    return [[sdrf.rows[r][c] for c in cols] for r in rows]


def test_paste_of_a_3x4_block_from_the_clipboard_fills_and_grows_rows(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    sdrf = grid.model.sdrf
    assert len(sdrf.rows) == 3
    QGuiApplication.clipboard().setText("a1\tb1\tc1\td1\na2\tb2\tc2\td2\na3\tb3\tc3\td3\n")
    grid.select_block(1, 5, 1, 5)
    grid.view.setFocus()
    window.actions_by_name["paste"].trigger()
    assert len(sdrf.rows) == 4  # one row added at the end
    assert _cells(sdrf, range(1, 4), range(5, 9)) == [["a1", "b1", "c1", "d1"], ["a2", "b2", "c2", "d2"],
                                                      ["a3", "b3", "c3", "d3"]]
    window.undo_stack.undo()  # one step takes back the cells and the added row
    assert len(sdrf.rows) == 3 and sdrf.rows[1][5] == ""


def test_fill_down_copies_the_top_cell_and_fill_series_counts(window) -> None:  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    sdrf = grid.model.sdrf
    sdrf.set_cells([(0, 5, "wild type"), (0, 0, "rep1")])
    grid.select_block(0, 5, 2, 5)
    window.actions_by_name["fill_down"].trigger()
    assert [r[5] for r in sdrf.rows] == ["wild type"] * 3
    grid.select_block(0, 0, 2, 0)
    window.actions_by_name["fill_series"].trigger()
    assert [r[0] for r in sdrf.rows] == ["rep1", "rep2", "rep3"]
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert [r[5] for r in sdrf.rows] == ["wild type", "", ""]


def _round_trip(window, do) -> None:  # type: ignore[no-untyped-def]
    """Do an edit; undo must restore the exact documents, redo the edited ones."""
    project = window.project
    before = (project.idf.to_text(), [s.to_text() for s in project.sdrfs])
    do()
    after = (project.idf.to_text(), [s.to_text() for s in project.sdrfs])
    assert after != before
    window.undo_stack.undo()
    assert (project.idf.to_text(), [s.to_text() for s in project.sdrfs]) == before
    window.undo_stack.redo()
    assert (project.idf.to_text(), [s.to_text() for s in project.sdrfs]) == after
    window.undo_stack.undo()


def test_undo_and_redo_of_every_edit_kind(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    model = grid.model
    sdrf = model.sdrf
    idf = window.project.idf
    grid.select_block(1, 0, 1, 0)

    def type_in_cell() -> None:
        assert model.setData(model.index(1, 0), "typed", Qt.ItemDataRole.EditRole)

    def clear() -> None:
        grid.select_block(0, 0, 1, 1)
        window.actions_by_name["clear"].trigger()

    steps = [
        type_in_cell,
        clear,
        lambda: (grid.select_block(1, 0, 1, 0), window.actions_by_name["insert_rows"].trigger()),
        lambda: (grid.select_block(0, 0, 1, 0), window.actions_by_name["delete_rows"].trigger()),
        lambda: (grid.select_block(1, 0, 1, 0), window.actions_by_name["move_down"].trigger()),
        lambda: (grid.select_block(1, 0, 1, 0), window.actions_by_name["move_up"].trigger()),
        lambda: ss.run(grid, ss.insert_columns_command(grid, ["Characteristics[sex]", "Term Source REF"], 2)),
        lambda: (grid.select_block(0, 3, 0, 4), window.actions_by_name["delete_columns"].trigger()),
        lambda: (grid.select_cell(0, 2), window.actions_by_name["move_right"].trigger()),
        lambda: model.apply(SetHeader(sdrf, 1, "Characteristics[strain]")),
        lambda: window.idf_form.apply(SetIdfField(idf, "Investigation Title", ["Another title"])),
        lambda: window.idf_form.apply(SetIdfRecords(idf, "person", [{"Person Last Name": "Curie"}])),
    ]
    for step in steps:
        _round_trip(window, step)


def test_sorting_the_view_does_not_reorder_the_file(window) -> None:  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    sdrf = grid.model.sdrf
    sdrf.set_cells([(0, 0, "c"), (1, 0, "a"), (2, 0, "b")])
    grid.sort_view(0)
    assert [grid.proxy.index(r, 0).data() for r in range(3)] == ["a", "b", "c"]
    assert [r[0] for r in sdrf.rows] == ["c", "a", "b"]
    grid.select_block(0, 0, 0, 0)  # "a" in the view is row 2 of the file
    assert grid.current_cell() == (1, 0)
    grid.filter_view(0, "b")
    assert grid.proxy.rowCount() == 1


def test_find_and_replace_all_is_one_undo_step(window) -> None:  # type: ignore[no-untyped-def]
    sdrf = window.current_grid().model.sdrf
    window.actions_by_name["replace"].trigger()
    bar = window.find_bar
    bar.find_text.setText("sample")
    bar.replace_text.setText("embryo")
    assert bar.replace_all() >= 3
    assert sdrf.rows[0][0] == "embryo 1"
    window.undo_stack.undo()
    assert sdrf.rows[0][0] == "sample 1"
    assert bar.find_next()
    assert window.current_grid().current_cell()[0] >= 0


def test_column_widths_stay_with_their_columns_when_columns_come_and_go(window) -> None:  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    grid.view.setColumnWidth(3, 211)
    ss.run(grid, ss.insert_columns_command(grid, ["Comment[new]"], 1))
    assert grid.view.columnWidth(4) == 211
    window.undo_stack.undo()
    assert grid.view.columnWidth(3) == 211
    grid.set_frozen_columns(2)
    assert grid.frozen_view.isVisible() and not grid.frozen_view.isColumnHidden(1)
    assert grid.view.isColumnHidden(1) and not grid.view.isColumnHidden(2)


def test_keyboard_shortcuts_reach_the_grid(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    sdrf = grid.model.sdrf
    sdrf.set_cells([(0, 5, "wt")])
    window.activateWindow()
    grid.view.setFocus()
    qtbot.waitUntil(grid.view.hasFocus)
    grid.select_block(0, 5, 2, 5)
    qtbot.keyClick(grid.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert [r[5] for r in sdrf.rows] == ["wt"] * 3
    qtbot.keyClick(grid.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r[5] for r in sdrf.rows] == ["wt", "", ""]
    assert window.actions_by_name["fill_down"].shortcut().toString() == "Ctrl+D"  # shown in the menu
