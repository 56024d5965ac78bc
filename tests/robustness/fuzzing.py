"""A seeded mutation loop over the corpus, for every reader and validator (issue 14).

Each target takes real files of ../shared, mutates copies of them (bytes
flipped, deleted, repeated, runs of digits or tabs inserted, cut short) and
feeds each copy to the in-process API. A failure is an exception escaping a
reader (anything but ProjectError), FILE-VALIDATOR-FAILED from a validator,
or an input taking longer than LIMIT_SECONDS. Used by tests/robustness/test_fuzz.py
(a few seconds per target) and bench/fuzz.py (long runs).
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from depositdesk.magetab.errors import ProjectError
from depositdesk.magetab.opening import open_path
from depositdesk.progress import run
from depositdesk.validators import engine
from depositdesk.validators.base import Context

LIMIT_SECONDS = 2.0
MAX_CORPUS_BYTES = 200_000
JUNK = [b"\t", b"\n", b"\r\n", b'"', b"\x00", b"\xff", b"-", b".", b"e", b"#", b"@", b"=", b"9" * 40,
        b"9" * 5000, b"\t" * 3000, b"1." + b"1" * 3000, b"\xef\xbb\xbf", b"\xc3", b"chr1", b"track "]


@dataclass
class Failure:
    target: str
    source: str
    seed: int
    problem: str


@dataclass
class Outcome:
    target: str
    tried: int = 0
    slowest: float = 0.0
    failures: list[Failure] = field(default_factory=list)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four random edits of ``data``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        n = len(out)
        op = rng.randrange(7)
        at = rng.randrange(n + 1) if n else 0
        if op == 0 and n:
            out[min(at, n - 1)] = rng.randrange(256)
        elif op == 1:
            out[at:at] = rng.choice(JUNK)
        elif op == 2 and n:
            del out[at:at + rng.randint(1, 64)]
        elif op == 3 and n:
            piece = out[at:at + rng.randint(1, 256)]
            out[at:at] = piece * rng.randint(1, 20)
        elif op == 4 and n:
            del out[at:]
        elif op == 5 and n:
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(n)] ^= 1 << rng.randrange(8)
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(out)


def _read_magetab(path: Path) -> str | None:
    with contextlib.suppress(ProjectError):
        open_path(path)
    return None


def _validate(path: Path) -> str | None:
    # the engine's one pass (sniff, validator, md5) without the result cache's database round trips
    report = run(engine._validate_unread(path, path.stat().st_size, Context(str(path), "spec")))
    failed = [f.message for f in report.findings if f.code == "FILE-VALIDATOR-FAILED"]
    return failed[0] if failed else None


def _read_workbook(path: Path) -> str | None:
    from depositdesk.magetab.xlsx import read_xlsx

    with contextlib.suppress(ProjectError):
        read_xlsx(path)
    return None


def _mutate_zip(data: bytes, rng: random.Random) -> bytes:
    """A workbook with one of its members (a sheet, shared strings, ...) mutated, zipped again."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        victim = rng.choice(names)
        for name in names:
            member = src.read(name)
            dst.writestr(name, mutate(member, rng) if name == victim else member)
    return out.getvalue()


def _workbooks(shared: Path) -> list[Path]:
    """The E-TEST-1 project as a workbook (made once in the temp folder) and corpus workbooks."""
    from depositdesk.magetab.xlsx import write_xlsx

    made = Path(tempfile.gettempdir()) / f"dd-fuzz-{os.getpid()}" / "E-TEST-1.xlsx"
    if not made.is_file():
        made.parent.mkdir(parents=True, exist_ok=True)
        opened = open_path(shared / "metadata-corpus/magetab/E-TEST-1/E-TEST-1.idf.txt")
        write_xlsx(made, opened.idf, opened.sdrfs)
    geo = sorted(_corpus("*.xlsx", "metadata-corpus/geo")(shared), key=lambda p: p.stat().st_size)
    return [made, *geo[:1]]


@dataclass(frozen=True)
class Target:
    name: str
    files: Callable[[Path], list[Path]]
    check: Callable[[Path], str | None]   # a problem, or None
    mutation: Callable[[bytes, random.Random], bytes] = mutate


def _corpus(pattern: str, under: str) -> Callable[[Path], list[Path]]:
    def files(shared: Path) -> list[Path]:
        found = sorted(p for p in (shared / under).rglob(pattern)
                       if p.is_file() and 0 < p.stat().st_size <= MAX_CORPUS_BYTES)
        return found
    return files


TARGETS = [
    Target("magetab-xlsx", _workbooks, _read_workbook, _mutate_zip),
    Target("magetab-idf", _corpus("*.idf.txt", "metadata-corpus/magetab"), _read_magetab),
    Target("magetab-sdrf", _corpus("*.sdrf.txt", "metadata-corpus/magetab"), _read_magetab),
    Target("sdrf-proteomics", _corpus("*.tsv", "metadata-corpus/sdrf-proteomics"), _read_magetab),
    Target("bed", _corpus("*", "conformance/bed"), _validate),
    Target("wig", _corpus("*.wig", "conformance/wig"), _validate),
    Target("gff3", _corpus("*", "conformance/gff3"), _validate),
    Target("fastq", _corpus("*", "conformance/fastq"), _validate),
    Target("sam", _corpus("*.sam", "conformance/sam"), _validate),
    Target("bam", _corpus("*.bam", "conformance/sam"), _validate),
    Target("cram", _corpus("*.cram", "conformance/sam"), _validate),
    Target("bigwig", _corpus("*", "conformance/bigwig"), _validate),
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fuzz(target: Target, shared: Path, *, seconds: float, seed: int = 14, limit: int | None = None,
         workdir: Path | None = None) -> Outcome:
    """Mutated corpus files through ``target`` for ``seconds`` (or ``limit`` inputs)."""
    outcome = Outcome(target.name)
    sources = [(p, p.read_bytes()) for p in target.files(shared)]
    if not sources:
        return outcome
    rng = random.Random(seed)
    end = time.monotonic() + seconds
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        while time.monotonic() < end and (limit is None or outcome.tried < limit):
            source, data = rng.choice(sources)
            case = seed * 1_000_003 + outcome.tried
            path = Path(folder) / source.name
            path.write_bytes(target.mutation(data, random.Random(case)))
            started = time.monotonic()
            try:
                problem = target.check(path)
            except Exception as exc:  # noqa: BLE001 - what the fuzzer looks for
                problem = f"{type(exc).__name__}: {exc}"[:300]
            took = time.monotonic() - started
            outcome.slowest = max(outcome.slowest, took)
            if problem is None and took > LIMIT_SECONDS:
                problem = f"took {took:.1f} s"
            if problem is not None:
                outcome.failures.append(Failure(target.name, source.name, case, problem))
            outcome.tried += 1
    return outcome


def replay(target: Target, shared: Path, source_name: str, case: int, out: Path) -> Path:
    """Write the mutated input of a failure again (to keep it as a fixture)."""
    source = next(p for p in target.files(shared) if p.name == source_name)
    path = out / source.name
    path.write_bytes(target.mutation(source.read_bytes(), random.Random(case)))
    return path
