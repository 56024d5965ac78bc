"""Read a file's content in big blocks on a second thread, hashing the stored bytes on the way.

The checks of a text format run in Python and hold the GIL; reading, md5 and
gunzip do not (the system call, hashlib and ISA-L release it). So one thread
reads the raw bytes (and gunzips compressed ones), and hands 2 MiB blocks of
content through a short queue to the thread that checks them; plain blocks go
to md5 on a third thread as they are (``_Hasher``: no copy, and md5 alone on
its core, the read not in its way): on two cores md5/gunzip and the checks
overlap instead of adding up.
The queue is short and its few block buffers are reused (memory stays
bounded), and closing the iterator stops the thread at its next block.

Both threads need the GIL between their C calls, and CPython hands it over
only after the holder has run for the switch interval (5 ms): with the checks
busy, the reading thread waited up to 5 ms at each of its few steps per
block, and md5 fell behind (a third of the wall time on plain FASTQ). While a
BlockReader runs, the interval is 0.5 ms (restored when the last one closes).

Each block makes a few MB of numpy temporaries. glibc's malloc gives
blocks that size back to the kernel when freed (mmap, or trimming the heap
top), so every block faulted its pages in again: ~85,000 page faults per
200 MB, a sixth of the run. On glibc the first BlockReader raises malloc's
mmap and trim thresholds (32 MiB, 128 MiB) so freed blocks are reused; the
peak RSS does not change (measured: +3 MB).

Gzip (every member: BGZF is a chain of small ones; zero padding tolerated as
gzip does) is inflated by ISA-L's gzip reader, about twice zlib's speed. For
gzip the md5 is left to the checking thread (a copy of each compressed chunk
goes through the queue): inflating (~1.7 s per GB of content here) plus md5
(~0.65 s) on one thread was the slowest of the two, the checks (~1.2 s) the
other; with md5 beside the checks the two threads carry about equal loads.
Errors met by the reading thread are raised in the checking thread at the
point of the stream where they were met: EOFError when the last member is cut
short, zlib.error for damaged data, gzip.BadGzipFile for trailing garbage,
OSError for the disk - the same exceptions a validator reading the file itself
would meet (see base.DECOMPRESSION_ERRORS and base.is_truncation).
"""

from __future__ import annotations

import ctypes
import io
import platform
import queue
import sys
import threading
import zlib
from collections.abc import Iterator
from typing import Any

from isal import igzip, isal_zlib

from depositdesk.validators.base import CHUNK, Source

BLOCK = 2 * CHUNK
_GZ_BUFFER = 4 << 20
_DEPTH = 2
_END = object()
_SWITCH_INTERVAL = 0.0005
_switching = threading.Lock()
_running = 0
_saved_interval = 0.005


def _quick_switching(on: bool) -> None:
    """Shorten the GIL switch interval while any BlockReader runs (see the module docstring)."""
    global _running, _saved_interval
    with _switching:
        if on:
            if _running == 0:
                _saved_interval = sys.getswitchinterval()
                sys.setswitchinterval(min(_saved_interval, _SWITCH_INTERVAL))
            _running += 1
        else:
            _running -= 1
            if _running == 0:
                sys.setswitchinterval(_saved_interval)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_malloc_tuned = False


def _reuse_freed_memory() -> None:
    """glibc only: keep freed blocks for the next ones instead of faulting them in again."""
    global _malloc_tuned
    if _malloc_tuned:
        return
    _malloc_tuned = True
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, 32 << 20)
        libc.mallopt(_M_TRIM_THRESHOLD, 128 << 20)
    except (OSError, AttributeError):
        return



def _get_unless_stopped(source: queue.Queue[Any], stop: threading.Event) -> Any | None:
    """The next item of ``source``, or None once ``stop`` is set (looked at every 50 ms)."""
    while not stop.is_set():
        try:
            return source.get(timeout=0.05)
        except queue.Empty:
            continue
    return None

class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class _Stored:
    """A chunk of the stored (compressed) file for the checking thread to hash."""

    def __init__(self, buffer: bytearray, n: int) -> None:
        self.buffer, self.n = buffer, n


