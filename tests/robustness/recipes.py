"""Recipes for the robustness reproducers: each makes one damaged file from a corpus file.

A recipe reads a file of ../shared in place and writes the damaged copy into a
test's tmp folder; its name is the defect it reproduces (issue 14).
"""

from __future__ import annotations

import gzip
import shutil
import struct
import zipfile
from pathlib import Path

MAGETAB = Path("metadata-corpus/magetab/E-TEST-1")
IDF_NAME = "E-TEST-1.idf.txt"
SDRF_NAME = "E-TEST-1.sdrf.txt"


def magetab_pair(shared: Path, out: Path) -> tuple[Path, Path]:
    """An unharmed copy of the small E-TEST-1 IDF + SDRF in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    idf, sdrf = out / IDF_NAME, out / SDRF_NAME
    shutil.copyfile(shared / MAGETAB / IDF_NAME, idf)
    shutil.copyfile(shared / MAGETAB / SDRF_NAME, sdrf)
    return idf, sdrf


def _sdrf_lines(shared: Path) -> list[list[str]]:
    text = (shared / MAGETAB / SDRF_NAME).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line]


def quoted_cell_over_128k(shared: Path, out: Path, size: int = 200_000) -> tuple[Path, str]:
    """The SDRF with a quoted cell of ``size`` characters (beyond csv's 128 KB field limit)."""
    idf, sdrf = magetab_pair(shared, out)
    rows = _sdrf_lines(shared)
    value = "long\tnote " + "x" * size
    rows[1][3] = '"' + value + '"'
    sdrf.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    return idf, value


def idf_sdrf_file_too_long(shared: Path, out: Path, length: int = 5000) -> Path:
    """The IDF whose SDRF File value is a name too long for any file system."""
    idf, _ = magetab_pair(shared, out)
    text = idf.read_text(encoding="utf-8").replace(SDRF_NAME, "s" * length + ".sdrf.txt")
    idf.write_text(text, encoding="utf-8")
    return idf


def sdrf_data_file_too_long(shared: Path, out: Path, length: int = 5000) -> Path:
    """The pair whose SDRF names a data file with a name too long for any file system."""
    idf, sdrf = magetab_pair(shared, out)
    sdrf.write_text(sdrf.read_text(encoding="utf-8").replace("raw_data.txt", "r" * length + ".txt", 1),
                    encoding="utf-8")
    return idf


def sdrf_300k_trailing_tabs(shared: Path, out: Path, tabs: int = 300_000) -> Path:
    """The SDRF with one data line padded by ``tabs`` trailing tabs."""
    _, sdrf = magetab_pair(shared, out)
    rows = _sdrf_lines(shared)
    lines = ["\t".join(r) for r in rows]
    lines[1] += "\t" * tabs
    sdrf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sdrf


def sdrf_300k_wide_row(shared: Path, out: Path, tabs: int = 300_000) -> Path:
    """The SDRF with one data line of ``tabs`` tabs and a value at its far end."""
    _, sdrf = magetab_pair(shared, out)
    lines = ["\t".join(r) for r in _sdrf_lines(shared)]
    lines[1] += "\t" * tabs + "stray"
    sdrf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sdrf


def xlsx_damaged_sheet(shared: Path, out: Path, damage: str) -> Path:
    """A workbook of E-TEST-1 whose first sheet's XML is damaged (``damage``: truncated, garbage,
    bad-deflate, bad-shared-strings)."""
    from depositdesk.magetab.project import Project
    from depositdesk.magetab.xlsx import write_xlsx

    idf, _ = magetab_pair(shared, out / "src")
    project = Project.open(idf)
    good = out / "good.xlsx"
    write_xlsx(good, project.idf, project.sdrfs)
    bad = out / f"damaged-{damage}.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                if damage == "truncated":
                    data = data[: len(data) // 2]
                elif damage == "garbage":
                    data = data[:200] + b"<<\x01&;>" + data[200:]
                elif damage == "bad-row-number":
                    data = data.replace(b'r="2"', b'r="x"', 1).replace(b'r="A2"', b'r="2A"', 1)
            if damage == "bad-shared-strings" and info.filename.startswith("xl/worksheets/"):
                data = data.replace(b't="inlineStr"', b't="s"').replace(b'<is><t>', b'<v>').replace(
                    b'</t></is>', b'</v>')
            dst.writestr(info, data)
    if damage == "bad-deflate":
        raw = bytearray(good.read_bytes())
        at = raw.find(b"xl/worksheets/sheet1.xml") + len("xl/worksheets/sheet1.xml") + 40
        raw[at:at + 30] = b"\xff" * 30
        bad.write_bytes(bytes(raw))
    return bad


# --- validators ---------------------------------------------------------------------------------
CONFORMANCE = Path("conformance")


def bed_huge_coordinate(shared: Path, out: Path) -> Path:
    """A corpus BED whose first record's end is 10**30 (beyond int64)."""
    src = (shared / CONFORMANCE / "bed/kent__validateFiles_bed12ok.bed").read_text()
    lines = src.splitlines()
    i = next(k for k, line in enumerate(lines) if line and not line.startswith(("#", "track", "browser")))
    cells = lines[i].split("\t")
    cells[1], cells[2] = "1" + "0" * 29, "1" + "0" * 30
    lines[i] = "\t".join(cells)
    path = out / "huge-coordinate.bed"
    path.write_text("\n".join(lines) + "\n")
    return path


def _wig_lines(shared: Path) -> list[str]:
    return (shared / CONFORMANCE / "wig/kent__wigToBigWig_testVar.wig").read_text().splitlines()


def _data_line(lines: list[str]) -> int:
    return next(k for k, line in enumerate(lines) if line and line[0].isdigit())


def wig_digits_over_4300(shared: Path, out: Path, digits: int = 5000) -> Path:
    """A corpus WIG whose first data line's position has ``digits`` digits."""
    lines = _wig_lines(shared)
    i = _data_line(lines)
    lines[i] = "9" * digits + "\t" + lines[i].split()[-1]
    path = out / f"digits-{digits}.wig"
    path.write_text("\n".join(lines) + "\n")
    return path


def wig_position_1000_digits(shared: Path, out: Path) -> Path:
    """A corpus WIG whose first position has 1,000 digits (int() is fine, int64 is not)."""
    return wig_digits_over_4300(shared, out, digits=1000)


def wig_huge_value(shared: Path, out: Path) -> Path:
    """A corpus WIG with a value of 1e400 and a span of 10**40 (float and int64 overflow)."""
    lines = _wig_lines(shared)
    i = _data_line(lines)
    lines[i] = lines[i].split()[0] + "\t1" + "0" * 400
    lines.insert(i, "variableStep chrom=chr1 span=1" + "0" * 40)
    path = out / "huge-value.wig"
    path.write_text("\n".join(lines) + "\n")
    return path


def wig_fixedstep_past_int64(shared: Path, out: Path) -> Path:
    """A corpus WIG followed by a fixedStep section whose positions run past int64 (two runs of data)."""
    lines = _wig_lines(shared)
    lines += ["fixedStep chrom=chrZ start=900000000000000000 step=900000000000000000"]
    lines += ["1.5"] * 12 + ["# a comment splits the run"] + ["2.5"] * 12
    path = out / "fixedstep-past-int64.wig"
    path.write_text("\n".join(lines) + "\n")
    return path


def wig_70000_digit_line(shared: Path, out: Path, digits: int = 70_000) -> Path:
    """A corpus WIG with one data line of ``digits`` digits and a dot (the regex backtracking case)."""
    lines = _wig_lines(shared)
    i = _data_line(lines)
    lines[i] = "1" * digits + "." + "1" * 10 + "x"
    path = out / "digits-70000.wig"
    path.write_text("\n".join(lines) + "\n")
    return path


def bam_one_byte_blocks(shared: Path, out: Path, blocks: int = 300_000) -> Path:
    """A corpus BAM re-compressed as BGZF blocks of one byte each, then the EOF block."""
    payload = gzip.decompress((shared / CONFORMANCE / "sam/htsspecs__bam_passed__level-9.bam").read_bytes())
    path = out / "one-byte-blocks.bam"
    empty = _bgzf_block(b"")
    with path.open("wb") as handle:  # the records stay valid: only the blocking is odd
        one = {b: _bgzf_block(bytes([b])) for b in set(payload[:blocks])}   # a block per byte value
        handle.write(b"".join(one[b] for b in payload[:blocks]))
        if len(payload) < blocks:
            handle.write(empty * (blocks - len(payload)))
        for k in range(blocks, len(payload), 60_000):
            handle.write(_bgzf_block(payload[k:k + 60_000]))
        handle.write(empty)
    return path


def _bgzf_block(data: bytes) -> bytes:
    import zlib

    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = comp.compress(data) + comp.flush()
    size = 18 + len(body) + 8
    head = b"\x1f\x8b\x08\x04" + b"\x00" * 4 + b"\x00\xff" + struct.pack("<HBBHH", 6, 66, 67, 2, size - 1)
    return head + body + struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data))


