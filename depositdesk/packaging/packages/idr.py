"""IDR: a study folder in the layout of IDR/idr-metadata (idrNNNN-study.txt and, per experiment,
``experimentX/idrNNNN-experimentX-{annotation.csv,filePaths.tsv,bulk.yml,assays.txt}``).

The accession is ``idr0000`` until IDR gives one (as their submitter templates do). The study file
holds every key IDR's study parser requires (idr-utils pyidr/study_parser.py, `STUDY_KEYS` and
`EXPERIMENT_KEYS` of the idr target), with ``Experiment Sample Type`` - the row the 2021 submitter
templates lack - and the organism at experiment level only (the parser refuses it at both levels).
Experiments are the project's study components (``Comment[study component]``), else one
experiment A. ``filePaths.tsv`` maps each OMERO Dataset to the images' paths inside the package
(curators replace the prefix with their server path); ``bulk.yml`` is one YAML document naming it;
``annotation.csv`` has one row per image with unique column names; ``assays.txt`` is the SDRF.
"""

from __future__ import annotations

import csv
import io
import string
from collections.abc import Sequence

import yaml

from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.magetab.textio import format_rows
from depositdesk.packaging.packages.build import PackedFile
from depositdesk.packaging.targets import idr as target

ACCESSION = "idr0000"
COMPONENT = "comment[study component]"
IMAGE_HEADINGS = ("image file", "array data file", "derived array data file")
METHOD_HEADINGS = ("parameter value[imaging method]", "comment[imaging method]")
TERM_SOURCES = {"NCBITaxon": "http://purl.obolibrary.org/obo/", "EFO": "http://www.ebi.ac.uk/efo/",
                "CMPO": "http://www.ebi.ac.uk/cmpo/", "FBbi": "http://purl.obolibrary.org/obo/"}


