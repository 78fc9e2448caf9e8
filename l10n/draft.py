"""Fill untranslated entries with drafts: translation memory first, then the cache, then the engine.

Every draft is ``fuzzy`` with a ``#.`` note saying where it came from and a fingerprint of the
text written (``machine translation: google (a1b2c3d4)``, see l10n.review_notes); approved entries
are never touched. Engine drafts are protected before sending and verified after (see l10n.protect); a draft
that fails is retried sentence by sentence, and if that fails too the entry stays untranslated and
the failure is reported. Catalogs are saved atomically as drafts arrive, so an interrupted run
leaves valid files and a rerun continues where it stopped (the cache remembers what was paid for).

Here: the survey of the workspace and the window of open catalogs. What happens to each entry, and
the records a run reports, are in l10n.draft_entries.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from pathlib import Path

import polib

from l10n.catalog import was_rejected
from l10n.draft_entries import (
    COPY_NOTE,
    MT_NOTE,
    REFRESH_HINT,
    SAVE_EVERY,
    TM_NOTE,
    CatalogFile,
    DraftProgress,
    DraftRun,
    Failure,
    LanguageReport,
    ProgressCallback,
    TranslateReport,
)
from l10n.engines import DEFAULT_TIMEOUT, Engine, create_engine
from l10n.engines.dispatch import BATCH_MEMBERS
from l10n.engines.memory import TranslationMemory
from l10n.pofile import read_catalog, read_catalog_seen
from l10n.project import Project

# The records and the drafting of each entry are in l10n.draft_entries; callers know them as
# l10n.draft's. The catalog readers and the window sizes stay looked up here (tests patch them).
__all__ = [
    "COPY_NOTE", "MT_NOTE", "REFRESH_HINT", "SAVE_EVERY", "TM_NOTE", "WINDOW_CATALOGS",
    "WINDOW_ENTRIES", "DraftProgress", "Failure", "LanguageReport", "ProgressCallback",
    "TranslateReport", "translate_workspace",
]


# The window: catalogs are opened (in article order) while fewer than WINDOW_CATALOGS are open and
# fewer than WINDOW_ENTRIES entries wait for the engine (up to BATCH_MEMBERS more catalogs while
# a batch waits to be filled); a catalog whose entries are all settled is saved and let go.
# Enough entries to keep the engine's workers busy, few enough catalogs that memory stays flat
# however large the workspace.
WINDOW_CATALOGS = 64
WINDOW_ENTRIES = 2000


# -- the run ------------------------------------------------------------------------------------
def translate_workspace(project: Project, *, languages: Sequence[str] | None = None,
                        engine_name: str | None = None, engine_url: str | None = None,
                        dry_run: bool = False, progress: ProgressCallback | None = None,
                        engine: Engine | None = None, timeout: float = DEFAULT_TIMEOUT,
                        retries: int = 5, backoff: float = 0.5,
                        refresh: bool = False) -> TranslateReport:
    """Draft every untranslated entry of every catalog of ``languages`` (default: all).

    ``refresh``: ask the engine again for every text, not the cache (which keeps every answer
    paid for, rejected ones too, so a rerun costs nothing).

    Catalogs are opened a window at a time (WINDOW_CATALOGS, WINDOW_ENTRIES) and let go once
    their entries are settled and saved, so memory does not grow with the workspace.

    Raises EngineError (exit code 2) when the provider is unreachable or refuses the key; every
    draft obtained until then is saved first."""
    if engine is None:
        name = (engine_name or project.settings.engine).lower()
        url = engine_url or (project.settings.engine_url if name == "libre" else None)
        engine = create_engine(name, url=url, timeout=timeout)
    run = _Run(project, engine, dry_run=dry_run, progress=progress,
               concurrency=project.settings.concurrency, retries=retries, backoff=backoff,
               refresh=refresh)
    try:
        for language in ([project.language(code) for code in languages] if languages
                         else list(project.settings.languages)):
            run.translate(language)
    finally:
        run.finish()
    return run.report



class _Run(DraftRun):
    # -- one language: survey every catalog, then open those with work a window at a time -------
    def translate(self, language: str) -> None:
        surveyed = self._survey(language)
        if surveyed is None:
            return
        memory, work = surveyed
        report = self.report.languages[language]
        queue = deque(work)
        if self.dry_run:
            while queue:
                self._open(*queue.popleft(), language, memory, report)
            return
        self._fill(queue, language, memory, report)
        while queue:
            for answer in self.dispatcher.answers(final=False):
                self._take(answer)
                self._fill(queue, language, memory, report)
            if not queue:
                break
            # Nothing in flight: the window waits for a batch that could take more texts. Open
            # one more catalog to fill it, but not without end: catalogs that share their texts
            # (a footer added to every article) never fill it, so past BATCH_MEMBERS more
            # catalogs it goes as it is.
            if len(self.open) < WINDOW_CATALOGS + BATCH_MEMBERS:
                self._open(*queue.popleft(), language, memory, report)
            else:
                for answer in self.dispatcher.answers():
                    self._take(answer)
                self._fill(queue, language, memory, report)
        for answer in self.dispatcher.answers():
            self._take(answer)

    def _survey(self, language: str) -> tuple[TranslationMemory, list[tuple[str, Path]]] | None:
        """In article order, the source language and path of each catalog of ``language`` with
        an untranslated entry, and the memory for them: approved translations, from every
        catalog, of the msgids waiting. Counts the entries to settle into the progress total.
        None when no article targets the language."""
        articles = [a for a in self.articles if language in self.project.target_languages(a)]
        if not articles:
            return None
        self.report.languages.setdefault(language, LanguageReport(language, self.engine.name))
        folder = self.project.locales_dir / language
        paths = sorted(folder.rglob("*.po")) if folder.is_dir() else []
        wanted = {article.slug for article in articles}
        found: dict[str, tuple[Path, int]] = {}
        needed: set[int] = set()   # hash() of each msgid waiting: a few dozen bytes, not its text
        for path in paths:
            slug = _slug(folder, path)
            if slug not in wanted:
                continue
            untranslated = [entry for entry in read_catalog(path, self.project.relative(path))
                            if _untranslated(entry)]
            if untranslated:   # opened even if a reviewer rejected them all: it is reported
                waiting = [entry for entry in untranslated if not was_rejected(entry)]
                found[slug] = (path, len(waiting))
                needed.update(hash(entry.msgid) for entry in waiting)
        work = []
        checked: set[str] = set()
        for article in articles:
            if article.slug not in found:
                continue   # no catalog yet (`l10n update` makes it), or nothing to do
            if article.language not in checked:
                self.engine.check_languages(article.language, language)
                checked.add(article.language)
            path, count = found[article.slug]
            self.total += count
            work.append((article.language, path))
        # The memory keeps only what can be recalled, and a finished workspace needs none; the
        # catalogs are read again for it, which costs little beside the translating to come.
        memory = TranslationMemory()
        for path in paths if work else []:
            for entry in read_catalog(path, self.project.relative(path)):
                if hash(entry.msgid) in needed:
                    memory.add(_slug(folder, path), entry)
        return memory, work

    def _fill(self, queue: deque[tuple[str, Path]], target: str, memory: TranslationMemory,
              report: LanguageReport) -> None:
        while queue and len(self.open) < WINDOW_CATALOGS and self.pending < WINDOW_ENTRIES:
            self._open(*queue.popleft(), target, memory, report)

    def _open(self, source: str, path: Path, target: str, memory: TranslationMemory,
              report: LanguageReport) -> None:
        display = self.project.relative(path)
        catalog, seen = read_catalog_seen(path, display)
        file = CatalogFile(path, display, catalog, self.opened, seen)
        self.opened += 1
        self.open[path] = file
        for entry in file.catalog:
            if _untranslated(entry):
                if was_rejected(entry):
                    report.left_for_review += 1   # a reviewer said no to a draft
                    continue
                self._plan_entry(file, entry, source, target, memory, report)
        file.planned = True
        if self.dry_run or not file.pending:
            self._close(file)


def _slug(folder: Path, path: Path) -> str:
    return path.relative_to(folder).with_suffix("").as_posix()


def _untranslated(entry: polib.POEntry) -> bool:
    return bool(entry.msgid) and not entry.obsolete and not entry.msgid_plural \
        and not entry.msgstr
