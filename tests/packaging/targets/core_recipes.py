"""Small projects for the target checks, made in memory from the example's recipe (no files written).

`example_project()` passes GEO; each failing fixture is that project with one edit, so a test
shows the edit alone makes the finding.
"""

from __future__ import annotations

from pathlib import Path

from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.targets.base import find_column
from depositdesk.resources.examples.chipseq_metadata import make_idf, make_sdrf

IDF_NAME = "chipseq-dmel.idf.txt"
SDRF_NAME = "chipseq-dmel.sdrf.txt"


def project_of(idf: Idf, sdrf: Sdrf, folder: Path = Path("/nonexistent-project")) -> Project:
    sdrf.path = folder / SDRF_NAME
    return Project(folder, idf, folder / IDF_NAME, [sdrf])


def example_project() -> Project:
    return project_of(make_idf(), make_sdrf())


def set_cell(project: Project, heading: str, row: int, value: str) -> int:
    """Set the 1-based ``row`` of the column ``heading``; returns the column's 1-based number."""
    sdrf = project.sdrfs[0]
    c = find_column(sdrf, heading)
    assert c is not None, heading
    sdrf.set_cells([(row - 1, c, value)])
    return c + 1


def set_column(project: Project, heading: str, value: str) -> int:
    sdrf = project.sdrfs[0]
    c = find_column(sdrf, heading)
    if c is None:
        sdrf.insert_columns(len(sdrf.header), [heading])
        c = len(sdrf.header) - 1
    sdrf.set_cells([(r, c, value) for r in range(len(sdrf.rows))])
    return c + 1


def drop_column(project: Project, heading: str) -> None:
    sdrf = project.sdrfs[0]
    c = find_column(sdrf, heading)
    assert c is not None, heading
    sdrf.remove_columns(c, 1)
