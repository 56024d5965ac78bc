"""Small projects for the package tests, made from the bundled example (copied, never edited in place)."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import depositdesk.resources

EXAMPLE = Path(depositdesk.resources.__file__).parent / "examples" / "chipseq-dmel"


def example_project(folder: Path) -> Path:
    """The bundled ChIP-seq example project, copied into ``folder``."""
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".depositdesk"))
    return folder


def _fastq(path: Path, name: str, mate: int) -> None:
    reads = "".join(f"@{name}.{i}/{mate}\nACGTACGTAC\n+\nIIIIIIIIII\n" for i in range(4))
    path.write_bytes(gzip.compress(reads.encode(), mtime=0))


def paired_project(folder: Path, layout: str = "paired") -> Path:
    """The example's IDF with a paired-end RNA-seq SDRF: two libraries, R1/R2 FASTQ each, one count table.

    ``layout``: the library layout as the target spells it (SRA 'paired', ENA 'PAIRED').
    """
    folder.mkdir(parents=True)
    idf = (EXAMPLE / "chipseq-dmel.idf.txt").read_text(encoding="utf-8")
    (folder / "rnaseq.idf.txt").write_text(idf.replace("chipseq-dmel.sdrf.txt", "rnaseq.sdrf.txt"),
                                           encoding="utf-8")
    header = ["Source Name", "Characteristics[organism]", "Characteristics[organism part]",
              "Characteristics[sex]", "Characteristics[collection_date]", "Characteristics[geo_loc_name]",
              "Sample Name", "Assay Name",
              "Comment[title]", "Comment[library strategy]", "Comment[molecule]",
              "Comment[single or paired-end]", "Parameter Value[instrument model]",
              "Parameter Value[genome assembly]", "Comment[library source]", "Comment[library selection]",
              "Comment[library layout]", "Comment[platform]", "Comment[design description]",
              "Comment[filetype]", "Array Data File", "Derived Array Data File"]
    rows = []
    for lib in ("ctrl_1", "treated_1"):
        for mate in (1, 2):
            name = f"{lib}_R{mate}.fastq.gz"
            _fastq(folder / name, lib, mate)
            rows.append([f"embryos {lib}", "Drosophila melanogaster", "embryo", "pooled male and female",
                         "2026-03-02", "Germany: Heidelberg", f"sample {lib}", lib, f"{lib} embryos RNA",
                         "RNA-Seq", "polyA RNA", "paired-end", "Illumina NovaSeq 6000", "dm6",
                         "TRANSCRIPTOMIC", "PolyA", layout, "ILLUMINA", "polyA RNA of stage 11 embryos",
                         "fastq", name, "counts.txt"])
    (folder / "counts.txt").write_text("gene\tctrl_1\ttreated_1\nMARCH1\t3\t5\nSEPT2\t1\t0\n", encoding="utf-8")
    text = "\n".join("\t".join(r) for r in [header, *rows]) + "\n"
    (folder / "rnaseq.sdrf.txt").write_text(text, encoding="utf-8")
    return folder
