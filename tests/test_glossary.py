"""glossary.yml: loading and validation (one-line errors with file and line), matching rules,
translator hints. Every glossary here is a real file written to tmp_path."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from l10n.errors import GlossaryError
from l10n.glossary import Glossary, Term, TermHit

ISSUE_SAMPLE = """\
terms:
  - en: Tian Yuandong
    zh: 田渊栋
    note: research scientist at FAIR
  - en: Jia Yangqing
    zh: 贾扬清
  - en: FAIR
    keep: true            # the same in every language, never translated
  - en: Yann LeCun
    zh: 杨立昆
    forbidden:
      zh: [扬·勒丘恩]      # variants that must never appear in a zh translation
  - en: Meta
    keep: true
    case_sensitive: true  # the default; false makes the source match ignore case
  - en: PyTorch
    zh: PyTorch
  - en: PyTorch Foundation
    zh: PyTorch 基金会
  - en: open source
    zh: 开源
    case_sensitive: false
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def load(path: Path, languages: tuple[str, ...] = ("en", "zh"),
         source_languages: tuple[str, ...] = ("en",)) -> Glossary:
    return Glossary.load(path, languages=languages, source_languages=source_languages,
                         display="glossary.yml")


def error_of(tmp_path: Path, text: str, **kwargs: tuple[str, ...]) -> str:
    with pytest.raises(GlossaryError) as caught:
        load(write(tmp_path, text), **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.fixture
def glossary(tmp_path: Path) -> Glossary:
    return load(write(tmp_path, ISSUE_SAMPLE))


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Glossary:
    """The issue's glossary, loaded once (hypothesis tests cannot take function fixtures)."""
    return load(write(tmp_path_factory.mktemp("glossary"), ISSUE_SAMPLE))


def found(glossary: Glossary, text: str, language: str = "en") -> list[str]:
    return [hit.text for hit in glossary.find(text, language)]


# -- loading ----------------------------------------------------------------------------------

def test_the_issue_sample_loads_with_every_field(glossary: Glossary) -> None:
    assert len(glossary) == 8 and glossary.path == "glossary.yml"
    tian, jia, fair, lecun, meta, *_ = glossary.terms
    assert tian == Term(forms={"en": "Tian Yuandong", "zh": "田渊栋"},
                        note="research scientist at FAIR", line=2)
    assert (jia.line, fair.line, lecun.line, meta.line) == (5, 7, 9, 13)
    assert fair.keep and fair.forms == {"en": "FAIR"} and fair.form("zh") == "FAIR"
    assert lecun.forbidden == {"zh": ("扬·勒丘恩",)} and lecun.forbidden_in("en") == ()
    assert glossary.terms[-1].case_sensitive is False
    assert tian.form("de") is None


def test_a_missing_file_is_an_empty_glossary(tmp_path: Path) -> None:
    glossary = load(tmp_path / "glossary.yml")
    assert glossary.terms == () and not glossary
    assert glossary.find("FAIR", "en") == [] and glossary.comments("FAIR", "en", "zh") == []


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "terms:\n", "terms: []\n"])
def test_an_empty_file_or_list_has_no_terms(tmp_path: Path, text: str) -> None:
    assert load(write(tmp_path, text)).terms == ()


def test_errors_name_the_path_given_to_load_when_there_is_no_display(tmp_path: Path) -> None:
    path = write(tmp_path, "terms: 3\n")
    with pytest.raises(GlossaryError) as caught:
        Glossary.load(path, languages=["en", "zh"])
    assert str(caught.value) == f"{path}:1: terms: expected a list of terms"


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "glossary.yml"
    path.write_bytes(b"terms:\n  - en: Caf\xe9\n")
    with pytest.raises(GlossaryError) as caught:
        load(path)
    assert str(caught.value) == "glossary.yml:2: not UTF-8 (byte 0xe9) (save the file as UTF-8)"


@pytest.mark.parametrize(("text", "message"), [
    ("terms:\n  - en: FAIR\n    zh: [unclosed\n",
     ("glossary.yml:4: invalid YAML: while parsing a flow sequence, expected ',' or ']', "
      "but got '<stream end>'")),
    ("terms:\n  - en: FAIR: Meta\n",
     "glossary.yml:2: invalid YAML: mapping values are not allowed here"),
    ("terms: []\n---\nterms: []\n",
     ("glossary.yml:2: invalid YAML: expected a single document in the stream, "
      "but found another document")),
])
def test_malformed_yaml(tmp_path: Path, text: str, message: str) -> None:
    assert error_of(tmp_path, text) == message


