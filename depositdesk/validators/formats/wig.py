"""WIG (wiggle) validator: the UCSC wiggle format as wigToBigWig and modENCODE's WIG.pm read it.

Sections start with ``variableStep chrom=.. [span=..]`` or ``fixedStep
chrom=.. start=.. step=.. [span=..]``; bedGraph-style lines (chrom start end
value) are accepted outside sections. Positions are 1-based; within a
chromosome they must not go backwards.

Speed: the runs of data lines between two declarations are parsed in one C
call (``numpy.fromstring``) and checked as arrays; a run that does not parse
cleanly is read again line by line (`WigLines`), which words the findings.
Known leniency of the fast path: a variableStep position written as ``1e3``
or ``1000.0`` is taken as the integer it denotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from depositdesk.progress import Task
from depositdesk.validators.base import Context, FormatValidator, Source, register
from depositdesk.validators.formats import _wig_codes as c
from depositdesk.validators.formats._bed_lines import is_number, is_uint
from depositdesk.validators.formats._textlines import ReadCodes, check_text
from depositdesk.validators.formats._wig_codes import *  # noqa: F403 - the codes, for importers
from depositdesk.validators.formats.bed import chrom_sizes_option

HEADER_LINE = re.compile(r"^[^\d\-+.\s].*$", re.M)  # any line that cannot be a data line
MODENCODE_VALUE = re.compile(r"[-+]?\d+(?:\.\d*)?(?:[Ee][-+]?\d+)?")  # linear: see _bed_lines.NUMBER
MAX_LINE = 4096   # longer than any declaration or data line; such a line is reported and skipped
MAX_POSITION = 2**62   # positions, steps and spans beyond this are damage (and would overflow int64)
SETTINGS = ("chrom", "start", "step", "span")
LEADING_DOT = ("\t.", " .", "\n.", "-.", "+.")


@dataclass
class Section:
    kind: str  # "variableStep" | "fixedStep" | "bedGraph" | "broken" (declaration unusable: data is skipped)
    chrom: str
    span: int = 1
    step: int = 1
    next_pos: int = 1  # fixedStep: position of the next value


class Coverage:
    """What data has been placed where: ordering, overlaps, chromosome names and lengths."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.sizes = chrom_sizes_option(ctx.options.get("chrom_sizes"))
        self.chrom: str | None = None
        self.last_pos = 0
        self.last_end = 0  # last base covered (1-based, inclusive)
        self.seen: set[str] = set()
        self.unknown: set[str] = set()
        self.values = 0
        self.overlap_reported = False

    def enter(self, chrom: str, line: int) -> None:
        if chrom == self.chrom:
            return
        if chrom in self.seen:
            self.ctx.report(c.CHROM_REVISITED, f"'{chrom}' appears again after other chromosomes", line=line)
        self.seen.add(chrom)
        self.chrom, self.last_pos, self.last_end = chrom, 0, 0
        if self.sizes is not None and self._size(chrom) is None and chrom not in self.unknown:
            self.unknown.add(chrom)
            self.ctx.report(c.CHROM_UNKNOWN, f"chromosome '{chrom}' is not in the genome's chromosome sizes",
                            line=line)

    def _size(self, chrom: str) -> int | None:
        assert self.sizes is not None
        size = self.sizes.get(chrom)
        if size is None and self.ctx.profile == "strict-modencode":  # WIG.pm accepts chr1 and 1 alike
            size = self.sizes.get(chrom[3:] if chrom.startswith("chr") else "chr" + chrom)
        return size

    def place(self, pos: int, span: int, line: int) -> None:
        """One value at 1-based ``pos`` covering ``span`` bases."""
        self.values += 1
        if pos < self.last_pos:
            self.ctx.report(c.UNSORTED, f"position {pos} on '{self.chrom}' comes after {self.last_pos}", line=line)
            self.last_end = 0  # judge what follows from here, not from the higher position before
        elif pos <= self.last_end and not self.overlap_reported:
            self.overlap_reported = True
            self.ctx.report(c.OVERLAP, f"position {pos} on '{self.chrom}' lies inside the span of the value "
                            f"before (which covers up to {self.last_end})", line=line)
        self.last_pos, self.last_end = pos, max(self.last_end, pos + span - 1)
        self._within_chrom(self.last_end, line)

    def place_many(self, positions: np.ndarray, span: int, first_line: int, lines_per_value: int = 1) -> bool:
        """Sorted, non-overlapping values placed at once; False (nothing placed) when any is not."""
        first = int(positions[0])
        if first < self.last_pos or (first <= self.last_end and not self.overlap_reported):
            return False
        if positions.size > 1:
            gaps = positions[1:] - positions[:-1]
            if bool(np.any(gaps < 0)) or (not self.overlap_reported and bool(np.any(gaps < span))):
                return False
        self.values += int(positions.size)
        self.last_pos = int(positions[-1])
        self.last_end = self.last_pos + span - 1
        self._within_chrom(self.last_end, first_line + (positions.size - 1) * lines_per_value)
        return True

    def _within_chrom(self, end: int, line: int) -> None:
        if self.sizes is None or self.chrom is None or self.chrom in self.unknown:
            return
        size = self._size(self.chrom)
        if size is not None and end > size:
            self.ctx.report(c.END_BEYOND_CHROM, f"data on '{self.chrom}' reaches base {end:,}, past its end "
                            f"({size:,})", line=line)
            self.unknown.add(self.chrom)  # once per chromosome


