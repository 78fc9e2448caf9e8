"""What each step last produced from which inputs, so unchanged work is skipped by content hash.

Kept in ``.l10n/state.json`` (git-ignored). Losing it only costs time: every step recomputes and
writes nothing when the bytes come out the same.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from l10n.atomic import write_text_atomic


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    try:
        return digest(path.read_bytes())
    except FileNotFoundError:
        return "missing"


class State:
    """A small persistent map: step key -> fingerprint of the inputs and output it was made from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self._data = {}
        self._dirty = False

    def fresh(self, key: str, fingerprint: str) -> bool:
        return self._data.get(key) == fingerprint

    def record(self, key: str, fingerprint: str) -> None:
        if self._data.get(key) != fingerprint:
            self._data[key] = fingerprint
            self._dirty = True

    def save(self) -> None:
        if self._dirty:
            write_text_atomic(self.path, json.dumps(self._data, indent=0, sort_keys=True))
            self._dirty = False
