"""Zenodo transport (legacy deposit API, and the RDM share-link endpoint where only it exists).

Draft: the deposition recorded in the journal is reused (GET), else one is created (POST) and its
reserved DOI (``metadata.prereserve_doi``) recorded; the metadata is PUT. Each file is one streamed
bucket PUT (Zenodo has no server-side resume: a failed file restarts from zero) sent by the kernel
(``fileput``: sendfile, or a reused 1 MiB buffer over TLS; httpx's streamed body where a proxy is
set), memory flat whatever its size; the ``checksum`` the server returns (``md5:...``) is compared with ours.
A file already on the draft with the right checksum is skipped; one with a wrong checksum is
deleted and sent again, so there are never two copies. The token travels only in the
Authorization header and never in a message, the journal or a URL.

New version (``new_version=True``, when the recorded deposition is published):
``POST /api/deposit/depositions/{id}/actions/newversion`` answers with the published deposition,
the new draft is the last segment of its ``links.latest_draft``, and the previous version's files
are linked into it. Where Zenodo-RDM refuses that for a record with files (400 ``files.enabled``
"Please remove all files first.", metadata-facts §10), the RDM way is taken: ``POST
/api/records/{id}/versions`` (a draft with no files) and ``POST
/api/records/{draft}/draft/actions/files-import`` (upload-facts §0.4). The draft's id goes into
the journal at once (``previous_id`` = the published one), so a run that dies continues in that
draft. Then the usual file step does the rest: an unchanged file (same md5) is kept as linked, a
changed one deleted and sent, one the package no longer holds deleted; the published version is
never touched.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from depositdesk.packaging.transfer import fileput
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


def deposition_from_doi(doi: str) -> int | None:
    """The deposition id in a Zenodo DOI (``10.5281/zenodo.<id>``, sandbox ``10.5072/...``)."""
    match = re.fullmatch(r"10\.(?:5281|5072)/zenodo\.(\d+)", doi.strip())
    return int(match.group(1)) if match else None


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
                 timeout: float = 60.0, new_version: bool = False) -> None:
        self.server = server.rstrip("/")
        self.new_version = new_version
        self.journal = journal
        self.metadata = metadata
        self.policy = policy or RetryPolicy()
        self.progress = progress
        self.timeout = timeout
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
    def prepare(self, keep: Sequence[str] | None = None) -> None:
        """Reuse or create the draft (a new version of a published one when asked), PUT the
        metadata, list the files already on it; on a new version, files not in ``keep`` (the
        package's paths) are deleted from the draft."""
        draft = None
        if self.journal.remote.get("deposition_id"):
            draft = self._get_or_none(f"/api/deposit/depositions/{self.deposition}")
            if draft and draft.get("submitted"):
                if not self.new_version:
                    raise TransferError(f"deposition {self.deposition} is already published; "
                                        "run again with --new-version to make a new version")
                draft = self._new_version(draft)
        elif self.new_version:
            raise TransferError("--new-version: no published Zenodo deposition is recorded for "
                                "this package (transfer journal or submission status)")
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
        if self.journal.remote.get("previous_id") and keep is not None:
            for name in sorted(set(self.remote_files) - set(keep)):
                self._call(f"{name}: delete (not in the package any more)", "DELETE",
                           f"/api/deposit/depositions/{self.deposition}/files/"
                           f"{self.remote_files[name]['id']}")
                self.remote_files.pop(name)

    # -- a new version -----------------------------------------------------------------------
    def _new_version(self, published: dict) -> dict:
        """The draft of a new version of ``published``, its files linked from it; recorded."""
        previous = str(published["id"])

        def once() -> httpx.Response:
            response = self.client.post(f"/api/deposit/depositions/{previous}/actions/newversion")
            if response.status_code == 400 and "files.enabled" in response.text:
                return response            # Zenodo-RDM: not for a record with files
            return check_response(response, "make a new version")

        response = self.policy.call(once)
        if not response.is_success:
            draft_id = self._rdm_new_version(previous)
        else:
            body = response.json()
            latest = str((body.get("links") or {}).get("latest_draft") or "")
            draft_id = latest.rstrip("/").rsplit("/", 1)[-1]
            if not draft_id.isdigit() or draft_id == previous:
                raise TransferError(f"make a new version: no new draft in the answer ({latest!r})")
        self.journal.set_remote(deposition_id=int(draft_id), previous_id=int(previous),
                                previous_doi=str(published.get("doi") or
                                                 self.journal.remote.get("doi") or ""),
                                published="", share_link="", share_link_id="", record_url="")
        for path in list(self.journal.files):
            self.journal.update(path, verified=False, bytes_confirmed=0, url="", remote_id="")
        draft = self._get_or_none(f"/api/deposit/depositions/{draft_id}")
        if draft is None:
            raise TransferError(f"make a new version: draft {draft_id} cannot be read")
        return draft

    def _rdm_new_version(self, previous: str) -> str:
        draft = self._call("make a new version (RDM)", "POST",
                           f"/api/records/{previous}/versions").json()
        draft_id = str(draft["id"])
        self.journal.set_remote(deposition_id=int(draft_id), previous_id=int(previous))
        self._call("link the previous version's files", "POST",
                   f"/api/records/{draft_id}/draft/actions/files-import")
        return draft_id

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

        def once() -> None:
            # one journal write (fsync) before each PUT: not verified, and this attempt counted
            self.journal.update(path, verified=False, bytes_confirmed=0,
                                attempts=rec.attempts + 1)
            self._put(local, path, size, md5)

        try:
            self.policy.call(once, on_retry=lambda exc: self.journal.update(path, error=str(exc)))
        except Exception as exc:
            self.journal.update(path, error=str(exc))
            raise

    def _send(self, local: Path, path: str, size: int) -> httpx.Response:
        """The bucket PUT: a large file sent by the kernel (fileput) unless a proxy is set for the
        URL; a small one on httpx's kept-alive connection (no new connection, no TLS handshake)."""
        url = str(self.client.base_url.join(self._bucket_url(path)))
        if size < fileput.DIRECT_MIN or not fileput.direct(url):
            return self.client.put(url, content=stream(local, path, size, self.progress),
                                   headers={"Content-Type": "application/octet-stream",
                                            "Content-Length": str(size)})
        progress = self.progress
        headers = {"Authorization": self.client.headers["Authorization"],
                   "Accept": "application/json", "Content-Type": "application/octet-stream",
                   "User-Agent": self.client.headers["User-Agent"]}
        return fileput.put_file(url, local, size, headers, timeout=self.timeout,
                                context=_ssl_context(),
                                sent=(lambda n: progress(path, n, size)) if progress else None)

    def _put(self, local: Path, path: str, size: int, md5: str) -> None:
        url = self._bucket_url(path)
        response = self._send(local, path, size)
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
        """Publish the draft (a new version gets its own DOI; the concept DOI stays)."""
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