class WigLines:
    """The precise, line-by-line reading (declarations, and data runs the fast path declined)."""

    def __init__(self, ctx: Context, coverage: Coverage) -> None:
        self.ctx = ctx
        self.coverage = coverage
        self.section: Section | None = None
        self._once: set[str] = set()

    def once(self, code: str, message: str, line: int) -> None:
        if code not in self._once:
            self._once.add(code)
            self.ctx.report(code, message, line=line)

    def header(self, line: str, lineno: int) -> None:
        word = line.split(None, 1)[0] if line.strip() else ""
        if word in ("variableStep", "fixedStep"):
            self.section = self._declaration(word, line, lineno)
            if self.section.kind != "broken":
                self.coverage.enter(self.section.chrom, lineno)
        elif word in ("track", "browser") or line.startswith("#"):
            return
        else:
            self.data(line, lineno)

    def _declaration(self, kind: str, line: str, lineno: int) -> Section:
        settings: dict[str, str] = {}
        for word in line.split()[1:]:
            key, eq, value = word.partition("=")
            if not eq or key not in SETTINGS or not value:
                self.ctx.report(c.DECLARATION_INVALID, f"'{word}' is not one of chrom=, start=, step=, span=",
                                line=lineno)
                continue
            settings[key] = value
        broken = Section("broken", "")
        if "chrom" not in settings:
            self.ctx.report(c.CHROM_MISSING, f"{kind} without chrom=", line=lineno)
            return broken
        section = Section(kind, settings["chrom"])
        span = self._positive(settings.get("span", "1"), "span", c.STEP_INVALID, lineno)
        if span is None:
            return broken
        section.span = span
        if kind == "fixedStep":
            return self._fixed_step(section, settings, lineno) or broken
        return section

    def _fixed_step(self, section: Section, settings: dict[str, str], lineno: int) -> Section | None:
        if "start" not in settings:
            self.ctx.report(c.START_MISSING, "fixedStep without start=", line=lineno)
            return None
        if "step" not in settings:
            self.ctx.report(c.STEP_MISSING, "fixedStep without step=", line=lineno)
            return None
        start = self._positive(settings["start"], "start", c.POSITION_INVALID, lineno)
        step = self._positive(settings["step"], "step", c.STEP_INVALID, lineno)
        if start is None or step is None:
            return None
        section.next_pos, section.step = start, step
        return section

    def _positive(self, text: str, what: str, code: str, lineno: int) -> int | None:
        if is_uint(text) and 1 <= int(text) <= MAX_POSITION:
            return int(text)
        if len(text) > 40:
            text = f"{text[:20]}...({len(text)} characters)"
        self.ctx.report(code, f"{what}={text} is not a whole number of at least 1 (wiggle positions are "
                        "1-based)", line=lineno)
        return None

    def data(self, line: str, lineno: int) -> None:
        fields = line.split()
        if not fields:
            self.once(c.BLANK_LINE, "blank line", lineno)
            return
        section = self.section
        if section is None:
            if len(fields) == 4 and not is_number(fields[0]):
                self._bedgraph_line(fields, lineno)
            else:
                self.ctx.report(c.DATA_BEFORE_DECLARATION, "data line before any variableStep/fixedStep line",
                                line=lineno)
            return
        if section.kind == "broken":
            return
        if section.kind == "variableStep":
            if len(fields) != 2:
                self.ctx.report(c.DATA_LINE, f"{len(fields)} fields; variableStep lines are 'position value'",
                                line=lineno)
                return
            pos = self._positive(fields[0], "position", c.POSITION_INVALID, lineno)
            if self._value(fields[1], lineno) and pos is not None:
                self.coverage.place(pos, section.span, lineno)
        else:
            if len(fields) != 1:
                self.ctx.report(c.DATA_LINE, f"{len(fields)} fields; fixedStep lines hold one value", line=lineno)
            elif section.next_pos > MAX_POSITION:
                self.once(c.POSITION_INVALID, f"fixedStep reaches position {section.next_pos:,}, beyond any "
                          "genome", lineno)
            elif self._value(fields[0], lineno):
                self.coverage.place(section.next_pos, section.span, lineno)
            section.next_pos += section.step

    def _bedgraph_line(self, fields: list[str], lineno: int) -> None:
        chrom, start, end, value = fields
        if not (is_uint(start) and is_uint(end)) or int(start) > int(end):
            self.ctx.report(c.DATA_LINE, f"bedGraph-style line needs 0-based start <= end, got {start} {end}",
                            line=lineno)
            return
        if self._value(value, lineno):
            self.coverage.enter(chrom, lineno)
            self.coverage.place(int(start) + 1, max(int(end) - int(start), 1), lineno)

    def _value(self, text: str, lineno: int) -> bool:
        if len(text) > 40 and not is_number(text):
            self.ctx.report(c.VALUE_INVALID, f"value '{text[:20]}...' ({len(text)} characters) is not a number",
                            line=lineno)
            return False
        if not is_number(text):
            self.ctx.report(c.VALUE_INVALID, f"value '{text}' is not a number", line=lineno)
            return False
        if MODENCODE_VALUE.fullmatch(text) is None:
            self.once(c.VALUE_STYLE, f"value '{text}' has no digit before the decimal point", lineno)
        return True


