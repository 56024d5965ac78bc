"""Building indexes: one source → one index file, several in parallel processes, with lock files.

NCBITaxon alone is ~1.26 M terms, so the starter set is built by a small process
pool, biggest first, while the caller's generator reports progress (in source
bytes) and stays cancellable: closing it terminates the workers, whose
half-written ``*.tmp-<pid>`` files are removed then or by the next build.
A ``<name>.building`` lock file (holding the builder's pid) lets other processes
— the CLI while the app builds — say "building" instead of "missing".
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from depositdesk.ontology.index import BuildSummary, build_index
from depositdesk.ontology.obo import open_text
from depositdesk.ontology.organisms import UNNAMED_TAXON, common_taxa_accessions
from depositdesk.ontology.readers import ReadReport, SourceError, records_for, sniff_kind
from depositdesk.ontology.sources import Source, SourceRegistry, file_checksum
from depositdesk.progress import Progress, Task, run

PARALLEL_BYTES = 2_000_000  # below this, building in-process is faster than starting workers


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_name(name: str) -> str:
    """The lock file's name in the index folder (a folder listing can look for it without opening it)."""
    return f"{name}.building"


def lock_path(index_dir: Path, name: str) -> Path:
    return index_dir / lock_name(name)


def is_locked(index_dir: Path, name: str) -> bool:
    try:
        pid = int(lock_path(index_dir, name).read_text().strip() or "0")
    except (OSError, ValueError):
        return False
    return pid > 0 and _pid_alive(pid)


@contextlib.contextmanager
def _locks(index_dir: Path, names: list[str]) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        lock_path(index_dir, name).write_text(str(os.getpid()))
    try:
        yield
    finally:
        for name in names:
            lock_path(index_dir, name).unlink(missing_ok=True)


def remove_stale_temp_files(index_dir: Path) -> None:
    """Delete ``*.tmp-<pid>`` files of builds that died (killed, power cut)."""
    for tmp in index_dir.glob("*.tmp-*"):
        pid = tmp.name.rsplit("-", 1)[-1]
        if pid.isdigit() and (int(pid) == os.getpid() or not _pid_alive(int(pid))):
            tmp.unlink(missing_ok=True)


def remove_older_indexes(final: Path) -> None:
    """Delete indexes of the same ontology from older sources or schemas (open readers keep theirs)."""
    name = final.name.rsplit("-", 2)[0]
    for old in final.parent.glob(f"{name}-*.sqlite"):
        if old != final and old.name.rsplit("-", 2)[0] == name:
            old.unlink(missing_ok=True)


def build_one(source: Source, final: Path) -> Task[BuildSummary]:
    report = ReadReport()
    meta = {"name": source.name, "version": source.version, "source": source.path,
            "fingerprint": source.fingerprint, "origin": source.origin, "kind": source.kind,
            "url": source.url}
    taxa = source.name == "NCBITaxon"
    preferred = common_taxa_accessions() if taxa else frozenset()
    records = records_for(source, report)

    def notes() -> list[str]:
        meta.update({"title": report.title, "licence": report.licence, "reader": report.reader})
        if report.version and not source.version:
            meta["version"] = report.version
        return report.notes

    summary = yield from build_index(final, meta, records, preferred, UNNAMED_TAXON.search if taxa else None,
                                     notes=notes)
    return summary


def _build_in_worker(source: Source, final: Path) -> BuildSummary:
    return run(build_one(source, final))


def _size(source: Source) -> int:
    try:
        return max(1, os.path.getsize(source.path))
    except OSError:
        return 1


def build_order(jobs: list[tuple[Source, Path]], first: Sequence[str] = ()) -> list[tuple[Source, Path]]:
    """The ontologies named in ``first`` (the open project's columns) before the others, each
    group biggest first (a pool's longest job starts at once)."""
    wanted = {n.lower() for n in first}
    return sorted(jobs, key=lambda j: (j[0].name.lower() not in wanted, -_size(j[0])))


def build_all(index_dir: Path, jobs: list[tuple[Source, Path]],
              first: Sequence[str] = ()) -> Task[list[BuildSummary]]:
    """Build every (source, index path) job, ``first`` ones first; in parallel when the work is big."""
    if not jobs:
        return []
    index_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temp_files(index_dir)
    jobs = build_order(jobs, first)
    total = sum(_size(s) for s, _ in jobs)
    with _locks(index_dir, [s.name for s, _ in jobs]):
        if total < PARALLEL_BYTES or len(jobs) == 1 or (os.cpu_count() or 1) < 2:
            return (yield from _build_here(jobs, total))
        return (yield from _build_pool(index_dir, jobs, total))


def _build_here(jobs: list[tuple[Source, Path]], total: int) -> Task[list[BuildSummary]]:
    done = 0
    out = []
    for source, final in jobs:
        task = build_one(source, final)
        try:
            while True:
                tick = next(task)
                yield Progress(done, total, f"{tick.message} ({tick.done:,} terms)")
        except StopIteration as stop:
            out.append(stop.value)
        remove_older_indexes(final)
        done += _size(source)
        yield Progress(done, total, f"{source.name}: ready")
    return out


