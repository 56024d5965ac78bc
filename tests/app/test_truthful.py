"""What the window says is true at every moment: findings follow every edit, the GUI and the CLI agree."""

from __future__ import annotations

from PySide6.QtCore import Qt

from depositdesk.magetab import codes


def _metadata_codes(window) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.code for f in window.findings_panel.model.group("metadata")}


def _rename_factor(window, qtbot, name: str) -> None:  # type: ignore[no-untyped-def]
    """Type a new Experimental Factor Name into the IDF form and press Return, as a person would."""
    form = window.idf_form
    tab = form.sections["experimental_factor"]
    form.setCurrentWidget(tab)
    tab.list.setCurrentRow(0)
    editor = tab.editors["Experimental Factor Name"]
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, name)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_renaming_a_factor_in_the_idf_form_updates_the_sdrf_findings_at_once(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.pages.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.checker.project_worker is None and not window.checker.timer.isActive())
    factor = window.project.idf.factor_names()[0]
    assert codes.SDRF_FACTOR_UNKNOWN not in _metadata_codes(window)
    _rename_factor(window, qtbot, "temperature")
    assert window.project.idf.factor_names()[0] == "temperature"
    qtbot.waitUntil(lambda: codes.SDRF_FACTOR_UNKNOWN in _metadata_codes(window), timeout=5000)
    assert codes.SDRF_FACTOR_MISSING in _metadata_codes(window)  # 'temperature' has no Factor Value column
    _rename_factor(window, qtbot, factor)
    qtbot.waitUntil(lambda: not {codes.SDRF_FACTOR_UNKNOWN, codes.SDRF_FACTOR_MISSING} & _metadata_codes(window),
                    timeout=5000)
    window.undo_stack.undo()  # an undo in the IDF is an edit too
    qtbot.waitUntil(lambda: codes.SDRF_FACTOR_UNKNOWN in _metadata_codes(window), timeout=5000)


LONE_SDRF = ("Source Name\tCharacteristics[organism]\tTerm Source REF\tTerm Accession Number\tProtocol REF\t"
             "Assay Name\tArray Data File\n"
             + "".join(f"s{i}\tMus musculus\tNCBITaxon\tNCBITaxon:10090\tP-1\ta{i}\tread{i}.fastq.gz\n"
                       for i in range(1, 7)))


def _cli_codes(path) -> set[str]:  # type: ignore[no-untyped-def]
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "depositdesk", "check", str(path), "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    return {f["code"] for f in json.loads(done.stdout)}


def test_a_lone_sdrf_gets_one_answer_in_the_window_and_on_the_command_line(
        qtbot, settings, term_service, tmp_path, no_dialogs) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDeadlineTimer, QThreadPool

    from depositdesk.app import project_ops
    from depositdesk.app.main_window import MainWindow

    folder = tmp_path / "bad"
    folder.mkdir()
    sdrf_path = folder / "lone.sdrf.txt"
    sdrf_path.write_text(LONE_SDRF, encoding="utf-8")
    win = MainWindow(settings, term_service)
    qtbot.addWidget(win)
    assert project_ops.open_project(win, sdrf_path)
    qtbot.waitUntil(lambda: codes.SDRF_FILE_NOT_CHECKED in _metadata_codes(win), timeout=5000)
    assert _metadata_codes(win) == _cli_codes(sdrf_path)
    model = win.models[0]
    model.setData(model.index(0, 0), "s1 renamed", Qt.ItemDataRole.EditRole)   # any edit ...
    project_ops.autosave(win)                                                  # ... and its autosave
    win.checker.check_project_now()
    qtbot.waitUntil(lambda: win.checker.project_worker is None and not win.checker.timer.isActive())
    gui = _metadata_codes(win)
    assert codes.SDRF_FILE_MISSING not in gui and codes.SDRF_FILE_NOT_CHECKED in gui
    assert gui == _cli_codes(sdrf_path) - {codes.PROJECT_JOURNAL}   # the same answer (it sees the journal)
    win.undo_stack.setClean()
    win.project.dirty = False
    QThreadPool.globalInstance().waitForDone(QDeadlineTimer(10000))


