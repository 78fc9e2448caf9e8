"""``l10n sync``: the whole chain in one idempotent run.

extract -> update -> translate (memory, then engine; optional) -> build -> status summary.
A second run with nothing changed writes no file and sends no request.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from l10n import build as build_step
from l10n import catalog, extract
from l10n.errors import EngineError
from l10n.pofile import read_catalog
from l10n.project import Project
from l10n.report import StepReport
from l10n.state import State, file_digest


@dataclass
class SyncReport:
    steps: dict[str, StepReport] = field(default_factory=dict)
    translation: Any = None              # draft.TranslateReport when machine translation ran
    engine_error: EngineError | None = None
    needs_review: dict[str, int] = field(default_factory=dict)   # language -> drafts pending

    @property
    def exit_code(self) -> int:
        return 2 if self.engine_error is not None else 0


def sync(project: Project, *, languages: Sequence[str] | None = None,
         machine_translation: bool = True, engine: str | None = None,
         engine_url: str | None = None, progress: Callable[..., None] | None = None) -> SyncReport:
    report = SyncReport()
    articles = project.articles()
    report.steps["extract"] = extract.extract(project, articles=articles)
    report.steps["update"] = catalog.update(project, languages=languages, articles=articles)
    if machine_translation:
        try:
            from l10n.draft import translate_workspace
        except ImportError:
            translate_workspace = None
        if translate_workspace is not None:
            try:
                report.translation = translate_workspace(
                    project, languages=languages, engine_name=engine, engine_url=engine_url,
                    progress=progress)
            except EngineError as error:
                # An unreachable engine does not stop the rest; the exit code says so.
                report.engine_error = error
    report.steps["build"] = build_step.build(project, languages=languages, articles=articles)
    report.needs_review = pending_drafts(project, languages)
    return report


def pending_drafts(project: Project, languages: Sequence[str] | None) -> dict[str, int]:
    """Drafts waiting for a reviewer, per language (counts cached by each catalog's content hash)."""
    state = State(project.state_dir / "state.json")
    pending: dict[str, int] = {}
    for language in project.settings.languages:
        if languages is not None and language not in languages:
            continue
        folder = project.locales_dir / language
        count = 0
        for path in sorted(folder.rglob("*.po")) if folder.is_dir() else []:
            key, fingerprint = f"drafts:{project.relative(path)}", file_digest(path)
            if not state.fresh(key, fingerprint):
                drafts = catalog.stats(read_catalog(path, project.relative(path))).drafts
                state.record(key, fingerprint, [str(drafts)])
            count += int(state.notes(key)[0])
        if count:
            pending[language] = count
    state.save()
    return pending