def _itf8(data: bytes, pos: int) -> tuple[int, int]:
    """An ITF8 integer of CRAM at ``pos``: (value, position after it)."""
    b = data[pos]
    n = 0 if b < 0x80 else 1 if b < 0xC0 else 2 if b < 0xE0 else 3 if b < 0xF0 else 4
    value = b & (0xFF >> (n + 1)) if n < 4 else b & 0x0F
    for k in range(1, n + 1):
        value = (value << (8 if k < 4 or n < 4 else 4)) | (data[pos + k] if k < 4 or n < 4 else data[pos + k] & 0x0F)
    return value, pos + n + 1


def cram_header_block(data: bytes) -> tuple[int, int, int, int]:
    """(block start, data start, data end, raw size field position) of a CRAM 3 file's header block."""
    pos = 26 + 4                                     # file definition, container length
    for _ in range(4):                               # ref id, start, span, records
        _, pos = _itf8(data, pos)
    for _ in range(2):                               # record counter, bases (LTF8; small here)
        pos += 1
    _, pos = _itf8(data, pos)                        # blocks
    count, pos = _itf8(data, pos)                    # landmarks
    for _ in range(count):
        _, pos = _itf8(data, pos)
    block = pos + 4                                  # container CRC32
    p = block + 2                                    # method, content type
    _, p = _itf8(data, p)                            # content id
    size, p = _itf8(data, p)
    raw_at = p
    _, p = _itf8(data, p)
    return block, p, p + size, raw_at


