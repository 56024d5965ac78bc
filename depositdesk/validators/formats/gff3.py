"""GFF3 validator: the GFF3 specification (v1.26) as GenomeTools' ``gt gff3validator`` reads it.

One streaming pass: each feature line is checked on its own (`_gff3_columns`),
then handed to the feature graph (`_gff3_graph`) which resolves IDs, Parents
and CDS phases per ``###`` block. Pragmas (``##gff-version``,
``##sequence-region``, ``###``, ``##FASTA``, ``##genome-build``) are handled
here. The ``strict-modencode`` profile adds the modENCODE rules: a
``##genome-build`` line, parents before children, SO types as errors.

The codes live in `_gff3_codes` (shared by the helper modules) and are
re-exported here.
"""

from __future__ import annotations

from typing import Any

from depositdesk.progress import Task
from depositdesk.validators.base import Context, FormatValidator, Source, register
from depositdesk.validators.formats import _gff3_codes as c
from depositdesk.validators.formats._gff3_codes import *  # noqa: F403 - the codes, for importers
from depositdesk.validators.formats._gff3_columns import ColumnChecker
from depositdesk.validators.formats._gff3_graph import FeatureGraph
from depositdesk.validators.formats._textlines import ReadCodes, TextBlocks, decode_lines

VERSION_PRAGMA = "##gff-version"
REGION_PRAGMA = "##sequence-region"


