"""New projects from what the user knows; imports never write beside their file; journal; file dialogs."""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.app import dialogs, project_ops
from depositdesk.magetab import codes

STUDY = ('"Source Name"\t"Characteristics[organism]"\t"Term Source REF"\t"Term Accession Number"\t'
         '"Protocol REF"\t"Sample Name"\n'
         '"liver 1"\t"Mus musculus"\t"NCBITaxon"\t"10090"\t"sample collection"\t"liver 1.a"\n')


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_an_isatab_study_opened_in_place_is_not_modified(window, shared: Path) -> None:  # type: ignore[no-untyped-def]
    folder = shared / "metadata-corpus" / "isatab" / "BII-S-4"
    before = _listing(folder)
    assert project_ops.open_project(window, folder / "s_BII-S-4.txt")
    assert not window.is_modified() and not window.windowTitle().startswith("*")
    assert project_ops.autosave(window) is False
    assert _listing(folder) == before


def test_the_first_save_of_an_import_asks_for_a_new_folder(window, tmp_path: Path, monkeypatch,
                                                            no_dialogs) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "isa"
    source.mkdir()
    (source / "s_liver.txt").write_text(STUDY, encoding="utf-8")
    assert project_ops.open_project(window, source / "s_liver.txt")
    assert not window.is_modified()
    window.current_grid().model.sdrf.set_cells([(0, 0, "liver one")])
    assert project_ops.autosave(window) is False           # no journal beside the import either
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "save_folder", lambda _w, title, start="": asked.append(start) or "")
    assert not project_ops.save(window)                     # cancelled: nothing written anywhere
    assert _listing(source) == ["s_liver.txt"]
    monkeypatch.setattr(dialogs, "save_folder", lambda *_a, **_k: str(source))
    assert not project_ops.save(window)                     # its own folder is refused
    assert _listing(source) == ["s_liver.txt"] and no_dialogs[-1][0] == "Choose another folder"
    target = tmp_path / "liver-project"
    target.mkdir()
    monkeypatch.setattr(dialogs, "save_folder", lambda *_a, **_k: str(target))
    assert project_ops.save(window)
    assert _listing(source) == ["s_liver.txt"]
    assert window.project.folder == target and (target / "s_liver.idf.txt").is_file()
    assert "liver one" in (target / "s_liver.txt").read_text(encoding="utf-8")
    assert project_ops.save(window) and _listing(source) == ["s_liver.txt"]   # later saves: no question
    assert not window.is_modified() and str(target) in window.windowTitle()


def test_restored_work_is_not_offered_again(window, qtbot, settings, term_service, project_dir,
                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.main_window import MainWindow

    window.current_grid().model.sdrf.set_cells([(0, 0, "edited before the crash")])
    assert project_ops.autosave(window)
    window.project.dirty = False
    window.undo_stack.setClean()
    monkeypatch.setattr(dialogs, "ask", lambda *_a, **_k: "yes")
    again = MainWindow(settings, term_service)
    qtbot.addWidget(again)
    assert project_ops.open_project(again, project_dir)
    qtbot.waitUntil(lambda: again.checker.project_worker is None and not again.checker.timer.isActive(),
                    timeout=10000)
    shown = [f.code for f in again.findings_panel.model.findings()]
    assert codes.PROJECT_JOURNAL not in shown
    again.undo_stack.setClean()
    again.project.dirty = False


@pytest.mark.parametrize("action", ["open_dialog", "open_folder_dialog", "add_files_dialog"])
def test_file_dialogs_start_in_the_project_folder(window, project_dir: Path, monkeypatch,
                                                  action: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog

    starts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda _p, _t, d, *_a: starts.append(d) or ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda _p, _t, d, *_a: starts.append(d) or ([], ""))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda _p, _t, d, *_a: starts.append(d) or "")
    getattr(project_ops, action)(window)
    assert starts == [str(project_dir)]


def test_without_a_project_file_dialogs_start_at_home(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFileDialog, QWidget

    monkeypatch.setattr(dialogs, "_last_folder", "", raising=False)
    starts: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda _p, _t, d, *_a: starts.append(d) or ("", ""))
    widget = QWidget()
    qtbot.addWidget(widget)
    dialogs.open_path(widget, "Open")
    assert starts == [str(Path.home())]


TAXA = """format-version: 1.2
ontology: ncbitaxon

[Term]
id: NCBITaxon:10090
name: Mus musculus
synonym: "house mouse" EXACT []

[Term]
id: NCBITaxon:10088
name: Mus

[Term]
id: NCBITaxon:9606
name: Homo sapiens
"""


@pytest.fixture
def taxa(tmp_path: Path):  # type: ignore[no-untyped-def]
    from depositdesk import progress
    from depositdesk.ontology.service import TermService

    obo = tmp_path / "ncbitaxon.obo"
    obo.write_text(TAXA, encoding="utf-8")
    service = TermService(tmp_path / "taxon-cache")
    progress.run(service.add_file(obo))
    return service


def test_templates_hold_no_values_of_another_study() -> None:
    from depositdesk.app.new_project import NewProjectDialog  # noqa: F401  (its placeholders too)
    from depositdesk.resources.templates import templates

    for template in templates():
        _, sdrf = template.build("A title")
        text = sdrf.to_text() + str(template.data)
        for foreign in ("Drosophila", "FBbt", "Zelda", "whole organism", "embryo", "7227"):
            assert foreign not in text, (template.name, foreign)
    rnaseq = templates()[0]
    assert rnaseq.name == "rnaseq" and not rnaseq.data["experimental_factors"]
    assert not [h for h in rnaseq.data["sdrf"]["header"] if h.startswith("Factor Value")]


