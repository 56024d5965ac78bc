"""Deciding what a path is (project folder, IDF, SDRF, workbook) and reading it into documents.

Separate from `project` so that the Project class stays about saving and the
journal. Content decides, not the file name: an IDF's first cells are IDF
field names; an SDRF's header has node columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from depositdesk.findings import Finding, Location, finding
from depositdesk.magetab import codes
from depositdesk.magetab.columns import parse_heading
from depositdesk.magetab.commit import finish_interrupted_save
from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.idf import Idf, canonical_field
from depositdesk.magetab.idf_reader import idf_from_table
from depositdesk.magetab.reader import sdrf_from_table
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.magetab.textio import Table, read_table

IDF_PATTERNS = ("*.idf.txt", "*.idf.tsv", "*.idf", "*_idf.txt", "*.IDF.txt")


@dataclass
class Opened:
    """What `open_path` found: the documents, where they live, and what was odd."""

    folder: Path
    idf: Idf
    idf_path: Path
    sdrfs: list[Sdrf]
    findings: list[Finding] = field(default_factory=list)
    idf_made_up: bool = False     # the input had no IDF: one was made up to name the SDRF's references
    unsaved: bool = False         # the documents are not on disk in this form yet (single-file, workbook)


def sniff_table(table: Table) -> str | None:
    """'idf', 'sdrf' or None, by content."""
    first_cells = [row[0] for row in table.rows[:60] if row and row[0].strip()]
    known = sum(1 for cell in first_cells
                if canonical_field(cell)[1] and not cell.strip().lower().startswith("comment"))
    if known >= 2 or (first_cells and known == 1 and len(first_cells) <= 2):
        return "idf"
    header = table.rows[0] if table.rows else []
    kinds = {parse_heading(h).kind for h in header}
    if kinds & {"node", "file", "characteristics", "factor_value"}:
        return "sdrf"
    return None


ISATAB_SECTIONS = frozenset({"ontology source reference", "investigation", "investigation publications",
                             "investigation contacts", "study", "study design descriptors",
                             "study protocols", "study assays"})


def is_isatab_investigation(table: Table) -> bool:
    """ISA-Tab's i_*.txt: upper-case section lines such as ONTOLOGY SOURCE REFERENCE and STUDY."""
    markers = {row[0].strip().lower() for row in table.rows[:400]
               if row and row[0].strip().isupper() and not any(c.strip() for c in row[1:])}
    return len(markers & ISATAB_SECTIONS) >= 2


def idf_files(folder: Path) -> list[Path]:
    """The IDF files (by name) directly in ``folder``."""
    found: list[Path] = []
    for pattern in IDF_PATTERNS:
        found.extend(p for p in folder.glob(pattern) if p.is_file() and p not in found)
    return found


def find_idf(folder: Path) -> Path:
    """The one IDF of a project folder, or a ProjectError saying why there is none to open."""
    found = idf_files(folder)
    if not found:
        raise ProjectError(f"{folder} holds no IDF file (*.idf.txt); open an IDF or SDRF file instead")
    if len(found) > 1:
        names = ", ".join(sorted(p.name for p in found))
        raise ProjectError(f"{folder} holds several IDF files ({names}); open one of them")
    return found[0]


