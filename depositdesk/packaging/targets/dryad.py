"""Dryad (datadryad.org, API v2): what a dataset needs before Dryad's curators accept its submission.

Rules as Dryad's own submission check states them (datadryad/dryad-app
``app/models/stash_datacite/resource/dataset_validations.rb``, ``documentation/apis/dataset_metadata.md``):
a descriptive title (not all capitals, at least four words beyond "data", "dataset", "supplementary"
...), an abstract, authors with first and last name, e-mail and affiliation (the first author's
e-mail makes the corresponding author), no two authors with one name or e-mail, a research domain
(``fieldOfScience``, one of the OECD Fields of Science, `FIELDS_OF_SCIENCE`), at least three
keywords, a funder (``N/A`` when none), at most 100 data files and 2 TB in all
(``APP_CONFIG.maximums``: ``files: 100``, ``upload_size: 2.0e+12``), files of at most 10 GB
recommended. Every dataset is published under CC0 1.0 (a licence other than CC0 is an error), and
Dryad takes no personal data: the Safe Harbor checks of every public target, name-like cells of
human subjects as errors, record-number-like subject identifiers, and a human-subjects statement
(``hsiStatement``: consent to publish de-identified data and how it was de-identified) for human data.
"""

from __future__ import annotations

import re

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules import codes as rule_codes
from depositdesk.packaging.rules import privacy
from depositdesk.packaging.rules._where import cell, column_counts, rows_with
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets import limits
from depositdesk.packaging.targets.base import FieldRequirement, Target, UploadLimits, register

SOURCE = "Dryad API v2 (datadryad/dryad-app documentation/apis/submission.md, dataset_metadata.md)"
PART = "targets/dryad"
LIMITS = UploadLimits(max_files=100, max_total_bytes=2_000_000_000_000, max_file_bytes=10_000_000_000)
"""100 data files and 2 TB per dataset (errors); 10 GB per file is Dryad's recommendation (a warning)."""
CC0 = ("CC0", "CC0 1.0", "CC0-1.0", "cc-zero", "cc0", "CC0 1.0 Universal",
       "https://creativecommons.org/publicdomain/zero/1.0/")
FIELDS_OF_SCIENCE = (
    "Natural sciences", "Mathematics", "Computer and information sciences", "Physical sciences",
    "Chemical sciences", "Earth and related environmental sciences", "Biological sciences",
    "Other natural sciences", "Engineering and technology", "Civil engineering",
    "Electrical engineering, electronic engineering, information engineering", "Mechanical engineering",
    "Chemical engineering", "Materials engineering", "Medical engineering", "Environmental engineering",
    "Environmental biotechnology", "Industrial biotechnology", "Nano-technology",
    "Other engineering and technologies", "Medical and health sciences", "Basic medicine",
    "Clinical medicine", "Health sciences", "Medical biotechnology", "Other medical sciences",
    "Agricultural sciences", "Agriculture, forestry, and fisheries", "Animal and dairy science",
    "Veterinary science", "Agricultural biotechnology", "Other agricultural sciences", "Social sciences",
    "Psychology", "Economics and business", "Educational sciences", "Sociology", "Law",
    "Political science", "Social and economic geography", "Media and communications",
    "Other social sciences", "Humanities", "History and archaeology", "Languages and literature",
    "Philosophy, ethics and religion", "Arts (arts, history of arts, performing arts, music)",
    "Other humanities",
)
"""dryad-app ``db/migrate/20200805213525_add_fos_to_subjects.rb`` (subject scheme 'fos')."""
NONDESCRIPT = ("raw", "data", "dataset", "datasets", "dryad", "fig", "figure", "figures", "table", "tables",
               "file", "supp", "suppl", "supplement", "supplemental", "extended", "supplementary",
               "supporting", "manuscript", "et al", "the", "of", "for", "in", "from", "to", "with")

METADATA: dict[str, FieldRequirement] = {
    "title": FieldRequirement("Investigation Title", "title"),
    "abstract": FieldRequirement("Experiment Description", "abstract"),
    "fieldOfScience": FieldRequirement("Comment[Field of Science]", "fieldOfScience (research domain)",
                                       vocabulary=FIELDS_OF_SCIENCE),
    "funders": FieldRequirement("Comment[Funder]", "funders[].organization (N/A when none)"),
    "awardNumber": FieldRequirement("Comment[Award Number]", "funders[].awardNumber", required=False),
    "license": FieldRequirement("Comment[License]", "license (CC0 only)", required=False),
    "hsiStatement": FieldRequirement("Comment[Human Subjects Statement]", "hsiStatement", required=False),
}

