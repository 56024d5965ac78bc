"""First use of the term index: the project's ontologies are built first, progress moves smoothly,
an unrestricted search ranks a curated ontology's term above a huge taxonomy's obscure genus, and
`ontology show` on a fresh cache builds what it needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.app.cli import main
from depositdesk.ontology import service as service_module
from depositdesk.ontology.building import ProgressEstimate
from depositdesk.ontology.service import TermService
from depositdesk.ontology.sources import Source
from depositdesk.progress import Progress, drive, run


def obo(name: str, terms: list[tuple[str, str, str]]) -> str:
    """An OBO file: (local id, label, synonym or '') per term."""
    parts = [f"format-version: 1.2\nontology: {name.lower()}\n"]
    for local, label, synonym in terms:
        parts.append(f"[Term]\nid: {name}:{local}\nname: {label}\n"
                     + (f'synonym: "{synonym}" EXACT []\n' if synonym else ""))
    return "\n".join(parts)


def taxonomy() -> str:
    """A taxonomy bigger than the anatomy by orders of magnitude, as NCBITaxon is."""
    taxa = [("8960", "Livia", ""), ("10116", "Rattus norvegicus", "rat")]
    taxa += [(str(100000 + i), f"Genus{i} species", "") for i in range(3000)]
    return obo("NCBITaxon", taxa)


ANATOMY = obo("UBERON", [("0002107", "liver", ""), ("0006533", "rathke pouch", ""),
                         ("0000955", "brain", "")])


@pytest.fixture
def two_ontologies(tmp_path: Path) -> TermService:
    service = TermService(tmp_path / "cache")
    taxa, anatomy = tmp_path / "ncbitaxon.obo", tmp_path / "uberon.obo"
    taxa.write_text(taxonomy())
    anatomy.write_text(ANATOMY)
    run(service.add_file(taxa))      # the taxonomy listed first: today's tie-break put its genus first
    run(service.add_file(anatomy))
    return service


def test_unrestricted_liv_ranks_uberon_liver_above_the_genus_livia(two_ontologies: TermService):
    labels = [h.label for h in two_ontologies.search("liv", limit=5)]
    assert labels.index("liver") < labels.index("Livia")
    assert two_ontologies.search("liv", limit=1)[0].ontology == "UBERON"


def test_an_exact_name_still_beats_a_prefix_in_a_smaller_ontology(two_ontologies: TermService):
    hits = two_ontologies.search("rat", limit=5)
    assert hits[0].label == "Rattus norvegicus" and hits[0].matched == "rat"
    assert "rathke pouch" in [h.label for h in hits]


def test_a_column_s_ontologies_rank_in_the_column_s_order(two_ontologies: TermService):
    """An organism column lists NCBITaxon first: there the genus is what the person means."""
    assert two_ontologies.search("liv", ["NCBITaxon", "UBERON"], limit=1)[0].label == "Livia"
    assert two_ontologies.search("liv", ["UBERON", "NCBITaxon"], limit=1)[0].label == "liver"


@pytest.fixture
def starters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Source]:
    """Starter ontologies known but not built (a fresh install): a big taxonomy and a small anatomy."""
    taxa, anatomy = tmp_path / "src" / "ncbitaxon.obo", tmp_path / "src" / "uberon.obo"
    taxa.parent.mkdir()
    taxa.write_text(taxonomy())
    anatomy.write_text(ANATOMY)
    sources = [Source("NCBITaxon", "obo", str(taxa), "1", "taxa1", "starter"),
               Source("UBERON", "obo", str(anatomy), "1", "anat1", "starter")]
    monkeypatch.setattr(service_module, "starter_sources", lambda _checksums: list(sources))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return sources


def test_the_open_project_s_ontologies_are_built_first(tmp_path: Path, starters: list[Source]):
    service = TermService(tmp_path / "cache")
    ready: list[str] = []

    def tick(p: Progress) -> None:
        if p.message.endswith(": ready"):
            ready.append(p.message.split(":")[0])

    drive(service.build(first=["uberon"]), tick)
    assert ready == ["UBERON", "NCBITaxon"]
    ready.clear()
    drive(service.build(force=True), tick)  # nothing asked first: the biggest starts first
    assert ready == ["NCBITaxon", "UBERON"]


def test_progress_moves_while_the_biggest_ontology_is_still_building():
    """Half the bytes finish early and the other half (NCBITaxon) builds for 20 s more: the figure
    must keep rising in between, not sit at 50 % and then jump to 100 %."""
    total, small, big = 2_000_000, 1_000_000, 1_000_000
    clock = ProgressEstimate(0.0, workers=2)
    clock.started("NCBITaxon", 0.0)
    clock.started("UBERON", 0.0)
    clock.finished(small, 2.0)  # UBERON done after 2 s
    seen = [clock.done_bytes([("NCBITaxon", big)], t) for t in (2.0, 4.0, 8.0, 16.0, 21.9)]
    assert seen == sorted(seen) and seen[-1] <= total
    assert seen[1] > small and seen[-1] / total > 0.9   # the last step to "ready" is under 10 %
    assert all(b - a <= 0.3 * total for a, b in zip(seen, seen[1:], strict=False))


def test_show_on_a_fresh_cache_builds_the_term_s_ontology(starters: list[Source], capsys):
    assert main(["ontology", "show", "UBERON:0002107"]) == 0
    captured = capsys.readouterr()
    assert "UBERON:0002107  liver" in captured.out
    assert "building the term index for UBERON" in captured.err
    assert "no indexed ontology" not in captured.err
    states = TermService().available()
    assert states["UBERON"] == "ready" and states["NCBITaxon"] == "missing"  # only what it needed


def test_show_of_an_unknown_prefix_on_a_fresh_cache_says_nothing_is_built(starters: list[Source], capsys):
    assert main(["ontology", "show", "ZZZ:0000001"]) == 1
    err = capsys.readouterr().err
    assert "no term index is built yet" in err and "depositdesk ontology build" in err
    assert err.count("\n") == 1


def test_whole_names_and_cross_species_ontologies_come_first(two_ontologies: TermService, tmp_path: Path):
    """A one-species anatomy's "liver primordium" and a cell-line ontology's "Homo sapiens cell line"
    do not push the plain names down: fewer words beyond the typed ones rank first."""
    fish, lines = tmp_path / "zfa.obo", tmp_path / "efo.obo"
    fish.write_text(obo("ZFA", [("0000123", "liver", ""), ("0000124", "liver primordium", "")]))
    lines.write_text(obo("EFO", [("0000001", "Homo sapiens cell line", "")]))
    run(two_ontologies.add_file(fish))
    run(two_ontologies.add_file(lines))
    taxa = tmp_path / "more-taxa.obo"
    taxa.write_text(taxonomy().replace("name: Rattus norvegicus", "name: Homo sapiens"))
    run(two_ontologies.add_file(taxa))
    hits = [f"{h.label}/{h.ontology}" for h in two_ontologies.search("liv", limit=4)]
    assert hits[:3] == ["liver/UBERON", "liver/ZFA", "Livia/NCBITaxon"]
    assert two_ontologies.search("homo sap", limit=1)[0].label == "Homo sapiens"
