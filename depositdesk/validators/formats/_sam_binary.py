"""CRAM through pysam (htslib), and the end-of-file marker checks of BAM and CRAM.

htslib decodes; we check. Truncation is found two ways: the end-of-file
marker (BGZF's empty block, CRAM's EOF container) is read from the file's
tail, and a read that stops mid-record raises OSError from htslib. Both are
SAM-TRUNCATED, apart from content errors. htslib's own messages go to stderr,
so its log level is lowered while we read and its exceptions become findings.
(BAM itself is decoded in bulk by `_sam_bam`; this pysam path reads BAM too
and is what CRAM uses.)

CRAM is read without the reference: REF_PATH/REF_CACHE point at a local
directory that does not exist (htslib would otherwise fetch sequences from
the EBI server), and the reader is told not to decode sequences
(``required_fields``), which need the reference. Everything else is checked.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pysam

from depositdesk.progress import Progress, Task
from depositdesk.validators.base import Context, Source
from depositdesk.validators.formats import _sam_codes as c
from depositdesk.validators.formats._sam_cram_layout import layout_problem
from depositdesk.validators.formats._sam_header import SamHeader, check_header_text
from depositdesk.validators.formats._sam_records import RecordRules

BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")
CRAM2_EOF = bytes.fromhex("0b000000ffffffff0fe0454f460000000001000001000606010001000100")
CRAM3_EOF = bytes.fromhex("0f000000ffffffff0fe0454f4600000000010005bdd94f0001000606010001000100ee63014b")
# htslib SAM_* field bits: everything but SEQ (0x200), which needs the reference to decode.
CRAM_FIELDS_WITHOUT_SEQ = 0x1FFF & ~0x200
NO_NETWORK_REFS = "/nonexistent/depositdesk-offline/%2s/%2s/%s"
PROGRESS_EVERY = 1 << 16


def _tail(path: Path, n: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        fh.seek(max(0, size - n))
        return fh.read()


def missing_eof_marker(path: Path, fmt: str) -> str | None:
    """Why the file lacks its end-of-file marker, or None when it has it."""
    with open(path, "rb") as fh:
        head = fh.read(6)
    if fmt == "bam":
        return None if _tail(path, len(BGZF_EOF)) == BGZF_EOF else "the BGZF end-of-file block is missing"
    if not head.startswith(b"CRAM") or len(head) < 6:
        return None  # not CRAM at all: htslib says so when opening
    major = head[4]
    expected = {2: CRAM2_EOF, 3: CRAM3_EOF}.get(major)
    if expected is None or _tail(path, len(expected)) == expected:
        return None
    return f"the CRAM {major}.{head[5]} end-of-file container is missing"


@contextlib.contextmanager
def quiet_offline_htslib() -> Iterator[None]:
    """Silence htslib's stderr log and keep it from fetching references over the network."""
    saved = {k: os.environ.get(k) for k in ("REF_PATH", "REF_CACHE")}
    os.environ["REF_PATH"] = NO_NETWORK_REFS
    os.environ["REF_CACHE"] = NO_NETWORK_REFS
    level = pysam.set_verbosity(0)
    try:
        yield
    finally:
        pysam.set_verbosity(level)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def quiet_pysam_teardown() -> Iterator[None]:
    """pysam raises again while freeing a file whose close failed (a damaged BAM/CRAM).

    Python can only print that, through sys.excepthook or sys.unraisablehook
    ("Closing failed"); the failure is already a finding, so the echo is dropped.
    The hooks are swapped only while one file is read.
    """
    previous_unraisable, previous_except = sys.unraisablehook, sys.excepthook

    def is_echo(exc: BaseException | None, obj: Any = None) -> bool:
        return "Closing failed" in str(exc) or "AlignmentFile" in repr(obj)

    def unraisable_hook(unraisable: Any) -> None:
        if not is_echo(unraisable.exc_value, unraisable.object):
            previous_unraisable(unraisable)

    def except_hook(kind: type[BaseException], exc: BaseException, tb: Any) -> None:
        if not is_echo(exc):
            previous_except(kind, exc, tb)

    sys.unraisablehook, sys.excepthook = unraisable_hook, except_hook
    try:
        yield
    finally:
        gc.collect()  # free the half-closed handle while the hooks still listen
        sys.unraisablehook, sys.excepthook = previous_unraisable, previous_except


def open_alignments(source: Source, fmt: str) -> Any:
    options = [f"required_fields={CRAM_FIELDS_WITHOUT_SEQ}"] if fmt == "cram" else None
    mode = "rc" if fmt == "cram" else "rb"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pysam warns of a missing EOF block: we report it ourselves
        return pysam.AlignmentFile(str(source.path), mode, check_sq=False, ignore_truncation=True,
                                   format_options=options)


def library_error(ctx: Context, exc: BaseException, where: str, *, cut_off: bool = False) -> None:
    """An htslib failure as a finding: truncation apart from everything else.

    ``cut_off``: the end-of-file marker is missing, so a read error is the cut, not bad content.
    """
    text = str(exc) or type(exc).__name__
    if cut_off or "truncat" in text.lower() or "eof" in text.lower():
        ctx.report(c.TRUNCATED, f"{where}: htslib: {text}")
    else:
        ctx.report(c.UNREADABLE, f"{where}: htslib: {text}")


