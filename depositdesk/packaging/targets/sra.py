"""SRA (Sequence Read Archive, NCBI): the SRA_metadata template (2026) and BioSample packages as data.

`SRA_COLUMNS`: SRA_data column -> SDRF heading (one SRA row per library = Assay Name). The first
twelve columns are required for all data (the template's colour legend); the instrument must be
one of its platform's (the template's INDIRECT drop-down, `PLATFORM_INSTRUMENTS`).

BioSample: the package is named by the IDF line ``Comment[BioSample package]`` (default
`DEFAULT_PACKAGE`); each mandatory ('*') attribute of the package must be in every row, as
``Characteristics[<attribute>]`` (``BIOSAMPLE_HEADINGS`` gives the SDRF headings that differ),
and 'not collected', 'not applicable' or 'missing' is accepted where a value is unknown.
"""

from __future__ import annotations

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules._where import stripped
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets import _sra_terms as terms
from depositdesk.packaging.targets.base import (
    ColumnRequirement,
    Target,
    column_index,
    heading_key,
    register,
)

SOURCE = ("SRA_metadata.xlsx (sheet SRA_data, terms sheet 'Library and Platform Terms', 2026); "
          "BioSample packages Model.organism.animal.1.0 and Invertebrate.1.0")
PART = "targets/sra"
MISSING_VALUES = ("not collected", "not applicable", "missing")

SRA_COLUMNS: dict[str, ColumnRequirement] = {
    "sample_name": ColumnRequirement("Sample Name", "sample_name"),
    "library_ID": ColumnRequirement("Assay Name", "library_ID", unique=True),
    "title": ColumnRequirement("Comment[title]", "title"),
    "library_strategy": ColumnRequirement("Comment[library strategy]", "library_strategy",
                                          vocabulary=terms.STRATEGIES),
    "library_source": ColumnRequirement("Comment[library source]", "library_source", vocabulary=terms.SOURCES),
    "library_selection": ColumnRequirement("Comment[library selection]", "library_selection",
                                           vocabulary=terms.SELECTIONS),
    "library_layout": ColumnRequirement("Comment[library layout]", "library_layout", vocabulary=terms.LAYOUTS),
    "platform": ColumnRequirement("Comment[platform]", "platform", vocabulary=terms.PLATFORMS),
    "instrument_model": ColumnRequirement(
        "Parameter Value[instrument model]", "instrument_model",
        vocabulary=tuple(dict.fromkeys(m for ms in terms.PLATFORM_INSTRUMENTS.values() for m in ms))),
    "design_description": ColumnRequirement("Comment[design description]", "design_description"),
    "filetype": ColumnRequirement("Comment[filetype]", "filetype", vocabulary=terms.FILETYPES),
    "filename": ColumnRequirement("Array Data File", "filename"),
}

DEFAULT_PACKAGE = "Model.organism.animal.1.0"
PACKAGE_FIELD = "Comment[BioSample package]"
BIOSAMPLE_PACKAGES: dict[str, tuple[str, ...]] = {
    # package -> mandatory ('*') attributes, in the template's order
    "Model.organism.animal.1.0": ("sample_name", "organism", "collection_date", "geo_loc_name", "sex", "tissue"),
    "Invertebrate.1.0": ("sample_name", "organism", "collection_date", "geo_loc_name", "tissue"),
}
BIOSAMPLE_HEADINGS: dict[str, tuple[str, ...]] = {
    # attribute -> SDRF headings that supply it (first found wins); others: Characteristics[<attribute>]
    "sample_name": ("Sample Name",),
    "tissue": ("Characteristics[tissue]", "Characteristics[organism part]"),
    "geo_loc_name": ("Characteristics[geo_loc_name]", "Characteristics[geographic location]"),
    "dev_stage": ("Characteristics[dev_stage]", "Characteristics[developmental stage]"),
}

