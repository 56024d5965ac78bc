"""TIFF, BigTIFF and OME-TIFF validator (tifffile).

One pass over the structure: every IFD (page) is read, every strip/tile byte
range must lie inside the file (else IMG-TRUNCATED), and the first and last
strip/tile of every series (each pyramid level included) is read and decoded.
Then what a curator asks of a microscope image: the compression (lossy ones -
JPEG, lossy JPEG 2000, lossy WebP, JPEG XL/XR - give IMG-LOSSY, a warning
unless a target such as BIA or IDR raises it), the pixel size with a unit (OME
PhysicalSizeX/Y/Z, ImageJ unit/spacing or TIFF resolution tags), the
instrument (OME Instrument or TIFF Make/Model), the OME-XML validated with
ome-types, the files of a multi-file OME-TIFF fileset (present, UUIDs
matching) and the channel names.

tifffile opens the path itself and reads only the headers and a few segments
(small random reads). The validator never calls ``source.open_raw()``, so the
engine hashes the whole file in one sequential read right after it
(``hashes_raw_bytes`` stays True): for the many small files of an imaging
study that is faster than a hashing thread per file (measured in
bench/bench_tiff.py), and for a large file the structure scan is a fraction of
a second before the md5 pass.
"""

from __future__ import annotations

from typing import Any

import tifffile

from depositdesk.progress import Task
from depositdesk.validators.base import Context, FormatValidator, Source, register
from depositdesk.validators.formats import _image_codes as C
from depositdesk.validators.formats import _tiff_meta as meta
from depositdesk.validators.formats import _tiff_raw as raw
from depositdesk.validators.formats._tiff_chain import cut_short
from depositdesk.validators.formats._tiff_log import TiffLog
from depositdesk.validators.formats._tiff_segments import lossy_reason

PROGRESS_EVERY = 64
SEGMENT_LIMIT = 64 * 1024 * 1024  # larger strips/tiles are range-checked only (memory stays bounded)


@register
class TiffValidator(FormatValidator):
    format = "tiff"
    version = "5"  # 5: the OME instrument reads "Zeiss LSM 980", not "Zeiss, LSM 980"

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        log = TiffLog()
        stats: dict[str, Any] = {}
        try:
            with log:
                tif = tifffile.TiffFile(source.path)
        except Exception as exc:  # tifffile raises TiffFileError, ValueError, struct.error ...
            ctx.report(_unreadable_code(exc, source.size), f"tifffile cannot open the file: {exc}")
            return stats
        with tif:
            task = scan(tif, source, ctx)
            while True:  # the log is taken around each step only: this generator may pause anywhere
                try:
                    with log:
                        tick = next(task)
                except StopIteration as stop:
                    stats = stop.value
                    break
                yield tick
        structural = {f.code for f in ctx.collector} & {C.UNREADABLE, C.TRUNCATED}
        if not structural and (cut := cut_short(source.path, source.size)):
            ctx.report(C.TRUNCATED, cut)  # a missing end tifffile worked around: it is cut short
            structural = {C.TRUNCATED}
        for message in log.messages if not structural else ():  # else the error says it already
            ctx.report(C.TIFF_DAMAGED, f"tifffile: {message}")
        return stats


def _unreadable_code(exc: BaseException, size: int) -> str:
    text = str(exc).lower()
    return C.TRUNCATED if ("beyond" in text or "eof" in text or "truncat" in text) else C.UNREADABLE


def scan(tif: tifffile.TiffFile, source: Source, ctx: Context) -> Task[dict[str, Any]]:
    """The structural pass and the metadata checks of an open TIFF; returns the statistics."""
    size = source.size
    pages, cut, compressions = 0, False, set()
    try:
        for page in tif.pages:
            pages += 1
            if isinstance(page, tifffile.TiffPage):
                compressions.add(_compression_name(page))
                cut = _check_ranges(page, size, ctx) or cut
            if pages % PROGRESS_EVERY == 0:
                yield source.progress(f"IFD {pages:,}")
    except Exception as exc:
        ctx.report(C.UNREADABLE, f"IFD {pages} cannot be read: {exc}")
    if not pages:
        ctx.report(C.UNREADABLE, _no_ifd_reason(tif, size))
        return {"pages": 0}
    stats: dict[str, Any] = {"pages": pages, "bigtiff": tif.is_bigtiff, "ome": tif.is_ome,
                             "compression": sorted(compressions)}
    try:
        series = tif.series
    except Exception as exc:
        ctx.report(C.UNREADABLE, f"the image series cannot be assembled: {exc}")
        return stats
    if series:
        first = series[0]
        stats.update(axes=first.axes, shape=list(first.shape), dtype=str(first.dtype),
                     series=len(series), levels=len(first.levels))
    if not cut:
        try:
            yield from _decode_ends(tif, series, source, ctx)
        except Exception as exc:  # a damaged IFD that tifffile let through until now
            ctx.report(C.UNREADABLE, f"the image pages cannot be read: {type(exc).__name__}: {exc}")
    try:
        _check_lossy(series, tif, ctx)
        stats.update(_metadata(tif, source, ctx))
    except Exception as exc:  # a tag of an unexpected type, a damaged description
        ctx.report(C.UNREADABLE, f"the image metadata cannot be read: {type(exc).__name__}: {exc}")
    return stats


