"""Ontology test fixtures: the shared OBO/OWL files are indexed once per session (they are read in place)."""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.ontology.index import BuildSummary
from depositdesk.ontology.service import TermService
from depositdesk.progress import run

SMALL_OBO = """format-version: 1.2
data-version: test/2026-01-01
ontology: tiny

[Term]
id: TINY:0000001
name: organism part

[Term]
id: TINY:0000002
name: liver
synonym: "hepar" EXACT []
def: "The organ that makes bile." [TINY:curator]
is_a: TINY:0000001 ! organism part

[Term]
id: TINY:0000003
name: old liver
is_obsolete: true
replaced_by: TINY:0000002

[Term]
id: TINY:0000004
name: liver lobe
relationship: part_of TINY:0000002 ! liver
is_a: TINY:0000001

[Term]
id: TINY:0000005
name: T cell
synonym: "T-lymphocyte" EXACT []
is_a: TINY:0000001

[Term]
id: TINY:0000006
name: T cell receptor complex
is_a: TINY:0000001
"""


@pytest.fixture(scope="session")
def corpus_service(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> tuple[TermService, dict[str, BuildSummary]]:
    """Every file in ontologies/obo and ontologies/owl, added once for the whole session."""
    service = TermService(tmp_path_factory.mktemp("ontology-corpus"))
    summaries = {}
    for folder in ("obo", "owl"):
        for path in sorted((shared / "ontologies" / folder).iterdir()):
            summaries[path.name] = run(service.add_file(path))
    return service, summaries


@pytest.fixture
def tiny_obo(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.obo"
    path.write_text(SMALL_OBO)
    return path


@pytest.fixture
def tiny_service(tmp_path: Path, tiny_obo: Path) -> TermService:
    service = TermService(tmp_path / "cache")
    run(service.add_file(tiny_obo))
    return service
