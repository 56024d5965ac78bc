"""The SDRF column grammar: what each heading is, and which column a qualifier belongs to.

MAGE-TAB 1.1 headings are matched case-insensitively and with or without
spaces ("Characteristics [age]", "FactorValue[x]", "characteristics[organism]"
as the proteomics SDRFs write it). BIR-TAB relaxes the order of nodes, so the
grammar here classifies headings one by one and attaches qualifiers
(Term Source REF, Term Accession Number, Unit) to the column before them;
it does not impose the microarray order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Heading:
    """One heading understood: its kind, its name, the canonical text, and any typo seen."""

    kind: str
    name: str
    canonical: str
    typo: str | None = None
    problem: str | None = None   # 'unknown' | 'empty' | 'bracket_empty' | 'unit_bare'


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", "", text).lower()


NODE_HEADINGS = [
    "Source Name", "Sample Name", "Extract Name", "Labeled Extract Name", "Hybridization Name",
    "Assay Name", "Scan Name", "Normalization Name",
]
FILE_HEADINGS = [
    "Array Data File", "Derived Array Data File", "Array Data Matrix File",
    "Derived Array Data Matrix File", "Image File",
]
ARRAY_DESIGN_HEADINGS = ["Array Design File", "Array Design REF"]
SIMPLE_ATTRIBUTES = {
    "Material Type": "material_type", "Label": "label", "Performer": "performer", "Date": "date",
    "Provider": "provider", "Technology Type": "technology_type", "Description": "description",
    "Protocol REF": "protocol_ref", "Term Source REF": "term_source_ref",
    "Term Accession Number": "term_accession",
}
BRACKETED = {
    "Characteristics": "characteristics", "Factor Value": "factor_value",
    "Parameter Value": "parameter_value", "Comment": "comment", "Unit": "unit",
}
TYPOS = {"characteristic": "Characteristics", "factorvalues": "Factor Value",
         "parametervalues": "Parameter Value", "comments": "Comment", "units": "Unit"}
SPELLING_VARIANTS = {
    "labelledextractname": "Labeled Extract Name", "hybridisationname": "Hybridization Name",
    "normalisationname": "Normalization Name", "termsourceref": "Term Source REF",
    "protocolref": "Protocol REF",
}

_SIMPLE: dict[str, tuple[str, str]] = {}
for _h in NODE_HEADINGS:
    _SIMPLE[_key(_h)] = ("node", _h)
for _h in FILE_HEADINGS:
    _SIMPLE[_key(_h)] = ("file", _h)
for _h in ARRAY_DESIGN_HEADINGS:
    _SIMPLE[_key(_h)] = ("array_design", _h)
for _h, _kind in SIMPLE_ATTRIBUTES.items():
    _SIMPLE[_key(_h)] = (_kind, _h)
for _k, _h in SPELLING_VARIANTS.items():
    _SIMPLE[_k] = _SIMPLE[_key(_h)]
_BRACKET_KEYS = {_key(k): k for k in BRACKETED}

_BRACKET_RE = re.compile(r"^\s*([^\[\]]*?)\s*\[\s*(.*?)\s*\]\s*(?:\(\s*(.*?)\s*\))?\s*$", re.S)
_FILE_COMMENT_RE = re.compile(
    r"(?i)(fastq_uri|submitted_file_name|submitted file name|\bfile uri\b|\bdata file\b"
    r"|\bftp file\b|\b(read|index)\d file\b|derived .*file\b|\bfile name\b|\bfilename\b)")


@lru_cache(maxsize=4096)
def parse_heading(text: str) -> Heading:
    """Classify one SDRF heading (cached: a table has few distinct headings)."""
    stripped = text.strip()
    if not stripped:
        return Heading("unknown", "", "", problem="empty")
    match = _BRACKET_RE.match(stripped)
    if match:
        return _bracketed(match.group(1), match.group(2), match.group(3), stripped)
    simple = _SIMPLE.get(_key(stripped))
    if simple:
        return Heading(simple[0], simple[1], simple[1])
    ref, colon, namespace = stripped.partition(":")
    if colon and _key(ref).endswith("ref") and _key(ref) in _SIMPLE:
        kind, name = _SIMPLE[_key(ref)]
        return Heading(kind, name, f"{name}:{namespace.strip()}")
    if _key(stripped) == "unit":
        return Heading("unit", "", "Unit", problem="unit_bare")
    return Heading("unknown", stripped, stripped, problem="unknown")


def _bracketed(word: str, inner: str, paren: str | None, text: str) -> Heading:
    key = _key(word)
    typo = None
    if key in TYPOS:
        typo, word = text, TYPOS[key]
        key = _key(word)
    if key not in _BRACKET_KEYS:
        return Heading("unknown", text, text, problem="unknown")
    base = _BRACKET_KEYS[key]
    kind = BRACKETED[base]
    canonical = f"{base}[{inner}]" + (f" ({paren})" if paren else "")
    if kind == "comment" and _FILE_COMMENT_RE.search(inner) and "array design" not in inner.lower():
        kind = "file"
    problem = None if inner else "bracket_empty"
    name = inner if kind != "file" else canonical
    return Heading(kind, name, canonical, typo=typo, problem=problem)


QUALIFIER_KINDS = {"term_source_ref", "term_accession", "unit"}
# What a qualifier may follow: a Term Source REF qualifies the attribute before it,
# or the Unit before it, or (for Protocol REF / Array Design REF / Label) the reference.
QUALIFIABLE = {"characteristics", "factor_value", "parameter_value", "unit", "material_type",
               "label", "protocol_ref", "array_design", "technology_type", "comment", "node",
               "file", "performer", "provider", "date", "description"}


def attach_qualifiers(kinds: list[str]) -> list[int | None]:
    """For each column, the index of the column it qualifies (None when it is not a qualifier).

    Term Source REF and Term Accession Number attach to the nearest column before
    them that is not itself a Term Source REF / Accession (so a Unit's term source
    attaches to the Unit). A Unit attaches to the nearest value column before it.
    """
    attached: list[int | None] = [None] * len(kinds)
    last_value: int | None = None
    last_any: int | None = None
    for c, kind in enumerate(kinds):
        if kind in ("term_source_ref", "term_accession"):
            attached[c] = last_any
        elif kind == "unit":
            attached[c] = last_value
            last_any = c
        else:
            last_any = c if kind in QUALIFIABLE else None
            last_value = c if kind in {"characteristics", "factor_value", "parameter_value"} else None
    return attached
