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

import re
from typing import Any

from depositdesk.progress import Task
from depositdesk.validators.base import Context, FormatValidator, Source, register
from depositdesk.validators.formats import _gff3_codes as c
from depositdesk.validators.formats._gff3_codes import *  # noqa: F403 - the codes, for importers
from depositdesk.validators.formats._gff3_columns import MAX_COORD, ColumnChecker
from depositdesk.validators.formats._gff3_fast import FEATURE_LINE, PHASES
from depositdesk.validators.formats._gff3_graph import SHORT_CDS, FeatureGraph
from depositdesk.validators.formats._textlines import ReadCodes, check_text, decode_lines

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
        # "seqid\tsource\ttype" -> (the one shared seqid, lowest start, highest end, the one shared type)
        # for the fast lane: the combinations already checked by the careful path
        self._seq_fast: dict[str, tuple[str, int, int, str]] = {}

    def feed(self, chunk: bytes, first_line: int) -> None:
        lines, utf8 = decode_lines(chunk)
        if not utf8:
            self._report_once(c.NOT_UTF8, "bytes that are not UTF-8 text", first_line)
        if b"\r" in chunk:
            self._report_once(c.CRLF, "lines end with CR LF", first_line)
            lines = [line.rstrip("\r") for line in lines]
        self.lines = first_line - 1 + len(lines)
        if first_line == 1 and lines:
            self._other_line(lines[0], 1)
            self._feed_lines(lines[1:], 1)
        else:
            self._feed_lines(lines, first_line - 1)

    def _feed_lines(self, lines: list[str], lineno: int) -> None:
        """The lines after ``lineno``: plain feature lines in the fast lane, the rest one by one."""
        if self.in_fasta:
            for line in lines:
                lineno += 1
                self._fasta_line(line, lineno)
            return
        graph = self.graph
        ids, forward, cds, multi, report = graph.ids, graph.forward, graph.cds, graph.multi, self.ctx.report
        seq_fast = self._seq_fast
        last_parents: str | None = graph.last_parents
        not_fast = 0  # lines that did not take the fast lane (each fast line is one feature)
        before = lineno
        for line, m in zip(lines, map(_feature_match, lines)):
            lineno += 1
            if m is not None:
                lead, start_s, end_s, strand, phase_s, fid, parents, _ = m.groups()
                known_lead = seq_fast.get(lead)
                start = int(start_s)
                end = int(end_s)
                if known_lead is not None and start <= end and known_lead[1] <= start and end <= known_lead[2]:
                    seqid, _, _, kind = known_lead
                    if parents is not None:
                        if parents == last_parents:
                            parents = last_parents  # siblings share one string (memory of files without ###)
                        last_parents = parents
                        if parents == fid:
                            graph.add(seqid, kind, start, end, strand, PHASES[phase_s], fid, parents, None, lineno)
                            continue
                    else:
                        last_parents = None
                    if fid is not None:
                        known = ids.get(fid)
                        if known is None:
                            ids[fid] = (seqid, lineno, kind, parents)
                        elif known[2] is kind and known[0] is seqid and known[3] == parents:
                            multi.add(fid)  # one more part of a multi-line feature (CDS), consistent
                        else:
                            graph.another_part(fid, known, seqid, kind, parents, lineno)
                    if parents is not None:
                        known = ids.get(parents)
                        if known is None:
                            forward.append((parents, lineno, seqid))
                        elif known[0] is not seqid and known[0] != seqid:
                            graph.seqid_mismatch(lineno, seqid, known)
                        if kind == "CDS":
                            part = (start, end, PHASES[phase_s], lineno, strand, fid)
                            parts = cds.get(parents)
                            if parts is None:
                                cds[parents] = (part,)
                            elif type(parts) is tuple:
                                cds[parents] = parts + (part,) if len(parts) < SHORT_CDS else [*parts, part]
                            else:
                                parts.append(part)  # type: ignore[union-attr]
                    elif kind == "CDS" and phase_s == ".":
                        report(c.PHASE_MISSING, "CDS without a phase", line=lineno, column=8)
                    continue
            elif line == "###":
                not_fast += 1
                # (the wording is only needed for undefined Parents: not formatted for every gene)
                graph.close_block(f" in the block that ends at the '###' on line {lineno}" if forward else "")
                ids, forward, cds, multi = graph.ids, graph.forward, graph.cds, graph.multi
                continue
            not_fast += 1
            graph.last_parents = last_parents
            self._careful_line(line, lineno)
            if self.in_fasta:
                self.features += lineno - before - not_fast
                self._feed_lines(lines[lineno - before:], lineno)
                return
            ids, forward, cds, multi = graph.ids, graph.forward, graph.cds, graph.multi
            last_parents = graph.last_parents
        graph.last_parents = last_parents
        self.features += lineno - before - not_fast

    def _careful_line(self, line: str, lineno: int) -> None:
        """One line the fast lane did not take, checked as it always was; then the fast lane's seqid table."""
        regions, circular = len(self.regions.bounds), len(self.columns.circular)
        if line and line[0] not in "#>":
            self._feature_line(line, lineno)
            self._admit_lead(line)
        else:
            self._other_line(line, lineno)
        if len(self.regions.bounds) != regions or len(self.columns.circular) != circular:
            self._seq_fast.clear()  # new bounds: every seqid is looked at again

    def _admit_lead(self, line: str) -> None:
        """Let lines with this seqid, source and type into the fast lane once the careful path checked them.

        The seqid must also have been used by a good feature (or have bounds): the fast lane does
        not record it as used, which matters for a later ##sequence-region of that seqid.
        """
        cols = line.split("\t", 3)
        if len(cols) < 4 or len(self._seq_fast) >= 100_000:
            return
        seqid, source, type_, _ = cols
        known = self.columns.seqids_seen.get(seqid)
        kind = self.columns.types_seen.get(type_)
        if known is None or kind is None or source not in self.columns.sources_seen:
            return
        bounds = self.regions.bounds.get(seqid)
        lead = line[:len(seqid) + len(source) + len(type_) + 2]
        if bounds is not None:
            high = MAX_COORD if seqid in self.columns.circular else bounds[1]
            self._seq_fast[lead] = (known, bounds[0], high, kind)
        elif seqid in self.regions.seqids_used:
            self._seq_fast[lead] = (known, 1, MAX_COORD, kind)

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
        codes = ReadCodes(c.TRUNCATED, c.UNREADABLE)
        return (yield from check_text(source, ctx, Gff3File(ctx), codes, "checking GFF3 features"))


def _feature_match(line: str) -> re.Match[str] | None:
    """The fast lane's match, or None for coordinates of more than 18 digits (int() of thousands of
    digits raises; the precise reader reports them)."""
    m = FEATURE_LINE.fullmatch(line)
    return m if m is None or (len(m.group(2)) <= 18 and len(m.group(3)) <= 18) else None
