"""Figshare: the item metadata as the body of ``POST /v2/account/articles`` (``figshare.json``, which
the upload sends when it creates the item), from the IDF.

Title, description, ``defined_type`` "dataset", authors ("Given Family", with ORCID when the IDF
gives one), keywords (Experimental Design, ``Comment[Keywords]``), references (the publication DOI,
PubMed and the GEO / ArrayExpress / BioImage Archive accessions as URLs), licence (figshare.com's
value, `LICENCE_IDS`), the public release date as ``timeline.firstOnline``. Files go in flat.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages import zenodo
from depositdesk.packaging.packages.build import PackedFile
from depositdesk.packaging.targets import figshare as target

ITEM_FILE = "figshare.json"


def item_body(project: Project) -> dict[str, Any]:
    idf = project.idf
    authors = []
    for person in zenodo._people(project):
        author: dict[str, str] = {"name": " ".join(p for p in (person["given"], person["family"]) if p)}
        if person["orcid"]:
            author["orcid_id"] = person["orcid"]
        authors.append(author)
    body: dict[str, Any] = {
        "title": idf.first(target.METADATA["title"].name).strip(),
        "description": idf.first(target.METADATA["description"].name).strip(),
        "defined_type": "dataset",
        "authors": authors,
        "keywords": zenodo._keywords(project),
    }
    references = []
    for identifier, scheme, _relation in zenodo._related(project):
        references.append({"doi": f"https://doi.org/{identifier}",
                           "pmid": f"https://pubmed.ncbi.nlm.nih.gov/{identifier}/"}.get(scheme, identifier))
    if references:
        body["references"] = references
    licence = idf.first(target.METADATA["license"].name).strip()
    if licence in target.LICENCE_IDS:
        body["license"] = target.LICENCE_IDS[licence]
    if released := idf.first("Public Release Date").strip():
        body["timeline"] = {"firstOnline": released}
    return body


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    return {ITEM_FILE: (json.dumps(item_body(project), indent=2, ensure_ascii=False) + "\n").encode("utf-8")}
