"""Recipes for the imaging fixtures: small TIFF/OME-TIFF/PNG/JPEG/OME-Zarr files made on the spot.

tifffile + imagecodecs write the pixels, ome-types writes the OME-XML (so the
instrument, the channels and the fileset's TiffData/UUIDs are exactly as a
Bio-Formats export would carry them). Each recipe takes a folder and returns
the path it wrote; nothing here reads /work/shared or the network.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import tifffile
from ome_types import OME, to_xml
from ome_types.model import (
    Channel,
    Image,
    Instrument,
    Microscope,
    Objective,
    Pixels,
    TiffData,
)

SIZE = 64


def pixels(channels: int = 2, size: int = SIZE, dtype: str = "uint16") -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.integers(0, 200, size=(channels, size, size)).astype(dtype)


def ome_model(name: str, *, channels: int = 2, pixel_size: bool = True, instrument: bool = True,
              files: list[tuple[str, str]] | None = None, own_uuid: str | None = None) -> OME:
    """The OME model of a CYX image; ``files`` = [(file name, uuid)] holding one channel each."""
    own_uuid = own_uuid or uuid.uuid4().urn
    blocks = []
    if files:
        blocks = [TiffData(ifd=0, first_c=c, plane_count=1, uuid=TiffData.UUID(value=u, file_name=f))
                  for c, (f, u) in enumerate(files)]
    else:
        blocks = [TiffData(ifd=c, first_c=c, plane_count=1) for c in range(channels)]
    size_kw = dict(physical_size_x=0.65, physical_size_y=0.65, physical_size_x_unit="µm",
                   physical_size_y_unit="µm") if pixel_size else {}
    px = Pixels(dimension_order="XYZCT", type="uint16", size_x=SIZE, size_y=SIZE, size_z=1, size_c=channels,
                size_t=1, channels=[Channel(name=n, samples_per_pixel=1) for n in ("DAPI", "GFP")[:channels]],
                tiff_data_blocks=blocks, **size_kw)
    instruments = []
    image_kw = {}
    if instrument:
        instruments = [Instrument(id="Instrument:0",
                                  microscope=Microscope(manufacturer="Zeiss", model="LSM 980"),
                                  objectives=[Objective(id="Objective:0:0", manufacturer="Zeiss",
                                                        model="Plan-Apochromat", nominal_magnification=63,
                                                        lens_na=1.4)])]
        image_kw["instrument_ref"] = {"id": "Instrument:0"}
    return OME(uuid=own_uuid, instruments=instruments,
               images=[Image(id="Image:0", name=name, pixels=px, **image_kw)])


def ome_tiff(folder: Path, name: str = "cells.ome.tif", **kw: object) -> Path:
    """A valid two-channel OME-TIFF with pixel size 0.65 µm and a Zeiss LSM 980 (unless told otherwise)."""
    path = folder / name
    xml = to_xml(ome_model(name, **kw))  # type: ignore[arg-type]
    tifffile.imwrite(path, pixels(), description=xml.encode(), metadata=None, photometric="minisblack")
    return path


def ome_tiff_no_pixel_size(folder: Path) -> Path:
    return ome_tiff(folder, "nopixelsize.ome.tif", pixel_size=False)


def jpeg_tiff(folder: Path) -> Path:
    """A JPEG-compressed RGB TIFF with a pixel size (so lossiness is the only complaint)."""
    path = folder / "lossy.tif"
    data = np.random.default_rng(1).integers(0, 255, size=(SIZE, SIZE, 3), dtype=np.uint8)
    tifffile.imwrite(path, data, compression="jpeg", photometric="rgb", resolution=(20000, 20000),
                     resolutionunit="CENTIMETER", extratags=[(271, "s", 0, "Leica", True),
                                                             (272, "s", 0, "DM6", True)])
    return path


def plain_tiff(folder: Path, name: str = "plain.tif", *, bigtiff: bool = False,
               rows_per_strip: int = 16) -> Path:
    """A calibrated (0.5 µm/pixel), uncompressed grayscale TIFF with Make/Model, several strips."""
    path = folder / name
    data = pixels(1, dtype="uint8")[0]
    tifffile.imwrite(path, data, bigtiff=bigtiff, rowsperstrip=rows_per_strip, resolution=(20000, 20000),
                     resolutionunit="CENTIMETER", photometric="minisblack", metadata=None,
                     extratags=[(271, "s", 0, "Nikon", True), (272, "s", 0, "Ti2-E", True)])
    return path


def bigtiff(folder: Path) -> Path:
    return plain_tiff(folder, "big.tif", bigtiff=True)


def truncated_tiff(folder: Path) -> Path:
    """The plain TIFF cut 100 bytes before its end, inside its last strip."""
    path = plain_tiff(folder, "truncated.tif")
    with tifffile.TiffFile(path) as tif:
        page = tif.pages.first
        last_end = page.dataoffsets[-1] + page.databytecounts[-1]
        last_start = page.dataoffsets[-1]
    assert last_end == path.stat().st_size, "recipe expects the pixel data at the end of the file"
    cut = last_start + (last_end - last_start) // 2
    path.write_bytes(path.read_bytes()[:cut])
    return path


def pyramid_ome_tiff(folder: Path) -> Path:
    """A tiled OME-TIFF with two SubIFD pyramid levels below the full resolution."""
    path = folder / "pyramid.ome.tif"
    data = np.random.default_rng(3).integers(0, 255, size=(256, 256), dtype=np.uint8)
    meta = {"axes": "YX", "PhysicalSizeX": 0.25, "PhysicalSizeXUnit": "µm", "PhysicalSizeY": 0.25,
            "PhysicalSizeYUnit": "µm"}
    with tifffile.TiffWriter(path, ome=True) as tif:
        tif.write(data, subifds=2, tile=(64, 64), compression="zlib", metadata=meta,
                  photometric="minisblack")
        for factor in (2, 4):
            tif.write(data[::factor, ::factor], subfiletype=1, tile=(64, 64), compression="zlib",
                      photometric="minisblack")
    return path


def fileset(folder: Path, *, missing: bool = True) -> tuple[Path, Path]:
    """A two-file OME-TIFF fileset (one channel per file); the second file removed when ``missing``."""
    names = ("set_c0.ome.tif", "set_c1.ome.tif")
    uuids = [uuid.uuid4().urn for _ in names]
    files = list(zip(names, uuids, strict=True))
    data = pixels()
    for c, (name, own) in enumerate(files):
        xml = to_xml(ome_model("set", files=files, own_uuid=own))
        tifffile.imwrite(folder / name, data[c], description=xml.encode(), metadata=None,
                         photometric="minisblack")
    if missing:
        (folder / names[1]).unlink()
    return folder / names[0], folder / names[1]


def damaged_tiff(folder: Path) -> Path:
    """A Deflate-compressed TIFF whose first strip's bytes were overwritten (the size is unchanged)."""
    path = folder / "damaged.tif"
    tifffile.imwrite(path, pixels(1, dtype="uint8")[0], compression="zlib", rowsperstrip=16,
                     resolution=(20000, 20000), resolutionunit="CENTIMETER", metadata=None,
                     extratags=[(271, "s", 0, "Nikon", True), (272, "s", 0, "Ti2-E", True)])
    with tifffile.TiffFile(path) as tif:
        offset = tif.pages.first.dataoffsets[0]
    raw = bytearray(path.read_bytes())
    raw[offset:offset + 8] = b"\xff" * 8
    path.write_bytes(bytes(raw))
    return path


