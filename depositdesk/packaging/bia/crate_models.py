"""The BIA RO-Crate entity models, as BIA's validator defines them (bia-ro-crate ro_crate_models.py).

Pydantic models with the same fields, types and validators, so that an entity BIA's validator
rejects is rejected here with the same pydantic message. `Ctx(iri)` marks the property IRI of
a field; the standard BIA JSON-LD context (`standard_terms()`) is made from these marks as BIA
makes it (one term per field name).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, AnyUrl, BaseModel, Field, field_validator

BIA = "http://bia/"
SCHEMA = "http://schema.org/"
CSVW = "http://www.w3.org/ns/csvw#"
DC = "http://purl.org/dc/terms/"
DWC = "http://rs.tdwg.org/dwc/terms/"
RDFS_SEE_ALSO = "http://www.w3.org/2000/01/rdf-schema#seeAlso"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "schema": SCHEMA, "dc": DC, "bia": BIA,
            "csvw": CSVW}
INVALID_IRI_CHARS = '<>" {}|\\^`'
"""rdflib's `_invalid_uri_chars`: a URIRef holding one of them cannot be serialised (n3() fails)."""


class Ctx:
    def __init__(self, iri: str) -> None:
        self.iri = iri


def id_validate(value: str) -> str:
    if not value.startswith("_:") and any(c in value for c in INVALID_IRI_CHARS):
        raise ValueError(f'"{value}" is not a valid IRI')
    return value


class ObjectReference(BaseModel):
    id: Annotated[str, AfterValidator(id_validate)] = Field(alias="@id")


Refs = list[ObjectReference]


class CrateModel(BaseModel):
    model_type: ClassVar[str] = ""
    id: Annotated[str, AfterValidator(id_validate)] = Field(alias="@id")
    type: str | list[str] = Field(alias="@type")

    @field_validator("type", mode="after")
    @classmethod
    def includes_expected_type(cls, value: str | list[str]) -> str | list[str]:
        expected = cls.model_type
        short = (expected.replace(CSVW, "csvw:").replace(BIA, "bia:").replace("http://schema.org/", "")
                 .replace("https://schema.org/", ""))
        found = [value] if isinstance(value, str) else value
        if expected not in found and short not in found:
            raise ValueError(f"Expected {expected}, or {short} in types, found: {value}")
        return value


class CreativeWork(CrateModel):
    model_type = SCHEMA + "CreativeWork"
    id: str = Field(alias="@id", default="ro-crate-metadata.json")
    type: str | list[str] = Field(alias="@type", default="CreativeWork")
    conformsTo: dict[str, Any] = Field(default={"@id": "https://w3id.org/ro/crate/1.1"})
    about: dict[str, Any] = Field(default={"@id": "./"})


class Study(CrateModel):
    model_type = BIA + "Study"
    name: Annotated[str, Ctx(SCHEMA + "name")] = Field()
    contributor: Annotated[Refs, Ctx(SCHEMA + "author")] = Field(min_length=1)
    description: Annotated[str, Ctx(SCHEMA + "description")] = Field()
    license: Annotated[AnyUrl, Ctx(SCHEMA + "license")] = Field()
    datePublished: Annotated[str, Ctx(SCHEMA + "datePublished")] = Field()
    keyword: Annotated[list[str], Ctx(SCHEMA + "keywords")] = Field(default_factory=list)
    acknowledgement: Annotated[str | None, Ctx(BIA + "acknowledgement")] = Field(default=None)
    hasPart: Annotated[Refs, Ctx(SCHEMA + "hasPart")] = Field()
    accessionId: Annotated[str, Ctx(SCHEMA + "identifier")] = Field()
    seeAlso: Annotated[Refs, Ctx(RDFS_SEE_ALSO)] = Field(default_factory=list)
    relatedPublication: Annotated[Refs, Ctx(BIA + "relatedPublication")] = Field(default_factory=list)
    funding: Annotated[Refs, Ctx(SCHEMA + "funding")] = Field(default_factory=list)

    @field_validator("id", mode="after")
    @classmethod
    def validate_id(cls, value: str) -> str:
        if value != "./":
            raise ValueError("Study id should be root ro-crate entity.")
        return value


