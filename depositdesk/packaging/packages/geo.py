"""GEO: the Dec 2024 HTS metadata workbook (``seq_template.xlsx``), written with openpyxl.

The ``Metadata`` sheet has the template's STUDY / SAMPLES / PROTOCOLS / PAIRED-END EXPERIMENTS
sections at the template's rows and labels (with their '*'); a section moves down only when the
one above it needs more rows than the template leaves. One SAMPLES row per library (Assay Name),
each raw file listed once, processed files, and a PAIRED-END row per paired run (R1, R2, I1, I2).
The ``MD5 Checksums`` sheet holds the RAW FILES and PROCESSED DATA FILES tables. Every cell is
text (number format '@'), so no gene name becomes a date. Where each value comes from is the GEO
target's declaration (`depositdesk.packaging.targets.geo`). The cells are gathered in a `Grid` and
streamed out by openpyxl's write-only mode, row by row (no cell objects kept for 10,000 libraries).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages.build import PackedFile
from depositdesk.packaging.targets import geo
from depositdesk.packaging.targets.base import column_index, heading_key

WORKBOOK = "seq_template.xlsx"
HEAD = (
    "# This is a metadata template for submission of high-throughput sequencing samples to the GEO database.",
    "# Before filling out the template, we highly recommend reviewing the appropriate EXAMPLE template(s) "
    "found on tabs of this Excel file (see bottom).",
    "# Fields with a red triangle in the upper-right corner have pop-up instructions that can be displayed "
    "if you hover over the field.",
    "# Invalid duplicate entries will be auto-highlighted. Please correct. For example, library name, title, "
    "raw file entries must be unique.",
)
STUDY_NOTES = (
    "# This section describes the overall study.",
    "# Information provided in this section will be displayed in a GEO Series record (GSExxxxxx) on a "
    "public web page. ",
    "# STUDY information must be listed in column B.  Add more rows, if needed.  Do not place text in "
    "column C or beyond.",
)
SAMPLE_NOTES = (
    "# Information provided in this section will be displayed in GEO Sample records (GSMxxxxxxx) on public "
    "web pages. ",
    "# A GEO Sample record will be created from each row in this section.",
    "# Biological replicates of the same sample: If provided, should be listed on different rows and titled "
    "accordingly (biol rep 1, biol rep 2, and so on).",
    "# Technical replicates, eg, the same libraries were run in different lanes of a flow cell or sequenced "
    "multiple times: If provided, list all raw files in the same row, adding more \"raw file\" columns as "
    "needed to accommodate all raw files.",
    "# One library per row.  All library names, titles and raw files must be unique.  ",
)
PROTOCOL_NOTES = (
    "# Information provided in this section will appear in each GEO Sample record (GSMxxxxxxx). ",
    "# PROTOCOLS information must be listed in column B.  Add more rows, if needed.  Do not place text in "
    "column C or beyond.",
)
PAIRED_NOTES = (
    "# If \"paired-end\" experiments are included, list the FASTQ files for each paired-end run in a row. "
    "Each row will become one sequencing run on a GEO Sample record (GSMxxxxxxx). ",
    "# Single-cell or Spatial transcriptomics data: If applicable, list index files (I1, I2, etc.) in "
    "\"file name 3\", \"file name 4\" columns.",
    "# All raw files listed in PAIRED-END EXPERIMENTS must also be listed in the SAMPLES section above. ",
)
MD5_NOTES = (
    "#  We strongly recommend that submitters provide MD5 checksums for their raw data files. The checksums "
    "are used to verify file integrity. Checksums can be calculated using the following methods:",
    "#  Unix: md5sum <file>",
    "#  OS X: md5 <file>",
    "#  Windows: Windows Command Processor (cmd): certutil -hashfile <file> MD5",
)
# Template rows of the section titles, and the room the template leaves for each.
STUDY_ROW, SAMPLES_ROW, PROTOCOLS_ROW, PAIRED_ROW = 8, 32, 54, 72
CONTRIBUTOR_ROWS = 7
FIXED_SAMPLE_LABELS = ("library name", "title", "library strategy", "organism", "tissue", "cell line",
                       "cell type", "genotype", "treatment", "batch", "molecule", "single or paired-end",
                       "instrument model", "description")
EXTRA_SAMPLE_LABELS = ("strain", "developmental stage")
DATA_STEPS = 5
MATE = re.compile(r"(?:^|[._-])(R?[12]|I[12])(?=[._-]|$)")


@dataclass
class Library:
    values: dict[str, str] = field(default_factory=dict)
    raw: list[str] = field(default_factory=list)
    processed: list[str] = field(default_factory=list)


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    names = {p.named: p.name for p in packed}
    libraries = libraries_of(project, names)
    metadata, checksums = Grid(), Grid()
    _metadata_sheet(metadata, project, libraries)
    _md5_sheet(checksums, libraries, {p.name: p.md5 for p in packed})
    wb = Workbook(write_only=True)   # rows streamed out in order: no cell objects kept for 10,000 rows
    for title, grid in (("Metadata", metadata), ("MD5 Checksums", checksums)):
        grid.write(wb.create_sheet(title))
    buffer = io.BytesIO()
    wb.save(buffer)
    return {WORKBOOK: buffer.getvalue()}


class Grid:
    """The text cells of one sheet, by row and column, written out row by row at the end."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[int, str]] = {}

    def write(self, ws: Any) -> None:
        """Append the rows in order to a write-only sheet (``Workbook(write_only=True).create_sheet()``,
        whose class openpyxl keeps private), each cell text with number format '@'."""
        done = 0
        for r in sorted(self.rows):
            for _ in range(r - done - 1):
                ws.append([])
            row = self.rows[r]
            cells: list[WriteOnlyCell | None] = [None] * max(row)
            for c, value in row.items():
                cells[c - 1] = _text_cell(ws, value)
            ws.append(cells)
            done = r


