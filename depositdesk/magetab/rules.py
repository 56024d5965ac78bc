"""`check_project`: the grammar and structural rules of MAGE-TAB, over the documents as edited.

Structural rules tie the two files together: every Protocol REF names an IDF
protocol, every Factor Value names an IDF factor, every Term Source REF names
an IDF term source, the SDRF File exists, and the data files exist.

Missing data files are errors in a *local* project, one DepositDesk has saved
(its ``.depositdesk`` records a save or the chosen targets; a state folder
holding only an autosave journal does not make a folder local, so editing a
lone SDRF does not turn one note into thousands of errors, and the window and
`depositdesk check` give the same answer). In a folder never saved by DepositDesk
they are warnings when some named files are present (the folder holds data,
but we cannot know it is meant to hold all of it), and when none is present
(a MAGE-TAB set downloaded from ArrayExpress names hundreds of files that live
on the archive's FTP server) one INFO finding says they were not looked for:
reporting each would bury the real findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from depositdesk.findings import Finding, FindingCollector, Location, Severity, finding
from depositdesk.magetab import codes
from depositdesk.magetab.commit import saved_generation
from depositdesk.magetab.completeness import completeness_findings, has_chosen_targets
from depositdesk.magetab.grammar import header_findings
from depositdesk.magetab.idf import SECTION_OF, Idf, canonical_field, field_key
from depositdesk.magetab.opening import is_file
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf

KEPT_FROM_READING = ("MAGETAB-", "SDRF-ROW-", codes.IDF_FIELD_SPELLING, codes.PROJECT_JOURNAL)
DATE_FIELDS = ("Public Release Date", "Date of Experiment")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+\-Z]*)?$")


def check_project(project: Project, check_files: bool | None = None,
                  for_target: bool | None = None) -> list[Finding]:
    """Every grammar, structural and completeness finding of the project.

    ``check_files``: None = decide (see above). ``for_target``: the check is for
    chosen repositories, whose rules decide what is an error (`completeness`);
    None = when the project has chosen targets.
    """
    out = FindingCollector()
    out.extend(f for f in project.read_findings if f.code.startswith(KEPT_FROM_READING))
    idf_name = project.idf_path.name
    out.extend(idf_findings(project.idf, idf_name))
    out.extend(_sdrf_file_findings(project, idf_name))
    for sdrf in project.sdrfs:
        name = _shown_name(sdrf)
        out.extend(header_findings(sdrf, name))
        out.extend(sdrf_findings(sdrf, project.idf, name))
    chosen = has_chosen_targets(project.folder) if for_target is None else for_target
    out.extend(completeness_findings(project.idf, idf_name, [(s, _shown_name(s)) for s in project.sdrfs],
                                     Severity.WARNING if chosen else Severity.ERROR))
    out.extend(file_findings(project, check_files))
    return _unique(out.finish())


def _shown_name(sdrf: Sdrf) -> str:
    return sdrf.path.name if sdrf.path is not None else "SDRF"


def _unique(items: Iterable[Finding]) -> list[Finding]:
    seen: dict[Finding, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


# --- the IDF alone ---------------------------------------------------------------------------
def idf_findings(idf: Idf, name: str) -> list[Finding]:
    where = Location(file=name)
    out: list[Finding] = []
    if not idf.first("Investigation Title").strip():
        out.append(finding(codes.IDF_NO_TITLE, location=where))
    if not idf.sdrf_files():
        out.append(finding(codes.IDF_NO_SDRF, location=where))
    out.extend(_line_findings(idf, name))
    out.extend(_unnamed(idf, "protocol", "Protocol Name", codes.IDF_PROTOCOL_UNNAMED, name))
    out.extend(_unnamed(idf, "experimental_factor", "Experimental Factor Name", codes.IDF_FACTOR_UNNAMED, name))
    out.extend(_idf_term_sources(idf, name))
    for date_field in DATE_FIELDS:
        for value in idf.get(date_field):
            if value.strip() and not ISO_DATE.match(value.strip()):
                out.append(finding(codes.IDF_DATE_FORMAT, f"{date_field} '{value}' is not YYYY-MM-DD",
                                   Location(file=name, column_name=date_field)))
    return out


def _line_findings(idf: Idf, name: str) -> list[Finding]:
    out = []
    seen: set[str] = set()
    for number, line in enumerate(idf.lines, start=1):
        where = Location(file=name, line=number, column=1, column_name=line.name)
        canonical, known = canonical_field(line.name)
        if not known:
            out.append(finding(codes.IDF_FIELD_UNKNOWN, f"'{line.name}' is not an IDF field of MAGE-TAB", where))
        key = field_key(canonical)
        if key in seen and not key.startswith("comment["):
            out.append(finding(codes.IDF_FIELD_DUPLICATE, f"'{canonical}' appears on more than one line", where))
        seen.add(key)
    return out


def _unnamed(idf: Idf, section: str, name_field: str, code: str, file: str) -> list[Finding]:
    out = []
    for i, record in enumerate(idf.records(section), start=1):
        if not record[name_field].strip() and any(v.strip() for v in record.values()):
            out.append(finding(code, f"{section.replace('_', ' ').capitalize()} {i} has no {name_field}",
                               Location(file=file, column_name=name_field, column=i + 1)))
    return out


def _idf_term_sources(idf: Idf, file: str) -> list[Finding]:
    declared = {s.strip().lower() for s in idf.term_source_names()}
    out = []
    for line in idf.lines:
        if SECTION_OF.get(line.name) is None or not line.name.endswith("Term Source REF"):
            continue
        for i, value in enumerate(line.values, start=1):
            if value.strip() and value.strip().lower() not in declared:
                out.append(finding(codes.IDF_TERM_SOURCE_UNKNOWN,
                                   f"{line.name} '{value}' is not a Term Source Name of the IDF",
                                   Location(file=file, column_name=line.name, column=i + 1)))
    return out


def _sdrf_file_findings(project: Project, idf_name: str) -> list[Finding]:
    out = []
    in_memory = {s.path.name for s in project.sdrfs if s.path is not None}
    for name in project.idf.sdrf_files():
        if name not in in_memory and not is_file(project.folder / name):
            out.append(finding(codes.IDF_SDRF_MISSING, f"SDRF File '{name}' is not in {project.folder}",
                               Location(file=idf_name, column_name="SDRF File")))
    return out


# --- the SDRF against the IDF ------------------------------------------------------------------
def sdrf_findings(sdrf: Sdrf, idf: Idf, name: str) -> list[Finding]:
    out: list[Finding] = []
    if not sdrf.rows:
        out.append(finding(codes.SDRF_EMPTY, location=Location(file=name)))
    out.extend(_protocol_refs(sdrf, idf, name))
    out.extend(_factor_values(sdrf, idf, name))
    out.extend(_term_sources(sdrf, idf, name))
    return out


def _cell(name: str, sdrf: Sdrf, r: int, c: int) -> Location:
    return Location(file=name, row=r + 1, column=c + 1, column_name=sdrf.header[c])


def _protocol_refs(sdrf: Sdrf, idf: Idf, name: str) -> list[Finding]:
    """Protocol REFs must name IDF protocols, unless a Term Source REF says they live elsewhere."""
    declared = {p.strip() for p in idf.protocol_names()}
    out = []
    for c in sdrf.find_columns("protocol_ref"):
        if ":" in sdrf.column(c).header:      # Protocol REF:namespace — defined outside the IDF
            continue
        source_col, _ = sdrf.companions(c)
        reported: set[str] = set()
        for r, row in enumerate(sdrf.rows):
            value = row[c].strip()
            if not value or value in declared or value in reported:
                continue
            if source_col is not None and row[source_col].strip():
                continue
            reported.add(value)
            out.append(finding(codes.SDRF_PROTOCOL_UNKNOWN,
                               f"Protocol REF '{value}' is not a Protocol Name of the IDF",
                               _cell(name, sdrf, r, c)))
    return out


def _factor_values(sdrf: Sdrf, idf: Idf, name: str) -> list[Finding]:
    declared = {f.strip().lower() for f in idf.factor_names()}
    used: set[str] = set()
    out = []
    for c in sdrf.find_columns("factor_value"):
        factor = sdrf.column(c).name.strip()
        used.add(factor.lower())
        if factor.lower() not in declared:
            out.append(finding(codes.SDRF_FACTOR_UNKNOWN,
                               f"Factor Value[{factor}] names no Experimental Factor of the IDF",
                               Location(file=name, column=c + 1, column_name=sdrf.header[c])))
    for factor in idf.factor_names():
        if factor.strip().lower() not in used and sdrf.rows:
            out.append(finding(codes.SDRF_FACTOR_MISSING,
                               f"Experimental Factor '{factor}' has no Factor Value column in {name}",
                               Location(file=name)))
    return out


def _term_sources(sdrf: Sdrf, idf: Idf, name: str) -> list[Finding]:
    declared = {s.strip().lower() for s in idf.term_source_names()}
    out = []
    for c in sdrf.find_columns("term_source_ref"):
        reported: set[str] = set()
        for r, row in enumerate(sdrf.rows):
            value = row[c].strip()
            if not value or value.lower() in declared or value in reported:
                continue
            reported.add(value)
            out.append(finding(codes.SDRF_TERM_SOURCE_UNKNOWN,
                               f"Term Source REF '{value}' is not a Term Source Name of the IDF",
                               _cell(name, sdrf, r, c)))
    return out


# --- data files -----------------------------------------------------------------------------
def file_findings(project: Project, check_files: bool | None = None) -> list[Finding]:
    """Missing data files: errors in a local project, warnings or one note elsewhere (see above)."""
    named = project.named_files()
    if not named:
        return []
    where = Location(file=project.idf_path.name)
    if check_files is False:                 # told not to look: no stat of each named file
        return [finding(codes.SDRF_FILE_NOT_CHECKED,
                        f"{len(named):,} data files named in the SDRF were not looked for, as asked", where,
                        "Check again without '--files never' to have them looked for.")]
    local = saved_generation(project.folder) is not None or has_chosen_targets(project.folder)
    missing = [n for n in named if not is_file(project.folder / n[0])]
    if check_files is None and not local and len(missing) == len(named):
        return [finding(codes.SDRF_FILE_NOT_CHECKED,
                        f"{len(named):,} data files named in the SDRF were not looked for: none is in "
                        f"{project.folder}, which has never been saved as a DepositDesk project", where)]
    severity = Severity.ERROR if (local or check_files) else Severity.WARNING
    return [finding(codes.SDRF_FILE_MISSING, f"Data file '{value}' is not in {project.folder}",
                    Location(file=sdrf_name, row=r + 1, column=c + 1, column_name=heading),
                    severity=severity)
            for value, sdrf_name, r, c, heading in missing]
