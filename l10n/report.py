"""What a step did, as plain data the CLI prints, and the words it prints them with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def plural(count: int, singular: str, plural: str | None = None) -> str:
    """The count with its noun: ``1 entry``, ``0 entries``, ``2 drafts`` (default plural: +s)."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


@dataclass(frozen=True)
class NotBuilt:
    """An edition not built because too little of its catalog is approved."""

    path: str            # the edition, relative to the workspace
    language: str
    percent: float       # share of entries approved (or, with --include-drafts, translated)
    min_approved: int

    def __str__(self) -> str:
        return (f"{self.path}: not built: {self.percent:.0f}% approved, below min_approved "
                f"{self.min_approved}%")

    def to_list(self) -> list[Any]:
        return [self.path, self.language, self.percent, self.min_approved]

    @classmethod
    def from_list(cls, data: list[Any]) -> NotBuilt:
        path, language, percent, min_approved = data
        return cls(str(path), str(language), float(percent), int(min_approved))


@dataclass
class StepReport:
    """Files written (paths relative to the workspace), files left as they were, notes for the user."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)   # things the user must fix; exit code 1
    removed: list[str] = field(default_factory=list)  # generated files whose source is gone
    withdrawn: list[str] = field(default_factory=list)  # editions built before, not built now
    not_built: list[NotBuilt] = field(default_factory=list)
    editions: dict[str, int] = field(default_factory=dict)   # language -> editions considered


NOT_BUILT_HINT = "review the drafts, or preview with `l10n build --include-drafts`"


def not_built_lines(report: StepReport, *, list_at_most: int | None = None) -> list[str]:
    """What to tell the user about the editions not built, per language: one line each and a
    summary, or (more than ``list_at_most`` in a language) the summary alone, which says where
    the list is. A language with one such edition gets that edition's line with the hint."""
    order = {language: n for n, language in enumerate(report.editions)}
    by_language: dict[str, list[NotBuilt]] = {}
    for item in sorted(report.not_built, key=lambda n: (order.get(n.language, len(order)),
                                                        n.path)):
        by_language.setdefault(item.language, []).append(item)
    lines: list[str] = []
    for language, items in by_language.items():
        of = report.editions.get(language, len(items))
        minimum = max(item.min_approved for item in items)
        if len(items) == 1:
            lines.append(f"{items[0]} ({NOT_BUILT_HINT})")
        elif list_at_most is None or len(items) <= list_at_most:
            lines += [str(item) for item in items]
            lines.append(f"{language}: {len(items)} of {plural(of, 'edition')} not built "
                         f"(below min_approved {minimum}%): {NOT_BUILT_HINT}")
        else:
            highest = max(item.percent for item in items)
            lines.append(f"{language}: {len(items)} of {plural(of, 'edition')} not built "
                         f"(below min_approved {minimum}%; at most {highest:.0f}% approved): "
                         f"`l10n status --lang {language}` lists them; {NOT_BUILT_HINT}")
    return lines


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
