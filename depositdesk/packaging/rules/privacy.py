"""Privacy before a public target: HIPAA Safe Harbor identifiers, and human reads.

Scanned: SDRF cells, SDRF column names and the names of data files. The IDF is not scanned: its
contacts (names, e-mails, addresses of the submitters) are meant to be public.

Safe Harbor (45 CFR 164.514(b)(2)) lists 18 identifiers; those that can be recognised in metadata
are checked: names (column names, name-like donor cells), dates finer than the year for an
individual (birth, death, admission, collection ...), ages over 89, telephone/fax numbers, e-mail
addresses, street addresses and ZIP codes, social security / medical record / health plan /
account numbers, IP addresses. Dates and ages only count in rows of human samples (organism Homo
sapiens, or no organism column).

A human individual-level data set (Homo sapiens rows with FASTQ, BAM or CRAM files) headed to a
public repository is an error pointing to controlled access (dbGaP, EGA): `findings` is for
public targets, `safe_harbor_findings` for any target.
"""

from __future__ import annotations

import re

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.rules import codes
from depositdesk.packaging.rules._where import (
    cell,
    column_counts,
    named_files,
    rows_with,
    sdrf_name,
    shared,
)
from depositdesk.packaging.rules._where import (
    column as column_cells,
)

# words in a column's name that say it holds a Safe Harbor identifier
PHI_COLUMN_WORDS = (
    "patient name", "donor name", "subject name", "first name", "last name", "surname", "full name",
    "given name", "family name", "initials", "medical record", "mrn", "social security", "ssn",
    "health plan", "insurance", "account number", "licen", "vehicle", "phone", "telephone", "fax",
    "e-mail", "email", "street", "address", "zip", "postal code", "postcode", "ip address", "url",
    "date of birth", "birth date", "birthdate", "dob",
)
INDIVIDUAL_WORDS = ("individual", "donor", "patient", "subject", "participant", "person")
DATE_WORDS = ("birth", "death", "admission", "discharge", "collection", "surgery", "diagnosis",
              "visit", "date", "procedure", "biopsy")
HUMAN = "homo sapiens"
READ_FILE = re.compile(r"\.(fastq|fq|bam|cram)(\.(gz|bz2|xz|zst))?$", re.I)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w.])(?:\+?\d{1,3}[ .-])?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w.])")
SSN = re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")
MRN = re.compile(r"\b(?:MRN|medical record)\s*[:#]?\s*\d{4,}\b", re.I)
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
STREET = re.compile(r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|"
                    r"Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl)\b\.?")
PERSON_NAME = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?[A-Z][a-z]+(?:[ -][A-Z]\.)?\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?$")
FULL_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ].*)?$|^(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})$")
AGE_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(?:\s*(?:-|to)\s*(\d+(?:\.\d+)?))?\s*(years?|y|yr)?$", re.I)

VALUE_PATTERNS = ((EMAIL, "an e-mail address"), (SSN, "a social security number"),
                  (MRN, "a medical record number"), (PHONE, "a telephone number"),
                  (STREET, "a street address"), (IPV4, "an IP address"))
ANY_DIRECT = re.compile("|".join(f"(?:{p.pattern})" for p, _ in VALUE_PATTERNS), re.I)
"""One pass for the common case (no identifier at all); the patterns then say which one."""
FILE_PATTERNS = ((EMAIL, "an e-mail address"), (SSN, "a social security number"),
                 (MRN, "a medical record number"), (PHONE, "a telephone number"))


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text).strip().lower()


def column_findings(sdrf: Sdrf) -> list[Finding]:
    out: list[Finding] = []
    for c, column in enumerate(sdrf.columns):
        if column.kind in ("node", "file", "protocol_ref", "term_source_ref", "term_accession"):
            continue
        name = _key(column.name)
        word = next((w for w in PHI_COLUMN_WORDS if re.search(rf"(?<![a-z]){re.escape(w)}", name)), None)
        if word is not None:
            out.append(finding(codes.PHI_COLUMN, f"Column '{sdrf.header[c]}' ('{word}') holds a Safe Harbor "
                               "identifier", Location(file=sdrf_name(sdrf), column=c + 1,
                                                      column_name=sdrf.header[c])))
    return out


def _human_rows(sdrf: Sdrf) -> list[bool]:
    organism = [c for c, col in enumerate(sdrf.columns)
                if col.kind in ("characteristics", "comment") and _key(col.name) == "organism"]
    if not organism:
        return [True] * len(sdrf.rows)
    human = {v for c in organism for v in column_counts(sdrf, c) if v.strip().lower() == HUMAN}
    if not human:
        return [False] * len(sdrf.rows)
    if len(organism) == 1:
        return [v in human for v in column_cells(sdrf, organism[0])]
    return [any(v in human for v in values) for values in zip(*(column_cells(sdrf, c) for c in organism), strict=True)]


def cell_findings(sdrf: Sdrf) -> list[Finding]:
    human = _human_rows(sdrf)
    out: list[Finding] = []
    for c, column in enumerate(sdrf.columns):
        if column.kind in ("file", "protocol_ref", "term_source_ref", "term_accession", "unit"):
            continue
        name = _key(column.name)
        counts = column_counts(sdrf, c)
        # node names (sample, assay, scan ...) are unique per row: only an e-mail is looked for there
        judge = _direct if column.kind != "node" else _email
        direct = {v: what for v in counts if v.strip() and (what := judge(v.strip())) is not None}
        for r, value in rows_with(sdrf, c, direct):
            out.append(finding(codes.PHI_VALUE, f"'{value.strip()}' looks like {direct[value]}", cell(sdrf, r, c)))
        if _individual_column(name, column.kind):
            out.extend(f for r, row in enumerate(sdrf.rows) if row[c].strip() and row[c] not in direct
                       and human[r] for f in _cell(sdrf, r, c, name, row[c].strip()))
    return out


