"""Figshare: the item body equals the golden, the target's rules fail and pass on recipe-made
projects, and the package uploads through the part protocol to a Figshare server on 127.0.0.1."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages.build import build_package
from depositdesk.packaging.targets import check_targets
from depositdesk.packaging.upload_commands import main
from tests.packaging.packages.recipes import example_project
from tests.packaging.transfer.figshareserver import FakeFigshare

GOLDEN = Path(__file__).parent / "golden"
EXTRA_IDF = ("Comment[Person ORCID]\t0000-0002-1825-0097\nComment[GEO accession]\tGSE000001\n"
             "Comment[Keywords]\tGAGA factor\tembryo\n")


def _project(tmp_path: Path, extra: str = EXTRA_IDF, replaces: tuple[tuple[str, str], ...] = ()) -> Path:
    folder = example_project(tmp_path / "proj")
    idf = folder / "chipseq-dmel.idf.txt"
    text = idf.read_text(encoding="utf-8").replace("Publication DOI\n", "Publication DOI\t10.1234/example.5678\n")
    for old, new in replaces:
        assert old in text
        text = text.replace(old, new)
    idf.write_text(text + extra, encoding="utf-8")
    return folder


def _codes(folder: Path) -> list[str]:
    return [f.code for f in check_targets(Project.open(folder), ["figshare"])]


def test_the_item_body_equals_the_golden(tmp_path: Path) -> None:
    result = build_package(Project.open(_project(tmp_path)), "figshare", tmp_path / "out")
    assert result.built, [f.describe() for f in result.findings]
    body = json.loads((tmp_path / "out" / "figshare.json").read_text(encoding="utf-8"))
    assert body == json.loads((GOLDEN / "figshare-chipseq-dmel.figshare.json").read_text(encoding="utf-8"))
    assert body["authors"][0] == {"name": "Ada Example", "orcid_id": "0000-0002-1825-0097"}
    assert "https://doi.org/10.1234/example.5678" in body["references"]


@pytest.mark.parametrize(("replaces", "code"), [
    ((("Person Last Name\tExample", "Person Last Name"), ("Person First Name\tAda", "Person First Name")),
     "FIGSHARE-AUTHOR"),
    ((("Experimental Design\tChIP-seq assay", "Experimental Design"),), "FIGSHARE-KEYWORDS"),
    ((("Comment[License]\tCC BY 4.0", "Comment[License]\tAll rights reserved"),), "FIGSHARE-LICENCE"),
])
def test_each_rule_fails_on_its_gap_and_passes_on_the_example(tmp_path: Path,
                                                              replaces: tuple[tuple[str, str], ...],
                                                              code: str) -> None:
    assert code not in _codes(_project(tmp_path / "good"))
    assert code in _codes(_project(tmp_path / "bad", extra="", replaces=replaces))


def test_the_package_uploads_to_figshare_and_a_rerun_sends_nothing(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    token = secrets.token_urlsafe(24)
    monkeypatch.setenv("DEPOSITDESK_TOKEN", token)
    out = tmp_path / "out"
    assert build_package(Project.open(_project(tmp_path)), "figshare", out).built
    with FakeFigshare(token) as server:
        assert main(["upload", str(out), "--server", server.url, "--format", "json"]) == 0
        (article,) = server.state.articles
        stored = server.state.files_of(article)
        sent = len(server.state.part_puts)
        assert main(["upload", str(out), "--server", server.url]) == 0
        assert len(server.state.part_puts) == sent            # everything verified: nothing again
        metadata = server.state.articles[article]["metadata"]
    listed = [line.split("\t")[0] for line in (out / "MANIFEST.tsv").read_text().splitlines()[1:]]
    assert stored == {name: (out / name).read_bytes() for name in listed}
    assert metadata == json.loads((out / "figshare.json").read_text(encoding="utf-8"))