LICENCE = define(
    "DRYAD-LICENCE", Severity.ERROR, "Dryad publishes every dataset under CC0 1.0; the licence is another",
    "Write CC0 in Comment[License] if the data may be public domain; data under another licence "
    "(CC BY, a copyrighted source) cannot go to Dryad: choose Zenodo or Figshare.", part=PART)
AUTHOR = define(
    "DRYAD-AUTHOR", Severity.ERROR, "An author lacks what Dryad requires (name, e-mail, affiliation)",
    "Give each IDF person a first and last name and an affiliation, the first person an e-mail "
    "(Dryad's corresponding author), and no two persons one name or e-mail.", part=PART)
ORCID = define(
    "DRYAD-ORCID", Severity.WARNING, "The submitting author has no ORCID",
    "Add the ORCID in Comment[Person ORCID]: Dryad logs the submitter in with it.", part=PART)
TITLE = define(
    "DRYAD-TITLE", Severity.ERROR, "Dryad refuses the title as not descriptive (or all capitals)",
    "Write a title of at least four words saying what the data are (words like 'data', 'dataset' or "
    "'supplementary' do not count), in normal capitalisation.", part=PART)
KEYWORDS = define(
    "DRYAD-KEYWORDS", Severity.ERROR, "Dryad needs at least three keywords",
    "Add keywords in Comment[Keywords] (Experimental Design terms count too).", part=PART)
HUMAN = define(
    "DRYAD-HUMAN-SUBJECTS", Severity.ERROR, "Human-subject data need a human subjects statement for Dryad",
    "Write in Comment[Human Subjects Statement] that the participants consented to publishing the "
    "de-identified data in the public domain, and how the data were de-identified.", part=PART)
PERSONAL = define(
    "DRYAD-PERSONAL-DATA", Severity.ERROR, "A value looks like personal data, which Dryad does not publish",
    "Replace it by a study code (e.g. 'donor 1'); Dryad accepts de-identified human data only.", part=PART)
LIMIT = define(
    "DRYAD-LIMITS", Severity.ERROR, "The data files exceed what one Dryad dataset holds (100 files, 2 TB)",
    "Bundle files into archives, or split the data over several datasets.", part=PART)
FILE_SIZE = define(
    "DRYAD-FILE-SIZE", Severity.WARNING, "A data file is larger than the 10 GB Dryad recommends",
    "Split the file, or expect a slow upload without resume (Dryad has no chunked upload).", part=PART)

SUBJECT_ID_WORDS = ("subject", "patient", "participant", "donor", "individual")
RECORD_NUMBER = re.compile(r"^\d{6,}$")
ORCID_FIELDS = ("Comment[Person ORCID]", "Comment[ORCID]")   # as packages/zenodo.py reads them


def _idf_where(project: Project, field: str) -> Location:
    return Location(file=project.idf_path.name, column_name=field)


def licence_findings(project: Project) -> list[Finding]:
    field = METADATA["license"].name
    licence = project.idf.first(field).strip()
    if not licence or licence.casefold() in {c.casefold() for c in CC0}:
        return []
    return [finding(LICENCE, f"the licence is '{licence}'; Dryad publishes only under CC0 1.0",
                    _idf_where(project, field), suggestion="Write CC0 in Comment[License], or choose "
                    "a repository that keeps your licence (Zenodo, Figshare).")]


def people(project: Project) -> list[dict[str, str]]:
    return [p for p in project.idf.records("person")
            if p["Person Last Name"].strip() or p["Person First Name"].strip()]


