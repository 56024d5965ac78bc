"""Read a file's content in big blocks on a second thread, hashing the stored bytes there.

The checks of a text format run in Python and hold the GIL; reading, md5 and
gunzip do not (the system call, hashlib and isal release it). So one thread
reads the raw bytes, feeds them to md5 and decompresses them, and hands 2 MiB
blocks of content through a short queue to the thread that checks them: on
two cores md5 and the checks overlap instead of adding up. The queue is short
(memory stays bounded: a few blocks) and closing the iterator stops the thread
at its next block.

Errors met by the reading thread (truncated gzip, damaged data, I/O failure)
are raised in the checking thread at the point of the stream where they were
met, so a validator handles them as if it had read the file itself.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import IO, Any

from isal import igzip

from depositdesk.validators.base import CHUNK, HashingReader, Source

BLOCK = 2 * CHUNK
_DEPTH = 2
_END = object()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class BlockReader:
    """An iterator of content blocks (bytes) of a `Source`, read ahead on a thread."""

    def __init__(self, source: Source, *, decompress: bool = True, block: int = BLOCK) -> None:
        self.source = source
        self.decompress = decompress
        self.block = block
        self._queue: queue.Queue[Any] = queue.Queue(_DEPTH)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True, name=f"read {source.path.name}")
        self._started = False

    def _open(self) -> IO[bytes]:
        raw = open(self.source.path, "rb", buffering=0)  # noqa: SIM115 - closed in _read
        self.source.opens += 1
        tap = HashingReader(raw, self.source.md5, self.source._count)
        if self.decompress and self.source.sniffed.compression in ("gzip", "bgzf"):
            return igzip.GzipFile(fileobj=tap, mode="rb")  # type: ignore[return-value]
        return tap  # type: ignore[return-value]

    def _read(self) -> None:
        try:
            with self._open() as stream:
                while not self._stop.is_set():
                    data = stream.read(self.block)
                    if not data:
                        break
                    self._put(data)
            self._put(_END)
        except BaseException as exc:  # handed to the checking thread, raised there
            self._put(_Failure(exc))

    def _put(self, item: Any) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    def __iter__(self) -> Iterator[bytes]:
        if not self._started:
            self._started = True
            self._thread.start()
        try:
            while True:
                item = self._queue.get()
                if item is _END:
                    return
                if isinstance(item, _Failure):
                    raise item.exc
                yield item
        finally:
            self.close()

    def close(self) -> None:
        """Stop the reading thread (at its next block) and wait for it."""
        self._stop.set()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        if self._started:
            self._thread.join()
