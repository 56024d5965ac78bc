"""GEO high-throughput sequencing metadata workbooks of all three generations -> IDF + SDRF.

- current (Dec 2024): sheet ``Metadata`` with STUDY / SAMPLES / PROTOCOLS /
  PAIRED-END EXPERIMENTS, mandatory labels starting with ``*``; md5s in the
  ``MD5 Checksums`` sheet;
- 2021-2023: sheet ``2. Metadata Template`` (same sections, no ``*``, some
  labels end in "optional"); md5s in ``3. MD5 Checksums``;
- legacy: sheet ``METADATA TEMPLATE`` with SERIES / SAMPLES (``Sample name``,
  ``characteristics: X``) / PROTOCOLS / DATA PROCESSING PIPELINE /
  PROCESSED DATA FILES / RAW FILES / PAIRED-END EXPERIMENTS.

One SDRF row per SAMPLES row (one library). Labels are matched without their
``*``/``**`` marks, "optional" and case; every cell is read as text (a number
typed into the sheet comes back as typed, ``1.0`` stays ``1.0``). Whatever has
no place is reported (IMPORT-UNPLACED).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from depositdesk.findings import Finding, Location, Severity, finding
from depositdesk.imports import codes
from depositdesk.imports.isatab import Imported
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.targets import geo as geo_target

SECTIONS = ("STUDY", "SERIES", "SAMPLES", "PROTOCOLS", "DATA PROCESSING PIPELINE", "PROCESSED DATA FILES",
            "RAW FILES", "PAIRED-END EXPERIMENTS")
STUDY_FIELDS = {label: req.name for label, req in geo_target.STUDY_FIELDS.items()}
STUDY_FIELDS.update({"summary": "Experiment Description", "overall design": STUDY_FIELDS["experimental design"]})
"""GEO STUDY/SERIES label -> IDF field: the GEO target's own declaration, plus the legacy labels."""

SAMPLE_COLUMNS = {label: req.heading for label, req in geo_target.SAMPLE_COLUMNS.items()}
SAMPLE_COLUMNS.update({"sample name": SAMPLE_COLUMNS["library name"], "source name": "Characteristics[source name]",
                       "age": "Characteristics[age]", "sex": "Characteristics[sex]"})
"""GEO SAMPLES label -> SDRF heading: the GEO target's declaration (so a GEO package imports back to the
same cells), plus the legacy template's labels."""

PROTOCOL_NAMES = ("growth protocol", "treatment protocol", "extract protocol", "library construction protocol",
                  "data processing step")
IDF_COMMENTS = ("genome build/assembly", "genome build", "supplementary file")


def label_key(value: Any) -> str:
    """A template label as compared: no */** marks, no trailing 'optional', lower case, single spaces."""
    text = re.sub(r"\s+", " ", str(value or "")).strip().lstrip("*").strip()
    text = re.sub(r"\s+optional$", "", text, flags=re.IGNORECASE)
    return text.lower()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return repr(value)  # 1.0 as typed in the sheet, not 1
    return str(value).strip()


def metadata_sheet_name(names: list[str]) -> str | None:
    for name in names:
        if "metadata" in name.lower() and "example" not in name.lower():
            return name
    return None


def is_geo_workbook(path: Path) -> bool:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
        names = list(book.sheetnames)
        book.close()
    except Exception:  # not a workbook openpyxl can open: not a GEO one either
        return False
    return metadata_sheet_name(names) is not None


def read_workbook(path: Path) -> Imported:
    import openpyxl

    name = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet_name = metadata_sheet_name(book.sheetnames)
        if sheet_name is None:
            return Imported(Idf.blank(), [], [finding(codes.NOT_GEO, location=Location(file=name))])
        rows = [[_text(v) for v in row] for row in book[sheet_name].iter_rows(values_only=True)]
        md5s = _md5_sheet(book)
        book.close()
    except Exception as exc:  # a damaged workbook: one clear finding (openpyxl raises many kinds)
        return Imported(Idf.blank(), [], [finding(codes.NOT_GEO, f"The workbook cannot be read: "
                                                  f"{type(exc).__name__}: {exc}", Location(file=name))])
    return _Reader(name, sheet_name, rows, md5s).read()


