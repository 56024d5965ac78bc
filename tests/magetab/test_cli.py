"""`depositdesk check` and `convert` as a person runs them: exit codes and one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from depositdesk.resources.examples import EXAMPLE_PROJECT

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "metadata-corpus" / "magetab"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("DEPOSITDESK_DEBUG", None)     # tracebacks must not be what a person sees
    return subprocess.run([sys.executable, "-m", "depositdesk", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def _could_not_run(done: subprocess.CompletedProcess[str], words: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in done.stderr, done.stderr
    assert done.stdout == ""


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bad")
    (root / "no-idf").mkdir()
    (root / "no-idf" / "readme.md").write_text("nothing here\n")
    (root / "binary.idf.txt").write_bytes(bytes(range(256)) * 4)
    (root / "empty.idf.txt").write_bytes(b"")
    return {"missing": root / "does-not-exist", "folder": root / "no-idf",
            "binary": root / "binary.idf.txt", "empty": root / "empty.idf.txt"}


@pytest.mark.parametrize("case, words", [("missing", "no such file"), ("folder", "holds no IDF"),
                                         ("binary", "not a text file"), ("empty", "is empty")])
def test_check_could_not_run(bad_inputs: dict[str, Path], case: str, words: str) -> None:
    _could_not_run(_run("check", str(bad_inputs[case])), words)


def test_check_example_is_clean() -> None:
    done = _run("check", str(EXAMPLE_PROJECT))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stdout


def test_check_invalid_submission_exits_1_with_json_findings() -> None:
    done = _run("check", str(CORPUS / "E-HCAD-10"), "--format", "json")
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)
    typo = [f for f in findings if f["code"] == "SDRF-HEADING-TYPO"]
    assert typo and typo[0]["file"] == "E-HCAD-10.sdrf.txt" and typo[0]["severity"] == "error"
    assert typo[0]["location"]["column_name"] == "Characteristic[immunophenotype]"


def test_convert_sdrf_alone_writes_only_the_sdrf(tmp_path: Path) -> None:
    done = _run("convert", str(CORPUS / "sdrf-only" / "ae_auto-pairs.sdrf.txt"), str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["ae_auto-pairs.sdrf.txt"]


def test_convert_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    source = tmp_path / "x.sdrf.txt"
    source.write_text("Source Name\tComment[a]\ns1\tb\n")
    _could_not_run(_run("convert", str(source), str(tmp_path)), "would overwrite the input")


def test_convert_can_fix_headings_so_the_check_passes(tmp_path: Path) -> None:
    done = _run("convert", str(CORPUS / "E-HCAD-10" / "E-HCAD-10.idf.txt"), str(tmp_path), "--fix-headings")
    assert done.returncode == 0, done.stderr
    header = (tmp_path / "E-HCAD-10.sdrf.txt").read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert "Characteristics[immunophenotype]" in header and "Characteristic[immunophenotype]" not in header
    assert _run("check", str(tmp_path)).returncode == 0


def test_an_isatab_investigation_is_named_not_misread(shared: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "depositdesk", "check",
         str(shared / "metadata-corpus" / "isatab" / "BII-I-1" / "i_investigation.txt")],
        capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "ISA-Tab investigation" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_geo_workbook_is_refused_in_one_quiet_line(shared: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "depositdesk", "check",
         str(shared / "metadata-corpus" / "geo" / "seq_template_2024-12-17_filled_rat-colon.xlsx")],
        capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
