"""``l10n sync``: the whole chain in one idempotent run.

extract -> update -> translate (memory, then engine; optional) -> build -> status summary.
A second run with nothing changed writes no file and sends no request.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polib

from l10n import build as build_step
from l10n import catalog, extract
from l10n import update as update_step
from l10n.errors import EngineError
from l10n.pofile import read_catalog
from l10n.project import CONFIG_FILE, Article, Project
from l10n.report import NotBuilt, StepReport, Waiting
from l10n.state import MISSING, State, digest, file_digest
from l10n.status import UnlistedLanguage, unlisted_languages

if TYPE_CHECKING:
    from l10n.draft import TranslateReport


# Bump when SyncReport.to_json changes.
REPORT_VERSION = 3


@dataclass
class SyncReport:
    steps: dict[str, StepReport] = field(default_factory=dict)
    translation: TranslateReport | None = None   # when machine translation ran
    engine_error: EngineError | None = None
    # What needs a human, per language with any (drafts, untranslated entries).
    waiting: dict[str, Waiting] = field(default_factory=dict)
    # Language folders under locales/ no step reads (looked up on every run, never cached).
    unlisted: list[UnlistedLanguage] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if any(step.errors for step in self.steps.values()) or (
                self.translation is not None and self.translation.changed):
            return 1
        return 2 if self.engine_error is not None else 0

    @property
    def complete(self) -> bool:
        """Nothing left that a rerun could do better (no engine failure, no failed draft)."""
        failures = self.translation.failures if self.translation is not None else []
        return self.exit_code == 0 and not failures

    def to_json(self) -> str:
        """What a rerun with nothing changed reports: every file unchanged, the same notes and
        the same editions not built."""
        steps = {name: {"unchanged": step.unchanged + len(step.written), "notes": step.notes,
                        "not_built": [item.to_list() for item in step.not_built],
                        "editions": step.editions}
                 for name, step in self.steps.items()}
        return json.dumps({"steps": steps, "waiting": {language: counts.to_list()
                                                       for language, counts in
                                                       self.waiting.items()}})

    @classmethod
    def from_json(cls, text: str) -> SyncReport:
        data = json.loads(text)
        steps = {name: StepReport(unchanged=int(step["unchanged"]), notes=list(step["notes"]),
                                  not_built=[NotBuilt.from_list(item)
                                             for item in step["not_built"]],
                                  editions=dict(step["editions"]))
                 for name, step in data["steps"].items()}
        return cls(steps=steps, waiting={language: Waiting.from_list(counts)
                                         for language, counts in data["waiting"].items()})


def sync(project: Project, *, languages: Sequence[str] | None = None,
         machine_translation: bool = True, engine: str | None = None,
         engine_url: str | None = None, progress: Callable[..., None] | None = None) -> SyncReport:
    """Run every step; when no file changed since the last complete run, only say so.

    "No file changed" is judged like make and git do, by each file's size and mtime; the steps
    themselves then compare content hashes, so a touched but unchanged file rewrites nothing.
    """
    state = State(project.state_dir / "sync.json")
    # REPORT_VERSION: a report cached in an older layout is not read back.
    options = repr((REPORT_VERSION, languages, machine_translation, engine, engine_url))
    key = "sync"
    if state.fresh(key, digest(options, workspace_signature(project))):
        report = SyncReport.from_json(state.notes(key)[0])
    else:
        report = run_steps(project, languages=languages, machine_translation=machine_translation,
                           engine=engine, engine_url=engine_url, progress=progress)
        if report.complete:
            state.record(key, digest(options, workspace_signature(project)), [report.to_json()])
            state.save()
    report.unlisted = unlisted_languages(project)
    return report


def run_steps(project: Project, *, languages: Sequence[str] | None, machine_translation: bool,
              engine: str | None, engine_url: str | None,
              progress: Callable[..., None] | None) -> SyncReport:
    report = SyncReport()
    articles = project.articles()
    report.steps["extract"] = extract.extract(project, articles=articles)
    report.steps["update"] = update_step.update(project, languages=languages, articles=articles)
    if machine_translation:
        # The engines, their cache and the translation memory load only when they are used.
        from l10n.draft import translate_workspace

        try:
            report.translation = translate_workspace(
                project, languages=languages, engine_name=engine, engine_url=engine_url,
                progress=progress)
        except EngineError as error:
            # An unreachable engine does not stop the rest; the exit code says so.
            report.engine_error = error
    report.steps["build"] = build_step.build(project, languages=languages, articles=articles)
    report.waiting = waiting_entries(project, languages, articles)
    return report


def workspace_signature(project: Project) -> str:
    """Size and mtime of every file the chain reads or writes."""
    entries: list[str] = []
    for top in (project.source_dir, project.locales_dir, project.build_dir):
        stack = [str(top)]
        while stack:
            try:
                scan = os.scandir(stack.pop())
            except (FileNotFoundError, NotADirectoryError):
                continue
            with scan:
                for item in scan:
                    if item.is_dir(follow_symlinks=False):
                        stack.append(item.path)
                    else:
                        info = item.stat()
                        entries.append(f"{item.path}\0{info.st_size}\0{info.st_mtime_ns}")
    for path in (project.glossary_path, project.root / CONFIG_FILE):
        try:
            info = path.stat()
            entries.append(f"{path}\0{info.st_size}\0{info.st_mtime_ns}")
        except FileNotFoundError:
            entries.append(f"{path}\0missing")
    entries.sort()
    return digest("\n".join(entries))


def waiting_entries(project: Project, languages: Sequence[str] | None,
                    articles: Sequence[Article]) -> dict[str, Waiting]:
    """Drafts waiting for a reviewer and entries waiting for a translator, per language (in the
    order of the settings; only languages with any), in the catalogs of current articles only: a
    catalog whose article is gone is kept for its translations, not counted. Counts are cached
    by each catalog's content hash."""
    state = State(project.state_dir / "state.json")
    totals: dict[str, list[int]] = {}   # drafts, untranslated, rejected
    for article in articles:
        for language in project.target_languages(article, languages):
            path = project.catalog_path(language, article.slug)
            key, fingerprint = f"waiting:{project.relative(path)}", file_digest(path)
            if fingerprint == MISSING:
                continue
            if not state.fresh(key, fingerprint):
                state.record(key, fingerprint, [str(n) for n in catalog_waiting(
                    read_catalog(path, project.relative(path)))])
            counts = [int(n) for n in state.notes(key)]
            total = totals.setdefault(language, [0, 0, 0])
            for n, count in enumerate(counts):
                total[n] += count
    state.save()
    waiting: dict[str, Waiting] = {}
    for language in project.settings.languages:
        drafts, untranslated, rejected = totals.get(language, (0, 0, 0))
        if drafts or untranslated:
            waiting[language] = Waiting(drafts, untranslated, rejected,
                                        project.relative(project.locales_dir / language))
    return waiting


def catalog_waiting(po: polib.POFile) -> tuple[int, int, int]:
    """Drafts, untranslated entries, and those of them whose draft a reviewer rejected."""
    counts = catalog.stats(po)
    rejected = sum(1 for entry in po if not entry.obsolete and entry.msgid
                   and catalog.was_rejected(entry))
    return counts.drafts, counts.untranslated, rejected
