"""Paired files (R1/R2 FASTQ) found by name and checked against each other after both are read.

Mates are found by the sequencers' naming habits: ``x_1.fastq.gz``/``x_2.fastq.gz``,
``x_R1_001.fastq.gz``/``x_R2_001.fastq.gz``, ``x.1.fq``/``x.2.fq``. The check
itself belongs to the format: a validator class that defines

    @classmethod
    def check_pair(cls, first: FileReport, second: FileReport, profile: str)
        -> Task[tuple[list[Finding], list[Finding]]]

is given both reports (their ``stats`` carry what it recorded in the single
pass) and returns findings for each file. Cached reports work the same way,
so a pair is re-judged without reading either file again unless it disagrees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depositdesk.findings import Location, finding
from depositdesk.progress import Task
from depositdesk.validators import codes
from depositdesk.validators.base import validator_for

if TYPE_CHECKING:
    from depositdesk.validators.engine import FileReport

_MATE = re.compile(r"(?<=[_.])(R?)([12])(?=[_.])")


def find_pairs(paths: Sequence[Path]) -> list[tuple[int, int]]:
    """(index of read 1, index of read 2) for every pair of mates among the paths."""
    index = {str(Path(p)): i for i, p in enumerate(paths)}
    pairs: list[tuple[int, int]] = []
    for i, path in enumerate(paths):
        path = Path(path)
        for match in reversed(list(_MATE.finditer(path.name))):
            if match.group(2) != "1":
                continue
            mate = path.name[:match.start(2)] + "2" + path.name[match.end(2):]
            j = index.get(str(path.with_name(mate)))
            if j is not None and j != i:
                pairs.append((i, j))
                break
    return pairs


def check_pairs(reports: Sequence[FileReport], profile: str) -> Task[None]:
    """Add pair findings to both mates' reports (in place)."""
    for i, j in find_pairs([Path(r.path) for r in reports]):
        first, second = reports[i], reports[j]
        if first.format is None or first.format != second.format:
            continue
        cls: Any = validator_for(first.format)
        checker = getattr(cls, "check_pair", None)
        if checker is None:
            continue
        try:
            found_first, found_second = yield from checker(first, second, profile)
        except Exception as exc:  # a bug must not cost the user the other findings
            message = f"The pair check stopped: {type(exc).__name__}: {exc}"
            found_first = [finding(codes.FILE_VALIDATOR_FAILED, message, Location(file=first.path))]
            found_second = []
        first.findings.extend(found_first)
        second.findings.extend(found_second)
        first.stats["mate"], second.stats["mate"] = second.path, first.path
