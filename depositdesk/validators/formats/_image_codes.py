"""Finding codes of the image validators (TIFF/OME-TIFF, JPEG/PNG, OME-Zarr, microscope raw files).

One module for all image formats, because what a curator asks of an image is the
same whatever its container: is it the raw original (not a lossy copy), does it
say its pixel size and the instrument it was taken with, is it whole.
Targets that want raw data with metadata (BIA, IDR) raise IMG-LOSSY and
IMG-NO-PIXEL-SIZE to errors through their ``file_rules``.
"""

from __future__ import annotations

from depositdesk.findings import Severity, define

PART = "validators/imaging"
E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

UNREADABLE = define("IMG-UNREADABLE", E, "The image file's structure cannot be read",
                    "The file is damaged or not what its name says: copy it again from the microscope "
                    "or export it again.", part=PART)
TIFF_DAMAGED = define("IMG-TIFF-DAMAGED", W, "The TIFF structure is damaged in places a reader must work around",
                      "A tag points outside the file or has a wrong type; some readers will refuse the file. "
                      "Copy it again from the source, or re-save it with tifffile or bfconvert.", part=PART)
TRUNCATED = define("IMG-TRUNCATED", E, "The image data ends early: part of the pixels lie past the end of the file",
                   "The copy was interrupted. Copy the file again and compare its md5 with the source.",
                   part=PART)
DECODE = define("IMG-DECODE", E, "A strip or tile of the image cannot be decoded",
                "The pixel data is damaged or uses a compression no common reader supports; "
                "export the image again (uncompressed or LZW/Deflate/Zstd).", part=PART)
LOSSY = define("IMG-LOSSY", W, "The image uses lossy compression (a processed copy, not the raw original)",
               "Image archives (BioImage Archive, IDR) want the original acquisition files or a lossless "
               "export (OME-TIFF uncompressed, LZW, Deflate or Zstd); deposit those instead.", part=PART)
NO_PIXEL_SIZE = define("IMG-NO-PIXEL-SIZE", W, "The image does not say its pixel size (with a unit)",
                       "Without the physical pixel size nobody can measure in the image. Export as OME-TIFF "
                       "from the acquisition software, or set it in Fiji (Image > Properties) in µm.",
                       part=PART)
PIXEL_SIZE_IMPLAUSIBLE = define("IMG-PIXEL-SIZE-IMPLAUSIBLE", W,
                                "The pixel size is implausible for a microscope image",
                                "A value of 72/96/300 dpi or 1 pixel = 1 unit is a software default, not a "
                                "calibration; set the real pixel size in µm.", part=PART)
NO_INSTRUMENT = define("IMG-NO-INSTRUMENT", W, "The image does not name the instrument it was taken with",
                       "REMBI asks for the microscope manufacturer and model (OME Instrument/Microscope, or "
                       "the TIFF Make/Model tags); export from the acquisition software to keep them.",
                       part=PART)
OME_XML_INVALID = define("IMG-OME-XML-INVALID", E, "The OME-XML metadata is not valid",
                         "Readers (Bio-Formats, OMERO) may ignore or refuse it; re-export the OME-TIFF with "
                         "a current Bio-Formats (bfconvert) or tifffile.", part=PART)
FILESET_INCOMPLETE = define("IMG-FILESET-INCOMPLETE", E,
                            "A file of this multi-file OME-TIFF fileset is missing",
                            "Every file the OME-XML references must be deposited together in the same "
                            "folder; copy the missing ones.", part=PART)
FILESET_UUID = define("IMG-FILESET-UUID", E,
                      "A file of this OME-TIFF fileset is not the one the OME-XML references (UUID differs)",
                      "The files come from different exports; deposit the files of one export together.",
                      part=PART)
CHANNEL_UNNAMED = define("IMG-CHANNEL-UNNAMED", W, "A channel has no name",
                         "Name the channels (fluorophore or stain, e.g. DAPI, GFP) so that viewers and "
                         "curators know what each shows.", part=PART)
RAW_ORIGINAL = define("IMG-RAW-ORIGINAL", I, "A microscope's original (raw) file",
                      "", part=PART)
NOT_READ = define("IMG-METADATA-NOT-READ", I, "Part of the image's metadata could not be read here",
                  "Install the optional reader the message names to have pixel size and instrument read.",
                  part=PART)
ZARR_NOT_NGFF = define("IMG-ZARR-NOT-NGFF", E, "The Zarr store is not an OME-Zarr (NGFF) image",
                       "The store needs 'multiscales' metadata (NGFF 0.4 .zattrs or 0.5 zarr.json 'ome'); "
                       "convert with bioformats2raw or ome-zarr-py.", part=PART)
ZARR_ARRAY_MISSING = define("IMG-ZARR-ARRAY-MISSING", E, "A resolution level the OME-Zarr declares is missing",
                            "The store was copied incompletely; copy the whole folder again.", part=PART)
ZARR_AXES = define("IMG-ZARR-AXES", W, "The OME-Zarr axes are missing, invalid or without units",
                   "Declare axes with types (space/time/channel) and units (micrometer, second).",
                   part=PART)
ZARR_TRANSFORM = define("IMG-ZARR-TRANSFORM", E, "The OME-Zarr coordinate transformations are missing or invalid",
                        "Every dataset needs a 'scale' transformation with one value per axis.", part=PART)
