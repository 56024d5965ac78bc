"""dbGaP: the Subject Consent, Subject-Sample Mapping, Sample Attributes and Subject Attributes data
sets (DS) as tab-separated text, each with its data dictionary (DD), from the SDRF.

Columns as the dbgap target maps them (SUBJECT_ID <- ``Characteristics[SUBJECT_ID]``, CONSENT <-
``Characteristics[CONSENT]``, SAMPLE_ID <- ``Sample Name``). A DD starts ``VARNAME, VARDESC, TYPE``
and ends with ``VALUES`` (``UNITS`` before it in the attribute DDs, where dbgaptools requires it);
encoded values are ``N=meaning`` cells, the first under VALUES and the rest spilling into the
unnamed columns after it, as dbgaptools reads them. TYPE is one of dbGaPCheckup's ``integer``,
``decimal``, ``encoded value``, ``string``. Other ``Characteristics[...]`` columns are split: those
with one value per subject are Subject Attributes, the rest Sample Attributes (with BODY_SITE from
organism part and ANALYTE_TYPE from library source / molecule, as dbGaP asks). The consent groups
and their data-use limitations (the consent code in parentheses) go to ``data-use-limitations.tsv``.
The individual-level data files stay out of every public package: here they are listed in the
manifest only for the controlled-access upload (README_NOTE).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.packages.build import PackedFile
from depositdesk.packaging.targets import dbgap as target
from depositdesk.packaging.targets.base import column_index, heading_key

CONSENT_DS, CONSENT_DD = "2a_SubjectConsent_DS.txt", "2b_SubjectConsent_DD.txt"
SSM_DS, SSM_DD = "3a_SubjectSampleMapping_DS.txt", "3b_SubjectSampleMapping_DD.txt"
SAMPLE_DS, SAMPLE_DD = "4a_SampleAttributes_DS.txt", "4b_SampleAttributes_DD.txt"
SUBJECT_DS, SUBJECT_DD = "5a_SubjectAttributes_DS.txt", "5b_SubjectAttributes_DD.txt"
LIMITATIONS = "data-use-limitations.tsv"
SEX_CODES = {"male": "1", "female": "2"}
SEX_VALUES = ("1=Male", "2=Female", "UNK=Unknown")
ANALYTE = {"genomic": "DNA", "genomic dna": "DNA", "genomic single cell": "DNA", "transcriptomic": "RNA",
           "transcriptomic single cell": "RNA", "total rna": "RNA", "polya rna": "RNA",
           "cytoplasmic rna": "RNA", "nuclear rna": "RNA"}
SKIPPED = {heading_key(h) for h in (target.SUBJECT_ID, target.CONSENT, "Characteristics[organism]")}
INTEGER = re.compile(r"^-?\d+$")
DECIMAL = re.compile(r"^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$")
README_NOTE = """
## Controlled access

