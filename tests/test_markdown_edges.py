"""Markdown edge cases found by QA: heading attribute blocks, byte-order marks, line endings other
than LF, YAML anchors and aliases in front matter, TOML front matter, footnote definitions, inline
footnotes, HTML blocks (never extracted, and extract says so), pipes outside tables.

Each case keeps the two properties of ``test_markdown.py``: identity (no translation gives the
source back byte for byte) and structure (a pseudo-translation renders to the same HTML tree).
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from test_markdown import SETTINGS, _Tree, assert_identity, documents, element_tree, pseudo_for
from typer.testing import CliRunner

from l10n.checks import CheckContext, run_checks
from l10n.cli import app
from l10n.errors import SourceError
from l10n.formats import FormatOptions
from l10n.formats import markdown as md
from l10n.project import Project
from l10n.validate import markdown_outline

OPTIONS = FormatOptions()


def _segments(text: str) -> list[tuple[int, str, str]]:
    return [(s.line, s.kind, s.msgid) for s in md.extract(text, "a.md", options=OPTIONS)]


def _upper(msgid: str) -> str:
    return msgid.upper()


def assert_structure(text: str) -> None:
    """``test_markdown.assert_structure``, on the Markdown after the front matter (markdown-it,
    which renders the trees, knows no front matter: ``+++`` lines would be text to it)."""
    segments = md.extract(text, "doc.md", options=OPTIONS)
    translate = pseudo_for(md.body_text(text))
    edition = md.render(text, translate, options=OPTIONS)
    assert element_tree(md.body_text(edition)) == element_tree(md.body_text(text))
    again = md.extract(edition, "doc.md", options=OPTIONS)
    # (a character reference may stand for a first character: frontmatter.without_front_matter)
    assert [(html.unescape(s.msgid), s.kind) for s in again] == \
        [(html.unescape(translate(s.msgid)), s.kind) for s in segments]


# --------------------------------------------------------------------------------------------
# 1. A heading's attribute block ({#id}, {.class}, {key=value}) is markup, not prose


@pytest.mark.parametrize(("text", "msgid", "edition"), [
    ("## Install {#install}\n", "Install", "## INSTALL {#install}\n"),
    ("## Title {.cls #id}\n", "Title", "## TITLE {.cls #id}\n"),
    ("## Title {: #id .cls }\n", "Title", "## TITLE {: #id .cls }\n"),  # MkDocs attr_list
    ('## Title {#id data-x="a b" lang=en -}\n', "Title", '## TITLE {#id data-x="a b" lang=en -}\n'),
    ("## Title {#sec.1}\n", "Title", "## TITLE {#sec.1}\n"),
    ("## Title {#id} ##\n", "Title", "## TITLE {#id} ##\n"),  # CommonMark's closing #s
    ("## Title ## {#id}\n", "Title", "## TITLE ## {#id}\n"),  # Pandoc's
    ("> ### Quoted {#q}\n", "Quoted", "> ### QUOTED {#q}\n"),
    ("Setext {#top .x}\n======\n", "Setext", "SETEXT {#top .x}\n======\n"),
    ("Two line\nsetext {#two}\n---\n", "Two line setext", "TWO LINE SETEXT {#two}\n---\n"),
    ("Two line\n{#alone}\n---\n", "Two line", "TWO LINE\n{#alone}\n---\n"),
])
def test_heading_attribute_block_stays_out_of_the_msgid_and_in_the_edition(
        text: str, msgid: str, edition: str) -> None:
    assert [m for _, _, m in _segments(text)] == [msgid]
    assert md.render(text, _upper, options=OPTIONS) == edition
    assert_identity(text)
    assert_structure(text)


def test_a_translated_heading_keeps_the_anchor_the_build_checks() -> None:
    text = "# Install {#install}\n\nText.\n"
    edition = md.render(text, {"Install": "安装 {#anzhuang}\n第二行"}.get, options=OPTIONS)
    assert edition == "# 安装 {#anzhuang} 第二行 {#install}\n\nText.\n"
    assert markdown_outline(edition).anchors == markdown_outline(text).anchors == ("install",)


def test_trailing_hashes_of_a_translation_are_escaped_before_attributes() -> None:
    assert md.render("## C {#c}\n", {"C": "C #"}.get, options=OPTIONS) == "## C \\# {#c}\n"


@pytest.mark.parametrize(("text", "segments"), [
    ("## Use {x} here\n", [(1, "heading 2", "Use {x} here")]),  # not trailing
    ("## Use {x}\n", [(1, "heading 2", "Use {x}")]),  # a placeholder, not an attribute
    ("## Set {}\n", [(1, "heading 2", "Set {}")]),
    ("## Set {#}\n", [(1, "heading 2", "Set {#}")]),
    ("## Set {# id}\n", [(1, "heading 2", "Set {# id}")]),
    ("## Set {#a} {#b}\n", [(1, "heading 2", "Set {#a}")]),  # only the last block
    ("## Set{#a}\n", [(1, "heading 2", "Set{#a}")]),  # a block follows a space
    ("## Set {#a}{#b}\n", [(1, "heading 2", "Set {#a}{#b}")]),
    ("## a ## #{#id}\n", [(1, "heading 2", "a ## #{#id}")]),
    ("## {#only-an-id}\n", []),  # an empty heading with an anchor: nothing to translate
    ("{#only-an-id}\n===\n", []),
    ("Paragraph {#id}\n", [(1, "paragraph", "Paragraph {#id}")]),  # headings only
    ("- item {#id}\n", [(1, "list item", "item {#id}")]),
    ("| a {#id} |\n| - |\n", [(1, "table cell", "a {#id}")]),
])
def test_what_is_not_a_heading_attribute_block(text: str,
                                               segments: list[tuple[int, str, str]]) -> None:
    assert _segments(text) == segments
    assert_identity(text)
    assert_structure(text)


_ATTRIBUTES = st.sampled_from(["{#id}", "{.c}", "{#a .b c=d}", "{: #x }", "{x}", "{}", "{#}",
                               "{#a} ##", "## {#a}", "{-}", "{.a} {.b}", "{#a}\\"])


@SETTINGS
@given(documents(), st.sampled_from(["# ", "### "]), st.sampled_from(["Title", "C#", "中文", "x"]),
       _ATTRIBUTES, st.sampled_from(["", "\n===", "\n---"]))
def test_headings_with_attributes_keep_identity_and_structure(
        document: str, marker: str, words: str, attributes: str, underline: str) -> None:
    heading = (words + " " + attributes + underline) if underline else \
        (marker + words + " " + attributes)
    text = heading + "\n\n" + document
    assert_identity(text)
    assert_structure(text)


# --------------------------------------------------------------------------------------------
# 2. A byte-order mark is kept; added lines end as the source's lines do


@pytest.mark.parametrize("text", [
    "\ufeff# Head\n\nPara.\n",
    "\ufeff---\ntitle: T\n---\n# Head\n",
    "\ufeff+++\ntitle = \"T\"\n+++\n# Head\n",
    "\ufeff| a |\n| - |\n",
])
def test_a_byte_order_mark_is_kept_and_is_not_text(tmp_path: Path, text: str) -> None:
    # The mark is no text (as for cmark, goldmark, Pandoc): the project drops it when it reads
    # the article, so no msgid starts with it, and build puts it back at the start of each
    # edition.
    english, chinese = _build(tmp_path, text.encode(), {"Head": "标题", "T": "题", "a": "甲"})
    assert english == text.encode()
    assert chinese.decode().startswith("\ufeff") and chinese.decode().count("\ufeff") == 1
    assert any(word in chinese.decode() for word in ("标题", "甲"))
    template = (tmp_path / "site" / "locales" / "templates" / "a.pot").read_text(encoding="utf-8")
    assert "\ufeff" not in template


def test_the_front_matter_after_a_byte_order_mark_declares_the_language(tmp_path: Path) -> None:
    root = tmp_path / "site"
    _run(root, "init")
    (root / "source" / "a.md").write_bytes("\ufeff---\nlang: fr\n---\n# Tête\n".encode())
    assert Project.load(root).articles()[0].language == "fr"


@pytest.mark.parametrize(("text", "translation", "edition"), [
    ("Para\r\ngraph\r\n", "Un\ndeux", "Un  \r\ndeux\r\n"),
    ("first  \r\nsecond\r\n", "a\nb\nc", "a  \r\nb  \r\nc\r\n"),
    ("> - item\r\n>   more\r\n\r\nafter\r\n", "un\ndeux", "> - un  \r\n>   deux\r\n\r\nafter\r\n"),
    ("old\rmac\r", "a\nb", "a  \rb\r"),
    ("Head\r\n===\r\n", "a\nb", "a  \r\nb\r\n===\r\n"),
    ("# Head\r\n", "a\nb", "# a b\r\n"),
    ("---\r\ntitle: |\r\n  x\r\n  y\r\n---\r\n", "a\nb", "---\r\ntitle: \"a\\nb\"\r\n---\r\n"),
])
def test_translated_lines_end_with_the_source_line_break(text: str, translation: str,
                                                         edition: str) -> None:
    first = _segments(text)[0][2]
    assert md.render(text, {first: translation}.get, options=OPTIONS) == edition
    assert_identity(text)


@SETTINGS
@given(documents())
def test_a_crlf_document_gets_no_bare_line_feed(text: str) -> None:
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    translate = pseudo_for(text)
    edition = md.render(text, lambda m: translate(m) + "\nmore words", options=OPTIONS)
    assert "\n" not in edition.replace("\r\n", "")
    assert "\r" not in edition.replace("\r\n", "")


# --------------------------------------------------------------------------------------------
# 3. Front matter: YAML anchors and aliases; TOML


ANCHORED = "---\ntitle: &t Hello world\nsummary: *t\nog: *t\n---\nBody.\n"


def test_an_anchored_value_is_extracted_once_and_its_aliases_follow_it() -> None:
    assert _segments(ANCHORED) == [(2, "front matter: title", "Hello world"),
                                   (6, "paragraph", "Body.")]
    edition = md.render(ANCHORED, {"Hello world": "Bonjour: le monde"}.get, options=OPTIONS)
    assert edition == ('---\ntitle: &t "Bonjour: le monde"\nsummary: *t\nog: *t\n---\n'
                       "Body.\n")
    assert yaml.safe_load(edition.split("---\n")[1]) == {
        "title": "Bonjour: le monde", "summary": "Bonjour: le monde", "og": "Bonjour: le monde"}
    assert_identity(ANCHORED)


@pytest.mark.parametrize(("text", "msgid", "value"), [
    ("---\ntitle: &t |\n  two\n  lines\nsummary: *t\n---\n", "two\nlines", 'title: &t "X"\n'),
    ("---\ntitle: &t\n  next line\n---\n", "next line", 'title: &t\n  "X"\n'),
    ("---\ntitle: &t 'quoted'\n---\n", "quoted", 'title: &t "X"\n'),
])
def test_anchored_values_in_other_styles(text: str, msgid: str, value: str) -> None:
    assert _segments(text)[0][2] == msgid
    edition = md.render(text, lambda m: "X", options=OPTIONS)
    assert edition.split("---\n")[1].startswith(value)
    assert yaml.safe_load(edition.split("---\n")[1])["title"] == "X"


def test_an_alias_of_an_untranslated_value_is_an_error_at_its_line() -> None:
    text = "---\nname: &n Some name\ntitle: *n\n---\n"
    with pytest.raises(SourceError) as caught:
        md.extract(text, "a.md", options=OPTIONS)
    assert str(caught.value).startswith(
        "a.md:3: front matter `title: *n` is an alias of the value anchored on line 2, which is "
        "not translated")
    # Nothing to translate in it, or a tagged value: left alone as before.
    for text in ("---\nyear: &y '2024'\ntitle: *y\n---\n", "---\ntitle: &t !!str Hi\n---\n"):
        assert _segments(text) == []
        assert_identity(text)


TOML = ('+++\ntitle = "Hello: world"\ndate = 2024-01-01\nlang = "en"\n'
        "summary = '''\nTwo\nlines'''\n\"description\" = 'literal' # comment\n"
        'draft = true\n[params]\ntitle = "nested, not extracted"\n+++\n\n# Body\n')


def test_toml_front_matter_strings_are_extracted_and_written_back() -> None:
    assert _segments(TOML) == [(2, "front matter: title", "Hello: world"),
                               (5, "front matter: summary", "Two\nlines"),
                               (8, "front matter: description", "literal"),
                               (14, "heading 1", "Body")]
    lookup = {"Hello: world": 'Bonjour "monde"\\', "Two\nlines": "Deux\nlignes\t\x01",
              "literal": "littéral", "Body": "Corps"}.get
    edition = md.render(TOML, lookup, options=FormatOptions(language="fr"))
    data = tomllib.loads(edition.split("+++\n")[1])
    assert data == {**tomllib.loads(TOML.split("+++\n")[1]), "title": 'Bonjour "monde"\\',
                    "lang": "fr", "summary": "Deux\nlignes\t\x01", "description": "littéral"}
    assert edition.endswith("+++\n\n# Corps\n")
    assert md.declared_language(TOML, "a.md") == "en" and md.language_line(TOML) == 4
    assert md.declared_language(edition, "a.md") == "fr"
    assert markdown_outline(TOML).front_matter == ("title", "date", "lang", "summary",
                                                   "description", "draft", "params")
    assert_identity(TOML)
    assert_structure(TOML)


@pytest.mark.parametrize("text", [
    "+++\n+++\nBody\n", "+++\r\ntitle = \"T\"\r\n+++\r\nBody\r\n",
    "+++\n# a comment\n[params]\nx = 1\n+++\n", "+++\ntitle = \"a +++ b\"\n+++\n",
])
def test_toml_front_matter_is_never_markdown(text: str) -> None:
    assert not any(kind in ("paragraph", "heading 1", "heading 2") and "+++" in msgid
                   for _, kind, msgid in _segments(text))
    assert all(line > text.count("\n", 0, text.index("+++", 3)) or kind.startswith("front")
               for line, kind, _ in _segments(text))
    assert_identity(text)
    assert_structure(text)


@pytest.mark.parametrize("text", ["+++\n", "+++\nnot toml, just text\n+++\n", "+++ a\n"])
def test_plus_signs_that_are_not_toml_front_matter_stay_markdown(text: str) -> None:
    assert md.front_matter(text) is None
    assert_identity(text)
    assert_structure(text)


def test_malformed_toml_front_matter_is_an_error_at_its_line() -> None:
    with pytest.raises(SourceError) as caught:
        md.extract('+++\ntitle = "ok"\nsummary = "unclosed\n+++\n', "a.md", options=OPTIONS)
    assert str(caught.value).startswith("a.md:3: malformed TOML front matter: ")


@SETTINGS
@given(st.text(st.characters(codec="utf-8"), min_size=1))
def test_any_translated_toml_value_reads_back(value: str) -> None:
    edition = md.render('+++\ntitle = "x"\n+++\n', lambda m: value, options=OPTIONS)
    expected = value.strip() or "x"
    assert tomllib.loads(edition.split("+++\n")[1]) == {"title": expected}


# --------------------------------------------------------------------------------------------
# Through the CLI: what the build publishes

runner = CliRunner()


def _run(root: Path, *args: str) -> str:
    result = runner.invoke(app, ["--root", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _build(tmp_path: Path, source: bytes, translate: dict[str, str]) -> tuple[bytes, bytes]:
    root = tmp_path / "site"
    _run(root, "init")
    (root / "source" / "a.md").write_bytes(source)
    _run(root, "extract")
    _run(root, "update")
    po_path = root / "locales" / "zh" / "a.po"
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = translate.get(entry.msgid, entry.msgid)
    catalog.save()
    _run(root, "build")
    return (root / "build" / "en" / "a.md").read_bytes(), (root / "build" / "zh" / "a.md").read_bytes()


SOURCE = "---\ntitle: T\n---\n## Install {#install}\n\nPara\ngraph.\n"


def test_build_keeps_crlf_and_heading_anchors(tmp_path: Path) -> None:
    source = SOURCE.replace("\n", "\r\n").encode()
    english, chinese = _build(tmp_path, source, {"Install": "安装", "Para graph.": "第一\n第二"})
    assert english == source
    assert chinese.decode().endswith("\r\n---\r\n## 安装 {#install}\r\n\r\n第一  \r\n第二\r\n")
    assert b"\n" not in chinese.replace(b"\r\n", b"")


def test_build_keeps_a_byte_order_mark(tmp_path: Path) -> None:
    source = ("\ufeff" + SOURCE).encode()
    english, chinese = _build(tmp_path, source, {"Install": "安装"})
    assert english == source
    assert chinese.startswith("\ufeff".encode())


_BRACED_NOISE = st.lists(st.sampled_from(
    list("ab中 \n\r\t#=-{}.:\\>") + ["{#id}", "{.c k=v}", "{: #x }", "## ", "+++\n",
                                      "---\n", "title = \"t\"\n", "\r\n", "==="]),
    max_size=40).map("".join)


@SETTINGS
@given(_BRACED_NOISE)
def test_braces_hashes_and_fences_keep_identity_and_structure(text: str) -> None:
    try:
        edition = md.render(text, pseudo_for(md.body_text(text)), options=OPTIONS)
        assert (md.front_matter(text) is None) == (md.front_matter(edition) is None)
        assert_identity(text)
        assert_structure(text)
    except SourceError:
        pass  # malformed front matter is an error, not a rendering


@pytest.mark.parametrize(("text", "translation", "edition"), [
    ("---\nFoo\n---\n", "Titre: x", "---\n&#84;itre: x\n---\n"),
    ("---\n\nFoo\n---\n", "\"Titre\": x", "---\n\n&#34;Titre\": x\n---\n"),
    ("---\nFoo\n---\n", "Titre: x: y", "---\n&#84;itre: x: y\n---\n"),  # malformed YAML
    ("---\nFoo\n---\n", "[x] y", "---\n[x] y\n---\n"),  # no key: no front matter
    ("---\nFoo\n---\n", "Pas une clé", "---\nPas une clé\n---\n"),
])
def test_a_translation_after_a_leading_rule_cannot_make_front_matter(
        text: str, translation: str, edition: str) -> None:
    # Older than these fixes: a translated setext heading right after a leading --- rule could
    # read as a YAML key, and the edition then opened with front matter.
    assert md.render(text, {"Foo": translation}.get, options=OPTIONS) == edition
    assert md.front_matter(edition) is None
    assert element_tree(edition) == element_tree(text)


@pytest.mark.parametrize(("text", "edition"), [
    ("---\nlang: &l en\nog_locale: *l\n---\n", "---\nlang: &l zh\nog_locale: *l\n---\n"),
    ("---\nsite: &s en\nlang: *s\n---\n", '---\nsite: &s en\nlang: "zh"\n---\n'),
])
def test_the_edition_language_keeps_anchors_and_aliases_valid(text: str, edition: str) -> None:
    assert md.render(text, lambda m: None, options=FormatOptions(language="zh")) == edition
    assert md.declared_language(edition, "a.md") == "zh"


# --------------------------------------------------------------------------------------------
# Footnote definitions (GFM, Pandoc, MkDocs): one entry each, the [^label]: marker kept out


def _definitions(text: str) -> list[str]:
    """The labels of the footnote definitions, as markdown-it's footnote plugin reads them."""
    return [t.meta["label"] for t in _FOOTNOTES_IN_PLACE.parse(md.body_text(text))
            if t.type == "footnote_reference_open"]


