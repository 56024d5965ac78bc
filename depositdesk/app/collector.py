"""Python's cyclic garbage collection, run on the GUI thread only, and not over the open documents.

Two reasons, both seen in this window:
- CPython starts a collection on whichever thread allocates when a
  threshold is passed. A worker thread (a check, a save) would then destroy
  the Qt objects of any garbage cycle off the GUI thread, which crashes the
  process.
- A full collection walks every tracked object. A 50,000 × 40 SDRF is 50,000
  row lists; with the copies the checks and saves take, a full collection
  held the interpreter for 50–130 ms, freezing the window.

So `install` switches automatic collection off and a timer on the GUI thread
collects instead, by the same thresholds CPython uses (`gc.get_threshold`),
not while workers run, the oldest generation at most every `FULL_EVERY`
seconds. And `settle`, once a project is shown and the window is idle, moves
every object alive into the permanent generation (`gc.freeze`), which
collections skip: the documents, the widgets, the ontology index are
long-lived and are freed by reference counting when let go. Closing a project
`release`s them (`gc.unfreeze`); the next `settle` collects first.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool, QTimer

TICK_MS = 250
SETTLE_MS = 300
BUSY_LIMIT = 500_000
"""Young objects left uncollected while workers run, at most."""
FULL_EVERY = 20.0
"""Seconds between two collections of the oldest generation, at least."""

_installed: GuiCollector | None = None


class GuiCollector(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.last_full = time.monotonic()
        self.settling = QTimer(self)
        self.settling.setSingleShot(True)
        self.settling.setInterval(SETTLE_MS)
        self.settling.timeout.connect(self._settle)
        self.released = False

    def _settle(self) -> None:
        """Once no worker runs (its task may still hold the closed project) and the widgets
        deleted later are gone: collect, then freeze."""
        if QThreadPool.globalInstance().activeThreadCount():
            self.settling.start()
            return
        if self.released:   # a closed project's cycles are garbage now: collect them before freezing
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            gc.collect()
            self.released = False
        gc.freeze()

    def tick(self) -> None:
        """One collection of the generation CPython would collect now, if any.

        Not while a worker runs, unless its objects pile up past `BUSY_LIMIT`: a worker reading
        or copying 50,000 rows makes 50,000 young lists, and a collection then would walk them
        all; most are freed with the worker's result, the rest are walked once, after it.
        """
        count = gc.get_count()
        threshold = gc.get_threshold()
        if count[0] < threshold[0]:
            return
        busy = QThreadPool.globalInstance().activeThreadCount() or self.settling.isActive()
        if busy and count[0] < BUSY_LIMIT:   # (a pending `settle` collects them all at once)
            return
        generation = 0
        if count[1] >= threshold[1]:
            generation = 1
            if count[2] >= threshold[2] and time.monotonic() - self.last_full >= FULL_EVERY:
                generation = 2
                self.last_full = time.monotonic()
        gc.collect(generation)


def install() -> GuiCollector:
    """Collect on the GUI thread from now on (call it on the GUI thread, once a QApplication exists)."""
    global _installed
    if _installed is None:
        _installed = GuiCollector()
        gc.collect()    # what starting the program left (modules, the ontology registry ...) is frozen
        gc.freeze()
    gc.disable()
    _installed.timer.start()
    return _installed


def uninstall() -> None:
    """Back to CPython's own collection (tests end with it, so later tests run as Python does)."""
    global _installed
    if _installed is not None:
        _installed.timer.stop()
        _installed.deleteLater()
        _installed = None
    gc.unfreeze()
    gc.enable()


def release() -> None:
    """The objects frozen by `settle` may be collected again (a project is being let go)."""
    gc.unfreeze()
    if _installed is not None:
        _installed.released = True


def settle() -> None:
    """Soon, when the window is idle: exempt everything alive from later collections (`gc.freeze`).

    Frozen garbage is never collected, so a project closed since (`release`) is collected first,
    once no worker may still hold it and no widget deleted later still shows it. With none closed,
    only what opening left in cycles is frozen with the rest (walking the 50,000 new rows to find
    it took 50–80 ms).
    """
    if _installed is not None:
        _installed.settling.start()
