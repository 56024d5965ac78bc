"""The IDF document: field names in every spelling, multi-valued sections, listeners."""

from __future__ import annotations

from pathlib import Path

from depositdesk.magetab import codes
from depositdesk.magetab.idf import IDF_SECTIONS, Idf

IDF_TEXT = (
    "MAGE-TAB Version\t1.1\n"
    "Investigation Title\tA study\n"
    "PersonLastName\tCurie\tFranklin\n"
    "person first name\tMarie\tRosalind\n"
    "Person Email\t\trf@example.org\n"
    "Experimental Factor Name\tdose\n"
    "Experimental Factor Type Term Source REF\tEFO\n"
    "Protocol Name\tP-1\tP-2\t\n"
    "Protocol Type Term Source REF\tEFO\tEFO\n"
    "Comment[AEExperimentType]\tRNA-seq\n"
    "Comment [ArrayExpressAccession]\tE-MTAB-1\n"
    "Person Favourite Colour\tblue\n"
    "SDRF File\tx.sdrf.txt\n"
    "Term Source Name\tEFO\n"
)


def _idf(tmp_path: Path) -> tuple[Idf, set[str]]:
    path = tmp_path / "x.idf.txt"
    path.write_text(IDF_TEXT, encoding="utf-8")
    idf, findings = Idf.read(path)
    return idf, {f.code for f in findings}


def test_fields_match_whatever_the_spacing_and_case(tmp_path: Path) -> None:
    idf, found = _idf(tmp_path)
    assert idf.get("Person Last Name") == ["Curie", "Franklin"]
    assert idf.get("personlastname") == ["Curie", "Franklin"]
    assert idf.get("PERSON FIRST NAME") == ["Marie", "Rosalind"]
    assert idf.get("Experimental Factor Term Source REF") == ["EFO"]   # 1.0 and 1.1 spellings
    assert idf.get("Protocol Term Source REF") == ["EFO", "EFO"]
    assert idf.get("Comment[ArrayExpressAccession]") == ["E-MTAB-1"]
    assert idf.get("Publication Title") == []
    assert codes.IDF_FIELD_SPELLING in found and codes.IDF_FIELD_UNKNOWN in found


def test_fields_keep_file_order_canonical_names_and_comments(tmp_path: Path) -> None:
    idf, _ = _idf(tmp_path)
    names = [name for name, _ in idf.fields()]
    assert names[:4] == ["MAGE-TAB Version", "Investigation Title", "Person Last Name", "Person First Name"]
    assert "Comment[ArrayExpressAccession]" in names and "Person Favourite Colour" in names


def test_records_line_up_multi_valued_rows(tmp_path: Path) -> None:
    idf, _ = _idf(tmp_path)
    persons = idf.records("person")
    assert len(persons) == 2
    assert persons[1]["Person Last Name"] == "Franklin" and persons[1]["Person Email"] == "rf@example.org"
    assert persons[0]["Person Email"] == "" and set(persons[0]) == set(IDF_SECTIONS["person"])
    assert [p["Protocol Name"] for p in idf.records("protocol")] == ["P-1", "P-2"]


def test_set_records_and_listeners(tmp_path: Path) -> None:
    idf, _ = _idf(tmp_path)
    heard: list[str] = []
    idf.subscribe(heard.append)
    idf.set_records("person", [{"Person Last Name": "Hodgkin", "Person Roles": "submitter"}])
    assert idf.get("Person Last Name") == ["Hodgkin"] and idf.get("Person First Name") == []
    assert idf.get("Person Roles") == ["submitter"]
    assert "Person Last Name" in heard and "Person Roles" in heard
    idf.set("publication title", ["New"])
    assert heard[-1] == "Publication Title"
    names = [n for n, _ in idf.fields()]
    assert names[-1] == "Publication Title"          # no publication section yet: appended
    idf.set("Person Phone", ["+44 1223"])
    names = [n for n, _ in idf.fields()]
    assert names.index("Person Phone") == names.index("Person Email") + 1   # in its section, in order


def test_round_trip_keeps_every_value(tmp_path: Path) -> None:
    idf, _ = _idf(tmp_path)
    out = tmp_path / "out.idf.txt"
    idf.write(out)
    again, _ = Idf.read(out)
    assert again.fields() == idf.fields()
    assert "Person Last Name\tCurie\tFranklin\n" in out.read_text(encoding="utf-8")


def test_blank_idf_has_every_standard_field() -> None:
    idf = Idf.blank("Title")
    names = {n for n, _ in idf.fields()}
    assert all(f in names for fields in IDF_SECTIONS.values() for f in fields)
    assert idf.get("MAGE-TAB Version") == ["1.1"] and idf.get("Investigation Title") == ["Title"]
