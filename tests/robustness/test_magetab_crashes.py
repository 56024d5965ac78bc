"""Reproducers of issue 14 for the MAGE-TAB readers: each damaged file is read or refused
in one sentence, fast, never with a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from depositdesk.magetab import codes
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.project import Project
from depositdesk.magetab.reader import read_sdrf
from tests.robustness import recipes


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.monotonic() - self.start


def test_quoted_cell_over_128k_is_read_whole(shared: Path, tmp_path: Path) -> None:
    idf, value = recipes.quoted_cell_over_128k(shared, tmp_path)
    with Timer() as t:
        project = Project.open(idf)
    assert project.sdrfs[0].rows[0][3] == value
    assert t.seconds < 2


def test_sdrf_file_name_too_long_is_a_missing_sdrf(shared: Path, tmp_path: Path) -> None:
    idf = recipes.idf_sdrf_file_too_long(shared, tmp_path)
    project = Project.open(idf)
    missing = [f for f in project.read_findings if f.code == codes.IDF_SDRF_MISSING]
    assert len(missing) == 1 and len(missing[0].message) < 200
    assert project.sdrfs == []


def test_300k_trailing_tabs_cost_nothing(shared: Path, tmp_path: Path) -> None:
    sdrf_path = recipes.sdrf_300k_trailing_tabs(shared, tmp_path)
    with Timer() as t:
        sdrf, found = read_sdrf(sdrf_path)
    assert t.seconds < 1
    assert len(sdrf.header) == len(sdrf.rows[0]) < 100
    assert {f.code for f in found} & {codes.SDRF_ROW_LONG, codes.SDRF_ROW_SHORT, codes.ROW_TOO_WIDE} == set()


def test_absurdly_wide_row_is_one_finding(shared: Path, tmp_path: Path) -> None:
    sdrf_path = recipes.sdrf_300k_wide_row(shared, tmp_path)
    with Timer() as t:
        sdrf, found = read_sdrf(sdrf_path)
    assert t.seconds < 2
    assert [f.code for f in found].count(codes.ROW_TOO_WIDE) == 1
    assert len(sdrf.header) <= 4096 and all(len(r) == len(sdrf.header) for r in sdrf.rows)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "bad-deflate", "bad-shared-strings",
                                    "bad-row-number"])
def test_damaged_workbook_is_one_clear_error(shared: Path, tmp_path: Path, damage: str) -> None:
    book = recipes.xlsx_damaged_sheet(shared, tmp_path, damage)
    with pytest.raises(ProjectError) as caught:
        Project.open(book)
    assert str(book) in str(caught.value) and "damaged" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_data_file_name_too_long_is_a_missing_file(shared: Path, tmp_path: Path) -> None:
    from depositdesk.magetab.rules import check_project

    project = Project.open(recipes.sdrf_data_file_too_long(shared, tmp_path))
    found = check_project(project, check_files=True)     # its data files looked for, as in a saved project
    assert codes.SDRF_FILE_MISSING in {f.code for f in found}


def test_path_too_long_to_open_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="cannot be opened"):
        Project.open(tmp_path / ("x" * 5000))
