"""YAML front matter of a Markdown article: where it is, its translatable values, its ``lang:``.

Front matter is YAML between a first line ``---`` and the next ``---`` or ``...`` line, and must
be a mapping. It is composed (not loaded) so that every value keeps its exact span in the source:
a translation replaces only that span, as a double-quoted scalar, and every other byte is kept.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from l10n.errors import SourceError

_LINE_BREAK = re.compile(r"\r\n?|\n")
_YAML_KEY = re.compile(r"""[^\s#\-\[\]{}>|*&!%@`'"?,][^:]*:(?:[ \t]|$)|["'][^"']+["'][ \t]*:""")
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class FrontMatter:
    body_line: int  # the first line after the closing fence (0-based)
    mapping: yaml.MappingNode | None
    offset: int  # where the YAML text starts in the original text
    first_line: int  # the file line (1-based) of the YAML text's first line


@dataclass(frozen=True)
class Value:
    """A string value under one of the translatable keys, and the span of text it covers."""

    msgid: str
    line: int  # 1-based, the key's line
    key: str
    start: int
    end: int
    trailer: str  # the line breaks that end a block scalar's span (kept after a translation)


def line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts in it (lines end with \\n, \\r\\n or \\r)."""
    if "\r" not in text:  # the usual case, without a regex match object per line
        starts = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n"))]
        starts.pop()
        return starts
    return [0, *(m.end() for m in _LINE_BREAK.finditer(text))]


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line's start and text (without its line break), read lazily."""
    start = 0
    for match in _LINE_BREAK.finditer(text):
        yield start, text[start:match.start()]
        start = match.end()
    yield start, text[start:]


def front_matter(text: str, path: str | None) -> FrontMatter | None:
    """YAML between a first line ``---`` and the next ``---``/``...`` line, if it is a mapping."""
    if not text.startswith("---"):
        return None
    starts: list[int] = []  # of the lines read so far: up to the closing fence, not the body
    lines: list[str] = []
    close = None
    for start, content in _lines(text):
        starts.append(start)
        lines.append(content)
        if len(lines) == 1:
            if content.rstrip(" \t") != "---":
                return None
        elif content.rstrip(" \t") in ("---", "..."):
            close = len(lines) - 1
            break
    if close is None:
        return None
    meaningful = [ln for ln in lines[1:close] if ln.strip() and not ln.lstrip().startswith("#")]
    if meaningful and not _YAML_KEY.match(meaningful[0]):
        return None  # e.g. a thematic break followed by a setext heading
    offset, end = starts[1], starts[close]
    try:
        node = _compose(text[offset:end])
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = 2 + mark.line if mark is not None else 1
        raise SourceError(f"malformed YAML front matter: {error.problem or error.context}",
                          path=path, line=line,
                          hint="fix the YAML between the two --- lines") from None
    except yaml.YAMLError as error:
        raise SourceError(f"malformed YAML front matter: {error}", path=path, line=2) from None
    if node is not None and not isinstance(node, yaml.MappingNode):
        raise SourceError("front matter is not a mapping of keys to values", path=path, line=2,
                          hint="write `key: value` lines between the two --- lines")
    return FrontMatter(close + 1, node, offset, 2)


def values(fm: FrontMatter, text: str, keys: tuple[str, ...]) -> Iterator[Value]:
    """The plain string values under ``keys``, with their spans in ``text``; aliases, anchors
    and tagged values are left out."""
    if fm.mapping is None:
        return
    for key, value in fm.mapping.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value in keys
                and isinstance(value, yaml.ScalarNode) and value.tag == _STR_TAG):
            continue
        start, end = fm.offset + value.start_mark.index, fm.offset + value.end_mark.index
        source = text[start:end]
        if value.start_mark.index < key.end_mark.index or source[:1] in ("&", "!", "*"):
            continue  # an alias, an anchor or a tag: leave the YAML graph alone
        body = source.rstrip()
        yield Value(value.value.strip(), fm.first_line + key.start_mark.line, key.value,
                    start, end, source[len(body):] if value.style in ("|", ">") else "")


def language(fm: FrontMatter | None) -> str | None:
    """The front matter's ``lang:`` value, or None."""
    value = _lang_value(fm)
    if value is None:
        return None
    return value.value.strip() or None


def language_line(fm: FrontMatter | None) -> int | None:
    """The file line of the front matter's ``lang:`` key, or None."""
    item = _lang_item(fm)
    return None if fm is None or item is None else fm.first_line + item[0].start_mark.line


def keys(fm: FrontMatter | None) -> list[str]:
    """The top-level keys, in order (scalar keys only: a complex key is no name)."""
    if fm is None or fm.mapping is None:
        return []
    return [key.value for key, _ in fm.mapping.value if isinstance(key, yaml.ScalarNode)]


def language_edit(fm: FrontMatter, language: str) -> list[tuple[int, int, str]]:
    """The edit (start, end, replacement) that sets ``lang:`` to ``language``, if there is one."""
    value = _lang_value(fm)
    if value is None or value.value == language or value.style in ("|", ">"):
        return []
    start, end = fm.offset + value.start_mark.index, fm.offset + value.end_mark.index
    # A plain scalar's style is None from PyYAML and "" from libyaml.
    if re.fullmatch(r"[A-Za-z0-9_-]+", language) and value.style in (None, "", "'", '"'):
        quote = value.style or ""
        return [(start, end, f"{quote}{language}{quote}")]
    return [(start, end, _yaml_quoted(language))]


def write_value(translation: str, trailer: str) -> str | None:
    """The text that replaces a value's span with ``translation``; None for an empty one."""
    text = translation.strip()
    return _yaml_quoted(text) + trailer if text else None


def _compose(yaml_text: str) -> yaml.Node | None:
    """libyaml's fast composer (same nodes and marks); on an error, the pure-Python one, whose
    messages do not depend on the libyaml version."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(yaml_text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(yaml_text, Loader=yaml.SafeLoader)


def _lang_item(fm: FrontMatter | None) -> tuple[yaml.Node, yaml.Node] | None:
    if fm is None or fm.mapping is None:
        return None
    for key, value in fm.mapping.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "lang":
            return key, value
    return None


def _lang_value(fm: FrontMatter | None) -> yaml.ScalarNode | None:
    item = _lang_item(fm)
    return item[1] if item is not None and isinstance(item[1], yaml.ScalarNode) else None


def _yaml_quoted(value: str) -> str:
    """A double-quoted YAML scalar that reads back as ``value``."""
    out = ['"']
    for ch in value:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t" or (0x20 <= code <= 0x7E) or (0xA0 <= code <= 0xD7FF and code not in (
                0x2028, 0x2029)) or (0xE000 <= code <= 0xFFFD and code != 0xFEFF) \
                or code >= 0x10000:
            out.append(ch)
        else:
            out.append(f"\\u{code:04x}")
    out.append('"')
    return "".join(out)
