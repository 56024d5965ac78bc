"""Settings the window remembers (QSettings): recent projects, profile, jobs, window state.

Tests isolate them by pointing ``DEPOSITDESK_SETTINGS`` at an INI file in a
temporary folder (or by passing a path); nothing then touches the real
user's configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8
DEFAULT_JOBS = os.cpu_count() or 1
"""Validation runs one file per core unless the user says otherwise."""


def make_qsettings(path: str | Path | None = None) -> QSettings:
    target = path or os.environ.get("DEPOSITDESK_SETTINGS")
    if target:
        return QSettings(str(target), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "DepositDesk", "DepositDesk")


class AppSettings:
    """Typed access to the few settings DepositDesk keeps."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings or make_qsettings()

    def _get(self, key: str, default: Any) -> Any:
        value = self.q.value(key, default)
        return default if value is None else value

    # -- projects ----------------------------------------------------------------
    def recent_projects(self) -> list[str]:
        value = self._get("projects/recent", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(v) for v in items if v]

    def add_recent(self, path: Path) -> None:
        text = str(Path(path).resolve())
        items = [text] + [p for p in self.recent_projects() if p != text]
        self.q.setValue("projects/recent", items[:MAX_RECENT])
        self.q.setValue("projects/last", text)
        self.q.sync()

    def last_project(self) -> str | None:
        value = self._get("projects/last", "")
        return str(value) or None

    def first_launch_done(self) -> bool:
        return str(self._get("app/launched", "false")).lower() == "true"

    def mark_launched(self) -> None:
        self.q.setValue("app/launched", "true")

    # -- checking ----------------------------------------------------------------
    @property
    def profile(self) -> str:
        return str(self._get("validation/profile", "spec"))

    @profile.setter
    def profile(self, value: str) -> None:
        self.q.setValue("validation/profile", value)

    @property
    def jobs(self) -> int:
        try:
            return max(1, int(self._get("validation/jobs", DEFAULT_JOBS)))
        except (TypeError, ValueError):
            return DEFAULT_JOBS

    @jobs.setter
    def jobs(self, value: int) -> None:
        self.q.setValue("validation/jobs", int(value))

    @property
    def scheduler(self) -> str:
        """The Dask scheduler file validation runs on ('' = this computer's processes)."""
        return str(self._get("validation/scheduler", "") or "").strip()

    @scheduler.setter
    def scheduler(self, value: str) -> None:
        self.q.setValue("validation/scheduler", value.strip())

    @property
    def autosave_seconds(self) -> int:
        try:
            return max(5, int(self._get("project/autosave_seconds", 30)))
        except (TypeError, ValueError):
            return 30

    # -- window ------------------------------------------------------------------
    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        geometry = self.q.value("window/geometry")
        state = self.q.value("window/state")
        return (geometry if isinstance(geometry, QByteArray) else None,
                state if isinstance(state, QByteArray) else None)

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)
        self.q.sync()
