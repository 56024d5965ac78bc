"""Figshare (figshare.com, API v2): the item metadata a dataset needs, and the account's limits.

Mapping (`METADATA`): Figshare item field -> IDF field. ``authors`` are the IDF persons ("Given
Family"); ``defined_type`` is "dataset"; ``keywords`` come from Experimental Design and
``Comment[Keywords]`` (Figshare asks for at least one); ``license`` from ``Comment[License]``
(`LICENCE_IDS`: figshare.com's ``GET /v2/licenses`` values). Limits of a free figshare.com account
(info.figshare.com "Uploading and managing files"): 500 files per item, 20 GB per file and 20 GB
of private storage (decimal).
"""

from __future__ import annotations

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets import limits
from depositdesk.packaging.targets.base import FieldRequirement, Target, UploadLimits, register

SOURCE = "Figshare API v2 (docs.figshare.com: create item, upload parts), figshare.com account limits"
PART = "targets/figshare"
LIMITS = UploadLimits(max_files=500, max_total_bytes=20_000_000_000, max_file_bytes=20_000_000_000)
LICENCE_IDS = {"CC BY 4.0": 1, "cc-by-4.0": 1, "CC0": 2, "CC0 1.0": 2, "cc-zero": 2, "MIT": 3}
"""Licence names as people (and Zenodo) write them -> figshare.com licence values."""

METADATA: dict[str, FieldRequirement] = {
    "title": FieldRequirement("Investigation Title", "title", max_length=1000),
    "description": FieldRequirement("Experiment Description", "description"),
    "license": FieldRequirement("Comment[License]", "license", required=False),
}

AUTHOR = define(
    "FIGSHARE-AUTHOR", Severity.ERROR, "The item has no author",
    "Give at least one IDF person a name: Figshare lists them as the item's authors.", part=PART)
KEYWORDS = define(
    "FIGSHARE-KEYWORDS", Severity.ERROR, "Figshare needs at least one keyword for the item",
    "Fill Experimental Design or a Comment[Keywords] line of the IDF.", part=PART)
LICENCE = define(
    "FIGSHARE-LICENCE", Severity.WARNING, "The licence is not one figshare.com offers by that name",
    "Write CC BY 4.0, CC0 or MIT in Comment[License]; otherwise the item gets figshare's default.",
    part=PART)
LIMIT = define(
    "FIGSHARE-LIMITS", Severity.ERROR,
    "The data files exceed what a figshare.com item holds (500 files, 20 GB per file, 20 GB in all)",
    "Split the data over several items, or ask your institution's Figshare for a larger quota.", part=PART)


def metadata_findings(project: Project) -> list[Finding]:
    name = project.idf_path.name
    out: list[Finding] = []
    people = [p for p in project.idf.records("person")
              if p["Person Last Name"].strip() or p["Person First Name"].strip()]
    if not people:
        out.append(finding(AUTHOR, location=Location(file=name, column_name="Person Last Name")))
    words = [w for f in ("Experimental Design", "Comment[Keywords]") for w in project.idf.get(f) if w.strip()]
    if not words:
        out.append(finding(KEYWORDS, location=Location(file=name, column_name="Experimental Design")))
    licence = project.idf.first(METADATA["license"].name).strip()
    if licence and licence not in LICENCE_IDS:
        out.append(finding(LICENCE, f"'{licence}' is not one of {', '.join(sorted(set(LICENCE_IDS)))}",
                           Location(file=name, column_name=METADATA["license"].name)))
    return out


def limit_findings(project: Project) -> list[Finding]:
    return limits.limit_findings(project, LIMITS, "a figshare.com item", LIMIT)


TARGET = register(Target(
    name="figshare",
    title="Figshare",
    code_prefix="FIGSHARE",
    source=SOURCE,
    fields=tuple(METADATA.values()),
    limits=LIMITS,
    rules=(metadata_findings, limit_findings, *PUBLIC_TARGET_RULES),
    transport="figshare",
))
