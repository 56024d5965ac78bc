"""A Zenodo deposit API on 127.0.0.1 (http.server) for the transfer tests, with fault injection.

It answers the legacy deposit endpoints and the RDM share-link endpoint with the status codes and
bodies of ../shared/metadata-corpus/zenodo-api (401 without the token, 201 create with
prereserve_doi, bucket PUT 201 with ``checksum: md5:...``, 404 and validation bodies, the observed
500/413/quota errors). ``faults`` is a list of ``(kind, match)``: the first whose ``match`` is in
"METHOD path" is used once; kinds: "500", "502", "503", "429" (Retry-After: 1), "413", "reset"
(the PUT body is half read, then the connection is reset), "corrupt" (one byte flipped on store).
``rate`` (bytes/s) throttles PUT bodies.

New versions: ``POST .../actions/newversion`` on a published deposition makes (or returns the
existing) draft of the concept with the files linked, answering with the published deposition
and the draft in ``links.latest_draft``; ``legacy_newversion_fails`` makes it answer as Zenodo-RDM
does for a record with files (400 ``files.enabled``), leaving ``POST /api/records/{id}/versions``
(a draft with no files) + ``POST /api/records/{id}/draft/actions/files-import``. A published
deposition's bucket refuses PUTs (403).
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

SHARED = Path(__file__).resolve().parents[3].parent / "shared"   # as tests/conftest.py
CORPUS = SHARED / "metadata-corpus" / "zenodo-api"


def corpus(name: str) -> dict:
    return json.loads((CORPUS / name).read_text(encoding="utf-8"), strict=False)  # raw newlines


class ZenodoState:
    def __init__(self, token: str, rate: int = 0, quota: int = 50 * 10**9) -> None:
        self.token = token
        self.rate = rate
        self.quota = quota
        self.faults: list[tuple[str, str]] = []
        self.depositions: dict[int, dict] = {}
        self.requests: list[str] = []
        self.puts: dict[str, int] = {}
        self.receiving: dict[str, int] = {}      # bytes of the PUT in progress, per key
        self.lock = threading.Lock()
        self.next_id = 542201
        self.retry_after = "1"
        self.base = ""
        self.legacy_newversion_fails = False

    def fault(self, line: str) -> str | None:
        with self.lock:
            for i, (kind, match) in enumerate(self.faults):
                if match in line:
                    self.faults.pop(i)
                    return kind
        return None

    def files_of(self, dep_id: int) -> dict[str, bytes]:
        return {k: v["data"] for k, v in self.depositions[dep_id]["files"].items()}


def _deposition_body(state: ZenodoState, dep: dict) -> dict:
    body = corpus("legacy-deposit-api/01_POST_depositions.response.201.json")
    dep_id, api = dep["id"], f"{state.base}/api/deposit/depositions/{dep['id']}"
    body.update(id=dep_id, record_id=dep_id, conceptrecid=str(dep_id - 1),
                state=dep["state"], submitted=dep["state"] == "done",
                title=dep["metadata"].get("title", ""))
    body["metadata"] = {**dep["metadata"], "prereserve_doi": {
        "doi": f"10.5072/zenodo.{dep_id}", "recid": dep_id}}
    body["links"] = {k: v.replace("https://zenodo.org/api/deposit/depositions/542201", api)
                     .replace("https://zenodo.org/deposit/542201", f"{state.base}/deposit/{dep_id}")
                     for k, v in body["links"].items()}
    body["links"]["bucket"] = f"{state.base}/api/files/{dep['bucket']}"
    body["files"] = _file_list(dep)
    return body


def _file_list(dep: dict) -> list[dict]:
    return [{"id": f["id"], "filename": key, "filesize": len(f["data"]),
             "checksum": hashlib.md5(f["data"]).hexdigest()} for key, f in dep["files"].items()]


class Handler(BaseHTTPRequestHandler):
    state: ZenodoState
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: object | None = None,
              headers: dict[str, str] | None = None) -> None:
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def _body(self, throttle: bool = False, limit: int | None = None, key: str = "") -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        want = length if limit is None else min(limit, length)
        chunks, got, start = [], 0, time.monotonic()
        while got < want:
            chunk = self.rfile.read(min(65536, want - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
            if key:
                self.state.receiving[key] = got
            if throttle and self.state.rate:
                ahead = got / self.state.rate - (time.monotonic() - start)
                if ahead > 0:
                    time.sleep(ahead)
        return b"".join(chunks)

    def _reset(self) -> None:
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def _dispatch(self, method: str) -> None:
        st = self.state
        line = f"{method} {self.path}"
        st.requests.append(line)
        if self.headers.get("Authorization") != f"Bearer {st.token}":
            self._body()
            return self._send(401, corpus("legacy-deposit-api/00_GET_depositions_no_token"
                                          ".response.401.json"))
        kind = st.fault(line)
        if kind == "reset":
            self._body(limit=int(self.headers.get("Content-Length") or 0) // 2)
            return self._reset()
        if kind in ("500", "502", "503", "429", "413"):
            self._body()
            body = {"500": corpus("observed-errors/internal_error.500.json"),
                    "413": corpus("observed-errors/request_entity_too_large.413.json")}.get(
                kind, {"status": int(kind), "message": "Service unavailable"})
            headers = {"Retry-After": st.retry_after} if kind == "429" else {}
            return self._send(int(kind), body, headers)
        for pattern, handler in ROUTES.get(method, []):
            m = re.fullmatch(pattern, self.path)
            if m:
                return handler(self, *m.groups(), corrupt=kind == "corrupt")
        self._body()
        self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # -- endpoints -----------------------------------------------------------------------------
    def _dep(self, dep_id: str) -> dict | None:
        return self.state.depositions.get(int(dep_id))

    def create(self, corrupt: bool = False) -> None:
        self._body()
        st = self.state
        with st.lock:
            dep = {"id": st.next_id, "bucket": str(uuid.uuid4()), "state": "unsubmitted",
                   "metadata": {}, "files": {}, "links": []}
            st.depositions[st.next_id] = dep
            st.next_id += 1
        self._send(201, _deposition_body(st, dep))

    def get(self, dep_id: str, corrupt: bool = False) -> None:
        dep = self._dep(dep_id)
        if dep is None:
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        self._send(200, _deposition_body(self.state, dep))

    def put_metadata(self, dep_id: str, corrupt: bool = False) -> None:
        dep = self._dep(dep_id)
        metadata = json.loads(self._body() or b"{}").get("metadata", {})
        if dep is None:
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        if not metadata.get("title") or not metadata.get("creators"):
            return self._send(400, corpus("legacy-deposit-api/91_error_400_validation_legacy"
                                          ".response.json"))
        dep["metadata"] = metadata
        self._send(200, _deposition_body(self.state, dep))

    def list_files(self, dep_id: str, corrupt: bool = False) -> None:
        dep = self._dep(dep_id)
        if dep is None:
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        self._send(200, _file_list(dep))

    def delete_file(self, dep_id: str, file_id: str, corrupt: bool = False) -> None:
        self._body()
        dep = self._dep(dep_id)
        for key, f in list((dep or {}).get("files", {}).items()):
            if f["id"] == file_id:
                del dep["files"][key]  # type: ignore[index]
                return self._send(204)
        self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))

    def _bucket_dep(self, bucket: str) -> dict | None:
        return next((d for d in self.state.depositions.values() if d["bucket"] == bucket), None)

    def put_file(self, bucket: str, key: str, corrupt: bool = False) -> None:
        dep = self._bucket_dep(bucket)
        if dep is not None and dep["state"] == "done":
            self._body()
            return self._send(403, {"status": 403, "message": "You don't have the permission "
                                                              "to access the requested resource."})
        length = int(self.headers.get("Content-Length") or 0)
        used = sum(len(f["data"]) for f in (dep or {"files": {}})["files"].values())
        if dep is not None and used + length > self.state.quota:
            self._body()
            return self._send(400, corpus("observed-errors/bucket_quota_exceeded.400.json"))
        data = self._body(throttle=True, key=unquote(key))
        if dep is None or len(data) != length:
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        if corrupt and data:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        key = unquote(key)
        version = str(uuid.uuid4())
        dep["files"][key] = {"id": str(uuid.uuid4()), "data": data}
        self.state.puts[key] = self.state.puts.get(key, 0) + 1
        body = corpus("legacy-deposit-api/02_PUT_bucket_file.response.201.json")
        url = f"{self.state.base}/api/files/{bucket}/{key}"
        body.update(key=key, size=len(data), version_id=version,
                    checksum="md5:" + hashlib.md5(data).hexdigest(),
                    links={"self": url, "version": f"{url}?versionId={version}"})
        self._send(201, body)

    def delete_object(self, bucket: str, key: str, corrupt: bool = False) -> None:
        self._body()
        dep = self._bucket_dep(bucket)
        if dep is None or dep["files"].pop(unquote(key), None) is None:
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        self._send(204)

    def publish(self, dep_id: str, corrupt: bool = False) -> None:
        self._body()
        dep = self._dep(dep_id)
        if dep is None or dep["state"] == "done":
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        dep["state"] = "done"
        body = _deposition_body(self.state, dep)
        body["doi"] = f"10.5072/zenodo.{dep['id']}"
        self._send(202, body)

    def access_link(self, dep_id: str, corrupt: bool = False) -> None:
        request = json.loads(self._body() or b"{}")
        dep = self._dep(dep_id)
        if dep is None:
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        link = {"id": str(uuid.uuid4()), "token": "eyJhbGciOiJIUzUxMiJ9." + uuid.uuid4().hex,
                "permission": request.get("permission"), "created_at": "2026-12-03T12:00:00",
                "expires_at": request.get("expires_at")}
        dep["links"].append(link)
        self._send(201, link)

    # -- new versions --------------------------------------------------------------------------
    def _version_draft(self, dep: dict, with_files: bool) -> dict:
        st = self.state
        with st.lock:
            concept = dep.get("concept", dep["id"])
            existing = next((d for d in st.depositions.values()
                             if d.get("concept", d["id"]) == concept and d["state"] != "done"),
                            None)
            if existing is not None:
                return existing
            files = ({k: {"id": str(uuid.uuid4()), "data": f["data"]}
                      for k, f in dep["files"].items()} if with_files else {})
            draft = {"id": st.next_id, "bucket": str(uuid.uuid4()), "state": "unsubmitted",
                     "metadata": {k: v for k, v in dep["metadata"].items()
                                  if k != "publication_date"},
                     "files": files, "links": [], "concept": concept, "version_of": dep["id"]}
            st.depositions[st.next_id] = draft
            st.next_id += 1
            return draft

    def new_version(self, dep_id: str, corrupt: bool = False) -> None:
        self._body()
        dep = self._dep(dep_id)
        if dep is None or dep["state"] != "done":
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        if self.state.legacy_newversion_fails and dep["files"]:
            return self._send(400, corpus("observed-errors/newversion_files_enabled.400.json"))
        draft = self._version_draft(dep, with_files=True)
        body = _deposition_body(self.state, dep)
        body["links"]["latest_draft"] = f"{self.state.base}/api/deposit/depositions/{draft['id']}"
        self._send(201, body)

    def rdm_versions(self, dep_id: str, corrupt: bool = False) -> None:
        self._body()
        dep = self._dep(dep_id)
        if dep is None or dep["state"] != "done":
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        draft = self._version_draft(dep, with_files=False)
        self._send(201, {"id": str(draft["id"]), "is_draft": True, "files": {"enabled": True},
                         "parent": {"id": str(draft["concept"])}})

    def files_import(self, dep_id: str, corrupt: bool = False) -> None:
        self._body()
        draft = self._dep(dep_id)
        previous = self._dep(str(draft.get("version_of", 0))) if draft else None
        if draft is None or previous is None or draft["state"] == "done":
            return self._send(404, corpus("legacy-deposit-api/90_error_404.response.json"))
        for key, f in previous["files"].items():
            draft["files"].setdefault(key, {"id": str(uuid.uuid4()), "data": f["data"]})
        self._send(201, {"entries": [{"key": k, "checksum": "md5:" + c["checksum"]}
                                     for k, c in ((f["filename"], f)
                                                  for f in _file_list(draft))]})


ROUTES = {
    "POST": [(r"/api/deposit/depositions", Handler.create),
             (r"/api/deposit/depositions/(\d+)/actions/publish", Handler.publish),
             (r"/api/records/(\d+)/access/links", Handler.access_link),
             (r"/api/deposit/depositions/(\d+)/actions/newversion", Handler.new_version),
             (r"/api/records/(\d+)/versions", Handler.rdm_versions),
             (r"/api/records/(\d+)/draft/actions/files-import", Handler.files_import)],
    "GET": [(r"/api/deposit/depositions/(\d+)", Handler.get),
            (r"/api/deposit/depositions/(\d+)/files", Handler.list_files)],
    "PUT": [(r"/api/deposit/depositions/(\d+)", Handler.put_metadata),
            (r"/api/files/([0-9a-f-]+)/(.+)", Handler.put_file)],
    "DELETE": [(r"/api/deposit/depositions/(\d+)/files/([0-9a-f-]+)", Handler.delete_file),
               (r"/api/files/([0-9a-f-]+)/(.+)", Handler.delete_object)],
}


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class FakeZenodo:
    def __init__(self, token: str, rate: int = 0, quota: int = 50 * 10**9) -> None:
        self.state = ZenodoState(token, rate, quota)
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.state.base = self.url
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    def __enter__(self) -> FakeZenodo:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


