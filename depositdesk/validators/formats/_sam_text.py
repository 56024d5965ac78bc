"""SAM text: the field syntax of SAM v1.6 section 1.4 and the optional fields of 1.5.

htslib's SAM parser is lenient and reports through stderr, so SAM text is
parsed here, line by line, with the spec's own regular expressions; every
finding gets its line number. The decoded fields then go through the same
`RecordRules` as BAM and CRAM records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from depositdesk.progress import Progress
from depositdesk.validators.base import Context, Source
from depositdesk.validators.formats import _sam_codes as c
from depositdesk.validators.formats._sam_header import MAX_POS, REF_NAME, HeaderChecker, SamHeader
from depositdesk.validators.formats._sam_records import RecordRules

QNAME = re.compile(r"[!-?A-~]{1,254}\Z")
UINT = re.compile(r"[0-9]+\Z")
SINT = re.compile(r"[-+]?[0-9]+\Z")
CIGAR = re.compile(r"(?:[0-9]+[MIDNSHPX=])+\Z")
CIGAR_OP = re.compile(r"([0-9]+)([MIDNSHPX=])")
CLIPS = re.compile(r"(?:[0-9]+H)?(?:[0-9]+S)?(?:[0-9]+[MIDNP=X])*(?:[0-9]+S)?(?:[0-9]+H)?\Z")
SEQ = re.compile(r"[A-Za-z=.]+\Z")
QUAL = re.compile(r"[!-~]+\Z")
# The spec's [-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)? written so no two parts match the same digits:
# linear, where the spec's form backtracked quadratically on a long run of digits (1 s for 5 KB).
FLOAT = r"[-+]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
TAG_FIELD = re.compile(r"([A-Za-z][A-Za-z0-9]):([AifZHB]):(.*)\Z", re.S)
TAG_VALUE = {
    "A": re.compile(r"[!-~]\Z"),
    "i": SINT,
    "f": re.compile(FLOAT + r"\Z"),
    "Z": re.compile(r"[ !-~]*\Z"),
    "H": re.compile(r"(?:[0-9A-F][0-9A-F])*\Z"),
    "B": re.compile(r"[cCsSiIf](?:," + FLOAT + r")*\Z"),
}
ARRAY_RANGES = {"c": (-128, 127), "C": (0, 255), "s": (-32768, 32767), "S": (0, 65535),
                "i": (-(2**31), 2**31 - 1), "I": (0, 2**32 - 1)}
QUERY_OPS = frozenset("MIS=X")
REF_OPS = frozenset("MDN=X")
PROGRESS_EVERY = 20000


def _lines(stream: Iterable[bytes]) -> Iterator[str]:
    for raw in stream:
        yield raw.decode("utf-8", "replace").rstrip("\n").rstrip("\r")


class SamTextReader:
    """One pass over SAM text: header lines first, then alignment lines."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.header_checker = HeaderChecker(ctx)
        self.rules: RecordRules | None = None
        self.header: SamHeader | None = None

    def run(self, stream: Iterable[bytes], source: Source) -> Iterator[Progress]:
        for line_no, line in enumerate(_lines(stream), 1):
            if self.rules is None and line.startswith("@"):
                self.header_checker.feed(line_no, line)
                continue
            if self.rules is None:
                self.start_records()
            if line:
                self.record(line_no, line)
            if line_no % PROGRESS_EVERY == 0:
                yield source.progress("checking alignments")
        if self.rules is None:
            self.start_records()

    def start_records(self) -> None:
        self.header = self.header_checker.finish()
        names = self.header.sq_names
        self._tids = {name: i for i, name in enumerate(names)}
        self.rules = RecordRules(self.ctx, self.header, names, [self.header.sq_lengths[n] for n in names])

    def finish(self) -> dict[str, int]:
        assert self.rules is not None
        self.rules.finish()
        return {"records": self.rules.records, "references": len(self._tids)}

    # -- one alignment line ------------------------------------------------------------
    def record(self, line_no: int, line: str) -> None:
        fields = line.split("\t")
        report = self.ctx.report
        if len(fields) < 11:
            report(c.FIELDS, f"{len(fields)} fields, 11 needed", line=line_no)
            return
        qname, flag_s, rname, pos_s, mapq_s, cigar, rnext, pnext_s, tlen_s, seq, qual = fields[:11]
        ok = True
        if not QNAME.match(qname):
            report(c.QNAME, f"QNAME {qname[:40]!r} is not 1-254 printable characters without '@'", line=line_no)
        flag = _number(flag_s, 0, 0xFFFF)
        if flag is None:
            report(c.FLAG, f"FLAG {flag_s!r} is not an integer from 0 to 65535", line=line_no)
            ok = False
        tid = self._reference(line_no, "RNAME", rname, allow_equals=False)
        pos = _number(pos_s, 0, MAX_POS)
        if pos is None:
            report(c.POS, f"POS {pos_s!r} is not an integer from 0 to 2^31-1", line=line_no)
            ok = False
        if _number(mapq_s, 0, 255) is None:
            report(c.MAPQ, f"MAPQ {mapq_s!r} is not an integer from 0 to 255", line=line_no)
        query_len, ref_len = self._cigar(line_no, cigar)
        self._reference(line_no, "RNEXT", rnext, allow_equals=True)
        if _number(pnext_s, 0, MAX_POS) is None:
            report(c.POS, f"PNEXT {pnext_s!r} is not an integer from 0 to 2^31-1", line=line_no)
        if not SINT.match(tlen_s) or abs(_int(tlen_s)) > MAX_POS:
            report(c.TLEN, f"TLEN {tlen_s!r} is not an integer between -(2^31-1) and 2^31-1", line=line_no)
        seq_len = self._seq_qual(line_no, seq, qual)
        rg = self._tags(line_no, fields[11:])
        if ok and tid is not None and self.rules is not None and flag is not None and pos is not None:
            ref_end = pos + ref_len - 1 if query_len is not None and pos else None
            self.rules.check(line_no, qname, flag, tid, pos, ref_end, query_len, seq_len, rg)

    def _reference(self, line_no: int, column: str, name: str, *, allow_equals: bool) -> int | None:
        """The reference index of a name (-1 for '*'), or None when it is bad or unknown."""
        if name == "*" or (allow_equals and name == "="):
            return -1
        if not REF_NAME.match(name):
            self.ctx.report(c.RNAME, f"{column} {name[:40]!r} is not a valid reference name", line=line_no)
            return None
        tid = self._tids.get(name)
        if tid is None:
            self.ctx.report(c.RNAME_UNKNOWN, f"{column} {name[:40]} has no @SQ line", line=line_no)
        return tid

    def _cigar(self, line_no: int, cigar: str) -> tuple[int | None, int]:
        """(query length, reference length) of a CIGAR; (None, 0) for '*' or a bad one."""
        if cigar == "*":
            return None, 0
        if not CIGAR.match(cigar):
            self.ctx.report(c.CIGAR, f"CIGAR {cigar[:40]!r} is not <length><op> pairs of MIDNSHP=X",
                            line=line_no)
            return None, 0
        if ("H" in cigar or "S" in cigar) and not CLIPS.match(cigar):
            self.ctx.report(c.CIGAR, f"CIGAR {cigar[:40]}: H may only be at the ends, and S only "
                            "between H and the ends", line=line_no)
        query = ref = 0
        for length, op in CIGAR_OP.findall(cigar):
            if op in QUERY_OPS:
                query += _int(length)
            if op in REF_OPS:
                ref += _int(length)
        return query, ref

    def _seq_qual(self, line_no: int, seq: str, qual: str) -> int:
        report = self.ctx.report
        seq_len = 0
        if seq != "*":
            if SEQ.match(seq):
                seq_len = len(seq)
            else:
                report(c.SEQ, f"SEQ holds characters other than letters, '=' and '.': {seq[:40]!r}",
                       line=line_no)
        if qual == "*":
            return seq_len
        if not QUAL.match(qual):
            report(c.QUAL, "QUAL holds characters outside '!'..'~' (a space or a TAB?)", line=line_no)
        elif seq == "*":
            report(c.QUAL, "QUAL is given but SEQ is '*'", line=line_no)
        elif seq_len and len(qual) != seq_len:
            report(c.QUAL, f"QUAL has {len(qual)} characters but SEQ has {seq_len} bases", line=line_no)
        return seq_len

    def _tags(self, line_no: int, fields: list[str]) -> str | None:
        seen: set[str] = set()
        rg: str | None = None
        for item in fields:
            if not item:
                continue  # a trailing TAB: harmless, and common
            m = TAG_FIELD.match(item)
            if m is None:
                self.ctx.report(c.TAG, f"{item[:40]!r} is not TAG:TYPE:VALUE (types A i f Z H B)", line=line_no)
                continue
            tag, kind, value = m.groups()
            if tag in seen:
                self.ctx.report(c.TAG, f"tag {tag} appears twice", line=line_no)
            seen.add(tag)
            problem = _tag_value_problem(kind, value)
            if problem:
                self.ctx.report(c.TAG, f"{tag}:{kind}: {problem}", line=line_no)
            elif tag == "RG" and kind == "Z":
                rg = value
        return rg


def _tag_value_problem(kind: str, value: str) -> str | None:
    if not TAG_VALUE[kind].match(value):
        return f"{value[:40]!r} is not a valid {kind} value"
    if kind == "i" and not -(2**31) <= _int(value) <= 2**32 - 1:
        return f"{value} is outside the 32-bit integer range"
    if kind == "B" and value[0] in ARRAY_RANGES:
        low, high = ARRAY_RANGES[value[0]]
        for item in value.split(",")[1:]:
            if not SINT.match(item) or not low <= _int(item) <= high:
                return f"array value {item} does not fit type '{value[0]}' ({low}..{high})"
    return None


def _number(text: str, low: int, high: int) -> int | None:
    if not UINT.match(text):
        return None
    n = _int(text)
    return n if low <= n <= high else None


def _int(text: str) -> int:
    """int() of a field already matched as digits; one of thousands of digits (int() refuses over 4300,
    and is slow long before) is taken as 10**40, beyond every range checked here."""
    if len(text) <= 40:
        return int(text)
    return -(10**40) if text.startswith("-") else 10**40
