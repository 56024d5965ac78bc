"""GFF3 validator: a valid gene model, and broken twins each named for its one defect."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from depositdesk.findings import Finding, Severity
from depositdesk.progress import run
from depositdesk.validators.base import Context, Sniffed, Source
from depositdesk.validators.engine import validate_file
from depositdesk.validators.formats import _textlines, gff3

HEADER = "##gff-version 3\n##sequence-region chr1 1 100000\n##sequence-region chr2 1 5000\n"
# A plus-strand gene with CDS lengths 100, 101, 99 and a minus-strand one (phases as GenomeTools computes them).
GENES = """\
chr1\tdd\tgene\t1000\t2000\t.\t+\t.\tID=gene1;Name=ABC1
chr1\tdd\tmRNA\t1000\t2000\t.\t+\t.\tID=tx1;Parent=gene1
chr1\tdd\texon\t1000\t1099\t.\t+\t.\tParent=tx1
chr1\tdd\tCDS\t1000\t1099\t.\t+\t0\tID=cds1;Parent=tx1
chr1\tdd\texon\t1200\t1300\t.\t+\t.\tParent=tx1
chr1\tdd\tCDS\t1200\t1300\t.\t+\t2\tID=cds1;Parent=tx1
chr1\tdd\texon\t1400\t1498\t.\t+\t.\tParent=tx1
chr1\tdd\tCDS\t1400\t1498\t.\t+\t0\tID=cds1;Parent=tx1
###
chr2\tdd\tgene\t100\t900\t.\t-\t.\tID=gene2;Note=minus%20strand
chr2\tdd\tmRNA\t100\t900\t.\t-\t.\tID=tx2;Parent=gene2
chr2\tdd\tCDS\t100\t199\t.\t-\t1\tParent=tx2
chr2\tdd\tCDS\t800\t900\t.\t-\t0\tParent=tx2
"""
VALID = HEADER + GENES


def check(tmp_path: Path, text: str | bytes, profile: str = "spec", name: str = "x.gff3") -> list[Finding]:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    compression = "gzip" if name.endswith(".gz") else None
    ctx = Context(name, profile)
    run(gff3.Gff3Validator().run(Source(path, Sniffed("gff3", compression), path.stat().st_size), ctx))
    return ctx.findings()


def codes(findings: list[Finding], at_least: Severity = Severity.WARNING) -> set[str]:
    return {f.code for f in findings if f.severity >= at_least}


def test_valid_gene_models_give_no_finding(tmp_path: Path) -> None:
    assert check(tmp_path, VALID) == []


def _swap(old: str, new: str) -> Callable[[str], str]:
    def mutate(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)
    return mutate


TWINS: dict[str, tuple[Callable[[str], str], str]] = {
    "missing_version_line": (lambda t: t.split("\n", 1)[1], gff3.VERSION_MISSING),
    "version_2": (_swap("##gff-version 3", "##gff-version 2"), gff3.VERSION_WRONG),
    "second_version_line": (lambda t: t + "##gff-version 3\n", gff3.VERSION_REPEATED),
    "eight_columns": (_swap("\t.\tID=gene1;Name=ABC1", "ID=gene1;Name=ABC1"), gff3.COLUMN_COUNT),
    "space_separated": (_swap("chr1\tdd\tgene\t1000", "chr1 dd gene 1000"), gff3.COLUMN_COUNT),
    "start_is_dot": (_swap("gene\t1000\t2000", "gene\t.\t2000"), gff3.COORD_NOT_INTEGER),
    "start_zero": (_swap("gene\t1000\t2000", "gene\t0\t2000"), gff3.COORD_ZERO),
    "start_after_end": (_swap("exon\t1200\t1300", "exon\t1300\t1200"), gff3.START_AFTER_END),
    "score_text": (_swap("2000\t.\t+", "2000\thigh\t+"), gff3.SCORE_INVALID),
    "strand_x": (_swap("2000\t.\t+", "2000\t.\tX"), gff3.STRAND_INVALID),
    "phase_3": (_swap("1498\t.\t+\t0", "1498\t.\t+\t3"), gff3.PHASE_INVALID),
    "wrong_cds_phase": (_swap("1300\t.\t+\t2", "1300\t.\t+\t1"), gff3.PHASE_WRONG),
    "wrong_cds_phase_minus_strand": (_swap("199\t.\t-\t1", "199\t.\t-\t0"), gff3.PHASE_WRONG),
    "cds_without_phase": (_swap("1300\t.\t+\t2", "1300\t.\t+\t."), gff3.PHASE_WRONG),
    "attribute_without_equals": (_swap("Name=ABC1", "Name"), gff3.ATTRIBUTE_SYNTAX),
    "attribute_two_equals": (_swap("Name=ABC1", "Name=A=B"), gff3.ATTRIBUTE_SYNTAX),
    "attribute_after_dot": (_swap("\tParent=tx1\n", "\t.;Parent=tx1\n"), gff3.ATTRIBUTE_SYNTAX),
    "empty_value": (_swap("Name=ABC1", "Name="), gff3.ATTRIBUTE_EMPTY),
    "repeated_tag": (_swap("Name=ABC1", "Name=ABC1;Name=X"), gff3.ATTRIBUTE_REPEATED),
    "uppercase_custom_tag": (_swap("Name=ABC1", "Name=ABC1;Custom=1"), gff3.ATTRIBUTE_RESERVED),
    "is_circular_yes": (_swap("Name=ABC1", "Is_circular=yes"), gff3.ATTRIBUTE_VALUE),
    "target_two_fields": (_swap("Name=ABC1", "Target=est1 5"), gff3.ATTRIBUTE_VALUE),
    "target_reversed": (_swap("Name=ABC1", "Target=est1 9 5 +"), gff3.START_AFTER_END),
    "md5_seqid_no_name": (_swap("chr2\tdd\tgene", "md5:0123456789abcdef0123456789abcdef:\tdd\tgene"), gff3.SEQID_MD5),
    "region_missing_end": (_swap("chr2 1 5000", "chr2 1"), gff3.REGION_SYNTAX),
    "region_twice": (lambda t: t.replace(HEADER, HEADER + "##sequence-region chr1 1 9\n"), gff3.REGION_REPEATED),
    "region_after_feature": (lambda t: t + "chr3\tdd\tgene\t1\t5\t.\t+\t.\tID=g3\n##sequence-region chr3 1 9\n",
                             gff3.REGION_AFTER_FEATURE),
    "feature_outside_region": (_swap("gene\t100\t900", "gene\t100\t9000"), gff3.OUTSIDE_REGION),
    "undefined_parent": (_swap("Parent=gene2", "Parent=gene9"), gff3.PARENT_UNDEFINED),
    "parent_across_terminator": (lambda t: t + "chr1\tdd\texon\t1000\t1099\t.\t+\t.\tParent=tx1\n",
                                 gff3.PARENT_UNDEFINED),
    "self_parent": (_swap("ID=tx2;Parent=gene2", "ID=tx2;Parent=tx2"), gff3.PARENT_SELF),
    "cycle": (_swap("ID=gene2;Note", "ID=gene2;Parent=tx2;Note"), gff3.PARENT_CYCLE),
    "child_on_other_seqid": (_swap("chr2\tdd\tmRNA", "chr1\tdd\tmRNA"), gff3.CHILD_SEQID),
    "multi_feature_other_type": (_swap("exon\t1200\t1300\t.\t+\t.\tParent=tx1",
                                       "exon\t1200\t1300\t.\t+\t.\tID=cds1;Parent=tx1"), gff3.MULTI_INCONSISTENT),
    "fasta_without_header": (lambda t: t + "##FASTA\nACGT\n", gff3.FASTA_INVALID),
    "empty_item_in_parent_list": (_swap("Parent=gene2", "Parent=gene2,"), gff3.ATTRIBUTE_EMPTY),
}


@pytest.mark.parametrize("defect", sorted(TWINS))
def test_each_broken_twin_gives_its_finding(tmp_path: Path, defect: str) -> None:
    mutate, code = TWINS[defect]
    found = check(tmp_path, mutate(VALID))
    assert code in codes(found), [f.describe() for f in found]


def test_wrong_phase_names_the_line_and_the_phase_it_should_have(tmp_path: Path) -> None:
    found = check(tmp_path, TWINS["wrong_cds_phase"][0](VALID))
    wrong = [f for f in found if f.code == gff3.PHASE_WRONG]
    assert len(wrong) == 1 and wrong[0].location.line == 9 and "should be 2" in wrong[0].message


def test_parent_after_child_is_legal_gff3_but_an_error_under_strict_modencode(tmp_path: Path) -> None:
    reversed_order = HEADER + "chr1\tdd\texon\t10\t20\t.\t+\t.\tParent=g1\nchr1\tdd\tgene\t10\t20\t.\t+\t.\tID=g1\n"
    assert check(tmp_path, reversed_order) == []
    strict = check(tmp_path, reversed_order, "strict-modencode")
    assert gff3.PARENT_AFTER_CHILD in codes(strict, Severity.ERROR)


def test_unknown_so_type_warns_under_spec_and_fails_under_strict(tmp_path: Path) -> None:
    text = VALID.replace("\tgene\t1000", "\tgeNe\t1000")
    assert {f.severity for f in check(tmp_path, text) if f.code == gff3.TYPE_UNKNOWN} == {Severity.WARNING}
    assert gff3.TYPE_UNKNOWN in codes(check(tmp_path, text, "strict-modencode"), Severity.ERROR)


def test_so_accessions_are_accepted_as_types(tmp_path: Path) -> None:
    assert check(tmp_path, VALID.replace("\tgene\t1000", "\tSO:0000704\t1000")) == []


def test_strict_modencode_wants_a_genome_build(tmp_path: Path) -> None:
    assert gff3.GENOME_BUILD_MISSING in codes(check(tmp_path, VALID, "strict-modencode"), Severity.ERROR)
    with_build = VALID.replace("##sequence-region chr1", "##genome-build WormBase WS220\n##sequence-region chr1")
    assert check(tmp_path, with_build, "strict-modencode") == []


def test_fasta_section_is_accepted(tmp_path: Path) -> None:
    assert check(tmp_path, VALID + "##FASTA\n>chr1 first\nACGTN\nACG\n>chr2\nTTT\n") == []


def test_bad_percent_escape_is_a_warning(tmp_path: Path) -> None:
    found = check(tmp_path, VALID.replace("minus%20strand", "minus%2strand"))
    assert [(f.code, f.severity) for f in found] == [(gff3.ESCAPE, Severity.WARNING)]


def test_bad_percent_escape_in_the_source_column_is_a_warning(tmp_path: Path) -> None:
    found = check(tmp_path, VALID.replace("chr1\tdd\tgene", "chr1\tdd%zz\tgene"))
    assert [(f.code, f.severity, f.location.column) for f in found] == [(gff3.ESCAPE, Severity.WARNING, 2)]


def test_crlf_line_ends_are_a_warning_only(tmp_path: Path) -> None:
    found = check(tmp_path, VALID.replace("\n", "\r\n"))
    assert [f.code for f in found] == [gff3.CRLF]


def test_empty_file(tmp_path: Path) -> None:
    assert gff3.EMPTY in codes(check(tmp_path, ""), Severity.ERROR)


def test_gzip_file_is_read_and_truncation_reported(tmp_path: Path) -> None:
    packed = gzip.compress(VALID.encode())
    assert check(tmp_path, packed, name="x.gff3.gz") == []
    found = check(tmp_path, packed[: len(packed) // 2], name="cut.gff3.gz")
    assert gff3.TRUNCATED in codes(found, Severity.ERROR)


def test_blocks_of_the_file_join_without_losing_line_numbers(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny read blocks: a wrong phase deep in the file is still found on its own line."""
    monkeypatch.setattr(_textlines, "BLOCK", 97)
    text = TWINS["wrong_cds_phase"][0](VALID)
    found = check(tmp_path, text)
    assert [(f.code, f.location.line) for f in found] == [(gff3.PHASE_WRONG, 9)]


