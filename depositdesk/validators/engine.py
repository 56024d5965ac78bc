"""The validation engine: one streaming pass per data file giving findings, md5 and size.

``validate_file`` sniffs a file by content, runs the registered validator of its
format (see depositdesk.validators.base) and returns a `FileReport`; the md5 is
computed in the same read. ``validate_files`` does many files on all cores
(depositdesk.validators.parallel) and then checks paired FASTQ files against
each other. Both are tasks in the sense of depositdesk.progress: generators
yielding `Progress` (bytes) that stop promptly when closed.

Whatever a file holds, the engine answers with findings, never a traceback:
an unexpected exception inside a validator becomes FILE-VALIDATOR-FAILED.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from isal import isal_zlib

import depositdesk.validators.formats  # noqa: F401 - registers every format validator
from depositdesk.findings import Finding, Location, Severity, finding
from depositdesk.progress import Progress, Task
from depositdesk.validators import codes
from depositdesk.validators.base import (
    CHUNK,
    DECOMPRESSION_ERRORS,
    Context,
    FormatValidator,
    Sniffed,
    Source,
    is_truncation,
    registered_formats,
    validator_for,
)
from depositdesk.validators.cache import ResultCache, cache_key
from depositdesk.validators.formats import omezarr
from depositdesk.validators.sniff import extension_format, extension_mismatch
from depositdesk.validators.sniff import sniff as _sniff_path

EMPTY_MD5 = hashlib.md5(b"").hexdigest()


def sniff(path: Path) -> Sniffed:
    """What a file is by its content (format and compression apart)."""
    return _sniff_path(Path(path))


@dataclass
class FileReport:
    """Everything the engine says about one file: the JSON of ``depositdesk validate``."""

    path: str
    format: str | None
    compression: str | None
    size: int
    md5: str | None
    findings: list[Finding]
    stats: dict[str, Any] = field(default_factory=dict)
    from_cache: bool = False
    seconds: float = 0.0
    detail: str = ""

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    @property
    def ok(self) -> bool:
        return self.worst is None or self.worst < Severity.ERROR

    def to_dict(self, *, private: bool = False) -> dict[str, Any]:
        """The report as JSON data. Stats whose key starts with '_' (kept for the engine's own
        use, e.g. the mate-name sample of a FASTQ) are left out unless ``private``."""
        stats = self.stats if private else {k: v for k, v in self.stats.items() if not k.startswith("_")}
        return {
            "path": self.path, "format": self.format, "compression": self.compression,
            "detail": self.detail, "size": self.size, "md5": self.md5,
            "findings": [f.to_dict() for f in self.findings], "stats": stats,
            "from_cache": self.from_cache, "seconds": round(self.seconds, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileReport:
        return cls(
            path=data["path"], format=data["format"], compression=data["compression"],
            size=data["size"], md5=data["md5"],
            findings=[_finding_from_dict(f) for f in data["findings"]],
            stats=dict(data.get("stats") or {}), from_cache=bool(data.get("from_cache")),
            seconds=float(data.get("seconds") or 0.0), detail=data.get("detail") or "",
        )


def _finding_from_dict(data: dict[str, Any]) -> Finding:
    return Finding(data["code"], Severity.parse(data["severity"]), data["message"],
                   Location(**data.get("location", {})), data.get("suggestion", ""))


def validator_versions() -> dict[str, str]:
    """format -> validator version of every registered validator ('' = no validator)."""
    versions = {name: (validator_for(name) or FormatValidator).version for name in registered_formats()}
    versions[""] = "none"
    versions[omezarr.STORE_FORMAT] = omezarr.STORE_VERSION
    return versions


def _version_of(fmt: str | None) -> str:
    if fmt == omezarr.STORE_FORMAT:
        return omezarr.STORE_VERSION
    cls = validator_for(fmt) if fmt else None
    return cls.version if cls is not None else "none"


# -- one file ----------------------------------------------------------------


def validate_file(path: Path, profile: str = "spec", *, use_cache: bool = True,
                  options: dict[str, Any] | None = None,
                  cache: ResultCache | None = None) -> Task[FileReport]:
    """Validate one file in one pass (findings + md5), or return its cached report unread.

    An OME-Zarr store (a folder, `omezarr.is_store`) is one item: `omezarr.check_store` checks it
    and its md5 is the md5 of its per-file md5 manifest.
    """
    started = time.monotonic()
    display = str(path)
    ctx = Context(display, profile, options=options)  # raises ValueError on an unknown profile
    variant = cache_variant(profile, options)
    if omezarr.is_store(Path(path)):
        return (yield from _validate_store(Path(path), profile, variant, use_cache, cache))
    try:
        key, st = cache_key(Path(path), variant)
    except OSError as exc:
        return _failed(display, codes.FILE_NOT_A_FILE, f"cannot open: {exc.strerror or exc}")
    if not _is_regular(st.st_mode):
        return _failed(display, codes.FILE_NOT_A_FILE, "this is not a regular file")
    store = cache or ResultCache()
    try:
        if use_cache:
            hit = _cached(key, display, store)
            if hit is not None:
                return hit
        report = yield from _validate_unread(Path(path), st.st_size, ctx)
        report.seconds = time.monotonic() - started
        if not any(f.code in (codes.FILE_IO_ERROR, codes.FILE_VALIDATOR_FAILED) for f in report.findings):
            store.put(key, report.format, _version_of(report.format), report.to_dict(private=True))
        return report
    finally:
        if cache is None:
            store.close()


def _validate_store(path: Path, profile: str, variant: str, use_cache: bool,
                    cache: ResultCache | None) -> Task[FileReport]:
    display = str(path)
    try:
        key = omezarr.store_key(path, variant)
    except OSError as exc:
        return _failed(display, codes.FILE_IO_ERROR, f"cannot list the store: {exc.strerror or exc}")
    store = cache or ResultCache()
    try:
        if use_cache:
            hit = _cached(key, display, store)
            if hit is not None:
                return hit
        try:
            report = yield from omezarr.check_store(path, profile)
        except OSError as exc:
            return _failed(display, codes.FILE_IO_ERROR, f"reading the store failed: {exc.strerror or exc}")
        store.put(key, report.format, omezarr.STORE_VERSION, report.to_dict(private=True))
        return report
    finally:
        if cache is None:
            store.close()


def cache_variant(profile: str, options: dict[str, Any] | None) -> str:
    """What besides the file decides a verdict: the profile, and the options (e.g. chromosome sizes)."""
    if not options:
        return profile
    digest = hashlib.sha1(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return f"{profile}+{digest}"


def cached_report(path: Path, profile: str, cache: ResultCache) -> FileReport | None:
    """The cached report of a file whose size and mtime are unchanged, without reading it.

    ``profile`` is the cache variant (`cache_variant`) when options were given.
    """
    try:
        key = omezarr.store_key(path, profile) if omezarr.is_store(Path(path)) else cache_key(Path(path), profile)[0]
    except OSError:
        return None
    return _cached(key, str(path), cache)


def _cached(key: tuple[str, int, int, str], display: str, cache: ResultCache) -> FileReport | None:
    hit = cache.get(key, validator_versions())
    if hit is None:
        return None
    report = FileReport.from_dict(hit)
    report.path, report.from_cache = display, True
    report.findings = [f.with_location(file=display) for f in report.findings]
    return report


def _is_regular(mode: int) -> bool:
    return stat.S_ISREG(mode)


def _failed(display: str, code: str, message: str) -> FileReport:
    return FileReport(display, None, None, 0, None, [finding(code, message, Location(file=display))])


def _validate_unread(path: Path, size: int, ctx: Context) -> Task[FileReport]:
    display = ctx.file
    if size == 0:
        ctx.report(codes.FILE_EMPTY)
        return FileReport(display, None, None, 0, EMPTY_MD5, ctx.findings())
    try:
        sniffed = sniff(path)
    except OSError as exc:
        ctx.report(codes.FILE_IO_ERROR, f"cannot read: {exc.strerror or exc}")
        return FileReport(display, None, None, size, None, ctx.findings())
    lie = extension_mismatch(path.name, sniffed)
    if lie:
        ctx.report(codes.FILE_EXTENSION_MISMATCH, f"The extension does not match the content: {lie}")
    readable = sniffed.compression in (None, "gzip", "bgzf")
    cls = validator_for(sniffed.format) if sniffed.format and readable else None
    promised = extension_format(path.name)
    if cls is None and readable and promised and validator_for(promised):
        # content of a kind we do not check, under a name we do: judge it by what it claims to be
        cls = validator_for(promised)
        sniffed = Sniffed(promised, sniffed.compression, f"by extension; content looks like {sniffed.format}")
    source = Source(path, sniffed, size)
    stats: dict[str, Any] = {}
    if cls is None:
        _report_unchecked(sniffed, ctx)
    else:
        stats = yield from _run_validator(cls, source, ctx)
    if sniffed.compression == "bgzf" and sniffed.format != "bam":  # BAM: its validator (htslib) says it
        _check_bgzf_eof(path, size, ctx)
    md5 = yield from _finish_md5(source, ctx)
    report = FileReport(display, sniffed.format, sniffed.compression, size, md5,
                        ctx.findings(), stats, detail=sniffed.detail)
    return report


BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")


def _check_bgzf_eof(path: Path, size: int, ctx: Context) -> None:
    """BGZF ends with an empty block (SAM spec 4.1.2); without it the file was cut at a block edge."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, size - len(BGZF_EOF)))
            tail = handle.read()
    except OSError:
        return
    if tail != BGZF_EOF and not any(f.code == codes.FILE_TRUNCATED for f in ctx.collector):
        ctx.report(codes.FILE_TRUNCATED, "The BGZF end-of-file block is missing: the file was cut short "
                   "or written by a tool that did not finish")


