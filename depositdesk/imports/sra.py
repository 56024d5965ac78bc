"""NCBI SRA_data and BioSample sheets (Excel or tab-separated) -> IDF + SDRF.

- ``SRA_data``: one row per library (``sample_name`` or ``biosample_accession``, ``library_ID``, title,
  the library vocabularies, platform, instrument, design, filetype, ``filename`` ... ``filenameN``,
  assembly, fasta_file). One SDRF row per file (``Array Data File``), the library's values repeated on
  each, in the sheet's file order - so a DepositDesk SRA package reads back to the same sheet.
- ``BioSample``: comment lines (``#``) then a header of attributes, mandatory ones marked ``*``. Its
  rows give the Characteristics of the sample of the same ``sample_name``; the package named in the
  first comment line ("'Invertebrate; version 1.0'") becomes ``Comment[BioSample package]``.

Given one of the two, the other is looked for beside it (the sheets travel together). Every value
that finds no place, and every sample found in only one of the two sheets, is a finding.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from depositdesk.findings import Finding, Location, Severity, finding
from depositdesk.imports import codes
from depositdesk.imports.isatab import Imported
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.targets import sra as sra_target
from depositdesk.packaging.targets.geo import GENOME_BUILD_HEADINGS

SRA_SHEET = "SRA_data"
SEQUENCING_PROTOCOL = "P-SEQUENCING"
LIBRARY_LABELS = ("title", "library_strategy", "library_source", "library_selection", "library_layout",
                  "platform")
"""SRA_data columns that sit on the library (after Sample Name, before the sequencing protocol)."""
PACKAGES = {"invertebrate; version 1.0": "Invertebrate.1.0",
            "model organism or animal; version 1.0": "Model.organism.animal.1.0"}
ACCESSION_HEADING = "Comment[BioSample accession]"


@dataclass
class Sheet:
    name: str                      # file [sheet], as findings name it
    header: list[str]
    rows: list[tuple[int, list[str]]]   # (1-based line, cells)
    comments: list[str] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _read_rows(path: Path) -> list[tuple[str, list[list[str]]]]:
    """(sheet name, rows of text) of a workbook, or of a tab-separated file ('' as its sheet)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return [(name, [[_cell(v) for v in row] for row in book[name].iter_rows(values_only=True)])
                    for name in book.sheetnames]
        finally:
            book.close()
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    return [("", [line.rstrip("\r").split("\t") for line in text.splitlines()])]


def _sheet(path: Path, sheet: str, rows: list[list[str]]) -> Sheet | None:
    """The table of a sheet: comment lines, the header (first row that is not a comment), the body."""
    comments: list[str] = []
    for i, row in enumerate(rows):
        first = row[0].strip() if row else ""
        if first.startswith("#"):
            comments.append(first)
            continue
        if not any(c.strip() for c in row):
            continue
        header = [c.strip() for c in row]
        width = max((k + 1 for k, h in enumerate(header) if h), default=0)
        body = [(i + 1 + n + 1, (cells + [""] * width)[:width]) for n, cells in enumerate(rows[i + 1:])
                if any(c.strip() for c in cells)]
        name = f"{path.name} [{sheet}]" if sheet else path.name
        return Sheet(name, header[:width], body, comments)
    return None


def _kind(sheet: Sheet) -> str:
    keys = {h.lstrip("*").lower() for h in sheet.header}
    if "library_id" in keys and "filename" in keys:
        return "sra"
    if "sample_name" in keys and "organism" in keys:
        return "biosample"
    return ""


def read_tables(path: Path) -> dict[str, Sheet]:
    """The SRA_data and BioSample tables a file holds ({} when it holds neither)."""
    found: dict[str, Sheet] = {}
    for sheet_name, rows in _read_rows(path):
        if sheet_name and sheet_name != SRA_SHEET and len(rows) > 5000:
            continue  # a terms sheet or the like: not a table of ours
        sheet = _sheet(path, sheet_name, rows)
        kind = sheet and _kind(sheet)
        if sheet is not None and kind and kind not in found:
            found[kind] = sheet
    return found


def is_sra_source(path: Path) -> bool:
    if path.suffix.lower() not in (".xlsx", ".xlsm", ".tsv", ".txt"):
        return False
    try:
        return bool(read_tables(path))
    except Exception:  # not a sheet we can read: not one of ours
        return False


def _sample_names(sheet: Sheet) -> set[str]:
    keys = [h.lstrip("*").lower() for h in sheet.header]
    if "sample_name" not in keys:
        return set()
    c = keys.index("sample_name")
    return {cells[c].strip() for _, cells in sheet.rows if cells[c].strip()}


