"""Privacy: Safe Harbor identifiers in SDRF cells, headings and file names; human reads to a public target."""

from __future__ import annotations

import pytest

from depositdesk.packaging.rules import privacy
from tests.packaging.rules.recipes import by_code, codes, one_column, project

HUMAN = ["Source Name", "Characteristics[organism]", "Characteristics[age]", "Unit[time unit]",
         "Comment[collection date]", "Characteristics[individual]", "Assay Name", "Comment[read1 file]"]


def human(age: str = "45", date: str = "2019", individual: str = "donor 1", file: str = "s1.bam",
          organism: str = "Homo sapiens", unit: str = "year") -> list[str]:
    return ["s1", organism, age, unit, date, individual, "a1", file]


def test_a_clean_human_table_with_no_reads_passes() -> None:
    assert privacy.findings(project(HUMAN, [human(file="s1.counts.txt")])) == []


def test_human_reads_to_a_public_target_point_to_controlled_access() -> None:
    hit = by_code(privacy.findings(project(HUMAN, [human(file="s1_R1.fastq.gz")])), "PHI-HUMAN-READS")[0]
    assert (hit.location.row, hit.location.column_name) == (1, "Comment[read1 file]")
    assert "dbGaP" in hit.suggestion and "EGA" in hit.suggestion
    assert privacy.safe_harbor_findings(project(HUMAN, [human(file="s1_R1.fastq.gz")])) == []
    mouse = project(HUMAN, [human(organism="Mus musculus", file="s1.cram")])
    assert "PHI-HUMAN-READS" not in codes(privacy.findings(mouse))


@pytest.mark.parametrize(("age", "unit", "flagged"), [("89", "year", False), ("90", "year", True),
                                                      ("85-95", "year", True), ("112", "day", False)])
def test_ages_over_89(age: str, unit: str, flagged: bool) -> None:
    found = privacy.safe_harbor_findings(project(HUMAN, [human(age=age, unit=unit, file="x.txt")]))
    assert ("PHI-AGE" in codes(found)) is flagged
    if flagged:
        hit = by_code(found, "PHI-AGE")[0]
        assert (hit.location.column_name, hit.suggestion) == ("Characteristics[age]", "Replace with '90+'")


def test_dates_finer_than_the_year() -> None:
    found = privacy.safe_harbor_findings(project(HUMAN, [human(date="2019-03-14", file="x.txt")]))
    hit = by_code(found, "PHI-DATE")[0]
    assert (hit.location.column_name, hit.suggestion) == ("Comment[collection date]", "Replace with '2019'")


def test_person_name_in_an_individual_column() -> None:
    found = privacy.safe_harbor_findings(project(HUMAN, [human(individual="John Smith", file="x.txt")]))
    assert by_code(found, "PHI-NAME")[0].location.column_name == "Characteristics[individual]"


@pytest.mark.parametrize("value", ["jane.doe@example.org", "(212) 555-0142", "123-45-6789", "MRN 00123456",
                                   "3960 Broadway Street", "192.168.10.4"])
def test_direct_identifiers_in_cells(value: str) -> None:
    assert privacy.findings(one_column("Comment[note]", "ok")) == []
    hit = by_code(privacy.findings(one_column("Comment[note]", "ok", value)), "PHI-VALUE")[0]
    assert (hit.location.row, hit.location.column) == (2, 2)


@pytest.mark.parametrize("heading", ["Characteristics[patient name]", "Comment[medical record number]",
                                     "Characteristics[date of birth]", "Comment[zip code]"])
def test_identifying_column_names(heading: str) -> None:
    hit = by_code(privacy.findings(one_column(heading, "x")), "PHI-COLUMN")[0]
    assert (hit.location.column, hit.location.column_name, hit.location.row) == (2, heading, None)


def test_file_names_with_identifiers() -> None:
    p = project(["Source Name", "Array Data File"], [["s1", "scan_jane.doe@example.org.cel"]])
    hit = by_code(privacy.findings(p), "PHI-FILE-NAME")[0]
    assert (hit.location.row, hit.location.column_name) == (1, "Array Data File")


def test_idf_contacts_are_not_flagged() -> None:
    idf = {"Investigation Title": ["t"], "Person Email": ["jane.doe@example.org"],
           "Person Address": ["3960 Broadway Street, New York, NY 10032"], "Person Phone": ["(212) 555-0142"]}
    assert privacy.findings(project(["Source Name"], [["s1"]], idf)) == []
