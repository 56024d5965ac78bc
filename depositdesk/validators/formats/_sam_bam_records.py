"""The record checks of `RecordRules`, as array operations over a chunk of BAM records.

A chunk is a bytes buffer and the offsets where its records start. The fixed
32-byte part of every record is gathered into one structured array; CIGAR
operations are gathered in one go to sum query and reference lengths; read
names are hashed to find runs of one read (duplicate primaries, missing
mates); read groups are found by one regular expression that only matches
RG values the header does not declare. A record that fails any test is handed
to `RecordRules` to build the finding, so messages are the same as for SAM.
"""

from __future__ import annotations

import re
import struct

import numpy as np

from depositdesk.validators.base import Context
from depositdesk.validators.formats import _sam_codes as c
from depositdesk.validators.formats._sam_header import SamHeader
from depositdesk.validators.formats._sam_records import MATE_BITS, UNDEFINED_BITS, RecordRules

FIXED = np.dtype([("size", "<i4"), ("tid", "<i4"), ("pos", "<i4"), ("l_name", "u1"), ("mapq", "u1"),
                  ("bin", "<u2"), ("n_cigar", "<u2"), ("flag", "<u2"), ("l_seq", "<i4"), ("next_tid", "<i4"),
                  ("next_pos", "<i4"), ("tlen", "<i4")])
QUERY_OPS = np.array([1, 1, 0, 0, 1, 0, 0, 1, 1] + [0] * 7, dtype=np.int64)  # M I D N S H P = X
REF_OPS = np.array([1, 0, 1, 1, 0, 0, 0, 1, 1] + [0] * 7, dtype=np.int64)
AUX_SIZES = {ord(k): v for k, v in {"A": 1, "c": 1, "C": 1, "s": 2, "S": 2, "i": 4, "I": 4, "f": 4}.items()}


class Damaged(Exception):
    """The bytes cannot be a BAM record stream (beyond what a finding per record can say)."""


