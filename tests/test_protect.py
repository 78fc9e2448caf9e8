"""Placeholders: what is hidden from engines, how it comes back, what makes a draft fail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.protect import DraftRejected, Protected, join_pieces, protect, restore, token


@dataclass(frozen=True)
class Term:
    forms: Mapping[str, str]
    keep: bool = False
    forbidden: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def form(self, language: str) -> str | None:
        return next(iter(self.forms.values())) if self.keep else self.forms.get(language)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    text: str
    term: Term


class Glossary:
    """The smallest glossary: exact matches of each term's English form."""

    def __init__(self, *terms: Term) -> None:
        self.terms = terms

    def find(self, text: str, language: str) -> list[Hit]:
        hits = []
        for term in self.terms:
            start = text.find(term.forms["en"])
            if start >= 0:
                hits.append(Hit(start, start + len(term.forms["en"]), term.forms["en"], term))
        return sorted(hits, key=lambda h: h.start)


TIAN = Term({"en": "Tian Yuandong", "zh": "田渊栋"}, forbidden={"zh": ("田远东",)})
FAIR = Term({"en": "FAIR"}, keep=True)
GLOSSARY = Glossary(TIAN, FAIR)


def shield(text: str) -> Protected:
    return protect(text, "zh", source_language="en", glossary=GLOSSARY)


@pytest.mark.parametrize(("text", "sent"), [
    ("Use `torch.nn` now", "Use {1} now"),
    ("See https://pytorch.org/docs.", "See {1}."),
    ("A [link](https://x.org/a_(b)) here", "A {1}link{2} here"),
    ("An ![alt text](img.png \"title\")", "An {1}alt text{2}"),
    ("A <a href=\"x\">tag</a> and <br>", "A {1}tag{2} and {3}"),
    ("**bold** and *em* and _em_ and ~~gone~~", "{1}bold{2} and {3}em{4} and {5}em{6} and {7}gone{8}"),
    ("snake_case_name and 5 * 3", "snake_case_name and 5 * 3"),
    ("literal {1} and &amp; and \\*", "literal {1} and {2} and {3}"),
    ("Tian Yuandong at FAIR", "{1} at {2}"),
    ("`Tian Yuandong` in code", "{1} in code"),
    ("Footnote[^1] <https://a.org>", "Footnote{1} {2}"),
])
def test_what_the_engine_sees(text: str, sent: str) -> None:
    assert shield(text).text == sent


def test_terms_come_back_in_their_pinned_form() -> None:
    protected = shield("Tian Yuandong works at **FAIR**.")
    assert restore(protected, "{1} 在 {2}{3}{4} 工作。") == "田渊栋 在 **FAIR** 工作。"


@pytest.mark.parametrize("answer", ["{ 1 } 在 { 2 }{3}{ 4 } 工作。", "｛1｝ 在 ｛２｝{3}{4} 工作。"])
def test_garbled_but_recoverable_tokens_are_accepted(answer: str) -> None:
    protected = shield("Tian Yuandong works at **FAIR**.")
    assert restore(protected, answer) == "田渊栋 在 **FAIR** 工作。"


@pytest.mark.parametrize(("answer", "reason"), [
    ("{1} 在 {2}{3} 工作。", "dropped placeholder {4}"),
    ("{1} {1} 在 {2}{3}{4} 工作。", "repeated 2 times placeholder {1}"),
    ("{1} 在 {2}{3}{4}{9} 工作。", "invented placeholder {9}"),
    ("{1} 在 {4}{2}{3} 工作。", "moved closing markup"),
    ("田远东 {1} 在 {2}{3}{4} 工作。", "forbidden variant '田远东'"),
    ("{1} 在 {2}{3}{4} `工作`。", "inline code markers"),
])
def test_damage_is_rejected(answer: str, reason: str) -> None:
    protected = shield("Tian Yuandong works at **FAIR**.")
    with pytest.raises(DraftRejected, match=reason.replace("{", r"\{").replace("}", r"\}")):
        restore(protected, answer)


def test_crossed_markup_is_rejected_but_moved_spans_are_fine() -> None:
    protected = shield("**bold** and *em* words")
    assert restore(protected, "{3}em{4} 和 {1}bold{2}") == "*em* 和 **bold**"
    with pytest.raises(DraftRejected, match="crossed"):
        restore(protected, "{1}bold {3}em{2}{4}")


