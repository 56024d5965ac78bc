"""REMBI from the images: a project's ``.depositdesk/rembi.yaml`` prefilled from IDF, SDRF and files.

The layout is bia-agent's REMBI YAML (``rembi-metadata.yaml``, REMBI 1.5), so the BioImage
Archive package converter reads it directly: ``study`` (title, description,
private_until_date, keywords, authors, publications, rembi_version), ``biosamples``,
``specimens``, ``acquisitions``, ``study_component`` and ``associations`` - each a mapping
from a title to its fields, the associations naming those titles.

Where the values come from:
- study: the IDF (Investigation Title, Experiment Description, Public Release Date,
  Comment[Keywords], the persons, the publications);
- biosamples: one per organism of the SDRF (``Characteristics[organism]`` with its term
  accession as ``ncbi_taxon``, organism part / cell type / cell line as biological entity);
- specimens: the IDF's sample preparation protocols;
- acquisitions: one per instrument, from the SDRF (``Comment[instrument model]``,
  ``Comment[imaging method]`` and its FBbi term) or else the image files' own metadata;
  ``image_acquisition_parameters`` summarises the pixel sizes (µm), channels and objectives
  read from the files (the validation cache when a file was validated, else its header);
- study_component: one per ``Comment[study component]`` value (an OMERO dataset), else one
  per SDRF; its file list is the SDRF rows carrying that value (``Image File``), listed under
  ``associations`` of the same key.
Nothing is invented: a value the project does not hold is left empty for the curator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

IMAGE_FORMATS = ("tiff", "png", "jpeg", "czi", "lif", "nd2", "oir")
REMBI_FILE = "rembi.yaml"
REMBI_VERSION = "1.5"


# -- one image file's metadata --------------------------------------------------------------------


def image_metadata(path: Path) -> dict[str, Any]:
    """Pixel size (µm per axis), instrument, channels and format of one image file or OME-Zarr.

    The validation cache's report when the file was validated unchanged; else the format's
    validator is run on the file's header alone (no md5 pass). {} for what is no image.
    """
    from depositdesk.validators.cache import ResultCache
    from depositdesk.validators.engine import cached_report

    path = Path(path)
    cache = ResultCache()
    try:
        hit = cached_report(path, "spec", cache)
    finally:
        cache.close()
    if hit is not None:
        return _picked(hit.format, hit.stats)
    try:
        return _read_header(path)
    except Exception:  # an unreadable file: its validation says why; here it only has no metadata
        return {}


def _read_header(path: Path) -> dict[str, Any]:
    from depositdesk.progress import run
    from depositdesk.validators.base import Context, Source, validator_for
    from depositdesk.validators.engine import sniff
    from depositdesk.validators.formats import omezarr

    ctx = Context(str(path))
    if omezarr.is_store(path):
        return _picked(omezarr.STORE_FORMAT, omezarr._check_metadata(path, ctx))
    if not path.is_file():
        return {}
    sniffed = sniff(path)
    cls = validator_for(sniffed.format) if sniffed.format in IMAGE_FORMATS else None
    if cls is None:
        return {}
    stats = run(cls().run(Source(path, sniffed, path.stat().st_size, md5=None), ctx))
    return _picked(sniffed.format, stats or {})


def _picked(fmt: str | None, stats: dict[str, Any]) -> dict[str, Any]:
    keys = ("pixel_size_um", "instrument", "channels", "compression", "shape", "axes", "raw")
    return {"format": fmt, **{k: stats[k] for k in keys if k in stats}}
