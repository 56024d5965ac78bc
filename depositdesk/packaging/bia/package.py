"""The BioImage Archive package: PageTab (TSV + JSON), a file list per study component, a BIA RO-Crate.

REMBI comes from the project's `.depositdesk/rembi.yaml` (bia-agent's layout) or, without one,
from the IDF/SDRF (`rembi_from_images.rembi_from_project`, the same derivation the OMERO import
writes; image headers are read for up to `READ_FILES_UP_TO` rows). The PageTab is bia-agent's conversion with one line more per study component, the
`File List` attribute naming its file list (as bia-agent's submission code writes it), and a
value holding a line break written in double quotes (the PageTab reading; bia-agent does not):
`file_list_study_component_N.tsv` (first column `Files`, then `size`, `md5` and the SDRF row's
values) for `pagetab.tsv`, and the `.json` list (path, size, attributes) for `pagetab.json`.
A data file belongs to the study component named by its row's `Comment[study component]`
(else its SDRF's name), matched to a study component by key or name; with one study
component every file is its. The package folder is also a BIA RO-Crate (`ro-crate-metadata.json`
+ `file_list.tsv`) describing the same files.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depositdesk.findings import Finding, has_errors
from depositdesk.magetab.project import Project
from depositdesk.packaging.bia.pagetab import Attribute, File, Section, Submission
from depositdesk.packaging.bia.rembi import Rembi, check_rembi, read_rembi
from depositdesk.packaging.bia.rocrate import CrateFile, crate_files
from depositdesk.packaging.bia.topagetab import rembi_to_pagetab
from depositdesk.packaging.manifest import PackageError

if TYPE_CHECKING:
    from depositdesk.packaging.packages.build import PackedFile as Packed

ACCESSION_FIELDS = ("Comment[BIA accession]", "Comment[BioImage Archive accession]")
ROW_KINDS = ("characteristics", "comment", "parameter_value", "factor_value")
SKIPPED = {"study component", "md5"}
READ_FILES_UP_TO = 500
"""Without a rembi.yaml, image headers fill the acquisition parameters up to this many SDRF rows; a
larger project is derived from its SDRF alone (write its rembi.yaml once to have them)."""


def project_rembi(project: Project) -> Rembi:
    """The project's REMBI, checked: its rembi.yaml, else derived from the IDF/SDRF."""
    from depositdesk.imports.rembi_from_images import rembi_from_project, rembi_path

    path = rembi_path(project)
    if path.is_file():
        return read_rembi(path)
    rows = sum(len(sdrf.rows) for sdrf in project.sdrfs)
    derived = rembi_from_project(project, read_files=rows <= READ_FILES_UP_TO)
    return check_rembi(derived, "(derived from the IDF and SDRF)")


def rembi_findings(project: Project) -> list[Finding]:
    """The findings of the project's `.depositdesk/rembi.yaml` (none without one: then the BIA target's
    own IDF/SDRF checks cover what REMBI is derived from). A rule for the BIA target's `rules`."""
    from depositdesk.imports.rembi_from_images import rembi_path

    path = rembi_path(project)
    return read_rembi(path).findings if path.is_file() else []


def accession(project: Project) -> str:
    return next((v for f in ACCESSION_FIELDS if (v := project.idf.first(f).strip())), "")


