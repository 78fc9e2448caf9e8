"""PO files in and out: our writer must produce exactly what GNU msgcat writes, and read back."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from unittest import mock

import polib
import pytest
from conftest import gettext_tool, msgcat, msgfmt_check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n import linebreak, pofile
from l10n.errors import CatalogError
from l10n.pofile import format_catalog, parse_catalog, read_catalog, write_catalog

HEADER = {
    "Project-Id-Version": "l10n-test 1.0",
    "Report-Msgid-Bugs-To": "",
    "POT-Creation-Date": "2026-11-01 10:00+0000",
    "PO-Revision-Date": "2026-11-02 10:00+0000",
    "Last-Translator": "Test <test@example.org>",
    "Language-Team": "Chinese <zh@example.org>",
    "Language": "zh",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=2; plural=(n != 1);",
}


def catalog_of(*entries: polib.POEntry) -> polib.POFile:
    catalog = polib.POFile()
    catalog.metadata = dict(HEADER)
    catalog.extend(entries)
    return catalog


def msgcat_forced(path: Path) -> str:
    """msgcat's layout, even for a catalog that holds only its header (msgcat then writes
    nothing unless told --force-po)."""
    done = subprocess.run([gettext_tool("msgcat"), "--force-po", str(path)],
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


def assert_msgcat_layout(catalog: polib.POFile, tmp_path: Path, name: str = "x.po") -> str:
    """Our text equals msgcat's rewrite of it, msgfmt -c accepts it, and it reads back."""
    text = format_catalog(catalog)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert msgcat_forced(path) == text
    msgfmt_check(path)
    assert format_catalog(parse_catalog(text, name)) == text
    return text


# --- the four ways polib's save() differs from msgcat (NOTES.md) -----------------------------

def test_wrapped_line_keeps_its_space_at_the_end(tmp_path: Path) -> None:
    msgid = ("The quick brown fox jumps over the lazy dog while the translators keep every "
             "space where msgcat puts it.")
    text = assert_msgcat_layout(catalog_of(polib.POEntry(msgid=msgid, msgstr="")), tmp_path)
    assert ('msgid ""\n'
            '"The quick brown fox jumps over the lazy dog while the translators keep every "\n'
            '"space where msgcat puts it."\n') in text


def test_chinese_without_spaces_is_broken_between_characters(tmp_path: Path) -> None:
    msgstr = "机器翻译的草稿必须经过审校人员确认以后才能发布到正式的本地化版本中这一点非常重要" * 2
    entry = polib.POEntry(msgid="Drafts need review before they are published.", msgstr=msgstr)
    text = assert_msgcat_layout(catalog_of(entry), tmp_path)
    lines = text.rsplit('msgstr ""\n', 1)[1].splitlines()
    assert len(lines) == 3
    assert all(line.startswith('"') and line.endswith('"') for line in lines)
    # Two columns per character: 38 characters fill the 77 columns between the quotes.
    assert [len(line) - 2 for line in lines] == [38, 38, 4]


def test_mixed_chinese_and_latin_counts_display_width(tmp_path: Path) -> None:
    msgstr = ("使用 Markdown 编写文章，然后运行 l10n sync 命令生成 PO 文件，"
              "再由 DeepL 或 LibreTranslate 生成草稿，最后审校并发布。")
    entry = polib.POEntry(msgid="Write in Markdown, sync, draft, review, publish.",
                          msgstr=msgstr)
    text = assert_msgcat_layout(catalog_of(entry), tmp_path)
    for line in text.splitlines():
        assert sum(linebreak.char_width(char) for char in line) <= 79
    assert 'msgstr ""\n' in text  # 104 columns do not fit after `msgstr `


def test_string_without_break_point_stays_on_the_keyword_line(tmp_path: Path) -> None:
    url = "very_long_identifier_without_any_break_opportunity_" * 3
    word = "Donaudampfschifffahrtsgesellschaftskapitänswitwenpensionsversicherung" * 2
    catalog = catalog_of(polib.POEntry(msgid=url, msgstr=""),
                         polib.POEntry(msgid=word, msgstr=word))
    text = assert_msgcat_layout(catalog, tmp_path)
    assert f'msgid "{url}"\n' in text
    assert f'msgid "{word}"\nmsgstr "{word}"\n' in text


# --- other layout rules, checked against msgcat ------------------------------------------------

