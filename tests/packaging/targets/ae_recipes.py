"""A small sequencing submission that passes every ArrayExpress rule, and edits that break one rule each."""

from __future__ import annotations

from datetime import date

from depositdesk.magetab.project import Project
from tests.packaging.rules.recipes import project

TODAY = date(2026, 1, 1)
DESCRIPTION = "Wing discs of wild type and mutant larvae were profiled by RNA-seq in two replicates."
PROTOCOL_TEXT = "Larvae were grown at 25 C on standard food and wing discs dissected in PBS on ice."
IDF = {
    "MAGE-TAB Version": ["1.1"],
    "Investigation Title": ["Wing disc RNA-seq of a mutant"],
    "Experiment Description": [DESCRIPTION],
    "Date of Experiment": ["2025-05-01"],
    "Public Release Date": ["2099-06-01"],
    "Experimental Design": ["genetic modification design"],
    "Experimental Factor Name": ["genotype"],
    "Experimental Factor Type": ["genotype"],
    "Person Last Name": ["Doe", "Roe"],
    "Person First Name": ["Jane", "Rick"],
    "Person Email": ["jane.doe@example.org", ""],
    "Person Affiliation": ["Example University", "Example University"],
    "Person Roles": ["submitter", "investigator"],
    "PubMed ID": ["15138501"],
    "Publication Author List": ["Doe J, Roe R"],
    "Publication Title": ["Wing discs"],
    "Protocol Name": ["P-1", "P-2", "P-3"],
    "Protocol Type": ["sample collection protocol", "nucleic acid library construction protocol",
                      "nucleic acid sequencing protocol"],
    "Protocol Description": [PROTOCOL_TEXT, PROTOCOL_TEXT, PROTOCOL_TEXT],
    "Protocol Hardware": ["", "", "Illumina NovaSeq 6000"],
    "Term Source Name": ["EFO"],
    "Term Source File": ["http://www.ebi.ac.uk/efo/efo.owl"],
    "Comment[AEExperimentType]": ["RNA-seq of coding RNA"],
    "Comment[ArrayExpressAccession]": ["E-MTAB-1"],
    "SDRF File": ["study.sdrf.txt"],
}
HEADER = ["Source Name", "Characteristics[organism]", "Characteristics[sex]", "Characteristics[genotype]",
          "Material Type", "Protocol REF", "Sample Name", "Protocol REF", "Extract Name",
          "Comment[LIBRARY_LAYOUT]", "Comment[LIBRARY_SOURCE]", "Comment[LIBRARY_STRATEGY]",
          "Comment[LIBRARY_SELECTION]", "Comment[NOMINAL_LENGTH]", "Comment[NOMINAL_SDEV]", "Protocol REF",
          "Performer", "Assay Name", "Technology Type", "Scan Name", "Comment[SUBMITTED_FILE_NAME]",
          "Factor Value[genotype]"]


def row(i: int, genotype: str) -> list[str]:
    return [f"src{i}", "Drosophila melanogaster", "female", genotype, "organism part", "P-1", f"smp{i}", "P-2",
            f"ext{i}", "PAIRED", "TRANSCRIPTOMIC", "RNA-Seq", "cDNA", "300", "30", "P-3", "Core facility",
            f"run{i}", "sequencing assay", f"run{i}", f"run{i}_R1.fastq.gz", genotype]


def good_project() -> Project:
    rows = [row(1, "wild type"), row(2, "wild type"), row(3, "mutant"), row(4, "mutant")]
    return project(HEADER, rows, IDF)


def set_idf(p: Project, field: str, values: list[str]) -> Project:
    p.idf.set(field, values)
    return p


def set_cell(p: Project, heading: str, r: int, value: str, nth: int = 0) -> Project:
    sdrf = p.sdrfs[0]
    cols = [c for c, h in enumerate(sdrf.header) if h == heading]
    sdrf.set_cells([(r, cols[nth], value)])
    return p


def drop_column(p: Project, heading: str) -> Project:
    sdrf = p.sdrfs[0]
    sdrf.remove_columns(sdrf.header.index(heading), 1)
    return p