@pytest.mark.parametrize(("text", "message"), [
    ("- en: FAIR\n", "glossary.yml:1: expected a mapping with a 'terms:' list"),
    ("words:\n  - en: FAIR\n",
     "glossary.yml:1: unknown top-level key 'words' (the glossary has one key, terms:)"),
    ("# the glossary\nterms:\n  en: FAIR\n", "glossary.yml:3: terms: expected a list of terms"),
    # Two glossaries pasted together: YAML keeps the second list and drops the first.
    ("terms:\n  - en: Tian Yuandong\n    zh: 田渊栋\nterms:\n  - en: PyTorch\n    keep: true\n",
     "glossary.yml:4: duplicate top-level key 'terms' (merge the two lists into one terms: list)"),
    ("terms:\n  - FAIR\n", "glossary.yml:2: a term must be a mapping such as 'en: FAIR'"),
])
def test_the_file_must_be_a_mapping_with_a_terms_list(tmp_path: Path, text: str,
                                                      message: str) -> None:
    assert error_of(tmp_path, text) == message


def test_an_unknown_key_in_a_term(tmp_path: Path) -> None:
    text = """\
        terms:
          - en: Tian Yuandong
            zh: 田渊栋
            notes: research scientist
        """
    assert error_of(tmp_path, text) == (
        "glossary.yml:4: unknown key 'notes' in term "
        "(expected a language (en, zh) or keep, case_sensitive, note, forbidden)")


@pytest.mark.parametrize(("text", "line", "language"), [
    ("terms:\n  - en: Tian Yuandong\n    zh: 田渊栋\n  - en: Jia Yangqing\n    de: Jia Yangqing\n",
     5, "de"),
    ("terms:\n  - en: Yann LeCun\n    forbidden:\n      fr: [Yann Le Cun]\n", 4, "fr"),
], ids=["form", "forbidden"])
def test_a_language_the_workspace_does_not_have(tmp_path: Path, text: str, line: int,
                                                language: str) -> None:
    assert error_of(tmp_path, text) == (
        f"glossary.yml:{line}: language '{language}' is not one of this workspace's languages "
        "(en, zh) (add it to [tool.l10n] languages or remove it)")


def test_every_term_needs_a_form_in_each_source_language(tmp_path: Path) -> None:
    text = """\
        terms:
          - en: Tian Yuandong
            zh: 田渊栋
          - zh: 贾扬清
        """
    assert error_of(tmp_path, text) == (
        "glossary.yml:4: term '贾扬清' has no en form (articles are written in en)")
    # Articles in both languages: every term needs both forms.
    assert error_of(tmp_path, "terms:\n  - en: Jia Yangqing\n",
                    source_languages=("en", "zh")) == (
        "glossary.yml:2: term 'Jia Yangqing' has no zh form (articles are written in zh)")


def test_a_keep_term_needs_just_one_form_in_any_language(tmp_path: Path) -> None:
    glossary = load(write(tmp_path, "terms:\n  - zh: 微信\n    keep: true\n"),
                    source_languages=("en", "zh"))
    assert glossary.terms[0].form("en") == "微信"
    assert found(glossary, "I use 微信 daily") == ["微信"]


def test_a_keep_term_has_exactly_one_form(tmp_path: Path) -> None:
    assert error_of(tmp_path, "terms:\n  - en: FAIR\n    zh: FAIR\n    keep: true\n") == (
        "glossary.yml:2: a keep: true term has one form, the same in every language; "
        "got en, zh")


def test_a_term_with_no_form(tmp_path: Path) -> None:
    assert error_of(tmp_path, "terms:\n  - note: nothing\n", source_languages=()) == (
        "glossary.yml:2: term has no form (give at least one, e.g. 'en: FAIR')")


