"""Finding glossary forms in a text: one compiled matcher per (language, forms or forbidden
variants) of a :class:`~l10n.glossary.Glossary`, and the :class:`TermHit` records it returns.

Matching: the longest form wins; a form that starts (ends) with a letter or digit of a spaced
script only matches where no such letter or digit precedes (follows) it, so ``FAIR`` is found in
``在FAIR工作`` but not in ``fairly``; Chinese, Japanese, Korean and Thai text needs no boundary.
Nothing inside inline code, an HTML tag, a URL or a Markdown link destination is a hit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from l10n.glossary import Term

# Scripts written without spaces between words: a term next to them needs no word boundary.
_UNSPACED = ("\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3040-\u30ff"
             "\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
             "\uff66-\uff9f\U00020000-\U0003134f")
# A letter, digit or underscore of a spaced script: what a Latin-script form must not touch.
_WORD = f"[^\\W{_UNSPACED}]"


@functools.cache
def _is_word() -> re.Pattern[str]:
    return re.compile(_WORD)


# Spans where a term is never a hit: inline code, HTML comments and tags, Markdown link
# destinations (with their title), URLs. A URL stops at spaces, quotes, brackets and CJK text.
# Every alternative starts with a literal character so that the regex engine skips ahead to the
# places where one could start (which is why URL schemes are listed, not matched generally).
_SCHEMES = ("https://", "http://", "ftp://", "ftps://", "sftp://", "ssh://", "git://", "file://",
            "mailto:", "www.")
_URL_CHARS = f"[^\\s<>\"'`\\[\\]{_UNSPACED}\u3000-\u303f\uff00-\uff65]"
_URL_END = f"[^\\s.,;:!?)<>\"'`\\[\\]{_UNSPACED}\u3000-\u303f\uff00-\uff65]"


@functools.cache
def _excluded() -> re.Pattern[str]:
    """Compiled on first use: it takes tens of milliseconds, which a command with no glossary
    work should not pay."""
    return re.compile(
        r"`(?<!``)(`*)(?!`).*?(?<!`)`\1(?!`)"
        r"|<!--.*?-->"
        r"|<[A-Za-z/!?][^<>]*>"
        r"|\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)"
        + "".join(f"|{re.escape(s[0])}(?<!{_WORD}{re.escape(s[0])}){re.escape(s[1:])}"
                  f"(?:{_URL_CHARS}*{_URL_END})?" for s in _SCHEMES),
        re.DOTALL,
    )


@dataclass(frozen=True)
class TermHit:
    """Where a glossary term (or a forbidden variant) occurs in a text: ``text[start:end]``."""

    start: int
    end: int
    text: str
    term: Term


class Matcher:
    """Compiled regexes for a set of (form, term) pairs.

    Each regex is a trie of the forms (``P(?:yTorch(?: Foundation)?|ython)``): siblings begin
    with different characters and a greedy ``?`` tries the longer branch first, so a match is
    the longest form at its place, and the engine skips straight to the characters that can
    start a form. Case-insensitive forms have a trie of their own. Word boundaries are checked
    in Python on the few candidates: a class of every unspaced script, repeated per form in the
    pattern, would make compiling a large glossary take seconds.
    """

    def __init__(self, pairs: list[tuple[str, Term]]) -> None:
        self.exact: dict[str, Term] = {}
        self.folded: dict[str, Term] = {}
        self.pairs = pairs
        sensitive: dict[str, Any] = {}
        insensitive: dict[str, Any] = {}
        for form, term in pairs:
            self.exact.setdefault(form, term)
            if term.case_sensitive:
                _insert(sensitive, form)
            else:
                self.folded.setdefault(form.casefold(), term)
                _insert(insensitive, "".join(map(_fold, form)))
        self.anchored = [re.compile(_render(sensitive))] if sensitive else []
        if insensitive:
            self.anchored.append(re.compile(f"(?i:{_render(insensitive)})"))
        # For searching, one pattern whose every branch starts with a literal character.
        starts = [re.escape(char) + _render(child) for char, child in sorted(sensitive.items())]
        starts += [f"{re.escape(variant)}(?i:{_render(child)})"
                   for char, child in sorted(insensitive.items())
                   for variant in sorted(_case_variants(char))]
        self.search = re.compile("|".join(starts)).search if starts else None

    def find(self, text: str) -> list[TermHit]:
        if self.search is None or self.search(text) is None:
            return []  # most texts have no term: skip looking for code and URLs
        hits: list[TermHit] = []
        for start, end in _allowed_spans(text):
            hits.extend(self._find_in(text, start, end))
        return hits

    def _find_in(self, text: str, position: int, end: int) -> Iterator[TermHit]:
        assert self.search is not None
        while (candidate := self.search(text, position, end)) is not None:
            start = candidate.start()
            position = start + 1
            if start and _is_word().match(text[start]) and _is_word().match(text[start - 1]):
                continue  # starts inside a word: no shorter form can help
            # The longest form here; if it ends inside a word, the longest shorter one.
            match = self._longest(text, start, end)
            while match is not None and not _ends_cleanly(text, match.end()):
                match = self._longest(text, start, match.end() - 1)
            if match is not None:
                yield TermHit(start, match.end(), match.group(), self._term(match))
                position = match.end()

    def _longest(self, text: str, start: int, end: int) -> re.Match[str] | None:
        best = None
        for pattern in self.anchored:
            match = pattern.match(text, start, end)
            if match is not None and (best is None or match.end() > best.end()):
                best = match
        return best

    def _term(self, match: re.Match[str]) -> Term:
        found = match.group()
        term = self.exact.get(found) or self.folded.get(found.casefold())
        if term is not None:
            return term
        for form, candidate in self.pairs:  # exotic case folding: ask the regex engine
            flags = 0 if candidate.case_sensitive else re.IGNORECASE
            if re.fullmatch(re.escape(form), found, flags):
                return candidate
        raise AssertionError(f"matched {found!r} but no form explains it")


_END = ""  # trie key marking the end of a form (no character is the empty string)


def _insert(trie: dict[str, Any], form: str) -> None:
    node = trie
    for char in form:
        node = node.setdefault(char, {})
    node[_END] = {}


def _render(node: dict[str, Any]) -> str:
    """A trie node as a regex: its branches in one group, optional where a form ends here."""
    chain = ""
    while len(node) == 1 and _END not in node:  # a run with no branch: plain text
        (char, node), = node.items()
        chain += re.escape(char)
    branches = [re.escape(char) + _render(child)
                for char, child in sorted(node.items()) if char != _END]
    if not branches:
        return chain
    body = "|".join(branches)
    return f"{chain}(?:{body})?" if _END in node else f"{chain}(?:{body})"


def _ends_cleanly(text: str, end: int) -> bool:
    """No spaced-script word continues across ``end``."""
    return (end >= len(text) or not _is_word().match(text[end])
            or not _is_word().match(text[end - 1]))


def _fold(char: str) -> str:
    """One character of a case-insensitive trie key (``İ`` lowercases to two, so stays)."""
    lower = char.lower()
    return lower if len(lower) == 1 else char


def _case_variants(char: str) -> set[str]:
    variants = {char, char.lower(), char.upper(), char.title()}
    return {v for v in variants if len(v) == 1}


def _allowed_spans(text: str) -> Iterator[tuple[int, int]]:
    """The stretches of ``text`` outside code, tags, URLs and link destinations."""
    position = 0
    for match in _excluded().finditer(text):
        if match.start() > position:
            yield position, match.start()
        position = match.end()
    if position < len(text):
        yield position, len(text)