def test_engine_validates_gff3_with_md5(tmp_path: Path) -> None:
    path = tmp_path / "genes.gff3"
    path.write_text(VALID)
    report = run(validate_file(path, use_cache=False))
    assert report.format == "gff3" and report.findings == []
    assert report.stats["features"] == 12
    import hashlib
    assert report.md5 == hashlib.md5(VALID.encode()).hexdigest()


@pytest.mark.parametrize(("name", "code"), [
    ("genometools__reverse_feature_order.gff3", gff3.PARENT_AFTER_CHILD),
    ("genometools__reverse_standard_gene_as_tree.gff3", gff3.PARENT_AFTER_CHILD),
    ("genometools__gt_gff3_test_11.gff3", gff3.TYPE_UNKNOWN),
])
def test_corpus_rows_of_gt_strict_and_typecheck_fail_under_strict_modencode(shared: Path, name: str,
                                                                             code: str) -> None:
    """The rows listed as exceptions under spec are errors under the stricter profile, as with gt's options."""
    path = shared / "conformance" / "gff3" / name
    assert not codes(run(validate_file(path, use_cache=False)).findings, Severity.ERROR)
    strict = run(validate_file(path, "strict-modencode", use_cache=False))
    assert code in codes(strict.findings, Severity.ERROR)


