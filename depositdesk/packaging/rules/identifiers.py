"""Identifiers checked offline with bioregistry's bundled data (no network, no hand-written regexes).

Where the metadata says what an identifier is (an IDF field such as ``PubMed ID``, a column such as
``Comment[ENA_RUN]`` or ``Comment[BioSD_SAMPLE]``), the value must have that registry's form. Where a
value starts as an accession of a known kind (``GSE``, ``SRR``, ``PRJEB``, ``E-MTAB-`` ...) in any
Comment column or IDF Comment field, it is checked as that kind. ORCID iDs are also checked for
their ISO 7064 11,2 check digit, which no pattern can express.

`validate_identifier(kind, text)` is the one entry for other parts (the upload helper checks the
accessions a repository returns with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules import codes
from depositdesk.packaging.rules._where import cell, column_counts, idf_values, rows_with


@dataclass(frozen=True)
class Kind:
    prefix: str           # bioregistry prefix
    label: str            # what people call it
    literal: str = ""     # what the text starts with (kept for the pattern unless strip)
    strip: bool = False   # the literal is not part of bioregistry's local identifier


KINDS: dict[str, Kind] = {
    "GSE": Kind("geo", "GEO series", "GSE"), "GSM": Kind("geo", "GEO sample", "GSM"),
    "GPL": Kind("geo", "GEO platform", "GPL"),
    "SRP": Kind("insdc.sra", "SRA study", "SRP"), "SRX": Kind("insdc.sra", "SRA experiment", "SRX"),
    "SRR": Kind("insdc.sra", "SRA run", "SRR"), "SRS": Kind("insdc.sra", "SRA sample", "SRS"),
    "ERR": Kind("insdc.sra", "ENA run", "ERR"), "ERX": Kind("insdc.sra", "ENA experiment", "ERX"),
    "ERS": Kind("insdc.sra", "ENA sample", "ERS"), "ERP": Kind("insdc.sra", "ENA study", "ERP"),
    "DRR": Kind("insdc.sra", "DDBJ run", "DRR"),
    "PRJNA": Kind("bioproject", "BioProject", "PRJNA"), "PRJEB": Kind("bioproject", "BioProject", "PRJEB"),
    "PRJDB": Kind("bioproject", "BioProject", "PRJDB"),
    "SAMN": Kind("biosample", "BioSample", "SAMN"), "SAMEA": Kind("biosample", "BioSample", "SAMEA"),
    "SAMD": Kind("biosample", "BioSample", "SAMD"),
    "E-MTAB": Kind("arrayexpress", "ArrayExpress experiment", "E-"),
    "S-BIAD": Kind("biostudies", "BioImage Archive study", "S-"),
    "EMPIAR": Kind("empiar", "EMPIAR entry", "EMPIAR-", strip=True),
    "IDR": Kind("idr", "IDR study", "idr", strip=True),
    "DOI": Kind("doi", "DOI"), "PubMed": Kind("pubmed", "PubMed ID"),
    "ORCID": Kind("orcid", "ORCID iD"), "RRID": Kind("rrid", "RRID", "RRID:", strip=True),
}

# Where the metadata names the kind: words in a field / column name -> kind.
NAMED: tuple[tuple[str, str], ...] = (
    ("pubmed", "PubMed"), ("pmid", "PubMed"), ("doi", "DOI"), ("orcid", "ORCID"), ("rrid", "RRID"),
    ("ena_run", "ERR"), ("run accession", "ERR"), ("biosd_sample", "SAMEA"), ("biosample", "SAMEA"),
    ("bioproject", "PRJEB"), ("arrayexpressaccession", "E-MTAB"), ("empiar", "EMPIAR"),
    ("geo series", "GSE"), ("geo accession", "GSE"),
)
# Loose starts: a value that begins like this is read as that kind (and then checked strictly).
STARTS = re.compile(r"^(GSE|GSM|GPL|SRP|SRX|SRR|SRS|ERR|ERX|ERS|ERP|DRR|PRJ(?:NA|EB|DB)|SAM(?:N|EA|D)|"
                    r"E-[A-Z]{4}-|S-BIAD|EMPIAR-|idr\d|RRID:)", re.I)
ACCESSION_LIKE = re.compile(r"^[A-Za-z]+(?:-[A-Za-z]+)?[\s:-]?[0-9A-Za-z]{0,15}$")
"""A value only read as an accession by its start when it is one short token (not a run name or file)."""
WRAPPERS = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|pmid:\s*|https?://orcid\.org/|orcid:\s*)", re.I)


@lru_cache(maxsize=64)
def _pattern(prefix: str) -> re.Pattern[str]:
    # bioregistry is imported here, at the first identifier checked: importing it (its registry of
    # 2,000 resources) took 0.9 s and 84 MB, which the window and every command paid on start
    import bioregistry

    pattern = bioregistry.get_pattern(prefix)
    if pattern is None:   # pragma: no cover - every prefix in KINDS has one in bioregistry's data
        raise KeyError(f"bioregistry has no pattern for '{prefix}'")
    return re.compile(pattern)


def orcid_check_digit(digits: str) -> str:
    """ISO 7064 11,2 check character of the first 15 digits of an ORCID iD."""
    total = 0
    for ch in digits:
        total = (total + int(ch)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def validate_identifier(kind: str, text: str) -> str | None:
    """None when ``text`` is a well-formed identifier of ``kind`` (a key of KINDS), else why not."""
    info = KINDS.get(kind)
    if info is None:
        return f"unknown identifier kind '{kind}' (known: {', '.join(KINDS)})"
    value = WRAPPERS.sub("", text.strip())
    if info.literal and not value.upper().startswith(info.literal.upper()):
        return f"'{text}' is not a {info.label} (it should start with '{info.literal}')"
    local = value[len(info.literal):] if info.strip else value
    if not _pattern(info.prefix).match(local):
        return f"'{text}' is not a well-formed {info.label} (bioregistry pattern {_pattern(info.prefix).pattern})"
    if kind == "ORCID" and orcid_check_digit(local.replace("-", "")[:15]) != local[-1].upper():
        return f"'{text}' fails the ORCID check digit (ISO 7064 11,2): one digit is wrong"
    return None


def kind_of_value(text: str) -> str | None:
    """The kind a value's start announces (GSE..., SRR..., E-MTAB-...), or None."""
    match = STARTS.match(text.strip())
    if not match:
        return None
    head = match.group(1).upper()
    if head != "RRID:" and not ACCESSION_LIKE.match(text.strip()):
        return None
    if head.startswith("E-"):
        return "E-MTAB"
    if head.startswith("IDR"):
        return "IDR"
    return {"EMPIAR-": "EMPIAR", "RRID:": "RRID"}.get(head, head)


