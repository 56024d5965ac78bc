"""ArrayExpress: the Annotare rules on a passing submission and its broken twins, and the real corpus logs."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from depositdesk.magetab.project import Project
from depositdesk.magetab.rules import check_project
from depositdesk.packaging.targets import arrayexpress, check_targets, get_target
from depositdesk.packaging.targets._ae_data import DECLARED, GRAMMAR, RULES, SEQUENCING_HARDWARE
from tests.packaging.targets.ae_recipes import TODAY, drop_column, good_project, set_cell, set_idf

Edit = Callable[[Project], Project]


def ae(p: Project) -> list:
    return arrayexpress.findings(p, TODAY)


def test_the_good_submission_passes_every_rule() -> None:
    assert ae(good_project()) == []
    assert check_targets(good_project(), ["arrayexpress"]) == []


# (edit, code, expected location: (line or row, column name))
BREAKS: list[tuple[str, Edit, str, tuple[int | None, str]]] = [
    ("no submitter", lambda p: set_idf(p, "Person Roles", ["investigator", "investigator"]), "AE-C05",
     (13, "Person Roles")),
    ("submitter without affiliation", lambda p: set_idf(p, "Person Affiliation", ["", "Example University"]),
     "AE-C06", (12, "Person Affiliation")),
    ("nobody has e-mail", lambda p: set_idf(p, "Person Email", ["", ""]), "AE-C03", (11, "Person Email")),
    ("contact without last name", lambda p: set_idf(p, "Person Last Name", ["Doe", ""]), "AE-C02",
     (9, "Person Last Name")),
    ("no experiment type", lambda p: set_idf(p, "Comment[AEExperimentType]", []), "AE-FIELD-MISSING",
     (23, "Comment[AEExperimentType]")),
    ("experiment type not Annotare's", lambda p: set_idf(p, "Comment[AEExperimentType]", ["RNA seq"]),
     "AE-VOCABULARY", (23, "Comment[AEExperimentType]")),
    ("no factor", lambda p: set_idf(set_idf(p, "Experimental Factor Name", []), "Experimental Factor Type", []),
     "AE-EF01", (7, "Experimental Factor Name")),
    ("short description", lambda p: set_idf(p, "Experiment Description", ["RNA-seq."]), "AE-G02-SHORT",
     (3, "Experiment Description")),
    ("no release date", lambda p: set_idf(p, "Public Release Date", []), "AE-G05", (5, "Public Release Date")),
    ("release date format", lambda p: set_idf(p, "Public Release Date", ["01/06/2099"]), "AE-G06",
     (5, "Public Release Date")),
    ("release date past", lambda p: set_idf(p, "Public Release Date", ["2020-01-01"]), "AE-G09",
     (5, "Public Release Date")),
    ("PubMed not numeric", lambda p: set_idf(p, "PubMed ID", ["PMC123"]), "AE-PB02", (14, "PubMed ID")),
    ("protocol without description", lambda p: set_idf(p, "Protocol Description", ["x" * 60, "", "y" * 60]),
     "AE-PR05", (19, "Protocol Description")),
    ("no library protocol", lambda p: set_idf(p, "Protocol Type", ["sample collection protocol", "other",
                                                                   "nucleic acid sequencing protocol"]),
     "AE-PR08", (18, "Protocol Type")),
    ("hardware not in list", lambda p: set_idf(p, "Protocol Hardware", ["", "", "Illumina NextSeq 500"]),
     "AE-PR10", (20, "Protocol Hardware")),
    ("term source twice", lambda p: set_idf(p, "Term Source Name", ["EFO", "efo"]), "AE-TS02",
     (21, "Term Source Name")),
    ("unknown protocol", lambda p: set_cell(p, "Protocol REF", 1, "P-9"), "SDRF-PROTOCOL-UNKNOWN",
     (2, "Protocol REF")),
    ("protocol date", lambda p: add_column(p, "Date", "3 May 2025", after="Protocol REF"), "AE-PN03",
     (1, "Date")),
    ("factor does not vary", lambda p: [set_cell(p, "Factor Value[genotype]", r, "mutant") for r in range(4)][0],
     "AE-FV04", (None, "Factor Value[genotype]")),
    ("one replicate", lambda p: set_cell(p, "Source Name", 1, "src1"), "AE-REPLICATES",
     (1, "Factor Value[genotype]")),
    ("file name with a hyphen", lambda p: set_cell(p, "Comment[SUBMITTED_FILE_NAME]", 2, "run-3_R1.fastq.gz"),
     "AE-FILE-NAME", (3, "Comment[SUBMITTED_FILE_NAME]")),
    ("no organism", lambda p: drop_column(p, "Characteristics[organism]"), "AE-SR04",
     (None, "Characteristics[organism]")),
    ("characteristic twice", lambda p: set_cell_header(p, "Characteristics[sex]", "Characteristics[Genotype]"),
     "AE-SR06", (None, "Characteristics[Genotype]")),
    ("no technology type", lambda p: drop_column(p, "Technology Type"), "AE-AN02", (None, "Technology Type")),
    ("no library strategy", lambda p: drop_column(p, "Comment[LIBRARY_STRATEGY]"), "AE-LC01",
     (None, "Comment[LIBRARY_STRATEGY]")),
    ("paired without insert size", lambda p: set_cell(p, "Comment[NOMINAL_LENGTH]", 0, "0"), "AE-LC02",
     (1, "Comment[NOMINAL_LENGTH]")),
    ("paired without insert size column", lambda p: drop_column(p, "Comment[NOMINAL_SDEV]"), "AE-LC02",
     (None, "Comment[NOMINAL_SDEV]")),
    ("no performer", lambda p: set_cell(p, "Performer", 3, ""), "AE-PN06", (4, "Performer")),
    ("no scan", lambda p: drop_column(p, "Scan Name"), "AE-SC02", (None, "Scan Name")),
    ("array design in sequencing", lambda p: add_column(p, "Array Design REF", "A-AFFY-1"), "AE-AD04",
     (None, "Array Design REF")),
    ("labeled extract in sequencing", lambda p: add_column(p, "Labeled Extract Name", "le"), "AE-LE01",
     (None, "Labeled Extract Name")),
]


def set_cell_header(p: Project, old: str, new: str) -> Project:
    sdrf = p.sdrfs[0]
    sdrf.set_header(sdrf.header.index(old), new)
    return p


def add_column(p: Project, heading: str, value: str, after: str = "") -> Project:
    sdrf = p.sdrfs[0]
    at = sdrf.header.index(after) + 1 if after else sdrf.header.index("Assay Name")
    sdrf.insert_columns(at, [heading], [[value] for _ in sdrf.rows])
    return p


@pytest.mark.parametrize(("what", "edit", "code", "where"), BREAKS, ids=[b[0] for b in BREAKS])
def test_each_broken_twin_is_found_where_it_is(what: str, edit: Edit, code: str,
                                               where: tuple[int | None, str]) -> None:
    p = edit(good_project())
    found = [f for f in ae(p) + check_targets(p, ["arrayexpress"]) + check_project(p, False) if f.code == code]
    assert found, f"{what}: no {code}"
    place, column_name = where
    hit = found[0]
    assert hit.location.column_name == column_name
    assert (hit.location.row if hit.location.row is not None else hit.location.line) == place


def test_every_rule_names_its_annotare_id_or_says_it_is_a_curators_request() -> None:
    for rule in RULES:
        assert rule.code.startswith("AE-")
        assert re.fullmatch(r"([A-Z]+\d+)( [A-Z]+\d+)*", rule.annotare) or rule.code in (
            "AE-REPLICATES", "AE-ACCESSION"), rule.code
    assert get_target("arrayexpress").rules[0] is arrayexpress.findings


def test_hardware_list_equals_the_check_list(shared: Path) -> None:
    text = (shared / "metadata-corpus/magetab/rules/magetabcheck-idf-checks.md").read_text(encoding="utf-8")
    section = text.split("## Supported protocol hardware list", 1)[1].split("##", 1)[0]
    assert tuple(line[2:].strip() for line in section.splitlines() if line.startswith("* ")) == SEQUENCING_HARDWARE


def test_every_annotare_id_we_cite_is_in_the_check_list(shared: Path) -> None:
    folder = shared / "metadata-corpus/magetab/rules"
    listed = set(re.findall(r"^\|([A-Z]+\d+)\|", "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.md")),
                            re.M))
    cited = {ref for rule in RULES for ref in rule.annotare.split()} | set(DECLARED) | set(GRAMMAR)
    assert cited <= listed, cited - listed


def test_the_docs_page_accounts_for_every_check_list_id(shared: Path) -> None:
    folder = shared / "metadata-corpus/magetab/rules"
    listed = set(re.findall(r"^\|([A-Z]+\d+)\|", "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.md")),
                            re.M))
    page = (Path(__file__).resolve().parents[3] / "docs/targets-arrayexpress.md").read_text(encoding="utf-8")
    assert {i for i in listed if not re.search(rf"\b{i}\b", page)} == set()
    assert all(rule.code in page for rule in RULES)


# --- the corpus: the real validator logs ---------------------------------------------------------------
LOG_ERRORS: dict[str, Callable[[str], tuple[str, str | None]]] = {
    "No contact with role 'submitter' provided": lambda _m: ("AE-C05", "Person Roles"),
    "No Comment[ArrayExpressAccession] provided": lambda _m: ("AE-ACCESSION", "Comment[ArrayExpressAccession]"),
    "Unrecognized SDRF column heading": lambda m: ("SDRF-HEADING-TYPO", re.findall(r'"(.*)"', m)[0]),
}
FOLLOW_ON = ("Naive parse shows that a full MAGE-TAB parse will fail",)


def corpus_sets(shared: Path) -> list[Path]:
    return sorted(p for p in (shared / "metadata-corpus/magetab").glob("E-HCAD-*") if (p / "validator-logs").is_dir())


def log_errors(folder: Path) -> list[str]:
    lines = []
    for log in sorted((folder / "validator-logs").iterdir()):
        lines += [ln.split("ERROR - ", 1)[1].strip() for ln in log.read_text(encoding="utf-8").splitlines()
                  if "ERROR - " in ln]
    return lines


def test_corpus_sets_are_there(shared: Path) -> None:
    assert len(corpus_sets(shared)) == 5


@pytest.mark.parametrize("name", ["E-HCAD-8", "E-HCAD-9", "E-HCAD-10", "E-HCAD-11", "E-HCAD-13"])
def test_corpus_findings_agree_with_the_real_logs(shared: Path, name: str) -> None:
    folder = shared / "metadata-corpus/magetab" / name
    p = Project.open(folder)
    found = check_project(p) + check_targets(p, ["arrayexpress"], cap=1000)
    errors = [e for e in log_errors(folder) if not e.startswith(FOLLOW_ON)]
    assert errors, "every set's logs report something"
    for error in errors:
        key = next(k for k in LOG_ERRORS if error.startswith(k))    # every logged error is understood
        code, column_name = LOG_ERRORS[key](error)
        assert any(f.code == code and f.location.column_name == column_name for f in found), (error, code)
    # the sets are single-cell sequencing: no array rule applies, and Atlas's FASTQ checks passed
    assert arrayexpress.submission_kind(p) == "hts"
    assert not {f.code for f in found} & {"AE-AN04", "AE-AN05", "AE-EX03", "AE-LE02", "AE-LE04", "AE-ED01"}
