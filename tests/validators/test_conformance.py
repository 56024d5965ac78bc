"""Agreement with the peers' own verdicts on the shared conformance corpus, under profile ``spec``.

Every row of ../shared/conformance/manifest.tsv is one test:
- ``valid`` rows must give no ERROR finding;
- ``invalid`` rows must give an ERROR finding of a code listed for the row's
  category in tests/validators/conformance/<folder>.tsv (exact category first,
  then the text before ``(``): failing "for some reason" is not agreement;
- ``exception`` rows of those files replace the peer's verdict by ours, with
  the reason written beside it;
- ``support_file`` rows are skipped; FASTQ mates (``_1``/``_2``) are validated
  together, so a pair verdict is judged on the pair's findings.
The whole corpus is validated once per session (engine, no cache); the
terminal summary prints the agreement per folder.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from depositdesk.findings import Severity
from depositdesk.progress import run
from depositdesk.validators.base import registered_formats
from depositdesk.validators.engine import FileReport, validate_file, validate_files
from depositdesk.validators.pairs import find_pairs

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "conformance"
AGREEMENT = Path(__file__).resolve().parent / "conformance"


@dataclass(frozen=True)
class Row:
    path: str
    format: str
    expected: str
    category: str
    notes: str

    @property
    def folder(self) -> str:
        return self.path.split("/", 1)[0]


@dataclass
class Agreement:
    """One folder's agreement file: codes per category, and our known disagreements."""

    categories: dict[str, set[str]]
    exceptions: dict[str, tuple[str, str]]

    def codes_for(self, category: str) -> set[str] | None:
        if category in self.categories:
            return self.categories[category]
        return self.categories.get(category.split("(", 1)[0].strip())


def manifest_rows() -> list[Row]:
    if not (CORPUS / "manifest.tsv").is_file():
        return []
    with open(CORPUS / "manifest.tsv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Row(r["path"], r["format"], r["expected"], r["category"], r["notes"]) for r in reader]


def load_agreement(folder: str) -> Agreement:
    agreement = Agreement({}, {})
    path = AGREEMENT / f"{folder}.tsv"
    if not path.is_file():
        return agreement
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        kind, key, value, *rest = (line.split("\t") + ["", "", ""])[:4]
        if kind == "category":
            agreement.categories[key] = {c.strip() for c in value.split(",") if c.strip()}
        elif kind == "exception":
            agreement.exceptions[key] = (value.strip(), rest[0].strip() if rest else "")
    return agreement


ROWS = [r for r in manifest_rows() if r.expected in ("valid", "invalid")]


@pytest.fixture(scope="session")
def corpus_reports(summary_lines: list[str]) -> dict[str, FileReport]:
    """Every corpus file validated once, in one engine run (so mates meet as pairs)."""
    plain = [r for r in ROWS if genome_sizes(r) is None]
    reports = run(validate_files([CORPUS / r.path for r in plain], "spec", jobs=1, use_cache=False))
    for row in ROWS:  # the rows whose verdict needs a genome's chrom.sizes get the corpus's support file
        sizes = genome_sizes(row)
        if sizes is not None:
            reports.append(run(validate_file(CORPUS / row.path, "spec", use_cache=False,
                                             options={"chrom_sizes": str(sizes)})))
    by_path = {str(Path(r.path).relative_to(CORPUS)): r for r in reports}
    summary_lines.extend(agreement_summary(by_path))  # printed at the end by conftest.py
    return by_path


def genome_sizes(row: Row) -> Path | None:
    """The chrom.sizes support file a row's notes ask for ("requires GRCh38 chrom.sizes"), if any."""
    if "requires" not in row.notes or "chrom.sizes" not in row.notes:
        return None
    for support in manifest_rows():
        if support.folder == row.folder and support.format == "chrom.sizes" and support.path.split("__")[-1].split(
                ".")[0] in row.notes:
            return CORPUS / support.path
    return None


def mates_of(row: Row) -> list[str]:
    """The row's own path plus its mate's, when both are in the corpus."""
    paths = [CORPUS / r.path for r in ROWS if r.folder == row.folder]
    for i, j in find_pairs(paths):
        names = {str(paths[i].relative_to(CORPUS)), str(paths[j].relative_to(CORPUS))}
        if row.path in names:
            return sorted(names)
    return [row.path]


def judge(row: Row, reports: dict[str, FileReport]) -> tuple[bool, str]:
    """(agrees, why not) for one manifest row."""
    agreement = load_agreement(row.folder)
    expected, reason = row.expected, ""
    if row.path in agreement.exceptions:
        expected, reason = agreement.exceptions[row.path]
    members = [reports[p] for p in mates_of(row)]
    errors = [f for r in members for f in r.findings if f.severity >= Severity.ERROR]
    sniffed = ", ".join(f"{Path(r.path).name}: format={r.format} compression={r.compression}"
                        for r in members)
    listing = "; ".join(f"{f.code} {f.location.describe()}: {f.message}" for f in errors[:6]) or "none"
    note = f" [exception: {reason}]" if reason else ""
    if row.format not in registered_formats() and members[0].format not in registered_formats():
        note += f" [no validator registered for {members[0].format or row.format!r} yet]"
    if expected == "valid":
        return (not errors, f"expected valid{note}, got ERRORs: {listing} ({sniffed})")
    codes = agreement.codes_for(row.category)
    if codes is None:
        return (False, f"expected invalid ({row.category}){note}: no codes listed for this category in "
                       f"tests/validators/conformance/{row.folder}.tsv; our ERRORs: {listing} ({sniffed})")
    matching = [f for f in errors if f.code in codes]
    return (bool(matching), f"expected invalid ({row.category}) with one of {sorted(codes)}{note}; "
                            f"our ERRORs: {listing} ({sniffed})")


@pytest.mark.skipif(not ROWS, reason="the shared conformance corpus is not beside the checkout")
@pytest.mark.parametrize("row", ROWS, ids=[r.path for r in ROWS])
def test_agrees_with_peer(row: Row, corpus_reports: dict[str, FileReport]) -> None:
    agrees, why = judge(row, corpus_reports)
    assert agrees, f"{row.path}: {why}"


def test_agreement_files_are_well_formed() -> None:
    """Every exception names a corpus file and a verdict, with a reason; categories name codes."""
    known = {r.path for r in manifest_rows()}
    from depositdesk.findings import registered_codes

    codes = registered_codes()
    for path in AGREEMENT.glob("*.tsv"):
        agreement = load_agreement(path.stem)
        for key, (verdict, reason) in agreement.exceptions.items():
            assert key in known, f"{path.name}: exception for a file not in the manifest: {key}"
            assert verdict in ("valid", "invalid") and reason, f"{path.name}: {key} needs a verdict and a reason"
        for category, listed in agreement.categories.items():
            unknown = sorted(c for c in listed if c not in codes)
            assert not unknown, f"{path.name}: category {category} lists undeclared codes {unknown}"


def agreement_summary(reports: dict[str, FileReport]) -> Iterator[str]:
    folders: dict[str, list[bool]] = {}
    for row in ROWS:
        folders.setdefault(row.folder, []).append(judge(row, reports)[0])
    for folder, results in sorted(folders.items()):
        yield f"{folder:8} {sum(results):4}/{len(results):<4} agree"
