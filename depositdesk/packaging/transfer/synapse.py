"""Synapse transport: the REST multipart upload (resumable on the server), then a FileEntity.

Per file (synapseclient's ``multipart_upload_async`` protocol, upload-facts §5.3):
``POST /file/v1/file/multipart?forceRestart=false`` with a ``MultipartUploadRequest`` (file name,
size, ``contentMD5Hex``, part size) returns ``uploadId`` and ``partsState`` ("0101..."). The same
request sent again - by a new process after a crash or ``kill -9`` - returns the same upload and
its parts state, so only the parts whose bit is "0" are sent: a true resume kept by the server.
For the missing parts a batch of presigned URLs is asked for
(``POST .../{uploadId}/presigned/url/batch``); each part is PUT there (streamed from the file with
seek, 1 MiB at a time: memory stays bounded whatever the size) and added with its md5
(``PUT .../{uploadId}/add/{n}?partMD5Hex=``; Synapse compares it with the stored part, a damaged
part is ADD_FAILED and sent again). An expired presigned URL (403) is refreshed. ``PUT
.../{uploadId}/complete`` gives ``resultFileHandleId``; the file handle's ``contentMd5`` must equal
ours. Then a ``FileEntity`` named as the file, whose ``dataFileHandleId`` is the handle, in the
package's folder (a Folder named after the package under ``parent``, sub-folders for the package's
folders). An entity of that name is looked up first (``POST /repo/v1/entity/child``) and updated,
never created twice. The token travels only in the Authorization header to the API host, never to
the presigned storage URLs, the journal or a message.
"""

from __future__ import annotations

import hashlib
import math
import re
import ssl
import threading
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import httpx

from depositdesk.packaging.transfer.journal import Journal
from depositdesk.packaging.transfer.retry import RetryableError, RetryPolicy, TransferError

DEFAULT_SERVER = "https://repo-prod.prod.sagebase.org"
UI = "https://www.synapse.org/Synapse:"
MIN_PART = 5 * 1024 * 1024            # Synapse refuses smaller parts (except the last)
DEFAULT_PART = 8 * 1024 * 1024        # synapseclient's default
MAX_PARTS = 10_000
BLOCK = 1024 * 1024
URL_BATCH = 20
FILE_ENTITY = "org.sagebionetworks.repo.model.FileEntity"
FOLDER = "org.sagebionetworks.repo.model.Folder"
UPLOAD_REQUEST = "org.sagebionetworks.repo.model.file.MultipartUploadRequest"
Progress = Callable[[str, int, int], None]


@cache
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()


def endpoint(server: str | None) -> tuple[str, str]:
    """(API base, parent id) from ``--server``: the API's address, or a Synapse web address of
    the project or folder as the browser shows it (``https://www.synapse.org/Synapse:syn123``,
    ``.../#!Synapse:syn123``; ``http://host:port/syn1`` for a test server), which names both."""
    if not server:
        return DEFAULT_SERVER, ""
    url = urlsplit(server)
    found = re.findall(r"syn\d+", f"{url.path}#{url.fragment}")
    if url.hostname in ("www.synapse.org", "synapse.org"):
        base = DEFAULT_SERVER
    else:
        base = f"{url.scheme}://{url.netloc}"
    return base, found[-1] if found else ""


def check(response: httpx.Response, what: str) -> httpx.Response:
    """A 2xx response, else RetryableError (5xx, 429 with Retry-After) or TransferError with
    Synapse's own ``reason`` (its error bodies say ``{"reason": ...}``)."""
    if response.is_success:
        return response
    try:
        body = response.json()
        reason = body.get("reason") or body.get("message") if isinstance(body, dict) else None
    except (ValueError, UnicodeDecodeError):
        reason = None
    reason = " ".join(str(reason or response.text.strip()[:200] or response.reason_phrase).split())
    message = f"{what}: HTTP {response.status_code}: {reason}"
    if response.status_code == 429 or response.status_code >= 500:
        try:
            wait: float | None = max(0.0, float(response.headers.get("Retry-After", "")))
        except ValueError:
            wait = None
        raise RetryableError(message, wait if response.status_code == 429 else None)
    raise TransferError(message)


