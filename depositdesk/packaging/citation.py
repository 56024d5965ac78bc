"""Citation files for a Git repository of analysis code: ``CITATION.cff`` (CFF 1.2.0) and ``.zenodo.json``.

Both come from the project's IDF, so the code archive names the same people as the data: title,
abstract (Experiment Description), the IDF persons with ORCID and affiliation, keywords
(Comment[Keywords], Experimental Design), licence (``Comment[Software License]``, else
``Comment[License]``), the publication DOI / PubMed ID (CFF ``preferred-citation``; ``.zenodo.json``
``related_identifiers`` "isSupplementTo") and the GEO / ArrayExpress / BIA accessions ("references").

``.zenodo.json`` holds the legacy deposit metadata, which Zenodo's GitHub integration loads with its
legacy schema (zenodo-rdm ``github/release.py``); `ZENODO_NOTE` says what that integration reads.
``CITATION.cff`` is validated against the CFF 1.2.0 JSON schema bundled in ``cffconvert`` (2.0.0,
installed without its dependencies: only its schema file is read, never its code).
"""

from __future__ import annotations

import importlib.metadata
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.magetab.textio import atomic_write
from depositdesk.packaging.packages import zenodo
from depositdesk.packaging.rules.identifiers import WRAPPERS
from depositdesk.packaging.targets import zenodo as zenodo_target

PART = "packaging/citation"
CFF_FILE, ZENODO_FILE = "CITATION.cff", ".zenodo.json"
SCHEMA_PATH = "cffconvert/schemas/1.2.0/schema.json"
LICENCE_FIELDS = ("Comment[Software License]", "Comment[License]")
SPDX_ALIASES = {"cc0": "CC0-1.0", "cc-zero": "CC0-1.0", "cc0 1.0": "CC0-1.0", "cc by 4.0": "CC-BY-4.0",
                "apache 2.0": "Apache-2.0", "gpl-3": "GPL-3.0-only", "gplv3": "GPL-3.0-only"}
MESSAGE = "If you use this software, please cite it and the article in preferred-citation."
ZENODO_NOTE = (
    "What Zenodo's GitHub integration reads, at each release's tag: .zenodo.json when it exists, and then "
    "CITATION.cff is ignored entirely; without .zenodo.json, from CITATION.cff only title, abstract, "
    "authors, keywords, license and message (version, doi, date-released, identifiers, references and "
    "preferred-citation are not used). GitHub shows CITATION.cff as 'Cite this repository'.")

CFF_INVALID = define(
    "CITE-CFF-INVALID", Severity.ERROR, "CITATION.cff would not be valid against the CFF 1.2.0 schema",
    "Correct the IDF value the message names (an ORCID as 0000-0000-0000-0000, a title, a person's "
    "name) and write the files again.", part=PART)
CFF_LICENCE = define(
    "CITE-LICENCE", Severity.WARNING, "The licence is not an SPDX identifier: CITATION.cff has no license",
    "Write the code's licence as SPDX writes it (MIT, Apache-2.0, GPL-3.0-only ...) in "
    "Comment[Software License]; Zenodo then takes the repository's licence.", part=PART)
SCHEMA_MISSING = define(
    "CITE-SCHEMA-MISSING", Severity.WARNING, "The CFF 1.2.0 schema is not installed: CITATION.cff not validated",
    "Install it with: pip install --no-deps cffconvert==2.0.0", part=PART)


class CitationError(Exception):
    """The files cannot be written (no Git repository, files present): one line for the user."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class CitationResult:
    written: list[Path] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    cff: dict[str, Any] = field(default_factory=dict)
    zenodo: dict[str, Any] = field(default_factory=dict)


def cff_schema() -> dict[str, Any] | None:
    """The CFF 1.2.0 JSON schema from the installed cffconvert (its file only), or None when absent."""
    try:
        path = Path(str(importlib.metadata.distribution("cffconvert").locate_file(SCHEMA_PATH)))
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (importlib.metadata.PackageNotFoundError, OSError, ValueError):
        return None


def validate_cff(data: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The schema's messages for ``data`` (a loaded CITATION.cff), each prefixed by where it is."""
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    out = []
    for found in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        # an anyOf (a person or an entity) is said by its deepest error, e.g. "authors/0/orcid: ..."
        error = max(found.context, key=lambda e: len(e.absolute_path)) if found.context else found
        where = "/".join(map(str, error.absolute_path))
        out.append(f"{where or '(top level)'}: {error.message}")
    return out


def spdx_licence(text: str, schema: dict[str, Any] | None) -> str | None:
    """``text`` as an SPDX identifier the CFF schema lists (None when it is none)."""
    known = schema["definitions"]["license-enum"]["enum"] if schema else []
    fold = {re.sub(r"[\s_-]+", "", k).lower(): k for k in known}
    alias = SPDX_ALIASES.get(text.strip().lower())
    if alias:
        return alias
    return text if text in known else fold.get(re.sub(r"[\s_-]+", "", text).lower())


def _licence(project: Project) -> str:
    return next((v for f in LICENCE_FIELDS if (v := project.idf.first(f).strip())), "")


