"""FASTQ records checked in three gears: whole blocks at once, and line by line where it matters.

The fastest gear (``_fastq_blocks``) takes a block of bytes and checks it as
numpy positions without making a Python object per line; it takes blocks of
reads of one length with no defect. Otherwise the fast gear takes a block of complete four-line records as lists of lines
and checks them with operations that run in C over the whole block: ``'@'``
and ``'+'`` lines, per-record length equality (``map(len)`` compared as
lists), the sequence and quality alphabets (``bytes.translate`` deleting the
legal characters of the joined lines must leave nothing). Only when a block
passes are its reads counted and their names hashed.

When any check fails, or records are wrapped over several lines, the slow gear
re-reads the same lines one by one as a state machine (Biopython's reading of
FASTQ: sequence lines until '+', quality lines until as long as the sequence)
and says exactly which line and column is wrong. It hands back to the fast
gear as soon as it stands at a record boundary again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from depositdesk.validators.base import Context
from depositdesk.validators.formats import _fastq_codes as codes
from depositdesk.validators.formats._fastq_blocks import (
    SEQ_LETTERS,
    Block,
    check_block,
    record_lines,
)
from depositdesk.validators.formats._fastq_names import NameHashes, fingerprints_of

QUAL_CHARS = bytes(range(33, 127))
_HEADER, _SEQ, _QUAL, _SKIP, _PENDING = range(5)
_SAMPLE_HEAD = 64


def first_bad(text: bytes, allowed: bytes) -> tuple[int, str] | None:
    """(1-based column, printable character) of the first character not in ``allowed``."""
    bad = text.translate(None, allowed)
    if not bad:
        return None
    char = bad[:1]
    column = text.index(char) + 1
    shown = chr(char[0]) if 33 <= char[0] < 127 else f"0x{char[0]:02x}"
    return column, shown


def mate_name(name: bytes) -> str:
    """The read name as mates share it: no '@', no trailing /1 or /2."""
    text = name[1:].decode("ascii", "replace")
    return text[:-2] if text.endswith(("/1", "/2")) else text


@dataclass
class RecordChecker:
    """Streams lines in, findings out (through ``ctx``), statistics kept."""

    ctx: Context
    names: NameHashes
    targets: np.ndarray | None = None  # name hashes to locate (duplicate confirmation)
    line: int = 0
    reads: int = 0
    bases: int = 0
    qmin: int = 255
    qmax: int = 0
    zero_length: int = 0
    wrapped: int = 0
    has_u: bool = False
    sample: list[tuple[int, int, str]] = field(default_factory=list)
    last: tuple[int, int, str] | None = None
    located: list[tuple[bytes, int, bytes]] = field(default_factory=list)  # (name, line, header)
    # slow-gear state
    state: int = _HEADER
    header: bytes = b""
    header_line: int = 0
    seq_len: int = 0
    seq_lines: int = 0
    seq_u: bool = False
    seq_t: bool = False
    qual_len: int = 0
    qual_lines: int = 0
    blank_at: int | None = None
    held: bytes = b""
    held_line: int = 0
    _slow_names: list[bytes] = field(default_factory=list)
    _slow_lines: list[int] = field(default_factory=list)
    _slow_heads: list[bytes] = field(default_factory=list)
    _scratch: np.ndarray = field(default_factory=lambda: np.empty(0, bool))  # reused by record_lines

    # -- feeding -----------------------------------------------------------------

    def feed_block(self, data: bytes | bytearray, start: int = 0) -> int:
        """Check the complete lines of ``data`` from ``start``; returns where the checker stopped
        (the rest, less than a record when all is well, comes back with the next block)."""
        if self.state == _HEADER and self.blank_at is None:
            a = np.frombuffer(data, np.uint8)
            if len(self._scratch) < len(a) - start:
                self._scratch = np.empty(len(a) - start, bool)
            ends = record_lines(a, start, self._scratch)
            if not len(ends):
                return start
            end = int(ends[-1]) + 1
            block = check_block(data, a, ends, start)
            if block is not None:
                self._commit_block(block)
                return end
            lines = bytes(data[start:end]).split(b"\n")
            lines.pop()
            self.feed(lines)  # a whole number of records: all used
            return end
        end = data.rfind(b"\n", start) + 1
        if end <= start:
            return start
        lines = bytes(data[start:end]).split(b"\n")
        lines.pop()
        self._slow_all(lines)
        return end

    def feed(self, lines: list[bytes]) -> int:
        """Check complete lines; returns how many were used (the rest come back next time)."""
        if self.state == _HEADER and self.blank_at is None:
            k = len(lines) // 4 * 4
            if not k:
                return 0
            block = lines[:k] if k < len(lines) else lines
            if not self._fast(block):
                self._slow_all(block)
            return k
        self._slow_all(lines)
        return len(lines)

    def finish(self, lines: list[bytes]) -> None:
        """The last lines of the file, then the end-of-file checks."""
        self._slow_all(lines)
        if self.state == _PENDING:
            now, self.line = self.line, self.held_line
            self._short_quality()
            self.state = _HEADER
            self._header_line(self.held)
            self.line = now
            self._flush_slow_names()
        if self.state in (_SEQ, _QUAL):
            self.ctx.report(codes.TRUNCATED,
                            f"The file ends inside the record that starts at line {self.header_line}",
                            line=self.line)
        if self.blank_at is not None:
            self.ctx.report(codes.TRAILING_BLANK, line=self.blank_at)
        if self.reads == 0 and self.state != _SKIP:
            self.ctx.report(codes.NO_READS, "No FASTQ record was found in the file")

    # -- the fastest gear -----------------------------------------------------------------

    def _commit_block(self, block: Block) -> None:
        n = len(block)
        first = self.line + 1
        self._hashes(block.hashes, block.name, block.header, lambda i: first + 4 * i)
        self._take_sample(n, block.name, lambda i: first + 4 * i)
        self.qmin, self.qmax = min(self.qmin, block.qmin), max(self.qmax, block.qmax)
        self.has_u = self.has_u or block.has_u
        self.reads += n
        self.bases += block.bases
        self.line += 4 * n

    # -- the fast gear -----------------------------------------------------------------

    def _fast(self, lines: list[bytes]) -> bool:
        heads, seqs, pluses, quals = lines[0::4], lines[1::4], lines[2::4], lines[3::4]
        n = len(heads)
        first, last = min(heads), max(heads)  # byte order: all start with '@' and a name (no
        if first[:1] != b"@" or last[:1] != b"@" or first[1:2] <= b" ":  # whitespace/control after '@')
            return False
        if pluses.count(b"+") != n and not all(p == b"+" or p[1:] == h[1:] and p[:1] == b"+"
                                               for p, h in zip(pluses, heads)):
            return False
        if list(map(len, seqs)) != list(map(len, quals)):
            return False
        seq = b"".join(seqs)
        if seq.translate(None, SEQ_LETTERS):
            return False
        qual = b"".join(quals)
        qrange = _range(qual)
        if qrange[0] < 33 or qrange[1] > 126:
            return False
        names = _names(heads)
        has_u = b"U" in seq or b"u" in seq
        if has_u and (b"T" in seq or b"t" in seq) and any(_mixed(s) for s in seqs):
            return False
        self._commit_fast(names, heads, seqs, seq, qrange, has_u)
        return True

    def _commit_fast(self, names: list[bytes], heads: list[bytes], seqs: list[bytes], seq: bytes,
                     qrange: tuple[int, int], has_u: bool) -> None:
        n = len(names)
        if b"" in seqs:
            for i, s in enumerate(seqs):
                if not s:
                    self._zero_length(self.line + 4 * i + 2)
        first = self.line + 1
        self._hashes(fingerprints_of(names), names.__getitem__, heads.__getitem__, lambda i: first + 4 * i)
        self._take_sample(n, names.__getitem__, lambda i: first + 4 * i)
        if qrange[1]:
            self.qmin, self.qmax = min(self.qmin, qrange[0]), max(self.qmax, qrange[1])
        self.has_u = self.has_u or has_u
        self.reads += n
        self.bases += len(seq)
        self.line += 4 * n

    def _hashes(self, hashes: np.ndarray, name_at: Callable[[int], bytes], head_at: Callable[[int], bytes],
                line_at: Callable[[int], int]) -> None:
        """Keep the hashes; when confirming duplicates, note where the suspect names are."""
        self.names.add(hashes)
        if self.targets is None:
            return
        for i in np.flatnonzero(np.isin(hashes, self.targets)):
            self.located.append((name_at(int(i)), line_at(int(i)), head_at(int(i))))

    def _take_sample(self, n: int, name_at: Callable[[int], bytes], line_at: Callable[[int], int]) -> None:
        """Names of reads 0..63, of reads 2**k and of the last read, to compare mates later."""
        start, stop = self.reads, self.reads + n
        for index in range(start, min(stop, _SAMPLE_HEAD)):
            self.sample.append((index, line_at(index - start), mate_name(name_at(index - start))))
        k = _SAMPLE_HEAD
        while k < stop:
            if k >= start:
                self.sample.append((k, line_at(k - start), mate_name(name_at(k - start))))
            k *= 2
        self.last = (stop - 1, line_at(n - 1), mate_name(name_at(n - 1)))

    # -- the slow gear -----------------------------------------------------------------

    def _slow_all(self, lines: list[bytes]) -> None:
        step = self._slow_line
        for line in lines:
            step(line)
        self._flush_slow_names()

    def _flush_slow_names(self) -> None:
        if self._slow_names:
            names, lines, heads = self._slow_names, self._slow_lines, self._slow_heads
            self._slow_names, self._slow_lines, self._slow_heads = [], [], []
            self._hashes(fingerprints_of(names), names.__getitem__, heads.__getitem__, lines.__getitem__)

    def _slow_line(self, line: bytes) -> None:
        self.line += 1
        self._dispatch(line)

    def _dispatch(self, line: bytes) -> None:
        if self.state == _SEQ:
            self._sequence_line(line)
        elif self.state == _QUAL:
            self._quality_line(line)
        elif self.state == _PENDING:
            self._resolve(line)
        elif not line:
            if self.blank_at is None:
                self.blank_at = self.line
        else:
            self._header_line(line)

    def _resolve(self, line: bytes) -> None:
        """Was the held '@' line a header or a wrapped quality line? The next line tells."""
        held, held_line, now = self.held, self.held_line, self.line
        self.line = held_line
        if line[:1] == b"+" or (line and not line.translate(None, SEQ_LETTERS)):
            self._short_quality()
            self.state = _HEADER
            self._header_line(held)
        else:
            self.state = _QUAL
            self._quality_line(held, may_hold=False)
        self.line = now
        self._dispatch(line)

    def _short_quality(self) -> None:
        self.ctx.report(codes.QUAL_LEN, f"Quality ({self.qual_len}) shorter than sequence "
                        f"({self.seq_len}) in the record at line {self.header_line}", line=self.line - 1)
        self._end_record()

    def _header_line(self, line: bytes) -> None:
        if self.blank_at is not None:
            self.ctx.report(codes.BLANK_LINE, "Blank line between records", line=self.blank_at)
            self.blank_at = None
        if line[:1] == b"@":
            self._start(line)
        elif self.state != _SKIP:
            self.ctx.report(codes.HEADER, f"Expected a record starting with '@', found {_show(line)}",
                            line=self.line)
            self.state = _SKIP  # resynchronise on the next '@' line

    def _start(self, line: bytes) -> None:
        self.header, self.header_line = line, self.line
        self.seq_len = self.seq_lines = self.qual_len = self.qual_lines = 0
        self.seq_u = self.seq_t = False
        self.state = _SEQ
        if _name_of(line) == b"@":
            self.ctx.report(codes.NAME_EMPTY, line=self.line)

    def _sequence_line(self, line: bytes) -> None:
        if line[:1] == b"+":
            rest = line[1:]
            if rest and rest != self.header[1:]:
                self.ctx.report(codes.PLUS_ID, f"'+' line says {_show(rest)}, '@' line at line "
                                f"{self.header_line} says {_show(self.header[1:])}", line=self.line)
            self.state = _QUAL
            return
        if line[:1] == b"@" and self.seq_lines:
            self.ctx.report(codes.PLUS, f"The record at line {self.header_line} has no '+' line and "
                            "no quality before the next '@' line", line=self.line)
            self._start(line)
            return
        if not line and self.seq_lines:
            self.ctx.report(codes.BLANK_LINE, "Blank line inside a sequence", line=self.line)
        elif self.seq_lines == 1 and self.seq_len == 0:
            self.ctx.report(codes.BLANK_LINE, "Blank line where the sequence should be", line=self.line - 1)
        bad = first_bad(line, SEQ_LETTERS)
        if bad:
            self.ctx.report(codes.SEQ_CHAR, f"Character {bad[1]!r} in the sequence", line=self.line, column=bad[0])
        self.seq_u = self.seq_u or b"U" in line or b"u" in line
        self.seq_t = self.seq_t or b"T" in line or b"t" in line
        self.seq_len += len(line)
        self.seq_lines += 1

    def _quality_line(self, line: bytes, may_hold: bool = True) -> None:
        if (may_hold and self.seq_lines == 1 and self.qual_lines and line[:1] == b"@"
                and self.qual_len + len(line) != self.seq_len):
            # after a one-line sequence and a short quality: the next record, or a wrapped
            # quality line that starts with '@'? Hold it until the line after it is seen.
            self.held, self.held_line, self.state = line, self.line, _PENDING
            return
        bad = first_bad(line, QUAL_CHARS)
        if bad:
            self.ctx.report(codes.QUAL_CHAR, f"Character {bad[1]!r} in the quality", line=self.line, column=bad[0])
        elif line:
            values = np.frombuffer(line, np.uint8)
            self.qmin, self.qmax = min(self.qmin, int(values.min())), max(self.qmax, int(values.max()))
        self.qual_len += len(line)
        self.qual_lines += 1
        if self.qual_len >= self.seq_len:
            if self.qual_len > self.seq_len:
                self.ctx.report(codes.QUAL_LEN, f"Quality ({self.qual_len}) longer than sequence "
                                f"({self.seq_len}) in the record at line {self.header_line}", line=self.line)
            self._end_record()
            self.state = _HEADER

    def _end_record(self) -> None:
        if self.seq_lines > 1 or self.qual_lines > 1:
            self.wrapped += 1
            if self.wrapped == 1:
                self.ctx.report(codes.WRAPPED, f"The record at line {self.header_line} spans "
                                f"{self.seq_lines} sequence and {self.qual_lines} quality lines",
                                line=self.header_line)
        if self.seq_len == 0:
            self._zero_length(self.header_line + 1)
        if self.seq_u and self.seq_t:
            self.ctx.report(codes.MIXED_U_T, line=self.header_line + 1)
        self.has_u = self.has_u or self.seq_u
        name = _name_of(self.header)
        self._slow_names.append(name)
        self._slow_lines.append(self.header_line)
        self._slow_heads.append(self.header)
        self._take_sample(1, lambda i: name, lambda i: self.header_line)
        self.reads += 1
        self.bases += self.seq_len

    def _zero_length(self, line: int) -> None:
        self.zero_length += 1
        self.ctx.report(codes.EMPTY_READ, "Zero-length read", line=line)

    # -- results ---------------------------------------------------------------------------

    def mate_sample(self) -> list[list[Any]]:
        """[read index, line, name] of the sampled reads (see `_take_sample`)."""
        sample = list(self.sample)
        if self.last is not None and (not sample or sample[-1][0] != self.last[0]):
            sample.append(self.last)
        return [list(s) for s in sample]

    def encoding(self) -> str | None:
        """Phred+33 unless no quality is below '@' and some are above 'J' (Illumina 1.8's top)."""
        if self.qmax == 0:
            return None
        if self.qmin >= 64 and self.qmax > 74:
            return "Phred+64"
        if self.qmin >= 59 and self.qmax > 74:
            return "Solexa+64"
        return "Phred+33"

    def stats(self) -> dict[str, Any]:
        return {
            "reads": self.reads, "bases": self.bases, "quality_encoding": self.encoding(),
            "quality_range": [self.qmin, self.qmax] if self.qmax else None,
            "zero_length_reads": self.zero_length, "wrapped_records": self.wrapped,
            "rna": self.has_u, "_mate_sample": self.mate_sample(),
        }


def _name_of(header: bytes) -> bytes:
    """'@' and the read name: the header up to its first space or tab, as Illumina/CASAVA
    headers separate the name from the comment (a CR, VT or FF is part of the name)."""
    return header.split(b" ", 1)[0].split(b"\t", 1)[0]


def _names(heads: list[bytes]) -> list[bytes]:
    """The names (``_name_of``) of headers that all start with '@' and a non-blank character."""
    if b" " in heads[0] or b"\t" in heads[0]:
        return [_name_of(h) for h in heads]
    joined = b"".join(heads)
    return [_name_of(h) for h in heads] if b" " in joined or b"\t" in joined else heads


def _range(qual: bytes) -> tuple[int, int]:
    """(lowest, highest) quality byte; (255, 0) when there is none. Vectorised: no per-byte Python."""
    if not qual:
        return 255, 0
    values = np.frombuffer(qual, np.uint8)
    return int(values.min()), int(values.max())


def _mixed(seq: bytes) -> bool:
    return (b"U" in seq or b"u" in seq) and (b"T" in seq or b"t" in seq)


def _show(text: bytes, width: int = 40) -> str:
    shown = text[:width].decode("ascii", "backslashreplace")
    return repr(shown + ("…" if len(text) > width else ""))
