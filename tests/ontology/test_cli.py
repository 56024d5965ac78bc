"""`depositdesk ontology ...` run in-process, each test with its own cache folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depositdesk.app.cli import main


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path / "xdg-cache"


def test_add_then_search_show_and_list(own_cache, tiny_obo, shared, capsys):
    assert main(["ontology", "add", str(tiny_obo)]) == 0
    assert "TINY: 6 terms" in capsys.readouterr().out
    assert main(["ontology", "search", "t ce", "--ontology", "TINY", "--format", "json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["accession"] == "TINY:0000005" and hits[0]["label"] == "T cell"
    assert main(["ontology", "show", "TINY:0000003"]) == 0
    out = capsys.readouterr().out
    assert "old liver" in out and "OBSOLETE; replaced by: TINY:0000002" in out
    assert main(["ontology", "add", str(shared / "ontologies" / "owl" / "EDAM.owl")]) == 0
    capsys.readouterr()
    assert main(["ontology", "list", "--format", "json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["EDAM"]["licence"].startswith("CC BY-SA 4.0") and rows["EDAM"]["status"] == "ready"
    assert rows["EDAM"]["version"] and rows["TINY"]["origin"] == "user"
    assert rows["NCBITaxon"]["origin"] == "starter"


def test_search_with_under_limits_to_the_branch(own_cache, tiny_obo, capsys):
    main(["ontology", "add", str(tiny_obo)])
    capsys.readouterr()
    assert main(["ontology", "search", "liv", "--ontology", "tiny", "--under", "TINY:0000002", "--limit", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == ["TINY:0000002", "TINY:0000004"]


def test_show_unknown_accession_exits_1(own_cache, tiny_obo, capsys):
    main(["ontology", "add", str(tiny_obo)])
    assert main(["ontology", "show", "TINY:9999999"]) == 1
    assert "no indexed ontology has this term" in capsys.readouterr().err


def test_bad_input_is_one_line_and_exit_2(own_cache, tmp_path, capsys):
    assert main(["ontology", "add", str(tmp_path / "nowhere.obo")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a file" in err and "Traceback" not in err
    assert main(["ontology", "search", "x", "--ontology", "NOSUCH"]) == 2
    assert "unknown ontology: NOSUCH" in capsys.readouterr().err
    assert main(["ontology", "build", "NOSUCH"]) == 2
