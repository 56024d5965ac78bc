"""check_term: the findings a metadata cell with an ontology term gets."""

from __future__ import annotations

from depositdesk.findings import Location, Severity
from depositdesk.ontology import codes
from depositdesk.ontology.check import check_term
from depositdesk.ontology.service import TermService

CELL = Location(file="a.sdrf.txt", row=3, column=5, column_name="Characteristics[organism part]")


def _codes(findings):
    return [f.code for f in findings]


def test_matching_term_has_no_findings(tiny_service: TermService):
    assert check_term(tiny_service, "liver", "TINY:0000002", "TINY") == []


def test_made_up_accession_is_an_error_with_a_suggestion(tiny_service: TermService):
    (f,) = check_term(tiny_service, "liver", "TINY:9999999", "TINY", location=CELL)
    assert f.code == codes.TERM_UNKNOWN and f.severity is Severity.ERROR
    assert f.location == CELL and "TINY:0000002" in f.suggestion


def test_case_or_spacing_difference_is_a_fixable_warning(tiny_service: TermService):
    (f,) = check_term(tiny_service, "T  Cell", "TINY:0000005", "TINY")
    assert f.code == codes.LABEL_CASE and f.severity is Severity.WARNING
    assert "'T cell'" in f.suggestion


def test_synonym_instead_of_label_is_noted(tiny_service: TermService):
    (f,) = check_term(tiny_service, "hepar", "TINY:0000002", "TINY")
    assert f.code == codes.LABEL_SYNONYM and "liver" in f.message


def test_name_of_a_different_term_is_an_error_naming_it(tiny_service: TermService):
    (f,) = check_term(tiny_service, "T cell", "TINY:0000002", "TINY")
    assert f.code == codes.LABEL_MISMATCH and f.severity is Severity.ERROR
    assert "TINY:0000005" in f.message


def test_obsolete_term_suggests_its_replacement(tiny_service: TermService):
    (f,) = check_term(tiny_service, "old liver", "TINY:0000003", "TINY")
    assert f.code == codes.TERM_OBSOLETE and "TINY:0000002 (liver)" in f.suggestion


def test_term_outside_the_allowed_branch(tiny_service: TermService):
    assert check_term(tiny_service, "liver lobe", "TINY:0000004", "TINY", under="TINY:0000002") == []
    (f,) = check_term(tiny_service, "T cell", "TINY:0000005", "TINY", under="TINY:0000002")
    assert f.code == codes.OUTSIDE_BRANCH and "liver" in f.message


def test_wrong_term_source_and_disallowed_ontology(tiny_service: TermService):
    found = check_term(tiny_service, "liver", "TINY:0000002", "EFO", allowed_ontologies=["UBERON"])
    assert _codes(found) == [codes.SOURCE_MISMATCH, codes.ONTOLOGY_NOT_ALLOWED]


def test_ontology_not_indexed_is_not_called_wrong(tiny_service: TermService):
    (f,) = check_term(tiny_service, "Homo sapiens", "NCBITaxon:9606", "NCBITaxon")
    assert f.code == codes.NOT_INDEXED and f.severity is Severity.INFO


def test_name_without_accession_is_checked_by_exact_label(tiny_service: TermService):
    assert check_term(tiny_service, "liver", "", "TINY") == []
    (f,) = check_term(tiny_service, "live", None, "TINY")
    assert f.code == codes.LABEL_UNKNOWN and "TINY:0000002 (liver)" in f.suggestion
    (f,) = check_term(tiny_service, "kidney", None, "TINY")
    assert f.code == codes.LABEL_UNKNOWN and "completer" in f.suggestion
    (f,) = check_term(tiny_service, "LIVER", "", "TINY")
    assert f.code == codes.LABEL_CASE
    assert check_term(tiny_service, "", "", "TINY") == []