def _report_unchecked(sniffed: Sniffed, ctx: Context) -> None:
    if sniffed.compression not in (None, "gzip", "bgzf"):
        ctx.report(codes.FILE_NOT_CHECKED, f"The file is {sniffed.compression}-compressed; DepositDesk "
                   "checks the content of plain, gzip and BGZF files only (md5 and size were recorded)",
                   suggestion="Repositories expect gzip: recompress with gzip or bgzip to have it checked.")
    elif sniffed.detail == "compressed data unreadable":
        ctx.report(codes.FILE_COMPRESSION_CORRUPT,
                   f"The {sniffed.compression} data cannot be decompressed from its first bytes on")
    elif sniffed.format in ("magetab-idf", "magetab-sdrf"):
        kind = "IDF" if sniffed.format == "magetab-idf" else "SDRF"
        ctx.report(codes.FILE_NOT_CHECKED, f"This is MAGE-TAB metadata ({kind}), not a data file: "
                   "`depositdesk check` checks its content", suggestion="")
    elif sniffed.format is None:
        what = f" ({sniffed.compression}-compressed)" if sniffed.compression else ""
        ctx.report(codes.FILE_UNKNOWN_FORMAT, f"The format was not recognised from the content{what}")
    else:
        ctx.report(codes.FILE_NOT_CHECKED,
                   f"This looks like {sniffed.format}; DepositDesk has no content check for it, "
                   "only md5 and size were recorded")


