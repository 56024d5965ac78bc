"""ArrayExpress rules on the IDF (contacts, experiment type, dates, publications, protocols, term sources).

`Context` carries the project, the submission type and ``today`` (release date rule G09 compares
with it; a parameter, so tests need no clock). Codes are declared in `arrayexpress` from `_ae_data`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules._where import column_counts
from depositdesk.packaging.targets._ae_data import (
    PROTOCOL_KINDS,
    RULES,
    SEQUENCING_HARDWARE,
    AeRule,
)

RULE_BY_CODE: dict[str, AeRule] = {r.code: r for r in RULES}

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EXPERIMENT_TYPE_FIELD = "Comment[AEExperimentType]"


@dataclass
class Context:
    project: Project
    today: date
    kind: str = ""

    @property
    def idf_name(self) -> str:
        return self.project.idf_path.name

    def where(self, field: str, index: int | None = None) -> Location:
        """An IDF field (its line when present; its index-th value as column index + 2)."""
        key = field.replace(" ", "").lower()
        line = next((n for n, ln in enumerate(self.project.idf.lines, start=1)
                     if ln.name.replace(" ", "").lower() == key), None)
        column = index + 2 if index is not None and line is not None else None
        return Location(file=self.idf_name, line=line, column=column, column_name=field)

    def protocol_types(self) -> dict[str, str]:
        return {p.get("Protocol Name", "").strip(): p.get("Protocol Type", "").strip().lower()
                for p in self.project.idf.records("protocol") if p.get("Protocol Name", "").strip()}

    def used_kinds(self) -> set[str]:
        """Kinds (PROTOCOL_KINDS) of the protocols named in the SDRFs' Protocol REF columns."""
        types = self.protocol_types()
        used = {v.strip() for s in self.project.sdrfs for c in s.find_columns("protocol_ref")
                for v in column_counts(s, c)}
        return {k for name in used for k, words in PROTOCOL_KINDS.items()
                if any(w in types.get(name, "") for w in words)}


def submission_kind(project: Project) -> str:
    """'hts', 'array' or '' (unknown: only the rules for all types run)."""
    text = project.idf.first(EXPERIMENT_TYPE_FIELD).lower()
    if "array" in text or "rt-pcr" in text:
        return "array"
    if "seq" in text or "sequencing" in text or "translation" in text:
        return "hts"
    for sdrf in project.sdrfs:
        tech = {v.strip().lower() for c in sdrf.find_columns("technology_type") for v in sdrf.column_values(c)}
        if "array assay" in tech or sdrf.find_columns("array_design") or sdrf.find_columns("node", "Hybridization Name"):
            return "array"
        if "sequencing assay" in tech:
            return "hts"
    return ""


# --- IDF ----------------------------------------------------------------------------------------------
def contact_findings(ctx: Context) -> list[Finding]:
    people = ctx.project.idf.records("person")
    people = [p for p in people if any(v.strip() for v in p.values())]
    if not people:
        return [finding("AE-C01", location=ctx.where("Person Last Name"))]
    out: list[Finding] = []
    for i, p in enumerate(people):
        who = p.get("Person Last Name", "").strip() or f"contact {i + 1}"
        for field, code in (("Person Last Name", "AE-C02"), ("Person First Name", "AE-C08"),
                            ("Person Affiliation", "AE-C09")):
            if not p.get(field, "").strip():
                out.append(finding(code, f"{RULE_BY_CODE[code].title} ({who})", ctx.where(field, i)))
    submitters = [(i, p) for i, p in enumerate(people) if "submitter" in p.get("Person Roles", "").lower()]
    for field, code in (("Person Email", "AE-C03"), ("Person Roles", "AE-C04")):
        if not any(p.get(field, "").strip() for p in people):
            out.append(finding(code, location=ctx.where(field)))
    if not submitters:
        out.append(finding("AE-C05", location=ctx.where("Person Roles")))
    for i, p in submitters:
        if not p.get("Person Affiliation", "").strip():
            out.append(finding("AE-C06", location=ctx.where("Person Affiliation", i)))
    if submitters and not any(p.get("Person Email", "").strip() for _, p in submitters):
        out.append(finding("AE-C07", location=ctx.where("Person Email", submitters[0][0])))
    return out


def experiment_findings(ctx: Context) -> list[Finding]:
    idf = ctx.project.idf
    out: list[Finding] = []
    if not any(v.strip() for v in idf.get("Experimental Design")):
        out.append(finding("AE-ED01", location=ctx.where("Experimental Design")))
    factors = [f for f in idf.records("experimental_factor") if any(v.strip() for v in f.values())]
    if not factors:
        out.append(finding("AE-EF01", location=ctx.where("Experimental Factor Name")))
    for i, f in enumerate(factors):
        if not f.get("Experimental Factor Name", "").strip():
            out.append(finding("AE-EF02", location=ctx.where("Experimental Factor Name", i)))
        if not f.get("Experimental Factor Type", "").strip():
            out.append(finding("AE-EF03", location=ctx.where("Experimental Factor Type", i)))
    if not idf.first("Comment[ArrayExpressAccession]").strip():
        out.append(finding("AE-ACCESSION", location=ctx.where("Comment[ArrayExpressAccession]")))
    return out


