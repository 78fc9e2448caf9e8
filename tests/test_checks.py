"""Quality checks: each check on the strings it is about, then `l10n check` on a real workspace."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from commonmark import spec_examples
from conftest import GLOSSARY
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from l10n import checks
from l10n.checks import CHECKS, SEVERITIES, CheckContext, Finding, Pair, has_critical, run_checks
from l10n.checks import markup as markup_checks
from l10n.checks import text as text_checks
from l10n.cli import app
from l10n.errors import SourceError
from l10n.glossary import Glossary
from l10n.project import Project


@pytest.fixture
def glossary(tmp_path: Path) -> Glossary:
    path = tmp_path / "glossary.yml"
    path.write_text(GLOSSARY, encoding="utf-8")
    return Glossary.load(path, languages=["en", "zh"], source_languages=["en"])


def zh(**options: object) -> CheckContext:
    return CheckContext(source_language="en", target_language="zh", **options)  # type: ignore[arg-type]


def found(msgid: str, msgstr: str, context: CheckContext | None = None) -> list[str]:
    return [str(f) for f in run_checks(msgid, msgstr, context or zh())]


# -- glossary ---------------------------------------------------------------------------------

def test_a_name_must_take_its_pinned_form(glossary: Glossary) -> None:
    context = zh(glossary=glossary)
    assert found("Tian Yuandong works at FAIR.", "田远东在 FAIR 工作。", context) == [
        'critical: glossary: "Tian Yuandong" must be 田渊栋']
    assert found("Tian Yuandong works at FAIR.", "田渊栋在 FAIR 工作。", context) == []


def test_a_kept_term_stays_as_it_is(glossary: Glossary) -> None:
    assert found("Tian Yuandong works at FAIR.", "田渊栋在公平研究院工作。",
                 zh(glossary=glossary)) == ['critical: glossary: "FAIR" must be FAIR']


def test_a_forbidden_variant_is_critical_even_beside_the_pinned_form(glossary: Glossary) -> None:
    context = zh(glossary=glossary)
    assert found("Yann LeCun said so.", "扬·勒丘恩这样说。", context) == [
        'critical: glossary: "Yann LeCun" must be 杨立昆',
        'critical: glossary: "Yann LeCun" must not be 扬·勒丘恩; use 杨立昆']
    assert found("Yann LeCun said so.", "杨立昆（扬·勒丘恩）这样说。", context) == [
        'critical: glossary: "Yann LeCun" must not be 扬·勒丘恩; use 杨立昆']


def test_terms_inside_code_or_link_targets_are_not_terms(glossary: Glossary) -> None:
    assert found("Run `fair --tian`, see [docs](https://fair.example/Tian Yuandong).",
                 "运行 `fair --tian`，见[文档](https://fair.example/Tian Yuandong)。",
                 zh(glossary=glossary)) == []


# -- one check, one example (default context: Markdown, en -> zh) ------------------------------

def example(name: str, msgid: str, msgstr: str, *expected: str) -> object:
    """A row of EXAMPLES: a translation and every finding on it, in order (none: it is clean)."""
    return pytest.param(msgid, msgstr, list(expected), id=name)


EXAMPLES = [
    example("link targets must survive",
            "Read [the guide](https://example.com/guide) first.",
            "先阅读[指南](https://example.com/guid)。",
            "critical: links: link https://example.com/guide missing",
            "critical: links: link https://example.com/guid added"),
    example("a surviving link target",
            "Read [the guide](https://example.com/guide) first.",
            "先阅读[指南](https://example.com/guide)。"),
    example("a link given twice must appear twice",
            "[a](/x) and [b](/x)", "[甲](/x)和乙",
            "critical: links: link /x missing (1 of 2)"),
    example("code spans are never translated",
            "Run `pip install l10n` now.", "现在运行 `pip 安装 l10n`。",
            "critical: code: code span `pip install l10n` missing",
            "critical: code: code span `pip 安装 l10n` added"),
    example("images",
            "![A cat](cat.png)", "![一只猫](dog.png)",
            "critical: images: image cat.png missing",
            "critical: images: image dog.png added"),
    example("inline html tags",
            "Press <kbd>Ctrl</kbd> to copy", "按 Ctrl 复制",
            "critical: tags: tag <kbd> missing",
            "critical: tags: tag </kbd> missing"),
    example("emphasis counts are functional",
            "This is **very** important", "这很重要",
            "functional: emphasis: **strong** spans: 1 in the source, 0 in the translation"),
    example("emphasis kept",
            "This is *quite* **very** important", "这*相当***非常**重要"),
    example("urls and addresses in the text",
            "See https://example.com/a or write to help@example.org.",
            "详情见 https://example.com/b。",
            "functional: urls: https://example.com/a missing",
            "functional: urls: help@example.org missing"),
    example("placeholders are critical",
            "Hello {name}, you have %s messages {{< ref x >}}", "你好，你有消息",
            "critical: placeholders: placeholder {name} missing",
            "critical: placeholders: placeholder %s missing",
            "critical: placeholders: placeholder {{< ref x >}} missing"),
    example("leading and trailing whitespace",
            " Hello world", "你好世界 ",
            "cosmetic: whitespace: leading whitespace differs from the source",
            "cosmetic: whitespace: trailing whitespace differs from the source"),
    example("length outliers",
            "This sentence is a reasonably long English sentence.", "好。",
            "cosmetic: length: the translation is 4% of the source's length; about 35% is usual"),
    example("a usual length",
            "This sentence is a reasonably long English sentence.", "这是一个相当长的英语句子。"),
    example("an inline footnote's text is translated: no label changed",
            "A sentence.^[An inline note with **bold**.] More text.",
            "一句话。^[一条带**粗体**的内联注释。]更多文字。"),
    example("an inline footnote made plain brackets",
            "A sentence.^[A note.] More text.", "一句话。[一条注释。]更多文字。",
            "critical: footnotes: inline footnotes ^[…]: 1 in the source, 0 in the translation: "
            "keep each note as ^[note]"),
]


@pytest.mark.parametrize(("msgid", "msgstr", "expected"), EXAMPLES)
def test_each_check_on_its_example(msgid: str, msgstr: str, expected: list[str]) -> None:
    assert found(msgid, msgstr) == expected


# -- markup -----------------------------------------------------------------------------------

def test_the_html_format_decides_markup_for_html_articles() -> None:
    # An HTML msgid holds the format's numbered placeholders; its markup_problems compares them
    # (the Markdown checks of links, images and tags do not apply).
    context = zh(format_name="html")
    assert found("A <b1>bold</b1> <a2>link</a2> here", "一个粗体<a2>链接</a2>", context) == [
        "critical: markup: tag <b1> is missing"]
    assert found("A <b1>bold</b1> <a2>link</a2> here", "一个<b1>粗体</b1><a2>链接</a2>",
                 context) == []
    # Markdown syntax means nothing in HTML.
    assert found("A *star* here", "这里有一个星", context) == []


# -- numbers -----------------------------------------------------------------------------------

def test_numbers_match_whatever_their_separators() -> None:
    assert found("Founded in 2015 with 1,000 staff.", "成立于 2015 年，员工 1000 人。") == []
    assert found("Founded in 2015 with 1,000 staff.", "成立于 2016 年，员工 1000 人。") == [
        "functional: numbers: number 2015 missing"]
    # Full-width digits are digits; small numbers may be spelled out.
    assert found("Chapter 3", "第３章") == []
    assert found("It has 3 parts, not 11 or 1.", "它有三个部分，不是十一个或一个。") == []
    assert found("It has 3 parts, not 11 or 1.", "它有三个部分，不是十个。") == [
        "functional: numbers: number 11 missing", "functional: numbers: number 1 missing"]
    en = CheckContext(source_language="zh", target_language="en")
    assert found("2017 年 1 月发布。", "Released in January 2017.", en) == []
    assert found("有 3 个。", "There are three.", en) == []


# -- text -------------------------------------------------------------------------------------

def test_a_translation_identical_to_its_source(glossary: Glossary) -> None:
    assert found("Machine learning is fun", "Machine learning is fun") == [
        "cosmetic: untranslated: the translation is the source text unchanged"]
    # A single name, a kept term, a version number: the same text is right.
    assert found("PyTorch", "PyTorch") == []
    assert found("FAIR 2024", "FAIR 2024", zh(glossary=glossary)) == []
    # Between variants of one language nothing needs to differ.
    en_gb = CheckContext(source_language="en", target_language="en_GB")
    assert found("Machine learning is fun", "Machine learning is fun", en_gb) == []


# -- Chinese typography -------------------------------------------------------------------------

def test_half_width_punctuation_in_chinese_text() -> None:
    assert found("It is good, and fast.", "它很好,也很快.") == [
        'cosmetic: zh-punctuation: half-width "," in Chinese text; use "，"',
        'cosmetic: zh-punctuation: half-width "." in Chinese text; use "。"']
    assert found('He said "hello".', '他说"你好"。') == [
        "cosmetic: zh-punctuation: straight quotes around Chinese text; use “”"]
    # A domain name, a version, code: not punctuation of Chinese text.
    assert found("Visit baidu.com, v1.2, or `a,b`.", "访问百度.com、v1.2 或 `a,b`。") == []
    # Only Chinese editions are held to Chinese typography.
    fr = CheckContext(source_language="en", target_language="fr")
    assert found("It is good, and fast.", "它很好,也很快.", fr) == []


def test_spacing_between_chinese_and_latin_follows_the_setting() -> None:
    tight, spaced = "我们用Python写代码", "我们用 Python 写代码"
    source = "We write code in Python"
    assert found(source, tight, zh(zh_latin_spacing="space")) == [
        ('cosmetic: zh-spacing: no space between Chinese and Latin text at "用P" and 1 more '
         '(zh_latin_spacing = "space")')]
    assert found(source, spaced, zh(zh_latin_spacing="space")) == []
    assert found(source, spaced, zh(zh_latin_spacing="none")) == [
        ('cosmetic: zh-spacing: a space between Chinese and Latin text at "用 P" and 1 more '
         '(zh_latin_spacing = "none")')]
    assert found(source, tight, zh(zh_latin_spacing="none")) == []
    assert found(source, tight) == found(source, spaced) == []


# -- the API the build and review use ---------------------------------------------------------

def test_findings_come_most_severe_first_and_nothing_is_checked_untranslated() -> None:
    findings = run_checks(" Keep `x` 3 times", "保留 x", zh())
    assert [f.severity for f in findings] == ["critical", "functional", "cosmetic"]
    assert findings[0] == Finding("code", "critical", "code span `x` missing")
    assert has_critical(findings)
    assert not has_critical(findings[1:])
    assert run_checks("Hello world", "", zh()) == []


# -- l10n check on a workspace -------------------------------------------------------------------

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: zh\\n"

#. heading 1
#: source/x.md:1
msgid "Tian Yuandong"
msgstr "田远东"

#. paragraph
#: source/x.md:3
#, fuzzy
msgid "Tian Yuandong works at FAIR."
msgstr "田渊栋在FAIR工作."

#: source/x.md:5
msgid "It has 30 parts."
msgstr "它有三十个部分。"

#: source/x.md:7
msgid "Not translated yet."
msgstr ""

#~ msgid "Old Tian Yuandong"
#~ msgstr "旧"
"""


