"""Online refresh against a real HTTP server on 127.0.0.1 serving the corpus files."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from depositdesk.app.cli import main
from depositdesk.ontology.refresh import DownloadError, add_url, refresh, url_for
from depositdesk.ontology.service import TermService
from depositdesk.progress import run


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def ontology_server(shared: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(shared / "ontologies"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_refresh_downloads_indexes_and_keeps_for_offline(tmp_path, ontology_server):
    service = TermService(tmp_path / "cache")
    summaries = run(refresh(service, ["OBI", "SO"], base_url=f"{ontology_server}/obo"))
    assert [s.name for s in summaries] == ["OBI", "SO"]
    assert service.lookup("OBI:0000716").label == "ChIP-seq assay"
    offline = TermService(tmp_path / "cache")  # a later start, server gone or not
    assert offline.available()["SO"] == "ready"
    assert offline.sources()["SO"].origin == "download"
    assert Path(offline.sources()["SO"].path).is_file()


def test_owl_outside_the_obo_purls_uses_the_base_url(tmp_path, ontology_server):
    assert url_for("EDAM") == "http://edamontology.org/EDAM.owl"
    assert url_for("EDAM", f"{ontology_server}/owl") == f"{ontology_server}/owl/EDAM.owl"
    service = TermService(tmp_path / "cache")
    run(refresh(service, ["edam"], base_url=f"{ontology_server}/owl"))
    assert service.lookup("EDAM:topic_3169").label == "ChIP-seq"


def test_failed_download_keeps_the_last_good_copy(tmp_path, ontology_server):
    service = TermService(tmp_path / "cache")
    run(add_url(service, f"{ontology_server}/obo/uo.obo"))
    with pytest.raises(DownloadError, match="404"):
        run(add_url(service, f"{ontology_server}/obo/missing.obo"))
    with pytest.raises(DownloadError, match="did not give an ontology"):
        run(add_url(service, f"{ontology_server}/README.md"))
    assert service.lookup("UO:0000010") is not None
    assert not list((tmp_path / "cache" / "downloads").glob("*.tmp-*"))


def test_cli_add_url(tmp_path, ontology_server, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert main(["ontology", "add", f"{ontology_server}/obo/fbdv.obo"]) == 0
    assert "FBdv: 217 terms" in capsys.readouterr().out
    assert main(["ontology", "add", "http://127.0.0.1:9/nothing.obo"]) == 2
    assert "could not download" in capsys.readouterr().err
