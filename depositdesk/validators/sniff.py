"""What a file is, by its content: magic bytes first, then text heuristics.

Compression is told apart from format (a gzipped FASTQ is format ``fastq``,
compression ``gzip``; BGZF is gzip whose members carry the ``BC`` extra field,
and a BAM is BGZF holding ``BAM\\1``). Only the first 64 KiB are read (and, for
gzip, the first 64 KiB of its content), so sniffing is cheap on any file size.

The extension is a tie-breaker only: when the content is text that no strong
signal identifies (a BED line with a bad start, WIG data before its
declaration), a known extension chooses the validator, which then reports what
is wrong. When a strong signal contradicts the extension, the content wins and
`extension_mismatch` says so.

Format names: fastq, sam, bam, cram, gff3, wig, bed (BED3..BED12, narrowPeak,
broadPeak: see ``detail``), bedgraph, bigwig, bigbed, tiff, fasta, vcf,
bai, csi, tbi, crai, chrom.sizes, png, jpeg, hdf5, zip, and
the microscope originals czi, nd2, lif, oir (LSM, SVS, NDPI and VSI are TIFF inside).
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from depositdesk.validators.base import Sniffed

HEAD = 64 * 1024

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\x26\xfc\x8f\x88", "bigwig", "little-endian"),
    (b"\x88\x8f\xfc\x26", "bigwig", "big-endian"),
    (b"\xeb\xf2\x89\x87", "bigbed", "little-endian"),
    (b"\x87\x89\xf2\xeb", "bigbed", "big-endian"),
    (b"II*\x00", "tiff", "TIFF little-endian"),
    (b"MM\x00*", "tiff", "TIFF big-endian"),
    (b"II+\x00", "tiff", "BigTIFF little-endian"),
    (b"MM\x00+", "tiff", "BigTIFF big-endian"),
    (b"CRAM", "cram", ""),
    (b"BAI\x01", "bai", ""),
    (b"CSI\x01", "csi", ""),
    (b"\x89PNG\r\n\x1a\n", "png", ""),
    (b"\xff\xd8\xff", "jpeg", ""),
    (b"ZISRAWFILE", "czi", "Zeiss CZI"),
    (b"\xda\xce\xbe\x0a", "nd2", "Nikon ND2"),
    (b"OLYMPUSRAWFORMAT", "oir", "Olympus OIR"),
    (b"\x89HDF\r\n\x1a\n", "hdf5", ""),
    (b"PK\x03\x04", "zip", ""),
)

_OTHER_COMPRESSION: tuple[tuple[bytes, str], ...] = (
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)

# extension -> format it promises (compression suffixes are stripped first)
_EXTENSIONS: dict[str, str] = {
    "fastq": "fastq", "fq": "fastq", "sam": "sam", "bam": "bam", "cram": "cram",
    "gff3": "gff3", "gff": "gff3", "wig": "wig", "bed": "bed", "narrowpeak": "bed",
    "broadpeak": "bed", "bedgraph": "bedgraph", "bdg": "bedgraph", "bw": "bigwig",
    "bigwig": "bigwig", "bb": "bigbed", "bigbed": "bigbed", "tif": "tiff", "tiff": "tiff",
    "fa": "fasta", "fasta": "fasta", "fna": "fasta", "vcf": "vcf", "bai": "bai", "csi": "csi",
    "tbi": "tbi", "crai": "crai", "png": "png", "h5": "hdf5", "zip": "zip",
    "jpg": "jpeg", "jpeg": "jpeg",
    "czi": "czi", "nd2": "nd2", "lif": "lif", "oir": "oir", "lsm": "tiff", "svs": "tiff", "ndpi": "tiff",
    "vsi": "tiff",
}
_COMPRESSION_EXTENSIONS = {"gz": "gzip", "bgz": "bgzf", "bz2": "bzip2", "xz": "xz", "zst": "zstd"}
# formats that are one family for the purpose of "does the extension lie"
_FAMILY = {"bedgraph": "bed", "narrowpeak": "bed", "ome.tiff": "tiff"}

_BASES = b"ACGTUNRYKMSWBDHVacgtunrykmswbdhv."
_INT = re.compile(rb"^-?\d+$")
_NUM = re.compile(rb"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
_SAM_HEADER = re.compile(rb"^@(HD|SQ|RG|PG|CO)\t")
_WIG_DECL = re.compile(rb"^(fixedStep|variableStep)\s")


def sniff(path: Path) -> Sniffed:
    """Sniff a file on disk (reads at most 64 KiB of it)."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD)
    return sniff_bytes(head, Path(path).name)


