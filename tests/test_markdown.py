"""The Markdown format: what it extracts, and that rendering keeps every byte it does not translate.

Two properties carry most of the weight, checked on generated documents and on the 652 CommonMark
0.31.2 spec examples:

1. identity: rendering with no translation gives the source back, byte for byte;
2. structure: rendering a pseudo-translation (same inline markup, other letters) gives a document
   whose HTML has the same element tree as the source's, and whose msgids are the pseudo ones.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from commonmark import Example, spec_examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from l10n.errors import SourceError
from l10n.formats import FormatOptions, format_for, frontmatter
from l10n.formats import markdown as md

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
    """The block tokens of the Markdown after the front matter (YAML is not Markdown: a value
    holding a pipe would make a table of it)."""
    fm = frontmatter.front_matter(text, None)
    if fm is not None:
        text = "".join(text.splitlines(keepends=True)[fm.body_line:])
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


# --------------------------------------------------------------------------------------------
# Golden files: tests/golden/markdown/<name>.md beside <name>.segments.txt (line, kind, msgid as
# JSON) and <name>.pseudo.md (the pseudo-translated edition, language en-XA).
# L10N_REGENERATE_GOLDEN=1 rewrites the expected files; review the diff before committing.

_REGENERATE = os.environ.get("L10N_REGENERATE_GOLDEN") == "1"


def _golden(path: Path, actual: str) -> None:
    if _REGENERATE:
        path.write_bytes(actual.encode("utf-8"))
    assert actual == path.read_bytes().decode("utf-8"), f"{path.name} differs"


@pytest.mark.parametrize("source", sorted(p for p in GOLDEN.glob("*.md")
                                           if not p.name.endswith(".pseudo.md")),
                         ids=lambda p: p.name)
def test_golden(source: Path) -> None:
    text = source.read_bytes().decode("utf-8")
    segments = md.extract(text, source.name, options=OPTIONS)
    listing = "".join(f"{s.line}\t{s.kind}\t{json.dumps(s.msgid, ensure_ascii=False)}\n"
                      for s in segments)
    _golden(source.with_suffix(".segments.txt"), listing)
    edition = md.render(text, pseudo_for(text), options=FormatOptions(language="en-XA"))
    _golden(source.with_suffix(".pseudo.md"), edition)
    assert_identity(text)
    assert_structure(text)


# --------------------------------------------------------------------------------------------
# What is extracted, and how translations go back


def _segments(text: str, **options: object) -> list[tuple[int, str, str]]:
    found = md.extract(text, "a.md", options=FormatOptions(**options))  # type: ignore[arg-type]
    return [(s.line, s.kind, s.msgid) for s in found]


def test_format_module_is_found_by_suffix() -> None:
    assert format_for("news/today.md") is md
    assert format_for("x.markdown") is md
    assert (md.NAME, md.SUFFIXES) == ("markdown", (".md", ".markdown"))


def test_blocks_keep_inline_markup_and_their_first_line() -> None:
    text = ("## Closing hashes ##\n\nSee **Soumith Chintala**'s [post](https://x.org/p \"t\")\n"
            "about `torch.compile`.\n\n> quoted\n\n- item\n\n![alt *text*](/i.png)\n")
    assert _segments(text) == [
        (1, "heading 2", "Closing hashes"),
        (3, "paragraph", ("See **Soumith Chintala**'s [post](https://x.org/p \"t\") about "
                         "`torch.compile`.")),
        (6, "block quote", "quoted"),
        (8, "list item", "item"),
        (10, "image alt text", "alt *text*"),
    ]


def test_never_extracted() -> None:
    text = ("```\nfenced code\n```\n\n    indented code\n\n<div>\nHTML block\n</div>\n\n"
            "[label]: https://example.com \"Title\"\n\n![logo]\n\n[logo]: /logo.png\n\n"
            "2024\n\n---\n")
    assert _segments(text) == []


def test_cjk_lines_join_without_a_space_other_lines_with_one() -> None:
    text = "中文句子\n继续。\nEnglish words\nwrap here 中文\n"
    assert _segments(text) == [(1, "paragraph", "中文句子继续。 English words wrap here 中文")]


def test_hard_breaks_are_newlines_in_the_msgid_and_come_back_as_breaks() -> None:
    text = "> first line  \n> second line\\\n> third line\n"
    assert _segments(text) == [(1, "block quote", "first line\nsecond line\\\nthird line")]
    edition = md.render(text, lambda m: "un\ndeux\\\ntrois", options=OPTIONS)
    assert edition == "> un  \n> deux\\\n> trois\n"
    assert HTML.render(edition).count("<br />") == 2


def test_translation_on_several_lines_gets_the_container_prefix() -> None:
    text = "> - item\n>   continued\n\nafter\n"
    edition = md.render(text, {"item continued": "élément\nsuite"}.get, options=OPTIONS)
    assert edition == "> - élément  \n>   suite\n\nafter\n"


@pytest.mark.parametrize(("translation", "expected"), [
    ("# not a heading", "\\# not a heading"),
    ("- not a list", "\\- not a list"),
    ("1. not a list", "1\\. not a list"),
    ("> not a quote", "\\> not a quote"),
    ("```not a fence", "\\```not a fence"),
    ("<div>not HTML</div>", "\\<div>not HTML</div>"),
    ("<em>inline HTML</em> stays", "<em>inline HTML</em> stays"),
    ("[x]: /not-a-definition", "\\[x]: /not-a-definition"),
    ("text\n===", "text  \n    ==="),
    ("text\n- item\n    code", "text  \n    - item  \ncode"),
])
def test_a_translation_cannot_create_blocks(translation: str, expected: str) -> None:
    text = "Source paragraph.\n\nNext.\n"
    edition = md.render(text, {"Source paragraph.": translation}.get, options=OPTIONS)
    assert edition == expected + "\n\nNext.\n"
    assert _block_skeleton(edition) == _block_skeleton(text)


def test_headings_keep_markers_and_cannot_lose_words_to_a_closing_sequence() -> None:
    text = "### Title ###\n\n# Plain\n"
    lookup = {"Title": "Titre\nsur deux lignes", "Plain": "C #"}.get
    assert md.render(text, lookup, options=OPTIONS) == \
        "### Titre sur deux lignes ###\n\n# C \\#\n"


def test_table_cells_escape_pipes_and_keep_the_row() -> None:
    text = "a | b\n--|--\nx | y\n"
    assert _segments(text) == [(1, "table cell", "a"), (1, "table cell", "b"),
                               (3, "table cell", "x"), (3, "table cell", "y")]
    edition = md.render(text, {"x": "- one | two", "b": "back\\"}.get, options=OPTIONS)
    assert edition == "a | back\\ \n--|--\n\\- one \\| two | y\n"
    assert _block_skeleton(edition) == _block_skeleton(text)


def test_a_header_cell_is_not_escaped_where_no_block_can_start() -> None:
    # The table rule claims a header row before the list rule sees it; a body row it does not.
    text = "1) a | b\n--|--\nx | y\n"
    edition = md.render(text, {"1) a": "1) uno", "x": "1) dos"}.get, options=OPTIONS)
    assert edition == "1) uno | b\n--|--\n1\\) dos | y\n"
    assert _block_skeleton(edition) == _block_skeleton(text)


def test_image_alt_text_is_replaced_alone() -> None:
    text = "![A chart](/c.png \"Chart\")\n"
    assert md.render(text, {"A chart": "Un [graphique"}.get, options=OPTIONS) == \
        "![Un \\[graphique](/c.png \"Chart\")\n"


def test_windows_line_endings_are_kept() -> None:
    text = "---\r\ntitle: T\r\n---\r\n# Head\r\n\r\nPara\r\ngraph\r\n"
    assert _segments(text) == [(2, "front matter: title", "T"), (4, "heading 1", "Head"),
                               (6, "paragraph", "Para graph")]
    edition = md.render(text, {"Head": "Tête", "Para graph": "Para\nphrase", "T": "t"}.get,
                        options=OPTIONS)
    assert edition == "---\r\ntitle: \"t\"\r\n---\r\n# Tête\r\n\r\nPara  \r\nphrase\r\n"


# --------------------------------------------------------------------------------------------
# Front matter


FRONT = ('---\ntitle: "Big: news"\nsummary: |\n  Line one\n  line two\nlang: en\n'
         "count: 3\ndraft: yes\ntags: [a, b]\nauthor: Someone\n---\nBody.\n")


def test_front_matter_translatable_keys_are_extracted_with_their_key_line() -> None:
    assert _segments(FRONT) == [(2, "front matter: title", "Big: news"),
                                (3, "front matter: summary", "Line one\nline two"),
                                (12, "paragraph", "Body.")]
    assert _segments(FRONT, front_matter_keys=("author",))[0] == \
        (10, "front matter: author", "Someone")


def test_front_matter_render_quotes_values_and_sets_the_language() -> None:
    lookup = {"Big: news": 'Grande "nouvelle": \\o/', "Line one\nline two": "Ligne",
              "Body.": "Corps."}.get
    edition = md.render(FRONT, lookup, options=FormatOptions(language="fr"))
    assert edition == ('---\ntitle: "Grande \\"nouvelle\\": \\\\o/"\nsummary: "Ligne"\n'
                       "lang: fr\ncount: 3\ndraft: yes\ntags: [a, b]\nauthor: Someone\n---\n"
                       "Corps.\n")
    assert md.declared_language(edition, "a.md") == "fr"


@SETTINGS
@given(st.text(st.characters(codec="utf-8"), min_size=1))
def test_any_translated_value_reads_back_from_the_yaml(value: str) -> None:
    edition = md.render("---\ntitle: x\n---\n", lambda m: value, options=OPTIONS)
    if value.strip():
        assert yaml.safe_load(edition.split("---\n")[1]) == {"title": value.strip()}
    else:
        assert edition == "---\ntitle: x\n---\n"


def test_declared_language_and_its_line() -> None:
    assert md.declared_language(FRONT, "a.md") == "en"
    assert md.language_line(FRONT) == 6
    assert md.declared_language("# No front matter\n", "a.md") is None
    assert md.language_line("---\ntitle: [\n---\n") is None


@pytest.mark.parametrize(("text", "message"), [
    ("---\ntitle: Big: news\n---\n", ("a.md:2: malformed YAML front matter: "
                                     "mapping values are not allowed here")),
    ("---\ntitle: ok\nsummary: \"unclosed\n---\n", ("a.md:4: malformed YAML front matter: "
                                                   "found unexpected end of stream")),
    ("---\ntitle: ok\n- list\n---\n", ("a.md:3: malformed YAML front matter: expected <block "
                                  "end>, but found '-'")),
])
def test_malformed_front_matter_is_an_error_at_its_line(text: str, message: str) -> None:
    for call in (lambda: md.extract(text, "a.md", options=OPTIONS),
                 lambda: md.declared_language(text, "a.md")):
        with pytest.raises(SourceError) as caught:
            call()
        assert str(caught.value).startswith(message)
        assert caught.value.path == "a.md"


@pytest.mark.parametrize("text", [
    "---\nA thematic break, then text\n",
    "---\nFoo\n---\nBar\n",
    "---\n",
    "---\n- a list, not front matter\n---\n",
])
def test_a_leading_thematic_break_is_not_front_matter(text: str) -> None:
    assert_identity(text)
    assert_structure(text)
    assert md.declared_language(text, "a.md") is None


# Markdown-ish noise: odd line endings, NUL, Unicode spaces, markers everywhere. Backticks are
# left out: a code span wrapped onto an indented line keeps that indentation in its code, which the
# one-line msgid drops (a known limitation).
_NOISE = st.lists(st.sampled_from(
    list("ab 中文\n\r\t\0#>-*+=_~<|:[]()!\\1.)&;\"'")
    + ["  \n", "    ", "---", "<div>", "http://x", "\u2028", "\xa0", "\u3000"]),
    max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_NOISE)
def test_noise_identity_and_structure(text: str) -> None:
    assert_identity(text)
    assert_structure(text)


# --------------------------------------------------------------------------------------------
# The faster block parser (markdown_blocks.py) makes exactly markdown-it-py's tokens

_STOCK_BLOCKS = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])


def _tokens(parser: MarkdownIt, text: str, env: dict[str, object] | None = None
            ) -> list[tuple[object, ...]]:
    return [(t.type, t.tag, t.nesting, t.map, t.level, t.markup, t.info, t.content, t.attrs,
             t.block, t.hidden) for t in parser.parse(text, env)]


def _stock_recording() -> MarkdownIt:
    """markdown-it's own rules, wrapped to record columns as ``md._BLOCKS`` wraps its own."""
    from markdown_it import rules_block

    parser = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"])
    for recorded in md._BLOCKS.block.ruler.__rules__:
        if recorded.name in ("table", "heading", "lheading", "paragraph"):
            stock = md._recording(getattr(rules_block, recorded.name))
            parser.block.ruler.at(recorded.name, stock, {"alt": recorded.alt})
    return parser


