"""Figshare transport: initiate -> parts -> complete, resumable by the server's own part list.

Article: the one recorded in the journal, else ``POST /v2/account/articles`` (201 ``location``).
File: initiate ``POST /v2/account/articles/{id}/files {name, md5, size}``; its id goes into the
journal at once, so a restarted upload asks ``GET {upload_url}`` which parts are still PENDING and
sends only those, each exactly ``startOffset..endOffset`` (inclusive) read with seek; the md5 the
upload service returns for a part is compared with ours (a wrong part is reset with DELETE and sent
again). Complete ``POST /v2/account/articles/{id}/files/{file_id}``, then the file's
``computed_md5`` must equal ours. A file already there with the right md5 is skipped, one with a
wrong md5 deleted first. The API token is sent only to the API host, never to the upload service.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from depositdesk.packaging.transfer.journal import Journal
from depositdesk.packaging.transfer.retry import (
    RetryableError,
    RetryPolicy,
    check_response,
)

DEFAULT_SERVER = "https://api.figshare.com"
Progress = Callable[[str, int, int], None]


class FigshareTransport:
    name = "figshare"

    def __init__(self, server: str, token: str, journal: Journal, title: str,
                 policy: RetryPolicy | None = None, progress: Progress | None = None,
                 timeout: float = 60.0, metadata: dict[str, Any] | None = None) -> None:
        self.server = server.rstrip("/")
        self.journal = journal
        self.title = title
        self.metadata = {**(metadata or {}), "title": title}   # the item's body (the package's figshare.json)
        self.policy = policy or RetryPolicy()
        self.progress = progress
        limits = httpx.Timeout(timeout, connect=10)
        self.api = httpx.Client(base_url=self.server, timeout=limits,
                                headers={"Authorization": f"token {token}"})
        self.uploads = httpx.Client(timeout=limits)         # no token for the upload service
        self.remote_files: dict[str, dict] = {}

    def close(self) -> None:
        self.api.close()
        self.uploads.close()

    def _api(self, what: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.policy.call(lambda: check_response(self.api.request(method, url, **kwargs),
                                                       what))

    @property
    def article(self) -> str:
        return str(self.journal.remote["article_id"])

    def prepare(self) -> None:
        if not self.journal.remote.get("article_id"):
            location = self._api("create the item", "POST", "/v2/account/articles",
                                 json=self.metadata).json()["location"]
            article = self._api("read the item", "GET", location).json()
            self.journal.set_remote(article_id=article["id"], url=article.get("url", location))
        listing = self._api("list the item's files", "GET",
                            f"/v2/account/articles/{self.article}/files").json()
        self.remote_files = {f["name"]: f for f in listing if isinstance(f, dict)}

    def upload(self, local: Path, path: str, size: int, md5: str) -> None:
        rec = self.journal.record(path, "figshare", size, md5)
        there = self.remote_files.get(path)
        if there is not None and str(there.get("id")) != rec.remote_id:
            if there.get("computed_md5") == md5 and int(there.get("size", -1)) == size:
                self.journal.update(path, verified=True, bytes_confirmed=size,
                                    remote_id=str(there["id"]), error="")
                return
            self._api(f"{path}: delete the wrong copy", "DELETE",
                      f"/v2/account/articles/{self.article}/files/{there['id']}")
        if rec.verified:
            return
        try:
            self.policy.call(lambda: self._send(local, path, size, md5),
                             on_retry=lambda exc: self.journal.update(path, error=str(exc)))
        except Exception as exc:
            self.journal.update(path, error=str(exc))
            raise

    def _file_info(self, path: str, size: int, md5: str) -> dict:
        rec = self.journal.files[path]
        if rec.remote_id:
            response = self.api.get(f"/v2/account/articles/{self.article}/files/{rec.remote_id}")
            if response.status_code != 404:
                return check_response(response, f"{path}: read the file").json()
        location = check_response(self.api.post(
            f"/v2/account/articles/{self.article}/files",
            json={"name": path, "md5": md5, "size": size}), f"{path}: initiate").json()["location"]
        info = check_response(self.api.get(location), f"{path}: read the file").json()
        self.journal.update(path, remote_id=str(info["id"]), url=str(info.get("upload_url", "")))
        return info

    def _send(self, local: Path, path: str, size: int, md5: str) -> None:
        self.journal.update(path, attempts=self.journal.files[path].attempts + 1)
        info = self._file_info(path, size, md5)
        upload_url = str(info["upload_url"])
        if info.get("status") != "available":
            state = check_response(self.uploads.get(upload_url), f"{path}: part list").json()
            done = sum(p["endOffset"] - p["startOffset"] + 1 for p in state["parts"]
                       if p["status"] == "COMPLETE")
            self.journal.update(path, bytes_confirmed=done)
            with local.open("rb") as handle:
                for part in state["parts"]:
                    if part["status"] != "COMPLETE":
                        done += self._part(handle, upload_url, path, part)
                        self.journal.update(path, bytes_confirmed=done)
                        if self.progress:
                            self.progress(path, done, size)
            check_response(self.api.post(f"/v2/account/articles/{self.article}/files/"
                                         f"{info['id']}"), f"{path}: complete")
            info = check_response(self.api.get(f"/v2/account/articles/{self.article}/files/"
                                               f"{info['id']}"), f"{path}: read the file").json()
        if info.get("computed_md5") != md5:
            raise RetryableError(f"{path}: the server's md5 {info.get('computed_md5')} differs "
                                 f"from ours {md5}")
        self.journal.update(path, verified=True, bytes_confirmed=size, error="")

    def _part(self, handle: Any, upload_url: str, path: str, part: dict) -> int:
        start, end = int(part["startOffset"]), int(part["endOffset"])
        handle.seek(start)
        data = handle.read(end - start + 1)        # one part (the server's size) in memory
        url = f"{upload_url}/{part['partNo']}"
        response = self.uploads.put(url, content=data)
        if response.status_code == 409:
            raise RetryableError(f"{path}: part {part['partNo']} is locked (409), later")
        body = check_response(response, f"{path}: part {part['partNo']}").json()
        if body.get("md5") and body["md5"] != hashlib.md5(data).hexdigest():
            self.uploads.delete(url)
            raise RetryableError(f"{path}: part {part['partNo']} arrived damaged, sent again")
        return len(data)
