"""``l10n check`` over the workspace, and the build's publication gate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from l10n.checks.registry import SEVERITIES, CheckContext, Finding, run_checks
from l10n.glossary import load_glossary
from l10n.parallel import ordered_map
from l10n.pofile import read_catalog

if TYPE_CHECKING:
    import polib

    from l10n.glossary import Glossary
    from l10n.project import Article, Project


@dataclass(frozen=True)
class Report:
    """One finding in one catalog entry, as ``l10n check`` prints it."""

    path: str        # the catalog, relative to the workspace
    line: int        # the entry's first line in the PO file
    severity: str
    check: str
    message: str
    state: str       # "approved" or "draft"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.check}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def context_for(project: Project, article: Article, language: str,
                glossary: Glossary | None) -> CheckContext:
    from l10n.formats import SUFFIXES

    return CheckContext(source_language=article.language, target_language=language,
                        format_name=SUFFIXES[article.suffix.lower()], glossary=glossary,
                        zh_latin_spacing=project.settings.zh_latin_spacing)


def check_entry(entry: polib.POEntry, context: CheckContext, *,
                severities: Sequence[str] = SEVERITIES) -> list[Finding]:
    """The findings on one catalog entry; obsolete, untranslated and plural entries have none."""
    if entry.obsolete or not entry.msgid or not entry.msgstr or entry.msgid_plural:
        return []
    return run_checks(entry.msgid, entry.msgstr, context, severities=severities)


def check_workspace(project: Project, *, languages: Sequence[str] | None = None) -> list[Report]:
    """Run every check on every approved entry and fuzzy draft of every catalog: one job per
    article, on every core when the workspace is large, reported in article order."""
    articles = project.articles()
    glossary = load_glossary(project, articles)
    jobs = [_Job(project, article, tuple(project.target_languages(article, languages)), glossary)
            for article in articles]
    return [report for reports in ordered_map(_check_article, jobs) for report in reports]


@dataclass(frozen=True)
class _Job:
    """One article's catalogs to check (an Article pickles small: no text)."""

    project: Project
    article: Article
    languages: tuple[str, ...]
    glossary: Glossary


def _check_article(job: _Job) -> list[Report]:
    project, article, glossary = job.project, job.article, job.glossary
    reports: list[Report] = []
    for language in job.languages:
        path = project.catalog_path(language, article.slug)
        if not path.exists():
            continue
        context = context_for(project, article, language, glossary)
        shown = project.relative(path)
        for entry in read_catalog(path, shown):
            state = "draft" if "fuzzy" in entry.flags else "approved"
            for finding in check_entry(entry, context):
                reports.append(Report(shown, entry.linenum, finding.severity, finding.check,
                                      finding.message, state))
    return reports


def publication_gate(project: Project, article: Article, language: str,
                     glossary: Glossary | None = None) -> Callable[[polib.POEntry], str | None]:
    """For the build: the reason an entry must not be published (a critical finding), or None."""
    if glossary is None:
        glossary = load_glossary(project, [article])
    context = context_for(project, article, language, glossary)

    def gate(entry: polib.POEntry) -> str | None:
        critical = [str(f) for f in check_entry(entry, context, severities=("critical",))]
        return "; ".join(critical) or None

    return gate