def test_the_dialog_is_filled_in_by_keyboard(qtbot, taxa, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from depositdesk.app.new_project import NewProjectDialog

    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    dialog = NewProjectDialog(None, "rnaseq", taxa)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert "Zelda" not in dialog.title.placeholderText()
    qtbot.waitUntil(dialog.list.hasFocus)
    assert dialog.template().name == "rnaseq"
    qtbot.keyClick(dialog.list, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.title, "Liver after fasting")
    assert dialog.folder.text() == str(tmp_path / "DepositDesk" / "liver_after_fasting")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Tab)
    assert dialog.organism.hasFocus()
    qtbot.keyClicks(dialog.organism, "Mus mus")
    popup = dialog.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert "NCBITaxon:10090" in popup.model().index(0, 0).data()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.organism.text() == "Mus musculus" and dialog.accession == "NCBITaxon:10090"
    qtbot.keyClick(dialog.organism, Qt.Key.Key_Tab)
    assert dialog.factor.hasFocus() and dialog.factor.text() == "treatment"
    dialog.factor.selectAll()
    qtbot.keyClicks(dialog.factor, "diet")
    qtbot.keyClick(dialog.factor, Qt.Key.Key_Tab)
    dialog.conditions.selectAll()
    qtbot.keyClicks(dialog.conditions, "fed, fasted")
    qtbot.keyClick(dialog.conditions, Qt.Key.Key_Tab)
    assert dialog.replicates.hasFocus()
    dialog.replicates.selectAll()
    qtbot.keyClicks(dialog.replicates, "2")
    assert dialog.preview.text() == "4 row(s): fed_1, fed_2, fasted_1, fasted_2"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.replicates, Qt.Key.Key_Return)
    design = dialog.design()
    assert (design.organism, design.organism_accession, design.factor, design.conditions,
            design.replicates) == ("Mus musculus", "NCBITaxon:10090", "diet", ("fed", "fasted"), 2)


def test_a_name_typed_in_full_gets_its_accession(qtbot, taxa) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.new_project import NewProjectDialog

    dialog = NewProjectDialog(None, "chipseq", taxa)
    qtbot.addWidget(dialog)
    dialog.organism.setText("homo sapiens")
    dialog.accept()
    assert dialog.design().organism == "Homo sapiens" and dialog.accession == "NCBITaxon:9606"
    assert dialog.design().conditions == ("ChIP", "input")


def test_new_project_builds_the_rows_from_what_the_user_knows(window, taxa, tmp_path: Path,
                                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.magetab.project import Project

    window.term_service = taxa
    target = tmp_path / "mouse-liver"

    def fill(dialog):  # type: ignore[no-untyped-def]
        dialog.title.setText("Liver transcriptomes of 6 mice")
        dialog.organism.setText("Mus musculus")
        dialog.folder.setText(str(target))
        dialog.accept()
        return True

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    assert project_ops.new_project(window, "rnaseq")
    sdrf = window.current_grid().model.sdrf
    column = sdrf.header.index
    assert [r[0] for r in sdrf.rows] == ["control_1", "control_2", "control_3",
                                         "treated_1", "treated_2", "treated_3"]
    organism = column("Characteristics[organism]")
    assert {tuple(r[organism:organism + 3]) for r in sdrf.rows} == {("Mus musculus", "NCBITaxon", "NCBITaxon:10090")}
    assert [r[column("Factor Value[treatment]")] for r in sdrf.rows] == ["control"] * 3 + ["treated"] * 3
    assert window.project.idf.factor_names() == ["treatment"]
    assert "whole organism" not in sdrf.to_text()
    reopened = Project.open(target)                    # saved as shown, and reads back clean
    assert reopened.sdrfs[0].rows == sdrf.rows and reopened.read_findings == []
    fill_again = monkeypatch.setattr  # a second project into the same folder is refused
    fill_again(dialogs, "run_dialog", fill)
    assert not project_ops.new_project(window, "rnaseq")


def test_changing_the_assay_keeps_what_was_typed(qtbot) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.new_project import NewProjectDialog

    dialog = NewProjectDialog(None, "rnaseq", None)
    qtbot.addWidget(dialog)
    dialog.conditions.setText("wild type, knockout")
    dialog.list.setCurrentRow([t.name for t in dialog.templates].index("chipseq"))
    assert dialog.conditions.text() == "wild type, knockout"
    assert dialog.factor.text() == "immunoprecipitate"          # not typed: the assay's own guess
    assert "kept as typed" in dialog.organism_note.text()        # no term index: said so


def test_conditions_that_look_alike_still_name_distinct_samples() -> None:
    from depositdesk.resources.templates import Design, template

    design = Design(factor="strain", conditions=("wild type", "wild_type", "C57BL/6"), replicates=2)
    names = [name for name, _ in design.sample_names()]
    assert len(set(names)) == 6 and names[-1] == "C57BL_6_2"
    _, sdrf = template("generic").build("t", design=design)
    assert [r[-1] for r in sdrf.rows] == ["wild type"] * 2 + ["wild_type"] * 2 + ["C57BL/6"] * 2
    assert sdrf.header[-1] == "Factor Value[strain]"