_STOCK_RECORDING = _stock_recording()


def assert_same_tokens(text: str) -> None:
    from l10n.formats.markdown_blocks import block_parser

    assert _tokens(block_parser(), text) == _tokens(_STOCK_BLOCKS, text)
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    starts = [0, *itertools.accumulate(len(line) + 1 for line in normal.split("\n"))]
    recording = _tokens(md._BLOCKS, normal, {"line_starts": starts})  # spans noted in meta
    assert recording == _tokens(_STOCK_BLOCKS, normal)
    # and the columns noted are those noted on markdown-it's own rules
    ours = [t.meta for t in md._BLOCKS.parse(normal, {"line_starts": starts})]
    assert ours == [t.meta for t in _STOCK_RECORDING.parse(normal, {"line_starts": starts})]


def test_block_parser_tokens_equal_markdown_it_on_every_spec_example(spec: list[Example]) -> None:
    for example in spec:
        assert_same_tokens(example.markdown)


def test_block_parser_tokens_equal_markdown_it_on_setext_edge_cases() -> None:
    for text in ["a\n=", "a\n-", "a\nb\n---\nc", "> a\n---", "- a\n---", "a\n    ---", "a\n\n---",
                 "    a\n---", "a\n= b", "a\n-- -", "<div>\n---", "a\n- b\n---", "a\r\n===\r\n",
                 "| a |\n| - |\n---"]:
        assert_same_tokens(text)


