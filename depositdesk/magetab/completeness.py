"""Baseline completeness of a submission, checked whatever the target (MAGE-TAB 1.1, MINSEQE).

The grammar and the references between IDF and SDRF (`rules`) can all pass
on a submission no repository would take: rows whose samples have no names,
rows that reach no data file, no protocol, nobody to write to, no date the
data may become public. What every repository that reads MAGE-TAB asks for
(ArrayExpress's checker, the MINSEQE items of a sequencing submission; GEO
and SRA ask the same of their own sheets) is checked here:

- each row is a path from a source to a data file through *named* nodes
  (Source, Sample, Extract, Labeled Extract, Hybridization and Assay Name
  non-empty where the row has the column) and *protocols* (a Protocol REF with
  a value; that it names an IDF protocol is `rules`' SDRF-PROTOCOL-UNKNOWN);
- the IDF names a contact with an e-mail address, and a Public Release Date
  (unless it is an archive's copy of a released experiment, which carries
  its accession in ``Comment[ArrayExpressAccession]``);
- every row gives its organism, with its NCBI Taxonomy accession.

What a repository would reject is an error; the organism's missing accession
is a warning (GEO and SRA resolve the name themselves). When the person has
chosen target repositories (``.depositdesk/targets.json``), or a package is
built for one, those repositories' own requirements decide what is an error,
and what they do not ask for here (SRA asks for no protocol, GEO for no
release date in its sheet) stays on the list as a warning, never silent. Row
findings are capped per code by the caller's collector ("... and N more like
this").

``SDRF-TERM-NO-ACCESSION`` is raised by the window's cell checks (a term
label typed without its accession that names no single term of the column's
ontologies); it is declared here with the other completeness codes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf

PART = "magetab"
E, W = Severity.ERROR, Severity.WARNING

NAME_EMPTY = define(
    "SDRF-NAME-EMPTY", E, "A row has an empty Source, Sample, Extract or Assay Name",
    "Name every material and assay of every row: the names are what link a data file to its sample.",
    part=PART)
NO_PROTOCOL = define(
    "SDRF-NO-PROTOCOL", E, "A row names no protocol (no Protocol REF with a value)",
    "Add Protocol REF columns naming the IDF protocols that made the row's sample, library and data.",
    part=PART)
NO_DATA_FILE = define(
    "SDRF-NO-DATA-FILE", E, "A row names no data file",
    "Name the row's raw data file (Array Data File for sequencing reads), or remove the row.", part=PART)
NO_ORGANISM = define(
    "SDRF-NO-ORGANISM", E, "A row does not give its organism (Characteristics[organism])",
    "Add a Characteristics[organism] column and fill it for every row.", part=PART)
ORGANISM_NO_ACCESSION = define(
    "SDRF-ORGANISM-NO-ACCESSION", W, "An organism is given without its NCBI Taxonomy accession",
    "Choose the organism from the completion list: it fills Term Source REF (NCBITaxon) and Term "
    "Accession Number (NCBITaxon:...).", part=PART)
TERM_NO_ACCESSION = define(
    "SDRF-TERM-NO-ACCESSION", W,
    "A term has no accession, and its label does not name exactly one term of the column's ontologies",
    "Choose the term from the completion list, which fills its Term Source REF and Term Accession Number.",
    part=PART)
NO_CONTACT = define(
    "IDF-NO-CONTACT", E, "The IDF names no contact person with an e-mail address",
    "Add the submitter under People, with a Person Email a curator can write to.", part=PART)
NO_RELEASE_DATE = define(
    "IDF-NO-RELEASE-DATE", E, "The IDF has no Public Release Date",
    "Set the date the data may become public (YYYY-MM-DD); repositories keep the data private until then.",
    part=PART)

ARCHIVE_ACCESSION = "Comment[ArrayExpressAccession]"
NAMED_NODES = ("Source Name", "Sample Name", "Extract Name", "Labeled Extract Name", "Hybridization Name",
               "Assay Name")
"""Node columns whose cells must hold a name (Scan and Normalization Name may stay empty)."""


TARGETS_RECORD = Path(".depositdesk") / "targets.json"   # written by depositdesk.packaging.targets.base


def completeness_findings(idf: Idf, idf_name: str, sdrfs: list[tuple[Sdrf, str]],
                          at_most: Severity = E) -> list[Finding]:
    """Every completeness finding of the IDF and its SDRFs (each SDRF with the file name it is shown as).

    ``at_most``: WARNING when chosen targets decide what is an error (see above).
    """
    out = idf_completeness(idf, idf_name)
    for sdrf, name in sdrfs:
        out.extend(sdrf_completeness(sdrf, name))
    return [f if f.severity <= at_most else replace(f, severity=at_most) for f in out]


def has_chosen_targets(folder: Path) -> bool:
    """Whether the person chose target repositories for the project in ``folder``."""
    try:
        data = json.loads((Path(folder) / TARGETS_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and bool(data.get("targets"))


# --- the IDF ----------------------------------------------------------------------------------
def idf_completeness(idf: Idf, name: str) -> list[Finding]:
    out = []
    contact = _contact_finding(idf, name)
    if contact is not None:
        out.append(contact)
    if not idf.first("Public Release Date").strip() and not idf.first(ARCHIVE_ACCESSION).strip():
        out.append(finding(NO_RELEASE_DATE, location=Location(file=name, column_name="Public Release Date")))
    return out


def _contact_finding(idf: Idf, name: str) -> Finding | None:
    people = [p for p in idf.records("person") if any(v.strip() for v in p.values())]
    emails = [p["Person Email"].strip() for p in people]
    if any("@" in e for e in emails):
        return None
    where = Location(file=name, column_name="Person Email")
    if not people:
        return finding(NO_CONTACT, "The IDF names no person to contact", where)
    odd = [e for e in emails if e]
    if odd:
        return finding(NO_CONTACT, f"No person of the IDF has an e-mail address ('{odd[0]}' is not one)", where)
    return finding(NO_CONTACT, f"None of the {len(people)} person(s) of the IDF has a Person Email", where)


# --- the SDRF ---------------------------------------------------------------------------------
def sdrf_completeness(sdrf: Sdrf, name: str) -> list[Finding]:
    if not sdrf.rows:
        return []      # SDRF-EMPTY says it
    out = list(_names(sdrf, name))
    out.extend(_protocols(sdrf, name))
    out.extend(_data_files(sdrf, name))
    out.extend(_organism(sdrf, name))
    return out


def _cell(name: str, sdrf: Sdrf, r: int, c: int) -> Location:
    return Location(file=name, row=r + 1, column=c + 1, column_name=sdrf.header[c])


def _names(sdrf: Sdrf, name: str) -> Iterator[Finding]:
    columns = [c for c in sdrf.find_columns("node") if sdrf.column(c).name in NAMED_NODES]
    for r, row in enumerate(sdrf.rows):
        for c in columns:
            if not row[c].strip():
                node = sdrf.column(c).name
                yield finding(NAME_EMPTY, f"Row {r + 1} has no {node}", _cell(name, sdrf, r, c))


def _protocols(sdrf: Sdrf, name: str) -> Iterator[Finding]:
    columns = sdrf.find_columns("protocol_ref")
    if not columns:
        yield finding(NO_PROTOCOL, "The SDRF has no Protocol REF column: no row says how its samples and "
                      "data were made", Location(file=name))
        return
    for r, row in enumerate(sdrf.rows):
        if not any(row[c].strip() for c in columns):
            yield finding(NO_PROTOCOL, f"Row {r + 1} names no protocol", _cell(name, sdrf, r, columns[0]))


def _data_files(sdrf: Sdrf, name: str) -> Iterator[Finding]:
    columns = sdrf.find_columns("file")
    if not columns:
        yield finding(NO_DATA_FILE, "The SDRF has no data file column (Array Data File, Image File, "
                      "Comment[FASTQ_URI] ...): no row names its data", Location(file=name))
        return
    for r, row in enumerate(sdrf.rows):
        if not any(row[c].strip() for c in columns):
            yield finding(NO_DATA_FILE, f"Row {r + 1} names no data file", _cell(name, sdrf, r, columns[0]))


def _organism(sdrf: Sdrf, name: str) -> Iterator[Finding]:
    columns = sdrf.find_columns("characteristics", "organism")
    if not columns:
        yield finding(NO_ORGANISM, "The SDRF has no Characteristics[organism] column", Location(file=name))
        return
    c = columns[0]
    _, accession = sdrf.companions(c)
    if accession is None:
        yield finding(ORGANISM_NO_ACCESSION, f"{sdrf.header[c]} has no Term Accession Number column",
                      Location(file=name, column=c + 1, column_name=sdrf.header[c]))
    for r, row in enumerate(sdrf.rows):
        if not row[c].strip():
            yield finding(NO_ORGANISM, f"Row {r + 1} gives no organism", _cell(name, sdrf, r, c))
        elif accession is not None and not row[accession].strip():
            yield finding(ORGANISM_NO_ACCESSION, f"'{row[c].strip()}' has no Term Accession Number "
                          "(NCBITaxon:...)", _cell(name, sdrf, r, accession))
