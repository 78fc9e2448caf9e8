"""Placeholders: what a machine-translation engine must not touch, hidden before sending.

``protect`` replaces inline code, URLs and link destinations, HTML tags, Markdown syntax and
glossary terms in a msgid by numbered tokens ``{1}``, ``{2}``, ... that engines leave alone.
``restore`` puts them back (a glossary term becomes its pinned form in the target language) and
verifies the draft: every placeholder exactly once, every term's target form present, no forbidden
variant, paired markup still open-before-close and properly nested. A draft that fails verification
is never returned: ``restore`` raises :class:`DraftRejected` with the reason.

Engines garble tokens in known ways (``{ 3 }``, full-width ``｛3｝``); the parser accepts those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


class TermLike(Protocol):
    """What protect needs from a glossary term (l10n.glossary.Term)."""

    @property
    def keep(self) -> bool: ...

    @property
    def forbidden(self) -> Mapping[str, tuple[str, ...]]: ...

    def form(self, language: str) -> str | None: ...


class TermHitLike(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def term(self) -> TermLike: ...


class GlossaryLike(Protocol):
    def find(self, text: str, language: str) -> Sequence[TermHitLike]: ...


class DraftRejected(Exception):
    """An engine's answer failed verification; ``reason`` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Placeholder:
    """One hidden piece of the msgid. ``restore`` is what goes back (a term's target form)."""

    id: int
    kind: str          # code, url, link, tag, markup, escape, entity, literal, term
    original: str
    restore: str
    partner: int | None = None   # the closing placeholder's id, on an opening one


@dataclass(frozen=True)
class TermUse:
    """A glossary term in the msgid, with what the target language must (not) say."""

    source: str
    target: str
    forbidden: tuple[str, ...]


@dataclass(frozen=True)
class Protected:
    """A msgid ready to send: ``text`` with placeholders, and what each one stands for."""

    source: str
    text: str
    placeholders: tuple[Placeholder, ...]
    terms: tuple[TermUse, ...]
    target: str

    @property
    def needs_engine(self) -> bool:
        """False when nothing is left to translate once placeholders are out (only code, URLs,
        numbers, punctuation): the draft is then the msgid itself."""
        return any(ch.isalpha() for ch in TOKEN.sub("", self.text))

    def pieces(self) -> list[tuple[str, str]]:
        """The protected text cut into sentences: ``(sentence, whitespace after it)`` pairs whose
        concatenation is ``text``. Used to retry a draft that failed as a whole."""
        out: list[tuple[str, str]] = []
        start = 0
        for match in SENTENCE_END.finditer(self.text):
            gap = "gap" if match.group("gap") is not None else "cjk_gap"
            out.append((self.text[start:match.start(gap)], match.group(gap)))
            start = match.end()
        if start < len(self.text) or not out:
            out.append((self.text[start:], ""))
        return [(s, gap) for s, gap in out if s.strip()] or [(self.text, "")]


# A placeholder as we write it, and as engines hand it back (spaces inside, full-width braces).
TOKEN = re.compile(r"[{｛]\s*([0-9０-９]{1,4})\s*[}｝]")
SENTENCE_END = re.compile(r"[.!?][\"'”’)]?(?P<gap>\s+)(?=\S)|[。！？][”’）」』]?(?P<cjk_gap>\s*)(?=\S)")
CJK_LANGUAGES = ("zh", "ja", "ko")

_LINK = re.compile(
    r"(!?\[)((?:[^\[\]\\`]|\\.|`[^`]*`|\[[^\[\]]*\])*)(\]\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\))?"
    r"[^()\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)|\]\[[^\]\n]*\])"
)
# The HTML elements whose content is code, never words: hidden from the engine here, and held
# to the source by the code check.
LITERAL_NAMES = ("code", "kbd", "samp", "var", "tt")
# Code spans, autolinks and raw HTML come first: nothing inside them is markup. A code element
# (or its numbered placeholder ``<code1>`` in an HTML msgid) is hidden whole, content included,
# like a code span.
_FIRST = re.compile(
    r"(?P<code>(?P<ticks>`+)(?:(?!(?P=ticks)).)+?(?P=ticks)(?!`))"
    rf"|(?P<element><(?P<name>(?i:{'|'.join(LITERAL_NAMES)}))(?P<number>[0-9]*)"
    r"(?:[\t\n\f\r ][^<>]*)?>"
    r".*?</(?i:(?P=name))(?P=number)[\t\n\f\r ]*>)"
    r"|(?P<autolink><(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>)"
    r"|(?P<comment><!--.*?-->)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?\s*/?>)",
    re.DOTALL,
)
# Then links (their destinations hold URLs), then these, outside everything found so far.
_LATER = re.compile(
    r"(?P<url>(?:https?|ftp)://[^\s<>`]*[^\s<>`.,;:!?'\")\]}])"
    r"|(?P<footnote>\[\^[^\]\s]+\])"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<literal>[{｛]\s*[0-9０-９]{1,4}\s*[}｝])",
)
_KINDS = {"ticks": "code", "element": "code", "autolink": "url", "comment": "tag", "footnote": "link"}
_DELIMS = re.compile(r"\*+|_+|~~")
_VOID_TAGS = {"br", "img", "hr", "wbr", "input", "meta", "link", "source", "col", "area", "embed"}


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    restore: str | None = None
    pair_with: _Span | None = None   # the closing partner, on an opening span