class _Tap(io.RawIOBase):
    """The raw file as the gzip reader reads it, every chunk handed on to be hashed."""

    def __init__(self, reader: BlockReader, raw: Any) -> None:
        super().__init__()
        self._reader, self._raw_file = reader, raw

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        buffer = bytearray(size if size and size > 0 else CHUNK)
        return bytes(memoryview(buffer)[:self.readinto(buffer)])

    def readinto(self, buffer: Any) -> int:
        n: int = self._raw_file.readinto(buffer) or 0
        if n:
            self._reader._hand_stored(memoryview(buffer)[:n])
            self._reader.source._count(n)
        return n


def _gzip_reader(tap: _Tap) -> Any:
    """ISA-L's C gzip reader with a big input buffer (GzipFile's own when that class is gone)."""
    reader = getattr(isal_zlib, "_GzipReader", None)
    if reader is None:
        return igzip.GzipFile(fileobj=tap, mode="rb")
    return reader(tap, _GZ_BUFFER)


def _fill(stream: Any, view: memoryview) -> int:
    """readinto until the view is full or the stream ends (a gzip reader stops at member ends)."""
    filled = 0
    while filled < len(view):
        n = stream.readinto(view[filled:])
        if not n:
            break
        filled += n
    return filled


class _Hasher:
    """The md5 of plain content on a thread of its own, over the very blocks handed to the checks.

    Reading a block from the page cache costs a third of what hashing it does; with both on one
    thread the md5 (the critical path on two cores) ran ~20 % behind md5sum. Here the reading
    thread only reads, this one only hashes (hashlib releases the GIL on big buffers), in file
    order, and a block's buffer is refilled only once it is hashed (``wait_done``)."""

    def __init__(self, md5: Any, stop: threading.Event, name: str) -> None:
        self._md5, self._stop = md5, stop
        self._todo: queue.Queue[Any] = queue.Queue()
        self._done = threading.Condition()
        self._queued = self._hashed = 0
        self._ticket: dict[int, int] = {}  # id(buffer) -> its block's number
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"md5 {name}")
        self._thread.start()

    def hash(self, buffer: bytearray, start: int) -> None:
        self._queued += 1
        self._ticket[id(buffer)] = self._queued
        self._todo.put(memoryview(buffer)[start:])

    def wait_done(self, buffer: bytearray) -> None:
        ticket = self._ticket.pop(id(buffer), 0)
        with self._done:
            while self._hashed < ticket and not self._stop.is_set():
                self._done.wait(0.05)

    def finish(self) -> None:
        """Wait for the md5 of every block queued (or, once the reader is stopped, for the thread's end)."""
        self._todo.put(None)
        self._thread.join()

    def _run(self) -> None:
        while (view := _get_unless_stopped(self._todo, self._stop)) is not None:
            self._md5.update(view)
            view.release()
            with self._done:
                self._hashed += 1
                self._done.notify()


