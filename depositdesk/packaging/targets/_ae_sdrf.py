"""ArrayExpress rules on the SDRF: nodes, Technology Type, protocols used, files, factors, replicates."""

from __future__ import annotations

import re
from collections import Counter
from operator import itemgetter

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab.project import is_uri
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.packaging.rules._where import column_counts, shared, stripped
from depositdesk.packaging.targets._ae_data import LIBRARY_COMMENTS
from depositdesk.packaging.targets._ae_idf import ISO_DATE, RULE_BY_CODE, Context

FILE_NAME = re.compile(r"^[A-Za-z0-9_.]+$")
# what each "must be included" rule wants among the protocols named in the SDRF
PROTOCOLS_USED = (("AE-AN03", "sequencing"), ("AE-AN04", "hybridization"), ("AE-EX03", "extraction"),
                  ("AE-EX04", "library"), ("AE-LE05", "labeling"), ("AE-SR08", "collection"))


def _name(sdrf: Sdrf) -> str:
    return sdrf.path.name if sdrf.path is not None else "SDRF"


def _cell(sdrf: Sdrf, r: int, c: int) -> Location:
    return Location(file=_name(sdrf), row=r + 1, column=c + 1, column_name=sdrf.header[c])


def _column(sdrf: Sdrf, heading: str) -> Location:
    return Location(file=_name(sdrf), column_name=heading)


def _empty_cells(sdrf: Sdrf, cols: list[int], code: str) -> list[Finding]:
    return [finding(code, f"{RULE_BY_CODE[code].title} (row {r + 1})", _cell(sdrf, r, c))
            for c in cols if "" in _distinct(sdrf, c) for r, v in enumerate(stripped(sdrf, c)) if not v]


def _distinct(sdrf: Sdrf, c: int) -> set[str]:
    """Column c's distinct values, stripped."""
    return shared(("ae-distinct", id(sdrf), c), lambda: {v.strip() for v in column_counts(sdrf, c)})