def open_path(path: Path) -> Opened:
    """Read a folder, IDF, SDRF or workbook. Raises ProjectError when there is nothing to read."""
    path = Path(path)
    try:
        if not path.exists():
            raise ProjectError(f"{path}: no such file or folder")
    except (OSError, ValueError) as exc:          # a name too long, a NUL in it ...
        raise ProjectError(f"{str(path)[:120]}: cannot be opened ({getattr(exc, 'strerror', None) or exc})") \
            from exc
    finish_interrupted_save(path if path.is_dir() else path.parent)   # a committed save's renames
    if path.is_dir():
        path = find_idf(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _open_workbook(path)
    table = read_table(path)
    if is_isatab_investigation(table):
        raise ProjectError(f"{path} is an ISA-Tab investigation file; DepositDesk reads MAGE-TAB "
                           "(IDF + SDRF) and cannot import ISA-Tab yet")
    if _section_marker(table, 0) == "[idf]":
        return _open_single_file(table, path)
    kind = sniff_table(table)
    if kind == "idf":
        idf, notes = idf_from_table(table, path, path.name)
        return _with_sdrfs(idf, path, notes)
    if kind == "sdrf":
        sdrf, notes = sdrf_from_table(table, path, path.name)
        return _made_up(sdrf, path, notes)
    raise ProjectError(f"{path} is neither an IDF nor an SDRF (no IDF field names, no Source Name column)")


def _section_marker(table: Table, i: int) -> str:
    row = table.rows[i] if i < len(table.rows) else []
    return row[0].strip().lower() if row and not any(c.strip() for c in row[1:]) else ""


def _open_single_file(table: Table, path: Path) -> Opened:
    """MAGE-TAB 1.1's single-file form: an [IDF] section then an [SDRF] section.

    It opens as a project of two files beside it (``<stem>.idf.txt``, ``<stem>.sdrf.txt``),
    written on the first save; the combined file itself is left as it is.
    """
    cut = next((i for i in range(len(table.rows)) if _section_marker(table, i) == "[sdrf]"), None)
    if cut is None:
        raise ProjectError(f"{path} has an [IDF] section but no [SDRF] section")
    stem = path.name.split(".")[0] or "experiment"
    idf_part = Table(table.rows[1:cut], table.lines[1:cut], list(table.findings))
    sdrf_part = Table(table.rows[cut + 1:], table.lines[cut + 1:], [])
    idf, notes = idf_from_table(idf_part, None, path.name)
    sdrf, more = sdrf_from_table(sdrf_part, path.parent / f"{stem}.sdrf.txt", path.name)
    idf.set("SDRF File", [f"{stem}.sdrf.txt"])
    return Opened(path.parent, idf, path.parent / f"{stem}.idf.txt", [sdrf], notes + more, unsaved=True)


def _with_sdrfs(idf: Idf, idf_path: Path, notes: list[Finding]) -> Opened:
    folder = idf_path.parent
    sdrfs: list[Sdrf] = []
    for name in idf.sdrf_files():
        sdrf_path = folder / name
        if not is_file(sdrf_path):
            shown = name if len(name) <= 80 else f"{name[:77]}..."
            notes.append(finding(codes.IDF_SDRF_MISSING, f"SDRF File '{shown}' is not beside the IDF",
                                 Location(file=idf_path.name)))
            continue
        sdrf, more = Sdrf.read(sdrf_path)
        sdrfs.append(sdrf)
        notes.extend(more)
    return Opened(folder, idf, idf_path, sdrfs, notes)


def is_import(idf_path: Path, idf_made_up: bool) -> bool:
    """Documents not yet in a project folder of their own: an SDRF opened alone (its IDF made up,
    e.g. an ISA-Tab study file), MAGE-TAB's single-file form, a workbook. Their first save goes to
    a new folder, never beside the file they came from."""
    return idf_made_up or not is_file(idf_path)


def is_file(path: Path) -> bool:
    """False, not OSError, for a name too long, with a NUL or otherwise impossible on this system."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _made_up(sdrf: Sdrf, sdrf_path: Path, notes: list[Finding]) -> Opened:
    """An SDRF opened alone: an IDF is made up naming it, its protocols, factors and term sources."""
    stem = sdrf_path.name.split(".sdrf")[0].split(".")[0] or "experiment"
    idf_path = sdrf_path.parent / f"{stem}.idf.txt"
    idf = made_up_idf(sdrf, title=stem)
    idf.path = idf_path
    return Opened(sdrf_path.parent, idf, idf_path, [sdrf], notes, idf_made_up=True)


def made_up_idf(sdrf: Sdrf, title: str) -> Idf:
    """A blank MAGE-TAB 1.1 IDF that names what the SDRF refers to, ready to be filled in."""
    idf = Idf.blank(title)
    if sdrf.path is not None:
        idf.set("SDRF File", [sdrf.path.name])
    protocols = _distinct(v for c in sdrf.find_columns("protocol_ref") for v in sdrf.column_values(c))
    idf.set("Protocol Name", protocols)
    factors = _distinct(sdrf.column(c).name for c in sdrf.find_columns("factor_value"))
    idf.set("Experimental Factor Name", factors)
    sources = _distinct(v for c in sdrf.find_columns("term_source_ref") for v in sdrf.column_values(c))
    idf.set("Term Source Name", sources)
    return idf


def _distinct(values) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value.strip():
            seen.setdefault(value.strip(), None)
    return list(seen)


def _open_workbook(path: Path) -> Opened:
    from depositdesk.magetab.xlsx import read_xlsx

    idf, sdrfs, notes = read_xlsx(path)
    folder = path.parent
    stem = path.stem
    made_up = idf is None
    if idf is None:
        if not sdrfs:
            raise ProjectError(f"{path} holds no IDF or SDRF sheet")
        idf = made_up_idf(sdrfs[0], title=stem)
    names = idf.sdrf_files()
    for i, sdrf in enumerate(sdrfs):
        name = names[i] if i < len(names) else f"{stem}{'' if i == 0 else f'-{i + 1}'}.sdrf.txt"
        sdrf.path = folder / name
    idf.set("SDRF File", [s.path.name for s in sdrfs if s.path is not None])
    idf_path = folder / f"{stem}.idf.txt"
    idf.path = idf_path
    return Opened(folder, idf, idf_path, sdrfs, notes, idf_made_up=made_up, unsaved=True)
