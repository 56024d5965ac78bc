"""GEO (Gene Expression Omnibus), high-throughput sequencing: the Dec 2024 metadata template as data.

Where each GEO field comes from in the IDF/SDRF is declared here, once, so the check and the
package builder read the same mapping:

- STUDY (`STUDY_FIELDS`): GEO label -> IDF field. "contributor" rows are made from the IDF persons
  ("First, M, Last"), checked by `contributor_findings`.
- SAMPLES (`SAMPLE_COLUMNS`): GEO label -> SDRF heading. One GEO sample row per library (Assay
  Name); an SDRF repeats a library on several rows (one per derived file), which is not a duplicate.
- PROTOCOLS (`PROTOCOL_TYPES`): GEO label -> the IDF Protocol Types that supply it;
  "genome build/assembly" from the SDRF (`GENOME_BUILD_HEADINGS`) or the IDF.
- PAIRED-END EXPERIMENTS: a library marked paired-end needs at least two raw files.

'*' is mandatory, '**' at least one of the group (tissue / cell line / cell type), as the
template marks them. Vocabularies are the template's drop-downs (`_geo_terms`).
"""

from __future__ import annotations

from dataclasses import dataclass

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets import _geo_terms as terms
from depositdesk.packaging.targets.base import (
    ColumnRequirement,
    FieldRequirement,
    Target,
    column_index,
    heading_key,
    register,
)

SOURCE = "GEO HTS metadata template seq_template, last updated by GEO on Dec 17, 2024"
PART = "targets/geo"

PROTOCOL_MISSING = define(
    "GEO-PROTOCOL-MISSING", Severity.ERROR, "A protocol GEO requires is not described in the IDF",
    "Add a protocol of that type (Protocol Name, Protocol Type, Protocol Description) in the IDF.",
    part=PART)
GENOME_BUILD = define(
    "GEO-GENOME-BUILD", Severity.ERROR, "GEO requires the genome build/assembly, and none is given",
    "Add a 'Parameter Value[genome assembly]' column (e.g. dm6, GRCh38) to the alignment step, "
    "or an IDF line 'Comment[genome build/assembly]'.", part=PART)
CONTRIBUTOR = define(
    "GEO-CONTRIBUTOR", Severity.ERROR, "A contributor's name cannot be written in GEO's form 'Firstname, I, Lastname'",
    "Give each person a first and a last name, without commas inside either.", part=PART)
NOT_UNIQUE = "GEO-NOT-UNIQUE"
"""The declared 'unique' check's code (`register` defines it): also that of `raw_file_findings`."""
PAIRED_FILES = define(
    "GEO-PAIRED-FILES", Severity.ERROR, "A paired-end library lists fewer than two raw files",
    "List both read files of each paired-end run (one per row or in raw file columns), "
    "or mark the library 'single'.", part=PART)

STUDY_FIELDS: dict[str, FieldRequirement] = {
    "title": FieldRequirement("Investigation Title", "*title", max_length=255),
    "summary (abstract)": FieldRequirement("Experiment Description", "*summary (abstract)"),
    "experimental design": FieldRequirement("Comment[Experimental Design Description]", "*experimental design"),
    "processed data files format and content": FieldRequirement(
        "Comment[processed data files format and content]", "*processed data files format and content"),
}

