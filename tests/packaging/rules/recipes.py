"""Small in-memory projects for the cross-target rules and the ArrayExpress/proteomics targets.

`project(header, rows, idf)` makes a Project of one IDF (field -> values) and one SDRF, without
writing anything; each test builds the passing fixture and its broken twin by changing one cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from depositdesk.magetab.idf import Idf, IdfLine
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf

FOLDER = Path("/nonexistent-project")
IDF_NAME = "study.idf.txt"
SDRF_NAME = "study.sdrf.txt"


def project(header: Sequence[str], rows: Sequence[Sequence[str]],
            idf: Mapping[str, Sequence[str]] | None = None) -> Project:
    lines = [IdfLine(name, list(values)) for name, values in (idf or {"Investigation Title": ["t"]}).items()]
    sdrf = Sdrf(list(header), [list(r) for r in rows])
    sdrf.path = FOLDER / SDRF_NAME
    return Project(FOLDER, Idf(lines), FOLDER / IDF_NAME, [sdrf])


def one_column(heading: str, *values: str) -> Project:
    """An SDRF of Source Name + one column holding ``values`` (one row each)."""
    return project(["Source Name", heading], [[f"s{i + 1}", v] for i, v in enumerate(values)])


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def by_code(findings, code: str):
    hits = [f for f in findings if f.code == code]
    assert hits, f"no {code} in {[f.code for f in findings]}"
    return hits
