"""Templates and catalogs: build a template from segments; update a catalog from its template with
msgmerge's semantics (exact matches keep their state, changed paragraphs become fuzzy suggestions
with ``#|`` previous msgids, vanished blocks become obsolete ``#~`` and come back when the block does).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polib

from l10n.atomic import Batch, write_text_atomic
from l10n.errors import CatalogError
from l10n.parallel import ordered_map
from l10n.pofile import (
    catalog_text,
    changed_on_disk,
    format_catalog,
    parse_catalog,
    read_catalog,
)
from l10n.project import Article, Project
from l10n.report import StepReport
from l10n.segment import Segment
from l10n.state import MISSING, State, digest, file_digest

if TYPE_CHECKING:
    # Only `update` needs the glossary (its module compiles large regexes): imported there.
    from l10n.glossary import Glossary

# msgmerge's own threshold for offering an old translation as a fuzzy suggestion.
FUZZY_CUTOFF = 60.0
# Extracted comments we write ourselves and keep across updates (where a draft came from).
PROVENANCE_PREFIXES = ("machine translation:", "translation memory:", "copied:")
# A reviewer rejected this entry's draft: no machine drafts it again; it waits for a human.
REJECTED_PREFIX = "rejected:"
GLOSSARY_PREFIX = "glossary:"

Comments = Callable[[str], list[str]]


@dataclass(frozen=True)
class CatalogStats:
    """Counts over the live (non-obsolete) entries of a catalog."""

    approved: int
    drafts: int
    untranslated: int
    words: int
    approved_words: int

    @property
    def total(self) -> int:
        return self.approved + self.drafts + self.untranslated

    @property
    def percent_approved(self) -> float:
        return 100.0 * self.approved / self.total if self.total else 100.0


def now_stamp() -> str:
    """A header date in gettext's form, ``2026-11-26 10:46+0000``."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")


def is_approved(entry: polib.POEntry) -> bool:
    """gettext's meaning: translated, not fuzzy, not obsolete."""
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


def is_draft(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) and "fuzzy" in entry.flags and not entry.obsolete


# The characters of Chinese, Japanese kana and Korean (each a word; the pseudo engine doubles
# them). The body of a regex character class.
CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff"
# A word: one CJK character, or a run of anything else that is neither space nor CJK.
_WORD = re.compile(f"[{CJK}]|[^\\s{CJK}]+")


def word_count(text: str) -> int:
    """Words as translators count them: Latin words by spaces, each CJK character as one."""
    return len(_WORD.findall(text))


def stats(catalog: polib.POFile) -> CatalogStats:
    approved = drafts = untranslated = words = approved_words = 0
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        n = word_count(entry.msgid)
        words += n
        if is_approved(entry):
            approved += 1
            approved_words += n
        elif is_draft(entry):
            drafts += 1
        else:
            untranslated += 1
    return CatalogStats(approved, drafts, untranslated, words, approved_words)


# -- templates ------------------------------------------------------------------------------

def template_header(slug: str, source_language: str, date: str) -> dict[str, str]:
    return {
        "Project-Id-Version": slug,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": date,
        "PO-Revision-Date": date,
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Source-Language": source_language,
    }


def build_template(slug: str, source_language: str, segments: Iterable[Segment], *,
                   date: str, add_location: str = "full") -> polib.POFile:
    """One entry per distinct msgid, in first-appearance order; repeated text gets every reference
    (``add_location`` "full": path and line; "file": the path once; "never": none)."""
    template = polib.POFile(wrapwidth=79, encoding="utf-8")
    template.metadata = template_header(slug, source_language, date)
    by_msgid: dict[str, polib.POEntry] = {}
    for segment in segments:
        if not segment.msgid.strip():
            continue
        entry = by_msgid.get(segment.msgid)
        if entry is None:
            entry = polib.POEntry(msgid=segment.msgid, msgstr="", comment=segment.kind,
                                  occurrences=[])
            by_msgid[segment.msgid] = entry
            template.append(entry)
        elif segment.kind not in entry.comment.split("; "):
            entry.comment += f"; {segment.kind}"
        if add_location == "full":
            entry.occurrences.append((segment.path, str(segment.line)))
        elif add_location == "file" and (segment.path, "") not in entry.occurrences:
            entry.occurrences.append((segment.path, ""))
    return template


# -- update ---------------------------------------------------------------------------------