def _build_pool(index_dir: Path, jobs: list[tuple[Source, Path]], total: int) -> Task[list[BuildSummary]]:
    workers = max(1, min(len(jobs), os.cpu_count() or 1, 4))
    pool = ProcessPoolExecutor(max_workers=workers)
    futures: dict[Future[BuildSummary], Source] = {pool.submit(_build_in_worker, s, f): s for s, f in jobs}
    finished = False
    try:
        results = []
        pending = set(futures)
        clock = ProgressEstimate(time.monotonic(), workers)
        while pending:
            time.sleep(0.1)
            now = time.monotonic()
            for fut in [f for f in pending if f.done()]:
                pending.discard(fut)
                results.append(fut.result())  # a worker's SourceError surfaces here
                remove_older_indexes(results[-1].path)
                clock.finished(_size(futures[fut]), now)
            for fut in pending:
                if fut.running():
                    clock.started(futures[fut].name, now)
            running = [futures[f] for f in pending if f.running()]
            done = clock.done_bytes(((s.name, _size(s)) for s in running), now)
            names = ", ".join(sorted(s.name for s in running)[:4])
            yield Progress(min(done, total), total, f"building {names}" if names else "done")
        finished = True
        return results
    finally:
        if not finished:
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        remove_stale_temp_files(index_dir)


class ProgressEstimate:
    """Progress in source bytes over all the ontologies, moving while big ones build.

    A worker reports nothing until its index is complete, so bytes of finished
    jobs alone jumped (54 % -> ready when NCBITaxon, half the bytes, finished
    last). A running job counts as the share its elapsed time suggests at the
    speed finished jobs showed (1 MB/s per worker before any finished), capped
    below its whole size: the figure rises smoothly and never goes back.
    """

    def __init__(self, start: float, workers: int = 1) -> None:
        self.start = start
        self.workers = max(1, workers)
        self.bytes_done = 0
        self.worker_seconds = 0.0
        self.begun: dict[str, float] = {}
        self.shown = 0

    def started(self, name: str, now: float) -> None:
        self.begun.setdefault(name, now)

    def finished(self, size: int, now: float) -> None:
        self.bytes_done += size
        self.shown = max(self.shown, self.bytes_done)
        self.worker_seconds = max(self.worker_seconds, now - self.start)

    def speed(self) -> float:
        if self.bytes_done and self.worker_seconds > 0:
            return max(self.bytes_done / (self.worker_seconds * self.workers), 1.0)
        return 1_000_000.0

    def done_bytes(self, running: Iterable[tuple[str, int]], now: float) -> int:
        partial = sum(min(0.95 * size, (now - self.begun.get(name, now)) * self.speed())
                      for name, size in running)
        self.shown = max(self.shown, self.bytes_done + int(partial))
        return self.shown


# -- user files ----------------------------------------------------------------------------------
_ID_LINE = re.compile(r"^id:\s*([A-Za-z][\w.-]*)[:_]", re.M)
_OWL_ID = re.compile(r'rdf:about="http://purl\.obolibrary\.org/obo/([A-Za-z][\w.-]*?)_\w+"')
_IDSPACE = re.compile(r"idspace>\s*([A-Za-z][\w.-]*)\s+(\S+)")
_ONTOLOGY_IRI = re.compile(r'<owl:Ontology rdf:about="([^"]+)"')


def _head(path: Path, size: int = 1 << 18) -> str:
    with open_text(path) as stream:
        return stream.read(size)


def _canonical(stem: str, id_prefixes: list[str]) -> str:
    for prefix in id_prefixes:
        if prefix.lower() == stem.lower():
            return prefix
    return stem.upper() if stem.isalpha() and stem.islower() and len(stem) <= 5 else stem


def name_of_file(path: Path, kind: str) -> tuple[str, str]:
    """(ontology name, version) from a file's header, for naming its index before reading it all."""
    head = _head(path)
    if kind == "obo":
        found = re.search(r"^ontology:\s*(\S+)", head, re.M)
        stem = found.group(1).split("/")[0].removesuffix(".obo") if found else ""
        version = re.search(r"^data-version:\s*(\S+)", head, re.M)
        prefixes = _ID_LINE.findall(head)
    else:
        iri = _ONTOLOGY_IRI.search(head)
        idspace = _IDSPACE.search(head)
        stem = idspace.group(1) if idspace else ""
        if not stem and iri:
            stem = re.split(r"[/#]", iri.group(1).rstrip("/#"))[-1].removesuffix(".owl")
        version = re.search(r'versionIRI rdf:resource="[^"]*/(?:releases/)?([\w.-]+)/[^/"]*"', head)
        prefixes = _OWL_ID.findall(head)
    stem = stem or re.sub(r"\.(obo|owl)(\.gz)?$", "", path.name)
    return _canonical(stem, prefixes), version.group(1) if version else ""


def prepare_file(registry: SourceRegistry, path: Path, origin: str = "user", url: str = "") -> Source:
    """Check a user's OBO/OWL file and copy it into the cache; listed (``registry.put``) once indexed."""
    if not path.is_file():
        raise SourceError(f"{path} is not a file")
    try:
        kind = sniff_kind(path)
        checksum = file_checksum(path)
        name, version = name_of_file(path, kind)
    except (OSError, EOFError, zlib.error, UnicodeError) as exc:
        raise SourceError(f"{path.name} is damaged or cut short: {type(exc).__name__}: {exc}") from exc
    kept = registry.keep_copy(path, checksum)
    return Source(name, kind, str(kept), version, checksum[:16], origin, url)