def _md5_sheet(book: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for sheet in book.sheetnames:
        if "md5" not in sheet.lower():
            continue
        for row in book[sheet].iter_rows(values_only=True):
            cells = [_text(v) for v in row]
            for i, cell in enumerate(cells[:-1]):
                if cell and re.fullmatch(r"[0-9a-fA-F]{32}", cells[i + 1]):
                    found[cell] = cells[i + 1].lower()
    return found


class _Reader:
    def __init__(self, name: str, sheet: str, rows: list[list[str]], md5s: dict[str, str]) -> None:
        self.name, self.sheet, self.rows, self.md5s = name, sheet, rows, md5s
        self.idf = Idf.blank()
        self.findings: list[Finding] = []
        self.people: list[dict[str, str]] = []
        self.protocols: dict[str, list[str]] = {}
        self.header: list[str] = []
        self.samples: list[list[str]] = []
        self.paired: list[list[str]] = []
        self.strategy = ""

    def where(self, r: int) -> Location:
        return Location(file=f"{self.name} [{self.sheet}]", line=r + 1)

    def read(self) -> Imported:
        section = ""
        r = 0
        while r < len(self.rows):
            cells = self.rows[r]
            first = cells[0] if cells else ""
            if not first or first.startswith("#"):
                r += 1
                continue
            if first.strip().upper() in SECTIONS:
                section = first.strip().upper()
                r += 1
                if section in ("SAMPLES", "PAIRED-END EXPERIMENTS", "PROCESSED DATA FILES", "RAW FILES"):
                    r = self._table(section, r)
                continue
            self._labelled(section, label_key(first), [c for c in cells[1:] if c], r)
            r += 1
        return self._finish()

    def _labelled(self, section: str, label: str, values: list[str], r: int) -> None:
        if section in ("STUDY", "SERIES"):
            if label in STUDY_FIELDS:
                self.idf.set(STUDY_FIELDS[label], [" ".join(values)])
            elif label == "contributor":
                if values:
                    self.people.append(_person(values))
            elif label.startswith("supplementary file"):
                if values:
                    current = self.idf.get("Comment[supplementary file]")
                    self.idf.set("Comment[supplementary file]", [*current, *values])
            elif values:
                self._unplaced(label, values, r)
        elif section in ("PROTOCOLS", "DATA PROCESSING PIPELINE"):
            if label in PROTOCOL_NAMES or label.endswith("protocol"):
                if values:
                    self.protocols.setdefault(self._protocol_key(label), []).extend(values)
            elif label in IDF_COMMENTS or label in STUDY_FIELDS:
                if values and label in STUDY_FIELDS:
                    self.idf.set(STUDY_FIELDS[label], [" ".join(values)])
                elif values:
                    self.idf.set(f"Comment[{label}]", [" ".join(values)])
            elif label == "library strategy":  # 2021-2023: one strategy for the study, in PROTOCOLS
                if values:
                    self.strategy = values[0]
            elif values:
                self._unplaced(label, values, r)
        elif values:
            self._unplaced(label, values, r)

    def _protocol_key(self, label: str) -> str:
        """Each 'data processing step' line is a step of its own (GEO lists one per line); other
        protocol labels that repeat continue their protocol."""
        if label != "data processing step" or label not in self.protocols:
            return label
        n = 2
        while f"{label} {n}" in self.protocols:
            n += 1
        return f"{label} {n}"

    def _unplaced(self, label: str, values: list[str], r: int) -> None:
        self.findings.append(finding(codes.UNPLACED, f"'{label}' ({'; '.join(values)[:200]}) has no place in "
                                                     "the project", self.where(r)))

    def _table(self, section: str, r: int) -> int:
        while r < len(self.rows) and (not self.rows[r] or not self.rows[r][0] or self.rows[r][0].startswith("#")):
            r += 1
        if r >= len(self.rows):
            return r
        header = [label_key(c) for c in self.rows[r]]
        width = max((i + 1 for i, h in enumerate(header) if h), default=0)
        header = header[:width]
        r += 1
        body: list[list[str]] = []
        while r < len(self.rows):
            cells = (self.rows[r] + [""] * width)[:width]
            first = self.rows[r][0] if self.rows[r] else ""
            if first.strip().upper() in SECTIONS:
                break
            if any(cells) and not first.startswith("#"):
                body.append(cells)
            elif not any(cells) and body:
                break
            r += 1
        if section == "SAMPLES":
            self.header, self.samples = header, body
        elif section == "PAIRED-END EXPERIMENTS":
            self.paired = body
        else:  # legacy PROCESSED DATA FILES / RAW FILES: file name, file type, file checksum ...
            for row in body:
                md5 = next((c.lower() for c in row[1:] if re.fullmatch(r"[0-9a-fA-F]{32}", c)), "")
                if row[0] and md5:
                    self.md5s.setdefault(row[0], md5)
        return r

    def _finish(self) -> Imported:
        if not self.header:
            self.findings.append(finding(codes.NOT_GEO, "No SAMPLES table was found in the workbook",
                                         Location(file=self.name)))
            return Imported(self.idf, [], self.findings)
        if self.people:
            self.idf.set_records("person", self.people)
        names = list(self.protocols)
        if self.strategy and "library strategy" not in self.header:
            self.header.append("library strategy")
            self.samples = [[*row, self.strategy] for row in self.samples]
        self.idf.set_records("protocol", [{"Protocol Name": n, "Protocol Type": _protocol_type(n),
                                           "Protocol Description": " ".join(self.protocols[n])} for n in names])
        self._rows_from_pairs()
        sdrf = self._sdrf(names)
        sdrf.path = Path(f"{Path(self.name).stem}.sdrf.txt")
        self.idf.set("SDRF File", [sdrf.path.name])
        files = [row[c] for c in sdrf.find_columns("file") for row in sdrf.rows if row[c]]
        return Imported(self.idf, [sdrf], self.findings, list(dict.fromkeys(files)))

    def _sdrf(self, protocols: list[str]) -> Sdrf:
        headings: list[str] = []
        sources: list[int] = []
        for c, label in enumerate(self.header):
            heading = _sample_heading(label)
            if heading is None:
                if any(row[c] for row in self.samples):
                    self._unplaced(f"SAMPLES column '{label}'", sorted({row[c] for row in self.samples if row[c]}),
                                   0)
                continue
            headings.append(heading)
            sources.append(c)
        library = headings.index("Assay Name") if "Assay Name" in headings else None
        if library is not None:  # the library name names the source too: an SDRF row starts at a Source Name
            headings.insert(0, "Source Name")
            sources.insert(0, sources[library])
        order = sorted(range(len(headings)), key=lambda i: _rank(headings[i]))
        header: list[str] = []
        picks: list[int | None] = []
        for i in order:
            if _rank(headings[i]) >= 3 and "Protocol REF" not in header and protocols:
                header.extend(["Protocol REF"] * len(protocols))
                picks.extend([None] * len(protocols))
            header.append(headings[i])
            picks.append(sources[i])
            if headings[i].endswith("Data File"):
                header.append("Comment[MD5]")
                picks.append(-1 - sources[i])
        rows: list[list[str]] = []
        for row in self.samples:
            out: list[str] = []
            proto = iter(protocols)
            for pick in picks:
                if pick is None:
                    out.append(next(proto, ""))
                elif pick < 0:
                    out.append(self.md5s.get(row[-1 - pick], ""))
                else:
                    out.append(row[pick])
            rows.append(out)
        return _without_empty_files(header, rows)

    def _rows_from_pairs(self) -> None:
        """Files listed only under PAIRED-END EXPERIMENTS become rows of their own (no sample values yet)."""
        raw = [c for c, label in enumerate(self.header) if label == "raw file"]
        listed = {row[c] for row in self.samples for c in raw if row[c]}
        alone = [[f for f in pair if f] for pair in self.paired if not any(f in listed for f in pair if f)]
        alone = [pair for pair in alone if pair]
        if not alone:
            return
        if len(raw) < max(len(pair) for pair in alone):
            self.findings.append(finding(codes.UNPLACED, "PAIRED-END EXPERIMENTS lists more files per pair than "
                                                         "the SAMPLES table has raw file columns",
                                         Location(file=self.name)))
            return
        for pair in alone:
            row = [""] * len(self.header)
            for c, name in zip(raw, pair, strict=False):
                row[c] = name
            self.samples.append(row)
        self.findings.append(finding(
            codes.UNPLACED, f"{len(alone):,} file pair(s) are listed only under PAIRED-END EXPERIMENTS; "
                            "each became a row with its files and no sample values", Location(file=self.name),
            suggestion="Fill the sample values of these rows (library name, organism, ...).",
            severity=Severity.INFO))


def _without_empty_files(header: list[str], rows: list[list[str]]) -> Sdrf:
    """The SDRF without the file columns (and their md5 columns) that no row fills: the template's
    spare 'raw file' columns are not files the project names."""
    drop: set[int] = set()
    for c, heading in enumerate(header):
        if heading.endswith("Data File") and not any(row[c].strip() for row in rows):
            drop.add(c)
            if c + 1 < len(header) and header[c + 1] == "Comment[MD5]":
                drop.add(c + 1)
    keep = [c for c in range(len(header)) if c not in drop]
    return Sdrf([header[c] for c in keep], [[row[c] for c in keep] for row in rows])


def _sample_heading(label: str) -> str | None:
    if label in SAMPLE_COLUMNS:
        return SAMPLE_COLUMNS[label]
    if label.startswith("characteristics:"):
        return f"Characteristics[{label.split(':', 1)[1].strip()}]"
    return None


def _rank(heading: str) -> int:
    """Column order of the SDRF: source, characteristics, comments, the library (Assay Name), files."""
    order = ("Source Name", "Characteristics", "Comment", "Description", "Parameter Value", "Assay Name",
             "Array Data File", "Derived Array Data File")
    return next((i for i, start in enumerate(order) if heading.startswith(start)), len(order))


def _protocol_type(label: str) -> str:
    """The IDF Protocol Type the GEO target reads as this GEO protocol label (the label itself otherwise)."""
    accepted = geo_target.PROTOCOL_TYPES.get(re.sub(r" \d+$", "", label))
    return accepted[1][0] if accepted else label


def _person(values: list[str]) -> dict[str, str]:
    """GEO contributors: 'First,Middle,Last' (current templates) or 'First M Last' (legacy)."""
    text = " ".join(values)
    parts = [p.strip() for p in text.split(",")] if "," in text else text.split()
    parts = [p for p in parts if p]
    if len(parts) == 1:
        return {"Person Last Name": parts[0]}
    return {"Person First Name": parts[0], "Person Last Name": parts[-1],
            "Person Mid Initials": " ".join(parts[1:-1])}