def catalog_header(template: polib.POFile, language: str, previous: polib.POFile | None,
                   date: str) -> dict[str, str]:
    from babel.messages.plurals import get_plural  # babel.messages: only `update` needs it

    header = dict(previous.metadata) if previous is not None else {}
    base = dict(template.metadata)
    result = {
        "Project-Id-Version": base.get("Project-Id-Version", ""),
        "Report-Msgid-Bugs-To": base.get("Report-Msgid-Bugs-To", ""),
        "POT-Creation-Date": base.get("POT-Creation-Date", date),
        "PO-Revision-Date": header.get("PO-Revision-Date", date),
        "Last-Translator": header.get("Last-Translator", ""),
        "Language-Team": header.get("Language-Team", ""),
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": get_plural(language).plural_forms,
    }
    if "X-Source-Language" in base:
        result["X-Source-Language"] = base["X-Source-Language"]
    # Keep any header field a translator or an editor added.
    for key, value in header.items():
        result.setdefault(key, value)
    return result


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


def _provenance(entry: polib.POEntry) -> list[str]:
    return [c for c in entry.comment.splitlines() if c.startswith(PROVENANCE_PREFIXES)]


def _rejections(entry: polib.POEntry) -> list[str]:
    return [c for c in entry.comment.splitlines() if c.startswith(REJECTED_PREFIX)]


def was_rejected(entry: polib.POEntry) -> bool:
    """True when a reviewer rejected this entry's draft (and nobody has translated it since)."""
    return not entry.msgstr and bool(_rejections(entry))


def update_catalog(template: polib.POFile, previous: polib.POFile | None, *, language: str,
                   comments: Comments | None = None, date: str | None = None) -> polib.POFile:
    """Merge a template into a catalog the way msgmerge does; the result is a new POFile.

    ``comments(msgid)`` gives extra extracted comments (glossary hints) refreshed on every update.
    """
    date = date or now_stamp()
    catalog = polib.POFile(wrapwidth=79, encoding="utf-8")
    catalog.header = previous.header if previous is not None else ""
    if previous is not None:   # msgmerge keeps a fuzzy header fuzzy
        catalog.metadata_is_fuzzy = previous.metadata_is_fuzzy
    catalog.metadata = catalog_header(template, language, previous, date)
    old: dict[tuple[str | None, str], polib.POEntry] = {}
    if previous is not None:
        for entry in previous:
            if entry.msgid:
                old.setdefault(_key(entry), entry)
    candidates = [e for e in old.values() if e.msgstr and not e.msgid_plural]
    choices = [e.msgid for e in candidates]
    suggested: set[tuple[str | None, str]] = set()   # old entries a changed paragraph took up
    for tentry in template:
        if not tentry.msgid:
            continue
        entry = polib.POEntry(msgid=tentry.msgid, msgctxt=tentry.msgctxt, msgstr="",
                              occurrences=list(tentry.occurrences), flags=[])
        extracted = [tentry.comment] if tentry.comment else []
        provenance: list[str] = []
        match = old.get(_key(tentry))
        if match is not None and match.msgid_plural and not tentry.msgid_plural:
            # A plural where the template has a singular: msgmerge keeps its first form, fuzzy.
            entry.msgstr = match.msgstr_plural.get(0, "")
            entry.tcomment = match.tcomment
            entry.flags = ["fuzzy"] if entry.msgstr else []
            provenance = _provenance(match)
        elif match is not None:
            entry.msgstr = match.msgstr
            entry.tcomment = match.tcomment
            entry.flags = [f for f in match.flags if f != "fuzzy"]
            if "fuzzy" in match.flags and match.msgstr:
                entry.flags.insert(0, "fuzzy")
                entry.previous_msgid = match.previous_msgid
                entry.previous_msgctxt = match.previous_msgctxt
            provenance = _provenance(match) if match.msgstr else _rejections(match)
        elif choices:
            # Only a changed paragraph needs fuzzy matching: rapidfuzz loads on the first one.
            from rapidfuzz import fuzz, process, utils

            found = process.extractOne(tentry.msgid, choices, scorer=fuzz.ratio,
                                       processor=utils.default_process, score_cutoff=FUZZY_CUTOFF)
            if found is not None:
                similar = candidates[found[2]]
                suggested.add(_key(similar))
                entry.msgstr = similar.msgstr
                entry.tcomment = similar.tcomment
                entry.flags = ["fuzzy"]
                # A suggestion already: its #| stays the text the translation was made for.
                kept = similar.fuzzy and similar.previous_msgid is not None
                entry.previous_msgid = similar.previous_msgid if kept else similar.msgid
                entry.previous_msgctxt = similar.previous_msgctxt if kept else similar.msgctxt
                provenance = _provenance(similar)
        if comments is not None:
            extracted += comments(tentry.msgid)
        # Same order as drafts are written in: kind, glossary hints, where the draft came from.
        extracted += provenance
        entry.comment = "\n".join(extracted)
        catalog.append(entry)
    if previous is not None:
        live = {_key(e) for e in catalog} | suggested
        for entry in previous:
            # msgmerge keeps every translated entry the template lacks, a plural added by hand
            # too, unless a changed paragraph took it up as its suggestion.
            translated = entry.msgstr or any(entry.msgstr_plural.values())
            if not entry.msgid or _key(entry) in live or not translated:
                continue
            live.add(_key(entry))
            gone = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgstr=entry.msgstr,
                                 msgid_plural=entry.msgid_plural,
                                 msgstr_plural=dict(entry.msgstr_plural), tcomment=entry.tcomment,
                                 flags=list(entry.flags), obsolete=True,
                                 previous_msgid=entry.previous_msgid,
                                 previous_msgid_plural=entry.previous_msgid_plural,
                                 previous_msgctxt=entry.previous_msgctxt)
            gone.comment = "\n".join(_provenance(entry))
            catalog.append(gone)
    return catalog


