"""Building the starter indexes for real, in subprocesses: on-demand build on a fresh install, and a killed build."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from depositdesk.ontology import codes
from depositdesk.ontology.check import check_term
from depositdesk.ontology.service import TermService


def _env(cache: Path) -> dict[str, str]:
    return dict(os.environ, XDG_CACHE_HOME=str(cache), PYTHONWARNINGS="ignore")


@pytest.mark.slow
def test_fresh_install_search_builds_ncbitaxon_on_demand(tmp_path: Path):
    cache = tmp_path / "fresh-cache"
    cmd = [sys.executable, "-m", "depositdesk", "ontology", "search", "drosophila mel",
           "--ontology", "NCBITaxon", "--format", "json"]
    done = subprocess.run(cmd, env=_env(cache), capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout)
    assert hits[0]["accession"] == "NCBITaxon:7227" and hits[0]["label"] == "Drosophila melanogaster"
    assert "building the term index for NCBITaxon" in done.stderr

    again = subprocess.run(cmd, env=_env(cache), capture_output=True, text=True, timeout=60, check=False)
    assert json.loads(again.stdout)[0]["accession"] == "NCBITaxon:7227" and "building" not in again.stderr

    service = TermService(cache / "depositdesk" / "ontology")
    _descendants_of_drosophila(service)
    _model_organisms_outside_animals(service)
    (f,) = check_term(service, "made-up fly", "NCBITaxon:99999999", "NCBITaxon")
    assert f.code == codes.TERM_UNKNOWN
    assert check_term(service, "Homo sapiens", "NCBITaxon:9606", "NCBITaxon") == []


def _descendants_of_drosophila(service: TermService) -> None:
    hits = service.search("d", ["NCBITaxon"], under="NCBITaxon:7215", limit=30)
    assert len(hits) == 30
    assert all(service.is_under(h.accession, "NCBITaxon:7215") for h in hits)
    assert service.search("homo sapiens", ["NCBITaxon"], under="NCBITaxon:7215") == []
    assert service.search("fruit fly", ["NCBITaxon"])[0].accession == "NCBITaxon:7227"
    assert service.search("human", ["NCBITaxon"])[0].accession == "NCBITaxon:9606"


def _model_organisms_outside_animals(service: TermService) -> None:
    for accession, label in [("NCBITaxon:3702", "Arabidopsis thaliana"), ("NCBITaxon:559292", None),
                             ("NCBITaxon:2697049", None), ("NCBITaxon:83333", "Escherichia coli K-12")]:
        hit = service.lookup(accession)
        assert hit is not None and (label is None or hit.label == label)
    assert service.search("arabidopsis th", ["NCBITaxon"])[0].accession == "NCBITaxon:3702"
    assert service.search("sars-cov", ["NCBITaxon"])[0].accession == "NCBITaxon:2697049"
    assert service.is_under("NCBITaxon:559292", "NCBITaxon:4751") is True    # S288C is a fungus
    assert service.is_under("NCBITaxon:3702", "NCBITaxon:33208") is False    # not an animal
    assert service.is_under("NCBITaxon:7227", "NCBITaxon:2759") is True      # animals are eukaryotes


def test_killed_build_leaves_no_index_that_looks_complete(tmp_path: Path):
    """Kill a build of GO (48k terms) midway: the next start sees it missing, and a rebuild works."""
    root = tmp_path / "cache"
    code = ("import sys; from pathlib import Path; from depositdesk.ontology.service import TermService; "
            "from depositdesk.progress import run; run(TermService(Path(sys.argv[1])).build(['GO']))")
    proc = subprocess.Popen([sys.executable, "-c", code, str(root)], env=_env(tmp_path))
    index_dir = root / "index"
    deadline = time.monotonic() + 60
    while not list(index_dir.glob("GO-*.tmp-*")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    time.sleep(0.3)  # well inside the ~5 s of reading terms
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert list(index_dir.glob("GO-*.tmp-*")), "the half-built file is where the killed build left it"
    assert not list(index_dir.glob("GO-*.sqlite"))
    service = TermService(root)
    assert service.available()["GO"] == "missing"          # not 'ready', and not 'building' (its pid is dead)
    assert service.lookup("GO:0008150") is None

    from depositdesk.progress import run

    run(service.build(["GO"]))
    assert not list(index_dir.glob("*.tmp-*"))               # the next build swept the remains
    assert service.available()["GO"] == "ready"
    assert service.lookup("GO:0008150").label == "biological_process"


@pytest.mark.slow
def test_large_gene_ontology_and_cell_ontology_owl(tmp_path: Path, shared: Path):
    """The big files of the corpus: GO as gzip OBO (lenient scanner), full CL as gzip OWL (pronto)."""
    from depositdesk.progress import run

    service = TermService(tmp_path / "cache")
    go = run(service.add_file(shared / "ontologies" / "large" / "go-2026-06-15.obo.gz"))
    assert go.name == "GO" and go.terms == 48329
    assert service.search("mitochondrial transl", ["GO"])[0].label.startswith("mitochondrial translation")
    assert service.is_under("GO:0032543", "GO:0008150") is True  # mitochondrial translation is a process
    cl = run(service.add_file(shared / "ontologies" / "large" / "cl-2022-12-15.owl.gz"))
    assert cl.name == "CL" and cl.terms > 15000
    assert service.lookup("CL:0000084").label == "T cell"
    assert any("warning" in note for note in cl.notes)
