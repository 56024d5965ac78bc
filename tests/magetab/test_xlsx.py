"""Excel workbooks: every cell stays the text the scientist typed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.magetab.xlsx import read_xlsx, write_xlsx

TRICKY = ["SEPT2", "MARCH1", "1.10", "007", "1e5", "=A1+1", "2024-01-02", "TRUE", " padded "]


def _documents() -> tuple[Idf, Sdrf]:
    sdrf = Sdrf(["Source Name", "Characteristics[gene]", "Comment[note]"],
                [[f"s{i}", value, ""] for i, value in enumerate(TRICKY)], Path("genes.sdrf.txt"))
    idf = Idf.blank("Genes that look like dates")
    idf.set("SDRF File", ["genes.sdrf.txt"])
    idf.set("Comment[version]", ["1.10", "007"])
    return idf, sdrf


def test_round_trip_keeps_gene_names_and_numbers_as_text(tmp_path: Path) -> None:
    idf, sdrf = _documents()
    book = tmp_path / "genes.xlsx"
    write_xlsx(book, idf, [sdrf])
    idf2, (sdrf2,), _ = read_xlsx(book)
    assert [row[1] for row in sdrf2.rows] == TRICKY
    assert idf2 is not None and idf2.get("Comment[version]") == ["1.10", "007"]
    assert idf2.fields() == idf.fields()


def test_cells_are_written_as_text_cells(tmp_path: Path) -> None:
    idf, sdrf = _documents()
    book = tmp_path / "genes.xlsx"
    write_xlsx(book, idf, [sdrf])
    sheet = openpyxl.load_workbook(book)["genes"]
    cells = [sheet.cell(row=i + 2, column=2) for i in range(len(TRICKY))]
    assert all(c.data_type == "s" and c.number_format == "@" for c in cells)
    assert [c.value for c in cells] == TRICKY


def test_numbers_and_dates_typed_in_excel_read_back_as_typed(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Source Name", "Characteristics[age]", "Characteristics[dose]", "Date"])
    sheet.append(["s1", 7, 1.25, dt.datetime(2024, 3, 1)])
    sheet.append(["s2", 12.0, 0.1, "2024-03-02"])
    path = tmp_path / "typed.xlsx"
    book.save(path)
    idf, (sdrf,), _ = read_xlsx(path)
    assert idf is None
    assert sdrf.rows == [["s1", "7", "1.25", "2024-03-01"], ["s2", "12", "0.1", "2024-03-02"]]


def test_project_opens_a_workbook_and_saves_text_beside_it(tmp_path: Path) -> None:
    idf, sdrf = _documents()
    write_xlsx(tmp_path / "genes.xlsx", idf, [sdrf])
    project = Project.open(tmp_path / "genes.xlsx")
    project.save()
    assert (tmp_path / "genes.sdrf.txt").read_text(encoding="utf-8").splitlines()[1] == "s0\tSEPT2\t"


def test_a_broken_workbook_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ProjectError, match="not a readable Excel workbook"):
        read_xlsx(path)
