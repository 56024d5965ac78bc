"""Production reports: data sets, samples, files and bytes per value of chosen characteristics.

A **data set** is one project (one submission); it counts once under every
combination of values its SDRF rows hold. Samples are distinct Source Names,
files distinct data files named on the rows of that combination, bytes their
sizes on disk (files not on disk count as files with 0 bytes).

Values are read through the ontology index when one is given: a cell with a
Term Accession Number, or whose text is the exact label or synonym of one
term of the dimension's ontologies, is counted under that term's label (so
"hepar" and "liver" are one row); ``under`` maps every term below a chosen
ancestor to the ancestor ("all FBdv embryonic stages under 'embryonic
stage'"). Text no index knows is counted as typed (trimmed, case kept).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from depositdesk.magetab.project import Project, is_uri
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.progress import Progress, Task, run

DIMENSIONS: dict[str, tuple[str, ...]] = {
    "assay": ("comment[library_strategy]", "comment[library strategy]", "technology type",
              "comment[aeexperimenttype]", "characteristics[assay]"),
    "organism": ("characteristics[organism]",),
    "stage": ("characteristics[developmental stage]", "characteristics[dev stage]", "characteristics[stage]"),
    "tissue": ("characteristics[organism part]", "characteristics[tissue]"),
    "cell-type": ("characteristics[cell type]",),
    "sex": ("characteristics[sex]",),
    "strain": ("characteristics[strain]", "characteristics[genotype]"),
}
"""Report dimension -> SDRF headings that hold it (lower case), the first one present wins."""

ONTOLOGIES: dict[str, tuple[str, ...] | None] = {
    "organism": ("NCBITaxon",), "cell-type": ("CL",), "assay": ("EFO", "OBI"),
    "stage": None, "tissue": None, "sex": ("PATO",), "strain": None,
}
"""The ontologies whose labels normalise a dimension (None: every index)."""

NOT_GIVEN = "(not given)"


@dataclass
class Group:
    values: tuple[str, ...]
    projects: set[str] = field(default_factory=set)
    samples: set[tuple[str, str]] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    bytes: int = 0


@dataclass
class Report:
    dimensions: list[str]
    groups: list[Group]
    projects: int
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why) of projects not read

    def rows(self) -> list[list[Any]]:
        return [[*g.values, len(g.projects), len(g.samples), len(g.files), g.bytes] for g in self.groups]

    def header(self) -> list[str]:
        return [*self.dimensions, "data sets", "samples", "files", "bytes"]


class _Normaliser:
    """Cell text (and accession) -> the label it is counted under, memoised."""

    def __init__(self, service: Any | None, under: Sequence[str]) -> None:
        self.service, self.under = service, list(under)
        self._memo: dict[tuple[str, str, str], str] = {}
        self._ancestors: dict[str, str] = {}

    def __call__(self, dimension: str, text: str, accession: str) -> str:
        key = (dimension, text, accession)
        if key not in self._memo:
            self._memo[key] = self._normalise(dimension, text.strip(), accession.strip())
        return self._memo[key]

    def _normalise(self, dimension: str, text: str, accession: str) -> str:
        if not text:
            return NOT_GIVEN
        if self.service is None:
            return text
        ontologies = ONTOLOGIES.get(dimension)
        hit = self.service.lookup(accession) if accession else None
        if hit is None:
            hits = self.service.exact(text, ontologies)
            hit = hits[0] if len(hits) == 1 else None
        if hit is None:
            return text
        for ancestor in self.under:
            if self.service.is_under(hit.accession, ancestor):
                return self._ancestor_label(ancestor)
        return str(hit.label)

    def _ancestor_label(self, accession: str) -> str:
        if accession not in self._ancestors:
            hit = self.service.lookup(accession) if self.service else None
            self._ancestors[accession] = hit.label if hit else accession
        return self._ancestors[accession]


def find_projects(paths: Sequence[Path]) -> list[Path]:
    """Project folders or IDFs given, and the project folders (holding an *.idf.txt) under folders given."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_file() or any(path.glob("*.idf.txt")) or any(path.glob("*.idf.tsv")):
            found.append(path)
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if any(f.endswith((".idf.txt", ".idf.tsv")) for f in files):
                found.append(Path(root))
                dirs[:] = []
    return found


def count(paths: Sequence[Path], by: Sequence[str], service: Any | None = None,
          under: Sequence[str] = ()) -> Report:
    """The report of ``paths`` (projects, or folders of projects) by the dimensions ``by``."""
    return run(count_task(paths, by, service, under))


def count_task(paths: Sequence[Path], by: Sequence[str], service: Any | None = None,
               under: Sequence[str] = ()) -> Task[Report]:
    """`count` as a task: one tick per project read (so the window shows progress and can cancel)."""
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimension {unknown[0]!r} (known: {', '.join(DIMENSIONS)})")
    normalise = _Normaliser(service, under)
    groups: dict[tuple[str, ...], Group] = {}
    projects = find_projects(paths)
    skipped: list[tuple[str, str]] = []
    read = 0
    for n, path in enumerate(projects):
        yield Progress(n, len(projects), f"counting {path.name}", unit="")
        try:
            project = Project.open(path)
        except Exception as exc:  # one unreadable project is reported, the others still counted
            skipped.append((str(path), str(exc)))
            continue
        read += 1
        for sdrf in project.sdrfs:
            _count_sdrf(project, sdrf, list(by), normalise, groups)
    ordered = sorted(groups.values(), key=lambda g: (-len(g.projects), -len(g.samples), g.values))
    return Report(list(by), ordered, read, skipped)


def _columns(sdrf: Sdrf, dimension: str) -> tuple[int | None, int | None]:
    """(value column, its Term Accession Number column) for a dimension, or (None, None)."""
    lowered = [h.strip().lower() for h in sdrf.header]
    for wanted in DIMENSIONS[dimension]:
        if wanted in lowered:
            c = lowered.index(wanted)
            _, accession = sdrf.companions(c)
            return c, accession
    return None, None


def _count_sdrf(project: Project, sdrf: Sdrf, by: list[str], normalise: _Normaliser,
                groups: dict[tuple[str, ...], Group]) -> None:
    columns = [_columns(sdrf, d) for d in by]
    files = sdrf.find_columns("file")
    source = sdrf.header.index("Source Name") if "Source Name" in sdrf.header else None
    idf_assay = project.idf.first("Comment[AEExperimentType]") or project.idf.first("Experimental Design")
    for row in sdrf.rows:
        values = []
        for dimension, (c, acc) in zip(by, columns, strict=False):
            text = row[c] if c is not None else (idf_assay if dimension == "assay" else "")
            values.append(normalise(dimension, text, row[acc] if acc is not None else ""))
        group = groups.setdefault(tuple(values), Group(tuple(values)))
        group.projects.add(str(project.folder.resolve()))
        if source is not None and row[source].strip():
            group.samples.add((str(project.folder), row[source].strip()))
        for c in files:
            name = row[c].strip()
            if name and not is_uri(name):
                key = str((project.folder / name).resolve())
                if key not in group.files:
                    group.files.add(key)
                    group.bytes += _size(Path(key))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
