"""What each step last produced from which inputs, so unchanged work is skipped by content hash.

Kept in ``.l10n/state.json`` (git-ignored). Losing it only costs time: every step recomputes and
writes nothing when the bytes come out the same.
"""

from __future__ import annotations

import json
from pathlib import Path

try:  # hashlib's blake2b itself; importing hashlib would also map OpenSSL (3.6 MB) for nothing
    from _blake2 import blake2b
except ImportError:  # not CPython
    from hashlib import blake2b

from l10n.atomic import write_text_atomic


def digest(*parts: bytes | str) -> str:
    h = blake2b(digest_size=16)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


MISSING = "missing"   # the file_digest of a file that is not there


def file_digest(path: Path) -> str:
    try:
        return digest(path.read_bytes())
    except FileNotFoundError:
        return MISSING


class State:
    """A small persistent map: step key -> fingerprint of the inputs and output it was made from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._data: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            self._data = {}
        self._dirty = False

    def fresh(self, key: str, fingerprint: str) -> bool:
        value = self._data.get(key)
        return isinstance(value, list) and bool(value) and value[0] == fingerprint

    def notes(self, key: str) -> list[str]:
        """What the step said last time it ran on these inputs (e.g. why it skipped an edition)."""
        value = self._data.get(key)
        return list(value[1:]) if isinstance(value, list) else []

    def record(self, key: str, fingerprint: str, notes: list[str] | None = None) -> None:
        value = [fingerprint, *(notes or [])]
        if self._data.get(key) != value:
            self._data[key] = value
            self._dirty = True

    def save(self) -> None:
        if self._dirty:
            write_text_atomic(self.path, json.dumps(self._data, indent=0, sort_keys=True))
            self._dirty = False
