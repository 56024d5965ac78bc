"""The example project is real: its data files open in the real libraries, and the recipe is exact."""

from __future__ import annotations

import gzip
import hashlib
import subprocess
import sys
from pathlib import Path

import pyBigWig
import pysam

from depositdesk.magetab.project import Project
from depositdesk.resources.examples import EXAMPLE_PROJECT
from depositdesk.resources.examples.make_chipseq_example import DM6, READS_PER_LIBRARY


def test_files_named_in_the_sdrf_are_all_there() -> None:
    project = Project.open(EXAMPLE_PROJECT)
    files = project.data_files()
    assert len(files) == 12 and all(p.is_file() for p in files)
    assert sum(p.stat().st_size for p in EXAMPLE_PROJECT.iterdir()) < 1_000_000


def test_fastq_bam_bigwig_gff3_are_real() -> None:
    with gzip.open(EXAMPLE_PROJECT / "GAF_ChIP_rep1.fastq.gz", "rt") as fastq:
        lines = fastq.read().splitlines()
    assert len(lines) == 4 * READS_PER_LIBRARY and lines[0].startswith("@GAF_ChIP_rep1.1")
    with pysam.AlignmentFile(str(EXAMPLE_PROJECT / "GAF_ChIP_rep1.bam"), "rb") as bam:
        assert list(zip(bam.references, bam.lengths)) == DM6
        assert bam.header.to_dict()["HD"]["SO"] == "coordinate"
        assert bam.check_index() and bam.mapped == READS_PER_LIBRARY
        assert sum(1 for _ in bam.fetch("chr4")) > 0
    bw = pyBigWig.open(str(EXAMPLE_PROJECT / "GAF_ChIP_rep1.bw"))
    try:
        assert bw.chroms() == dict(DM6) and bw.stats("chr4", 880_000, 881_500)[0] > 0
    finally:
        bw.close()
    gff = (EXAMPLE_PROJECT / "GAF_peaks_rep1.gff3").read_text().splitlines()
    assert gff[0] == "##gff-version 3" and all(len(line.split("\t")) == 9 for line in gff if line[0] != "#")


def test_recipe_regenerates_every_file_byte_for_byte(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "depositdesk.resources.examples.make_chipseq_example",
                           str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    def digests(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}

    assert digests(tmp_path) == digests(EXAMPLE_PROJECT)