@pytest.mark.parametrize(("text", "message"), [
    ("terms:\n  - en: FAIR\n    keep: true\n  - en: FAIR\n    zh: 脸书人工智能研究院\n",
     "glossary.yml:4: duplicate term 'FAIR' (en): already at line 2"),
    ("terms:\n  - en: Yann LeCun\n    zh: 杨立昆\n  - en: LeCun\n    zh: 杨立昆\n",
     "glossary.yml:5: duplicate term '杨立昆' (zh): already at line 3"),
    # Either term being case-insensitive makes `Open Source` and `open source` the same.
    (("terms:\n  - en: Open Source\n    zh: 开源\n  - en: open source\n    zh: 开放源代码\n"
      "    case_sensitive: false\n"),
     "glossary.yml:4: duplicate term 'open source' (en): already at line 2"),
    # A keep term is the same in every language, so it collides with a zh form too.
    ("terms:\n  - en: Meta Platforms\n    zh: Meta\n  - en: Meta\n    keep: true\n",
     "glossary.yml:4: duplicate term 'Meta' (zh): already at line 3"),
    # `zh` and `zh_CN` name the same language.
    ("terms:\n  - en: Yann LeCun\n    zh: 杨立昆\n  - en: LeCun\n    zh_CN: 杨立昆\n",
     "glossary.yml:5: duplicate term '杨立昆' (zh_CN): already at line 3"),
])
def test_duplicates(tmp_path: Path, text: str, message: str) -> None:
    assert error_of(tmp_path, text) == message


def test_forms_differing_in_case_are_distinct_terms_when_both_are_case_sensitive(
        tmp_path: Path) -> None:
    glossary = load(write(tmp_path, "terms:\n  - en: FAIR\n    keep: true\n"
                                    "  - en: Fair\n    zh: 公平\n"))
    assert [hit.term.line for hit in glossary.find("Fair FAIR", "en")] == [4, 2]


def test_the_same_form_in_two_languages_is_no_duplicate(tmp_path: Path) -> None:
    assert len(load(write(tmp_path, "terms:\n  - en: PyTorch\n    zh: PyTorch\n"))) == 1


@pytest.mark.parametrize(("text", "message"), [
    ("terms:\n  - en: FAIR\n    keep: 'yes'\n",
     "glossary.yml:3: keep: expected true or false, got text 'yes'"),
    ("terms:\n  - en: FAIR\n    keep: true\n    case_sensitive: [true]\n",
     "glossary.yml:4: case_sensitive: expected true or false, got a list"),
    ("terms:\n  - en: Apollo 11\n    zh: 11\n",
     "glossary.yml:3: zh: expected text, got a number '11' (quote it)"),
    ("terms:\n  - en: FAIR\n    keep: true\n    note: [a, b]\n",
     "glossary.yml:4: note: expected text, got a list"),
    ("terms:\n  - en: Yann LeCun\n    forbidden: 扬·勒丘恩\n",
     ("glossary.yml:3: forbidden: expected a mapping of language to variants, "
      "got text '扬·勒丘恩'")),
    ("terms:\n  - en: Yann LeCun\n    forbidden:\n      zh: [2019]\n",
     "glossary.yml:4: forbidden: zh: expected text, got a number '2019' (quote it)"),
    ("terms:\n  - en: Yann LeCun\n    forbidden:\n      zh: []\n",
     "glossary.yml:4: forbidden: zh: empty list"),
    ("terms:\n  - en: Yann LeCun\n    zh: 杨立昆\n    forbidden:\n      zh: [杨立昆]\n",
     "glossary.yml:2: forbidden: '杨立昆' is the term's own zh form"),
])
def test_wrong_value_types(tmp_path: Path, text: str, message: str) -> None:
    assert error_of(tmp_path, text) == message


@pytest.mark.parametrize(("text", "message"), [
    ("terms:\n  - en: FAIR\n    keep: true\n  - en: ''\n", "glossary.yml:4: en: empty"),
    ("terms:\n  - en: Jia Yangqing\n    zh:\n", "glossary.yml:3: zh: expected text, got nothing"),
    ("terms:\n  - en: ' FAIR'\n    keep: true\n",
     "glossary.yml:2: en: ' FAIR' has leading or trailing spaces"),
])
def test_empty_forms(tmp_path: Path, text: str, message: str) -> None:
    assert error_of(tmp_path, text) == message


