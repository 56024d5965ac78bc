"""Term completion fills the companions in one step; findings jump to their cells; F8 walks errors."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from depositdesk.findings import Finding, Location, Severity


def _cell_type_column(sdrf) -> int:  # type: ignore[no-untyped-def]
    return sdrf.find_columns("characteristics", "cell type")[0]


def test_choosing_a_term_fills_the_cell_and_its_two_companions(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    sdrf = grid.model.sdrf
    col = _cell_type_column(sdrf)
    source_col, accession_col = sdrf.companions(col)
    index = grid.proxy.index(0, col)
    grid.view.setCurrentIndex(index)
    grid.view.edit(index)
    editor = grid.view.findChild(QLineEdit)
    assert editor is not None
    qtbot.keyClicks(editor, "T lymph")
    completer = window.delegates[0].last_completer
    assert completer is not None
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert "T cell" in popup.model().index(0, 0).data()  # found by its synonym
    assert "synonym: T lymphocyte" in popup.model().index(0, 0).data()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sdrf.rows[0][col] == "T cell")
    assert (sdrf.rows[0][source_col], sdrf.rows[0][accession_col]) == ("CL", "CL:0000084")
    assert "A type of lymphocyte" in window.term_details.text()
    idf = window.project.idf
    assert "CL" in idf.term_source_names()  # the IDF now lists the term's ontology
    window.undo_stack.undo()  # one step
    assert (sdrf.rows[0][col], sdrf.rows[0][source_col], sdrf.rows[0][accession_col]) == ("", "", "")
    assert "CL" not in idf.term_source_names()


def test_free_text_in_a_term_column_is_flagged_on_the_cell(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.widgets.sdrf_model import FINDINGS_ROLE

    grid = window.current_grid()
    model = grid.model
    col = _cell_type_column(model.sdrf)
    model.setData(model.index(1, col), "my favourite cells", Qt.ItemDataRole.EditRole)
    marks = model.data(model.index(1, col), FINDINGS_ROLE)
    assert [f.code for f in marks] == ["ONT-LABEL-UNKNOWN"]
    assert model.data(model.index(1, col), Qt.ItemDataRole.ToolTipRole)
    model.setData(model.index(1, col), "neuron", Qt.ItemDataRole.EditRole)
    assert model.data(model.index(1, col), FINDINGS_ROLE) == []


def test_double_clicking_a_finding_selects_its_cell_and_f8_walks_errors(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    grid = window.current_grid()
    name = grid.model.sdrf.path.name
    window.checker.timer.stop()
    qtbot.waitUntil(lambda: window.checker.project_worker is None)
    window.checker.metadata = [
        Finding("T-ONE", Severity.ERROR, "first", Location(file=name, row=3, column=6, column_name="x")),
        Finding("T-TWO", Severity.ERROR, "second", Location(file=name, row=2, column=2, column_name="y")),
    ]
    window.checker.publish()
    panel = window.findings_panel
    table = panel.table
    row = next(r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, 1).data() == "T-ONE")
    table.scrollTo(panel.proxy.index(row, 3))
    rect = table.visualRect(panel.proxy.index(row, 3))
    assert rect.isValid()
    with qtbot.waitSignal(panel.sig_activated):
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert grid.current_cell() == (2, 5)
    assert window.pages.currentWidget() is window.sdrf_page
    first = panel.next_finding(1)
    assert grid.current_cell() == first.location.model_index()
    second = panel.next_finding(1)
    assert {first.code, second.code} == {"T-ONE", "T-TWO"}
    assert grid.current_cell() == second.location.model_index()
    assert panel.next_finding(-1).code == first.code


def test_the_list_says_when_the_column_index_is_still_being_built(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    service = window.term_service
    monkeypatch.setattr(service, "available", lambda: {"CL": "building"})
    grid = window.current_grid()
    col = _cell_type_column(grid.model.sdrf)
    index = grid.proxy.index(0, col)
    grid.view.setCurrentIndex(index)
    grid.view.edit(index)
    editor = grid.view.findChild(QLineEdit)
    qtbot.keyClicks(editor, "neu")
    popup = window.delegates[0].last_completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    assert "still being built" in popup.model().index(0, 0).data()
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # free text is kept
    qtbot.waitUntil(lambda: grid.model.sdrf.rows[0][col] == "neu")


def test_filter_and_column_ontologies_ask_through_the_dialog_functions(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app import dialogs

    grid = window.current_grid()
    grid.select_cell(1, 0)
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "sample 2")
    window.actions_by_name["filter"].trigger()
    assert grid.proxy.rowCount() == 1
    monkeypatch.setattr(dialogs, "ask_text", lambda *_a, **_k: "UBERON, FBbt")
    window.actions_by_name["bind_terms"].trigger()
    assert grid.model.column_terms(0) == ["UBERON", "FBbt"]


def test_editing_the_accession_rechecks_the_term_it_belongs_to(window) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.widgets.sdrf_model import FINDINGS_ROLE

    model = window.current_grid().model
    col = _cell_type_column(model.sdrf)
    source_col, accession_col = model.sdrf.companions(col)
    model.setData(model.index(1, col), "T cell", Qt.ItemDataRole.EditRole)
    model.setData(model.index(1, source_col), "CL", Qt.ItemDataRole.EditRole)
    model.setData(model.index(1, accession_col), "CL:0000084", Qt.ItemDataRole.EditRole)
    assert model.data(model.index(1, col), FINDINGS_ROLE) == []
    model.setData(model.index(1, accession_col), "CL:0000540", Qt.ItemDataRole.EditRole)  # neuron
    assert [f.code for f in model.data(model.index(1, col), FINDINGS_ROLE)] == ["ONT-LABEL-MISMATCH"]
    model.setData(model.index(1, accession_col), "CL:0000084", Qt.ItemDataRole.EditRole)
    assert model.data(model.index(1, col), FINDINGS_ROLE) == []
