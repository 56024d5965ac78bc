"""BAM validation speed beside its peers, measured in the same run on the same file.

Generates (once, deterministically) a coordinate-sorted paired-end BAM of
``--reads`` reads (default 5,000,000) with pysam's bundled samtools, then times:
our full validation through the engine (every record checked + md5, the way
the app runs it), md5sum alone, ``samtools view -c`` (decompress and count),
``samtools quickcheck`` (header + EOF only) and Picard ValidateSamFile when
Debian's picard-tools installs. Prints seconds, MB/s and peak RSS.

    .venv/bin/python -m bench.bench_bam --reads 200000
"""

from __future__ import annotations

import argparse
import random
from collections import deque
from pathlib import Path

from bench._common import Measure, apt_install, data_dir, have, measure, print_table, python_command

CHROMS = [("chr1", 60_000_000), ("chr2", 50_000_000), ("chr3", 40_000_000), ("chr4", 30_000_000)]
READ_LEN = 100
INSERT = 250


def generate(path: Path, reads: int, seed: int = 42) -> None:
    """Paired reads in coordinate order: mates wait in a FIFO until their position comes."""
    import pysam  # here, not at the top: a child's peak RSS starts from this process's size when forked
    rng = random.Random(seed)
    bases = "ACGT"
    seqs = ["".join(rng.choice(bases) for _ in range(READ_LEN)) for _ in range(512)]
    quals = ["".join(chr(33 + rng.randint(20, 40)) for _ in range(READ_LEN)) for _ in range(512)]
    sam = path.with_suffix(".sam")
    pairs = reads // 2
    per_chrom = -(-pairs // len(CHROMS))
    with open(sam, "w") as out:
        out.write("@HD\tVN:1.6\tSO:coordinate\n")
        out.writelines(f"@SQ\tSN:{name}\tLN:{length}\n" for name, length in CHROMS)
        out.write("@RG\tID:lane1\tSM:sample1\tPL:ILLUMINA\tLB:lib1\n@PG\tID:bench\tPN:bench_bam.py\n")
        lines: list[str] = []
        for c, (name, _) in enumerate(CHROMS):
            waiting: deque[tuple[int, str]] = deque()
            pos = 1000
            for i in range(c * per_chrom, min(pairs, (c + 1) * per_chrom)):
                pos += rng.randint(0, 30)
                while waiting and waiting[0][0] <= pos:
                    lines.append(waiting.popleft()[1])
                mate = pos + INSERT - READ_LEN
                k = i & 511
                qname = f"BENCH:1:{i // 10000}:{i % 10000}"
                lines.append(f"{qname}\t99\t{name}\t{pos}\t60\t{READ_LEN}M\t=\t{mate}\t{INSERT}\t{seqs[k]}\t"
                             f"{quals[k]}\tRG:Z:lane1\tNM:i:0\n")
                waiting.append((mate, f"{qname}\t147\t{name}\t{mate}\t60\t{READ_LEN}M\t=\t{pos}\t{-INSERT}\t"
                                      f"{seqs[k - 1]}\t{quals[k - 1]}\tRG:Z:lane1\tNM:i:1\n"))
                if len(lines) > 100_000:
                    out.writelines(lines)
                    lines.clear()
            lines.extend(item for _, item in waiting)
        out.writelines(lines)
    pysam.samtools.view("-b", "-o", str(path), str(sam), catch_stdout=False)
    sam.unlink()


OURS = """
import sys
from pathlib import Path
from depositdesk.progress import run
from depositdesk.validators.engine import validate_file
report = run(validate_file(Path({path!r}), use_cache=False))
bad = [f.describe() for f in report.findings if f.severity >= 3]
ok = report.stats.get("records") == {reads} and not bad and report.md5
print(report.stats, report.md5, bad[:3], file=sys.stderr)
sys.exit(0 if ok else 3)
"""


def cpu_ratio(peer: Measure, ours: Measure) -> str:
    if peer.cpu_seconds is None or not ours.cpu_seconds:
        return "n/a"
    return f"{peer.cpu_seconds / ours.cpu_seconds:.2f}x"


def picard_command(path: Path) -> list[str] | None:
    for tool in ("PicardCommandLine", "picard-tools", "picard"):
        if have(tool):
            return [tool, "ValidateSamFile", f"I={path}", "MODE=SUMMARY", "VALIDATION_STRINGENCY=SILENT"]
    jar = Path("/usr/share/java/picard.jar")
    if jar.exists() and have("java"):
        return ["java", "-jar", str(jar), "ValidateSamFile", f"I={path}", "MODE=SUMMARY"]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reads", type=int, default=5_000_000)
    parser.add_argument("--no-install", action="store_true", help="do not apt-get the peers")
    args = parser.parse_args()
    path = data_dir() / f"bench_{args.reads}.bam"
    if not path.exists():
        print(f"generating {path} ({args.reads:,} reads) ...")
        generate(path, args.reads)
    size = path.stat().st_size
    if not args.no_install:
        apt_install("samtools", "picard-tools")
    rows: list[Measure] = [
        measure("depositdesk validate (all checks + md5)", python_command(OURS.format(path=str(path),
                                                                                     reads=args.reads)), size),
        measure("md5sum", ["md5sum", str(path)], size),
    ]
    if have("samtools"):
        rows.append(measure("samtools view -c (decode + count)", ["samtools", "view", "-c", str(path)], size))
        rows.append(measure("samtools quickcheck (header + EOF)", ["samtools", "quickcheck", str(path)], size))
    else:
        print("samtools is not installed: its rows are missing")
    picard = picard_command(path)
    if picard:
        rows.append(measure("Picard ValidateSamFile (MODE=SUMMARY)", picard, size))
    else:
        print("Picard is not available (picard-tools did not install): no Picard row")
    print_table(f"BAM, {args.reads:,} reads, {size / 1e6:.1f} MB", rows)
    ours = rows[0]
    for peer in rows[1:]:
        if peer.ok and peer.seconds > 0.05:
            print(f"  {peer.label.split(' (')[0]} / ours: {peer.seconds / ours.seconds:.2f}x our wall time, "
                  f"{cpu_ratio(peer, ours)} our CPU time")
    import depositdesk.validators.formats  # noqa: F401 - registers the validators (after the measures: RSS)
    from bench.bench_bigwig import in_process

    print(f"  our BAM validator alone, in this process (no start-up, imports, md5): {in_process(path, 'bam'):.2f} s")


if __name__ == "__main__":
    main()
