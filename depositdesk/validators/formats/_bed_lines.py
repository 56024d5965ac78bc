"""The precise, line-by-line reading of BED, bedGraph and narrowPeak/broadPeak.

This is the reference for what a line means; the vectorised block scanner
(`_bed_fast`) only confirms that a block holds nothing but plain records and
hands any block with something unusual to this reader, so both paths give the
same findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from depositdesk.validators.base import Context
from depositdesk.validators.formats import _bed_codes as c

# Written so that no two parts can match the same digits: linear, not quadratic, on a long run
# of digits (``\d+\.?\d*`` backtracked for 76 s on a 70,000-digit line).
NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
MAX_DIGITS = 18   # a whole number of up to 18 digits fits int64 (and int() of it is instant)
SEPARATOR = re.compile(r"[ \t]+")   # BEDv1: "one or more horizontal whitespace characters (space or tab)"
HEADER_PREFIXES = ("#", "track", "browser")
STRANDS = frozenset("+-.")

Record = tuple[str, int, int]  # chrom, start, end


@dataclass(frozen=True)
class Layout:
    """What the columns of one file mean, fixed by its flavour and its first record."""

    kind: str  # "bed", "bedgraph", "narrowPeak", "broadPeak"
    ncols: int

    @property
    def typed(self) -> int:
        """How many leading columns have a meaning the validator checks."""
        if self.kind != "bed":
            return self.ncols
        return self.ncols if self.ncols <= 12 else 6

    @property
    def name(self) -> str:
        return f"BED{self.ncols}" if self.kind == "bed" else self.kind


PEAK_OR_BED = "peak-or-bed"  # the sniffer saw a peak-like layout, but the name does not say so


def kind_for(format_name: str, detail: str, path_name: str) -> str:
    """The BED flavour: the format or file name decides; the sniffer's content guess only suggests.

    Ten columns are narrowPeak's layout and also UCSC's BED10 (thick part,
    itemRgb, blockCount); nine are broadPeak's and BED9's. When only the
    content hints at a peak file, the first record decides (`set_layout`).
    """
    name = path_name.lower()
    if format_name == "bedgraph" or "bedgraph" in name:
        return "bedgraph"
    if format_name == "narrowpeak" or "narrowpeak" in name:
        return "narrowPeak"
    if "broadpeak" in name:
        return "broadPeak"
    if detail.lower() in ("narrowpeak", "broadpeak"):
        return PEAK_OR_BED
    return "bed"


def is_number(text: str) -> bool:
    return NUMBER.fullmatch(text) is not None


def is_uint(text: str) -> bool:
    """ASCII digits only, few enough to fit 64 bits."""
    return len(text) <= MAX_DIGITS and text.isascii() and text.isdigit()


def is_huge_uint(text: str) -> bool:
    """Digits only, but too many for a 64-bit position."""
    return len(text) > MAX_DIGITS and text.isascii() and text.isdigit()


class BedLineChecker:
    """Checks one line at a time; keeps the layout fixed by the first record."""

    def __init__(self, ctx: Context, kind: str) -> None:
        self.ctx = ctx
        self.kind = kind
        self.layout: Layout | None = None
        self.records = 0
        self._once: set[str] = set()

    def once(self, code: str, message: str, line: int) -> None:
        if code not in self._once:
            self._once.add(code)
            self.ctx.report(code, message, line=line)

    def set_layout(self, fields: list[str]) -> Layout:
        """Fix the layout from the first record (and settle a peak-or-BED guess with it)."""
        if self.kind == PEAK_OR_BED:
            peak = "narrowPeak" if len(fields) == 10 else "broadPeak" if len(fields) == 9 else "bed"
            self.kind = "bed" if peak == "bed" or _looks_like_bed9(fields) else peak
        self.layout = Layout(self.kind, len(fields))
        return self.layout

    def check(self, line: str, lineno: int) -> Record | None:
        if line.endswith("\r"):
            self.once(c.CRLF, "lines end with CR LF", lineno)
            line = line[:-1]
        if not line or line.isspace():
            self.once(c.BLANK_LINE, "blank line", lineno)
            return None
        if line.startswith(HEADER_PREFIXES):
            return None
        fields = line.split("\t")
        if len(fields) < 3 or " " in fields[0]:
            spaced = SEPARATOR.split(line.strip(" \t"))
            if len(spaced) < 3:
                self._short_line(line, fields, lineno)
                return None
            self.once(c.NOT_TAB, "fields are separated by spaces, not TABs (first here)", lineno)
            fields = spaced
        if self.records == 0 and not _looks_numeric(fields[1]) and not _looks_numeric(fields[2]):
            self.once(c.HEADER_LINE, f"'{line[:60]}' looks like column headings", lineno)
            return None
        self.records += 1
        layout = self.layout or self.set_layout(fields)
        if len(fields) != layout.ncols:
            self.ctx.report(c.COLUMN_COUNT, f"{len(fields)} columns where the first record has {layout.ncols}",
                            line=lineno)
        if "" in fields:
            self.ctx.report(c.EMPTY_FIELD, f"column {fields.index('') + 1} is empty", line=lineno,
                            column=fields.index("") + 1)
        span = self._coordinates(fields, lineno)
        if span is None:
            return None
        self._typed_columns(fields, span, lineno)
        return fields[0], span[0], span[1]

    def _short_line(self, line: str, fields: list[str], lineno: int) -> None:
        self.ctx.report(c.COLUMN_COUNT, f"{len(fields)} column(s); a BED record needs at least chrom, "
                        "chromStart and chromEnd", line=lineno)

    def _coordinates(self, fields: list[str], lineno: int) -> tuple[int, int] | None:
        values = []
        for column, text in ((2, fields[1]), (3, fields[2])):
            name = "chromStart" if column == 2 else "chromEnd"
            if is_uint(text):
                values.append(int(text))
            elif is_huge_uint(text) or (text.startswith("-") and is_huge_uint(text[1:])):
                self.ctx.report(c.COORD_RANGE, f"{name} has {len(text.lstrip('-'))} digits; positions fit "
                                f"in {MAX_DIGITS}", line=lineno, column=column)
                return None
            elif text.startswith("-") and is_uint(text[1:]):
                self.ctx.report(c.COORD_NEGATIVE, f"{name} is {text}", line=lineno, column=column)
                return None
            else:
                self.ctx.report(c.COORD_NOT_INTEGER, f"{name} '{text}' is not a whole number",
                                line=lineno, column=column)
                return None
        start, end = values
        if start > end:
            self.ctx.report(c.START_AFTER_END, f"chromStart {start} is larger than chromEnd {end}",
                            line=lineno, column=2)
            return None
        return start, end

    # -- columns 4 and on ---------------------------------------------------

    def _typed_columns(self, fields: list[str], span: tuple[int, int], lineno: int) -> None:
        assert self.layout is not None
        typed = min(self.layout.typed, len(fields))
        if self.layout.kind == "bedgraph":
            if typed >= 4 and not is_number(fields[3]):
                self.ctx.report(c.VALUE_INVALID, f"value '{fields[3]}' is not a number", line=lineno, column=4)
            return
        if typed >= 5:
            self._score(fields[4], lineno)
        if typed >= 6 and fields[5] not in STRANDS:
            self.ctx.report(c.STRAND_INVALID, f"strand '{fields[5]}' is not + - or .", line=lineno, column=6)
        if self.layout.kind in ("narrowPeak", "broadPeak"):
            self._peak_columns(fields[:typed], span, lineno)
            return
        if typed >= 8:
            self._thick(fields[6], fields[7], span, lineno)
        if typed >= 9:
            self.rgb(fields[8], lineno)
        if typed >= 12:
            self._blocks(fields[9], fields[10], fields[11], span, lineno)

    def _score(self, text: str, lineno: int) -> None:
        if is_uint(text) and int(text) <= 1000:
            return
        if text == "." or is_number(text):
            self.ctx.report(c.SCORE_RANGE, f"score '{text}' is not an integer 0-1000", line=lineno, column=5)
        else:
            self.ctx.report(c.SCORE_INVALID, f"score '{text}' is not a number", line=lineno, column=5)

    def _thick(self, thick_start: str, thick_end: str, span: tuple[int, int], lineno: int) -> None:
        if not (is_uint(thick_start) and is_uint(thick_end)):
            self.ctx.report(c.THICK_INVALID, f"thickStart '{thick_start}' / thickEnd '{thick_end}' are not whole "
                            "numbers", line=lineno, column=7)
            return
        ts, te = int(thick_start), int(thick_end)
        if not span[0] <= ts <= te <= span[1]:
            self.ctx.report(c.THICK_INVALID, f"thick part {ts}..{te} is not inside the record {span[0]}..{span[1]}",
                            line=lineno, column=7)

    def rgb(self, text: str, lineno: int) -> None:
        """itemRgb (column 9); public because the fast path checks this column line by line too."""
        parts = text.split(",")
        if text == "0" or (len(parts) == 3 and all(is_uint(p) and int(p) <= 255 for p in parts)):
            return
        self.ctx.report(c.RGB_INVALID, f"itemRgb '{text}' is not 0 or R,G,B", line=lineno, column=9)

    def _blocks(self, count_s: str, sizes_s: str, starts_s: str, span: tuple[int, int], lineno: int) -> None:
        problem = block_problem(count_s, sizes_s, starts_s, span[1] - span[0])
        if problem:
            self.ctx.report(c.BLOCKS_INVALID, problem, line=lineno, column=10)

    def _peak_columns(self, fields: list[str], span: tuple[int, int], lineno: int) -> None:
        for column in range(7, min(len(fields), 9) + 1):
            if not is_number(fields[column - 1]):
                self.ctx.report(c.PEAK_FIELD, f"column {column} '{fields[column - 1]}' is not a number",
                                line=lineno, column=column)
        if len(fields) >= 10:
            peak = fields[9]
            width = span[1] - span[0]
            if not (peak == "-1" or (is_uint(peak) and int(peak) <= width)):
                self.ctx.report(c.PEAK_FIELD, f"peak offset '{peak}' is not -1 or 0..{width}",
                                line=lineno, column=10)


def block_problem(count_s: str, sizes_s: str, starts_s: str, length: int) -> str:
    """What is wrong with a BED12 block description, or '' (trailing commas are allowed)."""
    if not is_uint(count_s) or int(count_s) < 1:
        return f"blockCount '{count_s}' is not a positive whole number"
    count = int(count_s)
    sizes = sizes_s.rstrip(",").split(",")
    starts = starts_s.rstrip(",").split(",")
    if len(sizes) != count or len(starts) != count:
        return f"blockCount is {count} but there are {len(sizes)} blockSizes and {len(starts)} blockStarts"
    if not all(is_uint(v) for v in sizes + starts):
        return "blockSizes and blockStarts must be whole numbers separated by commas"
    size_v = [int(v) for v in sizes]
    start_v = [int(v) for v in starts]
    if start_v[0] != 0:
        return f"the first blockStart is {start_v[0]}; it must be 0"
    for i in range(1, count):
        if start_v[i] < start_v[i - 1] + size_v[i - 1]:
            return f"block {i + 1} starts before block {i} ends (blocks must be in order and not overlap)"
    if start_v[-1] + size_v[-1] != length:
        return (f"the last block ends at {start_v[-1] + size_v[-1]} but the record is {length} long "
                "(it must end at chromEnd)")
    return ""


def _looks_like_bed9(fields: list[str]) -> bool:
    """Columns 7-9 read as thickStart <= thickEnd inside the record and an itemRgb ('0' or R,G,B)."""
    start, end, thick_start, thick_end, rgb = fields[1], fields[2], fields[6], fields[7], fields[8]
    if not all(is_uint(v) for v in (start, end, thick_start, thick_end)):
        return False
    inside = int(start) <= int(thick_start) <= int(thick_end) <= int(end)
    return inside and (rgb == "0" or (rgb.count(",") == 2 and all(is_uint(v) for v in rgb.split(","))))


def _looks_numeric(text: str) -> bool:
    digits = text.lstrip("-")
    return is_uint(digits) or is_huge_uint(digits)