@SETTINGS
@given(documents())
def test_block_parser_tokens_equal_markdown_it_on_generated_documents(text: str) -> None:
    assert_same_tokens(text)


@SETTINGS
@given(st.lists(_HOSTILE, min_size=1, max_size=6).map("\n".join))
def test_block_parser_tokens_equal_markdown_it_on_hostile_text(text: str) -> None:
    assert_same_tokens(text)


@SETTINGS
@given(_NOISE)
def test_block_parser_tokens_equal_markdown_it_on_noise(text: str) -> None:
    assert_same_tokens(text)


# A paragraph's continuation lines are offered only to the rules that can start on their first
# character: lines starting with each such character, a digit, a pipe or anything else, indented
# 0 to 4 columns, in containers, lazily or not, and table rows right after a paragraph line.
_LINE_STARTS = [*"#>*+-_=~`<|[\\:!a中", *"0123456789"]
_LINE_RESTS = ["", " ", " x", "x", "  x", "1. x", ". x", ") x", "##", "# x #", "--", "- -", "**",
               "~~", "``", "`` x", "!-- c -->", "div>", "/div>", "? x ?>", "x | y", "| b |",
               "]: /u", "-|-", " | - |"]
_CONTAINERS = {"": "", "> ": "> ", "- ": "  ", "1. ": "   ", "  ": "  ", "> - ": ">   ",
               "- > ": "  > ", "10) ": "    "}


