"""REMBI -> PageTab, as bia-agent's `rembi-to-pagetab` / `rembi-mifa-to-pagetab` write it.

Kept as bia-agent does it, quirks included, so that its golden outputs are reproduced byte for
byte: the Submission carries an empty `DOI` attribute (BioStudies fills or keeps it); the
analysis accno is `Image-Analysis-N` while the others keep a space (`Image Acquisition-N`); a
publication's `pubmed_id` is written as `PMC ID`; organisations are numbered o1, o2, ... in the
order authors first name them; study components are paired with associations by position
(`zip`), not by name. With annotations (MIFA) the template is BioImages.MIFA.v1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from depositdesk.packaging.bia.pagetab import Attribute, Link, Section, Submission
from depositdesk.packaging.bia.rembi import Rembi

VERSION = "1.0.0"
REMBI_TEMPLATE = "BioImages.v4"
MIFA_TEMPLATE = "BioImages.MIFA.v1"


def rembi_to_pagetab(rembi: Rembi, accession: str | None = None, root_path: str | None = None,
                     mifa: bool | None = None) -> Submission:
    """The PageTab submission of checked REMBI (`rembi.ok`). `mifa`: None = when it has annotations."""
    mifa = rembi.has_mifa if mifa is None else mifa
    submission = _submission(rembi.study, accession, MIFA_TEMPLATE if mifa else REMBI_TEMPLATE)
    if root_path:
        submission.attributes.append(Attribute("RootPath", root_path))
    subsections = submission.section.subsections
    for name, convert in (("biosamples", _biosample), ("specimens", _specimen),
                          ("acquisitions", _acquisition), ("correlations", _correlation),
                          ("analysis", _analysis)):
        subsections += _numbered(convert, rembi.section(name))
    if mifa:
        pairs = zip(rembi.section("annotations").items(), rembi.section("version").values(), strict=False)
        subsections += [_annotations(ann, title, version, n)
                        for n, ((title, ann), version) in enumerate(pairs, start=1)]
    components = zip(rembi.section("study_component").values(), rembi.section("associations").values(),
                     strict=False)
    subsections += [_study_component(sc, assoc, n) for n, (sc, assoc) in enumerate(components, start=1)]
    return submission


def _numbered(convert: Callable[[dict[str, Any], str, int], Section],
              objects: dict[str, dict[str, Any]]) -> list[Section]:
    return [convert(obj, title, n) for n, (title, obj) in enumerate(objects.items(), start=1)]


def _append_if(attributes: list[Attribute], name: str, value: str | None) -> None:
    if value:
        attributes.append(Attribute(name, value))


def _org_key(org: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted(org.items()))


def _organization(org: dict[str, Any], label: str) -> Section:
    attributes = [Attribute("Name", org["name"])]
    if org["kind"] == "OrganisationURL":
        attributes.append(Attribute("RORID", org["url"]))
    else:
        attributes.append(Attribute("Address", org.get("address")))
    return Section("organization", label, attributes)


def _author(author: dict[str, Any], label: str) -> Section:
    attributes = [Attribute("Name", f"{author['first_name']} {author['last_name']}")]
    _append_if(attributes, "E-mail", author.get("email"))
    _append_if(attributes, "Role", author.get("role"))
    _append_if(attributes, "ORCID", author.get("orcid"))
    attributes.append(Attribute("affiliation", label, reference=True))
    return Section("author", None, attributes)


def _publication(pub: dict[str, Any]) -> Section:
    attributes: list[Attribute] = []
    for name, key in (("Title", "title"), ("Year", "year"), ("Authors", "authors"), ("DOI", "doi"),
                      ("PMC ID", "pubmed_id")):
        _append_if(attributes, name, pub.get(key))
    return Section("Publication", None, attributes)


def _submission(study: dict[str, Any], accession: str | None, template: str) -> Submission:
    orgs: dict[tuple[Any, ...], tuple[str, dict[str, Any]]] = {}
    for author in study["authors"]:
        key = _org_key(author["affiliation"])
        orgs.setdefault(key, (f"o{len(orgs) + 1}", author["affiliation"]))
    subsections = [_author(a, orgs[_org_key(a["affiliation"])][0]) for a in study["authors"]]
    subsections += [_organization(org, label) for label, org in orgs.values()]
    subsections += [_publication(pub) for pub in study["publications"]]
    attributes = [Attribute("Description", study["description"])]
    if study.get("license"):
        attributes.append(Attribute("License", study["license"]))
    attributes += [Attribute("Keyword", k) for k in study["keywords"]]
    links = []
    for link in study["links"]:
        link_attributes: list[Attribute] = []
        _append_if(link_attributes, "Type", link.get("link_type"))
        _append_if(link_attributes, "Description", link.get("link_description"))
        links.append(Link(link["link_url"], link_attributes))
    _append_if(attributes, "Acknowledgements", study.get("acknowledgements"))
    funding = study.get("funding")
    if funding:
        _append_if(attributes, "Funding statement", funding.get("funding_statement"))
        subsections += [Section("Funding", None, [Attribute("Agency", g["funder"]),
                                                  Attribute("grant_id", g["identifier"])])
                        for g in funding["grant_references"]]
    section = Section("Study", None, attributes, subsections, links)
    return Submission(accession or None, [
        Attribute("Title", study["title"]),
        Attribute("ReleaseDate", study["private_until_date"].strftime("%Y-%m-%d")),
        Attribute("AttachTo", "BioImages"),
        Attribute("Template", template),
        Attribute("REMBI_PageTab Conversion Script Version", VERSION),
        Attribute("DOI", None),  # bia-agent: an empty DOI, generated or kept by BioStudies
    ], section)


def _biosample(sample: dict[str, Any], title: str, n: int) -> Section:
    organism = sample["organism"]
    organism_section = Section("Organism", f"Organism-{n}", [
        Attribute("Scientific name", organism["scientific_name"]),
        Attribute("Common name", organism.get("common_name")),
        Attribute("NCBI taxon ID", organism["ncbi_taxon"]),
    ])
    attributes = [Attribute("Title", title), Attribute("Biological entity", sample["biological_entity"])]
    _append_if(attributes, "Description", sample.get("description"))
    for name, key in (("Intrinsic variable", "intrinsic_variables"), ("Extrinsic variable", "extrinsic_variables"),
                      ("Experimental variable", "experimental_variables")):
        attributes += [Attribute(name, value) for value in sample[key]]
    return Section("Biosample", f"Biosample-{n}", attributes, [organism_section])


def _specimen(specimen: dict[str, Any], title: str, n: int) -> Section:
    attributes = [Attribute("Title", title), Attribute("Sample Preparation Protocol", specimen["sample_preparation"])]
    _append_if(attributes, "Growth Protocol", specimen.get("growth_protocol"))
    return Section("Specimen", f"Specimen-{n}", attributes)


def _acquisition(acquisition: dict[str, Any], title: str, n: int) -> Section:
    method = acquisition["imaging_method"]
    method_section = Section("Imaging Method", f"Imaging Method-{n}", [
        Attribute("Ontology Value", method["value"]),
        Attribute("Ontology Name", method["ontology_name"]),
        Attribute("Ontology Term ID", method["ontology_id"]),
    ])
    return Section("Image Acquisition", f"Image Acquisition-{n}", [
        Attribute("Title", title),
        Attribute("Imaging Instrument", acquisition["imaging_instrument"]),
        Attribute("Image Acquisition Parameters", acquisition["image_acquisition_parameters"]),
    ], [method_section])


def _correlation(correlation: dict[str, Any], title: str, n: int) -> Section:
    return Section("Image Correlation", f"Image Correlation-{n}", [
        Attribute("Title", title),
        Attribute("Spatial and temporal alignment", correlation["spatial_and_temporal_alignment"]),
        Attribute("Fiducials used", correlation["fiducials_used"]),
        Attribute("Transformation matrix", correlation["transformation_matrix"]),
    ])


def _analysis(analysis: dict[str, Any], title: str, n: int) -> Section:
    return Section("Image Analysis", f"Image-Analysis-{n}", [
        Attribute("Title", title), Attribute("Image Analysis Overview", analysis["analysis_overview"]),
    ])


def associations_section(assoc: dict[str, Any]) -> Section:
    attributes = [Attribute("Biosample", assoc["biosample_id"]), Attribute("Specimen", assoc["specimen_id"]),
                  Attribute("Image acquisition", assoc["acquisition_id"])]
    _append_if(attributes, "Image Correlation", assoc.get("correlation_id"))
    _append_if(attributes, "Image Analysis", assoc.get("analysis_id"))
    return Section("Associations", None, attributes)


def _study_component(component: dict[str, Any], assoc: dict[str, Any], n: int) -> Section:
    return Section("Study Component", f"Study Component-{n}", [
        Attribute("Name", component["name"]), Attribute("Description", component["description"]),
    ], [associations_section(assoc)])


def _annotations(ann: dict[str, Any], title: str, version: dict[str, Any], n: int) -> Section:
    attributes = [
        Attribute("Title", title),
        Attribute("Annotation Overview", ann["annotation_overview"]),
        Attribute("Annotation Type", ",".join(ann["annotation_type"])),
        Attribute("Annotation Method", ann["annotation_method"]),
    ]
    _append_if(attributes, "Annotation Confidence Level", ann.get("annotation_confidence_level"))
    _append_if(attributes, "Annotation Criteria", ann.get("annotation_criteria"))
    _append_if(attributes, "Annotation Coverage", ann.get("annotation_coverage"))
    version_attributes = [Attribute("Annotation version", version["version"]),
                          Attribute("Version timestamp", str(version["timestamp"]))]
    _append_if(version_attributes, "Version changes", version.get("changes"))
    _append_if(version_attributes, "Previous version", version.get("previous_version"))
    return Section("Annotations", f"Annotations-{n}", attributes, [Section("Version", None, version_attributes)])