class Publication(CrateModel):
    model_type = BIA + "Publication"
    name: Annotated[str | None, Ctx(SCHEMA + "name")] = Field(default=None)
    authorNames: Annotated[str | None, Ctx(BIA + "authorNames")] = Field(default=None)
    yearPublished: Annotated[int | None, Ctx(BIA + "yearPublished")] = Field(default=None)
    pubmedId: Annotated[str | None, Ctx(BIA + "pubmedId")] = Field(default=None)
    doi: Annotated[str | None, Ctx(SCHEMA + "identifier")] = Field(default=None)


class Contributor(CrateModel):
    model_type = BIA + "Contributor"
    displayName: Annotated[str, Ctx(SCHEMA + "name")] = Field()
    address: Annotated[str | None, Ctx(SCHEMA + "address")] = Field(default=None)
    website: Annotated[AnyUrl | None, Ctx(BIA + "website")] = Field(default=None)
    affiliation: Annotated[Refs, Ctx(SCHEMA + "memberOf")] = Field(default_factory=list)
    role: Annotated[list[str], Ctx(BIA + "role")] = Field(default_factory=list)
    contactEmail: Annotated[str | None, Ctx(SCHEMA + "email")] = Field(default=None)


class Affiliation(CrateModel):
    model_type = BIA + "Affiliation"
    displayName: Annotated[str, Ctx(SCHEMA + "name")] = Field()
    address: Annotated[str | None, Ctx(SCHEMA + "address")] = Field(default=None)
    website: Annotated[AnyUrl | None, Ctx(BIA + "website")] = Field(default=None)


class Grant(CrateModel):
    model_type = BIA + "Grant"
    funder: Annotated[Refs, Ctx(SCHEMA + "funder")] = Field()
    name: Annotated[str | None, Ctx(SCHEMA + "name")] = Field(default=None)
    identifier: Annotated[str | None, Ctx(DC + "identifier")] = Field(default=None)


class FundingBody(CrateModel):
    model_type = BIA + "FundingBody"
    name: Annotated[str | None, Ctx(SCHEMA + "name")] = Field(default=None)
    identifier: Annotated[str | None, Ctx(DC + "identifier")] = Field(default=None)


class ExternalReference(CrateModel):
    model_type = BIA + "ExternalReference"
    description: Annotated[str | None, Ctx(SCHEMA + "description")] = Field(default=None)
    additionalType: Annotated[str | None, Ctx(SCHEMA + "additionalType")] = Field(default=None)


class Dataset(CrateModel):
    model_type = BIA + "Dataset"
    name: Annotated[str, Ctx(SCHEMA + "name")] = Field()
    description: Annotated[str | None, Ctx(SCHEMA + "description")] = Field(default=None)
    associatedBiologicalEntity: Annotated[Refs, Ctx(BIA + "associatedBiologicalEntity")] = Field(
        default_factory=list)
    associatedSpecimenImagingPreparationProtocol: Annotated[
        Refs, Ctx(BIA + "associatedImagingPreparationProtocol")] = Field(default_factory=list)
    associatedSpecimen: Annotated[ObjectReference | None, Ctx(BIA + "associatedSubject")] = Field(default=None)
    associatedCreationProcess: Annotated[ObjectReference | None, Ctx(BIA + "associatedCreationProcess")] = Field(
        default=None)
    associatedSourceImage: Annotated[Refs, Ctx(BIA + "associatedSourceImage")] = Field(default_factory=list)
    associatedImageAcquisitionProtocol: Annotated[Refs, Ctx(BIA + "associatedImageAcquisitionProtocol")] = Field(
        default_factory=list)
    associatedAnnotationMethod: Annotated[Refs, Ctx(BIA + "associatedAnnotationMethod")] = Field(
        default_factory=list)
    associatedImageAnalysisMethod: Annotated[Refs, Ctx(BIA + "associatedAnalysisMethod")] = Field(
        default_factory=list)
    associatedImageCorrelationMethod: Annotated[Refs, Ctx(BIA + "associatedCorrelationMethod")] = Field(
        default_factory=list)
    associatedProtocol: Annotated[Refs, Ctx(BIA + "associatedProtocol")] = Field(default_factory=list)
    hasPart: Annotated[Refs, Ctx(SCHEMA + "hasPart")] = Field(default_factory=list)


class FileList(CrateModel):
    model_type = BIA + "FileList"
    tableSchema: Annotated[ObjectReference, Ctx(CSVW + "tableSchema")] = Field()


class TableSchema(CrateModel):
    model_type = CSVW + "Schema"
    column: Annotated[Refs, Ctx(CSVW + "column")] = Field(min_length=1)


