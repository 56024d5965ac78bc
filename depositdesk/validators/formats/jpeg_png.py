"""PNG and JPEG validators: whole, decodable, lossless or not, calibrated or not.

Both read the file once through ``source.open_raw()`` (the md5 is computed on
the way).

- PNG: every chunk's length and CRC, the IHDR, the IDAT stream inflated to the
  end (its size must match the image's), IEND present (else IMG-TRUNCATED).
  The pixel size comes from the pHYs chunk when its unit is the metre; without
  it IMG-NO-PIXEL-SIZE. PNG is lossless, so it is accepted as image data.
- JPEG: always IMG-LOSSY (except lossless-JPEG, SOF3), the markers up to the
  start of scan, the end-of-image marker (else IMG-TRUNCATED), and the image
  decoded with imagecodecs when the file is under `DECODE_LIMIT` and its pixels
  under `PIXELS_LIMIT` (memory stays bounded). The pixel size
  from the JFIF density (dots per cm / per inch); Make/Model from EXIF.
"""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import imagecodecs
import tifffile

from depositdesk.progress import Task
from depositdesk.validators.base import CHUNK, Context, FormatValidator, Source, register
from depositdesk.validators.formats import _image_codes as C

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DECODE_LIMIT = 32 * 1024 * 1024  # files up to this size are decoded whole ...
PIXELS_LIMIT = 256 * 1024 * 1024  # ... when their decoded pixels fit in this many bytes
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


@register
class PngValidator(FormatValidator):
    format = "png"
    version = "1"

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        stats: dict[str, Any] = {"compression": ["PNG (lossless)"], "pixel_size_um": {}}
        with source.open_raw() as fh:
            if fh.read(8) != PNG_SIGNATURE:
                ctx.report(C.UNREADABLE, "the PNG signature is damaged")
                return stats
            yield from _png_chunks(fh, source, ctx, stats)
        if not stats["pixel_size_um"]:
            ctx.report(C.NO_PIXEL_SIZE, "the PNG has no pHYs chunk in pixels per metre: PNG images "
                       "rarely carry a calibration; give the pixel size in the metadata")
        return stats


