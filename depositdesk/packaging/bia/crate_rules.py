"""The RO-Crate 1.1 requirements (MUST) BIA's validator has the generic rocrate-validator check.

BIA runs rocrate-validator with the `ro-crate-1.1` profile at REQUIRED severity before its own
checks. These are the MUSTs of RO-Crate 1.1 that apply to a flattened BIA crate: every entity has
an @id and a @type; every property is a term of the context (or an IRI); the metadata descriptor
`ro-crate-metadata.json` is a CreativeWork `about` the root and `conformsTo` RO-Crate 1.x; the
root data entity is a Dataset with an ISO 8601 `datePublished`; a File in the crate exists and is
reached from the root by `hasPart`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from depositdesk.packaging.bia.crate_jsonld import Context

METADATA = "ro-crate-metadata.json"
SCHEMA = "http://schema.org/"
Problem = tuple[str, str | None]


def _types(entity: dict[str, Any], context: Context) -> set[str]:
    raw = entity.get("@type", [])
    return {context.expand(t) or t for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)}


def _ref(value: Any) -> str | None:
    return value.get("@id") if isinstance(value, dict) and isinstance(value.get("@id"), str) else None


def _where(entity: dict[str, Any]) -> str:
    return f"At ro-crate object with @id: {entity.get('@id')}"


def _iso_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
            return True
        except ValueError:
            continue
    return False


def _is_local(entity_id: str) -> bool:
    return not urlparse(entity_id).scheme and not entity_id.startswith(("#", "_:"))


def ro_crate_requirements(folder: Path, graph: list[dict[str, Any]], context: Context) -> list[Problem]:
    problems: list[Problem] = []
    by_id = {e["@id"]: e for e in graph if isinstance(e.get("@id"), str)}
    for entity in graph:
        if not isinstance(entity.get("@id"), str) or "@type" not in entity:
            problems.append(("An RO-Crate entity MUST have an @id and a @type", _where(entity)))
        for key in entity:
            if not key.startswith("@") and context.expand(key) is None:
                problems.append((f"The property '{key}' is not defined in the RO-Crate JSON-LD context",
                                 _where(entity)))
    descriptor = by_id.get(METADATA)
    if descriptor is None:
        return [*problems, (f"The RO-Crate metadata file descriptor ({METADATA}) MUST be in the @graph", None)]
    if SCHEMA + "CreativeWork" not in _types(descriptor, context):
        problems.append(("The RO-Crate metadata file descriptor MUST have @type CreativeWork", _where(descriptor)))
    profile = _ref(descriptor.get("conformsTo")) or ""
    if not profile.startswith("https://w3id.org/ro/crate/1."):
        problems.append(("The RO-Crate metadata file descriptor MUST conformsTo an RO-Crate version "
                         "(https://w3id.org/ro/crate/1.1)", _where(descriptor)))
    root_id = _ref(descriptor.get("about"))
    root = by_id.get(root_id or "")
    if root is None:
        return [*problems, ("The RO-Crate metadata file descriptor MUST be about the Root Data Entity, "
                            "which MUST be in the @graph", _where(descriptor))]
    if SCHEMA + "Dataset" not in _types(root, context):
        problems.append(("The Root Data Entity MUST have @type Dataset", _where(root)))
    if not _iso_date(root.get("datePublished")):
        problems.append(("The Root Data Entity MUST have a datePublished in ISO 8601 format", _where(root)))
    problems += _files(folder, graph, by_id, root, context)
    return problems


def _files(folder: Path, graph: list[dict[str, Any]], by_id: dict[str, dict[str, Any]], root: dict[str, Any],
           context: Context) -> list[Problem]:
    reached: set[str] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        parts = node.get("hasPart", [])
        for part in parts if isinstance(parts, list) else [parts]:
            ref = _ref(part)
            if ref and ref not in reached:
                reached.add(ref)
                if ref in by_id:
                    todo.append(by_id[ref])
    problems: list[Problem] = []
    for entity in graph:
        entity_id = entity.get("@id")
        if not isinstance(entity_id, str) or SCHEMA + "MediaObject" not in _types(entity, context):
            continue
        if entity_id not in reached:
            problems.append(("A File Data Entity MUST be reached from the Root Data Entity by hasPart",
                             _where(entity)))
        if _is_local(entity_id) and not (folder / unquote(entity_id)).is_file():
            problems.append((f"The file {entity_id} is described but is not in the RO-Crate folder", _where(entity)))
    return problems
