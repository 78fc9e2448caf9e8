"""The machine-translation cache: every answer an engine ever gave, so no text is paid for twice.

One SQLite file under the workspace's private state folder (``.l10n/``, git-ignored), keyed by
engine, source and target language and the protected text (placeholders in, as sent). It survives
reruns, deleted PO files and interrupted runs: an answer is committed the moment it arrives.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

CACHE_FILE = "mt-cache.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translation (
    engine TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    text TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (engine, source, target, text)
)
"""


class TranslationCache:
    """A persistent map (engine, source, target, text) -> translation; safe across threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    @classmethod
    def for_state_dir(cls, state_dir: Path) -> TranslationCache:
        return cls(state_dir / CACHE_FILE)

    def get(self, engine: str, source: str, target: str, text: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT translation FROM translation WHERE engine=? AND source=? AND target=? "
                "AND text=?", (engine, source, target, text)).fetchone()
        return row[0] if row else None

    def put(self, engine: str, source: str, target: str, text: str, translation: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO translation VALUES (?, ?, ?, ?, ?)",
                (engine, source, target, text, translation))

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM translation").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
