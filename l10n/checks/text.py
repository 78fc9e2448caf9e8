"""What passes through the words: URLs, numbers, template placeholders."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from l10n.checks.markup import compare
from l10n.checks.registry import Pair, check

# URLs and e-mail addresses written out in prose.
_WEB = r"(?:https?://|www\.)[^\s<>()\[\]\"'，。；：！？、（）]+"
_MAIL = r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
URL = re.compile(f"{_WEB}|{_MAIL}")
# One half of URL, for a text where the other cannot match (no "@"; no "://" or "www."): the
# same matches, without trying the slow address form at every word.
_WEB_ONLY, _MAIL_ONLY = re.compile(_WEB), re.compile(_MAIL)
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^}]+\}|%\([A-Za-z_]\w*\)[sdifr]"
                          r"|%[sdif]\b|\{[A-Za-z_]\w*\}|\{\d+\}")


# What a prose placeholder needs in the raw text: an opener, or "&" of an entity that decodes to one.
_PLACEHOLDER_MARK = re.compile(r"[{%$&]")
# What the inline parse can remove or change: emphasis delimiters (not "_" inside a word),
# brackets, code spans, tags and autolinks, escapes, entities, "\r" and NUL.
_MARKUP = (r"(?:[`*\[\]\r\x00]|\\[\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\n]|<[A-Za-z/!?]|!\[|&[#A-Za-z]"
           r"|(?<!\w)_|_(?!\w))")
# Where the prose can hold other placeholders than the raw text: markup between an opener and its
# closer ("{*a*}" is "{a}" in the prose), right after "$" or "%" ("$*{x}*"), or right after "%s"
# (which ends at a word boundary); an entity that decodes to an opener. Markup elsewhere only
# removes whole code spans, tags and link destinations, which equal markup makes the same.
# Grouped by the first character, which lets the engine skip to the next opener.
_TOUCHED = re.compile(
    r"\{(?:\w*" + _MARKUP                               # {*a*}, {a\_b}, a{[a](/x)}
    + r"|\{(?:[^}\n]|\}(?!\}))*" + _MARKUP               # {{ *x* }}
    + r"|%(?:[^%\n]|%(?!\}))*" + _MARKUP + ")"            # {% *x* %}
    + r"|\$(?:\{[^}]*(?:\n|" + _MARKUP + ")"              # ${*x*}; spaces at a line end go
    + "|" + _MARKUP + ")"                                 # $*{x}*
    + r"|%(?:\(\w*\)?|[sdif])?" + _MARKUP                # %*s*, %(*a*)s, %s*a*
    + r"|&(?:#|lbrace;|lcub;|dollar;|percnt;)")        # &#123;x}
_NOT_DIGIT = re.compile(r"\D")


def _url_pattern(text: str) -> re.Pattern[str] | None:
    """What finds the matches of ``URL`` in ``text``: None when it has none, since a web address
    needs "://" or "www." and an e-mail address "@"."""
    mail = "@" in text
    if "://" in text or "www." in text:
        return URL if mail else _WEB_ONLY
    return _MAIL_ONLY if mail else None


def _urls(text: str) -> list[str]:
    pattern = _url_pattern(text)
    if pattern is None:
        return []
    return [m.group(0).rstrip(".,;:!?") for m in pattern.finditer(text)]


@check("urls", "functional")
def urls(pair: Pair) -> Iterator[str]:
    """URLs and e-mail addresses written out in the text (link targets are the links check's)."""
    have = set(_urls(pair.target.prose))
    for url in dict.fromkeys(_urls(pair.source.prose)):
        if url not in have:
            yield f"{url} missing"


def _numbers(text: str) -> dict[str, str]:
    """Numbers by their digits alone, so 1,000 and 1000 and 1 000 match; not those inside URLs."""
    if not text.isascii():   # ASCII text is its own NFKC form
        text = unicodedata.normalize("NFKC", text)
    pattern = _url_pattern(text)
    if pattern is not None:
        text = pattern.sub(" ", text)
    return {_NOT_DIGIT.sub("", m.group(0)): m.group(0) for m in _NUMBER.finditer(text)}


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
    want = _numbers(pair.source.prose)
    if not want:
        return
    have = _numbers(pair.target.prose)
    for digits, shown in want.items():
        if digits not in have and not _spelled_out(digits, pair.target.prose,
                                                   pair.context.target_language):
            yield f"number {shown} missing"


@check("placeholders", "critical")
def placeholders(pair: Pair) -> Iterator[str]:
    """Template variables ({{ x }}, {name}, %s, ${x}) pass through untouched."""
    if _PLACEHOLDER_MARK.search(pair.msgid) is None and _PLACEHOLDER_MARK.search(pair.msgstr) is None:
        return iter(())
    if pair.msgid == pair.msgstr:
        return iter(())
    if pair.same_markup:
        source, target = _PLACEHOLDER.findall(pair.msgid), _PLACEHOLDER.findall(pair.msgstr)
        if ((source == target or Counter(source) == Counter(target))
                and _TOUCHED.search(pair.msgid) is None and _TOUCHED.search(pair.msgstr) is None):
            return iter(())   # no markup touches a placeholder: the prose ones match too
    return placeholder_changes(pair)


def placeholder_changes(pair: Pair) -> Iterator[str]:
    """The placeholders check the long way: the placeholders of the two proses compared."""
    return compare("placeholder", _PLACEHOLDER.findall(pair.source.prose),
                   _PLACEHOLDER.findall(pair.target.prose))