TISSUE_GROUP = "tissue / cell line / cell type"
SAMPLE_COLUMNS: dict[str, ColumnRequirement] = {
    "library name": ColumnRequirement("Assay Name", "*library name", unique=True, ascii_only=True),
    "title": ColumnRequirement("Comment[title]", "*title", unique=True, max_length=120),
    "library strategy": ColumnRequirement("Comment[library strategy]", "*library strategy",
                                          vocabulary=terms.LIBRARY_STRATEGIES),
    "organism": ColumnRequirement("Characteristics[organism]", "*organism"),
    "tissue": ColumnRequirement("Characteristics[organism part]", "**tissue", one_of_group=TISSUE_GROUP),
    "cell line": ColumnRequirement("Characteristics[cell line]", "**cell line", one_of_group=TISSUE_GROUP,
                                   ascii_only=True),
    "cell type": ColumnRequirement("Characteristics[cell type]", "**cell type", one_of_group=TISSUE_GROUP,
                                   ascii_only=True),
    "genotype": ColumnRequirement("Characteristics[genotype]", "genotype", required=False, ascii_only=True),
    "strain": ColumnRequirement("Characteristics[strain]", "strain", required=False, ascii_only=True),
    "developmental stage": ColumnRequirement("Characteristics[developmental stage]", "developmental stage",
                                             required=False, ascii_only=True),
    "treatment": ColumnRequirement("Characteristics[treatment]", "treatment", required=False),
    "batch": ColumnRequirement("Characteristics[batch]", "batch", required=False),
    "molecule": ColumnRequirement("Comment[molecule]", "*molecule", vocabulary=terms.MOLECULES),
    "single or paired-end": ColumnRequirement("Comment[single or paired-end]", "*single or paired-end",
                                              vocabulary=terms.LAYOUTS),
    "instrument model": ColumnRequirement("Parameter Value[instrument model]", "*instrument model",
                                          vocabulary=terms.INSTRUMENT_MODELS),
    "description": ColumnRequirement("Description", "description", required=False),
    "processed data file": ColumnRequirement("Derived Array Data File", "processed data file", required=False),
    "raw file": ColumnRequirement("Array Data File", "*raw file", unique=True),
}

PROTOCOL_TYPES: dict[str, tuple[bool, tuple[str, ...]]] = {
    # GEO label -> (mandatory, IDF Protocol Type values that supply it; compared case-insensitively)
    "growth protocol": (False, ("growth protocol",)),
    "treatment protocol": (False, ("treatment protocol",)),
    "extract protocol": (True, ("nucleic acid extraction protocol", "extraction protocol",
                                "nucleic acid extraction")),
    "library construction protocol": (True, ("nucleic acid library construction protocol",
                                             "library construction protocol", "library preparation")),
    "data processing step": (True, ("normalization data transformation protocol", "data transformation protocol",
                                    "high throughput sequence alignment protocol", "data processing protocol",
                                    "bioinformatics protocol")),
}
GENOME_BUILD_HEADINGS = ("Parameter Value[genome assembly]", "Comment[genome build]",
                         "Parameter Value[genome build]")
GENOME_BUILD_FIELD = "Comment[genome build/assembly]"
RAW_FILE_HEADINGS = ("Array Data File", "Comment[SUBMITTED_FILE_NAME]", "Comment[FASTQ_URI]")


def protocol_findings(project: Project) -> list[Finding]:
    types = {t.strip().lower() for t in project.idf.get("Protocol Type")}
    where = Location(file=project.idf_path.name, column_name="Protocol Type")
    return [finding(PROTOCOL_MISSING, f"GEO requires '*{label}': no IDF protocol of type "
                    + " / ".join(f"'{t}'" for t in accepted), where)
            for label, (mandatory, accepted) in PROTOCOL_TYPES.items()
            if mandatory and not types & set(accepted)]


def genome_build_findings(project: Project) -> list[Finding]:
    if project.idf.first(GENOME_BUILD_FIELD).strip():
        return []
    keys = {heading_key(h) for h in GENOME_BUILD_HEADINGS}
    for sdrf in project.sdrfs:
        cols = [c for k, cs in column_index(sdrf).items() if k in keys for c in cs]
        if any(row[c].strip() for row in sdrf.rows for c in cols):
            return []
    return [finding(GENOME_BUILD, location=Location(file=project.idf_path.name, column_name=GENOME_BUILD_FIELD))]


def contributor_findings(project: Project) -> list[Finding]:
    out: list[Finding] = []
    name = project.idf_path.name
    for i, person in enumerate(project.idf.records("person"), start=1):
        first, last = person["Person First Name"].strip(), person["Person Last Name"].strip()
        if not (first or last):
            continue
        mid = person["Person Mid Initials"].strip()
        if not first or not last or "," in first + last + mid:
            out.append(finding(CONTRIBUTOR, f"person {i} ('{(first + ' ' + last).strip()}') cannot be written as "
                               "'Firstname, I, Lastname'",
                               Location(file=name, column=i + 1, column_name="Person Last Name")))
    return out