# -- the update step over a workspace ---------------------------------------------------------

@dataclass(frozen=True)
class UpdateJob:
    """One article's catalogs to merge (its template is read once for all): everything a worker
    process needs."""

    project: Project
    article: Article
    languages: tuple[str, ...]
    glossary: Glossary
    # language -> the orphaned catalog a new catalog starts from (see ``moved_from``)
    starts: dict[str, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class Merged:
    text: str | None  # None: the catalog already says exactly this
    fingerprint: str  # digest of the catalog's bytes after the merge
    seen: str  # file_digest of the catalog before it was read: what may be written over

    @property
    def existed(self) -> bool:
        """The catalog was there before: it may hold translators' work."""
        return self.seen != MISSING


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
    previous = parse_catalog(current, project.relative(path)) if current is not None else None
    if previous is None and language in job.starts:
        start = job.starts[language]
        previous = read_catalog(start, project.relative(start))
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
                            or (previous is not None and says_the_same(merged, previous, text))):
        return Merged(None, seen, seen)
    return Merged(text, digest(text), seen)


def says_the_same(merged: polib.POFile, previous: polib.POFile, text: str) -> bool:
    """Whether ``merged`` (written as ``text``) holds what ``previous`` holds: the same entries
    and the same header fields, in whichever order the header has them."""
    if dict(previous.metadata) == dict(merged.metadata):
        previous.metadata = merged.metadata   # the order of the fields is not content
    return text == format_catalog(previous)


def _read_text(path: Path, project: Project) -> str:
    return catalog_text(path.read_bytes(), project.relative(path))


def copies_template(template: polib.POFile, comments: Comments | None) -> bool:
    """Whether a new catalog's entries are the template's, byte for byte: nothing to merge, and
    no entry the merge would change (no flags, translator comments, plurals or glossary hints).
    The template must have a header entry: ``new_catalog_text`` replaces its first block."""
    return bool(template.metadata) and all(
        not (entry.flags or entry.tcomment or entry.msgstr or entry.msgid_plural
             or entry.obsolete or entry.previous_msgid is not None
             or entry.previous_msgctxt is not None
             or (comments is not None and comments(entry.msgid)))
        for entry in template if entry.msgid)


def new_catalog_text(template: polib.POFile, template_text: str, language: str,
                     date: str | None = None) -> str:
    """What ``format_catalog(update_catalog(template, None, ...))`` gives when
    ``copies_template``: the catalog's header, then the template's entries as they are written."""
    head = polib.POFile(wrapwidth=79, encoding="utf-8")
    head.header = ""
    head.metadata = catalog_header(template, language, None, date or now_stamp())
    blank = template_text.find("\n\n")  # the header entry ends at the first blank line
    entries = template_text[blank + 2:] if blank >= 0 else ""
    return format_catalog(head) + ("\n" + entries if entries else "")


# A new catalog starts from an orphaned one (its article is gone) that holds at least this share
# of the new template's text (its msgids, by length, translated or not): the article was moved
# or renamed, and its translators' work, reviewed state included, goes with it, in every
# language however little of it is translated yet.
MOVED_SHARE = 0.5