@pytest.mark.parametrize(("text", "message"), [
    ("terms:\n  - en: FAIR\n    en: Fair\n",
     "glossary.yml:3: duplicate key 'en' in term (same as 'en')"),
    ("terms:\n  - en: Yann LeCun\n    zh-Hans: 杨立昆\n    zh_Hans: 杨立昆\n",
     "glossary.yml:4: duplicate key 'zh_Hans' in term (same as 'zh-Hans')"),
])
def test_a_key_twice_in_a_term(tmp_path: Path, text: str, message: str) -> None:
    assert error_of(tmp_path, text, languages=("en", "zh_Hans")) == message


def test_glossary_keys_match_workspace_languages_both_ways(tmp_path: Path) -> None:
    # Workspace zh_Hans_CN, glossary zh: the zh form serves zh_Hans_CN.
    glossary = load(write(tmp_path, "terms:\n  - en: Jia Yangqing\n    zh: 贾扬清\n"),
                    languages=("en", "zh_Hans_CN"))
    assert glossary.terms[0].form("zh_Hans_CN") == "贾扬清"
    assert glossary.comments("Jia Yangqing", "en", "zh_Hans_CN") == [
        "glossary: Jia Yangqing → 贾扬清"]
    # Workspace zh, glossary zh-CN.
    glossary = load(write(tmp_path, "terms:\n  - en: Jia Yangqing\n    zh-CN: 贾扬清\n"))
    assert glossary.terms[0].form("zh") == "贾扬清"
    assert found(glossary, "贾扬清说", "zh") == ["贾扬清"]


def test_the_closest_form_wins_when_a_term_has_several_variants_of_a_language(
        tmp_path: Path) -> None:
    text = "terms:\n  - en: software\n    zh_Hans: 软件\n    zh_Hant: 軟體\n"
    term = load(write(tmp_path, text), languages=("en", "zh_Hans", "zh_Hant")).terms[0]
    assert (term.form("zh_Hans_CN"), term.form("zh_Hant_TW"), term.form("zh")) == (
        "软件", "軟體", "软件")


def test_yaml_booleans_are_plain_keys(tmp_path: Path) -> None:
    # YAML 1.1 reads a bare `no` as false; as a key it is Norwegian.
    glossary = load(write(tmp_path, "terms:\n  - en: Oslo\n    no: Oslo\n"),
                    languages=("en", "no"))
    assert glossary.terms[0].forms == {"en": "Oslo", "no": "Oslo"}


# -- matching ---------------------------------------------------------------------------------

def test_the_longest_term_wins(glossary: Glossary) -> None:
    hits = glossary.find("The PyTorch Foundation took over PyTorch.", "en")
    assert [(hit.start, hit.end, hit.text) for hit in hits] == [
        (4, 22, "PyTorch Foundation"), (33, 40, "PyTorch")]
    assert hits[0].term.form("zh") == "PyTorch 基金会"
    assert isinstance(hits[0], TermHit)


def test_a_shorter_term_is_found_when_the_longer_one_runs_into_a_word(glossary: Glossary) -> None:
    assert found(glossary, "PyTorch Foundations") == ["PyTorch"]


@pytest.mark.parametrize(("text", "hits"), [
    ("FAIR works fairly", ["FAIR"]),
    ("Fair, FAIRly, unFAIR, FAIR2, FAIR_lab, 2FAIR", []),
    ("(FAIR), FAIR's, “FAIR”, FAIR-led, FAIR.", ["FAIR"] * 5),
    ("在FAIR工作，FAIR。FAIR的研究", ["FAIR"] * 3),
    ("FAIR에서 일했다", ["FAIR"]),
    ("Metadata and Meta", ["Meta"]),
])
def test_latin_forms_match_on_word_boundaries_even_next_to_cjk(glossary: Glossary, text: str,
                                                               hits: list[str]) -> None:
    assert found(glossary, text) == hits
    assert found(glossary, text, "zh") == hits  # keep terms are found in every language


def test_case_insensitive_terms_ignore_case_and_report_the_text_as_written(
        glossary: Glossary) -> None:
    hits = glossary.find("Open Source and OPEN SOURCE and open sources", "en")
    assert [hit.text for hit in hits] == ["Open Source", "OPEN SOURCE"]
    assert {hit.term.form("zh") for hit in hits} == {"开源"}


def test_cjk_forms_match_anywhere(glossary: Glossary) -> None:
    hits = glossary.find("田渊栋和贾扬清都加入了PyTorch 基金会", "zh")
    assert [(hit.start, hit.text) for hit in hits] == [
        (0, "田渊栋"), (4, "贾扬清"), (11, "PyTorch 基金会")]


