"""Articles that moved: which catalog a catalog should start from when its article was moved,
renamed, or swapped names with another, so translators' work and its review go with the text.

Two cases reach here from ``update.update``:

- a new catalog (its article's path is new) starts from an orphaned catalog, one no article
  owns any more, or one whose article took another's text in this run (a chain of renames),
  that holds enough of its template's text (``moved_from``);
- an existing catalog whose template now shares little with what it holds (two articles swapped
  names, or one was renamed onto another's old name) starts from whichever catalog of its
  language held that text before the run (``strayed_starts``).

"Holds" is measured on the template's text by msgid length, translated or not: a catalog whose
language is barely started still counts, so a move is recognised in every language at once.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from pathlib import Path

import polib

from l10n.catalog import is_translated
from l10n.errors import CatalogError
from l10n.parallel import ordered_map
from l10n.pofile import read_catalog
from l10n.project import Article, Project

# A catalog starts from another that holds at least this share of its template's text; an
# existing catalog holding less than this share of its own template's text has lost its article
# (a swap, a rename onto its name) and looks for one.
MOVED_SHARE = 0.5

Starts = dict[str, dict[str, Path]]   # slug -> language -> the catalog to start from


def text_share(msgids: Collection[str], held: Container[str]) -> float:
    """The share of the text of ``msgids`` (by length) that ``held`` has; 1.0 for no text."""
    total = sum(map(len, msgids))
    return sum(len(m) for m in msgids if m in held) / total if total else 1.0


def holds_little(template: polib.POFile, catalog: polib.POFile) -> bool:
    """Whether ``catalog`` (any of its entries, obsolete ones too: the merge revives those) has
    under ``MOVED_SHARE`` of ``template``'s text: it was made for another article."""
    return text_share(_msgids(template), _msgids(catalog)) < MOVED_SHARE


def moved_from(project: Project, new: dict[str, list[Article]], articles: Sequence[Article],
               changing: Mapping[str, Sequence[Article]]) -> Starts:
    """slug -> language -> the catalog each new catalog (``new``: language -> the articles whose
    catalog is missing) should start from, where one qualifies: of the catalogs in that language
    no article of ``articles`` (every article of the workspace) owns, or whose article took
    another's text in this run (of ``changing``, the articles whose existing catalog is due: a
    catalog that now holds little of its template, as a.po when a.md became c.md and b.md took
    its name), the one holding the largest share of the new template's text, when that share is
    at least ``MOVED_SHARE``."""
    slugs = {language: [article.slug for article in missing] for language, missing in new.items()}
    due = [(project, language, article) for language in new
           for article in changing.get(language, ())]
    lost = {project.catalog_path(language, article.slug)
            for (_, language, article), gone in zip(due, ordered_map(_lost_its_text, due))
            if gone}
    excluded = {language: {project.catalog_path(language, article.slug)
                           for article in articles} - lost for language in new}
    return _starts(project, slugs, excluded)


def strayed_starts(project: Project, strays: dict[str, list[str]],
                   created: Collection[Path]) -> Starts:
    """slug -> language -> the catalog each strayed catalog (``strays``: language -> the slugs
    whose existing catalog holds little of its template) should start from: of the language's
    catalogs, its own and those ``created`` by this run excepted, the one holding the largest
    share of the template's text, when that share is at least ``MOVED_SHARE``. The catalogs are
    read as they are on disk: the caller runs this before it replaces any of them."""
    return _starts(project, strays, dict.fromkeys(strays, created))


def _starts(project: Project, slugs: dict[str, list[str]],
            excluded: Mapping[str, Collection[Path]]) -> Starts:
    """``best_starts`` for each language's ``slugs`` among the language's catalogs but its
    ``excluded`` ones."""
    found: Starts = {}
    msgids_of: dict[str, set[str]] = {}   # slug -> its template's msgids, read once
    for language, wanted_slugs in slugs.items():
        folder = project.locales_dir / language
        candidates = sorted(path for path in folder.rglob("*.po")
                            if path not in excluded[language])
        if not candidates:
            continue
        wanted = {slug: _template_msgids(project, slug, msgids_of) for slug in wanted_slugs}
        for slug, start in best_starts(project, language, wanted, candidates).items():
            found.setdefault(slug, {})[language] = start
    return found


