"""A BIA RO-Crate (BIA's new submission format) from checked REMBI and the files of each study component.

`ro-crate-metadata.json`: flattened JSON-LD with the RO-Crate **1.1** context followed by the
standard BIA context (the terms of BIA's models), the metadata descriptor conforming to RO-Crate
1.1, the root `./` as the bia:Study, its contributors and affiliations, publications, one
bia:Dataset per study component and the REMBI objects its association names (bia:BioSample with
its bia:Taxon, bia:SpecimenImagingPreparationProtocol, bia:ImageAcquisitionProtocol, analysis and
correlation methods), and the file list `file_list.tsv` with its csvw schema (file path, size,
dataset, rdf:type). Each entity is made with BIA's own models (`crate_models`) and dumped as BIA
dumps it, so BIA's validator reads it back; `crate_check.validate_crate` is run on it in tests.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from depositdesk.packaging.bia import crate_models as cm
from depositdesk.packaging.bia.rembi import Rembi

RO_CRATE_11 = "https://w3id.org/ro/crate/1.1/context"
FILE_LIST = "file_list.tsv"
LICENCE_URLS = {"CC0": "https://creativecommons.org/publicdomain/zero/1.0/",
                "CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/"}
IMAGE_SUFFIXES = (".tif", ".tiff", ".png", ".jpg", ".jpeg", ".czi", ".lif", ".nd2", ".oir", ".ims", ".lsm",
                  ".dv", ".mrc", ".rec", ".st", ".zarr", ".dcm", ".svs", ".vsi", ".ndpi", ".scn")
COLUMNS = (("file_path", cm.BIA + "filePath"), ("size_in_bytes", cm.BIA + "sizeInBytes"),
           ("dataset", cm.SCHEMA + "isPartOf"), ("type", cm.RDF_TYPE))


@dataclass(frozen=True)
class CrateFile:
    path: str            # relative to the crate root, '/' separators
    size: int
    component: str       # the study component (REMBI study_component key) it belongs to


def _local(kind: str, title: str) -> str:
    return "#" + quote(f"{kind} {title}", safe="")


class _Graph:
    def __init__(self) -> None:
        self.entities: dict[str, cm.CrateModel] = {}

    def add(self, entity: cm.CrateModel) -> dict[str, str]:
        self.entities.setdefault(entity.id, entity)
        return {"@id": entity.id}


def _people(graph: _Graph, study: dict[str, Any]) -> list[dict[str, str]]:
    refs = []
    for n, author in enumerate(study["authors"], start=1):
        org = author["affiliation"]
        org_ref = graph.add(cm.Affiliation.model_validate({
            "@id": _local("affiliation", org["name"] or str(n)), "@type": ["Organization", "bia:Affiliation"],
            "displayName": org["name"], "address": org.get("address") or None,
            "website": org.get("url") or None}))
        orcid = (author.get("orcid") or "").strip()
        person_id = orcid if orcid.startswith("https://orcid.org/") else (
            f"https://orcid.org/{orcid}" if orcid else _local("contributor", str(n)))
        refs.append(graph.add(cm.Contributor.model_validate({
            "@id": person_id, "@type": ["Person", "bia:Contributor"],
            "displayName": f"{author['first_name']} {author['last_name']}".strip(),
            "affiliation": [org_ref], "role": [author["role"]] if author.get("role") else [],
            "contactEmail": author.get("email") or None})))
    return refs


def _publications(graph: _Graph, study: dict[str, Any]) -> list[dict[str, str]]:
    refs = []
    for n, pub in enumerate(study["publications"], start=1):
        year = pub.get("year")
        refs.append(graph.add(cm.Publication.model_validate({
            "@id": pub.get("doi") if (pub.get("doi") or "").startswith("https://") else _local("publication", str(n)),
            "@type": ["ScholarlyArticle", "bia:Publication"], "name": pub["title"],
            "authorNames": pub.get("authors"), "yearPublished": int(year) if year and year.isdigit() else None,
            "pubmedId": pub.get("pubmed_id"), "doi": pub.get("doi")})))
    return refs


def _rembi_objects(graph: _Graph, rembi: Rembi, assoc: dict[str, Any]) -> dict[str, Any]:
    """The Dataset properties naming the REMBI objects of one association."""
    out: dict[str, Any] = {}
    sample = rembi.section("biosamples").get(assoc.get("biosample_id") or "")
    if sample is not None:
        organism = sample["organism"]
        taxon = graph.add(cm.Taxon.model_validate({
            "@id": _local("taxon", organism["scientific_name"] or assoc["biosample_id"]), "@type": ["bia:Taxon"],
            "commonName": organism.get("common_name"), "scientificName": organism["scientific_name"]}))
        out["associatedBiologicalEntity"] = [graph.add(cm.BioSample.model_validate({
            "@id": _local("biosample", assoc["biosample_id"]), "@type": ["bia:BioSample"],
            "title": assoc["biosample_id"], "biologicalEntityDescription": sample["biological_entity"],
            "intrinsicVariableDescription": sample["intrinsic_variables"],
            "extrinsicVariableDescription": sample["extrinsic_variables"],
            "experimentalVariableDescription": sample["experimental_variables"],
            "organismClassification": [taxon]}))]
    specimen = rembi.section("specimens").get(assoc.get("specimen_id") or "")
    if specimen is not None:
        out["associatedSpecimenImagingPreparationProtocol"] = [graph.add(
            cm.SpecimenImagingPreparationProtocol.model_validate({
                "@id": _local("specimen", assoc["specimen_id"]), "@type": ["bia:SpecimenImagingPreparationProtocol"],
                "title": assoc["specimen_id"], "protocolDescription": specimen["sample_preparation"]}))]
    acquisition = rembi.section("acquisitions").get(assoc.get("acquisition_id") or "")
    if acquisition is not None:
        method = acquisition["imaging_method"]
        out["associatedImageAcquisitionProtocol"] = [graph.add(cm.ImageAcquisitionProtocol.model_validate({
            "@id": _local("acquisition", assoc["acquisition_id"]), "@type": ["bia:ImageAcquisitionProtocol"],
            "title": assoc["acquisition_id"], "protocolDescription": acquisition["image_acquisition_parameters"],
            "imagingInstrumentDescription": acquisition["imaging_instrument"],
            "imagingMethodName": [method["value"]] if method["value"] else [],
            "fbbiId": [method["ontology_id"]] if method["ontology_id"] else []}))]
    for key, section, model, prop, text in (
            ("analysis_id", "analysis", cm.ImageAnalysisMethod, "associatedImageAnalysisMethod", "analysis_overview"),
            ("correlation_id", "correlations", cm.ImageCorrelationMethod, "associatedImageCorrelationMethod",
             "spatial_and_temporal_alignment")):
        obj = rembi.section(section).get(assoc.get(key) or "")
        if obj is not None:
            out[prop] = [graph.add(model.model_validate({
                "@id": _local(section, assoc[key]), "@type": [f"bia:{model.__name__}"],
                "title": assoc[key], "protocolDescription": obj[text]}))]
    return out


def _datasets(graph: _Graph, rembi: Rembi) -> dict[str, dict[str, str]]:
    """study component key -> reference of its bia:Dataset."""
    associations = list(rembi.section("associations").values())
    refs = {}
    for n, (key, component) in enumerate(rembi.section("study_component").items()):
        props = _rembi_objects(graph, rembi, associations[n]) if n < len(associations) else {}
        refs[key] = graph.add(cm.Dataset.model_validate({
            "@id": _local("dataset", key), "@type": ["bia:Dataset"], "name": component["name"],
            "description": component["description"], **props}))
    return refs


def _file_list_schema(graph: _Graph) -> dict[str, str]:
    columns = [graph.add(cm.Column.model_validate({"@id": f"#col{i}", "@type": ["csvw:Column"], "columnName": name,
                                                   "propertyUrl": prop}))
               for i, (name, prop) in enumerate(COLUMNS)]
    schema = graph.add(cm.TableSchema.model_validate({"@id": "#ts0", "@type": ["csvw:Schema"], "column": columns}))
    return graph.add(cm.FileList.model_validate({"@id": FILE_LIST, "@type": ["File", "bia:FileList", "csvw:Table"],
                                                 "tableSchema": schema}))


def crate_metadata(rembi: Rembi, accession: str) -> dict[str, Any]:
    """ro-crate-metadata.json of checked REMBI (`rembi.ok`) as a JSON object."""
    study = rembi.study
    graph = _Graph()
    graph.add(cm.CreativeWork.model_validate({"@id": "ro-crate-metadata.json", "@type": "CreativeWork"}))
    contributors = _people(graph, study)
    publications = _publications(graph, study)
    file_list = _file_list_schema(graph)
    datasets = _datasets(graph, rembi)
    licence = study.get("license") or "CC0"
    graph.add(cm.Study.model_validate({
        "@id": "./", "@type": ["Dataset", "bia:Study"], "name": study["title"],
        "description": study["description"], "contributor": contributors,
        "license": LICENCE_URLS.get(licence, licence), "datePublished": study["private_until_date"].isoformat(),
        "keyword": study["keywords"], "acknowledgement": study.get("acknowledgements"),
        "hasPart": [file_list, *datasets.values()], "accessionId": accession,
        "relatedPublication": publications}))
    entities = [e.model_dump(by_alias=True, mode="json")
                for e in sorted(graph.entities.values(), key=lambda e: e.id)]
    return {"@context": [RO_CRATE_11, cm.standard_context()], "@graph": entities}


def file_list_text(rembi: Rembi, files: Sequence[CrateFile]) -> str:
    """file_list.tsv of the crate: one row per file, its dataset the study component's bia:Dataset."""
    lines = ["\t".join(name for name, _ in COLUMNS)]
    for item in files:
        kind = cm.BIA + "Image" if item.path.lower().endswith(IMAGE_SUFFIXES) else ""
        lines.append("\t".join([item.path, str(item.size), _local("dataset", item.component), kind]))
    return "\n".join(lines) + "\n"


def crate_files(rembi: Rembi, accession: str, files: Sequence[CrateFile]) -> dict[str, bytes]:
    metadata = json.dumps(crate_metadata(rembi, accession), indent=2, ensure_ascii=False) + "\n"
    return {"ro-crate-metadata.json": metadata.encode("utf-8"), FILE_LIST: file_list_text(rembi, files).encode("utf-8")}