def sniff_bytes(head: bytes, name: str = "") -> Sniffed:
    """Sniff the first bytes of a file; ``name`` is consulted only as a tie-breaker."""
    for magic, magic_format, magic_detail in _MAGIC:
        if head.startswith(magic):
            return Sniffed(magic_format, None, magic_detail)
    if head[:4] == b"\x70\x00\x00\x00" and head[8:9] == b"\x2a":  # Leica LIF: 0x70, length, 0x2A, XML
        return Sniffed("lif", None, "Leica LIF")
    for magic, comp in _OTHER_COMPRESSION:
        if head.startswith(magic):
            return Sniffed(None, comp, "compressed with a method DepositDesk does not read")
    compression: str | None = None
    content = head
    if head[:2] == b"\x1f\x8b":
        compression = "bgzf" if is_bgzf_header(head) else "gzip"
        content, damaged = _gunzip_head(head)
        if content.startswith(b"BAM\x01"):
            return Sniffed("bam", compression, "")
        if content.startswith(b"TBI\x01"):
            return Sniffed("tbi", compression, "")
        if damaged and not content:
            return Sniffed(extension_format(name), compression, "compressed data unreadable")
    fmt, detail, strong = _sniff_text(content)
    if not strong:
        by_name = extension_format(name)
        if by_name is not None and (fmt is None or _family(fmt) != _family(by_name)):
            return Sniffed(by_name, compression, "by extension")
    return Sniffed(fmt, compression, detail)


def is_bgzf_header(head: bytes) -> bool:
    """A gzip member with FEXTRA holding the BGZF ``BC`` subfield (SAM spec 4.1)."""
    if len(head) < 18 or head[:3] != b"\x1f\x8b\x08" or not head[3] & 0x04:
        return False
    xlen = int.from_bytes(head[10:12], "little")
    extra = head[12:12 + xlen]
    pos = 0
    while pos + 4 <= len(extra):
        sub_len = int.from_bytes(extra[pos + 2:pos + 4], "little")
        if extra[pos:pos + 2] == b"BC":
            return True
        pos += 4 + sub_len
    return False


def _gunzip_head(head: bytes) -> tuple[bytes, bool]:
    """Decompress what the head holds (across BGZF members); (content, damaged)."""
    out = bytearray()
    data = head
    try:
        while data and len(out) < HEAD:
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out += inflater.decompress(data, HEAD - len(out))
            if not inflater.eof:
                break
            data = inflater.unused_data
    except zlib.error:
        return bytes(out), True
    return bytes(out), False


def _lines(content: bytes, limit: int = 200) -> list[bytes]:
    """The first lines (the last may be cut by the head's end: sniffers only look at a few)."""
    lines = content.split(b"\n", limit)[:limit]
    return [line.rstrip(b"\r") for line in lines]


