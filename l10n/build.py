"""Catalogs -> editions: the source document with approved translations spliced in.

Only approved entries are published (translated, not fuzzy: gettext's meaning). An edition whose
approved share is below ``min_approved`` is not written, and the report says why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polib

from l10n.atomic import write_text_atomic
from l10n.catalog import is_approved, is_draft, stats
from l10n.formats import FormatOptions, format_for
from l10n.pofile import read_catalog
from l10n.project import Article, Project, same_language
from l10n.report import StepReport
from l10n.state import State, digest, file_digest

# Bump when rendering changes, so cached fingerprints stop matching.
BUILDER_VERSION = "1"

# Decides whether an approved entry may be published; returns the reason when it may not.
Gate = Callable[[polib.POEntry], "str | None"]


@dataclass(frozen=True)
class BuildOptions:
    min_approved: int
    include_drafts: bool = False


def translations(catalog: polib.POFile, *, include_drafts: bool,
                 gate: Gate | None = None) -> tuple[dict[str, str], list[str]]:
    """msgid -> msgstr for every publishable entry, and the reasons entries were held back."""
    table: dict[str, str] = {}
    held: list[str] = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid or entry.msgctxt:
            continue
        if not (is_approved(entry) or include_drafts and is_draft(entry)):
            continue
        reason = gate(entry) if gate is not None else None
        if reason is not None:
            held.append(f"{entry.linenum}: {reason}")
            continue
        table[entry.msgid] = entry.msgstr
    return table, held


def render_edition(project: Project, article: Article, language: str,
                   table: dict[str, str]) -> str:
    fmt = format_for(article.path)
    options = FormatOptions(front_matter_keys=project.settings.front_matter_keys,
                            language=language)
    return fmt.render(article.text, table.get, options=options)


def build_article(project: Project, article: Article, language: str, state: State,
                  options: BuildOptions, *, check: bool = False) -> StepReport:
    report = StepReport()
    out = project.edition_path(language, article)
    shown = project.relative(out)
    catalog_path = project.catalog_path(language, article.slug)
    own = same_language(language, article.language)
    inputs = digest(BUILDER_VERSION, article.text, language, str(options),
                    "" if own else file_digest(catalog_path),
                    file_digest(project.glossary_path))
    key = f"build:{language}:{article.slug}"
    if state.fresh(key, digest(inputs, file_digest(out))):
        report.notes += state.notes(key)
        report.unchanged += 1
        return report
    if own:
        text = article.text
    else:
        if not catalog_path.exists():
            report.notes.append(f"{shown}: not built: {project.relative(catalog_path)} is missing"
                                " (run `l10n update`)")
            return report
        catalog = read_catalog(catalog_path, project.relative(catalog_path))
        counts = stats(catalog)
        share = counts.approved + (counts.drafts if options.include_drafts else 0)
        percent = 100.0 * share / counts.total if counts.total else 100.0
        if percent < options.min_approved:
            report.notes.append(
                f"{shown}: not built: {percent:.0f}% approved, below min_approved "
                f"{options.min_approved}% (review drafts, or use --min-approved / "
                "--include-drafts for a preview)")
            if not check:
                state.record(key, digest(inputs, file_digest(out)), report.notes)
            return report
        gate = publication_gate(project, article, language)
        table, held = translations(catalog, include_drafts=options.include_drafts, gate=gate)
        for reason in held:
            report.notes.append(f"{project.relative(catalog_path)}:{reason}; the source text "
                                "is kept for that block")
        text = render_edition(project, article, language, table)
    if check:
        if file_digest(out) != digest(text.encode("utf-8")):
            report.written.append(shown)
        return report
    if write_text_atomic(out, text):
        report.written.append(shown)
    else:
        report.unchanged += 1
    state.record(key, digest(inputs, digest(text.encode("utf-8"))), report.notes)
    return report


def publication_gate(project: Project, article: Article, language: str) -> Gate | None:
    """The critical quality checks, as a gate: an entry that fails one is never published."""
    try:
        from l10n import checks
    except ImportError:  # checks arrive with the review workflow
        return None
    return checks.publication_gate(project, article, language)


def build(project: Project, *, languages: Sequence[str] | None = None,
          min_approved: int | None = None, include_drafts: bool = False,
          check: bool = False, articles: Sequence[Article] | None = None) -> StepReport:
    """Write every edition that is out of date, for every article and configured language."""
    options = BuildOptions(
        min_approved=project.settings.min_approved if min_approved is None else min_approved,
        include_drafts=include_drafts)
    state = State(project.state_dir / "state.json")
    report = StepReport()
    for article in project.articles() if articles is None else articles:
        for language in project.settings.languages:
            if languages is not None and language not in languages:
                continue
            report.merge(build_article(project, article, language, state, options, check=check))
    if not check:
        state.save()
    return report