def cram_header_not_utf8(shared: Path, out: Path) -> Path:
    """The corpus CRAM 3 with one header byte made 0xFF (block CRC32 recomputed)."""
    import zlib

    data = bytearray((shared / CONFORMANCE / "sam/htsspecs__cram_passed__0100_header1.cram").read_bytes())
    block, _, end, _ = cram_header_block(bytes(data))
    at = bytes(data).find(b"@SQ") + 8
    data[at] = 0xFF
    data[end:end + 4] = struct.pack("<I", zlib.crc32(bytes(data[block:end])) & 0xFFFFFFFF)
    path = out / "header-not-utf8.cram"
    path.write_bytes(bytes(data))
    return path


def project_of_rows(shared: Path, folder: Path, rows: int) -> Path:
    """E-TEST-1 with its SDRF grown to ``rows`` rows (the first row repeated, each source renamed)."""
    idf, sdrf = magetab_pair(shared, folder)
    table = _sdrf_lines(shared)
    header, first = table[0], table[1]
    lines = ["\t".join(header)]
    for k in range(rows):
        lines.append("\t".join([f"source {k}", *first[1:]]))
    sdrf.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _itf8_bytes(v: int) -> bytes:
    if v < 0x80:
        return bytes([v])
    if v < 0x4000:
        return bytes([0x80 | v >> 8, v & 0xFF])
    if v < 0x200000:
        return bytes([0xC0 | v >> 16, v >> 8 & 0xFF, v & 0xFF])
    if v < 0x10000000:
        return bytes([0xE0 | v >> 24, v >> 16 & 0xFF, v >> 8 & 0xFF, v & 0xFF])
    return bytes([0xF0 | (v >> 28 & 0x0F), v >> 20 & 0xFF, v >> 12 & 0xFF, v >> 4 & 0xFF, v & 0x0F])