def test_previous_obsolete_and_reference_lines(tmp_path: Path) -> None:
    long = ("A sentence long enough to be wrapped when it is written after a prefix such as "
            "the previous-msgid marker.")
    active = polib.POEntry(
        msgid=long + " Now changed.", msgstr="改了。", flags=["fuzzy", "python-format"],
        previous_msgid=long, previous_msgctxt="intro", msgctxt="intro",
        tcomment="Keep it short.\n  Indented note.", comment="paragraph\nsecond note",
        occurrences=[(f"source/a-rather-long-article-name-{n}.md", str(n * 7)) for n in range(9)]
        + [("./source/a-rather-long-article-name-1.md", "7"), ("no-line.md", "")],
    )
    gone = polib.POEntry(msgid=long + " Gone.", msgstr="已删除的" * 20, obsolete=True,
                         flags=["fuzzy"], msgctxt="old")
    dropped = polib.POEntry(msgid="Obsolete and untranslated", msgstr="", obsolete=True)
    text = assert_msgcat_layout(catalog_of(gone, dropped, active), tmp_path)
    assert "#| msgctxt \"intro\"\n#| msgid \"\"\n#| \"A sentence" in text
    assert "#~ msgctxt \"old\"\n#~ msgid \"\"\n#~ \"A sentence" in text
    assert "untranslated" not in text
    assert text.index("#~ msgid") > text.index('msgid ""\n"A sentence')  # obsolete go last
    references = [line for line in text.splitlines() if line.startswith("#:")]
    assert len(references) > 1 and all(len(line) <= 79 for line in references)
    assert "./" not in text and text.count("a-rather-long-article-name-1.md:7") == 1


def test_flags_are_normalized_like_msgcat(tmp_path: Path) -> None:
    entries = [
        polib.POEntry(msgid="a", msgstr="b",
                      flags=["my-own-flag", "python-format", "fuzzy", "c-format", "no-wrap",
                             "range: 1..3"]),
        polib.POEntry(msgid="untranslated", msgstr="", flags=["fuzzy"]),
    ]
    path = tmp_path / "flags.po"
    path.write_text(format_catalog(catalog_of(*entries)), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    assert msgcat(path).decode() == text
    assert "#, fuzzy, c-format, python-format, range: 1..3, no-wrap\n" in text
    assert "fuzzy\nmsgid \"untranslated\"" not in text


def test_no_wrap_keeps_long_lines_but_still_splits_at_newlines(tmp_path: Path) -> None:
    msgid = "word " * 30 + "\nsecond line"
    entry = polib.POEntry(msgid=msgid, msgstr="", flags=["no-wrap"])
    text = assert_msgcat_layout(catalog_of(entry), tmp_path)
    assert f'msgid ""\n"{"word " * 30}\\n"\n"second line"\n' in text


def test_header_and_escapes(tmp_path: Path) -> None:
    catalog = catalog_of(polib.POEntry(msgid='Say "hi"\tC:\\path\\\n', msgstr='说"嗨"\tC:\\路径\\\n'))
    catalog.header = "Translations for the tests.\nSecond line."
    catalog.metadata_is_fuzzy = ["fuzzy"]
    text = assert_msgcat_layout(catalog, tmp_path)
    assert text.startswith('# Translations for the tests.\n# Second line.\n#, fuzzy\nmsgid ""\n')
    assert 'msgid "Say \\"hi\\"\\tC:\\\\path\\\\\\n"\n' in text


# --- hypothesis: random catalogs, msgcat is the oracle ------------------------------------------

WORDS = ["the", "translator", "reviews", "a", "draft", "before", "it", "is", "published",
         "internationalization", "GNU", "gettext", "e.g.", "U.S.", "don't", "x", "—", "…",
         "3.14", "$5", "50%", "(see", "below)", "“quoted”", "naïve", "café"]
CJK = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质院各术青写社南马离局约府议响提达红眼查研"
URL_PARTS = ["https://example.org/", "docs/", "very-long-path-segment-without-spaces/",
             "index.html?lang=zh&ref=", "a" * 60]
MARKDOWN = ["**bold**", "*em*", "`code`", "[link](http://x/y)", "![alt](img.png)", "\\*",
            '"', "'", "\\", "#", "> ", "- ", "1. ", "<b>", "&amp;", "|", "~~s~~", "_u_"]
SEPARATORS = [" ", " ", " ", "", ", ", ". ", "。", "，", "\n", "\t", "  "]

token = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet=CJK, min_size=1, max_size=40),
    st.lists(st.sampled_from(URL_PARTS), min_size=1, max_size=4).map("".join),
    st.sampled_from(MARKDOWN),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=15, max_size=90),
)
prose = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), min_size=1, max_size=30).map(
    lambda parts: "".join(word + sep for word, sep in parts))
comment_line = st.lists(st.sampled_from(WORDS + list("中文注释")), min_size=1, max_size=25).map(
    " ".join)
comment = st.lists(comment_line, min_size=1, max_size=3).map("\n".join)
reference = st.tuples(
    st.sampled_from(["source/article.md", "source/a-much-longer-article-name-for-wrapping.md",
                     "./source/x.html", "docs/guide/index.md"]),
    st.integers(min_value=1, max_value=99999).map(str) | st.just(""),
)


def shaped(text: str, lead: bool, trail: bool) -> str:
    """msgfmt -c wants msgid and msgstr to agree on a leading and a trailing newline."""
    core = text.strip("\n") or "x"
    return ("\n" if lead else "") + core + ("\n" if trail else "")


