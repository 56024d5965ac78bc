"""Microscope original files that are not TIFF: Zeiss CZI, Nikon ND2, Leica LIF, Olympus OIR.

Sniffed by their content magic (see depositdesk.validators.sniff) and reported
as raw originals (IMG-RAW-ORIGINAL, info): what an image archive wants. Their
layout is checked as far as it can be without a vendor reader - every segment
or block the file declares must lie inside it (else IMG-TRUNCATED) - and what
is cheap to read is read:

- CZI: the file header's directory and metadata positions; from the metadata
  XML the pixel size (Scaling/Distance, metres) and the microscope's name.
- LIF: the header XML (UTF-16) and every memory block's extent; the pixel size
  from the first image's DimensionDescription, the system from SystemTypeName.
- ND2 (v3, since NIS-Elements 4): the chunk map signature at the file's end.
- OIR: the magic only.

Whatever could not be read is an IMG-METADATA-NOT-READ info finding naming the
optional reader (bioio plugins) that would read it. The validator seeks, so
``hashes_raw_bytes`` is False and the engine hashes the file beside it.
"""

from __future__ import annotations

import re
import struct
from typing import IO, Any, ClassVar

from depositdesk.progress import Task
from depositdesk.validators.base import Context, FormatValidator, Source, register
from depositdesk.validators.formats import _image_codes as C

ND2_CHUNKMAP = b"ND2 CHUNK MAP SIGNATURE 0000001!"
XML_LIMIT = 16 * 1024 * 1024
_CZI_DISTANCE = re.compile(r"<Distance\s+Id=\"([XYZ])\"\s*>.*?<Value>\s*([0-9.eE+-]+)\s*</Value>", re.S)
_CZI_MICROSCOPE = re.compile(r"<Microscope\b[^>]*\bName=\"([^\"]+)\"[^>]*>(?:.*?<System>([^<]+)</System>)?",
                             re.S)
_LIF_DIM = re.compile(r"<DimensionDescription\b([^>]*)/?>")
_LIF_SYSTEM = re.compile(r"\bSystemTypeName=\"([^\"]+)\"")
_ATTR = re.compile(r"(\w+)=\"([^\"]*)\"")


class _Cut(Exception):
    pass


def _read_at(fh: IO[bytes], offset: int, count: int, size: int, what: str) -> bytes:
    if offset < 0 or offset + count > size:
        raise _Cut(f"{what} at byte {offset:,} (+{count:,}) lies past the end of the file ({size:,} bytes)")
    fh.seek(offset)
    return fh.read(count)


class _RawValidator(FormatValidator):
    hashes_raw_bytes: ClassVar[bool] = False
    label: ClassVar[str] = ""
    reader: ClassVar[str] = ""  # the optional package that reads the full metadata

    def run(self, source: Source, ctx: Context) -> Task[dict[str, Any]]:
        stats: dict[str, Any] = {"raw": self.label, "pixel_size_um": {}, "instrument": ""}
        ctx.report(C.RAW_ORIGINAL, f"a {self.label} file: the microscope's original acquisition file")
        read: set[str] = set()
        try:
            with open(source.path, "rb") as fh:
                read = self.inspect(fh, source.size, stats, ctx)
        except _Cut as exc:
            ctx.report(C.TRUNCATED, str(exc))
        except (struct.error, UnicodeDecodeError, ValueError) as exc:
            ctx.report(C.UNREADABLE, f"the {self.label} structure cannot be read: {exc}")
        missing = [what for what in ("pixel size", "instrument") if what not in read]
        if "pixel size" in read and not stats["pixel_size_um"]:
            ctx.report(C.NO_PIXEL_SIZE, f"the {self.label} metadata gives no pixel size")
        if "instrument" in read and not stats["instrument"]:
            ctx.report(C.NO_INSTRUMENT, f"the {self.label} metadata names no microscope")
        if missing:
            ctx.report(C.NOT_READ, f"{' and '.join(missing)} of this {self.label} file were not read: "
                       f"DepositDesk reads only part of the format; the optional reader {self.reader} "
                       "reads it fully", suggestion=f"pip install {self.reader}")
        yield source.progress(self.label)
        return stats

    def inspect(self, fh: IO[bytes], size: int, stats: dict[str, Any], ctx: Context) -> set[str]:
        """Check the layout, fill ``stats``; returns what of ("pixel size", "instrument") it read."""
        raise NotImplementedError