def _png_chunks(fh: Any, source: Source, ctx: Context, stats: dict[str, Any]) -> Task[None]:
    inflater = zlib.decompressobj()
    inflated, expected, ended = 0, None, False
    while True:
        head = fh.read(8)
        if len(head) < 8:
            break
        length, kind = struct.unpack(">I4s", head)
        data = fh.read(length)
        crc = fh.read(4)
        if len(data) < length or len(crc) < 4:
            break
        if zlib.crc32(kind + data) != struct.unpack(">I", crc)[0]:
            ctx.report(C.DECODE, f"the {kind.decode('latin-1')} chunk's CRC does not match its content")
            return
        if kind == b"IHDR" and length >= 13:
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[:13])
            stats.update(shape=[height, width], bit_depth=depth)
            if not interlace and colour in _CHANNELS:
                expected = height * (1 + (width * depth * _CHANNELS[colour] + 7) // 8)
        elif kind == b"pHYs" and length >= 9:
            x, y, unit = struct.unpack(">IIB", data[:9])
            if unit == 1 and x and y:
                stats["pixel_size_um"] = {"x": 1e6 / x, "y": 1e6 / y}
        elif kind == b"IDAT":
            try:
                inflated += len(inflater.decompress(data, CHUNK)) + _drain(inflater)
            except zlib.error as exc:
                ctx.report(C.DECODE, f"the image data cannot be inflated: {exc}")
                return
            yield source.progress("PNG data")
        elif kind == b"IEND":
            ended = True
            break
    if not ended:
        ctx.report(C.TRUNCATED, "the PNG ends before its IEND chunk: the file was cut short")
    elif expected is not None and inflated != expected:
        ctx.report(C.DECODE, f"the image data holds {inflated:,} bytes, the header promises {expected:,}")


def _drain(inflater: Any) -> int:
    """Inflate what is left from the last input without keeping it (bounded memory)."""
    n = 0
    while inflater.unconsumed_tail:
        n += len(inflater.decompress(inflater.unconsumed_tail, CHUNK))
    return n


@register
class JpegValidator(FormatValidator):
    format = "jpeg"
    version = "1"

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        keep = source.size <= DECODE_LIMIT
        buf = bytearray()
        head = b""
        tail = b""
        with source.open_raw() as fh:
            while chunk := fh.read(CHUNK):
                if len(head) < 256 * 1024:
                    head += chunk[:256 * 1024 - len(head)]
                if keep:
                    buf += chunk
                tail = (tail + chunk[-2:])[-2:]
                yield source.progress("JPEG")
        markers = _markers(head)
        stats: dict[str, Any] = {"compression": ["JPEG"], "pixel_size_um": _jfif_pixel_size(markers)}
        lossless = any(m in markers for m in (0xC3, 0xC7, 0xCB, 0xCF))
        if not lossless:
            ctx.report(C.LOSSY, "JPEG is lossy: this is a processed copy, not the raw original")
        if tail != b"\xff\xd9":
            ctx.report(C.TRUNCATED, "the JPEG does not end with its end-of-image marker: it was cut short")
        elif keep and _decoded_bytes(markers) <= PIXELS_LIMIT:
            try:
                image = imagecodecs.jpeg_decode(bytes(buf))
                stats["shape"] = list(image.shape)
            except Exception as exc:  # imagecodecs.JpegError and friends
                ctx.report(C.DECODE, f"the JPEG cannot be decoded: {exc}")
        stats["instrument"] = _exif_instrument(markers)
        if not stats["pixel_size_um"]:
            ctx.report(C.NO_PIXEL_SIZE, "the JPEG's JFIF density has no unit (or is a 72/96 dpi default)")
        return stats


def _markers(head: bytes) -> dict[int, bytes]:
    """The JPEG marker segments before the start of scan: marker -> its (first) payload."""
    out: dict[int, bytes] = {}
    pos = 2
    while pos + 4 <= len(head) and head[pos] == 0xFF:
        marker = head[pos + 1]
        if marker == 0xDA:  # start of scan
            break
        length = int.from_bytes(head[pos + 2:pos + 4], "big")
        out.setdefault(marker, head[pos + 4:pos + 2 + length])
        pos += 2 + length
    return out


def _decoded_bytes(markers: dict[int, bytes]) -> int:
    """Bytes of the decoded image from the start-of-frame header (height, width, components)."""
    for sof in (0xC0, 0xC1, 0xC2, 0xC3):
        frame = markers.get(sof)
        if frame and len(frame) >= 6:
            height, width = int.from_bytes(frame[1:3], "big"), int.from_bytes(frame[3:5], "big")
            return height * width * frame[5] * (2 if frame[0] > 8 else 1)
    return 0


def _jfif_pixel_size(markers: dict[int, bytes]) -> dict[str, float]:
    app0 = markers.get(0xE0, b"")
    if not app0.startswith(b"JFIF\x00") or len(app0) < 12:
        return {}
    unit, x, y = app0[7], int.from_bytes(app0[8:10], "big"), int.from_bytes(app0[10:12], "big")
    if unit not in (1, 2) or not x or not y or (unit == 1 and x in (72, 96)):
        return {}
    per = 25400.0 if unit == 1 else 10000.0
    return {"x": per / x, "y": per / y}


def _exif_instrument(markers: dict[int, bytes]) -> str:
    app1 = markers.get(0xE1, b"")
    if not app1.startswith(b"Exif\x00\x00"):
        return ""
    try:
        with tifffile.TiffFile(io.BytesIO(app1[6:])) as exif:
            tags = exif.pages.first.tags
            return " ".join(str(tags.valueof(t)).strip() for t in ("Make", "Model") if tags.valueof(t))
    except Exception:  # a damaged EXIF block only loses the instrument
        return ""
