"""FASTQ (plain, gzip, BGZF): records, alphabets, lengths, qualities, unique names, mates.

One pass: a reading thread hashes and gunzips (depositdesk.validators.blocks)
while this thread checks 2 MiB blocks of records (``_fastq_records``: a numpy
gear for whole blocks, ``_fastq_blocks``, and line-wise gears that say where a
problem is). Read
names are kept as 64-bit hashes only (``_fastq_names``); when two hashes are
equal the file is read a second time to confirm with the real names and to
say where they are, so that pass costs only files that have a problem.

Mates (R1/R2) are compared after both files are read, from a sample of names
each file keeps (reads 1-64, every power of two, the last one) and the read
counts: see ``check_pair``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from depositdesk.findings import Finding
from depositdesk.progress import Progress, Task
from depositdesk.validators.base import Context, FormatValidator, Source, register
from depositdesk.validators.blocks import BlockReader
from depositdesk.validators.formats import _fastq_codes as codes
from depositdesk.validators.formats._fastq_names import NameHashes
from depositdesk.validators.formats._fastq_records import RecordChecker, mate_name

if TYPE_CHECKING:
    from depositdesk.validators.engine import FileReport

__all__ = ["FastqValidator", "codes"]

_MAX_DUPLICATES = 1000
_HEADROOM = 64 << 10
_NAME_HASHES = 3_000_000  # hashes held before spilling (24 MB): a 1 GB FASTQ (2.9 M reads) never
# spills, which spared ~0.05 s CPU per GB of sorting and 128 small files; larger ones spill per 3 M


@register
class FastqValidator(FormatValidator):
    format = "fastq"
    version = "1"
    hashes_raw_bytes: ClassVar[bool] = True

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        names = NameHashes(_NAME_HASHES, spill_dir=ctx.options.get("spill_dir"))
        try:
            checker = RecordChecker(ctx, names)
            yield from scan(source, checker)
            encoding = checker.encoding()
            if encoding in ("Phred+64", "Solexa+64"):
                ctx.report(codes.PHRED64, f"Qualities range from {chr(checker.qmin)!r} to {chr(checker.qmax)!r}: "
                           f"{encoding}")
            suspects = names.duplicates(_MAX_DUPLICATES)
            if len(suspects):
                yield from confirm_duplicates(source, ctx, suspects)
            return checker.stats()
        finally:
            names.close()

    @classmethod
    def check_pair(cls, first: FileReport, second: FileReport,
                   profile: str) -> Task[tuple[list[Finding], list[Finding]]]:
        """Same read count, and the sampled reads carry the same names in both mates."""
        ctx1, ctx2 = Context(first.path, profile), Context(second.path, profile)
        one, two = first.stats, second.stats
        if "reads" not in one or "reads" not in two:
            return [], []
        _compare_counts(one, two, ctx1, ctx2, first.path, second.path)
        sampled = _first_sampled_mismatch(one, two)
        if sampled is not None:
            exact = yield from _first_mismatch(Path(first.path), Path(second.path))
            _report_mismatch(exact or sampled, one, two, ctx1, ctx2, first.path, second.path)
        return ctx1.findings(), ctx2.findings()


def scan(source: Source, checker: RecordChecker) -> Task[None]:
    """Feed the whole content to the checker, block by block, with progress.

    The lines a block edge cut from their record (``carry``) are put in the
    headroom the reader leaves before each block's content, and the checker
    goes on from there: no copy of the whole block per block.
    """
    carry = b""  # the lines of the last block the checker left (a record cut by the block edge)
    crlf = False
    reader = BlockReader(source, headroom=_HEADROOM)
    try:
        for block in reader:
            if crlf or block.find(b"\r", _HEADROOM) >= 0:  # CR LF: a CR cut from its LF ends `carry`
                crlf = True
                data = (carry + block[_HEADROOM:]).replace(b"\r\n", b"\n")
                carry = bytes(data[checker.feed_block(data):])
            elif len(carry) <= _HEADROOM:
                start = _HEADROOM - len(carry)
                block[start:_HEADROOM] = carry
                carry = bytes(block[checker.feed_block(block, start):])
            else:  # a record longer than the headroom (long reads)
                data = carry + block[_HEADROOM:]
                carry = bytes(data[checker.feed_block(data):])
            yield source.progress("checking reads")
    finally:
        reader.close()
    lines = carry.split(b"\n")
    partial = lines.pop()
    if partial.endswith(b"\r"):
        partial = partial[:-1]
    checker.finish(lines + ([partial] if partial else []))
    if crlf:
        checker.ctx.report(codes.CRLF)


def confirm_duplicates(source: Source, ctx: Context, suspects: np.ndarray) -> Task[None]:
    """Second pass, only when name hashes repeat: real names and their lines."""
    quiet = Context(ctx.file, ctx.profile, cap=0)
    rescan = Source(source.path, source.sniffed, source.size, md5=None)
    names = NameHashes()
    try:
        checker = RecordChecker(quiet, names, targets=np.sort(suspects))
        yield from scan(rescan, checker)
    finally:
        names.close()
    places: dict[bytes, list[tuple[int, bytes]]] = {}
    for name, line, header in sorted(checker.located, key=lambda item: item[1]):
        places.setdefault(name, []).append((line, header))
    repeated = {name: [line for line, _ in seen] for name, seen in places.items() if len(seen) > 1}
    if repeated and all(_mates(seen) for seen in places.values() if len(seen) > 1):
        ctx.report(codes.INTERLEAVED, f"{len(repeated):,}{'+' if len(suspects) >= _MAX_DUPLICATES else ''} "
                   "read names occur twice, always in consecutive records (mates R1 and R2 in one file)",
                   line=min(lines[0] for lines in repeated.values()))
        return
    for name, lines in repeated.items():
        for line in lines[1:]:
            ctx.report(codes.DUPLICATE_NAME, f"Read name {name[1:].decode('ascii', 'replace')!r} "
                       f"already used at line {lines[0]}", line=line)


def _mates(seen: list[tuple[int, bytes]]) -> bool:
    """Two consecutive records with one name and different comments (1:N:... / 2:N:...)."""
    return len(seen) == 2 and seen[1][0] - seen[0][0] == 4 and seen[0][1] != seen[1][1]


def _compare_counts(one: dict[str, Any], two: dict[str, Any], ctx1: Context, ctx2: Context,
                    path1: str, path2: str) -> None:
    if one["reads"] != two["reads"]:
        ctx1.report(codes.PAIR_COUNT, f"{one['reads']:,} reads here, {two['reads']:,} in the mate file {path2}")
        ctx2.report(codes.PAIR_COUNT, f"{two['reads']:,} reads here, {one['reads']:,} in the mate file {path1}")


Mismatch = tuple[int, str, str]  # read index (0-based), name in R1, name in R2


def _first_sampled_mismatch(one: dict[str, Any], two: dict[str, Any]) -> Mismatch | None:
    """The first read whose name differs among those both files sampled in their single pass."""
    by_index = {int(i): str(name) for i, _, name in two.get("_mate_sample") or []}
    for index, _, name in one.get("_mate_sample") or []:
        other = by_index.get(int(index))
        if other is not None and other != name:
            return int(index), str(name), other
    return None


def _first_mismatch(path1: Path, path2: Path) -> Task[Mismatch | None]:
    """Read both mates in step (only when the samples disagree) to find the very first difference."""
    import dnaio  # noqa: PLC0415 - only when mates differ: keeps 20 ms of imports off every validation

    try:
        with dnaio.open(path1) as reads1, dnaio.open(path2) as reads2:
            for index, (a, b) in enumerate(zip(reads1, reads2)):
                name1, name2 = mate_name(b"@" + a.id.encode()), mate_name(b"@" + b.id.encode())
                if name1 != name2:
                    return index, name1, name2
                if index % 65536 == 0:
                    yield Progress(index, None, "comparing mates", unit="reads")
    except (dnaio.exceptions.FileFormatError, OSError, EOFError, ValueError):
        return None  # a broken file: its own findings say why; the sampled difference stands
    return None


def _report_mismatch(mismatch: Mismatch, one: dict[str, Any], two: dict[str, Any], ctx1: Context,
                     ctx2: Context, path1: str, path2: str) -> None:
    index, name1, name2 = mismatch
    line1 = 4 * index + 1 if not one.get("wrapped_records") else None
    line2 = 4 * index + 1 if not two.get("wrapped_records") else None
    ctx1.report(codes.PAIR_NAMES, f"Read {index + 1:,} is {name1!r} here but {name2!r} in {path2}", line=line1)
    ctx2.report(codes.PAIR_NAMES, f"Read {index + 1:,} is {name2!r} here but {name1!r} in {path1}", line=line2)
