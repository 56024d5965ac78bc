"""Record rules shared by SAM text and BAM/CRAM: what the fields mean together.

Syntax is the reader's business (text regexes for SAM; htslib already decoded
BAM/CRAM). Here the decoded integer fields are checked against each other and
against the header: FLAG bits, positions within @SQ lengths, CIGAR versus
sequence length, read groups, the claimed sort order, and duplicate/missing
mates among consecutive records of one read. Integer comparisons come first
and the rare paths last, because this runs once for every read of a BAM.
"""

from __future__ import annotations

import re

from depositdesk.validators.base import Context
from depositdesk.validators.formats import _sam_codes as c
from depositdesk.validators.formats._sam_header import SamHeader

UNDEFINED_BITS = ~0xFFF & 0xFFFF
MATE_BITS = 0x2 | 0x8 | 0x20 | 0x40 | 0x80
_DIGITS = re.compile(r"(\d+)")


def natural_key(name: str) -> list[tuple[int, int | str]]:
    """samtools' "natural" queryname order: digit runs compare as numbers."""
    return [(1, int(part)) if part.isdigit() and len(part) <= 40 else (0, part) for part in _DIGITS.split(name) if part]


class RecordRules:
    """Checks one decoded record at a time; keeps the little state order checks need."""

    def __init__(self, ctx: Context, header: SamHeader, references: list[str], lengths: list[int]) -> None:
        self.ctx = ctx
        self.header = header
        self.references = references
        self.lengths = lengths
        self.rg_ids = header.rg_ids
        self.records = 0
        so = header.sort_order
        self._coordinate = so == "coordinate"
        self._queryname = so == "queryname"
        self._grouped = self._queryname or header.group_order == "query"
        self._last_coord = (-1, 0)
        self._last_name: str | None = None
        self._lex_broken = 0  # record number where byte order first failed (0 = never)
        self._natural_broken = 0
        self._group_name: str | None = None
        self._group_ends: dict[int, int] = {}  # end bits (0x40/0x80) -> flag of its primary record
        self._group_line: int | None = None

    # -- the per-record entry point -----------------------------------------------------
    def where(self, line: int | None, qname: str) -> str:
        """A record's place for a message: its line in SAM text, its number in BAM/CRAM."""
        if line is not None:
            return f"read {qname[:60]}"
        return f"record {self.records:,} (read {qname[:60]})"

    def check(self, line: int | None, qname: str, flag: int, tid: int, pos: int,
              ref_end: int | None, cigar_qlen: int | None, seq_len: int, rg: str | None) -> None:
        """``pos`` and ``ref_end`` are 1-based (0 = none); ``tid`` -1 = '*'; ``seq_len`` 0 = '*'.

        ``line`` is the SAM text line (None for BAM/CRAM, where the record number is used).
        The common good record is recognised by one expression of integer tests; only
        a record that fails it goes through the detailed checks that build messages.
        """
        self.records += 1
        if flag & 0x4:
            fine = not flag & UNDEFINED_BITS and cigar_qlen is None and (flag & 0x1 or not flag & MATE_BITS)
        else:
            fine = (not flag & UNDEFINED_BITS and tid >= 0 and 0 < pos <= self.lengths[tid]
                    and (ref_end is None or ref_end <= self.lengths[tid]) and (flag & 0x1 or not flag & MATE_BITS))
        if not fine or (seq_len and cigar_qlen is not None and cigar_qlen != seq_len) or \
                (rg is not None and rg not in self.rg_ids):
            self.field_findings(line, qname, flag, tid, pos, ref_end, cigar_qlen, seq_len, rg)
        if self._coordinate:
            key = (tid if tid >= 0 else 1 << 40, pos)
            if key < self._last_coord:
                self.out_of_order(line, qname)
            self._last_coord = key
        elif self._queryname:
            self.check_queryname(line, qname)
        if qname != self._group_name:
            self._close_group()
            self._group_name = qname
            self._group_ends = {}
            self._group_line = line
        end = flag & 0xC0
        if not flag & 0x900 and flag & 0x1 and (end == 0x40 or end == 0x80):
            self._primary_end(line, qname, flag, end)

    def field_findings(self, line: int | None, qname: str, flag: int, tid: int, pos: int,
                        ref_end: int | None, cigar_qlen: int | None, seq_len: int, rg: str | None) -> None:
        report = self.ctx.report
        if flag & UNDEFINED_BITS:
            report(c.FLAG, f"{self.where(line, qname)}: FLAG {flag} sets bits above 0x800 that the spec "
                   "does not define", line=line)
        if not flag & 0x1 and flag & MATE_BITS:
            report(c.FLAG_ODD, f"{self.where(line, qname)}: FLAG {flag} sets mate bits on a read that is "
                   "not paired (0x1)", line=line)
        if tid >= 0:
            length = self.lengths[tid]
            if pos > length:
                report(c.POS_BEYOND_REF, f"{self.where(line, qname)}: POS {pos:,} is beyond the end of "
                       f"{self.references[tid]} (length {length:,})", line=line)
            elif ref_end is not None and ref_end > length and not flag & 0x4:
                report(c.END_BEYOND_REF, f"{self.where(line, qname)}: alignment ends at {ref_end:,}, past "
                       f"the end of {self.references[tid]} (length {length:,})", line=line)
        if flag & 0x4:
            if cigar_qlen is not None:
                report(c.FLAG_ODD, f"{self.where(line, qname)}: unmapped read (0x4) carries a CIGAR",
                       line=line)
        elif tid < 0 or pos == 0:
            report(c.FLAG_ODD, f"{self.where(line, qname)}: read is flagged mapped but has no "
                   "reference/position", line=line)
        if seq_len and cigar_qlen is not None and cigar_qlen != seq_len:
            report(c.CIGAR_SEQ, f"{self.where(line, qname)}: CIGAR covers {cigar_qlen} bases but SEQ has "
                   f"{seq_len}", line=line)
        if rg is not None and rg not in self.rg_ids:
            report(c.RG_UNKNOWN, f"{self.where(line, qname)}: RG:Z:{rg} is not declared by an @RG line",
                   line=line)

    # -- order ------------------------------------------------------------------------
    def out_of_order(self, line: int | None, qname: str) -> None:
        self.ctx.report(c.SORT_ORDER, f"{self.where(line, qname)}: the header says SO:coordinate but this "
                        "read comes before the previous one in reference order", line=line)
        self._coordinate = False  # one finding is enough: the claim is false

    def check_queryname(self, line: int | None, qname: str) -> None:
        last = self._last_name
        self._last_name = qname
        if last is None or qname == last:
            return
        if not self._lex_broken and qname < last:
            self._lex_broken = self.records
        if not self._natural_broken and natural_key(qname) < natural_key(last):
            self._natural_broken = self.records
        if self._lex_broken and self._natural_broken:
            self.ctx.report(c.SORT_ORDER, f"{self.where(line, qname)}: the header says SO:queryname but read "
                            f"names are in neither byte order (broken at record {self._lex_broken:,}) nor "
                            f"natural order (broken at record {self._natural_broken:,})", line=line)
            self._queryname = False

    # -- records of one read -------------------------------------------------------------
    def _primary_end(self, line: int | None, qname: str, flag: int, end: int) -> None:
        """Only the two ends of a paired read are tracked, among consecutive records of one name."""
        if qname == "*":
            return
        if end in self._group_ends:
            self.ctx.report(c.MATE_SAME_END, f"{self.where(line, qname)}: a second primary record for the "
                            "same end of this read", line=line)
        else:
            self._group_ends[end] = flag

    def _close_group(self) -> None:
        if not self._grouped or self._group_name is None:
            return
        for end, flag in self._group_ends.items():
            if flag & 0x1 and end in (0x40, 0x80) and (end ^ 0xC0) not in self._group_ends:
                self.ctx.report(c.MATE_MISSING, f"read {self._group_name}: its mate is not in this "
                                "name-grouped file", line=self._group_line)

    def finish(self) -> None:
        self._close_group()
        if self.records == 0:
            self.ctx.report(c.NO_RECORDS)
