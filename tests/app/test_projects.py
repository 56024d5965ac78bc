"""New projects from templates, the first launch, data files turned into rows, column term bindings."""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.app import dialogs, project_ops
from depositdesk.app.main import choose_start_project
from depositdesk.app.main_window import MainWindow
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.resources.templates import ORDER, template


@pytest.mark.parametrize("name", ORDER)
def test_every_template_builds_protocols_and_companion_columns(name: str) -> None:
    idf, sdrf = template(name).build("A title")
    assert idf.first("Investigation Title") == "A title"
    assert idf.protocol_names()
    refs = sdrf.find_columns("protocol_ref")
    assert refs and all(sdrf.rows[0][c] in idf.protocol_names() for c in refs if sdrf.rows[0][c])
    organism = sdrf.find_columns("characteristics", "organism")[0]
    assert all(c is not None for c in sdrf.companions(organism))


def test_file_new_creates_the_project_from_the_chosen_template(qtbot, settings, term_service, tmp_path: Path,
                                                                monkeypatch, no_dialogs) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.app.new_project import NewProjectDialog

    window = MainWindow(settings, term_service)
    qtbot.addWidget(window)

    def accept(dialog: NewProjectDialog) -> bool:
        dialog.title.setText("Tn5 accessibility in wing discs")
        dialog.folder.setText(str(tmp_path / "atac"))
        dialog.list.setCurrentRow(ORDER.index("atacseq"))
        return True

    monkeypatch.setattr(dialogs, "run_dialog", accept)
    window.actions_by_name["new_rnaseq"].trigger()  # the dialog opens on RNA-seq; the person picks ATAC-seq
    assert window.project is not None
    assert window.project.idf.first("Investigation Title") == "Tn5 accessibility in wing discs"
    assert (tmp_path / "atac" / "Tn5-accessibility-in-wing-discs.idf.txt").is_file()
    assert "P-TAG-1" in window.project.idf.protocol_names()
    assert settings.recent_projects()[0] == str((tmp_path / "atac").resolve())


def test_first_launch_opens_the_example_and_later_launches_the_last_project(settings, tmp_path: Path,
                                                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    first = choose_start_project(settings, None)
    assert first is not None and first.name == "chipseq-dmel"
    assert str(tmp_path / "data") in str(first)  # a copy: saving never writes into the installation
    assert Project.open(first).sdrfs
    settings.mark_launched()
    settings.add_recent(tmp_path)
    assert choose_start_project(settings, None) == tmp_path.resolve()
    assert choose_start_project(settings, "elsewhere") == Path("elsewhere")


def test_dropped_files_become_rows_with_read_mates_sharing_a_sample(window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = window.project.folder / "reads"
    data.mkdir()
    for name in ("zld_R1.fastq.gz", "zld_R2.fastq.gz", "input_1.fq", "input_2.fq"):
        (data / name).write_bytes(b"")
    assert project_ops.add_files(window, [data]) == 4
    sdrf = window.current_grid().model.sdrf
    before = len(sdrf.rows)
    assert project_ops.rows_from_files(window) == 4
    new = sdrf.rows[before:]
    file_col = sdrf.find_columns("file")[0]
    assert [r[file_col] for r in new] == ["reads/input_1.fq", "reads/input_2.fq", "reads/zld_R1.fastq.gz",
                                          "reads/zld_R2.fastq.gz"]
    assert [r[0] for r in new] == ["input", "input", "zld", "zld"]
    window.undo_stack.undo()
    assert len(sdrf.rows) == before


def test_columns_take_their_ontologies_from_defaults_settings_and_their_term_sources(window) -> None:  # type: ignore[no-untyped-def]
    model = window.current_grid().model
    sdrf = model.sdrf
    organism = sdrf.find_columns("characteristics", "organism")[0]
    assert model.column_terms(organism) == ["NCBITaxon"]
    antibody = sdrf.find_columns("comment", "antibody")[0]
    assert model.column_terms(antibody) == []
    model.set_column_terms(sdrf.header[antibody], ["OBI"])
    assert model.column_terms(antibody) == ["OBI"]
    sdrf.insert_columns(1, ["Comment[library kit]", "Term Source REF", "Term Accession Number"])
    assert model.column_terms(1) == []  # no default for this name
    sdrf.set_cells([(0, 2, "OBI")])
    assert model.column_terms(1) == ["OBI"]  # the column's own Term Source REF names its ontology


def test_a_project_that_cannot_be_opened_says_why(qtbot, settings, tmp_path: Path, no_dialogs) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(settings, None)
    qtbot.addWidget(window)
    (tmp_path / "empty").mkdir()
    assert not project_ops.open_project(window, tmp_path / "empty")
    assert no_dialogs and no_dialogs[-1][0] == "Cannot open project"
    assert window.project is None
    Idf.blank("x")  # the documents stay usable after a failed open


def test_validated_md5_sums_fill_the_md5_column_of_the_rows_naming_the_files(window) -> None:  # type: ignore[no-untyped-def]
    from depositdesk.widgets.edit_commands import InsertColumns

    data = window.project.folder / "reads"
    data.mkdir()
    for name in ("zld_R1.fastq.gz", "zld_R2.fastq.gz"):
        (data / name).write_bytes(b"")
    project_ops.add_files(window, [data])
    model = window.current_grid().model
    sdrf = model.sdrf
    if not sdrf.find_columns("comment", "MD5"):
        model.apply(InsertColumns(sdrf, len(sdrf.header), ["Comment[MD5]"]))
    before = len(sdrf.rows)
    project_ops.rows_from_files(window)
    for entry in window.files_panel.model.entries:
        entry.md5 = "0" * 31 + entry.path.name[5]  # '1' for R1, '2' for R2
    assert project_ops.fill_md5(window) == 2
    md5_col = sdrf.find_columns("comment", "MD5")[0]
    assert [r[md5_col] for r in sdrf.rows[before:]] == ["0" * 31 + "1", "0" * 31 + "2"]
    assert project_ops.fill_md5(window) == 0  # nothing left to change
