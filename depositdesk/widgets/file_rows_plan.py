"""Which SDRF row each data file belongs to, before any row is added (no Qt here).

"Create SDRF rows from files" first looks for the rows that already describe
a file's sample: the file's name stem (``liver1_R1.fastq.gz`` -> ``liver1``,
an Illumina ``_S1_L001`` tail allowed) against the row's node names (Assay,
Extract, Sample, Source Name ...). R1/R2 mates share their stem, so both go
to the same sample: into the next row of that sample whose file cell is
empty, else into a copy of the sample's row placed right below it (an SDRF
names one file per row and file column; ArrayExpress/ENA describe a
paired-end run in two rows, e.g. E-MTAB-6077: XY_control1 twice, with
XY_control1_R1.fastq.gz and XY_control1_R2.fastq.gz). Only a file whose stem matches no row gets a new
row. The person sees and may change this mapping before anything is written
(`depositdesk.widgets.files_to_rows`); the edit is one undo step.

The SDRF names a file by its path relative to the project folder, with '/'.
A file outside the folder is brought in first (linked or copied into
``data/``, `depositdesk.widgets.file_bring_in`) or left out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from depositdesk.magetab.sdrf import Sdrf
from depositdesk.widgets.edit_commands import EditCommand, InsertRows, Macro, SetCells
from depositdesk.widgets.sheet_ops import pair_read_files

DATA_FOLDER = "data"
IMAGE_EXTENSIONS = {"tif", "tiff", "png", "jpg", "jpeg", "czi", "nd2", "lif", "oir", "lsm", "svs", "ndpi",
                    "vsi", "zarr", "ome"}
DERIVED_EXTENSIONS = {"bed", "bw", "bigwig", "bb", "bigbed", "wig", "bedgraph", "bdg", "narrowpeak",
                      "broadpeak", "gff", "gff3", "gtf", "tsv", "csv", "txt", "mtx", "h5", "h5ad", "loom",
                      "rds", "xlsx"}
_FILE_COMMENT = re.compile(r"md5|uri|checksum|file|run", re.IGNORECASE)
_ILLUMINA_TAIL = re.compile(r"(_S\d+)?(_L\d{3})?(_\d{3})?$")
BRING_CHOICES = ("link", "hardlink", "copy", "skip")


def relative_name(path: Path, folder: Path) -> str | None:
    """How an SDRF inside ``folder`` names ``path`` ('reads/a.fq'), or None when it is outside."""
    for p, f in ((os.path.abspath(path), os.path.abspath(folder)), (path.resolve(), folder.resolve())):
        try:
            return Path(p).relative_to(f).as_posix()
        except ValueError:
            continue
    return None


_WORDS = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    return _WORDS.findall(text.casefold())


@dataclass
class FileChoice:
    """One file: where it goes (an existing row, a new row, nowhere) and how it gets in."""

    path: Path
    stem: str
    name: str                    # the SDRF's name for it ('' while outside and not yet brought in)
    column: int                  # the file column it goes to
    target: int | None = None    # existing row (0-based); None = a new row
    skip: bool = False
    outside: bool = False
    bring: str = "link"          # for an outside file: link, hardlink, copy or skip
    reason: str = ""             # how its row was found

    @property
    def left_out(self) -> bool:
        return self.skip or (self.outside and self.bring == "skip")

    def sdrf_name(self) -> str:
        return self.name or f"{DATA_FOLDER}/{self.path.name}"


@dataclass
class Outcome:
    fills: list[tuple[int, int, str]] = field(default_factory=list)
    copies: dict[int, list[list[str]]] = field(default_factory=dict)
    new_rows: list[list[str]] = field(default_factory=list)
    effects: list[str] = field(default_factory=list)   # one sentence per choice

    def summary(self) -> str:
        copied = sum(len(v) for v in self.copies.values())
        parts = [f"{len(self.fills)} fill existing rows"]
        if copied:
            parts.append(f"{copied} go into copies of their sample's row")
        parts.append(f"{len(self.new_rows)} new rows")
        left = sum(1 for e in self.effects if e == "left out")
        if left:
            parts.append(f"{left} left out")
        return ", ".join(parts)


@dataclass
class Plan:
    sdrf: Sdrf
    folder: Path
    choices: list[FileChoice]
    already: list[tuple[Path, int]] = field(default_factory=list)   # files the grid names already

    def outcome(self) -> Outcome:
        return _outcome(self)

    def free_rows(self) -> list[int]:
        """Rows that name no file and that no file is chosen for."""
        file_cols = self.sdrf.find_columns("file")
        chosen = {c.target for c in self.choices if c.target is not None and not c.left_out}
        return [r for r, row in enumerate(self.sdrf.rows)
                if r not in chosen and not any(row[c].strip() for c in file_cols)]

    def assign_in_order(self) -> int:
        """Files that found no row go, one sample (R1/R2 together) per row, to the rows no file is
        chosen for and none named yet, top to bottom; returns how many files moved."""
        free = self.free_rows()
        stems: dict[str, int] = {}
        moved = 0
        for choice in self.choices:
            if choice.target is not None or choice.left_out:
                continue
            if choice.stem not in stems:
                if not free:
                    break
                stems[choice.stem] = free.pop(0)
            choice.target, choice.reason = stems[choice.stem], "the order of the rows"
            moved += 1
        return moved

    def commands(self) -> EditCommand | None:
        """The whole edit as one undo step (None when it changes nothing)."""
        result = self.outcome()
        steps: list[EditCommand] = []
        if result.fills:
            steps.append(SetCells(self.sdrf, result.fills, text="Fill file cells"))
        if result.new_rows:
            steps.append(InsertRows(self.sdrf, len(self.sdrf.rows), result.new_rows))
        for row in sorted(result.copies, reverse=True):  # bottom first: earlier row numbers stay right
            steps.append(InsertRows(self.sdrf, row + 1, result.copies[row]))
        if not steps:
            return None
        count = len(result.fills) + len(result.new_rows) + sum(len(v) for v in result.copies.values())
        return Macro(steps, text=f"Create SDRF rows from {count} file(s)")


def make_plan(sdrf: Sdrf, folder: Path, paths: Sequence[Path]) -> Plan | None:
    """The proposed mapping of ``paths`` to rows; None when the SDRF has no file column."""
    file_cols = sdrf.find_columns("file")
    if not file_cols:
        return None
    named: dict[str, int] = {}
    for c in file_cols:
        for r, value in enumerate(sdrf.column_values(c)):
            named.setdefault(value.strip(), r)
    plan = Plan(sdrf, folder, [])
    names = {p: relative_name(p, folder) for p in paths}
    fresh = []
    for p in paths:
        name = names[p]
        if name is not None and name in named:
            plan.already.append((p, named[name]))
        else:
            fresh.append(p)
    index = RowIndex(sdrf)
    for stem, group in pair_read_files(fresh):
        candidates, reason = index.match(stem)
        for i, path in enumerate(group):
            column = _column_for(sdrf, file_cols, path)
            target = candidates[i] if i < len(candidates) else (candidates[0] if candidates else None)
            why = reason if i == 0 or not reason else f"{reason} (R1/R2 mate)"
            name = names[path]
            plan.choices.append(FileChoice(path, stem, name or "", column, target, outside=name is None,
                                           reason=why))
    return plan


class RowIndex:
    """The rows of an SDRF by the words of their node names (built once: 50,000 rows, any files)."""

    def __init__(self, sdrf: Sdrf) -> None:
        self.sdrf = sdrf
        self.by_words: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        nodes = [c for c in range(len(sdrf.header)) if sdrf.column(c).kind == "node"][::-1]
        for c in nodes:  # Assay/Extract before Sample/Source: the reason names the closest node
            for r, value in enumerate(sdrf.column_values(c)):
                words = tuple(tokens(value))
                if words:
                    self.by_words.setdefault(words, []).append((r, c))
        file_cols = sdrf.find_columns("file")
        self.has_file = [any(row[c].strip() for c in file_cols) for row in sdrf.rows]

    def match(self, stem: str) -> tuple[list[int], str]:
        """Rows whose node names match the stem: the same words, without an Illumina _S1_L001 tail,
        or the longest leading words; rows without a file first."""
        wanted = tuple(tokens(stem))
        short = tuple(tokens(_ILLUMINA_TAIL.sub("", stem)))
        keys = [wanted, short] + [wanted[:n] for n in range(len(wanted) - 1, 0, -1)]
        for key in keys:
            hits = self.by_words.get(key)
            if hits:
                rows = sorted({r for r, _ in hits})
                r, c = hits[0]
                why = f"{self.sdrf.column(c).header} '{self.sdrf.rows[r][c]}'"
                return [r for r in rows if not self.has_file[r]] + [r for r in rows if self.has_file[r]], why
        return [], ""


def match_rows(sdrf: Sdrf, stem: str) -> tuple[list[int], str]:
    return RowIndex(sdrf).match(stem)


def _extensions(path: Path) -> set[str]:
    return {part.lower() for part in path.name.split(".")[1:]}


def _column_for(sdrf: Sdrf, file_cols: list[int], path: Path) -> int:
    """Image File for images, Derived Array Data File for processed data, else the first raw column."""
    by_name: dict[str, int] = {}
    for c in file_cols:
        by_name.setdefault(sdrf.column(c).header.lower(), c)
    ext = _extensions(path)
    if ext & IMAGE_EXTENSIONS and "image file" in by_name:
        return by_name["image file"]
    if ext & DERIVED_EXTENSIONS:
        for heading in ("derived array data file", "derived array data matrix file"):
            if heading in by_name:
                return by_name[heading]
    raw = [c for c in file_cols if not sdrf.column(c).header.lower().startswith("derived")]
    return raw[0] if raw else file_cols[0]


def _slots(sdrf: Sdrf, column: int) -> list[int]:
    """The columns one row offers for this kind of file (two 'Array Data File' columns: two slots)."""
    heading = sdrf.column(column).header
    return [c for c in sdrf.find_columns("file") if sdrf.column(c).header == heading]


def _outcome(plan: Plan) -> Outcome:
    sdrf, out = plan.sdrf, Outcome()
    filled: set[tuple[int, int]] = {(r, c) for c in sdrf.find_columns("file")
                                    for r, value in enumerate(sdrf.column_values(c)) if value.strip()}
    new_by_stem: dict[str, list[list[str]]] = {}
    for choice in plan.choices:
        if choice.left_out:
            out.effects.append("left out")
            continue
        slots = _slots(sdrf, choice.column)
        if choice.target is None:
            out.effects.append(_into_new_row(plan, choice, slots, new_by_stem, out))
            continue
        r = choice.target
        free = [c for c in slots if (r, c) not in filled]
        if free:
            filled.add((r, free[0]))
            out.fills.append((r, free[0], choice.sdrf_name()))
            out.effects.append(f"fills row {r + 1}")
            continue
        copies = out.copies.setdefault(r, [])
        for copy in copies:
            spot = next((c for c in slots if not copy[c]), None)
            if spot is not None:
                copy[spot] = choice.sdrf_name()
                break
        else:
            copy = _copy_row(sdrf, r)
            copy[slots[0]] = choice.sdrf_name()
            copies.append(copy)
        out.effects.append(f"copy of row {r + 1}, below it")
    return out


def _into_new_row(plan: Plan, choice: FileChoice, slots: list[int],
                  new_by_stem: dict[str, list[list[str]]], out: Outcome) -> str:
    rows = new_by_stem.setdefault(choice.stem, [])
    for row in rows:
        spot = next((c for c in slots if not row[c]), None)
        if spot is not None:
            row[spot] = choice.sdrf_name()
            return f"new row '{choice.stem}'"
    row = _new_row(plan.sdrf, choice.stem)
    row[slots[0]] = choice.sdrf_name()
    rows.append(row)
    out.new_rows.append(row)
    return f"new row '{choice.stem}'"


def _new_row(sdrf: Sdrf, stem: str) -> list[str]:
    """Node names from the stem; Protocol REFs every existing row agrees on."""
    row = [""] * len(sdrf.header)
    for c in range(len(sdrf.header)):
        kind = sdrf.column(c).kind
        if kind == "node":
            row[c] = stem
        elif kind == "protocol_ref" and sdrf.rows:
            values = set(sdrf.column_values(c))
            if len(values) == 1:
                row[c] = values.pop()
    return row


def _copy_row(sdrf: Sdrf, r: int) -> list[str]:
    """The sample's row for its next file: every cell but the file and file-describing comments."""
    row = list(sdrf.rows[r])
    for c in range(len(sdrf.header)):
        col = sdrf.column(c)
        if col.kind == "file" or (col.kind == "comment" and _FILE_COMMENT.search(col.name)):
            row[c] = ""
    return row
