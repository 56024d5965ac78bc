"""The same validators as Dask tasks: validation beyond one machine (dask.distributed).

``scheduler`` is ``local:N`` (a LocalCluster of N single-threaded worker
processes that this runner starts and stops) or the address of a running
scheduler (``tcp://host:8786``). Only this module imports Dask; the validators
stay pure functions of one file.

- **Paths travel, not bytes**: a task is (path, profile, options); the files
  must be at the same path on every worker (a shared filesystem).
- **The cache stays local**: files unchanged since their last validation are
  answered here, before anything is submitted; each report that comes back is
  stored here under the file's (path, size, mtime) key, exactly as a local run
  stores it, so a later local or cluster run reads nothing twice.
- **Progress** counts files and bytes of finished files (a task reports when
  its file is done).
- **Cancel** (closing the task, Ctrl-C) cancels every future still pending.
- **A worker that dies** mid-file has its task rescheduled on another worker by
  the scheduler (``retries``); a file that kills every worker it meets gets
  FILE-VALIDATOR-FAILED, and a file a worker cannot read is the usual finding.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from depositdesk.findings import Location, finding
from depositdesk.progress import Progress, Task, run
from depositdesk.validators import codes
from depositdesk.validators.cache import ResultCache, cache_key
from depositdesk.validators.engine import (
    FileReport,
    _version_of,
    cache_variant,
    cached_report,
    validate_file,
)

_TICK_SECONDS = 0.1
_CONNECT_SECONDS = 10
RETRIES = 2
"""How many times a task whose worker died is tried again elsewhere."""


class SchedulerError(Exception):
    """The scheduler cannot be used (bad address, unreachable, Dask not installed): one line for people."""


def parse_scheduler(text: str) -> tuple[str, int | str]:
    """('local', N) or ('address', 'tcp://host:port'); SchedulerError when it is neither."""
    text = text.strip()
    if text.startswith("local:"):
        count = text.partition(":")[2]
        if not count.isdigit() or int(count) < 1:
            raise SchedulerError(f"'{text}': local:N needs a number of workers of at least 1")
        return "local", int(count)
    if "://" in text and text.split("://", 1)[1]:
        return "address", text
    raise SchedulerError(f"'{text}' is not a scheduler: give local:N or an address such as tcp://host:8786")


@contextmanager
def connect(scheduler: str) -> Iterator[Any]:
    """A dask.distributed Client for ``scheduler`` (starting and stopping a LocalCluster for local:N)."""
    kind, value = parse_scheduler(scheduler)
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise SchedulerError(f"Dask is not installed ({exc}); pip install 'dask[distributed]'") from exc
    if kind == "local":
        cluster = LocalCluster(n_workers=int(value), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=50)
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = Client(str(value), timeout=_CONNECT_SECONDS)
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {value}: {exc}") from exc
    try:
        yield client
    finally:
        client.close()


def validate_on_worker(path: str, profile: str, options: dict[str, Any] | None) -> dict[str, Any]:
    """One file, on a worker: its report as a dict (never raises on the file's content)."""
    try:
        report = run(validate_file(Path(path), profile, use_cache=False, options=options))
    except Exception as exc:  # a validator bug must not kill the run: a finding, as the local pool does
        report = FileReport(path, None, None, _size(path), None, [finding(
            codes.FILE_VALIDATOR_FAILED, f"The validator failed on this file: {type(exc).__name__}: {exc}",
            Location(file=path))])
    return report.to_dict(private=True)


def run_on_dask(files: Sequence[Path], profile: str, *, scheduler: str, use_cache: bool,
                on_report: Callable[[FileReport], None] | None = None,
                options: dict[str, Any] | None = None,
                cache: ResultCache | None = None) -> Task[list[FileReport]]:
    """Validate ``files`` on the cluster; reports in the order of ``files``."""
    variant = cache_variant(profile, options)
    sizes = [_size(f) for f in files]
    total = sum(sizes)
    reports: list[FileReport | None] = [None] * len(files)
    store = cache or ResultCache()
    try:
        todo = []
        for i, path in enumerate(files):
            hit = cached_report(path, variant, store) if use_cache else None
            if hit is None:
                todo.append(i)
            else:
                reports[i] = hit
                if on_report:
                    on_report(hit)
        done = sum(sizes[i] for i in range(len(files)) if reports[i] is not None)
        yield Progress(done, total, f"{len(files) - len(todo):,} of {len(files):,} files from the cache")
        if todo:
            yield from _submit_all(files, todo, sizes, reports, profile, options, scheduler, store,
                                   variant, done, total, on_report)
    finally:
        if cache is None:
            store.close()
    return [r for r in reports if r is not None]


def _submit_all(files: Sequence[Path], todo: list[int], sizes: list[int], reports: list[FileReport | None],
                profile: str, options: dict[str, Any] | None, scheduler: str, store: ResultCache,
                variant: str, done: int, total: int,
                on_report: Callable[[FileReport], None] | None) -> Task[None]:
    from distributed import wait

    with connect(scheduler) as client:
        futures = {client.submit(validate_on_worker, str(files[i]), profile, options, pure=False,
                                 retries=RETRIES, key=f"validate-{i}-{os.urandom(4).hex()}"): i
                   for i in todo}
        pending = set(futures)
        finished_files = len(files) - len(todo)
        try:
            while pending:
                # distributed's wait raises on its timeout instead of returning the unfinished
                with suppress(TimeoutError):
                    wait(list(pending), timeout=_TICK_SECONDS, return_when="FIRST_COMPLETED")
                for future in [f for f in pending if f.done()]:
                    pending.discard(future)
                    i = futures[future]
                    reports[i] = _collect(future, files[i], store, variant)
                    done += sizes[i]
                    finished_files += 1
                    if on_report:
                        on_report(reports[i])  # type: ignore[arg-type]
                yield Progress(done, total, f"{finished_files:,} of {len(files):,} files validated")
        except GeneratorExit:
            client.cancel(list(pending))
            raise


def _collect(future: Any, path: Path, store: ResultCache, variant: str) -> FileReport:
    """The finished task's report (stored in the local cache), or FILE-VALIDATOR-FAILED when it died."""
    display = str(path)
    try:
        report = FileReport.from_dict(future.result())
    except Exception as exc:  # KilledWorker after the retries, or a lost connection
        return FileReport(display, None, None, _size(path), None, [finding(
            codes.FILE_VALIDATOR_FAILED, f"No worker could validate this file ({type(exc).__name__}: {exc})",
            Location(file=display))])
    if not any(f.code in (codes.FILE_IO_ERROR, codes.FILE_VALIDATOR_FAILED, codes.FILE_NOT_A_FILE)
               for f in report.findings):
        try:
            key, _ = cache_key(path, variant)
        except OSError:
            return report
        store.put(key, report.format, _version_of(report.format), report.to_dict(private=True))
    return report


def _size(path: Path | str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
