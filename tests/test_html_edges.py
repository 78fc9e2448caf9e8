"""HTML edge cases a QA pass found: HTML5 void elements libxml2 does not know, controls, labels
and embeds in running text, button labels, lines of runs under <body>, byte-order marks, what the
fallback serializer keeps, the edition's language metadata (og:locale, content-language),
entities a translator mistyped, inline elements left open before a block, the direction
(dir="rtl") of an edition in a right-to-left language, and stray end tags libxml2 ignores."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_html import pseudo, skeleton
from typer.testing import CliRunner

from l10n.checks import CheckContext, run_checks
from l10n.cli import app
from l10n.formats import FormatOptions, html_tokens
from l10n.formats import html as fmt
from l10n.formats.html_markup import entity_problems
from l10n.formats.html_splice import shape
from l10n.formats.html_tokens import parser_text

OPTIONS = FormatOptions()


def msgids(text: str) -> list[str]:
    return [s.msgid for s in fmt.extract(text, "source/x.html", options=OPTIONS)]


def upper(msgid: str) -> str:
    """Every letter outside placeholder tags and entities in upper case."""
    import re

    return "".join(p if p[:1] in "<&" else p.upper() for p in re.split(r"(<[^>]+>|&\w+;)", msgid))


def tree(text: str) -> tuple[list[tuple[object, ...]], list[int]]:
    """``skeleton``, and each node's number of children as the format reads the text (HTML's
    implied end tags included): two nestings of the same tags differ."""
    root = html_tokens.parse(text, etree.HTMLParser(no_network=True))
    return skeleton(text), [len(node) for node in root.iter()]


@pytest.fixture
def no_fallback(caplog: pytest.LogCaptureFixture):
    with caplog.at_level(logging.WARNING, logger="l10n.formats.html"):
        yield
    assert not [r for r in caplog.records if r.name == "l10n.formats.html"], caplog.text


# ---------------------------------------------------------------- HTML5 void elements

PAGE = "<!DOCTYPE html>\n<html lang=\"en\">\n<body>\n{}\n</body>\n</html>\n"


@pytest.mark.parametrize(("body", "expected"), [
    ("<p>Before<wbr>After</p>", ["Before<wbr1/>After"]),
    ("<p>Before<WBR>After and <wbr/>more</p>", ["Before<wbr1/>After and <wbr2/>more"]),
    ("<p>See <embed src=x.swf> here.</p>", ["See <embed1/> here."]),
    ("<video><source src=a.mp4><track src=t.vtt>Your browser cannot play it.</video>", []),
    ("<p>a<wbr>b<p>c</p>", ["a<wbr1/>b", "c"]),
    ("<script>x = '<wbr>';</script><p>Text</p>", ["Text"]),
])
def test_every_html5_void_element_is_void(body: str, expected: list[str],
                                          no_fallback: None) -> None:
    text = PAGE.format(body)
    assert msgids(text) == expected
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    edition = fmt.render(text, upper, options=OPTIONS)
    assert "</wbr>" not in edition and "</embed>" not in edition
    assert msgids(edition) == [upper(m) for m in expected]


def test_wbr_translation_is_spliced_byte_for_byte(no_fallback: None) -> None:
    text = PAGE.format("<p>Before<wbr>After</p>\n<p class=x>Other  text</p>")
    edition = fmt.render(text, {"Before<wbr1/>After": "Avant<wbr1/>Après"}.get, options=OPTIONS)
    assert edition == text.replace("Before<wbr>After", "Avant<wbr>Après")


# ---------------------------------------------------------------- the fallback serializer

# ``<li>`` ends the ``<h2>`` (libxml2's table of start tags), so ``</h2>`` is a stray end tag the
# tag matcher does not know for one: the edition falls back rather than lose it.
BROKEN = "<html><body><h2>Hi <li>Hello </h2>world</li><p>See <em>this</em></p></body></html>\n"


def test_fallback_keeps_the_final_newline_and_names_the_line(
        caplog: pytest.LogCaptureFixture) -> None:
    lookup = {"Hello world": "Bonjour", "See <em1>this</em1>": "Voir <em1>ceci</em1>"}.get
    with caplog.at_level(logging.WARNING, logger="l10n.formats.html"):
        edition = fmt.render(text := BROKEN, lookup, options=OPTIONS)
    assert edition == "<html><body><h2>Hi </h2><li>Bonjour</li><p>Voir <em>ceci</em></p></body></html>\n"
    assert "line 1: HTML source positions could not be matched" in caplog.text
    rendered = fmt.render_checked(text, lookup, options=OPTIONS, path="source/x.html")
    assert rendered.text == edition
    note = ("source/x.html:1: HTML source positions could not be matched; the edition is "
            "re-serialized (byte fidelity lost outside the translated text)")
    assert rendered.notes == (note,)
    clean = fmt.render_checked(PAGE.format("<p>Fine</p>"), upper, options=OPTIONS,
                               path="source/y.html")
    assert clean.notes == () and "<p>FINE</p>" in clean.text


def test_build_names_the_article_whose_edition_was_re_serialized(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "site"
    runner = CliRunner()
    assert runner.invoke(app, ["--root", str(root), "init"]).exit_code == 0
    (root / "source" / "broken.html").write_text(BROKEN, encoding="utf-8")
    assert runner.invoke(app, ["--root", str(root), "sync", "--no-mt"]).exit_code == 0
    po = root / "locales" / "zh" / "broken.po"
    catalog = polib.pofile(str(po))
    for entry in catalog:
        entry.msgstr = "译" + entry.msgid
    catalog.save()
    result = runner.invoke(app, ["--root", str(root), "build"])
    assert result.exit_code == 0, result.output
    assert ("source/broken.html:1: HTML source positions could not be matched; the edition is "
            "re-serialized (byte fidelity lost outside the translated text)") in result.output
    assert capfd.readouterr().err == ""       # the library itself prints nothing


def test_fallback_keeps_wbr_void() -> None:
    text = "<html><body><h2>Hi <li>Hello </h2>wor<wbr>ld</li></body></html>\n"
    edition = fmt.render(text, {"Hello wor<wbr1/>ld": "Bon<wbr1/>jour"}.get, options=OPTIONS)
    assert edition == "<html><body><h2>Hi </h2><li>Bon<wbr>jour</li></body></html>\n"


# ---------------------------------------------------------------- controls in running text

@pytest.mark.parametrize(("body", "expected"), [
    ("<p>Text with <button>Click me</button> inside a sentence.</p>",
     ["Text with <button1>Click me</button1> inside a sentence."]),
    ("<p><em>Press</em> <button type=button>OK</button></p>",
     ["<em1>Press</em1> <button2>OK</button2>"]),
    # Standing alone (a toolbar, a form's submit button) each button is its own text.
    ("<div><button>OK</button> <button>Cancel</button></div>", ["OK", "Cancel"]),
    ("<form><input placeholder=\"Type\">\n<button type=submit>Go</button></form>",
     ["Type", "Go"]),
    # A select's options are separate texts: the select stays a boundary.
    ("<p>Show <select><option>ten</option><option>all</option></select> rows</p>",
     ["Show", "ten", "all", "rows"]),
    ("<p>Fill <input name=n> in, then <input type=submit value=\"Send it\"> now.</p>",
     ["Fill <input1/> in, then <input2/> now.", "Send it"]),
    # Labels: inside a sentence like a button; a block of its own otherwise.
    ("<p>Tick <label><input type=checkbox> this box</label> to agree.</p>",
     ["Tick <label1><input2/> this box</label1> to agree."]),
    ("<p>Enter your <label for=n>full name</label> here: <input id=n></p>",
     ["Enter your <label1>full name</label1> here: <input2/>"]),
    ("<p><label for=a>Accept</label> <em>all</em> cookies</p>",
     ["<label1>Accept</label1> <em2>all</em2> cookies"]),
    # A block of its own: straight in a form, alone in a div, one per line of a list.
    ("<form><label for=n>Name</label> <input id=n placeholder=\"Your name\"></form>",
     ["Name", "Your name"]),
    ("<div><label>Email</label><br><label>Password</label></div>", ["Email", "Password"]),
    ("<ul><li><label><input type=radio name=r> One</label></li>\n"
     + "<li><label><input type=radio name=r> Two</label></li></ul>",
     ["<input1/> One", "<input1/> Two"]),
])
def test_controls_inside_a_sentence_keep_it_one_msgid(body: str, expected: list[str],
                                                        no_fallback: None) -> None:
    text = PAGE.format(body)
    assert msgids(text) == expected
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    edition = fmt.render(text, upper, options=OPTIONS)
    assert msgids(edition) == [upper(m) for m in expected]


@pytest.mark.parametrize("kind", ["submit", "button", "reset", "SUBMIT"])
def test_the_value_of_a_button_input_is_extracted(kind: str, no_fallback: None) -> None:
    text = PAGE.format(f"<form><input type={kind} value=\"Send now\"><input value=typed></form>")
    segments = fmt.extract(text, "source/x.html", options=OPTIONS)
    assert [(s.msgid, s.kind, s.line) for s in segments] == \
        [("Send now", "body/form/input@value", 4)]
    edition = fmt.render(text, {"Send now": "Envoyer"}.get, options=OPTIONS)
    assert edition == text.replace('value="Send now"', 'value="Envoyer"')


# ---------------------------------------------------------------- lines

def test_a_run_after_a_block_gets_the_line_its_text_starts_on() -> None:
    text = ("<!DOCTYPE html>\n<html><body><form><input placeholder=\"Search\"></form>\n"
            "\n\n\n\n<img src=a.png alt=\"A picture\"> <a href=/x>Link\ntext</a>\n"
            "<div>Block</div>\n\n  Loose text after\n</body></html>\n")
    lines = {s.msgid: s.line for s in fmt.extract(text, "source/x.html", options=OPTIONS)}
    assert lines == {"Search": 2, "<img1/> <a2>Link text</a2>": 7, "A picture": 7,
                     "Block": 9, "Loose text after": 11}


# ---------------------------------------------------------------- byte-order mark

@pytest.mark.parametrize("text", [
    "\ufeff<!DOCTYPE html>\n<html><body><p>Hi <b>there</b></p></body></html>\n",
    "\ufeff<p>Fragment</p>\n",
])
def test_a_byte_order_mark_is_kept_and_is_not_text(tmp_path: Path, text: str) -> None:
    # The project drops the mark when it reads the article (no msgid starts with it, the format
    # never sees it); build puts it back at the start of each edition.
    root = tmp_path / "site"
    runner = CliRunner()
    assert runner.invoke(app, ["--root", str(root), "init"]).exit_code == 0
    (root / "source" / "a.html").write_bytes(text.encode())
    for command in ("extract", "update"):
        assert runner.invoke(app, ["--root", str(root), command]).exit_code == 0
    assert "\ufeff" not in (root / "locales" / "templates" / "a.pot").read_text(encoding="utf-8")
    po_path = root / "locales" / "zh" / "a.po"
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = upper(entry.msgid)
    catalog.save()
    assert runner.invoke(app, ["--root", str(root), "build"]).exit_code == 0
    assert (root / "build" / "en" / "a.html").read_bytes() == text.encode()
    chinese = (root / "build" / "zh" / "a.html").read_text(encoding="utf-8")
    assert chinese == "\ufeff" + fmt.render(text[1:], upper,
                                            options=FormatOptions(language="zh"))


# ---------------------------------------------------------------- invisible characters

def test_invisible_spaces_are_entities_in_msgids(no_fallback: None) -> None:
    text = PAGE.format("<p>1&nbsp;000 km, 5&#8239;% and 7\u00a0days, co&shy;operate "
                       "zero\u200bwidth, \u200dkept</p>\n<p title=\"a&nbsp;b\">x</p>")
    assert msgids(text) == [
        "1&nbsp;000 km, 5&#8239;% and 7&nbsp;days, co&shy;operate zero&#8203;width, \u200dkept",
        "a&nbsp;b", "x"]
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    edition = fmt.render(text, upper, options=OPTIONS)
    assert "<p>1&nbsp;000 KM, 5&#8239;% AND 7&nbsp;DAYS, CO&shy;OPERATE ZERO&#8203;WIDTH" in edition
    assert 'title="A\u00a0B"' in edition


# ---------------------------------------------------------------- generated sentences

PIECES = ["Some words", " ", "&nbsp;", "<wbr>", "<WBR/>", "<button>Press</button>",
          "<input type=submit value='Go on'>", "<embed src=e>", "<code>a &lt; b</code>",
          "<em>x</em>", "\n", "<br>", "<source src=s>", "<label><input type=checkbox> Pick</label>"]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=8).map("".join),
                min_size=1, max_size=4), page=st.booleans())
def test_generated_sentences_round_trip(paragraphs: list[str], page: bool,
                                        no_fallback: None) -> None:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    text = PAGE.format(body) if page else body + "\n"
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    before = msgids(text)
    edition = fmt.render(text, upper, options=OPTIONS)
    assert msgids(edition) == [upper(m) for m in before]
    assert "</wbr>" not in edition and "</source>" not in edition


# ---------------------------------------------------------------- the edition's language metadata

HEAD = ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
        "<meta property=\"og:locale\" content=\"en_US\">\n"
        "<meta HTTP-EQUIV='Content-Language' content='en' >\n"
        "<meta property=\"og:title\" content=\"A title\">\n"
        "</head>\n<body><p>Text</p></body>\n</html>\n")


@pytest.mark.parametrize(("language", "og", "http"), [
    ("zh", "zh_CN", "zh"),              # no territory: CLDR's likely one
    ("zh_Hant", "zh_TW", "zh-Hant"),
    ("zh_TW", "zh_TW", "zh-TW"),
    ("pt_PT", "pt_PT", "pt-PT"),
    ("de", "de_DE", "de"),
])
def test_og_locale_and_content_language_follow_the_edition(language: str, og: str, http: str,
                                                           no_fallback: None) -> None:
    def identity(msgid: str) -> str:
        return msgid

    edition = fmt.render(HEAD, identity, options=FormatOptions(language=language))
    code = language.replace("_", "-")
    assert edition == (HEAD.replace('lang="en"', f'lang="{code}"')
                       .replace('content="en_US"', f'content="{og}"')
                       .replace("content='en'", f"content='{http}'"))
    assert fmt.render(edition, identity, options=FormatOptions(language=language)) == edition


@pytest.mark.parametrize(("og", "language"), [
    ("en_US", "en"), ("en_US", "en_US"), ("en_GB", "en"), ("en-gb", "en_GB"), ("zh_CN", "zh_Hans"),
])
def test_the_metadata_of_the_article_s_own_language_is_kept(og: str, language: str) -> None:
    # A value that already names the edition's language (en_GB is English) stays as written.
    text = HEAD.replace('lang="en"', f'lang="{language.replace("_", "-")}"').replace("en_US", og)
    text = text.replace("content='en'", f"content='{language.replace('_', '-')}'")
    assert fmt.render(text, lambda m: m, options=FormatOptions(language=language)) == text


def test_metadata_is_translated_with_the_text_and_never_added(no_fallback: None) -> None:
    edition = fmt.render(HEAD, {"A title": "标题", "Text": "文本"}.get,
                         options=FormatOptions(language="zh"))
    assert '<meta property="og:locale" content="zh_CN">' in edition
    assert '<meta property="og:title" content="标题">' in edition and "<p>文本</p>" in edition
    bare = PAGE.format("<p>Text</p>")
    edition = fmt.render(bare, lambda m: m, options=FormatOptions(language="zh"))
    assert edition == bare.replace('lang="en"', 'lang="zh"')
    assert "og:locale" not in edition and "content-language" not in edition.lower()
    fragment = '<meta property="og:locale" content="en_US">\n<p>Text</p>\n'
    assert fmt.render(fragment, lambda m: m, options=FormatOptions(language="zh")) == \
        fragment.replace("en_US", "zh_CN")
    assert msgids(HEAD) == ["A title", "Text"]   # the language is no text to translate


# ---------------------------------------------------------------- entities a translator mistyped

@pytest.mark.parametrize(("msgstr", "expected"), [
    ("1&nbps;000 公里", ["unknown entity &nbps; (did you mean &nbsp;?)"]),
    ("&copy 2024 &copy 2025", ["entity &copy lacks its ';'"]),
    ("&#169 x", ["entity &#169 lacks its ';'"]),
    ("&zzqx; and &nbsp;", ["unknown entity &zzqx;"]),
    ("AT&T, R&D, a & b, &amp;nbps; &nbsp; &#169; &#xA9; &lt;", []),
])
def test_entities_html_does_not_know_are_named(msgstr: str, expected: list[str]) -> None:
    assert entity_problems("1&nbsp;000 km", msgstr) == expected


def test_an_entity_the_msgid_holds_as_written_is_no_problem() -> None:
    assert entity_problems("Say &amp;nbps; to &copy", "说 &amp;nbps; 给 &copy") == []


def test_the_edition_names_the_block_with_an_unknown_entity(no_fallback: None) -> None:
    text = PAGE.format("<p>Fine</p>\n<p>1&nbsp;000 km</p>\n<p title=\"&copy; me\">x</p>")
    lookup = {"1&nbsp;000 km": "1&nbps;000 公里", "© me": "&copy 我", "Fine": "好"}.get
    rendered = fmt.render_checked(text, lookup, options=OPTIONS, path="source/x.html")
    # Shown as written, as a browser would show it had the source held it.
    assert "<p>1&amp;nbps;000 公里</p>" in rendered.text and 'title="© 我"' in rendered.text
    assert rendered.notes == (
        ("source/x.html:5: the translation of '1&nbsp;000 km': unknown entity &nbps; "
         "(did you mean &nbsp;?); the edition shows it as written"),
        ("source/x.html:6: the translation of '© me': entity &copy lacks its ';'; "
         "the edition shows it as written"))


def test_review_flags_an_unknown_entity_as_functional() -> None:
    context = CheckContext(format_name="html")
    findings = run_checks("1&nbsp;000 km", "1&nbps;000 公里", context)
    assert [str(f) for f in findings if f.check == "entities"] == [
        ("functional: entities: unknown entity &nbps; (did you mean &nbsp;?): write a known "
         "entity, or &amp; for a literal &")]
    assert [f for f in run_checks("1&nbsp;000 km", "1&nbsp;000 公里", context)
            if f.check == "entities"] == []
    assert [f for f in run_checks("1 000 km", "1&nbps;000 公里", CheckContext())
            if f.check == "entities"] == []     # Markdown articles: not this check's business


def test_build_and_check_name_the_entry_with_an_unknown_entity(tmp_path: Path) -> None:
    root = tmp_path / "site"
    runner = CliRunner()
    assert runner.invoke(app, ["--root", str(root), "init"]).exit_code == 0
    (root / "source" / "units.html").write_text(
        PAGE.format("<p>1&nbsp;000 km</p>"), encoding="utf-8")
    assert runner.invoke(app, ["--root", str(root), "sync", "--no-mt"]).exit_code == 0
    po = root / "locales" / "zh" / "units.po"
    catalog = polib.pofile(str(po))
    catalog.find("1&nbsp;000 km").msgstr = "1&nbps;000 公里"
    catalog.save()
    checked = runner.invoke(app, ["--root", str(root), "check"])
    assert "unknown entity &nbps; (did you mean &nbsp;?)" in checked.output, checked.output
    built = runner.invoke(app, ["--root", str(root), "build"])
    assert built.exit_code == 0, built.output
    assert ("source/units.html:4: the translation of '1&nbsp;000 km': unknown entity &nbps; "
            "(did you mean &nbsp;?); the edition shows it as written") in built.output
    edition = (root / "build" / "zh" / "units.html").read_text(encoding="utf-8")
    assert "<p>1&amp;nbps;000 公里</p>" in edition and '<html lang="zh">' in edition


# ---------------------------------------------------------------- formatting left open

# An inline element left open before a block. A browser ends the paragraph there (and carries
# the formatting on into the text that follows); libxml2 does so for <b> and <i> but nests the
# rest of the document inside an open <em>, <strong>, <a>, <span>…, which split the sentence.
# The edition must not end the element with an end tag the source did not have either: the
# next paragraph would lose the formatting a browser carries into it.
OPEN_BOLD = [
    "<p>Some <b>bold text\n<p>Next paragraph</p>\n",
    PAGE.format("<p>Some <b>bold text\n<p>Next paragraph</p>"),
    "<p>Some <i>italic text</p>\n<p>Next <em>paragraph</p>\n<div>After</div>\n",
    "<p>Some <b><em>strong text\n<p>Next</p>\n",
    "<p>Some <em>open text\n<p>Next paragraph</p>\n<div>Div</div>\n",
    PAGE.format("<p>See <a href=x>the link\n<p>Next <strong>one\n<h2>Head</h2>\n<p>Last"),
    "<ul><li>One <em>open\n<li>Two <span>more</ul>\n",
    "<table><tr><td>A <a href=x>link<td>B <code>c</table>\n",
    "<dl><dt>Term <em>open<dd>Definition</dl>\n",
    "<p>Some <b>b <em>x<!-- c -->\n<p>N <em>y<p>O</p>\n",
]


@pytest.mark.parametrize(("text", "expected"), [
    (OPEN_BOLD[0], ["Some <b1>bold text </b1>", "Next paragraph"]),
    (OPEN_BOLD[4], ["Some <em1>open text </em1>", "Next paragraph", "Div"]),
    (OPEN_BOLD[5], ["See <a1>the link </a1>", "Next <strong1>one </strong1>", "Head", "Last"]),
    (OPEN_BOLD[6], ["One <em1>open </em1>", "Two <span1>more</span1>"]),
    (OPEN_BOLD[7], ["A <a1>link</a1>", "B <code1>c</code1>"]),
    (OPEN_BOLD[8], ["Term <em1>open</em1>", "Definition"]),
    (OPEN_BOLD[9], ["Some <b1>b <em2>x<comment3/> </em2></b1>", "N <em1>y</em1>", "O"]),
])
def test_formatting_left_open_ends_with_its_block(text: str, expected: list[str]) -> None:
    assert msgids(text) == expected


@pytest.mark.parametrize("text", OPEN_BOLD)
def test_formatting_left_open_keeps_its_tree_and_bytes(text: str, no_fallback: None) -> None:
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    assert fmt.render(text, lambda m: m, options=FormatOptions(language="en")) == text
    edition = fmt.render(text, pseudo, options=OPTIONS)
    assert tree(edition) == tree(text)
    assert msgids(edition) == [pseudo(m) for m in msgids(text)]


@pytest.mark.parametrize(("text", "lookup", "expected"), [
    (OPEN_BOLD[0], {"Some <b1>bold text </b1>": "一些<b1>粗体文字</b1>"},
     "<p>一些<b>粗体文字<p>Next paragraph</p>\n"),
    (OPEN_BOLD[2], {"Some <i1>italic text</i1>": "一些<i1>斜体</i1>",
                    "Next <em1>paragraph</em1>": "<em1>下一</em1>段"},
     "<p>一些<i>斜体</p>\n<p><em>下一</em>段</p>\n<div>After</div>\n"),
    (OPEN_BOLD[3], {"Some <b1><em2>strong text </em2></b1>": "一些<b1><em2>强调 </em2></b1>"},
     "<p>一些<b><em>强调 <p>Next</p>\n"),
    (OPEN_BOLD[4], {"Some <em1>open text </em1>": "<em1>开放</em1>文本"},
     "<p><em>开放</em>文本<p>Next paragraph</p>\n<div>Div</div>\n"),
    (OPEN_BOLD[7], {"A <a1>link</a1>": "甲<a1>链接</a1>", "B <code1>c</code1>": "乙<code1>c</code1>"},
     "<table><tr><td>甲<a href=x>链接<td>乙<code>c</table>\n"),
])
def test_no_end_tag_the_source_did_not_have(text: str, lookup: dict[str, str], expected: str,
                                            no_fallback: None) -> None:
    assert msgids(text)[0] in lookup          # the msgids are what the lookups say
    edition = fmt.render(text, lookup.get, options=OPTIONS)
    assert edition == expected
    assert tree(edition) == tree(text)


SOUP = ["Words here", " ", "\n", "<em>", "<b>", "<a href=x>", "<span>", "<strong>", "</em>",
        "<p>", "</p>", "<div>", "</div>", "<li>", "<!-- c -->", "<br>", "<code>x</code>"]


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=st.lists(st.sampled_from(SOUP), min_size=1, max_size=14), page=st.booleans())
def test_generated_open_formatting_round_trips(pieces: list[str], page: bool,
                                               no_fallback: None) -> None:
    body = "<p>" + "".join(pieces)
    text = PAGE.format(body) if page else body + "\n"
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    edition = fmt.render(text, pseudo, options=OPTIONS)
    assert skeleton(edition) == skeleton(text)
    assert msgids(edition) == [pseudo(m) for m in msgids(text)]


# ---------------------------------------------------------------- right-to-left editions

def page(html_tag: str) -> str:
    return f"<!DOCTYPE html>\n{html_tag}\n<head><title>Title</title></head>\n" \
        "<body><p>Text</p></body>\n</html>\n"


@pytest.mark.parametrize(("source", "language", "edition"), [
    # A right-to-left edition says so, right after its lang.
    ('<html lang="en">', "ar", '<html lang="ar" dir="rtl">'),
    ("<html lang=en class='page'>", "he", "<html lang=\"he\" dir=\"rtl\" class='page'>"),
    ('<html class="page" xml:lang="en" lang="en">', "ar_EG",
     '<html class="page" xml:lang="ar-EG" lang="ar-EG" dir="rtl">'),
    ('<html>', "fa", '<html lang="fa" dir="rtl">'),
    ('<html dir="ltr" lang="en">', "ur", '<html dir="rtl" lang="ur">'),
    ("<html DIR='auto' lang=en>", "ar", "<html DIR='rtl' lang=\"ar\">"),
    ('<html lang="he" dir=RTL>', "ar", '<html lang="ar" dir=RTL>'),       # already right to left
    ('<html lang="ar" dir="rtl">', "ar", '<html lang="ar" dir="rtl">'),
    ('<html lang="ar">', "ar", '<html lang="ar" dir="rtl">'),             # the source forgot it
    # A left-to-right edition of a right-to-left source turns it round.
    ('<html lang="ar" dir="rtl">', "en", '<html lang="en" dir="ltr">'),
    ('<html dir="rtl" lang="he">', "zh_Hant", '<html dir="ltr" lang="zh-Hant">'),
    # Nothing added where nothing says right to left.
    ('<html lang="en">', "en", '<html lang="en">'),
    ('<html lang="en">', "zh", '<html lang="zh">'),
    ('<html lang="en" dir="auto">', "de", '<html lang="de" dir="auto">'),
    ('<html lang="ar" dir="ltr">', "en", '<html lang="en" dir="ltr">'),
])
def test_the_edition_s_direction_follows_its_language(source: str, language: str, edition: str,
                                                      no_fallback: None) -> None:
    text = page(source)
    options = FormatOptions(language=language)
    rendered = fmt.render(text, lambda m: m, options=options)
    assert rendered == page(edition)
    assert fmt.render(rendered, lambda m: m, options=options) == rendered
    translated = fmt.render(text, {"Title": "عنوان", "Text": "نص"}.get, options=options)
    assert translated == page(edition).replace(">Title<", ">عنوان<").replace(">Text<", ">نص<")
    assert tree(fmt.render_tree(text, lambda m: m, options=options)) == tree(rendered)


def test_a_fragment_gets_no_direction_and_an_identity_build_stays_as_it_was(
        no_fallback: None) -> None:
    fragment = "<p dir=\"rtl\">Text</p>\n"
    for language in ("ar", "en"):
        assert fmt.render(fragment, lambda m: m, options=FormatOptions(language=language)) == \
            fragment
    for text in [*OPEN_BOLD, HEAD, PAGE.format("<p>Text</p>")]:
        assert fmt.render(text, lambda m: m, options=FormatOptions(language="en")) == text


def test_the_re_serialized_edition_says_right_to_left_too(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="l10n.formats.html"):
        edition = fmt.render(BROKEN, upper, options=FormatOptions(language="ar"))
    assert "could not be matched" in caplog.text          # the fallback made this edition
    assert edition.startswith('<html lang="ar" dir="rtl"><body>')


def test_build_writes_an_arabic_edition_right_to_left(tmp_path: Path) -> None:
    root = tmp_path / "site"
    runner = CliRunner()
    assert runner.invoke(app, ["--root", str(root), "init", "--languages", "en,ar"]).exit_code == 0
    source = page('<html lang="en">')
    (root / "source" / "hello.html").write_text(source, encoding="utf-8")
    assert runner.invoke(app, ["--root", str(root), "sync", "--no-mt"]).exit_code == 0
    catalog = polib.pofile(str(root / "locales" / "ar" / "hello.po"))
    catalog.find("Title").msgstr, catalog.find("Text").msgstr = "عنوان", "نص"
    catalog.save()
    built = runner.invoke(app, ["--root", str(root), "build"])
    assert built.exit_code == 0, built.output
    arabic = (root / "build" / "ar" / "hello.html").read_text(encoding="utf-8")
    assert arabic == page('<html lang="ar" dir="rtl">').replace(">Title<", ">عنوان<") \
        .replace(">Text<", ">نص<")
    english = root / "build" / "en" / "hello.html"
    assert english.read_text(encoding="utf-8") == source


TREE_SOUP = [*SOUP, "<b>", "<i>", "</b>", "</span>", "<label>", "<button>", "<td>", "<tr>",
             "<table>", "</table>", "<dt>", "<dd>", "<dl>", "<ul>", "</li>", "<h2>", "<hr>",
             "<blockquote>", "<wbr>", "<section>", "</a>", "<font>", "<q>"]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(TREE_SOUP), min_size=1, max_size=16))
def test_the_text_libxml2_reads_is_rewritten_only_where_that_changes_the_tree(
        pieces: list[str]) -> None:
    # html_tokens.parse rewrites the text only when libxml2's own tree shows the need; the
    # tree must be the one the rewritten text always gives.
    text = "<p>" + "".join(pieces) + "\n"
    parser = etree.HTMLParser(no_network=True, default_doctype=False, remove_comments=False)
    always = etree.fromstring(parser_text(text), parser).getroottree()
    assert shape(html_tokens.parse(text, parser).getroottree()) == shape(always)


# ---------------------------------------------------------------- lang and dir inside the page

ELEMENTS = ('<!DOCTYPE html>\n<html lang="en">\n<body dir="ltr">\n'
            '<p dir="ltr" lang="en">Hello world</p>\n'
            '<pre dir="ltr">print(1)</pre>\n'
            '<p>Say <span lang="fr">bonjour</span> <code dir="ltr" lang="en">x</code></p>\n'
            "</body>\n</html>\n")


def test_elements_that_say_the_source_s_language_or_direction_say_the_edition_s() -> None:
    arabic = fmt.render(ELEMENTS, upper, options=FormatOptions(language="ar"))
    assert arabic == ELEMENTS.replace('<html lang="en">', '<html lang="ar" dir="rtl">').replace(
        '<body dir="ltr">', '<body dir="rtl">').replace(
        '<p dir="ltr" lang="en">Hello world', '<p dir="rtl" lang="ar">HELLO WORLD').replace(
        "Say <span", "SAY <span").replace(">bonjour<", ">BONJOUR<").replace(">x<", ">X<")
    # Code stays left to right and says what it is; a French phrase stays French.
    assert '<pre dir="ltr">' in arabic and '<code dir="ltr" lang="en">' in arabic
    chinese = fmt.render(ELEMENTS, upper, options=FormatOptions(language="zh"))
    assert '<p dir="ltr" lang="zh">HELLO WORLD' in chinese and '<body dir="ltr">' in chinese
    assert fmt.render(ELEMENTS, lambda m: m, options=FormatOptions(language="en")) == ELEMENTS


# ---------------------------------------------------------------- untranslated text keeps its language

PARTIAL = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Rivers</title>\n</head>\n<body>\n'
           '<h1>Rivers</h1>\n<p>The river is long.</p>\n<p>It floods in May.</p>\n'
           '<div lang="en">\n<p>Quoted one.</p>\n<p>Quoted two.</p>\n</div>\n'
           '<ul>\n<li>First <em>item</em></li>\n<li>Second item</li>\n</ul>\n'
           '</body>\n</html>\n')
HALF = {"Rivers": "河流", "The river is long.": "河很长。", "Quoted one.": "引文一。",
        "First <em1>item</em1>": "第一<em1>项</em1>"}.get


def test_a_block_left_untranslated_stays_labelled_in_the_source_s_language(
        no_fallback: None) -> None:
    # <html lang> names the edition; each element holding only untranslated blocks says "en"
    # (W3C: mark a change of language on an element around the text), and <div lang="en">,
    # which holds one untranslated paragraph, keeps "en": its translated paragraph says "zh".
    assert fmt.render(PARTIAL, HALF, options=FormatOptions(language="zh")) == (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<title>河流</title>\n</head>\n<body>\n'
        '<h1>河流</h1>\n<p>河很长。</p>\n<p lang="en">It floods in May.</p>\n'
        '<div lang="en">\n<p lang="zh">引文一。</p>\n<p>Quoted two.</p>\n</div>\n'
        '<ul>\n<li>第一<em>项</em></li>\n<li lang="en">Second item</li>\n</ul>\n'
        '</body>\n</html>\n')


def test_untranslated_text_keeps_its_direction_in_a_right_to_left_edition(
        no_fallback: None) -> None:
    assert fmt.render(PARTIAL, HALF, options=FormatOptions(language="ar")) == (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<title>河流</title>\n</head>\n'
        '<body>\n<h1>河流</h1>\n<p>河很长。</p>\n<p lang="en" dir="ltr">It floods in May.</p>\n'
        '<div lang="en" dir="ltr">\n<p lang="ar" dir="rtl">引文一。</p>\n<p>Quoted two.</p>\n'
        '</div>\n<ul>\n<li>第一<em>项</em></li>\n<li lang="en" dir="ltr">Second item</li>\n'
        '</ul>\n</body>\n</html>\n')


def test_an_element_that_says_the_source_s_language_is_relabelled_only_when_all_translated(
        no_fallback: None) -> None:
    text = PAGE.format('<blockquote lang="en" dir="ltr"><p>One.</p><p>Two.</p></blockquote>')
    both = {"One.": "一。", "Two.": "二。"}
    assert fmt.render(text, both.get, options=FormatOptions(language="ar")) == PAGE.format(
        '<blockquote lang="ar" dir="rtl"><p>一。</p><p>二。</p></blockquote>').replace(
        '<html lang="en">', '<html lang="ar" dir="rtl">')
    # One of the two left in English: the quotation still says English, left to right.
    assert fmt.render(text, {"One.": "一。"}.get, options=FormatOptions(language="ar")) == \
        PAGE.format('<blockquote lang="en" dir="ltr"><p lang="ar" dir="rtl">一。</p>'
                    '<p>Two.</p></blockquote>').replace('<html lang="en">',
                                                        '<html lang="ar" dir="rtl">')
    # A title attribute is a block too: left in English, it keeps the paragraph English.
    titled = PAGE.format('<p lang="en" title="A note">Text</p>')
    assert fmt.render(titled, {"Text": "文字"}.get, options=FormatOptions(language="zh")) == \
        titled.replace('<html lang="en">', '<html lang="zh">').replace(">Text<", ">文字<")


def test_an_edition_with_nothing_translated_says_so_on_head_and_body(no_fallback: None) -> None:
    text = PAGE.format("<p>One.</p>\n<p>Two.</p>")
    assert fmt.render(text, {}.get, options=FormatOptions(language="zh")) == \
        text.replace('<html lang="en">', '<html lang="zh">').replace("<body>", '<body lang="en">')


@pytest.mark.parametrize("language", ["zh", "ar", "en", "en_GB"])
def test_no_label_is_added_when_every_block_is_shown_as_approved(language: str,
                                                                  no_fallback: None) -> None:
    # The identity edition (every msgstr = msgid, approved) and an edition in the source's own
    # language: every block is in the edition's language, nothing but <html> changes.
    code = language.replace("_", "-")
    want = PARTIAL.replace('<html lang="en">', f'<html lang="{code}"' + (
        ' dir="rtl">' if language == "ar" else ">"))
    if not language.startswith("en"):   # en-GB is English: <div lang="en"> is right as it is
        want = want.replace('<div lang="en">', f'<div lang="{code}">')
    edition = fmt.render(PARTIAL, lambda m: m, options=FormatOptions(language=language))
    assert edition == want
    assert fmt.render(PARTIAL, lambda m: m, options=FormatOptions(language="en")) == PARTIAL
    assert fmt.render(PARTIAL, {}.get, options=FormatOptions(language="en")) == PARTIAL


def test_a_translation_refused_for_its_markup_leaves_the_block_labelled_english(
        no_fallback: None) -> None:
    text = PAGE.format("<p>See <em>this</em>.</p>")
    lookup = {"See <em1>this</em1>.": "看<em2>这个</em2>。"}.get   # a placeholder it lacks
    assert fmt.render(text, lookup, options=FormatOptions(language="zh")) == \
        text.replace('<html lang="en">', '<html lang="zh">').replace("<body>",
                                                                    '<body lang="en">')


# ---------------------------------------------------------------- <li> ends an open <p>

@pytest.mark.parametrize("body", [
    "<ul><li><p>One<li>Two</ul>",
    "<p>Text<li>Item",
    "<p>One<li>Two<ul></p></ul>Three",                 # the stray </p> is not the first <p>'s
    "<ul><li><p>One<li><ul></p></ul>Two</ul>",
    "<p><a href=x>Link<li>Item<ul></p></ul>After",
    "<ol><li><p>A<p>B<li>C</ol>",
])
def test_a_li_start_tag_ends_an_open_p_as_libxml2_reads_it(body: str, no_fallback: None) -> None:
    text = f"<html><body>{body}</body></html>\n"
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    assert fmt.render(text, upper, options=OPTIONS) == \
        re.sub(r">([^<]+)", lambda m: ">" + m.group(1).upper(), text)


def test_parser_text_ends_the_p_and_the_inline_elements_open_in_it() -> None:
    assert html_tokens.implied_ends(["ul", "li", "p"], "li") == ["li", "p"]
    assert html_tokens.implied_ends(["ul", "li", "p", "em"], "li") == ["li", "p", "em"]
    assert html_tokens.implied_ends(["ul", "li", "ul"], "li") == []
    assert parser_text("<ul><li><p>one <em>two<li>three</ul>") == \
        "<ul><li><p>one <em>two</em><li>three</ul>"


# ---------------------------------------------------------------- stray end tags

# libxml2 ignores an end tag that ends nothing: one naming no open element (``</b>`` with no
# ``<b>``, ``</div>`` in a ``<p>``), one a ``<div>``/``<td>``/``<table>`` open inside its element
# hides (``<b><div>x</b>``), one whose element a start tag already ended (``<b>x<p>``: the ``<b>``;
# ``<p>one<li>``: the ``<p>``). The text on both sides of it is one text; the edition keeps the
# tag, written before the translated text (libxml2 ignores it there too).
STRAY = [
    ("<p>Some </b>bold text</p>\n", "<p></b>SOME BOLD TEXT</p>\n"),
    ("<p></b>Words here</p>\n", "<p></b>WORDS HERE</p>\n"),
    ("<p>Some <em>text</div> here</em> end</p>\n", "<p></div>SOME <em>TEXT HERE</em> END</p>\n"),
    ("<ul><li>two</p>three</ul>\n", "<ul><li></p>TWOTHREE</ul>\n"),
    ("<p>one</p></p>two\n", "<p>ONE</p></p>TWO\n"),
    ("<div><b><div>x</b>y</div>z</div>\n", "<div><b><div></b>XY</div>Z</div>\n"),
    ("<div><b>x<p>y</b>z</div>\n", "<div><b>X<p></b>YZ</div>\n"),
    ("<table><tr><td><a href=x>link<td>cell</a> text</table>\n",
     "<table><tr><td><a href=x>LINK<td></a>CELL TEXT</table>\n"),
    ("<p>Hello <li>wor<wbr>ld</p> again</li>\n", "<p>HELLO <li></p>WOR<wbr>LD AGAIN</li>\n"),
    ("<p>a <code>x</b>y</code> b</i> c</p>\n", "<p></b></i>A <code>XY</code> B C</p>\n"),
    ("<p>See </span> <a href=x>this</a></em>\n", "<p></span>SEE <a href=x>THIS</a></em>\n"),
]


@pytest.mark.parametrize(("text", "expected"), STRAY)
def test_a_stray_end_tag_is_kept_before_the_translated_text(text: str, expected: str,
                                                            no_fallback: None) -> None:
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    assert fmt.render(text, lambda m: m, options=FormatOptions(language="en")) == text
    edition = fmt.render(text, upper, options=OPTIONS)
    assert edition == expected
    assert tree(edition) == tree(text)
    assert msgids(edition) == [upper(m) for m in msgids(text)]


def test_a_stray_end_tag_in_a_page_keeps_every_other_byte(no_fallback: None) -> None:
    text = PAGE.format("<p>One </strong>two <b>three</b>\n</div><p>Four")
    edition = fmt.render(text, {"One two <b1>three</b1>": "Un deux <b1>trois</b1>",
                                "Four": "Quatre"}.get, options=FormatOptions(language="fr"))
    assert edition == PAGE.replace('lang="en"', 'lang="fr"').format(
        "<p></strong>Un deux <b>trois</b>\n</div><p>Quatre")
    assert tree(edition) == tree(text)


def test_libxml2_s_reading_of_end_tags_is_modelled() -> None:
    assert html_tokens.ended_by(["div", "b", "div"], "b") is None      # the <div> hides it
    assert html_tokens.ended_by(["div", "b", "em"], "b") == 1
    assert html_tokens.ended_by(["table", "tr", "td", "b"], "td") == 2
    assert html_tokens.ended_by(["p"], "b") is None
    assert html_tokens.closed_by_start(["div", "i", "b"], "p") == 2
    assert html_tokens.closed_by_start(["div", "em"], "p") == 0
    assert html_tokens.closed_by_start(["td", "a"], "td") == 1


STRAY_SOUP = [*TREE_SOUP, "</td>", "</tr>", "</li>", "</i>", "</u>", "<u>", "</font>", "<center>",
              "<s>", "</s>", "</br>", "</h2>", "</dl>", "</ul>", "</code>", "</label>", "</button>",
              "<small>", "</small>", "<title>t</title>"]
END_TAG = re.compile(r"</[^>]*>")


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.sampled_from(STRAY_SOUP), min_size=1, max_size=18), page=st.booleans())
def test_generated_stray_end_tags_are_kept_or_fall_back(pieces: list[str], page: bool) -> None:
    # Every edition either parses to the tree of the translation (``render`` checks it, else it
    # falls back) and keeps every end tag of the source, or is the fallback.
    body = "<p>" + "".join(pieces)
    text = PAGE.format(body) if page else body + "\n"
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    rendered = fmt.render_checked(text, pseudo, options=OPTIONS, path="x.html")
    if not any("could not be matched" in note for note in rendered.notes):
        lost = Counter(END_TAG.findall(text)) - Counter(END_TAG.findall(rendered.text))
        assert not lost
        assert skeleton(rendered.text) == skeleton(text)