def _text_cell(ws: Any, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value)
    cell.number_format = "@"
    cell.data_type = "s"     # kept as text even when it starts with '=' (never a formula)
    return cell


def _put(ws: Grid, row: int, col: int, value: str) -> None:
    ws.rows.setdefault(row, {})[col] = value


def _lines(ws: Grid, row: int, texts: Sequence[str]) -> int:
    for i, text in enumerate(texts):
        _put(ws, row + i, 1, text)
    return row + len(texts)


def _label(name: str, mandatory: bool) -> str:
    return f"*{name}" if mandatory else name


# --- from the project -------------------------------------------------------------------------
def libraries_of(project: Project, names: dict[str, str]) -> list[Library]:
    """One Library per distinct Assay Name (SDRF order); each raw file kept by its first library."""
    found: dict[str, Library] = {}
    seen_raw: set[str] = set()
    for sdrf in project.sdrfs:
        index = column_index(sdrf)

        def cols(heading: str, index: dict[str, list[int]] = index) -> list[int]:
            return index.get(heading_key(heading), [])

        labels = {label: cols(req.heading) for label, req in geo.SAMPLE_COLUMNS.items()}
        raw_cols = [c for h in geo.RAW_FILE_HEADINGS for c in cols(h)]
        for row in sdrf.rows:
            key = next((row[c].strip() for c in labels["library name"] if row[c].strip()), "")
            if not key:
                continue
            lib = found.setdefault(key, Library())
            for label, columns in labels.items():
                value = next((row[c].strip() for c in columns if row[c].strip()), "")
                if value and not lib.values.get(label):
                    lib.values[label] = value
            for c in raw_cols:
                name = names.get(row[c].strip())
                if name and name not in seen_raw:
                    seen_raw.add(name)
                    lib.raw.append(name)
            for c in labels["processed data file"]:
                name = names.get(row[c].strip())
                if name and name not in lib.processed:
                    lib.processed.append(name)
    return list(found.values())


def _protocols(project: Project) -> dict[str, list[str]]:
    by_label: dict[str, list[str]] = {label: [] for label in geo.PROTOCOL_TYPES}
    for record in project.idf.records("protocol"):
        kind = record.get("Protocol Type", "").strip().lower()
        text = record.get("Protocol Description", "").strip()
        for label, (_, accepted) in geo.PROTOCOL_TYPES.items():
            if text and kind in accepted:
                by_label[label].append(text)
    return by_label


def _genome_build(project: Project) -> str:
    if value := project.idf.first(geo.GENOME_BUILD_FIELD).strip():
        return value
    builds: list[str] = []
    for sdrf in project.sdrfs:
        index = column_index(sdrf)
        for heading in geo.GENOME_BUILD_HEADINGS:
            for c in index.get(heading_key(heading), []):
                builds.extend(v for row in sdrf.rows if (v := row[c].strip()) and v not in builds)
    return ", ".join(builds)


def _contributors(project: Project) -> list[str]:
    out = []
    for person in project.idf.records("person"):
        parts = [person["Person First Name"].strip(), person["Person Mid Initials"].strip(),
                 person["Person Last Name"].strip()]
        if parts[0] or parts[2]:
            out.append(", ".join(p for p in parts if p))
    return out


def paired_runs(files: Sequence[str]) -> list[list[str]]:
    """Raw files of a paired-end library grouped by run (name without the mate token), R1 R2 I1 I2."""
    runs: dict[str, list[str]] = {}
    for name in files:
        runs.setdefault(MATE.sub("", name), []).append(name)
    order = {"1": 0, "R1": 0, "2": 1, "R2": 1, "I1": 2, "I2": 3}

    def mate(name: str) -> int:
        tokens = MATE.findall(name)
        return order.get(tokens[-1], 9) if tokens else 9

    return [sorted(group, key=lambda n: (mate(n), n))[:4] for group in runs.values()]


# --- the sheets -------------------------------------------------------------------------------
def _metadata_sheet(ws: Grid, project: Project, libraries: list[Library]) -> None:
    _lines(ws, 1, HEAD)
    row = _study(ws, project)
    row = _samples(ws, max(SAMPLES_ROW, row + 2), libraries)
    row = _protocol_section(ws, max(PROTOCOLS_ROW, row + 1), project)
    _paired(ws, max(PAIRED_ROW, row + 2), libraries)