# CommonMark has no footnotes (to it ``[^1]: Ibid.`` defines a link): the trees of documents with
# footnotes come from markdown-it's footnote plugin, which renders the footnotes referenced.
_FOOTNOTES = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
_FOOTNOTES_IN_PLACE = MarkdownIt("commonmark").enable("table").use(footnote_plugin,
                                                                   move_to_end=False)
_REFERENCES = "See[^1][^2][^note][^w][^a-b][^中].\n\n"


def _footnote_tree(text: str) -> list[tuple[str, ...]]:
    tree = _Tree()
    tree.feed(_FOOTNOTES.render(md.body_text(text)))
    tree.close()
    return tree.events


def _pseudo_keeping_labels(document: str) -> Callable[[str], str]:
    """``pseudo_for``, the labels of footnote references kept (it changes letters in place)."""
    translate = pseudo_for(md.body_text(document))

    def keeping(msgid: str) -> str:
        chars = list(translate(msgid))
        for label in re.finditer(r"\[\^[^\] \t]+\]", msgid):
            chars[label.start():label.end()] = label.group()
        return "".join(chars)
    return keeping


def assert_footnotes_kept(text: str) -> None:
    """Identity; a pseudo-translation renders to the same tree (footnotes and all), its blocks
    extract as the translations of the source's, and every definition is still one."""
    text = _REFERENCES + text
    assert_identity(text)
    segments = md.extract(text, "doc.md", options=OPTIONS)
    translate = _pseudo_keeping_labels(text)
    edition = md.render(text, translate, options=OPTIONS)
    assert _footnote_tree(edition) == _footnote_tree(text)
    again = md.extract(edition, "doc.md", options=OPTIONS)
    assert [(html.unescape(s.msgid), s.kind) for s in again] == \
        [(html.unescape(translate(s.msgid)), s.kind) for s in segments]
    assert _definitions(edition) == _definitions(text)
    # and the definitions found are the footnote plugin's
    assert [t.meta["label"] for t in md.block_tokens(text) if t.type == "footnote_open"] == \
        _definitions(text)