def _no_ifd_reason(tif: tifffile.TiffFile, size: int) -> str:
    """Why a TIFF has no page: usually the header's first-IFD offset points past the end."""
    at, width = (8, 8) if tif.is_bigtiff else (4, 4)
    tif.filehandle.seek(at)
    first = int.from_bytes(bytes(tif.filehandle.read(width)), "little" if tif.byteorder == "<" else "big")
    if first >= size:
        return f"the header puts the first IFD at byte {first:,}, past the end of the file ({size:,} bytes)"
    return "the file has no readable IFD (image directory)"


def _compression_name(page: tifffile.TiffPage) -> str:
    comp = page.compression
    return getattr(comp, "name", str(comp))


def _check_ranges(page: tifffile.TiffPage, size: int, ctx: Context) -> bool:
    """Every strip/tile of the page inside the file; True when one lies past its end."""
    for i, (offset, count) in enumerate(zip(page.dataoffsets, page.databytecounts, strict=False)):
        if count and offset + count > size:
            kind = "tile" if page.is_tiled else "strip"
            ctx.report(C.TRUNCATED, f"IFD {page.index}: {kind} {i} of {len(page.dataoffsets)} spans bytes "
                       f"{offset:,}..{offset + count:,}, the file has {size:,} bytes")
            return True
    return False


def _decode_ends(tif: tifffile.TiffFile, series: list[Any], source: Source,
                 ctx: Context) -> Task[None]:
    """Decode the first and the last strip/tile of each series and pyramid level."""
    fh = tif.filehandle
    for number, s in enumerate(series):
        for level in s.levels:
            pages = [p for p in (level.pages[0], level.pages[-1]) if p is not None]
            for page in {id(p): p for p in pages}.values():
                if not isinstance(page, tifffile.TiffPage):
                    page = page.aspage()  # noqa: PLW2901 - a TiffFrame: read it as a page
                _decode_page_ends(page, fh, ctx)
            yield source.progress(f"decoding series {number}")


def _decode_page_ends(page: tifffile.TiffPage, fh: Any, ctx: Context) -> None:
    n = len(page.dataoffsets)
    if n != len(page.databytecounts) or (not n and page.shape and 0 not in page.shape):
        ctx.report(C.UNREADABLE, f"IFD {page.index}: {n} strip/tile offsets but {len(page.databytecounts)} "
                   "byte counts: the pixel data cannot be located")
        return
    for index in sorted({0, n - 1}) if n else ():
        offset, count = page.dataoffsets[index], page.databytecounts[index]
        if not count or count > SEGMENT_LIMIT:  # uncompressed planes are often one strip of GBs:
            continue                            # their byte range was checked, decoding adds nothing
        fh.seek(offset)
        data = fh.read(count)
        try:
            page.decode(data, index, jpegtables=page.jpegtables)
        except Exception as exc:  # imagecodecs raises its own per-codec errors
            kind = "tile" if page.is_tiled else "strip"
            ctx.report(C.DECODE, f"IFD {page.index}: {kind} {index} ({_compression_name(page)}) cannot be "
                       f"decoded: {exc}")
            return


def _check_lossy(series: list[Any], tif: tifffile.TiffFile, ctx: Context) -> None:
    for number, s in enumerate(series):
        reason = lossy_reason(s.keyframe, tif.filehandle)
        if reason:
            ctx.report(C.LOSSY, f"series {number}: {reason}")
            return


def _metadata(tif: tifffile.TiffFile, source: Source, ctx: Context) -> dict[str, Any]:
    problems: list[meta.Problem] = []
    ome = meta.parse_ome(tif, problems) if tif.is_ome else None
    own_uuid = ome.uuid if ome is not None else None
    if ome is not None and ome.binary_only is not None:
        ome = meta.companion(source.path, ome, problems)
        if ome is None:  # the companion's absence is the finding; the pixel size etc. are unknown
            for code, message in problems:
                ctx.report(code, message)
            return {"pixel_size_um": {}, "instrument": ""}
    out: dict[str, Any] = {}
    kind = raw.raw_kind(tif, source.path)
    if kind:
        out["raw"] = kind
        ctx.report(C.RAW_ORIGINAL, f"a {kind} file: the microscope's original, read by tifffile")
        if kind == "Olympus VSI" and raw.vsi_missing_stack(source.path):
            problems.append((C.FILESET_INCOMPLETE, raw.vsi_missing_stack(source.path)))
    raw_pixel = raw.raw_pixel_size(tif, kind) if kind else {}
    if raw_pixel:
        pixel = raw_pixel
    elif ome is not None and ome.images:
        pixel = meta.ome_pixel_size(ome, problems)
        out["channels"] = meta.channels(ome, problems)
        files = meta.fileset(source.path, ome, problems, own_uuid)
        if len(files) > 1:
            out["fileset"] = files
    else:
        pixel = meta.tiff_pixel_size(tif, problems)
    out["pixel_size_um"] = pixel
    out["instrument"] = meta.instrument(tif, ome) or (raw.raw_instrument(tif, kind) if kind else "")
    if not out["instrument"]:
        problems.append((C.NO_INSTRUMENT, "neither OME Instrument/Microscope nor the TIFF Make/Model "
                         "tags name the microscope"))
    for code, message in problems:
        ctx.report(code, message)
    return out


