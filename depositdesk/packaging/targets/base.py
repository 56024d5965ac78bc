"""Target repositories as data: what each one requires of an IDF and SDRF, and the generic check.

A target module (``geo.py``, ``sra.py`` ...) declares a `Target` and calls `register` at import.
The declaration is plain data: IDF fields (`FieldRequirement`), SDRF columns (`ColumnRequirement`,
with GEO's '**' at-least-one-of groups), vocabularies, length limits, uniqueness, plain ASCII,
the validator severities that change for the target (``file_rules``), upload limits, and extra
``rules`` (functions of the project) for what data cannot say. `check_targets` applies the data
generically, then each target's rules.

Generic codes are made per target from its code prefix (``GEO-FIELD-MISSING``,
``SRA-VOCABULARY`` ...) and declared when the target is registered, so the catalogue lists them
under ``targets/<name>``. Locations: an IDF field by its name (and line when present), an SDRF
cell by 1-based row and column, a missing column by its heading.

The chosen targets of a project live in ``.depositdesk/targets.json`` (``{"targets": ["geo"]}``).
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from depositdesk.findings import Finding, FindingCollector, Location, Severity, define, finding
from depositdesk.magetab.columns import parse_heading
from depositdesk.magetab.idf import canonical_field, field_key
from depositdesk.magetab.project import STATE_FOLDER, Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.magetab.textio import atomic_write
from depositdesk.packaging.rules._where import column, column_counts, shared_work, stripped
from depositdesk.packaging.targets.limits import UploadLimits

TARGETS_FILE = "targets.json"
CASE_VARIANT = "XL-CASE-VARIANT"  # depositdesk.packaging.rules.codes.XL_CASE_VARIANT (that part imports this one)
Rule = Callable[[Project], Iterable[Finding]]


class TargetError(Exception):
    """An unknown target name, or an unreadable targets.json (one line, for the user)."""


@dataclass(frozen=True)
class FieldRequirement:
    """An IDF field (or a target-only field such as GEO's "summary", taken from an IDF field)."""

    name: str
    label: str
    required: bool = True
    max_length: int | None = None
    vocabulary: tuple[str, ...] = ()
    ascii_only: bool = False


@dataclass(frozen=True)
class ColumnRequirement:
    """An SDRF column. ``one_of_group``: at least one column of the group filled in each row."""

    heading: str
    label: str
    required: bool = True
    one_of_group: str | None = None
    vocabulary: tuple[str, ...] = ()
    max_length: int | None = None
    unique: bool = False
    ascii_only: bool = False


@dataclass(frozen=True)
class Target:
    name: str
    title: str
    source: str
    public: bool = True
    fields: tuple[FieldRequirement, ...] = ()
    columns: tuple[ColumnRequirement, ...] = ()
    file_rules: Mapping[str, Severity] = field(default_factory=dict, hash=False, compare=False)
    limits: UploadLimits = UploadLimits()
    rules: tuple[Rule, ...] = ()
    transport: str = ""
    code_prefix: str = ""
    """Prefix of the target's codes; empty = from the name (geo -> GEO, arrayexpress -> AE)."""
    accepted_missing: tuple[str, ...] = ()
    """Values that fill a required cell and pass its vocabulary (SRA: 'not collected', ...)."""

    @property
    def prefix(self) -> str:
        return self.code_prefix or PREFIXES.get(self.name, self.name.upper().replace("-", ""))

    def code(self, kind: str) -> str:
        """The code of a generic check for this target, e.g. ``code("VOCABULARY")`` -> GEO-VOCABULARY."""
        return f"{self.prefix}-{kind}"


PREFIXES = {"arrayexpress": "AE", "sdrf-proteomics": "SDRFP"}

# kind -> (severity, title, suggestion); declared per target by `register`.
GENERIC = {
    "FIELD-MISSING": (Severity.ERROR, "A field the repository requires is empty or absent",
                      "Fill the field in the Investigation (IDF) view."),
    "COLUMN-MISSING": (Severity.ERROR, "A column the repository requires is not in the SDRF",
                       "Add the column (in the app: Project > Add required columns) and fill it for every row."),
    "VALUE-MISSING": (Severity.ERROR, "A required cell is empty",
                      "Fill the cell; if the value does not exist, write what the repository accepts "
                      "for a missing value."),
    "ONE-OF": (Severity.ERROR, "None of a group of columns, of which the repository requires one, is filled",
               "Fill at least one column of the group for the row."),
    "VOCABULARY": (Severity.ERROR, "A value is not in the repository's list of allowed values",
                   "Choose a value of the list, spelled exactly as the repository writes it."),
    "TOO-LONG": (Severity.ERROR, "A value is longer than the repository allows", "Shorten it."),
    "NOT-UNIQUE": (Severity.ERROR, "A value the repository requires to be unique is repeated",
                   "Give each row its own value."),
    "NOT-ASCII": (Severity.ERROR, "A value holds characters outside plain ASCII, which the repository refuses",
                  "Replace accented letters, smart quotes and symbols by plain ASCII (e.g. 'u' for 'µ')."),
}

_TARGETS: dict[str, Target] = {}


def register(target: Target) -> Target:
    """Add a target to the registry and declare its generic codes (part ``targets/<name>``)."""
    for kind, (severity, title, suggestion) in GENERIC.items():
        define(target.code(kind), severity, title, suggestion, part=f"targets/{target.name}")
    _TARGETS[target.name] = target
    return target


def _load_all() -> None:
    import depositdesk.packaging.targets  # noqa: F401  (imports every target module)


def get_target(name: str) -> Target:
    _load_all()
    try:
        return _TARGETS[name.strip().lower()]
    except KeyError:
        known = ", ".join(sorted(_TARGETS))
        raise TargetError(f"unknown target '{name}' (known: {known})") from None


def all_targets() -> list[Target]:
    _load_all()
    return sorted(_TARGETS.values(), key=lambda t: t.name)


# --- the project's chosen targets -----------------------------------------------------------------
def project_targets(project: Project) -> list[str]:
    """The targets chosen for a project ([] when none chosen yet). Raises TargetError if unreadable."""
    path = project.folder / STATE_FOLDER / TARGETS_FILE
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise TargetError(f"{path} is not readable JSON: {exc}") from exc
    names = data.get("targets") if isinstance(data, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise TargetError(f"{path} should hold {{\"targets\": [names]}}")
    return list(dict.fromkeys(n.strip().lower() for n in names if n.strip()))


def folder_targets(folder: Path) -> list[str]:
    """The known targets recorded in a project folder's targets.json; [] when none or unreadable.

    For display (the grid marks required columns): never raises.
    """
    try:
        data = json.loads((Path(folder) / STATE_FOLDER / TARGETS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    names = data.get("targets") if isinstance(data, dict) else None
    _load_all()
    return [n for n in names if isinstance(n, str) and n in _TARGETS] if isinstance(names, list) else []


def set_project_targets(project: Project, names: Sequence[str]) -> None:
    """Record the project's targets (each must be known), atomically."""
    clean = list(dict.fromkeys(get_target(n).name for n in names))
    path = project.folder / STATE_FOLDER / TARGETS_FILE
    atomic_write(path, json.dumps({"targets": clean}, indent=1) + "\n")


# --- the generic check ----------------------------------------------------------------------------
class _Capped(FindingCollector):
    """A collector that makes a finding only when it will be listed (the rest are only counted).

    Same result as adding every finding to a `FindingCollector`; 50,000 repeats cost a count each.
    """

    def room(self, code: str) -> bool:
        if self.count(code) < self.cap:
            return True
        self._counts[code] += 1
        return False


def check_targets(project: Project, names: Sequence[str], cap: int = 20) -> list[Finding]:
    """Findings of the chosen targets: their declared fields and columns, then their rules.

    At most ``cap`` findings per code are listed one by one (the rest counted), as elsewhere.
    Column values are computed once for all targets and rules (`shared_work`).
    """
    targets = [get_target(n) for n in names]
    out = _Capped(cap=cap)
    ran: set[Rule] = set()
    spellings = required_spellings(targets)
    with shared_work():
        for target in targets:
            out.extend(field_findings(target, project))
            for sdrf in project.sdrfs:
                _column_findings(target, sdrf, out, spellings)
            for rule in target.rules:
                if rule not in ran:   # a cross-target rule (privacy, excel damage) runs once
                    ran.add(rule)
                    out.extend(_without_required_spellings(rule(project), project, spellings))
    return _one_per_cell(list(dict.fromkeys(out.finish())))


def required_spellings(targets: Iterable[Target]) -> dict[str, frozenset[str]]:
    """heading key -> the vocabulary values the chosen targets declare for that column.

    Where two chosen targets spell one term in different letter case (SRA's library layout
    'paired', ENA's 'PAIRED'), either spelling passes both: each package is written in its
    repository's own spelling (the SRA_data sheet lowercases the layout; ENA's Webin-CLI manifest
    has no layout line, ENA reads it from the FASTQ count). A case variant no chosen target writes
    ('Paired') is still a finding of each.
    """
    out: dict[str, set[str]] = {}
    for target in targets:
        for req in target.columns:
            if req.vocabulary:
                out.setdefault(heading_key(req.heading), set()).update(req.vocabulary)
    return {k: frozenset(v) for k, v in out.items()}


def _without_required_spellings(items: Iterable[Finding], project: Project,
                                spellings: Mapping[str, frozenset[str]]) -> Iterable[Finding]:
    """Case-variant findings dropped where the cell holds a spelling a chosen target requires."""
    sdrfs = {_sdrf_name(s): s for s in project.sdrfs}
    for f in items:
        if f.code == CASE_VARIANT and f.location.row is not None and f.location.column is not None:
            sdrf = sdrfs.get(f.location.file or "")
            r, c = f.location.row - 1, f.location.column - 1
            if (sdrf is not None and 0 <= r < len(sdrf.rows) and 0 <= c < len(sdrf.header)
                    and sdrf.rows[r][c].strip() in spellings.get(heading_key(sdrf.header[c]), ())):
                continue
        yield f


def _one_per_cell(items: list[Finding]) -> list[Finding]:
    """A spelling a target's vocabulary already corrects is not reported again as a case variant."""
    vocabulary_cells = {(f.location.file, f.location.row, f.location.column) for f in items
                        if f.code.endswith("-VOCABULARY")}
    if not vocabulary_cells:
        return items
    return [f for f in items if not (f.code == CASE_VARIANT and
                                     (f.location.file, f.location.row, f.location.column) in vocabulary_cells)]


def field_findings(target: Target, project: Project) -> list[Finding]:
    idf = project.idf
    name = project.idf_path.name
    lines = {field_key(line.name): n for n, line in enumerate(idf.lines, start=1)}
    out: list[Finding] = []
    for req in target.fields:
        key = field_key(canonical_field(req.name)[0])
        where = Location(file=name, line=lines.get(key), column_name=req.name)
        values = [v.strip() for v in idf.get(req.name)]
        if not any(values):
            if req.required:
                out.append(finding(target.code("FIELD-MISSING"),
                                   f"{target.title} requires '{req.label}' (IDF field '{req.name}')", where))
            continue
        for value in values:
            out.extend(_value_findings(target, req, value, where, f"'{req.name}'"))
    return out


def column_findings(target: Target, sdrf: Sdrf) -> list[Finding]:
    """The target's declared column findings of one SDRF (every one listed)."""
    out = _Capped(cap=sys.maxsize)
    with shared_work():
        _column_findings(target, sdrf, out, {})
    return out.finish()


def _column_findings(target: Target, sdrf: Sdrf, out: _Capped, spellings: Mapping[str, frozenset[str]]) -> None:
    name = sdrf.path.name if sdrf.path is not None else "SDRF"
    index = column_index(sdrf)
    groups: dict[str, list[tuple[ColumnRequirement, list[int]]]] = {}
    for req in target.columns:
        cols = index.get(heading_key(req.heading), [])
        if req.one_of_group:
            groups.setdefault(req.one_of_group, []).append((req, cols))
        elif req.required and not cols:
            out.add(finding(target.code("COLUMN-MISSING"),
                            f"{target.title} requires '{req.label}': add the column '{req.heading}'",
                            Location(file=name, column_name=req.heading)))
        for c in cols:
            _cell_findings(target, req, sdrf, c, name, out, spellings.get(heading_key(req.heading), frozenset()))
            if req.unique:
                _unique_findings(target, req, sdrf, c, _entity_columns(target, index), name, out)
    for group, members in groups.items():
        _group_findings(target, group, members, sdrf, name, out)


def _cell_findings(target: Target, req: ColumnRequirement, sdrf: Sdrf, c: int, name: str,
                   out: _Capped, spellings: frozenset[str] = frozenset()) -> None:
    """Per cell: empty where required, and the value checks (made once per distinct value)."""
    heading = sdrf.header[c]
    check_empty = req.required and not req.one_of_group
    check_value = bool(req.vocabulary or req.max_length is not None or req.ascii_only)
    if not (check_empty or check_value):
        return
    passes = _passes(target, req, spellings)
    found: dict[str, list[Finding] | None] = {}   # None: an empty cell
    for value in column_counts(sdrf, c):
        text = value.strip()
        if not text:
            found[value] = None
        elif check_value and not passes(text):
            found[value] = _value_findings(target, req, text, Location(), f"'{heading}'")
    if not any(found[v] for v in found) and not (check_empty and found):
        return      # the common case: every value passes and no cell is empty
    missing = target.code("VALUE-MISSING")
    for r, value in enumerate(column(sdrf, c), start=1):
        if value not in found:
            continue
        items = found[value]
        if items is None:
            if check_empty and out.room(missing):
                out.add(finding(missing, f"{target.title} requires '{req.label}' in every row",
                                Location(file=name, row=r, column=c + 1, column_name=heading)))
            continue
        for f in items:
            if out.room(f.code):
                out.add(Finding(f.code, f.severity, f.message,
                                Location(file=name, row=r, column=c + 1, column_name=heading), f.suggestion))


def _passes(target: Target, req: ColumnRequirement, spellings: frozenset[str] = frozenset()
            ) -> Callable[[str], bool]:
    """A quick test that a (stripped, non-empty) value has no finding of `_value_findings`.

    ``spellings``: the column's values of every chosen target (`required_spellings`); one of them
    differing from a term of ``req`` only in letter case passes.
    """
    vocabulary = None
    if req.vocabulary:
        own = {v.casefold() for v in req.vocabulary}
        vocabulary = (frozenset(req.vocabulary) | frozenset(target.accepted_missing)
                      | {v for v in spellings if v.casefold() in own})
    longest, ascii_only = req.max_length, req.ascii_only

    def passes(value: str) -> bool:
        return ((vocabulary is None or value in vocabulary) and (longest is None or len(value) <= longest)
                and (not ascii_only or value.isascii()))
    return passes


def check_cell(names: Sequence[str], sdrf: Sdrf, r: int, c: int) -> list[Finding]:
    """The targets' declared findings of one cell (0-based ``r``, ``c``), for checking as one types.

    Emptiness and the value checks only; uniqueness and groups need the whole table (`check_targets`).
    """
    key = heading_key(sdrf.header[c])
    name = sdrf.path.name if sdrf.path is not None else "SDRF"
    where = Location(file=name, row=r + 1, column=c + 1, column_name=sdrf.header[c])
    value = sdrf.rows[r][c].strip()
    out: list[Finding] = []
    targets = [get_target(n) for n in names]
    spellings = required_spellings(targets).get(key, frozenset())
    for target in targets:
        for req in target.columns:
            if heading_key(req.heading) != key:
                continue
            if value:
                if not _passes(target, req, spellings)(value):
                    out.extend(_value_findings(target, req, value, where, f"'{sdrf.header[c]}'"))
            elif req.required and not req.one_of_group:
                out.append(finding(target.code("VALUE-MISSING"),
                                   f"{target.title} requires '{req.label}' in every row", where))
    return out


CELL_KINDS = ("VALUE-MISSING", "VOCABULARY", "TOO-LONG", "NOT-ASCII", "NOT-UNIQUE")
"""The generic kinds a single cell's edit can make or clear (see `check_cells`)."""


def check_cells(sdrf: Sdrf, names: Sequence[str], cells: Iterable[tuple[int, int]]) -> list[Finding]:
    """The chosen targets' findings of the edited cells (0-based row, column), as the app checks an edit.

    For each cell: `check_cell` (empty, vocabulary, length, ASCII), its uniqueness against the rest
    of its column, and the spreadsheet damage of its value (`excel_damage.value_findings`). A few
    milliseconds per cell at 50,000 rows; the whole-project check (groups, rules) follows later.
    """
    from depositdesk.packaging.rules import excel_damage

    targets = [get_target(n) for n in names]
    index = column_index(sdrf)
    firsts: dict[int, dict[str, int]] = {}   # column -> value -> its first row (once per column)
    out: list[Finding] = []
    for r, c in dict.fromkeys(cells):
        if not (0 <= r < len(sdrf.rows) and 0 <= c < len(sdrf.header)):
            continue
        out.extend(check_cell(names, sdrf, r, c))
        for target in targets:
            out.extend(_cell_unique(target, sdrf, r, c, index, firsts))
        if any(t.rules for t in targets):
            column_kind = sdrf.column(c).kind
            gene_dates = not excel_damage.is_date_column(sdrf.header[c], column_kind)
            where = Location(file=_sdrf_name(sdrf), row=r + 1, column=c + 1, column_name=sdrf.header[c])
            out.extend(excel_damage.value_findings(sdrf.rows[r][c], where, gene_dates))
    return list(dict.fromkeys(out))


def refresh_cells(findings: Sequence[Finding], sdrf: Sdrf, names: Sequence[str],
                  cells: Iterable[tuple[int, int]]) -> list[Finding]:
    """``findings`` (a whole check's) with the edited cells' target findings replaced by fresh ones.

    What an edit changes shows at once; the next whole check replaces the list anyway.
    """
    from depositdesk.packaging.rules import codes as rule_codes

    cells = list(dict.fromkeys(cells))
    name = _sdrf_name(sdrf)
    at = {(r + 1, c + 1) for r, c in cells}
    mine = {get_target(n).code(kind) for n in names for kind in CELL_KINDS} | set(rule_codes.CELL_VALUE_CODES)
    kept = [f for f in findings if not (f.code in mine and f.location.file == name
                                        and (f.location.row, f.location.column) in at)]
    return kept + check_cells(sdrf, names, cells)


def _sdrf_name(sdrf: Sdrf) -> str:
    return sdrf.path.name if sdrf.path is not None else "SDRF"


def _cell_unique(target: Target, sdrf: Sdrf, r: int, c: int, index: dict[str, list[int]],
                 firsts: dict[int, dict[str, int]]) -> list[Finding]:
    """NOT-UNIQUE of one cell: its value on an earlier row of another entity (as `check_targets` says)."""
    key = heading_key(sdrf.header[c])
    req = next((q for q in target.columns if q.unique and heading_key(q.heading) == key), None)
    value = sdrf.rows[r][c].strip()
    if req is None or not value:
        return []
    if c not in firsts:
        first: dict[str, int] = {}
        for other, row in enumerate(sdrf.rows):
            first.setdefault(row[c].strip(), other)
        firsts[c] = first
    other = firsts[c][value]
    entity = _entity_columns(target, index)
    if other == r or tuple(sdrf.rows[other][e] for e in entity) == tuple(sdrf.rows[r][e] for e in entity):
        return []      # the first row with this value is this one, or of the same entry
    return [finding(target.code("NOT-UNIQUE"),
                    f"'{value}' in '{sdrf.header[c]}' is also used in row {other + 1} for another "
                    f"entry; {target.title} requires '{req.label}' to be unique",
                    Location(file=_sdrf_name(sdrf), row=r + 1, column=c + 1, column_name=sdrf.header[c]))]


def _entity_columns(target: Target, index: dict[str, list[int]]) -> list[int]:
    """Columns that together say which entity (library) a row is: Assay Name + the unique columns."""
    keys = [heading_key("Assay Name")] + [heading_key(r.heading) for r in target.columns if r.unique]
    return sorted({c for k in keys for c in index.get(k, [])})


def _unique_findings(target: Target, req: ColumnRequirement, sdrf: Sdrf, c: int, entity: list[int],
                     name: str, out: _Capped) -> None:
    """A unique value may repeat only on rows of one entity (an SDRF repeats a library per derived file)."""
    heading = sdrf.header[c]
    code = target.code("NOT-UNIQUE")
    counts = column_counts(sdrf, c)
    if len(counts) == len(sdrf.rows) and all(v.strip() for v in counts) and len(
            {v.strip() for v in counts}) == len(counts):
        return      # every row its own value
    seen: dict[str, tuple[int, tuple[str, ...]]] = {}
    keys = zip(*(column(sdrf, e) for e in entity), strict=True)
    for r, (value, key) in enumerate(zip(stripped(sdrf, c), keys, strict=True), start=1):
        if not value:
            continue
        first = seen.setdefault(value, (r, key))
        if first[1] != key and out.room(code):
            out.add(finding(code, f"'{value}' in '{heading}' is also used in row {first[0]} for another "
                            f"entry; {target.title} requires '{req.label}' to be unique",
                            Location(file=name, row=r, column=c + 1, column_name=heading)))


def _group_findings(target: Target, group: str, members: list[tuple[ColumnRequirement, list[int]]],
                    sdrf: Sdrf, name: str, out: _Capped) -> None:
    labels = " or ".join(f"'{req.label}'" for req, _ in members)
    cols = [c for _, cs in members for c in cs]
    code = target.code("ONE-OF")
    if not cols:
        headings = ", ".join(req.heading for req, _ in members)
        out.add(finding(code, f"{target.title} requires one of {labels} ({group}): "
                        f"add one of the columns {headings}", Location(file=name, column_name=members[0][0].heading)))
        return
    for r, values in enumerate(zip(*(stripped(sdrf, c) for c in cols), strict=True), start=1):
        if not any(values) and out.room(code):
            out.add(finding(code, f"{target.title} requires one of {labels} ({group}) "
                            "to be filled in this row",
                            Location(file=name, row=r, column=cols[0] + 1, column_name=sdrf.header[cols[0]])))


def _value_findings(target: Target, req: FieldRequirement | ColumnRequirement, value: str,
                    where: Location, what: str) -> list[Finding]:
    out: list[Finding] = []
    if req.vocabulary and value not in req.vocabulary and value not in target.accepted_missing:
        out.append(_vocabulary_finding(target, req, value, where, what))
    if req.max_length is not None and len(value) > req.max_length:
        out.append(finding(target.code("TOO-LONG"), f"{what} is {len(value)} characters long; "
                           f"{target.title} allows at most {req.max_length} for '{req.label}'", where))
    if req.ascii_only and not value.isascii():
        odd = "".join(dict.fromkeys(ch for ch in value if not ch.isascii()))
        out.append(finding(target.code("NOT-ASCII"), f"{what} holds non-ASCII characters ({odd}); "
                           f"{target.title} requires plain ASCII for '{req.label}'", where))
    return out


def _vocabulary_finding(target: Target, req: FieldRequirement | ColumnRequirement, value: str,
                        where: Location, what: str) -> Finding:
    exact = _folded(req.vocabulary).get(_fold(value))
    if exact is not None:
        return finding(target.code("VOCABULARY"),
                       f"'{value}' in {what} is spelled differently from {target.title}'s '{exact}'",
                       where, suggestion=f"Write '{exact}' exactly.")
    close = difflib.get_close_matches(value, req.vocabulary, n=3, cutoff=0.6)
    hint = ("Did you mean " + " or ".join(f"'{c}'" for c in close) + "?") if close else (
        "Allowed: " + ", ".join(req.vocabulary[:12]) + (" ..." if len(req.vocabulary) > 12 else ""))
    return finding(target.code("VOCABULARY"),
                   f"'{value}' in {what} is not one of {target.title}'s values for '{req.label}'",
                   where, suggestion=hint)


def _fold(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).lower()


@lru_cache(maxsize=256)
def _folded(vocabulary: tuple[str, ...]) -> dict[str, str]:
    return {_fold(v): v for v in vocabulary}


# --- headings -------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def heading_key(heading: str) -> str:
    """Matching key of an SDRF heading: canonical form, case, spaces and underscores ignored.

    So ``Comment[LIBRARY_STRATEGY]``, ``comment[library strategy]`` and ``Comment [library_strategy]``
    are one column, as are ``characteristics[organism]`` and ``Characteristics[organism]``.
    """
    return re.sub(r"[\s_]+", "", parse_heading(heading).canonical).lower()


def column_index(sdrf: Sdrf) -> dict[str, list[int]]:
    """heading key -> 0-based columns of the SDRF with that heading."""
    index: dict[str, list[int]] = {}
    for c, heading in enumerate(sdrf.header):
        index.setdefault(heading_key(heading), []).append(c)
    return index


def find_column(sdrf: Sdrf, heading: str) -> int | None:
    """The first column matching ``heading`` (see `heading_key`), or None."""
    cols = column_index(sdrf).get(heading_key(heading))
    return cols[0] if cols else None


def required_headings(targets: Iterable[Target | str]) -> dict[str, str]:
    """heading key -> the targets' wording ("GEO: library strategy*"), for marking grid headers.

    Columns of '**' groups are included (each with its group named). Match a header with
    ``heading_key(header) in result``.
    """
    out: dict[str, str] = {}
    for item in targets:
        target = get_target(item) if isinstance(item, str) else item
        for req in target.columns:
            if not (req.required or req.one_of_group):
                continue
            label = f"{target.prefix}: {req.label}"
            if req.one_of_group:
                label += f" (one of group {req.one_of_group})"
            key = heading_key(req.heading)
            out[key] = f"{out[key]}; {label}" if key in out else label
    return out


def apply_file_rules(target: Target, findings: Iterable[Finding]) -> list[Finding]:
    """Validator findings with the severities this target gives them (``file_rules``)."""
    return [replace(f, severity=target.file_rules[f.code]) if f.code in target.file_rules else f
            for f in findings]
