"""Example projects shipped with DepositDesk (the app opens one on first launch).

``chipseq-dmel``: a modENCODE-style Drosophila melanogaster ChIP-seq of the
GAGA factor (Trl) in stage-11 embryos, two biological replicates with input
controls, with small real FASTQ.gz, BAM (+ index), bigWig and GFF3 files made
by ``make_chipseq_example.py`` (deterministic, seeded).
"""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
EXAMPLE_PROJECT = EXAMPLES / "chipseq-dmel"
"""The ChIP-seq example project folder (IDF + SDRF + data files)."""
