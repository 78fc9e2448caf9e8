"""Templates and catalogs: build a template from segments; update a catalog from its template with
msgmerge's semantics (exact matches keep their state, changed paragraphs become fuzzy suggestions
with ``#|`` previous msgids, vanished blocks become obsolete ``#~`` and come back when the block does).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import polib

from l10n.pofile import format_catalog
from l10n.segment import Segment

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


def is_translated(entry: polib.POEntry) -> bool:
    """Has a translation, in its msgstr or in any plural form (obsolete or not)."""
    return bool(entry.msgstr or any(entry.msgstr_plural.values()))


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
            if not entry.msgid or _key(entry) in live or not is_translated(entry):
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


def says_the_same(merged: polib.POFile, previous: polib.POFile, text: str) -> bool:
    """Whether ``merged`` (written as ``text``) holds what ``previous`` holds: the same entries
    and the same header fields, in whichever order the header has them."""
    if dict(previous.metadata) == dict(merged.metadata):
        previous = copy.copy(previous)   # a shallow copy: the caller's catalog stays as it is
        previous.metadata = merged.metadata   # the order of the fields is not content
    return text == format_catalog(previous)



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
