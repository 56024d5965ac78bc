"""FASTQ (plain, gzip, BGZF): records, alphabets, lengths, qualities, unique names, mates.

One pass: a reading thread hashes and gunzips (depositdesk.validators.blocks)
while this thread checks 4 MiB blocks of records (``_fastq_records``). Read
names are kept as 64-bit hashes only (``_fastq_names``); when two hashes are
equal the file is read a second time to confirm with the real names and to
say where they are, so that pass costs only files that have a problem.

Mates (R1/R2) are compared after both files are read, from a sample of names
each file keeps (reads 1-64, every power of two, the last one) and the read
counts: see ``check_pair``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from depositdesk.findings import Finding
from depositdesk.progress import Task
from depositdesk.validators.base import Context, FormatValidator, Source, register
from depositdesk.validators.blocks import BlockReader
from depositdesk.validators.formats import _fastq_codes as codes
from depositdesk.validators.formats._fastq_names import NameHashes
from depositdesk.validators.formats._fastq_records import RecordChecker

if TYPE_CHECKING:
    from depositdesk.validators.engine import FileReport

__all__ = ["FastqValidator", "codes"]

_MAX_DUPLICATES = 1000


@register
class FastqValidator(FormatValidator):
    format = "fastq"
    version = "1"
    hashes_raw_bytes: ClassVar[bool] = True

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        names = NameHashes(spill_dir=ctx.options.get("spill_dir"))
        try:
            checker = RecordChecker(ctx, names)
            yield from scan(source, checker)
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
        if "reads" in one and "reads" in two:
            _compare_mates(one, two, ctx1, ctx2, first.path, second.path)
        yield from ()
        return ctx1.findings(), ctx2.findings()


def scan(source: Source, checker: RecordChecker) -> Task[None]:
    """Feed the whole content to the checker, block by block, with progress."""
    pending: list[bytes] = []
    partial = b""
    crlf = False
    reader = BlockReader(source)
    try:
        for block in reader:
            data = partial + block if partial else block
            if b"\r" in data:
                crlf = True
                data = data.replace(b"\r\n", b"\n")
            lines = data.split(b"\n")
            partial = lines.pop()
            if pending:
                lines = pending + lines
            used = checker.feed(lines)
            pending = lines[used:] if used < len(lines) else []
            yield source.progress("checking reads")
    finally:
        reader.close()
    if partial.endswith(b"\r"):
        partial = partial[:-1]
    checker.finish(pending + ([partial] if partial else []))
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
    seen: dict[bytes, int] = {}
    for _, name, line in sorted(checker.located, key=lambda item: item[2]):
        first = seen.setdefault(name, line)
        if first != line:
            ctx.report(codes.DUPLICATE_NAME, f"Read name {name[1:].decode('ascii', 'replace')!r} "
                       f"already used at line {first}", line=line)


def _compare_mates(one: dict[str, Any], two: dict[str, Any], ctx1: Context, ctx2: Context,
                   path1: str, path2: str) -> None:
    if one["reads"] != two["reads"]:
        message = f"{one['reads']:,} reads here, {two['reads']:,} in the mate file"
        ctx1.report(codes.PAIR_COUNT, f"{message} {path2}")
        ctx2.report(codes.PAIR_COUNT, f"{two['reads']:,} reads here, {one['reads']:,} in the mate file {path1}")
    for (index, line1, name1), (line2, name2) in _matching_samples(one, two):
        if name1 != name2:
            ctx1.report(codes.PAIR_NAMES, f"Read {index + 1:,} is {name1!r} here but {name2!r} "
                        f"at line {line2} of {path2}", line=line1)
            ctx2.report(codes.PAIR_NAMES, f"Read {index + 1:,} is {name2!r} here but {name1!r} "
                        f"at line {line1} of {path1}", line=line2)
            return


def _matching_samples(one: dict[str, Any], two: dict[str, Any]) -> Iterator[tuple[tuple[int, int, str],
                                                                                 tuple[int, str]]]:
    by_index = {int(i): (int(line), str(name)) for i, line, name in two.get("mate_sample") or []}
    for index, line, name in one.get("mate_sample") or []:
        if int(index) in by_index:
            yield (int(index), int(line), str(name)), by_index[int(index)]