def author_findings(project: Project) -> list[Finding]:
    persons = people(project)
    if not persons:
        return [finding(AUTHOR, "Dryad needs at least one author; the IDF lists no person",
                        _idf_where(project, "Person Last Name"))]
    out: list[Finding] = []
    for i, p in enumerate(persons, start=1):
        for key, what in (("Person First Name", "first name"), ("Person Last Name", "last name"),
                          ("Person Affiliation", "affiliation")):
            if not p[key].strip():
                out.append(finding(AUTHOR, f"person {i} has no {what}",
                                   Location(file=project.idf_path.name, column=i + 1, column_name=key)))
    if not persons[0]["Person Email"].strip():
        out.append(finding(AUTHOR, "the first person (Dryad's corresponding author) has no e-mail",
                           Location(file=project.idf_path.name, column=2, column_name="Person Email")))
    for key, what in (("name", "name"), ("Person Email", "e-mail")):
        values = [(f"{p['Person First Name']} {p['Person Last Name']}" if key == "name" else p[key]).strip().lower()
                  for p in persons]
        doubles = sorted({v for v in values if v and values.count(v) > 1})
        out += [finding(AUTHOR, f"two persons have the {what} '{v}'", _idf_where(project, "Person Last Name"))
                for v in doubles]
    if not any(v.strip() for f in ORCID_FIELDS for v in project.idf.get(f)[:1]):
        out.append(finding(ORCID, "the first person has no ORCID", _idf_where(project, ORCID_FIELDS[0])))
    return out


def title_findings(project: Project) -> list[Finding]:
    title = project.idf.first("Investigation Title").strip()
    if not title:
        return []    # DRYAD-FIELD-MISSING
    words = re.sub(r"[^a-z0-9\s]", "", title, flags=re.I)
    rest = re.sub(rf"({'|'.join(NONDESCRIPT)}|s\d|f\d|t\d)\b", "", words, flags=re.I).split()
    why = ("is all capitals" if title == title.upper() and title != title.lower() else
           f"has {len(rest)} descriptive word(s); Dryad needs four" if len(rest) < 4 else "")
    return [finding(TITLE, f"the title '{title}' {why}", _idf_where(project, "Investigation Title"))] if why else []


def keywords(project: Project) -> list[str]:
    words = [*project.idf.get("Comment[Keywords]"), *project.idf.get("Experimental Design")]
    return list(dict.fromkeys(w.strip() for w in words if w.strip()))


def keyword_findings(project: Project) -> list[Finding]:
    found = keywords(project)
    if len(found) >= 3:
        return []
    return [finding(KEYWORDS, f"{len(found)} keyword(s) ({', '.join(found) or 'none'}); Dryad needs three",
                    _idf_where(project, "Comment[Keywords]"))]


def human_findings(project: Project) -> list[Finding]:
    """Human rows need the statement; name-like cells and record-number-like subject ids are errors."""
    out: list[Finding] = []
    human_sdrfs = []
    for sdrf in project.sdrfs:
        human = privacy._human_rows(sdrf)
        organism = any(col.kind in ("characteristics", "comment") and col.name.strip().lower() == "organism"
                       for col in sdrf.columns)
        if organism and any(human):
            human_sdrfs.append(sdrf)
        for c, col in enumerate(sdrf.columns):
            name = col.name.strip().lower()
            if col.kind not in ("characteristics", "comment", "factor_value") or not any(
                    w in name for w in SUBJECT_ID_WORDS):
                continue
            numbers = {v for v in column_counts(sdrf, c) if RECORD_NUMBER.match(v.strip())}
            out += [finding(PERSONAL, f"'{v.strip()}' in '{sdrf.header[c]}' looks like a medical record "
                            "number", cell(sdrf, r, c)) for r, v in rows_with(sdrf, c, numbers) if human[r]]
    out += [finding(PERSONAL, f.message, f.location) for f in privacy.safe_harbor_findings(project)
            if f.code == rule_codes.PHI_NAME]
    field = METADATA["hsiStatement"].name
    if human_sdrfs and not project.idf.first(field).strip():
        name = human_sdrfs[0].path.name if human_sdrfs[0].path is not None else "the SDRF"
        out.append(finding(HUMAN, f"{name} describes Homo sapiens samples and the IDF has no '{field}'",
                           _idf_where(project, field)))
    return out


def limit_findings(project: Project) -> list[Finding]:
    return limits.limit_findings(project, LIMITS, "a Dryad dataset", LIMIT, FILE_SIZE)


TARGET = register(Target(
    name="dryad",
    title="Dryad",
    code_prefix="DRYAD",
    source=SOURCE,
    fields=tuple(METADATA.values()),
    limits=LIMITS,
    rules=(licence_findings, author_findings, title_findings, keyword_findings, human_findings,
           limit_findings, *PUBLIC_TARGET_RULES),
    transport="",
))