def _cff_people(project: Project) -> list[dict[str, str]]:
    out = []
    for p in zenodo._people(project):
        person = {"family-names": p["family"], "given-names": p["given"], "affiliation": p["affiliation"],
                  "orcid": f"https://orcid.org/{p['orcid']}" if p["orcid"] else ""}
        out.append({k: v for k, v in person.items() if v})
    return out


def cff_data(project: Project, schema: dict[str, Any] | None) -> tuple[dict[str, Any], list[Finding]]:
    idf = project.idf
    data: dict[str, Any] = {"cff-version": "1.2.0", "message": MESSAGE, "type": "software",
                            "title": idf.first("Investigation Title").strip(), "authors": _cff_people(project)}
    if abstract := idf.first("Experiment Description").strip():
        data["abstract"] = abstract
    if keywords := zenodo._keywords(project):
        data["keywords"] = keywords
    found: list[Finding] = []
    if licence := _licence(project):
        spdx = spdx_licence(licence, schema)
        if spdx:
            data["license"] = spdx
        else:
            found.append(finding(CFF_LICENCE, f"'{licence}' is no SPDX licence identifier",
                                 Location(file=project.idf_path.name, column_name=LICENCE_FIELDS[1])))
    if version := idf.first("Comment[version]").strip():
        data["version"] = version
    if article := _preferred_citation(project, data["authors"]):
        data["preferred-citation"] = article
    return data, found


def _preferred_citation(project: Project, authors: list[dict[str, str]]) -> dict[str, Any] | None:
    idf = project.idf
    doi = next((WRAPPERS.sub("", d.strip()) for d in idf.get("Publication DOI") if d.strip()), "")
    pmid = next((p.strip() for p in idf.get("PubMed ID") if p.strip()), "")
    if not (doi or pmid):
        return None
    title = idf.first("Publication Title").strip() or idf.first("Investigation Title").strip()
    article: dict[str, Any] = {"type": "article", "title": title, "authors": [dict(a) for a in authors]}
    if doi:
        article["doi"] = doi
    if pmid:
        article["pmid"] = pmid
    return article


def zenodo_data(project: Project, cff: dict[str, Any]) -> dict[str, Any]:
    """The legacy deposit metadata of the code's record, as Zenodo's GitHub integration parses it."""
    legacy = zenodo.legacy_body(project)["metadata"]
    meta: dict[str, Any] = {"upload_type": "software", "title": legacy["title"],
                            "description": legacy["description"], "creators": legacy["creators"],
                            "access_right": "open"}
    for key in ("keywords", "version"):
        if key in legacy:
            meta[key] = legacy[key]
    licence = _licence(project)
    if licence in zenodo_target.LICENCE_IDS:     # as the data's Zenodo record writes it
        meta["license"] = zenodo_target.LICENCE_IDS[licence]
    elif "license" in cff:
        meta["license"] = cff["license"].lower()   # Zenodo's licence ids are SPDX ids in lower case
    related = [{"identifier": i, "relation": "isSupplementTo" if s in ("doi", "pmid") else "references",
                "scheme": s} for i, s, _r in zenodo._related(project)]
    if related:
        meta["related_identifiers"] = related
    return meta


def citation_files(project: Project) -> CitationResult:
    """The two files' contents and the findings about them (nothing written)."""
    schema = cff_schema()
    cff, found = cff_data(project, schema)
    result = CitationResult(cff=cff, zenodo=zenodo_data(project, cff), findings=found)
    if schema is None:
        result.findings.append(finding(SCHEMA_MISSING, location=Location(file=CFF_FILE)))
        return result
    loaded = yaml.safe_load(cff_text(cff))
    result.findings += [finding(CFF_INVALID, message, Location(file=CFF_FILE)) for message in
                        validate_cff(loaded, schema)]
    return result


def cff_text(cff: dict[str, Any]) -> str:
    return yaml.safe_dump(cff, sort_keys=False, allow_unicode=True, width=100)


def write_citation_files(project: Project, repo: Path, *, force: bool = False) -> CitationResult:
    """Write CITATION.cff and .zenodo.json into the Git repository ``repo``.

    Raises CitationError: not a Git repository (exit 2), a file present without ``force`` (exit 1).
    Nothing is written when the CFF would be invalid (a CITE-CFF-INVALID finding).
    """
    if not repo.is_dir() or not (repo / ".git").exists():
        raise CitationError(f"{repo} is not a Git repository (no .git); give the folder of the code's repository")
    present = [name for name in (CFF_FILE, ZENODO_FILE) if (repo / name).exists()]
    if present and not force:
        raise CitationError(f"{repo / present[0]} already exists; use --force to replace "
                            f"{' and '.join(present)}", exit_code=1)
    result = citation_files(project)
    if any(f.code == CFF_INVALID for f in result.findings):
        return result
    atomic_write(repo / CFF_FILE, cff_text(result.cff))
    atomic_write(repo / ZENODO_FILE, json.dumps(result.zenodo, indent=2, ensure_ascii=False) + "\n")
    result.written = [repo / CFF_FILE, repo / ZENODO_FILE]
    return result
