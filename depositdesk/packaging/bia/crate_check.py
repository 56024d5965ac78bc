"""BIA's RO-Crate validator (bia-ro-crate `validate`), re-done offline with the same checks and messages.

The stages run as BIA's `ROCrateParser.parse` runs them, each stopping the run when it found an
error: (1) the metadata graph: references to undefined @ids (an error) and entities nothing
points to (info), plus the RO-Crate 1.1 requirements (BIA runs the generic rocrate-validator
at REQUIRED level: `crate_rules`); (2) the @context: a BIA term mapped to another IRI; (3) every entity: exactly
one BIA class among its types, then its model (pydantic messages as BIA formats them), no @id
twice; (4) one file list; (5) its csvw schema (a file path and a dataset column); (6) the
file list rows (duplicate paths, references to entities and to other rows); (7) entities no
reference reaches (a warning). An issue prints as BIA logs it: "<where>: \\n   <message>".
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from depositdesk.packaging.bia import crate_models as cm
from depositdesk.packaging.bia.crate_file_list import check_file_list
from depositdesk.packaging.bia.crate_jsonld import Context, parse_context, references
from depositdesk.packaging.bia.crate_rules import ro_crate_requirements

ERROR, WARNING, INFO = 40, 30, 20
METADATA = "ro-crate-metadata.json"
CONFORMS_TO = "http://purl.org/dc/terms/conformsTo"


@dataclass(frozen=True)
class Issue:
    message: str
    severity: int = ERROR
    location: str | None = None

    def format_message(self) -> str:
        """The text BIA's validator logs for the issue."""
        return f"{self.location}: \n   {self.message}" if self.location else self.message


class _Stop(Exception):
    pass


