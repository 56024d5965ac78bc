"""Spreadsheet damage: each kind is found at its cell with the value to put back."""

from __future__ import annotations

import pytest

from depositdesk.packaging.rules import excel_damage
from depositdesk.packaging.rules.excel_damage import suggested_value
from tests.packaging.rules.recipes import by_code, one_column, project


def fix_of(findings, code: str) -> list[tuple[int, str | None]]:
    return [(f.location.row, suggested_value(f.suggestion)) for f in by_code(findings, code)]


@pytest.mark.parametrize(("damaged", "gene"), [("2-Sep", "SEPT2"), ("1-Mar", "MARCH1"), ("Sep-02", "SEPT2"),
                                               ("02-Sep-2024", "SEPT2"), ("1-DEC", "DEC1"), ("4-Oct", "OCT4")])
def test_gene_symbols_turned_into_dates(damaged: str, gene: str) -> None:
    assert excel_damage.findings(one_column("Characteristics[genotype]", "SEPT2", "MARCH1")) == []
    found = excel_damage.findings(one_column("Characteristics[genotype]", "SEPT2", damaged))
    assert fix_of(found, "XL-GENE-DATE") == [(2, gene)]
    assert by_code(found, "XL-GENE-DATE")[0].location.column_name == "Characteristics[genotype]"


def test_dates_in_a_date_column_are_dates() -> None:
    assert excel_damage.findings(one_column("Comment[collection date]", "2-Sep")) == []


def test_scientific_notation_is_written_out() -> None:
    assert excel_damage.findings(one_column("Comment[barcode]", "123457000000", "1.5")) == []
    found = excel_damage.findings(one_column("Comment[barcode]", "123457000000", "1.23457E+11"))
    assert fix_of(found, "XL-SCIENTIFIC") == [(2, "123457000000")]


def test_lost_leading_zeros_are_padded_to_the_column_width() -> None:
    assert excel_damage.findings(one_column("Characteristics[individual]", "0012", "0034", "0056")) == []
    found = excel_damage.findings(one_column("Characteristics[individual]", "0012", "34", "0056", "0078"))
    assert fix_of(found, "XL-LEADING-ZEROS") == [(2, "0034")]


def test_spaces_non_breaking_and_trailing() -> None:
    assert excel_damage.findings(one_column("Characteristics[strain]", "Oregon R")) == []
    found = excel_damage.findings(one_column("Characteristics[strain]", "Oregon\u00a0R", "Oregon R ",
                                             "Oregon  R"))
    assert fix_of(found, "XL-SPACES") == [(1, "Oregon R"), (2, "Oregon R"), (3, "Oregon R")]


def test_smart_quotes() -> None:
    found = excel_damage.findings(one_column("Description", "5\u2019 end \u201cdamaged\u201d"))
    assert fix_of(found, "XL-SMART-QUOTES") == [(1, "5' end \"damaged\"")]


def test_case_variants_take_the_most_frequent_spelling() -> None:
    assert excel_damage.findings(one_column("Comment[LIBRARY_LAYOUT]", "PAIRED", "PAIRED")) == []
    found = excel_damage.findings(one_column("Comment[LIBRARY_LAYOUT]", "PAIRED", "paired", "PAIRED"))
    hit = by_code(found, "XL-CASE-VARIANT")
    assert fix_of(found, "XL-CASE-VARIANT") == [(2, "PAIRED")]
    assert (hit[0].location.column, hit[0].location.column_name) == (2, "Comment[LIBRARY_LAYOUT]")


def test_idf_values_with_trailing_spaces() -> None:
    p = project(["Source Name"], [["s1"]], {"Investigation Title": ["A title "]})
    hit = by_code(excel_damage.findings(p), "XL-SPACES")[0]
    assert (hit.location.line, hit.location.column_name, suggested_value(hit.suggestion)) == (
        1, "Investigation Title", "A title")
