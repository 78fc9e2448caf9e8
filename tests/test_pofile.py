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

from l10n import linebreak, pofile, poread
from l10n.atomic import Batch
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
    assert str(caught.value) == 'locales/zh/broken.po:5: keyword "bogus" unknown'
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


def test_a_batch_flushes_once_then_replaces_every_file(tmp_path: Path) -> None:
    paths = [tmp_path / "zh" / f"{n}.po" for n in range(3)]
    for path in paths[:2]:
        path.parent.mkdir(exist_ok=True)
        path.write_text("old", encoding="utf-8")
    with mock.patch("os.sync") as sync, Batch() as batch:
        for n, path in enumerate(paths):
            batch.write(path, f"new {n}")
        assert [p.read_text(encoding="utf-8") for p in paths[:2]] == ["old", "old"]
    assert sync.call_count == 1
    assert [p.read_text(encoding="utf-8") for p in paths] == ["new 0", "new 1", "new 2"]
    assert sorted(p.name for p in (tmp_path / "zh").iterdir()) == ["0.po", "1.po", "2.po"]


def test_an_error_inside_a_batch_replaces_nothing_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "article.po"
    path.write_text("translators' work", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), Batch() as batch:
        batch.write(path, "new")
        batch.write(tmp_path / "other.po", "new")
        raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == "translators' work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.po"]


def test_a_batch_does_not_replace_a_file_saved_meanwhile(tmp_path: Path) -> None:
    kept, replaced = tmp_path / "kept.po", tmp_path / "replaced.po"
    for path in (kept, replaced):
        path.write_text("old", encoding="utf-8")
    with Batch() as batch:
        batch.write(kept, "new")
        batch.write(replaced, "new")
        saved = tmp_path / ".editor-save"          # an editor saves by renaming a new file
        saved.write_text("a translator's save", encoding="utf-8")
        os.replace(saved, kept)
    assert kept.read_text(encoding="utf-8") == "a translator's save"
    assert replaced.read_text(encoding="utf-8") == "new"
    assert batch.changed == [kept]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.po", "replaced.po"]


def test_failure_while_formatting_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.po"
    broken = catalog_of(polib.POEntry(msgid="Hello", msgstr=None))  # not a string
    with pytest.raises((TypeError, AttributeError)):
        write_catalog(broken, path)
    assert list(tmp_path.iterdir()) == []


# --- reading: our parser gives what polib gives, and what msgfmt accepts -------------------------

FIELDS = ("msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr_plural", "flags", "comment",
          "tcomment", "occurrences", "previous_msgctxt", "previous_msgid",
          "previous_msgid_plural")


def fields(entry: polib.POEntry) -> dict[str, object]:
    found: dict[str, object] = {name: getattr(entry, name) for name in FIELDS}
    found["obsolete"] = bool(entry.obsolete)  # polib stores 0/1
    return found


def assert_same_as_polib(text: str) -> polib.POFile:
    ours = parse_catalog(text, "x.po")
    theirs = polib.pofile(text)
    assert [fields(entry) for entry in ours] == [fields(entry) for entry in theirs]
    assert list(ours.metadata.items()) == list(theirs.metadata.items())
    assert (ours.header, ours.metadata_is_fuzzy) == (theirs.header, theirs.metadata_is_fuzzy)
    assert all(type(entry) is polib.POEntry for entry in ours)
    return ours


def assert_linenum_is_the_msgid_line(catalog: polib.POFile, text: str) -> None:
    lines = text.split("\n")
    for entry in catalog:
        keyword = "#~ msgid " if entry.obsolete else "msgid "
        assert lines[entry.linenum - 1].startswith(keyword)


@FAST
@given(catalog=catalogs, header_comment=st.sampled_from(["", "Title.\nSecond line.",
                                                      "Title.\n\nAfter an empty line."]),
       fuzzy_header=st.booleans())
