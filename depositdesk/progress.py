"""Long work as generators: each ``yield`` is a progress tick and a cancellation point.

A long task (validating a file, building a term index, uploading) is written as
a generator function that yields `Progress` values and *returns* its result::

    def build(...) -> Generator[Progress, None, Report]:
        for i, chunk in enumerate(chunks):
            ...
            yield Progress(done=i, total=n, message="indexing")
        return report

Whoever drives it decides how to show progress and when to stop: the CLI draws
a bar (`run_with_bar`), the GUI runs it in a worker thread and forwards ticks
through queued signals, tests call `run`. Cancelling is closing the generator
(``gen.close()`` raises ``GeneratorExit`` at the current ``yield``), so a task
cleans up in ``finally`` blocks and never needs a cancel flag of its own.
Nothing here imports Qt.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import IO, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Progress:
    done: int
    total: int | None = None
    message: str = ""
    unit: str = "B"

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


Task = Generator[Progress, None, T]


class Cancelled(Exception):
    """Raised by `drive` when the caller asked to stop."""


class CancelToken:
    """A thread-safe flag a UI or signal handler sets to stop a driven task."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


def drive(
    task: Task[T],
    on_progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
) -> T:
    """Run a task to its end, reporting ticks; raise `Cancelled` if the token is set."""
    try:
        while True:
            if cancel is not None and cancel.cancelled:
                task.close()
                raise Cancelled()
            tick = next(task)
            if on_progress is not None:
                on_progress(tick)
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


def run(task: Task[T]) -> T:
    """Run a task to its end, ignoring progress."""
    return drive(task)


def human_bytes(n: float) -> str:
    """'812 B', '12.3 MB': byte counts as people read them (decimal units)."""
    return _human(n, "B")


def _human(n: float, unit: str) -> str:
    if unit != "B":
        return f"{n:,.0f}"
    for suffix in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1000 or suffix == "TB":
            return f"{n:.0f} {suffix}" if suffix == "B" else f"{n:.1f} {suffix}"
        n /= 1000
    return f"{n:.1f} TB"


class TerminalBar:
    """A one-line progress bar for the command line, drawn on stderr when it is a terminal."""

    def __init__(self, label: str, stream: IO[str] | None = None, min_interval: float = 0.1) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.min_interval = min_interval
        self._last = 0.0
        self._started = time.monotonic()

    def __call__(self, tick: Progress) -> None:
        now = time.monotonic()
        if not self.enabled or now - self._last < self.min_interval:
            return
        self._last = now
        frac = tick.fraction
        rate = tick.done / max(now - self._started, 1e-6)
        if frac is None:
            text = f"{self.label}: {_human(tick.done, tick.unit)} {tick.message}"
        else:
            filled = int(frac * 30)
            text = (
                f"{self.label}: [{'#' * filled}{'.' * (30 - filled)}] {frac * 100:5.1f}% "
                f"{_human(tick.done, tick.unit)}/{_human(tick.total or 0, tick.unit)} "
                f"{_human(rate, tick.unit)}/s {tick.message}"
            )
        self.stream.write("\r" + text[:120].ljust(120))
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 120 + "\r")
            self.stream.flush()


def run_with_bar(task: Task[T], label: str, cancel: CancelToken | None = None) -> T:
    bar = TerminalBar(label)
    try:
        return drive(task, bar, cancel)
    finally:
        bar.close()
