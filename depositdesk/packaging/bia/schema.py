"""bia-agent's REMBI 1.5 and MIFA models as data (bia-rembi-models 0.1, bia-mifa-models).

`required`: the model rejects a missing or null value (pydantic). `template="required"`: the
rembi-mifa template marks the key "# Required" (an empty value passes the model but not a
curator); `blank_ok`: the template says "Leave blank if not known". `default`: the model's
default for a list (a null value counts as that default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ANNOTATION_TYPES = (
    "class_labels", "bounding_boxes", "counts", "derived_annotations", "geometrical_annotations",
    "graphs", "point_annotations", "segmentation_mask", "tracks", "weak_annotations", "other",
)


@dataclass(frozen=True)
class Field:
    key: str
    kind: str = "text"
    required: bool = True
    template: str = ""
    blank_ok: bool = False
    default: Callable[[], Any] | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Model:
    fields: tuple[Field, ...]
    forbid_extra: bool = False


def _req(key: str, kind: str = "text", blank_ok: bool = False) -> Field:
    return Field(key, kind, required=True, template="required", blank_ok=blank_ok)


def _opt(key: str, kind: str = "text") -> Field:
    return Field(key, kind, required=False)


def _list(key: str, kind: str = "texts", template: str = "") -> Field:
    return Field(key, kind, required=False, template=template, default=list)


RELEASE = Field("rembi_version", "literal", choices=("1.5",))

MODELS: dict[str, Model] = {
    "Study": Model((
        _req("title"), _req("description"), _req("private_until_date", "date"),
        Field("keywords", "texts", required=True, template="required"),
        Field("authors", "list:Author", required=True),
        _opt("license", "license"), _opt("funding", "Funding"),
        _list("publications", "list:Publication"), _list("links", "list:Link"),
        _opt("acknowledgements"), RELEASE,
    )),
    "Author": Model((
        _req("last_name"), _req("first_name"), _opt("email"), _opt("orcid"),
        Field("affiliation", "affiliation"), Field("role", required=False, template="required", blank_ok=True),
    )),
    "Organisation": Model((_req("name"), _opt("address"))),
    "OrganisationURL": Model((_req("name"), _req("url"))),
    "Publication": Model((_req("title"), _opt("authors"), _opt("doi"), _opt("year"), _opt("pubmed_id"))),
    "Funding": Model((Field("funding_statement"), _list("grant_references", "list:GrantReference"))),
    "GrantReference": Model((Field("identifier"), Field("funder"))),
    "Link": Model((Field("link_url"), _opt("link_type"), _opt("link_description"))),
    "Biosample": Model((
        Field("organism", "Organism"), _req("biological_entity"), _opt("description"),
        _list("intrinsic_variables"), _list("extrinsic_variables"), _list("experimental_variables"),
    )),
    "Organism": Model((_req("scientific_name"), _opt("common_name"), _req("ncbi_taxon", blank_ok=True))),
    "Specimen": Model((_req("sample_preparation"), _opt("growth_protocol"))),
    "ImageAcquisition": Model((
        Field("imaging_method", "OntologyEntry"), _req("imaging_instrument"),
        _req("image_acquisition_parameters"),
    )),
    "OntologyEntry": Model((_req("value"), _req("ontology_name", blank_ok=True),
                            _req("ontology_id", blank_ok=True))),
    "ImageCorrelation": Model((_req("spatial_and_temporal_alignment"), _req("fiducials_used"),
                               _req("transformation_matrix"))),
    "ImageAnalysis": Model((_req("analysis_overview"),)),
    "Association": Model((
        _req("biosample_id"), _req("specimen_id"), _req("acquisition_id"),
        _opt("correlation_id"), _opt("analysis_id"),
    )),
    "Annotations": Model((
        _req("annotation_overview"),
        Field("annotation_type", "enums", required=False, template="required", default=list,
              choices=ANNOTATION_TYPES),
        _req("annotation_method"), _opt("annotation_criteria"), _opt("annotation_coverage"),
        _opt("annotation_confidence_level"), _list("authors", "any-list"), _list("file_metadata", "any-list"),
    ), forbid_extra=True),
    "Version": Model((_req("version"), _req("timestamp", "datetime"), _opt("changes"), _opt("previous_version")),
                     forbid_extra=True),
    "StudyComponent": Model((_req("name"), _req("description"), RELEASE)),
}

SECTIONS: dict[str, str] = {
    "biosamples": "Biosample",
    "specimens": "Specimen",
    "acquisitions": "ImageAcquisition",
    "correlations": "ImageCorrelation",
    "analysis": "ImageAnalysis",
    "associations": "Association",
    "annotations": "Annotations",
    "version": "Version",
    "study_component": "StudyComponent",
}
"""The top-level sections of bia-agent's REMBIContainer besides `study`, and their models."""
