"""The one finding type of the whole program, and its catalogue of codes.

A `Finding` is a frozen value: a stable code, a severity, a message, where it
is (`Location`), and a suggestion of how to fix it. Every check in DepositDesk
(metadata grammar, ontology terms, file formats, repository rules) produces
findings and nothing else.

Codes are declared once, with `define()`, in the `codes` module of the part
that raises them (``depositdesk/magetab/codes.py``, ...). `depositdesk.catalogue`
collects them all for the docs page and the UI.

Numbering rule (the only one): every number in a `Location` is 1-based, as a
person reads it. ``line`` and ``column`` count lines and fields/characters of
a file; ``row`` counts SDRF data rows (row 1 is the first row under the
header) and ``column`` then counts SDRF columns. Widgets subtract one in one
place (``Location.model_index``) to reach Qt's 0-based indexes.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import Any


class Severity(enum.IntEnum):
    """How much a finding matters. Higher is worse."""

    INFO = 1
    """Noted for the record; nothing needs to change."""
    WARNING = 2
    """Probably a problem, or a curator will ask about it; the submission can still go."""
    ERROR = 3
    """Wrong or unreadable: the repository would reject it, or the data is damaged."""

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


SEVERITY_MEANINGS = {
    Severity.INFO: "Noted for the record; nothing needs to change.",
    Severity.WARNING: "Probably a problem, or a curator will ask about it; the submission can still go.",
    Severity.ERROR: "Wrong or unreadable: the repository would reject it, or the data is damaged.",
}


@dataclass(frozen=True)
class Location:
    """Where a finding is. All numbers 1-based (see the module docstring)."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    row: int | None = None
    column_name: str | None = None

    def describe(self) -> str:
        """The one place locations are turned into text for people."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            cell = f"row {self.row}"
            if self.column_name:
                cell += f", column '{self.column_name}'"
            elif self.column is not None:
                cell += f", column {self.column}"
            parts.append(cell)
        elif self.line is not None:
            where = f"line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
            parts.append(where)
        return ": ".join(parts) if parts else "(project)"

    def model_index(self) -> tuple[int, int] | None:
        """0-based (row, column) for a grid model, or None when not a cell."""
        if self.row is None or self.column is None:
            return None
        return self.row - 1, self.column - 1


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    location: Location = field(default_factory=Location)
    suggestion: str = ""

    def to_dict(self) -> dict[str, Any]:
        loc = {k: v for k, v in asdict(self.location).items() if v is not None}
        return {
            "code": self.code,
            "severity": self.severity.label,
            "message": self.message,
            "file": self.location.file,
            "location": loc,
            "suggestion": self.suggestion,
        }

    def describe(self) -> str:
        text = f"{self.severity.label.upper():7} {self.code}  {self.location.describe()}: {self.message}"
        if self.suggestion:
            text += f"\n        -> {self.suggestion}"
        return text

    def with_location(self, **changes: Any) -> Finding:
        return replace(self, location=replace(self.location, **changes))


@dataclass(frozen=True)
class CodeInfo:
    code: str
    severity: Severity
    title: str
    suggestion: str
    part: str


_CODES: dict[str, CodeInfo] = {}


def define(code: str, severity: Severity, title: str, suggestion: str = "", *, part: str) -> str:
    """Declare a finding code once. Returns the code, for use as a module constant."""
    if code in _CODES and _CODES[code] != CodeInfo(code, severity, title, suggestion, part):
        raise ValueError(f"finding code {code} declared twice with different meanings")
    _CODES[code] = CodeInfo(code, severity, title, suggestion, part)
    return code


def code_info(code: str) -> CodeInfo:
    return _CODES[code]


def registered_codes() -> dict[str, CodeInfo]:
    return dict(_CODES)


def finding(
    code: str,
    message: str | None = None,
    location: Location | None = None,
    suggestion: str | None = None,
    severity: Severity | None = None,
) -> Finding:
    """Make a finding of a declared code, taking defaults from the catalogue."""
    info = _CODES[code]
    return Finding(
        code=code,
        severity=info.severity if severity is None else severity,
        message=info.title if message is None else message,
        location=location or Location(),
        suggestion=info.suggestion if suggestion is None else suggestion,
    )


REPEATS = define(
    "GEN-REPEATS", Severity.INFO, "Further findings of the same kind were not listed one by one",
    "Fix the first ones listed; the rest are usually the same problem.", part="general",
)


class FindingCollector:
    """Collects findings, capping repeats of one code (as fastQValidator's --maxErrors).

    After ``cap`` findings of a code, further ones are only counted; ``finish()``
    adds one "... and N more like this" finding per capped code.
    """

    def __init__(self, cap: int = 20) -> None:
        self.cap = cap
        self._items: list[Finding] = []
        self._counts: Counter[str] = Counter()
        self._first: dict[str, Finding] = {}

    def add(self, item: Finding) -> None:
        self._counts[item.code] += 1
        if self._counts[item.code] <= self.cap:
            self._items.append(item)
            self._first.setdefault(item.code, item)

    def extend(self, items: Iterable[Finding]) -> None:
        for item in items:
            self.add(item)

    def count(self, code: str) -> int:
        return self._counts[code]

    @property
    def worst(self) -> Severity | None:
        return max((f.severity for f in self._items), default=None)

    def finish(self) -> list[Finding]:
        result = list(self._items)
        for code, n in self._counts.items():
            if n > self.cap:
                first = self._first[code]
                result.append(
                    finding(
                        REPEATS,
                        f"… and {n - self.cap:,} more like this ({code}: {first.message})",
                        Location(file=first.location.file),
                        severity=first.severity,
                    )
                )
        return result

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.finish())


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity >= Severity.ERROR for f in findings)


def counted(n: int, noun: str) -> str:
    """'1 error', '3 errors': counts in messages people read."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def severity_counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for item in findings:
        counts[item.severity] += 1
    return counts


def summarize(findings: Iterable[Finding]) -> str:
    """'1 error, 0 warnings, 2 notes' - the one wording of a findings summary."""
    counts = severity_counts(findings)
    return (f"{counted(counts[Severity.ERROR], 'error')}, {counted(counts[Severity.WARNING], 'warning')}, "
            f"{counted(counts[Severity.INFO], 'note')}")
