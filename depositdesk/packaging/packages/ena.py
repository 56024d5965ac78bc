"""ENA: one Webin-CLI reads manifest per run (``<NAME>.manifest.txt``), the read files beside them.

Each manifest is Webin-CLI's ``FIELD<whitespace>value`` form (`ReadsManifestReader`): STUDY,
SAMPLE, NAME, PLATFORM, INSTRUMENT, LIBRARY_SOURCE / SELECTION / STRATEGY, LIBRARY_NAME,
DESCRIPTION, then the run's file group: 1-10 FASTQ lines in R1, R2 order, or one BAM or CRAM.
STUDY is the IDF's ``Comment[ENA study]`` (or ``Comment[BioProject accession]``), else the project
folder's name as an alias; SAMPLE is ``Comment[ENA_SAMPLE]`` / ``Comment[BioSD_SAMPLE]`` of the SDRF,
else the sample name (the alias registered with the BioSample/ENA sample sheet). Run with
``webin-cli -context reads -manifest <file> -inputDir <package folder>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from depositdesk.magetab.project import Project
from depositdesk.packaging.packages.build import PackedFile
from depositdesk.packaging.packages.sra import sra_rows
from depositdesk.packaging.targets.ena import kind_of

STUDY_FIELDS = ("Comment[ENA study]", "Comment[BioProject accession]", "Comment[SecondaryAccession]")
FIELDS = (("NAME", "library_ID"), ("PLATFORM", "platform"), ("INSTRUMENT", "instrument_model"),
          ("LIBRARY_SOURCE", "library_source"), ("LIBRARY_SELECTION", "library_selection"),
          ("LIBRARY_STRATEGY", "library_strategy"), ("LIBRARY_NAME", "library_ID"),
          ("DESCRIPTION", "design_description"))
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _study(project: Project) -> str:
    for name in STUDY_FIELDS:
        if value := project.idf.first(name).strip():
            return value
    return project.folder.name


def _samples(project: Project) -> dict[str, str]:
    """library (Assay Name) -> ENA sample accession from the SDRF, where one is given."""
    from depositdesk.packaging.targets.base import column_index, heading_key

    found: dict[str, str] = {}
    for sdrf in project.sdrfs:
        index = column_index(sdrf)
        assay = index.get(heading_key("Assay Name"), [])
        cols = [c for h in ("Comment[ENA_SAMPLE]", "Comment[BioSD_SAMPLE]") for c in index.get(heading_key(h), [])]
        for row in sdrf.rows:
            lib = row[assay[0]].strip() if assay else ""
            value = next((row[c].strip() for c in cols if row[c].strip()), "")
            if lib and value and lib not in found:
                found[lib] = value
    return found


def manifest_text(study: str, sample: str, lib: dict[str, str | list[str]]) -> str:
    lines = [f"STUDY\t{_one_line(study)}", f"SAMPLE\t{_one_line(sample)}"]
    lines += [f"{key}\t{_one_line(str(lib[src]))}" for key, src in FIELDS if str(lib.get(src, "")).strip()]
    files = lib["files"]
    assert isinstance(files, list)
    for name in files:
        kind = kind_of(name)
        if kind is not None:
            lines.append(f"{kind.upper()}\t{name}")
    return "\n".join(lines) + "\n"


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    study, accessions = _study(project), _samples(project)
    out: dict[str, bytes] = {}
    for lib in sra_rows(project, {p.named: p.name for p in packed}):
        name = str(lib.get("library_ID", ""))
        sample = accessions.get(name) or str(lib.get("sample_name", "")) or name
        file_name = f"{UNSAFE.sub('_', name).strip('_') or 'run'}.manifest.txt"
        while file_name in out:
            file_name = file_name.replace(".manifest.txt", "_.manifest.txt")
        out[file_name] = manifest_text(study, sample, lib).encode("ascii", errors="replace")
    return out