@pytest.mark.parametrize(("text", "segments", "edition"), [
    ("[^1]: The footnote text.\n[^note]: Another note.\n",
     [(1, "footnote", "The footnote text."), (2, "footnote", "Another note.")],
     "[^1]: THE FOOTNOTE TEXT.\n[^note]: ANOTHER NOTE.\n"),
    ("Said[^1].\n\n[^1]: Wrapped\n    indented line\nand a lazy one.\n[^2]: Next.\n",
     [(1, "paragraph", "Said[^1]."), (3, "footnote", "Wrapped indented line and a lazy one."),
      (6, "footnote", "Next.")],
     "SAID[^1].\n\n[^1]: WRAPPED INDENTED LINE AND A LAZY ONE.\n[^2]: NEXT.\n"),
    # a definition interrupts a paragraph, as in GFM and Python-Markdown
    ("Para line\n[^1]:\tNote.\n", [(1, "paragraph", "Para line"), (2, "footnote", "Note.")],
     "PARA LINE\n[^1]:\tNOTE.\n"),
    # one word, a URL, a quoted word: CommonMark would take each for a link reference definition
    ("[^1]: Ibid.\n[^2]: https://example.com/a\n[^w]: Word \"title\"\n",
     [(1, "footnote", "Ibid."), (2, "footnote", "https://example.com/a"),
      (3, "footnote", 'Word "title"')],
     "[^1]: IBID.\n[^2]: HTTPS://EXAMPLE.COM/A\n[^w]: WORD \"TITLE\"\n"),
    ("[^1]:\n    The text is below.\n", [(2, "footnote", "The text is below.")],
     "[^1]:\n    THE TEXT IS BELOW.\n"),
    ("> [^1]: Quoted.\n> [^2]: Twice.\n", [(1, "footnote", "Quoted."), (2, "footnote", "Twice.")],
     "> [^1]: QUOTED.\n> [^2]: TWICE.\n"),
    ("- [^1]: Listed.\n  [^2]: Twice.\n", [(1, "footnote", "Listed."), (2, "footnote", "Twice.")],
     "- [^1]: LISTED.\n  [^2]: TWICE.\n"),
    ("[^中文]: 注释。\n", [(1, "footnote", "注释。")], "[^中文]: 注释。\n"),
    # a definition is a container: more paragraphs indented after a blank line, a list
    ("[^1]: First.\n\n    Second *one*.\n\nAfter.\n",
     [(1, "footnote", "First."), (3, "footnote", "Second *one*."), (5, "paragraph", "After.")],
     "[^1]: FIRST.\n\n    SECOND *ONE*.\n\nAFTER.\n"),
    ("[^1]: The note.\n    - a dash\n", [(1, "footnote", "The note."), (2, "list item", "a dash")],
     "[^1]: THE NOTE.\n    - A DASH\n"),
    ("[^1]: ![A chart](/c.png)\n", [(1, "image alt text", "A chart")],
     "[^1]: ![A CHART](/c.png)\n"),
    # what is no definition: a space in the label, an indented line, a reference, no colon
    ("[^a b]: Not one.\n", [(1, "paragraph", "[^a b]: Not one.")], "[^A B]: NOT ONE.\n"),
    ("Para\n    [^1]: continues it.\n", [(1, "paragraph", "Para [^1]: continues it.")],
     "PARA [^1]: CONTINUES IT.\n"),
    ("See[^1] and [^2].\n", [(1, "paragraph", "See[^1] and [^2].")], "SEE[^1] AND [^2].\n"),
    ("[^1] No colon.\n", [(1, "paragraph", "[^1] No colon.")], "[^1] NO COLON.\n"),
    ("[^1]:\n", [], "[^1]:\n"),
])
def test_each_footnote_definition_is_its_own_entry_without_its_label(
        text: str, segments: list[tuple[int, str, str]], edition: str) -> None:
    assert _segments(text) == segments
    assert md.render(text, _upper, options=OPTIONS) == edition
    assert_footnotes_kept(text)


