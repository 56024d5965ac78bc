"""Whatever text a cell holds, writing and reading it back gives the same cell (property test)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from depositdesk.magetab.idf import Idf, IdfLine
from depositdesk.magetab.sdrf import Sdrf

# Any text but CR (line breaks are normalised to LF on reading) and NUL (dropped on writing), by design.
CELL = st.text(alphabet=st.characters(blacklist_characters="\r\x00", blacklist_categories=("Cs",)), max_size=12)
HEADER = ["Source Name", "Characteristics[organism]", "Comment[note]"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, min_size=3, max_size=3).filter(lambda r: any(c.strip() for c in r)),
                min_size=1, max_size=5))
def test_sdrf_cells_survive_writing_and_reading(rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.sdrf.txt"
        Sdrf(HEADER, rows).write(path)
        again, _ = Sdrf.read(path)
    assert again.header == HEADER and again.rows == rows


@settings(max_examples=100, deadline=None)
@given(st.lists(CELL.map(str.strip).filter(bool), min_size=1, max_size=4))
def test_idf_values_survive_writing_and_reading(values: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.idf.txt"
        Idf([IdfLine("Investigation Title", ["t"]), IdfLine("Person Last Name", values)]).write(path)
        again, _ = Idf.read(path)
    assert again.get("Person Last Name") == values


def test_a_quoted_cell_holding_a_tab_then_a_line_break_reads_back(tmp_path: Path) -> None:
    """Found by the property test: the cell opens with a quote but its last tab-split piece does not."""
    rows = [["", "0", "\t\n"], ["b", "x\t\n", "y"]]
    path = tmp_path / "x.sdrf.txt"
    Sdrf(HEADER, rows).write(path)
    again, _ = Sdrf.read(path)
    assert again.rows == rows