def _row_attributes(sdrf: Any, row: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """(study component name of the row, [(attribute, value)] of its filled value columns)."""
    component = ""
    values: dict[str, str] = {}
    for c, col in enumerate(sdrf.columns):
        name = col.name.strip()
        cell = row[c].strip() if c < len(row) else ""
        if col.kind not in ROW_KINDS or not cell or not name:
            continue
        if name.lower() == "study component":
            component = component or cell
        elif name.lower() not in SKIPPED:
            values.setdefault(name, cell)
    if not component and sdrf.path is not None:
        component = Path(sdrf.path.name).stem.removesuffix(".sdrf")
    return component, list(values.items())


def _component_of(name: str, rembi: Rembi) -> str:
    components = rembi.section("study_component")
    for key, value in components.items():
        if name in (key, value.get("name")):
            return key
    return next(iter(components), "")


def assign_files(project: Project, rembi: Rembi, packed: Sequence[Packed]) -> dict[str, list[File]]:
    """study component key -> its files (package path, size, attributes: md5 and the row's values)."""
    by_named = {p.named: p for p in packed}
    out: dict[str, list[File]] = {key: [] for key in rembi.section("study_component")}
    seen: set[str] = set()
    for sdrf in project.sdrfs:
        file_columns = sdrf.find_columns("file")
        for row in sdrf.rows:
            component, values = _row_attributes(sdrf, row)
            key = _component_of(component, rembi)
            for c in file_columns:
                item = by_named.get(row[c].strip()) if c < len(row) else None
                if item is None or item.name in seen or key not in out:
                    continue
                seen.add(item.name)
                out[key].append(File(item.name, item.size, [Attribute("md5", item.md5),
                                                             *(Attribute(n, v) for n, v in values)]))
    return out


def _file_list_tsv(files: list[File]) -> bytes:
    names = list(dict.fromkeys(a.name for f in files for a in f.attributes))
    lines = ["\t".join(["Files", "size", *names])]
    for item in files:
        values = {a.name: a.value or "" for a in item.attributes}
        lines.append("\t".join([item.path, str(item.size), *(values.get(n, "") for n in names)]))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _file_list_json(files: list[File]) -> bytes:
    if not files:
        return b"[]\n"
    # one file a line: json's C encoder (an indented dump runs the pure-Python one, 5x slower); each
    # file's dict made and dropped in turn (10,000 dicts held at once cost 25 MB more at the peak)
    body = ",\n".join(json.dumps({"path": f.path, "size": f.size, "attributes": [
        {"name": a.name, "value": a.value} for a in f.attributes], "type": "file"}, ensure_ascii=False)
        for f in files)
    return f"[\n{body}\n]\n".encode()


def _components(submission: Submission) -> list[Section]:
    return [s for s in submission.section.subsections if s.type == "Study Component"]


def build_files(project: Project, packed: Sequence[Packed]) -> dict[str, bytes]:
    """The BIA package's metadata files (name -> content). PackageError when REMBI cannot be read."""
    rembi = project_rembi(project)
    if not rembi.ok:
        raise PackageError(_blocked(rembi.findings))
    acc = accession(project)
    files = assign_files(project, rembi, packed)
    submission = rembi_to_pagetab(rembi, acc or None)
    out: dict[str, bytes] = {}
    lists = [f"file_list_study_component_{n}" for n in range(1, len(_components(submission)) + 1)]
    for section, stem in zip(_components(submission), lists, strict=True):
        section.attributes.insert(2, Attribute("File List", f"{stem}.tsv"))
    out["pagetab.tsv"] = submission.as_tsv(quote=True).encode("utf-8")
    for section, stem in zip(_components(submission), lists, strict=True):
        section.attributes[2] = Attribute("File List", f"{stem}.json")
    out["pagetab.json"] = (submission.json_text() + "\n").encode("utf-8")
    paired = list(files.values())[:len(lists)]
    for stem, component_files in zip(lists, paired, strict=False):
        out[f"{stem}.tsv"] = _file_list_tsv(component_files)
        out[f"{stem}.json"] = _file_list_json(component_files)
    crate = [CrateFile(f.path, f.size, key) for key, fs in files.items() for f in fs]
    out.update(crate_files(rembi, acc or project.folder.name, crate))
    return out


def _blocked(findings: list[Finding]) -> str:
    errors = [f for f in findings if has_errors([f])]
    first = errors[0].describe().splitlines()[0] if errors else ""
    return (f"the REMBI metadata cannot be converted ({len(errors)} error(s); first: {first}); "
            "fix .depositdesk/rembi.yaml (see 'depositdesk convert .depositdesk/rembi.yaml OUT --to pagetab')")
