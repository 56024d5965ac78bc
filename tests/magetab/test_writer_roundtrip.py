"""What DepositDesk itself saves reads back without a finding about its own form (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.magetab import codes
from depositdesk.magetab.project import Project
from depositdesk.magetab.reader import read_sdrf
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.resources.templates import templates


@pytest.mark.parametrize("template", templates(), ids=lambda t: t.name)
def test_a_new_project_from_every_template_reopens_without_findings(tmp_path: Path, template) -> None:
    idf, sdrf = template.build("Liver response to fasting")
    Project.create(tmp_path / "p", idf, [sdrf])
    reopened = Project.open(tmp_path / "p")
    assert [f.code for f in reopened.read_findings] == []


def test_rows_with_empty_last_cells_read_back_clean(tmp_path: Path) -> None:
    header = ["Source Name", "Characteristics[organism]", *[f"Comment[c{i}]" for i in range(60)]]
    wide = ["s1", "Mus musculus", *(["x" * 30] * 59), ""]   # longer than 1024 characters
    sdrf = Sdrf(header, [["s2", "", *[""] * 60], wide])
    sdrf.write(tmp_path / "a.sdrf.txt")
    again, found = read_sdrf(tmp_path / "a.sdrf.txt")
    assert again.rows == sdrf.rows and found == []


def test_cells_beyond_the_header_are_still_reported(tmp_path: Path) -> None:
    (tmp_path / "b.sdrf.txt").write_text("Source Name\tCharacteristics[organism]\ns1\tMus musculus\t\t\n")
    _, found = read_sdrf(tmp_path / "b.sdrf.txt")
    assert codes.TRAILING_TABS in [f.code for f in found]
