"""Translation memory: approved translations anywhere in the workspace, reused as drafts.

Approved means translated and not fuzzy; obsolete entries (``#~``) count too, because a sentence
someone approved before an article changed is still a good draft. Each memory entry remembers the
article (slug) it came from, for the ``#. translation memory: <slug>`` note.
"""

from __future__ import annotations

from dataclasses import dataclass

import polib


@dataclass(frozen=True)
class Recall:
    """An approved translation of a msgid, and the article it was approved in."""

    msgstr: str
    slug: str


class TranslationMemory:
    """Approved translations of one target language, by msgid."""

    def __init__(self) -> None:
        self._live: dict[str, Recall] = {}
        self._obsolete: dict[str, Recall] = {}

    def add(self, slug: str, entry: polib.POEntry) -> None:
        """Keep the entry if it is approved. The first approved translation of a msgid wins; a
        live entry wins over an obsolete one."""
        if not entry.msgid or entry.msgid_plural or not entry.msgstr or entry.fuzzy:
            return
        store = self._obsolete if entry.obsolete else self._live
        store.setdefault(entry.msgid, Recall(entry.msgstr, slug))

    def recall(self, msgid: str) -> Recall | None:
        return self._live.get(msgid) or self._obsolete.get(msgid)