def _direct(value: str) -> str | None:
    if not ANY_DIRECT.search(value):
        return None
    return next((what for pattern, what in VALUE_PATTERNS if pattern.search(value)), None)


def _email(value: str) -> str | None:
    return "an e-mail address" if "@" in value and EMAIL.search(value) else None


def _individual_column(name: str, kind: str) -> bool:
    """An age, a date or an individual's name: judged per row (human rows only, units per row)."""
    if kind not in ("characteristics", "comment", "factor_value", "node", "description"):
        return False
    is_age = name == "age" or name.endswith(" age") or name.startswith("age ")
    return is_age or any(w in name for w in DATE_WORDS) or any(w in name for w in INDIVIDUAL_WORDS)


def _cell(sdrf: Sdrf, r: int, c: int, name: str, value: str) -> list[Finding]:
    where = cell(sdrf, r, c)
    if name == "age" or name.endswith(" age") or name.startswith("age "):
        return _age(sdrf, r, c, value, where)
    if any(w in name for w in DATE_WORDS):
        return _date(value, where)
    if any(w in name for w in INDIVIDUAL_WORDS) and PERSON_NAME.match(value):
        return [finding(codes.PHI_NAME, f"'{value}' in '{sdrf.header[c]}' looks like a person's name", where,
                        suggestion="Replace with 'donor 1' (a study code; one per individual)")]
    return []


def _unit_of(sdrf: Sdrf, r: int, c: int) -> str:
    """The unit cell of column c: its Unit[...] column, or a next column named '... unit'."""
    for i in range(c + 1, len(sdrf.header)):
        col = sdrf.columns[i]
        if col.kind == "unit" and col.attached_to == c or "unit" in col.name.lower():
            return sdrf.rows[r][i].strip().lower()
        if col.attached_to != c:
            break
    return ""


def _age(sdrf: Sdrf, r: int, c: int, value: str, where: Location) -> list[Finding]:
    match = AGE_NUMBER.match(value)
    if not match:
        return []
    unit = (match.group(3) or _unit_of(sdrf, r, c) or "year").lower()
    if not unit.startswith("y"):
        return []
    top = float(match.group(2) or match.group(1))
    if top <= 89:
        return []
    return [finding(codes.PHI_AGE, f"Age '{value}' is over 89", where, suggestion="Replace with '90+'")]


def _date(value: str, where: Location) -> list[Finding]:
    match = FULL_DATE.match(value)
    if not match:
        return []
    year = match.group(1) or match.group(6)
    if len(year) == 2:
        return [finding(codes.PHI_DATE, f"'{value}' gives day and month of an individual's date", where,
                        suggestion="Keep only the year (four digits)")]
    return [finding(codes.PHI_DATE, f"'{value}' is finer than the year", where,
                    suggestion=f"Replace with '{year}'")]


def file_name_findings(project: Project) -> list[Finding]:
    out: list[Finding] = []
    for name, sdrf_file, r, c, heading in named_files(project):
        for pattern, what in FILE_PATTERNS:
            if pattern.search(name):
                out.append(finding(codes.PHI_FILE_NAME, f"File name '{name}' holds {what}",
                                   Location(file=sdrf_file, row=r + 1, column=c + 1, column_name=heading)))
                break
    return out


def human_reads_findings(project: Project) -> list[Finding]:
    """One error per SDRF whose Homo sapiens rows name FASTQ/BAM/CRAM files."""
    out: list[Finding] = []
    for sdrf in project.sdrfs:
        organism = [c for c, col in enumerate(sdrf.columns)
                    if col.kind in ("characteristics", "comment") and _key(col.name) == "organism"]
        files = [c for c, col in enumerate(sdrf.columns) if col.kind == "file"]
        if not organism or not files:
            continue
        reads = {c: {v for v in column_counts(sdrf, c) if READ_FILE.search(v.strip())} for c in files}
        human = _human_rows(sdrf)
        hits = [(r, c) for r, row in enumerate(sdrf.rows) if human[r]
                for c in files if row[c] in reads[c]]
        if hits:
            r, c = hits[0]
            rows = len({h[0] for h in hits})
            out.append(finding(codes.HUMAN_PUBLIC, f"{rows} Homo sapiens row(s) name sequence reads "
                               f"(e.g. '{sdrf.rows[r][c].strip()}') for a public repository",
                               cell(sdrf, r, c)))
    return out


def safe_harbor_findings(project: Project) -> list[Finding]:
    """Safe Harbor identifiers in SDRF column names, cells and data file names (any target)."""
    return list(shared(("safe_harbor", id(project)), lambda: _safe_harbor(project)))


def _safe_harbor(project: Project) -> list[Finding]:
    out: list[Finding] = []
    for sdrf in project.sdrfs:
        out.extend(column_findings(sdrf))
        out.extend(cell_findings(sdrf))
    out.extend(file_name_findings(project))
    return out


def findings(project: Project) -> list[Finding]:
    """For a public target: Safe Harbor identifiers, and human reads that need controlled access."""
    return safe_harbor_findings(project) + human_reads_findings(project)
