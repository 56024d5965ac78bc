"""Files into rows: matched to the rows of their samples, named relative to the project, honest status.

A new RNA-seq project for 6 mouse samples and its 12 FASTQ files (R1/R2) is
the journey: the files must land in the samples' rows (not in 12 new rows with
duplicate Source Names), be named relative to the project folder, and the
files page must say what was checked and remember it across a reopen.
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pytest
import tifffile
from PySide6.QtCore import QDeadlineTimer, QThreadPool

from depositdesk.app import dialogs, project_ops
from depositdesk.app.main_window import MainWindow
from depositdesk.magetab.project import Project
from depositdesk.resources.templates import template
from depositdesk.validators import codes

SAMPLES = [f"liver{i}" for i in range(1, 7)]


def _fastq(path: Path, name: str, reads: int = 5) -> Path:
    with gzip.open(path, "wt") as handle:
        for i in range(reads):
            handle.write(f"@{name}.{i}\nACGTACGTAC\n+\nIIIIIIIIII\n")
    return path


def _mouse_project(folder: Path, names: list[str]) -> Path:
    """An RNA-seq project whose rows name ``names`` (Source = Sample), characteristics filled."""
    idf, sdrf = template("rnaseq").build("Liver transcriptomes of 6 mice")
    organism = sdrf.find_columns("characteristics", "organism")[0]
    first = list(sdrf.rows[0])
    rows = []
    for i, name in enumerate(names):
        row = list(first)
        for c in range(len(sdrf.header)):
            heading = sdrf.header[c]
            if heading in ("Source Name", "Sample Name"):
                row[c] = name
            elif heading == "Extract Name":
                row[c] = f"{name} RNA"
            elif heading == "Assay Name":
                row[c] = f"run {i + 1}"
            elif sdrf.column(c).kind == "file":
                row[c] = ""
        row[organism], row[organism + 1], row[organism + 2] = "Mus musculus", "NCBITaxon", "NCBITaxon:10090"
        rows.append(row)
    sdrf.remove_rows(0, len(sdrf.rows))
    sdrf.insert_rows(0, rows)
    Project.create(folder, idf, [sdrf])
    return folder


@pytest.fixture
def mouse_window(qtbot, settings, term_service, tmp_path: Path, no_dialogs):  # type: ignore[no-untyped-def]
    win = _open(qtbot, settings, term_service, _mouse_project(tmp_path / "mice", SAMPLES))
    yield win
    _close(win)


def _open(qtbot, settings, term_service, folder: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(settings, term_service)
    qtbot.addWidget(win)
    assert project_ops.open_project(win, folder)
    win.show()
    return win


def _close(win: MainWindow) -> None:
    win.checker.cancel_validation()
    win.undo_stack.setClean()
    if win.project is not None:
        win.project.dirty = False
    QThreadPool.globalInstance().waitForDone(QDeadlineTimer(10000))


def _reads(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [_fastq(folder / f"{n}_R{m}.fastq.gz", n) for n in names for m in (1, 2)]


def _column(sdrf, heading: str) -> int:  # type: ignore[no-untyped-def]
    return sdrf.header.index(heading)


def _answer(monkeypatch, change=None):  # type: ignore[no-untyped-def]
    """Answer the file -> row preview: ``change(dialog)`` first, then OK; the dialogs are kept."""
    seen = []

    def run(dialog):  # type: ignore[no-untyped-def]
        seen.append(dialog)
        if change is not None:
            return change(dialog)
        return True

    monkeypatch.setattr(dialogs, "run_dialog", run)
    return seen


# -- 1. files go to the rows of their samples --------------------------------------------------------


def test_twelve_fastq_of_six_samples_fill_the_samples_rows_not_twelve_new_ones(mouse_window,
                                                                               monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = mouse_window
    project_ops.add_files(window, _reads(window.project.folder / "reads", SAMPLES))
    seen = _answer(monkeypatch)
    sdrf = window.current_grid().model.sdrf
    assert project_ops.rows_from_files(window) == 12
    assert seen and "6 fill existing rows" in seen[0].summary.text()
    source, data = _column(sdrf, "Source Name"), _column(sdrf, "Array Data File")
    organism = sdrf.find_columns("characteristics", "organism")[0]
    # one row per file (ArrayExpress/ENA): each sample's row, then a copy of it for the R2 mate
    assert len(sdrf.rows) == 12
    assert [r[source] for r in sdrf.rows] == [n for n in SAMPLES for _ in (1, 2)]
    assert [r[data] for r in sdrf.rows] == [f"reads/{n}_R{m}.fastq.gz" for n in SAMPLES for m in (1, 2)]
    assert all(r[organism] == "Mus musculus" for r in sdrf.rows)  # copies keep the characteristics
    assert len({r[source] for r in sdrf.rows}) == 6  # no new Source Name
    window.undo_stack.undo()  # one step takes it all back
    assert len(sdrf.rows) == 6 and not any(r[data] for r in sdrf.rows)
    assert project_ops.rows_from_files(window) == 12 and len(sdrf.rows) == 12
    assert project_ops.rows_from_files(window) == 0  # every file is named now


def test_a_grid_with_one_row_per_file_is_filled_as_it_is(qtbot, settings, term_service, tmp_path,
                                                          no_dialogs, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = _mouse_project(tmp_path / "mice", [n for n in SAMPLES for _ in (1, 2)])
    window = _open(qtbot, settings, term_service, folder)
    try:
        project_ops.add_files(window, _reads(folder / "fastq", SAMPLES))
        _answer(monkeypatch)
        assert project_ops.rows_from_files(window) == 12
        sdrf = window.current_grid().model.sdrf
        assert len(sdrf.rows) == 12
        data = _column(sdrf, "Array Data File")
        assert [r[data] for r in sdrf.rows] == [f"fastq/{n}_R{m}.fastq.gz" for n in SAMPLES for m in (1, 2)]
    finally:
        _close(window)


def test_the_preview_shows_the_mapping_and_the_person_can_change_or_cancel_it(mouse_window,
                                                                             monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = mouse_window
    folder = window.project.folder
    files = _reads(folder / "reads", ["liver1"]) + [_fastq(folder / "reads" / "mystery.fastq.gz", "m")]
    project_ops.add_files(window, files)
    sdrf = window.current_grid().model.sdrf
    data = _column(sdrf, "Array Data File")

    seen = _answer(monkeypatch, lambda dialog: False)  # Cancel: nothing changes
    assert project_ops.rows_from_files(window) == 0
    assert len(sdrf.rows) == 6 and not any(r[data] for r in sdrf.rows)
    dialog = seen[0]
    names = [dialog.table.item(i, 0).text() for i in range(dialog.table.rowCount())]
    results = [dialog.table.item(i, 2).text() for i in range(dialog.table.rowCount())]
    assert dict(zip(names, results, strict=True)) == {
        "liver1_R1.fastq.gz": "fills row 1", "liver1_R2.fastq.gz": "copy of row 1, below it",
        "mystery.fastq.gz": "new row 'mystery'"}
    assert dialog.row_boxes[names.index("mystery.fastq.gz")].currentText() == "a new row"

    def move_mystery_to_row_5(dlg):  # type: ignore[no-untyped-def]
        dlg.set_target(names.index("mystery.fastq.gz"), 4)
        assert dlg.table.item(names.index("mystery.fastq.gz"), 2).text() == "fills row 5"
        return True

    _answer(monkeypatch, move_mystery_to_row_5)
    assert project_ops.rows_from_files(window) == 3
    assert len(sdrf.rows) == 7
    assert sdrf.rows[5][data] == "reads/mystery.fastq.gz"  # row 5 moved down by liver1's R2 copy
    assert sdrf.rows[5][_column(sdrf, "Source Name")] == "liver5"


def test_illumina_names_and_processed_files_find_their_samples(mouse_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = mouse_window
    folder = window.project.folder / "run7"
    folder.mkdir()
    r1 = _fastq(folder / "liver3_S3_L001_R1_001.fastq.gz", "x")
    r2 = _fastq(folder / "liver3_S3_L001_R2_001.fastq.gz", "x")
    project_ops.add_files(window, [r1, r2])
    _answer(monkeypatch)
    assert project_ops.rows_from_files(window) == 2
    sdrf = window.current_grid().model.sdrf
    data, source = _column(sdrf, "Array Data File"), _column(sdrf, "Source Name")
    assert [(r[source], r[data]) for r in sdrf.rows if r[data]] == [
        ("liver3", "run7/liver3_S3_L001_R1_001.fastq.gz"), ("liver3", "run7/liver3_S3_L001_R2_001.fastq.gz")]


# -- 2. names relative to the project folder; outside files linked or copied in -------------------------


def test_a_file_outside_the_project_is_a_finding_and_is_linked_in_never_named_absolutely(
        mouse_window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = mouse_window
    outside = _reads(tmp_path / "sequencer-export", ["liver2"])
    before = [p.read_bytes() for p in outside]
    project_ops.add_files(window, outside)
    flagged = [f for f in window.findings_panel.model.group("files") if f.code == codes.FILE_OUTSIDE_PROJECT]
    assert len(flagged) == 2 and str(window.project.folder) in flagged[0].message

    def link(dialog):  # type: ignore[no-untyped-def]
        assert sorted(dialog.bring_boxes) == [0, 1]
        assert "outside the project folder" in dialog.summary.text()
        return True

    _answer(monkeypatch, link)
    assert project_ops.rows_from_files(window) == 2
    sdrf = window.current_grid().model.sdrf
    data = _column(sdrf, "Array Data File")
    named = [r[data] for r in sdrf.rows if r[data]]
    assert named == ["data/liver2_R1.fastq.gz", "data/liver2_R2.fastq.gz"]
    for name, original, content in zip(named, outside, before, strict=True):
        placed = window.project.folder / name
        assert placed.is_symlink() and placed.resolve() == original.resolve()
        assert original.read_bytes() == content  # the data file itself is never touched
    assert not [f for f in window.findings_panel.model.group("files") if f.code == codes.FILE_OUTSIDE_PROJECT]
    assert {e.path for e in window.files_panel.model.entries} == {window.project.folder / n for n in named}


def test_an_outside_file_can_be_copied_in_checked_by_md5_or_left_out(mouse_window, tmp_path, qtbot,
                                                                     monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = mouse_window
    outside = _reads(tmp_path / "elsewhere", ["liver4", "liver6"])
    project_ops.add_files(window, outside)

    def copy_liver4_leave_liver6(dialog):  # type: ignore[no-untyped-def]
        for line, choice in enumerate(dialog.plan.choices):
            dialog.set_bring(line, "copy" if choice.stem == "liver4" else "skip")
        return True

    _answer(monkeypatch, copy_liver4_leave_liver6)
    project_ops.rows_from_files(window)
    sdrf = window.current_grid().model.sdrf
    data = _column(sdrf, "Array Data File")
    qtbot.waitUntil(lambda: any(r[data] for r in sdrf.rows), timeout=30000)
    named = [r[data] for r in sdrf.rows if r[data]]
    assert named == ["data/liver4_R1.fastq.gz", "data/liver4_R2.fastq.gz"]
    for name in named:
        copy = window.project.folder / name
        original = tmp_path / "elsewhere" / copy.name
        assert not copy.is_symlink()
        assert hashlib.md5(copy.read_bytes()).hexdigest() == hashlib.md5(original.read_bytes()).hexdigest()
    assert not any(Path(r[data]).is_absolute() for r in sdrf.rows)
    left = [f for f in window.findings_panel.model.group("files") if f.code == codes.FILE_OUTSIDE_PROJECT]
    assert sorted(Path(f.location.file).name for f in left) == ["liver6_R1.fastq.gz", "liver6_R2.fastq.gz"]


def test_names_use_forward_slashes_relative_to_the_project(mouse_window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = mouse_window
    deep = window.project.folder / "raw" / "lane 1"
    project_ops.add_files(window, _reads(deep, ["liver1"]))
    _answer(monkeypatch)
    project_ops.rows_from_files(window)
    sdrf = window.current_grid().model.sdrf
    data = _column(sdrf, "Array Data File")
    assert [r[data] for r in sdrf.rows if r[data]] == ["raw/lane 1/liver1_R1.fastq.gz",
                                                      "raw/lane 1/liver1_R2.fastq.gz"]


# -- 3. "not checked" is not "valid" ---------------------------------------------------------------------


def _validate(window, qtbot) -> dict:  # type: ignore[no-untyped-def,type-arg]
    project_ops.validate_files(window)
    with qtbot.waitSignal(window.checker.sig_validation_done, timeout=60000):
        pass
    return {e.path.name: e for e in window.files_panel.model.entries}


def test_a_format_without_a_content_check_is_not_checked_and_a_truncated_tiff_shows_its_error(
        mouse_window, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = mouse_window
    folder = window.project.folder / "other"
    folder.mkdir()
    (folder / "genome.fa").write_text(">chr1\nACGTACGTACGT\n")          # sniffed as FASTA: no validator
    (folder / "notes.dat").write_bytes(bytes(range(256)) * 4)          # not recognised at all
    image = folder / "plate1.ome.tif"
    tifffile.imwrite(image, np.random.default_rng(1).integers(0, 255, (3, 64, 64), dtype=np.uint8),
                     ome=True)
    whole = image.read_bytes()
    image.write_bytes(whole[:-1])                                       # one byte short
    project_ops.add_files(window, [folder])
    entries = _validate(window, qtbot)
    assert entries["genome.fa"].status == "not checked"
    assert entries["notes.dat"].status.startswith("not checked")
    assert "error" in entries["plate1.ome.tif"].status
    assert any(f.code == "IMG-TRUNCATED" for f in entries["plate1.ome.tif"].findings)
    assert not any(e.status.startswith("valid") for e in entries.values())


# -- 4. results come back on reopen; a new project starts clean --------------------------------------------


def test_results_are_shown_on_reopen_from_the_cache_and_a_new_project_starts_clean(
        mouse_window, qtbot, settings, term_service, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = mouse_window
    folder = window.project.folder
    bad = folder / "reads" / "liver1_R1.fastq.gz"
    _reads(folder / "reads", ["liver1"])
    bad.write_bytes(gzip.compress(b"@r1\nACGT\n+\nIII\n"))  # quality shorter than the sequence
    project_ops.add_files(window, [folder / "reads"])
    _answer(monkeypatch)
    project_ops.rows_from_files(window)
    assert project_ops.save(window)
    entries = _validate(window, qtbot)
    assert "error" in entries["liver1_R1.fastq.gz"].status

    again = _open(qtbot, settings, term_service, folder)  # reopen: no Validate pressed
    try:
        qtbot.waitUntil(lambda: len(again.files_panel.model.entries) == 2
                        and all(e.checked for e in again.files_panel.model.entries), timeout=20000)
        shown = {e.path.name: e.status for e in again.files_panel.model.entries}
        assert "error" in shown["liver1_R1.fastq.gz"] and shown["liver1_R1.fastq.gz"].endswith("(cached)")
        assert shown["liver1_R2.fastq.gz"] == "valid (cached)"
        assert any(f.location.file.endswith("liver1_R1.fastq.gz")
                   for f in again.findings_panel.model.group("files"))

        other = _mouse_project(tmp_path / "other-study", ["kidney1"])
        assert project_ops.open_project(again, other)
        qtbot.wait(300)
        assert again.files_panel.model.entries == []
        assert again.findings_panel.model.group("files") == []
        assert again.files_panel.current_label.text() == "No validation running."
    finally:
        _close(again)


# -- the mapping itself, on documents -------------------------------------------------------------------


def test_mates_share_one_row_when_it_has_two_file_columns_and_processed_files_go_to_derived(tmp_path) -> None:
    from depositdesk.magetab.sdrf import Sdrf
    from depositdesk.widgets.file_rows_plan import make_plan

    header = ["Source Name", "Assay Name", "Array Data File", "Array Data File", "Derived Array Data File"]
    sdrf = Sdrf(header, [["ctrl", "ctrl run", "", "", ""], ["treated", "treated run", "", "", ""]])
    folder = tmp_path / "p"
    files = [folder / "ctrl_1.fq.gz", folder / "ctrl_2.fq.gz", folder / "treated.bw", folder / "other.bam"]
    plan = make_plan(sdrf, folder, files)
    assert plan is not None
    assert [(c.path.name, c.target) for c in plan.choices] == [
        ("ctrl_1.fq.gz", 0), ("ctrl_2.fq.gz", 0), ("other.bam", None), ("treated.bw", 1)]
    command = plan.commands()
    assert command is not None
    command.redo()
    assert sdrf.rows[0] == ["ctrl", "ctrl run", "ctrl_1.fq.gz", "ctrl_2.fq.gz", ""]
    assert sdrf.rows[1] == ["treated", "treated run", "", "", "treated.bw"]
    assert sdrf.rows[2][:3] == ["other", "other", "other.bam"]
    command.undo()
    assert len(sdrf.rows) == 2 and not any(any(r[2:]) for r in sdrf.rows)


def test_bringing_in_hard_links_reuses_the_same_file_and_refuses_another_one(tmp_path) -> None:
    from depositdesk import progress
    from depositdesk.widgets.file_bring_in import bring_in_all

    source = _fastq(tmp_path / "a_R1.fastq.gz", "a")
    project = tmp_path / "project"
    [done] = progress.run(bring_in_all([(source, "hardlink")], project))
    assert done.dest == project / "data" / "a_R1.fastq.gz" and done.dest.samefile(source)
    assert not done.dest.is_symlink()
    [again] = progress.run(bring_in_all([(source, "copy")], project))  # already there: used as it is
    assert again.dest == done.dest and again.problem is None
    other = tmp_path / "elsewhere" / "a_R1.fastq.gz"
    other.parent.mkdir()
    _fastq(other, "b")
    [refused] = progress.run(bring_in_all([(other, "copy")], project))
    assert refused.dest is None and refused.problem is not None
    assert "exists already" in refused.problem.message
    assert done.dest.read_bytes() == source.read_bytes()  # the file in the project was not replaced


def test_files_named_unlike_any_sample_can_go_into_the_empty_rows_in_order(qtbot, settings, term_service,
                                                                           tmp_path, no_dialogs,
                                                                           monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = _mouse_project(tmp_path / "mice", ["mouse A", "mouse B", "mouse C"])
    window = _open(qtbot, settings, term_service, folder)
    try:
        project_ops.add_files(window, _reads(folder / "reads", ["S1", "S2", "S3"]))

        def in_order(dialog):  # type: ignore[no-untyped-def]
            assert "6 new rows" in dialog.summary.text() and dialog.in_order.isEnabled()
            dialog.in_order.click()
            assert dialog.row_boxes[0].currentText() == "row 1: mouse A"
            assert dialog.row_boxes[5].currentText() == "row 3: mouse C"
            assert not dialog.in_order.isEnabled()
            return True

        _answer(monkeypatch, in_order)
        assert project_ops.rows_from_files(window) == 6
        sdrf = window.current_grid().model.sdrf
        source, data = _column(sdrf, "Source Name"), _column(sdrf, "Array Data File")
        assert [(r[source], r[data]) for r in sdrf.rows] == [
            (f"mouse {x}", f"reads/S{i}_R{m}.fastq.gz") for i, x in enumerate("ABC", 1) for m in (1, 2)]
    finally:
        _close(window)
