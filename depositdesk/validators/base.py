"""The contract between the validation engine and the per-format validators.

A format validator is one module that registers a class::

    @register
    class BedValidator(FormatValidator):
        format = "bed"
        version = "1"            # bump when its verdicts change: the cache keys on it
        def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
            with source.open_decompressed() as stream:
                for chunk in ...:
                    ...  ctx.report(codes.BED_START_AFTER_END, "...", Location(...))
                    yield source.progress("checking records")
            return {"records": n}

Rules of the contract:
- ``run`` is a generator (see depositdesk.progress): it yields `Progress` often
  (at least every few MB) and returns a dict of statistics for the report.
- It streams: one pass, memory bounded whatever the file size.
- Findings go through ``ctx.report`` (which applies the profile's severity and
  caps repeats); a validator never raises on bad content, bad compression or
  truncation. Library errors are turned into coded findings with the path.
- The md5 is the engine's business: when a validator reads through
  ``source.open_raw()``/``source.open_decompressed()`` every raw byte is hashed
  on the way (``hashes_raw_bytes = True``); a validator that lets a library open
  the path itself (pysam, pyBigWig) sets ``hashes_raw_bytes = False`` and the
  engine hashes the file on a second thread while it runs.
- Data files are opened read-only and never written to.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

from isal import (  # isal's gzip is about 3x faster than the standard library's; same API
    igzip,
    isal_zlib,
)

from depositdesk.findings import Finding, FindingCollector, Location, Severity, code_info, finding
from depositdesk.progress import Progress, Task

CHUNK = 1 << 20  # 1 MiB reads


@dataclass(frozen=True)
class Sniffed:
    """What a file is by its content: a format name and its compression, apart."""

    format: str | None  # fastq, sam, bam, cram, bed, bedgraph, wig, bigwig, bigbed, gff3, tiff, ...
    compression: str | None = None  # None, "gzip", "bgzf"
    detail: str = ""  # e.g. "BED6", "narrowPeak", "Phred+33" - for display only


# -- profiles ---------------------------------------------------------------

PROFILES = ("spec", "strict-modencode")
"""Known profiles. ``spec`` (the default) follows each format's specification."""

_PROFILE_RULES: dict[str, dict[str, Severity | None]] = {p: {} for p in PROFILES}


def profile_rule(profile: str, code: str, severity: Severity | None) -> None:
    """Declare that under ``profile`` a code has another severity (None = rule off).

    Each format module declares its own profile differences next to its codes,
    so a profile is data kept beside the rules it changes.
    """
    if profile not in _PROFILE_RULES:
        raise ValueError(f"unknown profile {profile!r}")
    _PROFILE_RULES[profile][code] = severity


def profile_rules(profile: str) -> dict[str, Severity | None]:
    return dict(_PROFILE_RULES[profile])


# -- what a validator reads -------------------------------------------------


class HashingReader(io.RawIOBase):
    """A read-only binary stream that feeds every byte it passes on to md5 and a counter."""

    def __init__(self, raw: IO[bytes], md5: Any | None, on_bytes: Callable[[int], None]) -> None:
        super().__init__()
        self._raw = raw
        self._md5 = md5
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)  # type: ignore[attr-defined]
        if n:
            view = memoryview(buffer)[:n]
            if self._md5 is not None:
                self._md5.update(view)
            self._on_bytes(n)
        return n or 0

    def close(self) -> None:
        try:
            self._raw.close()
        finally:
            super().close()


@dataclass
class Source:
    """One data file as a validator sees it."""

    path: Path
    sniffed: Sniffed
    size: int
    md5: Any | None = field(default_factory=hashlib.md5)
    bytes_read: int = 0
    opens: int = 0  # how many times open_raw was called: the md5 is whole only after one full pass

    def _count(self, n: int) -> None:
        self.bytes_read += n

    def open_raw(self) -> io.BufferedReader:
        """The file's bytes as stored (compressed or not), hashed as they are read."""
        raw = open(self.path, "rb", buffering=0)  # noqa: SIM115 - closed by the caller
        self.opens += 1
        return io.BufferedReader(HashingReader(raw, self.md5, self._count), CHUNK)

    def open_decompressed(self) -> IO[bytes]:
        """The file's content, gunzipped when it is gzip/BGZF, hashed as stored.

        A truncated gzip member raises EOFError, corrupt data zlib.error or
        gzip.BadGzipFile (OSError): validators turn those into findings with
        `is_truncation` and coded findings.
        """
        raw = self.open_raw()
        if self.sniffed.compression in ("gzip", "bgzf"):
            return igzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def progress(self, message: str = "") -> Progress:
        return Progress(self.bytes_read, self.size, message)

    def display(self) -> str:
        return str(self.path)


class Context:
    """Where findings go, with the profile applied and repeats capped."""

    def __init__(self, file: str, profile: str = "spec", *, cap: int = 20,
                 options: dict[str, Any] | None = None) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
        self.file = file
        self.profile = profile
        self.options = options or {}
        self._rules = profile_rules(profile)
        self.collector = FindingCollector(cap)

    def severity(self, code: str) -> Severity | None:
        """The severity of a code under this profile, or None when the rule is off."""
        if code in self._rules:
            return self._rules[code]
        return code_info(code).severity

    def enabled(self, code: str) -> bool:
        return self.severity(code) is not None

    def report(self, code: str, message: str | None = None, *, line: int | None = None,
               column: int | None = None, suggestion: str | None = None) -> None:
        severity = self.severity(code)
        if severity is None:
            return
        loc = Location(file=self.file, line=line, column=column)
        self.collector.add(finding(code, message, loc, suggestion, severity=severity))

    def findings(self) -> list[Finding]:
        return self.collector.finish()


class FormatValidator:
    """Base class of the per-format validators. See the module docstring."""

    format: ClassVar[str]
    version: ClassVar[str] = "1"
    hashes_raw_bytes: ClassVar[bool] = True

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        raise NotImplementedError


_REGISTRY: dict[str, type[FormatValidator]] = {}


def register(cls: type[FormatValidator]) -> type[FormatValidator]:
    """Class decorator: make a validator available for its format."""
    if cls.format in _REGISTRY and _REGISTRY[cls.format] is not cls:
        raise ValueError(f"two validators registered for {cls.format}")
    _REGISTRY[cls.format] = cls
    return cls


def validator_for(format_name: str) -> type[FormatValidator] | None:
    return _REGISTRY.get(format_name)


def registered_formats() -> list[str]:
    return sorted(_REGISTRY)


def is_truncation(exc: BaseException) -> bool:
    """True when a read error means the file ends early rather than holds bad bytes."""
    return isinstance(exc, EOFError) or "end of stream" in str(exc).lower() or "truncat" in str(exc).lower()


DECOMPRESSION_ERRORS: tuple[type[BaseException], ...] = (
    EOFError, zlib.error, gzip.BadGzipFile,
    isal_zlib.error,  # type: ignore[assignment]  # ISA-L's own error, not a zlib.error
)
