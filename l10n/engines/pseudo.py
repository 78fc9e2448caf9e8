"""The ``pseudo`` engine: a deterministic pseudo-translation for testing layouts offline.

Every ASCII letter becomes an accented look-alike and every vowel is doubled, so the text is
readable, about a third longer (as many translations are) and obviously not the source. A CJK
character (Chinese, Japanese kana, Korean) is doubled, so a Chinese article's pseudo edition does
not look untranslated either. Placeholders
(``{3}``: digits in braces) pass through untouched, so markup and pinned terms come back intact.
"""

from __future__ import annotations

import re

from l10n.catalog import CJK

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_VOWELS = frozenset("aeiouyAEIOUY")
_CJK = re.compile(f"[{CJK}]")


def pseudo_translate(text: str) -> str:
    """Accent every ASCII letter and double every vowel and CJK character; everything else is
    kept."""
    return "".join(ch.translate(_ACCENTED) * (2 if ch in _VOWELS or _CJK.match(ch) else 1)
                   for ch in text)


class PseudoEngine:
    """Local and instant: no cache, no requests, no key."""

    name = "pseudo"
    remote = False
    max_chars = 100_000

    def translate(self, text: str, *, source: str, target: str) -> str:
        return pseudo_translate(text)

    def check_languages(self, source: str, target: str) -> None:
        return None
