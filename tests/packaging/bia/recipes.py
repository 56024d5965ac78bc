"""An imaging project for the BioImage Archive package tests, made on the spot (tifffile writes the images).

Two study components (`Comment[study component]`: control, treated), two calibrated TIFFs each,
organism and imaging method with their term accessions, the IDF fields REMBI requires.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tifffile

IDF = """MAGE-TAB Version\t1.1
Investigation Title\tNuclear shape of HeLa cells under nocodazole, confocal images
Experimental Design\timaging
Public Release Date\t2030-01-31
Experiment Description\tConfocal images of DAPI-stained HeLa cells, untreated and after nocodazole, to compare nuclear shape.
Experimental Factor Name\tcompound
Experimental Factor Type\tcompound
Person Last Name\tExample\tCurator
Person First Name\tAda\tBea
Person Email\tada@example.org\t
Person Affiliation\tExample Imaging Lab\tExample Imaging Lab
Person Address\t1 Example Road, Example City\t1 Example Road, Example City
Person Roles\tsubmitter\tdata curator
Protocol Name\tP-PREP-1\tP-IMG-1
Protocol Type\tsample preparation protocol\timage acquisition protocol
Protocol Description\tCells fixed in 4% formaldehyde for 10 min, stained with DAPI, mounted in ProLong.\tZeiss LSM 980, 63x/1.4 oil objective, 405 nm excitation, 0.1 um pixels.
SDRF File\timaging.sdrf.txt
Term Source Name\tNCBITaxon\tFBbi\tEFO
Term Source File\thttp://purl.obolibrary.org/obo/ncbitaxon.owl\thttp://purl.obolibrary.org/obo/fbbi.owl\thttp://www.ebi.ac.uk/efo/efo.owl
Comment[Keywords]\tnucleus; confocal microscopy; nocodazole
Comment[License]\tCC BY 4.0
"""

HEADER = ["Source Name", "Characteristics[organism]", "Term Source REF", "Term Accession Number",
          "Characteristics[cell line]", "Protocol REF", "Sample Name", "Protocol REF", "Assay Name",
          "Parameter Value[imaging method]", "Term Source REF", "Term Accession Number",
          "Parameter Value[imaging instrument]", "Comment[study component]", "Factor Value[compound]", "Image File"]


def _tiff(path: Path, seed: int) -> None:
    data = (np.arange(16 * 16, dtype=np.uint16).reshape(16, 16) * (seed + 1)) % 4096
    tifffile.imwrite(path, data, resolution=(10.0, 10.0), resolutionunit="MICROMETER", photometric="minisblack")


def imaging_project(folder: Path) -> Path:
    """The project folder: imaging.idf.txt, imaging.sdrf.txt, images/*.tif."""
    (folder / "images").mkdir(parents=True)
    (folder / "imaging.idf.txt").write_text(IDF, encoding="utf-8")
    rows = []
    for n, (component, compound) in enumerate([("control", "none"), ("control", "none"),
                                               ("treated", "nocodazole"), ("treated", "nocodazole")]):
        name = f"images/{component}_{n + 1}.tif"
        _tiff(folder / name, n)
        rows.append([f"HeLa culture {n + 1}", "Homo sapiens", "NCBITaxon", "NCBITaxon:9606", "HeLa", "P-PREP-1",
                     f"slide {n + 1}", "P-IMG-1", f"image {n + 1}", "confocal microscopy", "FBbi", "FBbi:00000251",
                     "Zeiss LSM 980", component, compound, name])
    text = "\n".join("\t".join(r) for r in [HEADER, *rows]) + "\n"
    (folder / "imaging.sdrf.txt").write_text(text, encoding="utf-8")
    return folder