def _companions(path: Path, have: dict[str, Sheet]) -> tuple[dict[str, Sheet], list[Finding]]:
    """The other sheet, looked for beside ``path`` (the SRA and BioSample sheets travel together): of
    the sheets beside it, the one sharing most sample names with it; none when none shares one."""
    if "sra" in have and "biosample" in have:
        return have, []
    kind = "biosample" if "sra" in have else "sra"
    names = _sample_names(next(iter(have.values())))
    best: tuple[int, Path, Sheet] | None = None
    for other in sorted(path.parent.iterdir()):
        if other == path or other.suffix.lower() not in (".xlsx", ".xlsm", ".tsv", ".txt"):
            continue
        try:
            sheet = read_tables(other).get(kind)
        except Exception:  # noqa: S112 - an unreadable neighbour is not ours to judge
            continue
        shared = len(names & _sample_names(sheet)) if sheet is not None else 0
        if sheet is not None and shared and (best is None or shared > best[0]):
            best = (shared, other, sheet)
    if best is None:
        return have, []
    have[kind] = best[2]
    what = "BioSample" if kind == "biosample" else "SRA_data"
    return have, [finding(codes.COMPANION, f"{what} values were read from {best[1].name}, found beside "
                          f"{path.name} ({best[0]:,} samples in common)", Location(file=best[1].name))]


def read_sheets(path: Path) -> Imported:
    try:
        tables = read_tables(path)
    except Exception as exc:  # a damaged workbook: one clear finding (openpyxl raises many kinds)
        return Imported(Idf.blank(), [], [finding(codes.NOT_SRA, f"The sheet cannot be read: "
                                                  f"{type(exc).__name__}: {exc}", Location(file=path.name))])
    if not tables:
        return Imported(Idf.blank(), [], [finding(codes.NOT_SRA, location=Location(file=path.name))])
    tables, notes = _companions(path, tables)
    return _Builder(tables.get("sra"), tables.get("biosample"), notes).build()


def _package(sheet: Sheet | None) -> str:
    for line in sheet.comments if sheet else []:
        match = re.search(r"'([^']+; version [\d.]+)'", line)
        if match and match.group(1).lower() in PACKAGES:
            return PACKAGES[match.group(1).lower()]
    return ""


def _attribute_heading(attribute: str) -> str:
    headings = sra_target.BIOSAMPLE_HEADINGS.get(attribute)
    return headings[0] if headings else f"Characteristics[{attribute}]"


