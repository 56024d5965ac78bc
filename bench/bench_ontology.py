"""Benchmark of the offline term index: build the whole starter set, then search it.

Prints: build time (wall, on this machine's cores), index size, terms per
ontology, and search latency p50/p99 over >= 1,000 realistic 1-3 word prefixes,
warm (connections open, pages cached) and cold (the index files dropped from
the OS page cache with posix_fadvise, and a new TermService for each query, so
connections are opened and every page read is a disk read). Also compares the
lenient OBO scanner with pronto on the OBO files pronto can read.

    .venv/bin/python bench/bench_ontology.py [--queries 1500] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from depositdesk.ontology.obo import ScanReport, read_obo  # noqa: E402
from depositdesk.ontology.service import TermService  # noqa: E402
from depositdesk.progress import drive  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "ontologies"

TYPED = ["t ce", "drosophila mel", "homo sap", "mus mus", "liver", "hepatoc", "b cell", "cd4-pos",
         "rna-seq", "chip", "embryonic st", "adult", "brain", "zebrafish", "arabidopsis th",
         "saccharomyces cer", "hela", "hek 293", "breast carc", "colon", "female", "male", "blood",
         "lung adeno", "fibrobl", "neuron", "kidney", "heart left vent", "caenorhabditis el", "l3 la"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def build(root: Path) -> float:
    service = TermService(root)
    started = time.perf_counter()
    last = [0.0]

    def tick(p) -> None:
        now = time.perf_counter()
        if now - last[0] > 5:
            last[0] = now
            print(f"  ... {now - started:5.1f} s {p.message}", flush=True)

    summaries = drive(service.build(), tick)
    seconds = time.perf_counter() - started
    for s in sorted(summaries, key=lambda s: -s.terms):
        print(f"  {s.name:<10} {s.terms:>9,} terms {s.names:>9,} names  "
              f"{s.path.stat().st_size / 1e6:7.1f} MB  {'tree (nested sets)' if s.tree else 'DAG (parent links)'}")
    return seconds


def sample_queries(service: TermService, n: int, seed: int = 7) -> list[str]:
    """Prefixes people type: 1-3 leading words of real labels, the last word cut short."""
    rng = random.Random(seed)
    queries = list(TYPED)
    names = [name for name, state in service.available().items() if state == "ready"]
    while len(queries) < n:
        idx = service._index(rng.choice(names))
        if idx is None:
            continue
        (max_id,) = idx.conn.execute("SELECT max(id) FROM names").fetchone()
        row = idx.conn.execute("SELECT name FROM names WHERE id = ?", (rng.randint(1, max_id),)).fetchone()
        words = re.findall(r"[^\W_]+", row[0]) if row else []
        if not words:
            continue
        k = min(len(words), rng.choice((1, 2, 2, 3)))
        head, last = words[: k - 1], words[k - 1]
        cut = last[: max(1, min(len(last), rng.randint(2, 6)))]
        queries.append(" ".join([*head, cut]).lower())
    return queries


def latencies(service_factory, queries: list[str], **kwargs) -> list[float]:
    out = []
    for q in queries:
        service = service_factory()
        started = time.perf_counter()
        service.search(q, **kwargs)
        out.append((time.perf_counter() - started) * 1000)
    return out


def cold_service(root: Path) -> TermService:
    """A new service whose index files are no longer in the page cache (only these files are dropped)."""
    for path in (root / "index").glob("*.sqlite"):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)
    return TermService(root)


def report(label: str, values: list[float]) -> None:
    print(f"  {label:<58} n={len(values):>5}  p50 {statistics.median(values):6.2f} ms  "
          f"p99 {percentile(values, 99):6.2f} ms  max {max(values):6.1f} ms")


def scanner_vs_pronto() -> None:
    import pronto

    print("\nOBO reading: lenient scanner vs pronto 2.7 (files pronto accepts)")
    for path in [SHARED / "obo" / "pato.obo", SHARED / "obo" / "wbbt.obo", SHARED / "large" / "go-2026-06-15.obo.gz"]:
        if not path.exists():
            continue
        started = time.perf_counter()
        n = sum(1 for _ in read_obo(path, ScanReport()))
        scan = time.perf_counter() - started
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = len(pronto.Ontology(str(path)).terms())
        slow = time.perf_counter() - started
        print(f"  {path.name:<24} scanner {scan:6.2f} s ({n:,} terms)   pronto {slow:6.2f} s ({m:,} terms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=1500)
    parser.add_argument("--keep", type=Path, help="build into this folder and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="dd-bench-ontology-"))
    try:
        print(f"Building the starter set into {root}")
        seconds = build(root)
        size = sum(p.stat().st_size for p in (root / "index").glob("*.sqlite"))
        service = TermService(root)
        terms = sum(int(service.index_meta(n).get("terms", 0)) for n in service.available())
        print(f"\nbuild: {seconds:.1f} s wall for {terms:,} terms in {len(service.available())} ontologies; "
              f"index size {size / 1e6:.0f} MB")

        queries = sample_queries(service, args.queries)
        print(f"\nsearch latency over {len(queries):,} prefixes (limit 20), all ontologies unless noted")
        latencies(lambda: service, queries[:200])  # warm up
        report("warm, all ontologies", latencies(lambda: service, queries))
        report("warm, --ontology NCBITaxon", latencies(lambda: service, queries, ontologies=["NCBITaxon"]))
        report("warm, NCBITaxon under Drosophila (NCBITaxon:7215)",
               latencies(lambda: service, queries, ontologies=["NCBITaxon"], under="NCBITaxon:7215"))
        report("warm, EFO+CL+UBERON", latencies(lambda: service, queries, ontologies=["EFO", "CL", "UBERON"]))
        report("new TermService per query (opens every index), pages cached",
               latencies(lambda: TermService(root), queries[:300]))
        report("cold: index pages dropped from the OS cache + new TermService",
               latencies(lambda: cold_service(root), queries[300:500]))
        report("cold, --ontology NCBITaxon",
               latencies(lambda: cold_service(root), queries[500:700], ontologies=["NCBITaxon"]))
        scanner_vs_pronto()
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
