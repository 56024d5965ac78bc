"""The SDRF document: its column grammar and every edit, as the grid model sees them."""

from __future__ import annotations

import pytest

from depositdesk.magetab.sdrf import SDRF_COLUMN_CHOICES, Sdrf, SdrfChange

HEADER = ["Source Name", "Characteristics [organism]", "Term Source REF", "Term Accession Number",
          "Characteristics[age]", "Unit[time unit]", "Term Source REF", "Protocol REF",
          "Parameter Value[temperature]", "Sample Name", "Factor Value[dose] (concentration)",
          "Comment[FASTQ_URI]", "Array Data File", "characteristic[sex]", "blah"]


@pytest.fixture
def sdrf() -> Sdrf:
    rows = [[f"s{r}", "Homo sapiens", "NCBITaxon", "NCBITaxon:9606", str(r), "year", "UO", "P-1", "37",
             f"sample {r}", "10", f"ftp://x/{r}.fq.gz", f"{r}.cel", "female", ""] for r in range(4)]
    return Sdrf(HEADER, rows)


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, SdrfChange]] = []

    def __call__(self, phase: str, change: SdrfChange) -> None:
        self.calls.append((phase, change))


def test_columns_are_classified_by_the_grammar(sdrf: Sdrf) -> None:
    kinds = [sdrf.column(c).kind for c in range(len(HEADER))]
    assert kinds == ["node", "characteristics", "term_source_ref", "term_accession", "characteristics",
                     "unit", "term_source_ref", "protocol_ref", "parameter_value", "node", "factor_value",
                     "file", "file", "characteristics", "unknown"]
    assert sdrf.column(1).header == "Characteristics[organism]"
    assert sdrf.column(1).name == "organism"
    assert sdrf.column(10).header == "Factor Value[dose] (concentration)"
    assert sdrf.column(13).header == "Characteristics[sex]"   # the typo is read as what it means


def test_qualifiers_attach_to_the_column_before_them(sdrf: Sdrf) -> None:
    assert sdrf.column(2).attached_to == 1 and sdrf.column(3).attached_to == 1
    assert sdrf.column(5).attached_to == 4          # the Unit qualifies the age
    assert sdrf.column(6).attached_to == 5          # the unit's term source qualifies the Unit
    assert sdrf.companions(1) == (2, 3)
    assert sdrf.companions(4) == (None, None)
    assert sdrf.companions(5) == (6, None)


def test_find_columns_by_kind_and_name(sdrf: Sdrf) -> None:
    assert sdrf.find_columns("characteristics") == [1, 4, 13]
    assert sdrf.find_columns("characteristics", "ORGANISM") == [1]
    assert sdrf.find_columns("node", "Sample Name") == [9]


def test_set_cells_notifies_before_and_after_and_returns_old_values(sdrf: Sdrf) -> None:
    seen = Recorder()
    values_when_before = []
    sdrf.subscribe(seen)
    sdrf.subscribe(lambda phase, _c: values_when_before.append(sdrf.rows[0][1]) if phase == "before" else None)
    old = sdrf.set_cells([(0, 1, "Mus musculus"), (2, 4, "55")])
    assert old == [(0, 1, "Homo sapiens"), (2, 4, "2")]
    assert values_when_before == ["Homo sapiens"]
    change = SdrfChange("cells", cells=((0, 1), (2, 4)))
    assert seen.calls == [("before", change), ("after", change)]
    sdrf.set_cells(old)                      # undo = the inverse edit with the returned values
    assert sdrf.rows[0][1] == "Homo sapiens" and sdrf.rows[2][4] == "2"


def test_rows_insert_remove_and_move(sdrf: Sdrf) -> None:
    seen = Recorder()
    sdrf.subscribe(seen)
    sdrf.insert_rows(1, [["new"]])
    assert sdrf.rows[1][0] == "new" and len(sdrf.rows[1]) == len(HEADER)
    assert seen.calls[-1] == ("after", SdrfChange("rows_inserted", first=1, count=1))
    removed = sdrf.remove_rows(1, 1)
    assert removed[0][0] == "new" and [r[0] for r in sdrf.rows] == ["s0", "s1", "s2", "s3"]
    sdrf.move_rows(0, 2, 4)                   # Qt semantics: before row 4 of the old order
    assert [r[0] for r in sdrf.rows] == ["s2", "s3", "s0", "s1"]
    assert seen.calls[-1] == ("after", SdrfChange("rows_moved", first=0, count=2, dest=4))
    sdrf.move_rows(2, 1, 0)
    assert [r[0] for r in sdrf.rows] == ["s0", "s2", "s3", "s1"]
    with pytest.raises(IndexError):
        sdrf.move_rows(0, 2, 1)


def test_columns_insert_remove_and_header(sdrf: Sdrf) -> None:
    seen = Recorder()
    sdrf.subscribe(seen)
    sdrf.insert_columns(2, ["Characteristics[strain]", "Comment[note]"], [["a", "b", "c", "d"], ["x"] * 4])
    assert sdrf.header[2:4] == ["Characteristics[strain]", "Comment[note]"]
    assert [r[2] for r in sdrf.rows] == ["a", "b", "c", "d"]
    assert sdrf.column(4).kind == "term_source_ref" and sdrf.column(4).attached_to == 3  # now after the Comment
    headers, cells = sdrf.remove_columns(2, 2)
    assert headers == ["Characteristics[strain]", "Comment[note]"] and cells[1] == ["x"] * 4
    assert sdrf.companions(1) == (2, 3)
    assert sdrf.set_header(14, "Comment[free]") == "blah"
    assert sdrf.column(14).kind == "comment"
    kinds = [c.kind for _, c in seen.calls]
    assert kinds == ["columns_inserted"] * 2 + ["columns_removed"] * 2 + ["header"] * 2


def test_unsubscribed_listener_hears_nothing(sdrf: Sdrf) -> None:
    seen = Recorder()
    sdrf.subscribe(seen)
    sdrf.unsubscribe(seen)
    sdrf.set_cells([(0, 0, "x")])
    assert seen.calls == []


def test_bad_indexes_are_refused_before_anything_changes(sdrf: Sdrf) -> None:
    seen = Recorder()
    sdrf.subscribe(seen)
    with pytest.raises(IndexError):
        sdrf.set_cells([(0, 0, "ok"), (99, 0, "no")])
    assert sdrf.rows[0][0] == "s0" and seen.calls == []


def test_column_choices_offer_templates_and_node_columns() -> None:
    assert "Characteristics[…]" in SDRF_COLUMN_CHOICES and "Source Name" in SDRF_COLUMN_CHOICES
    assert "Comment[FASTQ_URI]" in SDRF_COLUMN_CHOICES


def test_canonicalize_headings_fixes_spacing_and_typos_but_not_unknowns(sdrf: Sdrf) -> None:
    seen = Recorder()
    sdrf.subscribe(seen)
    changed = sdrf.canonicalize_headings()
    assert changed == [(1, "Characteristics [organism]"), (13, "characteristic[sex]")]
    assert sdrf.header[1] == "Characteristics[organism]" and sdrf.header[13] == "Characteristics[sex]"
    assert sdrf.header[14] == "blah"
    assert [c for phase, c in seen.calls if phase == "after"] == [
        SdrfChange("header", first=1, count=1), SdrfChange("header", first=13, count=1)]
