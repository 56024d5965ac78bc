"""`depositdesk validate` starts without the target rules, Qt or the workbook library.

A file check that paid ~1.5 s of imports (bioregistry through the target rules) before reading a byte
was slower than md5sum on a whole 1 GB FASTQ; the command now loads only the validators.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from depositdesk.app import cli

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
BAD_FASTQ = SHARED / "conformance" / "fastq" / "biopython__error_diff_ids.fastq"


def _run(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    env = dict(os.environ, DEPOSITDESK_DEBUG="")
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "depositdesk", *args],
                          capture_output=True, text=True, env=env, timeout=120)
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines()
               if line.startswith("import time:")}
    return done, modules


def test_validate_registers_exactly_its_lazy_commands() -> None:
    alone = cli._command_names(cli.build_parser(("depositdesk.validators.commands",)))
    assert alone == {c for c, m in cli.LAZY_COMMANDS.items() if m == "depositdesk.validators.commands"}
    assert "depositdesk.validators.commands" in cli.COMMAND_MODULES


def test_validate_finds_the_error_without_loading_targets_qt_or_openpyxl(tmp_path: Path) -> None:
    done, modules = _run("validate", "--no-cache", "--format", "json", str(BAD_FASTQ))
    assert done.returncode == 1, done.stderr[-2000:]
    reports = json.loads(done.stdout)
    assert "FASTQ" in json.dumps(reports) and "error" in json.dumps(reports).lower()
    assert "depositdesk.validators.engine" in modules
    for heavy in ("bioregistry", "depositdesk.packaging.targets", "PySide6", "openpyxl", "httpx"):
        assert heavy not in modules, f"{heavy} loaded by a plain validate"


def test_validate_with_a_target_still_loads_the_target_rules() -> None:
    done, modules = _run("validate", "--no-cache", "--target", "geo", str(BAD_FASTQ))
    assert done.returncode == 1, done.stderr[-2000:]
    assert "depositdesk.packaging.targets" in modules
    assert "severities as the target geo gives them" in done.stdout
    done, _ = _run("validate", "--target", "no-such-target", str(BAD_FASTQ))
    assert done.returncode == 2 and "Traceback" not in done.stderr