The data sets and dictionaries above go to the dbGaP Submission Portal. The individual-level data
files listed in `MANIFEST.tsv` (role `data`) go to dbGaP's controlled-access upload only (protected
SRA / the dbGaP Aspera key given for the study), never to a public repository.
"""


def _tsv(rows: Sequence[Sequence[str]]) -> bytes:
    return "".join("\t".join(r) + "\n" for r in rows).encode("utf-8")


def _varname(heading: str) -> str:
    inner = heading[heading.find("[") + 1:heading.rfind("]")] if "[" in heading else heading
    return re.sub(r"[^A-Z0-9]+", "_", inner.upper()).strip("_") or "VAR"


def _type(values: Sequence[str]) -> str:
    present = [v for v in values if v]
    if present and all(INTEGER.match(v) for v in present):
        return "integer"
    if present and all(DECIMAL.match(v) for v in present):
        return "decimal"
    return "string"


class _Table:
    """The SDRF rows as (subject, consent, sample, {column: value}) records, in SDRF order."""

    def __init__(self, project: Project) -> None:
        self.rows: list[tuple[str, str, str, dict[str, str]]] = []
        self.headings: dict[str, str] = {}        # column key -> heading as written
        self.units: dict[str, str] = {}
        for sdrf in project.sdrfs:
            self._read(sdrf)

    def _read(self, sdrf: Sdrf) -> None:
        index = column_index(sdrf)

        def col(heading: str) -> int | None:
            found = index.get(heading_key(heading))
            return found[0] if found else None

        subject, consent, sample = col(target.SUBJECT_ID), col(target.CONSENT), col("Sample Name")
        chars = [(c, h) for c, h in enumerate(sdrf.header) if h.strip().lower().startswith("characteristics")
                 and heading_key(h) not in SKIPPED]
        for c, h in chars:
            self.headings.setdefault(heading_key(h), h.strip())
            if c + 1 < len(sdrf.header) and sdrf.header[c + 1].strip().lower().startswith("unit"):
                self.units.setdefault(heading_key(h), next((r[c + 1].strip() for r in sdrf.rows
                                                            if r[c + 1].strip()), ""))
        for key in ("comment[library source]", "comment[molecule]"):
            if (extra := col(key)) is not None:
                chars.append((extra, key))
        for row in sdrf.rows:
            values = {heading_key(h): row[c].strip() for c, h in chars}
            self.rows.append((row[subject].strip() if subject is not None else "",
                              row[consent].strip() if consent is not None else "",
                              row[sample].strip() if sample is not None else "", values))

    def subjects(self) -> dict[str, str]:
        """subject -> consent, each subject once, first-seen order."""
        found: dict[str, str] = {}
        for subject, consent, _sample, _values in self.rows:
            if subject:
                found.setdefault(subject, consent)
        return found

    def samples(self) -> dict[str, tuple[str, dict[str, str]]]:
        found: dict[str, tuple[str, dict[str, str]]] = {}
        for subject, _consent, sample, values in self.rows:
            if sample:
                found.setdefault(sample, (subject, values))
        return found

    def subject_level(self) -> list[str]:
        """Characteristics with a single value per subject (in column order)."""
        keys = list(self.headings)
        seen: dict[tuple[str, str], str] = {}
        varying: set[str] = set()
        for subject, _consent, _sample, values in self.rows:
            for key in keys:
                if seen.setdefault((subject, key), values.get(key, "")) != values.get(key, ""):
                    varying.add(key)
        return [k for k in keys if k not in varying and k != heading_key("Characteristics[organism part]")]


def _sex(value: str) -> str:
    return SEX_CODES.get(value.strip().lower(), "UNK") if value else ""


def consent_files(table: _Table, project: Project) -> dict[str, bytes]:
    groups = target.consent_groups(project)
    subjects = table.subjects()
    sex_key = heading_key("Characteristics[sex]")
    with_sex = sex_key in table.headings
    first = {s: v for s, _c, _sa, v in reversed(table.rows)}
    ds = [["SUBJECT_ID", "CONSENT", *(["SEX"] if with_sex else [])]]
    ds += [[s, c, *([_sex(first[s].get(sex_key, ""))] if with_sex else [])] for s, c in subjects.items()]
    dd = [["VARNAME", "VARDESC", "TYPE", "VALUES"],
          ["SUBJECT_ID", "De-identified subject ID", "string", ""],
          ["CONSENT", "Consent group as determined by the Data Access Committee", "encoded value",
           *[f"{n}={meaning}" for n, meaning in sorted(groups.items())]]]
    if with_sex:
        dd.append(["SEX", "Biological sex of the subject", "encoded value", *SEX_VALUES])
    limits = [["CONSENT", "CONSENT_GROUP", "CONSENT_CODE", "SUBJECTS"]]
    for n, meaning in sorted(groups.items()):
        code = re.search(r"\(([^()]+)\)\s*$", meaning)
        limits.append([str(n), meaning, code.group(1) if code else "",
                       str(sum(1 for c in subjects.values() if c == str(n)))])
    return {CONSENT_DS: _tsv(ds), CONSENT_DD: _tsv(dd), LIMITATIONS: _tsv(limits)}


def mapping_files(table: _Table) -> dict[str, bytes]:
    ds = [["SUBJECT_ID", "SAMPLE_ID"], *[[subject, sample] for sample, (subject, _v) in table.samples().items()]]
    dd = [["VARNAME", "VARDESC", "TYPE", "VALUES"],
          ["SUBJECT_ID", "De-identified subject ID", "string", ""],
          ["SAMPLE_ID", "De-identified sample ID", "string", ""]]
    return {SSM_DS: _tsv(ds), SSM_DD: _tsv(dd)}


def _attribute_dd(keys: Sequence[str], table: _Table, columns: dict[str, list[str]], level: str) -> list[list[str]]:
    dd = []
    for key in keys:
        heading = table.headings.get(key, key)
        dd.append([_varname(heading), f"{level} {_varname(heading).lower().replace('_', ' ')} "
                   f"(SDRF {heading})", _type(columns[key]), table.units.get(key, ""), ""])
    return dd


def attribute_files(table: _Table) -> dict[str, bytes]:
    subject_keys = table.subject_level()
    sample_keys = [k for k in table.headings if k not in subject_keys and k != heading_key("Characteristics[sex]")]
    body_site = heading_key("Characteristics[organism part]")
    samples = table.samples()
    sample_cols = {k: [v.get(k, "") for _s, v in samples.values()] for k in sample_keys}
    other = [k for k in sample_keys if k != body_site]
    ds = [["SAMPLE_ID", "BODY_SITE", "ANALYTE_TYPE", *[_varname(table.headings[k]) for k in other]]]
    for sample, (_subject, values) in samples.items():
        source = values.get("comment[librarysource]", "") or values.get("comment[molecule]", "")
        ds.append([sample, values.get(body_site, ""), ANALYTE.get(source.lower(), ""),
                   *[values.get(k, "") for k in other]])
    dd = [["VARNAME", "VARDESC", "TYPE", "UNITS", "VALUES"],
          ["SAMPLE_ID", "De-identified sample ID", "string", "", ""],
          ["BODY_SITE", "Body site where the sample was taken (SDRF Characteristics[organism part])",
           "string", "", ""],
          ["ANALYTE_TYPE", "Analyte of the sample (from the SDRF library source or molecule)",
           "encoded value", "", "DNA=DNA", "RNA=RNA"],
          *_attribute_dd(other, table, sample_cols, "Sample")]
    subjects = {s: v for s, _c, _sa, v in reversed(table.rows) if s}
    subject_keys = [k for k in subject_keys if k != heading_key("Characteristics[sex]")]
    subject_cols = {k: [subjects[s].get(k, "") for s in table.subjects()] for k in subject_keys}
    sds = [["SUBJECT_ID", *[_varname(table.headings[k]) for k in subject_keys]]]
    sds += [[s, *[subjects[s].get(k, "") for k in subject_keys]] for s in table.subjects()]
    sdd = [["VARNAME", "VARDESC", "TYPE", "UNITS", "VALUES"],
           ["SUBJECT_ID", "De-identified subject ID", "string", "", ""],
           *_attribute_dd(subject_keys, table, subject_cols, "Subject")]
    return {SAMPLE_DS: _tsv(ds), SAMPLE_DD: _tsv(dd), SUBJECT_DS: _tsv(sds), SUBJECT_DD: _tsv(sdd)}


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    table = _Table(project)
    return {**consent_files(table, project), **mapping_files(table), **attribute_files(table)}