def _study(ws: Grid, project: Project) -> int:
    _put(ws, STUDY_ROW, 1, "STUDY")
    row = _lines(ws, STUDY_ROW + 1, STUDY_NOTES)
    for label in ("title", "summary (abstract)", "experimental design"):
        _put(ws, row, 1, geo.STUDY_FIELDS[label].label)
        _put(ws, row, 2, project.idf.first(geo.STUDY_FIELDS[label].name).strip())
        row += 1
    people = _contributors(project)
    for i in range(max(CONTRIBUTOR_ROWS, len(people))):
        _put(ws, row, 1, "contributor")
        if i < len(people):
            _put(ws, row, 2, people[i])
        row += 1
    _put(ws, row, 1, "supplementary file")
    return row + 1


def _samples(ws: Grid, top: int, libraries: list[Library]) -> int:
    _put(ws, top, 1, "SAMPLES")
    header_row = _lines(ws, top + 1, SAMPLE_NOTES)
    n_processed = max([2, *(len(lib.processed) for lib in libraries)])
    n_raw = max([4, *(len(lib.raw) for lib in libraries)])
    header = [geo.SAMPLE_COLUMNS[label].label for label in FIXED_SAMPLE_LABELS]
    # Two processed columns before the raw files, as in the template; more after them, so
    # '*raw file' stays where the template has it (GEO locates the columns by their labels).
    header += ["processed data file"] * 2 + ["*raw file"] + ["raw file"] * (n_raw - 1)
    header += ["processed data file"] * (n_processed - 2)
    extras = [label for label in EXTRA_SAMPLE_LABELS if any(lib.values.get(label) for lib in libraries)]
    header += extras
    for c, text in enumerate(header, start=1):
        _put(ws, header_row, c, text)
    for r, lib in enumerate(libraries, start=header_row + 1):
        cells = [lib.values.get(label, "") for label in FIXED_SAMPLE_LABELS]
        processed = _padded(lib.processed, n_processed)
        cells += processed[:2] + _padded(lib.raw, n_raw) + processed[2:]
        cells += [lib.values.get(label, "") for label in extras]
        for c, value in enumerate(cells, start=1):
            if value:
                _put(ws, r, c, value)
    return header_row + 1 + len(libraries)


def _padded(values: list[str], n: int) -> list[str]:
    return values + [""] * (n - len(values))


def _protocol_section(ws: Grid, top: int, project: Project) -> int:
    _put(ws, top, 1, "PROTOCOLS")
    row = _lines(ws, top + 1, PROTOCOL_NOTES)
    texts = _protocols(project)
    for label in ("growth protocol", "treatment protocol", "extract protocol", "library construction protocol"):
        _put(ws, row, 1, _label(label, geo.PROTOCOL_TYPES[label][0]))
        if texts[label]:
            _put(ws, row, 2, " ".join(texts[label]))
        row += 1
    row += 1   # the template leaves one row empty before the data processing steps
    steps = texts["data processing step"]
    for i in range(max(DATA_STEPS, len(steps))):
        _put(ws, row, 1, _label("data processing step", i == 0))
        if i < len(steps):
            _put(ws, row, 2, steps[i])
        row += 1
    _put(ws, row, 1, "*genome build/assembly")
    _put(ws, row, 2, _genome_build(project))
    field = geo.STUDY_FIELDS["processed data files format and content"]
    _put(ws, row + 1, 1, field.label)
    _put(ws, row + 1, 2, project.idf.first(field.name).strip())
    _put(ws, row + 2, 1, "processed data files format and content")
    return row + 3


def _paired(ws: Grid, top: int, libraries: list[Library]) -> None:
    _put(ws, top, 1, "PAIRED-END EXPERIMENTS")
    row = _lines(ws, top + 1, PAIRED_NOTES)
    for c in range(4):
        _put(ws, row, c + 1, f"file name {c + 1}")
    for lib in libraries:
        if lib.values.get("single or paired-end", "").lower() != "paired-end":
            continue
        for run in paired_runs(lib.raw):
            row += 1
            for c, name in enumerate(run, start=1):
                _put(ws, row, c, name)


def _md5_sheet(ws: Grid, libraries: list[Library], md5: dict[str, str]) -> None:
    _lines(ws, 1, MD5_NOTES)
    _put(ws, 7, 1, "RAW FILES")
    _put(ws, 7, 6, "PROCESSED DATA FILES")
    for col, text in ((1, "file name"), (2, "file checksum"), (6, "file name"), (7, "file checksum")):
        _put(ws, 8, col, text)
    raw = [n for lib in libraries for n in lib.raw]
    processed = list(dict.fromkeys(n for lib in libraries for n in lib.processed))
    for first, names in ((1, raw), (6, processed)):
        for r, name in enumerate(names, start=9):
            _put(ws, r, first, name)
            _put(ws, r, first + 1, md5.get(name, ""))