@pytest.mark.parametrize(("text", "hits"), [
    ("Run `FAIR` or ``a `FAIR` b`` but FAIR", ["FAIR"]),
    ('<a href="/FAIR" title="FAIR">FAIR</a> <!-- FAIR -->', ["FAIR"]),
    ("See https://ai.meta.com/FAIR/ and www.FAIR.org, mailto:FAIR@meta.com; FAIR", ["FAIR"]),
    ("<https://example.com/FAIR> FAIR", ["FAIR"]),
    ('[FAIR](https://example.com/FAIR "FAIR") and ![Meta](img/Meta.png)', ["FAIR", "Meta"]),
    ("访问https://fair.example/FAIR。FAIR", ["FAIR"]),
    ("an unclosed `FAIR code span", ["FAIR"]),
])
def test_no_hits_in_code_tags_urls_or_link_destinations(glossary: Glossary, text: str,
                                                        hits: list[str]) -> None:
    assert found(glossary, text) == hits


def test_forbidden_variants_are_found_in_their_language_only(glossary: Glossary) -> None:
    hits = glossary.find_forbidden("杨立昆，不是扬·勒丘恩", "zh")
    assert [(hit.start, hit.text, hit.term.form("en")) for hit in hits] == [
        (6, "扬·勒丘恩", "Yann LeCun")]
    assert glossary.find_forbidden("扬·勒丘恩", "en") == []


def test_terms_are_hashable_and_comparable(glossary: Glossary) -> None:
    assert len(set(glossary.terms)) == len(glossary.terms)


# -- translator hints -------------------------------------------------------------------------

def test_comments_give_one_line_per_distinct_term_in_text_order(glossary: Glossary) -> None:
    msgid = ("Tian Yuandong left FAIR, then Tian Yuandong met Yann LeCun at `Meta` and Meta; "
             "open source!")
    assert glossary.comments(msgid, "en", "zh") == [
        "glossary: Tian Yuandong → 田渊栋 (research scientist at FAIR)",
        "glossary: FAIR → FAIR (keep)",
        "glossary: Yann LeCun → 杨立昆",
        "glossary: Meta → Meta (keep)",
        "glossary: open source → 开源",
    ]


def test_comments_skip_terms_without_a_target_form(tmp_path: Path) -> None:
    glossary = load(write(tmp_path, "terms:\n  - en: Jia Yangqing\n  - en: FAIR\n    keep: true\n"
                                    "    note: Fundamental AI Research\n"))
    assert glossary.comments("Jia Yangqing at FAIR", "en", "zh") == [
        "glossary: FAIR → FAIR (keep; Fundamental AI Research)"]
    assert glossary.comments("nothing here", "en", "zh") == []


def test_comments_from_a_chinese_source(glossary: Glossary) -> None:
    assert glossary.comments("杨立昆在FAIR", "zh", "en") == [
        "glossary: 杨立昆 → Yann LeCun", "glossary: FAIR → FAIR (keep)"]


# -- properties and speed ---------------------------------------------------------------------

PLAIN_TERMS = ["FAIR", "Meta", "PyTorch", "PyTorch Foundation", "Open Source", "open source",
               "Tian Yuandong"]
FILLERS = ["the", "fairly", "metadata", "model", "工作", "研究", "Fair", "a", "x2"]
PROTECTED = ["`FAIR`", "`` Meta ` PyTorch ``", '<span title="FAIR">', "</Meta>",
             "https://example.com/FAIR/PyTorch", "www.meta.com/Meta", "<!-- 田渊栋 -->",
             "](https://x.org/FAIR)"]
SEPARATORS = [" ", ", ", "，", "。", "在", "\n", ". "]

fragment = st.one_of(
    st.sampled_from(PLAIN_TERMS).map(lambda t: ("term", t)),
    st.sampled_from(FILLERS).map(lambda t: ("filler", t)),
    st.sampled_from(PROTECTED).map(lambda t: ("protected", t)),
)