class Column(CrateModel):
    model_type = CSVW + "Column"
    columnName: Annotated[str, Ctx(CSVW + "name")] = Field()
    propertyUrl: Annotated[str | None, Ctx(CSVW + "propertyUrl")] = Field(default=None)


class Image(CrateModel):
    model_type = BIA + "Image"
    resultOf: Annotated[ObjectReference, Ctx(BIA + "resultOf")] = Field(default=None)  # type: ignore[assignment]
    label: Annotated[str | None, Ctx(SCHEMA + "name")] = Field(default=None)


class AnnotationData(CrateModel):
    model_type = BIA + "AnnotationData"
    resultOf: Annotated[ObjectReference, Ctx(BIA + "resultOf")] = Field(default=None)  # type: ignore[assignment]
    label: Annotated[str | None, Ctx(SCHEMA + "name")] = Field(default=None)


class Specimen(CrateModel):
    model_type = BIA + "Specimen"
    biologicalEntity: Annotated[Refs, Ctx(BIA + "sampleOf")] = Field(min_length=1)
    imagingPreparationProtocol: Annotated[Refs, Ctx(BIA + "imagingPreparationProtocol")] = Field(min_length=1)


class CreationProcess(CrateModel):
    model_type = BIA + "CreationProcess"
    imageAcquisitionProtocol: Annotated[Refs, Ctx(BIA + "imageAcquisitionProtocol")] = Field(default_factory=list)
    subject: Annotated[ObjectReference | None, Ctx(BIA + "subject")] = Field(default=None)
    protocol: Annotated[Refs, Ctx(BIA + "protocol")] = Field(default_factory=list)
    annotationMethod: Annotated[Refs, Ctx(BIA + "annotationMethod")] = Field(default_factory=list)
    inputImage: Annotated[Refs, Ctx(BIA + "inputImage")] = Field(default_factory=list)


class BioSample(CrateModel):
    model_type = BIA + "BioSample"
    title: Annotated[str | None, Ctx(SCHEMA + "name")] = Field(default=None)
    biologicalEntityDescription: Annotated[str, Ctx(BIA + "biologicalEntityDescription")] = Field()
    experimentalVariableDescription: Annotated[list[str], Ctx(BIA + "experimentalVariableDescription")] = Field(
        default_factory=list)
    extrinsicVariableDescription: Annotated[list[str], Ctx(BIA + "extrinsicVariableDescription")] = Field(
        default_factory=list)
    intrinsicVariableDescription: Annotated[list[str], Ctx(BIA + "intrinsicVariableDescription")] = Field(
        default_factory=list)
    organismClassification: Annotated[Refs, Ctx(SCHEMA + "taxonomicRange")] = Field(default_factory=list)
    growthProtocol: Annotated[ObjectReference | None, Ctx(BIA + "growthProtocol")] = Field(default=None)


class Taxon(CrateModel):
    model_type = BIA + "Taxon"
    commonName: Annotated[str | None, Ctx(DWC + "vernacularName")] = Field(default=None)
    scientificName: Annotated[str | None, Ctx(DWC + "scientificName")] = Field(default=None)


class ProtocolMixin(BaseModel):
    title: Annotated[str | None, Ctx(SCHEMA + "name")] = Field()
    protocolDescription: Annotated[str, Ctx(SCHEMA + "description")] = Field()


class Protocol(ProtocolMixin, CrateModel):
    model_type = BIA + "Protocol"


class SpecimenImagingPreparationProtocol(ProtocolMixin, CrateModel):
    model_type = BIA + "SpecimenImagingPreparationProtocol"
    signalChannelInformation: Annotated[Refs, Ctx(BIA + "signalChannelInformation")] = Field(default_factory=list)


class SignalChannelInformation(CrateModel):
    model_type = BIA + "SignalChannel"
    signalContrastMechanismDescription: Annotated[str | None, Ctx(BIA + "signalContrastMechanismDescription")] = (
        Field(default=None))
    channelContentDescription: Annotated[str | None, Ctx(BIA + "channelContentDescription")] = Field(default=None)
    channelBiologicalEntity: Annotated[str | None, Ctx(BIA + "channelBiologicalEntity")] = Field(default=None)
    channelLabel: Annotated[str | None, Ctx(DC + "identifier")] = Field(default=None)


