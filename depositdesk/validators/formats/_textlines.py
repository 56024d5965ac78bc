"""Reading a text format in large blocks that end on a line boundary (GFF3, BED, WIG).

Python's per-line file iteration costs about as much as the checks themselves,
so the text validators read a few MB at a time, cut the block after its last
newline and split the lines themselves. Every byte still goes through
`Source.open_decompressed`, so the md5 comes for free.

Read errors are not raised to the validator: `TextBlocks` reports them as
findings of the codes its caller gives (truncated gzip vs. corrupt data vs.
an I/O error) and simply ends the iteration.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Protocol

import numpy as np

from depositdesk.progress import Task
from depositdesk.validators.base import DECOMPRESSION_ERRORS, Context, Source, is_truncation

BLOCK = 4 << 20  # 4 MiB per read: large enough that per-block overhead vanishes


@dataclass(frozen=True)
class ReadCodes:
    """The codes a format uses for a file it could not read to the end."""

    truncated: str
    corrupt: str


class BlockChecks(Protocol):
    """A text format's checks, fed whole-line blocks in order (see `check_text`)."""

    def feed(self, chunk: bytes, first_line: int) -> None: ...

    def finish(self) -> dict[str, Any]: ...


def check_text(source: Source, ctx: Context, checks: BlockChecks, codes: ReadCodes,
               doing: str) -> Task[dict[str, Any]]:
    """The ``run`` of a text validator: every block to ``checks``, a progress tick after each, then its stats.

    Read errors end the file early as findings of ``codes`` (see `TextBlocks`);
    ``finish`` still runs, so the checks report what the part they saw lacks.
    """
    blocks = TextBlocks(source, ctx, codes)
    for chunk in blocks:
        checks.feed(chunk, blocks.first_line)
        yield source.progress(doing)
    return checks.finish()


class TextBlocks:
    """Iterate over a file's content as byte blocks that each end with a whole line.

    The last block may lack a final newline. ``first_line`` of each block is
    the 1-based number of its first line, for findings.
    """

    def __init__(self, source: Source, ctx: Context, codes: ReadCodes) -> None:
        self.source = source
        self.ctx = ctx
        self.codes = codes
        self.block = BLOCK  # read at run time, so that tests can make blocks tiny
        self.first_line = 1
        self.lines_seen = 0
        self.failed = False

    def __iter__(self) -> Iterator[bytes]:
        carry = b""
        try:
            with self.source.open_decompressed() as stream:
                for data in _read_ahead(stream, self.block):
                    cut = data.rfind(b"\n")
                    if cut < 0:
                        carry += data
                        continue
                    chunk = carry + data[: cut + 1] if carry else data[: cut + 1]
                    carry = data[cut + 1:]
                    yield from self._emit(chunk)
        except DECOMPRESSION_ERRORS as exc:
            self._report_read_error(exc)
        except OSError as exc:
            self._report_read_error(exc)
        if carry and not self.failed:
            yield from self._emit(carry)

    def _emit(self, chunk: bytes) -> Iterator[bytes]:
        self.first_line = self.lines_seen + 1
        self.lines_seen += count_newlines(chunk) + (0 if chunk.endswith(b"\n") else 1)
        yield chunk

    def _report_read_error(self, exc: BaseException) -> None:
        self.failed = True
        where = f"after {self.source.bytes_read:,} bytes"
        if is_truncation(exc):
            self.ctx.report(self.codes.truncated, f"The file ends early ({where}): {exc}")
        else:
            self.ctx.report(self.codes.corrupt, f"The file could not be read to its end ({where}): {exc}")


def count_newlines(chunk: bytes) -> int:
    """Newlines in a block; numpy's compare-and-count is about 3x faster than bytes.count here."""
    return int(np.count_nonzero(np.frombuffer(chunk, dtype=np.uint8) == 10))


def _read_ahead(stream: IO[bytes], size: int) -> Iterator[bytes]:
    """Blocks of ``stream``, read (hashed, gunzipped) on a second thread while the caller checks the last one.

    Reading, md5 and decompression release the GIL, and so does most of
    numpy, so on two cores the check of one block overlaps the reading of
    the next. An error of the reader is raised here, in the caller's thread.
    Closing the generator (cancel) stops the reader before the stream closes.
    """
    blocks: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                data = stream.read(size)
                _put(blocks, data, stop)
                if not data:
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            _put(blocks, exc, stop)

    reader = threading.Thread(target=read, name="depositdesk-read-ahead", daemon=True)
    reader.start()
    try:
        while True:
            item = blocks.get()
            if isinstance(item, BaseException):
                raise item
            if not item:
                return
            yield item
    finally:
        stop.set()
        while reader.is_alive():
            with contextlib.suppress(queue.Empty):
                blocks.get(timeout=0.05)
        reader.join()


def _put(blocks: queue.Queue[bytes | BaseException], item: bytes | BaseException, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            blocks.put(item, timeout=0.05)
            return
        except queue.Full:
            continue


def decode_lines(chunk: bytes) -> tuple[list[str], bool]:
    """Split a block into lines of text; returns (lines, was_utf8).

    A block with bytes that are not UTF-8 is decoded as Latin-1 so checking can
    go on (the caller reports the encoding once). The empty string after the
    final newline is dropped.
    """
    try:
        text = chunk.decode("utf-8")
        ok = True
    except UnicodeDecodeError:
        text = chunk.decode("latin-1")
        ok = False
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines, ok
