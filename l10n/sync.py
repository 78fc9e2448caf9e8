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

from l10n import build as build_step
from l10n import catalog, extract
from l10n.errors import EngineError
from l10n.pofile import read_catalog
from l10n.project import CONFIG_FILE, Article, Project
from l10n.report import NotBuilt, StepReport
from l10n.state import State, digest, file_digest

if TYPE_CHECKING:
    from l10n.draft import TranslateReport


# Bump when SyncReport.to_json changes.
REPORT_VERSION = 2


@dataclass
class SyncReport:
    steps: dict[str, StepReport] = field(default_factory=dict)
    translation: TranslateReport | None = None   # when machine translation ran
    engine_error: EngineError | None = None
    needs_review: dict[str, int] = field(default_factory=dict)   # language -> drafts pending

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
        return json.dumps({"steps": steps, "needs_review": self.needs_review})

    @classmethod
    def from_json(cls, text: str) -> SyncReport:
        data = json.loads(text)
        steps = {name: StepReport(unchanged=int(step["unchanged"]), notes=list(step["notes"]),
                                  not_built=[NotBuilt.from_list(item)
                                             for item in step["not_built"]],
                                  editions=dict(step["editions"]))
                 for name, step in data["steps"].items()}
        return cls(steps=steps, needs_review=dict(data["needs_review"]))


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
        return SyncReport.from_json(state.notes(key)[0])
    report = run_steps(project, languages=languages, machine_translation=machine_translation,
                       engine=engine, engine_url=engine_url, progress=progress)
    if report.complete:
        state.record(key, digest(options, workspace_signature(project)), [report.to_json()])
        state.save()
    return report


def run_steps(project: Project, *, languages: Sequence[str] | None, machine_translation: bool,
              engine: str | None, engine_url: str | None,
              progress: Callable[..., None] | None) -> SyncReport:
    report = SyncReport()
    articles = project.articles()
    report.steps["extract"] = extract.extract(project, articles=articles)
    report.steps["update"] = catalog.update(project, languages=languages, articles=articles)
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
    report.needs_review = pending_drafts(project, languages, articles)
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


def pending_drafts(project: Project, languages: Sequence[str] | None,
                   articles: Sequence[Article]) -> dict[str, int]:
    """Drafts waiting for a reviewer, per language, in the catalogs of current articles only: a
    catalog whose article is gone is kept for its translations, not reviewed (counts cached by
    each catalog's content hash)."""
    state = State(project.state_dir / "state.json")
    pending: dict[str, int] = {}
    for article in articles:
        for language in project.target_languages(article, languages):
            path = project.catalog_path(language, article.slug)
            if not path.exists():
                continue
            key, fingerprint = f"drafts:{project.relative(path)}", file_digest(path)
            if not state.fresh(key, fingerprint):
                drafts = catalog.stats(read_catalog(path, project.relative(path))).drafts
                state.record(key, fingerprint, [str(drafts)])
            count = int(state.notes(key)[0])
            if count:
                pending[language] = pending.get(language, 0) + count
    state.save()
    # In the order of the settings, as before.
    return {language: pending[language] for language in project.settings.languages
            if language in pending}
