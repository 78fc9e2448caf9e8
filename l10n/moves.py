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
import os
from collections import Counter
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import polib

from l10n.catalog import PROVENANCE_PREFIXES, REJECTED_PREFIX, is_approved, is_translated
from l10n.errors import CatalogError
from l10n.parallel import ordered_map
from l10n.pofile import (
    catalog_text,
    format_catalog,
    parse_catalog,
    read_catalog,
    read_catalog_seen,
)
from l10n.project import Article, Project
from l10n.report import plural
from l10n.state import State, digest

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


# -- work saved into an orphan after its text moved ------------------------------------------

# State key of an orphaned catalog (+ its path): the digest of its bytes when ``update`` last
# carried its work. A cache: lost, the carry runs again and takes nothing twice.
CARRIED_KEY = "carried:"


@dataclass(frozen=True)
class Carry:
    """Approved entries that orphaned catalogs hold and the live catalog their text moved to
    lacks: the live catalog with them, to be written only over the bytes it was read from."""

    live: Path
    seen: str     # file_digest of the live catalog as read
    text: str     # the live catalog with the entries taken
    taken: tuple[tuple[Path, int], ...]   # each orphan that gave entries, and how many
    records: dict[str, str]   # state key -> orphan digest, to record once ``text`` is written


def orphan_carries(project: Project, state: State, *, languages: Iterable[str],
                   articles: Sequence[Article],
                   handed_on: Collection[Path]) -> tuple[list[Carry], dict[str, str]]:
    """The carries due from orphaned catalogs (in ``languages``' folders, owned by none of
    ``articles``, every article of the workspace) whose bytes changed since ``update`` last
    carried them; and the state records of the changed orphans that give nothing (no live
    catalog holds their text, they are broken, or their approved work is there already).

    Each changed orphan goes to the live catalog of its language holding the largest share of
    its live msgids' text, at least ``MOVED_SHARE`` (``best_starts``). An orphan that is one
    of ``handed_on`` (a new catalog started from it in this run) has nothing to give. Costs a
    walk of the folders and a digest per orphan when no orphan changed."""
    carries: list[Carry] = []
    settled: dict[str, str] = {}
    owned = {f"{article.slug}.po" for article in articles}   # as catalog_path lays them out
    for language in languages:
        folder = str(project.locales_dir / language)
        changed: dict[str, tuple[Path, polib.POFile, str]] = {}   # slug -> orphan, read
        for name in _po_files(folder):
            if name[len(folder) + 1:].replace(os.sep, "/") in owned:
                continue
            path = Path(name)
            key = CARRIED_KEY + project.relative(path)
            try:
                data = path.read_bytes()
            except OSError:   # gone since the folder was listed
                continue
            seen = digest(data)
            if state.fresh(key, seen):
                continue
            if path in handed_on:
                settled[key] = seen
                continue
            try:
                orphan = parse_catalog(catalog_text(data, key), project.relative(path))
            except CatalogError:
                settled[key] = seen   # a backup or a conflict: looked at again once it changes
                continue
            slug = path.relative_to(project.locales_dir / language).with_suffix("").as_posix()
            changed[slug] = (path, orphan, seen)
        if not changed:
            continue
        wanted = {slug: {entry.msgid for entry in orphan if entry.msgid and not entry.obsolete}
                  for slug, (_, orphan, _) in changed.items()}
        candidates = sorted(project.catalog_path(language, article.slug) for article in articles
                            if language in project.target_languages(article))
        matched = best_starts(project, language, wanted, candidates)
        by_live: dict[Path, list[str]] = {}
        for slug in sorted(changed):
            if slug in matched:
                by_live.setdefault(matched[slug], []).append(slug)
            else:
                path, _, seen = changed[slug]
                settled[CARRIED_KEY + project.relative(path)] = seen
        for live, slugs in sorted(by_live.items()):
            catalog, live_seen = read_catalog_seen(live, project.relative(live))
            taken: list[tuple[Path, int]] = []
            records: dict[str, str] = {}
            for slug in slugs:
                path, orphan, seen = changed[slug]
                records[CARRIED_KEY + project.relative(path)] = seen
                count = take_approved(orphan, catalog)
                if count:
                    taken.append((path, count))
            if taken:
                carries.append(Carry(live, live_seen, format_catalog(catalog), tuple(taken),
                                     records))
            else:
                settled.update(records)
    return carries, settled


def take_approved(orphan: polib.POFile, live: polib.POFile) -> int:
    """Put into ``live`` each approved entry of ``orphan`` whose msgctxt and msgid a live entry
    has that is untranslated, or a draft, and bears no reviewer's rejection; return how many.
    The entry taken is approved, with the orphan's msgstr (its translator comment and
    the note of where its text came from), and keeps its references and other extracted
    comments; an approved entry of ``live`` is never changed."""
    # review_notes imports hashlib (and OpenSSL with it): loaded when there is work to take
    from l10n.review_notes import approve_entry

    approved = {(entry.msgctxt, entry.msgid): entry for entry in orphan
                if entry.msgid and is_approved(entry)}
    count = 0
    for entry in live:
        source = approved.get((entry.msgctxt, entry.msgid))
        if (source is None or entry.obsolete or (is_translated(entry) and not entry.fuzzy)
                or any(line.startswith(REJECTED_PREFIX)
                       for line in entry.comment.splitlines())):
            continue
        approve_entry(entry)
        entry.msgstr = source.msgstr
        entry.tcomment = source.tcomment or entry.tcomment
        # The note of where a text came from goes with the text (a machine draft's note would
        # tell the reviewer the orphan's text was the machine's, edited).
        entry.comment = "\n".join(
            [line for line in entry.comment.splitlines()
             if not line.startswith(PROVENANCE_PREFIXES)]
            + [line for line in source.comment.splitlines()
               if line.startswith(PROVENANCE_PREFIXES)])
        count += 1
    return count


def carried_lines(project: Project, carry: Carry) -> list[str]:
    """What ``update`` says of a carry, a line per orphan that gave entries."""
    return [f"{project.relative(carry.live)}: took "
            f"{plural(count, 'approved entry', 'approved entries')} from "
            f"{project.relative(orphan)}, whose article is gone"
            for orphan, count in carry.taken]


def _po_files(folder: str) -> list[str]:
    """The paths of the ``.po`` files under ``folder``, at any depth (os.scandir: a tenth of
    what ``Path.rglob`` costs on a thousand catalogs)."""
    found: list[str] = []
    folders = [folder]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif entry.name.endswith(".po"):
                        found.append(entry.path)
        except (FileNotFoundError, NotADirectoryError):
            continue
    return found