def test_random_catalogs_read_like_polib_and_round_trip(
        catalog: polib.POFile, header_comment: str, fuzzy_header: bool) -> None:
    catalog.header = header_comment
    catalog.metadata_is_fuzzy = ["fuzzy"] if fuzzy_header else []
    text = format_catalog(catalog)
    ours = assert_same_as_polib(text)
    assert_linenum_is_the_msgid_line(ours, text)
    assert format_catalog(ours) == text
    # A layout only the line-by-line reader takes (indented keywords, as gettext allows)
    # means the same entries.
    indented = text.replace("msgstr ", "  msgstr ", 1)
    assert [fields(entry) for entry in parse_catalog(indented, "x.po")] == [
        fields(entry) for entry in ours]


def test_an_empty_comment_line_keeps_the_fast_path() -> None:
    # msgcat and polib write an empty comment line as a bare "#" (polib heads every file so).
    text = '#\n# Title.\n#\nmsgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' \
        '#\n# note\nmsgid "a"\nmsgstr "b"\n'
    fast, lines = poread._Reader("x.po"), poread._Reader("x.po")
    assert fast.read_fast(text) is True
    lines.read_lines(text)
    assert [fields(e) for e in fast.entries] == [fields(e) for e in lines.entries]
    # Unlike polib, which drops a leading empty comment line, we keep it: the file round-trips.
    # A last empty line carries one more newline, so that one "#" alone is not "no comment".
    assert fast.header is not None and fast.header.tcomment == "\nTitle.\n\n"
    assert format_catalog(parse_catalog(text, "x.po")) == text


