"""The little of JSON-LD that checking a flattened RO-Crate needs, offline.

A context (the RO-Crate 1.1 context URL, taken from the `rocrate` package's bundled copy,
and inline mappings) becomes term -> IRI definitions as a JSON-LD processor (pyld) makes them:
CURIEs expanded with the prefixes, a simple definition whose IRI ends in a gen-delim character
is a prefix. `references()` gives the RDF picture rdflib draws of the @graph: which IRIs are
subjects and which are objects of which property, relative IRIs resolved against the
metadata file's URI.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

RO_CRATE_CONTEXTS = ("https://w3id.org/ro/crate/1.1/context", "https://w3id.org/ro/crate/1.0/context",
                     "https://w3id.org/ro/crate/1.2/context")
GEN_DELIMS = ":/?#[]@"


@dataclass
class Context:
    terms: dict[str, str] = field(default_factory=dict)        # term -> IRI (not prefixes)
    prefixes: dict[str, str] = field(default_factory=dict)
    id_terms: set[str] = field(default_factory=set)           # terms with "@type": "@id"
    unloaded: list[str] = field(default_factory=list)         # remote contexts not available offline

    def expand(self, value: str) -> str | None:
        """The IRI of a term, CURIE or absolute IRI; None for a key JSON-LD would drop."""
        if value in self.terms:
            return self.terms[value]
        if ":" in value:
            prefix, _, suffix = value.partition(":")
            if prefix in self.prefixes and not suffix.startswith("//"):
                return self.prefixes[prefix] + suffix
            return value
        return None


def _ro_crate_context() -> dict[str, Any]:
    from rocrate.vocabs import RO_CRATE  # the bundled RO-Crate context (a superset of 1.1's terms)

    context = RO_CRATE["@context"]
    return dict(context) if isinstance(context, dict) else {}


def parse_context(raw: Any) -> tuple[Context, list[tuple[str, Any]]]:
    """The processed context and its definitions in processing order (term, definition)."""
    context = Context()
    definitions: dict[str, Any] = {}
    for item in raw if isinstance(raw, list) else [raw]:
        if isinstance(item, str):
            if item.rstrip("/") in RO_CRATE_CONTEXTS or item in RO_CRATE_CONTEXTS:
                definitions.update(_ro_crate_context())
            else:
                context.unloaded.append(item)
        elif isinstance(item, dict):
            for key, value in item.items():
                if not key.startswith("@"):
                    definitions[key] = value
    raw_iris: dict[str, tuple[str, bool]] = {}
    for key, value in definitions.items():
        if isinstance(value, str):
            raw_iris[key] = (value, True)
        elif isinstance(value, dict):
            iri = value.get("@id", value.get("@reverse"))
            if isinstance(iri, str):
                raw_iris[key] = (iri, bool(value.get("@prefix", False)))
                if value.get("@type") == "@id":
                    context.id_terms.add(key)
    for key, (iri, simple) in raw_iris.items():
        full = _resolve(iri, raw_iris)
        if simple and full.endswith(tuple(GEN_DELIMS)):
            context.prefixes[key] = full
        else:
            context.terms[key] = full
    return context, list(definitions.items())


def _resolve(iri: str, raw: dict[str, tuple[str, bool]], depth: int = 0) -> str:
    if depth > 10:
        return iri
    if ":" in iri:
        prefix, _, suffix = iri.partition(":")
        if prefix in raw and not suffix.startswith("//"):
            return _resolve(raw[prefix][0], raw, depth + 1) + suffix
        return iri
    if iri in raw:
        return _resolve(raw[iri][0], raw, depth + 1)
    return iri


@dataclass
class Triples:
    subjects: set[str] = field(default_factory=set)
    objects: list[tuple[str, str]] = field(default_factory=list)   # (property IRI, object IRI)
    types: set[str] = field(default_factory=set)


def _is_iri_node(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("@id"), str) and "@value" not in value


def references(graph: list[Any], context: Context, base: str) -> Triples:
    """Subjects and IRI objects of the @graph (blank nodes left out, as rdflib's URIRefs are)."""
    triples = Triples()
    for node in graph:
        if isinstance(node, dict):
            _node(node, context, base, triples)
    return triples


def _node(node: dict[str, Any], context: Context, base: str, triples: Triples) -> None:
    node_id = node.get("@id")
    if isinstance(node_id, str) and not node_id.startswith("_:"):
        triples.subjects.add(urljoin(base, node_id))
    for value in _flat(node.get("@type")):
        if isinstance(value, str):
            triples.types.add(context.expand(value) or urljoin(base, value))
    for key, value in node.items():
        if key.startswith("@"):
            continue
        prop = context.expand(key)
        if prop is None:
            continue
        for item in _flat(value):
            if _is_iri_node(item):
                if not item["@id"].startswith("_:"):
                    triples.objects.append((prop, urljoin(base, item["@id"])))
                if len(item) > 1:
                    _node(item, context, base, triples)
            elif isinstance(item, str) and key in context.id_terms:
                triples.objects.append((prop, urljoin(base, item)))


def _flat(value: Any) -> Iterator[Any]:
    if isinstance(value, list):
        for item in value:
            yield from _flat(item)
    elif value is not None:
        yield value
