"""Fixtures and report hooks of the validator tests."""

from __future__ import annotations

from typing import Any

import pytest

_SUMMARY = pytest.StashKey[list[str]]()


@pytest.fixture(scope="session")
def summary_lines(request: pytest.FixtureRequest) -> list[str]:
    """Lines a test wants printed in the terminal summary (the conformance agreement)."""
    return request.config.stash.setdefault(_SUMMARY, [])


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    lines = config.stash.get(_SUMMARY, [])
    if lines:
        terminalreporter.section("conformance agreement (profile spec)")
        for line in lines:
            terminalreporter.line(line)