def no_ifd_tiff(folder: Path) -> Path:
    """A TIFF header whose first-IFD offset points far past the end of the file."""
    path = folder / "noifd.tif"
    path.write_bytes(b"II*\x00" + b"\xff\xff\xff\x7f" + b"\x00" * 100)
    return path


def all_tiffs(folder: Path) -> dict[str, Path]:
    """Every TIFF fixture, by name (used by the peer agreement test)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {
        "ome": ome_tiff(folder),
        "no-pixel-size": ome_tiff_no_pixel_size(folder),
        "jpeg": jpeg_tiff(folder),
        "plain": plain_tiff(folder),
        "bigtiff": bigtiff(folder),
        "truncated": truncated_tiff(folder),
        "pyramid": pyramid_ome_tiff(folder),
    }
    out["fileset-missing"] = fileset(folder)[0]
    out["damaged"] = damaged_tiff(folder)
    out["no-ifd"] = no_ifd_tiff(folder)
    return out


def png(folder: Path, name: str = "plate.png", *, pixel_size_um: float | None = None) -> Path:
    """A grayscale PNG (imagecodecs), with a pHYs chunk in pixels per metre when a pixel size is given."""
    import struct
    import zlib

    import imagecodecs

    encoded = imagecodecs.png_encode(pixels(1, dtype="uint8")[0])
    if pixel_size_um:
        ppm = round(1e6 / pixel_size_um)
        body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)
        chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
        end_of_ihdr = 8 + 8 + 13 + 4
        encoded = encoded[:end_of_ihdr] + chunk + encoded[end_of_ihdr:]
    path = folder / name
    path.write_bytes(encoded)
    return path


def jpeg(folder: Path, name: str = "photo.jpg") -> Path:
    import imagecodecs

    path = folder / name
    data = np.random.default_rng(5).integers(0, 255, size=(SIZE, SIZE, 3), dtype=np.uint8)
    path.write_bytes(imagecodecs.jpeg_encode(data, level=90))
    return path


def cut(path: Path, keep: float = 0.6) -> Path:
    """The file cut to ``keep`` of its length, in place."""
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    return path


def ome_zarr(folder: Path, name: str = "image.zarr", *, version: str = "0.4", levels: int = 3,
             units: bool = True) -> Path:
    """An OME-Zarr (NGFF 0.4 on Zarr v2, or 0.5 on Zarr v3) CYX pyramid with a 0.5 µm pixel size."""
    import zarr

    path = folder / name
    group = zarr.open_group(str(path), mode="w", zarr_format=2 if version == "0.4" else 3)
    data = pixels(2, 128)
    datasets = []
    for level in range(levels):
        factor = 2 ** level
        array = group.create_array(str(level), shape=data[:, ::factor, ::factor].shape, dtype=data.dtype,
                                   chunks=(1, 32, 32))
        array[:] = data[:, ::factor, ::factor]
        datasets.append({"path": str(level), "coordinateTransformations": [
            {"type": "scale", "scale": [1.0, 0.5 * factor, 0.5 * factor]}]})
    unit = {"unit": "micrometer"} if units else {}
    axes = [{"name": "c", "type": "channel"}, {"name": "y", "type": "space", **unit},
            {"name": "x", "type": "space", **unit}]
    multiscales = [{"name": name, "axes": axes, "datasets": datasets}]
    if version == "0.4":
        multiscales[0]["version"] = "0.4"
        group.attrs["multiscales"] = multiscales
    else:
        group.attrs["ome"] = {"version": "0.5", "multiscales": multiscales}
    return path


def ome_zarr_missing_array(folder: Path) -> Path:
    """An OME-Zarr whose last resolution level's array was not copied."""
    import shutil

    path = ome_zarr(folder, "incomplete.zarr")
    shutil.rmtree(path / "2")
    return path


