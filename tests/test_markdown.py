"""The Markdown format: what it extracts, and that rendering keeps every byte it does not translate.

Two properties carry most of the weight, checked on generated documents and on the 652 CommonMark
0.31.2 spec examples:

1. identity: rendering with no translation gives the source back, byte for byte;
2. structure: rendering a pseudo-translation (same inline markup, other letters) gives a document
   whose HTML has the same element tree as the source's, and whose msgids are the pseudo ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from l10n.errors import SourceError
from l10n.formats import FormatOptions, format_for
from l10n.formats import markdown as md
from commonmark import Example, spec_examples

OPTIONS = FormatOptions()
GOLDEN = Path(__file__).resolve().parent / "golden" / "markdown"
HTML = MarkdownIt("commonmark").enable("table")
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Spec examples left out of the structure property, each with its reason. Identity has none.
STRUCTURE_EXCLUDED: dict[int, str] = {}


# --------------------------------------------------------------------------------------------
# Pseudo-translation: other letters, same markup


_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ACCENTED = str.maketrans(_LOWER + _LOWER.upper(),
                          "áƀçđéƒĝĥíĵķĺɱñóþǫŕšŧúṽŵẋýž" "ÁƁÇĐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŦÚṼŴẊÝŽ")


def _pseudo_parser() -> tuple[MarkdownIt, list[tuple[int, int]], list[tuple[int, int]]]:
    """markdown-it whose text rule records the literal runs it reads, and whose link and image
    rules record reference links (their text is a label: changing it would break the link)."""
    parser = MarkdownIt("commonmark").enable("table")
    runs: list[tuple[int, int]] = []
    labels: list[tuple[int, int]] = []

    def recording(name: str, into: list[tuple[int, int]] | None):  # type: ignore[no-untyped-def]
        rule = next(r.fn for r in parser.inline.ruler.__rules__ if r.name == name)

        def recorded(state: StateInline, silent: bool) -> bool:
            start = state.pos
            if not rule(state, silent):
                return False
            if not silent:
                if into is runs:
                    runs.append((start, state.pos))
                elif state.src[state.pos - 1] != ")":
                    labels.append((start, state.pos))
            return True
        return recorded

    parser.inline.ruler.at("text", recording("text", runs))
    parser.inline.ruler.at("link", recording("link", labels))
    parser.inline.ruler.at("image", recording("image", labels))
    return parser, runs, labels


_PSEUDO, _RUNS, _LABELS = _pseudo_parser()


def pseudo_for(document: str) -> Callable[[str], str]:
    """A pseudo-translator for the msgids of ``document`` (which knows its link references)."""
    env: dict[str, object] = {}
    HTML.parse(document, env)
    return lambda msgid: pseudo(msgid, env)


def pseudo(msgid: str, env: dict[str, object] | None = None) -> str:
    """The msgid with the letters of its literal text accented; markup, code, URLs untouched."""
    _RUNS.clear()
    _LABELS.clear()
    _PSEUDO.parseInline(msgid, dict(env or {}))
    chars = list(msgid)
    for start, end in _RUNS:
        if any(a <= start and end <= b for a, b in _LABELS):
            continue
        chars[start:end] = msgid[start:end].translate(_ACCENTED)
    return "".join(chars)


# --------------------------------------------------------------------------------------------
# Comparing HTML element trees


class _Tree(HTMLParser):
    """Start and end tags with their attributes (alt text aside) and the text of code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, ...]] = []
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = sorted((k, v or "") for k, v in attrs if k != "alt")
        self.events.append(("start", tag, *(f"{k}={v}" for k, v in kept)))
        self.code += tag in ("code", "pre")

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))
        self.code -= tag in ("code", "pre")

    def handle_data(self, data: str) -> None:
        if self.code:
            self.events.append(("code", data))


def element_tree(markdown: str) -> list[tuple[str, ...]]:
    tree = _Tree()
    tree.feed(HTML.render(markdown))
    tree.close()
    return tree.events


def assert_identity(text: str) -> None:
    assert md.render(text, lambda m: m, options=OPTIONS) == text
    assert md.render(text, lambda m: None, options=OPTIONS) == text


def assert_structure(text: str) -> None:
    segments = md.extract(text, "doc.md", options=OPTIONS)
    translate = pseudo_for(text)
    edition = md.render(text, translate, options=OPTIONS)
    assert element_tree(edition) == element_tree(text)
    again = md.extract(edition, "doc.md", options=OPTIONS)
    assert [(s.msgid, s.kind) for s in again] == [(translate(s.msgid), s.kind) for s in segments]


# --------------------------------------------------------------------------------------------
# The CommonMark spec examples


@pytest.fixture(scope="module")
def spec() -> list[Example]:
    return spec_examples()


@pytest.mark.parametrize("number", range(1, 653))
def test_spec_example_identity(spec: list[Example], number: int) -> None:
    assert_identity(spec[number - 1].markdown)


@pytest.mark.parametrize("number", range(1, 653))
def test_spec_example_structure(spec: list[Example], number: int) -> None:
    if number in STRUCTURE_EXCLUDED:
        pytest.xfail(STRUCTURE_EXCLUDED[number])
    assert_structure(spec[number - 1].markdown)


def test_spec_has_652_examples(spec: list[Example]) -> None:
    assert [e.number for e in spec] == list(range(1, 653))
