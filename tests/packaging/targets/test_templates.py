"""The declarations equal what the real templates in ../shared hold: a template change fails here.

GEO: the hidden 'Data validation' sheet (instrument models, 48 library strategies), the Metadata
sheet's list validations (molecule, single or paired-end) and its '*' / '**' labels per section.
SRA: the named ranges of 'Library and Platform Terms' (and one per platform), the SRA_data list
validations, the BioSample packages' '*' columns.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import openpyxl
import pytest

from depositdesk.packaging.targets import _geo_terms, _sra_terms, ena, geo, get_target, sra

GEO_TEMPLATE = "metadata-corpus/geo/seq_template_2024-12-17_filled_rat-colon.xlsx"
SRA_TEMPLATE = "metadata-corpus/sra/SRA_metadata_template_2026.xlsx"


def _open(path: Path) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # openpyxl drops the x14 validation extension (read below)
        return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def geo_book(shared: Path) -> openpyxl.Workbook:
    return _open(shared / GEO_TEMPLATE)


@pytest.fixture(scope="module")
def sra_book(shared: Path) -> openpyxl.Workbook:
    return _open(shared / SRA_TEMPLATE)


def _column(sheet, col: int) -> list[str]:
    return [str(v) for (v,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col, values_only=True)
            if v is not None and str(v).strip()]


def _list_validations(sheet) -> list[list[str]]:
    return [[item.strip() for item in dv.formula1.strip('"').split(",")]
            for dv in sheet.data_validations.dataValidation
            if dv.type == "list" and dv.formula1 and dv.formula1.startswith('"')]


def test_geo_drop_downs_equal_the_hidden_sheet(geo_book) -> None:
    hidden = geo_book["Data validation"]
    assert hidden.sheet_state == "hidden"
    assert tuple(_column(hidden, 1)) == _geo_terms.INSTRUMENT_MODELS
    assert tuple(_column(hidden, 2)) == _geo_terms.LIBRARY_STRATEGIES
    assert len(_geo_terms.LIBRARY_STRATEGIES) == 48
    lists = _list_validations(geo_book["Metadata"])
    assert list(_geo_terms.MOLECULES) in lists and list(_geo_terms.LAYOUTS) in lists
    columns = geo.SAMPLE_COLUMNS
    assert columns["library strategy"].vocabulary == _geo_terms.LIBRARY_STRATEGIES
    assert columns["instrument model"].vocabulary == _geo_terms.INSTRUMENT_MODELS
    assert columns["molecule"].vocabulary == _geo_terms.MOLECULES


def _sections(sheet) -> dict[str, list[str]]:
    """Column A labels per section (STUDY, PROTOCOLS) and the SAMPLES header row."""
    out: dict[str, list[str]] = {}
    section = None
    for row in sheet.iter_rows(values_only=True):
        first = row[0]
        if first is None or str(first).startswith("#"):
            continue
        label = str(first).strip()
        if label in ("STUDY", "SAMPLES", "PROTOCOLS", "PAIRED-END EXPERIMENTS"):
            section = label
            out[section] = []
        elif section == "SAMPLES" and not out[section]:
            out[section] = [str(v).strip() for v in row if v is not None]
        elif section in ("STUDY", "PROTOCOLS"):
            out[section].append(label)
    return out


def test_geo_mandatory_labels_equal_the_metadata_sheet(geo_book) -> None:
    sections = _sections(geo_book["Metadata"])
    samples = sections["SAMPLES"]
    mandatory = [h.lstrip("*") for h in samples if h.startswith("*") and not h.startswith("**")]
    group = [h.lstrip("*") for h in samples if h.startswith("**")]
    declared = geo.SAMPLE_COLUMNS
    assert sorted(k for k, c in declared.items() if c.required and not c.one_of_group) == sorted(set(mandatory))
    assert sorted(k for k, c in declared.items() if c.one_of_group) == sorted(group)
    assert all(declared[k].label == f"*{k}" for k in mandatory)
    assert {h.lstrip("*") for h in samples} <= set(declared)
    study = {h.lstrip("*") for h in sections["STUDY"] if h.startswith("*")}
    protocols = {h.lstrip("*") for h in sections["PROTOCOLS"] if h.startswith("*")}
    declared_study = {k for k, f in geo.STUDY_FIELDS.items() if f.required}
    declared_protocols = {k for k, (m, _) in geo.PROTOCOL_TYPES.items() if m} | {"genome build/assembly"}
    assert study == declared_study - {"processed data files format and content"}
    assert protocols == declared_protocols | {"processed data files format and content"}
    assert "processed data files format and content" in declared_study   # an IDF comment, see geo.py


def _named(book, name: str) -> list[str]:
    values = []
    for title, ref in book.defined_names[name].destinations:
        cells = book[title][ref.replace("$", "")]
        rows = cells if isinstance(cells, tuple) else ((cells,),)
        for row in rows:
            for cell in row if isinstance(row, tuple) else (row,):
                if cell.value is not None and str(cell.value).strip():
                    values.append(str(cell.value))
    return values


def test_sra_terms_equal_the_template(sra_book) -> None:
    assert tuple(_named(sra_book, "Strategy")) == _sra_terms.STRATEGIES
    assert tuple(_named(sra_book, "Source")) == _sra_terms.SOURCES
    assert tuple(_named(sra_book, "Selection")) == _sra_terms.SELECTIONS
    assert tuple(_named(sra_book, "platform")) == _sra_terms.PLATFORMS
    for platform in _sra_terms.PLATFORMS:
        assert tuple(_named(sra_book, platform)) == _sra_terms.PLATFORM_INSTRUMENTS[platform], platform
    sheet = sra_book["SRA_data"]
    lists = _list_validations(sheet)
    assert list(_sra_terms.LAYOUTS) in lists and list(_sra_terms.FILETYPES) in lists
    header = [c.value for c in sheet[1]]
    assert list(sra.SRA_COLUMNS) == header[:12]   # the first twelve: required for all data
    assert all(c.required for c in sra.SRA_COLUMNS.values())


@pytest.mark.parametrize(("package", "path"), [
    ("Model.organism.animal.1.0", "metadata-corpus/sra/BioSample_Model.organism.animal.1.0_template_2026.xlsx"),
    ("Invertebrate.1.0", "metadata-corpus/sra/BioSample_Invertebrate.1.0_filled_dsuzukii.xlsx"),
])
def test_biosample_mandatory_attributes_equal_the_package(shared: Path, package: str, path: str) -> None:
    sheet = _open(shared / path).worksheets[0]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] and not str(r[0]).startswith("#"))
    assert tuple(str(h)[1:] for h in header if h and str(h).startswith("*")) == sra.BIOSAMPLE_PACKAGES[package]
    text = str(sheet["A2"].value)
    assert all(f"'{value}'" in text for value in sra.MISSING_VALUES)


def test_biosample_2019_tsv_marks_the_same_mandatory_fields_but_geo_loc_and_date(shared: Path) -> None:
    lines = (shared / "metadata-corpus/sra/BioSample_Model.organism.animal.1.0_template_2019.tsv").read_text(
        encoding="utf-8").splitlines()
    header = next(line for line in lines if not line.startswith("#")).split("\t")
    old = {h[1:] for h in header if h.startswith("*")}
    assert old == set(sra.BIOSAMPLE_PACKAGES["Model.organism.animal.1.0"]) - {"collection_date", "geo_loc_name"}


def test_ena_shares_sra_terms_but_writes_its_own_layout() -> None:
    columns = {c.label: c for c in get_target("ena").columns}
    assert columns["library_strategy"].vocabulary == _sra_terms.STRATEGIES
    assert columns["library_layout"].vocabulary == ena.LAYOUTS == ("SINGLE", "PAIRED")
