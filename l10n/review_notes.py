"""What a reviewer's decision does to one PO entry, and the ``#.`` notes that say where its text
came from or that a reviewer refused it.

``l10n translate`` writes a draft with the note ``#. machine translation: google (a1b2c3d4)``:
where the text came from and a fingerprint of the msgstr it wrote. A translator who rewrites the
draft in Poedit, Lokalize or a text editor leaves the note as it was, so the fingerprint no
longer matches and the reviewer is told ``machine translation: google, edited since``. A note
without a fingerprint (written before there were any) says only where the text came from. A
rejection note names the origin alone: ``#. rejected: machine translation: google``.
"""

from __future__ import annotations

import hashlib
import re

import polib

from l10n.catalog import PROVENANCE_PREFIXES, REJECTED_PREFIX

# The origin a reviewer sees for a draft with a ``#|`` previous msgid (``l10n update``'s suggestion).
CHANGED_PARAGRAPH = "previous translation of a changed paragraph"
# Added to an origin whose text is no longer what the engine or the memory wrote.
EDITED_SINCE = ", edited since"
_FINGERPRINT = re.compile(r" \(([0-9a-f]{8})\)$")


def fingerprint(msgstr: str) -> str:
    """Eight hex digits of the BLAKE2b hash of ``msgstr`` (UTF-8): the same text always gives
    the same fingerprint, so drafting it again changes no byte."""
    return hashlib.blake2b(msgstr.encode("utf-8"), digest_size=4).hexdigest()


def provenance_note(origin: str, msgstr: str) -> str:
    """The note a draft is written with: ``machine translation: google (a1b2c3d4)``, where
    ``origin`` starts with one of PROVENANCE_PREFIXES and ``msgstr`` is the draft written."""
    return f"{origin} ({fingerprint(msgstr)})"


def split_note(note: str) -> tuple[str, str | None]:
    """A provenance note's origin and fingerprint (None in a note written without one)."""
    match = _FINGERPRINT.search(note)
    return (note[:match.start()], match.group(1)) if match else (note, None)


def note_origin(note: str, msgstr: str) -> str:
    """What a reviewer is told of one provenance note: its origin, with ``, edited since`` when
    the note's fingerprint is not that of ``msgstr`` (someone changed the text after it was
    written)."""
    origin, mark = split_note(note)
    return origin + EDITED_SINCE if mark is not None and mark != fingerprint(msgstr) else origin


def approve_entry(entry: polib.POEntry) -> None:
    """gettext's approval: not fuzzy, no previous msgid/msgctxt."""
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    entry.previous_msgid = None
    entry.previous_msgid_plural = None
    entry.previous_msgctxt = None


def _clear_draft(entry: polib.POEntry) -> list[str]:
    """Empty the msgstr, drop fuzzy and the note of where the draft came from; return that note."""
    approve_entry(entry)
    entry.msgstr = ""
    lines = (entry.comment or "").splitlines()
    entry.comment = "\n".join(line for line in lines if not line.startswith(PROVENANCE_PREFIXES))
    return [line for line in lines if line.startswith(PROVENANCE_PREFIXES)]


def reject_entry(catalog: polib.POFile, entry: polib.POEntry) -> None:
    """Clear the draft: the entry is untranslated again, marked so that no machine drafts it
    again (``#. rejected: machine translation: google``); it waits for a human translator.

    A changed paragraph's suggestion (it has a ``#|`` previous msgid) is another matter: it is
    the translation of the old text, which no machine proposed for the new one. It goes back to
    ``catalog`` as an obsolete entry of the old msgid, as msgmerge keeps a vanished entry (unless
    the catalog has that msgid already), and the entry is left unmarked for the next draft."""
    previous = previous_translation(entry)
    origins = [split_note(note)[0] for note in _clear_draft(entry)] or ["draft"]
    if previous is not None:
        if not any((e.msgctxt, e.msgid) == (previous.msgctxt, previous.msgid) for e in catalog):
            catalog.append(previous)
        return
    notes = [line for line in entry.comment.splitlines() if line]
    notes += [f"{REJECTED_PREFIX} {origin}" for origin in origins
              if f"{REJECTED_PREFIX} {origin}" not in notes]
    entry.comment = "\n".join(notes)


def previous_translation(entry: polib.POEntry) -> polib.POEntry | None:
    """The obsolete entry that keeps a changed paragraph's suggestion as the translation of its
    previous msgid (None for any other draft), shaped as ``update_catalog`` keeps a vanished
    entry: its flags (``fuzzy`` too: whether the old text was approved is not known here),
    translator comments and the note of where the text came from."""
    if not entry.previous_msgid:
        return None
    kept = polib.POEntry(msgid=entry.previous_msgid, msgctxt=entry.previous_msgctxt,
                         msgstr=entry.msgstr, tcomment=entry.tcomment, flags=list(entry.flags),
                         obsolete=True)
    kept.comment = "\n".join(line for line in (entry.comment or "").splitlines()
                             if line.startswith(PROVENANCE_PREFIXES))
    return kept


def edit_entry(entry: polib.POEntry, msgstr: str) -> None:
    """The reviewer's own text replaces the draft (and is approved with it)."""
    _clear_draft(entry)
    entry.comment = "\n".join(line for line in entry.comment.splitlines()
                               if not line.startswith(REJECTED_PREFIX))
    entry.msgstr = msgstr


def origins(entry: polib.POEntry) -> tuple[str, ...]:
    """Where the entry's text came from, as a reviewer is told: a changed paragraph's
    suggestion first, then each note (``machine translation: google``, ``machine translation:
    google, edited since``; see ``note_origin``)."""
    lines = (entry.comment or "").splitlines()
    return (((CHANGED_PARAGRAPH,) if entry.previous_msgid else ())
            + tuple(note_origin(line, entry.msgstr) for line in lines
                    if line.startswith(PROVENANCE_PREFIXES)))
