"""Synapse: ``synapse.json`` - the package's folder as the upload makes it: ``name`` (the title as a
Synapse name), ``description`` and ``annotations`` (string lists, from the IDF and the SDRF).

Annotations: ``creators`` ("Given Family"), ``keywords`` (Experimental Design,
``Comment[Keywords]``), ``organism`` (the SDRF's Characteristics[organism] values), ``license``,
``releaseDate`` (Public Release Date), ``publicationDoi`` / ``pubmedId`` and the GEO /
ArrayExpress / BioImage Archive accessions as URLs (``relatedIdentifiers``). Empty ones are left
out. Files go in with the package's folders, as Synapse folders.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages import zenodo
from depositdesk.packaging.packages.build import PackedFile
from depositdesk.packaging.targets import synapse as target

FOLDER_FILE = "synapse.json"


def _organisms(project: Project) -> list[str]:
    values = [v.strip() for sdrf in project.sdrfs
              for c in sdrf.find_columns("characteristics", "organism")
              for v in sdrf.column_values(c)]
    return list(dict.fromkeys(v for v in values if v))


def folder_body(project: Project) -> dict[str, Any]:
    idf = project.idf
    related = zenodo._related(project)
    annotations: dict[str, list[str]] = {
        "creators": [" ".join(p for p in (person["given"], person["family"]) if p)
                     for person in zenodo._people(project)],
        "keywords": zenodo._keywords(project),
        "organism": _organisms(project),
        "license": [v for v in [idf.first("Comment[License]").strip()] if v],
        "releaseDate": [v for v in [idf.first("Public Release Date").strip()] if v],
        "publicationDoi": [i for i, scheme, _ in related if scheme == "doi"],
        "pubmedId": [i for i, scheme, _ in related if scheme == "pmid"],
        "relatedIdentifiers": [i for i, scheme, _ in related if scheme == "url"],
    }
    return {"name": target.entity_name(idf.first(target.METADATA["name"].name)),
            "description": idf.first(target.METADATA["description"].name).strip(),
            "annotations": {k: v for k, v in annotations.items() if v}}


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    body = json.dumps(folder_body(project), indent=2, ensure_ascii=False) + "\n"
    return {FOLDER_FILE: body.encode("utf-8")}