def write_workspace(root: Path, *, po: str = PO) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "locales" / "zh").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_language = "en"\nlanguages = ["en", "zh"]\n', encoding="utf-8")
    (root / "glossary.yml").write_text(GLOSSARY, encoding="utf-8")
    (root / "source" / "x.md").write_text(
        "# Tian Yuandong\n\nTian Yuandong works at FAIR.\n\nIt has 30 parts.\n\n"
        "Not translated yet.\n", encoding="utf-8")
    (root / "locales" / "zh" / "x.po").write_text(po, encoding="utf-8")
    return root


def test_check_prints_like_a_compiler_and_fails_on_critical(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    result = CliRunner().invoke(app, ["--root", str(root), "check"])
    assert result.stdout.splitlines() == [
        'locales/zh/x.po:8: critical: glossary: "Tian Yuandong" must be 田渊栋',
        'locales/zh/x.po:14: cosmetic: zh-punctuation: half-width "." in Chinese text; use "。"',
        "locales/zh/x.po:18: functional: numbers: number 30 missing",
        "check: 3 problems: 1 critical, 1 functional, 1 cosmetic",
    ]
    assert result.exit_code == 1


def test_check_exits_0_without_critical_findings(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", po=PO.replace('msgstr "田远东"', 'msgstr "田渊栋"'))
    result = CliRunner().invoke(app, ["--root", str(root), "check", "--lang", "zh"])
    assert result.stdout.splitlines()[-1] == "check: 2 problems: 0 critical, 1 functional, 1 cosmetic"
    assert result.exit_code == 0


def test_check_json_names_the_state_of_each_entry(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    result = CliRunner().invoke(app, ["--root", str(root), "check", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {"path": "locales/zh/x.po", "line": 8, "severity": "critical", "check": "glossary",
         "message": '"Tian Yuandong" must be 田渊栋', "state": "approved"},
        {"path": "locales/zh/x.po", "line": 14, "severity": "cosmetic",
         "check": "zh-punctuation", "message": 'half-width "." in Chinese text; use "。"',
         "state": "draft"},
        {"path": "locales/zh/x.po", "line": 18, "severity": "functional", "check": "numbers",
         "message": "number 30 missing", "state": "approved"},
    ]


def test_check_on_a_language_without_catalogs_and_an_unknown_language(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nlanguages = ["en", "zh", "de"]\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["--root", str(root), "check", "--lang", "de"])
    assert (result.exit_code, result.stdout) == (
        0, "check: 0 problems: 0 critical, 0 functional, 0 cosmetic\n")
    result = CliRunner().invoke(app, ["--root", str(root), "check", "--lang", "fr"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: pyproject.toml:2: language 'fr' is not one of this "
        "workspace's languages (en, zh, de) (add it to [tool.l10n] languages)\n")


def test_a_broken_catalog_is_one_error_line(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", po=PO + "\ngarbage here\n")
    result = CliRunner().invoke(app, ["--root", str(root), "check"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == 'error: locales/zh/x.po:28: keyword "garbage" unknown\n'


def test_the_publication_gate_holds_back_critical_entries_only(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    project = Project.load(root)
    article = project.articles()[0]
    gate = checks.publication_gate(project, article, "zh")
    catalog = polib.pofile(PO)
    reasons = {entry.msgid: gate(entry) for entry in catalog}
    assert reasons == {
        "Tian Yuandong": 'critical: glossary: "Tian Yuandong" must be 田渊栋',
        "Tian Yuandong works at FAIR.": None,
        "It has 30 parts.": None,
        "Not translated yet.": None,
        "Old Tian Yuandong": None,
    }


def test_html_placeholder_tags_go_through_the_html_format_module() -> None:
    context = zh(format_name="html")
    findings = run_checks("Run <code1>make 2</code1> or read <a2>the guide</a2>.",
                          "运行 <code1>make 2</code1> 或阅读指南。", context)
    assert {(f.check, f.severity) for f in findings} == {("markup", "critical")}
    assert run_checks("Run <code1>make 2</code1> or read <a2>the guide</a2>.",
                      "运行 <code1>make 2</code1> 或阅读<a2>指南</a2>。", context) == []


# -- invariants --------------------------------------------------------------------------------

PIECES = [*"ab 1,.`*_[]()<>/:!#{}%$\\\n", "中", "。", "https://x.y/", "<span>", "</span>"]
# HTML msgids carry the format's numbered placeholder tags, each once, and a literal "<" as &lt;.
HTML_PIECES = [*"ab 1,.`*_[]()/:!#{}%$\\\n", "中", "。", "https://x.y/", "&lt;", "&amp;",
               "<b{n}>a 中</b{n}>", "<br{n}/>", "<code{n}>x, 1</code{n}>"]


def numbered(pieces: list[str]) -> str:
    return "".join(piece.format(n=n) if "{n}" in piece else piece
                   for n, piece in enumerate(pieces, start=1))


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_a_markdown_string_copied_unchanged_fails_nothing_but_style(text: str) -> None:
    findings = run_checks(text, text, zh(zh_latin_spacing="space"))
    assert [f for f in findings if f.severity != "cosmetic"] == []


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(HTML_PIECES), max_size=30).map(numbered))
def test_an_html_string_copied_unchanged_fails_nothing_but_style(text: str) -> None:
    findings = run_checks(text, text, zh(format_name="html", zh_latin_spacing="space"))
    assert [f for f in findings if f.severity != "cosmetic"] == []


def test_every_commonmark_block_copied_unchanged_fails_nothing_but_style() -> None:
    from l10n.formats import FormatOptions
    from l10n.formats import markdown as markdown_format

    checked = 0
    for example in spec_examples():
        try:
            segments = markdown_format.extract(example.markdown, "x.md", options=FormatOptions())
        except SourceError:
            continue
        for segment in segments:
            findings = run_checks(segment.msgid, segment.msgid, zh())
            assert [f for f in findings if f.severity != "cosmetic"] == [], example.number
            checked += 1
    assert checked > 500


# -- fast paths: they skip work, never a finding ------------------------------------------------

def slow_findings(msgid: str, msgstr: str, context: CheckContext) -> list[Finding]:
    """run_checks the long way: every applicable check, the markup ones too when the raw markup
    is the same (equal markup must mean they find nothing), findings sorted by severity."""
    if not msgid or not msgstr:
        return []
    pair = Pair(msgid, msgstr, context)
    findings = [Finding(c.name, c.severity, message) for c in CHECKS
                if context.format_name in c.formats and c.applies(context)
                for message in LONG_WAY.get(c.name, c.function)(pair)]
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))


# Checks whose own shortcuts are to be tested against the long way.
LONG_WAY = {"placeholders": text_checks.placeholder_changes,
            "references": markup_checks.reference_changes,
            "footnotes": markup_checks.footnote_changes,
            "task-list": markup_checks.task_list_changes,
            "brackets": markup_checks.bracketed_changes,
            "attributes": markup_checks.attribute_changes,
            "code": markup_checks.code_changes}


@pytest.mark.parametrize(("msgid", "msgstr", "same", "expected"), [
    pytest.param("See [a](/x), `y` and <b>z</b>.", "见 <b>丙</b>、`y` 和[甲](/x)。", False, [],
                 id="markup moved about: the parse decides"),
    pytest.param("[a](/x) and [b](/y)", "[甲](/y)和[乙](/x)", False, [], id="links swapped"),
    pytest.param("[a](/x)", "[甲](/y)", False,
                 ["critical: links: link /x missing", "critical: links: link /y added"],
                 id="a link target changed"),
    pytest.param("Run `a` now", "现在运行 a", False,
                 ["critical: code: code span `a` missing"], id="a code span dropped"),
    pytest.param("Hi {name} and `{x}`", "你好 {nom} 和 `{x}`", True,
                 ["critical: placeholders: placeholder {name} missing",
                  "critical: placeholders: placeholder {nom} added"],
                 id="same markup, a placeholder broken"),
    pytest.param("Use `{x}` here", "在这里用 {x}", False,
                 ["critical: code: code span `{x}` missing",
                  "critical: placeholders: placeholder {x} added"],
                 id="a placeholder out of its code span"),
    pytest.param("A **bold** move", "一个大胆的举动", True,
                 ["functional: emphasis: **strong** spans: 1 in the source, 0 in the translation"],
                 id="no brackets, but emphasis dropped"),
    pytest.param("Mail a@b.org or see http://x.org/a", "写信给 a@b.org", True,
                 ["functional: urls: http://x.org/a missing"], id="an address kept, a URL lost"),
    pytest.param("Write to a@b.org", "写信", True, ["functional: urls: a@b.org missing"],
                 id="an address lost"),
    pytest.param("Costs ５ euros, see www.x.org/5", "费用 6 欧元", True,
                 ["functional: urls: www.x.org/5 missing", "functional: numbers: number 5 missing"],
                 id="a full-width digit and a number inside a URL"),
    pytest.param("Kept\u3000\n", "保留\n", True,
                 ["cosmetic: whitespace: trailing whitespace differs from the source"],
                 id="trailing whitespace beyond ASCII"),
])
def test_a_fast_path_finds_what_the_full_checks_find(msgid: str, msgstr: str, same: bool,
                                                     expected: list[str]) -> None:
    from l10n.checks.registry import _same_markup

    assert _same_markup(msgid, msgstr) is same
    assert found(msgid, msgstr) == expected
    assert [str(f) for f in slow_findings(msgid, msgstr, zh())] == expected


@pytest.mark.parametrize(("msgid", "msgstr"), [("![a](/x) [b](/y)", "![a](/y) [b](/x)"),
                                               ("[a](/x)", "](/x)[a")],
                         ids=["image and link trade targets", "brackets trade places"])
def test_equal_markup_pieces_in_another_arrangement(msgid: str, msgstr: str) -> None:
    assert found(msgid, msgstr) == [str(f) for f in slow_findings(msgid, msgstr, zh())]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_run_checks_finds_exactly_what_the_full_checks_find(data: st.DataObject) -> None:
    pieces = data.draw(st.lists(st.sampled_from([*PIECES, "**", "*a*", "{x}", "%s", "5",
                                                 "[a](/x)", "[b](/y)", "`c`", "a@b.co",
                                                 "{{", "}}"]),
                                max_size=12))
    # The translation: the source's pieces reordered, some dropped, some added.
    reordered = data.draw(st.permutations(pieces))
    kept = [p for p in reordered if data.draw(st.integers(0, 5)) > 0]
    msgstr = "".join(kept + data.draw(st.lists(st.sampled_from(PIECES), max_size=2)))
    msgid = "".join(pieces)
    for context in (zh(), zh(format_name="html")):
        assert run_checks(msgid, msgstr, context) == slow_findings(msgid, msgstr, context)
        assert (run_checks(msgid, msgstr, context, severities=("critical",))
                == [f for f in slow_findings(msgid, msgstr, context) if f.severity == "critical"])


@pytest.mark.parametrize("msgid", ["a{[a](/x)}", "{*a*}"], ids=["link", "emphasis"])
def test_a_placeholder_joined_by_markup(msgid: str) -> None:
    # The source's prose ("a{a}", "{a}") holds {a}; the translation's prose "a" does not.
    msgstr = msgid.removeprefix("a").strip("{}")
    assert found(msgid, msgstr) == ["critical: placeholders: placeholder {a} missing"]


@pytest.mark.parametrize(("msgid", "msgstr", "shortcut"), [
    pytest.param("Use {{ name }} and **x**", "用 **甲** 和 {{ name }}", True, id="{{ }}, bold elsewhere"),
    pytest.param("{{ name }}**x**", "**甲**{{ name }}", True, id="bold right after }}"),
    pytest.param("{a}*b*", "*乙*{a}", True, id="emphasis after a closer"),
    pytest.param("Set {user_name} and %(user_name)s", "设置 %(user_name)s 和 {user_name}", True,
                 id="_ inside a name"),
    pytest.param("Run `{x}` with %s *now*", "*现在*用 %s 运行 `{x}`", True, id="%s, then a space"),
    pytest.param("{{ a != b }}", "{{ a != b }}。", True, id="! not before ["),
    pytest.param("%s*x*y", "%s 甲乙", False, id="%s then *: the prose has %sxy"),
    pytest.param("%*s*", "%s", False, id="markup between % and s"),
    pytest.param("%(*a*)s", "%(a)s", False, id="markup in %(name)s"),
    pytest.param("${*x*}", "*x*", False, id="markup in ${x}"),
    pytest.param("$*{x}*", "*{x}*", False, id="markup between $ and {"),
    pytest.param("{{ *x* }}", "*x*", False, id="markup in {{ }}"),
    pytest.param("{{ a }*}", "{{ a }}*", False, id="markup that makes the closer"),
    pytest.param("{% *if* %}", "*if*", False, id="markup in {% %}"),
    pytest.param("{_a_}", "_a_", False, id="_ that is emphasis"),
    pytest.param("{a\\_b}", "a\\_b", False, id="an escape in a name"),
    pytest.param("{a![b](/i)}", "![b](/i)", False, id="an image's alt joins a name"),
    pytest.param("{a&#98;}", "a", False, id="an entity in a name"),
    pytest.param("&#123;a}", "a}", False, id="an entity that is an opener"),
    pytest.param("${a\n  b}", "${a\n  b} 甲", False, id="${ } across lines"),
])
def test_the_placeholder_shortcut_only_where_markup_cannot_join(msgid: str, msgstr: str,
                                                                shortcut: bool) -> None:
    pair = Pair(msgid, msgstr, zh())
    assert pair.same_markup
    list(text_checks.placeholders(pair))
    # The shortcut decides from the raw strings: it never parses them.
    assert ("source" not in pair.__dict__) is shortcut
    assert found(msgid, msgstr) == [str(f) for f in slow_findings(msgid, msgstr, zh())]


# -- l10n check on many articles: the same report on one core or several ------------------------

def test_check_workspace_reports_the_same_in_parallel(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_workspace(tmp_path / "ws")
    for n in range(70):   # more than l10n.parallel runs in-process
        (root / "source" / f"a{n:02}.md").write_text(
            f"# Yann LeCun {n}\n\nRead [the guide](/g/{n}) and run `make {n}`.\n",
            encoding="utf-8")
        link = f"/g/{n}" if n % 3 else "/g/x"
        code = f"make {n}" if n % 4 else "make"
        (root / "locales" / "zh" / f"a{n:02}.po").write_text(
            PO.split("#. heading 1")[0]
            + f'#: source/a{n:02}.md:1\nmsgid "Yann LeCun {n}"\n'
            + f'msgstr "{"扬·勒丘恩" if n % 5 == 0 else "杨立昆"} {n + n % 2}"\n\n'
            + f'#: source/a{n:02}.md:3\n{"#, fuzzy" + chr(10) if n % 7 == 0 else ""}'
            + f'msgid "Read [the guide](/g/{n}) and run `make {n}`."\n'
            + f'msgstr "阅读[指南]({link})并运行 `{code}`。"\n', encoding="utf-8")
    project = Project.load(root)
    monkeypatch.setenv("L10N_JOBS", "1")
    alone = checks.check_workspace(project)
    monkeypatch.setenv("L10N_JOBS", "2")
    assert checks.check_workspace(project) == alone
    assert len(alone) > 70
    assert {r.check for r in alone} >= {"glossary", "links", "code", "numbers"}
    assert {r.state for r in alone} == {"approved", "draft"}
    assert [r.path for r in alone] == sorted(r.path for r in alone)


# -- reference links, footnotes and task list boxes: labels defined outside the msgid ------------

REFERENCE_EXAMPLES = [
    example("a full reference keeps its label; its text is translated",
            "Read [the post][pt] today.", "今天阅读[文章][pt]。"),
    example("a full reference's label translated",
            "Read [the post][pt] today.", "今天阅读[文章][帖子]。",
            "critical: references: reference label [pt] changed to [帖子]: keep [pt] as written "
            "(the link text may change)"),
    example("labels match as CommonMark matches them: case and inner spaces",
            "See [the post][Big  Post] and [pt][].", "见[文章][big post]和[PT][]。"),
    example("a collapsed reference may become a full one with the same label",
            "See [pt][] now.", "现在见[文章][pt]。"),
    example("a collapsed reference translated",
            "See [pt][] now.", "现在见[帖子][]。",
            "critical: references: reference label [pt] changed to [帖子]: keep [pt] as written "
            "(the link text may change)"),
    example("a bare [x] that the string shows is a label is critical",
            "Read [the post][pt], then [pt] again.", "先读[文章][pt]，再读[帖子]。",
            "critical: references: reference label [pt] changed: keep [pt] as written "
            "(the link text may change)"),
    example("a bare number in brackets is a label",
            "As shown [1].", "如图所示[一]。",
            "critical: references: reference label [1] changed: keep [1] as written "
            "(the link text may change)"),
    example("any other bare [x] may be prose: a functional finding, a person decides",
            "He [Smith] said so [sic].", "他[史密斯]这样说[sic]。",
            "functional: brackets: [Smith] changed: if it is a link reference (a line [Smith]: … "
            "in the article), keep [Smith] as written"),
    example("a bare [x] kept as written is fine", "See [pt].", "见 [pt]。"),
    example("[...] is no one's label", "He said [...] no.", "他说[……]不。"),
    example("an image reference and an image shortcut",
            "Logo ![the logo][img] and ![icon] here.", "标志![标志][图]和![图标]。",
            "critical: references: reference label [img] changed to [图]: keep [img] as written "
            "(the link text may change)",
            "critical: references: reference label [icon] changed to [图标]: keep [icon] as "
            "written (the link text may change)"),
    example("a reference label added",
            "Read the post.", "阅读[文章][pt]。",
            "critical: references: reference label [pt] added: the source has no link labelled "
            "[pt]"),
    example("a label after a link text that holds code",
            "Run [the `make` step][mk].", "运行[`make` 步骤][制作]。",
            "critical: references: reference label [mk] changed to [制作]: keep [mk] as written "
            "(the link text may change)"),
    example("brackets in code spans, link destinations and escapes are no labels",
            "Use `a[i]`, [docs](/d[1]) and \\[x].", "用 `a[i]`、[文档](/d[1]) 和 \\[甲]。"),
    example("footnote references keep their labels",
            "As noted[^1] twice[^note].", "如前所述[^一]两次。",
            "critical: footnotes: footnote [^1] changed to [^一]: keep [^1] as written",
            "critical: footnotes: footnote [^note] missing: keep [^note] as written"),
    example("a footnote added", "Plain.", "平[^2]。",
            "critical: footnotes: footnote [^2] added: the source has no footnote [^2]"),
    example("a task box kept", "[ ] Write the report", "[ ] 写报告"),
    example("a ticked box may be written [x] or [X]", "[x] Done", "[X] 完成"),
    example("a task box ticked by the translation",
            "[ ] Write the report", "[x] 写报告",
            "critical: task-list: task list box [ ] changed to [x]: keep [ ] as written "
            "(it is the box's state)"),
    example("a task box dropped",
            "[x] Write the report", "写报告",
            "critical: task-list: task list box [x] missing: start the translation with [x] as "
            "written"),
    example("a task box with no space after it is no box",
            "[x] Write the report", "[x]写报告",
            "critical: task-list: task list box [x] needs a space after it: start with [x] and "
            "a space"),
    example("a task box the source has not",
            "Write the report", "[ ] 写报告",
            "critical: task-list: task list box [ ] added: the source is not a task list item"),
    example("a box and a reference in one task item",
            "[ ] Read [the post][pt]", "[ ] 阅读[文章][pt]"),
]


@pytest.mark.parametrize(("msgid", "msgstr", "expected"), REFERENCE_EXAMPLES)
def test_reference_labels_footnotes_and_task_boxes(msgid: str, msgstr: str,
                                                   expected: list[str]) -> None:
    # Style aside: zh-punctuation takes the "!" of an unresolved image reference for prose.
    assert [f for f in found(msgid, msgstr) if not f.startswith("cosmetic")] == expected
    assert [str(f) for f in slow_findings(msgid, msgstr, zh())
            if f.severity != "cosmetic"] == expected


def test_reference_checks_are_for_markdown_only() -> None:
    assert found("<a1>Read</a1> [the post][pt]", "<a1>阅读</a1>[文章][帖子]",
                 zh(format_name="html")) == []


def test_what_extract_puts_in_a_msgid_keeps_labels_and_task_boxes() -> None:
    # The checks compare what the format extracts: task boxes and reference labels are in it.
    from l10n.formats import FormatOptions
    from l10n.formats import markdown as markdown_format

    source = ("Read [the post][pt], [pt][] or [pt].[^1]\n\n- [ ] open task\n- [x] done task\n\n"
              "[pt]: https://example.com/post\n[^1]: A note.\n")
    msgids = [s.msgid for s in markdown_format.extract(source, "x.md", options=FormatOptions())]
    assert msgids[:3] == ["Read [the post][pt], [pt][] or [pt].[^1]", "[ ] open task",
                          "[x] done task"]


# A workspace whose drafts break a reference label, a footnote and a task box, and one clean.
TASKS_SOURCE = """\
# Release notes

Read [the post][pt] and [the notes][] first.[^1]

- [ ] Update the docs
- [x] Ship the build

He [Smith] agreed.

[pt]: https://example.com/post
[the notes]: https://example.com/notes
[^1]: Written by the team.
"""
TASKS_DRAFTS = {
    "Release notes": "发布说明",
    "Read [the post][pt] and [the notes][] first.[^1]": "先阅读[文章][帖子]和[说明][]。[^1]",
    "[ ] Update the docs": "[x] 更新文档",
    "[x] Ship the build": "发布构建",
    "He [Smith] agreed.": "他[史密斯]同意了。",
    "Written by the team.": "由团队撰写。",
}


def tasks_workspace(root: Path) -> Path:
    from l10n.pofile import read_catalog, write_catalog

    (root / "source").mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[tool.l10n]\nsource_language = "en"\nlanguages = ["en", "zh"]\n', encoding="utf-8")
    (root / "source" / "notes.md").write_text(TASKS_SOURCE, encoding="utf-8")
    for command in ("extract", "update"):
        result = CliRunner().invoke(app, ["--root", str(root), command])
        assert result.exit_code == 0, result.output
    path = root / "locales" / "zh" / "notes.po"
    catalog = read_catalog(path)
    assert sorted(e.msgid for e in catalog) == sorted(TASKS_DRAFTS)
    for entry in catalog:
        entry.msgstr = TASKS_DRAFTS[entry.msgid]
        entry.flags = ["fuzzy"]
    write_catalog(catalog, path)
    return root


def lines_of(root: Path) -> dict[str, int]:
    from l10n.pofile import read_catalog

    return {e.msgid: e.linenum for e in read_catalog(root / "locales" / "zh" / "notes.po")}


def test_l10n_check_reports_broken_labels_and_boxes(tmp_path: Path) -> None:
    root = tasks_workspace(tmp_path / "ws")
    line = lines_of(root)
    refs, todo, done = (line["Read [the post][pt] and [the notes][] first.[^1]"],
                        line["[ ] Update the docs"], line["[x] Ship the build"])
    smith = line["He [Smith] agreed."]
    result = CliRunner().invoke(app, ["--root", str(root), "check"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        (f"locales/zh/notes.po:{refs}: critical: references: reference label [pt] changed to "
        "[帖子]: keep [pt] as written (the link text may change)"),
        (f"locales/zh/notes.po:{refs}: critical: references: reference label [the notes] changed "
        "to [说明]: keep [the notes] as written (the link text may change)"),
        (f"locales/zh/notes.po:{todo}: critical: task-list: task list box [ ] changed to [x]: "
        "keep [ ] as written (it is the box's state)"),
        (f"locales/zh/notes.po:{done}: critical: task-list: task list box [x] missing: start the "
        "translation with [x] as written"),
        (f"locales/zh/notes.po:{smith}: functional: brackets: [Smith] changed: if it is a link "
        "reference (a line [Smith]: … in the article), keep [Smith] as written"),
        "check: 5 problems: 4 critical, 1 functional, 0 cosmetic",
    ]
    result = CliRunner().invoke(app, ["--root", str(root), "check", "--json"])
    assert result.exit_code == 1
    assert [(r["line"], r["severity"], r["check"], r["state"]) for r in json.loads(result.stdout)
            ] == [(refs, "critical", "references", "draft"), (refs, "critical", "references", "draft"),
                  (todo, "critical", "task-list", "draft"), (done, "critical", "task-list", "draft"),
                  (smith, "functional", "brackets", "draft")]


def test_approve_clean_leaves_broken_labels_and_boxes_as_drafts(tmp_path: Path) -> None:
    from l10n.pofile import read_catalog

    root = tasks_workspace(tmp_path / "ws")
    result = CliRunner().invoke(app, ["--root", str(root), "review", "--approve-clean",
                                      "--reviewer", "Ann Lee <ann@example.org>"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "review: 2 approved, 0 edited, 0 rejected, 4 skipped, 0 held back")
    catalog = read_catalog(root / "locales" / "zh" / "notes.po")
    assert {e.msgid for e in catalog if "fuzzy" not in e.flags} == {
        "Release notes", "Written by the team."}
    # Bulk approval without --force holds the critical ones back; the functional one goes.
    result = CliRunner().invoke(app, ["--root", str(root), "review", "--approve-all",
                                      "--reviewer", "Ann Lee <ann@example.org>"])
    assert result.stdout.splitlines()[-1] == (
        "review: 1 approved, 0 edited, 0 rejected, 0 skipped, 3 held back")
    catalog = read_catalog(root / "locales" / "zh" / "notes.po")
    assert {e.msgid for e in catalog if "fuzzy" in e.flags} == {
        "Read [the post][pt] and [the notes][] first.[^1]", "[ ] Update the docs",
        "[x] Ship the build"}


def test_the_publication_gate_holds_back_broken_labels_and_boxes(tmp_path: Path) -> None:
    from l10n.pofile import read_catalog

    root = tasks_workspace(tmp_path / "ws")
    project = Project.load(root)
    gate = checks.publication_gate(project, project.articles()[0], "zh")
    held = {e.msgid for e in read_catalog(root / "locales" / "zh" / "notes.po") if gate(e)}
    assert held == {"Read [the post][pt] and [the notes][] first.[^1]", "[ ] Update the docs",
                    "[x] Ship the build"}


# Markdown with reference links, footnotes and boxes, and what a translator may do to each piece.
LABELLED = ["[the post][pt]", "[pt][]", "[pt]", "[Sic]", "[1]", "[^1]", "![a][img]", "[a](/x)",
            "`[c]`", "\\[", "]", "[", "[x] ", "[ ] ", "a", " ", "中"]
CHANGED = ["[文章][pt]", "[帖子][]", "[帖子]", "[sic]", "[PT]", "[^一]", "[原文]", "[x]", "[ ]", "x"]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_reference_shortcuts_find_what_the_long_way_finds(data: st.DataObject) -> None:
    pieces = data.draw(st.lists(st.sampled_from(LABELLED), max_size=10))
    kept = [p if data.draw(st.integers(0, 3)) else data.draw(st.sampled_from(CHANGED))
            for p in data.draw(st.permutations(pieces))]
    msgid, msgstr = "".join(pieces), "".join(kept)
    assert found(msgid, msgstr) == [str(f) for f in slow_findings(msgid, msgstr, zh())]
    # Only the link texts translated, the pieces kept apart: no label, footnote or box finding.
    msgid = " x ".join(pieces)
    reworded = msgid.replace("[the post]", "[文章]").replace("![a]", "![甲]")
    assert not {f.check for f in run_checks(msgid, reworded, zh())} & {
        "references", "footnotes", "task-list", "brackets"}


# -- what is inside code elements is code: <code>, <kbd>, <samp>, <var>, <tt> --------------------

HTML_CODE = "Code <code1>x &lt; y</code1> inline and <kbd2>Ctrl</kbd2>."


def test_the_content_of_a_code_element_in_an_html_article_is_never_translated() -> None:
    context = zh(format_name="html")
    assert found(HTML_CODE, "内联代码 <code1>x 小于 y</code1>，以及 <kbd2>控制</kbd2>。", context) == [
        "critical: code: code <code1>x &lt; y</code1> changed: keep what is inside <code1> as written",
        "critical: code: code <kbd2>Ctrl</kbd2> changed: keep what is inside <kbd2> as written"]
    # In another order, with "<" written as another entity: the same code.
    assert found(HTML_CODE, "按 <kbd2>Ctrl</kbd2>，内联代码 <code1>x &#60; y</code1>。", context) == []
    # An element dropped whole is the markup check's, said once.
    assert found(HTML_CODE, "内联代码 <code1>x &lt; y</code1>，以及 Ctrl。", context) == [
        "critical: markup: tag <kbd2> is missing"]
    assert found("Set <var1>n</var1> with <samp2>OK</samp2>", "用<samp2>好</samp2>设置<var1>数</var1>",
                 context) == [
        "critical: code: code <var1>n</var1> changed: keep what is inside <var1> as written",
        "critical: code: code <samp2>OK</samp2> changed: keep what is inside <samp2> as written"]


def test_the_content_of_raw_html_code_in_markdown_is_never_translated() -> None:
    assert found("Press <kbd>Ctrl</kbd> and run <code>a b</code>.",
                 "按 <kbd>控制</kbd> 并运行 <code>a b</code>。") == [
        "critical: code: code <kbd>Ctrl</kbd> changed: keep what is inside <kbd> as written"]
    # Like code spans, in any order.
    assert found("Run <code>a</code>, then <code>b</code>.", "先运行 <code>b</code>，再运行 <code>a</code>。") == []
    # Dropped whole: the tags check says so.
    assert found("Run <code>a b</code> now.", "现在运行。") == [
        "critical: tags: tag <code> missing", "critical: tags: tag </code> missing"]
    # Inside a code span, <code> is text, not an element.
    assert found("Write `<code>x</code>` here", "在这里写 `<code>x</code>`") == []


def test_equal_raw_markup_around_changed_code_content_is_not_a_shortcut() -> None:
    from l10n.checks.registry import _same_markup

    assert not _same_markup("Run <code>a b</code>", "运行 <code>甲 乙</code>")
    assert _same_markup("Run <b>a b</b>", "运行 <b>甲 乙</b>")


CODE_PIECES = ["<code>", "</code>", "<kbd>", "</kbd>", "<var>", "</var>", "`", "a", "b", " ", "中",
               "*", "<b>", "</b>", "\\", "&lt;", "1"]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_code_elements_the_shortcut_finds_what_the_long_way_finds(data: st.DataObject) -> None:
    pieces = data.draw(st.lists(st.sampled_from(CODE_PIECES), max_size=14))
    kept = [p if data.draw(st.integers(0, 3)) else data.draw(st.sampled_from(CODE_PIECES))
            for p in data.draw(st.permutations(pieces))]
    # And the words changed where they are, the markup kept: the raw markup is the same.
    words = [p if p.startswith("<") or data.draw(st.integers(0, 2)) else "甲" for p in pieces]
    msgid = "".join(pieces)
    for msgstr in ("".join(kept), "".join(words)):
        for context in (zh(), zh(format_name="html")):
            assert found(msgid, msgstr, context) == [
                str(f) for f in slow_findings(msgid, msgstr, context)]


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(HTML_PIECES), max_size=20).map(numbered))
def test_an_html_code_element_translated_is_one_finding(text: str) -> None:
    msgid = text + "<code99>x, 1</code99>"
    msgstr = msgid.replace("<code99>x, 1</code99>", "<code99>甲, 1</code99>")
    findings = run_checks(msgid, msgstr, zh(format_name="html"))
    assert [str(f) for f in findings if f.check == "code"] == [
        "critical: code: code <code99>x, 1</code99> changed: keep what is inside <code99> as written"]


# -- crossed tags in an HTML translation ---------------------------------------------------------

def test_crossed_html_tags_are_reported_as_crossing_once() -> None:
    context = zh(format_name="html")
    msgid = "Some <b1>bold <i2>x</i2></b1> text."
    assert found(msgid, "一些<b1>粗体 <i2>x</b1></i2>文本。", context) == [
        "critical: markup: tags cross: </b1> closes before </i2>; close <i2> first"]
    assert found(msgid, "一些<b1>粗体 <i2>x</i2></b1>文本。", context) == []
    three = "<b1>a <i2>b <u3>c</u3></i2></b1>"
    assert found(three, "<b1>甲 <i2>乙 <u3>丙</b1></u3></i2>", context) == [
        ("critical: markup: tags cross: </b1> closes before </u3> and </i2>; "
        "close <u3> and <i2> first")]
    # A closing tag with nothing open is no crossing.
    assert found("<b1>bold</b1>", "</b1>粗体<b1>", context) == [
        "critical: markup: </b1> closes a tag that is not open: tags must nest",
        "critical: markup: <b1> is never closed"]
    # A crossing, and another tag left open.
    assert found("<c3>x <b1>bold <i2>y</i2></b1></c3>", "<c3>x <b1>粗体 <i2>乙</b1></i2>", context) == [
        "critical: markup: tags cross: </b1> closes before </i2>; close <i2> first",
        "critical: markup: <c3> is never closed"]


# -- Chinese punctuation: Markdown syntax is not prose ------------------------------------------

def test_the_bang_of_a_markdown_image_is_not_half_width_punctuation() -> None:
    assert found("See ![the logo][logo] and ![a map](/map.png).",
                 "见图![标志][logo]和![地图](/map.png)。") == []
    assert found("Look![logo]", "看![标志][logo]") == []
    # A real exclamation mark after Chinese text still is.
    assert found("Great!", "很好!") == [
        'cosmetic: zh-punctuation: half-width "!" in Chinese text; use "！"']
    # Escaped, "\![" is an exclamation mark and a bracket.
    assert found("Great\\![1]", "很好\\![1]") == [
        'cosmetic: zh-punctuation: half-width "!" in Chinese text; use "！"']
    # In an HTML article "![" is only text.
    assert found("Great![1]", "很好![1]", zh(format_name="html")) == [
        'cosmetic: zh-punctuation: half-width "!" in Chinese text; use "！"']


# -- a heading's attribute block stays in the source --------------------------------------------

def test_an_attribute_block_typed_into_a_translation() -> None:
    from l10n.formats import FormatOptions
    from l10n.formats import markdown as markdown_format

    heading = markdown_format.extract("## Install it {#install .wide}\n", "x.md",
                                      options=FormatOptions())[0]
    assert heading.msgid == "Install it"
    assert found(heading.msgid, "安装 {#install .wide}") == [
        ("functional: attributes: attribute block {#install .wide} added: a heading keeps the "
        "source's {#id} and classes outside its text; remove it from the translation")]
    assert found("Install it", "安装{: .wide }") == [
        ("functional: attributes: attribute block {: .wide } added: a heading keeps the "
        "source's {#id} and classes outside its text; remove it from the translation")]
    # Placeholders, a block in the middle, and a block the source has too are no attributes.
    assert found("Hello {name}", "你好 {name}") == []
    assert found("Use {#x} here", "这里用 {#x}") == []
    assert found("Text {.note}", "文本 {.note}") == []
    assert found("Text", "文本 {.note}", zh(format_name="html")) == []


ATTRIBUTE_PIECES = ["{#a}", "{.b}", "{: #c }", "{-}", "{x}", "}", "{", " ", "a", "中", "#", "."]


@settings(max_examples=200, deadline=None)
@given(msgid=st.lists(st.sampled_from(ATTRIBUTE_PIECES), max_size=6).map("".join),
       msgstr=st.lists(st.sampled_from(ATTRIBUTE_PIECES), max_size=6).map("".join))
def test_the_attributes_shortcut_finds_what_the_long_way_finds(msgid: str, msgstr: str) -> None:
    assert found(msgid, msgstr) == [str(f) for f in slow_findings(msgid, msgstr, zh())]