class CrateCheck:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.issues: list[Issue] = []
        self.entities: dict[str, cm.CrateModel] = {}

    def add(self, message: str, severity: int = ERROR, location: str | None = None) -> None:
        self.issues.append(Issue(message, severity, location))

    def stop_on_errors(self) -> None:
        if any(i.severity >= ERROR for i in self.issues):
            raise _Stop

    def run(self) -> list[Issue]:
        with contextlib.suppress(_Stop):
            try:
                self._run()
            except RecursionError:
                self.add(f"{METADATA} is nested too deeply to be checked")
        return self.issues

    def _run(self) -> None:
        path = self.folder / METADATA
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else getattr(exc, "msg", None) or exc
            self.add(f"{METADATA} cannot be read as JSON: {reason}")
            raise _Stop from None
        if not isinstance(document, dict) or not isinstance(document.get("@graph"), list) \
                or "@context" not in document:
            self.add(f"{METADATA} must be flattened JSON-LD: an object with @context and @graph")
            raise _Stop
        context, definitions = parse_context(document["@context"])
        graph = [node for node in document["@graph"] if isinstance(node, dict)]
        self._id_references(graph, context, path)
        for message, where in ro_crate_requirements(self.folder, graph, context, document["@context"]):
            self.add(message, ERROR, where)
        self.stop_on_errors()
        self._context_terms(definitions, context)
        self.stop_on_errors()
        self._objects(graph, context)
        self.stop_on_errors()
        file_lists = [e for e in self.entities.values() if isinstance(e, cm.FileList)]
        if len(file_lists) != 1:
            self.add(f"Found unexpected number of file lists: {len(file_lists)}")
            raise _Stop
        referenced = check_file_list(self, file_lists[0])
        self._connectivity(referenced)

    def _id_references(self, graph: list[dict[str, Any]], context: Context, path: Path) -> None:
        base = path.resolve().as_uri()
        triples = references(graph, context, base)
        profiles = {obj for prop, obj in triples.objects if prop == CONFORMS_TO}
        objects = {obj for _, obj in triples.objects} - triples.types - profiles
        undefined = sorted(objects - triples.subjects)
        inboundless = triples.subjects - objects - {base}
        if inboundless:
            self.add("Found objects in ro-crate-metadata.json with no inbound references: "
                     + ", ".join(sorted(inboundless)), INFO)
        if undefined:
            self.add(f"Found undefined references: {', '.join(undefined)}")

    def _context_terms(self, definitions: list[tuple[str, Any]], context: Context) -> None:
        standard = cm.standard_terms()
        for term, _ in definitions:
            if term in context.prefixes or term not in context.terms:
                continue
            if term in standard and context.terms[term] != standard[term]:
                self.add(f"Term has been remapped in context: {term} must be mapped to {standard[term]}",
                         ERROR, f"At {term}")
        for url in context.unloaded:
            self.add(f"The context {url} cannot be loaded offline; its terms are not checked", WARNING)

    def _objects(self, graph: list[dict[str, Any]], context: Context) -> None:
        for entity in graph:
            raw_types = entity.get("@type", [])
            types = {context.expand(t) or t for t in (raw_types if isinstance(raw_types, list) else [raw_types])
                     if isinstance(t, str)}
            matched = set(cm.MODELS) & types
            where = f"At ro-crate object with @id: {entity.get('@id')}"
            if len(matched) != 1:
                self.add(f"@type of object does not contain exactly 1 BIA classes. @type contains: "
                         f"{', '.join(sorted(types))}, matching {len(matched)} BIA classes.", ERROR, where)
                continue
            model = cm.MODELS[matched.pop()]
            try:
                item = model(**entity)
            except pydantic.ValidationError as error:
                self.add("\n".join(_pydantic_message(e) for e in error.errors()), ERROR,
                         f"At ro-crate object with @id: {entity.get('@id', 'Unknown ID')}")
                continue
            if item.id in self.entities:
                self.add(f"Found more than one object with @id {item.id}.", ERROR,
                         f"At ro-crate object with @id: {item.id}")
            self.entities[item.id] = item

    def _connectivity(self, file_list_references: set[str]) -> None:
        referenced: set[str] = set(file_list_references)
        for entity in self.entities.values():
            dumped = entity.model_dump(by_alias=True, mode="json")
            for key, value in dumped.items():
                if key not in ("@id", "@type"):
                    referenced |= _reference_ids(value)
        unconnected = sorted(set(self.entities) - referenced - {METADATA})
        if unconnected:
            self.add("Found RO-Crate objects with no inbound references across ro-crate-metadata.json and "
                     f"file list references: {', '.join(unconnected)}", WARNING)


def _pydantic_message(error: Any) -> str:
    loc, msg = error["loc"], error["msg"]
    if error["type"] == "missing":
        return f"Missing required field: {loc[0]}"
    if len(loc) == 0:
        return str(msg)
    if len(loc) == 1:
        return f"At {loc[0]}: {msg}"
    return f"At {loc[0]}, index: {loc[1]}: {msg}"


def _reference_ids(value: Any) -> set[str]:
    if isinstance(value, dict):
        if set(value) == {"@id"} and isinstance(value["@id"], str):
            return {value["@id"]}
        return set().union(*(_reference_ids(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_reference_ids(v) for v in value)) if value else set()
    return set()


def validate_crate(folder: Path) -> list[Issue]:
    """Every issue BIA's RO-Crate validator reports for the crate in `folder`, in its order."""
    return CrateCheck(folder).run()


def is_bia_crate(path: Path) -> bool:
    """A BIA RO-Crate: a folder holding ro-crate-metadata.json (or that file) that uses BIA's vocabulary
    (a generic RO-Crate, e.g. of a whole project, is not checked against BIA's models)."""
    metadata = path / METADATA if path.is_dir() else path
    if metadata.name != METADATA or not metadata.is_file():
        return False
    try:
        with metadata.open("rb") as handle:
            head = handle.read(1 << 20)
    except OSError:
        return True   # unreadable: the BIA check reports it
    return b"http://bia/" in head or b'"bia:' in head
