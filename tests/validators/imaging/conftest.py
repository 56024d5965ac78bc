"""Shared helpers of the imaging tests: validate a file through the engine, as the app does."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from depositdesk.progress import run  # noqa: E402
from depositdesk.validators.engine import FileReport, validate_file  # noqa: E402


@pytest.fixture()
def check():
    """check(path) -> the engine's FileReport (no cache), as `depositdesk validate` makes it."""
    def _check(path: Path) -> FileReport:
        return run(validate_file(path, use_cache=False))
    return _check


def codes_of(report: FileReport) -> set[str]:
    return {f.code for f in report.findings}
