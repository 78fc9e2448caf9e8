"""Quality checks on one translation: small named functions, each with a severity.

Like Translate Toolkit's pofilter and Weblate's checks. A check sees the msgid, the msgstr and a
``CheckContext`` (languages, article format, glossary, settings) and yields one message per problem.
Severities: ``critical`` blocks approval and publication; ``functional`` is probably wrong;
``cosmetic`` is style.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt

from l10n.pofile import read_catalog
from l10n.project import same_language

if TYPE_CHECKING:
    import polib

    from l10n.glossary import Glossary
    from l10n.project import Article, Project

SEVERITIES = ("critical", "functional", "cosmetic")


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.check}: {self.message}"


@dataclass(frozen=True)
class CheckContext:
    """What the checks need beyond the two strings."""

    source_language: str = "en"
    target_language: str = "zh"
    format_name: str = "markdown"            # "markdown" or "html"
    glossary: Glossary | None = None
    zh_latin_spacing: str = "any"            # "space" | "none" | "any"


# -- what a reader sees in a string ------------------------------------------------------------

@dataclass(frozen=True)
class Inline:
    """One string taken apart: its prose and its markup."""

    prose: str                 # the words: code spans and autolinks become a \x00 separator
    display: str               # what a reader sees: code spans and autolinks included
    links: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    emphasis: tuple[str, ...] = ()   # "emphasis"/"strong", once per span
    tags: tuple[str, ...] = ()       # "<span>", "</span>", ...


_MD = MarkdownIt("commonmark").enable("table")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|"
                  r"[^\s>]+))?)*)\s*/?>")
_ATTR = re.compile(r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
SEPARATOR = "\x00"
# Code in an HTML msgid: <code>…</code>, or the format's numbered placeholder <code2>…</code2>.
_HTML_CODE = re.compile(r"<(code|kbd|samp|tt)(\d*)\b[^>]*>(.*?)</\1\2\s*>",
                        re.DOTALL | re.IGNORECASE)


def _tag_name(markup: str) -> str | None:
    match = _TAG.fullmatch(markup.strip())
    return f"<{match.group(1)}{match.group(2).lower()}>" if match else None


def parse_markdown(text: str) -> Inline:
    prose: list[str] = []
    display: list[str] = []
    links: list[str] = []
    images: list[str] = []
    code: list[str] = []
    emphasis: list[str] = []
    tags: list[str] = []
    for block in _MD.parseInline(text):
        in_autolink = False
        for token in block.children or []:
            if token.type == "link_open":
                links.append(str(token.attrs.get("href", "")))
                in_autolink = token.markup == "autolink"
            elif token.type == "link_close":
                in_autolink = False
            elif token.type == "image":
                images.append(str(token.attrs.get("src", "")))
                prose.append(token.content)
                display.append(token.content)
            elif token.type == "code_inline":
                code.append(token.content)
                prose.append(SEPARATOR)
                display.append(token.content)
            elif token.type in ("em_open", "strong_open"):
                emphasis.append("emphasis" if token.type == "em_open" else "strong")
            elif token.type == "html_inline":
                name = _tag_name(token.content)
                if name is not None:
                    tags.append(name)
                    links.extend(_attribute_urls(token.content))
            elif token.type in ("softbreak", "hardbreak"):
                prose.append("\n")
                display.append("\n")
            elif token.type == "text":
                prose.append(SEPARATOR if in_autolink else token.content)
                display.append(token.content)
    return Inline("".join(prose), "".join(display), tuple(links), tuple(images), tuple(code),
                  tuple(emphasis), tuple(tags))


def _attribute_urls(tag: str) -> list[str]:
    return [next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(tag)]


def parse_html(text: str) -> Inline:
    tags: list[str] = []
    urls: list[str] = []
    images: list[str] = []
    for match in _TAG.finditer(text):
        name = f"<{match.group(1)}{match.group(2).lower()}>"
        tags.append(name)
        (images if name == "<img>" else urls).extend(_attribute_urls(match.group(0)))
    code = tuple(html.unescape(_TAG.sub("", m.group(3))) for m in _HTML_CODE.finditer(text))
    without_code = _HTML_CODE.sub(SEPARATOR, text)
    prose = html.unescape(_TAG.sub("", without_code))
    display = html.unescape(_TAG.sub("", text))
    return Inline(prose, display, tuple(urls), tuple(images), code, (), tuple(tags))


_MARKDOWN_SPECIAL = re.compile(r"[`*_\[\]<>!&\\\n~]")


@lru_cache(maxsize=8192)
def parse(text: str, format_name: str) -> Inline:
    if format_name == "html":
        return parse_html(text)
    if _MARKDOWN_SPECIAL.search(text) is None:
        return Inline(text, text)   # plain words: no markup to find, skip the parser
    return parse_markdown(text)


def plain_text(text: str, format_name: str) -> str:
    """The words a reader sees in a msgid, without markup (for counting and searching)."""
    return parse(text, format_name).display


# -- the registry -------------------------------------------------------------------------------

class Pair:
    """A msgid and its translation; each side is parsed only if a check asks for it."""

    def __init__(self, msgid: str, msgstr: str, context: CheckContext) -> None:
        self.msgid = msgid
        self.msgstr = msgstr
        self.context = context

    @cached_property
    def source(self) -> Inline:
        return parse(self.msgid, self.context.format_name)

    @cached_property
    def target(self) -> Inline:
        return parse(self.msgstr, self.context.format_name)

    @cached_property
    def same_markup(self) -> bool:
        return self.context.format_name == "markdown" and _same_markup(self.msgid, self.msgstr)


# The raw material of links, images, code spans, autolinks and inline HTML in Markdown: escapes,
# code spans, <…>, brackets and link destinations or labels.
_MARKUP_RAW = re.compile(r"\\[\s\S]|(`+)[\s\S]*?(?<!`)\1(?!`)|<[^<>\n]*>|!?\[|\]\([^)\n]*\)?|\]\[[^\]\n]*\]?|\]")
_MARKUP_CHECKS = frozenset({"links", "images", "code", "tags"})


def _same_markup(msgid: str, msgstr: str) -> bool:
    """True when both sides hold exactly the same raw markup pieces: then links, images, code
    and tags cannot differ, and the (slow) inline parse is not needed to know it."""
    def pieces(text: str) -> list[str]:
        return sorted(m.group(0) for m in _MARKUP_RAW.finditer(text))

    return pieces(msgid) == pieces(msgstr)


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    function: Callable[[Pair], Iterable[str]]
    formats: tuple[str, ...]
    applies: Callable[[CheckContext], bool]


CHECKS: list[Check] = []


def check(name: str, severity: str, *, formats: tuple[str, ...] = ("markdown", "html"),
          applies: Callable[[CheckContext], bool] | None = None,
          ) -> Callable[[Callable[[Pair], Iterable[str]]], Callable[[Pair], Iterable[str]]]:
    """Register a check: a function from a Pair to the messages of the problems it finds."""
    assert severity in SEVERITIES

    def register(function: Callable[[Pair], Iterable[str]]) -> Callable[[Pair], Iterable[str]]:
        CHECKS.append(Check(name, severity, function, formats,
                            applies if applies is not None else (lambda context: True)))
        return function

    return register


@cache
def _html_markup_problems() -> Callable[[str, str], list[str]] | None:
    try:
        from l10n.formats import html as html_format
    except ImportError:
        return None
    return getattr(html_format, "markup_problems", None)


def _own_markup(context: CheckContext) -> bool:
    # HTML articles use the format module's own comparison when it offers one.
    return context.format_name != "html" or _html_markup_problems() is None


def run_checks(msgid: str, msgstr: str, context: CheckContext, *,
               severities: Sequence[str] = SEVERITIES) -> list[Finding]:
    """Every problem the checks (of the given severities) find in one translation, most severe
    first. An empty msgstr (nothing translated yet) has none."""
    if not msgstr or not msgid:
        return []
    pair = Pair(msgid, msgstr, context)
    skip = _MARKUP_CHECKS if pair.same_markup else frozenset()
    findings = [Finding(c.name, c.severity, message)
                for c in CHECKS if c.severity in severities and c.name not in skip
                and context.format_name in c.formats and c.applies(context)
                for message in c.function(pair)]
    return sorted(findings, key=lambda f: SEVERITIES.index(f.severity))


def has_critical(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "critical" for f in findings)


# -- markup -------------------------------------------------------------------------------------

def _compare(kind: str, source: Iterable[str], target: Iterable[str]) -> Iterator[str]:
    want, have = Counter(source), Counter(target)
    for item, count in want.items():
        lost = count - have[item]
        if lost > 0:
            yield f"{kind} {item} missing" + (f" ({lost} of {count})" if count > 1 else "")
    for item, count in have.items():
        extra = count - want[item]
        if extra > 0:
            yield f"{kind} {item} added" + (f" ({extra} more)" if want[item] else "")


@check("links", "critical", applies=_own_markup)
def links(pair: Pair) -> Iterator[str]:
    """Every link target of the source, as often as in the source; no new ones."""
    return _compare("link", pair.source.links, pair.target.links)


@check("images", "critical", applies=_own_markup)
def images(pair: Pair) -> Iterator[str]:
    return _compare("image", pair.source.images, pair.target.images)


@check("code", "critical", applies=_own_markup)
def code_spans(pair: Pair) -> Iterator[str]:
    """Code is never translated: the same code spans, byte for byte."""
    return _compare("code span", (f"`{c}`" for c in pair.source.code),
                    (f"`{c}`" for c in pair.target.code))


@check("tags", "critical", applies=_own_markup)
def tags(pair: Pair) -> Iterator[str]:
    return _compare("tag", pair.source.tags, pair.target.tags)


@check("emphasis", "functional", formats=("markdown",))
def emphasis(pair: Pair) -> Iterator[str]:
    want, have = Counter(pair.source.emphasis), Counter(pair.target.emphasis)
    for kind, shown in (("emphasis", "*emphasis*"), ("strong", "**strong**")):
        if want[kind] != have[kind]:
            yield f"{shown} spans: {want[kind]} in the source, {have[kind]} in the translation"


@check("markup", "critical", formats=("html",))
def html_markup(pair: Pair) -> Iterable[str]:
    problems = _html_markup_problems()
    return problems(pair.msgid, pair.msgstr) if problems is not None else ()


# -- URLs, numbers, placeholders ------------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'，。；：！？、（）]+"
                  r"|[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^}]+\}|%\([A-Za-z_]\w*\)[sdifr]"
                          r"|%[sdif]\b|\{[A-Za-z_]\w*\}|\{\d+\}")


def _urls(text: str) -> list[str]:
    return [m.group(0).rstrip(".,;:!?") for m in _URL.finditer(text)]


@check("urls", "functional")
def urls(pair: Pair) -> Iterator[str]:
    """URLs and e-mail addresses written out in the text (link targets are the links check's)."""
    have = set(_urls(pair.target.prose))
    for url in dict.fromkeys(_urls(pair.source.prose)):
        if url not in have:
            yield f"{url} missing"


def _numbers(text: str) -> dict[str, str]:
    """Numbers by their digits alone, so 1,000 and 1000 and 1 000 match; not those inside URLs."""
    text = _URL.sub(" ", unicodedata.normalize("NFKC", text))
    return {re.sub(r"\D", "", m.group(0)): m.group(0) for m in _NUMBER.finditer(text)}


# Small numbers a translation may spell out instead ("3 parts" -> "三个部分", "9 月" -> "September").
_SPELLED = {
    "en": ["zero", "one|first|january", "two|second|february", "three|third|march",
           "four|fourth|april", "five|fifth|may", "six|sixth|june", "seven|seventh|july",
           "eight|eighth|august", "nine|ninth|september", "ten|tenth|october",
           "eleven|eleventh|november", "twelve|twelfth|december"],
    "zh": ["零", "一", "二|两", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"],
}


def _spelled_out(digits: str, text: str, language: str) -> bool:
    words = _SPELLED.get(language.split("_")[0])
    if words is None or not digits.isdigit() or int(digits) >= len(words):
        return False
    pattern = words[int(digits)]
    if language.startswith("zh"):  # 十一 is not 一 and 十 also
        return re.search(rf"(?<![一二三四五六七八九十两])(?:{pattern})(?![一二三四五六七八九十])",
                         text) is not None
    return re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE) is not None


@check("numbers", "functional")
def numbers(pair: Pair) -> Iterator[str]:
    """Every number of the source in the translation, in digits or (up to 12) in words."""
    have = _numbers(pair.target.prose)
    for digits, shown in _numbers(pair.source.prose).items():
        if digits not in have and not _spelled_out(digits, pair.target.prose,
                                                   pair.context.target_language):
            yield f"number {shown} missing"


@check("placeholders", "critical")
def placeholders(pair: Pair) -> Iterator[str]:
    """Template variables ({{ x }}, {name}, %s, ${x}) pass through untouched."""
    if not any(mark in pair.msgid or mark in pair.msgstr for mark in "{%$"):
        return iter(())
    if pair.same_markup and (Counter(_PLACEHOLDER.findall(pair.msgid))
                             == Counter(_PLACEHOLDER.findall(pair.msgstr))):
        return iter(())   # same code spans, same placeholders: the prose ones match too
    return _compare("placeholder", _PLACEHOLDER.findall(pair.source.prose),
                    _PLACEHOLDER.findall(pair.target.prose))


# -- glossary -------------------------------------------------------------------------------------

@check("glossary", "critical")
def glossary(pair: Pair) -> Iterator[str]:
    """Every glossary term in the source appears in its pinned form; no forbidden variant does."""
    context = pair.context
    if context.glossary is None:
        return
    source, target = context.source_language, context.target_language
    present = {id(hit.term) for hit in context.glossary.find(pair.msgstr, target)}
    seen: set[int] = set()
    for hit in context.glossary.find(pair.msgid, source):
        form = hit.term.form(target)
        if form is None or id(hit.term) in seen:
            continue
        seen.add(id(hit.term))
        if id(hit.term) not in present:
            yield f'"{hit.text}" must be {form}'
    for hit in context.glossary.find_forbidden(pair.msgstr, target):
        named = hit.term.form(source) or hit.term.label
        yield f'"{named}" must not be {hit.text}; use {hit.term.form(target) or named}'


# -- text ---------------------------------------------------------------------------------------

def _edge(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    return match.group(0) if match else ""


@check("whitespace", "cosmetic")
def whitespace(pair: Pair) -> Iterator[str]:
    if _edge(r"^\s*", pair.msgid) != _edge(r"^\s*", pair.msgstr):
        yield "leading whitespace differs from the source"
    if _edge(r"\s*$", pair.msgid) != _edge(r"\s*$", pair.msgstr):
        yield "trailing whitespace differs from the source"


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


@check("untranslated", "cosmetic",
       applies=lambda c: not same_language(c.source_language.split("_")[0],
                                           c.target_language.split("_")[0]))
def untranslated(pair: Pair) -> Iterator[str]:
    """A translation identical to a source that has words to translate (not a name, not code)."""
    if pair.msgstr.strip() != pair.msgid.strip():
        return
    prose = _URL.sub(" ", pair.source.prose)
    glossary = pair.context.glossary
    if glossary is not None:
        # Names kept as they are (keep: true, or the same form in both languages) are not words
        # to translate.
        for hit in glossary.find(prose, pair.context.source_language):
            if hit.term.keep or hit.term.form(pair.context.target_language) == hit.text:
                prose = prose.replace(hit.text, " ")
    if len(_words(prose)) >= 2:
        yield "the translation is the source text unchanged"


# Characters per source character one expects, by whether each side is written in CJK.
_EXPECTED_RATIO = {(False, True): 0.35, (True, False): 2.8}
_CJK_LANGUAGES = ("zh", "ja", "ko")


@check("length", "cosmetic")
def length(pair: Pair) -> Iterator[str]:
    source = " ".join(pair.source.display.split())
    target = " ".join(pair.target.display.split())
    if len(source) < 20:
        return
    sides = (pair.context.source_language.split("_")[0] in _CJK_LANGUAGES,
             pair.context.target_language.split("_")[0] in _CJK_LANGUAGES)
    expected = _EXPECTED_RATIO.get(sides, 1.1)
    ratio = len(target) / len(source)
    if ratio < expected / 3 or ratio > expected * 3:
        yield (f"the translation is {ratio:.0%} of the source's length; "
               f"about {expected:.0%} is usual")


# -- Chinese typography ---------------------------------------------------------------------------

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"
_FULL_WIDTH = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！"}
# After a Chinese character: , ; : ? ! always; "." unless a Latin letter follows (百度.com).
_HALF_WIDTH = re.compile(rf"(?<={HAN})[ \t]*([,;:?!]|\.(?![A-Za-z0-9]))")
_QUOTED = re.compile(rf"\"[^\"\n]*{HAN}[^\"\n]*\"")
_NO_SPACE = re.compile(rf"{HAN}[A-Za-z0-9]|[A-Za-z0-9]{HAN}")
_SPACE = re.compile(rf"{HAN}[ \t]+[A-Za-z0-9]|[A-Za-z0-9][ \t]+{HAN}")


def _chinese(context: CheckContext) -> bool:
    return context.target_language.split("_")[0] == "zh"


@check("zh-punctuation", "cosmetic", applies=_chinese)
def zh_punctuation(pair: Pair) -> Iterator[str]:
    """Chinese text takes full-width punctuation: no half-width , . ; : ? ! right after a Chinese
    character, no straight quotes around Chinese words."""
    text = pair.target.prose
    found = Counter(m.group(1) for m in _HALF_WIDTH.finditer(text))
    for mark, count in found.items():
        times = f" ({count} times)" if count > 1 else ""
        yield f'half-width "{mark}" in Chinese text{times}; use "{_FULL_WIDTH[mark]}"'
    if _QUOTED.search(text):
        yield 'straight quotes around Chinese text; use “”'


@check("zh-spacing", "cosmetic",
       applies=lambda c: _chinese(c) and c.zh_latin_spacing in ("space", "none"))
def zh_spacing(pair: Pair) -> Iterator[str]:
    """Between Chinese and Latin letters or digits: a space ("space") or none ("none")."""
    text = pair.target.display
    wanted = pair.context.zh_latin_spacing == "space"
    places = [m.group(0) for m in (_NO_SPACE if wanted else _SPACE).finditer(text)]
    if places:
        more = f" and {len(places) - 1} more" if len(places) > 1 else ""
        problem = "no space" if wanted else "a space"
        yield (f'{problem} between Chinese and Latin text at "{places[0]}"{more} '
               f'(zh_latin_spacing = "{pair.context.zh_latin_spacing}")')


# -- the workspace --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Report:
    """One finding in one catalog entry, as ``l10n check`` prints it."""

    path: str        # the catalog, relative to the workspace
    line: int        # the entry's first line in the PO file
    severity: str
    check: str
    message: str
    state: str       # "approved" or "draft"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.check}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_glossary(project: Project, articles: Sequence[Article]) -> Glossary:
    """The workspace glossary (empty when there is no glossary.yml)."""
    from l10n.glossary import Glossary

    return Glossary.load(project.glossary_path, languages=project.settings.languages,
                         source_languages=sorted({a.language for a in articles}),
                         display=project.relative(project.glossary_path))


def context_for(project: Project, article: Article, language: str,
                glossary: Glossary | None) -> CheckContext:
    from l10n.formats import SUFFIXES

    return CheckContext(source_language=article.language, target_language=language,
                        format_name=SUFFIXES[article.suffix.lower()], glossary=glossary,
                        zh_latin_spacing=project.settings.zh_latin_spacing)


def check_entry(entry: polib.POEntry, context: CheckContext, *,
                severities: Sequence[str] = SEVERITIES) -> list[Finding]:
    """The findings on one catalog entry; obsolete, untranslated and plural entries have none."""
    if entry.obsolete or not entry.msgid or not entry.msgstr or entry.msgid_plural:
        return []
    return run_checks(entry.msgid, entry.msgstr, context, severities=severities)


def check_workspace(project: Project, *, languages: Sequence[str] | None = None) -> list[Report]:
    """Run every check on every approved entry and fuzzy draft of every catalog."""
    articles = project.articles()
    glossary = load_glossary(project, articles)
    reports: list[Report] = []
    for article in articles:
        for language in project.target_languages(article):
            if languages is not None and language not in languages:
                continue
            path = project.catalog_path(language, article.slug)
            if not path.exists():
                continue
            context = context_for(project, article, language, glossary)
            for entry in read_catalog(path, project.relative(path)):
                state = "draft" if "fuzzy" in entry.flags else "approved"
                for finding in check_entry(entry, context):
                    reports.append(Report(project.relative(path), entry.linenum,
                                          finding.severity, finding.check, finding.message, state))
    return reports


def publication_gate(project: Project, article: Article, language: str,
                     glossary: Glossary | None = None) -> Callable[[polib.POEntry], str | None]:
    """For the build: the reason an entry must not be published (a critical finding), or None."""
    if glossary is None:
        glossary = load_glossary(project, [article])
    context = context_for(project, article, language, glossary)

    def gate(entry: polib.POEntry) -> str | None:
        critical = [str(f) for f in check_entry(entry, context, severities=("critical",))]
        return "; ".join(critical) or None

    return gate
