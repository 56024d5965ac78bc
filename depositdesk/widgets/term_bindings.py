"""Which ontologies a column's terms come from (no Qt here).

A column such as ``Characteristics[organism]`` expects terms from NCBITaxon,
``Characteristics[cell type]`` from CL, and so on. These defaults follow the
MAGE-TAB/ArrayExpress and sdrf-pipelines habits; templates and the person
override them per column (an explicit empty list means "free text here"). The
project keeps its overrides in ``<folder>/.depositdesk/column-ontologies.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

DEFAULT_BINDINGS: dict[str, list[str]] = {
    "organism": ["NCBITaxon"],
    "cell type": ["CL"],
    "cell line": ["CLO", "EFO"],
    "developmental stage": ["FBdv", "WBls", "HsapDv", "MmusDv"],
    "stage": ["FBdv", "WBls", "HsapDv", "MmusDv"],
    "organism part": ["UBERON", "FBbt"],
    "tissue": ["UBERON", "FBbt"],
    "disease": ["MONDO", "EFO"],
    "sex": ["PATO"],
    "assay": ["OBI", "EFO"],
    "library strategy": ["OBI", "EFO"],
    "instrument": ["EFO"],
    "instrument model": ["EFO"],
    "imaging method": ["FBbi"],
    "unit": ["UO"],
}
"""Lower-case bracket name (or the column kind 'unit') -> ontology names."""

_BRACKET = re.compile(r"\[(.*)\]\s*$")
BINDINGS_FILE = Path(".depositdesk") / "column-ontologies.json"


def column_name(header: str) -> str:
    """'Characteristics [Organism Part]' -> 'organism part'; 'Unit[time unit]' -> 'unit'."""
    if header.strip().lower().startswith("unit"):
        return "unit"
    m = _BRACKET.search(header)
    return " ".join((m.group(1) if m else header).split()).lower()


def default_ontologies(header: str) -> list[str]:
    return list(DEFAULT_BINDINGS.get(column_name(header), []))


def load_bindings(folder: Path) -> dict[str, list[str]]:
    """A project's per-column overrides; {} when none were saved or the file is unreadable."""
    path = folder / BINDINGS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k).casefold(): [str(o) for o in v] for k, v in data.items() if isinstance(v, list)}


def save_bindings(folder: Path, bindings: Mapping[str, list[str]]) -> None:
    path = folder / BINDINGS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(dict(bindings), indent=1, sort_keys=True), encoding="utf-8")
    tmp.replace(path)