class _Builder:
    def __init__(self, sra: Sheet | None, biosample: Sheet | None, notes: list[Finding]) -> None:
        self.sra, self.biosample = sra, biosample
        self.findings = list(notes)
        self.idf = Idf.blank()

    def _unplaced(self, sheet: Sheet, what: str, line: int, severity: Severity | None = None) -> None:
        self.findings.append(finding(codes.UNPLACED, what, Location(file=sheet.name, line=line or None),
                                     severity=severity))

    def _samples(self) -> tuple[list[str], dict[str, dict[str, str]]]:
        """BioSample attributes (in the sheet's order) and each sample's values."""
        if self.biosample is None:
            return [], {}
        keys = [h.lstrip("*") for h in self.biosample.header]
        attributes = [k for k in keys if k and k != "sample_name"]
        samples: dict[str, dict[str, str]] = {}
        for line, cells in self.biosample.rows:
            values = dict(zip(keys, cells, strict=False))
            name = values.get("sample_name", "").strip()
            if not name:
                self._unplaced(self.biosample, "A BioSample row has no sample_name and was not imported", line)
            elif name in samples:
                self._unplaced(self.biosample, f"BioSample '{name}' is listed twice; the first row was kept", line)
            else:
                samples[name] = {a: values.get(a, "").strip() for a in attributes}
        used = [a for a in attributes if any(s[a] for s in samples.values())]
        return used, samples

    def _libraries(self) -> list[tuple[int, dict[str, str], list[str]]]:
        if self.sra is None:
            return []
        keys = [h.strip() for h in self.sra.header]
        out = []
        for line, cells in self.sra.rows:
            values = {k: c.strip() for k, c in zip(keys, cells, strict=False) if k}
            files = [values[k] for k in keys if re.fullmatch(r"filename\d*", k) and values.get(k)]
            if values.get("fasta_file"):
                self._unplaced(self.sra, f"fasta_file '{values['fasta_file']}' (a genome assembly submission) "
                               "has no place in a sequencing project", line)
            out.append((line, values, files))
        return out

    def build(self) -> Imported:
        attributes, samples = self._samples()
        libraries = self._libraries()
        package = _package(self.biosample)
        if package:
            self.idf.set(sra_target.PACKAGE_FIELD, [package])
        accession = any(v.get("biosample_accession") for _, v, _ in libraries)
        header = ["Source Name", *[_attribute_heading(a) for a in attributes], "Sample Name"]
        if accession:
            header.append(ACCESSION_HEADING)
        header += [sra_target.SRA_COLUMNS[k].heading for k in LIBRARY_LABELS]
        header += ["Protocol REF", sra_target.SRA_COLUMNS["instrument_model"].heading,
                   sra_target.SRA_COLUMNS["design_description"].heading, "Assay Name",
                   sra_target.SRA_COLUMNS["filetype"].heading, GENOME_BUILD_HEADINGS[1]]
        header.append("Array Data File")
        rows = [self._row(values, name, samples, attributes, accession)
                for _, values, files in libraries for name in files or [""]]
        self._unmatched(libraries, samples, attributes, accession, rows)
        self._idf(libraries)
        sdrf = Sdrf(header, rows)
        stem = Path((self.sra or self.biosample).name.split(" [")[0]).stem  # type: ignore[union-attr]
        sdrf.path = Path(f"{stem}.sdrf.txt")
        self.idf.set("SDRF File", [sdrf.path.name])
        if not rows:
            self.findings.append(finding(codes.NOT_SRA, "The sheet has no filled rows: nothing to import",
                                         Location(file=(self.sra or self.biosample).name)))  # type: ignore[union-attr]
        files = [f for _, _, fs in libraries for f in fs]
        return Imported(self.idf, [sdrf] if rows else [], self.findings, list(dict.fromkeys(files)))

    def _row(self, values: dict[str, str], file: str, samples: dict[str, dict[str, str]],
             attributes: list[str], accession: bool) -> list[str]:
        """One SDRF row per file of a library (in the sheet's R1, R2 order), the library's values repeated."""
        name = values.get("sample_name") or values.get("biosample_accession", "")
        sample = samples.get(name, {})
        row = [name, *[sample.get(a, "") for a in attributes], name]
        if accession:
            row.append(values.get("biosample_accession", ""))
        row += [values.get(k, "") for k in LIBRARY_LABELS]
        row += [SEQUENCING_PROTOCOL, values.get("instrument_model", ""), values.get("design_description", ""),
                values.get("library_ID", ""), values.get("filetype", ""), values.get("assembly", "")]
        return [*row, file]

    def _unmatched(self, libraries: list[tuple[int, dict[str, str], list[str]]],
                   samples: dict[str, dict[str, str]], attributes: list[str], accession: bool,
                   rows: list[list[str]]) -> None:
        named = {v.get("sample_name", "") for _, v, _ in libraries}
        if self.biosample is not None and self.sra is not None:
            for line, values, _ in libraries:
                if values.get("sample_name") and values["sample_name"] not in samples:
                    self._unplaced(self.sra, f"Library '{values.get('library_ID', '')}' names sample "
                                   f"'{values['sample_name']}', which the BioSample sheet does not have", line)
        for name in (n for n in samples if n not in named):
            rows.append(self._row({"sample_name": name}, "", samples, attributes, accession))
            if self.sra is not None and self.biosample is not None:
                self._unplaced(self.biosample, f"BioSample '{name}' has no library in the SRA_data sheet; it "
                               "became a row without files", 0, Severity.INFO)

    def _idf(self, libraries: list[tuple[int, dict[str, str], list[str]]]) -> None:
        titles = {v.get("title", "") for _, v, _ in libraries} - {""}
        if len(titles) == 1:
            self.idf.set("Investigation Title", [titles.pop()])
        designs = [d for d in dict.fromkeys(v.get("design_description", "") for _, v, _ in libraries) if d]
        instruments = list(dict.fromkeys(v.get("instrument_model", "") for _, v, _ in libraries if
                                         v.get("instrument_model")))
        description = designs[0] if len(designs) == 1 else (
            "Library construction and sequencing as described per library (Comment[design description])")
        self.idf.set_records("protocol", [{
            "Protocol Name": SEQUENCING_PROTOCOL, "Protocol Type": "nucleic acid sequencing protocol",
            "Protocol Description": description, "Protocol Hardware": ", ".join(instruments)}])
