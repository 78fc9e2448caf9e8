"""The update step: templates -> catalogs across a workspace. Each catalog whose template,
glossary or own bytes changed is merged with ``catalog.update_catalog``, starting from another
catalog where its article moved (``moves``), and written only over the bytes the merge read.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from l10n.atomic import Batch, write_text_atomic
from l10n.catalog import (
    Comments,
    copies_template,
    new_catalog_text,
    says_the_same,
    update_catalog,
)
from l10n.errors import CatalogChanged, CatalogError
from l10n.moves import (
    carried_lines,
    holds_little,
    moved_from,
    orphan_carries,
    started_line,
    strayed_starts,
    with_obsolete,
)
from l10n.parallel import ordered_map
from l10n.pofile import (
    catalog_text,
    changed_on_disk,
    format_catalog,
    parse_catalog,
    read_catalog,
    write_catalog_over,
)
from l10n.project import Article, Project
from l10n.report import StepReport
from l10n.state import MISSING, State, digest, file_digest

if TYPE_CHECKING:
    # Imported when `update` runs: the glossary module compiles large regexes.
    from l10n.glossary import Glossary


@dataclass(frozen=True)
class UpdateJob:
    """One article's catalogs to merge (its template is read once for all): everything a worker
    process needs."""

    project: Project
    article: Article
    languages: tuple[str, ...]
    glossary: Glossary
    # language -> the catalog a catalog starts from: for a missing catalog, an orphan (see
    # ``moves.moved_from``); with ``restart``, the one that held the text of a catalog that now
    # holds little of it (see ``moves.strayed_starts``)
    starts: dict[str, Path] = field(default_factory=dict)
    restart: bool = False
    # With ``restart``: the translated entries the catalog held stay in it as obsolete ones (no
    # other catalog starts from them, so they would be lost).
    keep_own: bool = False


@dataclass(frozen=True)
class Merged:
    text: str | None  # None: the catalog already says exactly this
    fingerprint: str  # digest of the catalog's bytes after the merge
    seen: str  # file_digest of the catalog before it was read: what may be written over
    # The catalog holds under moves.MOVED_SHARE of its template's text and started from no other:
    # another catalog may hold the text (``text`` is the ordinary merge, should none).
    strayed: bool = False

    @property
    def existed(self) -> bool:
        """The catalog was there before: it may hold translators' work."""
        return self.seen != MISSING


@dataclass(frozen=True)
class Pending:
    """A catalog merged, not yet written."""

    job: UpdateJob
    language: str
    key: str      # its state key
    inputs: str   # the digest of what it was merged from
    merged: Merged


def merged_texts(job: UpdateJob) -> list[Merged]:
    """Each catalog's text after merging the template into it, in the order of job.languages."""
    project = job.project
    template_path = project.template_path(job.article.slug)
    template_text = _read_text(template_path, project)
    template = parse_catalog(template_text, project.relative(template_path))
    return [_merged(job, language, template, template_text) for language in job.languages]


def _merged(job: UpdateJob, language: str, template: polib.POFile, template_text: str) -> Merged:
    project = job.project
    path = project.catalog_path(language, job.article.slug)
    try:
        raw: bytes | None = path.read_bytes()
    except FileNotFoundError:
        raw = None
    seen = MISSING if raw is None else digest(raw)   # what the write may replace (file_digest)
    current = None if raw is None else catalog_text(raw, project.relative(path))
    own = parse_catalog(current, project.relative(path)) if current is not None else None
    previous = own
    start = job.starts.get(language)
    if start is not None and (own is None or job.restart):
        previous = read_catalog(start, project.relative(start))
        if own is not None and job.keep_own:
            previous = with_obsolete(previous, own)
    strayed = start is None and own is not None and holds_little(template, own)
    comments = _glossary_comments(job.glossary, job.article.language, language)
    if previous is None and copies_template(template, comments):
        text = new_catalog_text(template, template_text, language)
        return Merged(text, digest(text), seen)
    merged = update_catalog(template, previous, language=language, comments=comments)
    text = format_catalog(merged)
    # Unchanged means the merge changed nothing the file says: a catalog another tool saved in a
    # layout of its own (Weblate's width, CRLF, a byte-order mark, its own order of the header's
    # fields) is left as it is, not rewritten in msgcat's layout, which would be diff noise in
    # every round trip.
    if raw is not None and (text.encode("utf-8") == raw
                            or (own is not None and says_the_same(merged, own, text))):
        return Merged(None, seen, seen, strayed)
    return Merged(text, digest(text), seen, strayed)


