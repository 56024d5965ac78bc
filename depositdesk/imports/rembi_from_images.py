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

import contextlib
import functools
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
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        return {}
    return dict(_metadata(str(path), st.st_size, st.st_mtime_ns))


@functools.lru_cache(maxsize=4096)
def _metadata(path_text: str, _size: int, _mtime_ns: int) -> dict[str, Any]:
    """image_metadata of one file state (size and mtime in the key: a changed file is read again)."""
    from depositdesk.validators.cache import ResultCache
    from depositdesk.validators.engine import cached_report

    path = Path(path_text)
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


# -- the REMBI section of a project -----------------------------------------------------------------

# SDRF column names (any of the kinds characteristics/comment/parameter value) per REMBI value
ORGANISM = ("organism",)
ENTITY = ("organism part", "cell type", "cell line", "biological entity")
METHOD = ("imaging method",)
INSTRUMENT = ("imaging instrument", "instrument model", "instrument")
COMPONENT = ("study component",)
CHANNELS = ("channel content", "channels")
_VALUE_KINDS = ("characteristics", "comment", "parameter_value", "factor_value")


class _Row:
    """One SDRF row with lookups by column name (first filled column of those names wins)."""

    def __init__(self, sdrf: Any, row: list[str]) -> None:
        self.sdrf, self.row = sdrf, row

    def value(self, names: tuple[str, ...]) -> str:
        return self.term(names)[0]

    def term(self, names: tuple[str, ...]) -> tuple[str, str, str]:
        """(value, term source, accession) of the first filled column named one of ``names``."""
        for name in names:
            for c, col in enumerate(self.sdrf.columns):
                if col.kind in _VALUE_KINDS and col.name.strip().lower() == name and self.row[c].strip():
                    source, accession = self.sdrf.companions(c)
                    return (self.row[c].strip(), self.row[source].strip() if source is not None else "",
                            self.row[accession].strip() if accession is not None else "")
        return "", "", ""

    def files(self) -> list[str]:
        return [self.row[c].strip() for c in self.sdrf.find_columns("file") if self.row[c].strip()
                and "://" not in self.row[c]]

    def pixel_size(self) -> dict[str, float]:
        out = {}
        for axis in "xyz":
            text = self.value((f"voxel size {axis} (µm)", f"pixel size {axis} (µm)"))
            try:
                out[axis] = float(text)
            except ValueError:
                continue
        return out


def rembi_from_project(project: Any, *, read_files: bool = True) -> dict[str, Any]:
    """The project's REMBI metadata in bia-agent's YAML layout (see the module docstring).

    ``read_files``: fill what the SDRF lacks (pixel size, channels, instrument) from the
    image files' own metadata (the validation cache, else their headers).
    """
    rows = [_Row(sdrf, row) for sdrf in project.sdrfs for row in sdrf.rows]
    meta = {id(r): _row_metadata(project, r, read_files) for r in rows}
    biosamples, sample_of = _biosamples(rows)
    specimens = _specimens(project.idf)
    acquisitions, acquisition_of = _acquisitions(project.idf, rows, meta)
    components: dict[str, dict[str, Any]] = {}
    associations: dict[str, dict[str, str]] = {}
    description = project.idf.first("Experiment Description")
    for r in rows:
        name = r.value(COMPONENT) or (Path(r.sdrf.path.name).stem.removesuffix(".sdrf")
                                      if r.sdrf.path is not None else "Study component 1")
        if name in components:
            continue
        components[name] = {"name": name, "description": description, "rembi_version": REMBI_VERSION}
        associations[name] = {"biosample_id": sample_of.get(id(r), next(iter(biosamples))),
                              "specimen_id": next(iter(specimens)),
                              "acquisition_id": acquisition_of.get(id(r), next(iter(acquisitions)))}
    if not components:
        components["Study component 1"] = {"name": "Study component 1", "description": description,
                                           "rembi_version": REMBI_VERSION}
        associations["Study component 1"] = {"biosample_id": next(iter(biosamples)),
                                             "specimen_id": next(iter(specimens)),
                                             "acquisition_id": next(iter(acquisitions))}
    return {"study": _study(project.idf), "biosamples": biosamples, "specimens": specimens,
            "acquisitions": acquisitions, "study_component": components, "associations": associations}


def _study(idf: Any) -> dict[str, Any]:
    import datetime

    release: Any = idf.first("Public Release Date")
    with contextlib.suppress(ValueError):
        release = datetime.date.fromisoformat(release) if release else ""
    keywords = [k.strip() for v in idf.get("Comment[Keywords]") for k in v.split(";") if k.strip()]
    authors = [{"first_name": p.get("Person First Name", ""), "last_name": p.get("Person Last Name", ""),
                "email": p.get("Person Email", ""), "role": p.get("Person Roles", ""),
                "affiliation": {"name": p.get("Person Affiliation", ""), "address": p.get("Person Address", "")}}
               for p in idf.records("person") if p.get("Person Last Name") or p.get("Person First Name")]
    publications = [{"title": p.get("Publication Title", ""), "authors": p.get("Publication Author List", ""),
                     "doi": p.get("Publication DOI", ""), "pubmed_id": p.get("PubMed ID", "")}
                    for p in idf.records("publication") if any(p.values())]
    study: dict[str, Any] = {"title": idf.first("Investigation Title"),
                             "description": idf.first("Experiment Description"),
                             "private_until_date": release, "keywords": keywords, "authors": authors}
    if publications:
        study["publications"] = publications
    study["rembi_version"] = REMBI_VERSION
    return study


