"""Damaged images give coded findings, never a validator crash, and nothing on the terminal."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from imaging_recipes import all_tiffs, czi, jpeg, lif, lsm, png, svs


def mutants(folder: Path, count: int, seed: int) -> list[Path]:
    sources = [*all_tiffs(folder / "src").values(), png(folder), jpeg(folder), czi(folder), lif(folder),
               lsm(folder), svs(folder)]
    rng = random.Random(seed)
    out = []
    for i in range(count):
        source = rng.choice(sources)
        data = bytearray(source.read_bytes())
        for _ in range(rng.randint(1, 6)):  # header bytes half the time: that is where structure lives
            pos = rng.randrange(len(data)) if rng.random() < 0.5 else rng.randrange(min(len(data), 400))
            data[pos] = rng.randrange(256)
        if rng.random() < 0.2:
            data = data[:rng.randrange(8, len(data))]
        path = folder / f"mutant{i}{source.suffix}"
        path.write_bytes(bytes(data))
        out.append(path)
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_images_never_crash_a_validator(tmp_path: Path, check, capfd, seed: int) -> None:
    crashes = []
    for path in mutants(tmp_path, 100, seed):
        report = check(path)
        crashes += [f"{path.name}: {f.message}" for f in report.findings if f.code == "FILE-VALIDATOR-FAILED"]
    assert not crashes
    out, err = capfd.readouterr()
    assert err == ""  # tifffile's and xsdata's complaints become findings, not terminal noise