def part_size_for(size: int, wanted: int = DEFAULT_PART) -> int:
    """``max(wanted, size / 10000)``: at most 10,000 parts."""
    return max(wanted, math.ceil(size / MAX_PARTS))


def part_count(size: int, part: int) -> int:
    return max(1, math.ceil(size / part))


def _read_part(handle: BinaryIO, start: int, length: int, digest: Any,
               sent: Callable[[int], None] | None = None) -> Iterator[bytes]:
    handle.seek(start)
    left = length
    while left > 0:
        block = handle.read(min(BLOCK, left))
        if not block:
            raise RetryableError("the file got shorter while it was sent")
        digest.update(block)
        left -= len(block)
        if sent:
            sent(length - left)
        yield block


class SynapseTransport:
    name = "synapse"

    def __init__(self, server: str, token: str, journal: Journal, parent: str,
                 folder: dict[str, Any] | None = None, policy: RetryPolicy | None = None,
                 progress: Progress | None = None, timeout: float = 60.0,
                 part_size: int = DEFAULT_PART) -> None:
        """``parent``: the project or folder id (``syn...``) the package goes into; ``folder``:
        the package's synapse.json (``name``, ``description``, ``annotations``)."""
        self.server = server.rstrip("/")
        self.journal = journal
        self.parent = parent
        self.folder = folder or {}
        self.policy = policy or RetryPolicy()
        self.progress = progress
        self.part_size = part_size
        limits = httpx.Timeout(timeout, connect=10)
        self.api = httpx.Client(base_url=self.server, timeout=limits, verify=_ssl_context(),
                                headers={"Authorization": f"Bearer {token}",
                                         "Accept": "application/json"})
        self.storage = httpx.Client(timeout=limits, verify=_ssl_context())   # presigned: no token
        self._folders: dict[tuple[str, ...], str] = {}
        self._lock = threading.Lock()
        self._restart: set[str] = set()

    def close(self) -> None:
        self.api.close()
        self.storage.close()

    def _call(self, what: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.policy.call(lambda: check(self.api.request(method, url, **kwargs), what))

    def entity_url(self, entity: str) -> str:
        if self.server == DEFAULT_SERVER:
            return UI + entity
        return f"{self.server}/repo/v1/entity/{entity}"

    # -- entities ----------------------------------------------------------------------------
    def _lookup(self, parent: str, name: str) -> str | None:
        def once() -> str | None:
            response = self.api.post("/repo/v1/entity/child",
                                     json={"parentId": parent, "entityName": name})
            if response.status_code == 404:
                return None
            return str(check(response, f"look up '{name}'").json()["id"])
        return self.policy.call(once)

    def _create(self, body: dict[str, Any]) -> str:
        """POST /entity; a 409 (made meanwhile, or by a run that died before the journal knew)
        is answered by the lookup, so an entity is never made twice."""
        def once() -> str:
            response = self.api.post("/repo/v1/entity", json=body)
            if response.status_code == 409:
                found = self._lookup(body["parentId"], body["name"])
                if found:
                    return found
            return str(check(response, f"create '{body['name']}'").json()["id"])
        return self.policy.call(once)

    def _child_folder(self, parent: str, name: str, description: str = "") -> str:
        found = self._lookup(parent, name)
        if found:
            return found
        body = {"concreteType": FOLDER, "name": name, "parentId": parent}
        if description:
            body["description"] = description
        return self._create(body)

    def _folder_of(self, path: str) -> str:
        """The folder entity for a package path's folders (made once, under a lock)."""
        dirs = tuple(path.split("/")[:-1])
        with self._lock:
            if dirs in self._folders:
                return self._folders[dirs]
            current, done = str(self.journal.remote["folder_id"]), tuple[str, ...]()
            for part in dirs:
                done = (*done, part)
                if done not in self._folders:
                    self._folders[done] = self._child_folder(current, part)
                current = self._folders[done]
            return current

    def prepare(self) -> None:
        """The package's folder under ``parent`` (found or made), with its annotations. Files
        the journal calls verified under another parent are sent again to this one."""
        if self.journal.remote.get("parent") not in (None, self.parent):
            for path in list(self.journal.files):
                self.journal.update(path, verified=False, remote_id="", url="")
        name = str(self.folder.get("name") or "").strip()
        if not name:
            self.journal.set_remote(parent=self.parent, folder_id=self.parent)
        else:
            folder = self._child_folder(self.parent, name, str(self.folder.get("description") or ""))
            self.journal.set_remote(parent=self.parent, folder_id=folder,
                                    url=self.entity_url(folder))
            if self.folder.get("annotations"):
                self._annotate(folder, self.folder["annotations"])
        self._folders[()] = str(self.journal.remote["folder_id"])

    def _annotate(self, entity: str, values: dict[str, Any]) -> None:
        current = self._call("read the annotations", "GET",
                             f"/repo/v1/entity/{entity}/annotations2").json()
        annotations = dict(current.get("annotations") or {})
        for key, value in values.items():
            items = value if isinstance(value, list) else [value]
            annotations[key] = {"type": "STRING", "value": [str(v) for v in items]}
        self._call("write the annotations", "PUT", f"/repo/v1/entity/{entity}/annotations2",
                   json={"id": entity, "etag": current.get("etag"), "annotations": annotations})

    def _file_entity(self, path: str, handle_id: str) -> str:
        parent, name = self._folder_of(path), path.rsplit("/", 1)[-1]
        found = self._lookup(parent, name)
        if found is None:
            return self._create({"concreteType": FILE_ENTITY, "name": name, "parentId": parent,
                                 "dataFileHandleId": handle_id})
        entity = self._call(f"{path}: read the entity", "GET", f"/repo/v1/entity/{found}").json()
        if entity.get("concreteType") != FILE_ENTITY:
            raise TransferError(f"{path}: '{name}' in {parent} is a {entity.get('concreteType')}, "
                                "not a file")
        if str(entity.get("dataFileHandleId")) != handle_id:      # a new version of the file
            entity["dataFileHandleId"] = handle_id
            self._call(f"{path}: update the entity", "PUT", f"/repo/v1/entity/{found}", json=entity)
        return found

    # -- files -------------------------------------------------------------------------------
    def upload(self, local: Path, path: str, size: int, md5: str) -> None:
        rec = self.journal.record(path, "synapse", size, md5)
        if rec.verified:
            return
        try:
            self.policy.call(lambda: self._send(local, path, size, md5),
                             on_retry=lambda exc: self.journal.update(path, error=str(exc)))
        except Exception as exc:
            self.journal.update(path, error=str(exc))
            raise

    def _start(self, path: str, size: int, md5: str, part: int) -> dict[str, Any]:
        restart = "true" if path in self._restart else "false"
        request = {"concreteType": UPLOAD_REQUEST, "contentType": "application/octet-stream",
                   "contentMD5Hex": md5, "fileName": path.rsplit("/", 1)[-1],
                   "fileSizeBytes": size, "generatePreview": False, "partSizeBytes": part}
        status = check(self.api.post(f"/file/v1/file/multipart?forceRestart={restart}",
                                     json=request), f"{path}: start the upload").json()
        self._restart.discard(path)
        return dict(status)

    def _send(self, local: Path, path: str, size: int, md5: str) -> None:
        self.journal.update(path, attempts=self.journal.files[path].attempts + 1)
        part = part_size_for(size, self.part_size)
        status = self._start(path, size, md5, part)
        upload_id = str(status["uploadId"])
        self.journal.update(path, remote_id=upload_id)
        if status.get("state") != "COMPLETED":
            self._parts(local, path, size, part, upload_id, str(status.get("partsState", "")))
            status = check(self.api.put(f"/file/v1/file/multipart/{upload_id}/complete"),
                           f"{path}: complete the upload").json()
            if status.get("state") != "COMPLETED":
                raise RetryableError(f"{path}: the upload is {status.get('state')} after complete")
        handle_id = str(status["resultFileHandleId"])
        handle = check(self.api.get(f"/file/v1/fileHandle/{handle_id}"),
                       f"{path}: read the file handle").json()
        if handle.get("contentMd5") != md5 or int(handle.get("contentSize", size)) != size:
            self._restart.add(path)            # the next attempt starts a fresh upload
            raise RetryableError(f"{path}: the server's md5 {handle.get('contentMd5')} differs "
                                 f"from ours {md5}")
        self.journal.update(path, bytes_confirmed=size)
        entity = self._file_entity(path, handle_id)
        self.journal.update(path, verified=True, error="", remote_id=entity,
                            url=self.entity_url(entity))
        if self.progress:
            self.progress(path, size, size)

    def _parts(self, local: Path, path: str, size: int, part: int, upload_id: str,
               state: str) -> None:
        count = part_count(size, part)
        state = state.ljust(count, "0")[:count]
        missing = [n for n in range(1, count + 1) if state[n - 1] != "1"]
        done = sum(min(part, size - (n - 1) * part) for n in range(1, count + 1)
                   if state[n - 1] == "1")
        self.journal.update(path, bytes_confirmed=done)
        urls: dict[int, tuple[str, dict[str, str]]] = {}
        with local.open("rb") as handle:
            for i, n in enumerate(missing):
                length = min(part, size - (n - 1) * part)

                def one(n: int = n, i: int = i, length: int = length, base: int = done) -> None:
                    def sent(count: int) -> None:
                        if self.progress:
                            self.progress(path, base + count, size)
                    self._part(handle, path, upload_id, n, (n - 1) * part, length, urls,
                               missing[i:], sent)

                self.policy.call(one)
                done += length
                self.journal.update(path, bytes_confirmed=done)
                if self.progress:
                    self.progress(path, done, size)

    def _urls(self, path: str, upload_id: str, numbers: list[int],
              urls: dict[int, tuple[str, dict[str, str]]]) -> None:
        body = check(self.api.post(f"/file/v1/file/multipart/{upload_id}/presigned/url/batch",
                                   json={"uploadId": upload_id, "partNumbers": numbers}),
                     f"{path}: presigned URLs").json()
        for item in body.get("partPresignedUrls") or []:
            urls[int(item["partNumber"])] = (str(item["uploadPresignedUrl"]),
                                             dict(item.get("signedHeaders") or {}))

    def _part(self, handle: BinaryIO, path: str, upload_id: str, n: int, start: int, length: int,
              urls: dict[int, tuple[str, dict[str, str]]], pending: list[int],
              sent: Callable[[int], None] | None = None) -> None:
        if n not in urls:
            self._urls(path, upload_id, pending[:URL_BATCH], urls)
        url, signed = urls[n]
        digest = hashlib.md5()
        response = self.storage.put(url, content=_read_part(handle, start, length, digest, sent),
                                    headers={**signed, "Content-Length": str(length)})
        if response.status_code == 403:                 # the presigned URL expired: a new one
            urls.pop(n, None)
            raise RetryableError(f"{path}: part {n}: the presigned URL expired (403), refreshed")
        check(response, f"{path}: part {n}")
        added = check(self.api.put(f"/file/v1/file/multipart/{upload_id}/add/{n}",
                                   params={"partMD5Hex": digest.hexdigest()}),
                      f"{path}: add part {n}").json()
        if added.get("addPartState") != "ADD_SUCCESS":
            urls.pop(n, None)
            raise RetryableError(f"{path}: part {n} not added: "
                                 f"{added.get('errorMessage') or added.get('addPartState')}")
