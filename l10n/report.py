"""What a step did, as plain data the CLI prints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class StepReport:
    """Files written (paths relative to the workspace), files left as they were, notes for the user."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # things the user must fix; exit code 1
    removed: list[str] = field(default_factory=list)  # generated files whose source is gone


def remove_orphans(root: Path, keep: set[Path], suffixes: tuple[str, ...], *, check: bool,
                   shown: Callable[[Path], str]) -> list[str]:
    """Delete (or, with ``check``, only list) generated files under ``root`` that no article
    produces any more. Only files with the given suffixes are touched."""
    if not root.is_dir():
        return []
    gone = sorted(path for path in root.rglob("*")
                  if path.suffix in suffixes and path.is_file() and path not in keep)
    if not check:
        for path in gone:
            path.unlink()
    return [shown(path) for path in gone]
