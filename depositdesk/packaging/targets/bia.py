"""BioImage Archive: REMBI's required fields (bia-agent's rembi-mifa template, REMBI 1.5) as data.

`REMBI`: each required REMBI key -> where DepositDesk takes it from: an IDF field ("idf"), an SDRF
column ("sdrf", or one of a group "sdrf-group"), an IDF protocol of a type ("protocol"), the
term accession of an SDRF column ("term"), or made by the package builder ("derived": study
components and associations follow from the SDRF). The licence is BioStudies' BioImages.v4
choice (CC0 | CC BY 4.0).
"""

from __future__ import annotations

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets.base import (
    ColumnRequirement,
    FieldRequirement,
    Target,
    column_index,
    heading_key,
    register,
)

SOURCE = "REMBI 1.5 (bia-agent templates/rembi-mifa-metadata-template.yaml); BioStudies BioImages.v4 licence"
PART = "targets/bia"
LICENCES = ("CC0", "CC BY 4.0")
ENTITY_GROUP = "biological entity"
RAW_IMAGE_RULES = {"IMG-LOSSY": Severity.ERROR, "IMG-NO-PIXEL-SIZE": Severity.ERROR}
"""The BioImage Archive wants the original images, calibrated: a lossy copy or an image without
its pixel size is an error here (a warning of the image validators elsewhere)."""

REMBI: dict[str, tuple[str, str]] = {
    "study.title": ("idf", "Investigation Title"),
    "study.description": ("idf", "Experiment Description"),
    "study.private_until_date": ("idf", "Public Release Date"),
    "study.keywords": ("idf", "Comment[Keywords]"),
    "study.authors.first_name": ("idf", "Person First Name"),
    "study.authors.last_name": ("idf", "Person Last Name"),
    "study.authors.role": ("idf", "Person Roles"),
    "study.authors.affiliation.name": ("idf", "Person Affiliation"),
    "biosamples.organism.scientific_name": ("sdrf", "Characteristics[organism]"),
    "biosamples.organism.ncbi_taxon": ("term", "Characteristics[organism]"),
    "biosamples.biological_entity": ("sdrf-group", "Characteristics[organism part]|Characteristics[cell type]|"
                                                   "Characteristics[cell line]"),
    "specimens.sample_preparation": ("protocol", "sample preparation protocol"),
    "acquisitions.imaging_method.value": ("sdrf", "Parameter Value[imaging method]"),
    "acquisitions.imaging_method.ontology_id": ("term", "Parameter Value[imaging method]"),
    "acquisitions.imaging_method.ontology_name": ("term", "Parameter Value[imaging method]"),
    "acquisitions.imaging_instrument": ("sdrf", "Parameter Value[imaging instrument]"),
    "acquisitions.image_acquisition_parameters": ("protocol", "image acquisition protocol"),
    "study_component.name": ("derived", "the SDRF file name"),
    "study_component.description": ("idf", "Experiment Description"),
    "associations.biosample_id": ("derived", "the SDRF row's Source Name"),
    "associations.specimen_id": ("derived", "the SDRF row's Sample Name"),
    "associations.acquisition_id": ("derived", "the SDRF row's Assay Name"),
}


def _fields() -> tuple[FieldRequirement, ...]:
    seen: dict[str, FieldRequirement] = {}
    for key, (kind, source) in REMBI.items():
        if kind == "idf" and source not in seen:
            seen[source] = FieldRequirement(source, key)
    seen["Comment[License]"] = FieldRequirement("Comment[License]", "License", vocabulary=LICENCES)
    return tuple(seen.values())


def _columns() -> tuple[ColumnRequirement, ...]:
    out = []
    for key, (kind, source) in REMBI.items():
        if kind == "sdrf":
            out.append(ColumnRequirement(source, key))
        elif kind == "sdrf-group":
            out.extend(ColumnRequirement(h, key, one_of_group=ENTITY_GROUP) for h in source.split("|"))
    return tuple(out)


PROTOCOL_MISSING = define(
    "BIA-PROTOCOL-MISSING", Severity.ERROR, "A protocol REMBI requires is not described in the IDF",
    "Add a protocol of that type (Protocol Name, Protocol Type, Protocol Description).", part=PART)
TERM_MISSING = define(
    "BIA-TERM-MISSING", Severity.ERROR, "REMBI requires an ontology term for this column, and a row has none",
    "Fill the Term Source REF and Term Accession Number after the column (e.g. NCBITaxon:7227, "
    "FBbi:00000243).", part=PART)


def protocol_findings(project: Project) -> list[Finding]:
    types = {t.strip().lower() for t in project.idf.get("Protocol Type")}
    where = Location(file=project.idf_path.name, column_name="Protocol Type")
    return [finding(PROTOCOL_MISSING, f"REMBI requires '{key}': no IDF protocol of type '{source}'", where)
            for key, (kind, source) in REMBI.items() if kind == "protocol" and source not in types]


def term_findings(project: Project) -> list[Finding]:
    out: list[Finding] = []
    headings = dict.fromkeys(source for kind, source in REMBI.values() if kind == "term")
    for sdrf in project.sdrfs:
        index = column_index(sdrf)
        name = sdrf.path.name if sdrf.path is not None else "SDRF"
        for heading in headings:
            for c in index.get(heading_key(heading), []):
                _, accession = sdrf.companions(c)
                for r, row in enumerate(sdrf.rows, start=1):
                    if row[c].strip() and (accession is None or not row[accession].strip()):
                        out.append(finding(TERM_MISSING, f"'{row[c].strip()}' in '{sdrf.header[c]}' has no term "
                                           "accession", Location(file=name, row=r, column=c + 1,
                                                                 column_name=sdrf.header[c])))
    return out


TARGET = register(Target(
    name="bia",
    title="BioImage Archive",
    source=SOURCE,
    fields=_fields(),
    columns=_columns(),
    rules=(protocol_findings, term_findings, *PUBLIC_TARGET_RULES),
    file_rules=RAW_IMAGE_RULES,
    transport="ftp",
))
