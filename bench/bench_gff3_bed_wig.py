"""GFF3, BED and WIG validation speed and memory beside the peers, in the same run on the same files.

Generates once, deterministically, into bench/_data/:
- a GFF3 of 1,000,000 features (genes, each with one mRNA, 4 exons and 4 CDS
  with correct phases, ``###`` after every gene as Ensembl writes it);
- a sorted BED6 of 2,000,000 peaks over 22 chromosomes;
- a WIG of 8,000,000 data lines (variableStep and fixedStep sections).
``--scale 0.1`` makes all three ten times smaller for a quick run.

Then times, for each file, our full validation through the engine (findings +
md5, no cache) beside ``md5sum`` (the floor: reading and hashing) and the peer
that parses the format: ``gt gff3validator`` (GenomeTools) for GFF3,
``bedtools merge`` (streams a sorted BED, parses every field) and
``bedtools sort`` for BED. Prints seconds, MB/s and peak RSS.

    .venv/bin/python -m bench.bench_gff3_bed_wig --scale 0.1
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bench._common import Measure, apt_install, data_dir, have, measure, print_table, python_command

GFF3_FEATURES = 1_000_000
BED_LINES = 2_000_000
WIG_LINES = 8_000_000
CHROMS = [f"chr{i}" for i in range(1, 23)]


def generate_gff3(path: Path, features: int, seed: int = 3) -> None:
    """Genes of 10 features each: gene, mRNA, 4 exons, 4 CDS whose phases follow from the lengths before."""
    rng = random.Random(seed)
    genes = max(1, features // 10)
    per_chrom = -(-genes // len(CHROMS))
    with path.open("w") as out:
        out.write("##gff-version 3\n")
        for chrom in CHROMS:
            out.write(f"##sequence-region {chrom} 1 250000000\n")
        g = 0
        for chrom in CHROMS:
            pos = 1000
            for _ in range(min(per_chrom, genes - g)):
                g += 1
                pos = _write_gene(out, rng, chrom, pos, g) + rng.randint(500, 5000)


def _write_gene(out: TextIO, rng: random.Random, chrom: str, pos: int, g: int) -> int:
    strand = "+" if g % 2 else "-"
    exons = []
    start = pos
    for _ in range(4):
        length = rng.randint(60, 400)
        exons.append((start, start + length - 1))
        start += length + rng.randint(80, 2000)
    end = exons[-1][1]
    gid, tid = f"gene{g}", f"tx{g}"
    out.write(f"{chrom}\tbench\tgene\t{pos}\t{end}\t.\t{strand}\t.\tID={gid};Name=G{g};biotype=protein_coding\n")
    out.write(f"{chrom}\tbench\tmRNA\t{pos}\t{end}\t.\t{strand}\t.\tID={tid};Parent={gid};Name=T{g}\n")
    for i, (a, b) in enumerate(exons, 1):
        out.write(f"{chrom}\tbench\texon\t{a}\t{b}\t.\t{strand}\t.\tID=exon{g}.{i};Parent={tid}\n")
    phase = 0
    for a, b in exons if strand == "+" else reversed(exons):
        out.write(f"{chrom}\tbench\tCDS\t{a}\t{b}\t.\t{strand}\t{phase}\tID=cds{g};Parent={tid}\n")
        phase = (3 - ((b - a + 1) - phase) % 3) % 3
    out.write("###\n")
    return end


def generate_bed(path: Path, lines: int, seed: int = 5) -> None:
    rng = random.Random(seed)
    per_chrom = -(-lines // len(CHROMS))
    with path.open("w") as out:
        written = 0
        for chrom in sorted(CHROMS):
            pos = 0
            rows = []
            for i in range(min(per_chrom, lines - written)):
                pos += rng.randint(10, 500)
                rows.append(f"{chrom}\t{pos}\t{pos + rng.randint(50, 900)}\tpeak_{chrom}_{i}\t"
                            f"{rng.randint(0, 1000)}\t{'+-.'[i % 3]}\n")
            written += len(rows)
            out.write("".join(rows))


def generate_wig(path: Path, lines: int, seed: int = 9) -> None:
    """Half variableStep (span=25), half fixedStep (step=span=10), sections of 100,000 values."""
    rng = random.Random(seed)
    with path.open("w") as out:
        out.write("track type=wiggle_0 name=bench\n")
        written, section = 0, 0
        while written < lines:
            chrom = CHROMS[section // 4 % len(CHROMS)]
            n = min(100_000, lines - written)
            if section % 2 == 0:
                pos = 1 + (section % 4) * 50_000_000
                out.write(f"variableStep chrom={chrom} span=25\n")
                rows = []
                for _ in range(n):
                    pos += rng.randint(25, 200)
                    rows.append(f"{pos}\t{rng.random() * 50:.3f}\n")
            else:
                out.write(f"fixedStep chrom={chrom} start={1 + (section % 4) * 50_000_000} step=10 span=10\n")
                rows = [f"{rng.random() * 20:.2f}\n" for _ in range(n)]
            out.write("".join(rows))
            written += n
            section += 1


def _without_terminators(source: Path, out: Path) -> None:
    with source.open() as src, out.open("w") as dst:
        dst.writelines(line for line in src if line != "###\n")


OURS = """
import sys
from pathlib import Path
from depositdesk.progress import run
from depositdesk.validators.engine import validate_file
report = run(validate_file(Path({path!r}), use_cache=False))
bad = [f.describe() for f in report.findings if f.severity >= 2]
print(report.format, report.stats, report.md5, bad[:3], file=sys.stderr)
sys.exit(0 if not bad and report.md5 else 3)
"""


def ensure(path: Path, make: Callable[[Path, int], None], size: int) -> Path:
    if not path.exists():
        print(f"generating {path.name} ...", flush=True)
        tmp = path.with_suffix(".tmp")
        make(tmp, size)
        tmp.rename(path)
    return path


def run_all(scale: float) -> None:
    apt_install("genometools", "bedtools")
    d = data_dir()
    tag = "" if scale == 1 else f"_x{scale:g}"
    gff3 = ensure(d / f"bench{tag}.gff3", generate_gff3, int(GFF3_FEATURES * scale))
    flat = ensure(d / f"bench{tag}_no_terminators.gff3", lambda out, _: _without_terminators(gff3, out), 0)
    bed = ensure(d / f"bench{tag}.bed", generate_bed, int(BED_LINES * scale))
    wig = ensure(d / f"bench{tag}.wig", generate_wig, int(WIG_LINES * scale))

    tables: list[tuple[str, Path, list[Measure], str]] = []  # (title, file, rows, peer for the ratio)
    for path, how in ((gff3, "'###' after every gene"), (flat, "no '###': every ID held to the end")):
        rows = [_ours(path), _md5sum(path)]
        if have("gt"):
            rows.append(measure("gt gff3validator", ["gt", "gff3validator", str(path)], path.stat().st_size))
        tables.append((f"GFF3 {path.name}: {_mb(path)}, {int(GFF3_FEATURES * scale):,} features, {how}",
                       path, rows, "gt gff3validator"))
    rows = [_ours(bed), _md5sum(bed)]
    if have("bedtools"):
        rows.append(measure("bedtools merge -i (sorted stream)", ["bedtools", "merge", "-i", str(bed)],
                            bed.stat().st_size))
        rows.append(measure("bedtools sort -i", ["bedtools", "sort", "-i", str(bed)], bed.stat().st_size))
    tables.append((f"BED {bed.name}: {_mb(bed)}, {int(BED_LINES * scale):,} lines", bed, rows, ""))
    tables.append((f"WIG {wig.name}: {_mb(wig)}, {int(WIG_LINES * scale):,} data lines (no Debian peer parses "
                   "WIG; md5sum for scale)", wig, [_ours(wig), _md5sum(wig)], ""))
    # in-process runs last: this process grows, and a forked child's peak RSS counts the parent's size
    for title, path, rows, peer in tables:
        rows.insert(1, _in_process(path))
        print_table(title, rows)
        if peer:
            _ratio(rows, peer)


def _mb(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def _ours(path: Path) -> Measure:
    return measure("depositdesk validate (findings + md5)", python_command(OURS.format(path=str(path))),
                   path.stat().st_size)


def _in_process(path: Path) -> Measure:
    """The same validation inside this process: the rate without the interpreter's ~0.5 s start."""
    from depositdesk.progress import run
    from depositdesk.validators.engine import validate_file
    started = time.perf_counter()
    report = run(validate_file(path, use_cache=False))
    seconds = time.perf_counter() - started
    ok = not [f for f in report.findings if f.severity >= 2]
    return Measure("  same, in-process (no interpreter start)", seconds, 0.0, path.stat().st_size, ok=ok)


def _md5sum(path: Path) -> Measure:
    return measure("md5sum", ["md5sum", str(path)], path.stat().st_size)


def _ratio(rows: list[Measure], peer: str) -> None:
    ours = rows[0]
    for m in rows:
        if m.label == peer and m.seconds > 0 and m.peak_rss_mb > 0:
            cpu = ""
            if ours.cpu_seconds and m.cpu_seconds:  # CPU seconds: fair when other work shares the cores
                cpu = f", CPU {ours.cpu_seconds / m.cpu_seconds:.2f}x ({ours.cpu_seconds:.2f} s / {m.cpu_seconds:.2f} s)"
            print(f"  ours / {peer}: time {ours.seconds / m.seconds:.2f}x{cpu}, "
                  f"memory {ours.peak_rss_mb / m.peak_rss_mb:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="size factor for all three inputs (default 1)")
    run_all(parser.parse_args().scale)


if __name__ == "__main__":
    main()