def _biosamples(rows: list[_Row]) -> tuple[dict[str, dict[str, Any]], dict[int, str]]:
    out: dict[str, dict[str, Any]] = {}
    of: dict[int, str] = {}
    for r in rows:
        organism, _, accession = r.term(ORGANISM)
        entity = r.value(ENTITY)
        title = " ".join(p for p in (organism, entity) if p) or "Biosample 1"
        of[id(r)] = title
        if title not in out:
            out[title] = {"organism": {"scientific_name": organism, "common_name": "",
                                       "ncbi_taxon": _ncbi_taxon(accession)},
                          "biological_entity": entity, "description": ""}
    if not out:
        out["Biosample 1"] = {"organism": {"scientific_name": "", "common_name": "", "ncbi_taxon": ""},
                              "biological_entity": "", "description": ""}
    return out, of


def _ncbi_taxon(accession: str) -> str:
    """bia-agent writes NCBI:txid<N>; SDRFs hold NCBITaxon:<N>, NCBITaxon_<N> or an IRI."""
    digits = accession.rsplit("_", 1)[-1].rsplit(":", 1)[-1].removeprefix("txid")
    return f"NCBI:txid{digits}" if digits.isdigit() else accession


def _specimens(idf: Any) -> dict[str, dict[str, str]]:
    out = {p.get("Protocol Name") or f"Specimen {i + 1}": {"sample_preparation": p.get("Protocol Description", "")}
           for i, p in enumerate(idf.records("protocol"))
           if "sample preparation" in p.get("Protocol Type", "").lower()}
    return out or {"Specimen 1": {"sample_preparation": ""}}


def _acquisitions(idf: Any, rows: list[_Row], meta: dict[int, dict[str, Any]]
                  ) -> tuple[dict[str, dict[str, Any]], dict[int, str]]:
    protocol = next((p.get("Protocol Description", "") for p in idf.records("protocol")
                     if "acquisition" in p.get("Protocol Type", "").lower()), "")
    groups: dict[str, list[_Row]] = {}
    methods: dict[str, tuple[str, str, str]] = {}
    for r in rows:
        instrument = meta[id(r)].get("instrument") or ""
        groups.setdefault(instrument, []).append(r)
        if r.value(METHOD):
            methods.setdefault(instrument, r.term(METHOD))
    out: dict[str, dict[str, Any]] = {}
    of: dict[int, str] = {}
    for number, (instrument, members) in enumerate(groups.items() or [("", [])], start=1):
        title = instrument or f"Image acquisition {number}"
        value, source, accession = methods.get(instrument, ("", "", ""))
        out[title] = {"imaging_method": {"value": value, "ontology_id": _term_iri(accession),
                                         "ontology_name": source},
                      "imaging_instrument": instrument,
                      "image_acquisition_parameters": _parameters(protocol, [meta[id(r)] for r in members])}
        for r in members:
            of[id(r)] = title
    return out, of


def _term_iri(accession: str) -> str:
    """FBbi:00000251 -> http://purl.obolibrary.org/obo/FBbi_00000251 (bia-agent gives IRIs)."""
    if not accession or "://" in accession:
        return accession
    return "http://purl.obolibrary.org/obo/" + accession.replace(":", "_", 1)


def _row_metadata(project: Any, r: _Row, read_files: bool) -> dict[str, Any]:
    """Instrument, pixel size, channels of one row: its SDRF cells, else its image file's metadata."""
    out: dict[str, Any] = {"instrument": r.value(INSTRUMENT), "pixel_size_um": r.pixel_size(),
                           "channels": [c.strip() for c in r.value(CHANNELS).split(";") if c.strip()]}
    if read_files and not (out["instrument"] and out["pixel_size_um"] and out["channels"]):
        for name in r.files()[:1]:
            found = image_metadata(Path(project.folder) / name)
            out["instrument"] = out["instrument"] or found.get("instrument") or ""
            out["pixel_size_um"] = out["pixel_size_um"] or dict(found.get("pixel_size_um") or {})
            out["channels"] = out["channels"] or [c for c in found.get("channels") or [] if c]
    return out


def _parameters(protocol: str, metas: list[dict[str, Any]]) -> str:
    """'Pixel size 0.65 x 0.65 µm (2 images); channels: DAPI, GFP' from the files of an acquisition."""
    sizes: dict[str, int] = {}
    channels: dict[str, None] = {}
    for m in metas:
        px = m.get("pixel_size_um") or {}
        if px:
            key = " x ".join(f"{px[a]:.4g}" for a in "xyz" if a in px) + " µm"
            sizes[key] = sizes.get(key, 0) + 1
        channels.update(dict.fromkeys(m.get("channels") or []))
    parts = [protocol.strip().rstrip(".")] if protocol.strip() else []
    if sizes:
        parts.append("Pixel size " + "; ".join(f"{k} ({n} image{'s' if n > 1 else ''})" for k, n in sizes.items()))
    missing = sum(1 for m in metas if not m.get("pixel_size_um"))
    if missing:
        parts.append(f"pixel size unknown for {missing} image{'s' if missing > 1 else ''}")
    if channels:
        parts.append("channels: " + ", ".join(channels))
    return ". ".join(parts)


def rembi_path(project: Any) -> Path:
    from depositdesk.magetab.project import STATE_FOLDER

    return Path(project.folder) / STATE_FOLDER / REMBI_FILE


def write_rembi(project: Any, data: dict[str, Any] | None = None) -> Path:
    """Write ``.depositdesk/rembi.yaml`` atomically (``data`` or `rembi_from_project`); its path."""
    import yaml

    from depositdesk.magetab.textio import atomic_write

    data = rembi_from_project(project) if data is None else data
    path = rembi_path(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    return path
