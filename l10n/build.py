"""Catalogs -> editions: the source document with approved translations spliced in.

Only approved entries are published (translated, not fuzzy: gettext's meaning), and never one
with a critical quality-check failure. An edition whose approved share is below ``min_approved``
is not written. Every edition is re-parsed and compared with its source; an entry that would
change the document's structure is held back and named.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import polib

from l10n import parsecache
from l10n.atomic import write_text_atomic
from l10n.catalog import is_approved, is_draft, stats
from l10n.formats import SUFFIXES, FormatOptions, Rendered, format_for
from l10n.glossary import Glossary
from l10n.parallel import ordered_map
from l10n.pofile import read_catalog
from l10n.project import BOM, Article, Project, same_language
from l10n.report import NotBuilt, StepReport, remove_orphans
from l10n.state import State, digest, file_digest

if TYPE_CHECKING:
    from l10n.validate import Outline

# Bump when rendering changes, so cached fingerprints stop matching.
BUILDER_VERSION = "6"

# Leads the notes kept in the state for an edition not built (then the NotBuilt, when it is one).
NOT_BUILT_TAG = "not built:"

# Decides whether an approved entry may be published; returns the reason when it may not.
Gate = Callable[[polib.POEntry], "str | None"]


@dataclass(frozen=True)
class BuildOptions:
    min_approved: int
    include_drafts: bool = False


@dataclass(frozen=True)
class Job:
    """One edition to make: everything a worker process needs."""

    project: Project
    article: Article
    language: str
    options: BuildOptions
    glossary: Glossary
    keep_parse: bool = True  # note the source's parse for the next build, if none was kept


@dataclass
class Outcome:
    text: str | None                      # None: not built (see notes, not_built)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    not_built: NotBuilt | None = None     # not built for too few approved entries

    def state_notes(self) -> list[str]:
        """What the state keeps, so an unchanged edition is reported as this one was."""
        if self.text is not None:
            return self.notes
        below = json.dumps(self.not_built.to_list()) if self.not_built is not None else ""
        return [NOT_BUILT_TAG + below, *self.notes]


def translations(catalog: polib.POFile, *, include_drafts: bool,
                 gate: Gate | None = None) -> tuple[dict[str, polib.POEntry], list[str]]:
    """msgid -> entry for every publishable entry, and why the others were held back."""
    table: dict[str, polib.POEntry] = {}
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
        table[entry.msgid] = entry
    return table, held


def render_edition(project: Project, article: Article, language: str,
                   table: dict[str, str]) -> Rendered:
    fmt = format_for(article.path)
    options = FormatOptions(front_matter_keys=project.settings.front_matter_keys,
                            language=language)
    return fmt.render_checked(article.text, table.get, options=options,
                              path=project.relative(article.path))


def make_edition(job: Job) -> Outcome:
    """The edition's text for one article and language, or why it is not built."""
    project, article, language = job.project, job.article, job.language
    bom = BOM if article.bom else ""
    if same_language(language, article.language):
        return Outcome(bom + article.text)
    shown = project.relative(project.edition_path(language, article))
    catalog_path = project.catalog_path(language, article.slug)
    po_name = project.relative(catalog_path)
    if not catalog_path.exists():
        return Outcome(None, [f"{shown}: not built: {po_name} is missing (run `l10n update`)"])
    catalog = read_catalog(catalog_path, po_name)
    counts = stats(catalog)
    share = counts.approved + (counts.drafts if job.options.include_drafts else 0)
    percent = 100.0 * share / counts.total if counts.total else 100.0
    if percent < job.options.min_approved:
        return Outcome(None, not_built=NotBuilt(shown, language, percent,
                                                job.options.min_approved))
    from l10n import checks

    gate = checks.publication_gate(project, article, language, job.glossary)
    table, held = translations(catalog, include_drafts=job.options.include_drafts, gate=gate)
    outcome = Outcome(None, [f"{po_name}:{reason}; the source text is kept for that block"
                             for reason in held])
    outline = parsecache.restore(project, article)
    if outline is None and job.keep_parse:
        outline = parsecache.refill(project, article)
    rendered = render_edition(project, article, language, {m: e.msgstr for m, e in table.items()})
    problems = (structure_problems(article, rendered.text, shown, outline)
                if rendered.text != article.text else [])
    if problems:
        # Name the entries that change the structure, publish without them, and fail the build.
        culprits = [(entry, own) for entry in table.values()
                    if (own := structure_problems(article, render_edition(
                        project, article, language, {entry.msgid: entry.msgstr}).text, shown,
                        outline))]
        for entry, own in culprits:
            del table[entry.msgid]
            outcome.errors.append(
                f"{po_name}:{entry.linenum}: the translation changes the document's structure "
                f"({'; '.join(own)}); the source text is kept for that block")
        if not culprits:
            outcome.errors.append(f"{shown}: structure differs from the source: "
                                  + "; ".join(problems))
        rendered = render_edition(project, article, language,
                                  {m: e.msgstr for m, e in table.items()})
    outcome.text = bom + rendered.text
    outcome.notes += rendered.notes   # e.g. an HTML edition lxml had to re-serialize
    return outcome