@st.composite
def entries(draw: st.DrawFn) -> polib.POEntry:
    lead, trail = draw(st.booleans()), draw(st.booleans())
    msgid = shaped(draw(prose), lead, trail)
    translated = draw(st.booleans())
    plural = draw(st.integers(0, 5)) == 0
    obsolete = draw(st.integers(0, 5)) == 0
    entry = polib.POEntry(msgid=msgid, obsolete=obsolete)
    if draw(st.integers(0, 3)) == 0:
        entry.msgctxt = draw(st.sampled_from(["", "menu", "heading 2", "a context with spaces"]))
    if plural:
        entry.msgid_plural = shaped(draw(prose), lead, trail)
        entry.msgstr_plural = ({0: shaped(draw(prose), lead, trail),
                                1: shaped(draw(prose), lead, trail)} if translated
                               else {0: "", 1: ""})
    else:
        entry.msgstr = shaped(draw(prose), lead, trail) if translated else ""
    flags = []
    if draw(st.booleans()):
        flags.append("fuzzy")
    if draw(st.integers(0, 9)) == 0:
        flags.append("no-wrap")
    entry.flags = flags
    if draw(st.booleans()):
        entry.tcomment = draw(comment)
    if draw(st.booleans()):
        entry.comment = draw(comment)
    if not obsolete or draw(st.booleans()):
        entry.occurrences = draw(st.lists(reference, max_size=25))
    if not obsolete and draw(st.integers(0, 3)) == 0:
        entry.previous_msgid = draw(prose)
        if draw(st.booleans()):
            entry.previous_msgctxt = draw(st.sampled_from(["", "old context"]))
    return entry


catalogs = st.lists(entries(), min_size=1, max_size=12,
                    unique_by=lambda entry: (entry.msgctxt, entry.msgid)).map(
    lambda items: catalog_of(*items))

FAST = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.mark.skipif(not linebreak.has_libunistring(), reason="libunistring is not loadable")
@FAST
@given(catalog=catalogs)
def test_random_catalogs_match_msgcat_with_libunistring(catalog: polib.POFile,
                                                        tmp_path: Path) -> None:
    assert_msgcat_layout(catalog, tmp_path)


@FAST
@given(catalog=catalogs)
def test_random_catalogs_match_msgcat_in_pure_python(catalog: polib.POFile,
                                                     tmp_path: Path) -> None:
    with mock.patch.object(pofile, "breaker", lambda: linebreak.breaker(prefer_libunistring=False)):
        assert_msgcat_layout(catalog, tmp_path)


# --- reading: errors say path:line -------------------------------------------------------------

def test_syntax_error_names_path_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.po"
    path.write_text('msgid "a"\nmsgstr "b"\n\nmsgid "c"\nbogus line\n', encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, display="locales/zh/broken.po")
    assert str(caught.value).startswith("locales/zh/broken.po:5: syntax error")
    assert caught.value.line == 5


def test_duplicate_msgid_reports_the_second_one(tmp_path: Path) -> None:
    text = ('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            '#: a.md:1\nmsgid "Hello"\nmsgstr ""\n\n'
            'msgctxt "menu"\nmsgid "Hello"\nmsgstr ""\n\n'
            '#. again\nmsgid "Hello"\nmsgstr "你好"\n')
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, "dup.po")
    assert str(caught.value).startswith("dup.po:13: duplicate message definition 'Hello'")
    assert "line 5" in str(caught.value)


def test_non_utf8_file_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.po"
    path.write_bytes('msgid ""\nmsgstr ""\n\nmsgid "caf\u00e9"\nmsgstr ""\n'.encode("latin-1"))
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, display="latin1.po")
    assert str(caught.value).startswith("latin1.po:4: not valid UTF-8")


def test_text_is_never_mistaken_for_a_path(tmp_path: Path) -> None:
    decoy = tmp_path / "decoy.po"
    decoy.write_text('msgid "from the file"\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        parse_catalog(str(decoy), "x.po")  # polib.pofile() would open the file
    assert str(caught.value).startswith("x.po:1: syntax error")


# --- writing: atomic, and only when something changed -------------------------------------------

def test_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "zh" / "article.po"
    catalog = catalog_of(polib.POEntry(msgid="Hello", msgstr="你好"))
    assert write_catalog(catalog, path) is True
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert write_catalog(parse_catalog(path.read_text(encoding="utf-8"), "x"), path) is False
    assert path.stat().st_mtime_ns == 1_000_000_000
    catalog[0].msgstr = "您好"
    assert write_catalog(catalog, path) is True
    assert "您好" in path.read_text(encoding="utf-8")


def test_interrupted_write_leaves_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    write_catalog(catalog_of(polib.POEntry(msgid="Hello", msgstr="你好")), path)
    before = path.read_bytes()
    changed = catalog_of(polib.POEntry(msgid="Hello", msgstr="您好"))
    with mock.patch("os.replace", side_effect=KeyboardInterrupt), \
            pytest.raises(KeyboardInterrupt):
        write_catalog(changed, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.po"]


def test_failure_while_formatting_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.po"
    broken = catalog_of(polib.POEntry(msgid="Hello", msgstr=None))  # not a string
    with pytest.raises((TypeError, AttributeError)):
        write_catalog(broken, path)
    assert list(tmp_path.iterdir()) == []
