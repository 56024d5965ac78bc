"""The IDF and SDRF of the ChIP-seq example, written with the MAGE-TAB API (used by the recipe).

Terms: organism NCBITaxon:7227, stage FBdv:00005325 (embryonic stage 11),
organism part UBERON:0000922 (embryo), sex PATO:0001338, assay OBI:0000716
(ChIP-seq assay), instrument EFO:0004203 (Illumina HiSeq 2000), protocol
types from EFO, input DNA EFO:0005031, the target gene FlyBase FBgn0013263.
"""

from __future__ import annotations

from pathlib import Path

from depositdesk.magetab.idf import Idf
from depositdesk.magetab.sdrf import Sdrf

STEM = "chipseq-dmel"

PROTOCOLS = [  # name, type, EFO accession (or ""), description, parameters
    ("P-DMEL-GROWTH", "growth protocol", "EFO:0003789",
     "Oregon-R flies were kept in population cages at 25 °C; embryos were collected on apple-juice agar "
     "plates for 2 h and aged to 5.5-7.5 h after egg laying (stage 11), dechorionated in 50% bleach and "
     "fixed in 1.8% formaldehyde for 15 min.", ""),
    ("P-DMEL-CHROMATIN", "nucleic acid extraction protocol", "EFO:0002944",
     "Fixed embryos were homogenised, nuclei lysed, and chromatin sheared by sonication to 200-500 bp.", ""),
    ("P-DMEL-CHIP", "chromatin immunoprecipitation", "",
     "Sheared chromatin was immunoprecipitated overnight at 4 °C with a rabbit polyclonal anti-GAF antibody "
     "and protein A beads; crosslinks were reversed and DNA purified. Input DNA skipped this step.",
     "antibody"),
    ("P-DMEL-LIBRARY", "nucleic acid library construction protocol", "EFO:0004184",
     "Illumina TruSeq ChIP library preparation; end repair, A-tailing, adapter ligation, 15 PCR cycles.", ""),
    ("P-DMEL-SEQ", "nucleic acid sequencing protocol", "EFO:0004170",
     "Single-end 50 bp sequencing on an Illumina HiSeq 2000.", "instrument model"),
    ("P-DMEL-ALIGN", "high throughput sequence alignment protocol", "EFO:0004917",
     "Reads were aligned to the dm6 genome (Bowtie2, default settings); reads with MAPQ < 30 removed.",
     "genome assembly"),
    ("P-DMEL-PEAKS", "normalization data transformation protocol", "EFO:0003816",
     "Peaks were called from the ChIP against its input (MACS2, q < 0.01) and written as GFF3.", ""),
    ("P-DMEL-SIGNAL", "normalization data transformation protocol", "EFO:0003816",
     "Read coverage of the ChIP in 50 bp bins, written as bigWig.", ""),
]

TERM_SOURCES = [
    ("NCBITaxon", "http://purl.obolibrary.org/obo/ncbitaxon.owl", "2026-05-13"),
    ("FBdv", "http://purl.obolibrary.org/obo/fbdv.owl", "2026-04-02"),
    ("UBERON", "http://purl.obolibrary.org/obo/uberon.owl", "2026-04-01"),
    ("PATO", "http://purl.obolibrary.org/obo/pato.owl", "2025-05-14"),
    ("EFO", "http://www.ebi.ac.uk/efo/efo.owl", "3.90.0"),
    ("OBI", "http://purl.obolibrary.org/obo/obi.owl", ""),
    ("FlyBase", "http://flybase.org/", ""),
]

HEADER = [
    "Source Name", "Characteristics[organism]", "Term Source REF", "Term Accession Number",
    "Characteristics[strain]", "Characteristics[developmental stage]", "Term Source REF",
    "Term Accession Number", "Characteristics[organism part]", "Term Source REF", "Term Accession Number",
    "Characteristics[sex]", "Term Source REF", "Term Accession Number", "Characteristics[biological replicate]",
    "Material Type", "Protocol REF", "Sample Name", "Protocol REF", "Protocol REF", "Parameter Value[antibody]",
    "Extract Name", "Material Type", "Term Source REF", "Term Accession Number", "Protocol REF",
    "Comment[LIBRARY_LAYOUT]", "Comment[LIBRARY_SELECTION]", "Comment[library strategy]", "Comment[molecule]",
    "Comment[single or paired-end]", "Assay Name", "Comment[title]", "Technology Type",
    "Term Source REF", "Term Accession Number", "Protocol REF", "Parameter Value[instrument model]",
    "Term Source REF", "Term Accession Number", "Scan Name", "Array Data File", "Protocol REF",
    "Parameter Value[genome assembly]", "Derived Array Data File", "Protocol REF", "Derived Array Data File",
    "Factor Value[immunoprecipitate]", "Term Source REF", "Term Accession Number",
]