def structure_problems(article: Article, edition: str, shown: str,
                       source_outline: Outline | None = None) -> list[str]:
    from l10n.validate import validate_edition

    return validate_edition(article.text, edition, format_name=SUFFIXES[article.suffix.lower()],
                            path=shown, inline=False, source_outline=source_outline)


def build(project: Project, *, languages: Sequence[str] | None = None,
          min_approved: int | None = None, include_drafts: bool = False,
          check: bool = False, articles: Sequence[Article] | None = None) -> StepReport:
    """Write every edition that is out of date, for every article and configured language."""
    from l10n.checks import load_glossary

    options = BuildOptions(
        min_approved=project.settings.min_approved if min_approved is None else min_approved,
        include_drafts=include_drafts)
    articles = project.articles() if articles is None else articles
    glossary = load_glossary(project, articles)
    glossary_print = file_digest(project.glossary_path)
    state = State(project.state_dir / "state.json")
    report = StepReport()
    if languages is None:
        # build/ is generated: an edition whose article is gone goes too.
        report.removed = remove_orphans(
            project.build_dir,
            {project.edition_path(language, a) for a in articles
             for language in project.settings.languages},
            tuple(SUFFIXES), check=check, shown=project.relative)
    stale: list[tuple[Job, str, str]] = []
    for article in articles:
        for language in project.settings.languages:
            if languages is not None and language not in languages:
                continue
            own = same_language(language, article.language)
            catalog = project.catalog_path(language, article.slug)
            inputs = digest(BUILDER_VERSION, article.digest, language, str(options),
                            "" if own else file_digest(catalog), glossary_print)
            key = f"build:{language}:{article.slug}"
            out = project.edition_path(language, article)
            report.editions[language] = report.editions.get(language, 0) + 1
            if state.fresh(key, digest(inputs, file_digest(out))):
                recall(report, state.notes(key))
            else:
                stale.append((Job(project, article, language, options, glossary, not check), key,
                              inputs))
    outcomes = ordered_map(make_edition, [job for job, _, _ in stale])
    for (job, key, inputs), outcome in zip(stale, outcomes):
        out = project.edition_path(job.language, job.article)
        shown = project.relative(out)
        report.notes += outcome.notes
        report.errors += outcome.errors
        if outcome.not_built is not None:
            report.not_built.append(outcome.not_built)
        if outcome.text is None:
            if out.exists():
                # Left in place, an edition of an older source would be published as current.
                report.withdrawn.append(shown)
                if not check:
                    out.unlink()
            if not check:
                state.record(key, digest(inputs, file_digest(out)), outcome.state_notes())
            continue
        if check:
            if file_digest(out) != digest(outcome.text.encode("utf-8")):
                report.written.append(shown)
            continue
        if write_text_atomic(out, outcome.text, durable=False):
            report.written.append(shown)
        else:
            report.unchanged += 1
        if not outcome.errors:
            state.record(key, digest(inputs, digest(outcome.text.encode("utf-8"))),
                         outcome.state_notes())
    if not check:
        state.save()
    return report


def recall(report: StepReport, notes: list[str]) -> None:
    """Report an edition whose inputs are unchanged as its last build did (``state_notes``):
    unchanged when it was built, not built (and why) when it was not."""
    if not notes or not notes[0].startswith(NOT_BUILT_TAG):
        report.notes += notes
        report.unchanged += 1
        return
    below = notes[0][len(NOT_BUILT_TAG):]
    if below:
        report.not_built.append(NotBuilt.from_list(json.loads(below)))
    report.notes += notes[1:]
