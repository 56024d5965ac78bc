"""Identifiers: well-formed ones pass, a broken twin of each is found at its cell or IDF field."""

from __future__ import annotations

import pytest

from depositdesk.packaging.rules import identifiers
from depositdesk.packaging.rules.identifiers import orcid_check_digit, validate_identifier
from tests.packaging.rules.recipes import by_code, one_column, project

GOOD = [("GSE", "GSE12345"), ("GSM", "GSM98765"), ("SRP", "SRP000001"), ("SRX", "SRX123"),
        ("SRR", "SRR7159836"), ("ERR", "ERR2105513"), ("PRJNA", "PRJNA257197"), ("PRJEB", "PRJEB1234"),
        ("SAMN", "SAMN02953604"), ("SAMEA", "SAMEA104398293"), ("E-MTAB", "E-MTAB-4850"),
        ("S-BIAD", "S-BIAD1234"), ("EMPIAR", "EMPIAR-10002"), ("IDR", "idr0001"),
        ("DOI", "10.1038/s41597-024-03465-z"), ("PubMed", "15138501"), ("ORCID", "0000-0002-1825-0097"),
        ("RRID", "RRID:AB_2313567")]
BAD = [("GSE", "GSE12a45"), ("GSE", "GSM12345"), ("SRR", "SRR 7159836"), ("ERR", "ERR21O5513"),
       ("PRJNA", "PRJNA-257197"), ("SAMEA", "SAMEA"), ("E-MTAB", "E-MTAB-48a"), ("EMPIAR", "EMPIAR-1a"),
       ("IDR", "idr01"), ("DOI", "15138501"), ("PubMed", "PMID15138501x"), ("ORCID", "0000-0002-1825-009"),
       ("RRID", "RRID:")]


@pytest.mark.parametrize(("kind", "text"), GOOD)
def test_well_formed_identifiers_pass(kind: str, text: str) -> None:
    assert validate_identifier(kind, text) is None


@pytest.mark.parametrize(("kind", "text"), BAD)
def test_malformed_identifiers_say_why(kind: str, text: str) -> None:
    problem = validate_identifier(kind, text)
    assert problem is not None and text in problem


def test_orcid_check_digit_is_iso_7064() -> None:
    assert orcid_check_digit("000000021825009") == "7"
    assert orcid_check_digit("000000021694233") == "X"          # 0000-0002-1694-233X (ORCID's example)
    assert validate_identifier("ORCID", "0000-0002-1694-233X") is None
    problem = validate_identifier("ORCID", "0000-0002-1825-0098")
    assert problem is not None and "check digit" in problem


def test_unknown_kind_is_a_message_not_an_exception() -> None:
    assert "unknown identifier kind" in (validate_identifier("XYZ", "1") or "")


def test_named_sdrf_column_is_checked_at_its_cell() -> None:
    good = one_column("Comment[ENA_RUN]", "ERR2105513", "SRR7159836")
    assert identifiers.findings(good) == []
    bad = one_column("Comment[ENA_RUN]", "ERR2105513", "ERR21055l3")
    hit = by_code(identifiers.findings(bad), "ID-INVALID")[0]
    assert (hit.location.row, hit.location.column, hit.location.column_name) == (2, 2, "Comment[ENA_RUN]")


def test_value_announcing_an_accession_is_checked_in_any_comment_column() -> None:
    assert identifiers.findings(one_column("Comment[GEO link]", "GSE12345")) == []
    hit = by_code(identifiers.findings(one_column("Comment[GEO link]", "GSE12345x")), "ID-INVALID")[0]
    assert hit.location.row == 1
    # a run name that starts like an accession is not one
    assert identifiers.findings(one_column("Comment[RUN]", "SRR7159836_S1_L004")) == []


def test_orcid_column_checksum() -> None:
    bad = one_column("Comment[performer ORCID]", "0000-0002-1825-0098")
    assert by_code(identifiers.findings(bad), "ID-ORCID-CHECKSUM")[0].location.row == 1


def test_publications_in_the_idf() -> None:
    idf = {"Investigation Title": ["t"], "PubMed ID": ["15138501"], "Publication DOI": ["10.1038/nature01234"]}
    assert identifiers.findings(project(["Source Name"], [["s1"]], idf)) == []
    idf = {"Investigation Title": ["t"], "PubMed ID": ["1513850l"], "Publication DOI": ["15138501"]}
    found = identifiers.findings(project(["Source Name"], [["s1"]], idf))
    assert {(f.location.column_name, f.location.line) for f in found} == {("PubMed ID", 2), ("Publication DOI", 3)}
    doi = next(f for f in found if f.location.column_name == "Publication DOI")
    assert "PubMed ID" in doi.suggestion


def test_doi_written_as_a_link_is_noted_with_the_bare_form() -> None:
    idf = {"Investigation Title": ["t"], "Publication DOI": ["https://doi.org/10.1038/nature01234"]}
    hit = by_code(identifiers.findings(project(["Source Name"], [["s1"]], idf)), "ID-WRAPPED")[0]
    assert hit.suggestion == "Replace with '10.1038/nature01234'"


def test_idf_comment_accession() -> None:
    idf = {"Investigation Title": ["t"], "Comment[ArrayExpressAccession]": ["E-MTAB-12x"]}
    hit = by_code(identifiers.findings(project(["Source Name"], [["s1"]], idf)), "ID-INVALID")[0]
    assert hit.location.column_name == "Comment[ArrayExpressAccession]"
