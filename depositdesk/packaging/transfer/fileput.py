"""One file as the body of a streamed HTTP PUT, sent by the kernel (``sendfile``) where it can.

httpx sends a streamed body chunk by chunk through h11 and re-slices (copies) what a partial
``send`` left of each chunk; the client spent ~0.9 s of CPU per GB that way, as much as the server
it fed. Here the request goes out over ``http.client``: on plain HTTP the file's pages go straight
from the page cache to the socket (``socket.sendfile``, ~0.2 s CPU per GB), over TLS a reused
1 MiB buffer is filled by ``readinto`` and sent without a copy. Memory stays flat whatever the
file's size. The answer comes back as an ``httpx.Response``, so ``check_response`` and the one
retry policy classify it like every other call; a timeout or a reset is an ``OSError`` (retried).
When a proxy is configured for the URL the caller keeps to httpx (which honours it), and for a
file under ``DIRECT_MIN`` too: each PUT here is a new connection, and for a small file the
handshake costs more than the copies saved.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

SLICE = 4 * 1024 * 1024          # progress is reported after each slice (at most)
STEPS = 64                       # ... and at least this many times per file
MIN_SLICE = 64 * 1024
DIRECT_MIN = 32 * 1024 * 1024    # smaller files: a new connection (TLS handshake) costs more
TLS_BUFFER = 1024 * 1024
Sent = Callable[[int], None]      # bytes sent so far


def direct(url: str) -> bool:
    """True when no proxy applies to ``url`` (then ``put_file`` may be used)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    proxies = urllib.request.getproxies()
    if not (proxies.get(parts.scheme) or proxies.get("all")):
        return True
    return bool(urllib.request.proxy_bypass(parts.hostname))


def slice_for(size: int, largest: int = SLICE) -> int:
    """The piece after which progress is told: ``STEPS`` per file, between ``MIN_SLICE`` and
    ``largest``, so a 4 MB file moves its bar as smoothly as a 4 GB one (and a 64 KiB sendfile
    costs nothing next to the loopback's speed)."""
    return max(MIN_SLICE, min(largest, size // STEPS))


def send_plain(sock: socket.socket, handle: BinaryIO, size: int, sent: Sent | None, *,
               start: int = 0, block: int | None = None) -> None:
    """Bytes ``start``..``size`` of ``handle`` to ``sock`` by the kernel (sendfile), ``block`` at a
    time (``slice_for(size)`` unless given), ``sent`` told the bytes so far after each (the HTTP
    PUT here, FTP's STOR data connection)."""
    block = block or slice_for(size)
    offset = start
    while offset < size:
        count = sock.sendfile(handle, offset=offset, count=min(block, size - offset))
        if count <= 0:
            raise ConnectionError(f"the file ended after {offset} of {size} bytes")
        offset += count
        if sent:
            sent(offset)


def _send_tls(sock: socket.socket, handle: BinaryIO, size: int, sent: Sent | None) -> None:
    buffer = bytearray(TLS_BUFFER)
    view = memoryview(buffer)
    offset, reported, step = 0, 0, slice_for(size)
    while offset < size:
        got = handle.readinto(view[:min(TLS_BUFFER, size - offset)])  # type: ignore[attr-defined]
        if not got:
            raise ConnectionError(f"the file ended after {offset} of {size} bytes")
        sock.sendall(view[:got])
        offset += got
        if sent and (offset - reported >= step or offset == size):
            reported = offset
            sent(offset)


def _answer(conn: http.client.HTTPConnection, url: str) -> httpx.Response:
    import httpx  # here: FTP's STOR sends through send_plain without loading httpx

    reply = conn.getresponse()
    body = reply.read()
    return httpx.Response(reply.status, headers=reply.getheaders(), content=body,
                          request=httpx.Request("PUT", url))


def put_file(url: str, local: Path, size: int, headers: Mapping[str, str], *, timeout: float,
             context: ssl.SSLContext | None = None, sent: Sent | None = None) -> httpx.Response:
    """PUT ``local`` (``size`` bytes) to ``url``; the server's answer, whatever its status."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=timeout,
                                           context=context or ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.putrequest("PUT", target, skip_accept_encoding=True)
        for key, value in headers.items():
            conn.putheader(key, value)
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        send = _send_tls if parts.scheme == "https" else send_plain
        with local.open("rb") as handle:
            try:
                send(conn.sock, handle, size, sent)
            except TimeoutError:
                raise
            except OSError:
                # a server may answer early (401, 413) and close: its words beat a broken pipe
                try:
                    return _answer(conn, url)
                except (OSError, http.client.HTTPException):
                    pass
                raise
        return _answer(conn, url)
    finally:
        conn.close()
