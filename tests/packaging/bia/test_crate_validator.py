"""`depositdesk check` of a BIA RO-Crate reproduces BIA's validator on its own test fixtures.

Expected outcomes: bia-ro-crate test/test_validator.py (exit code, number of error messages, the
snippets each holds), written out here as the full messages BIA's validator logs; the three
parser fixtures it does not list are valid, except the one naming a missing specimen.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from depositdesk.app.cli import main
from depositdesk.packaging.bia.crate_check import ERROR, is_bia_crate, validate_crate

FIXTURES = "metadata-corpus/bia/bia-ro-crate-validator"
BAD_ID = "ID with invalid characters such as: ^ %ZZ \n and whitespace"

EXPECTED: dict[str, list[str]] = {
    "test_redefined_context": [
        "At title: \n   Term has been remapped in context: title must be mapped to http://schema.org/name"],
    "test_duplicate_entity_id": [
        "At ro-crate object with @id: https://orcid.org/9999-0001-2222-3333: \n   "
        "Found more than one object with @id https://orcid.org/9999-0001-2222-3333."],
    "test_invalid_objects": [
        f'At ro-crate object with @id: ./: \n   At contributor, index: 0: Value error, "{BAD_ID}" is not a valid IRI',
        f'At ro-crate object with @id: {BAD_ID}: \n   At @id: Value error, "{BAD_ID}" is not a valid IRI',
        "At ro-crate object with @id: #dataset: \n   Missing required field: name\n"
        "At associatedImageAnalysisMethod, index: 0: Input should be a valid dictionary or instance of ObjectReference",
        "At ro-crate object with @id: #object_with_mixed_types: \n   @type of object does not contain exactly 1 BIA "
        "classes. @type contains: http://bia/AnnotationMethod, http://bia/BioSample, matching 2 BIA classes.",
        "At ro-crate object with @id: #object_no_expected_types: \n   @type of object does not contain exactly 1 BIA "
        "classes. @type contains: http://schema.org/BioSample, matching 0 BIA classes.",
    ],
    "test_id_reference_mismatch": ["Found undefined references: {base}#non_existant_dataset"],
    "test_file_list_missing_path_column": [
        "At file list file_list.tsv and TableSchema #ts0: \n   Missing column with required property: http://bia/filePath"],
    "test_file_list_roc_id_reference_mismatch": [
        "In file list, at row: file_a.txt.: \n   #missing_dataset does not exist in ro-crate-metadata.json"],
    "test_file_list_self_reference_mismatch": [
        "In file list, at row: processed_image: \n   Reference 'missing_input_image' not found in file list.",
        "In file list, at row: processed_image: \n   Reference 'input_file' has no rdf:type, expected 'http://bia/Image'.",
    ],
    "test_file_list_duplicate_path": ["File list contains multiple references to the same file path."],
    "test_minimal_valid_ro_crate": [],
    "test_file_list_missing_metadata_reference": [
        "In file list, at row: file_a.txt.: \n   #missing_specimen does not exist in ro-crate-metadata.json"],
    "test_file_list_metadata_reference_connects_entity": [],
    "test_typical_ro_crate": [],
}

# the snippets bia-ro-crate's own test checks in each message (test_validator.py)
SNIPPETS: dict[str, list[tuple[str, ...]]] = {
    "test_invalid_objects": [("At ro-crate object with @id: ./", "is not a valid IRI"),
                             ("At ro-crate object with @id: ID with invalid characters such as: ^ %ZZ",
                              "is not a valid IRI"),
                             ("At ro-crate object with @id: #dataset",
                              "Input should be a valid dictionary or instance of ObjectReference"),
                             ("At ro-crate object with @id: #object_with_mixed_types",
                              "@type of object does not contain exactly 1 BIA classes."),
                             ("At ro-crate object with @id: #object_no_expected_types",
                              "@type of object does not contain exactly 1 BIA classes.")],
    "test_id_reference_mismatch": [("Found undefined references", "#non_existant_dataset")],
}


def test_every_fixture_is_covered(shared: Path) -> None:
    assert sorted(p.name for p in (shared / FIXTURES).iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validator_messages_are_bias(shared: Path, name: str) -> None:
    folder = shared / FIXTURES / name
    base = (folder / "ro-crate-metadata.json").resolve().as_uri()
    errors = [i.format_message() for i in validate_crate(folder) if i.severity >= ERROR]
    assert errors == [m.replace("{base}", base) for m in EXPECTED[name]]
    for message, snippets in zip(errors, SNIPPETS.get(name, []), strict=False):
        assert all(s in message for s in snippets)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_exit_code_and_error_count(shared: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(shared / FIXTURES / name), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)
    errors = [f for f in findings if f["severity"] == "error"]
    assert code == (1 if EXPECTED[name] else 0)
    assert len(errors) == len(EXPECTED[name])
    assert all(f["code"] == "BIA-CRATE-INVALID" for f in errors)


def test_an_unreadable_crate_is_one_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ro-crate-metadata.json").write_text('{"@context": ["http://bia/"], not json', encoding="utf-8")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "ro-crate-metadata.json cannot be read as JSON" in out and "Traceback" not in out


def test_file_list_messages_point_at_the_file_list_and_generic_crates_are_not_bia(
        shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(shared / FIXTURES / "test_file_list_roc_id_reference_mismatch"), "--format", "json"])
    [item] = [f for f in json.loads(capsys.readouterr().out) if f["severity"] == "error"]
    assert item["file"].endswith("/file_list.tsv")
    assert is_bia_crate(shared / FIXTURES / "test_typical_ro_crate" / "ro-crate-metadata.json")
    generic = {"@context": "https://w3id.org/ro/crate/1.1/context", "@graph": [
        {"@id": "ro-crate-metadata.json", "@type": "CreativeWork", "about": {"@id": "./"}},
        {"@id": "./", "@type": "Dataset", "datePublished": "2026-01-01"}]}
    (tmp_path / "ro-crate-metadata.json").write_text(json.dumps(generic), encoding="utf-8")
    assert not is_bia_crate(tmp_path)


@pytest.mark.parametrize("depth", [900, 5000])
def test_a_deeply_nested_crate_is_findings_not_a_traceback(tmp_path: Path, depth: int) -> None:
    nested = '{"@id": "x", "@type": "File", "a": ' * depth + "1" + "}" * depth
    (tmp_path / "ro-crate-metadata.json").write_text('{"@context": [], "@graph": [' + nested + "]}", encoding="utf-8")
    issues = validate_crate(tmp_path)
    assert any(i.severity >= ERROR for i in issues)