class BamChunkChecker:
    def __init__(self, ctx: Context, header: SamHeader, references: list[str], lengths: list[int]) -> None:
        self.ctx = ctx
        self.rules = RecordRules(ctx, header, references, lengths)
        self.references = references
        self.lengths = np.asarray(lengths + [0], dtype=np.int64)  # index -1 reads the 0
        self.records = 0
        known = b"|".join(re.escape(rg.encode()) for rg in sorted(header.rg_ids))
        self.unknown_rg = re.compile(rb"RGZ(?!(?:" + known + rb")\x00)([^\x00]*)\x00" if known
                                     else rb"RGZ([^\x00]*)\x00")
        self.coordinate = header.sort_order == "coordinate"
        self.queryname = header.sort_order == "queryname"
        self.grouped = self.queryname or header.group_order == "query"
        self.last_key = (-1, -1)
        self.carry_print: list[int] | None = None  # the read whose records may continue in the next chunk
        self.carry_bits = 0
        self.cut_short = False  # the file ended early: the last read's mate may just be lost with it
        self.carry_name = ""

    # -- one chunk ----------------------------------------------------------------------------
    def check(self, buf: bytes, offsets: np.ndarray) -> None:
        k = offsets.size
        if not k:
            return
        words = Words(buf)
        fixed = words.rows(offsets, 9).view(FIXED).reshape(k)
        tid, flag = fixed["tid"].astype(np.int64), fixed["flag"].astype(np.int64)
        pos1 = fixed["pos"].astype(np.int64) + 1
        l_name, n_cigar = fixed["l_name"].astype(np.int64), fixed["n_cigar"].astype(np.int64)
        l_seq = fixed["l_seq"].astype(np.int64)
        n_ref = len(self.references)
        aux_start = offsets + 36 + l_name + 4 * n_cigar + (l_seq + 1) // 2 + l_seq
        ends = offsets + 4 + fixed["size"]
        broken = ((l_name < 1) | (l_seq < 0) | (aux_start > ends) | (tid < -1) | (tid >= n_ref)
                  | (fixed["next_tid"] < -1) | (fixed["next_tid"] >= n_ref) | (pos1 < 0) | (fixed["next_pos"] < -1))
        if broken.any():
            first = int(np.argmax(broken))
            raise Damaged(f"record {self.records + first + 1:,} is damaged (its lengths or reference ids are "
                          "impossible)")
        qlen, rlen, bad_op = self._cigar_lengths(words, offsets + 36 + l_name, n_cigar)
        has_cigar = n_cigar > 0
        length = self.lengths[tid]
        ref_end = pos1 + rlen - 1
        flag_ok = ((flag & UNDEFINED_BITS) == 0) & (((flag & 1) != 0) | ((flag & MATE_BITS) == 0))
        unmapped = (flag & 4) != 0
        fine = np.where(unmapped, flag_ok & ~has_cigar,
                        flag_ok & (tid >= 0) & (pos1 > 0) & (pos1 <= length) & (~has_cigar | (ref_end <= length)))
        fine &= ~((l_seq > 0) & has_cigar & (qlen != l_seq)) & ~bad_op
        unknown_rg = self._unknown_read_groups(buf, offsets, aux_start, ends)
        if unknown_rg:
            fine[list(unknown_rg)] = False
        for i in np.flatnonzero(~fine).tolist():
            self._one(buf, int(offsets[i]), fixed[i], int(qlen[i]), int(rlen[i]), bool(bad_op[i]),
                      unknown_rg.get(i), self.records + i + 1)
        if self.coordinate:
            self._coordinate_order(buf, offsets, tid, pos1)
        if self.queryname:
            self._queryname_order(buf, offsets, l_name)
        self._reads(buf, words, offsets, l_name, flag)
        self.records += k

    @staticmethod
    def _cigar_lengths(words: Words, starts: np.ndarray, counts: np.ndarray
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per record: query length, reference length, and whether an op code is unknown."""
        k, total = counts.size, int(counts.sum())
        if total == 0:
            zeros = np.zeros(k, np.int64)
            return zeros, zeros, np.zeros(k, bool)
        first = np.cumsum(counts) - counts
        owner = np.repeat(np.arange(k), counts)
        value = words.at(np.repeat(starts - 4 * first, counts) + 4 * np.arange(total)).astype(np.int64)
        op, size = value & 0xF, value >> 4
        qlen = np.bincount(owner, weights=size * QUERY_OPS[op], minlength=k).astype(np.int64)
        rlen = np.bincount(owner, weights=size * REF_OPS[op], minlength=k).astype(np.int64)
        bad = np.bincount(owner, weights=op > 8, minlength=k) > 0
        return qlen, rlen, bad

    def _unknown_read_groups(self, buf: bytes, offsets: np.ndarray, aux_start: np.ndarray,
                             ends: np.ndarray) -> dict[int, str]:
        """Records whose RG tag names an undeclared read group (usually none: one regex scan).

        A match inside another field's bytes is ruled out by walking that record's
        optional fields exactly.
        """
        found: dict[int, str] = {}
        for match in self.unknown_rg.finditer(buf, int(offsets[0])):
            i = int(np.searchsorted(offsets, match.start(), "right")) - 1
            if aux_start[i] <= match.start() < ends[i]:
                value = aux_value(buf, int(aux_start[i]), int(ends[i]), b"RG")
                if value is not None and value not in self.rules.rg_ids:
                    found[i] = value
        return found

    def _one(self, buf: bytes, offset: int, fixed: np.void, qlen: int, rlen: int, bad_op: bool,
             rg: str | None, number: int) -> None:
        name = read_name(buf, offset, int(fixed["l_name"]))
        if bad_op:
            self.ctx.report(c.CIGAR, f"record {number:,} (read {name}): CIGAR holds an unknown operation code")
        n_cigar, pos1 = int(fixed["n_cigar"]), int(fixed["pos"]) + 1
        self.rules.records = number
        self.rules.field_findings(None, name, int(fixed["flag"]), int(fixed["tid"]), pos1,
                                   pos1 + rlen - 1 if n_cigar else None, qlen if n_cigar else None,
                                   int(fixed["l_seq"]), rg)

    # -- order and runs of one read -------------------------------------------------------------
    def _coordinate_order(self, buf: bytes, offsets: np.ndarray, tid: np.ndarray, pos1: np.ndarray) -> None:
        major = np.where(tid >= 0, tid, 1 << 40)
        prev_major = np.concatenate(([self.last_key[0]], major[:-1]))
        prev_pos = np.concatenate(([self.last_key[1]], pos1[:-1]))
        back = (major < prev_major) | ((major == prev_major) & (pos1 < prev_pos))
        if back.any():
            i = int(np.argmax(back))
            self.rules.records = self.records + i + 1
            self.rules.out_of_order(None, read_name(buf, int(offsets[i]), int(buf[offsets[i] + 12])))
            self.coordinate = False
        self.last_key = (int(major[-1]), int(pos1[-1]))

    def _queryname_order(self, buf: bytes, offsets: np.ndarray, l_name: np.ndarray) -> None:
        rules = self.rules
        for i, (offset, size) in enumerate(zip(offsets.tolist(), l_name.tolist())):
            rules.records = self.records + i + 1
            rules.check_queryname(None, read_name(buf, offset, size))
            if not rules._queryname:
                self.queryname = False
                return

    def _reads(self, buf: bytes, words: Words, offsets: np.ndarray, l_name: np.ndarray, flag: np.ndarray) -> None:
        """Runs of records with one name: a read end's second primary record, or (grouped files) a lost mate.

        Group 0 is the read carried over from the previous chunk (it may have no
        records here); groups 1.. start where the name changes. The last group
        is carried on, since its records may continue in the next chunk.
        """
        prints = words.name_prints(offsets + 36, l_name - 1)
        new = np.empty(offsets.size, bool)
        new[0] = self.carry_print is None or prints[0].tolist() != self.carry_print or \
            read_name(buf, int(offsets[0]), int(l_name[0])) != self.carry_name
        new[1:] = (prints[1:] != prints[:-1]).any(axis=1)
        for i in (np.flatnonzero(~new[1:]) + 1).tolist():  # same print: are the names really equal?
            if buf[offsets[i] + 36: offsets[i] + 35 + l_name[i]] != \
                    buf[offsets[i - 1] + 36: offsets[i - 1] + 35 + l_name[i - 1]]:
                new[i] = True
        group = np.cumsum(new)
        starts = np.flatnonzero(new)  # first record of groups 1, 2, ...
        end = flag & 0xC0
        primary_end = ((flag & 0x900) == 0) & ((flag & 1) != 0) & ((end == 0x40) | (end == 0x80))
        bit = np.where(end == 0x40, 1, 2) * primary_end
        bits = np.zeros(int(group[-1]) + 1, np.int64)
        np.bitwise_or.at(bits, group, bit)
        idx = np.flatnonzero(primary_end)
        for i in idx[(group[idx] == 0) & ((bit[idx] & self.carry_bits) != 0)].tolist()[:50]:
            if read_name(buf, int(offsets[i]), int(l_name[i])) == self.carry_name:
                self._second_primary(i, self.carry_name)
        bits[0] |= self.carry_bits
        if idx.size:
            key = group[idx] * 4 + bit[idx]
            order = np.argsort(key, kind="stable")
            for r in np.flatnonzero(key[order][1:] == key[order][:-1]).tolist()[:50]:
                b = int(idx[order[r + 1]])  # runs hold exactly equal names (compared above)
                self._second_primary(b, read_name(buf, int(offsets[b]), int(l_name[b])))
        if self.grouped:
            for g in np.flatnonzero((bits[:-1] == 1) | (bits[:-1] == 2)).tolist():
                first = int(starts[g - 1]) if g else -1
                self._lost_mate(int(bits[g]), read_name(buf, int(offsets[first]), int(l_name[first]))
                                if g else self.carry_name)
        last = int(starts[-1]) if starts.size else -1
        if last >= 0:
            self.carry_name = read_name(buf, int(offsets[last]), int(l_name[last]))
        self.carry_print, self.carry_bits = prints[-1].tolist(), int(bits[-1])

    def _second_primary(self, i: int, name: str) -> None:
        self.ctx.report(c.MATE_SAME_END, f"record {self.records + i + 1:,} (read {name}): a second primary "
                        "record for the same end of this read")

    def _lost_mate(self, bits: int, name: str) -> None:
        if bits in (1, 2):
            self.ctx.report(c.MATE_MISSING, f"read {name}: its mate is not in this name-grouped file")

    def finish(self) -> None:
        if self.grouped and self.carry_print is not None and not self.cut_short:
            self._lost_mate(self.carry_bits, self.carry_name)
        self.rules.records = self.records
        self.rules._group_name = None
        self.rules.finish()


class Words:
    """Little-endian 32-bit words at any byte position of a buffer, gathered in bulk.

    BAM fields sit at arbitrary alignments; four aligned views (one per
    position mod 4) let numpy gather whole words instead of single bytes.
    """

    def __init__(self, buf: bytes) -> None:
        self.size = len(buf)
        self.views = [np.frombuffer(buf, "<u4", (len(buf) - r) // 4, r) for r in range(4)]

    def at(self, positions: np.ndarray) -> np.ndarray:
        """The word starting at each position (positions past the end read the last whole word)."""
        positions = np.minimum(positions, self.size - 4)
        out = np.empty(positions.shape, np.uint32)
        rest = positions & 3
        for r, view in enumerate(self.views):
            chosen = rest == r
            out[chosen] = view[positions[chosen] >> 2]
        return out

    def rows(self, starts: np.ndarray, n: int) -> np.ndarray:
        """``n`` consecutive words from each start: a (len(starts), n) array."""
        out = np.empty((starts.size, n), np.uint32)
        rest = starts & 3
        steps = np.arange(n)
        for r, view in enumerate(self.views):
            chosen = rest == r
            out[chosen] = view[(starts[chosen] >> 2)[:, None] + steps]
        return out

    def name_prints(self, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """A fingerprint of each name: its length and last 8 bytes (zeroed before a shorter name).

        The end of a read name (tile, x, y) is where names differ. Equal
        fingerprints are only a hint; names are compared exactly where it matters.
        """
        tail = self.rows(starts + np.maximum(sizes - 8, 0), 2).astype(np.uint64)
        keep = np.where(sizes >= 8, np.uint64(0xFFFFFFFFFFFFFFFF),
                        (np.uint64(1) << (8 * np.minimum(sizes, 7)).astype(np.uint64)) - np.uint64(1))
        prints = np.empty((starts.size, 2), np.uint64)
        prints[:, 0] = sizes
        prints[:, 1] = (tail[:, 0] | tail[:, 1] << np.uint64(32)) & keep
        return prints


def read_name(buf: bytes, offset: int, l_name: int) -> str:
    return buf[offset + 36: offset + 35 + l_name].decode("ascii", "replace")


def aux_value(buf: bytes, start: int, end: int, tag: bytes) -> str | None:
    """The Z value of ``tag`` in one record's optional fields, walked exactly; None if absent or damaged."""
    pos = start
    while pos + 3 <= end:
        name, kind = buf[pos: pos + 2], buf[pos + 2]
        pos += 3
        if kind in (0x5A, 0x48):  # Z, H: NUL-terminated
            stop = buf.find(b"\0", pos, end)
            if stop < 0:
                return None
            if name == tag and kind == 0x5A:
                return buf[pos:stop].decode("ascii", "replace")
            pos = stop + 1
        elif kind == 0x42:  # B: subtype, count, values
            if pos + 5 > end:
                return None
            size = AUX_SIZES.get(buf[pos])
            if size is None:
                return None
            pos += 5 + size * struct.unpack_from("<i", buf, pos + 1)[0]
        elif kind in AUX_SIZES:
            pos += AUX_SIZES[kind]
        else:
            return None
    return None
