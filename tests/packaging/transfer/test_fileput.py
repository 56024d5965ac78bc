"""The bucket PUT sent by the kernel (fileput): whole and identical, progress as it goes, TLS,
an early answer in the server's words, and httpx kept where a proxy is configured."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import socket
import ssl
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from depositdesk.packaging.transfer import fileput
from depositdesk.packaging.transfer.journal import Journal
from depositdesk.packaging.transfer.retry import TransferError, check_response
from depositdesk.packaging.transfer.zenodo import ZenodoTransport

from .conftest import random_bytes
from .zenodoserver import FakeZenodo

METADATA = {"title": "t", "upload_type": "dataset", "description": "d",
            "creators": [{"name": "Doe, John"}]}


def test_a_large_file_arrives_whole_with_progress_in_slices(
        tmp_path: Path, token: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = random_bytes(7, fileput.DIRECT_MIN + 12_345)
    small = b"# a small file goes on httpx's kept-alive connection\n"
    local, little = tmp_path / "big.bin", tmp_path / "README.md"
    local.write_bytes(data)
    little.write_bytes(small)
    seen: list[int] = []
    direct: list[str] = []
    put_file = fileput.put_file
    monkeypatch.setattr(fileput, "put_file",
                        lambda url, *a, **k: direct.append(url) or put_file(url, *a, **k))
    with FakeZenodo(token) as server:
        journal = Journal(tmp_path / "j.json", "zenodo")
        transport = ZenodoTransport(server.url, token, journal, METADATA,
                                    progress=lambda _p, sent, _s: seen.append(sent))
        try:
            transport.prepare()
            transport.upload(local, "big.bin", len(data), hashlib.md5(data).hexdigest())
            transport.upload(little, "README.md", len(small), hashlib.md5(small).hexdigest())
        finally:
            transport.close()
        (dep_id,) = server.state.depositions
        assert server.state.files_of(dep_id) == {"big.bin": data, "README.md": small}
    assert [url.rsplit("/", 1)[-1] for url in direct] == ["big.bin"]
    seen = seen[:-1]                                   # the README's one progress call
    assert journal.files["big.bin"].verified
    assert seen == sorted(seen) and seen[-1] == len(data) and len(seen) >= fileput.DIRECT_MIN // fileput.SLICE
    assert max(b - a for a, b in zip([0, *seen], seen, strict=False)) <= fileput.SLICE


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_over_tls_the_server_gets_the_same_bytes_and_checks_the_certificate(
        tmp_path: Path, token: str) -> None:
    cert_file, key_file = _self_signed(tmp_path)
    data = random_bytes(8, 2 * fileput.TLS_BUFFER + 99)
    local = tmp_path / "a.bin"
    local.write_bytes(data)
    with FakeZenodo(token) as server:
        served = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        served.load_cert_chain(cert_file, key_file)
        server.httpd.socket = served.wrap_socket(server.httpd.socket, server_side=True)
        dep_id = 1
        server.state.depositions[dep_id] = {"id": dep_id, "bucket": "b1", "state": "unsubmitted",
                                           "metadata": {}, "files": {}, "links": []}
        url = server.url.replace("http://", "https://") + "/api/files/b1/a.bin"
        trusting = ssl.create_default_context(cafile=str(cert_file))
        sent: list[int] = []
        answer = fileput.put_file(url, local, len(data), {"Authorization": f"Bearer {token}"},
                                  timeout=10, context=trusting, sent=sent.append)
        assert check_response(answer, "upload").json()["checksum"] == \
            "md5:" + hashlib.md5(data).hexdigest()
        assert server.state.files_of(dep_id) == {"a.bin": data} and sent[-1] == len(data)
        with pytest.raises(ssl.SSLCertVerificationError):   # the system CAs do not know it
            fileput.put_file(url, local, len(data), {}, timeout=10,
                             context=ssl.create_default_context())


def test_an_answer_before_the_body_is_read_is_reported_in_the_servers_words(
        tmp_path: Path) -> None:
    local = tmp_path / "huge.bin"
    local.write_bytes(random_bytes(9, 24 * 1024 * 1024))
    listener = socket.create_server(("127.0.0.1", 0))
    body = b'{"status": 413, "message": "Request Entity Too Large"}'

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                head += conn.recv(65536)
            conn.sendall(b"HTTP/1.1 413 Request Entity Too Large\r\nContent-Type: "
                         b"application/json\r\nConnection: close\r\nContent-Length: " +
                         str(len(body)).encode() + b"\r\n\r\n" + body)
            conn.shutdown(socket.SHUT_WR)
            conn.settimeout(5)
            try:
                while conn.recv(65536):   # an nginx-like lingering close
                    pass
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/api/files/b/huge.bin"
    answer = fileput.put_file(url, local, local.stat().st_size, {}, timeout=10)
    thread.join(10)
    listener.close()
    with pytest.raises(TransferError, match="HTTP 413: Request Entity Too Large"):
        check_response(answer, "huge.bin: upload")


def test_a_configured_proxy_keeps_the_upload_on_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "HTTP_PROXY",
                 "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert fileput.direct("https://zenodo.org/api/files/b/x")
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    assert not fileput.direct("https://zenodo.org/api/files/b/x")
    assert fileput.direct("http://zenodo.org/api/files/b/x")        # only https is proxied
    monkeypatch.setenv("no_proxy", "zenodo.org")
    assert fileput.direct("https://zenodo.org/api/files/b/x")