def test_a_translation_cannot_add_or_break_a_footnote_definition() -> None:
    text = "[^1]: Note.\n\nPara.\n"
    edition = md.render(text, {"Note.": "注释\n[^2]: 不是", "Para.": "[^3]: 不是定义"}.get,
                        options=OPTIONS)
    assert edition == "[^1]: 注释  \n          [^2]: 不是\n\n\\[^3]: 不是定义\n"
    assert _definitions(edition) == ["1"]
    assert [kind for _, kind, _ in _segments(edition)] == ["footnote", "paragraph"]
    # A translation that opens a block after the marker is escaped: still the footnote's text.
    assert md.render("[^1]: Note.\n", {"Note.": "- 列表"}.get, options=OPTIONS) == \
        "[^1]: \\- 列表\n"


_NOTE_TEXTS = st.sampled_from(["The note.", "Ibid.", "A *marked* note with `code`.", "注释。",
                               "https://example.com/x", 'Word "title"', "", "x", "See[^2] too."])
_NOTE_LINES = st.sampled_from(["continued line", "more *text* here", "- a dash", "# a hash",
                               "[^9]: indented", "1. one", "> quote", "中文"])
_NOTE_CONTAINERS = {"": "", "> ": "> ", "- ": "  ", "1. ": "   "}