def _row(library: str, replicate: int, chip: bool, last_protocol: str, last_file: str, bam: str) -> list[str]:
    source = f"GAF embryos rep{replicate}"
    target = ("GAGA factor", "FlyBase", "FBgn0013263") if chip else ("input DNA", "EFO", "EFO:0005031")
    return [
        source, "Drosophila melanogaster", "NCBITaxon", "NCBITaxon:7227",
        "Oregon-R", "embryonic stage 11", "FBdv", "FBdv:00005325", "embryo", "UBERON", "UBERON:0000922",
        "mixed sex", "PATO", "PATO:0001338", str(replicate),
        "whole organism", "P-DMEL-GROWTH", f"chromatin rep{replicate}", "P-DMEL-CHROMATIN",
        "P-DMEL-CHIP" if chip else "", "anti-GAF (rabbit polyclonal)" if chip else "",
        library, "genomic DNA", "EFO", "EFO:0008479", "P-DMEL-LIBRARY",
        "SINGLE", "ChIP" if chip else "RANDOM", "ChIP-Seq", "genomic DNA", "single",
        library, f"{'GAF ChIP' if chip else 'input DNA'}, stage 11 embryos, biol rep{replicate}",
        "sequencing assay", "OBI", "OBI:0600047",
        "P-DMEL-SEQ", "Illumina HiSeq 2000", "EFO", "EFO:0004203", f"{library} run",
        f"{library}.fastq.gz", "P-DMEL-ALIGN", "dm6", bam, last_protocol, last_file,
        *target,
    ]


def make_sdrf(folder: Path | None = None) -> Sdrf:
    """Six rows: per replicate, the ChIP to peaks, the ChIP to its signal track, the input to peaks."""
    rows = []
    for rep in (1, 2):
        chip, control = f"GAF_ChIP_rep{rep}", f"input_rep{rep}"
        peaks = f"GAF_peaks_rep{rep}.gff3"
        rows.append(_row(chip, rep, True, "P-DMEL-PEAKS", peaks, f"{chip}.bam"))
        rows.append(_row(chip, rep, True, "P-DMEL-SIGNAL", f"{chip}.bw", f"{chip}.bam"))
        rows.append(_row(control, rep, False, "P-DMEL-PEAKS", peaks, f"{control}.bam"))
    path = (folder / f"{STEM}.sdrf.txt") if folder is not None else Path(f"{STEM}.sdrf.txt")
    return Sdrf(HEADER, rows, path)


def make_idf() -> Idf:
    idf = Idf.blank()
    idf.set("Investigation Title", ["GAGA factor (Trl) ChIP-seq in Drosophila melanogaster stage 11 embryos"])
    idf.set("Experimental Design", ["ChIP-seq assay"])
    idf.set("Experimental Design Term Source REF", ["OBI"])
    idf.set("Experimental Design Term Accession Number", ["OBI:0000716"])
    idf.set("Experimental Factor Name", ["immunoprecipitate"])
    idf.set("Experimental Factor Type", ["immunoprecipitate"])
    idf.set("Replicate Type", ["biological replicate"])
    idf.set("Replicate Term Source REF", ["EFO"])
    idf.set("Replicate Term Accession Number", ["EFO:0002091"])
    idf.set_records("person", [{
        "Person Last Name": "Example", "Person First Name": "Ada", "Person Mid Initials": "M",
        "Person Email": "ada.example@example.org", "Person Affiliation": "Example Fly Genomics Lab",
        "Person Address": "1 Example Road, Example City", "Person Roles": "submitter",
    }])
    idf.set("Date of Experiment", ["2026-03-02"])
    idf.set("Public Release Date", ["2026-12-31"])
    idf.set("Experiment Description", [
        "Genome-wide binding of the GAGA factor (Trl) in stage 11 Drosophila melanogaster embryos, two "
        "biological replicates with input controls (modENCODE-style). Example project of DepositDesk: "
        "the reads are simulated and the files are deliberately tiny."])
    idf.set_records("protocol", [{
        "Protocol Name": name, "Protocol Type": kind, "Protocol Term Source REF": "EFO" if acc else "",
        "Protocol Term Accession Number": acc, "Protocol Description": text, "Protocol Parameters": params,
    } for name, kind, acc, text, params in PROTOCOLS])
    idf.set("SDRF File", [f"{STEM}.sdrf.txt"])
    idf.set_records("term_source", [{"Term Source Name": n, "Term Source File": f, "Term Source Version": v}
                                    for n, f, v in TERM_SOURCES])
    idf.set("Comment[AEExperimentType]", ["ChIP-seq"])
    # What GEO asks beyond MAGE-TAB (depositdesk/packaging/targets/geo.py maps its fields):
    idf.set("Comment[Experimental Design Description]", [
        "ChIP-seq of the GAGA factor and of input DNA in two biological replicates of stage 11 embryos; "
        "peaks of each replicate are called against its own input."])
    idf.set("Comment[processed data files format and content]", [
        "GFF3: peaks of each replicate (MACS2, ChIP against input). bigWig: ChIP read coverage in 50 bp bins."])
    idf.set("Comment[License]", ["CC BY 4.0"])   # Zenodo and the BioImage Archive ask for one
    return idf
