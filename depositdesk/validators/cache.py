"""Validation results and md5 remembered per file, so an unchanged file is never read twice.

A result is found again by (absolute path, size, mtime_ns, profile) and is
used only when the validator that made it has the same version as today's
(and the engine's own version matches): the key is known before a single byte
is read, which is the point. The store is one SQLite file in the user cache
folder (``platformdirs``; tests set XDG_CACHE_HOME), safe to share between the
worker processes of one run and between runs (WAL mode, short transactions).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import platformdirs

ENGINE_VERSION = "3"
"""Bump when the engine's own findings change (sniffing, FILE-* rules)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, profile TEXT NOT NULL,
    format TEXT, validator_version TEXT NOT NULL, engine_version TEXT NOT NULL,
    report TEXT NOT NULL, stored REAL NOT NULL,
    PRIMARY KEY (path, size, mtime_ns, profile)
)
"""


def default_path() -> Path:
    return Path(platformdirs.user_cache_dir("depositdesk")) / "validation.sqlite"


class ResultCache:
    """One SQLite table of reports; every failure to use it degrades to "not cached"."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._conn: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(_SCHEMA)
            conn.commit()
            self._conn = conn
        return self._conn

    def get(self, key: tuple[str, int, int, str], versions: dict[str, str]) -> dict[str, Any] | None:
        """The stored report of this exact file state, or None (missing, stale, unreadable)."""
        try:
            row = self._connect().execute(
                "SELECT format, validator_version, engine_version, report FROM results "
                "WHERE path=? AND size=? AND mtime_ns=? AND profile=?", key).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        fmt, validator_version, engine_version, report = row
        if engine_version != ENGINE_VERSION or versions.get(fmt or "", "") != validator_version:
            return None
        try:
            return json.loads(report)  # type: ignore[no-any-return]
        except ValueError:
            return None

    def put(self, key: tuple[str, int, int, str], fmt: str | None, validator_version: str,
            report: dict[str, Any]) -> None:
        try:
            conn = self._connect()
            with conn:
                conn.execute("DELETE FROM results WHERE path=? AND profile=?", (key[0], key[3]))
                conn.execute(
                    "INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?,?,?)",
                    (*key, fmt, validator_version, ENGINE_VERSION, json.dumps(report), time.time()))
        except sqlite3.Error:
            return

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def cache_key(path: Path, profile: str) -> tuple[tuple[str, int, int, str], os.stat_result]:
    """The key of a file's present state; raises OSError when it cannot be stat'ed."""
    absolute = Path(os.path.abspath(path))
    st = absolute.stat()
    return (str(absolute), st.st_size, st.st_mtime_ns, profile), st