def moved_from(project: Project, new: dict[str, list[Article]],
               articles: Sequence[Article]) -> dict[str, dict[str, Path]]:
    """slug -> language -> the orphaned catalog each new catalog (``new``: language -> the
    articles whose catalog is missing) should start from, where one qualifies: of the catalogs
    in that language no article of ``articles`` (every article of the workspace) owns, the one
    holding the largest share of the new template's text, when that share is at least
    ``MOVED_SHARE``."""
    found: dict[str, dict[str, Path]] = {}
    msgids_of: dict[str, set[str]] = {}   # slug -> its template's msgids, read once
    for language, missing in new.items():
        owned = {project.catalog_path(language, article.slug) for article in articles}
        folder = project.locales_dir / language
        orphans = sorted(path for path in folder.rglob("*.po") if path not in owned)
        if not orphans:
            continue
        holding: dict[str, set[int]] = {}   # msgid -> the orphans that have it
        for number, path in enumerate(orphans):
            try:
                orphan = read_catalog(path, project.relative(path))
            except CatalogError:
                continue   # a broken file no article owns (a backup, a conflict): no start
            for entry in orphan:
                if entry.msgid and not entry.obsolete:
                    holding.setdefault(entry.msgid, set()).add(number)
        for article in missing:
            if article.slug not in msgids_of:
                template = project.template_path(article.slug)
                msgids_of[article.slug] = {entry.msgid for entry in read_catalog(
                    template, project.relative(template)) if entry.msgid}
            msgids = msgids_of[article.slug]
            shared: Counter[int] = Counter()   # orphan -> characters of the template it holds
            for msgid in msgids:
                for number in holding.get(msgid, ()):
                    shared[number] += len(msgid)
            if shared:
                number, size = shared.most_common(1)[0]
                if size >= MOVED_SHARE * sum(map(len, msgids)):
                    found.setdefault(article.slug, {})[language] = orphans[number]
    return found


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
            if seen == MISSING:
                new.setdefault(language, []).append(article)
        if due:
            due_by_article.append((article, due))
    starts = moved_from(project, new, articles) if new else {}
    stale: list[tuple[UpdateJob, list[tuple[str, str]]]] = []   # a job, and its (key, inputs)s
    for article, due in due_by_article:
        job = UpdateJob(project, article, tuple(due), glossary, starts.get(article.slug, {}))
        stale.append((job, list(due.values())))
        if not check:   # said once, when the catalog is written (notes are said every run)
            report.started += [f"{project.relative(project.catalog_path(language, article.slug))}"
                               f": started from {project.relative(start)}, whose article is "
                               "gone (moved or renamed?)" for language, start in job.starts.items()]
    results = ordered_map(merged_texts, [job for job, _ in stale])
    # Translators' work reaches the disk (one flush for all) before any of it is replaced; a new
    # catalog holds nothing to lose yet and is written at once. A catalog that changed on disk
    # since the merge read it (an editor's save, a git pull) is not written over.
    done: dict[Path, tuple[str, str]] = {}   # path -> state key and fingerprint
    with Batch() as batch:
        for (job, keys), merges in zip(stale, results):
            for language, (key, inputs), merged in zip(job.languages, keys, merges):
                path = project.catalog_path(language, job.article.slug)
                if merged.text is None:
                    report.unchanged += 1
                elif check:
                    report.written.append(project.relative(path))
                    continue
                elif file_digest(path) != merged.seen:
                    report.errors.append(_changed(project, path))
                    continue
                else:
                    if merged.existed:
                        batch.write(path, merged.text)
                    else:
                        write_text_atomic(path, merged.text, durable=False)
                    report.written.append(project.relative(path))
                done[path] = (key, digest(inputs, merged.fingerprint))
    for path in batch.changed:
        report.written.remove(project.relative(path))
        report.errors.append(_changed(project, path))
        del done[path]
    for key, fingerprint in done.values():
        state.record(key, fingerprint)
    if not check:
        state.save()
    return report


def _changed(project: Project, path: Path) -> str:
    return str(changed_on_disk(project.relative(path), "run `l10n update` again"))


def _glossary_comments(glossary: Glossary, source: str, target: str) -> Comments:
    def comments(msgid: str) -> list[str]:
        return glossary.comments(msgid, source, target)

    return comments