def _sniff_text(content: bytes) -> tuple[str | None, str, bool]:
    """(format, detail, strong): strong when a signal no other format shares was seen."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    if not content or b"\x00" in content:
        return None, "", False
    lines = _lines(content)
    first = next((line for line in lines if line.strip()), b"")
    for sniffer in (_sniff_fastq, _sniff_sam, _sniff_gff3, _sniff_wig, _sniff_other_text):
        found = sniffer(first, lines)
        if found is not None:
            return found[0], found[1], True
    data = [line for line in lines if line and not line.startswith((b"#", b"track", b"browser"))]
    found = _sniff_tabular(data)
    if found is not None:
        return found[0], found[1], False
    return None, "text", False


def _sniff_fastq(first: bytes, lines: list[bytes]) -> tuple[str, str] | None:
    if not first.startswith(b"@") or _SAM_HEADER.match(first):
        return None
    start = lines.index(first)
    following = lines[start + 1:start + 200]
    if any(line.startswith(b"+") for line in following):
        return "fastq", ""
    if len(following) == 1 and len(following[0]) > 1000 and not following[0].translate(None, _BASES):
        return "fastq", "long read"  # one read longer than the sniffed head
    return None


def _sniff_sam(first: bytes, lines: list[bytes]) -> tuple[str, str] | None:
    if _SAM_HEADER.match(first):
        return "sam", ""
    fields = first.split(b"\t")
    if len(fields) >= 11 and all(_INT.match(fields[i]) for i in (1, 3, 4)):
        return "sam", "no header"
    return None


def _sniff_gff3(first: bytes, lines: list[bytes]) -> tuple[str, str] | None:
    if first.lower().startswith(b"##gff-version"):
        return "gff3", first.decode("ascii", "replace").strip()
    return None


def _sniff_wig(first: bytes, lines: list[bytes]) -> tuple[str, str] | None:
    for line in lines[:50]:
        if line.startswith(b"track") and b"type=wiggle_0" in line:
            return "wig", ""
        if line.startswith(b"track") and b"type=bedGraph" in line:
            return "bedgraph", ""
        if _WIG_DECL.match(line):
            return "wig", line.split()[0].decode()
        if line and not line.startswith((b"#", b"track", b"browser")):
            return None
    return None


_IDF_FIRST_FIELDS = (b"mage-tab version", b"magetab version", b"investigation title", b"[idf]",
                     b"experiment description", b"sdrf file", b"comment[")
_SDRF_FIRST_COLUMNS = (b"source name", b"sample name", b"extract name", b"[sdrf]")


def _sniff_magetab(first: bytes) -> tuple[str, str] | None:
    """The project's own metadata (MAGE-TAB IDF/SDRF), so that a walked project folder names it."""
    head = first.lower().lstrip(b'"')
    if head.startswith(_IDF_FIRST_FIELDS):
        return "magetab-idf", ""
    if head.startswith(_SDRF_FIRST_COLUMNS) and b"\t" in first:
        return "magetab-sdrf", ""
    return None


def _sniff_other_text(first: bytes, lines: list[bytes]) -> tuple[str, str] | None:
    found = _sniff_magetab(first)
    if found is not None:
        return found
    if first.startswith(b"##fileformat=VCF"):
        return "vcf", ""
    if first.startswith(b">"):
        return "fasta", ""
    return None


def _sniff_tabular(data: list[bytes]) -> tuple[str, str] | None:
    """BED-like: tab-separated ``chrom start end ...`` on the first data lines."""
    rows = [line.split(b"\t") for line in data[:20]]
    if not rows:
        return None
    if all(len(r) == 2 and _INT.match(r[1]) for r in rows):
        return "chrom.sizes", ""
    if not all(len(r) >= 3 and _INT.match(r[1]) and _INT.match(r[2]) for r in rows):
        return None
    widths = {len(r) for r in rows}
    if widths == {4} and all(_NUM.match(r[3]) for r in rows):
        return "bedgraph", ""
    if widths == {10} and all(_NUM.match(r[6]) and _INT.match(r[9]) for r in rows):
        return "bed", "narrowPeak"
    if widths == {9} and all(_NUM.match(r[6]) and _NUM.match(r[8]) for r in rows):
        return "bed", "broadPeak"
    if len(widths) == 1 and 3 <= min(widths) <= 12:
        return "bed", f"BED{min(widths)}"
    return "bed", ""


def _family(fmt: str | None) -> str | None:
    return _FAMILY.get(fmt or "", fmt)


def split_extension(name: str) -> tuple[str | None, str | None]:
    """(format the name promises, compression the name promises) from a file name."""
    parts = name.lower().split(".")[1:]
    compression = None
    if parts and parts[-1] in _COMPRESSION_EXTENSIONS:
        compression = _COMPRESSION_EXTENSIONS[parts.pop()]
    fmt = _EXTENSIONS.get(parts[-1]) if parts else None
    return fmt, compression


def extension_format(name: str) -> str | None:
    return split_extension(name)[0]


def extension_mismatch(name: str, sniffed: Sniffed) -> str | None:
    """Why the name's extension lies about the content, or None when it does not."""
    if sniffed.format is None or sniffed.detail == "by extension":
        return None
    fmt, compression = split_extension(name)
    if fmt is not None and _family(fmt) != _family(sniffed.format):
        return f"the name says {fmt} but the content is {sniffed.format}"
    if sniffed.format in ("bam", "tbi"):  # BGZF is part of these formats, no .gz expected
        return None
    if compression is not None and sniffed.compression is None:
        return f"the name ends in .{name.rsplit('.', 1)[-1]} but the file is not compressed"
    if compression is None and sniffed.compression is not None and fmt is not None:
        return f"the file is {sniffed.compression}-compressed but its name does not end in .gz"
    return None