INSTRUMENT_PLATFORM = define(
    "SRA-INSTRUMENT-PLATFORM", Severity.ERROR, "The instrument model is not one of its platform's",
    "Choose the platform that makes this instrument, or an instrument of the platform.", part=PART)
BIOSAMPLE_MISSING = define(
    "SRA-BIOSAMPLE-MISSING", Severity.ERROR, "An attribute the BioSample package makes mandatory is missing",
    "Add the column and fill it in every row; write 'not collected', 'not applicable' or 'missing' "
    "where the value is not known.", part=PART)
BIOSAMPLE_PACKAGE = define(
    "SRA-BIOSAMPLE-PACKAGE", Severity.ERROR, "The IDF names a BioSample package DepositDesk does not know",
    "Use one of the packages listed in the message.", part=PART)


def platform_rule(code: str):
    """The platform -> instrument dependency as a rule raising ``code`` (SRA and ENA share it)."""

    def platform_findings(project: Project) -> list[Finding]:
        out: list[Finding] = []
        for sdrf in project.sdrfs:
            index = column_index(sdrf)
            platform = index.get(heading_key(SRA_COLUMNS["platform"].heading), [])
            model = index.get(heading_key(SRA_COLUMNS["instrument_model"].heading), [])
            if not platform or not model:
                continue
            name = sdrf.path.name if sdrf.path is not None else "SDRF"
            for r, row in enumerate(sdrf.rows, start=1):
                plat, inst = row[platform[0]].strip(), row[model[0]].strip()
                allowed = terms.PLATFORM_INSTRUMENTS.get(plat)
                if allowed is not None and inst and inst not in allowed:
                    where = Location(file=name, row=r, column=model[0] + 1, column_name=sdrf.header[model[0]])
                    out.append(finding(code, f"'{inst}' is not an instrument of platform {plat}", where,
                                       suggestion=f"{plat} instruments: " + ", ".join(allowed)))
        return out

    return platform_findings


def biosample_findings(project: Project) -> list[Finding]:
    package = project.idf.first(PACKAGE_FIELD).strip() or DEFAULT_PACKAGE
    idf_where = Location(file=project.idf_path.name, column_name=PACKAGE_FIELD)
    if package not in BIOSAMPLE_PACKAGES:
        return [finding(BIOSAMPLE_PACKAGE, f"BioSample package '{package}' is not one of "
                        + ", ".join(BIOSAMPLE_PACKAGES), idf_where)]
    out: list[Finding] = []
    for sdrf in project.sdrfs:
        index = column_index(sdrf)
        name = sdrf.path.name if sdrf.path is not None else "SDRF"
        for attribute in BIOSAMPLE_PACKAGES[package]:
            headings = BIOSAMPLE_HEADINGS.get(attribute, (f"Characteristics[{attribute}]",))
            cols = [c for h in headings for c in index.get(heading_key(h), [])]
            if not cols:
                out.append(finding(BIOSAMPLE_MISSING, f"BioSample package {package} requires '*{attribute}': "
                                   f"add the column '{headings[0]}'", Location(file=name, column_name=headings[0])))
                continue
            out.extend(finding(BIOSAMPLE_MISSING, f"BioSample package {package} requires '*{attribute}' "
                               "in every row", Location(file=name, row=r, column=cols[0] + 1,
                                                        column_name=sdrf.header[cols[0]]))
                       for r, values in enumerate(zip(*(stripped(sdrf, c) for c in cols), strict=True), start=1)
                       if not any(values))
    return out


TARGET = register(Target(
    name="sra",
    title="SRA",
    source=SOURCE,
    columns=tuple(SRA_COLUMNS.values()),
    rules=(platform_rule(INSTRUMENT_PLATFORM), biosample_findings, *PUBLIC_TARGET_RULES),
    accepted_missing=MISSING_VALUES,
    file_rules={"SAM-NO-RECORDS": Severity.ERROR, "FASTQ-EMPTY-READ": Severity.ERROR},
    transport="ftp",
))
