"""Is a TIFF's compression lossy? Decided from the compression tag and, where the
codec can be either, from the first segment's own header (JPEG SOF marker,
JPEG 2000 COD wavelet, WebP chunk)."""

from __future__ import annotations

from typing import Any

_JPEG = {6, 7}  # OJPEG, JPEG
_JPEG2000 = {33003, 33004, 33005, 34712}
_WEBP = {34927, 50001}
_MAYBE_LOSSY = {22610: "JPEG XR", 34934: "JPEG XR", 50002: "JPEG XL", 52546: "JPEG XL", 34887: "LERC"}
_LOSSLESS_JPEG_SOF = (b"\xff\xc3", b"\xff\xc7", b"\xff\xcb", b"\xff\xcf")
_LOSSY_JPEG_SOF = (b"\xff\xc0", b"\xff\xc1", b"\xff\xc2")


def lossy_reason(page: Any, fh: Any) -> str:
    """Why the page's pixels are lossy-compressed, or '' when they are not (or cannot be told)."""
    code = int(page.compression)
    if code not in _JPEG | _JPEG2000 | _WEBP | set(_MAYBE_LOSSY):
        return ""
    head = _first_segment_head(page, fh)
    if code in _JPEG:
        tables = page.jpegtables or b""
        if _header_has(head, _LOSSLESS_JPEG_SOF) and not _header_has(head, _LOSSY_JPEG_SOF):
            return ""
        return "JPEG compression (lossy)" + (" with JPEG tables" if tables else "")
    if code in _JPEG2000:
        reversible = _jpeg2000_reversible(head)
        if reversible is True:
            return ""
        return ("JPEG 2000 with the irreversible 9-7 wavelet (lossy)" if reversible is False
                else "JPEG 2000 whose wavelet could not be read (may be lossy)")
    if code in _WEBP:
        return "" if b"VP8L" in head[:64] else "WebP compression (lossy)"
    return f"{_MAYBE_LOSSY[code]} compression (may be lossy; the file does not say)"


def _first_segment_head(page: Any, fh: Any, limit: int = 4096) -> bytes:
    for offset, count in zip(page.dataoffsets, page.databytecounts, strict=False):
        if count:
            fh.seek(offset)
            return bytes(fh.read(min(count, limit)))
    return b""


def _header_has(head: bytes, markers: tuple[bytes, ...]) -> bool:
    """A JPEG marker before the start of scan (markers cannot occur inside entropy-coded data)."""
    sos = head.find(b"\xff\xda")
    part = head if sos < 0 else head[:sos]
    return any(m in part for m in markers)


def _jpeg2000_reversible(head: bytes) -> bool | None:
    """COD marker segment (ISO 15444-1 A.6.1): SPcod's last byte, 1 = reversible 5-3 wavelet."""
    pos = head.find(b"\xff\x52")
    if pos < 0 or pos + 14 > len(head):
        return None
    return head[pos + 13] == 1