@st.composite
def _footnote_definitions(draw: st.DrawFn) -> str:
    container = draw(st.sampled_from(sorted(_NOTE_CONTAINERS)))
    inside = _NOTE_CONTAINERS[container]
    lines = []
    for number in range(draw(st.integers(1, 3))):
        label = draw(st.sampled_from(["1", "note", "a-b", "中"]))
        space = draw(st.sampled_from([" ", "  ", "\t", ""]))
        lines.append((inside if number else container) + f"[^{label}]:{space}"
                     + draw(_NOTE_TEXTS))
        for _ in range(draw(st.integers(0, 2))):
            # indented: the definition's; lazy: the paragraph's (either way, the definition's)
            lines.append(inside + draw(st.sampled_from(["    ", "     "])) + draw(_NOTE_LINES))
        if draw(st.integers(0, 3)) == 0:  # a second paragraph: indented after a blank line
            lines.append(inside.rstrip())
            lines.append(inside + "    " + draw(_NOTE_LINES))
    return "\n".join(lines)


@SETTINGS
@given(documents(), _footnote_definitions(), st.sampled_from(["\n\n", "\n"]))
def test_footnote_definitions_keep_identity_structure_and_their_markers(
        document: str, definitions: str, joint: str) -> None:
    if "\r\n" in document:
        definitions = definitions.replace("\n", "\r\n")
        joint = joint.replace("\n", "\r\n")
    tokens = md.block_tokens(document)
    if tokens and tokens[-1].type == "table_close":
        joint += joint  # right after a table, the lines are its rows (their first cell escaped)
    text = document.rstrip("\r\n") + joint + definitions + "\n"
    assert_footnotes_kept(text)
    notes = [s for s in md.extract(text, "a.md", options=OPTIONS) if s.kind == "footnote"]
    assert all(not FOOTNOTE_MARKER.match(s.msgid) for s in notes)


