"""New-project templates as data (one JSON file per kind of experiment), built with the magetab API.

Each ``<name>.json`` holds: ``title``, ``description``, IDF lines (``idf``),
``protocols``, ``term_sources``, ``experimental_factors`` (records of those IDF
sections), the SDRF ``header`` and one neutral ``rows`` entry (the assay's own
values: protocols, library strategy ...; no organism, no example sample),
``column_ontologies`` (per-column overrides of `depositdesk.widgets.term_bindings`
defaults) and ``suggest`` (the New project dialog's first guesses: factor,
conditions, replicates). `Design` is what the person knows (organism, conditions,
replicates per condition); `Template.build` makes the rows from it.
Adding a template is adding a JSON file. No Qt here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf

ORDER = ("rnaseq", "chipseq", "atacseq", "imaging", "generic")


@dataclass(frozen=True)
class Design:
    """What the person knows about the experiment, from the New project dialog."""

    organism: str = ""
    organism_accession: str = ""          # e.g. NCBITaxon:10090 ('' when not chosen from the index)
    factor: str = ""                      # the experimental factor, e.g. "treatment"
    conditions: tuple[str, ...] = ()      # its values, e.g. ("control", "treated")
    replicates: int = 1                   # samples per condition
    material: str = ""                    # Material Type of the samples, e.g. "organism part"

    def sample_names(self) -> list[tuple[str, str]]:
        """(sample name, condition) per row: control_1, control_2, treated_1 ..."""
        count = max(1, self.replicates)
        conditions = [c for c in self.conditions if c.strip()] or [""]
        names: list[tuple[str, str]] = []
        stems: set[str] = set()
        for condition in conditions:
            stem = base = name_stem(condition) or "sample"
            while stem.casefold() in stems:      # "a b" and "a_b": two conditions, distinct names
                stem = f"{base}_{len(stems) + 1}"
            stems.add(stem.casefold())
            names.extend((f"{stem}_{i}", condition) for i in range(1, count + 1))
        return names


def name_stem(text: str) -> str:
    """A condition as a node name stem: 'heat shock 37°C' -> 'heat_shock_37_C'."""
    return re.sub(r"[^\w.-]+", "_", text.strip()).strip("_")


NAMES = {"Source Name": "{}", "Sample Name": "{}", "Extract Name": "{} extract", "Assay Name": "{} run"}
COMPANIONS = ("Term Source REF", "Term Accession Number", "Unit")


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    description: str
    data: dict[str, Any] = field(repr=False)

    @property
    def column_ontologies(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.data.get("column_ontologies", {}).items()}

    @property
    def suggest(self) -> dict[str, Any]:
        """First guesses for the New project dialog: factor, conditions, replicates."""
        return dict(self.data.get("suggest", {}))

    def build(self, title: str, sdrf_name: str = "", design: Design | None = None) -> tuple[Idf, Sdrf]:
        """A new IDF (with protocols, factors, term sources) and its SDRF with the template's columns;
        with a ``design``, one row per sample of every condition, its organism and factor value."""
        idf = Idf.blank(title)
        for name, values in self.data.get("idf", {}).items():
            idf.set(name, values)
        idf.set_records("protocol", self.data.get("protocols", []))
        idf.set_records("term_source", self.data.get("term_sources", []))
        factors = self.data.get("experimental_factors", [])
        if design is not None and design.factor.strip():
            factors = [{"Experimental Factor Name": design.factor.strip(),
                        "Experimental Factor Type": design.factor.strip()}]
        idf.set_records("experimental_factor", factors)
        if sdrf_name:
            idf.set("SDRF File", [sdrf_name])
        header = list(self.data["sdrf"]["header"])
        rows = [list(r) for r in self.data["sdrf"].get("rows", [])]
        if design is not None:
            header, rows = _design_rows(header, rows[0] if rows else [""] * len(header), design)
        return idf, Sdrf(header, rows)


def _design_rows(header: list[str], defaults: list[str], design: Design) -> tuple[list[str], list[list[str]]]:
    """The template's columns (its own Factor Value columns replaced by the design's) and a row per sample."""
    keep = _without_factor_values(header)
    header = [header[i] for i in keep]
    defaults = [defaults[i] if i < len(defaults) else "" for i in keep]
    factor = design.factor.strip()
    if factor:
        header.append(f"Factor Value[{factor}]")
        defaults.append("")
    rows = []
    for name, condition in design.sample_names():
        row = list(defaults)
        for c, heading in enumerate(header):
            if heading in NAMES:
                row[c] = NAMES[heading].format(name)
            elif heading == "Characteristics[organism]":
                row[c] = design.organism.strip()
                _set_companions(header, row, c, design.organism_accession.strip())
            elif heading == "Material Type" and design.material.strip():
                row[c] = design.material.strip()
        if factor:
            row[-1] = condition
        rows.append(row)
    return header, rows


def _without_factor_values(header: list[str]) -> list[int]:
    """Indexes of the columns that are not a Factor Value column or one of its companions."""
    keep, in_factor = [], False
    for i, heading in enumerate(header):
        if heading.startswith("Factor Value"):
            in_factor = True
            continue
        if in_factor and heading in COMPANIONS:
            continue
        in_factor = False
        keep.append(i)
    return keep


def _set_companions(header: list[str], row: list[str], c: int, accession: str) -> None:
    """Term Source REF / Term Accession Number after column ``c``: the ontology (from the CURIE) and id."""
    for j in range(c + 1, min(c + 3, len(header))):
        if header[j] == "Term Source REF":
            row[j] = accession.partition(":")[0] if accession else ""
        elif header[j] == "Term Accession Number":
            row[j] = accession
        else:
            break


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