def _col(sdrf: Sdrf, names: Sequence[str]) -> int | None:
    lowered = [h.strip().lower() for h in sdrf.header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def _term(sdrf: Sdrf, c: int | None, row: list[str]) -> tuple[str, str, str]:
    """(value, Term Source REF, Term Accession Number) of the cell at column c."""
    if c is None:
        return "", "", ""
    ref = acc = ""
    if c + 1 < len(sdrf.header) and sdrf.header[c + 1].strip().lower() == "term source ref":
        ref = row[c + 1].strip()
        if c + 2 < len(sdrf.header) and sdrf.header[c + 2].strip().lower() == "term accession number":
            acc = row[c + 2].strip()
    return row[c].strip(), ref, acc


def experiments(project: Project) -> dict[str, list[tuple[Sdrf, list[str]]]]:
    """Study component -> its (SDRF, row) pairs, in first-seen order (one 'A' when none are named)."""
    found: dict[str, list[tuple[Sdrf, list[str]]]] = {}
    for sdrf in project.sdrfs:
        c = _col(sdrf, (COMPONENT,))
        for row in sdrf.rows:
            name = (row[c].strip() if c is not None else "") or "A"
            found.setdefault(name, []).append((sdrf, row))
    return found


def _letter(i: int) -> str:
    return string.ascii_uppercase[i] if i < 26 else f"{string.ascii_uppercase[i // 26 - 1]}{string.ascii_uppercase[i % 26]}"


def study_text(project: Project, names: dict[str, str]) -> str:
    idf = project.idf
    rows: list[list[str]] = []

    def put(key: str, *values: str) -> None:
        rows.append([key, *values])

    put("Comment[IDR Study Accession]", ACCESSION)
    for key, source in target.STUDY_KEYS.items():
        if source is not None:
            put(key, idf.first(source).strip())
    put("Study Key Words", *[w for w in idf.get("Experimental Design") if w.strip()])
    put("Study PubMed ID", *idf.get("PubMed ID"))
    put("Study DOI", *idf.get("Publication DOI"))
    put("Study License", idf.first("Comment[License]").strip() or "CC BY 4.0")
    people = idf.records("person")
    for label, field in (("Last Name", "Person Last Name"), ("First Name", "Person First Name"),
                         ("Email", "Person Email"), ("Address", "Person Address")):
        put(f"Study Person {label}", *[p[field] for p in people])
    put("Study Person Roles", *["submitter" for _ in people])
    put("Term Source Name", *TERM_SOURCES)
    put("Term Source URI", *TERM_SOURCES.values())
    for i, (name, members) in enumerate(experiments(project).items()):
        letter = _letter(i)
        sdrf, first = members[0]
        method = _term(sdrf, _col(sdrf, METHOD_HEADINGS), first)
        organism = _term(sdrf, _col(sdrf, ("characteristics[organism]",)), first)
        images = [names.get(row[c].strip(), "") for s, row in members
                  for c in [_col(s, IMAGE_HEADINGS)] if c is not None and row[c].strip()]
        rows.append([])
        put("Experiment Number", str(i + 1))
        put("Comment[IDR Experiment Name]", f"{ACCESSION}-experiment{letter}")
        put("Experiment Description", idf.first("Experiment Description").strip() if name == "A" else name)
        put("Experiment Size", f"5D Images: {len(images)}", f"Files: {len(images)}")
        put("Experiment Imaging Method", method[0])
        put("Experiment Imaging Method Term Source REF", method[1])
        put("Experiment Imaging Method Term Accession", method[2])
        put("Experiment Organism", organism[0])
        put("Experiment Organism Term Source REF", organism[1] or ("NCBITaxon" if organism[2] else ""))
        put("Experiment Organism Term Accession", organism[2])
        put("Experiment Sample Type", idf.first("Comment[Experiment Sample Type]").strip())
        put("Experiment Assay File", f"{ACCESSION}-experiment{letter}-assays.txt")
        put("Experiment Assay File Format", "tab-delimited text")
    return format_rows(rows)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _unique(headings: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headings:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} {seen[h]}")
    return out


def annotation_rows(members: list[tuple[Sdrf, list[str]]], dataset: str,
                    names: dict[str, str]) -> list[list[str]]:
    sdrf = members[0][0]
    keep = [c for c, h in enumerate(sdrf.header)
            if h.lower().startswith(("characteristics[", "factor value[", "comment["))
            and h.strip().lower() not in (COMPONENT, "comment[md5]")]
    heads = [sdrf.header[c].replace("[", " [", 1).replace("Factor Value", "Experimental Condition")
             for c in keep]
    rows = [_unique(["Dataset Name", "Image Name", *heads])]
    for s, row in members:
        c = _col(s, IMAGE_HEADINGS)
        if c is None or not row[c].strip():
            continue
        name = names.get(row[c].strip(), row[c].strip())
        rows.append([dataset, name.rsplit("/", 1)[-1], *[row[k].strip() if k < len(row) else "" for k in keep]])
    return rows


def build(project: Project, packed: Sequence[PackedFile]) -> dict[str, bytes]:
    names = {p.named: p.name for p in packed}
    files: dict[str, bytes] = {f"{ACCESSION}-study.txt": study_text(project, names).encode("utf-8")}
    for i, (name, members) in enumerate(experiments(project).items()):
        letter = _letter(i)
        stem = f"experiment{letter}/{ACCESSION}-experiment{letter}"
        dataset = name if name != "A" else project.idf.first("Investigation Title").strip()[:60] or "A"
        paths = list(dict.fromkeys(names[row[c].strip()] for s, row in members
                                   for c in [_col(s, IMAGE_HEADINGS)]
                                   if c is not None and row[c].strip() in names))
        files[f"{stem}-filePaths.tsv"] = "".join(f"Dataset:name:{dataset}\t{p}\n" for p in paths).encode("utf-8")
        files[f"{stem}-annotation.csv"] = _csv(annotation_rows(members, dataset, names))
        files[f"{stem}-bulk.yml"] = yaml.safe_dump(
            {"name": f"{ACCESSION}-experiment{letter}", "path": f"{ACCESSION}-experiment{letter}-filePaths.tsv",
             "columns": ["target", "path"], "continue": "true", "transfer": "ln_s",
             "checksum_algorithm": "File-Size-64"}, sort_keys=False).encode("utf-8")
        sdrf = members[0][0]
        assay_rows = [sdrf.header, *[[names.get(v.strip(), v) for v in row] for s, row in members]]
        files[f"{stem}-assays.txt"] = format_rows(assay_rows, rectangular=True).encode("utf-8")
    return files