class ImageAcquisitionProtocol(ProtocolMixin, CrateModel):
    model_type = BIA + "ImageAcquisitionProtocol"
    imagingInstrumentDescription: Annotated[str, Ctx(BIA + "imagingInstrumentDescription")] = Field()
    imagingMethodName: Annotated[list[str], Ctx(BIA + "imagingMethodName")] = Field(default_factory=list)
    fbbiId: Annotated[list[str], Ctx(BIA + "fbbiId")] = Field(default_factory=list)


class AnnotationMethod(ProtocolMixin, CrateModel):
    model_type = BIA + "AnnotationMethod"
    annotationCriteria: Annotated[str | None, Ctx(BIA + "annotationCriteria")] = Field(default=None)
    annotationCoverage: Annotated[str | None, Ctx(BIA + "annotationCoverage")] = Field(default=None)
    transformationDescription: Annotated[str | None, Ctx(BIA + "transformationDescription")] = Field(default=None)
    spatialInformation: Annotated[str | None, Ctx(BIA + "spatialInformation")] = Field(default=None)
    methodType: Annotated[list[str], Ctx(BIA + "annotationMethodType")] = Field(default_factory=list)
    annotationSourceIndicator: Annotated[str | None, Ctx(BIA + "annotationSourceIndicator")] = Field(default=None)


class ImageAnalysisMethod(ProtocolMixin, CrateModel):
    model_type = BIA + "ImageAnalysisMethod"
    featuresAnalysed: Annotated[str | None, Ctx(BIA + "featuresAnalysed")] = Field(default=None)


class ImageCorrelationMethod(ProtocolMixin, CrateModel):
    model_type = BIA + "ImageCorrelationMethod"
    fiducialsUsed: Annotated[str | None, Ctx(BIA + "fiducialsUsed")] = Field(default=None)
    transformationMatrix: Annotated[str | None, Ctx(BIA + "transformationMatrix")] = Field(default=None)


MODELS: dict[str, type[CrateModel]] = {m.model_type: m for m in (
    CreativeWork, Study, Publication, Contributor, Affiliation, Grant, FundingBody, ExternalReference, Dataset,
    FileList, TableSchema, Column, Image, AnnotationData, Specimen, CreationProcess, BioSample, Taxon, Protocol,
    SpecimenImagingPreparationProtocol, SignalChannelInformation, ImageAcquisitionProtocol, AnnotationMethod,
    ImageAnalysisMethod, ImageCorrelationMethod,
)}
"""Each BIA class IRI -> its model (an entity must have exactly one of these among its types)."""

FILE_LIST_REFERENCES: dict[str, type[CrateModel]] = {
    BIA + "associatedBiologicalEntity": BioSample,
    BIA + "associatedImagingPreparationProtocol": SpecimenImagingPreparationProtocol,
    BIA + "associatedImageAcquisitionProtocol": ImageAcquisitionProtocol,
    BIA + "associatedAnnotationMethod": AnnotationMethod,
    BIA + "associatedProtocol": Protocol,
    BIA + "associatedSubject": Specimen,
    SCHEMA + "isPartOf": Dataset,
}
"""File-list columns (by propertyUrl) whose values are @ids of entities of ro-crate-metadata.json."""

SELF_REFERENCES = {BIA + "associatedSourceImage": BIA + "Image"}
"""File-list columns whose values name other rows (by file path or schema:name), of the given rdf:type."""

MULTIVALUED = (BIA + "associatedBiologicalEntity", BIA + "associatedImagingPreparationProtocol",
               BIA + "associatedImageAcquisitionProtocol", BIA + "associatedAnnotationMethod",
               BIA + "associatedProtocol", BIA + "associatedSourceImage")


def standard_terms() -> dict[str, str]:
    """The standard BIA context: field name -> property IRI, over all models (BIA's class order)."""
    terms: dict[str, str] = {}
    for model in sorted(MODELS.values(), key=lambda m: m.__name__):
        for name, info in model.model_fields.items():
            ctx = next((m for m in info.metadata if isinstance(m, Ctx)), None)
            if ctx is not None:
                terms[name] = ctx.iri
    return terms


def standard_context() -> dict[str, Any]:
    """The standard BIA JSON-LD context as BIA writes it (prefixes, then terms compacted, sorted)."""
    context: dict[str, Any] = dict(PREFIXES)
    for name, iri in standard_terms().items():
        compact = iri
        for prefix, base in PREFIXES.items():
            candidate = f"{prefix}:{iri.removeprefix(base)}"
            if iri.startswith(base) and len(candidate) < len(compact):
                compact = candidate
        context[name] = {"@id": compact}
    return dict(sorted(context.items()))
