"""Drafting entry by entry, for l10n.draft, and the records a run reports.

Each planned entry is settled from the translation memory, as a copy (nothing to translate), from
the cache or by the engine: whole first, then sentence by sentence. A draft is verified against
the glossary, written ``fuzzy`` with its provenance note, and its catalog saved atomically every
SAVE_EVERY drafts and when its last entry is settled. Which catalogs are open, and when, is
l10n.draft's business (the window); what happens to their entries is this module's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from l10n.catalog import PROVENANCE_PREFIXES
from l10n.engines import Engine
from l10n.engines.cache import TranslationCache
from l10n.engines.dispatch import Answer, Dispatcher
from l10n.engines.memory import TranslationMemory
from l10n.errors import CatalogChanged
from l10n.glossary import load_glossary
from l10n.pofile import format_catalog, write_catalog_over
from l10n.project import Project
from l10n.protect import (
    TOKEN,
    DraftRejected,
    Protected,
    check_terms,
    check_tokens,
    join_pieces,
    protect,
    restore,
)
from l10n.review_notes import provenance_note

SAVE_EVERY = 25          # save a catalog after this many new drafts (and always at the end)
MT_NOTE = "machine translation: "
TM_NOTE = "translation memory: "
COPY_NOTE = "copied: nothing to translate but glossary terms, code, URLs or numbers"


@dataclass(frozen=True)
class Failure:
    """An entry left untranslated: where it is, what it says, why no draft was written."""

    path: str
    line: int | None
    msgid: str
    reason: str

    def __str__(self) -> str:
        excerpt = self.msgid if len(self.msgid) <= 60 else self.msgid[:57] + "..."
        return f"{self.path}:{self.line}: {excerpt!r}: {self.reason}"


@dataclass
class LanguageReport:
    """What translate did (or, in a dry run, would do) for one target language."""

    language: str
    engine: str
    from_memory: int = 0
    from_cache: int = 0
    from_engine: int = 0
    copied: int = 0                 # nothing to translate (only code, URLs, numbers): msgid kept
    left_for_review: int = 0        # drafts a reviewer rejected: never drafted again
    failed: list[Failure] = field(default_factory=list)
    requests: int = 0
    chars_sent: int = 0
    would_send: int = 0             # dry run: distinct texts not in memory or cache
    would_send_chars: int = 0

    @property
    def drafts(self) -> int:
        return self.from_memory + self.from_cache + self.from_engine + self.copied


@dataclass
class TranslateReport:
    engine: str
    dry_run: bool = False
    languages: dict[str, LanguageReport] = field(default_factory=dict)
    files_written: list[str] = field(default_factory=list)
    # Catalogs changed on disk during the run: their new drafts were not written over them.
    changed: list[CatalogChanged] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.languages.values())

    @property
    def failures(self) -> list[Failure]:
        return [f for r in self.languages.values() for f in r.failed]


@dataclass(frozen=True)
class DraftProgress:
    """Reported after each entry is settled (drafted or failed). ``total`` counts the entries of
    every language surveyed so far: it is exact from the start for one target language and grows
    when the next language's catalogs are surveyed."""

    engine: str
    done: int
    total: int


ProgressCallback = Callable[[DraftProgress], None]


# -- open catalogs, and the texts their entries wait for ----------------------------------------
@dataclass
class CatalogFile:
    """A catalog open in the run, and how far its entries are."""

    path: Path
    display: str
    catalog: polib.POFile
    order: int                      # place in the run: files_written comes out in this order
    seen: str                       # file_digest of what the file held when read or last written
    unsaved: int = 0
    changed: bool = False           # changed on disk meanwhile: never written
    pending: int = 0                # entries planned but neither drafted nor failed yet
    planned: bool = False


@dataclass
class _Waiting:
    """Entries waiting for one protected text's answer (one msgid, or several that protect to the
    same text, such as two sentences differing only in a glossary name)."""

    source: str
    target: str
    text: str
    entries: list[tuple[CatalogFile, polib.POEntry, Protected, str, str]] = field(
        default_factory=list)


REFRESH_HINT = " (the engine's answer, from the cache: `l10n translate --refresh` asks again)"