@register
class CziValidator(_RawValidator):
    format = "czi"
    version = "1"
    label = "Zeiss CZI"
    reader = "bioio-czi"

    def inspect(self, fh: IO[bytes], size: int, stats: dict[str, Any], ctx: Context) -> set[str]:
        header = _read_at(fh, 0, 32 + 80, size, "the file header segment")
        major, minor = struct.unpack_from("<ii", header, 32)
        directory, metadata = struct.unpack_from("<qq", header, 32 + 52)
        stats["czi_version"] = f"{major}.{minor}"
        if directory:
            segment = _read_at(fh, directory, 32, size, "the subblock directory segment")
            _check_segment(segment, b"ZISRAWDIRECTORY", directory, size)
        if not metadata:
            return set()
        segment = _read_at(fh, metadata, 32 + 8, size, "the metadata segment")
        _check_segment(segment, b"ZISRAWMETADATA", metadata, size)
        xml_size = struct.unpack_from("<i", segment, 32)[0]
        xml = _read_at(fh, metadata + 32 + 256, min(xml_size, XML_LIMIT), size, "the metadata XML")
        text = xml.decode("utf-8", "replace")
        sizes = {m.group(1).lower(): float(m.group(2)) * 1e6 for m in _CZI_DISTANCE.finditer(text)}
        stats["pixel_size_um"] = {k: v for k, v in sizes.items() if v > 0}
        scope = _CZI_MICROSCOPE.search(text)
        if scope:
            stats["instrument"] = " ".join(p.strip() for p in scope.groups() if p and p.strip())
        if "x" not in stats["pixel_size_um"]:
            stats["pixel_size_um"] = {}
        return {"pixel size", "instrument"}


def _check_segment(segment: bytes, expected: bytes, offset: int, size: int) -> None:
    if not segment.startswith(expected):
        raise ValueError(f"no {expected.decode()} segment at byte {offset:,}")
    allocated = struct.unpack_from("<q", segment, 16)[0]
    if offset + 32 + allocated > size:
        raise _Cut(f"the {expected.decode()} segment at byte {offset:,} needs {allocated:,} bytes, the file "
                   f"ends {size - offset - 32:,} bytes after its header")


@register
class LifValidator(_RawValidator):
    format = "lif"
    version = "1"
    label = "Leica LIF"
    reader = "bioio-lif"

    def inspect(self, fh: IO[bytes], size: int, stats: dict[str, Any], ctx: Context) -> set[str]:
        head = _read_at(fh, 0, 13, size, "the header")
        length = struct.unpack_from("<i", head, 4)[0]
        chars = struct.unpack_from("<i", head, 9)[0]
        xml = _read_at(fh, 13, chars * 2, size, "the header XML").decode("utf-16-le")
        pos = 8 + length
        blocks = 0
        while pos < size:
            block = _read_at(fh, pos, 22, size, f"memory block {blocks}")
            if struct.unpack_from("<i", block, 0)[0] != 0x70:
                raise ValueError(f"memory block {blocks} at byte {pos:,} has no 0x70 marker")
            memsize = struct.unpack_from("<q", block, 9)[0]
            nchars = struct.unpack_from("<i", block, 18)[0]
            data_at = pos + 22 + 2 * nchars
            _read_at(fh, data_at + max(memsize - 1, 0), 1 if memsize else 0, size, f"memory block {blocks}")
            pos, blocks = data_at + memsize, blocks + 1
        stats["memory_blocks"] = blocks
        dims = [dict(_ATTR.findall(m.group(1))) for m in _LIF_DIM.finditer(xml)]
        pixel: dict[str, float] = {}
        for dim, axis in zip(dims[:3], "xyz", strict=False):
            n, length_m = int(dim.get("NumberOfElements", "0")), float(dim.get("Length", "0") or 0)
            if dim.get("Unit") == "m" and n > 1 and length_m > 0:
                pixel[axis] = length_m / (n - 1) * 1e6
        stats["pixel_size_um"] = pixel
        system = _LIF_SYSTEM.search(xml)
        stats["instrument"] = f"Leica {system.group(1)}" if system else ""
        return {"pixel size", "instrument"}


@register
class Nd2Validator(_RawValidator):
    format = "nd2"
    version = "1"
    label = "Nikon ND2"
    reader = "bioio-nd2"

    def inspect(self, fh: IO[bytes], size: int, stats: dict[str, Any], ctx: Context) -> set[str]:
        tail = _read_at(fh, max(0, size - 40), min(40, size), size, "the chunk map")
        if not tail.startswith(ND2_CHUNKMAP):
            raise _Cut("the ND2 chunk map signature is not at the end of the file: it was cut short "
                       "(or is an old JPEG 2000-based ND2)")
        where = struct.unpack_from("<Q", tail, 32)[0]
        _read_at(fh, where, 1, size, "the chunk map")
        return set()


@register
class OirValidator(_RawValidator):
    format = "oir"
    version = "1"
    label = "Olympus OIR"
    reader = "bioio-bioformats"

    def inspect(self, fh: IO[bytes], size: int, stats: dict[str, Any], ctx: Context) -> set[str]:
        return set()  # the layout is not public; the magic is all that is checked
