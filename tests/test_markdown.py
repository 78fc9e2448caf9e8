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

# Spec examples left out of the structure property (expected to fail, strictly), each with its
# reason. Identity has none.
STRUCTURE_EXCLUDED: dict[int, str] = {
    491: "`[link](<foo` + newline + `bar>)`: the line break makes `<foo\\nbar>` raw HTML, not a "
         "link destination; the msgid joins the lines with a space, and `<foo bar>` is a valid "
         "destination, so the translated paragraph holds a link the source does not",
}


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
            start, before = state.pos, (len(runs), len(labels))
            if not rule(state, silent):
                return False
            if silent:
                return True
            if name == "image":  # the alt text was parsed as a string of its own: shift it
                for found, count in zip((runs, labels), before, strict=True):
                    found[count:] = [(a + start + 2, b + start + 2) for a, b in found[count:]]
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
    """Start and end tags with their attributes (alt text aside) and the text of <code>.

    (Not of a raw HTML <pre>: Markdown inside one is ordinary, translatable text.)
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, ...]] = []
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = sorted((k, v or "") for k, v in attrs if k != "alt")
        self.events.append(("start", tag, *(f"{k}={v}" for k, v in kept)))
        self.code += tag == "code"

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))
        self.code -= tag == "code"

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


@pytest.mark.parametrize("number", [
    pytest.param(n, marks=pytest.mark.xfail(reason=STRUCTURE_EXCLUDED[n], strict=True))
    if n in STRUCTURE_EXCLUDED else n for n in range(1, 653)])
def test_spec_example_structure(spec: list[Example], number: int) -> None:
    assert_structure(spec[number - 1].markdown)


def test_spec_has_652_examples(spec: list[Example]) -> None:
    assert [e.number for e in spec] == list(range(1, 653))


# --------------------------------------------------------------------------------------------
# Generated documents

_WORDS = [
    "news", "model", "Soumith", "Chintala", "PyTorch", "release", "faster", "C#", "e.g.", "a+b",
    "50%", "(see", "below)", "don't", "&amp;", "snake_case", "2024.", "1)", "x*y", "#tag", "-",
    "中文", "模型", "发布了", "新的", "。", "，"]
_MARKUP = ["{}", "{}", "{}", "**{}**", "*{}*", "_{}_", "`{}`", "[{}](https://example.com/a?b=c)",
           "[{}][ref]", "<em>{}</em>", "{}\\*", "![{}](/i.png)"]
_AFTER = [" ", " ", " ", "", "\n", "  \n", "\\\n"]
# One draw per word (word, inline markup, what follows it) keeps generation fast.
_TOKEN = st.sampled_from([m.format(w) + a for w in _WORDS for m in _MARKUP for a in _AFTER])


def _phrase(max_words: int = 6) -> st.SearchStrategy[str]:
    """Words with inline markup on one line."""
    return st.lists(_TOKEN, min_size=1, max_size=max_words).map(
        lambda words: "".join(words).replace("\\\n", " ").replace("\n", " ").strip() or "x")


@st.composite
def _wrapped(draw: st.DrawFn, indent: str = "") -> str:
    """A paragraph's lines: wrapped at random places, some with hard breaks."""
    text = "".join(draw(st.lists(_TOKEN, min_size=1, max_size=12))).rstrip(" \n\\") or "x"
    lines = [line.lstrip() or "x" for line in text.split("\n")]
    return lines[0] + "".join("\n" + indent + line for line in lines[1:])


@st.composite
def _list(draw: st.DrawFn, depth: int = 0) -> str:
    ordered = draw(st.booleans())
    items = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        marker = f"{number}. " if ordered else "- "
        pad = " " * len(marker)
        body = draw(_wrapped(pad))
        if draw(st.booleans()):
            body += "\n\n" + pad + draw(_wrapped(pad))
        if depth < 2 and draw(st.booleans()):
            body += "\n" + "\n".join(pad + line if line else line
                                     for line in draw(_list(depth + 1)).split("\n"))
        items.append(marker + body)
    return "\n".join(items)


@st.composite
def _table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 3))
    cell = _phrase(3).map(lambda p: p.replace("|", "\\|").replace("\n", " "))
    rows = [[draw(cell) for _ in range(columns)] for _ in range(draw(st.integers(1, 3)))]
    lead = draw(st.sampled_from(["| ", ""]))
    lines = [lead + " | ".join(row) + (" |" if lead else "") for row in rows]
    lines.insert(1, lead + " | ".join(["---"] * columns) + (" |" if lead else ""))
    return "\n".join(lines)


_BLOCK = st.one_of(
    st.builds(lambda n, p, c: "#" * n + " " + p + (" " + "#" * n if c else ""),
              st.integers(1, 6), _phrase(), st.booleans()),
    st.builds(lambda p, u: p + "\n" + u, _wrapped(), st.sampled_from(["===", "---"])),
    _wrapped(), _wrapped(), _list(), _table(),
    _wrapped().map(lambda p: "> " + p.replace("\n", "\n> ")),
    _list().map(lambda p: "> " + p.replace("\n", "\n> ").replace("> \n", ">\n")),
    st.just("```python\n# not a heading\n- not a list\n\n    indented\n```"),
    st.just("    indented code\n    - not a list"),
    st.just("<div>\n<p>raw *HTML*</p>\n</div>"),
    st.just("[ref]: https://example.com/ref \"Title\""),
    st.just("![A chart of the results](/chart.png)"),
    st.just("---"),
)

_FRONT_MATTER = st.one_of(st.just(""), st.builds(
    lambda title, lang: f"---\ntitle: {title}\ndate: 2024-05-01\nlang: {lang}\n"
                        "tags: [ai, news]\nsummary: \"A summary\"\n---\n",
    st.sampled_from(["Plain title", "'Quoted: title'", "\"Double \\\"quoted\\\"\"", "中文标题"]),
    st.sampled_from(["en", "\"en\""])))


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(_BLOCK, min_size=1, max_size=8))
    ending = draw(st.sampled_from(["\n", "", "\n\n"]))
    text = draw(_FRONT_MATTER) + "\n\n".join(blocks) + ending
    return text.replace("\n", "\r\n") if draw(st.integers(0, 9)) == 9 else text


@SETTINGS
@given(documents())
def test_generated_documents_identity(text: str) -> None:
    assert_identity(text)


@SETTINGS
@given(documents())
def test_generated_documents_structure(text: str) -> None:
    assert_structure(text)


def _block_skeleton(text: str) -> list[tuple[str, str, int]]:
    return [(t.type, t.tag, t.level) for t in HTML.parse(text) if t.type != "inline"]


_HOSTILE = st.lists(st.sampled_from(list("ab中 #->*+=|`~<[]!\\\n1.):_") + [
    "<div>", "```", "<!--", "    ", "[x]: /u"]), max_size=24).map("".join)


@SETTINGS
@given(documents(), st.data())
def test_any_translation_keeps_the_block_structure(text: str, data: st.DataObject) -> None:
    translations: dict[str, str] = {}

    def lookup(msgid: str) -> str:
        return translations.setdefault(msgid, "".join(data.draw(st.lists(_HOSTILE, max_size=3))))

    edition = md.render(text, lookup, options=OPTIONS)
    assert _block_skeleton(edition) == _block_skeleton(text)
