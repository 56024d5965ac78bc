"""Terms as plain values, and the one place accessions and names are normalised.

A `TermRecord` is what a source (cellxgene JSON, an OBO or OWL file) yields and
what the index stores; a `TermHit` is what a search returns to the completer and
the checks. Accessions are CURIEs (``CL:0000084``); IRIs and ``CL_0000084``
forms are turned into CURIEs by `curie()`, so every caller can paste any of them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

OBO_PURL = "http://purl.obolibrary.org/obo/"
_OBO_LOCAL = re.compile(r"^([A-Za-z][A-Za-z0-9.]*)_([A-Za-z0-9][\w.-]*)$")
_CURIE = re.compile(r"^([A-Za-z][\w.-]*):(\S+)$")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class TermHit:
    accession: str
    label: str
    ontology: str
    matched: str
    definition: str
    obsolete: bool = False
    replaced_by: str | None = None
    iri: str = ""


@dataclass
class TermRecord:
    """One term as read from a source, before it goes into the index."""

    accession: str
    label: str = ""
    synonyms: list[str] = field(default_factory=list)
    definition: str = ""
    obsolete: bool = False
    replaced_by: str | None = None
    iri: str = ""
    parents: list[str] = field(default_factory=list)
    alt_ids: list[str] = field(default_factory=list)


def curie(text: str) -> str:
    """The CURIE for an accession written as a CURIE, an OBO PURL or ``PREFIX_LOCAL``."""
    text = text.strip()
    if text.startswith(("http://", "https://")):
        if text.startswith(OBO_PURL):
            text = text[len(OBO_PURL):]
        else:
            return text
    match = _OBO_LOCAL.match(text)
    if match and ":" not in text:
        return f"{match.group(1)}:{match.group(2)}"
    return text


def prefix_of(accession: str) -> str:
    match = _CURIE.match(accession)
    return match.group(1) if match else ""


def iri_for(accession: str) -> str:
    """The OBO PURL of a CURIE (the usual IRI form for OBO Foundry ontologies)."""
    if accession.startswith(("http://", "https://")):
        return accession
    prefix, _, local = accession.partition(":")
    return f"{OBO_PURL}{prefix}_{local}" if local else ""


def looks_like_accession(text: str) -> bool:
    text = text.strip()
    if " " in text or not text:
        return False
    if text.startswith(("http://", "https://")):
        return True
    return bool(_CURIE.match(text) and any(ch.isdigit() for ch in text)) or bool(
        _OBO_LOCAL.match(text) and text.split("_", 1)[1][:1].isdigit()
    )


def fold(text: str) -> str:
    """Case, accent and whitespace-insensitive form of a name, for exact matching."""
    if text.isascii():
        return " ".join(_WORD.findall(text.lower()))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(text.casefold()))


def words(text: str) -> list[str]:
    """The words of a query, as the index tokenizer (unicode61) would split them."""
    return fold(text).split()