def _read_text(path: Path, project: Project) -> str:
    return catalog_text(path.read_bytes(), project.relative(path))


def update(project: Project, *, languages: Sequence[str] | None = None,
           check: bool = False, articles: Sequence[Article] | None = None) -> StepReport:
    """Templates -> catalogs for every article and target language (or just ``languages``)."""
    from l10n.glossary import load_glossary

    state = State(project.state_dir / "state.json")
    report = StepReport()
    articles = project.articles() if articles is None else articles
    glossary = load_glossary(project, articles)
    glossary_print = file_digest(project.glossary_path)
    due_by_article: list[tuple[Article, dict[str, tuple[str, str]]]] = []
    new: dict[str, list[Article]] = {}   # language -> articles whose catalog is missing
    changing: dict[str, list[Article]] = {}   # language -> articles whose catalog is due
    for article in articles:
        template_path = project.template_path(article.slug)
        if not template_path.exists():
            raise CatalogError("template missing", path=project.relative(template_path),
                               hint="run `l10n extract` first")
        template_print = file_digest(template_path)
        due: dict[str, tuple[str, str]] = {}
        for language in project.target_languages(article, languages):
            path = project.catalog_path(language, article.slug)
            key = f"update:{language}:{article.slug}"
            inputs = digest(template_print, glossary_print, language)
            seen = file_digest(path)
            if state.fresh(key, digest(inputs, seen)):
                report.unchanged += 1
                continue
            due[language] = (key, inputs)
            (new if seen == MISSING else changing).setdefault(language, []).append(article)
        if due:
            due_by_article.append((article, due))
    starts = moved_from(project, new, articles, changing) if new else {}
    stale: list[tuple[UpdateJob, list[tuple[str, str]]]] = []   # a job, and its (key, inputs)s
    for article, due in due_by_article:
        job = UpdateJob(project, article, tuple(due), glossary, starts.get(article.slug, {}))
        stale.append((job, list(due.values())))
        if not check:   # said once, when the catalog is written (notes are said every run)
            report.started += [started_line(project, language, article.slug, start, articles)
                               for language, start in job.starts.items()]
    handed_on = {start for by_language in starts.values() for start in by_language.values()}
    results = ordered_map(merged_texts, [job for job, _ in stale])
    # Translators' work reaches the disk (one flush for all) before any of it is replaced; a new
    # catalog holds nothing to lose yet and is written at once. A catalog that changed on disk
    # since the merge read it (an editor's save, a git pull) is not written over.
    done: dict[Path, tuple[str, str]] = {}   # path -> state key and fingerprint
    strays: list[Pending] = []
    created: set[Path] = set()   # catalogs this run makes: none starts from them
    with Batch() as batch:
        def settle(job: UpdateJob, language: str, key: str, inputs: str, merged: Merged) -> None:
            path = project.catalog_path(language, job.article.slug)
            if merged.text is None:
                report.unchanged += 1
            elif check:
                report.written.append(project.relative(path))
                return
            elif file_digest(path) != merged.seen:
                report.errors.append(_changed(project, path))
                return
            else:
                if merged.existed:
                    batch.write(path, merged.text)
                else:
                    write_text_atomic(path, merged.text, durable=False)
                report.written.append(project.relative(path))
            done[path] = (key, digest(inputs, merged.fingerprint))

        for (job, keys), merges in zip(stale, results):
            for language, (key, inputs), merged in zip(job.languages, keys, merges):
                if merged.strayed:   # settled once every catalog has been merged
                    strays.append(Pending(job, language, key, inputs, merged))
                    continue
                if not merged.existed:
                    created.add(project.catalog_path(language, job.article.slug))
                settle(job, language, key, inputs, merged)
        # The batch renames its files as it closes: every catalog is still as the run found it.
        for pending, start in restarted(project, strays, created, handed_on):
            if start is not None and not check and pending.merged.text is not None:
                report.started.append(started_line(project, pending.language,
                                                   pending.job.article.slug, start, articles))
            settle(pending.job, pending.language, pending.key, pending.inputs, pending.merged)
    for path in batch.changed:
        report.written.remove(project.relative(path))
        report.errors.append(_changed(project, path))
        del done[path]
    for key, fingerprint in done.values():
        state.record(key, fingerprint)
    _carry(project, state, report, languages=languages, articles=articles, handed_on=handed_on,
           check=check)
    if not check:
        state.save()
    return report