@settings(max_examples=250, deadline=None)
@given(st.lists(st.tuples(fragment, st.sampled_from(SEPARATORS)), max_size=12))
def test_hits_never_overlap_and_never_touch_code_or_urls(sample: Glossary, parts: list) -> None:
    glossary = sample
    text, expected, protected = "", [], []
    for (kind, piece), separator in parts:
        span = (len(text), len(text) + len(piece))
        if kind == "term":
            expected.append(span)
        elif kind == "protected":
            protected.append(span)
        text += piece + separator
    hits = glossary.find(text, "en")
    ends = [0] + [hit.end for hit in hits]
    assert all(hit.start >= end for hit, end in zip(hits, ends))  # ordered, no overlap
    assert all(text[hit.start:hit.end] == hit.text for hit in hits)
    for hit in hits:
        assert all(hit.end <= start or hit.start >= end for start, end in protected), (hit, text)
    assert [(hit.start, hit.end) for hit in hits] == expected


def _reference_find(text: str, forms: list[tuple[str, bool]]) -> list[tuple[int, int]]:
    """The matching rules written the slow, obvious way: at each place, the longest form that
    matches there and does not start or end inside a Latin word."""
    def word(char: str) -> bool:
        return char.isalnum() and char != "在"

    hits, i = [], 0
    while i < len(text):
        for form, sensitive in sorted(forms, key=lambda item: -len(item[0])):
            j = i + len(form)
            piece = text[i:j]
            if (piece == form if sensitive else piece.lower() == form.lower()) \
                    and not (i > 0 and word(text[i - 1]) and word(text[i])) \
                    and not (j < len(text) and word(text[j - 1]) and word(text[j])):
                hits.append((i, j))
                i = j
                break
        else:
            i += 1
    return hits


@st.composite
def forms_and_text(draw: st.DrawFn) -> tuple[list[tuple[str, bool]], str]:
    """A few forms over a tiny alphabet, and a text made of them (some in another case) and
    single characters, so that forms overlap, nest and touch words often."""
    forms = draw(st.lists(st.tuples(st.text("aAb 在", min_size=1, max_size=4), st.booleans()),
                          min_size=1, max_size=6))
    pieces = [form for form, _ in forms] + [form.swapcase() for form, _ in forms]
    text = draw(st.lists(st.sampled_from(pieces + list("aAb 在")), max_size=10))
    return forms, "".join(text)


@settings(max_examples=300, deadline=None)
@given(forms_and_text())
# The longest form runs into a word, a shorter one does not.
@example(([("a b", True), ("a", True)], "a ba"))
# A case-insensitive form is longer than the case-sensitive one at the same place.
@example(([("aA", True), ("aab", False)], "aAb"))
def test_find_agrees_with_a_naive_longest_match(
        case: tuple[list[tuple[str, bool]], str]) -> None:
    forms, text = case
    unique: dict[str, tuple[str, bool]] = {}
    for form, sensitive in forms:  # what validation lets through: no case-folded duplicates
        if form.strip() == form and all(
                form != other and (sensitive and other_sensitive or form.lower() != other.lower())
                for other, other_sensitive in unique.values()):
            unique[form] = (form, sensitive)
    terms = tuple(Term(forms={"en": form}, case_sensitive=sensitive)
                  for form, sensitive in unique.values())
    hits = Glossary(terms=terms).find(text, "en")
    assert [(hit.start, hit.end) for hit in hits] == _reference_find(text, list(unique.values()))
    assert all(hit.term.forms["en"].lower() == hit.text.lower() for hit in hits)


def test_a_large_glossary_compiles_and_matches_quickly(tmp_path: Path) -> None:
    lines = ["terms:"]
    for number in range(2000):
        lines.append(f"  - en: Person{number} Surname{number % 37}\n    zh: 人名{number}")
    glossary = load(write(tmp_path, "\n".join(lines) + "\n"))
    msgid = ("Yesterday **Person1999 Surname1** met Person7 Surname7 at `Person8 Surname8` "
             "and [Person12 Surname12](https://example.com/Person12) to talk about the model. ")
    started = time.perf_counter()
    hits = [glossary.find(msgid * 3, "en") for _ in range(3000)]
    elapsed = time.perf_counter() - started
    assert [hit.text for hit in hits[0][:3]] == [
        "Person1999 Surname1", "Person7 Surname7", "Person12 Surname12"]
    # About 0.3 s on the 2-core machine; the bound only catches a pattern that went quadratic.
    assert elapsed < 5, f"{elapsed:.2f} s for 3,000 msgids against 2,000 terms"
