"""Online refresh: fetch an ontology release by its PURL, check it, index it, keep it for offline use.

Downloads go to a temporary file beside the cache and are only registered once
complete and readable, so a dropped connection leaves the last good copy in
use. The base address is configurable (``DEPOSITDESK_ONTOLOGY_BASE_URL`` or
``--base-url``): tests serve ../shared/ontologies from 127.0.0.1.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from depositdesk import __version__
from depositdesk.ontology import building
from depositdesk.ontology.index import BuildSummary
from depositdesk.ontology.readers import SourceError, sniff_kind
from depositdesk.ontology.service import TermService
from depositdesk.progress import Progress, Task

OBO_PURL_BASE = "http://purl.obolibrary.org/obo/"
BASE_URL_ENV = "DEPOSITDESK_ONTOLOGY_BASE_URL"

# name -> path under the base address (OBO Foundry PURLs); EDAM lives outside the OBO PURL space.
REFRESH_FILES: dict[str, str] = {
    "OBI": "obi.obo", "SO": "so.obo", "FBbi": "fbbi.owl", "BTO": "bto.obo", "UO": "uo.obo",
    "PATO": "pato.obo", "FBdv": "fbdv.obo", "WBls": "wbls.obo", "WBbt": "wbbt.obo", "NCIT": "ncit.obo",
    "EDAM": "http://edamontology.org/EDAM.owl",
}
CHUNK = 1 << 16


class DownloadError(Exception):
    """str() is one sentence for a person."""


def url_for(name: str, base_url: str | None = None, files: dict[str, str] | None = None) -> str:
    files = files if files is not None else REFRESH_FILES
    key = next((k for k in files if k.lower() == name.lower()), None)
    if key is None:
        raise DownloadError(f"no download address is known for {name}; give its URL instead")
    path = files[key]
    base = base_url or os.environ.get(BASE_URL_ENV)
    if path.startswith(("http://", "https://")):
        return f"{base.rstrip('/')}/{path.rsplit('/', 1)[-1]}" if base else path
    return f"{(base or OBO_PURL_BASE).rstrip('/')}/{path}"


def download(url: str, target_dir: Path, timeout: float = 60.0) -> Task[Path]:
    """Fetch ``url`` into ``target_dir`` (atomically); yields byte progress."""
    target_dir.mkdir(parents=True, exist_ok=True)
    name = url.rstrip("/").rsplit("/", 1)[-1] or "ontology"
    final = target_dir / name
    tmp = target_dir / f"{name}.tmp-{os.getpid()}"
    request = urllib.request.Request(url, headers={"User-Agent": f"DepositDesk/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, open(tmp, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            done = 0
            while block := response.read(CHUNK):
                out.write(block)
                done += len(block)
                yield Progress(done, total, f"downloading {name}")
        if total is not None and done != total:
            raise DownloadError(f"{url}: the download stopped after {done:,} of {total:,} bytes")
        os.replace(tmp, final)
        return final
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"could not download {url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(f"could not download {url}: {reason}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def add_url(service: TermService, url: str) -> Task[BuildSummary]:
    """Download an OBO/OWL file, verify that it is one, index it and keep it."""
    path = yield from download(url, service.root / "downloads")
    try:
        sniff_kind(path)
    except SourceError as exc:
        raise DownloadError(f"{url} did not give an ontology file: {exc}") from exc
    source = building.prepare_file(service.registry, path, origin="download", url=url)
    path.unlink(missing_ok=True)  # the registry keeps its own copy, named by checksum
    return (yield from service.add_source(source))


def refresh(service: TermService, names: Sequence[str], base_url: str | None = None) -> Task[list[BuildSummary]]:
    out = []
    for name in names:
        summary = yield from add_url(service, url_for(name, base_url))
        out.append(summary)
    return out
