"""ArrayExpress / Annotare: canonical MAGE-TAB IDF + SDRF, with the data files beside them.

The IDF is the project's, written canonically, its ``SDRF File`` naming the package's SDRF. The
SDRF is the project's with every file cell written as the file's package name and a
``Comment[MD5]`` column after each Array Data File / Derived Array Data File column (the md5 of
the file in the package; an existing Comment[MD5] column there is refilled). File names are
restricted to Annotare's letters, digits, '_' and '.' by the name checks (PKG-NAME-FORBIDDEN).
"""

from __future__ import annotations

from collections.abc import Sequence

from depositdesk.magetab.idf import field_key
from depositdesk.magetab.project import Project
from depositdesk.magetab.textio import format_rows
from depositdesk.packaging.packages.build import PackedFile

MD5_HEADING = "Comment[MD5]"
FILE_HEADINGS = ("array data file", "derived array data file")


def _stem(project: Project) -> str:
    return project.idf_path.name.removesuffix(".txt").removesuffix(".idf")


def sdrf_rows(project: Project, names: dict[str, str], md5: dict[str, str]) -> list[list[str]]:
    rows: list[list[str]] = []
    for i, sdrf in enumerate(project.sdrfs):
        header = sdrf.header
        file_cols = {c for c in sdrf.find_columns("file")}
        md5_after = [c for c, h in enumerate(header) if h.strip().lower() in FILE_HEADINGS]
        new_header: list[str] = []
        plan: list[tuple[str, int]] = []    # ("cell", c) | ("md5", c of its file column)
        for c, heading in enumerate(header):
            if heading.strip().lower() == MD5_HEADING.lower() and c - 1 in md5_after:
                continue          # refilled below
            new_header.append(heading)
            plan.append(("cell", c))
            if c in md5_after:
                new_header.append(MD5_HEADING)
                plan.append(("md5", c))
        if i == 0:
            rows.append(new_header)
        for row in sdrf.rows:
            out = []
            for kind, c in plan:
                value = row[c].strip()
                name = names.get(value, value) if c in file_cols else row[c]
                out.append(md5.get(names.get(value, ""), "") if kind == "md5" else name)
            rows.append(out)
    return rows


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    names = {p.named: p.name for p in packed}
    md5 = {p.name: p.md5 for p in packed}
    stem = _stem(project)
    idf_name, sdrf_name = f"{stem}.idf.txt", f"{stem}.sdrf.txt"
    idf_rows = [[line.name, *line.values] for line in project.idf.lines
                if field_key(line.name) != field_key("SDRF File")]
    idf_rows.append(["SDRF File", sdrf_name])
    return {idf_name: format_rows(idf_rows).encode("utf-8"),
            sdrf_name: format_rows(sdrf_rows(project, names, md5), rectangular=True).encode("utf-8")}
