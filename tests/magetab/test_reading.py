"""Reading is tolerant and honest: every oddity is read correctly AND reported; writing is canonical."""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.findings import Severity
from depositdesk.magetab import codes
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf

HEADER = "Source Name\tCharacteristics[organism]\tComment[note]"


def _read(tmp_path: Path, data: bytes, name: str = "x.sdrf.txt") -> tuple[Sdrf, set[str]]:
    path = tmp_path / name
    path.write_bytes(data)
    sdrf, findings = Sdrf.read(path)
    return sdrf, {f.code for f in findings}


def test_clean_file_gives_no_findings(tmp_path: Path) -> None:
    sdrf, found = _read(tmp_path, f"{HEADER}\ns1\tHomo sapiens\tok\n".encode())
    assert sdrf.rows == [["s1", "Homo sapiens", "ok"]] and found == set()


def test_bom_is_dropped_and_reported(tmp_path: Path) -> None:
    sdrf, found = _read(tmp_path, b"\xef\xbb\xbf" + f"{HEADER}\ns1\tx\ty\n".encode())
    assert sdrf.header[0] == "Source Name" and sdrf.column(0).kind == "node"
    assert codes.BOM in found


def test_crlf_is_read_and_reported(tmp_path: Path) -> None:
    sdrf, found = _read(tmp_path, f"{HEADER}\r\ns1\tx\ty\r\n".encode())
    assert sdrf.rows == [["s1", "x", "y"]] and codes.LINE_ENDINGS in found


def test_quoted_cells_are_unquoted_and_reported(tmp_path: Path) -> None:
    data = '"Source Name"\t"Characteristics[organism]"\t"Comment[note]"\n"s1"\t"Homo sapiens"\t"a ""b"""\n'
    sdrf, found = _read(tmp_path, data.encode())
    assert sdrf.header == ["Source Name", "Characteristics[organism]", "Comment[note]"]
    assert sdrf.rows == [["s1", "Homo sapiens", 'a "b"']] and codes.QUOTED in found


def test_a_lone_quote_inside_a_cell_is_kept(tmp_path: Path) -> None:
    sdrf, _ = _read(tmp_path, f'{HEADER}\ns1\t5" UTR\tx\n'.encode())
    assert sdrf.rows[0][1] == '5" UTR'


def test_trailing_empty_columns_are_dropped_and_reported(tmp_path: Path) -> None:
    sdrf, found = _read(tmp_path, f"{HEADER}\t\t\ns1\tx\ty\t\t\n".encode())
    assert len(sdrf.header) == 3 and sdrf.rows == [["s1", "x", "y"]]
    assert codes.TRAILING_TABS in found


def test_latin1_file_is_read_as_cp1252_and_reported(tmp_path: Path) -> None:
    data = f"{HEADER}\ns1\tMüller’s µg\ty\n".encode("cp1252")
    sdrf, found = _read(tmp_path, data)
    assert sdrf.rows[0][1] == "Müller’s µg" and codes.ENCODING in found
    sdrf.write(tmp_path / "out.sdrf.txt")
    assert "Müller’s µg".encode() in (tmp_path / "out.sdrf.txt").read_bytes()


def test_utf16_export_is_read_and_reported(tmp_path: Path) -> None:
    sdrf, found = _read(tmp_path, f"{HEADER}\r\ns1\tSão Paulo\ty\r\n".encode("utf-16"))
    assert sdrf.rows == [["s1", "São Paulo", "y"]] and codes.UTF16 in found


def test_characteristic_typo_is_read_as_characteristics_and_is_an_error(tmp_path: Path) -> None:
    sdrf, _ = _read(tmp_path, b"Source Name\tCharacteristic[immunophenotype]\ns1\tCD4+\n")
    path = tmp_path / "x.sdrf.txt"
    _, findings = Sdrf.read(path)
    typo = [f for f in findings if f.code == codes.SDRF_HEADING_TYPO]
    assert sdrf.column(1).kind == "characteristics" and sdrf.column(1).name == "immunophenotype"
    assert typo and typo[0].severity == Severity.ERROR and typo[0].location.column == 2
    assert "Characteristics[immunophenotype]" in typo[0].message


def test_ragged_rows_are_padded_or_widened_never_cut(tmp_path: Path) -> None:
    sdrf, found = _read(tmp_path, f"{HEADER}\ns1\tx\ns2\ty\tz\textra\n".encode())
    assert sdrf.rows[0] == ["s1", "x", "", ""] and sdrf.rows[1] == ["s2", "y", "z", "extra"]
    assert {codes.SDRF_ROW_SHORT, codes.SDRF_ROW_LONG, codes.SDRF_HEADING_EMPTY} <= found


def test_writing_is_canonical_utf8_lf_tabs(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + b'"Source Name"\t"Comment[a]"\t\r\n"s1"\t"x"\t\r\n'
    sdrf, _ = _read(tmp_path, data)
    out = tmp_path / "out.sdrf.txt"
    sdrf.write(out)
    assert out.read_bytes() == b"Source Name\tComment[a]\ns1\tx\n"


@pytest.mark.parametrize("data, message", [(b"", "is empty"), (b"\n\n  \n", "is empty"),
                                           (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file")])
def test_unreadable_files_raise_one_clear_sentence(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.sdrf.txt"
    path.write_bytes(data)
    with pytest.raises(ProjectError, match=message):
        Sdrf.read(path)
    with pytest.raises(ProjectError, match=message):
        Idf.read(path)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such file"):
        Sdrf.read(tmp_path / "nope.txt")


def test_quoted_cell_with_line_breaks_is_one_cell_and_survives_writing(tmp_path: Path) -> None:
    text = ('Investigation Title\t"Two\nlines"\n'
            'Experiment Description\t"First paragraph.\n\nSecond, with a ""quote"" and\ta tab."\tnext\n'
            "SDRF File\tx.sdrf.txt\n")
    path = tmp_path / "x.idf.txt"
    path.write_text(text, encoding="utf-8")
    idf, findings = Idf.read(path)
    assert idf.get("Investigation Title") == ["Two\nlines"]
    assert idf.get("Experiment Description") == ['First paragraph.\n\nSecond, with a "quote" and\ta tab.', "next"]
    assert idf.get("SDRF File") == ["x.sdrf.txt"]
    assert codes.QUOTED in {f.code for f in findings}
    idf.write(tmp_path / "out.idf.txt")
    again, _ = Idf.read(tmp_path / "out.idf.txt")
    assert again.fields() == idf.fields()


def test_cells_that_look_quoted_are_protected_on_writing(tmp_path: Path) -> None:
    sdrf = Sdrf(["Source Name", "Comment[quote]"], [["s1", '"as said"'], ["s2", 'a "b" c']])
    sdrf.write(tmp_path / "q.sdrf.txt")
    again, _ = Sdrf.read(tmp_path / "q.sdrf.txt")
    assert again.rows == sdrf.rows
