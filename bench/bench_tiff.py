"""TIFF validation speed and memory beside libtiff's tiffinfo, and md5 beside md5sum, in one run.

Generates (once, deterministically, with tifffile) ``--files`` small calibrated
TIFFs (default 10,000; 64 x 64 uint8, Make/Model, 0.5 µm pixels) and
``--big`` large uncompressed tiled BigTIFFs of ``--big-mb`` MB each (default
two of 2,048 MB), then times, each in its own process:

- our header scan of the small files: every IFD and strip/tile range, the first
  and last segment decoded, pixel size and instrument (the TIFF validator
  alone, no md5);
- ``tiffinfo`` over the same files in one process (headers only, like ours);
- our full validation (the engine's validate_files on ``--jobs`` processes, a fresh result cache:
  the same checks + md5) of the small files;
- on the large files: our full validation (structure + md5 on a second thread)
  and ``md5sum``, for md5 throughput, and the peak RSS of each.

    .venv/bin/python -m bench.bench_tiff --files 2000 --big 1 --big-mb 256
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bench._common import (
    Measure,
    apt_install,
    data_dir,
    have,
    measure,
    print_table,
    python_command,
    warm_page_cache,
)


def generate_small(folder: Path, count: int) -> list[Path]:
    import numpy as np  # here: a child's peak RSS starts from this process's size when forked
    import tifffile

    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"img_{i:05d}.tif" for i in range(count)]
    rng = np.random.default_rng(11)
    tags = [(271, "s", 0, "Nikon", True), (272, "s", 0, "Ti2-E", True)]
    for path in paths:
        if not path.exists():
            tifffile.imwrite(path, rng.integers(0, 255, (64, 64), dtype=np.uint8), metadata=None,
                             resolution=(20000, 20000), resolutionunit="CENTIMETER", extratags=tags)
    return paths


def generate_big(path: Path, megabytes: int) -> None:
    """A tiled uint16 BigTIFF written page by page (bounded memory): 4096 x 4096 planes of 32 MiB."""
    import numpy as np
    import tifffile

    plane = np.random.default_rng(3).integers(0, 4000, (4096, 4096), dtype=np.uint16)
    planes = max(1, megabytes * 1_000_000 // plane.nbytes)
    with tifffile.TiffWriter(path, bigtiff=True) as tif:
        for _ in range(planes):
            tif.write(plane, tile=(512, 512), metadata=None, contiguous=False, resolution=(20000, 20000),
                      resolutionunit="CENTIMETER", extratags=[(271, "s", 0, "Zeiss", True),
                                                              (272, "s", 0, "LSM 980", True)])


SCAN = """
import sys
from pathlib import Path
from depositdesk.progress import run
from depositdesk.validators.base import Context, Sniffed, Source
from depositdesk.validators.formats.tiff import TiffValidator
bad = 0
for line in open({listing!r}):
    path = Path(line.strip())
    ctx = Context(path.name)
    run(TiffValidator().run(Source(path, Sniffed("tiff"), path.stat().st_size, md5=None), ctx))
    bad += any(f.severity >= 2 for f in ctx.findings())
sys.exit(3 if bad else 0)
"""

VALIDATE = """
import os, sys, tempfile
from pathlib import Path
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp()  # a fresh result cache: every file is read
from depositdesk.progress import run
from depositdesk.validators.engine import validate_files
paths = [Path(line.strip()) for line in open({listing!r})]
reports = run(validate_files(paths, jobs={jobs}))
bad = sum((not r.md5) or any(f.severity >= 2 for f in r.findings) for r in reports)
sys.exit(3 if bad or len(reports) != len(paths) else 0)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=2)
    parser.add_argument("--big-mb", type=int, default=2048)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not have("tiffinfo"):
        apt_install("libtiff-tools")
    folder = data_dir() / f"tiff_small_{args.files}"
    small = generate_small(folder, args.files)
    listing = folder / "files.txt"
    listing.write_text("".join(f"{p}\n" for p in small))
    small_bytes = sum(p.stat().st_size for p in small)
    rows: list[Measure] = [
        measure("depositdesk header scan (validator, no md5)", python_command(SCAN.format(listing=str(listing))),
                small_bytes),
        measure(f"depositdesk validate_files, {args.jobs} jobs (+ md5)",
                python_command(VALIDATE.format(listing=str(listing), jobs=args.jobs)), small_bytes),
    ]
    if have("tiffinfo"):
        rows.append(measure("tiffinfo (headers, one process)",
                            ["sh", "-c", f"xargs -a '{listing}' tiffinfo > /dev/null"], small_bytes))
    print_table(f"{args.files:,} small TIFFs, {small_bytes / 1e6:.1f} MB", rows)
    per = rows[0].seconds / args.files * 1000
    print(f"  our header scan: {per:.2f} ms per file")
    big = []
    for i in range(args.big):
        path = data_dir() / f"tiff_big_{args.big_mb}mb_{i}.tif"
        if not path.exists():
            print(f"generating {path} ...")
            generate_big(path, args.big_mb)
        big.append(path)
    if big:
        big_listing = data_dir() / f"tiff_big_{args.big_mb}mb.txt"
        big_listing.write_text("".join(f"{p}\n" for p in big))
        nbytes = sum(p.stat().st_size for p in big)
        warm_page_cache(*big)  # (as far as memory allows) so the first tool does not pay for the disk alone
        rows = [measure("depositdesk validate_files, 1 job (structure + md5)",
                        python_command(VALIDATE.format(listing=str(big_listing), jobs=1)), nbytes),
                measure("md5sum", ["md5sum", *map(str, big)], nbytes)]
        if have("tiffinfo"):
            rows.append(measure("tiffinfo (headers)", ["tiffinfo", *map(str, big)], nbytes))
        print_table(f"{len(big)} large BigTIFFs, {nbytes / 1e9:.2f} GB", rows)


if __name__ == "__main__":
    main()