class WigFile:
    """One pass: declarations line by line, data runs as arrays where they parse cleanly."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.coverage = Coverage(ctx)
        self.lines = WigLines(ctx, self.coverage)
        self.fast_runs = 0
        self._loose_dots = False  # the current block has a '.' with no digit before it somewhere

    def feed(self, chunk: bytes, first_line: int) -> None:
        self._loose_dots = _dot_without_digit(chunk)
        try:
            text = chunk.decode("ascii")
        except UnicodeDecodeError:
            self.lines.once(c.NOT_TEXT, "bytes that are not ASCII text", first_line)
            text = chunk.decode("latin-1")
        if "\r" in text:
            self.lines.once(c.CRLF, "lines end with CR LF", first_line)
            text = text.replace("\r", "")
        if len(text) > MAX_LINE and _longest_line(chunk) > MAX_LINE:
            text = self._without_long_lines(text, first_line)
        pos, line = 0, first_line
        for match in HEADER_LINE.finditer(text):
            if match.start() > pos:
                run = text[pos:match.start()]
                self._data_run(run, line)
                line += run.count("\n")
            self.lines.header(match.group(), line)
            pos, line = match.end() + 1, line + 1
        if pos < len(text):
            self._data_run(text[pos:], line)

    def _without_long_lines(self, text: str, first_line: int) -> str:
        """The text with each over-long line reported and replaced by a comment line (numbers kept)."""
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if len(line) > MAX_LINE:
                self.ctx.report(c.LINE_TOO_LONG, f"line of {len(line):,} characters (at most {MAX_LINE:,} "
                                "expected); skipped", line=first_line + i)
                lines[i] = "#"
        return "\n".join(lines)

    def _data_run(self, run: str, first_line: int) -> None:
        if not self._fast_run(run, first_line):
            for offset, line in enumerate(run.split("\n")[: run.count("\n") + (0 if run.endswith("\n") else 1)]):
                self.lines.data(line, first_line + offset)

    def _fast_run(self, run: str, first_line: int) -> bool:
        section = self.lines.section
        if section is None or section.kind not in ("variableStep", "fixedStep") or "\n\n" in run:
            return False
        if self._loose_dots and (any(dot in run for dot in LEADING_DOT) or run.startswith(".")):
            return False
        try:
            numbers = np.fromstring(run, sep=" ")  # the C parser of whitespace-separated numbers
        except ValueError:
            return False
        n = run.count("\n") + (0 if run.endswith("\n") else 1)
        width = 2 if section.kind == "variableStep" else 1
        if numbers.size != n * width or not bool(np.all(np.isfinite(numbers))):
            return False
        if section.kind == "fixedStep":
            if section.next_pos + section.step * n > MAX_POSITION:
                return False
            positions = section.next_pos + section.step * np.arange(n, dtype=np.int64)
        else:
            given = numbers[0::2]
            if not bool(np.all((given >= 1) & (given <= MAX_POSITION) & (given == np.floor(given)))):
                return False
            positions = given.astype(np.int64)
        if not self.coverage.place_many(positions, section.span, first_line):
            return False
        if section.kind == "fixedStep":
            section.next_pos += section.step * n
        self.fast_runs += 1
        return True

    def finish(self) -> dict[str, Any]:
        if self.coverage.values == 0:
            self.ctx.report(c.EMPTY, "no data values")
        return {"values": self.coverage.values, "chromosomes": len(self.coverage.seen),
                "fast_runs": self.fast_runs}


def _longest_line(chunk: bytes) -> int:
    buf = np.frombuffer(chunk, dtype=np.uint8)
    ends = np.concatenate(([-1], np.flatnonzero(buf == 10), [buf.size]))
    return int(np.diff(ends).max()) - 1


def _dot_without_digit(chunk: bytes) -> bool:
    """Whether some '.' in the block follows a non-digit (as in '.5'): only then are runs searched for it."""
    buf = np.frombuffer(chunk, dtype=np.uint8)
    dots = np.flatnonzero(buf == 46)
    if dots.size == 0:
        return False
    before = buf[np.maximum(dots - 1, 0)]
    return bool(dots[0] == 0) or bool(np.any((before < 48) | (before > 57)))


@register
class WigValidator(FormatValidator):
    """UCSC wiggle (variableStep / fixedStep / bedGraph-style lines), plain or gzip."""

    format = "wig"
    version = "1"

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        codes = ReadCodes(c.TRUNCATED, c.UNREADABLE)
        return (yield from check_text(source, ctx, WigFile(ctx), codes, "checking WIG values"))
