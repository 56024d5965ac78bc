"""Recipe for the example project ``chipseq-dmel`` (run it to regenerate every file, byte for byte).

    python -m depositdesk.resources.examples.make_chipseq_example [OUTPUT_FOLDER]

A modENCODE-style ChIP-seq of the GAGA factor (Trl, FBgn0013263) in
Drosophila melanogaster stage-11 embryos: two biological replicates, each
with a ChIP and an input control, single-end 50 bp reads. The reads are
simulated (seeded): ChIP reads pile up around a few binding sites, input
reads fall evenly over the genome. The files are real formats made with the
real libraries: FASTQ.gz (gzip with mtime 0), BAM (pysam, coordinate-sorted,
indexed, @SQ lines with the true dm6 lengths), bigWig (pyBigWig), GFF3.
"""

from __future__ import annotations

import gzip
import io
import random
import sys
from pathlib import Path

from depositdesk.resources.examples.chipseq_metadata import STEM, make_idf, make_sdrf

SEED = 7227
READ_LENGTH = 50
READS_PER_LIBRARY = 300
CHIP_FRACTION = 0.7
TARGETS_JSON = '{\n "targets": [\n  "geo"\n ]\n}\n'
"""The example's chosen target (.depositdesk/targets.json, as set_project_targets writes it)."""
BIN = 50
DM6 = [("chr2L", 23513712), ("chr2R", 25286936), ("chr3L", 28110227), ("chr3R", 32079331),
       ("chrX", 23542271), ("chr4", 1348131)]
BINDING_SITES = [("chr2L", 1_203_450), ("chr2L", 9_877_120), ("chr2R", 14_500_300), ("chr3L", 3_030_060),
                 ("chr3R", 20_040_800), ("chr3R", 27_600_250), ("chrX", 11_111_500), ("chr4", 880_700)]
LIBRARIES = [  # (library, replicate, is ChIP)
    ("GAF_ChIP_rep1", 1, True), ("input_rep1", 1, False),
    ("GAF_ChIP_rep2", 2, True), ("input_rep2", 2, False),
]