class SequenceRegions:
    """``##sequence-region`` bounds and the features that must lie inside them."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.bounds: dict[str, tuple[int, int, int]] = {}  # seqid -> (start, end, line)
        self.seqids_used: set[str] = set()
        self.circular: set[str] = set()  # seqids of features with Is_circular=true: may wrap past the end

    def pragma(self, line: str, lineno: int) -> None:
        fields = line[len(REGION_PRAGMA):].split()
        for i, what in enumerate(("name", "start", "end")):
            if len(fields) <= i:
                self.ctx.report(c.REGION_SYNTAX, f"##sequence-region without its {what}", line=lineno)
                return
        name, start_s, end_s = fields[:3]
        numbers = []
        for text in (start_s, end_s):
            try:
                numbers.append(int(text))
            except ValueError:
                self.ctx.report(c.REGION_SYNTAX, f"##sequence-region {name}: '{text}' is not a whole number",
                                line=lineno)
                return
        start, end = numbers
        if start < 1 or end < 1:
            self.ctx.report(c.COORD_ZERO, f"##sequence-region {name} {start} {end}: positions start at 1",
                            line=lineno)
        elif start > end:
            self.ctx.report(c.START_AFTER_END, f"##sequence-region {name}: start {start} is larger than end {end}",
                            line=lineno)
        elif name in self.bounds:
            self.ctx.report(c.REGION_REPEATED, f"the sequence region '{name}' was already defined on line "
                            f"{self.bounds[name][2]}", line=lineno)
        elif name in self.seqids_used:
            self.ctx.report(c.REGION_AFTER_FEATURE, f"features on '{name}' come before its ##sequence-region",
                            line=lineno)
        else:
            self.bounds[name] = (start, end, lineno)

    def check(self, seqid: str, start: int, end: int, lineno: int) -> None:
        bounds = self.bounds.get(seqid)
        if bounds is None:
            self.seqids_used.add(seqid)
        elif start < bounds[0] or (end > bounds[1] and seqid not in self.circular):
            self.ctx.report(c.OUTSIDE_REGION, f"feature {start}..{end} is not inside {seqid} "
                            f"{bounds[0]}..{bounds[1]} (##sequence-region on line {bounds[2]})", line=lineno)


class Gff3File:
    """The state of one pass over a GFF3 file."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.columns = ColumnChecker(ctx)
        self.graph = FeatureGraph(ctx)
        self.regions = SequenceRegions(ctx)
        self.regions.circular = self.columns.circular
        self.features = 0
        self.lines = 0
        self.in_fasta = False
        self.fasta_sequences = 0
        self.genome_build = False
        self.version_seen = False
        self._once: set[str] = set()

    def feed(self, chunk: bytes, first_line: int) -> None:
        lines, utf8 = decode_lines(chunk)
        if not utf8:
            self._report_once(c.NOT_UTF8, "bytes that are not UTF-8 text", first_line)
        if b"\r" in chunk:
            self._report_once(c.CRLF, "lines end with CR LF", first_line)
            lines = [line.rstrip("\r") for line in lines]
        lineno = first_line - 1
        for line in lines:
            lineno += 1
            if line and line[0] not in "#>" and not self.in_fasta and lineno > 1:
                self._feature_line(line, lineno)  # nearly every line of a file
            else:
                self._other_line(line, lineno)
        self.lines = lineno

    def _other_line(self, line: str, lineno: int) -> None:
        if self.in_fasta:
            self._fasta_line(line, lineno)
        elif lineno == 1 and self._first_line(line):
            return
        elif not line:
            self._report_once(c.BLANK_LINE, "blank line", lineno)
        elif line[0] == "#":
            if line.startswith("##"):
                self._pragma(line, lineno)
        elif line[0] == ">":
            self._start_fasta()
            self._fasta_line(line, lineno)
        else:
            self._feature_line(line, lineno)

    def _feature_line(self, line: str, lineno: int) -> None:
        cols = line.split("\t")
        self.features += 1
        if len(cols) != 9:
            self.ctx.report(c.COLUMN_COUNT, f"{len(cols)} tab-separated columns instead of 9", line=lineno)
            return
        feature = self.columns.check_feature(cols, lineno)
        if feature is not None:
            seqid, type_, start, end, strand, phase, fid, parents, derives = feature
            self.regions.check(seqid, start, end, lineno)
            self.graph.add(seqid, type_, start, end, strand, phase, fid, parents, derives, lineno)

    def _first_line(self, line: str) -> bool:
        """Check line 1; True when it was the version pragma (and is done with)."""
        if not line.startswith(VERSION_PRAGMA):
            self.ctx.report(c.VERSION_MISSING, "line 1 is not '##gff-version 3'", line=1)
            return False
        self.version_seen = True
        version = line[len(VERSION_PRAGMA):].strip()
        major = version.split(".")[0]
        if not major.isdigit():
            self.ctx.report(c.VERSION_WRONG, f"'{version}' is not a GFF version number", line=1)
        elif major != "3":
            self.ctx.report(c.VERSION_WRONG, f"GFF version {version}; this must be GFF version 3", line=1)
        return True

    def _pragma(self, line: str, lineno: int) -> None:
        if line == "###":
            self.graph.close_block(f" in the block that ends at the '###' on line {lineno}")
        elif line.startswith(REGION_PRAGMA):
            self.regions.pragma(line, lineno)
        elif line.startswith(VERSION_PRAGMA):
            if self.version_seen:  # (a version line that is not line 1 is already VERSION_MISSING)
                self.ctx.report(c.VERSION_REPEATED, "a second ##gff-version line", line=lineno)
        elif line.startswith("##FASTA"):
            self._start_fasta()
        elif line.startswith("##genome-build"):
            self.genome_build = True

    def _start_fasta(self) -> None:
        self.graph.close_block(" before the FASTA section")
        self.in_fasta = True

    def _fasta_line(self, line: str, lineno: int) -> None:
        line = line.rstrip("\r")
        if line.startswith(">"):
            if not line[1:].strip():
                self.ctx.report(c.FASTA_INVALID, "a FASTA header without a sequence name", line=lineno)
            self.fasta_sequences += 1
        elif self.fasta_sequences == 0 and line:
            self._report_once(c.FASTA_INVALID, "the FASTA section does not start with a '>' line", lineno)

    def finish(self) -> dict[str, Any]:
        if self.lines == 0:
            self.ctx.report(c.EMPTY, "the file is empty")
        if not self.in_fasta:
            self.graph.close_block(" in the file" if self.graph.blocks == 0 else " after the last '###' line")
        if not self.genome_build and self.lines:
            self.ctx.report(c.GENOME_BUILD_MISSING, "no ##genome-build line")
        return {"lines": self.lines, "features": self.features, "blocks": self.graph.blocks,
                "sequence_regions": len(self.regions.bounds), "fasta_sequences": self.fasta_sequences}

    def _report_once(self, code: str, message: str, lineno: int) -> None:
        if code not in self._once:
            self._once.add(code)
            self.ctx.report(code, message, line=lineno)


@register
class Gff3Validator(FormatValidator):
    """GFF3 annotation (plain or gzip/BGZF compressed)."""

    format = "gff3"
    version = "1"

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        state = Gff3File(ctx)
        blocks = TextBlocks(source, ctx, ReadCodes(c.TRUNCATED, c.UNREADABLE))
        for chunk in blocks:
            state.feed(chunk, blocks.first_line)
            yield source.progress("checking GFF3 features")
        return state.finish()
