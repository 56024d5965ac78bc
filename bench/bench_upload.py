"""Upload throughput of DepositDesk's FTP and HTTP (Zenodo bucket PUT) transports against
``curl -T`` of the same file to the same local server, in one run, and peak memory while sending a
large sparse file.

    .venv/bin/python -m bench.bench_upload [--size-mb 500] [--sparse-gb 20]

Servers run on 127.0.0.1 in this process: pyftpdlib (writing into a temporary folder) and an HTTP
sink answering the bucket PUT like Zenodo (md5 of what arrived as ``checksum``). Each uploader runs
as its own process so its time and peak RSS are its own (GNU time). Target: ours >= 0.9x curl;
peak RSS < 150 MB for the sparse file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import Measure, data_dir, measure, print_table, python_command, warm_page_cache  # noqa: E402, I001

USER, PASSWORD = "bench", "bench-password"


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:
        pass

    def do_PUT(self) -> None:
        left = int(self.headers.get("Content-Length") or 0)
        digest, size = hashlib.md5(), 0
        while left:
            chunk = self.rfile.read(min(1 << 20, left))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
            size += len(chunk)
        body = json.dumps({"key": self.path.rsplit("/", 1)[-1], "size": size,
                           "checksum": "md5:" + digest.hexdigest(), "links": {}}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def start_http() -> str:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def start_ftp(root: Path) -> int:
    import logging

    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import FTPServer
    logging.getLogger("pyftpdlib").setLevel(logging.WARNING)
    auth = DummyAuthorizer()
    auth.add_user(USER, PASSWORD, str(root), perm="elradfmw")
    FTPHandler.authorizer = auth
    server = FTPServer(("127.0.0.1", 0), FTPHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.address[1]


def md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as handle:
        while block := handle.read(8 << 20):
            digest.update(block)
    return digest.hexdigest()


def ours_http(url: str, path: Path, md5: str, state: Path) -> list[str]:
    return python_command(
        "from pathlib import Path\n"
        "from depositdesk.packaging.transfer.journal import Journal\n"
        "from depositdesk.packaging.transfer.zenodo import ZenodoTransport\n"
        f"j = Journal(Path({str(state)!r}) / 'j.json', 'bench')\n"
        f"j.set_remote(bucket={url + '/api/files/bench'!r}, deposition_id=1)\n"
        f"t = ZenodoTransport({url!r}, 'token', j, {{}})\n"
        f"t.upload(Path({str(path)!r}), {path.name!r}, {path.stat().st_size}, {md5!r})\n"
        f"assert j.files[{path.name!r}].verified\n")


def ours_ftp(port: int, path: Path, state: Path, folder: str) -> list[str]:
    return python_command(
        "from pathlib import Path\n"
        "from depositdesk.packaging.transfer.journal import Journal\n"
        "from depositdesk.packaging.transfer.ftp import FtpServer, FtpTransport\n"
        f"j = Journal(Path({str(state)!r}) / 'f.json', 'bench')\n"
        f"s = FtpServer('127.0.0.1', {port}, {folder!r}, {USER!r})\n"
        f"t = FtpTransport(s, {PASSWORD!r}, j)\n"
        f"t.upload(Path({str(path)!r}), {path.name!r}, {path.stat().st_size}, 'x' * 32)\n"
        f"assert j.files[{path.name!r}].verified\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--sparse-gb", type=float, default=20)
    args = parser.parse_args()
    data = data_dir() / f"upload_{args.size_mb}mb.bin"
    if not data.exists() or data.stat().st_size != args.size_mb * 10**6:
        with data.open("wb") as handle:
            for i in range(args.size_mb):
                handle.write(hashlib.sha512(str(i).encode()).digest() * (10**6 // 64) +
                             b"\0" * (10**6 % 64))
    md5 = md5_of(data)
    warm_page_cache(data)
    size = data.stat().st_size
    url = start_http()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ftp_root = tmp / "ftp"
        for name in ("ours", "curl"):
            (ftp_root / name).mkdir(parents=True)
        port = start_ftp(ftp_root)
        rows: list[Measure] = [
            measure("HTTP PUT  depositdesk (Zenodo bucket)", ours_http(url, data, md5, tmp), size),
            measure("HTTP PUT  curl -T", ["curl", "-sS", "-f", "-T", str(data), "-H",
                                          "Authorization: Bearer token",
                                          f"{url}/api/files/bench/{data.name}"], size),
            measure("FTP STOR  depositdesk", ours_ftp(port, data, tmp, "/ours"), size),
            measure("FTP STOR  curl -T", ["curl", "-sS", "-T", str(data),
                                          f"ftp://{USER}:{PASSWORD}@127.0.0.1:{port}/curl/"], size),
        ]
        print_table(f"upload of {args.size_mb} MB to servers on 127.0.0.1", rows)
        for kind, ours, curl in (("HTTP", rows[0], rows[1]), ("FTP", rows[2], rows[3])):
            print(f"  {kind}: depositdesk / curl = {ours.mb_per_s / curl.mb_per_s:.2f}x")
        sparse = tmp / "sparse.bin"
        with sparse.open("wb") as handle:
            handle.truncate(int(args.sparse_gb * 10**9))
        digest = hashlib.md5()
        block = b"\0" * (8 << 20)
        left = sparse.stat().st_size
        while left:
            digest.update(block[:min(left, len(block))])
            left -= min(left, len(block))
        zero_md5 = digest.hexdigest()
        row = measure(f"HTTP PUT  depositdesk, {args.sparse_gb:g} GB sparse file",
                      ours_http(url, sparse, zero_md5, tmp), sparse.stat().st_size)
        print_table("peak memory while sending a sparse file", [row])


if __name__ == "__main__":
    main()
