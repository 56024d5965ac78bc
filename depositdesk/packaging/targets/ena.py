"""ENA (European Nucleotide Archive): SRA's read metadata (INSDC terms) plus Webin-CLI's read-file rules.

The columns and vocabularies are SRA's (`sra.SRA_COLUMNS`), except the layout, which ENA writes
SINGLE / PAIRED. Webin-CLI's read rules, as a rule over the SDRF's read files per run (Assay
Name): at least one read file; 1 to 10 FASTQ files, or exactly one BAM or CRAM, never both; a
PAIRED run has at least two FASTQ files (or one BAM/CRAM). Paired FASTQ files with different read
counts are already an error of the FASTQ validator (FASTQ-PAIR-COUNT); `file_rules` makes a
read-less BAM/CRAM or an empty read an error for ENA.
"""

from __future__ import annotations

from dataclasses import replace

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.packaging.rules._where import column_counts, stripped
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets import sra
from depositdesk.packaging.targets.base import Target, column_index, heading_key, register

SOURCE = "ENA Webin read submission (Webin-CLI read rules); terms as SRA_metadata.xlsx (2026)"
PART = "targets/ena"
LAYOUTS = ("SINGLE", "PAIRED")
MAX_FASTQ = 10
READ_FILE_HEADINGS = ("Array Data File", "Comment[SUBMITTED_FILE_NAME]", "Comment[FASTQ_URI]")
FASTQ_ENDINGS = (".fastq", ".fq", ".fastq.gz", ".fq.gz", ".fastq.bz2", ".fq.bz2")

INSTRUMENT_PLATFORM = define(
    "ENA-INSTRUMENT-PLATFORM", Severity.ERROR, "The instrument model is not one of its platform's",
    "Choose the platform that makes this instrument, or an instrument of the platform.", part=PART)
READ_FILES = define(
    "ENA-READ-FILES", Severity.ERROR, "A run's read files are not what Webin-CLI accepts",
    "Give each run 1-10 FASTQ files (two or more when PAIRED), or exactly one BAM or CRAM file.", part=PART)

COLUMNS = {**sra.SRA_COLUMNS,
           "library_layout": replace(sra.SRA_COLUMNS["library_layout"], vocabulary=LAYOUTS)}


def kind_of(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(FASTQ_ENDINGS):
        return "fastq"
    for ending in (".bam", ".cram"):
        if lower.endswith(ending):
            return ending[1:]
    return None


def read_file_findings(project: Project) -> list[Finding]:
    out: list[Finding] = []
    for sdrf in project.sdrfs:
        index = column_index(sdrf)
        assay = index.get(heading_key("Assay Name"), [])
        if not assay:
            continue
        layout = index.get(heading_key(COLUMNS["library_layout"].heading), [])
        files = [c for h in READ_FILE_HEADINGS for c in index.get(heading_key(h), [])]
        runs: dict[str, tuple[int, set[str], str]] = {}
        good = {v.strip() for c in files for v in column_counts(sdrf, c) if kind_of(v.strip())}
        reads = [stripped(sdrf, c) for c in files if good.intersection(stripped(sdrf, c))]
        layouts = stripped(sdrf, layout[0]) if layout else [""] * len(sdrf.rows)
        for r, (run, paired, *named) in enumerate(zip(stripped(sdrf, assay[0]), layouts, *reads,
                                                      strict=True), start=1):
            if not run:
                continue
            found = runs.setdefault(run, (r, set(), paired))[1]
            found.update(f for f in named if f in good)
        name = sdrf.path.name if sdrf.path is not None else "SDRF"
        for run, (r, found, paired) in runs.items():
            problem = _problem(found, paired.upper() == "PAIRED")
            if problem:
                out.append(finding(READ_FILES, f"run '{run}': {problem}",
                                   Location(file=name, row=r, column=assay[0] + 1, column_name=sdrf.header[assay[0]])))
    return out


def _problem(found: set[str], paired: bool) -> str | None:
    kinds = [kind_of(f) for f in found]
    fastq, aligned = kinds.count("fastq"), len(kinds) - kinds.count("fastq")
    if not found:
        return "no read file (FASTQ, BAM or CRAM)"
    if fastq and aligned:
        return "FASTQ and BAM/CRAM files mixed in one run"
    if aligned > 1:
        return f"{aligned} BAM/CRAM files; Webin-CLI takes exactly one per run"
    if fastq > MAX_FASTQ:
        return f"{fastq} FASTQ files; Webin-CLI takes at most {MAX_FASTQ} per run"
    if paired and fastq == 1:
        return "PAIRED layout with a single FASTQ file"
    return None


TARGET = register(Target(
    name="ena",
    title="ENA",
    source=SOURCE,
    columns=tuple(COLUMNS.values()),
    rules=(sra.platform_rule(INSTRUMENT_PLATFORM), sra.biosample_findings, read_file_findings,
           *PUBLIC_TARGET_RULES),
    accepted_missing=sra.MISSING_VALUES,
    file_rules={"SAM-NO-RECORDS": Severity.ERROR, "FASTQ-EMPTY-READ": Severity.ERROR,
                "FASTQ-NO-READS": Severity.ERROR},
    transport="ftp",
))