def paired_findings(project: Project) -> list[Finding]:
    out: list[Finding] = []
    for sdrf in project.sdrfs:
        index = column_index(sdrf)
        layout = index.get(heading_key(SAMPLE_COLUMNS["single or paired-end"].heading), [])
        assay = index.get(heading_key("Assay Name"), [])
        raw = [c for h in RAW_FILE_HEADINGS for c in index.get(heading_key(h), [])]
        if not layout or not assay:
            continue
        files: dict[str, set[str]] = {}
        first_row: dict[str, int] = {}
        for r, row in enumerate(sdrf.rows, start=1):
            if row[layout[0]].strip() != "paired-end":
                continue
            library = row[assay[0]].strip()
            first_row.setdefault(library, r)
            files.setdefault(library, set()).update(row[c].strip() for c in raw if row[c].strip())
        name = sdrf.path.name if sdrf.path is not None else "SDRF"
        out.extend(finding(PAIRED_FILES, f"paired-end library '{lib}' lists {len(found)} raw file(s)",
                           Location(file=name, row=first_row[lib], column=layout[0] + 1,
                                    column_name=sdrf.header[layout[0]]))
                   for lib, found in files.items() if len(found) < 2)
    return out


@dataclass(frozen=True)
class _RawName:
    """Where a raw file name first appears: the SDRF, row and column, its library and place among the row's files."""

    sdrf: int
    row: int
    column: int
    library: str
    place: int


def _raw_name_clash(name: str, here: _RawName, first: _RawName, heading: str, file: str) -> Finding:
    return finding(NOT_UNIQUE, f"raw file '{name}' is named again in '{heading}' (library '{here.library}', "
                   f"file {here.place + 1} of its row); it is already file {first.place + 1} of library "
                   f"'{first.library}' (row {first.row})",
                   Location(file=file, row=here.row, column=here.column + 1, column_name=heading))


def raw_file_findings(project: Project) -> list[Finding]:
    """GEO's "raw file entries must be unique", across columns: a raw file named by two libraries, or as two
    different files (R1 of one row, R2 of another; two file columns of one row). A name repeated in the
    same column is the declared 'unique' check's (not reported twice); a library repeated on several rows
    with the same files, or one file named in two kinds of column of a row (Array Data File and
    Comment[SUBMITTED_FILE_NAME]), is one file."""
    out: list[Finding] = []
    seen: dict[str, _RawName] = {}
    for s, sdrf in enumerate(project.sdrfs):
        index = column_index(sdrf)
        assay = index.get(heading_key("Assay Name"), [])
        kinds = [(c, heading_key(h)) for h in RAW_FILE_HEADINGS for c in index.get(heading_key(h), [])]
        kinds.sort()
        file = sdrf.path.name if sdrf.path is not None else "SDRF"
        for r, row in enumerate(sdrf.rows, start=1):
            library = row[assay[0]].strip() if assay else ""
            if not library:
                continue
            places: dict[str, tuple[int, str]] = {}     # name -> (its place in this row, its column kind)
            for c, kind in kinds:
                name = row[c].strip()
                if not name:
                    continue
                here = _RawName(s, r, c, library, places.get(name, (len(places), kind))[0])
                if name in places:
                    if places[name][1] == kind:          # the same file twice in one kind of column
                        out.append(_raw_name_clash(name, here, seen.get(name, here), sdrf.header[c], file))
                    continue
                places[name] = (here.place, kind)
                first = seen.setdefault(name, here)
                if (first.sdrf, first.column) == (s, c) or (first.library, first.place) == (library, here.place):
                    continue
                out.append(_raw_name_clash(name, here, first, sdrf.header[c], file))
    return out


TARGET = register(Target(
    name="geo",
    title="GEO",
    source=SOURCE,
    fields=tuple(STUDY_FIELDS.values()),
    columns=tuple(SAMPLE_COLUMNS.values()),
    rules=(protocol_findings, genome_build_findings, contributor_findings, paired_findings, raw_file_findings,
           *PUBLIC_TARGET_RULES),
    transport="ftp",
))
