"""SDRF-Proteomics (PRIDE): the sdrf-templates rules, as sdrf-pipelines applies them, offline.

The templates are data in `_sdrfp_data` (generated from the sdrf-templates YAML; a test keeps them
equal). A file is checked against ``ms-proteomics`` (with what it extends: ``sample-metadata`` and
``base``) plus every template its ``comment[sdrf template]`` cells name (``human v1.1.0``,
``NT=cell-lines;VV=v1.1.0``). Required columns of the default chain are declared as the target's
columns (so the app marks them; their value lists are checked here, without case, as sdrf-pipelines does); everything else is checked here: minimum column count, column
order, empty cells, trailing spaces, integer columns, value lists, patterns, numbers with units,
the spelling of ``not applicable`` / ``not available`` and where they are allowed, duplicate rows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace

from depositdesk.findings import Finding, Location, Severity, define, finding
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.rules._where import column as column_cells
from depositdesk.packaging.rules._where import column_counts, stripped
from depositdesk.packaging.rules.public import PUBLIC_TARGET_RULES
from depositdesk.packaging.targets._sdrfp_data import TEMPLATES
from depositdesk.packaging.targets.base import ColumnRequirement, Target, heading_key, register

PART = "targets/sdrf-proteomics"
DEFAULT_TEMPLATE = "ms-proteomics"
NOT_APPLICABLE, NOT_AVAILABLE = "not applicable", "not available"
E, W = Severity.ERROR, Severity.WARNING
LEVELS = {"error": E, "warning": W}
DEFAULT_LEVEL = {"values": W}
"""A validator without error_level: sdrf-pipelines 0.1.6 passes files whose 'values' differ (technology
type 'metabolomics profiling by mass spectrometry' in MSV000086206), so a value list warns by default."""

MIN_COLUMNS = define("SDRFP-MIN-COLUMNS", E, "The SDRF has fewer columns than its template requires",
                     "Add the template's required columns.", part=PART)
COLUMN_ORDER = define("SDRFP-COLUMN-ORDER", E, "A column is out of the order SDRF-Proteomics requires "
                      "(source name first; characteristics before assay name)",
                      "Move the column before 'assay name'.", part=PART)
EMPTY_CELL = define("SDRFP-EMPTY-CELL", E, "An SDRF-Proteomics cell is empty (no empty cells are allowed)",
                    "Fill it, with 'not available' or 'not applicable' where the column allows them.",
                    part=PART)
TRAILING_SPACE = define("SDRFP-TRAILING-SPACE", E, "A cell starts or ends with whitespace",
                        "Remove the spaces (the suggestion gives the value).", part=PART)
NOT_INTEGER = define("SDRFP-INTEGER", W, "A column of whole numbers holds something else",
                     "Write a whole number (1, 2, 3 ...).", part=PART)
PATTERN = define("SDRFP-PATTERN", E, "A value does not have the form its template column requires",
                 "Write it in the form the template shows (see the message).", part=PART)
VALUE = define("SDRFP-VALUE", E, "A value is not one of its template column's values",
               "Choose one of the listed values.", part=PART)
UNIT = define("SDRFP-UNIT", E, "A value is not a number with one of the allowed units",
              "Write a number, a space and a unit, e.g. '10 ppm' or '0.02 Da'.", part=PART)
NA_SPELLING = define("SDRFP-NA-SPELLING", W, "A missing value is not spelled 'not applicable' / 'not available'",
                     "Write exactly 'not applicable' or 'not available' (lower case).", part=PART)
NA_NOT_ALLOWED = define("SDRFP-NA-NOT-ALLOWED", E, "'not applicable' / 'not available' in a column that does not "
                        "allow it", "Give the real value.", part=PART)
DUPLICATE = define("SDRFP-DUPLICATE-ROW", E, "Two rows have the same source name and assay name (and label)",
                   "Each row is one sample in one run (and one label): correct the names.", part=PART)
REPEAT_CELLS = 20
NA_MISSPELT = re.compile(r"^(n/?a|not[\s_-]*applicable|not[\s_-]*available|null|nan)$", re.I)
NUMBER_UNIT = re.compile(r"^\s*-?\d+(\.\d+)?\s*(\S.*)$")
TEMPLATE_REF = re.compile(r"(?:NT=([\w-]+);VV=v[\d.]+|([\w-]+) v\d+\.\d+\.\d+)")


def template_chain(name: str) -> list[dict]:
    """The template and every template it extends, base first."""
    chain: list[dict] = []
    current: str | None = name
    while current and current in TEMPLATES and all(t["name"] != current for t in chain):
        chain.insert(0, TEMPLATES[current])
        current = TEMPLATES[current]["extends"]
    return chain


def template_columns(names: Iterable[str]) -> dict[str, dict]:
    """heading key -> column rule, over the chains of ``names`` (a later template's rule wins)."""
    out: dict[str, dict] = {}
    for name in names:
        for template in template_chain(name):
            for column in template["columns"]:
                out[heading_key(column["name"])] = column
    return out


def chosen_templates(sdrf: Sdrf) -> list[str]:
    """ms-proteomics plus the templates named in comment[sdrf template] cells."""
    names = [DEFAULT_TEMPLATE]
    for c, heading in enumerate(sdrf.header):
        if heading_key(heading) == heading_key("comment[sdrf template]"):
            for row in sdrf.rows:
                for match in TEMPLATE_REF.finditer(row[c]):
                    names.append(match.group(1) or match.group(2))
    return [n for n in dict.fromkeys(names) if n in TEMPLATES]


def _where(sdrf: Sdrf, r: int | None, c: int | None, heading: str | None = None) -> Location:
    name = sdrf.path.name if sdrf.path is not None else "SDRF"
    return Location(file=name, row=None if r is None else r + 1, column=None if c is None else c + 1,
                    column_name=heading if heading is not None else (sdrf.header[c] if c is not None else None))


# --- file-level ----------------------------------------------------------------------------------------
def structure_findings(sdrf: Sdrf, names: list[str]) -> list[Finding]:
    out: list[Finding] = []
    minimum = max((t["min_columns"] or 0 for n in names for t in template_chain(n)), default=0)
    if len(sdrf.header) < minimum:
        out.append(finding(MIN_COLUMNS, f"The SDRF has {len(sdrf.header)} columns; the template requires at "
                           f"least {minimum}", _where(sdrf, None, None, sdrf.header[0] if sdrf.header else "")))
    keys = [heading_key(h) for h in sdrf.header]
    if keys and keys[0] != heading_key("source name"):
        out.append(finding(COLUMN_ORDER, "The first column must be 'source name'", _where(sdrf, None, 0)))
    assay = keys.index(heading_key("assay name")) if heading_key("assay name") in keys else None
    if assay is not None:
        late = [c for c, h in enumerate(sdrf.header) if c > assay and sdrf.columns[c].kind == "characteristics"]
        for c in late:
            out.append(finding(COLUMN_ORDER, f"'{sdrf.header[c]}' comes after 'assay name'; all characteristics "
                               "columns must be before it", _where(sdrf, None, c)))
    for template_name in names:
        out.extend(_required_columns(sdrf, template_name, keys))
    return out


def _required_columns(sdrf: Sdrf, name: str, keys: list[str]) -> list[Finding]:
    if name == DEFAULT_TEMPLATE:
        return []      # declared as the target's columns: base.check_targets reports them
    return [finding(SDRF_PROTEOMICS.code("COLUMN-MISSING"), f"Template '{name}' requires the column "
                    f"'{col['name']}'", _where(sdrf, None, None, col["name"]))
            for col in template_columns([name]).values()
            if col["requirement"] == "required" and heading_key(col["name"]) not in keys]


def duplicate_findings(sdrf: Sdrf) -> list[Finding]:
    keys = [heading_key(h) for h in sdrf.header]
    wanted = [heading_key(h) for h in ("source name", "assay name", "comment[label]")]
    cols = [keys.index(k) for k in wanted if k in keys]
    if len(cols) < 2:
        return []
    seen: dict[tuple[str, ...], int] = {}
    out: list[Finding] = []
    for r, key in enumerate(zip(*(stripped(sdrf, c) for c in cols), strict=True)):
        if key in seen:
            out.append(finding(DUPLICATE, f"Row {r + 1} repeats row {seen[key] + 1} ({' / '.join(key)})",
                               _where(sdrf, r, cols[0])))
        else:
            seen[key] = r
    return out


# --- cells ---------------------------------------------------------------------------------------------
def cell_findings(sdrf: Sdrf, names: list[str]) -> list[Finding]:
    rules = template_columns(names)
    out: list[Finding] = []
    for c, heading in enumerate(sdrf.header):
        rule = rules.get(heading_key(heading))
        # judged once per distinct value of the column, then reported at each cell holding it
        counts = column_counts(sdrf, c)
        judged = {raw: found for raw in counts if (found := _cell(raw, rule))}
        if judged:
            out.extend(_report(sdrf, c, judged, counts))
    return out


def _report(sdrf: Sdrf, c: int, judged: dict[str, list[Finding]], counts: Mapping[str, int]) -> list[Finding]:
    """Each cell's findings at the cell; a value repeated in more than REPEAT_CELLS rows of a column
    (an empty column of 50,000 rows) is reported at its first cell, with the count of the others."""
    out: list[Finding] = []
    shown: Counter[str] = Counter()
    for r, raw in enumerate(column_cells(sdrf, c)):
        if raw not in judged or shown[raw] >= REPEAT_CELLS:
            continue
        shown[raw] += 1
        where = _where(sdrf, r, c)
        more = counts[raw] - REPEAT_CELLS
        if shown[raw] == REPEAT_CELLS and more > 0:
            out.extend(replace(f, location=where, message=f"{f.message} (and in {more:,} more rows of this "
                                                          "column)") for f in judged[raw])
        else:
            out.extend(replace(f, location=where) for f in judged[raw])
    return out


def _cell(raw: str, rule: dict | None) -> list[Finding]:
    where = Location()
    value = raw.strip()
    if not value:
        required = rule is not None and rule["requirement"] == "required"
        return [] if required else [finding(EMPTY_CELL, location=where)]   # required: VALUE-MISSING
    out: list[Finding] = []
    if raw != value:
        out.append(finding(TRAILING_SPACE, f"'{raw}' has spaces around it", where,
                           suggestion=f"Replace with '{value}'"))
    if value in (NOT_APPLICABLE, NOT_AVAILABLE):
        return out + _missing_allowed(value, rule, where)
    if NA_MISSPELT.match(value):
        fixed = NOT_AVAILABLE if "avail" in value.lower() or value.lower() in ("nan", "null") \
            else NOT_APPLICABLE
        return out + [finding(NA_SPELLING, f"'{value}' should be written '{fixed}'", where,
                              suggestion=f"Replace with '{fixed}'")]
    if rule is not None:
        out.extend(_rule_findings(value, rule, where))
    return out


def _missing_allowed(value: str, rule: dict | None, where: Location) -> list[Finding]:
    if rule is None:
        return []
    allowed = rule["not_applicable"] if value == NOT_APPLICABLE else rule["not_available"]
    if allowed:
        return []
    return [finding(NA_NOT_ALLOWED, f"'{value}' is not allowed in '{rule['name']}'", where)]


def _rule_findings(value: str, rule: dict, where: Location) -> list[Finding]:
    out: list[Finding] = []
    if rule["integer"] and not value.isdigit():
        out.append(finding(NOT_INTEGER, f"'{value}' in '{rule['name']}' is not a whole number", where))
    for kind, arg, level in rule["checks"]:
        severity = LEVELS.get(level or "", DEFAULT_LEVEL.get(kind, E))
        if kind == "pattern" and not re.search(arg, value):
            out.append(finding(PATTERN, f"'{value}' does not match {arg} ('{rule['name']}')", where,
                               severity=severity))
        elif kind == "semver" and not re.match(rf"^{re.escape(arg)}\d+\.\d+\.\d+(-[\w.]+)?$", value):
            out.append(finding(PATTERN, f"'{value}' is not a version like '{arg}1.1.0' ('{rule['name']}')",
                               where, severity=severity, suggestion=_semver_fix(value, arg)))
        elif kind == "values" and value not in arg:
            out.append(_value_finding(value, arg, where, severity))
        elif kind == "units":
            out.extend(_unit(value, arg, rule["name"], where, severity))
    return out


def _value_finding(value: str, values: tuple[str, ...], where: Location, severity: Severity) -> Finding:
    same = {v.lower(): v for v in values}.get(value.lower())
    if same is not None:   # sdrf-pipelines compares without case; the templates write one spelling
        return finding(VALUE, f"'{value}' is written '{same}' by the template", where, severity=W,
                       suggestion=f"Replace with '{same}'")
    return finding(VALUE, f"'{value}' is not one of: {', '.join(values)}", where, severity=severity)


def _semver_fix(value: str, prefix: str) -> str | None:
    return f"Replace with '{prefix}{value}'" if re.match(r"^\d+\.\d+\.\d+$", value) else None


def _unit(value: str, units: tuple[str, ...], name: str, where: Location, severity: Severity) -> list[Finding]:
    for part in value.split(";"):
        match = NUMBER_UNIT.match(part)
        if not match or match.group(2).strip() not in units:
            return [finding(UNIT, f"'{value}' in '{name}' is not a number with a unit of {', '.join(units)}",
                            where, severity=severity)]
    return []


def findings(project: Project) -> list[Finding]:
    """Every sdrf-templates rule beyond the declared required columns, for each SDRF of the project."""
    out: list[Finding] = []
    for sdrf in project.sdrfs:
        names = chosen_templates(sdrf)
        out += structure_findings(sdrf, names) + duplicate_findings(sdrf) + cell_findings(sdrf, names)
    return out


def _declared_columns() -> tuple[ColumnRequirement, ...]:
    out = []
    for col in template_columns([DEFAULT_TEMPLATE]).values():
        if col["requirement"] != "required":
            continue
        out.append(ColumnRequirement(col["name"], f"{col['name']} (required)"))
    return tuple(out)


SDRF_PROTEOMICS = register(Target(
    name="sdrf-proteomics",
    title="SDRF-Proteomics (PRIDE)",
    source=f"sdrf-templates {DEFAULT_TEMPLATE} {TEMPLATES[DEFAULT_TEMPLATE]['version']} (sdrf-pipelines 0.1.6)",
    columns=_declared_columns(),
    rules=(findings, *PUBLIC_TARGET_RULES),
))
