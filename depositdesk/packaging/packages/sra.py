"""SRA: the ``SRA_data`` sheet as TSV and the BioSample attributes TSV, ``sample_name`` shared.

``SRA_data.tsv`` has the 2026 template's columns in its order, one row per library (Assay Name),
its raw files in ``filename``, ``filename2`` ... in run order (R1, R2, R1, R2; more columns are
added when a library has more than four files, as the filled example does). ``BioSample.tsv``
holds one row per distinct ``sample_name`` with the package's mandatory ('*') attributes in the
template's order, then the project's other characteristics as custom attributes. Where each value
comes from is the SRA target's declaration (`depositdesk.packaging.targets.sra`).
"""

from __future__ import annotations

from collections.abc import Sequence

from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.packages.build import PackedFile
from depositdesk.packaging.packages.geo import paired_runs
from depositdesk.packaging.targets import geo, sra
from depositdesk.packaging.targets.base import column_index, heading_key

SRA_FILE, BIOSAMPLE_FILE = "SRA_data.tsv", "BioSample.tsv"
SRA_HEADER = ("sample_name", "library_ID", "title", "library_strategy", "library_source", "library_selection",
              "library_layout", "platform", "instrument_model", "design_description", "filetype")
MIN_FILES = 4
FILETYPES = ((".bam", "bam"), (".cram", "cram"), (".fastq", "fastq"), (".fq", "fastq"), (".sff", "sff"))


def _tsv(rows: Sequence[Sequence[str]]) -> bytes:
    clean = [[" ".join(cell.split()) for cell in row] for row in rows]   # no tab or newline inside a cell
    return ("\n".join("\t".join(row) for row in clean) + "\n").encode("utf-8")


def _first(sdrf: Sdrf, row: list[str], headings: Sequence[str]) -> str:
    index = column_index(sdrf)
    return next((row[c].strip() for h in headings for c in index.get(heading_key(h), []) if row[c].strip()), "")


def _filetype(names: Sequence[str]) -> str:
    for name in names:
        for ending, kind in FILETYPES:
            if ending in name.lower():
                return kind
    return ""


def sra_rows(project: Project, names: dict[str, str]) -> list[dict[str, str | list[str]]]:
    libraries: dict[str, dict[str, str | list[str]]] = {}
    seen: set[str] = set()
    raw_headings = geo.RAW_FILE_HEADINGS
    for sdrf in project.sdrfs:
        for row in sdrf.rows:
            key = _first(sdrf, row, ("Assay Name",))
            if not key:
                continue
            lib = libraries.setdefault(key, {"files": []})
            for label, req in sra.SRA_COLUMNS.items():
                if label != "filename" and not lib.get(label):
                    lib[label] = _first(sdrf, row, (req.heading,))
            if not lib.get("geo_layout"):
                lib["geo_layout"] = _first(sdrf, row, (geo.SAMPLE_COLUMNS["single or paired-end"].heading,))
            if not lib.get("assembly"):
                lib["assembly"] = _first(sdrf, row, geo.GENOME_BUILD_HEADINGS)
            files = lib["files"]
            assert isinstance(files, list)
            index = column_index(sdrf)
            for c in (c for h in raw_headings for c in index.get(heading_key(h), [])):
                name = names.get(row[c].strip())
                if name and name not in seen:
                    seen.add(name)
                    files.append(name)
    for lib in libraries.values():
        layout = str(lib.get("library_layout") or lib.get("geo_layout") or "").lower()
        lib["library_layout"] = {"paired-end": "paired", "single-end": "single"}.get(layout, layout)
        files = lib["files"]
        assert isinstance(files, list)
        lib["files"] = [n for run in paired_runs(files) for n in run]
        if not lib.get("filetype"):
            lib["filetype"] = _filetype(files)
    return list(libraries.values())


def biosample_rows(project: Project) -> tuple[list[str], list[list[str]]]:
    package = project.idf.first(sra.PACKAGE_FIELD).strip() or sra.DEFAULT_PACKAGE
    mandatory = sra.BIOSAMPLE_PACKAGES.get(package, sra.BIOSAMPLE_PACKAGES[sra.DEFAULT_PACKAGE])
    used = {heading_key(h) for a in mandatory for h in sra.BIOSAMPLE_HEADINGS.get(a, (f"Characteristics[{a}]",))}
    custom: list[tuple[str, str]] = []   # (attribute, SDRF heading)
    for sdrf in project.sdrfs:
        for heading in sdrf.header:
            if heading.lower().startswith("characteristics[") and heading_key(heading) not in used:
                attribute = next((a for a, hs in sra.BIOSAMPLE_HEADINGS.items()
                                  if heading_key(heading) in {heading_key(h) for h in hs}),
                                 heading[heading.index("[") + 1:-1].strip().replace(" ", "_"))
                if attribute not in {a for a, _ in custom}:
                    custom.append((attribute, heading))
    header = [f"*{a}" for a in mandatory] + [a for a, _ in custom]
    rows: dict[str, list[str]] = {}
    for sdrf in project.sdrfs:
        for row in sdrf.rows:
            name = _first(sdrf, row, sra.BIOSAMPLE_HEADINGS["sample_name"])
            if not name or name in rows:
                continue
            values = [_first(sdrf, row, sra.BIOSAMPLE_HEADINGS.get(a, (f"Characteristics[{a}]",))) for a in mandatory]
            values += [_first(sdrf, row, (h,)) for _, h in custom]
            rows[name] = values
    return header, list(rows.values())


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    libraries = sra_rows(project, {p.named: p.name for p in packed})
    n_files = max([MIN_FILES, *(len(lib["files"]) for lib in libraries)])
    file_columns = ["filename"] + [f"filename{i}" for i in range(2, n_files + 1)]
    rows: list[list[str]] = [[*SRA_HEADER, *file_columns, "assembly", "fasta_file"]]
    for lib in libraries:
        files = lib["files"]
        assert isinstance(files, list)
        rows.append([str(lib.get(c, "")) for c in SRA_HEADER] + files + [""] * (n_files - len(files))
                    + [str(lib.get("assembly", "")) if lib.get("filetype") == "bam" else "", ""])
    header, samples = biosample_rows(project)
    return {SRA_FILE: _tsv(rows), BIOSAMPLE_FILE: _tsv([header, *samples])}
