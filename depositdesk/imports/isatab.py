"""ISA-Tab investigation (i_*.txt + s_*.txt + a_*.txt) -> one IDF and one SDRF per assay.

The investigation file is a list of labelled lines in sections (ONTOLOGY SOURCE
REFERENCE, INVESTIGATION, ... STUDY PROTOCOLS, STUDY CONTACTS; a STUDY section
starts each study). Each line is placed by `LABELS` on an IDF field; Comment[x]
lines become Comment[x] lines; anything else is reported (IMPORT-UNPLACED),
never dropped silently. People, publications, protocols, factors and term
sources of all studies are appended, people and protocols once each.

Each assay table is joined to its study table on Sample Name: the SDRF row is
the study row's columns followed by the assay row's columns after its Sample
Name. A study sample no assay uses becomes a row of its own (a note says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from depositdesk.findings import Finding, Location, finding
from depositdesk.imports import codes
from depositdesk.magetab import codes as magetab_codes
from depositdesk.magetab.idf import IDF_SECTIONS, Idf
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.magetab.textio import read_table

SECTIONS = {
    "ONTOLOGY SOURCE REFERENCE", "INVESTIGATION", "INVESTIGATION PUBLICATIONS", "INVESTIGATION CONTACTS",
    "STUDY", "STUDY DESIGN DESCRIPTORS", "STUDY PUBLICATIONS", "STUDY FACTORS", "STUDY ASSAYS",
    "STUDY PROTOCOLS", "STUDY CONTACTS",
}

SOURCE_NOTES = (magetab_codes.QUOTED, magetab_codes.TRAILING_TABS, magetab_codes.LINE_ENDINGS)
"""Notes about how the source file was written: true of ISA-Tab as of any tab file, and gone once imported."""

_PERSON = {
    "Last Name": "Person Last Name", "First Name": "Person First Name", "Mid Initials": "Person Mid Initials",
    "Email": "Person Email", "Phone": "Person Phone", "Fax": "Person Fax", "Address": "Person Address",
    "Affiliation": "Person Affiliation", "Roles": "Person Roles",
    "Roles Term Accession Number": "Person Roles Term Accession Number",
    "Roles Term Source REF": "Person Roles Term Source REF",
}
_PUBLICATION = {
    "PubMed ID": "PubMed ID", "Publication DOI": "Publication DOI",
    "Publication Author List": "Publication Author List", "Publication Title": "Publication Title",
    "Publication Status": "Publication Status",
    "Publication Status Term Accession Number": "Publication Status Term Accession Number",
    "Publication Status Term Source REF": "Publication Status Term Source REF",
}

# ISA label -> (IDF section or "" for a single-valued field, IDF field)
LABELS: dict[str, tuple[str, str]] = {
    "Term Source Name": ("term_source", "Term Source Name"),
    "Term Source File": ("term_source", "Term Source File"),
    "Term Source Version": ("term_source", "Term Source Version"),
    "Term Source Description": ("term_source", "Comment[Term Source Description]"),
    "Investigation Identifier": ("", "Comment[ISA Investigation Identifier]"),
    "Investigation Title": ("", "Investigation Title"),
    "Investigation Description": ("", "Experiment Description"),
    "Investigation Submission Date": ("", "Comment[Submission Date]"),
    "Investigation Public Release Date": ("", "Public Release Date"),
    "Study Identifier": ("", "Comment[ISA Study Identifier]"),
    "Study Title": ("", "Investigation Title"),
    "Study Description": ("", "Experiment Description"),
    "Study Submission Date": ("", "Comment[Submission Date]"),
    "Study Public Release Date": ("", "Public Release Date"),
    "Study File Name": ("", ""),  # read, not copied: the study table becomes SDRF columns
    "Study Design Type": ("design", "Experimental Design"),
    "Study Design Type Term Accession Number": ("design", "Experimental Design Term Accession Number"),
    "Study Design Type Term Source REF": ("design", "Experimental Design Term Source REF"),
    "Study Factor Name": ("experimental_factor", "Experimental Factor Name"),
    "Study Factor Type": ("experimental_factor", "Experimental Factor Type"),
    "Study Factor Type Term Accession Number": ("experimental_factor", "Experimental Factor Term Accession Number"),
    "Study Factor Type Term Source REF": ("experimental_factor", "Experimental Factor Term Source REF"),
    "Study Assay File Name": ("", ""),
    "Study Assay Measurement Type": ("assay", "Comment[Study Assay Measurement Type]"),
    "Study Assay Measurement Type Term Accession Number": ("assay", "Comment[Study Assay Measurement Type Term Accession Number]"),
    "Study Assay Measurement Type Term Source REF": ("assay", "Comment[Study Assay Measurement Type Term Source REF]"),
    "Study Assay Technology Type": ("assay", "Comment[Study Assay Technology Type]"),
    "Study Assay Technology Type Term Accession Number": ("assay", "Comment[Study Assay Technology Type Term Accession Number]"),
    "Study Assay Technology Type Term Source REF": ("assay", "Comment[Study Assay Technology Type Term Source REF]"),
    "Study Assay Technology Platform": ("assay", "Comment[Study Assay Technology Platform]"),
    "Study Protocol Name": ("protocol", "Protocol Name"),
    "Study Protocol Type": ("protocol", "Protocol Type"),
    "Study Protocol Type Term Accession Number": ("protocol", "Protocol Term Accession Number"),
    "Study Protocol Type Term Source REF": ("protocol", "Protocol Term Source REF"),
    "Study Protocol Description": ("protocol", "Protocol Description"),
    "Study Protocol URI": ("protocol", "Comment[Protocol URI]"),
    "Study Protocol Version": ("protocol", "Comment[Protocol Version]"),
    "Study Protocol Parameters Name": ("protocol", "Protocol Parameters"),
    "Study Protocol Components Name": ("protocol", "Protocol Hardware"),
}
for _isa, _idf in _PERSON.items():
    LABELS[f"Investigation Person {_isa}"] = ("person", _idf)
    LABELS[f"Study Person {_isa}"] = ("person", _idf)
for _isa, _idf in _PUBLICATION.items():
    LABELS[f"Investigation {_isa}"] = ("publication", _idf)
    LABELS[f"Study {_isa}"] = ("publication", _idf)


@dataclass
class Imported:
    """What an import made: the documents of a new project and what could not be placed."""

    idf: Idf
    sdrfs: list[Sdrf]
    findings: list[Finding] = field(default_factory=list)
    data_files: list[str] = field(default_factory=list)


@dataclass
class _Study:
    file: str = ""
    assays: list[str] = field(default_factory=list)


class _Collector:
    """Records per multi-valued section (one dict per position) and single fields, as read."""

    def __init__(self) -> None:
        self.single: dict[str, str] = {}
        self.blocks: dict[str, list[dict[str, str]]] = {}
        self.block_rows: dict[str, list[dict[str, str]]] = {}

    def start_block(self) -> None:
        for section, rows in self.block_rows.items():
            self.blocks.setdefault(section, []).extend(rows)
        self.block_rows = {}

    def put(self, section: str, name: str, values: list[str]) -> None:
        if not section:
            value = next((v for v in values if v.strip()), "")
            if value and not self.single.get(name):
                self.single[name] = value
            elif value and name == "Experiment Description" and value not in self.single[name]:
                self.single[name] += "\n\n" + value
            return
        rows = self.block_rows.setdefault(section, [])
        while len(rows) < len(values):
            rows.append({})
        for i, value in enumerate(values):
            rows[i][name] = value


def read_investigation(path: Path) -> Imported:
    """The IDF and SDRFs of an ISA-Tab investigation file and the tables beside it."""
    table = read_table(path)
    name = path.name
    rows = [(r, line) for r, line in zip(table.rows, table.lines, strict=False) if r and r[0].strip()]
    if not rows or rows[0][0][0].strip().upper() not in ("ONTOLOGY SOURCE REFERENCE", "INVESTIGATION"):
        return Imported(Idf.blank(), [], [finding(codes.NOT_ISATAB, location=Location(file=name, line=1))])
    collected = _Collector()
    studies: list[_Study] = []
    out: list[Finding] = [f for f in table.findings if f.code not in SOURCE_NOTES]
    for cells, line in rows:
        label, values = cells[0].strip(), [v.strip() for v in cells[1:]]
        _read_line(label, values, line, name, collected, studies, out)
    collected.start_block()
    idf = _make_idf(collected)
    sdrfs, files = _tables(path.parent, studies, out)
    idf.set("SDRF File", [s.path.name for s in sdrfs if s.path is not None])
    return Imported(idf, sdrfs, out, files)


def _read_line(label: str, values: list[str], line: int, name: str, collected: _Collector,
               studies: list[_Study], out: list[Finding]) -> None:
    upper = label.upper()
    if upper in SECTIONS and label == upper:
        if upper == "STUDY":
            studies.append(_Study())
        collected.start_block()
        return
    if label == "Study File Name" and studies:
        studies[-1].file = next((v for v in values if v), "")
    if label == "Study Assay File Name" and studies:
        studies[-1].assays = [v for v in values if v]
    if label.lower().startswith("comment["):
        inner = label[label.index("[") + 1:].rstrip("]").strip()
        collected.put("", f"Comment[{inner}]", values)
        return
    placed = LABELS.get(label)
    if placed is None and label.startswith("Study Protocol "):  # components, parameter terms: kept as comments
        placed = ("protocol", f"Comment[Protocol {label.removeprefix('Study Protocol ')}]")
    if placed is None:
        if any(v.strip("; ") for v in values):
            out.append(finding(codes.UNPLACED, f"'{label}' ({'; '.join(v for v in values if v)}) has no "
                                               "IDF field", Location(file=name, line=line)))
        return
    section, field_name = placed
    if field_name:
        collected.put(section, field_name, values)


def _make_idf(collected: _Collector) -> Idf:
    idf = Idf.blank()
    for field_name, value in collected.single.items():
        idf.set(field_name, [value])
    for section, records in collected.blocks.items():
        records = [r for r in records if any(v.strip() for v in r.values())]
        if section in ("person", "protocol"):
            records = _once(records, "Person Last Name" if section == "person" else "Protocol Name")
        if section in IDF_SECTIONS:
            idf.set_records(section, records)
            for extra in sorted({k for r in records for k in r} - set(IDF_SECTIONS[section])):
                idf.set(extra, [r.get(extra, "") for r in records])
        elif records:  # design and assay lines: plain parallel fields
            for key in dict.fromkeys(k for r in records for k in r):
                idf.set(key, [r.get(key, "") for r in records])
    return idf


def _once(records: list[dict[str, str]], key: str) -> list[dict[str, str]]:
    seen: dict[tuple[str, ...], dict[str, str]] = {}
    for record in records:
        ident = (record.get(key, ""), record.get("Person First Name", ""), record.get("Person Email", ""))
        seen.setdefault(ident, record)
    return list(seen.values())


def _tables(folder: Path, studies: list[_Study], out: list[Finding]) -> tuple[list[Sdrf], list[str]]:
    sdrfs: list[Sdrf] = []
    for study in studies:
        study_table = _read(folder, study.file, out)
        if study_table is None:
            continue
        header, rows = study_table
        used: set[int] = set()
        for assay_name in study.assays:
            assay_table = _read(folder, assay_name, out)
            if assay_table is None:
                continue
            sdrf = _join(header, rows, assay_table, assay_name, used, out)
            sdrf.path = Path(_sdrf_name(study.file, assay_name))
            sdrfs.append(sdrf)
        unused = [row for i, row in enumerate(rows) if i not in used]
        if unused and sdrfs:
            target = sdrfs[-1]
            width = len(target.header)
            for row in unused:
                target.rows.append(row + [""] * (width - len(row)))
            out.append(finding(codes.SAMPLE_WITHOUT_ASSAY, f"{len(unused):,} sample(s) of {study.file} "
                                                           "are used by no assay", Location(file=study.file)))
        elif not sdrfs and rows:
            sdrf = Sdrf(header, rows)
            sdrf.path = Path(_sdrf_name(study.file, ""))
            sdrfs.append(sdrf)
    files = [row[c] for s in sdrfs for c in s.find_columns("file") for row in s.rows if row[c].strip()]
    return sdrfs, list(dict.fromkeys(files))


def _read(folder: Path, name: str, out: list[Finding]) -> tuple[list[str], list[list[str]]] | None:
    path = folder / name
    if not name or not path.is_file():
        out.append(finding(codes.MISSING_TABLE, f"'{name}' is named in the investigation but is not in "
                                                f"{folder}", Location(file=name or None)))
        return None
    table = read_table(path)
    out.extend(f for f in table.findings if f.code not in SOURCE_NOTES)
    if not table.rows:
        return None
    header = [h.strip() for h in table.rows[0]]
    width = len(header)
    rows = [[c.strip() for c in (r + [""] * (width - len(r)))[:width]] for r in table.rows[1:]]
    return header, rows


def _join(study_header: list[str], study_rows: list[list[str]], assay: tuple[list[str], list[list[str]]],
          assay_name: str, used: set[int], out: list[Finding]) -> Sdrf:
    assay_header, assay_rows = assay
    s_at = _sample_column(study_header)
    a_at = _sample_column(assay_header)
    by_sample: dict[str, list[int]] = {}
    for i, row in enumerate(study_rows):
        by_sample.setdefault(row[s_at] if s_at is not None else "", []).append(i)
    keep = [c for c in range(len(assay_header)) if c != a_at]
    header = study_header + [assay_header[c] for c in keep]
    joined: list[list[str]] = []
    for r, row in enumerate(assay_rows):
        sample = row[a_at] if a_at is not None else ""
        tail = [row[c] for c in keep]
        matches = by_sample.get(sample, [])
        if not matches:
            out.append(finding(codes.UNMATCHED_SAMPLE, f"Sample Name '{sample}' of {assay_name} is not in the "
                                                       "study file", Location(file=assay_name, line=r + 2)))
            blank = [""] * len(study_header)
            if s_at is not None:
                blank[s_at] = sample
            joined.append(blank + tail)
            continue
        used.update(matches)
        joined.append(study_rows[matches[0]] + tail)
    return Sdrf(header, joined)


def _sample_column(header: list[str]) -> int | None:
    for c, heading in enumerate(header):
        if heading.replace(" ", "").lower() == "samplename":
            return c
    return None


def _sdrf_name(study_file: str, assay_file: str) -> str:
    study = Path(study_file).stem.removeprefix("s_") or "study"
    assay = Path(assay_file).stem.removeprefix("a_") if assay_file else ""
    return f"{study}.{assay}.sdrf.txt" if assay else f"{study}.sdrf.txt"
