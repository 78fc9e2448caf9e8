"""Sources -> templates: one ``locales/templates/<slug>.pot`` per article."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from l10n import parsecache
from l10n.atomic import write_text_atomic
from l10n.catalog import build_template, now_stamp
from l10n.formats import FormatOptions, format_for
from l10n.parallel import ordered_map
from l10n.pofile import format_catalog
from l10n.project import Article, Project
from l10n.report import StepReport, remove_orphans
from l10n.segment import Segment
from l10n.state import State, digest, file_digest

_CREATION = re.compile(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)
# Bump when extraction changes, so cached fingerprints stop matching.
EXTRACTOR_VERSION = "3"


def segments_of(project: Project, article: Article) -> list[Segment]:
    fmt = format_for(article.path)
    options = FormatOptions(front_matter_keys=project.settings.front_matter_keys)
    return fmt.extract(article.text, project.relative(article.path), options=options)


def notes_of(project: Project, article: Article) -> list[str]:
    """What the user should know about the article's text that no template holds: its blocks
    with text that extract leaves out, a Markdown article's HTML blocks (one note for the
    article, at the first)."""
    lines = format_for(article.path).untranslated_blocks(article.text)
    if not lines:
        return []
    where = f"{project.relative(article.path)}:{lines[0]}"
    if len(lines) == 1:
        note = f"{where}: an HTML block is not translated (its text stays in the source language)"
    else:
        note = (f"{where}: {len(lines)} HTML blocks are not translated (lines "
                f"{', '.join(map(str, lines))}; their text stays in the source language)")
    return [note]


def template_text(project: Project, article: Article, previous: str | None) -> str:
    """The template's text. Its POT-Creation-Date moves only when the content changes."""
    segments = segments_of(project, article)
    add_location = project.settings.add_location
    old = _CREATION.search(previous) if previous else None
    if old is not None:
        text = format_catalog(build_template(article.slug, article.language, segments,
                                             date=old.group(1), add_location=add_location))
        if text == previous:
            return text
    return format_catalog(build_template(article.slug, article.language, segments,
                                         date=now_stamp(), add_location=add_location))


def read_if_exists(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError:
        return None


def _template_job(job: tuple[Project, Article, Path, bool]
                  ) -> tuple[str | None, str, list[str]]:
    """The template's text, or None when the file already holds it; the text's digest; the
    article's notes. The old template is read here, in the worker, so the caller never holds
    the workspace's."""
    project, article, path, keep_parse = job
    previous = read_if_exists(path)
    text = template_text(project, article, previous)
    notes = notes_of(project, article)  # while the parse is at hand
    if keep_parse:
        parsecache.save(project, article)  # for build, while the parse is at hand
    return (None if text == previous else text), digest(text), notes


def extract(project: Project, *, check: bool = False,
            articles: Sequence[Article] | None = None) -> StepReport:
    """Write (or, with ``check``, list) every template that is out of date. ``articles``, when
    given, is every article of the workspace (loaded once by the caller)."""
    state = State(project.state_dir / "state.json")
    report = StepReport()
    articles = project.articles() if articles is None else articles
    # A template whose article is gone goes too (catalogs stay: they hold translators' work).
    report.removed = remove_orphans(
        project.locales_dir / "templates", {project.template_path(a.slug) for a in articles},
        (".pot",), check=check, shown=project.relative)
    stale: list[tuple[Article, Path, str]] = []
    # Notes in article order, the same whether an article is parsed or found fresh.
    notes: dict[str, list[str]] = {}
    for article in articles:
        path = project.template_path(article.slug)
        inputs = digest(EXTRACTOR_VERSION, article.digest, article.language,
                        "\0".join(project.settings.front_matter_keys),
                        project.settings.add_location)
        if state.fresh(f"extract:{article.slug}", digest(inputs, file_digest(path))):
            report.unchanged += 1
            notes[article.slug] = state.notes(f"extract:{article.slug}")
        else:
            stale.append((article, path, inputs))
    results = ordered_map(_template_job, [(project, article, path, not check)
                                          for article, path, _ in stale])
    for (article, path, inputs), (text, text_digest, article_notes) in zip(stale, results):
        notes[article.slug] = article_notes
        if text is None:
            report.unchanged += 1
        elif check:
            report.written.append(project.relative(path))
            continue
        else:
            write_text_atomic(path, text, durable=False)
            report.written.append(project.relative(path))
        state.record(f"extract:{article.slug}", digest(inputs, text_digest), article_notes)
    report.notes = [note for article in articles for note in notes.get(article.slug, [])]
    if not check:
        state.save()
        parsecache.prune(project, articles)
    return report
