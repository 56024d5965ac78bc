"""Seeded mutation fuzzing of every reader and validator over the corpus (issue 14), bounded in time:
DD_FUZZ_SECONDS per target (default 3; about 36 s in all). bench/fuzz.py runs it for long."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.robustness import fuzzing

SECONDS = float(os.environ.get("DD_FUZZ_SECONDS", "3"))
MEMORY_MB = 300


@pytest.mark.parametrize("target", fuzzing.TARGETS, ids=[t.name for t in fuzzing.TARGETS])
def test_mutated_corpus_files_give_findings_fast(shared: Path, tmp_path: Path,
                                                 target: fuzzing.Target) -> None:
    before = fuzzing.peak_rss_mb()
    outcome = fuzzing.fuzz(target, shared, seconds=SECONDS, workdir=tmp_path)
    assert outcome.tried > 0
    assert outcome.failures == [], "\n".join(f"{f.source} case {f.seed}: {f.problem}" for f in outcome.failures)
    assert outcome.slowest < fuzzing.LIMIT_SECONDS
    assert fuzzing.peak_rss_mb() - before < MEMORY_MB