def test_a_missing_file_is_said_to_be_missing_from_the_folder_by_its_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.magetab.project import Project
    from depositdesk.magetab.rules import check_project

    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "lone.sdrf.txt").write_text(LONE_SDRF, encoding="utf-8")
    missing = [f for f in check_project(Project.open(folder / "lone.sdrf.txt"), check_files=True)
               if f.code == codes.SDRF_FILE_MISSING]
    assert missing and f"is not in {folder}" in missing[0].message and "is not in bad" not in missing[0].message


def test_a_label_typed_without_accession_is_filled_when_it_names_one_term(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from depositdesk.widgets.sdrf_model import FINDINGS_ROLE

    model = window.current_grid().model
    sdrf = model.sdrf
    col = sdrf.find_columns("characteristics", "cell type")[0]
    source, accession = sdrf.companions(col)
    model.setData(model.index(1, col), "neuron", Qt.ItemDataRole.EditRole)          # typed, no accession
    qtbot.waitUntil(lambda: sdrf.rows[1][accession] == "CL:0000540", timeout=3000)
    assert sdrf.rows[1][source] == "CL" and "CL" in window.project.idf.term_source_names()
    assert "CL:0000540" in window.statusBar().currentMessage()
    window.undo_stack.undo()                                  # the fill is a step of its own ...
    for _ in range(5):
        QApplication.processEvents()
    assert (sdrf.rows[1][col], sdrf.rows[1][accession]) == ("neuron", "")          # ... and is not redone
    window.undo_stack.undo()
    assert sdrf.rows[1][col] == ""
    model.setData(model.index(2, col), "T lymphocyte", Qt.ItemDataRole.EditRole)    # a synonym: no guess
    for _ in range(5):
        QApplication.processEvents()
    assert sdrf.rows[2][accession] == ""
    marks = model.data(model.index(2, col), FINDINGS_ROLE)
    assert [f.code for f in marks] == ["SDRF-TERM-NO-ACCESSION"] and "CL:0000084 (T cell)" in marks[0].message


def test_a_label_of_two_terms_of_the_columns_ontologies_is_flagged_not_guessed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from depositdesk import progress
    from depositdesk.magetab.sdrf import Sdrf
    from depositdesk.ontology.service import TermService
    from depositdesk.widgets.cell_checks import assess_cell_text, check_cell_text
    from depositdesk.widgets.term_bindings import default_ontologies

    service = TermService(tmp_path / "cache")
    for name, accession in (("uberon", "UBERON:0000922"), ("fbbt", "FBbt:00000052")):
        obo = tmp_path / f"{name}.obo"
        obo.write_text(f"format-version: 1.2\nontology: {name}\n\n[Term]\nid: {accession}\nname: embryo\n",
                       encoding="utf-8")
        progress.run(service.add_file(obo))
    header = ["Source Name", "Characteristics[organism part]", "Term Source REF", "Term Accession Number"]
    sdrf = Sdrf(header, [["s1", "embryo", "", ""]])
    both = default_ontologies(header[1])
    assert [o.lower() for o in both] == ["uberon", "fbbt"]
    found, fill = assess_cell_text(service, sdrf, 0, 1, "embryo", both, "x.sdrf.txt")
    assert fill is None and [f.code for f in found] == ["SDRF-TERM-NO-ACCESSION"]
    assert "UBERON:0000922" in found[0].message and "FBbt:00000052" in found[0].message
    typed = check_cell_text(service, sdrf, 0, 1, "embryo", both)     # the open editor's mark says the same
    assert [f.code for f in typed] == ["SDRF-TERM-NO-ACCESSION"]
    found, fill = assess_cell_text(service, sdrf, 0, 1, "Embryo", ["UBERON"])
    assert found == [] and fill is not None and fill.accession == "UBERON:0000922"
