"""Turn a `Source` into a stream of `TermRecord`s: cellxgene JSON, OBO (lenient scanner), OWL (pronto).

Each reader fills a `ReadReport` (title, version, licence, what was skipped), so
a person who adds a file learns what did not make it into the index.
"""

from __future__ import annotations

import io
import json
import re
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from depositdesk.ontology.model import OBO_PURL, TermRecord, curie, iri_for
from depositdesk.ontology.obo import ScanReport, open_text, read_obo
from depositdesk.ontology.organisms import extra_taxa
from depositdesk.ontology.sources import Source

_OWL_NS = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#")


class SourceError(Exception):
    """A source file that cannot be read at all (str() is one sentence for a person)."""


@dataclass
class ReadReport:
    title: str = ""
    version: str = ""
    licence: str = ""
    ontology: str = ""
    reader: str = ""
    notes: list[str] = field(default_factory=list)


# -- cellxgene-ontology-guide JSON (zstd), streamed chunk by chunk ------------------------------
_ENTRY_START = re.compile(r'\},"[^"]{1,200}":\{')
# For a tree only the parent (distance 1, listed first) is needed: squeezing "ancestors" to
# "parent" with two C-speed literal replacements before decoding makes NCBITaxon (25 ancestors
# per taxon) about three times cheaper to parse. A piece where that does not give valid JSON
# (a parent not listed first) is decoded in full instead.
_ANCESTORS_TAIL = re.compile(r'":1(?:,"[^"]*":\d+)*\}')


def _split_at_entry(text: str) -> int:
    """Index of the last ``}`` that closes a top-level entry followed by the next one, or -1."""
    pos = len(text)
    while True:
        pos = text.rfind('},"', 0, pos)
        if pos < 0 or _ENTRY_START.match(text, pos):
            return pos


def stream_json_object(path: Path, tree: bool = False, chunk: int = 1 << 23) -> Iterator[tuple[str, Any]]:
    """Yield (key, value) of a huge top-level JSON object without loading it whole.

    NCBITaxon is 844 MB of JSON (3.1 GB as Python objects). Read in 8 MB
    pieces cut at entry boundaries, each decoded by ``json.loads``, it needs a
    few hundred MB. With ``tree`` the "ancestors" object is squeezed to
    ``"parent": <distance-1 ancestor>`` before decoding.
    """
    import zstandard

    with open(path, "rb") as raw:
        reader = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8")
        carry = reader.read(chunk)
        if not carry.lstrip().startswith("{"):
            raise SourceError(f"{path.name} is not a JSON object of terms")
        carry = carry[carry.index("{") + 1:]
        finished = False
        while not finished:
            more = reader.read(chunk)
            if more:
                text = carry + more
                cut = _split_at_entry(text)
                if cut < 0:
                    carry = text
                    continue
                segment, carry = text[:cut + 1], text[cut + 2:]
            else:
                finished, segment = True, carry.rstrip()
                if not segment.endswith("}"):
                    raise SourceError(f"{path.name} ends in the middle of a term")
                segment = segment[:-1]
            if segment.strip():
                yield from _decode(segment, tree).items()


def _decode(segment: str, tree: bool) -> dict[str, Any]:
    if tree:
        squeezed = _ANCESTORS_TAIL.sub('"', segment.replace('"ancestors":{"', '"parent":"'))
        try:
            return json.loads("{" + squeezed + "}")  # type: ignore[no-any-return]
        except ValueError:
            pass
    entries: dict[str, Any] = json.loads("{" + segment + "}")
    if tree:
        for entry in entries.values():
            ancestry = entry.pop("ancestors", None) or {}
            entry["parent"] = next((a for a, d in ancestry.items() if d == 1), "")
    return entries


def read_cellxgene(source: Source, report: ReadReport) -> Iterator[TermRecord]:
    tree = source.name == "NCBITaxon"
    report.version, report.reader = source.version, "cellxgene-ontology-guide JSON"
    for key, entry in stream_json_object(Path(source.path), tree=tree):
        replaced = entry.get("replaced_by")
        if tree:
            parent = entry.get("parent")
            parents = [parent] if parent else []
        else:
            parents = [a for a, d in (entry.get("ancestors") or {}).items() if d == 1]
        yield TermRecord(
            key, entry.get("label") or "", entry.get("synonyms") or [], entry.get("description") or "",
            bool(entry.get("deprecated")), curie(replaced) if isinstance(replaced, str) and replaced else None,
            "", parents,
        )
    if tree:
        yield from extra_taxa()


