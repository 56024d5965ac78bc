"""dbGaP (controlled access): subjects, consent groups and the subject-sample mapping, from the SDRF.

Mapping: SUBJECT_ID <- ``Characteristics[SUBJECT_ID]``, CONSENT <- ``Characteristics[CONSENT]``,
SAMPLE_ID <- ``Sample Name``; the consent groups (the Subject Consent data dictionary's VALUES,
e.g. ``1=General Research Use (GRU)``) are the IDF line ``Comment[dbGaP consent groups]``, one
``N=meaning`` per value. Rules from dbGaPCheckup and dbgaptools: SUBJECT_ID only of letters,
digits and ``. - _ @ #``, not zero-padded; CONSENT an integer (0 = controls), each value >= 1
defined as a group, one consent per subject.
"""

from __future__ import annotations

import re

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules import excel_damage, identifiers, privacy
from depositdesk.packaging.targets.base import (
    ColumnRequirement,
    FieldRequirement,
    Target,
    column_index,
    heading_key,
    register,
)

SOURCE = "dbGaP Study Submission Guide (2025-01-08); rules of dbGaPCheckup 163c17b and dbgaptools ebbdda7"
PART = "targets/dbgap"
SUBJECT_ID = "Characteristics[SUBJECT_ID]"
CONSENT = "Characteristics[CONSENT]"
CONSENT_GROUPS = "Comment[dbGaP consent groups]"
ID_CHARS = re.compile(r"^[A-Za-z0-9._@#-]+$")
GROUP = re.compile(r"^\s*(\d+)=(\S.*)$")

COLUMNS = (
    ColumnRequirement(SUBJECT_ID, "SUBJECT_ID"),
    ColumnRequirement(CONSENT, "CONSENT"),
    ColumnRequirement("Sample Name", "SAMPLE_ID"),
)
FIELDS = (FieldRequirement(CONSENT_GROUPS, "consent groups (Subject Consent DD VALUES)"),)

BAD_ID = define(
    "DBGAP-SUBJECT-ID", Severity.ERROR, "A SUBJECT_ID is not one dbGaP accepts",
    "Use only letters, digits and . - _ @ #, without leading zeros.", part=PART)
BAD_CONSENT = define(
    "DBGAP-CONSENT", Severity.ERROR, "A CONSENT value is not an integer, or not a defined consent group",
    "Write the consent group's number (0 for controls) and define each group in the IDF line "
    "'Comment[dbGaP consent groups]' as N=meaning (e.g. 1=General Research Use (GRU)).", part=PART)
CONSENT_CONFLICT = define(
    "DBGAP-CONSENT-CONFLICT", Severity.ERROR, "One subject has different CONSENT values",
    "A subject belongs to one consent group: give all its rows the same value.", part=PART)


def consent_groups(project: Project) -> dict[int, str]:
    groups = {}
    for value in project.idf.get(CONSENT_GROUPS):
        for part in value.split(";"):
            match = GROUP.match(part)
            if match:
                groups[int(match.group(1))] = match.group(2).strip()
    return groups


def subject_findings(project: Project) -> list[Finding]:
    out: list[Finding] = []
    groups = consent_groups(project)
    for sdrf in project.sdrfs:
        index = column_index(sdrf)
        name = sdrf.path.name if sdrf.path is not None else "SDRF"
        ids = index.get(heading_key(SUBJECT_ID), [])
        consents = index.get(heading_key(CONSENT), [])
        seen: dict[str, str] = {}
        for r, row in enumerate(sdrf.rows, start=1):
            subject = row[ids[0]].strip() if ids else ""
            if subject and (not ID_CHARS.match(subject) or (subject.isdigit() and subject.startswith("0"))):
                out.append(finding(BAD_ID, f"SUBJECT_ID '{subject}'", Location(
                    file=name, row=r, column=ids[0] + 1, column_name=sdrf.header[ids[0]])))
            consent = row[consents[0]].strip() if consents else ""
            if not consent:
                continue
            where = Location(file=name, row=r, column=consents[0] + 1, column_name=sdrf.header[consents[0]])
            if not consent.isdigit() or (int(consent) >= 1 and int(consent) not in groups):
                out.append(finding(BAD_CONSENT, f"CONSENT '{consent}' is not a defined consent group "
                                   f"({', '.join(f'{k}={v}' for k, v in sorted(groups.items())) or 'none defined'})",
                                   where))
            if subject and seen.setdefault(subject, consent) != consent:
                out.append(finding(CONSENT_CONFLICT, f"subject '{subject}' has CONSENT {seen[subject]} "
                                   f"elsewhere and {consent} here", where))
    return out


TARGET = register(Target(
    name="dbgap",
    title="dbGaP",
    source=SOURCE,
    public=False,
    fields=FIELDS,
    columns=COLUMNS,
    rules=(subject_findings, identifiers.findings, excel_damage.findings, privacy.safe_harbor_findings),
    transport="",
))
