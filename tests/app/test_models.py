"""qtmodeltester on every model of the window, with edits going through them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QUndoStack

from depositdesk.findings import Finding, Location, Severity
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.widgets.edit_commands import (
    InsertColumns,
    InsertRows,
    MoveRows,
    RemoveRows,
    SetCells,
)
from depositdesk.widgets.files_view import FilesModel
from depositdesk.widgets.findings_panel import FindingsFilter, FindingsModel
from depositdesk.widgets.sdrf_grid import SdrfFilterProxy
from depositdesk.widgets.sdrf_model import FINDINGS_ROLE, SdrfTableModel


def _sdrf() -> Sdrf:
    header = ["Source Name", "Characteristics[organism]", "Term Source REF", "Term Accession Number"]
    return Sdrf(header, [[f"s{i}", "Drosophila melanogaster", "NCBITaxon", "NCBITaxon:7227"] for i in range(5)])


def test_sdrf_model_passes_the_model_tester_through_every_edit_kind(qapp, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    sdrf = _sdrf()
    model = SdrfTableModel(sdrf, QUndoStack())
    qtmodeltester.check(model)
    model.apply(SetCells(sdrf, [(0, 1, "Homo sapiens")]))
    model.apply(InsertRows(sdrf, 2, [["new"] * 4, ["new2"] * 4]))
    model.apply(MoveRows(sdrf, 0, 2, 5))
    model.apply(RemoveRows(sdrf, 1, 1))
    model.apply(InsertColumns(sdrf, 1, ["Comment[x]"]))
    model.set_findings([Finding("X", Severity.ERROR, "bad", Location(row=1, column=2))])
    qtmodeltester.check(model)
    assert model.rowCount() == 6 and model.columnCount() == 5
    assert model.data(model.index(0, 1), FINDINGS_ROLE)[0].code == "X"
    proxy = SdrfFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(0)
    qtmodeltester.check(proxy)


def test_findings_and_files_models_pass_the_model_tester(qapp, qtmodeltester, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    findings = FindingsModel()
    findings.set_group("metadata", [Finding("A", Severity.WARNING, "w", Location(file="x", row=2, column=1)),
                                    Finding("B", Severity.ERROR, "e", Location(file="y"))])
    qtmodeltester.check(findings)
    assert findings.finding(0).code == "B"  # worst first
    proxy = FindingsFilter()
    proxy.setSourceModel(findings)
    proxy.set_filter(least=Severity.ERROR)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 1
    files = FilesModel()
    (tmp_path / "a.fastq").write_text("@r\nACGT\n+\nIIII\n")
    files.add_files([tmp_path / "a.fastq", tmp_path / "missing.bam"])
    qtmodeltester.check(files)
    assert files.entries[1].status == "missing"
