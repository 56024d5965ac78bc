"""tifffile's own complaints, turned into findings.

tifffile logs what it works around in a damaged file (a tag pointing outside
the file, offsets and byte counts of different lengths) on its ``tifffile``
logger and goes on. While a scan runs on a thread, `TiffLog` takes the records
of that thread (so nothing reaches the user's terminal) and the validator
reports them; records of other threads and of code outside a scan pass
through as usual.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType

_LOGGER = logging.getLogger("tifffile")
_ACTIVE: dict[int, list[str]] = {}
_LOCK = threading.Lock()
_SKIP = ("OME series",)  # OME-XML and fileset problems have their own checks and codes


class _Capture(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        sink = _ACTIVE.get(record.thread or 0)
        if sink is None:
            return True
        message = record.getMessage()
        if record.levelno >= logging.WARNING and not any(skip in message for skip in _SKIP):
            sink.append(message)
        return False


_LOGGER.addFilter(_Capture())


class TiffLog:
    """``with TiffLog() as log: ...`` - then ``log.messages`` holds what tifffile said on this thread."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __enter__(self) -> TiffLog:
        with _LOCK:
            _ACTIVE[threading.get_ident()] = self.messages
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        with _LOCK:
            _ACTIVE.pop(threading.get_ident(), None)