def protect(text: str, target: str, *, source_language: str,
            glossary: GlossaryLike | None = None) -> Protected:
    """Hide every piece of ``text`` an engine must not translate or damage.

    ``target`` is the language the draft is for (a term's restored form is its form there)."""
    spans = _markup_spans(text)
    terms: list[TermUse] = []
    if glossary is not None:
        for hit in glossary.find(text, source_language):
            if any(s.start < hit.end and hit.start < s.end for s in spans):
                continue
            form = hit.text if hit.term.keep else hit.term.form(target)
            if form is None:
                continue   # no pinned form in this language: the engine translates it
            spans.append(_Span(hit.start, hit.end, "term", restore=form))
            terms.append(TermUse(hit.text, form, _forbidden(hit.term, target)))
    order = sorted(range(len(spans)), key=lambda i: spans[i].start)
    number = {id(spans[index]): n for n, index in enumerate(order, start=1)}
    parts: list[str] = []
    placeholders: list[Placeholder] = []
    cursor = 0
    for index in order:
        span = spans[index]
        original = text[span.start:span.end]
        parts.append(text[cursor:span.start])
        parts.append(token(number[id(span)]))
        partner = number[id(span.pair_with)] if span.pair_with is not None else None
        placeholders.append(Placeholder(number[id(span)], span.kind, original,
                                        span.restore if span.restore is not None else original,
                                        partner))
        cursor = span.end
    parts.append(text[cursor:])
    return Protected(text, "".join(parts), tuple(placeholders), tuple(terms), target)


def _forbidden(term: TermLike, target: str) -> tuple[str, ...]:
    # l10n.glossary.Term also matches zh_CN against a zh entry; a bare mapping is enough here.
    forbidden_in = getattr(term, "forbidden_in", None)
    if callable(forbidden_in):
        return tuple(forbidden_in(target))
    return tuple(term.forbidden.get(target, ()))


def _markup_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    covered: list[tuple[int, int]] = []
    for match in _FIRST.finditer(text):
        kind = _KINDS.get(match.lastgroup or "", match.lastgroup or "tag")
        spans.append(_Span(match.start(), match.end(), kind))
        covered.append((match.start(), match.end()))
    _pair_tags(text, spans)
    # Each later pass looks at the text with what earlier passes found blanked out.
    for match in _LINK.finditer(_blank(text, covered)):
        opener = _Span(match.start(1), match.end(1), "link")
        closer = _Span(match.start(3), match.end(3), "link")
        spans.extend([opener, closer])
        opener.pair_with = closer
        covered.extend([(opener.start, opener.end), (closer.start, closer.end)])
    for match in _LATER.finditer(_blank(text, covered)):
        kind = _KINDS.get(match.lastgroup or "", match.lastgroup or "literal")
        spans.append(_Span(match.start(), match.end(), kind))
        covered.append((match.start(), match.end()))
    stack: list[int] = []
    for match in _DELIMS.finditer(_blank(text, covered)):
        run = match.group()
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        can_open = not after.isspace() and not (run[0] == "_" and before.isalnum())
        can_close = not before.isspace() and not (run[0] == "_" and after.isalnum())
        if can_close and stack and text[spans[stack[-1]].start:spans[stack[-1]].end] == run:
            opener = spans[stack.pop()]
            closer = _Span(match.start(), match.end(), "markup")
            spans.append(closer)
            opener.pair_with = closer
        elif can_open:
            spans.append(_Span(match.start(), match.end(), "markup"))
            stack.append(len(spans) - 1)
    # A delimiter that found no partner is a literal character, not markup.
    literal = {id(spans[i]) for i in stack}
    # Pairs must nest: links win over tags, tags over emphasis; a crossing tag is kept whole
    # but unpaired, a crossing emphasis pair becomes literal text.
    accepted: list[tuple[int, int]] = []
    for kind in ("link", "tag", "markup"):
        for span in spans:
            if span.kind != kind or span.pair_with is None:
                continue
            start, end = span.start, span.pair_with.end
            if any(a < start < b < end or start < a < end < b for a, b in accepted):
                if kind == "markup":
                    literal |= {id(span), id(span.pair_with)}
                span.pair_with = None
            else:
                accepted.append((start, end))
    return [s for s in spans if id(s) not in literal]


