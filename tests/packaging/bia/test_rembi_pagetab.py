"""REMBI -> PageTab: bia-agent's three golden outputs reproduced (TSV byte for byte, JSON equal)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depositdesk.app.cli import main
from depositdesk.packaging.bia.rembi import check_rembi, read_rembi
from depositdesk.packaging.bia.topagetab import rembi_to_pagetab

AGENT = "metadata-corpus/bia/bia-agent"

# input -> golden stem (bia-agent examples/output/, made with accession S-BIADXXX)
GOLDENS = [
    ("rembi-metadata.yaml", "rembi-metadata_rembi-to-pagetab"),
    ("rembi-metadata.json", "rembi-metadata_rembi-to-pagetab"),
    ("mifa-metadata.yaml", "mifa-metadata_rembi-mifa-to-pagetab"),
    ("mifa-metadata.json", "mifa-metadata_rembi-mifa-to-pagetab"),
    ("rembi-metadata-with-mifa.yaml", "rembi-metadata-with-mifa_rembi-mifa-to-pagetab"),
]


@pytest.mark.parametrize(("source", "golden"), GOLDENS)
def test_convert_writes_the_bia_agent_golden(shared: Path, tmp_path: Path, source: str, golden: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    agent = shared / AGENT
    code = main(["convert", str(agent / source), str(tmp_path), "--to", "pagetab", "--accession", "S-BIADXXX"])
    assert code == 0, capsys.readouterr()
    stem = source.rsplit(".", 1)[0]
    tsv = (tmp_path / f"{stem}.pagetab.tsv").read_bytes()
    assert tsv == (agent / "expected-pagetab" / f"{golden}.tsv").read_bytes()
    expected_json = agent / "expected-pagetab" / f"{golden}.json"
    written = json.loads((tmp_path / f"{stem}.pagetab.json").read_text(encoding="utf-8"))
    if expected_json.exists():
        assert written == json.loads(expected_json.read_text(encoding="utf-8"))
    assert written["attributes"][-1] == {"name": "DOI", "value": None, "reference": False,
                                         "nmqual": [], "valqual": []}


def test_quirks_are_kept(shared: Path) -> None:
    tsv = rembi_to_pagetab(read_rembi(shared / AGENT / "rembi-metadata.yaml"), "S-BIADXXX").as_tsv()
    assert "\nDOI\t\n\nStudy\n" in tsv                       # empty DOI header line
    assert "\nImage Analysis\tImage-Analysis-1\n" in tsv      # dash, unlike "Image Acquisition-1"
    assert "\nPMC ID\tPMC7768981\n" in tsv                    # pubmed_id written as PMC ID
    assert "\nAssociations\t\tStudy Component-1\n" in tsv     # parent accno in the third cell


def test_broken_specimens_is_refused_with_findings_and_nothing_written(
        shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = shared / AGENT / "broken_specimens.yaml"
    code = main(["convert", str(source), str(tmp_path / "out"), "--to", "pagetab"])
    out = capsys.readouterr().out
    assert code == 1
    assert not (tmp_path / "out").exists()
    assert "Traceback" not in out
    assert "line 44: specimens.Specimen-1.acquisitions" in out and "BIA-REMBI-MISPLACED" in out
    assert "study.description" in out and "organism.scientific_name" in out
    assert "'Image Acquisition-1' is not one of the acquisitions" in out
    codes = {f.code for f in read_rembi(source).findings}
    assert {"BIA-REMBI-EMPTY", "BIA-REMBI-MISPLACED", "BIA-REMBI-UNKNOWN-REF", "BIA-REMBI-BLANK"} <= codes


def _minimal() -> dict:
    return {
        "study": {"title": "A study of twenty-five characters", "description": "What was imaged and why, at length",
                  "private_until_date": "2030-01-01", "keywords": ["k"], "rembi_version": "1.5",
                  "authors": [{"first_name": "A", "last_name": "B", "role": "submitter",
                               "affiliation": {"name": "EMBL-EBI", "url": "https://ror.org/02catss52"}},
                              {"first_name": "C", "last_name": "D", "role": "curator",
                               "affiliation": {"name": "EMBL-EBI", "url": "https://ror.org/02catss52"}}],
                  "license": {"name": "CC0"}},
        "study_component": {"one": {"name": "n1", "description": "d1", "rembi_version": "1.5"},
                            "two": {"name": "n2", "description": "d2", "rembi_version": "1.5"}},
        "associations": {"first": {"biosample_id": "b", "specimen_id": "s", "acquisition_id": "a"}},
    }


def test_components_pair_with_associations_by_position() -> None:
    rembi = check_rembi(_minimal())
    by_code: dict[str, str] = {}
    for item in rembi.findings:
        by_code[item.code] = by_code.get(item.code, "") + item.message + "\n"
    assert "study component 2 has no association" in by_code["BIA-REMBI-PAIRING"]
    assert "paired with association 'first'" in by_code["BIA-REMBI-PAIR-NAME"]
    assert "'b' is not one of the biosamples" in by_code["BIA-REMBI-UNKNOWN-REF"]
    tsv = rembi_to_pagetab(rembi).as_tsv()
    assert tsv.startswith("Submission\nTitle\t")                # no accession: BioStudies assigns one
    assert tsv.count("\nStudy Component\t") == 1               # zip() drops the unpaired component
    assert "\norganization\to1\nName\tEMBL-EBI\nRORID\thttps://ror.org/02catss52\n" in tsv
    assert tsv.count("<affiliation>\to1\n") == 2 and "\nLicense\tCC0\n" in tsv


def test_model_errors_name_the_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("study:\n  title: x\n  title: y\n", encoding="utf-8")
    [item] = read_rembi(bad).findings
    assert item.code == "BIA-REMBI-UNREADABLE" and "duplicate key 'title'" in item.message
    assert item.location.line == 3
    data = _minimal()
    data["study"]["private_until_date"] = "next year"
    data["study"]["rembi_version"] = 1.5
    data["study"]["authors"][0]["first_name"] = ["A"]
    rembi = check_rembi(data)
    messages = [f.message for f in rembi.findings if f.code == "BIA-REMBI-INVALID"]
    assert not rembi.ok
    assert "study.private_until_date: expected a date YYYY-MM-DD, found 'next year'" in messages
    assert "study.rembi_version: must be '1.5' (found 1.5)" in messages
    assert "study.authors[1].first_name: expected a text, found a list" in messages


def test_yaml_is_read_as_bia_agents_ruamel_reads_it(shared: Path, tmp_path: Path) -> None:
    text = (shared / AGENT / "rembi-metadata.yaml").read_text(encoding="utf-8")
    source = tmp_path / "rembi.yaml"     # YAML 1.2: 'no' and 'on' are words, 1:30 is text, not 90
    source.write_text(text.replace("role: submitter", "role: no").replace("role: data curator", "role: on")
                      .replace("sample_preparation: Unknown", "sample_preparation: 1:30"), encoding="utf-8")
    tsv = rembi_to_pagetab(read_rembi(source), "S-BIADXXX").as_tsv()
    assert "\nRole\tno\n" in tsv and "\nRole\ton\n" in tsv and "\nSample Preparation Protocol\t1:30\n" in tsv


def test_line_breaks_are_warned_about_and_quoted_when_asked(shared: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    source = shared / AGENT / "mifa-metadata.yaml"
    assert main(["convert", str(source), str(tmp_path), "--to", "pagetab"]) == 0
    out = capsys.readouterr().out
    assert "BIA-PAGETAB-MULTILINE" in out and "1 value(s) (Description) hold line breaks" in out
    submission = rembi_to_pagetab(read_rembi(source), "S-BIADXXX")
    quoted = submission.as_tsv(quote=True)
    assert '\nDescription\t"This dataset contains annotated fluorescent nuclear images' in quoted
    assert 'human keratinocyte cell line (HaCaT) (41 images/2222 nuclei)."\nKeyword\tAI\n' in quoted
    assert '\nAnnotation Criteria\t"The annotation of nuclei' in submission.as_tsv()     # a one-line value: as is
    assert '\nAnnotation Criteria\t"The annotation of nuclei' in quoted


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("deep.yaml", "[" * 100_000, "invalid YAML: nested too deeply"),
    ("deep.json", "[" * 100_000, "invalid JSON: nested too deeply"),
    ("tagged.yaml", "study: !!python/object:os.system x\n", "could not determine a constructor"),
    ("list.yaml", "- study\n", "expected a mapping with 'study'"),
    ("notes.txt", "study: {}\n", "is not a .yaml or .json file"),
])
def test_hostile_or_odd_files_are_one_finding(tmp_path: Path, name: str, text: str, expected: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    rembi = read_rembi(tmp_path / name)
    assert not rembi.ok and expected in rembi.findings[0].message
