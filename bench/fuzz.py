"""Long mutation fuzzing of every reader and validator (issue 14): prints inputs tried per target.

    .venv/bin/python -m bench.fuzz                 # long mode: 20,000 inputs per target
    .venv/bin/python -m bench.fuzz --inputs 500 --targets bed wig
Failures are printed with the corpus file and case number; tests/robustness/fuzzing.replay
writes such an input again to keep it as a fixture.
"""

from __future__ import annotations

import argparse
import sys
import time

from tests.conftest import SHARED
from tests.robustness import fuzzing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=20_000, help="inputs per target (default 20,000)")
    parser.add_argument("--seconds", type=float, default=86_400.0, help="time cap per target")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--targets", nargs="*", default=[t.name for t in fuzzing.TARGETS])
    args = parser.parse_args(argv)
    failed = 0
    print(f"{'target':16} {'inputs':>8} {'seconds':>8} {'slowest':>8} {'failures':>8} {'peak MB':>8}")
    for target in fuzzing.TARGETS:
        if target.name not in args.targets:
            continue
        started = time.monotonic()
        outcome = fuzzing.fuzz(target, SHARED, seconds=args.seconds, seed=args.seed, limit=args.inputs)
        print(f"{target.name:16} {outcome.tried:8,} {time.monotonic() - started:8.1f} {outcome.slowest:8.2f} "
              f"{len(outcome.failures):8} {fuzzing.peak_rss_mb():8.0f}", flush=True)
        for failure in outcome.failures[:20]:
            print(f"    {failure.source} case {failure.seed}: {failure.problem}")
        failed += len(outcome.failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
