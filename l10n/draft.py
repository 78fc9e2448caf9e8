"""Fill untranslated entries with drafts: translation memory first, then the cache, then the engine.

Every draft is ``fuzzy`` with a ``#.`` note saying where it came from; approved entries are never
touched. Engine drafts are protected before sending and verified after (see l10n.protect); a draft
that fails is retried sentence by sentence, and if that fails too the entry stays untranslated and
the failure is reported. Catalogs are saved atomically as drafts arrive, so an interrupted run
leaves valid files and a rerun continues where it stopped (the cache remembers what was paid for).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polib

from l10n.catalog import was_rejected
from l10n.engines import DEFAULT_TIMEOUT, Engine, create_engine
from l10n.engines.cache import TranslationCache
from l10n.engines.dispatch import Answer, Dispatcher
from l10n.engines.memory import TranslationMemory
from l10n.glossary import load_glossary
from l10n.pofile import read_catalog, write_catalog
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

    @property
    def requests(self) -> int:
        return sum(r.requests for r in self.languages.values())

    @property
    def failures(self) -> list[Failure]:
        return [f for r in self.languages.values() for f in r.failed]


@dataclass(frozen=True)
class DraftProgress:
    """Reported after each entry is settled (drafted or failed)."""

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
    unsaved: int = 0


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
                        retries: int = 5, backoff: float = 0.5) -> TranslateReport:
    """Draft every untranslated entry of every catalog of ``languages`` (default: all).

    Raises EngineError (exit code 2) when the provider is unreachable or refuses the key; every
    draft obtained until then is saved first."""
    if engine is None:
        name = (engine_name or project.settings.engine).lower()
        url = engine_url or (project.settings.engine_url if name == "libre" else None)
        engine = create_engine(name, url=url, timeout=timeout)
    run = _Run(project, engine, dry_run=dry_run, progress=progress,
               concurrency=project.settings.concurrency, retries=retries, backoff=backoff)
    try:
        run.plan([project.language(code) for code in languages] if languages
                 else list(project.settings.languages))
        if not dry_run:
            run.send()
    finally:
        run.finish()
    return run.report


class _Run:
    def __init__(self, project: Project, engine: Engine, *, dry_run: bool,
                 progress: ProgressCallback | None, concurrency: int, retries: int,
                 backoff: float) -> None:
        self.project = project
        self.engine = engine
        self.dry_run = dry_run
        self.progress = progress
        self.report = TranslateReport(engine=engine.name, dry_run=dry_run)
        self.cache = TranslationCache.for_state_dir(project.state_dir) if engine.remote else None
        self.dispatcher = Dispatcher(engine, self.cache, concurrency=concurrency,
                                     retries=retries, backoff=backoff)
        self.articles = project.articles()
        self.glossary = load_glossary(project, self.articles)
        self.files: list[_File] = []
        self.waiting: dict[tuple[str, str, str], _Waiting] = {}
        # Who waits for each text's answer: whole msgids and sentence-by-sentence retries.
        self.callbacks: dict[tuple[str, str, str], list[Callable[[Answer], None]]] = {}
        self.answered: dict[tuple[str, str, str], Answer] = {}
        self.total = 0
        self.done = 0

    # -- planning: memory, copies and cache hits settle at once; the rest waits for the engine --
    def plan(self, languages: list[str]) -> None:
        articles = self.articles
        checked: set[tuple[str, str]] = set()
        for language in languages:
            if not any(language in self.project.target_languages(a) for a in articles):
                continue
            report = self.report.languages.setdefault(
                language, LanguageReport(language, self.engine.name))
            folder = self.project.locales_dir / language
            # Every catalog feeds the memory; only those with an untranslated entry stay loaded
            # (a workspace of a thousand finished catalogs then costs strings, not entries).
            memory = TranslationMemory()
            catalogs = {}
            for path in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
                slug = path.relative_to(folder).with_suffix("").as_posix()
                catalog = read_catalog(path, self.project.relative(path))
                memory.add_catalog(slug, catalog)
                if any(_untranslated(entry) for entry in catalog):
                    catalogs[slug] = (path, catalog)
            for article in articles:
                if language not in self.project.target_languages(article):
                    continue
                if article.slug not in catalogs:
                    continue   # no catalog yet: `l10n update` makes it
                if (article.language, language) not in checked:
                    self.engine.check_languages(article.language, language)
                    checked.add((article.language, language))
                path, catalog = catalogs[article.slug]
                file = _File(path, self.project.relative(path), catalog)
                self.files.append(file)
                for entry in catalog:
                    if _untranslated(entry):
                        if was_rejected(entry):
                            report.left_for_review += 1   # a reviewer said no to a draft
                            continue
                        self._plan_entry(file, entry, article.language, language, memory, report)

    def _plan_entry(self, file: _File, entry: polib.POEntry, source: str, target: str,
                    memory: TranslationMemory, report: LanguageReport) -> None:
        self.total += 1
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
            elif key not in self.waiting:
                report.would_send += 1
                report.would_send_chars += len(core)
                self.waiting[key] = _Waiting(*key)
            return
        waiting = self.waiting.get(key)
        if waiting is None:
            waiting = self.waiting[key] = _Waiting(*key)
            self._ask(key, self._on_whole)
        waiting.entries.append((file, entry, protected, lead, trail))

    def _ask(self, key: tuple[str, str, str], callback: Callable[[Answer], None]) -> None:
        if key in self.answered:
            callback(self.answered[key])
            return
        self.callbacks.setdefault(key, []).append(callback)
        self.dispatcher.request(*key)

    # -- sending --------------------------------------------------------------------------------
    def send(self) -> None:
        for answer in self.dispatcher.answers():
            key = (answer.source, answer.target, answer.text)
            self.answered[key] = answer
            for callback in self.callbacks.pop(key, []):
                callback(answer)

    def _on_whole(self, answer: Answer) -> None:
        waiting = self.waiting[(answer.source, answer.target, answer.text)]
        report = self.report.languages[answer.target]
        failed = []
        for file, entry, protected, lead, trail in waiting.entries:
            try:
                if answer.translation is None:
                    raise DraftRejected(answer.error or "no translation")
                draft = self._verified(protected, lead + answer.translation + trail)
            except DraftRejected as rejected:
                failed.append((file, entry, protected, lead, trail, rejected.reason))
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
            lines = [line for line in (entry.comment or "").splitlines()
                     if not line.startswith((MT_NOTE, TM_NOTE))]
            entry.comment = "\n".join([*lines, note])
            file.unsaved += 1
            if file.unsaved >= SAVE_EVERY:
                self._save(file)
        self._tick()

    def _fail(self, file: _File, entry: polib.POEntry, target: str, reason: str) -> None:
        self.report.languages[target].failed.append(
            Failure(file.display, entry.linenum, entry.msgid, reason))
        self._tick()

    def _tick(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(DraftProgress(self.engine.name, self.done, self.total))

    def _save(self, file: _File) -> None:
        written = file.unsaved and write_catalog(file.catalog, file.path)
        if written and file.display not in self.report.files_written:
            self.report.files_written.append(file.display)
        file.unsaved = 0

    def finish(self) -> None:
        """Save every catalog with new drafts, stop the engine's workers, close the cache."""
        try:
            for file in self.files:
                self._save(file)
        finally:
            self.dispatcher.close()
            for language, report in self.report.languages.items():
                report.requests = self.dispatcher.requests.get(language, 0)
                report.chars_sent = self.dispatcher.chars.get(language, 0)
            if self.cache is not None:
                self.cache.close()


def _untranslated(entry: polib.POEntry) -> bool:
    return bool(entry.msgid) and not entry.obsolete and not entry.msgid_plural \
        and not entry.msgstr

