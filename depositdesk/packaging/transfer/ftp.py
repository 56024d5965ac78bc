"""FTP transport (GEO's uploads/<user>_<code> folder, BIA's secret directory, SRA/ENA preload).

Passive mode, binary mode always. A file is resumed with ``REST <remote SIZE>`` + ``STOR``; a server
that refuses REST (5xx) gets the whole file again. Done means the remote ``SIZE`` equals the local
size. Every step runs under the one retry policy; each file uses its own control connection so
files go in parallel.
"""

from __future__ import annotations

import contextlib
import ftplib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from depositdesk.packaging.transfer import fileput
from depositdesk.packaging.transfer.journal import Journal
from depositdesk.packaging.transfer.retry import RetryPolicy, TransferError

BLOCK = 8 * 1024 * 1024
Progress = Callable[[str, int, int], None]   # (path, bytes on the server or sent, size)


@dataclass(frozen=True)
class FtpServer:
    host: str
    port: int = 21
    folder: str = "/"
    user: str = "anonymous"
    timeout: float = 30.0


class FtpTransport:
    name = "ftp"

    def __init__(self, server: FtpServer, password: str, journal: Journal,
                 policy: RetryPolicy | None = None, progress: Progress | None = None) -> None:
        self.server = server
        self._password = password
        self.journal = journal
        self.policy = policy or RetryPolicy()
        self.progress = progress

    def connect(self) -> ftplib.FTP:
        ftp = ftplib.FTP(timeout=self.server.timeout)
        try:
            ftp.connect(self.server.host, self.server.port)
            try:
                ftp.login(self.server.user, self._password)
            except ftplib.error_perm as exc:
                raise TransferError(f"FTP login as {self.server.user!r} refused: {exc}") from None
            ftp.set_pasv(True)
            ftp.voidcmd("TYPE I")
        except BaseException:
            ftp.close()
            raise
        return ftp

    def _enter(self, ftp: ftplib.FTP, folder: PurePosixPath) -> None:
        """cwd into ``folder`` below the server folder, creating what is missing (one CWD when
        it exists: each command is a round trip, ~100 ms to a distant server)."""
        base = PurePosixPath(self.server.folder or "/")
        if folder.parts:
            try:
                ftp.cwd(str(base / folder))
                return
            except ftplib.error_perm:
                pass
        ftp.cwd(str(base))
        for part in folder.parts:
            try:
                ftp.cwd(part)
            except ftplib.error_perm:
                # another connection of this upload may have made it in the meantime
                # ("550 File exists"); if it still cannot be entered, cwd says why
                with contextlib.suppress(ftplib.error_perm):
                    ftp.mkd(part)
                ftp.cwd(part)

    @staticmethod
    def remote_size(ftp: ftplib.FTP, name: str) -> int | None:
        try:
            size = ftp.size(name)
        except ftplib.error_perm:
            return None
        return size

    def upload(self, local: Path, path: str, size: int, md5: str) -> None:
        """Send one package file until the server has all of it (raises when it cannot)."""
        rec = self.journal.record(path, "ftp", size, md5)
        if rec.verified:
            return

        def attempt() -> None:
            # the count rides on the attempt's next journal write (an fsync less per file):
            # a resume after a crash needs the remote SIZE, not this number
            self.journal.update(path, save=False, attempts=rec.attempts + 1)
            self._attempt(local, path, size)

        try:
            self.policy.call(attempt, on_retry=lambda exc: self.journal.update(path, error=str(exc)))
        except Exception as exc:
            self.journal.update(path, error=str(exc))
            raise

    def _attempt(self, local: Path, path: str, size: int) -> None:
        remote = PurePosixPath(path)
        ftp = self.connect()
        try:
            self._enter(ftp, remote.parent if str(remote.parent) != "." else PurePosixPath())
            name = remote.name
            have = self.remote_size(ftp, name)
            if have is not None and have > size:
                ftp.delete(name)
                have = None
            if have is None or have < size:
                self._send(ftp, local, path, name, have or 0, size)
            confirmed = self.remote_size(ftp, name)
            url = f"ftp://{self.server.host}:{self.server.port}/{self._remote_path(path)}"
            if confirmed != size:
                self.journal.update(path, bytes_confirmed=confirmed or 0, url=url, remote_id=name)
                raise ConnectionError(f"{path}: the server has {confirmed} of {size} bytes")
            # one journal write (fsync) for what the server confirmed and the verdict
            self.journal.update(path, bytes_confirmed=size, url=url, remote_id=name,
                                verified=True, error="")
        finally:
            try:
                ftp.quit()
            except (ftplib.Error, OSError, EOFError):
                ftp.close()

    def _remote_path(self, path: str) -> str:
        return str(PurePosixPath(self.server.folder or "/") / path).lstrip("/")

    def _send(self, ftp: ftplib.FTP, local: Path, path: str, name: str, offset: int,
              size: int) -> None:
        if self.journal.files[path].bytes_confirmed != offset:
            self.journal.update(path, bytes_confirmed=offset)
        with local.open("rb") as handle:
            if offset:
                try:
                    self._stor(ftp, handle, path, name, offset, size)
                    return
                except ftplib.error_perm:
                    # REST refused (or REST+STOR not supported): the whole file again
                    self.journal.update(path, bytes_confirmed=0)
            self._stor(ftp, handle, path, name, 0, size)

    def _stor(self, ftp: ftplib.FTP, handle: BinaryIO, path: str, name: str, offset: int,
              size: int) -> None:
        """STOR from ``offset`` (REST first when not 0); the kernel copies the file to the data
        connection (sendfile) piece by piece (``fileput.slice_for``: 64 per file, at most BLOCK),
        so memory stays flat and progress (bytes sent so far) moves even for a small file."""
        progress = self.progress
        with ftp.transfercmd(f"STOR {name}", rest=offset or None) as conn:
            fileput.send_plain(conn, handle, size,
                               (lambda n: progress(path, n, size)) if progress else None,
                               start=offset, block=fileput.slice_for(size, BLOCK))
        ftp.voidresp()
