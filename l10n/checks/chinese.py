"""Chinese typography: full-width punctuation, spacing between Chinese and Latin text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from l10n.checks.registry import CheckContext, Pair, check

HAN = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"
_FULL_WIDTH = {",": "，", ".": "。", ";": "；", ":": "：", "?": "？", "!": "！"}
# After a Chinese character: , ; : ? ! always; "." unless a Latin letter follows (百度.com).
_HALF_WIDTH = re.compile(rf"(?<={HAN})[ \t]*([,;:?!]|\.(?![A-Za-z0-9]))")
# In Markdown, "![" opens an image: a reference image ![alt][label], whose definition is another
# block, is text to the inline parse, and its "!" is syntax, not prose. (Written "\![", the "!"
# is prose again: a translation that escapes one is held to the rule above.)
_HALF_WIDTH_MARKDOWN = re.compile(rf"(?<={HAN})[ \t]*([,;:?]|!(?!\[)|\.(?![A-Za-z0-9]))")
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
    half_width = _HALF_WIDTH if pair.context.format_name != "markdown" or "\\!" in pair.msgstr \
        else _HALF_WIDTH_MARKDOWN
    found = Counter(m.group(1) for m in half_width.finditer(text))
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