FOOTNOTE_MARKER = re.compile(r"\[\^[^\] \t]+\]:")


def test_a_built_edition_keeps_each_footnote_definition(tmp_path: Path) -> None:
    source = b"Said[^1].\n\n[^1]: The footnote text.\n[^note]: Another note.\n"
    english, chinese = _build(tmp_path, source, {
        "Said[^1].": "说过[^1]。", "The footnote text.": "脚注正文。", "Another note.": "另一条。"})
    assert english == source
    assert chinese == "说过[^1]。\n\n[^1]: 脚注正文。\n[^note]: 另一条。\n".encode()


# --------------------------------------------------------------------------------------------
# HTML blocks are never extracted: extract says so, once per article


@pytest.mark.parametrize(("text", "lines"), [
    ("# T\n\n<div class=\"note\">\nSome *text* here.\n</div>\n", [3]),
    ("<p>One</p>\n\nPara\n\n<p>Two</p>\n", [1, 5]),
    ("---\ntitle: T\n---\n<aside>Aside</aside>\n", [4]),  # line numbers are the file's
    ("> <div>Quoted</div>\n", [1]),
    ("<!-- a comment with words -->\n", []),
    ("<br>\n\n<hr/>\n\n<p>&nbsp;&#8212;</p>\n", []),
    ("<script>\nvar x = 1;\n</script>\n\n<style>p { color: red }</style>\n", []),
    ("<pre>\ncode here\n</pre>\n", []),
    ("Inline <b>HTML</b> is in the paragraph's msgid.\n", []),
    ("```\n<div>fenced</div>\n```\n", []),
])
def test_html_blocks_with_text_are_found_as_untranslated_blocks(text: str, lines: list[int]) -> None:
    assert md.untranslated_blocks(text) == lines