# -- OBO ----------------------------------------------------------------------------------------
def read_obo_source(path: Path, report: ReadReport) -> Iterator[TermRecord]:
    scan = ScanReport()
    report.reader = "OBO scanner"
    for rec in read_obo(path, scan):
        rec.iri = rec.iri or iri_for(rec.accession)
        yield rec
    head = scan.header
    report.ontology = head.ontology.split("/")[0].removesuffix(".obo")
    report.title, report.licence = head.title, head.licence
    report.version = head.data_version
    if scan.summary():
        report.notes.append(scan.summary())
        report.notes.extend(scan.notes)
    if scan.terms == 0:
        raise SourceError(f"{path.name} holds no [Term] stanzas: is it an OBO file?")


# -- OWL (pronto) -------------------------------------------------------------------------------
def _owl_accession(iri: str, ontology: str) -> str:
    if iri.startswith(OBO_PURL) or not iri.startswith(("http://", "https://")):
        return curie(iri)
    local = re.split(r"[/#]", iri.rstrip("/#"))[-1]
    return f"{ontology}:{local}" if ontology else local


def _owl_name(ont: Any, path: Path) -> str:
    ident = (ont.metadata.ontology or "").rstrip("/")
    if ident.startswith("http"):
        ident = re.split(r"[/#]", ident)[-1]
        ident = ident.removesuffix(".owl") or path.stem
        host = re.sub(r"^https?://(www\.)?", "", ont.metadata.ontology or "").split(".")[0]
        if ident.lower() in ("", host.lower()) or "." in ident:
            ident = host
    return ident.removesuffix(".owl") or path.stem


def read_owl(path: Path, report: ReadReport, name: str = "") -> Iterator[TermRecord]:
    import pronto

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ont = pronto.Ontology(str(path))
    except Exception as exc:  # pronto raises many kinds (SyntaxError, KeyError, ValueError ...)
        raise SourceError(f"pronto could not read {path.name}: {type(exc).__name__}: {exc}") from exc
    name = name or _owl_name(ont, path)
    report.ontology, report.reader = name, "pronto"
    report.version = (ont.metadata.data_version or "").rsplit("/", 1)[-1]
    for pv in ont.metadata.annotations:
        prop = getattr(pv, "property", "")
        if prop.endswith(("/license", "/licence")):
            report.licence = str(getattr(pv, "resource", getattr(pv, "literal", "")))
        elif prop.endswith("/title") and not report.title:
            report.title = str(getattr(pv, "literal", ""))
    if caught:
        report.notes.append(f"pronto reported {len(caught):,} warning(s) while reading (ignored)")
    broken = 0
    for term in ont.terms():
        try:
            yield _owl_record(term, name)
        except Exception:  # pronto resolves links lazily: a dangling one raises KeyError here
            broken += 1
            yield TermRecord(accession=_owl_accession(term.id, name), label=term.name or "",
                             iri=term.id if term.id.startswith("http") else iri_for(term.id))
    if broken:
        report.notes.append(f"{broken:,} class(es) point to undeclared terms: kept without their parents")


def _owl_record(term: Any, prefix: str) -> TermRecord:
    iri = term.id if term.id.startswith("http") else iri_for(term.id)
    accession = _owl_accession(term.id, prefix)
    parents = [_owl_accession(p.id, prefix) for p in term.superclasses(distance=1, with_self=False)
               if not p.id.startswith(_OWL_NS)]
    return TermRecord(
        accession=accession, label=term.name or "", iri=iri,
        synonyms=[s.description for s in term.synonyms if s.description],
        definition=str(term.definition) if term.definition else "",
        obsolete=bool(term.obsolete),
        replaced_by=next((_owl_accession(r.id, prefix) for r in term.replaced_by), None),
        parents=parents, alt_ids=[curie(a) for a in term.alternate_ids],
    )


def sniff_kind(path: Path) -> str:
    """'obo' or 'owl' from the first bytes (gzip is looked through)."""
    with open_text(path) as stream:
        head = stream.read(4096)
    stripped = head.lstrip("\ufeff \n\r\t")
    if stripped.startswith("<") or "<rdf:RDF" in head or "Prefix(" in head:
        return "owl"
    if re.search(r"^(\[Term\]\s*$|format-version:|data-version:|ontology:)", stripped, re.M):
        return "obo"
    raise SourceError(f"{path.name} is neither an OBO nor an OWL (RDF/XML) file")


def records_for(source: Source, report: ReadReport) -> Iterator[TermRecord]:
    """The terms of a source; a damaged file (truncated gzip, bad zstd) becomes one `SourceError`."""
    path = Path(source.path)
    if source.kind == "cellxgene":
        records = read_cellxgene(source, report)
    elif source.kind == "obo":
        records = read_obo_source(path, report)
    else:
        records = read_owl(path, report, source.name)
    try:
        yield from records
    except (OSError, EOFError, zlib.error, ValueError) as exc:
        raise SourceError(f"{path.name} is damaged or cut short: {type(exc).__name__}: {exc}") from exc
