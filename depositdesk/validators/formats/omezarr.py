"""OME-Zarr (OME-NGFF 0.4 and 0.5) image stores: metadata, every declared array, and an md5.

An OME-Zarr is a folder, not a file, so it is checked by `check_store`, which
the engine's `validate_file` calls for a store. It is read with zarr (v2
stores for NGFF 0.4, v3 for 0.5): the ``multiscales`` metadata (0.4 in the
group attributes, 0.5 under ``attributes.ome``), its axes (names, types,
units for space and time axes), each dataset's coordinate transformations
(a ``scale`` with one value per axis, an optional ``translation``), and every
dataset array opened (IMG-ZARR-ARRAY-MISSING when one is gone, for example
after an interrupted copy).

The md5 of a directory store is defined as the md5 of its manifest: one line
``<md5 of the file>  <path relative to the store, '/' separators>`` per file
of the store, sorted by path (byte order), each line ending in a newline - the
output of ``md5sum`` over the store's files sorted with ``LC_ALL=C sort``, so
that anyone can recompute it::

    cd store.zarr && find . -type f -printf '%P\\n' | LC_ALL=C sort | xargs -d '\\n' md5sum | md5sum

The manifest itself is returned in the statistics (``manifest``: path -> md5)
so a package can list every chunk file.

A store is one item for the engine (`is_store`): ``depositdesk validate
image.zarr`` and a folder walk keep it whole and call `check_store` on it. Its
cache key (`store_key`) is made from the listing of its files (path, size,
mtime), so a store is re-read only when one of its files changed.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from depositdesk.progress import Progress, Task
from depositdesk.validators.base import CHUNK, Context
from depositdesk.validators.formats import _image_codes as C
from depositdesk.validators.formats._tiff_meta import to_um

if TYPE_CHECKING:
    from depositdesk.validators.engine import FileReport

SPACE_UNITS = {"angstrom", "attometer", "centimeter", "decimeter", "exameter", "femtometer", "foot",
               "gigameter", "hectometer", "inch", "kilometer", "megameter", "meter", "micrometer", "mile",
               "millimeter", "nanometer", "parsec", "petameter", "picometer", "terameter", "yard",
               "yoctometer", "yottameter", "zeptometer", "zettameter"}
TIME_UNITS = {"attosecond", "centisecond", "day", "decisecond", "exasecond", "femtosecond", "gigasecond",
              "hectosecond", "hour", "kilosecond", "megasecond", "microsecond", "millisecond", "minute",
              "nanosecond", "petasecond", "picosecond", "second", "terasecond", "yoctosecond",
              "yottasecond", "zeptosecond", "zettasecond"}


STORE_FORMAT = "ome-zarr"
STORE_VERSION = "2"
"""Version of `check_store`'s verdicts: the cache keys on it, as on a format validator's version."""


def is_ome_zarr(path: Path) -> bool:
    """A folder that holds Zarr group metadata (v2 .zgroup/.zattrs or v3 zarr.json)."""
    return path.is_dir() and any((path / n).is_file() for n in (".zattrs", ".zgroup", "zarr.json"))


def is_store(path: Path) -> bool:
    """A folder the engine checks as one item: named *.zarr, or holding Zarr group metadata."""
    path = Path(path)
    return path.is_dir() and (path.suffix.lower() == ".zarr" or is_ome_zarr(path))


def store_key(path: Path, variant: str) -> tuple[str, int, int, str]:
    """The cache key of a store's present state: (absolute path, total bytes, fingerprint, variant).

    The fingerprint (in the key's mtime place) is 63 bits of the sha1 of every file's relative
    path, size and mtime_ns: any file added, removed, resized or touched changes it.
    Raises OSError when the folder cannot be listed.
    """
    absolute = Path(os.path.abspath(path))
    listing = hashlib.sha1()
    total = 0
    for rel, p in _files(absolute):
        st = p.stat()
        total += st.st_size
        listing.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    fingerprint = int.from_bytes(listing.digest()[:8], "big") >> 1
    return str(absolute), total, fingerprint, variant


def _files(root: Path) -> list[tuple[str, Path]]:
    """Every file of the store as (path relative to it with '/', path), sorted by the name's bytes."""
    files = [(p.relative_to(root).as_posix(), p) for p in root.rglob("*") if p.is_file()]
    files.sort(key=lambda item: item[0].encode())
    return files


def check_store(path: Path, profile: str = "spec") -> Task[FileReport]:
    """Check an OME-Zarr folder; the report's md5 is the manifest md5 (see the module docstring)."""
    from depositdesk.validators.engine import FileReport  # the engine imports this package

    started = time.monotonic()
    ctx = Context(str(path), profile)
    stats = _check_metadata(Path(path), ctx)
    manifest, size = yield from _manifest(Path(path))
    text = "".join(f"{md5}  {rel}\n" for rel, md5 in manifest)
    stats["manifest"] = dict(manifest)
    stats["files"] = len(manifest)
    report = FileReport(str(path), STORE_FORMAT, None, size, hashlib.md5(text.encode()).hexdigest(),
                        ctx.findings(), stats)
    report.seconds = time.monotonic() - started
    return report


def _manifest(root: Path) -> Task[tuple[list[tuple[str, str]], int]]:
    files = _files(root)
    total = sum(p.stat().st_size for _, p in files)
    done, out = 0, []
    for rel, p in files:
        md5 = hashlib.md5()
        with open(p, "rb") as handle:
            while block := handle.read(CHUNK):
                md5.update(block)
                done += len(block)
        out.append((rel, md5.hexdigest()))
        yield Progress(done, total, "md5 of the store's files")
    return out, total


def _check_metadata(root: Path, ctx: Context) -> dict[str, Any]:
    import zarr  # imported here: only stores need it, and it is slow to import

    try:
        group = zarr.open_group(str(root), mode="r")
        attrs: dict[str, Any] = dict(group.attrs.asdict())
    except Exception as exc:  # zarr raises FileNotFoundError, ValueError, its own errors
        ctx.report(C.ZARR_NOT_NGFF, f"zarr cannot open the folder as a group: {exc}")
        return {}
    ome: dict[str, Any] = attrs["ome"] if isinstance(attrs.get("ome"), dict) else attrs
    if "bioformats2raw.layout" in ome:
        return _check_series(group, ctx)
    return _check_image(group, ome, ctx)


def _check_image(group: Any, ome: dict[str, Any], ctx: Context, prefix: str = "") -> dict[str, Any]:
    """One multiscales image group (its ``ome`` attributes); the statistics of its first multiscales."""
    multiscales: Any = ome.get("multiscales")
    version = str(ome.get("version") or (multiscales[0].get("version", "") if multiscales
                                         and isinstance(multiscales[0], dict) else ""))
    if not isinstance(multiscales, list) or not multiscales or not isinstance(multiscales[0], dict):
        ctx.report(C.ZARR_NOT_NGFF, f"{prefix}the group has no 'multiscales' metadata")
        return {"ngff": version}
    stats: dict[str, Any] = {"ngff": version, "multiscales": len(multiscales)}
    for number, ms in enumerate(multiscales):
        axes = _check_axes(ms, number, ctx, prefix)
        levels = _check_datasets(group, ms, axes, number, ctx, prefix)
        if number == 0:
            stats.update(axes="".join(str(a.get("name", "?")) for a in axes), levels=levels,
                         pixel_size_um=_pixel_size(ms, axes))
    return stats


def _check_series(group: Any, ctx: Context) -> dict[str, Any]:
    """The bioformats2raw layout (NGFF 'bioformats2raw.layout': 3): an image group per series.

    The series are those the ``OME`` group's ``series`` attribute lists, else the numbered
    child groups; each is checked as an image, a listed one that is absent is missing.
    """
    listed: list[str] | None = None
    try:
        meta = dict(group["OME"].attrs.asdict())
        meta = meta["ome"] if isinstance(meta.get("ome"), dict) else meta
        if isinstance(meta.get("series"), list):
            listed = [str(s) for s in meta["series"]]
    except (KeyError, FileNotFoundError, ValueError, TypeError):
        pass
    names = listed if listed is not None else sorted((k for k in group.group_keys() if k.isdigit()), key=int)
    if not names:
        ctx.report(C.ZARR_NOT_NGFF, "a bioformats2raw layout without any image series (0, 1, ...)")
        return {"layout": "bioformats2raw", "series": 0}
    stats: dict[str, Any] = {}
    for name in names:
        try:
            child = group[name]
            attrs = dict(child.attrs.asdict())
        except (KeyError, FileNotFoundError, ValueError, TypeError):
            ctx.report(C.ZARR_ARRAY_MISSING, f"series {name!r}, listed in OME/.zattrs, is not in the store")
            continue
        ome = attrs["ome"] if isinstance(attrs.get("ome"), dict) else attrs
        found = _check_image(child, ome, ctx, prefix=f"series {name}: ")
        stats = stats or found
    return {**stats, "layout": "bioformats2raw", "series": len(names)}


def _check_axes(ms: dict[str, Any], number: int, ctx: Context, prefix: str = "") -> list[dict[str, Any]]:
    axes = ms.get("axes")
    if not isinstance(axes, list) or not axes:
        ctx.report(C.ZARR_AXES, f"{prefix}multiscales {number}: no 'axes' (NGFF 0.4 and later require them)")
        return []
    axes = [a if isinstance(a, dict) else {"name": str(a)} for a in axes]
    for axis in axes:
        kind, unit = axis.get("type"), axis.get("unit")
        allowed = SPACE_UNITS if kind == "space" else TIME_UNITS if kind == "time" else None
        if allowed is None:
            continue
        if not unit:
            ctx.report(C.ZARR_AXES, f"{prefix}multiscales {number}: {kind} axis {axis.get('name')!r} has no unit")
        elif unit not in allowed:
            ctx.report(C.ZARR_AXES, f"{prefix}multiscales {number}: axis {axis.get('name')!r} has unit {unit!r}, "
                       f"not one of NGFF's {kind} units")
    if not any(a.get("type") == "space" for a in axes):
        ctx.report(C.ZARR_AXES, f"{prefix}multiscales {number}: no axis of type 'space'")
    return axes


def _check_datasets(group: Any, ms: dict[str, Any], axes: list[dict[str, Any]], number: int,
                    ctx: Context, prefix: str = "") -> int:
    datasets = ms.get("datasets")
    if not isinstance(datasets, list) or not datasets:
        ctx.report(C.ZARR_NOT_NGFF, f"{prefix}multiscales {number}: no 'datasets'")
        return 0
    present = 0
    for ds in datasets:
        where = f"{prefix}multiscales {number} dataset {ds.get('path')!r}"
        _check_transforms(ds, len(axes), where, ctx)
        try:
            array = group[str(ds.get("path"))]
            shape = array.shape
        except (KeyError, FileNotFoundError, ValueError, TypeError) as exc:
            ctx.report(C.ZARR_ARRAY_MISSING, f"{where}: the array is not in the store ({exc or 'missing'})")
            continue
        present += 1
        if axes and len(shape) != len(axes):
            ctx.report(C.ZARR_AXES, f"{where}: the array has {len(shape)} dimensions, {len(axes)} axes")
    return present


def _check_transforms(ds: dict[str, Any], n_axes: int, where: str, ctx: Context) -> None:
    transforms = ds.get("coordinateTransformations")
    if not isinstance(transforms, list) or not transforms:
        ctx.report(C.ZARR_TRANSFORM, f"{where}: no coordinateTransformations")
        return
    scales = [t for t in transforms if isinstance(t, dict) and t.get("type") == "scale"]
    if len(scales) != 1 or transforms[0] is not scales[0]:
        ctx.report(C.ZARR_TRANSFORM, f"{where}: exactly one 'scale' must come first")
        return
    for t in transforms:
        values = t.get(t.get("type", ""), None) if isinstance(t, dict) else None
        if t.get("type") in ("scale", "translation") and (
                not isinstance(values, list) or (n_axes and len(values) != n_axes)):
            ctx.report(C.ZARR_TRANSFORM, f"{where}: the {t.get('type')} needs one number per axis "
                       f"({n_axes}), it has {values!r}")


def _pixel_size(ms: dict[str, Any], axes: list[dict[str, Any]]) -> dict[str, float]:
    try:
        scale = ms["datasets"][0]["coordinateTransformations"][0]["scale"]
    except (KeyError, IndexError, TypeError):
        return {}
    out = {}
    for axis, value in zip(axes, scale, strict=False):
        unit = str(axis.get("unit", "")).replace("meter", "m").replace("micro", "µ").replace("nano", "n")
        unit = unit.replace("milli", "m").replace("centi", "c")
        if axis.get("type") == "space" and isinstance(value, int | float):
            um = to_um(float(value), unit)
            if um is not None:
                out[str(axis.get("name"))] = um
    return out