# -- microscope originals, written by their published layouts ---------------------------------------

CZI_XML = ("<ImageDocument><Metadata><Scaling><Items><Distance Id=\"X\"><Value>1.0E-07</Value></Distance>"
           "<Distance Id=\"Y\"><Value>1.0E-07</Value></Distance></Items></Scaling><Information><Instrument>"
           "<Microscopes><Microscope Id=\"Microscope:1\" Name=\"Axio Observer\"><System>Axio Observer.Z1 / 7"
           "</System></Microscope></Microscopes></Instrument></Information></Metadata></ImageDocument>")


def _czi_segment(kind: bytes, data: bytes, allocated: int | None = None) -> bytes:
    import struct

    allocated = allocated or len(data)
    return kind.ljust(16, b"\0") + struct.pack("<qq", allocated, len(data)) + data.ljust(allocated, b"\0")


def czi(folder: Path, name: str = "scan.czi") -> Path:
    """A CZI with a file header, a metadata segment (scaling 0.1 µm, an Axio Observer) and a directory."""
    import struct

    xml = CZI_XML.encode()
    metadata = _czi_segment(b"ZISRAWMETADATA", struct.pack("<ii", len(xml), 0).ljust(256, b"\0") + xml)
    meta_at = 32 + 512
    dir_at = meta_at + len(metadata)
    head = struct.pack("<ii", 1, 0) + b"\0" * 8 + b"\1" * 16 + b"\1" * 16 + struct.pack("<iqqiq", 0, dir_at,
                                                                                        meta_at, 0, 0)
    directory = _czi_segment(b"ZISRAWDIRECTORY", struct.pack("<i", 0).ljust(128, b"\0"))
    path = folder / name
    path.write_bytes(_czi_segment(b"ZISRAWFILE", head, 512) + metadata + directory)
    return path


