"""Read a file's content in big blocks on a second thread, hashing the stored bytes there.

The checks of a text format run in Python and hold the GIL; reading, md5 and
gunzip do not (the system call, hashlib and ISA-L release it). So one thread
reads the raw bytes, feeds them to md5 and decompresses them, and hands 2 MiB
blocks of content through a short queue to the thread that checks them: on
two cores md5/gunzip and the checks overlap instead of adding up. The queue is
short (memory stays bounded: a few blocks) and closing the iterator stops the
thread at its next block.

Gzip (every member: BGZF is a chain of small ones; zero padding tolerated as
gzip does) is inflated by ISA-L's GzipFile, about twice zlib's speed.
Errors met by the reading thread are raised in the checking thread at the
point of the stream where they were met: EOFError when the last member is cut
short, zlib.error for damaged data, gzip.BadGzipFile for trailing garbage,
OSError for the disk - the same exceptions a validator reading the file itself
would meet (see base.DECOMPRESSION_ERRORS and base.is_truncation).
"""

from __future__ import annotations

import io
import queue
import threading
import zlib
from collections.abc import Iterator
from typing import Any

from isal import igzip, isal_zlib

from depositdesk.validators.base import CHUNK, Source

BLOCK = 2 * CHUNK
_DEPTH = 2
_END = object()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class _Tap(io.RawIOBase):
    """The raw file as GzipFile reads it, every byte hashed on the way (no extra copy)."""

    def __init__(self, reader: BlockReader, raw: Any) -> None:
        super().__init__()
        self._reader, self._raw_file = reader, raw

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._reader._raw(self._raw_file, size if size and size > 0 else CHUNK)

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


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

    # -- the reading thread -----------------------------------------------------------

    def _read(self) -> None:
        try:
            with open(self.source.path, "rb", buffering=0) as raw:
                self.source.opens += 1
                if self.decompress and self.source.sniffed.compression in ("gzip", "bgzf"):
                    self._read_gzip(raw)
                else:
                    self._read_plain(raw)
            self._put(_END)
        except BaseException as exc:  # handed to the checking thread, raised there
            self._put(_Failure(exc))

    def _raw(self, raw: Any, size: int) -> bytes:
        data: bytes = raw.read(size)
        if data:
            if self.source.md5 is not None:
                self.source.md5.update(data)
            self.source._count(len(data))
        return data

    def _read_plain(self, raw: Any) -> None:
        while not self._stop.is_set():
            data = self._raw(raw, self.block)
            if not data:
                return
            self._put(data)

    def _read_gzip(self, raw: Any) -> None:
        """gunzip (all members; BGZF is a chain of small ones) with ISA-L's GzipFile over a hashing tap."""
        with igzip.GzipFile(fileobj=_Tap(self, raw), mode="rb") as stream:
            while not self._stop.is_set():
                try:
                    data = stream.read(self.block)
                except isal_zlib.error as exc:  # type: ignore[misc]
                    raise zlib.error(f"damaged compressed data: {exc}") from None
                if not data:
                    return
                self._put(data)

    def _put(self, item: Any) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    # -- the checking thread ------------------------------------------------------------

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