NOT_AN_IDENTIFIER = ("package", "type", "title", "description", "status", "version", "author")
"""Words that make a field about an identifier's subject, not the identifier ('BioSample package')."""


def kind_of_name(name: str) -> str | None:
    key = name.lower().replace(" ", "").replace("_", "")
    if any(word in key for word in NOT_AN_IDENTIFIER):
        return None
    for word, kind in NAMED:
        if word.replace(" ", "").replace("_", "") in key:
            return kind
    return None


def check_value(kind: str, value: str, where: Location) -> list[Finding]:
    out: list[Finding] = []
    for part in (p.strip() for p in value.split(";")):
        if not part or part.lower() in ("not applicable", "not available", "n/a", "na", "none"):
            continue
        problem = validate_identifier(kind, part)
        if problem is not None:
            code = codes.ID_ORCID_CHECKSUM if "check digit" in problem else codes.ID_INVALID
            hint = ("It is a number, as a PubMed ID is: move it to the 'PubMed ID' field."
                    if kind == "DOI" and part.isdigit() else None)
            out.append(finding(code, problem, where, suggestion=hint))
        elif WRAPPERS.match(part):
            out.append(finding(codes.ID_WRAPPED, f"'{part}' is written as a link or with a prefix",
                               where, suggestion=f"Replace with '{WRAPPERS.sub('', part)}'"))
    return out


def _kind_for(name: str, value: str) -> str | None:
    named = kind_of_name(name)
    if named is None:
        return kind_of_value(value)
    announced = kind_of_value(value)
    if announced is not None and KINDS[announced].prefix == KINDS[named].prefix:
        return announced
    return named


def idf_findings(project: Project) -> list[Finding]:
    out: list[Finding] = []
    for where, name, value in idf_values(project):
        is_comment = name.lower().startswith("comment")
        if is_comment or name.lower() in ("pubmed id", "publication doi", "pmid"):
            kind = _kind_for(name, value) if is_comment else kind_of_name(name)
            if kind is not None:
                out.extend(check_value(kind, value, where))
    return out


def sdrf_findings(project: Project) -> list[Finding]:
    out: list[Finding] = []
    for sdrf in project.sdrfs:
        for c, column in enumerate(sdrf.columns):
            if column.kind not in ("comment", "characteristics"):
                continue
            problems: dict[str, list[Finding]] = {}
            for value in column_counts(sdrf, c):
                kind = _kind_for(column.name, value.strip()) if value.strip() else None
                found = check_value(kind, value.strip(), Location()) if kind is not None else []
                if found:
                    problems[value] = found
            for r, value in rows_with(sdrf, c, problems):
                where = cell(sdrf, r, c)
                out.extend(replace(f, location=where) for f in problems[value])
    return out


def findings(project: Project) -> list[Finding]:
    """Every malformed identifier in the IDF (publications, Comment fields) and SDRF Comment columns."""
    return idf_findings(project) + sdrf_findings(project)
