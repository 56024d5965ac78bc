"""Background work for the window: a `depositdesk.progress` task run on a pool thread.

A task is a generator (see `depositdesk.progress`); `TaskWorker` drives it on a
`QThreadPool` thread and hands everything back through queued signals: ticks
(throttled, so a fast task cannot flood the event loop), items the task
reports on the way (e.g. one `FileReport` per validated file), and its result
or failure. Cancelling sets a `CancelToken`; the driver then closes the
generator at its next ``yield``, so the task's ``finally`` blocks run. A worker
never touches a widget.
"""

from __future__ import annotations

import contextlib
import sys
import time
import traceback
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from depositdesk.progress import Cancelled, CancelToken, Progress, Task, drive

TaskFactory = Callable[[Callable[[Any], None]], Task[Any]]
"""Makes the task; receives ``emit_item`` for results reported before the end."""


class WorkerSignals(QObject):
    """Signals of one worker. Lives in the GUI thread; emitted from the pool thread (queued)."""

    progress = Signal(object)   # Progress
    item = Signal(object)       # anything the task reports on the way
    finished = Signal(object)   # the task's return value
    failed = Signal(str)        # one sentence for a person
    cancelled = Signal()
    done = Signal()             # after finished/failed/cancelled, always


class TaskWorker(QRunnable):
    """Runs one task. Create it in the GUI thread, start it with `start_task`."""

    def __init__(self, factory: TaskFactory, min_interval: float = 0.05) -> None:
        super().__init__()
        self.setAutoDelete(True)   # the pool holds the wrapper until it deletes the runnable: else never freed
        self.signals = WorkerSignals()
        self.token = CancelToken()
        self._factory = factory
        self._min_interval = min_interval
        self._last_tick = 0.0

    def cancel(self) -> None:
        self.token.cancel()

    def _on_progress(self, tick: Progress) -> None:
        now = time.monotonic()
        if now - self._last_tick >= self._min_interval:
            self._last_tick = now
            self.signals.progress.emit(tick)

    def run(self) -> None:  # in the pool thread
        with contextlib.suppress(RuntimeError):  # the window (and these signals) went away while the task ran
            self._run()

    def _run(self) -> None:
        try:
            task = self._factory(self.signals.item.emit)
            result = drive(task, self._on_progress, self.token)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # a worker must report, never die silently
            traceback.print_exc()
            self.signals.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.signals.finished.emit(result)
        finally:
            self._factory = _spent   # what the task's closure held (a project, a copy of it) is let go
            self.signals.done.emit()


def _spent(_emit: Callable[[Any], None]) -> Task[Any]:
    raise RuntimeError("this worker has run its task already")


SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the interpreter while another waits for it (Python's default: 0.005)."""


def favour_the_gui_thread() -> None:
    """Hand the interpreter to a waiting thread after 1 ms, not 5.

    Qt on the GUI thread calls into Python for every overridden method of every widget it lays
    out, paints or polishes, and each call waits for the interpreter while a worker holds it:
    at Python's 5 ms a repaint with a busy worker took 100–300 ms. Workers lose a little speed.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)


_LIVE: dict[int, TaskWorker] = {}
"""Workers under way, kept alive until done. The entry is dropped by `_forget`, bound to the
worker's id, not to the worker: a slot holding the worker, connected to the worker's own signals,
is a cycle through Qt that Python's collector cannot see, and the worker (with the project its
task held) was never freed."""


def _forget(key: int) -> None:
    _LIVE.pop(key, None)


def make_task(factory: TaskFactory) -> TaskWorker:
    """A worker not started yet: connect its signals, then `launch` it.

    Connecting before starting matters: a task that finishes at once (every
    file answered from the cache) would otherwise emit before anyone listens.
    """
    worker = TaskWorker(factory)
    _LIVE[id(worker)] = worker
    worker.signals.done.connect(partial(_forget, id(worker)))
    return worker


def launch(worker: TaskWorker, pool: QThreadPool | None = None) -> TaskWorker:
    (pool or QThreadPool.globalInstance()).start(worker)
    return worker


def simple_task(func: Callable[[], Any], message: str = "") -> TaskFactory:
    """A factory for a plain function (one step, no ticks) so it can run in the pool too."""

    def factory(_emit: Callable[[Any], None]) -> Task[Any]:
        yield Progress(0, 1, message, unit="")
        return func()

    return factory