def _carry(project: Project, state: State, report: StepReport, *,
           languages: Sequence[str] | None, articles: Sequence[Article],
           handed_on: Collection[Path], check: bool) -> None:
    """Approved work saved into an orphaned catalog after its text moved goes to the live
    catalog that holds the text now (``moves.orphan_carries``), written only over the bytes the
    carry read; the orphan itself is never written."""
    carries, settled = orphan_carries(
        project, state, languages=project.settings.languages if languages is None else languages,
        articles=articles, handed_on=handed_on)
    for key, seen in settled.items():
        state.record(key, seen)
    for carry in carries:
        shown = project.relative(carry.live)
        if not check:
            try:
                write_catalog_over(carry.live, carry.text, seen=carry.seen, shown=shown,
                                   hint="run `l10n update` again")
            except CatalogChanged as error:
                report.errors.append(str(error))
                continue
            report.started += carried_lines(project, carry)
        if shown not in report.written:
            report.written.append(shown)
            # The merge counted it unchanged, unless it refused to write over it.
            if not any(error.startswith(f"{shown}:") for error in report.errors):
                report.unchanged -= 1
        if check:
            continue
        for key, seen in carry.records.items():
            state.record(key, seen)


def restarted(project: Project, strays: Sequence[Pending], created: Collection[Path],
              handed_on: Collection[Path]) -> list[tuple[Pending, Path | None]]:
    """Each strayed catalog (one that holds little of its template's text), merged again from
    the catalog that held the text before this run, with that catalog; or as it was, with None,
    when no catalog held enough of it. A catalog replaced so keeps its own translated entries as
    obsolete ones, unless another catalog starts from it (two articles swapped names; or, in
    ``handed_on``, a new catalog started from it)."""
    if not strays:
        return []
    wanted: dict[str, list[str]] = {}
    for pending in strays:
        wanted.setdefault(pending.language, []).append(pending.job.article.slug)
    starts = strayed_starts(project, wanted, created)
    handed_on = {*handed_on, *(start for by_language in starts.values()
                               for start in by_language.values())}
    again: list[UpdateJob] = []
    for pending in strays:
        job, language = pending.job, pending.language
        start = starts.get(job.article.slug, {}).get(language)
        if start is not None:
            path = project.catalog_path(language, job.article.slug)
            again.append(UpdateJob(project, job.article, (language,), job.glossary,
                                   {language: start}, restart=True,
                                   keep_own=path not in handed_on))
    merges = iter(list(ordered_map(merged_texts, again)))   # the pool closes here
    jobs = iter(again)
    settled: list[tuple[Pending, Path | None]] = []
    for pending in strays:   # in the order they came, the restarted ones with their start
        if pending.language not in starts.get(pending.job.article.slug, {}):
            settled.append((pending, None))
            continue
        job, (merged,) = next(jobs), next(merges)
        # Written only over the bytes the first merge read (see ``update``'s check).
        seen = pending.merged.seen
        fresh = Merged(merged.text, seen if merged.text is None else merged.fingerprint, seen)
        settled.append((Pending(job, pending.language, pending.key, pending.inputs, fresh),
                        job.starts[pending.language]))
    return settled


def _changed(project: Project, path: Path) -> str:
    return str(changed_on_disk(project.relative(path), "run `l10n update` again"))


def _glossary_comments(glossary: Glossary, source: str, target: str) -> Comments:
    def comments(msgid: str) -> list[str]:
        return glossary.comments(msgid, source, target)

    return comments
