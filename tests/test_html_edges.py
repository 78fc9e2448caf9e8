"""HTML edge cases a QA pass found: HTML5 void elements libxml2 does not know, controls and
embeds in running text, button labels, lines of runs under <body>, byte-order marks, and what the
fallback serializer keeps."""

from __future__ import annotations

import logging
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from l10n.cli import app
from l10n.formats import FormatOptions
from l10n.formats import html as fmt

OPTIONS = FormatOptions()


def msgids(text: str) -> list[str]:
    return [s.msgid for s in fmt.extract(text, "source/x.html", options=OPTIONS)]


def upper(msgid: str) -> str:
    """Every letter outside placeholder tags and entities in upper case."""
    import re

    return "".join(p if p[:1] in "<&" else p.upper() for p in re.split(r"(<[^>]+>|&\w+;)", msgid))


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

BROKEN = "<html><body><p>Hello </span>world</p><p>See <em>this</em></p></body></html>\n"


def test_fallback_keeps_the_final_newline_and_names_the_line(
        caplog: pytest.LogCaptureFixture) -> None:
    lookup = {"Hello world": "Bonjour", "See <em1>this</em1>": "Voir <em1>ceci</em1>"}.get
    with caplog.at_level(logging.WARNING, logger="l10n.formats.html"):
        edition = fmt.render(text := BROKEN, lookup, options=OPTIONS)
    assert edition == "<html><body><p>Bonjour</p><p>Voir <em>ceci</em></p></body></html>\n"
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
    text = "<html><body><p>Hello </span>wor<wbr>ld</p></body></html>\n"
    edition = fmt.render(text, {"Hello wor<wbr1/>ld": "Bon<wbr1/>jour"}.get, options=OPTIONS)
    assert edition == "<html><body><p>Bon<wbr>jour</p></body></html>\n"


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
def test_a_byte_order_mark_is_kept_and_is_not_text(text: str) -> None:
    assert all("\ufeff" not in m for m in msgids(text))
    assert fmt.render(text, lambda m: m, options=OPTIONS) == text
    edition = fmt.render(text, upper, options=OPTIONS)
    assert edition.startswith("\ufeff") and edition[1:] == fmt.render(text[1:], upper,
                                                                      options=OPTIONS)
    tree = fmt.render_tree(text, upper, options=OPTIONS)
    assert tree.startswith("\ufeff") and tree.count("\ufeff") == 1


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
          "<em>x</em>", "\n", "<br>", "<source src=s>"]


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