class DraftRun:
    """The state of one translate run, and everything that happens to an entry once it is
    planned. The window's counts (open catalogs, entries pending) live here too: settling an
    entry can close its catalog. l10n.draft's _Run adds the survey and the window."""

    def __init__(self, project: Project, engine: Engine, *, dry_run: bool,
                 progress: ProgressCallback | None, concurrency: int, retries: int,
                 backoff: float, refresh: bool) -> None:
        self.project = project
        self.engine = engine
        self.dry_run = dry_run
        self.progress = progress
        self.report = TranslateReport(engine=engine.name, dry_run=dry_run)
        self.cache = TranslationCache.for_state_dir(project.state_dir) if engine.remote else None
        self.dispatcher = Dispatcher(engine, self.cache, concurrency=concurrency,
                                     retries=retries, backoff=backoff, refresh=refresh)
        self.articles = project.articles()
        self.glossary = load_glossary(project, self.articles)
        self.opened = 0
        self.open: dict[Path, CatalogFile] = {}
        self.pending = 0                 # entries of open catalogs waiting for the engine
        self.written: dict[str, int] = {}
        # Texts on their way: the entries waiting for each, and who else waits (sentence retries).
        self.waiting: dict[tuple[str, str, str], _Waiting] = {}
        self.callbacks: dict[tuple[str, str, str], list[Callable[[Answer], None]]] = {}
        # What lasts the whole run, so that no text is sent twice, however far apart its uses:
        # texts the engine translated in this run (the translation is in the cache), texts it
        # refused (few, kept whole), and in a dry run the texts that would be sent. The first
        # and last are kept as hash(key), a few dozen bytes a text rather than the text: two
        # texts with one hash (odds about n²/2⁶⁴) count as one, which at worst counts a cache
        # hit as the engine's (the translation itself is looked up by the full text) or a dry
        # run's would_send one short.
        self.sent: set[int] = set()
        self.refused: dict[tuple[str, str, str], Answer] = {}
        self.would: set[int] = set()
        self.total = 0
        self.done = 0

    # -- planning: memory, copies and cache hits settle at once; the rest waits for the engine --
    def _plan_entry(self, file: CatalogFile, entry: polib.POEntry, source: str, target: str,
                    memory: TranslationMemory, report: LanguageReport) -> None:
        file.pending += 1
        self.pending += 1
        protected = protect(entry.msgid, target, source_language=source, glossary=self.glossary)
        recall = memory.recall(entry.msgid)
        if recall is not None:
            try:
                check_terms(protected, recall.msgstr)
            except DraftRejected:
                pass   # approved before the glossary said otherwise: ask the engine instead
            else:
                report.from_memory += 1
                self._draft(file, entry, recall.msgstr, TM_NOTE + recall.slug)
                return
        if not protected.needs_engine:
            # Only names, code, URLs or numbers: the draft is the msgid with pinned forms put in.
            report.copied += 1
            self._draft(file, entry, restore(protected, protected.text), COPY_NOTE)
            return
        core = protected.text.strip()
        lead = protected.text[:len(protected.text) - len(protected.text.lstrip())]
        trail = protected.text[len(protected.text.rstrip()):]
        key = (source, target, core)
        if self.dry_run:
            if self.dispatcher.cached(*key) is not None:
                report.from_cache += 1
            elif hash(key) not in self.would:
                report.would_send += 1
                report.would_send_chars += len(core)
                self.would.add(hash(key))
            return
        waiting = self.waiting.get(key)
        if waiting is not None:          # already asked for: wait with the others
            waiting.entries.append((file, entry, protected, lead, trail))
            return
        waiting = self.waiting[key] = _Waiting(*key)
        waiting.entries.append((file, entry, protected, lead, trail))
        self._ask(key, self._on_whole)   # may answer at once (cache, or earlier in the run)

    def _ask(self, key: tuple[str, str, str], callback: Callable[[Answer], None]) -> None:
        if key in self.callbacks:
            self.callbacks[key].append(callback)
            return
        answer = self._recall(key)
        if answer is not None:
            callback(answer)
            return
        self.callbacks[key] = [callback]
        self.dispatcher.request(*key)

    def _recall(self, key: tuple[str, str, str]) -> Answer | None:
        """The answer this run already had for ``key``, or None. The engine's translation comes
        back from the cache, by the full key (so a hash shared by two texts costs at worst a
        cache hit counted as the engine's); what came from the cache the first time comes from
        it again through the dispatcher; a local engine keeps nothing (asking again is free)."""
        if key in self.refused:
            return self.refused[key]
        if self.cache is None or hash(key) not in self.sent:
            return None
        translation = self.dispatcher.cached(*key)
        return None if translation is None else Answer(*key, translation)

    # -- sending --------------------------------------------------------------------------------
    def _take(self, answer: Answer) -> None:
        key = (answer.source, answer.target, answer.text)
        if answer.translation is None:
            self.refused[key] = answer
        elif not answer.cached and self.cache is not None:
            self.sent.add(hash(key))
        for callback in self.callbacks.pop(key, []):
            callback(answer)

    def _on_whole(self, answer: Answer) -> None:
        waiting = self.waiting.pop((answer.source, answer.target, answer.text))
        report = self.report.languages[answer.target]
        failed = []
        for file, entry, protected, lead, trail in waiting.entries:
            try:
                if answer.translation is None:
                    raise DraftRejected(answer.error or "no translation")
                draft = self._verified(protected, lead + answer.translation + trail)
            except DraftRejected as rejected:
                reason = rejected.reason + (REFRESH_HINT if answer.cached else "")
                failed.append((file, entry, protected, lead, trail, reason))
                continue
            if answer.cached:
                report.from_cache += 1
            else:
                report.from_engine += 1
            self._draft(file, entry, draft, MT_NOTE + self.engine.name)
        if failed:
            self._by_sentence(waiting, failed)

    def _by_sentence(self, waiting: _Waiting, failed: list[Any]) -> None:
        """Retry the entries whose whole draft failed, one sentence per request."""
        protected: Protected = failed[0][2]
        pieces = [(text.strip(), gap) for text, gap in protected.pieces()]
        if len(pieces) < 2:
            for file, entry, _, _, _, reason in failed:
                self._fail(file, entry, waiting.target, reason)
            return
        outputs: dict[int, Answer] = {}

        def arrived(index: int) -> Callable[[Answer], None]:
            def store(answer: Answer) -> None:
                outputs[index] = answer
                if len(outputs) == len(pieces):
                    self._assemble(waiting, failed, pieces, outputs)
            return store

        for index, (text, _) in enumerate(pieces):
            self._ask((waiting.source, waiting.target, text), arrived(index))

    def _assemble(self, waiting: _Waiting, failed: list[Any], pieces: list[tuple[str, str]],
                  outputs: dict[int, Answer]) -> None:
        report = self.report.languages[waiting.target]
        for file, entry, protected, lead, trail, first_reason in failed:
            try:
                texts = []
                for index, (text, _) in enumerate(pieces):
                    answer = outputs[index]
                    if answer.translation is None:
                        raise DraftRejected(answer.error or "no translation")
                    ids = [int(m.group(1)) for m in TOKEN.finditer(text)]
                    check_tokens(answer.translation, ids, where=f"sentence {index + 1}: ")
                    texts.append(answer.translation)
                joined = join_pieces(texts, [gap for _, gap in pieces], waiting.target)
                draft = self._verified(protected, lead + joined + trail)
            except DraftRejected as rejected:
                self._fail(file, entry, waiting.target,
                           f"{first_reason}; sentence by sentence: {rejected.reason}")
                continue
            if all(outputs[i].cached for i in outputs):
                report.from_cache += 1
            else:
                report.from_engine += 1
            self._draft(file, entry, draft, MT_NOTE + self.engine.name)

    def _verified(self, protected: Protected, translated: str) -> str:
        """restore() and, beyond the msgid's own terms, no forbidden variant of any term."""
        draft = restore(protected, translated)
        for hit in self.glossary.find_forbidden(draft, protected.target):
            if hit.text not in protected.source:
                raise DraftRejected(f"forbidden variant {hit.text!r} in the draft")
        return draft

    # -- results --------------------------------------------------------------------------------
    def _draft(self, file: CatalogFile, entry: polib.POEntry, text: str, note: str) -> None:
        if not self.dry_run:
            entry.msgstr = text
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            # Any older note goes (a "copied:" one too): the text is this note's now.
            lines = [line for line in (entry.comment or "").splitlines()
                     if not line.startswith(PROVENANCE_PREFIXES)]
            # The fingerprint lets review tell a draft edited since (l10n.review_notes).
            entry.comment = "\n".join([*lines, provenance_note(note, text)])
            file.unsaved += 1
            if file.unsaved >= SAVE_EVERY:
                self._save(file)
        self._settle(file)

    def _fail(self, file: CatalogFile, entry: polib.POEntry, target: str, reason: str) -> None:
        self.report.languages[target].failed.append(
            Failure(file.display, entry.linenum, entry.msgid, reason))
        self._settle(file)

    def _settle(self, file: CatalogFile) -> None:
        file.pending -= 1
        self.pending -= 1
        if file.planned and not file.pending:
            self._close(file)
        self._tick()

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(DraftProgress(self.engine.name, self.done, self.total))

    def _save(self, file: CatalogFile) -> None:
        if not file.unsaved or file.changed:
            return
        file.unsaved = 0
        try:
            written, file.seen = write_catalog_over(
                file.path, format_catalog(file.catalog), seen=file.seen, shown=file.display,
                hint="the drafts made for it are cached: run `l10n translate` again")
        except CatalogChanged as changed:
            file.changed = True
            self.report.changed.append(changed)
            return
        if written and file.display not in self.written:
            self.written[file.display] = file.order

    def _close(self, file: CatalogFile) -> None:
        """Every entry of the catalog is settled: save it and let it go."""
        if not self.dry_run:
            self._save(file)
        self.pending -= file.pending     # a dry run's texts that would be sent: none will come
        file.pending = 0
        self.open.pop(file.path, None)

    def finish(self) -> None:
        """Save every catalog with new drafts, stop the engine's workers, close the cache."""
        try:
            for file in list(self.open.values()):
                self._save(file)
        finally:
            self.report.files_written = sorted(self.written, key=self.written.__getitem__)
            self.dispatcher.close()
            for language, report in self.report.languages.items():
                report.requests = self.dispatcher.requests.get(language, 0)
                report.chars_sent = self.dispatcher.chars.get(language, 0)
            if self.cache is not None:
                self.cache.close()
