"""Zenodo (legacy deposit API on Zenodo-RDM): the metadata a deposition needs, and its upload limits.

Mapping (`METADATA`): Zenodo metadata key -> IDF field. ``creators`` are the IDF persons, written
"Family, Given" (with ORCID / affiliation when given): `creator_findings`. ``upload_type`` and
``access_right`` default to `DEFAULT_UPLOAD_TYPE` / "open" when the IDF does not say; a licence
is required when access is open or embargoed, an embargo date when embargoed, access conditions
when restricted (`access_findings`). Limits: 100 files and 50 GB (decimal) per record.
"""

from __future__ import annotations

import re

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets import limits
from depositdesk.packaging.targets.base import FieldRequirement, Target, UploadLimits, register

SOURCE = "Zenodo REST API, legacy deposit metadata (developers.zenodo.org), on Zenodo-RDM"
PART = "targets/zenodo"
UPLOAD_TYPES = ("publication", "poster", "presentation", "dataset", "image", "video", "software", "lesson",
                "physicalobject", "other")
ACCESS_RIGHTS = ("open", "embargoed", "restricted", "closed")
DEFAULT_UPLOAD_TYPE = "dataset"
LICENCE_IDS = {"CC BY 4.0": "cc-by-4.0", "CC0": "cc-zero", "CC0 1.0": "cc-zero", "CC BY-SA 4.0": "cc-by-sa-4.0"}
"""Licence names as people (and BIA) write them -> Zenodo's licence ids; other values are sent as written."""
LIMITS = UploadLimits(max_files=100, max_total_bytes=50_000_000_000)

METADATA: dict[str, FieldRequirement] = {
    "upload_type": FieldRequirement("Comment[Zenodo upload type]", "upload_type", required=False,
                                    vocabulary=UPLOAD_TYPES),
    "title": FieldRequirement("Investigation Title", "title"),
    "description": FieldRequirement("Experiment Description", "description"),
    "publication_date": FieldRequirement("Public Release Date", "publication_date"),
    "access_right": FieldRequirement("Comment[Zenodo access right]", "access_right", required=False,
                                     vocabulary=ACCESS_RIGHTS),
    "license": FieldRequirement("Comment[License]", "license", required=False),
    "embargo_date": FieldRequirement("Comment[Zenodo embargo date]", "embargo_date", required=False),
    "access_conditions": FieldRequirement("Comment[Zenodo access conditions]", "access_conditions",
                                          required=False),
}

CREATOR = define(
    "ZEN-CREATOR", Severity.ERROR, "A creator cannot be written as Zenodo's 'Family, Given'",
    "Give each IDF person a last and a first name (at least one person is needed).", part=PART)
ACCESS = define(
    "ZEN-ACCESS", Severity.ERROR, "The access right needs a field that is empty",
    "Open and embargoed records need a licence (Comment[License], e.g. cc-by-4.0); embargoed ones an "
    "embargo date (YYYY-MM-DD); restricted ones access conditions.", part=PART)
LIMIT = define(
    "ZEN-LIMITS", Severity.ERROR, "The data files exceed what one Zenodo record holds (100 files, 50 GB)",
    "Split the data over several records, or choose a repository for large data.", part=PART)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def creator_findings(project: Project) -> list[Finding]:
    name = project.idf_path.name
    people = [p for p in project.idf.records("person") if p["Person Last Name"].strip() or p["Person First Name"].strip()]
    if not people:
        return [finding(CREATOR, "Zenodo needs at least one creator; the IDF lists no person",
                        Location(file=name, column_name="Person Last Name"))]
    return [finding(CREATOR, f"person {i} has no {'last' if not p['Person Last Name'].strip() else 'first'} name",
                    Location(file=name, column=i + 1, column_name="Person Last Name"))
            for i, p in enumerate(people, start=1)
            if not (p["Person Last Name"].strip() and p["Person First Name"].strip())]


def access_findings(project: Project) -> list[Finding]:
    idf = project.idf
    name = project.idf_path.name
    access = idf.first(METADATA["access_right"].name).strip() or "open"
    needs = {"open": ["license"], "embargoed": ["license", "embargo_date"],
             "restricted": ["access_conditions"]}.get(access, [])
    out = []
    for key in needs:
        field = METADATA[key].name
        value = idf.first(field).strip()
        if not value or (key == "embargo_date" and not ISO_DATE.match(value)):
            out.append(finding(ACCESS, f"access_right '{access}' needs {key} (IDF '{field}')"
                               + (f"; '{value}' is not YYYY-MM-DD" if value else ""),
                               Location(file=name, column_name=field)))
    return out


def limit_findings(project: Project) -> list[Finding]:
    return limits.limit_findings(project, LIMITS, "a Zenodo record", LIMIT)


TARGET = register(Target(
    name="zenodo",
    title="Zenodo",
    code_prefix="ZEN",
    source=SOURCE,
    fields=tuple(METADATA.values()),
    limits=LIMITS,
    rules=(creator_findings, access_findings, limit_findings, *PUBLIC_TARGET_RULES),
    transport="zenodo",
))