def node_findings(sdrf: Sdrf, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    sources = sdrf.find_columns("node", "Source Name")
    if not sources:
        out.append(finding("AE-SR01", location=_column(sdrf, "Source Name")))
    out.extend(_empty_cells(sdrf, sources, "AE-SR01"))
    out.extend(_empty_cells(sdrf, sdrf.find_columns("node", "Sample Name"), "AE-SM01"))
    out.extend(_empty_cells(sdrf, sdrf.find_columns("node", "Extract Name"), "AE-EX01"))
    labeled = sdrf.find_columns("node", "Labeled Extract Name")
    out.extend(_empty_cells(sdrf, labeled, "AE-LE02"))
    if labeled and ctx.kind == "hts":
        out.append(finding("AE-LE01", location=_column(sdrf, sdrf.header[labeled[0]])))
    if labeled and not sdrf.find_columns("label"):
        out.append(finding("AE-LE04", location=_column(sdrf, "Label")))
    assays = sdrf.find_columns("node", "Assay Name") + sdrf.find_columns("node", "Hybridization Name")
    if not assays:
        out.append(finding("AE-AN01", location=_column(sdrf, "Assay Name")))
    out.extend(_empty_cells(sdrf, assays, "AE-AN01"))
    if ctx.kind == "hts" and not sdrf.find_columns("node", "Scan Name"):
        out.append(finding("AE-SC02", location=_column(sdrf, "Scan Name")))
    arrays = sdrf.find_columns("array_design")
    if arrays and ctx.kind == "hts":
        out.append(finding("AE-AD04", location=_column(sdrf, sdrf.header[arrays[0]])))
    return out


def technology_findings(sdrf: Sdrf, ctx: Context) -> list[Finding]:
    cols = sdrf.find_columns("technology_type")
    if not cols:
        return [finding("AE-AN02", location=_column(sdrf, "Technology Type"))]
    out = _empty_cells(sdrf, cols, "AE-AN02")
    if ctx.kind == "array":
        out += [finding("AE-AN05", f"Technology Type is '{v}'", _cell(sdrf, r, c),
                        suggestion="Replace with 'array assay'")
                for c in cols for r, v in enumerate(stripped(sdrf, c)) if v and v.lower() != "array assay"]
    return out


def source_findings(sdrf: Sdrf) -> list[Finding]:
    out: list[Finding] = []
    characteristics = sdrf.find_columns("characteristics")
    first_node_after = next((c for c, col in enumerate(sdrf.columns) if col.kind == "node" and c > 0),
                            len(sdrf.header))
    source_chars = [c for c in characteristics if c < first_node_after] or characteristics
    names = Counter(sdrf.columns[c].name.strip().lower() for c in source_chars)
    if "organism" not in names:
        out.append(finding("AE-SR04", location=_column(sdrf, "Characteristics[organism]")))
    else:
        organism = [c for c in source_chars if sdrf.columns[c].name.strip().lower() == "organism"]
        out.extend(_empty_cells(sdrf, organism[:1], "AE-SR04"))
    for name, n in names.items():
        if n > 1:
            c = next(c for c in source_chars if sdrf.columns[c].name.strip().lower() == name)
            out.append(finding("AE-SR06", f"Characteristics[{name}] appears {n} times",
                               _column(sdrf, sdrf.header[c])))
    if not [c for c in sdrf.find_columns("material_type") if c < first_node_after]:
        out.append(finding("AE-SR02", location=_column(sdrf, "Material Type")))
    if len(names) <= 2:
        out.append(finding("AE-SR05", f"The sources have {len(names)} characteristic(s)",
                           _column(sdrf, "Characteristics[...]")))
    return out


def protocol_date_findings(sdrf: Sdrf) -> list[Finding]:
    """PN03. (A Protocol REF naming no IDF protocol is the grammar's SDRF-PROTOCOL-UNKNOWN.)"""
    out: list[Finding] = []
    if not sdrf.find_columns("date"):
        return out
    for c in sdrf.find_columns("protocol_ref"):
        for r, v in enumerate(stripped(sdrf, c)):
            if v:
                out.extend(_protocol_date(sdrf, r, c))
    return out


def _protocol_date(sdrf: Sdrf, r: int, c: int) -> list[Finding]:
    for i in range(c + 1, len(sdrf.header)):
        col = sdrf.columns[i]
        if col.kind in ("protocol_ref", "node", "file"):
            break
        value = sdrf.rows[r][i].strip()
        if col.kind == "date" and value and not ISO_DATE.match(value):
            return [finding("AE-PN03", f"Date '{value}' is not YYYY-MM-DD", _cell(sdrf, r, i))]
    return []


def used_protocol_findings(ctx: Context) -> list[Finding]:
    if not any(s.find_columns("protocol_ref") for s in ctx.project.sdrfs):
        return [finding("AE-PR01", location=Location(file=_name(ctx.project.sdrfs[0]), column_name="Protocol REF"))]
    used = ctx.used_kinds()
    where = Location(file=_name(ctx.project.sdrfs[0]), column_name="Protocol REF")
    return [finding(code, location=where) for code, kind in PROTOCOLS_USED if kind not in used]


def performer_findings(sdrf: Sdrf, ctx: Context) -> list[Finding]:
    types = ctx.protocol_types()
    out: list[Finding] = []
    for c in sdrf.find_columns("protocol_ref"):
        names = _distinct(sdrf, c)
        if not any("sequencing" in types.get(n, "") for n in names):
            continue
        performer = next((i for i in range(c + 1, len(sdrf.header)) if sdrf.columns[i].kind == "performer"
                          and all(sdrf.columns[j].kind not in ("protocol_ref", "node")
                                  for j in range(c + 1, i))), None)
        if performer is None:
            out.append(finding("AE-PN06", location=_column(sdrf, sdrf.header[c])))
        else:
            out.extend(_empty_cells(sdrf, [performer], "AE-PN06"))
    return out


def file_findings(sdrf: Sdrf, ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for c in sdrf.find_columns("file"):
        bad = {v for v in _distinct(sdrf, c) if v and not is_uri(v) and not FILE_NAME.match(v.rsplit("/", 1)[-1])}
        if not bad:
            continue
        for r, value in enumerate(stripped(sdrf, c)):
            if value in bad:
                name = value.rsplit("/", 1)[-1]
                fixed = re.sub(r"[^A-Za-z0-9_.]", "_", name)
                out.append(finding("AE-FILE-NAME", f"'{name}' holds characters other than letters, digits, "
                                   "'_' and '.'", _cell(sdrf, r, c), suggestion=f"Replace with '{fixed}'"))
    derived = [c for c, h in enumerate(sdrf.header) if h.strip().lower().startswith("derived array data")]
    if any(_distinct(sdrf, c) - {""} for c in derived) and "normalization" not in ctx.used_kinds():
        out.append(finding("AE-DADN04", location=_column(sdrf, sdrf.header[derived[0]])))
    return out


def library_findings(sdrf: Sdrf) -> list[Finding]:
    out: list[Finding] = []
    comments = {sdrf.columns[c].name.strip().upper().replace(" ", "_"): c for c in sdrf.find_columns("comment")}
    for name in LIBRARY_COMMENTS:
        if name not in comments:
            out.append(finding("AE-LC01", f"Comment[{name}] is missing", _column(sdrf, f"Comment[{name}]")))
        else:
            out.extend(_empty_cells(sdrf, [comments[name]], "AE-LC01"))
    layout = comments.get("LIBRARY_LAYOUT")
    if layout is None:
        return out
    layouts = stripped(sdrf, layout)
    paired_values = {v for v in _distinct(sdrf, layout) if v.upper() == "PAIRED"}
    paired = [r for r, v in enumerate(layouts) if v in paired_values] if paired_values else []
    absent = [n for n in ("NOMINAL_LENGTH", "NOMINAL_SDEV") if n not in comments]
    if paired and absent:   # one finding per missing column, not one per row
        return out + [finding("AE-LC02", f"Comment[{n}] is missing; {len(paired):,} rows are paired-end",
                              _column(sdrf, f"Comment[{n}]")) for n in absent]
    cols = [comments.get("NOMINAL_LENGTH"), comments.get("NOMINAL_SDEV")]
    good: set[tuple[str, ...]] = set()
    for r in paired:
        row = sdrf.rows[r]
        key = tuple(row[c] if c is not None else "" for c in cols)
        if key in good:
            continue
        found = _nominal(sdrf, comments, r)
        if not found:
            good.add(key)
        out.extend(found)
    return out


def _nominal(sdrf: Sdrf, comments: dict[str, int], r: int) -> list[Finding]:
    out: list[Finding] = []
    for name, integer in (("NOMINAL_LENGTH", True), ("NOMINAL_SDEV", False)):
        c = comments.get(name)
        value = sdrf.rows[r][c].strip() if c is not None else ""
        ok = bool(re.match(r"^\d+$" if integer else r"^\d+(\.\d+)?$", value)) and float(value or 0) > 0
        if not ok:
            where = _cell(sdrf, r, c) if c is not None else Location(file=_name(sdrf), row=r + 1,
                                                                     column_name=f"Comment[{name}]")
            out.append(finding("AE-LC02", f"Paired-end row {r + 1}: Comment[{name}] is '{value}'", where))
    return out


def factor_findings(sdrf: Sdrf) -> list[Finding]:
    out: list[Finding] = []
    factors = sdrf.find_columns("factor_value")
    for c in factors:
        values = _distinct(sdrf, c) - {""}
        if len(sdrf.rows) > 1 and len(values) < 2:
            only = next(iter(values), "")
            out.append(finding("AE-FV04", f"{sdrf.header[c]} has one value ('{only}') in every row",
                               _column(sdrf, sdrf.header[c])))
    out.extend(replicate_findings(sdrf, factors))
    return out


def replicate_findings(sdrf: Sdrf, factors: list[int]) -> list[Finding]:
    """Distinct Source Names per condition (combination of factor values): at least 2."""
    sources = sdrf.find_columns("node", "Source Name")
    if not factors or not sources:
        return []
    by_condition: dict[tuple[str, ...], tuple[set[str], int]] = {}
    pairs = list(zip(stripped(sdrf, sources[0]), *(stripped(sdrf, c) for c in factors), strict=True))
    first_row = dict(zip(reversed(pairs), range(len(pairs) - 1, -1, -1), strict=True))  # distinct, first row
    for (source, *key), r in sorted(first_row.items(), key=itemgetter(1)):
        names, first = by_condition.setdefault(tuple(key), (set(), r))
        names.add(source)
    return [finding("AE-REPLICATES", f"Condition {' / '.join(k) or '(empty)'} has {len(names)} biological "
                    f"replicate (source)", _cell(sdrf, first, factors[0]))
            for k, (names, first) in by_condition.items() if len(names) < 2]


def sdrf_findings(sdrf: Sdrf, ctx: Context) -> list[Finding]:
    return (node_findings(sdrf, ctx) + technology_findings(sdrf, ctx) + source_findings(sdrf)
            + protocol_date_findings(sdrf) + performer_findings(sdrf, ctx) + file_findings(sdrf, ctx)
            + library_findings(sdrf) + factor_findings(sdrf))
