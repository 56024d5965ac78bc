"""The files view of an imaging project: pixel sizes in their own column, lossy copies marked."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

from depositdesk.app import project_ops

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validators" / "imaging"))
import imaging_recipes  # noqa: E402


def test_pixel_sizes_and_lossy_copies_show_in_the_files_view(window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    images = tmp_path / "images"
    images.mkdir()
    good = imaging_recipes.ome_tiff(images)
    bare = imaging_recipes.ome_tiff_no_pixel_size(images)
    lossy = imaging_recipes.jpeg_tiff(images)
    bed = tmp_path / "peaks.bed"
    bed.write_text("chr2L\t0\t5\tpeak\n")
    project_ops.add_files(window, [good, bare, lossy, bed])
    project_ops.validate_files(window)
    with qtbot.waitSignal(window.checker.sig_validation_done, timeout=60_000):
        pass
    model = window.files_panel.model
    column = model.headerData(5, Qt.Orientation.Horizontal)
    assert column == "Pixel size"
    shown = {model.data(model.index(r, 0)): (model.data(model.index(r, 1)), model.data(model.index(r, 5)))
             for r in range(model.rowCount())}
    assert shown[good.name][1].endswith("µm") and "×" in shown[good.name][1]
    assert shown[bare.name][1] == "none"
    assert shown[lossy.name][0].endswith("(lossy)")
    assert shown[bed.name][1] == ""                 # not an image: no pixel size to speak of
    row = model.row_of(lossy)
    assert model.data(model.index(row, 1), Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(model.index(model.row_of(good), 1), Qt.ItemDataRole.ForegroundRole) is None