def cram_block_claims_4gb(shared: Path, out: Path) -> Path:
    """The 721-byte corpus CRAM 3 whose first data block claims ~4 GB uncompressed (CRCs and the
    container length made right again, so only the size is a lie)."""
    import zlib

    from depositdesk.validators.formats._sam_cram_layout import itf8, ltf8

    data = (shared / CONFORMANCE / "sam/htsspecs__cram_passed__0300_unmapped.cram").read_bytes()
    pos = 26
    (length,) = struct.unpack_from("<i", data, pos)
    header_end = _container_header_end(data, pos, itf8, ltf8)
    pos = header_end + 4 + length                        # skip the SAM header container
    (length,) = struct.unpack_from("<i", data, pos)
    fields_end = _container_header_end(data, pos, itf8, ltf8)
    body = fields_end + 4
    p = body + 2
    _, p = itf8(data, p)
    size, p = itf8(data, p)
    raw_at = p
    _, p = itf8(data, p)
    new_raw = _itf8_bytes(0xFFFFFFF0)
    block = data[body:raw_at] + new_raw + data[p:p + size]
    block += struct.pack("<I", zlib.crc32(block) & 0xFFFFFFFF)
    delta = len(new_raw) - (p - raw_at)
    head = struct.pack("<i", length + delta) + data[pos + 4:fields_end]
    head += struct.pack("<I", zlib.crc32(head) & 0xFFFFFFFF)
    rebuilt = data[:pos] + head + block + data[p + size + 4:]
    path = out / "block-claims-4gb.cram"
    path.write_bytes(rebuilt)
    return path


def _container_header_end(data: bytes, pos: int, itf8, ltf8) -> int:  # type: ignore[no-untyped-def]
    p = pos + 4
    for _ in range(4):
        _, p = itf8(data, p)
    _, p = ltf8(data, p)
    _, p = ltf8(data, p)
    _, p = itf8(data, p)
    count, p = itf8(data, p)
    for _ in range(count):
        _, p = itf8(data, p)
    return p


def sam_mapq_5000_digits(shared: Path, out: Path) -> Path:
    """A corpus SAM whose first record's MAPQ has 5,000 digits (found by the fuzzer)."""
    lines = (shared / CONFORMANCE / "sam/htsjdk__not_stored_qualities.sam").read_text().splitlines()
    i = next(k for k, line in enumerate(lines) if line and not line.startswith("@"))
    cells = lines[i].split("\t")
    cells[4] = "7" * 5000
    lines[i] = "\t".join(cells)
    path = out / "mapq-5000-digits.sam"
    path.write_text("\n".join(lines) + "\n")
    return path


def _gff3_lines(shared: Path, name: str) -> tuple[list[str], int]:
    lines = (shared / CONFORMANCE / "gff3" / name).read_text().splitlines()
    return lines, next(k for k, line in enumerate(lines) if line and not line.startswith("#"))


def gff3_end_5000_digits(shared: Path, out: Path) -> Path:
    """A corpus GFF3 whose first feature ends at a 5,000-digit position (found by the fuzzer)."""
    lines, i = _gff3_lines(shared, "genometools__cds_check_succ_6.gff3")
    cells = lines[i].split("\t")
    cells[4] = "9" * 5000
    lines[i] = "\t".join(cells)
    path = out / "end-5000-digits.gff3"
    path.write_text("\n".join(lines) + "\n")
    return path


def gff3_gap_superscript_length(shared: Path, out: Path) -> Path:
    """A corpus GFF3 whose Gap attribute has a length written '²' (a digit to str.isdigit, not to int)."""
    lines, _ = _gff3_lines(shared, "genometools__gap_fail6.gff3")
    lines = [line.replace("Gap=M", "Gap=M\u00b2 M", 1) if "Gap=" in line else line for line in lines]
    path = out / "gap-superscript.gff3"
    path.write_text("\n".join(lines) + "\n")
    return path


def sam_b_array_long_digits(shared: Path, out: Path) -> Path:
    """A corpus SAM with a B-array tag value of 20,000 digits then a letter (the FLOAT regex's
    quadratic case, 1 s for a 5 KB file; found by bench/fuzz.py)."""
    lines = (shared / CONFORMANCE / "sam/htsjdk__not_stored_qualities.sam").read_text().splitlines()
    i = next(k for k, line in enumerate(lines) if line and not line.startswith("@"))
    lines[i] += "\tXf:B:f," + "9" * 20_000 + "x"
    path = out / "b-array-long-digits.sam"
    path.write_text("\n".join(lines) + "\n")
    return path
