"""Zenodo transport (legacy deposit API, and the RDM share-link endpoint where only it exists).

Draft: the deposition recorded in the journal is reused (GET), else one is created (POST) and its
reserved DOI (``metadata.prereserve_doi``) recorded; the metadata is PUT. Each file is one streamed
bucket PUT (Zenodo has no server-side resume: a failed file restarts from zero) read in 4 MiB
blocks, whatever its size; the ``checksum`` the server returns (``md5:...``) is compared with ours.
A file already on the draft with the right checksum is skipped; one with a wrong checksum is
deleted and sent again, so there are never two copies. The token travels only in the
Authorization header and never in a message, the journal or a URL.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from depositdesk.packaging.transfer.journal import Journal
from depositdesk.packaging.transfer.retry import (
    RetryableError,
    RetryPolicy,
    TransferError,
    check_response,
)

BLOCK = 4 * 1024 * 1024
DEFAULT_SERVER = "https://zenodo.org"
Progress = Callable[[str, int, int], None]


@cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process (building one reads the CA bundle, ~0.1 s)."""
    return httpx.create_ssl_context()


def stream(local: Path, path: str, size: int, progress: Progress | None) -> Iterator[bytes]:
    sent = 0
    with local.open("rb") as handle:
        while block := handle.read(BLOCK):
            sent += len(block)
            if progress:
                progress(path, sent, size)
            yield block


class ZenodoTransport:
    name = "zenodo"

    def __init__(self, server: str, token: str, journal: Journal, metadata: dict[str, Any],
                 policy: RetryPolicy | None = None, progress: Progress | None = None,
                 timeout: float = 60.0) -> None:
        self.server = server.rstrip("/")
        self.journal = journal
        self.metadata = metadata
        self.policy = policy or RetryPolicy()
        self.progress = progress
        self.client = httpx.Client(base_url=self.server, timeout=httpx.Timeout(timeout, connect=10),
                                   verify=_ssl_context(),
                                   headers={"Authorization": f"Bearer {token}",
                                            "Accept": "application/json"})
        self.remote_files: dict[str, dict] = {}

    def close(self) -> None:
        self.client.close()

    def _call(self, what: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        def once() -> httpx.Response:
            return check_response(self.client.request(method, url, **kwargs), what)
        return self.policy.call(once)

    def _get_or_none(self, url: str) -> dict | None:
        def once() -> dict | None:
            response = self.client.get(url)
            if response.status_code in (404, 410):
                return None
            return check_response(response, "read the draft").json()
        return self.policy.call(once)

    @property
    def deposition(self) -> str:
        return str(self.journal.remote["deposition_id"])

    # -- the draft ---------------------------------------------------------------------------
    def prepare(self) -> None:
        """Reuse or create the draft, PUT the metadata, list the files already on it."""
        draft = None
        if self.journal.remote.get("deposition_id"):
            draft = self._get_or_none(f"/api/deposit/depositions/{self.deposition}")
            if draft and draft.get("submitted"):
                raise TransferError(f"deposition {self.deposition} is already published; "
                                    "a new version is not made by this command")
        if draft is None:
            draft = self._call("create the draft", "POST", "/api/deposit/depositions",
                               json={}).json()
        doi = ((draft.get("metadata") or {}).get("prereserve_doi") or {}).get("doi", "")
        links = draft.get("links") or {}
        self.journal.set_remote(deposition_id=draft["id"], bucket=links.get("bucket", ""),
                                html=links.get("html", ""), doi=doi)
        metadata = {**self.metadata, "prereserve_doi": True}
        self._call("update the metadata", "PUT", f"/api/deposit/depositions/{self.deposition}",
                   json={"metadata": metadata})
        listing = self._call("list the draft's files", "GET",
                             f"/api/deposit/depositions/{self.deposition}/files").json()
        self.remote_files = {f["filename"]: f for f in listing if isinstance(f, dict)}

    def _bucket_url(self, path: str) -> str:
        bucket = str(self.journal.remote.get("bucket") or "")
        return f"{bucket.rstrip('/')}/{quote(path)}"

    # -- files -------------------------------------------------------------------------------
    def upload(self, local: Path, path: str, size: int, md5: str) -> None:
        rec = self.journal.record(path, "zenodo", size, md5)
        there = self.remote_files.get(path)
        if there is not None:
            checksum = str(there.get("checksum", "")).removeprefix("md5:")
            if checksum == md5 and int(there.get("filesize", -1)) == size:
                self.journal.update(path, verified=True, bytes_confirmed=size,
                                    remote_id=str(there.get("id", "")), error="")
                return
            self._call(f"{path}: delete the wrong copy", "DELETE",
                       f"/api/deposit/depositions/{self.deposition}/files/{there['id']}")
            self.remote_files.pop(path, None)
        self.journal.update(path, verified=False, bytes_confirmed=0)

        def once() -> None:
            self.journal.update(path, attempts=rec.attempts + 1)
            self._put(local, path, size, md5)

        try:
            self.policy.call(once, on_retry=lambda exc: self.journal.update(path, error=str(exc)))
        except Exception as exc:
            self.journal.update(path, error=str(exc))
            raise

    def _put(self, local: Path, path: str, size: int, md5: str) -> None:
        url = self._bucket_url(path)
        response = self.client.put(url, content=stream(local, path, size, self.progress),
                                   headers={"Content-Type": "application/octet-stream",
                                            "Content-Length": str(size)})
        body = check_response(response, f"{path}: upload").json()
        checksum = str(body.get("checksum", "")).removeprefix("md5:")
        if checksum != md5 or int(body.get("size", size)) != size:
            # a corrupt copy never stays: delete it, then the retry sends the file again
            check_response(self.client.delete(url), f"{path}: delete the corrupt copy")
            raise RetryableError(f"{path}: the server's md5 {checksum} differs from ours {md5}")
        links = body.get("links") or {}
        self.journal.update(path, verified=True, bytes_confirmed=size, error="",
                            url=str(links.get("self", "")), remote_id=str(body.get("version_id", "")))

    # -- after the files ---------------------------------------------------------------------
    def share_link(self) -> str:
        """A reviewer link on the draft ("Can preview draft"), created once and remembered."""
        if self.journal.remote.get("share_link"):
            return str(self.journal.remote["share_link"])
        body = self._call("create the share link", "POST",
                          f"/api/records/{self.deposition}/access/links",
                          json={"permission": "preview",
                                "description": "reviewer link made by DepositDesk"}).json()
        html = str(self.journal.remote.get("html") or self.server)
        parts = urlsplit(html)
        ui = f"{parts.scheme}://{parts.netloc}" if parts.netloc else self.server
        link = f"{ui}/records/{self.deposition}?preview=1&token={body['token']}"
        self.journal.set_remote(share_link=link, share_link_id=str(body.get("id", "")))
        return link

    def publish(self) -> str:
        body = self._call("publish", "POST",
                          f"/api/deposit/depositions/{self.deposition}/actions/publish").json()
        doi = str(body.get("doi") or self.journal.remote.get("doi") or "")
        self.journal.set_remote(published=datetime.now(UTC).isoformat(timespec="seconds"),
                                doi=doi, record_url=str((body.get("links") or {}).get("html", "")))
        return doi

    def finish(self, share_link: bool, publish: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if share_link:
            out["share_link"] = self.share_link()
        if publish:
            out["doi"] = self.publish()
        return out