class BlockReader:
    """An iterator of content blocks (bytes) of a `Source`, read ahead on a thread."""

    def __init__(self, source: Source, *, decompress: bool = True, block: int | None = None,
                 headroom: int = 0) -> None:
        """``headroom``: bytes left free before the content of each block, for the caller to
        put there what it kept of the block before (the end of a record cut by the block edge)."""
        self.source = source
        self.headroom = headroom
        self.decompress = decompress
        self.block = block or BLOCK  # read at run time, so that tests can make blocks tiny
        self._queue: queue.Queue[Any] = queue.Queue(_DEPTH)
        self._free: queue.Queue[bytearray] = queue.Queue()  # blocks the checking thread is done with
        self._buffers = 0
        self._free_stored: queue.Queue[bytearray] = queue.Queue()  # compressed chunks it has hashed
        self._stored_buffers = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True, name=f"read {source.path.name}")
        self._started = False
        self._closed = False

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

    def _buffer(self) -> bytearray | None:
        """A block buffer to fill: one the checking thread gave back, or a new one (at most _DEPTH + 2).

        Reusing a few buffers instead of a new bytes object per block spares the kernel
        a page fault per 4 KiB of content (~0.2 s per GB here)."""
        if self._buffers < _DEPTH + 2:
            self._buffers += 1
            return bytearray(self.headroom + self.block)
        return _get_unless_stopped(self._free, self._stop)

    def _hand_stored(self, chunk: memoryview) -> None:
        """Queue a copy of a compressed chunk for md5 on the checking thread (see the module docstring)."""
        if self.source.md5 is None:
            return
        buffer: bytearray | None = None
        if len(chunk) <= _GZ_BUFFER:
            if self._stored_buffers < _DEPTH + 1:
                self._stored_buffers += 1
                buffer = bytearray(_GZ_BUFFER)
            else:
                buffer = _get_unless_stopped(self._free_stored, self._stop)
                if buffer is None:
                    return
            buffer[:len(chunk)] = chunk
        self._put(_Stored(buffer if buffer is not None else bytearray(chunk), len(chunk)))

    def _filled(self, buffer: bytearray, n: int) -> bytearray:
        """The block handed on: the buffer itself when full, else a copy of its start."""
        if self.headroom + n == len(buffer):
            return buffer
        self._free.put(buffer)
        return bytearray(memoryview(buffer)[:self.headroom + n])

    def _raw(self, raw: Any, hasher: _Hasher | None) -> bytearray:
        buffer = self._buffer()
        if buffer is None:
            return bytearray(self.headroom)
        if hasher is not None:
            hasher.wait_done(buffer)  # still being hashed: wait (the checks are the faster ones)
        n: int = raw.readinto(memoryview(buffer)[self.headroom:]) or 0
        if not n:
            return self._filled(buffer, 0)
        self.source._count(n)
        data = self._filled(buffer, n)
        if hasher is not None:
            hasher.hash(data, self.headroom)
        return data

    def _read_plain(self, raw: Any) -> None:
        hasher = _Hasher(self.source.md5, self._stop, self.source.path.name) if self.source.md5 else None
        try:
            while not self._stop.is_set():
                data = self._raw(raw, hasher)
                if len(data) <= self.headroom:
                    return
                self._put(data)
        finally:
            if hasher is not None:
                hasher.finish()  # the md5 is whole before the end of the content is signalled

    def _read_gzip(self, raw: Any) -> None:
        """gunzip (all members; BGZF is a chain of small ones) with ISA-L's gzip reader over a hashing tap.

        ISA-L's reader releases the GIL while it inflates but needs it to fill its input buffer
        from the tap: with GzipFile's 512 KiB buffer that was ~1000 waits for the GIL per GB of gzip, and
        inflating barely overlapped the checks; a 4 MiB buffer makes it ~100."""
        stream = _gzip_reader(_Tap(self, raw))
        try:
            while not self._stop.is_set():
                buffer = self._buffer()
                if buffer is None:
                    return
                try:
                    n = _fill(stream, memoryview(buffer)[self.headroom:])
                except isal_zlib.error as exc:  # type: ignore[misc]
                    raise zlib.error(f"damaged compressed data: {exc}") from None
                if not n:
                    return
                self._put(self._filled(buffer, n))
        finally:
            stream.close()

    def _put(self, item: Any) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return
            except queue.Full:
                continue

    # -- the checking thread ------------------------------------------------------------

    def __iter__(self) -> Iterator[bytearray]:
        """The content, block by block (from ``headroom`` on): each block is reused once the next
        one is asked for."""
        if not self._started:
            self._started = True
            _reuse_freed_memory()
            _quick_switching(True)
            self._thread.start()
        try:
            while True:
                item = self._queue.get()
                if item is _END:
                    return
                if isinstance(item, _Stored):
                    self._hash_stored(item)
                    continue
                if isinstance(item, _Failure):
                    raise item.exc
                yield item
                if isinstance(item, bytearray):
                    self._free.put(item)
        finally:
            self.close()

    def _hash_stored(self, item: _Stored) -> None:
        if self.source.md5 is not None:
            self.source.md5.update(memoryview(item.buffer)[:item.n])
        if len(item.buffer) == _GZ_BUFFER:
            self._free_stored.put(item.buffer)

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
            if not self._closed:
                self._closed = True
                _quick_switching(False)