def simulate_reads(rng: random.Random, chip: bool) -> list[tuple[str, int, bool, str, str]]:
    """(chrom, 0-based start, reverse?, sequence, qualities) of one library, unsorted."""
    total = sum(length for _, length in DM6)
    reads = []
    for _ in range(READS_PER_LIBRARY):
        if chip and rng.random() < CHIP_FRACTION:
            chrom, centre = rng.choice(BINDING_SITES)
            start = max(0, int(rng.gauss(centre, 80)) - READ_LENGTH // 2)
        else:
            chrom, start = _genome_position(rng.randrange(total))
        sequence = "".join(rng.choice("ACGT") for _ in range(READ_LENGTH))
        qualities = "".join(rng.choice("FFFFF:,") for _ in range(READ_LENGTH))
        reads.append((chrom, start, rng.random() < 0.5, sequence, qualities))
    return reads


def _genome_position(spot: int) -> tuple[str, int]:
    """The chromosome and start of the ``spot``-th base of the genome (chromosomes end to end)."""
    for name, length in DM6:
        if spot < length:
            return name, min(spot, length - READ_LENGTH)
        spot -= length
    raise ValueError("position beyond the genome")


def write_fastq(path: Path, library: str, reads) -> None:
    text = io.StringIO()
    for i, (_, _, _, sequence, qualities) in enumerate(reads, start=1):
        text.write(f"@{library}.{i} {i}/1\n{sequence}\n+\n{qualities}\n")
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(text.getvalue().encode("ascii"))


def write_bam(path: Path, library: str, reads) -> None:
    import pysam

    header = {"HD": {"VN": "1.6", "SO": "coordinate"},
              "SQ": [{"SN": name, "LN": length, "AS": "dm6"} for name, length in DM6],
              "RG": [{"ID": library, "SM": library, "PL": "ILLUMINA", "LB": library}],
              "PG": [{"ID": "make_chipseq_example", "PN": "depositdesk example recipe",
                      "DS": "simulated alignments, not a real aligner's output"}]}
    order = {name: i for i, (name, _) in enumerate(DM6)}
    numbered = [(order[r[0]], r[1], i, r) for i, r in enumerate(reads, start=1)]
    with pysam.AlignmentFile(str(path), "wb", header=header) as out:
        for ref, start, i, (_, _, reverse, sequence, qualities) in sorted(numbered):
            seg = pysam.AlignedSegment(out.header)
            seg.query_name = f"{library}.{i}"
            seg.reference_id = ref
            seg.reference_start = start
            seg.mapping_quality = 40
            seg.cigarstring = f"{READ_LENGTH}M"
            seg.flag = 16 if reverse else 0
            seg.query_sequence = sequence
            seg.query_qualities = pysam.qualitystring_to_array(qualities)
            seg.set_tag("RG", library)
            out.write(seg)
    pysam.index(str(path))


def write_bigwig(path: Path, reads) -> None:
    """Read coverage in 50 bp bins (reads per bin), only where there are reads."""
    import pyBigWig

    bins: dict[tuple[str, int], int] = {}
    for chrom, start, *_ in reads:
        for b in range(start // BIN, (start + READ_LENGTH - 1) // BIN + 1):
            bins[(chrom, b)] = bins.get((chrom, b), 0) + 1
    bw = pyBigWig.open(str(path), "w")
    bw.addHeader(DM6, maxZooms=2)
    for chrom, length in DM6:
        keys = sorted(b for c, b in bins if c == chrom)
        if keys:
            bw.addEntries([chrom] * len(keys), [b * BIN for b in keys],
                          ends=[min((b + 1) * BIN, length) for b in keys],
                          values=[float(bins[(chrom, b)]) for b in keys])
    bw.close()


def write_peaks(path: Path, replicate: int, chip_reads, input_reads) -> None:
    """GFF3 of the binding sites with ChIP and input read counts within 250 bp."""
    lines = ["##gff-version 3"]
    lines += [f"##sequence-region {name} 1 {length}" for name, length in DM6]
    for n, (chrom, centre) in enumerate(BINDING_SITES, start=1):
        chip = sum(1 for c, s, *_ in chip_reads if c == chrom and abs(s - centre) <= 250)
        control = sum(1 for c, s, *_ in input_reads if c == chrom and abs(s - centre) <= 250)
        if chip < 3:
            continue
        lines.append("\t".join([chrom, "depositdesk-example", "TF_binding_site", str(centre - 250),
                                str(centre + 250), f"{chip:.1f}", ".", ".",
                                f"ID=GAF_rep{replicate}_peak{n};Name=GAF peak {n};chip_reads={chip};"
                                f"input_reads={control};Ontology_term=SO:0000235"]))
    path.write_text("\n".join(lines) + "\n", encoding="ascii")


def make_data(folder: Path) -> None:
    """Every data file of the example (FASTQ.gz, BAM + BAI, bigWig, GFF3) into ``folder``."""
    rng = random.Random(SEED)
    reads = {lib: simulate_reads(rng, chip) for lib, _, chip in LIBRARIES}
    for lib, _, chip in LIBRARIES:
        write_fastq(folder / f"{lib}.fastq.gz", lib, reads[lib])
        write_bam(folder / f"{lib}.bam", lib, reads[lib])
        if chip:
            write_bigwig(folder / f"{lib}.bw", reads[lib])
    for rep in (1, 2):
        write_peaks(folder / f"GAF_peaks_rep{rep}.gff3", rep, reads[f"GAF_ChIP_rep{rep}"], reads[f"input_rep{rep}"])


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / STEM
    out.mkdir(parents=True, exist_ok=True)
    make_data(out)
    make_sdrf().write(out / f"{STEM}.sdrf.txt")
    make_idf().write(out / f"{STEM}.idf.txt")
    (out / ".depositdesk").mkdir(exist_ok=True)
    (out / ".depositdesk" / "targets.json").write_text(TARGETS_JSON, encoding="utf-8")
    print(f"wrote the example project into {out}")
