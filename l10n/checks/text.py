"""What passes through the words: URLs, numbers, template placeholders."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from l10n.checks.markup import compare
from l10n.checks.registry import Pair, check

# URLs and e-mail addresses written out in prose.
URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'，。；：！？、（）]+"
                 r"|[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f]\d+)*")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^}]+\}|%\([A-Za-z_]\w*\)[sdifr]"
                          r"|%[sdif]\b|\{[A-Za-z_]\w*\}|\{\d+\}")


def _urls(text: str) -> list[str]:
    return [m.group(0).rstrip(".,;:!?") for m in URL.finditer(text)]


@check("urls", "functional")
def urls(pair: Pair) -> Iterator[str]:
    """URLs and e-mail addresses written out in the text (link targets are the links check's)."""
    have = set(_urls(pair.target.prose))
    for url in dict.fromkeys(_urls(pair.source.prose)):
        if url not in have:
            yield f"{url} missing"


def _numbers(text: str) -> dict[str, str]:
    """Numbers by their digits alone, so 1,000 and 1000 and 1 000 match; not those inside URLs."""
    text = URL.sub(" ", unicodedata.normalize("NFKC", text))
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
    return compare("placeholder", _PLACEHOLDER.findall(pair.source.prose),
                    _PLACEHOLDER.findall(pair.target.prose))
