"""Many files on all cores: a process pool whose workers forward progress to the caller.

Each worker validates whole files (the GIL would serialise threads); progress
ticks come back through a queue, so the caller's task sees one byte counter
over all files and can be cancelled: closing it sets an event every worker
checks at each of its ticks, so work stops within a fraction of a second.
Cached files are answered in the calling process without starting a worker.
A worker that dies (a crash in a C library on a hostile file) costs only the
files it was running: they are retried one by one, and a file that crashes its
worker again gets FILE-VALIDATOR-FAILED.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
import signal
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from depositdesk.findings import Location, finding
from depositdesk.progress import Cancelled, CancelToken, Progress, Task, drive
from depositdesk.validators import codes
from depositdesk.validators.cache import ResultCache
from depositdesk.validators.engine import FileReport, cache_variant, cached_report, validate_file

_TICK_SECONDS = 0.1


def run_all(files: Sequence[Path], profile: str, *, jobs: int | None, use_cache: bool,
            on_report: Callable[[FileReport], None] | None,
            options: dict[str, Any] | None = None) -> Task[list[FileReport]]:
    sizes = [_size(f) for f in files]
    total = sum(sizes)
    reports: list[FileReport | None] = [None] * len(files)
    cache = ResultCache()
    try:
        todo: list[int] = []
        for i, path in enumerate(files):
            hit = cached_report(path, cache_variant(profile, options), cache) if use_cache else None
            if hit is None:
                todo.append(i)
            else:
                reports[i] = hit
                if on_report:
                    on_report(hit)
        done_before = sum(sizes[i] for i in range(len(files)) if reports[i] is not None)
        workers = min(jobs or os.cpu_count() or 1, len(todo))
        if workers <= 1:
            yield from _run_here(files, todo, reports, profile, use_cache, cache, done_before, total, on_report,
                                 options)
        else:
            yield from _run_pool(files, todo, sizes, reports, profile, use_cache, cache, workers,
                                 done_before, total, on_report, options)
    finally:
        cache.close()
    return [r for r in reports if r is not None]


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _run_here(files: Sequence[Path], todo: list[int], reports: list[FileReport | None], profile: str,
              use_cache: bool, cache: ResultCache, done: int, total: int,
              on_report: Callable[[FileReport], None] | None,
              options: dict[str, Any] | None = None) -> Task[None]:
    for i in todo:
        task = validate_file(files[i], profile, use_cache=use_cache, options=options, cache=cache)
        report = yield from _offset(task, done, total, str(files[i]))
        reports[i] = report
        done += max(report.size, 0)
        if on_report:
            on_report(report)


def _offset(task: Task[FileReport], before: int, total: int, message: str) -> Task[FileReport]:
    try:
        while True:
            tick = next(task)
            yield Progress(before + tick.done, total, message)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]
    finally:
        task.close()


# -- the pool ----------------------------------------------------------------------


def _context() -> Any:
    """forkserver where there is one (safe from a GUI process with threads), else spawn."""
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["depositdesk.validators.engine"])
        return ctx
    return multiprocessing.get_context("spawn")


def _run_pool(files: Sequence[Path], todo: list[int], sizes: list[int],
              reports: list[FileReport | None], profile: str, use_cache: bool, cache: ResultCache,
              workers: int, done_before: int, total: int,
              on_report: Callable[[FileReport], None] | None,
              options: dict[str, Any] | None = None) -> Task[None]:
    ctx = _context()
    ticks = ctx.Queue()
    cancel = ctx.Event()
    progress: dict[int, int] = {}
    broken: list[int] = []
    pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(ticks, cancel))
    try:
        futures: dict[Future[Any], int] = {
            pool.submit(_validate_in_worker, i, str(files[i]), profile, use_cache, str(cache.path), options): i
            for i in todo
        }
        pending = set(futures)
        current = str(files[todo[0]])
        while pending:
            finished, pending = wait(pending, timeout=_TICK_SECONDS, return_when=FIRST_COMPLETED)
            current = _drain(ticks, progress, files) or current
            for future in finished:
                i = futures[future]
                try:
                    reports[i] = FileReport.from_dict(future.result())
                except BrokenProcessPool:
                    broken.append(i)
                    continue
                progress[i] = sizes[i]
                if on_report:
                    on_report(reports[i])  # type: ignore[arg-type]
            yield Progress(done_before + sum(progress.values()), total, current)
    except GeneratorExit:
        cancel.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        ticks.close()
    for i in sorted(broken):  # retry alone, so one crashing file does not fail the others
        reports[i] = _run_alone(ctx, files[i], profile, use_cache, cache, options)
        if on_report:
            on_report(reports[i])  # type: ignore[arg-type]
        yield Progress(done_before + sum(progress.values()), total, str(files[i]))


def _drain(ticks: Any, progress: dict[int, int], files: Sequence[Path]) -> str | None:
    latest = None
    while True:
        try:
            index, done = ticks.get_nowait()
        except (queue_module.Empty, OSError, ValueError):
            return latest
        progress[index] = max(progress.get(index, 0), done)
        latest = str(files[index])


def _run_alone(ctx: Any, path: Path, profile: str, use_cache: bool, cache: ResultCache,
               options: dict[str, Any] | None = None) -> FileReport:
    ticks = ctx.Queue()
    with ProcessPoolExecutor(1, mp_context=ctx, initializer=_init_worker,
                             initargs=(ticks, ctx.Event())) as pool:
        try:
            result = pool.submit(_validate_in_worker, 0, str(path), profile, use_cache, str(cache.path),
                                 options).result()
            if result is not None:
                return FileReport.from_dict(result)
            raise BrokenProcessPool("no report")
        except BrokenProcessPool:
            display = str(path)
            return FileReport(display, None, None, _size(path), None, [finding(
                codes.FILE_VALIDATOR_FAILED, "The validator process crashed on this file",
                Location(file=display))])
        finally:
            ticks.close()


# -- inside a worker process ------------------------------------------------------------

_TICKS: Any = None
_CANCEL: Any = None


class _EventToken(CancelToken):
    """A CancelToken backed by the pool's shared event."""

    def __init__(self, event: Any) -> None:
        super().__init__()
        self._shared = event

    @property
    def cancelled(self) -> bool:
        return bool(self._shared.is_set())


def _init_worker(ticks: Any, cancel: Any) -> None:
    global _TICKS, _CANCEL
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _TICKS, _CANCEL = ticks, cancel


def _validate_in_worker(index: int, path: str, profile: str, use_cache: bool,
                        cache_path: str, options: dict[str, Any] | None = None) -> dict[str, Any] | None:
    last = 0.0

    def forward(tick: Progress) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= _TICK_SECONDS:
            last = now
            _TICKS.put((index, tick.done))

    cache = ResultCache(Path(cache_path))
    try:
        task = validate_file(Path(path), profile, use_cache=use_cache, options=options, cache=cache)
        report = drive(task, forward, _EventToken(_CANCEL))
        return report.to_dict(private=True)
    except Cancelled:
        return None
    finally:
        cache.close()