@pytest.mark.parametrize("comment", ["#\n", "#\n#\n", "# x\n#\n", "#\n# x\n", "# x\n"])
def test_translator_comments_of_empty_lines_are_written_as_msgcat_does(
        comment: str, tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text(f'{comment}msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    f'{comment}msgid "a"\nmsgstr "b"\n', encoding="utf-8")
    assert format_catalog(read_catalog(path)).encode("utf-8") == msgcat(path)


def test_every_comment_kind_previous_strings_and_plurals() -> None:
    text = (
        "# Header comment.\n#\n# After an empty line.\n#, fuzzy\n"
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"X-Long: first\\n"\n"and more\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        "# translator\n#. extracted\n#. again\n#: a.md:1 b.md c:d.md:12\n#, fuzzy, c-format\n"
        '#| msgctxt "old"\n#| msgid "Old "\n#| "text"\n#| msgid_plural "Olds"\n'
        'msgctxt "ctx"\nmsgid "One"\nmsgid_plural "Many"\nmsgstr[0] "一"\nmsgstr[1] ""\n"多"\n\n'
        'msgid "Tab\\there \\"q\\" back\\\\slash\\n"\nmsgstr "\\101\\x42\\303\\251"\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n#~ "Parti"\n'
    )
    catalog = parse_catalog(text, "x.po")
    assert catalog.header == "Header comment.\n\nAfter an empty line."
    assert catalog.metadata_is_fuzzy == ["fuzzy"]
    assert catalog.metadata["X-Long"] == "first\nand more"
    plural, escaped, gone = catalog
    assert (plural.msgctxt, plural.msgid, plural.msgid_plural) == ("ctx", "One", "Many")
    assert plural.msgstr_plural == {0: "一", 1: "多"}
    assert (plural.tcomment, plural.comment) == ("translator", "extracted\nagain")
    assert plural.occurrences == [("a.md", "1"), ("b.md", ""), ("c:d.md", "12")]
    assert plural.flags == ["fuzzy", "c-format"]
    assert (plural.previous_msgctxt, plural.previous_msgid, plural.previous_msgid_plural) == (
        "old", "Old text", "Olds")
    assert (plural.linenum, escaped.linenum, gone.linenum) == (22, 28, 31)
    assert escaped.msgid == 'Tab\there "q" back\\slash\n'
    assert escaped.msgstr == "ABé"  # octal and hex escapes are bytes of the UTF-8 text
    assert (gone.obsolete, gone.msgstr) == (True, "Parti")


def test_obsolete_previous_strings_are_kept() -> None:
    text = ('#~ msgid "x"\n#~ msgstr "y"\n\n#, fuzzy\n#~| msgid "Old"\n#~ msgid "New"\n'
            '#~ msgstr "Neu"\n')
    catalog = parse_catalog(text, "x.po")
    assert catalog[1].previous_msgid == "Old"
    assert format_catalog(catalog).endswith('#~| msgid "Old"\n#~ msgid "New"\n#~ msgstr "Neu"\n')


def test_crlf_bom_blank_lines_and_comments_without_space_are_read() -> None:
    text = ('\ufeffmsgid ""\r\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\r\n\r\n'
            '#no space\r\n#.no space\r\nmsgid "a"\r\n\r\nmsgstr "b"\r\n\r\n"c"')
    entry, = parse_catalog(text, "x.po")
    assert (entry.tcomment, entry.comment, entry.msgid, entry.msgstr, entry.linenum) == (
        "no space", "no space", "a", "bc", 6)


@pytest.mark.parametrize("keyword", ["msgid", "  msgid"])  # fast reader, line-by-line reader
def test_a_reference_without_space_after_the_mark_is_read_like_msgcat(keyword: str) -> None:
    text = H + f'#:a.md:1 b.md:2\n#: c.md d:e.md:3\n{keyword} "a"\nmsgstr "b"\n'
    entry, = parse_catalog(text, "x.po")
    assert entry.occurrences == [("a.md", "1"), ("b.md", "2"), ("c.md", ""), ("d:e.md", "3")]


def test_comments_before_an_ordinary_first_entry_stay_with_it() -> None:
    catalog = parse_catalog('# note\nmsgid "a"\nmsgstr "b"\n', "x.po")
    assert (catalog.header, catalog[0].tcomment) == ("", "note")


# One snippet per syntax error, and the exact message. H is a valid header (lines 1-2).
H = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
SYNTAX_ERRORS = [
    (H + 'msgid "It ran on Lua.\nmsgstr "x"\n', 4, "end-of-line within string"),
    (H + 'msgid "a"\nmsgstr "b"\n\nbogus line\n', 7, 'keyword "bogus" unknown'),
    (H + '%%% junk\n', 4, "syntax error at '%%% junk'"),
    (H + 'msgstr "b"\n', 4, "'msgstr' without a 'msgid' before it"),
    (H + 'msgid "a\\q"\nmsgstr "b"\n', 4, "invalid control sequence '\\\\q'"),
    (H + 'msgid "a" b\nmsgstr "b"\n', 4, "text after the closing quote: 'b'"),
    (H + 'msgid "say "hi""\nmsgstr "b"\n', 4, "text after the closing quote: 'hi\"\"'"),
    (H + 'msgid "a"\nmsgid_plural "as"\nmsgstr "b"\n', 6,
     "'msgstr' after 'msgid_plural'; expected 'msgstr[0]'"),
    (H + 'msgid "a"\nmsgid_plural "as"\n', 4, "missing 'msgstr[0]' section"),
    (H + 'msgid "a"\n\nmsgid "c"\nmsgstr "d"\n', 4, "missing 'msgstr' section"),
    (H + 'msgid "a"\n# comment\nmsgstr "b"\n', 4, "missing 'msgstr' section"),
    (H + 'msgid "a"\n', 4, "missing 'msgstr' section"),
    (H + 'msgctxt "a"\n', 4, "missing 'msgid' after 'msgctxt'"),
    (H + 'msgid "a"\nmsgstr[0] "b"\n', 5, "'msgstr[0]' in an entry without 'msgid_plural'"),
    (H + 'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', 6,
     "first plural form has nonzero index"),
    (H + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[2] "c"\n', 7,
     "plural form has wrong index"),
    (H + 'msgid "a"\n#~ msgstr "b"\n', 5, "inconsistent use of #~"),
    (H + '#~ msgid "a"\n"b"\n#~ msgstr "c"\n', 5, "inconsistent use of #~"),
    (H + '#| bogus "x"\nmsgid "a"\nmsgstr "b"\n', 4, 'keyword "bogus" unknown in a \'#|\' line'),
    (H + '#| msgid "x\nmsgid "a"\nmsgstr "b"\n', 4, "end-of-line within string"),
    (H + 'msgid\nmsgstr "b"\n', 4, "'msgid' without a string"),
    (H + '# comment\n"stray"\n', 5,
     "a string without a keyword (msgid, msgstr, ...) before it"),
    (H + 'msgid "a"\nmsgstr "b"\nmsgid_plural "c"\n', 6,
     "'msgid_plural' must come before the msgstr lines"),
    (H + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
     7, ("duplicate message definition 'a'; the first is at line 4"
         " (merge the two entries (msguniq can do it))")),
    # A git merge that stopped on a conflict: its markers are in the file.
    (H + '<<<<<<< HEAD\n#, fuzzy\nmsgid "a"\nmsgstr "b"\n=======\nmsgid "a"\nmsgstr "b"\n'
     '>>>>>>> reviewer\n', 4, CONFLICT := ("unresolved merge conflict: '<<<<<<< HEAD' is a line "
                                          "git wrote (keep one side of the conflict and delete "
                                          "its marker lines)")),
    (H + 'msgid "a"\n=======\nmsgstr "b"\n', 5, CONFLICT.replace("<<<<<<< HEAD", "=======")),
    (H + 'msgid "a"\nmsgstr "b"\n"x"\n>>>>>>> theirs\n', 7,
     CONFLICT.replace("<<<<<<< HEAD", ">>>>>>> theirs")),
]


# Rejected by us, not by msgfmt (which copies the bytes): polib cannot hold such a string.
STRICTER = [
    (H + 'msgid "\\303"\nmsgstr ""\n', 4, "octal or hex escapes that are not valid UTF-8"),
]


@pytest.mark.parametrize(("text", "line", "message"), SYNTAX_ERRORS + STRICTER)
def test_syntax_errors_name_line_and_problem(text: str, line: int, message: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, "zh/a.po")
    assert str(caught.value) == f"zh/a.po:{line}: {message}"


def test_msgfmt_rejects_what_we_reject(tmp_path: Path) -> None:
    """Cross-check with GNU msgfmt: each broken snippet fails both (msgfmt's exit code)."""
    for number, (text, _line, _message) in enumerate(SYNTAX_ERRORS):
        path = tmp_path / f"broken{number}.po"
        path.write_text(text, encoding="utf-8")
        done = subprocess.run([gettext_tool("msgfmt"), "-c", "-o", "/dev/null", str(path)],
                              capture_output=True, check=False)
        assert done.returncode != 0, text
        with pytest.raises(CatalogError):
            read_catalog(path)


def test_a_damaged_string_is_never_read_as_a_shorter_one(tmp_path: Path) -> None:
    """polib reads `msgid "It ran on Lua.` as "It ran on Lua", dropping the period."""
    path = tmp_path / "torch.po"
    path.write_text(SYNTAX_ERRORS[0][0], encoding="utf-8")
    assert polib.pofile(str(path))[0].msgid == "It ran on Lua"
    with pytest.raises(CatalogError):
        read_catalog(path)


def test_files_in_msgcat_layout_take_the_fast_reader() -> None:
    """The per-entry reader handles msgcat's layout; the per-line one is only for the rest."""
    entry = polib.POEntry(msgid="Hello\n" + "word " * 30, msgstr="你好", comment="heading 1",
                          tcomment="note", occurrences=[("a.md", "1")], flags=["fuzzy"],
                          previous_msgid="Hi")
    text = format_catalog(catalog_of(entry, polib.POEntry(msgid="x", msgstr="y", obsolete=True)))
    with mock.patch.object(pofile._Reader, "line", side_effect=AssertionError("slow path")):
        assert len(parse_catalog(text, "x.po")) == 2
