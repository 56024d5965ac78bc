"""The REMBI editor: required fields marked, filled from the images, edited, saved atomically."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
import yaml
from PySide6.QtWidgets import QMessageBox

from depositdesk.magetab.project import Project
from depositdesk.ontology.model import TermHit
from depositdesk.widgets.rembi_editor import REQUIRED_COLOUR, RembiEditor
from tests.packaging.packages.test_idr_package import imaging_project


@pytest.fixture
def editor(qtbot, tmp_path: Path) -> Iterator[RembiEditor]:  # type: ignore[no-untyped-def]
    project = Project.open(imaging_project(tmp_path / "proj"))
    dialog = RembiEditor(project)
    dialog.show()
    yield dialog
    dialog.saved = copy.deepcopy(dialog.data)   # closing at teardown must not ask
    dialog.close()
    dialog.deleteLater()


def _item(editor: RembiEditor, *path: object):  # type: ignore[no-untyped-def]
    return next(i for i in editor._items() if tuple(i.data(0, 0x0100 + 7)) == path)


def test_an_empty_rembi_shows_what_is_required(editor: RembiEditor) -> None:
    assert "study/title" in editor.missing()
    title = _item(editor, "study", "title")
    assert title.font(0).bold() and title.background(1).color() == REQUIRED_COLOUR
    assert "required field(s) empty" in editor.note.text()
    assert not editor.path.exists()


def test_fill_from_images_then_edit_and_save(editor: RembiEditor, tmp_path: Path) -> None:
    filled = editor.fill_from_images()
    assert filled > 10
    (sample,) = editor.data["biosamples"]
    assert editor.data["biosamples"][sample]["organism"]["ncbi_taxon"] == "NCBI:txid9606"
    (acquisition,) = editor.data["acquisitions"].values()
    assert "0.65 x 0.65 µm" in acquisition["image_acquisition_parameters"]
    assert set(editor.data["study_component"]) == {"control", "PLK4 knock-down"}
    prep = _item(editor, "specimens", "P-PREP", "sample_preparation")
    assert prep.background(1).color() == REQUIRED_COLOUR
    prep.setText(1, "Fixed in 4 % PFA, DAPI stained, mounted in ProLong.")   # as typing in the cell does
    assert shiboken6.isValid(prep)          # the edited row is not freed under Qt (that crashed the app)
    assert editor.data["specimens"]["P-PREP"]["sample_preparation"].startswith("Fixed in 4 %")
    assert _item(editor, "specimens", "P-PREP", "sample_preparation").background(1).color() != REQUIRED_COLOUR
    assert editor.modified() and editor.save() and not editor.modified()
    on_disk = yaml.safe_load(editor.path.read_text(encoding="utf-8"))
    assert on_disk["specimens"]["P-PREP"]["sample_preparation"].startswith("Fixed in 4 %")
    again = RembiEditor(editor.project)
    assert again.data == editor.data
    again.close()


def test_filling_never_overwrites_what_the_user_wrote(editor: RembiEditor) -> None:
    editor.data["study"]["title"] = "My own title"
    editor.fill_from_images()
    assert editor.data["study"]["title"] == "My own title"


def test_a_term_picked_fills_its_ontology_ids(editor: RembiEditor) -> None:
    assert editor.add_item("biosamples", "mouse embryos")
    path = ("biosamples", "mouse embryos", "organism", "scientific_name")
    editor.term_chosen(path, TermHit("NCBITaxon:10090", "Mus musculus", "NCBITaxon", "mus", ""))
    assert editor.data["biosamples"]["mouse embryos"]["organism"] == {
        "scientific_name": "Mus musculus", "common_name": "", "ncbi_taxon": "NCBI:txid10090"}
    assert editor.add_item("acquisitions", "confocal")
    editor.term_chosen(("acquisitions", "confocal", "imaging_method", "value"),
                       TermHit("FBbi:00000251", "confocal microscopy", "FBbi", "conf", "",
                               iri="http://purl.obolibrary.org/obo/FBbi_00000251"))
    assert editor.data["acquisitions"]["confocal"]["imaging_method"]["ontology_id"].endswith("FBbi_00000251")
    assert not editor.add_item("biosamples", "mouse embryos")       # names are unique in a section


def test_closing_with_changes_asks(editor: RembiEditor, monkeypatch: pytest.MonkeyPatch) -> None:
    editor.add_item("specimens", "slices")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    assert not editor.close() and editor.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Save)
    assert editor.close()
    assert "slices" in yaml.safe_load(editor.path.read_text(encoding="utf-8"))["specimens"]


def test_a_damaged_rembi_file_is_left_alone_until_saved(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project.open(imaging_project(tmp_path / "proj"))
    path = project.folder / ".depositdesk" / "rembi.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("study: [unclosed\n", encoding="utf-8")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warned.append(a[2]))
    dialog = RembiEditor(project)
    qtbot.addWidget(dialog)
    assert warned and "cannot be read" in warned[0]
    assert path.read_text(encoding="utf-8") == "study: [unclosed\n"


def test_a_closed_editor_is_freed_at_once_not_by_a_later_garbage_collection(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A reference cycle through the dialog would leave it to the cyclic collector, which runs on
    whichever thread allocates next: a worker thread destroying Qt widgets crashes the app."""
    import gc
    import weakref

    project = Project.open(imaging_project(tmp_path / "proj"))
    gc.collect()
    gc.disable()
    try:
        dialog = RembiEditor(project)
        dialog.fill_from_images()
        dialog.saved = copy.deepcopy(dialog.data)
        dialog.close()
        gone = weakref.ref(dialog)
        del dialog
        assert gone() is None
    finally:
        gc.enable()