def _blank(text: str, covered: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in covered:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _pair_tags(text: str, spans: list[_Span]) -> None:
    open_tags: list[tuple[str, int]] = []
    for index, span in enumerate(spans):
        if span.kind != "tag":
            continue
        raw = text[span.start:span.end]
        name_match = re.match(r"</?([A-Za-z][A-Za-z0-9-]*)", raw)
        if name_match is None or raw.endswith("/>"):
            continue
        name = name_match.group(1).lower()
        if name in _VOID_TAGS:
            continue
        if raw.startswith("</"):
            for depth in range(len(open_tags) - 1, -1, -1):
                if open_tags[depth][0] == name:
                    spans[open_tags[depth][1]].pair_with = span
                    del open_tags[depth:]
                    break
        else:
            open_tags.append((name, index))


def restore(protected: Protected, translated: str) -> str:
    """The draft: ``translated`` (an engine's answer to ``protected.text``) with every placeholder
    put back, verified. Raises DraftRejected when the answer cannot be trusted."""
    by_id = {p.id: p for p in protected.placeholders}
    result = _replace_tokens(translated, by_id, where="")
    verify(protected, result, translated)
    return result


def check_tokens(text: str, expected: Iterable[int], *, where: str = "") -> None:
    """Raise DraftRejected unless ``text`` holds each of ``expected`` exactly once, and no other."""
    _count_tokens(text, set(expected), where)


def _count_tokens(text: str, expected: set[int], where: str) -> dict[int, int]:
    seen: dict[int, int] = {}
    for match in TOKEN.finditer(text):
        number = _digits(match.group(1))
        if number not in expected:
            raise DraftRejected(f"{where}the engine invented placeholder {{{number}}}")
        seen[number] = seen.get(number, 0) + 1
    for number in sorted(expected):
        count = seen.get(number, 0)
        if count != 1:
            what = "dropped" if count == 0 else f"repeated {count} times"
            raise DraftRejected(f"{where}the engine {what} placeholder {{{number}}}")
    return seen


def _replace_tokens(translated: str, by_id: Mapping[int, Placeholder], *, where: str) -> str:
    _count_tokens(translated, set(by_id), where)
    return TOKEN.sub(lambda m: by_id[_digits(m.group(1))].restore, translated)


def verify(protected: Protected, result: str, translated: str) -> None:
    """The checks every draft passes: markup pairs in order and nested, terms in their pinned
    form, no forbidden variant, no stray inline-code marker."""
    position = {_digits(m.group(1)): m.start() for m in TOKEN.finditer(translated)}
    events: list[tuple[int, bool, int]] = []   # (position, closes, pair) in the answer
    for p in protected.placeholders:
        if p.partner is not None:
            if position[p.id] > position[p.partner]:
                raise DraftRejected(f"the engine moved closing markup {p.original!r} "
                                    "before its opening")
            events += [(position[p.id], False, p.id), (position[p.partner], True, p.id)]
    stack: list[int] = []
    for _, closes, pair in sorted(events):
        if not closes:
            stack.append(pair)
        elif not stack or stack.pop() != pair:
            raise DraftRejected("the engine crossed two inline markup spans")
    check_terms(protected, result)
    if result.count("`") != protected.source.count("`"):
        raise DraftRejected("inline code markers (`) unbalanced")


def _digits(raw: str) -> int:
    return int(raw.translate(_FULLWIDTH_DIGITS))


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def join_pieces(outputs: Sequence[str], gaps: Sequence[str], target: str) -> str:
    """Glue sentence-by-sentence answers back together; CJK text takes no space between
    sentences."""
    cjk = target.split("_")[0] in CJK_LANGUAGES
    parts: list[str] = []
    for output, gap in zip(outputs, gaps):
        parts.append(output.strip() if cjk else output)
        if gap:
            parts.append("" if cjk and "\n" not in gap else gap)
    return "".join(parts)


def normalise_tokens(text: str) -> str:
    """Engines' garbled tokens (``{ 3 }``, ``｛３｝``) in our canonical form ``{3}``."""
    return TOKEN.sub(lambda m: token(_digits(m.group(1))), text)


def token(number: int) -> str:
    """The placeholder for ``number``, as we send it."""
    return f"{{{number}}}"


def check_terms(protected: Protected, result: str) -> None:
    """Glossary checks alone, for a draft that did not come from an engine (memory)."""
    for term in protected.terms:
        if term.target not in result:
            raise DraftRejected(f"glossary term {term.source!r} is not {term.target!r}")
        for variant in term.forbidden:
            if variant in result:
                raise DraftRejected(f"forbidden variant {variant!r} of {term.source!r}")
