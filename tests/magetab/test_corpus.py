"""The shared metadata corpus: every real IDF+SDRF survives `depositdesk convert`, and checks agree.

The manifest's ``expected`` is per submission (see the corpus README). Valid
submissions must give no ERROR from the grammar and structural rules; the
data files they name are on ArrayExpress's FTP server, not in the corpus, so
the rules do not look for them in a folder DepositDesk never saved (see
`depositdesk.magetab.rules`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.app.cli import main as depositdesk
from depositdesk.findings import Severity
from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project
from depositdesk.magetab.sdrf import Sdrf

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "metadata-corpus"


def _manifest() -> list[tuple[str, str, str]]:
    lines = (CORPUS / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return [tuple(line.split("\t")[:3]) for line in lines]   # type: ignore[misc]


def _idfs() -> list[str]:
    return [p for p, kind, _ in _manifest() if kind == "magetab" and ".idf" in p and "/validator-logs/" not in p
            and not p.startswith("magetab/rules/")] + ["magetab/spec-example-affymetrix/affymetrix.idf"]


def _pairs() -> list[str]:
    """IDFs whose SDRF files are all in the corpus (complete submissions)."""
    out = []
    for rel in sorted(set(_idfs())):
        idf, _ = Idf.read(CORPUS / rel)
        names = idf.sdrf_files()
        if names and all((CORPUS / rel).parent.joinpath(n).is_file() for n in names):
            out.append(rel)
    return out


def _proteomics() -> list[str]:
    return [p for p, kind, _ in _manifest() if kind == "sdrf-proteomics" and "/templates/" not in p
            and ".expected_" not in p]


def _raw_cells(path: Path) -> list[list[str]]:
    """An independent reading of the file: split on tabs, unquote, trailing empty cells dropped."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    rows = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        cells = [c[1:-1].replace('""', '"') if len(c) >= 2 and c[0] == c[-1] == '"' else c
                 for c in line.split("\t")]
        while cells and cells[-1] == "":
            cells.pop()
        rows.append(cells)
    return rows


def _trimmed(row: list[str]) -> list[str]:
    row = list(row)
    while row and row[-1] == "":
        row.pop()
    return row


def _assert_same_sdrf(original: Path, converted: Path) -> None:
    first, _ = Sdrf.read(original)
    again, _ = Sdrf.read(converted)
    assert again.header == first.header
    assert again.rows == first.rows
    raw = _raw_cells(original)
    assert [_trimmed([c.strip() for c in raw[0]])] == [_trimmed(first.header)]
    assert [_trimmed(r) for r in again.rows] == raw[1:]


def test_corpus_has_the_pairs_we_expect() -> None:
    pairs = _pairs()
    assert len(pairs) >= 28, pairs
    assert "magetab/E-MTAB-1443/E-MTAB-1443.idf.txt" in pairs      # one IDF with two SDRFs


@pytest.mark.parametrize("rel", _pairs())
def test_pair_survives_convert_with_every_value(rel: str, tmp_path: Path) -> None:
    source = CORPUS / rel
    assert depositdesk(["convert", str(source), str(tmp_path)]) == 0
    original, _ = Idf.read(source)
    converted_idf = tmp_path / source.name
    again, _ = Idf.read(converted_idf)
    assert again.fields() == original.fields()
    for name in original.sdrf_files():
        _assert_same_sdrf(source.parent / name, tmp_path / name)


@pytest.mark.parametrize("rel", _pairs()[::4])
def test_pair_survives_a_trip_through_excel(rel: str, tmp_path: Path) -> None:
    source = CORPUS / rel
    assert depositdesk(["convert", str(source), str(tmp_path / "xlsx"), "--to", "xlsx"]) == 0
    (workbook,) = (tmp_path / "xlsx").glob("*.xlsx")
    assert depositdesk(["convert", str(workbook), str(tmp_path / "back")]) == 0
    original = Project.open(source)
    back = Project.open(tmp_path / "back" / f"{workbook.stem}.idf.txt")
    assert back.idf.fields() == original.idf.fields()
    assert [(s.header, s.rows) for s in back.sdrfs] == [(s.header, s.rows) for s in original.sdrfs]


@pytest.mark.parametrize("rel", _proteomics())
def test_proteomics_sdrf_survives_convert(rel: str, tmp_path: Path) -> None:
    source = CORPUS / rel
    assert depositdesk(["convert", str(source), str(tmp_path)]) == 0
    (converted,) = tmp_path.iterdir()
    assert converted.name == source.name
    _assert_same_sdrf(source, converted)


# Each invalid corpus file, the project that shows its fault, and the codes that name it.
INVALID = {
    "magetab/E-HCAD-10/E-HCAD-10.idf.txt": ("magetab/E-HCAD-10/E-HCAD-10.idf.txt", None, {"SDRF-HEADING-TYPO"}),
    "magetab/E-HCAD-10/E-HCAD-10.sdrf.txt": ("magetab/E-HCAD-10/E-HCAD-10.sdrf.txt", None, {"SDRF-HEADING-TYPO"}),
    "magetab/E-MEXP-986-broken/E-MEXP-986.wrong-headers.sdrf.txt": (
        "magetab/E-MEXP-986/E-MEXP-986.idf.txt", "magetab/E-MEXP-986-broken/E-MEXP-986.wrong-headers.sdrf.txt",
        {"SDRF-HEADING-UNKNOWN"}),
    "magetab/E-MEXP-986-broken/E-MEXP-986_no_sdrf.idf.txt": (
        "magetab/E-MEXP-986-broken/E-MEXP-986_no_sdrf.idf.txt", None, {"IDF-NO-SDRF"}),
    "magetab/testExperiment/testExperiment.idf.txt": (
        "magetab/testExperiment/testExperiment.idf.txt", None, {"IDF-SDRF-MISSING"}),
    "magetab/testExperiment/testExperiment.sdrf.txt": (
        "magetab/testExperiment/testExperiment.idf.txt", None, {"IDF-SDRF-MISSING"}),
}


def _project(idf_rel: str, sdrf_rel: str | None) -> Project:
    project = Project.open(CORPUS / idf_rel)
    if sdrf_rel is not None:      # the broken SDRF read with the IDF it was made from
        sdrf, notes = Sdrf.read(CORPUS / sdrf_rel)
        project = Project(project.folder, project.idf, project.idf_path, [sdrf], notes)
    return project


def test_every_invalid_corpus_file_is_covered() -> None:
    invalid = {p for p, kind, expected in _manifest()
               if kind == "magetab" and expected == "invalid" and "/validator-logs/" not in p}
    assert invalid == set(INVALID)


@pytest.mark.parametrize("rel", sorted(INVALID))
def test_invalid_files_give_an_error_of_a_sensible_code(rel: str) -> None:
    idf_rel, sdrf_rel, wanted = INVALID[rel]
    errors = {f.code for f in check_project(_project(idf_rel, sdrf_rel)) if f.severity == Severity.ERROR}
    assert errors & wanted, errors


def _valid_idfs() -> list[str]:
    valid = {p for p, kind, expected in _manifest() if kind == "magetab" and expected == "valid"}
    return sorted(p for p in set(_idfs()) if p in valid)


@pytest.mark.parametrize("rel", _valid_idfs())
def test_valid_submissions_give_no_error(rel: str) -> None:
    findings = check_project(Project.open(CORPUS / rel))
    assert [f.describe() for f in findings if f.severity == Severity.ERROR] == []