@st.composite
def _continued(draw: st.DrawFn) -> str:
    container = draw(st.sampled_from(sorted(_CONTAINERS)))
    lines = [container + draw(st.sampled_from(["para", "a | b", "| a |", "1 x", "- a"]))]
    for _ in range(draw(st.integers(1, 4))):
        prefix = "" if draw(st.booleans()) else _CONTAINERS[container]  # lazy, or not
        indent = draw(st.sampled_from(["", " ", "  ", "   ", "    ", "\t"]))
        lines.append(prefix + indent + draw(st.sampled_from(_LINE_STARTS))
                     + draw(st.sampled_from(_LINE_RESTS)))
        if draw(st.integers(0, 3)) == 0:  # a delimiter row: the line above may be a table header
            lines.append(prefix + draw(st.sampled_from(["| - | - |", "---|---", ":-:", "-", "|-"])))
    before = draw(st.sampled_from(["", "x\n\n", "- item\n", "> q\n", "# h\n"]))
    return before + "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\nafter"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_continued())
def test_block_parser_tokens_equal_markdown_it_on_paragraph_continuations(text: str) -> None:
    assert_same_tokens(text)


@pytest.mark.parametrize("text", [
    "a\n| b | c |\n| - | - |\n| d | e |", "a | b\n- | -\nc | d", "a\n    | b |\n| - |",
    "> a\n| b |\n| - |", "- a\n  b | c\n  - | -", "a\n1. b", "a\n2. b", "a\n1234567890. b",
    "a\n<div>", "a\n<span>", "a\n<!-- c -->", "a\n# b", "a\n#b", "a\n```\nb\n```", "a\n~~~",
    "a\n> b", "a\n***", "a\n_ _ _", "a\n+ b", "a\n* b", "a\n-\tb", "a\n\t- b", "> a\nb\n> c",
    "- a\nb\n- c", "- a\n    b", "a\n\n    b", "\tcode", "  \t\n", "a\n  ", "a\n \t",
])
def test_block_parser_tokens_equal_markdown_it_on_interruptions(text: str) -> None:
    assert_same_tokens(text)


@SETTINGS
@given(st.lists(st.sampled_from(["", " ", "  ", "\t", " \t", "a", "b c", "\n", "\n", "\n"]),
                max_size=12).map("".join))
def test_block_state_line_marks_equal_markdown_it(text: str) -> None:
    from markdown_it.rules_block import StateBlock

    from l10n.formats.markdown_blocks import _block_state

    env: dict[str, object] = {}
    tokens: list[object] = []
    ours = _block_state(text, md._BLOCKS, env, tokens)  # type: ignore[arg-type]
    assert vars(ours) == vars(StateBlock(text, md._BLOCKS, env, tokens))  # type: ignore[arg-type]
