"""Citation files for a code repository: CITATION.cff valid against the CFF 1.2.0 schema (the one
cffconvert 2.0.0 bundles), .zenodo.json as Zenodo's GitHub integration reads it, no overwrite
without --force, and clear refusals."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from depositdesk.app.cli import main
from depositdesk.magetab.project import Project
from depositdesk.packaging import citation
from tests.packaging.packages.recipes import example_project

EXTRA_IDF = ("Comment[Person ORCID]\t0000-0002-1825-0097\nComment[GEO accession]\tGSE000001\n"
             "Comment[Keywords]\tGAGA factor\tembryo\nComment[Software License]\tMIT\n")


def _project(tmp_path: Path, extra: str = EXTRA_IDF) -> Path:
    folder = example_project(tmp_path / "proj")
    idf = folder / "chipseq-dmel.idf.txt"
    text = idf.read_text(encoding="utf-8").replace("Publication DOI\n", "Publication DOI\t10.1234/example.5678\n")
    idf.write_text(text + extra, encoding="utf-8")
    return folder


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "code"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "analysis.py").write_text("print('peaks')\n", encoding="utf-8")
    return repo


@pytest.fixture(scope="module")
def schema() -> dict:
    found = citation.cff_schema()
    assert found is not None, "install the schema: pip install --no-deps cffconvert==2.0.0"
    assert found["$schema"].startswith("http://json-schema.org/draft-07")
    return found


def test_the_written_cff_validates_and_names_the_same_people_and_article(tmp_path: Path, schema: dict,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    assert main(["citation", str(_project(tmp_path)), str(repo)]) == 0
    cff = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation.validate_cff(cff, schema) == []
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "software"
    assert cff["title"] == "GAGA factor (Trl) ChIP-seq in Drosophila melanogaster stage 11 embryos"
    assert cff["authors"] == [{"family-names": "Example", "given-names": "Ada",
                               "affiliation": "Example Fly Genomics Lab",
                               "orcid": "https://orcid.org/0000-0002-1825-0097"}]
    assert cff["license"] == "MIT" and cff["keywords"] == ["ChIP-seq assay", "GAGA factor", "embryo"]
    assert cff["preferred-citation"]["doi"] == "10.1234/example.5678"
    assert cff["preferred-citation"]["authors"] == cff["authors"]
    printed = capsys.readouterr().out
    assert ".zenodo.json when it exists, and then CITATION.cff is ignored entirely" in printed
    assert "preferred-citation are not used" in printed


def test_the_zenodo_json_holds_the_legacy_deposit_fields(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert main(["citation", str(_project(tmp_path)), str(repo), "--format", "json"]) == 0
    meta = json.loads((repo / ".zenodo.json").read_text(encoding="utf-8"))
    assert meta["upload_type"] == "software" and meta["license"] == "mit"
    assert meta["creators"] == [{"name": "Example, Ada", "affiliation": "Example Fly Genomics Lab",
                                 "orcid": "0000-0002-1825-0097"}]
    assert meta["description"].startswith("Genome-wide binding of the GAGA factor")
    assert {"identifier": "10.1234/example.5678", "relation": "isSupplementTo", "scheme": "doi"} in \
        meta["related_identifiers"]
    assert {"identifier": "https://www.ncbi.nlm.nih.gov/geo/query/acc.cgi?acc=GSE000001",
            "relation": "references", "scheme": "url"} in meta["related_identifiers"]
    assert "metadata" not in meta and "publication_date" not in meta   # Zenodo takes the release's date


def test_a_cff_without_authors_fails_with_the_schemas_message(schema: dict, tmp_path: Path) -> None:
    cff, _ = citation.cff_data(Project.open(_project(tmp_path)), schema)
    del cff["authors"]
    assert "(top level): 'authors' is a required property" in citation.validate_cff(cff, schema)


def test_a_malformed_orcid_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    folder = _project(tmp_path, EXTRA_IDF.replace("0000-0002-1825-0097", "0000-0002-1825"))
    assert main(["citation", str(folder), str(repo)]) == 1
    out = capsys.readouterr().out
    assert "CITE-CFF-INVALID" in out and "authors/0/orcid" in out
    assert not (repo / "CITATION.cff").exists() and not (repo / ".zenodo.json").exists()


def test_existing_files_are_kept_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    (repo / "CITATION.cff").write_text("cff-version: 1.2.0\n# mine\n", encoding="utf-8")
    folder = str(_project(tmp_path))
    assert main(["citation", folder, str(repo)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already exists; use --force" in err[0]
    assert (repo / "CITATION.cff").read_text(encoding="utf-8").endswith("# mine\n")
    assert not (repo / ".zenodo.json").exists()
    assert main(["citation", folder, str(repo), "--force"]) == 0
    assert "# mine" not in (repo / "CITATION.cff").read_text(encoding="utf-8")


def test_a_folder_that_is_no_git_repository_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert main(["citation", str(_project(tmp_path)), str(plain)]) == 2
    assert "is not a Git repository" in capsys.readouterr().err
    assert list(plain.iterdir()) == []


def test_without_the_schema_the_files_are_written_with_one_line_saying_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(citation, "SCHEMA_PATH", "cffconvert/schemas/9.9.9/none.json")
    repo = _repo(tmp_path)
    assert main(["citation", str(_project(tmp_path)), str(repo)]) == 0
    out = capsys.readouterr().out
    assert "CITE-SCHEMA-MISSING" in out and "Traceback" not in out
    assert (repo / "CITATION.cff").is_file()
