"""SAM header checks, shared by the SAM, BAM and CRAM validators.

The header is text in all three formats, so one checker reads it line by line
and builds the small model the record checks need (reference names and
lengths, read-group IDs, the claimed sort order). Rules are the SAM v1.6
specification's section 1.3 and its conformance suite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from depositdesk.validators.base import Context
from depositdesk.validators.formats import _sam_codes as c

REF_NAME = re.compile(r"[0-9A-Za-z!#$%&+./:;?@^_|~-][0-9A-Za-z!#$%&*+./:;=?@^_|~-]*\Z")
"""Reference names: printable, not starting with '*' or '=', no \\ , " ' ` () [] {} <>."""
TAG = re.compile(r"[A-Za-z][A-Za-z0-9]\Z")
VERSION = re.compile(r"[0-9]+\.[0-9]+\Z")
MD5 = re.compile(r"[0-9a-f]{32}\Z")
SUB_SORT = re.compile(r"(coordinate|queryname|unsorted)(:[A-Za-z0-9_-]+)+\Z")
ISO_DATE = re.compile(
    r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d\d(:?\d\d)?)?)?\Z")
INTEGER = re.compile(r"[+-]?\d+\Z")
SORT_ORDERS = {"unknown", "unsorted", "queryname", "coordinate"}
GROUP_ORDERS = {"none", "query", "reference"}
PLATFORMS = {"CAPILLARY", "DNBSEQ", "ELEMENT", "HELICOS", "ILLUMINA", "IONTORRENT", "LS454", "ONT",
             "PACBIO", "SINGULAR", "SOLID", "ULTIMA"}
MAX_POS = 2**31 - 1


@dataclass
class SamHeader:
    """What the record checks need from the header."""

    sq_names: list[str] = field(default_factory=list)
    sq_lengths: dict[str, int] = field(default_factory=dict)
    rg_ids: set[str] = field(default_factory=set)
    sort_order: str | None = None
    group_order: str | None = None
    lines: int = 0