def read_binary(source: Source, ctx: Context, fmt: str) -> Task[dict[str, Any]]:
    """Check a BAM/CRAM (a task: yields progress, returns statistics)."""
    stats: dict[str, Any] = {"records": 0}
    why = missing_eof_marker(source.path, fmt)
    if why:
        ctx.report(c.TRUNCATED, f"{why}; the file was probably cut off")
    corrupt = layout_problem(source.path) if fmt == "cram" else None
    if corrupt:   # htslib would trust the size and allocate it (4 GB for a 727-byte file)
        ctx.report(c.UNREADABLE, f"{corrupt}; the file was not decoded")
        source.bytes_read = source.size
        return stats
    try:
        handle = open_alignments(source, fmt)
    except (OSError, ValueError) as exc:
        library_error(ctx, exc, "opening the file")
        return stats
    try:
        text = _header_text(handle, ctx)
        references, lengths = _references(handle, ctx, text)
        header = check_header_text(text, ctx, len(references))
        compare_binary_references(ctx, header, references, lengths)
        rules = RecordRules(ctx, header, references, lengths)
        try:
            yield from _records(handle, rules, source, fmt)
        except (OSError, ValueError) as exc:
            library_error(ctx, exc, f"reading stopped after record {rules.records:,}", cut_off=bool(why))
        except NotImplementedError:
            pass  # pysam refuses to iterate a header-only file: no records
        rules.finish()
        stats = {"records": rules.records, "references": len(references)}
    finally:
        with contextlib.suppress(OSError):
            handle.close()  # htslib may fail again closing a damaged file: already reported
    if fmt == "cram" and stats["records"]:
        ctx.report(c.CRAM_NO_REFERENCE)
    source.bytes_read = source.size
    return stats


def _header_text(handle: Any, ctx: Context) -> str:
    """The header text; bytes that are not UTF-8 are a finding and read as U+FFFD (pysam raises)."""
    try:
        return handle.text or ""
    except UnicodeDecodeError as exc:
        raw = exc.object if isinstance(exc.object, bytes) else b""
        line = raw.count(b"\n", 0, exc.start) + 1
        ctx.report(c.HEADER_NOT_UTF8, f"header line {line}: byte 0x{raw[exc.start]:02X} is not UTF-8"
                   if raw else "the header text is not UTF-8")
        return raw.decode("utf-8", "replace")


def _references(handle: Any, ctx: Context, text: str) -> tuple[list[str], list[int]]:
    """The binary reference list; when a name is not UTF-8 (pysam raises), the @SQ lines' names."""
    try:
        return list(handle.references), list(handle.lengths)
    except UnicodeDecodeError:
        if not any(f.code == c.HEADER_NOT_UTF8 for f in ctx.findings()):
            ctx.report(c.HEADER_NOT_UTF8, "a reference name is not UTF-8")
    names, lengths = [], []
    for line in text.splitlines():
        if line.startswith("@SQ"):
            tags = dict(f.split(":", 1) for f in line.split("\t")[1:] if ":" in f)
            length = tags.get("LN", "0")
            names.append(tags.get("SN", ""))
            lengths.append(int(length) if length.isascii() and length.isdigit() and len(length) < 12 else 0)
    return names, lengths


def compare_binary_references(ctx: Context, header: SamHeader, references: list[str], lengths: list[int]) -> None:
    """BAM keeps a binary reference list beside the header text; they must agree."""
    if header.sq_names and header.sq_names != references:
        ctx.report(c.HEADER_SQ, "the @SQ lines of the header text and the BAM reference list differ")
    elif header.sq_names and [header.sq_lengths[n] for n in references] != lengths:
        ctx.report(c.HEADER_SQ, "the @SQ lengths of the header text and the BAM reference list differ")


def _records(handle: Any, rules: RecordRules, source: Source, fmt: str) -> Iterator[Progress]:
    """The hot loop: C-level attribute reads only, Python work per read kept to integer tests."""
    check = rules.check
    cram = fmt == "cram"
    tagged = True  # did the last read carry an RG tag? then asking for it directly is cheapest
    for n, read in enumerate(handle.fetch(until_eof=True), 1):
        if tagged:
            try:
                rg = read.get_tag("RG")
            except KeyError:
                rg, tagged = None, False
        else:
            rg = read.get_tag("RG") if read.has_tag("RG") else None
            tagged = rg is not None
        check(None, read.query_name, read.flag, read.reference_id, read.reference_start + 1,
              read.reference_end, read.infer_query_length(False), 0 if cram else read.query_length,
              rg if isinstance(rg, str) else None)
        if not n % PROGRESS_EVERY:
            if not cram:  # a BGZF virtual offset: the compressed position is its top 48 bits
                source.bytes_read = min(source.size, handle.tell() >> 16)
            yield source.progress("checking alignments")
