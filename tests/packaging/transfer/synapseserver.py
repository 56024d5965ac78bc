"""A Synapse repository + file service on 127.0.0.1 (http.server) with the multipart protocol of
synapseclient / the Synapse REST docs, and presigned "S3" part URLs pointing at itself.

``POST /file/v1/file/multipart`` keyed by (user, name, size, md5, part size): the same request
returns the same upload and its ``partsState`` unless ``forceRestart=true``; presigned URL batch;
``PUT /s3/...`` (no Authorization allowed, the signed Content-Type required, 403 once expired);
add part with ``partMD5Hex`` (ADD_FAILED when it differs from the stored part); complete (the
handle's ``contentMd5`` is computed from the stored bytes); ``GET /file/v1/fileHandle/{id}``;
entities (``POST /repo/v1/entity``, 409 on a name taken in the parent, ``POST /entity/child``
lookup, GET/PUT, annotations2). ``faults``: ``(kind, match)`` used once when ``match`` is in
"METHOD path"; kinds "500", "503", "429", "reset" (connection reset after half the body),
"expired" (a presigned URL answers 403), "corrupt" (a part stored damaged). ``rate`` throttles
part bodies (bytes/s); ``min_part`` is the smallest part size accepted.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import socket
import struct
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

SIGNED = {"Content-Type": "application/octet-stream"}


class SynapseState:
    def __init__(self, token: str, min_part: int = 5 * 1024 * 1024, rate: int = 0) -> None:
        self.token = token
        self.min_part = min_part
        self.rate = rate
        self.faults: list[tuple[str, str]] = []
        self.uploads: dict[str, dict] = {}
        self.handles: dict[str, dict] = {}
        self.entities: dict[str, dict] = {}
        self.part_puts: list[tuple[str, int]] = []     # (file name, part number) stored
        self.receiving: dict[str, int] = {}            # bytes of the part PUT in progress, per name
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.next_id = 100
        self.base = ""
        self.entities["syn1"] = {"id": "syn1", "name": "project", "parentId": "syn0",
                                 "concreteType": "org.sagebionetworks.repo.model.Project",
                                 "etag": str(uuid.uuid4())}

    def new_id(self) -> int:
        with self.lock:
            self.next_id += 1
            return self.next_id

    def fault(self, line: str) -> str | None:
        with self.lock:
            for i, (kind, match) in enumerate(self.faults):
                if match in line:
                    self.faults.pop(i)
                    return kind
        return None

    def children(self, parent: str) -> dict[str, dict]:
        return {e["name"]: e for e in self.entities.values() if e.get("parentId") == parent}

    def tree(self, parent: str = "syn1", prefix: str = "") -> dict[str, bytes]:
        """path -> bytes of every FileEntity under ``parent`` (folders as path prefixes)."""
        out: dict[str, bytes] = {}
        for name, e in self.children(parent).items():
            if e["concreteType"].endswith("Folder"):
                out.update(self.tree(e["id"], f"{prefix}{name}/"))
            elif e["concreteType"].endswith("FileEntity"):
                out[prefix + name] = self.handles[e["dataFileHandleId"]]["data"]
        return out


class Handler(BaseHTTPRequestHandler):
    state: SynapseState
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: object | None = None, raw: bytes | None = None) -> None:
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        self.send_response(status)
        self.send_header("Content-Type", "application/xml" if raw is not None
                         else "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 429:
            self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(data)

    def _body(self, limit: int | None = None, key: str = "") -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        want = length if limit is None else min(limit, length)
        chunks: list[bytes] = []
        got, start = 0, time.monotonic()
        while got < want:
            chunk = self.rfile.read(min(65536, want - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if key:
                self.state.receiving[key] = got
                if self.state.rate:
                    ahead = got / self.state.rate - (time.monotonic() - start)
                    if ahead > 0:
                        time.sleep(ahead)
        return b"".join(chunks)

    def _json(self) -> dict:
        return json.loads(self._body() or b"{}")

    def _dispatch(self, method: str) -> None:
        st = self.state
        line = f"{method} {self.path}"
        st.requests.append(line)
        split = urlsplit(self.path)
        kind = st.fault(line)
        if kind == "reset":
            self._body(int(self.headers.get("Content-Length") or 0) // 2)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if kind in ("500", "503", "429"):
            self._body()
            return self._send(int(kind), {"reason": "Service temporarily unavailable"})
        storage = split.path.startswith("/s3/")
        if storage and self.headers.get("Authorization"):
            self._body()
            return self._send(400, raw=b"<Error><Code>InvalidArgument</Code><Message>Only one "
                              b"auth mechanism allowed</Message></Error>")
        if not storage and self.headers.get("Authorization") != f"Bearer {st.token}":
            self._body()
            return self._send(401, {"reason": "Invalid access token"})
        for pattern, handler in ROUTES.get(method, []):
            m = re.fullmatch(pattern, split.path)
            if m:
                query = {k: v[0] for k, v in parse_qs(split.query).items()}
                return handler(self, *m.groups(), query=query, kind=kind)
        self._body()
        self._send(404, {"reason": f"No endpoint {method} {split.path}"})

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    # -- multipart -----------------------------------------------------------------------------
    def _status(self, up: dict) -> dict:
        body = {"uploadId": up["id"], "state": up["state"], "startedBy": "3350000",
                "partsState": "".join("1" if n in up["added"] else "0"
                                      for n in range(1, up["count"] + 1))}
        if up.get("handle"):
            body["resultFileHandleId"] = up["handle"]
        return body

    def start(self, query: dict, kind: str | None) -> None:
        req, st = self._json(), self.state
        size, part = int(req["fileSizeBytes"]), int(req["partSizeBytes"])
        if part < st.min_part and size > part:
            return self._send(400, {"reason": f"partSizeBytes must be at least {st.min_part}"})
        key = (req["fileName"], size, req["contentMD5Hex"], part, req.get("storageLocationId"))
        with st.lock:
            up = next((u for u in st.uploads.values() if u["key"] == key and not u["dead"]), None)
            if up is not None and query.get("forceRestart") == "true":
                up["dead"], up = True, None
            if up is None:
                up = {"id": str(len(st.uploads) + 7000), "key": key, "size": size, "part": part,
                      "count": max(1, math.ceil(size / part)), "parts": {}, "added": set(),
                      "state": "UPLOADING", "name": req["fileName"], "dead": False}
                st.uploads[up["id"]] = up
        self._send(201, self._status(up))

    def presigned(self, upload_id: str, query: dict, kind: str | None) -> None:
        req = self._json()
        urls = [{"partNumber": n, "signedHeaders": SIGNED,
                 "uploadPresignedUrl": f"{self.state.base}/s3/{upload_id}/{n}"
                                       f"?X-Amz-Signature={uuid.uuid4().hex}"}
                for n in req.get("partNumbers", [])]
        self._send(200, {"partPresignedUrls": urls})

    def put_part(self, upload_id: str, number: str, query: dict, kind: str | None) -> None:
        up = self.state.uploads.get(upload_id)
        if kind == "expired":
            self._body()
            return self._send(403, raw=b"<Error><Code>AccessDenied</Code><Message>Request has "
                              b"expired</Message></Error>")
        if up is None or self.headers.get("Content-Type") != SIGNED["Content-Type"]:
            self._body()
            return self._send(403, raw=b"<Error><Code>SignatureDoesNotMatch</Code></Error>")
        length = int(self.headers.get("Content-Length") or 0)
        self.state.receiving[up["name"]] = 0
        data = self._body(key=up["name"])
        if len(data) != length:
            return
        if kind == "corrupt" and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        up["parts"][int(number)] = data
        self.state.part_puts.append((up["name"], int(number)))
        self._send(200, raw=b"")

    def add_part(self, upload_id: str, number: str, query: dict, kind: str | None) -> None:
        self._body()
        up, n = self.state.uploads[upload_id], int(number)
        stored = up["parts"].get(n)
        if stored is None or hashlib.md5(stored).hexdigest() != query.get("partMD5Hex"):
            return self._send(200, {"uploadId": upload_id, "partNumber": n,
                                    "addPartState": "ADD_FAILED",
                                    "errorMessage": "The provided MD5 does not match the MD5 of "
                                                    "the uploaded part"})
        up["added"].add(n)
        self._send(200, {"uploadId": upload_id, "partNumber": n, "addPartState": "ADD_SUCCESS"})

    def complete(self, upload_id: str, query: dict, kind: str | None) -> None:
        self._body()
        up, st = self.state.uploads[upload_id], self.state
        if up["state"] != "COMPLETED":
            if len(up["added"]) != up["count"]:
                return self._send(400, {"reason": "Missing parts"})
            data = b"".join(up["parts"][n] for n in range(1, up["count"] + 1))
            handle = str(st.new_id())
            st.handles[handle] = {"id": handle, "data": data, "fileName": up["name"],
                                  "contentMd5": hashlib.md5(data).hexdigest(),
                                  "contentSize": len(data),
                                  "concreteType": "org.sagebionetworks.repo.model.file."
                                                  "S3FileHandle"}
            up["state"], up["handle"] = "COMPLETED", handle
        self._send(200, self._status(up))

    def file_handle(self, handle: str, query: dict, kind: str | None) -> None:
        h = self.state.handles.get(handle)
        if h is None:
            return self._send(404, {"reason": f"FileHandle {handle} does not exist"})
        self._send(200, {k: v for k, v in h.items() if k != "data"})

    # -- entities ------------------------------------------------------------------------------
    def create_entity(self, query: dict, kind: str | None) -> None:
        body, st = self._json(), self.state
        with st.lock:
            if body.get("parentId") not in st.entities:
                return self._send(404, {"reason": f"Entity {body.get('parentId')} does not exist"})
            if body["name"] in st.children(body["parentId"]):
                return self._send(409, {"reason": f"An entity with the name: {body['name']} "
                                                  f"already exists with a parentId: "
                                                  f"{body['parentId']}"})
            if "/" in body["name"]:
                return self._send(400, {"reason": "Invalid Name"})
            if body["concreteType"].endswith("FileEntity") and \
                    body.get("dataFileHandleId") not in st.handles:
                return self._send(400, {"reason": "dataFileHandleId is required"})
            entity = {**body, "id": f"syn{st.next_id + 1}", "etag": str(uuid.uuid4()),
                      "versionNumber": 1, "annotations": {}}
            st.next_id += 1
            st.entities[entity["id"]] = entity
        self._send(201, {k: v for k, v in entity.items() if k != "annotations"})

    def lookup(self, query: dict, kind: str | None) -> None:
        body = self._json()
        found = self.state.children(body.get("parentId", "")).get(body.get("entityName", ""))
        if found is None:
            return self._send(404, {"reason": "Entity not found"})
        self._send(200, {"id": found["id"]})

    def get_entity(self, entity: str, query: dict, kind: str | None) -> None:
        e = self.state.entities.get(entity)
        if e is None:
            return self._send(404, {"reason": f"Entity {entity} does not exist"})
        self._send(200, {k: v for k, v in e.items() if k != "annotations"})

    def put_entity(self, entity: str, query: dict, kind: str | None) -> None:
        body, e = self._json(), self.state.entities.get(entity)
        if e is None:
            return self._send(404, {"reason": f"Entity {entity} does not exist"})
        if body.get("etag") != e["etag"]:
            return self._send(412, {"reason": "Object has been updated since last read"})
        e.update({k: v for k, v in body.items() if k in ("dataFileHandleId", "description")})
        e["etag"], e["versionNumber"] = str(uuid.uuid4()), e["versionNumber"] + 1
        self._send(200, {k: v for k, v in e.items() if k != "annotations"})

    def get_annotations(self, entity: str, query: dict, kind: str | None) -> None:
        e = self.state.entities[entity]
        self._send(200, {"id": entity, "etag": e["etag"], "annotations": e["annotations"]})

    def put_annotations(self, entity: str, query: dict, kind: str | None) -> None:
        body, e = self._json(), self.state.entities[entity]
        if body.get("etag") != e["etag"]:
            return self._send(412, {"reason": "Object has been updated since last read"})
        e["annotations"], e["etag"] = body.get("annotations", {}), str(uuid.uuid4())
        self._send(200, {"id": entity, "etag": e["etag"], "annotations": e["annotations"]})


MP = r"/file/v1/file/multipart"
ROUTES: dict[str, list[tuple[str, Any]]] = {
    "POST": [(MP, Handler.start), (MP + r"/(\d+)/presigned/url/batch", Handler.presigned),
             (r"/repo/v1/entity", Handler.create_entity),
             (r"/repo/v1/entity/child", Handler.lookup)],
    "PUT": [(r"/s3/(\d+)/(\d+)", Handler.put_part), (MP + r"/(\d+)/add/(\d+)", Handler.add_part),
            (MP + r"/(\d+)/complete", Handler.complete),
            (r"/repo/v1/entity/(syn\d+)", Handler.put_entity),
            (r"/repo/v1/entity/(syn\d+)/annotations2", Handler.put_annotations)],
    "GET": [(r"/file/v1/fileHandle/(\d+)", Handler.file_handle),
            (r"/repo/v1/entity/(syn\d+)", Handler.get_entity),
            (r"/repo/v1/entity/(syn\d+)/annotations2", Handler.get_annotations)],
}


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class FakeSynapse:
    def __init__(self, token: str, min_part: int = 64 * 1024, rate: int = 0) -> None:
        self.state = SynapseState(token, min_part, rate)
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.state.base = self.url
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    def __enter__(self) -> FakeSynapse:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