def lif(folder: Path, name: str = "stack.lif") -> Path:
    """A LIF: header XML with a 512 x 512 image of 0.1 µm pixels on a TCS SP8, and one memory block."""
    import struct

    xml = ("<LMSDataContainerHeader Version=\"2\"><Element Name=\"stack\"><Data><Image><ImageDescription>"
           "<Dimensions><DimensionDescription DimID=\"1\" NumberOfElements=\"512\" Length=\"5.11e-05\" "
           "Unit=\"m\"/><DimensionDescription DimID=\"2\" NumberOfElements=\"512\" Length=\"5.11e-05\" "
           "Unit=\"m\"/></Dimensions></ImageDescription></Image></Data><Attachment "
           "SystemTypeName=\"TCS SP8\"/></Element></LMSDataContainerHeader>").encode("utf-16-le")
    header = struct.pack("<i", 0x70) + struct.pack("<i", 1 + 4 + len(xml)) + b"\x2a" + \
        struct.pack("<i", len(xml) // 2) + xml
    label = "MemBlock_1".encode("utf-16-le")
    payload = bytes(range(256)) * 4
    block = struct.pack("<ii", 0x70, 0) + b"\x2a" + struct.pack("<q", len(payload)) + b"\x2a" + \
        struct.pack("<i", len(label) // 2) + label + payload
    path = folder / name
    path.write_bytes(header + block)
    return path


def nd2(folder: Path, name: str = "well.nd2") -> Path:
    import struct

    body = b"\xda\xce\xbe\x0a" + b"\0" * 1000
    path = folder / name
    path.write_bytes(body + b"ND2 CHUNK MAP SIGNATURE 0000001!" + struct.pack("<Q", 512))
    return path


def oir(folder: Path, name: str = "field.oir") -> Path:
    path = folder / name
    path.write_bytes(b"OLYMPUSRAWFORMAT" + b"\0" * 512)
    return path


def lsm(folder: Path, name: str = "confocal.lsm") -> Path:
    """A Zeiss LSM (a TIFF with the CZ_LSMINFO tag and a thumbnail page): voxel 0.2 x 0.2 x 1 µm."""
    info = np.zeros(1, np.dtype(tifffile.TIFF.CZ_LSMINFO))
    info["MagicNumber"], info["StructureSize"] = 0x0400494C, info.dtype.itemsize
    for key, value in (("DimensionX", SIZE), ("DimensionY", SIZE), ("DimensionZ", 1),
                       ("DimensionChannels", 1), ("DimensionTime", 1), ("DataType", 1),
                       ("VoxelSizeX", 2e-7), ("VoxelSizeY", 2e-7), ("VoxelSizeZ", 1e-6)):
        info[key] = value
    data = pixels(1, dtype="uint8")[0]
    path = folder / name
    with tifffile.TiffWriter(path) as tif:
        tif.write(data, metadata=None, extratags=[(34412, "B", info.dtype.itemsize, info.tobytes(), True)])
        tif.write(data[::4, ::4], metadata=None, subfiletype=1)
    return path


def svs(folder: Path, name: str = "slide.svs") -> Path:
    """An Aperio SVS (a TIFF whose description starts 'Aperio'): MPP 0.499 on a GT450."""
    path = folder / name
    tifffile.imwrite(path, pixels(1, dtype="uint8")[0], metadata=None,
                     description="Aperio Image Library v12.0.15 \n64x64 (240x240) RGB|AppMag = 20|"
                                 "MPP = 0.4990|ScannerType = GT450")
    return path


def compressed_tiff(folder: Path, name: str, compression: str, args: dict[str, object]) -> Path:
    """A calibrated RGB TIFF with Make/Model, compressed with an imagecodecs codec and its arguments."""
    path = folder / name
    data = np.random.default_rng(1).integers(0, 255, size=(SIZE, SIZE, 3), dtype=np.uint8)
    tifffile.imwrite(path, data, compression=compression, compressionargs=args, photometric="rgb",
                     resolution=(20000, 20000), resolutionunit="CENTIMETER",
                     extratags=[(271, "s", 0, "Leica", True), (272, "s", 0, "DM6", True)])
    return path


def companion_fileset(folder: Path, *, missing: str = "") -> Path:
    """A BinaryOnly OME-TIFF pair with a .companion.ome holding the metadata (as bfconvert writes);
    ``missing`` names a file to remove afterwards ("companion" or "c1")."""
    from ome_types.model import OME as OMEModel

    names = ("cmp_c0.ome.tif", "cmp_c1.ome.tif")
    uuids = [uuid.uuid4().urn for _ in names]
    files = list(zip(names, uuids, strict=True))
    meta = ome_model("cmp", files=files)
    (folder / "cmp.companion.ome").write_text(to_xml(meta), encoding="utf-8")
    data = pixels()
    for c, (name, own) in enumerate(files):
        binary = OMEModel(uuid=own, binary_only=OMEModel.BinaryOnly(metadata_file="cmp.companion.ome",
                                                                    uuid=meta.uuid))
        tifffile.imwrite(folder / name, data[c], description=to_xml(binary).encode(), metadata=None,
                         photometric="minisblack")
    if missing == "companion":
        (folder / "cmp.companion.ome").unlink()
    elif missing == "c1":
        (folder / names[1]).unlink()
    return folder / names[0]


def bioformats2raw_zarr(folder: Path, name: str = "converted.zarr", *, missing_series: bool = False) -> Path:
    """bioformats2raw's layout: 'bioformats2raw.layout': 3 at the top, an OME group listing the
    series, each series an NGFF 0.4 image group ('0', '1'); series '1' removed when told."""
    import shutil

    import zarr

    path = folder / name
    root = zarr.open_group(str(path), mode="w", zarr_format=2)
    root.attrs["bioformats2raw.layout"] = 3
    ome_zarr(path, "0")
    ome_zarr(path, "1", levels=2)
    meta = zarr.open_group(str(path / "OME"), mode="w", zarr_format=2)
    meta.attrs["series"] = ["0", "1"]
    (path / "OME" / "METADATA.ome.xml").write_text(to_xml(ome_model("converted")), encoding="utf-8")
    if missing_series:
        shutil.rmtree(path / "1")
    return path