def test_extract_and_sync_say_once_per_article_that_html_blocks_stay_untranslated(
        tmp_path: Path) -> None:
    root = tmp_path / "site"
    _run(root, "init")
    (root / "source" / "a.md").write_text("# A\n\n<div>\nNot *translated*.\n</div>\n\n"
                                          "<!-- no note for a comment -->\n", encoding="utf-8")
    (root / "source" / "b.md").write_text("<p>One</p>\n\nText.\n\n<p>Two</p>\n",
                                          encoding="utf-8")
    (root / "source" / "c.md").write_text("# C\n\n<br>\n", encoding="utf-8")
    notes = [("source/a.md:3: an HTML block is not translated (its text stays in the source "
              "language)"),
             ("source/b.md:1: 2 HTML blocks are not translated (lines 1, 5; their text stays in "
              "the source language)")]
    for _ in range(2):  # written, then unchanged: the same notes
        output = _run(root, "extract").splitlines()
        assert [line for line in output if "HTML" in line] == notes
    first = _run(root, "sync", "--no-mt").splitlines()  # writes catalogs and editions
    assert [line for line in first if "HTML" in line] == notes
    second = _run(root, "sync", "--no-mt").splitlines()  # nothing changed: from sync's record
    assert [line for line in second if "HTML" in line] == notes
    assert _run(root, "sync", "--no-mt").splitlines() == second
    (root / "source" / "a.md").write_text("# A\n\nNo HTML now.\n", encoding="utf-8")
    assert [line for line in _run(root, "extract").splitlines() if "HTML" in line] == notes[1:]


# --------------------------------------------------------------------------------------------
# Inline footnotes (^[text]: Pandoc, markdown-it's footnote plugin): the note is prose of the block
# it is in, in its msgid as written, like any inline markup


_NOTE = "A sentence.^[An inline note with **bold**.] More text."


@pytest.mark.parametrize(("text", "segments"), [
    (_NOTE + "\n", [(1, "paragraph", _NOTE)]),
    ("A note^[that wraps\nover two lines] here.\n",
     [(1, "paragraph", "A note^[that wraps over two lines] here.")]),
    ("- Item^[A note.]\n", [(1, "list item", "Item^[A note.]")]),
    ("> Quote^[See [the docs][d].]\n\n[d]: /docs\n",
     [(1, "block quote", "Quote^[See [the docs][d].]")]),
    ("# Heading^[A note.]\n", [(1, "heading 1", "Heading^[A note.]")]),
    ("Setext^[A note.]\n---\n", [(1, "heading 2", "Setext^[A note.]")]),
    ("| Cell^[A note.] |\n|---|\n| Body^[Another *one*.] |\n",
     [(1, "table cell", "Cell^[A note.]"), (3, "table cell", "Body^[Another *one*.]")]),
    ("Note^[with a [nested] bracket and [^1]].\n\n[^1]: Ibid.\n",
     [(1, "paragraph", "Note^[with a [nested] bracket and [^1]]."), (3, "footnote", "Ibid.")]),
    ("[^1]: A definition^[with its own inline note].\n",
     [(1, "footnote", "A definition^[with its own inline note].")]),
])
def test_an_inline_footnote_stays_in_its_blocks_msgid(
        text: str, segments: list[tuple[int, str, str]]) -> None:
    assert _segments(text) == segments
    assert_footnotes_kept(text)  # identity; the pseudo-translated notes render as notes


def test_a_built_edition_keeps_a_translated_inline_footnote(tmp_path: Path) -> None:
    source = f"{_NOTE}\n".encode()
    english, chinese = _build(tmp_path, source, {_NOTE: "一句话。^[一条带**粗体**的内联注释。]更多文字。"})
    assert english == source
    assert chinese == "一句话。^[一条带**粗体**的内联注释。]更多文字。\n".encode()


def _findings(msgid: str, msgstr: str) -> list[str]:
    context = CheckContext(source_language="en", target_language="zh", format_name="markdown")
    return [str(f) for f in run_checks(msgid, msgstr, context)]


@pytest.mark.parametrize(("msgid", "msgstr"), [
    (_NOTE, "一句话。^[一条带**粗体**的内联注释。]更多文字。"),
    ("Text^[Note.] and more^[Second note.].", "文字^[注释。]和更多^[第二条注释。]。"),
    ("Note^[with a [^1] reference].", "注释^[带一个 [^1] 引用]。"),
    ("Note^[see [the docs][d]].", "注释^[见[文档][d]]。"),
    ("Note^[a [nested] bracket].", "注释^[一个[nested]括号]。"),
    ("Literal \\^[not a note].", "字面 \\^[not a note]。"),
])
def test_a_translated_inline_footnote_is_no_changed_label(msgid: str, msgstr: str) -> None:
    assert _findings(msgid, msgstr) == []


def _notes(source: int, translation: int) -> str:
    return (f"critical: footnotes: inline footnotes ^[…]: {source} in the source, {translation} "
            "in the translation: keep each note as ^[note]")


_RELABELLED = ("critical: references: reference label [d] changed to [e]: keep [d] as written "
               "(the link text may change)")
_NO_STRONG = "functional: emphasis: **strong** spans: 1 in the source, 0 in the translation"
_SIC = ("functional: brackets: [sic] changed: if it is a link reference (a line [sic]: … in the "
        "article), keep [sic] as written")


