"""The translation as a whole: whitespace at the edges, left untranslated, length."""

from __future__ import annotations

import re
from collections.abc import Iterator

from l10n.checks.registry import Pair, check
from l10n.checks.text import URL
from l10n.project import same_language


# str.strip() and the regex \s agree on what whitespace is (both use str.isspace).
def _leading(text: str) -> str:
    return text[:len(text) - len(text.lstrip())]


def _trailing(text: str) -> str:
    return text[len(text.rstrip()):]


@check("whitespace", "cosmetic")
def whitespace(pair: Pair) -> Iterator[str]:
    if _leading(pair.msgid) != _leading(pair.msgstr):
        yield "leading whitespace differs from the source"
    if _trailing(pair.msgid) != _trailing(pair.msgstr):
        yield "trailing whitespace differs from the source"


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


@check("untranslated", "cosmetic",
       applies=lambda c: not same_language(c.source_language.split("_")[0],
                                           c.target_language.split("_")[0]))
def untranslated(pair: Pair) -> Iterator[str]:
    """A translation identical to a source that has words to translate (not a name, not code)."""
    if pair.msgstr.strip() != pair.msgid.strip():
        return
    prose = URL.sub(" ", pair.source.prose)
    glossary = pair.context.glossary
    if glossary is not None:
        # Names kept as they are (keep: true, or the same form in both languages) are not words
        # to translate.
        for hit in glossary.find(prose, pair.context.source_language):
            if hit.term.keep or hit.term.form(pair.context.target_language) == hit.text:
                prose = prose.replace(hit.text, " ")
    if len(_words(prose)) >= 2:
        yield "the translation is the source text unchanged"


# Characters per source character one expects, by whether each side is written in CJK.
_EXPECTED_RATIO = {(False, True): 0.35, (True, False): 2.8}
_CJK_LANGUAGES = ("zh", "ja", "ko")


@check("length", "cosmetic")
def length(pair: Pair) -> Iterator[str]:
    source = " ".join(pair.source.display.split())
    target = " ".join(pair.target.display.split())
    if len(source) < 20:
        return
    sides = (pair.context.source_language.split("_")[0] in _CJK_LANGUAGES,
             pair.context.target_language.split("_")[0] in _CJK_LANGUAGES)
    expected = _EXPECTED_RATIO.get(sides, 1.1)
    ratio = len(target) / len(source)
    if ratio < expected / 3 or ratio > expected * 3:
        yield (f"the translation is {ratio:.0%} of the source's length; "
               f"about {expected:.0%} is usual")
