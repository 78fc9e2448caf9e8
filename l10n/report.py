"""What a step did, as plain data the CLI prints, and the words it prints them with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from l10n.draft import TranslateReport


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
    started: list[str] = field(default_factory=list)  # catalogs begun from a moved article's
    not_built: list[NotBuilt] = field(default_factory=list)
    editions: dict[str, int] = field(default_factory=dict)   # language -> editions considered

    def summary(self, step: str) -> str:
        """``extract: 2 written, 5 unchanged``."""
        return f"{step}: {len(self.written)} written, {self.unchanged} unchanged"


@dataclass(frozen=True)
class Waiting:
    """What a language's catalogs of current articles hold that needs a human: drafts to
    review, and untranslated entries (``rejected`` of them: a reviewer rejected their machine
    draft, so only a translator fills them)."""

    drafts: int = 0
    untranslated: int = 0
    rejected: int = 0
    folder: str = ""     # the language's catalogs, relative to the workspace: locales/zh

    def to_list(self) -> list[Any]:
        return [self.drafts, self.untranslated, self.rejected, self.folder]

    @classmethod
    def from_list(cls, data: list[Any]) -> Waiting:
        drafts, untranslated, rejected, folder = data
        return cls(int(drafts), int(untranslated), int(rejected), str(folder))


PREVIEW = "preview with `l10n build --include-drafts`"


def not_built_hint(language: str, waiting: Waiting | None) -> str:
    """What gets a language's editions built, from what its catalogs hold (None: not counted)."""
    if waiting is None or not (waiting.drafts or waiting.untranslated):
        return (f"approve more entries: `l10n status --lang {language}` counts the drafts and "
                "untranslated ones")
    if waiting.drafts and waiting.untranslated:
        return f"review the drafts and translate the untranslated entries, or {PREVIEW}"
    if waiting.drafts:
        return f"review the drafts, or {PREVIEW}"
    if waiting.untranslated == waiting.rejected:
        return f"entries are untranslated: translate them in {waiting.folder}/"
    return (f"entries are untranslated: get drafts with `l10n translate --lang {language}`, or "
            f"translate them in {waiting.folder}/")


def waiting_lines(waiting: dict[str, Waiting]) -> list[str]:
    """What needs a human, per language: the drafts to review, the entries to translate."""
    lines: list[str] = []
    for language, counts in waiting.items():
        if counts.drafts:
            lines.append(f"{language}: {plural(counts.drafts, 'draft')} to review — run "
                         f"`l10n review --lang {language}`")
        if not counts.untranslated:
            continue
        entries = plural(counts.untranslated, "untranslated entry", "untranslated entries")
        them = "it" if counts.untranslated == 1 else "them"
        if counts.untranslated == counts.rejected:
            lines.append(f"{language}: {entries} left for a human translator — translate {them} "
                         f"in {counts.folder}/")
        else:
            lines.append(f"{language}: {entries} — run `l10n translate --lang {language}`, or "
                         f"translate {them} in {counts.folder}/")
    return lines


def not_built_lines(report: StepReport, *, list_at_most: int | None = None,
                    waiting: dict[str, Waiting] | None = None) -> list[str]:
    """What to tell the user about the editions not built, per language: one line each and a
    summary, or (more than ``list_at_most`` in a language) the summary alone, which says where
    the list is. A language with one such edition gets that edition's line with the hint, which
    follows from ``waiting`` (what each language's catalogs hold), when it is known."""
    order = {language: n for n, language in enumerate(report.editions)}
    by_language: dict[str, list[NotBuilt]] = {}
    for item in sorted(report.not_built, key=lambda n: (order.get(n.language, len(order)),
                                                        n.path)):
        by_language.setdefault(item.language, []).append(item)
    lines: list[str] = []
    for language, items in by_language.items():
        of = report.editions.get(language, len(items))
        minimum = max(item.min_approved for item in items)
        hint = not_built_hint(language, None if waiting is None else
                              waiting.get(language, Waiting()))
        if len(items) == 1:
            lines.append(f"{items[0]} ({hint})")
        elif list_at_most is None or len(items) <= list_at_most:
            lines += [str(item) for item in items]
            lines.append(f"{language}: {len(items)} of {plural(of, 'edition')} not built "
                         f"(below min_approved {minimum}%): {hint}")
        else:
            highest = max(item.percent for item in items)
            lines.append(f"{language}: {len(items)} of {plural(of, 'edition')} not built "
                         f"(below min_approved {minimum}%; at most {highest:.0f}% approved): "
                         f"`l10n status --lang {language}` lists them; {hint}")
    return lines


def file_lines(report: StepReport, *, check: bool = False) -> list[str]:
    """One line per file the step wrote or removed, or (``check``) would write or remove; a
    catalog begun from a moved article's says so first."""
    if check:
        return [f"out of date: {path}"
                for path in report.written + report.removed + report.withdrawn]
    return [*report.started,
            *(f"wrote {path}" for path in report.written),
            *(f"removed {path} (its article is gone)" for path in report.removed),
            *(f"removed {path}: the edition built before is out of date, and this build makes "
              "none" for path in report.withdrawn)]


def translation_lines(report: TranslateReport) -> list[str]:
    """The entries left without a draft, then per language what was drafted and sent (or, on a
    dry run, would be sent), and what is left for a human translator."""
    lines = [f"no draft: {failure}" for failure in report.failures]
    for language, r in report.languages.items():
        if report.dry_run:
            lines.append(f"{language}: would send {plural(r.would_send, 'segment')} "
                         f"({plural(r.would_send_chars, 'character')}) to {r.engine}; "
                         f"{r.from_memory} from memory, {r.from_cache} from cache")
        else:
            lines.append(f"{language}: {plural(r.drafts, 'draft')} ({r.from_memory} memory, "
                         f"{r.from_cache} cache, {r.from_engine} {r.engine}, {r.copied} copied), "
                         f"{len(r.failed)} failed; {plural(r.requests, 'request')}, "
                         f"{plural(r.chars_sent, 'character')} sent")
            if r.left_for_review:
                left = plural(r.left_for_review, "entry whose draft a reviewer rejected is",
                              "entries whose draft a reviewer rejected are")
                lines.append(f"{language}: {left} left for a human translator")
    return lines


def remove_orphans(root: Path, keep: set[Path], suffixes: tuple[str, ...], *, check: bool,
                   shown: Callable[[Path], str]) -> list[str]:
    """Delete (or, with ``check``, only list) generated files under ``root`` that no article
    produces any more, and the folders below ``root`` that this leaves empty. Only files with
    the given suffixes are touched."""
    if not root.is_dir():
        return []
    gone = sorted(path for path in root.rglob("*")
                  if path.suffix in suffixes and path.is_file() and path not in keep)
    if not check:
        for path in gone:
            path.unlink()
        # Deepest first, so a folder that held only an emptied folder goes too.
        emptied = {folder for path in gone for folder in path.parents
                   if folder != root and folder.is_relative_to(root)}
        for folder in sorted(emptied, key=lambda f: len(f.parts), reverse=True):
            try:
                folder.rmdir()       # only when empty
            except OSError:
                pass
    return [shown(path) for path in gone]
