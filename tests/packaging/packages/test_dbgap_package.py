"""dbGaP package: Subject Consent, Subject-Sample Mapping, Sample and Subject Attributes data sets and
their data dictionaries from a human project made by a recipe, compared with checked-in goldens; the
same project refused by a public target (human reads need controlled access)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from depositdesk.magetab.idf import Idf
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.manifest import read_manifest
from depositdesk.packaging.packages import dbgap
from depositdesk.packaging.packages.build import build_package
from depositdesk.packaging.rules import codes as rule_codes

GOLDEN = Path(__file__).parent / "golden"
HEADER = ["Source Name", "Characteristics[organism]", "Characteristics[SUBJECT_ID]", "Characteristics[CONSENT]",
          "Characteristics[sex]", "Characteristics[age]", "Unit[time unit]", "Characteristics[disease]",
          "Characteristics[organism part]", "Protocol REF", "Sample Name", "Protocol REF", "Assay Name",
          "Comment[library source]", "Array Data File"]
# subject, consent, sex, age, disease, organism part: subject 103 gives two samples (blood, colon)
SUBJECTS = [("101", "1", "female", "54", "colorectal cancer", "colon"),
            ("102", "2", "male", "61", "normal", "colon"),
            ("103", "1", "male", "47", "colorectal cancer", "blood"),
            ("103", "1", "male", "47", "colorectal cancer", "colon")]
FILES = ("2a_SubjectConsent_DS.txt", "2b_SubjectConsent_DD.txt", "3a_SubjectSampleMapping_DS.txt",
         "3b_SubjectSampleMapping_DD.txt", "4a_SampleAttributes_DS.txt", "4b_SampleAttributes_DD.txt",
         "5a_SubjectAttributes_DS.txt", "5b_SubjectAttributes_DD.txt", "data-use-limitations.tsv")


def human_project(folder: Path) -> Path:
    """Three consented subjects, four tumour/normal samples, one FASTQ each, two consent groups."""
    folder.mkdir(parents=True)
    rows = []
    for n, (subject, consent, sex, age, disease, part) in enumerate(SUBJECTS, start=1):
        name = f"S{n}.fastq.gz"
        (folder / name).write_bytes(gzip.compress(f"@r{n}\nACGT\n+\nIIII\n".encode(), mtime=0))
        rows.append([f"donor {subject}", "Homo sapiens", subject, consent, sex, age, "year", disease, part,
                     "P-EXTRACT", f"S{n}", "P-SEQ", f"lib S{n}", "GENOMIC", name])
    idf = Idf.blank("Whole-genome sequencing of colorectal tumours and matched normals")
    idf.set("Experiment Description", ["WGS of three donors."])
    idf.set(dbgap.target.CONSENT_GROUPS, ["1=General Research Use (GRU);2=Health/Medical/Biomedical (HMB-IRB)"])
    idf.set_records("person", [{"Person Last Name": "Doe", "Person First Name": "Jane",
                                "Person Email": "jane@example.org", "Person Affiliation": "Lab"}])
    idf.set_records("protocol", [{"Protocol Name": "P-EXTRACT", "Protocol Type": "nucleic acid extraction protocol"},
                                 {"Protocol Name": "P-SEQ", "Protocol Type": "nucleic acid sequencing protocol"}])
    Project.create(folder, idf, [Sdrf(HEADER, rows)])
    return folder


def test_the_dbgap_data_sets_and_dictionaries_match_the_goldens(tmp_path: Path) -> None:
    project = Project.open(human_project(tmp_path / "proj"))
    out = tmp_path / "dbgap"
    result = build_package(project, "dbgap", out)
    assert result.built, [f.describe() for f in result.findings]
    for name in FILES:
        assert (out / name).read_text(encoding="utf-8") == (GOLDEN / f"dbgap-{name}").read_text(encoding="utf-8"), name
    consent = [line.split("\t") for line in (out / FILES[0]).read_text(encoding="utf-8").splitlines()]
    assert [r[0] for r in consent[1:]] == ["101", "102", "103"]          # each subject once
    dd = [line.split("\t") for line in (out / FILES[1]).read_text(encoding="utf-8").splitlines()]
    assert dd[0] == ["VARNAME", "VARDESC", "TYPE", "VALUES"]
    assert dd[2][:5] == ["CONSENT", dd[2][1], "encoded value", "1=General Research Use (GRU)",
                         "2=Health/Medical/Biomedical (HMB-IRB)"]
    limits = (out / "data-use-limitations.tsv").read_text(encoding="utf-8")
    assert "1\tGeneral Research Use (GRU)\tGRU\t2\n" in limits and "\tHMB-IRB\t1\n" in limits
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert "controlled-access upload only" in readme
    _info, entries = read_manifest(out)
    assert sorted(e.path for e in entries if e.role == "data") == [f"S{n}.fastq.gz" for n in range(1, 5)]


def test_every_data_set_has_a_dictionary_naming_its_columns(tmp_path: Path) -> None:
    project = Project.open(human_project(tmp_path / "proj"))
    files = dbgap.build(project, [])
    for ds_name in (n for n in files if "_DS" in n):
        columns = files[ds_name].decode().splitlines()[0].split("\t")
        dd = [line.split("\t") for line in files[ds_name.replace("a_", "b_").replace("_DS", "_DD")].decode().splitlines()]
        assert dd[0][:3] == ["VARNAME", "VARDESC", "TYPE"] and dd[0][-1] == "VALUES"
        assert [r[0] for r in dd[1:]] == columns, ds_name
        assert len({r[1] for r in dd[1:]}) == len(dd) - 1                 # unique VARDESC
        assert all(r[2] in ("integer", "decimal", "encoded value", "string") for r in dd[1:])


@pytest.mark.parametrize("public", ["geo", "figshare"])
def test_a_public_package_of_the_human_project_is_refused(tmp_path: Path, public: str) -> None:
    project = Project.open(human_project(tmp_path / "proj"))
    out = tmp_path / public
    result = build_package(project, public, out)
    assert not result.built
    refusals = [f for f in result.findings if f.code == rule_codes.HUMAN_PUBLIC]
    assert refusals and "dbGaP" in refusals[0].suggestion
    assert not any(out.glob("*.fastq.gz"))
