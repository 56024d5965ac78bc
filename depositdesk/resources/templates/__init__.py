"""New-project templates as data (one JSON file per kind of experiment), built with the magetab API.

Each ``<name>.json`` holds: ``title``, ``description``, IDF lines (``idf``),
``protocols``, ``term_sources``, ``experimental_factors`` (records of those IDF
sections), the SDRF ``header`` and example ``rows``, and ``column_ontologies``
(per-column overrides of `depositdesk.widgets.term_bindings` defaults).
Adding a template is adding a JSON file. No Qt here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf

ORDER = ("rnaseq", "chipseq", "atacseq", "imaging", "generic")


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    description: str
    data: dict[str, Any] = field(repr=False)

    @property
    def column_ontologies(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.data.get("column_ontologies", {}).items()}

    def build(self, title: str, sdrf_name: str = "") -> tuple[Idf, Sdrf]:
        """A new IDF (with protocols, factors, term sources) and its SDRF with the template's columns."""
        idf = Idf.blank(title)
        for name, values in self.data.get("idf", {}).items():
            idf.set(name, values)
        idf.set_records("protocol", self.data.get("protocols", []))
        idf.set_records("term_source", self.data.get("term_sources", []))
        idf.set_records("experimental_factor", self.data.get("experimental_factors", []))
        if sdrf_name:
            idf.set("SDRF File", [sdrf_name])
        sdrf = Sdrf(self.data["sdrf"]["header"], self.data["sdrf"].get("rows", []))
        return idf, sdrf


def _load(name: str) -> Template:
    text = (resources.files(__name__) / f"{name}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Template(name, data["title"], data["description"], data)


def templates() -> list[Template]:
    """The bundled templates in menu order (RNA-seq, ChIP-seq, ATAC-seq, imaging, generic)."""
    return [_load(name) for name in ORDER]


def template(name: str) -> Template:
    if name not in ORDER:
        raise KeyError(f"no template named {name!r} (known: {', '.join(ORDER)})")
    return _load(name)
