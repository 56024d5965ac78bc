"""The grid marks the SDRF columns the project's targets require: header colour and the targets' wording."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QUndoStack
from PySide6.QtWidgets import QApplication

from depositdesk.magetab.project import Project
from depositdesk.resources.examples import EXAMPLE_PROJECT
from depositdesk.widgets.sdrf_model import REQUIRED_COLOUR, SdrfTableModel

H = Qt.Orientation.Horizontal


def test_example_grid_marks_what_geo_requires() -> None:
    app = QApplication.instance() or QApplication([])
    sdrf = Project.open(EXAMPLE_PROJECT).sdrfs[0]   # the example's targets.json names GEO
    model = SdrfTableModel(sdrf, QUndoStack())
    strategy = sdrf.header.index("Comment[library strategy]")
    brush = model.headerData(strategy, H, Qt.ItemDataRole.BackgroundRole)
    assert isinstance(brush, QBrush) and brush.color() == REQUIRED_COLOUR
    assert "required by GEO: *library strategy" in model.headerData(strategy, H, Qt.ItemDataRole.ToolTipRole)
    antibody = sdrf.header.index("Parameter Value[antibody]")
    assert model.headerData(antibody, H, Qt.ItemDataRole.BackgroundRole) is None
    assert "required by" not in model.headerData(antibody, H, Qt.ItemDataRole.ToolTipRole)
    changed: list[tuple] = []
    model.headerDataChanged.connect(lambda *args: changed.append(args))
    model.set_targets([])
    assert changed and model.headerData(strategy, H, Qt.ItemDataRole.BackgroundRole) is None
    model.set_targets(["sra"])
    assert model.required_label(strategy) == "SRA: library_strategy"
    model.detach()
    assert app is not None
