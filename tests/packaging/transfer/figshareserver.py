"""A Figshare API + upload service on 127.0.0.1 (http.server) with the part protocol of
figshare's APIv2 upload docs: items, file initiate, ``GET {upload_url}`` part list (PENDING /
COMPLETE, inclusive offsets), ``PUT {upload_url}/{partNo}`` returning the part's md5, complete.
``faults``: ``(kind, match)`` used once when ``match`` is in "METHOD path"; kinds "500", "503",
"409" (part locked), "reset" (connection reset after half the body), "corrupt" (part stored
damaged). ``PART`` bytes per part.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PART = 64 * 1024


class FigshareState:
    def __init__(self, token: str) -> None:
        self.token = token
        self.faults: list[tuple[str, str]] = []
        self.articles: dict[int, dict] = {}
        self.uploads: dict[str, dict] = {}
        self.part_puts: list[tuple[str, int]] = []
        self.lock = threading.Lock()
        self.next_id = 1000
        self.base = ""

    def fault(self, line: str) -> str | None:
        with self.lock:
            for i, (kind, match) in enumerate(self.faults):
                if match in line:
                    self.faults.pop(i)
                    return kind
        return None

    def files_of(self, article: int) -> dict[str, bytes]:
        return {f["name"]: bytes(self.uploads[f["token"]]["data"])
                for f in self.articles[article]["files"].values() if f["status"] == "available"}


class Handler(BaseHTTPRequestHandler):
    state: FigshareState
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: object | None = None) -> None:
        raw = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _body(self, limit: int | None = None) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length if limit is None else min(limit, length))

    def _dispatch(self, method: str) -> None:
        st = self.state
        line = f"{method} {self.path}"
        kind = st.fault(line)
        if kind == "reset":
            self._body(int(self.headers.get("Content-Length") or 0) // 2)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        if kind in ("500", "503", "409"):
            self._body()
            return self._send(int(kind), {"message": "try again", "code": kind})
        upload = self.path.startswith("/upload/")
        if not upload and self.headers.get("Authorization") != f"token {st.token}":
            self._body()
            return self._send(403, {"message": "Invalid or expired token", "code": "Forbidden"})
        if upload and self.headers.get("Authorization"):
            self._body()
            return self._send(400, {"message": "the API token must not reach the upload service"})
        for pattern, handler in ROUTES.get(method, []):
            m = re.fullmatch(pattern, self.path)
            if m:
                return handler(self, *m.groups(), corrupt=kind == "corrupt")
        self._body()
        self._send(404, {"message": "Not found", "code": "EntityNotFound"})

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def _new_id(self) -> int:
        with self.state.lock:
            self.state.next_id += 1
            return self.state.next_id

    def create_article(self, corrupt: bool = False) -> None:
        body = json.loads(self._body() or b"{}")
        art = self._new_id()
        self.state.articles[art] = {"id": art, "title": body.get("title"), "files": {}, "metadata": body}
        self._send(201, {"location": f"{self.state.base}/v2/account/articles/{art}"})

    def get_article(self, art: str, corrupt: bool = False) -> None:
        a = self.state.articles.get(int(art))
        if a is None:
            return self._send(404, {"message": "Not found", "code": "EntityNotFound"})
        self._send(200, {"id": a["id"], "title": a["title"], "url": f"{self.state.base}/x/{art}"})

    def _file_body(self, f: dict) -> dict:
        up = self.state.uploads[f["token"]]
        return {"id": f["id"], "name": f["name"], "size": f["size"], "status": f["status"],
                "supplied_md5": f["md5"], "upload_token": f["token"],
                "computed_md5": hashlib.md5(up["data"]).hexdigest() if f["status"] == "available"
                else "", "upload_url": f"{self.state.base}/upload/{f['token']}"}

    def list_files(self, art: str, corrupt: bool = False) -> None:
        a = self.state.articles.get(int(art))
        if a is None:
            return self._send(404, {"message": "Not found", "code": "EntityNotFound"})
        self._send(200, [self._file_body(f) for f in a["files"].values()])

    def initiate(self, art: str, corrupt: bool = False) -> None:
        body = json.loads(self._body() or b"{}")
        a = self.state.articles[int(art)]
        fid, token = self._new_id(), f"tok{self._new_id()}"
        size = int(body["size"])
        parts = [{"partNo": n + 1, "startOffset": s, "endOffset": min(s + PART, size) - 1,
                  "status": "PENDING", "locked": False} for n, s in enumerate(range(0, size, PART))]
        self.state.uploads[token] = {"data": bytearray(size), "parts": parts, "size": size}
        a["files"][fid] = {"id": fid, "name": body["name"], "size": size, "md5": body["md5"],
                           "token": token, "status": "created"}
        self._send(201, {"location": f"{self.state.base}/v2/account/articles/{art}/files/{fid}"})

    def file_info(self, art: str, fid: str, corrupt: bool = False) -> None:
        f = self.state.articles.get(int(art), {"files": {}})["files"].get(int(fid))
        if f is None:
            return self._send(404, {"message": "Not found", "code": "EntityNotFound"})
        self._send(200, self._file_body(f))

    def complete(self, art: str, fid: str, corrupt: bool = False) -> None:
        self._body()
        f = self.state.articles[int(art)]["files"][int(fid)]
        up = self.state.uploads[f["token"]]
        if any(p["status"] != "COMPLETE" for p in up["parts"]):
            return self._send(400, {"message": "Not all parts uploaded", "code": "BadRequest"})
        f["status"] = "available"
        self._send(202, {"location": f"{self.state.base}/v2/account/articles/{art}/files/{fid}"})

    def delete_file(self, art: str, fid: str, corrupt: bool = False) -> None:
        self._body()
        self.state.articles[int(art)]["files"].pop(int(fid), None)
        self._send(204)

    def upload_state(self, token: str, corrupt: bool = False) -> None:
        up = self.state.uploads[token]
        self._send(200, {"token": token, "size": up["size"], "status": "PENDING",
                         "parts": up["parts"]})

    def put_part(self, token: str, part_no: str, corrupt: bool = False) -> None:
        data = self._body()
        up = self.state.uploads[token]
        part = up["parts"][int(part_no) - 1]
        if len(data) != part["endOffset"] - part["startOffset"] + 1:
            return self._send(400, {"message": "wrong part size"})
        if corrupt:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        up["data"][part["startOffset"]:part["endOffset"] + 1] = data
        part["status"] = "COMPLETE"
        self.state.part_puts.append((token, int(part_no)))
        self._send(200, {"md5": hashlib.md5(data).hexdigest()})

    def reset_part(self, token: str, part_no: str, corrupt: bool = False) -> None:
        self._body()
        self.state.uploads[token]["parts"][int(part_no) - 1]["status"] = "PENDING"
        self._send(205)


ROUTES = {
    "POST": [(r"/v2/account/articles", Handler.create_article),
             (r"/v2/account/articles/(\d+)/files", Handler.initiate),
             (r"/v2/account/articles/(\d+)/files/(\d+)", Handler.complete)],
    "GET": [(r"/v2/account/articles/(\d+)", Handler.get_article),
            (r"/v2/account/articles/(\d+)/files", Handler.list_files),
            (r"/v2/account/articles/(\d+)/files/(\d+)", Handler.file_info),
            (r"/upload/(\w+)", Handler.upload_state)],
    "PUT": [(r"/upload/(\w+)/(\d+)", Handler.put_part)],
    "DELETE": [(r"/v2/account/articles/(\d+)/files/(\d+)", Handler.delete_file),
               (r"/upload/(\w+)/(\d+)", Handler.reset_part)],
}


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class FakeFigshare:
    def __init__(self, token: str) -> None:
        self.state = FigshareState(token)
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.state.base = self.url
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    def __enter__(self) -> FakeFigshare:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