def general_findings(ctx: Context) -> list[Finding]:
    idf = ctx.project.idf
    out: list[Finding] = []
    if not idf.first("Investigation Title").strip():
        out.append(finding("AE-G01", location=ctx.where("Investigation Title")))
    description = idf.first("Experiment Description").strip()
    if not description:
        out.append(finding("AE-G02", location=ctx.where("Experiment Description")))
    elif len(description) < 50:
        out.append(finding("AE-G02-SHORT", f"Experiment Description has {len(description)} characters",
                           ctx.where("Experiment Description")))
    out.extend(_date_field(ctx, "Date of Experiment", "AE-G03", "AE-G04"))
    out.extend(_date_field(ctx, "Public Release Date", "AE-G05", "AE-G06"))
    released = idf.first("Public Release Date").strip()
    day = _date(released) if ISO_DATE.match(released) else None
    if day is not None and day < ctx.today:
        out.append(finding("AE-G09", f"Public Release Date {released} is in the past",
                           ctx.where("Public Release Date"), suggestion=f"Replace with '{ctx.today.isoformat()}'"))
    if not idf.sdrf_files():
        out.append(finding("AE-G07", location=ctx.where("SDRF File")))
    return out


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _date_field(ctx: Context, field: str, missing: str, malformed: str) -> list[Finding]:
    value = ctx.project.idf.first(field).strip()
    if not value:
        return [finding(missing, location=ctx.where(field))]
    if not ISO_DATE.match(value) or _date(value) is None:
        return [finding(malformed, f"{field} '{value}' is not a YYYY-MM-DD date", ctx.where(field, 0))]
    return []


def publication_findings(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for i, pub in enumerate(ctx.project.idf.records("publication")):
        if not any(v.strip() for v in pub.values()):
            continue
        pmid, doi = pub.get("PubMed ID", "").strip(), pub.get("Publication DOI", "").strip()
        if not pmid and not doi:
            out.append(finding("AE-PB01", location=ctx.where("PubMed ID", i)))
        if pmid and not pmid.isdigit():
            out.append(finding("AE-PB02", f"PubMed ID '{pmid}' is not a number", ctx.where("PubMed ID", i)))
        for field, code in (("Publication Author List", "AE-PB03"), ("Publication Title", "AE-PB04")):
            if not pub.get(field, "").strip():
                out.append(finding(code, location=ctx.where(field, i)))
    return out


def protocol_findings(ctx: Context) -> list[Finding]:
    protocols = [p for p in ctx.project.idf.records("protocol") if any(v.strip() for v in p.values())]
    out: list[Finding] = []
    for i, p in enumerate(protocols):
        name = p.get("Protocol Name", "").strip() or f"protocol {i + 1}"
        for field, code in (("Protocol Name", "AE-PR02"), ("Protocol Type", "AE-PR03"),
                            ("Protocol Description", "AE-PR05")):
            if not p.get(field, "").strip():
                out.append(finding(code, f"{RULE_BY_CODE[code].title} ({name})", ctx.where(field, i)))
        text = p.get("Protocol Description", "").strip()
        if 0 < len(text) < 50:
            out.append(finding("AE-PR06", f"The description of {name} has {len(text)} characters",
                               ctx.where("Protocol Description", i)))
    out.extend(_sequencing_protocols(ctx, protocols))
    return out


def _sequencing_protocols(ctx: Context, protocols: list[dict[str, str]]) -> list[Finding]:
    types = [p.get("Protocol Type", "").lower() for p in protocols]
    out: list[Finding] = []
    if not any("library construction" in t for t in types):
        out.append(finding("AE-PR08", location=ctx.where("Protocol Type")))
    sequencing = [i for i, t in enumerate(types) if "sequencing" in t]
    if not sequencing:
        out.append(finding("AE-PR09", location=ctx.where("Protocol Type")))
    for i in sequencing:
        hardware = [h.strip() for h in protocols[i].get("Protocol Hardware", "").split(",") if h.strip()]
        bad = [h for h in hardware if h.lower() not in SEQUENCING_HARDWARE]
        if not hardware or bad:
            what = f"'{', '.join(bad)}' is not in Annotare's list" if bad else "no Protocol Hardware"
            close = difflib.get_close_matches(bad[0].lower(), SEQUENCING_HARDWARE, n=1) if bad else []
            out.append(finding("AE-PR10", f"Sequencing protocol {protocols[i].get('Protocol Name', '')}: {what}",
                               ctx.where("Protocol Hardware", i),
                               suggestion=f"Replace with '{close[0]}'" if close else None))
    return out


def term_source_findings(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for i, ts in enumerate(ctx.project.idf.records("term_source")):
        name = ts.get("Term Source Name", "").strip()
        if not any(v.strip() for v in ts.values()):
            continue
        if not name:
            out.append(finding("AE-TS01", location=ctx.where("Term Source Name", i)))
        elif name.lower() in seen:
            out.append(finding("AE-TS02", f"Term source '{name}' is declared twice", ctx.where("Term Source Name", i)))
        seen.add(name.lower())
        if not ts.get("Term Source File", "").strip():
            out.append(finding("AE-TS03", f"Term source '{name}' has no file/URL", ctx.where("Term Source File", i)))
    return out


IDF_CHECKS: tuple[Callable[[Context], list[Finding]], ...] = (
    contact_findings, experiment_findings, general_findings, publication_findings, protocol_findings,
    term_source_findings,
)