@pytest.mark.parametrize(("msgid", "msgstr", "expected"), [
    # the note's text is prose, but a label inside it is still a label
    ("Note^[with a [^1] reference].", "注释^[带一个 [^2] 引用]。",
     ["critical: footnotes: footnote [^1] changed to [^2]: keep [^1] as written"]),
    ("Note^[see [the docs][d]].", "注释^[见[文档][e]]。", [_RELABELLED]),
    # a note dropped, or left as bare brackets, is a footnote lost; one added, a footnote gained
    (_NOTE, "一句话。更多文字。", [_notes(1, 0), _NO_STRONG]),
    ("Text^[Note.] more.", "文字[注释。]更多。", [_notes(1, 0)]),
    ("Text [sic] more.", "文字^[sic]更多。", [_notes(0, 1), _SIC]),
])
def test_what_the_checks_find_in_an_inline_footnote(msgid: str, msgstr: str,
                                                    expected: list[str]) -> None:
    assert _findings(msgid, msgstr) == expected


# --------------------------------------------------------------------------------------------
# A pipe is escaped only where a table would take it: in a cell, or in a setext heading's line
# that the table rule would read as a header row above a "---" delimiter row


def _extract_build_extract(text: str, translate: Callable[[str], str | None]) -> tuple[str, str]:
    """The edition, and that the edition's msgids are the translations of the source's."""
    segments = md.extract(text, "a.md", options=OPTIONS)
    edition = md.render(text, translate, options=OPTIONS)
    again = md.extract(edition, "a.md", options=OPTIONS)
    assert [(s.msgid, s.kind) for s in again] == \
        [(translate(s.msgid) or s.msgid, s.kind) for s in segments]
    return edition, "".join(s.msgid for s in again)


_OUTSIDE_TABLES = ["# {}\n", "## {} ##\n", "{}\n===\n", "{}\n---\n", "Line one\n{}\n---\n",
                   "> {}\n> ---\n", "Para {} text.\n", "Para\n{}\ntext.\n"]


# ("a \\| b" above "---" is a table's header row: a cell, whose pipes a translation escapes.)
@pytest.mark.parametrize("text", [
    *(template.format(words) for template in _OUTSIDE_TABLES
      for words in ("a | b", "Use `x|y` or z")),
    *(template.format("a \\| b") for template in _OUTSIDE_TABLES if "---" not in template)])
def test_a_pipe_outside_a_table_round_trips_as_written(text: str) -> None:
    assert "table cell" not in [kind for _, kind, _ in _segments(text)]
    assert_identity(text)
    assert_structure(text)
    _extract_build_extract(text, lambda m: m)  # the identity edition's msgids are the source's
    # a translation holding pipes is written as it is: re-extracted, it is the same msgid
    edition, msgids = _extract_build_extract(text, lambda m: m.upper() + " | x \\| y")
    assert "&#124;" not in edition and "&#124;" not in msgids
    assert element_tree(edition) == element_tree(text.upper())


@pytest.mark.parametrize("translation", ["| a", "a |", "| a |", "a \\| b |", "\\| a"])
def test_a_setext_heading_translation_cannot_become_a_table_header(translation: str) -> None:
    text = "Title\n---\n"
    edition = md.render(text, {"Title": translation}.get, options=OPTIONS)
    assert [t.type for t in md.block_tokens(edition)][:1] == ["heading_open"]
    assert "&#124;" in edition  # the one place a pipe must be a character reference
    # under "===" no table can start: the pipes stay as written
    assert md.render("Title\n===\n", {"Title": translation}.get, options=OPTIONS) == \
        translation + "\n===\n"


@pytest.mark.parametrize("cell", ["a \\| b", "`x\\|y`", "a"])
def test_a_table_cell_with_an_escaped_pipe_round_trips(cell: str) -> None:
    text = f"| Head | Two |\n|---|---|\n| {cell} | z |\n"
    assert_identity(text)
    assert_structure(text)
    _extract_build_extract(text, lambda m: m)
    edition, _ = _extract_build_extract(text, lambda m: m.upper())
    assert element_tree(edition) == element_tree(text.upper())
    # a translation's own pipe is escaped in the cell, and read back as the translation wrote it
    edition = md.render(text, {"Head": "头 | 部"}.get, options=OPTIONS)
    assert edition.startswith("| 头 \\| 部 | Two |\n")
    assert md.extract(edition, "a.md", options=OPTIONS)[0].msgid == "头 \\| 部"


def test_a_built_edition_keeps_pipes_outside_tables_as_written(tmp_path: Path) -> None:
    source = b"a | b\n===\n\n## c | d\n\nPara e | f.\n\n| g \\| h | i |\n|---|---|\n| j | k |\n"
    english, chinese = _build(tmp_path, source, {"a | b": "甲 | 乙", "Para e | f.": "段 戊 | 己。",
                                                 "g \\| h": "庚 | 辛"})
    assert english == source
    assert chinese == ("甲 | 乙\n===\n\n## c | d\n\n段 戊 | 己。\n\n| 庚 \\| 辛 | i |\n|---|---|\n"
                       "| j | k |\n").encode()
    assert [s.msgid for s in md.extract(chinese.decode(), "a.md", options=OPTIONS)] == \
        ["甲 | 乙", "c | d", "段 戊 | 己。", "庚 \\| 辛", "i", "j", "k"]