@pytest.mark.parametrize(("gap", "kind", "length", "problem"), [
    ("M301 D499 M201", "match_part", 2001, "covers 1001 reference bases"),
    ("M301 D", "match_part", 302, "has no length"),
    ("M301 Df1499", "match_part", 1800, "cannot read the length"),
    ("M3 I1 M2 D1 F1 M4", "nucleotide_match", 30, "only allowed in nucleotide-to-protein"),
    ("M3 I1 M2 D1 F1 M4", "protein_match", 30, "covers 31 reference bases"),
    ("M3 I1 M2 D1 M4", "protein_match", 30, ""),
    ("M101 D1499 M401", "match_part", 2001, ""),
])
def test_gap_alignment_must_fit_its_feature(tmp_path: Path, gap: str, kind: str, length: int, problem: str) -> None:
    text = f"##gff-version 3\nctg\t.\t{kind}\t100\t{99 + length}\t.\t+\t.\tID=m1;Target=t1 1 10;Gap={gap}\n"
    spec = [f for f in check(tmp_path, text) if f.code == gff3.GAP_INVALID]
    assert [problem in f.message for f in spec] == ([True] if problem else [])
    assert all(f.severity == Severity.WARNING for f in spec)
    if problem:
        assert gff3.GAP_INVALID in codes(check(tmp_path, text, "strict-modencode"), Severity.ERROR)


def test_features_may_wrap_past_the_end_of_a_circular_sequence(tmp_path: Path) -> None:
    plasmid = ("##gff-version 3\n##sequence-region p1 1 1000\n"
               "p1\t.\tregion\t1\t1000\t.\t+\t.\tID=p1;Is_circular=true\n"
               "p1\t.\tgene\t990\t1010\t.\t+\t.\tID=g\n")
    assert check(tmp_path, plasmid) == []
    linear = plasmid.replace(";Is_circular=true", "")
    assert gff3.OUTSIDE_REGION in codes(check(tmp_path, linear), Severity.ERROR)


def test_a_comment_before_the_version_line_is_one_finding(tmp_path: Path) -> None:
    found = check(tmp_path, "# made by hand\n" + VALID)
    assert [f.code for f in found] == [gff3.VERSION_MISSING]