def test_a_term_without_a_target_form_is_left_to_the_engine() -> None:
    only_en = Glossary(Term({"en": "Caffe2"}))
    protected = protect("Caffe2 is fast", "zh", source_language="en", glossary=only_en)
    assert protected.text == "Caffe2 is fast" and protected.terms == ()


def test_nothing_to_translate() -> None:
    assert not shield("`code()` https://x.org 42").needs_engine
    assert shield("Tian Yuandong").needs_engine is False
    assert shield("Hello `x`").needs_engine


def test_sentences_cover_the_whole_text() -> None:
    protected = shield("One {x}. Tian Yuandong left! Why? 中文。第二句。End")
    pieces = protected.pieces()
    assert "".join(s + gap for s, gap in pieces) == protected.text
    assert [s for s, _ in pieces] == ["One {x}.", "{1} left!", "Why?", "中文。", "第二句。", "End"]
    assert join_pieces(["一。", "二！"], [" ", ""], "zh") == "一。二！"
    assert join_pieces(["One.", "Two."], [" ", ""], "de") == "One. Two."


MARKDOWNISH = st.lists(st.sampled_from([
    "word", " ", "Tian Yuandong", "FAIR", "**", "*", "_", "`code`", "[", "](https://a.b/c)", "<b>",
    "</b>", "https://x.org/p", "{3}", "&amp;", "\\*", "。", ". ", "中文", "~~", "\n", "![", "(", ")",
]), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_an_engine_that_changes_nothing_gets_the_source_back(text: str) -> None:
    protected = protect(text, "en", source_language="en", glossary=GLOSSARY)
    assert restore(protected, protected.text) == text


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_every_placeholder_is_numbered_once_in_order(text: str) -> None:
    protected = shield(text)
    numbers = [p.id for p in protected.placeholders]
    assert numbers == list(range(1, len(numbers) + 1))
    for p in protected.placeholders:
        assert protected.text.count(token(p.id)) == 1
        if p.partner is not None:
            assert protected.text.index(token(p.id)) < protected.text.index(token(p.partner))


# ---------------------------------------------------------------- code-like HTML elements

@pytest.mark.parametrize(("text", "sent", "hidden"), [
    # HTML msgids: the element and everything inside it is one opaque placeholder.
    ("Code <code1>x &lt; y</code1> inline and <kbd2>Ctrl</kbd2>.", "Code {1} inline and {2}.",
     ["<code1>x &lt; y</code1>", "<kbd2>Ctrl</kbd2>"]),
    ("Type <samp1>Error: no <em2>file</em2></samp1> then <var3>n</var3>", "Type {1} then {2}",
     ["<samp1>Error: no <em2>file</em2></samp1>", "<var3>n</var3>"]),
    # The same elements the code check holds to their content: <tt> too.
    ("List with <tt1>ls -l</tt1> here", "List with {1} here", ["<tt1>ls -l</tt1>"]),
    ("<a1>see <code2>f()</code2></a1> now", "{1}see {2}{3} now",
     ["<a1>", "<code2>f()</code2>", "</a1>"]),
    # Raw HTML in a Markdown paragraph, any case, with attributes.
    ("raw <code>a b</code> and <KBD class=\"k\">Alt</KBD>.", "raw {1} and {2}.",
     ["<code>a b</code>", "<KBD class=\"k\">Alt</KBD>"]),
    # Not code: <codex> is another element; an unclosed <code> stays a plain tag.
    ("a <codex>word</codex> b", "a {1}word{2} b", ["<codex>", "</codex>"]),
    ("a <code>never closed", "a {1}never closed", ["<code>"]),
])
def test_code_like_html_elements_are_hidden_whole(text: str, sent: str,
                                                  hidden: list[str]) -> None:
    protected = shield(text)
    assert protected.text == sent
    assert [p.original for p in protected.placeholders] == hidden
    assert restore(protected, protected.text) == text


def test_only_code_is_left_for_no_engine() -> None:
    assert not shield("<code1>x &lt; y</code1>").needs_engine
    assert shield("Press <kbd1>Ctrl</kbd1>").needs_engine
