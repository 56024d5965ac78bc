"""Zenodo: the deposition metadata as the legacy deposit API body (``zenodo.json``, which the upload
PUTs) and as the InvenioRDM draft body (``zenodo-rdm-draft.json``), from the IDF.

Title, description, publication date, creators ("Family, Given" / family_name + given_name, with
ORCID from the IDF line ``Comment[Person ORCID]`` or ``Comment[ORCID]`` - one value per person -
and affiliation), licence (`LICENCE_IDS`), keywords (Experimental Design, ``Comment[Keywords]``),
related identifiers (publication DOI and PubMed ID: the dataset supplements them; GEO, ArrayExpress
and BioImage Archive accessions given as IDF comments: identical copies elsewhere), version.
The 100-file / 50 GB limit is the Zenodo target's check (ZEN-LIMITS); files go in flat.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages.build import PackedFile
from depositdesk.packaging.rules.identifiers import WRAPPERS
from depositdesk.packaging.targets import zenodo as target

LEGACY_FILE, RDM_FILE = "zenodo.json", "zenodo-rdm-draft.json"
ORCID_FIELDS = ("Comment[Person ORCID]", "Comment[ORCID]")
ACCESSIONS = {  # IDF field -> URL of the accession
    "Comment[GEO accession]": "https://www.ncbi.nlm.nih.gov/geo/query/acc.cgi?acc={}",
    "Comment[ArrayExpressAccession]": "https://www.ebi.ac.uk/biostudies/arrayexpress/studies/{}",
    "Comment[BIA accession]": "https://www.ebi.ac.uk/biostudies/bioimages/studies/{}",
}
RDM_ACCESS = {"open": "public", "embargoed": "restricted", "restricted": "restricted", "closed": "restricted"}


def _value(project: Project, key: str) -> str:
    return project.idf.first(target.METADATA[key].name).strip()


def _people(project: Project) -> list[dict[str, str]]:
    orcids = next((v for f in ORCID_FIELDS if (v := project.idf.get(f))), [])
    out = []
    for i, person in enumerate(project.idf.records("person")):
        family, given = person["Person Last Name"].strip(), person["Person First Name"].strip()
        if not (family or given):
            continue
        orcid = WRAPPERS.sub("", orcids[i].strip()) if i < len(orcids) else ""
        out.append({"family": family, "given": given, "affiliation": person["Person Affiliation"].strip(),
                    "orcid": orcid, "email": person["Person Email"].strip()})
    return out


def _keywords(project: Project) -> list[str]:
    words = [*project.idf.get("Experimental Design"), *project.idf.get("Comment[Keywords]")]
    return list(dict.fromkeys(w.strip() for w in words if w.strip()))


def _related(project: Project) -> list[tuple[str, str, str]]:
    """(identifier, scheme, relation) triples."""
    out = [(WRAPPERS.sub("", d.strip()), "doi", "isSupplementTo") for d in project.idf.get("Publication DOI")
           if d.strip()]
    out += [(p.strip(), "pmid", "isSupplementTo") for p in project.idf.get("PubMed ID") if p.strip()]
    for field, url in ACCESSIONS.items():
        out += [(url.format(a.strip()), "url", "isIdenticalTo") for a in project.idf.get(field) if a.strip()]
    return out


def legacy_body(project: Project) -> dict[str, Any]:
    access = _value(project, "access_right") or "open"
    meta: dict[str, Any] = {
        "upload_type": _value(project, "upload_type") or target.DEFAULT_UPLOAD_TYPE,
        "title": _value(project, "title"), "description": _value(project, "description"),
        "publication_date": _value(project, "publication_date"), "access_right": access,
        "creators": [{k: v for k, v in {"name": f"{p['family']}, {p['given']}", "affiliation": p["affiliation"],
                                        "orcid": p["orcid"]}.items() if v} for p in _people(project)],
    }
    licence = _value(project, "license")
    if licence and access in ("open", "embargoed"):
        meta["license"] = target.LICENCE_IDS.get(licence, licence)
    for key in ("embargo_date", "access_conditions"):
        if (value := _value(project, key)) and (key == "embargo_date") == (access == "embargoed"):
            meta[key] = value
    if keywords := _keywords(project):
        meta["keywords"] = keywords
    if related := _related(project):
        meta["related_identifiers"] = [{"identifier": i, "relation": r, "scheme": s} for i, s, r in related]
    if version := project.idf.first("Comment[version]").strip():
        meta["version"] = version
    return {"metadata": meta}


def rdm_body(project: Project) -> dict[str, Any]:
    legacy = legacy_body(project)["metadata"]
    creators = []
    for p in _people(project):
        person: dict[str, Any] = {"family_name": p["family"], "given_name": p["given"], "type": "personal"}
        if p["orcid"]:
            person["identifiers"] = [{"scheme": "orcid", "identifier": p["orcid"]}]
        entry: dict[str, Any] = {"person_or_org": person}
        if p["affiliation"]:
            entry["affiliations"] = [{"name": p["affiliation"]}]
        creators.append(entry)
    meta: dict[str, Any] = {
        "resource_type": {"id": legacy["upload_type"]}, "title": legacy["title"],
        "publication_date": legacy["publication_date"], "publisher": "Zenodo", "creators": creators,
        "description": legacy["description"]}
    if "license" in legacy:
        meta["rights"] = [{"id": legacy["license"].lower()}]
    if "keywords" in legacy:
        meta["subjects"] = [{"subject": k} for k in legacy["keywords"]]
    if related := _related(project):
        meta["related_identifiers"] = [{"identifier": i, "scheme": s, "relation_type": {"id": r.lower()}}
                                       for i, s, r in related]
    if "version" in legacy:
        meta["version"] = legacy["version"]
    access: dict[str, Any] = {"record": "public", "files": RDM_ACCESS.get(legacy["access_right"], "public")}
    if legacy["access_right"] == "embargoed":
        access["embargo"] = {"active": True, "until": legacy.get("embargo_date", "")}
    return {"pids": {}, "access": access, "files": {"enabled": True}, "metadata": meta}


def _json(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    return {LEGACY_FILE: _json(legacy_body(project)), RDM_FILE: _json(rdm_body(project))}