class HeaderChecker:
    """Feed header lines in order; `finish` gives the `SamHeader` model."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.header = SamHeader()
        self._pg_ids: set[str] = set()
        self._pg_parents: list[tuple[int, str]] = []
        self._seen_hd = False

    def feed(self, line_no: int, line: str) -> None:
        self.header.lines += 1
        kind = line[1:3]
        if kind == "CO" and (len(line) == 3 or line[3] == "\t"):
            return
        if len(line) < 3 or (len(line) > 3 and line[3] != "\t"):
            self.ctx.report(c.HEADER_LINE, f"header line does not start with '@XX' and a TAB: {_clip(line)!r}",
                            line=line_no)
            return
        if kind not in ("HD", "SQ", "RG", "PG"):
            self.ctx.report(c.HEADER_TYPE, f"unknown header record type '@{kind}'", line=line_no)
            return
        tags = self._tags(line_no, line)
        if tags is None:
            return
        getattr(self, f"_{kind.lower()}")(line_no, tags)

    def _tags(self, line_no: int, line: str) -> dict[str, str] | None:
        tags: dict[str, str] = {}
        for item in line.split("\t")[1:]:
            key, sep, value = item.partition(":")
            if not sep or not TAG.match(key):
                self.ctx.report(c.HEADER_LINE, f"'{_clip(item)}' is not a TAG:VALUE field", line=line_no)
                return None
            if key in tags:
                self.ctx.report(c.HEADER_TAG_DUP, f"tag {key} appears twice on the @{line[1:3]} line",
                                line=line_no)
            tags[key] = value
        return tags

    def _hd(self, line_no: int, tags: dict[str, str]) -> None:
        if self._seen_hd or self.header.lines != 1:
            self.ctx.report(c.HEADER_HD, "@HD must be the first header line and appear once", line=line_no)
        self._seen_hd = True
        if "VN" not in tags:
            self.ctx.report(c.HEADER_HD, "@HD has no VN (format version)", line=line_no)
        elif not VERSION.match(tags["VN"]):
            self.ctx.report(c.HEADER_HD, f"@HD VN:{tags['VN']} is not <major>.<minor>, e.g. 1.6", line=line_no)
        so = tags.get("SO")
        if so is not None and so not in SORT_ORDERS:
            self.ctx.report(c.HEADER_HD, f"@HD SO:{so} is not one of {', '.join(sorted(SORT_ORDERS))}",
                            line=line_no)
        self.header.sort_order = so
        go = tags.get("GO")
        if go is not None and go not in GROUP_ORDERS:
            self.ctx.report(c.HEADER_HD, f"@HD GO:{go} is not one of none, query, reference", line=line_no)
        self.header.group_order = go
        ss = tags.get("SS")
        if ss is not None and not SUB_SORT.match(ss):
            self.ctx.report(c.HEADER_HD, f"@HD SS:{ss} is not <coordinate|queryname|unsorted>:<sub-sort>",
                            line=line_no)

    def _sq(self, line_no: int, tags: dict[str, str]) -> None:
        name, length = tags.get("SN"), tags.get("LN")
        if name is None or length is None:
            self.ctx.report(c.HEADER_SQ, "@SQ needs both SN (name) and LN (length)", line=line_no)
        if name is not None:
            if not REF_NAME.match(name):
                self.ctx.report(c.HEADER_SQ, f"@SQ SN:{_clip(name)} is not a valid reference name", line=line_no)
            if name in self.header.sq_lengths:
                self.ctx.report(c.HEADER_SQ_DUP, f"reference {name} is declared twice", line=line_no)
        n = _int(length)
        if length is not None and (n is None or not 1 <= n <= MAX_POS):
            self.ctx.report(c.HEADER_SQ, f"@SQ LN:{length} is not a length from 1 to 2^31-1", line=line_no)
        if "M5" in tags and not MD5.match(tags["M5"]):
            self.ctx.report(c.HEADER_SQ, f"@SQ M5:{tags['M5']} is not 32 lowercase hex digits", line=line_no)
        if name is not None and name not in self.header.sq_lengths:
            self.header.sq_names.append(name)
            self.header.sq_lengths[name] = n if n is not None and n > 0 else MAX_POS

    def _rg(self, line_no: int, tags: dict[str, str]) -> None:
        rg_id = tags.get("ID")
        if rg_id is None:
            self.ctx.report(c.HEADER_RG, "@RG has no ID", line=line_no)
        elif rg_id in self.header.rg_ids:
            self.ctx.report(c.HEADER_RG_DUP, f"read group ID {rg_id} is declared twice", line=line_no)
        else:
            self.header.rg_ids.add(rg_id)
        if "DT" in tags and not ISO_DATE.match(tags["DT"]):
            self.ctx.report(c.HEADER_RG, f"@RG DT:{tags['DT']} is not an ISO 8601 date", line=line_no)
        if "PI" in tags and not INTEGER.match(tags["PI"]):
            self.ctx.report(c.HEADER_RG, f"@RG PI:{tags['PI']} is not an integer insert size", line=line_no)
        platform = tags.get("PL")
        if platform is None:
            self.ctx.report(c.HEADER_RG_NO_PLATFORM, f"read group {rg_id} has no PL (platform)", line=line_no)
        elif platform.upper() not in PLATFORMS:
            self.ctx.report(c.HEADER_RG_PLATFORM, f"@RG PL:{platform} is not a platform the spec lists",
                            line=line_no)

    def _pg(self, line_no: int, tags: dict[str, str]) -> None:
        pg_id = tags.get("ID")
        if pg_id is None:
            self.ctx.report(c.HEADER_PG, "@PG has no ID", line=line_no)
        elif pg_id in self._pg_ids:
            self.ctx.report(c.HEADER_PG, f"program ID {pg_id} is declared twice", line=line_no)
        else:
            self._pg_ids.add(pg_id)
        if "PP" in tags:
            self._pg_parents.append((line_no, tags["PP"]))

    def finish(self, binary_references: int = 0) -> SamHeader:
        """``binary_references``: BAM/CRAM also list references outside the text (old writers left it empty)."""
        for line_no, parent in self._pg_parents:
            if parent not in self._pg_ids:
                self.ctx.report(c.HEADER_PG, f"@PG PP:{parent} names no @PG ID", line=line_no)
        if not self.header.sq_names and not binary_references:
            self.ctx.report(c.HEADER_NO_SQ)
        return self.header


def check_header_text(text: str, ctx: Context, binary_references: int = 0) -> SamHeader:
    """Check a whole header (BAM/CRAM hold it as one text block beside a binary reference list)."""
    checker = HeaderChecker(ctx)
    for n, line in enumerate(text.split("\n"), 1):
        if line:
            checker.feed(n, line.rstrip("\r"))
    return checker.finish(binary_references)


def _int(text: str | None) -> int | None:
    if text is None or not INTEGER.match(text):
        return None
    return int(text) if len(text) <= 40 else 10**40   # thousands of digits: out of range, not a ValueError


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "…"
