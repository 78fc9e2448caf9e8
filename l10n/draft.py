"""Fill untranslated entries with drafts: translation memory first, then the cache, then the engine.

Every draft is ``fuzzy`` with a ``#.`` note saying where it came from and a fingerprint of the
text written (``machine translation: google (a1b2c3d4)``, see l10n.review_notes); approved entries
are never touched. Engine drafts are protected before sending and verified after (see l10n.protect); a draft
that fails is retried sentence by sentence, and if that fails too the entry stays untranslated and
the failure is reported. Catalogs are saved atomically as drafts arrive, so an interrupted run
leaves valid files and a rerun continues where it stopped (the cache remembers what was paid for).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from l10n.catalog import PROVENANCE_PREFIXES, was_rejected
from l10n.engines import DEFAULT_TIMEOUT, Engine, create_engine
from l10n.engines.cache import TranslationCache
from l10n.engines.dispatch import BATCH_MEMBERS, Answer, Dispatcher
from l10n.engines.memory import TranslationMemory
from l10n.errors import CatalogChanged
from l10n.glossary import load_glossary
from l10n.pofile import format_catalog, read_catalog, read_catalog_seen, write_catalog_over
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
# The window: catalogs are opened (in article order) while fewer than WINDOW_CATALOGS are open and
# fewer than WINDOW_ENTRIES entries wait for the engine (up to BATCH_MEMBERS more catalogs while
# a batch waits to be filled); a catalog whose entries are all settled is saved and let go.
# Enough entries to keep the engine's workers busy, few enough catalogs that memory stays flat
# however large the workspace.
WINDOW_CATALOGS = 64
WINDOW_ENTRIES = 2000
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


# -- the run ------------------------------------------------------------------------------------
@dataclass
class _File:
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
    entries: list[tuple[_File, polib.POEntry, Protected, str, str]] = field(default_factory=list)


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


REFRESH_HINT = " (the engine's answer, from the cache: `l10n translate --refresh` asks again)"


class _Run:
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
        self.open: dict[Path, _File] = {}
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
        file = _File(path, display, catalog, self.opened, seen)
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

    # -- planning: memory, copies and cache hits settle at once; the rest waits for the engine --
    def _plan_entry(self, file: _File, entry: polib.POEntry, source: str, target: str,
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
    def _draft(self, file: _File, entry: polib.POEntry, text: str, note: str) -> None:
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

    def _fail(self, file: _File, entry: polib.POEntry, target: str, reason: str) -> None:
        self.report.languages[target].failed.append(
            Failure(file.display, entry.linenum, entry.msgid, reason))
        self._settle(file)

    def _settle(self, file: _File) -> None:
        file.pending -= 1
        self.pending -= 1
        if file.planned and not file.pending:
            self._close(file)
        self._tick()

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(DraftProgress(self.engine.name, self.done, self.total))

    def _save(self, file: _File) -> None:
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

    def _close(self, file: _File) -> None:
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


def _slug(folder: Path, path: Path) -> str:
    return path.relative_to(folder).with_suffix("").as_posix()


def _untranslated(entry: polib.POEntry) -> bool:
    return bool(entry.msgid) and not entry.obsolete and not entry.msgid_plural \
        and not entry.msgstr

