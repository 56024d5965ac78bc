"""Rendering the window (or any widget) to PNG offscreen: the ``--screenshot`` option and the docs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDeadlineTimer, QThreadPool
from PySide6.QtWidgets import QApplication, QWidget


def settle(wait_workers_ms: int = 5000) -> None:
    """Let layouts and background checks finish so the picture shows their results."""
    app = QApplication.instance()
    assert app is not None
    for _ in range(3):
        app.processEvents()
    QThreadPool.globalInstance().waitForDone(QDeadlineTimer(wait_workers_ms))
    for _ in range(3):
        app.processEvents()


def render(widget: QWidget, out: Path, size: tuple[int, int] = (1360, 860)) -> bool:
    widget.resize(*size)
    widget.show()
    settle()
    out.parent.mkdir(parents=True, exist_ok=True)
    return bool(widget.grab().save(str(out)))
