"""RO-Crate 1.1 of the whole project (``ro-crate-metadata.json``, written with the ``rocrate``
package at an explicit version 1.1), with the project's IDF and SDRF beside the data files.

The root Dataset: name, description, datePublished, license (a URL for the licences we know, else
the text), keywords, authors (Person entities, ORCID as their @id when the IDF gives one), citation
(the publication DOI). Every data file is a File entity with contentSize, md5 (the W3C crypto
vocabulary's term, declared in the context) and encodingFormat: a media type and, for the formats
we validate, the EDAM format. The IDF and SDRF files are File entities too (text/tab-separated-values).
The data keep their folders inside the project (this target is not flat).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages import zenodo
from depositdesk.packaging.packages.build import PackedFile

CRATE_FILE = "ro-crate-metadata.json"
MD5_TERM = {"md5": "http://www.w3.org/2000/10/swap/crypto#md5"}
LICENCE_URLS = {"CC BY 4.0": "https://creativecommons.org/licenses/by/4.0/",
                "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
                "CC0": "https://creativecommons.org/publicdomain/zero/1.0/",
                "CC0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
                "cc-zero": "https://creativecommons.org/publicdomain/zero/1.0/",
                "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
                "MIT": "https://spdx.org/licenses/MIT"}
FORMATS: tuple[tuple[str, str, str], ...] = (
    # name ending, media type, EDAM format
    (".fastq.gz", "application/gzip", "format_1930"), (".fq.gz", "application/gzip", "format_1930"),
    (".fastq", "text/plain", "format_1930"), (".fq", "text/plain", "format_1930"),
    (".bam", "application/octet-stream", "format_2572"), (".cram", "application/octet-stream", "format_3462"),
    (".bam.bai", "application/octet-stream", "format_3327"),
    (".bw", "application/octet-stream", "format_3006"), (".bigwig", "application/octet-stream", "format_3006"),
    (".bed", "text/plain", "format_3003"), (".bed.gz", "application/gzip", "format_3003"),
    (".gff3", "text/plain", "format_1975"), (".gff", "text/plain", "format_1975"),
    (".wig", "text/plain", "format_3005"), (".ome.tiff", "image/tiff", "format_3727"),
    (".ome.tif", "image/tiff", "format_3727"), (".tiff", "image/tiff", "format_3591"),
    (".tif", "image/tiff", "format_3591"), (".png", "image/png", "format_3603"),
    (".jpg", "image/jpeg", "format_3579"), (".jpeg", "image/jpeg", "format_3579"),
    (".txt", "text/plain", ""), (".tsv", "text/tab-separated-values", ""), (".csv", "text/csv", ""),
    (".gz", "application/gzip", ""),
)
EDAM = "http://edamontology.org/"


def encoding(name: str) -> list[Any]:
    lower = name.lower()
    for ending, media, edam in FORMATS:
        if lower.endswith(ending):
            return [media, {"@id": EDAM + edam}] if edam else [media]
    return ["application/octet-stream"]


def crate_json(project: Project, packed: Sequence[PackedFile], documents: dict[str, bytes]) -> dict[str, Any]:
    from rocrate.model.contextentity import ContextEntity
    from rocrate.model.person import Person
    from rocrate.rocrate import ROCrate

    idf = project.idf
    crate = ROCrate(version="1.1")
    crate.metadata.extra_terms.update(MD5_TERM)
    crate.name = idf.first("Investigation Title").strip()
    crate.description = idf.first("Experiment Description").strip()
    crate.root_dataset["datePublished"] = idf.first("Public Release Date").strip()
    licence = idf.first("Comment[License]").strip()
    if licence in LICENCE_URLS:   # a contextual entity, as RO-Crate 1.1 asks of a licence
        crate.root_dataset["license"] = crate.add(ContextEntity(crate, LICENCE_URLS[licence], properties={
            "@type": "CreativeWork", "name": licence}))
    elif licence:
        crate.root_dataset["license"] = licence
    if keywords := zenodo._keywords(project):
        crate.root_dataset["keywords"] = keywords
    authors = []
    for i, person in enumerate(zenodo._people(project), start=1):
        ident = f"https://orcid.org/{person['orcid']}" if person["orcid"] else f"#person-{i}"
        props = {"name": " ".join(p for p in (person["given"], person["family"]) if p),
                 "familyName": person["family"], "givenName": person["given"]}
        if person["affiliation"]:
            props["affiliation"] = person["affiliation"]
        authors.append(crate.add(Person(crate, ident, properties={k: v for k, v in props.items() if v})))
    if authors:
        crate.root_dataset["author"] = authors
    dois = [zenodo.WRAPPERS.sub("", d.strip()) for d in idf.get("Publication DOI") if d.strip()]
    if dois:
        crate.root_dataset["citation"] = [{"@id": f"https://doi.org/{d}"} for d in dois]
    for name, data in documents.items():
        crate.add_file(None, dest_path=name, properties={
            "name": name, "encodingFormat": "text/tab-separated-values", "contentSize": str(len(data))})
    for item in packed:
        crate.add_file(None, dest_path=item.name, properties={
            "name": item.name.rsplit("/", 1)[-1], "contentSize": str(item.size), "md5": item.md5,
            "encodingFormat": encoding(item.name)})
    return crate.metadata.generate()  # type: ignore[no-any-return]


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    documents = {project.idf_path.name: project.idf.to_text().encode("utf-8")}
    for sdrf in project.sdrfs:
        name = sdrf.path.name if sdrf.path is not None else f"{project.idf_path.stem}.sdrf.txt"
        documents[name] = sdrf.to_text().encode("utf-8")
    crate = crate_json(project, packed, documents)
    return {**documents, CRATE_FILE: (json.dumps(crate, indent=2, ensure_ascii=False) + "\n").encode("utf-8")}