def best_starts(project: Project, language: str, wanted: dict[str, set[str]],
                candidates: Sequence[Path]) -> dict[str, Path]:
    """slug -> the one of ``candidates`` (catalogs of ``language``; a slug's own catalog never
    counts) whose live entries hold the largest share of the slug's msgids (``wanted``), when
    that share is at least ``MOVED_SHARE``. Ties go to the first candidate."""
    holding: dict[str, set[int]] = {}   # msgid -> the candidates that have it
    shown = [(path, project.relative(path)) for path in candidates]
    for number, live in enumerate(ordered_map(_live_msgids, shown)):
        for msgid in live:
            holding.setdefault(msgid, set()).add(number)
    found: dict[str, Path] = {}
    for slug, msgids in wanted.items():
        own = project.catalog_path(language, slug)
        shared: Counter[int] = Counter()   # candidate -> characters of the template it holds
        for msgid in msgids:
            for number in holding.get(msgid, ()):
                shared[number] += len(msgid)
        ranked = sorted((-size, number) for number, size in shared.items()
                        if candidates[number] != own)
        if ranked and -ranked[0][0] >= MOVED_SHARE * sum(map(len, msgids)):
            found[slug] = candidates[ranked[0][1]]
    return found


def started_line(project: Project, language: str, slug: str, start: Path,
                 articles: Sequence[Article]) -> str:
    """What ``update`` says when a catalog starts from another's work: once, when it does."""
    owned = any(project.catalog_path(language, article.slug) == start for article in articles)
    why = ("which held its article's text (articles renamed or swapped?)" if owned else
           "whose article is gone (moved or renamed?)")
    return (f"{project.relative(project.catalog_path(language, slug))}: started from "
            f"{project.relative(start)}, {why}")


def with_obsolete(start: polib.POFile, own: polib.POFile) -> polib.POFile:
    """``start`` (a shallow copy), followed by the translated entries of ``own`` it lacks, made
    obsolete: a merge from it keeps them as ``#~`` entries, as msgmerge keeps a catalog's
    vanished work, and revives those the template still has."""
    combined = copy.copy(start)
    have = {(entry.msgctxt, entry.msgid) for entry in start}
    for entry in own:
        if entry.msgid and is_translated(entry) and (entry.msgctxt, entry.msgid) not in have:
            gone = copy.copy(entry)
            gone.obsolete = True
            combined.append(gone)
    return combined


def _lost_its_text(due: tuple[Project, str, Article]) -> bool:
    """Whether the article's catalog in the language holds little of its template's text (a
    broken one does not count: the merge names its error)."""
    project, language, article = due
    template_path = project.template_path(article.slug)
    path = project.catalog_path(language, article.slug)
    try:
        return holds_little(read_catalog(template_path, project.relative(template_path)),
                            read_catalog(path, project.relative(path)))
    except CatalogError:
        return False


def _live_msgids(shown: tuple[Path, str]) -> list[str]:
    """The msgids of a catalog's live entries; none for a broken file (a backup, a conflict:
    no catalog starts from it)."""
    path, display = shown
    try:
        catalog = read_catalog(path, display)
    except CatalogError:
        return []
    return [entry.msgid for entry in catalog if entry.msgid and not entry.obsolete]


def _template_msgids(project: Project, slug: str, cache: dict[str, set[str]]) -> set[str]:
    if slug not in cache:
        path = project.template_path(slug)
        cache[slug] = _msgids(read_catalog(path, project.relative(path)))
    return cache[slug]


def _msgids(entries: Iterable[polib.POEntry]) -> set[str]:
    return {entry.msgid for entry in entries if entry.msgid}