class _BackgroundHasher(threading.Thread):
    """md5 of a whole file on a second thread (hashlib releases the GIL while it hashes)."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True, name=f"md5 {path.name}")
        self.path = path
        self.done = 0
        self.md5 = hashlib.md5()
        self.error: OSError | None = None
        self._stop_flag = threading.Event()

    def run(self) -> None:
        try:
            with open(self.path, "rb", buffering=0) as handle:
                buf = bytearray(4 * CHUNK)
                view = memoryview(buf)
                while not self._stop_flag.is_set():
                    n = handle.readinto(buf)
                    if not n:
                        break
                    self.md5.update(view[:n])
                    self.done += n
        except OSError as exc:
            self.error = exc

    def stop(self) -> None:
        self._stop_flag.set()


def _run_validator(cls: type[FormatValidator], source: Source, ctx: Context) -> Task[dict[str, Any]]:
    """Drive a validator; turn whatever it raises into a coded finding."""
    hasher: _BackgroundHasher | None = None
    if not cls.hashes_raw_bytes:
        source.md5 = None
        hasher = _BackgroundHasher(source.path)
        hasher.start()
    task = cls().run(source, ctx)
    stats: dict[str, Any] = {}
    try:
        while True:
            tick = next(task)
            if hasher is not None and tick.total != source.size:
                tick = Progress(hasher.done, source.size, tick.message)
            yield tick
    except StopIteration as stop:
        stats = dict(stop.value or {})
    except GeneratorExit:  # cancelled: stop the hashing thread too
        if hasher is not None:
            hasher.stop()
        raise
    except DECOMPRESSION_ERRORS as exc:
        _report_read_error(exc, ctx)
    except OSError as exc:
        ctx.report(codes.FILE_IO_ERROR, f"Reading failed: {exc.strerror or exc}")
    except Exception as exc:  # a bug or an unforeseen file: a coded finding, never a traceback
        ctx.report(codes.FILE_VALIDATOR_FAILED,
                   f"The {cls.format} validator stopped: {type(exc).__name__}: {exc}")
    finally:
        task.close()
    if hasher is not None:
        try:
            while hasher.is_alive():
                hasher.join(0.1)
                yield Progress(hasher.done, source.size, "md5")
        finally:
            hasher.stop()  # no-op when it finished; stops it when this task is closed here
        source.md5 = None if hasher.error else hasher.md5
        source.bytes_read, source.opens = hasher.done, 1
        if hasher.error:
            ctx.report(codes.FILE_IO_ERROR, f"Reading failed: {hasher.error.strerror or hasher.error}")
    return stats


def _report_read_error(exc: BaseException, ctx: Context) -> None:
    if is_truncation(exc):
        ctx.report(codes.FILE_TRUNCATED, "The compressed stream ends before its end-of-data marker: "
                   "the file is cut short")
    elif isinstance(exc, zlib.error | OSError | isal_zlib.error):
        ctx.report(codes.FILE_COMPRESSION_CORRUPT, f"The compressed data is damaged: {exc}")
    else:
        ctx.report(codes.FILE_VALIDATOR_FAILED, f"{type(exc).__name__}: {exc}")


def _finish_md5(source: Source, ctx: Context) -> Task[str | None]:
    """Complete the md5 when the validator stopped early; redo it if it read twice."""
    if source.md5 is None and source.opens:
        return None  # the hashing thread failed: FILE-IO-ERROR already says why
    md5 = source.md5 if source.md5 is not None and source.opens == 1 else hashlib.md5()
    start = source.bytes_read if md5 is source.md5 else 0
    if start >= source.size:
        return str(md5.hexdigest())
    try:
        with open(source.path, "rb", buffering=0) as handle:
            handle.seek(start)
            done = start
            buf = bytearray(4 * CHUNK)
            view = memoryview(buf)
            while n := handle.readinto(buf):
                md5.update(view[:n])
                done += n
                yield Progress(done, source.size, "md5")
    except OSError as exc:
        ctx.report(codes.FILE_IO_ERROR, f"Reading failed: {exc.strerror or exc}")
        return None
    return str(md5.hexdigest())


# -- many files ----------------------------------------------------------------


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files given, and the files inside folders given (walked, sorted, hidden ones skipped).

    An OME-Zarr store (`omezarr.is_store`) given or met on the walk is one item, not walked into.
    """
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir() and not omezarr.is_store(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                stores = [d for d in dirs if omezarr.is_store(Path(root) / d)]
                dirs[:] = [d for d in dirs if d not in stores]
                items = [n for n in files if not n.startswith(".")] + stores
                found.extend(Path(root) / name for name in sorted(items))
        else:
            found.append(path)
    return found


def validate_files(paths: Sequence[Path], profile: str = "spec", *, jobs: int | None = None,
                   use_cache: bool = True, options: dict[str, Any] | None = None,
                   on_report: Callable[[FileReport], None] | None = None,
                   scheduler: str | None = None) -> Task[list[FileReport]]:
    """Validate files (folders are walked) on ``jobs`` processes; pairs are checked after.

    Progress counts bytes over all files; its message names the file being read.
    Reports come back in the order of the files. ``scheduler`` (``local:N`` or
    ``tcp://host:port``) runs the same validators as Dask tasks instead
    (depositdesk.validators.dask_runner, the only module that imports Dask).
    """
    from depositdesk.validators.pairs import check_pairs

    files = expand_paths(paths)
    Context("", profile)  # unknown profile: ValueError before any work
    if scheduler:
        from depositdesk.validators.dask_runner import run_on_dask

        reports = yield from run_on_dask(files, profile, scheduler=scheduler, use_cache=use_cache,
                                         options=options, on_report=on_report)
    else:
        from depositdesk.validators.parallel import run_all

        reports = yield from run_all(files, profile, jobs=jobs, use_cache=use_cache, options=options,
                                     on_report=on_report)
    yield from check_pairs(reports, profile)
    return reports
