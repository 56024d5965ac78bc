"""The RO-Crate 1.1 requirements (MUST) BIA's validator has the generic rocrate-validator check.

BIA runs rocrate-validator (roc-validator 0.8) with the `ro-crate-1.1` profile at REQUIRED
severity before its own checks, and logs each issue as "At ro-crate object with @id: <entity>"
(a SHACL shape's focus node, a full IRI) or as the bare message (a Python check). These are the
checks of that profile's `must/` folder, with its messages: the file descriptor (@context,
flattened, every entity with @id and @type, every key a term of the context or a CURIE of one of
its prefixes), the metadata descriptor (a CreativeWork `about` the root Dataset, conformsTo
https://w3id.org/ro/crate/1.1), the root data entity (a Dataset whose IRI ends with '/', with
name, description, license and an ISO 8601 datePublished), File data entities (reached from the
root by hasPart, present in the crate unless their @id is a '#' identifier or a web address).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlparse

from depositdesk.packaging.bia.crate_jsonld import Context

METADATA = "ro-crate-metadata.json"
SCHEMA = "http://schema.org/"
RO_CRATE_11 = "https://w3id.org/ro/crate/1.1"
ISO_8601 = re.compile(
    r"^([\+-]?\d{4})((-?)((0[1-9]|1[0-2])(\3([12]\d|0[1-9]|3[01]))?|W([0-4]\d|5[0-2])(-?[1-7])?|"
    r"(00[1-9]|0[1-9]\d|[12]\d{2}|3([0-5]\d|6[1-6])))([T\s]((([01]\d|2[0-3])((:?)?[0-5]\d)?|24:?00)"
    r"([\.,]\d+(?!:))?)?(\17[0-5]\d([\.,]\d+)?)?([zZ]|([\+-])([01]\d|2[0-3]):?([0-5]\d)?)?)?)?$")
RESERVED = frozenset({"@id", "@type", "@context", "@value", "@language"})
Problem = tuple[str, str | None]


def _types(entity: dict[str, Any], context: Context) -> set[str]:
    raw = entity.get("@type", [])
    return {context.expand(t) or t for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)}


def _refs(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [i["@id"] for i in items if isinstance(i, dict) and isinstance(i.get("@id"), str)]


def _flat_problems(entity: dict[str, Any]) -> list[str]:
    """rocrate-validator's flattening check of one @graph entity (nested objects are references only)."""
    issues: list[str] = []

    def child(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                child(item)
        elif isinstance(value, dict) and "@value" not in value and ("@id" not in value or len(value) > 1):
            issues.append(f'entity "{value.get("@id", value)}" is not a valid node object reference: '
                          "it MUST have only @id, but no other properties.")
    for value in entity.values():
        child(value)
    return issues


def _context_keys(raw: Any, context: Context) -> set[str]:
    keys: set[str] = set(context.terms) | set(context.prefixes)
    for item in raw if isinstance(raw, list) else [raw]:
        if isinstance(item, dict):
            keys |= set(item)
    return keys


def _unexpected_keys(value: Any, keys: set[str], found: dict[str, int]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in RESERVED and k not in keys and (":" not in k or k.split(":", 1)[0] not in keys):
                found[k] = found.get(k, 0) + 1
            _unexpected_keys(v, keys, found)
    elif isinstance(value, list):
        for item in value:
            _unexpected_keys(item, keys, found)


def descriptor_format(graph: list[dict[str, Any]], raw_context: Any, context: Context) -> list[Problem]:
    problems: list[Problem] = []
    for entity in graph:
        issues = _flat_problems(entity)
        problems += [(m, None) for m in issues]
        if issues:
            problems.append((f'RO-Crate file descriptor "{METADATA}" is not fully flattened at entity '
                             f'"{entity.get("@id", entity)}"', None))
    for key, what in (("@id", "@id"), ("@type", "@type")):
        missing = next((e for e in graph if key not in e), None)
        if missing is not None:
            problems.append((f'Entity "{missing.get("name", None) or missing}" of RO-Crate "{METADATA}" '
                             f"file descriptor does not contain the {what} attribute", None))
    found: dict[str, int] = {}
    _unexpected_keys(graph, _context_keys(raw_context, context), found)
    for key, count in found.items():
        s = "s" if count > 1 else ""
        if key.startswith("http"):
            problems.append((f'The {count} occurrence{s} of the "{key}" URI cannot be used as a key{s} "because the '
                             "compacted format requires simple terms as keys (see "
                             "https://www.w3.org/TR/json-ld-api/#compaction for more details).", None))
        else:
            problems.append((f'The {count} occurrence{s} of the JSON-LD key "{key}" {"is" if count == 1 else "are"} '
                             "not allowed in the compacted format because it is not present in the @context of "
                             "the document", None))
    return problems


def ro_crate_requirements(folder: Path, graph: list[dict[str, Any]], context: Context,
                          raw_context: Any = None) -> list[Problem]:
    base = (folder / METADATA).resolve().as_uri()
    problems = descriptor_format(graph, raw_context, context)
    by_id = {e["@id"]: e for e in graph if isinstance(e.get("@id"), str)}
    descriptor = by_id.get(METADATA)
    root = by_id.get(next(iter(_refs(descriptor.get("about"))), "")) if descriptor else None
    if descriptor is None or root is None or SCHEMA + "Dataset" not in _types(root, context) \
            or SCHEMA + "CreativeWork" not in _types(descriptor, context):
        problems.append(("The root of the document MUST have an entity with @id `ro-crate-metadata.json`, typed as "
                         "`schema:CreativeWork` and with an `about` property referencing the Root Data Entity", None))
        return problems
    where = f"At ro-crate object with @id: {urljoin(base, METADATA)}"
    if RO_CRATE_11 not in _refs(descriptor.get("conformsTo")):
        problems.append(("The RO-Crate metadata file descriptor MUST have a `conformsTo` property with the RO-Crate "
                         "specification version", where))
    if len(_refs(descriptor.get("about"))) != 1:
        problems.append(("The RO-Crate metadata file descriptor MUST have an `about` property referencing the "
                         "Root Data Entity", where))
    problems += _root(root, urljoin(base, root["@id"]))
    problems += _files(folder, base, graph, root, by_id, context)
    return problems


def _root(root: dict[str, Any], iri: str) -> list[Problem]:
    where = f"At ro-crate object with @id: {iri}"
    problems: list[Problem] = []
    if not iri.endswith("/"):
        problems.append(("The Root Data Entity URI MUST end with `/`", where))
    for key in ("name", "description"):
        if not isinstance(root.get(key), (str, int, float)) or isinstance(root.get(key), bool):
            problems.append((f"The Root Data Entity MUST have a `{key}` property (as specified by schema.org)", where))
    if root.get("license") in (None, [], ""):
        problems.append(("The Root Data Entity MUST have a `license` property (as specified by schema.org).\n"
                         "        SHOULD link to a Contextual Entity in the RO-Crate Metadata File with a name and "
                         "description.\n        MAY have a URI (eg for Creative Commons or Open Source licenses).\n"
                         "        MAY, if necessary be a textual description of how the RO-Crate may be used.", where))
    published = root.get("datePublished")
    if not isinstance(published, str) or not ISO_8601.match(published):
        problems.append(("The Root Data Entity MUST have a `datePublished` property (as specified by schema.org) with "
                         "a valid ISO 8601 date", where))
    return problems


def _files(folder: Path, base: str, graph: list[dict[str, Any]], root: dict[str, Any],
           by_id: dict[str, dict[str, Any]], context: Context) -> list[Problem]:
    reached: set[str] = set()
    todo = [root]
    while todo:
        for ref in _refs(todo.pop().get("hasPart", [])):
            if ref not in reached:
                reached.add(ref)
                todo += [by_id[ref]] if ref in by_id else []
    problems: list[Problem] = []
    for entity in graph:
        entity_id = entity.get("@id")
        if not isinstance(entity_id, str) or SCHEMA + "MediaObject" not in _types(entity, context) \
                or entity_id.startswith(("#", "_:")):
            continue
        if entity_id not in reached:
            problems.append(("Data Entity MUST be directly referenced",
                             f"At ro-crate object with @id: {urljoin(base, entity_id)}"))
        if not urlparse(entity_id).scheme and not (folder / unquote(entity_id)).exists():
            problems.append((f"The RO-Crate does not include the Data Entity '{entity_id}' as part of its payload",
                             None))
    return problems
