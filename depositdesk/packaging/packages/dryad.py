"""Dryad: the dataset metadata as the body of ``POST /api/v2/datasets`` (``dryad.json``), from the IDF.

Fields as dryad-app ``documentation/apis/dataset_metadata.md`` and ``sample_dataset.json`` name
them: ``title``, ``authors`` [{firstName, lastName, email, affiliation, orcid}] (an empty value
left out), ``abstract``, ``keywords`` (Comment[Keywords], then Experimental Design),
``fieldOfScience``, ``funders`` [{organization, awardNumber}] (Comment[Funder] and Comment[Award
Number], one value per funder), ``relatedWorks`` (the publication DOI and PubMed ID as
``article``; GEO / ArrayExpress / BioImage Archive accessions as ``dataset`` URLs), ``methods``
(the protocol descriptions), ``hsiStatement`` when given. There is no licence field: Dryad sets
CC0 itself (the target refuses any other). Files go in flat; Dryad uploads each file in one PUT
(no resume), so DepositDesk has no Dryad transport: upload the folder in Dryad's web form or API.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages import zenodo
from depositdesk.packaging.packages.build import PackedFile
from depositdesk.packaging.targets import dryad as target

ITEM_FILE = "dryad.json"
README_NOTE = """
## Dryad

`dryad.json` is the body of Dryad's `POST /api/v2/datasets`. Upload the data files in Dryad's
web form or with `PUT /api/v2/datasets/{doi}/files/{name}` (one request per file; Dryad has no
resumable upload), keep this README.md among them (Dryad requires a README), then submit.
Dryad publishes the dataset under CC0 1.0.
"""


def _authors(project: Project) -> list[dict[str, str]]:
    out = []
    for person in zenodo._people(project):
        author = {"firstName": person["given"], "lastName": person["family"], "email": person["email"],
                  "affiliation": person["affiliation"], "orcid": person["orcid"]}
        out.append({k: v for k, v in author.items() if v})
    return out


def _related(project: Project) -> list[dict[str, str]]:
    out = []
    for identifier, scheme, _relation in zenodo._related(project):
        kind = {"doi": "DOI", "pmid": "PMID"}.get(scheme, "URL")
        out.append({"relationship": "dataset" if kind == "URL" else "article", "identifierType": kind,
                    "identifier": identifier})
    return out


def item_body(project: Project) -> dict[str, Any]:
    idf = project.idf
    meta = target.METADATA
    body: dict[str, Any] = {
        "title": idf.first(meta["title"].name).strip(),
        "authors": _authors(project),
        "abstract": idf.first(meta["abstract"].name).strip(),
        "keywords": target.keywords(project),
    }
    if domain := idf.first(meta["fieldOfScience"].name).strip():
        body["fieldOfScience"] = domain
    awards = idf.get(meta["awardNumber"].name)
    funders = []
    for i, name in enumerate(idf.get(meta["funders"].name)):
        if name.strip():
            award = awards[i].strip() if i < len(awards) else ""
            funders.append({"organization": name.strip(), **({"awardNumber": award} if award else {})})
    if funders:
        body["funders"] = funders
    if related := _related(project):
        body["relatedWorks"] = related
    methods = [d.strip() for d in idf.get("Protocol Description") if d.strip()]
    if methods:
        body["methods"] = "\n\n".join(methods)
    if statement := idf.first(meta["hsiStatement"].name).strip():
        body["hsiStatement"] = statement
    return body


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    return {ITEM_FILE: (json.dumps(item_body(project), indent=2, ensure_ascii=False) + "\n").encode("utf-8")}
