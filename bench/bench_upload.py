"""Upload throughput of DepositDesk's FTP and HTTP (Zenodo bucket PUT) transports against
``curl -T`` of the same file to the same local server, in one run, and peak memory while sending a
large sparse file.

    .venv/bin/python -m bench.bench_upload [--size-mb 500] [--sparse-gb 20] [--repeats 5]
                                           [--baseline-code DIR]

Servers run on 127.0.0.1 in this process: pyftpdlib (writing into a temporary folder) and an HTTP
sink answering the bucket PUT like Zenodo (md5 of what arrived as ``checksum``). Each uploader runs
as its own process so its time and peak RSS are its own (GNU time), in interleaved rounds (the
order rotated each round, so a loaded machine hits every contender alike), each a whole send (no
journal, no remote copy left from the round before); the medians are printed. Two throughputs:
the transfer as each tool times it (curl's ``time_total``, connect to answer; ours around
``upload()``, connect to verified; also the median of each round's own ratio, robust to load
that drifts between rounds), and the whole process (Python's start-up and imports, 0.25-0.35 s
on an idle machine, are a constant per run, not per byte). "depositdesk CLI" is the whole
``depositdesk upload`` a user runs (FTP; start-up, manifest, status and journal included), timed
whole. Target: ours >= 0.9x curl; peak RSS < 150 MB for the sparse file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    _TIME_LINE,
    GNU_TIME,
    apt_install,
    data_dir,
    measure,
    print_table,
    python_command,
    warm_page_cache,
)

USER, PASSWORD = "bench", "bench-password"
CLI = "depositdesk CLI"          # the `depositdesk upload` process, timed whole
WHOLE_ONLY = {CLI}


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


TIMED = ("import time\nfrom pathlib import Path\n_t0 = time.perf_counter()\n"
         "{call}\nprint(f'transfer_s={{time.perf_counter() - _t0:.4f}}')\n")


def ours_http(url: str, path: Path, md5: str, state: Path, code: Path | None = None
              ) -> list[str]:
    """Our Zenodo bucket PUT; ``code``: another copy of the package to run instead (a baseline,
    ``git archive COMMIT depositdesk | tar -x -C DIR``)."""
    first = f"import sys; sys.path.insert(0, {str(code)!r})\n" if code else ""
    return python_command(
        first + "from pathlib import Path\n"
        "from depositdesk.packaging.transfer.journal import Journal\n"
        "from depositdesk.packaging.transfer.zenodo import ZenodoTransport\n"
        f"j = Journal(Path({str(state)!r}) / 'j.json', 'bench')\n"
        f"j.set_remote(bucket={url + '/api/files/bench'!r}, deposition_id=1)\n"
        f"t = ZenodoTransport({url!r}, 'token', j, {{}})\n" +
        TIMED.format(call=f"t.upload(Path({str(path)!r}), {path.name!r}, "
                          f"{path.stat().st_size}, {md5!r})") +
        f"assert j.files[{path.name!r}].verified\n")


def ours_ftp(port: int, path: Path, state: Path, folder: str, code: Path | None = None
             ) -> list[str]:
    first = f"import sys; sys.path.insert(0, {str(code)!r})\n" if code else ""
    return python_command(
        first + "from pathlib import Path\n"
        "from depositdesk.packaging.transfer.journal import Journal\n"
        "from depositdesk.packaging.transfer.ftp import FtpServer, FtpTransport\n"
        f"j = Journal(Path({str(state)!r}) / 'f.json', 'bench')\n"
        f"s = FtpServer('127.0.0.1', {port}, {folder!r}, {USER!r})\n"
        f"t = FtpTransport(s, {PASSWORD!r}, j)\n" +
        TIMED.format(call=f"t.upload(Path({str(path)!r}), {path.name!r}, "
                          f"{path.stat().st_size}, 'x' * 32)") +
        f"assert j.files[{path.name!r}].verified\n")


def cli_package(folder: Path, data: Path, md5: str) -> Path:
    """A package of the one file (a symlink to it) as packaging builds it, for `depositdesk upload`."""
    from depositdesk.packaging.manifest import ManifestEntry, write_manifest

    folder.mkdir(parents=True, exist_ok=True)
    (folder / data.name).symlink_to(data)
    write_manifest(folder, [ManifestEntry(data.name, data.stat().st_size, md5, "data")],
                   {"target": "geo", "project": "", "built": "2026-12-04T00:00:00Z",
                    "forced": False})
    return folder


def ours_cli_ftp(port: int, package: Path, folder: str) -> list[str]:
    """The whole `depositdesk upload` a user runs (start-up, imports, manifest, status, journal,
    the transfer, exit); the password from the environment, no keyring asked."""
    return ["env", f"DEPOSITDESK_PASSWORD={PASSWORD}",
            "PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring",
            sys.executable, "-m", "depositdesk", "upload", str(package),
            "--server", f"ftp://127.0.0.1:{port}{folder}", "--user", USER, "--format", "json"]


def curl(args: list[str]) -> list[str]:
    """curl times its own transfer (connect to last byte), as our snippets time theirs."""
    return ["curl", "-sS", "-f", "-o", "/dev/null", "-w", "transfer_s=%{time_total}\n", *args]


@dataclass
class Run:
    wall: float            # the whole process: start-up, imports, transfer, exit
    transfer: float        # the transfer as the tool timed it
    cpu: float
    rss_mb: float


def run(command: list[str], timed: bool = True) -> Run:
    """``timed=False``: the command does not time its transfer (the CLI): its whole run stands in."""
    if not GNU_TIME.exists():
        apt_install("time")
    full = [str(GNU_TIME), "-f", "peak_rss_kb=%M cpu=%U+%S", *command]
    start = time.perf_counter()
    proc = subprocess.run(full, capture_output=True, check=False)
    wall = time.perf_counter() - start
    err, out = proc.stderr.decode(errors="replace"), proc.stdout.decode(errors="replace")
    got = re.search(r"transfer_s=([\d.]+)", out)
    usage = _TIME_LINE.search(err)
    if proc.returncode or not (got or not timed) or not usage:
        raise SystemExit(f"{command[-1]} failed ({proc.returncode}): {err.strip()[-300:]}")
    transfer = float(got.group(1)) if got else wall
    return Run(wall, transfer, float(usage.group(2)) + float(usage.group(3)),
               int(usage.group(1)) / 1024)


def report(kind: str, size: int, results: dict[str, list[Run]]) -> None:
    def mbs(runs: list[Run], attr: str) -> float:
        return size / 1e6 / statistics.median(getattr(r, attr) for r in runs)

    curl_runs = results["curl -T"]
    print(f"\n{kind}: median of {len(curl_runs)} interleaved runs each")
    for label, runs in results.items():
        if label in WHOLE_ONLY:
            print(f"  {label:<14} {'(whole process only)':>27}   whole process "
                  f"{mbs(runs, 'wall'):7.1f} MB/s   CPU {statistics.median(r.cpu for r in runs):5.2f} s"
                  f"   peak RSS {max(r.rss_mb for r in runs):6.1f} MB")
            continue
        print(f"  {label:<14} transfer {mbs(runs, 'transfer'):7.1f} MB/s   whole process "
              f"{mbs(runs, 'wall'):7.1f} MB/s   CPU {statistics.median(r.cpu for r in runs):5.2f} s"
              f"   peak RSS {max(r.rss_mb for r in runs):6.1f} MB")
    for label, runs in results.items():
        if label == "curl -T":
            continue
        if label in WHOLE_ONLY:
            paired = [c.wall / r.wall for r, c in zip(runs, curl_runs, strict=True)]
            print(f"  {kind}: {label} / curl = {mbs(runs, 'wall') / mbs(curl_runs, 'wall'):.2f}x "
                  f"(whole process; median of the rounds' own ratios "
                  f"{statistics.median(paired):.2f}x, {min(paired):.2f}-{max(paired):.2f})")
            continue
        startup = statistics.median(r.wall - r.transfer for r in runs)
        paired = [c.transfer / r.transfer for r, c in zip(runs, curl_runs, strict=True)]
        print(f"  {kind}: {label} / curl = "
              f"{mbs(runs, 'transfer') / mbs(curl_runs, 'transfer'):.2f}x (transfer; median of "
              f"the rounds' own ratios {statistics.median(paired):.2f}x, "
              f"{min(paired):.2f}-{max(paired):.2f}), "
              f"{mbs(runs, 'wall') / mbs(curl_runs, 'wall'):.2f}x (whole process; Python "
              f"start-up, imports and exit {startup:.2f} s)")


def fresh(tmp: Path, ftp_root: Path, name: str) -> None:
    """Before each run: no journal, no remote copy, and no dirty pages left by the previous run's
    server writes (else our journal's fsync would pay for curl's 500 MB, or curl for ours)."""
    for old in [*tmp.glob("state*/*.json"), *tmp.glob("cli/.depositdesk/*.json"),
                *ftp_root.glob(f"*/{name}")]:
        old.unlink()
    os.sync()


def make_data(size_mb: int) -> Path:
    data = data_dir() / f"upload_{size_mb}mb.bin"
    if not data.exists() or data.stat().st_size != size_mb * 10**6:
        with data.open("wb") as handle:
            for i in range(size_mb):
                handle.write(hashlib.sha512(str(i).encode()).digest() * (10**6 // 64) +
                             b"\0" * (10**6 % 64))
    return data


def sparse_run(url: str, tmp: Path, gigabytes: float) -> None:
    sparse = tmp / "sparse.bin"
    with sparse.open("wb") as handle:
        handle.truncate(int(gigabytes * 10**9))
    digest = hashlib.md5()
    block = b"\0" * (8 << 20)
    left = sparse.stat().st_size
    while left:
        digest.update(block[:min(left, len(block))])
        left -= min(left, len(block))
    row = measure(f"HTTP PUT  depositdesk, {gigabytes:g} GB sparse file",
                  ours_http(url, sparse, digest.hexdigest(), tmp), sparse.stat().st_size)
    print_table("peak memory while sending a sparse file", [row])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=500)
    parser.add_argument("--sparse-gb", type=float, default=20, help="0: skip")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline-code", type=Path, default=None,
                        help="another copy of the package measured in the same rounds "
                             "(git archive COMMIT depositdesk | tar -x -C DIR)")
    args = parser.parse_args()
    data = make_data(args.size_mb)
    md5 = md5_of(data)
    warm_page_cache(data)
    size = data.stat().st_size
    url = start_http()
    # the FTP server writes into memory (tmpfs) where there is one: its 500 MB of dirty pages on
    # the disk would otherwise be flushed by whoever fsyncs next (our journal), never by curl
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory() as tmp_name, tempfile.TemporaryDirectory(
            dir=shm if shm.is_dir() else None) as ftp_name:
        tmp = Path(tmp_name)
        ftp_root = Path(ftp_name) / "ftp"
        for name in ("ours", "curl"):
            (ftp_root / name).mkdir(parents=True)
        port = start_ftp(ftp_root)
        contenders: dict[str, dict[str, list[str]]] = {"HTTP": {}, "FTP": {}}
        codes: dict[str, Path | None] = {"depositdesk": None}
        if args.baseline_code:
            codes["baseline code"] = args.baseline_code.resolve()
        for i, (label, code) in enumerate(codes.items()):
            state = tmp / f"state{i}"
            state.mkdir()
            (ftp_root / f"ours{i}").mkdir()
            contenders["HTTP"][label] = ours_http(url, data, md5, state, code)
            contenders["FTP"][label] = ours_ftp(port, data, state, f"/ours{i}", code)
        (ftp_root / "cli").mkdir()
        contenders["FTP"][CLI] = ours_cli_ftp(port, cli_package(tmp / "cli", data, md5), "/cli")
        contenders["HTTP"]["curl -T"] = curl(["-T", str(data), "-H", "Authorization: Bearer token",
                                              f"{url}/api/files/bench/{data.name}"])
        contenders["FTP"]["curl -T"] = curl(
            ["-T", str(data), f"ftp://{USER}:{PASSWORD}@127.0.0.1:{port}/curl/"])
        results: dict[str, dict[str, list[Run]]] = {
            kind: {label: [] for label in c} for kind, c in contenders.items()}
        for i in range(args.repeats):          # interleaved, the order rotated every round,
            for kind, commands in contenders.items():       # so load hits all alike
                labels = list(commands)
                for label in labels[i % len(labels):] + labels[:i % len(labels)]:
                    fresh(tmp, ftp_root, data.name)  # no journal, no remote copy: a whole send
                    results[kind][label].append(run(commands[label], label not in WHOLE_ONLY))
        print(f"upload of {args.size_mb} MB to servers on 127.0.0.1 (this process), "
              f"{args.repeats} rounds")
        for kind, by_label in results.items():
            report(kind, size, by_label)
        if args.sparse_gb:
            sparse_run(url, tmp, args.sparse_gb)


if __name__ == "__main__":
    main()
