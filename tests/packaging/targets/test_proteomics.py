"""SDRF-Proteomics: the package's template data equals the YAML; rules on small fixtures; corpus verdicts."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from depositdesk.findings import Severity
from depositdesk.magetab.project import Project
from depositdesk.packaging.targets import check_targets, get_target
from depositdesk.packaging.targets._sdrfp_data import TEMPLATES
from depositdesk.packaging.targets.sdrf_proteomics import chosen_templates
from tests.packaging.rules.recipes import by_code, codes, project
from tests.packaging.targets.sdrfp_extract import all_shapes


# --- the data equals the YAML --------------------------------------------------------------------
def test_templates_in_the_package_equal_the_yaml(shared: Path) -> None:
    assert all_shapes(shared / "metadata-corpus/sdrf-proteomics/templates") == TEMPLATES


def test_declared_required_columns_are_the_ms_proteomics_chain(shared: Path) -> None:
    import yaml

    folder = shared / "metadata-corpus/sdrf-proteomics/templates"
    required = set()
    for name in ("base-1.1.0", "sample-metadata-1.0.0", "ms-proteomics-1.1.0"):
        data = yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))
        required |= {c["name"] for c in data["columns"] if c.get("requirement") == "required"}
    assert {c.heading for c in get_target("sdrf-proteomics").columns} == required


# --- rules on a small passing file and its broken twins --------------------------------------------
HEADER = ["source name", "characteristics[organism]", "characteristics[organism part]",
          "characteristics[biological replicate]", "characteristics[disease]", "assay name", "technology type",
          "comment[technical replicate]", "comment[data file]", "comment[proteomics data acquisition method]",
          "comment[instrument]", "comment[cleavage agent details]", "comment[label]",
          "comment[fraction identifier]", "comment[precursor mass tolerance]", "comment[sdrf version]"]


def good_row(i: int) -> list[str]:
    return [f"sample {i}", "homo sapiens", "liver", str(i), "not available", f"run {i}",
            "proteomic profiling by mass spectrometry", "1", f"run{i}.raw", "NT=Data-dependent acquisition",
            "NT=Q Exactive", "NT=Trypsin;AC=MS:1001251", "AC=MS:1002038;NT=label free sample", "1", "10 ppm",
            "v1.1.0"]


def proteomics(edit: tuple[str, int, str] | None = None, header: list[str] | None = None) -> Project:
    head = list(header or HEADER)
    rows = [good_row(1), good_row(2)]
    if edit is not None:
        heading, r, value = edit
        rows[r][head.index(heading)] = value
    return project(head, [r[:len(head)] for r in rows])


def sdrfp(p: Project) -> list:
    return [f for f in check_targets(p, ["sdrf-proteomics"]) if f.code.startswith("SDRFP-")]


def test_a_good_file_passes() -> None:
    assert sdrfp(proteomics()) == []


CELL_BREAKS = [
    ("characteristics[biological replicate]", 1, "rep2", "SDRFP-PATTERN", Severity.ERROR),
    ("comment[precursor mass tolerance]", 0, "10", "SDRFP-UNIT", Severity.ERROR),
    ("comment[sdrf version]", 0, "1.1.0", "SDRFP-PATTERN", Severity.ERROR),
    ("technology type", 0, "Proteomic profiling by mass spectrometry", "SDRFP-VALUE", Severity.WARNING),
    ("technology type", 0, "transcription profiling", "SDRFP-VALUE", Severity.WARNING),
    ("comment[fraction identifier]", 1, "F1", "SDRFP-INTEGER", Severity.WARNING),
    ("characteristics[disease]", 0, "Not Available", "SDRFP-NA-SPELLING", Severity.WARNING),
    ("characteristics[disease]", 0, "N/A", "SDRFP-NA-SPELLING", Severity.WARNING),
    ("characteristics[disease]", 0, "", "SDRFP-EMPTY-CELL", Severity.ERROR),
    ("comment[label]", 0, "not applicable", "SDRFP-NA-NOT-ALLOWED", Severity.ERROR),
    ("comment[data file]", 1, "run2.raw ", "SDRFP-TRAILING-SPACE", Severity.ERROR),
    ("comment[instrument]", 1, "", "SDRFP-VALUE-MISSING", Severity.ERROR),
]


@pytest.mark.parametrize(("heading", "r", "value", "code", "severity"), CELL_BREAKS,
                         ids=[f"{b[3]}:{b[2] or 'empty'}" for b in CELL_BREAKS])
def test_each_broken_cell_is_found(heading: str, r: int, value: str, code: str, severity: Severity) -> None:
    p = proteomics((heading, r, value))
    hit = by_code(check_targets(p, ["sdrf-proteomics"]), code)[0]
    sdrf = p.sdrfs[0]
    column = sdrf.header.index(heading) + 1
    assert (hit.location.row, hit.location.column, hit.severity) == (r + 1, column, severity)


def test_a_repeated_sample_in_the_same_run_and_label_is_a_duplicate_row() -> None:
    rows = [good_row(1), good_row(1)]
    hit = by_code(sdrfp(project(HEADER, rows)), "SDRFP-DUPLICATE-ROW")[0]
    assert (hit.location.row, hit.location.column_name) == (2, "source name")
    rows[1][HEADER.index("comment[label]")] = "AC=MS:1002038;NT=TMT126"
    assert "SDRFP-DUPLICATE-ROW" not in codes(sdrfp(project(HEADER, rows)))


def test_na_spelling_suggests_the_exact_words() -> None:
    hit = by_code(sdrfp(proteomics(("characteristics[disease]", 0, "Not Available"))), "SDRFP-NA-SPELLING")[0]
    assert hit.suggestion == "Replace with 'not available'"


def test_missing_required_column_and_too_few_columns() -> None:
    p = proteomics(header=HEADER[:10])
    found = sdrfp(p)
    missing = {f.location.column_name for f in found if f.code == "SDRFP-COLUMN-MISSING"}
    assert missing == {"comment[instrument]", "comment[cleavage agent details]", "comment[label]",
                       "comment[fraction identifier]"}
    assert "SDRFP-MIN-COLUMNS" in codes(found)


def test_characteristics_after_assay_name_are_out_of_order() -> None:
    header = list(HEADER)
    header.remove("characteristics[disease]")
    header.append("characteristics[disease]")
    rows = [[v for h, v in zip(HEADER, good_row(i)) if h != "characteristics[disease]"] + ["not available"]
            for i in (1, 2)]
    hit = by_code(sdrfp(project(header, rows)), "SDRFP-COLUMN-ORDER")[0]
    assert (hit.location.column, hit.location.column_name) == (len(header), "characteristics[disease]")


def test_templates_named_in_the_file_add_their_rules() -> None:
    header = [*HEADER, "comment[sdrf template]"]
    rows = [good_row(i) + ["human v1.1.0"] for i in (1, 2)]
    p = project(header, rows)
    assert chosen_templates(p.sdrfs[0]) == ["ms-proteomics", "human"]
    human_required = {c["name"] for c in TEMPLATES["human"]["columns"] if c["requirement"] == "required"}
    missing = {f.location.column_name for f in sdrfp(p) if f.code == "SDRFP-COLUMN-MISSING"}
    assert missing == human_required - set(header)


# --- the corpus: the verdicts sdrf-pipelines 0.1.6 gave -----------------------------------------------
STRICTER = {"sdrf-proteomics/annotated-projects/PXD020394.sdrf.tsv":
            "a repeated characteristics[organism] column is empty in 10 rows; sdrf-pipelines checks only the "
            "first column of a heading, we report every empty required cell"}


def manifest_rows(shared: Path) -> list[dict[str, str]]:
    with (shared / "metadata-corpus/manifest.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [r for r in rows if r["kind"] == "sdrf-proteomics" and r["expected"] in ("valid", "invalid")
            and "/templates/" not in f"/{r['path']}" and ".expected_" not in r["path"]]


def test_corpus_has_the_proteomics_files(shared: Path) -> None:
    rows = manifest_rows(shared)
    assert len(rows) >= 40 and {r["expected"] for r in rows} == {"valid", "invalid"}


def test_corpus_verdicts_match_the_manifest(shared: Path) -> None:
    wrong = []
    for row in manifest_rows(shared):
        p = Project.open(shared / "metadata-corpus" / row["path"])
        errors = [f for f in check_targets(p, ["sdrf-proteomics"], cap=1000)
                  if f.code.startswith("SDRFP-") and f.severity >= Severity.ERROR]
        verdict = "invalid" if errors else "valid"
        if verdict != row["expected"] and row["path"] not in STRICTER:
            wrong.append((row["path"], row["expected"], [f.message for f in errors[:2]]))
    assert wrong == []


def test_the_stricter_file_is_stricter_for_the_reason_given(shared: Path) -> None:
    path = next(iter(STRICTER))
    p = Project.open(shared / "metadata-corpus" / path)
    errors = {(f.code, f.location.column) for f in check_targets(p, ["sdrf-proteomics"], cap=1000)
              if f.code.startswith("SDRFP-") and f.severity >= Severity.ERROR}
    assert errors == {("SDRFP-VALUE-MISSING", 3)}
