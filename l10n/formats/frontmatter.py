"""Front matter of a Markdown article: where it is, its translatable values, its ``lang:``.

Front matter is YAML between a first line ``---`` and the next ``---`` or ``...`` line, and must
be a mapping. It is composed (not loaded) so that every value keeps its exact span in the source:
a translation replaces only that span, as a double-quoted scalar, and every other byte is kept.
An anchored value is translated where it is anchored (``title: &t Hello``) and its aliases
(``summary: *t``) follow it.

Hugo's TOML front matter, between two ``+++`` lines, is parsed with ``tomllib``; its top-level
strings are found line by line, each checked against what ``tomllib`` read, and a translation
replaces one as a basic string (the same double-quoted text reads back in TOML).
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from l10n.errors import SourceError, toml_problem

_LINE_BREAK = re.compile(r"\r\n?|\n")
_YAML_KEY = re.compile(r"""[^\s#\-\[\]{}>|*&!%@`'"?,][^:]*:(?:[ \t]|$)|["'][^"']+["'][ \t]*:""")
_STR_TAG = "tag:yaml.org,2002:str"
_ANCHOR = re.compile(r"&[^\s,\[\]{}]+\s+")
_ALIAS = re.compile(r"\*[^\s,\[\]{}]+")


@dataclass(frozen=True)
class TomlString:
    """A top-level string of TOML front matter and the span of its quoted text."""

    key: str
    line: int  # 1-based file line of the key
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class FrontMatter:
    body_line: int  # the first line after the closing fence (0-based)
    mapping: yaml.MappingNode | None
    offset: int  # where the YAML (or TOML) text starts in the original text
    first_line: int  # the file line (1-based) of the YAML text's first line
    # TOML front matter (``+++``, as Hugo writes it): its top-level keys and strings.
    toml_keys: tuple[str, ...] | None = None
    toml_strings: tuple[TomlString, ...] = ()


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


def _fenced(text: str, opening: str, closing: tuple[str, ...], key: re.Pattern[str]
            ) -> tuple[list[int], int] | None:
    """The line starts up to a closing fence, and that fence's line index, when the text opens
    with ``opening`` and its first meaningful line looks like a key."""
    found = _fence_lines(text, opening, closing)
    if found is None:
        return None
    starts, lines, close = found
    meaningful = _first_meaningful(lines, close)
    if meaningful is not None and not key.match(lines[meaningful]):
        return None  # e.g. a thematic break followed by a setext heading
    return starts, close


def without_front_matter(edition: str) -> str:
    """The edition of a Markdown text that opens with a rule, not front matter, kept so: when
    a translation made the line that decides (``key: value`` after ``---``) look like a key,
    its first character is written as a character reference (no key, YAML's or TOML's, starts
    with ``&``: one is enough)."""
    try:
        if front_matter(edition, None) is None:
            return edition
    except SourceError:
        pass  # malformed front matter is front matter all the same
    start = _opening_key_line(edition)
    if start is None:
        return edition
    start += len(edition[start:]) - len(edition[start:].lstrip(" \t"))
    return f"{edition[:start]}&#{ord(edition[start])};{edition[start + 1:]}"


def _opening_key_line(text: str) -> int | None:
    """Where the line that decides whether ``text`` opens with front matter starts (the first
    meaningful line between two fences), or None when it does not open with two fences."""
    for opening, closing in (("---", ("---", "...")), ("+++", ("+++",))):
        if text.startswith(opening):
            found = _fence_lines(text, opening, closing)
            if found is not None:
                starts, lines, close = found
                meaningful = _first_meaningful(lines, close)
                return None if meaningful is None else starts[meaningful]
    return None


def _first_meaningful(lines: list[str], close: int) -> int | None:
    return next((number for number in range(1, close) if lines[number].strip()
                 and not lines[number].lstrip().startswith("#")), None)


def _fence_lines(text: str, opening: str, closing: tuple[str, ...]
                 ) -> tuple[list[int], list[str], int] | None:
    starts: list[int] = []  # of the lines read so far: up to the closing fence, not the body
    lines: list[str] = []
    close = None
    for start, content in _lines(text):
        starts.append(start)
        lines.append(content)
        if len(lines) == 1:
            if content.rstrip(" \t") != opening:
                return None
        elif content.rstrip(" \t") in closing:
            close = len(lines) - 1
            break
    if close is None:
        return None
    return starts, lines, close


def front_matter(text: str, path: str | None) -> FrontMatter | None:
    """YAML between a first line ``---`` and the next ``---``/``...`` line, if it is a mapping;
    TOML between two ``+++`` lines."""
    if text.startswith("+++"):
        return _toml_front_matter(text, path)
    if not text.startswith("---"):
        return None
    fenced = _fenced(text, "---", ("---", "..."), _YAML_KEY)
    if fenced is None:
        return None
    starts, close = fenced
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


def values(fm: FrontMatter, text: str, keys: tuple[str, ...], *, path: str | None = None
           ) -> Iterator[Value]:
    """The string values under ``keys``, with their spans in ``text``. An anchored value is
    extracted (its anchor kept), so that its aliases follow its translation; an alias of a value
    that is not extracted is a SourceError, as it would stay untranslated. Tagged values are
    left out."""
    if fm.toml_keys is not None:
        yield from (Value(item.value.strip(), item.line, item.key, item.start, item.end, "")
                    for item in fm.toml_strings if item.key in keys)
        return
    if fm.mapping is None:
        return
    extracted: set[int] = set()
    for key, value in fm.mapping.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value in keys
                and isinstance(value, yaml.ScalarNode) and value.tag == _STR_TAG):
            continue
        start, end = fm.offset + value.start_mark.index, fm.offset + value.end_mark.index
        if value.start_mark.index < key.end_mark.index:  # an alias: the node it names
            if id(value) not in extracted and any(ch.isalpha() for ch in value.value):
                _untranslated_alias(fm, text, key, value, path)
            continue
        source = text[start:end]
        anchor = _ANCHOR.match(source)
        if anchor is not None:
            start, source = start + anchor.end(), source[anchor.end():]
        if source[:1] in ("!", "*", "&"):
            continue  # a tag: leave the YAML graph alone
        extracted.add(id(value))
        body = source.rstrip()
        yield Value(value.value.strip(), fm.first_line + key.start_mark.line, key.value,
                    start, end, source[len(body):] if value.style in ("|", ">") else "")


def _untranslated_alias(fm: FrontMatter, text: str, key: yaml.ScalarNode,
                        value: yaml.ScalarNode, path: str | None) -> None:
    line = fm.first_line + key.start_mark.line
    found = _ALIAS.search(text, fm.offset + key.end_mark.index)
    alias = found.group(0) if found is not None else "*…"
    anchor_line = fm.first_line + value.start_mark.line
    raise SourceError(
        f"front matter `{key.value}: {alias}` is an alias of the value anchored on line "
        f"{anchor_line}, which is not translated, so the alias would not be either",
        path=path, line=line,
        hint=f"write the text out under `{key.value}:`, or move the anchor to a translated key")


def language(fm: FrontMatter | None) -> str | None:
    """The front matter's ``lang:`` value, or None."""
    if fm is not None and fm.toml_keys is not None:
        item = _toml_lang(fm)
        return None if item is None else item.value.strip() or None
    value = _lang_value(fm)
    if value is None:
        return None
    return value.value.strip() or None


def language_line(fm: FrontMatter | None) -> int | None:
    """The file line of the front matter's ``lang:`` key, or None."""
    if fm is not None and fm.toml_keys is not None:
        found = _toml_lang(fm)
        return None if found is None else found.line
    item = _lang_item(fm)
    return None if fm is None or item is None else fm.first_line + item[0].start_mark.line


def keys(fm: FrontMatter | None) -> list[str]:
    """The top-level keys, in order (scalar keys only: a complex key is no name)."""
    if fm is not None and fm.toml_keys is not None:
        return list(fm.toml_keys)
    if fm is None or fm.mapping is None:
        return []
    return [key.value for key, _ in fm.mapping.value if isinstance(key, yaml.ScalarNode)]


def language_edit(fm: FrontMatter, language: str, text: str) -> list[tuple[int, int, str]]:
    """The edit (start, end, replacement) of ``text`` that sets ``lang:`` to ``language``, if
    there is one. An alias is replaced by the value (its anchor keeps the source's); an
    anchored value keeps its anchor."""
    if fm.toml_keys is not None:
        toml = _toml_lang(fm)
        return [] if toml is None or toml.value == language else \
            [(toml.start, toml.end, _yaml_quoted(language))]
    item = _lang_item(fm)
    value = _lang_value(fm)
    if item is None or value is None or value.value == language or value.style in ("|", ">"):
        return []
    start, end = fm.offset + value.start_mark.index, fm.offset + value.end_mark.index
    key_end = item[0].end_mark.index
    if value.start_mark.index < key_end:  # an alias
        found = _ALIAS.search(text, fm.offset + key_end)
        if found is None:
            return []
        return [(found.start(), found.end(), _yaml_quoted(language))]
    anchor = _ANCHOR.match(text, start, end)
    if anchor is not None:
        start = anchor.end()
    # A plain scalar's style is None from PyYAML and "" from libyaml.
    if re.fullmatch(r"[A-Za-z0-9_-]+", language) and value.style in (None, "", "'", '"'):
        quote = value.style or ""
        return [(start, end, f"{quote}{language}{quote}")]
    return [(start, end, _yaml_quoted(language))]


def write_value(translation: str, trailer: str) -> str | None:
    """The text that replaces a value's span with ``translation``; None for an empty one. The
    double-quoted scalar is also a TOML basic string of the same value."""
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


# --------------------------------------------------------------------------------------------
# TOML front matter

_TOML_NAME = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_TOML_KEY = re.compile(rf"[ \t]*{_TOML_NAME}(?:[ \t]*\.[ \t]*{_TOML_NAME})*[ \t]*=|[ \t]*\[")
# A top-level ``key = `` line, and the strings a value can start with (checked with tomllib).
_TOML_ASSIGNMENT = re.compile(r"""[ \t]*([A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*=[ \t]*""")
_TOML_STRING = re.compile(r"""'''[\s\S]*?'''(?:'{0,2})|'[^'\n]*'"""
                          r'''|"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:"{0,2})|"(?:[^"\\\n]|\\.)*"''')


def _toml_front_matter(text: str, path: str | None) -> FrontMatter | None:
    """TOML between a first line ``+++`` and the next ``+++`` line: its top-level strings."""
    fenced = _fenced(text, "+++", ("+++",), _TOML_KEY)
    if fenced is None:
        return None
    starts, close = fenced
    offset, end = starts[1], starts[close]
    try:
        data = tomllib.loads(text[offset:end])
    except tomllib.TOMLDecodeError as error:
        message, at = toml_problem(error)
        raise SourceError(f"malformed TOML front matter: {message}", path=path,
                          line=1 + at if at else 2,
                          hint="fix the TOML between the two +++ lines") from None
    strings = []
    for number in range(1, close):  # top-level `key = "string"` lines, up to the first table
        line = text[starts[number]:starts[number + 1]]
        if line.lstrip().startswith("["):
            break
        found = _TOML_ASSIGNMENT.match(line)
        if found is None:
            continue
        key = found.group(1)
        if key[0] in "\"'":
            key = next(iter(tomllib.loads(f"{key} = 0")))
        start = starts[number] + found.end()
        value = _TOML_STRING.match(text, start, end)
        if value is None or not isinstance(data.get(key), str) \
                or tomllib.loads(f"v = {value.group(0)}")["v"] != data[key]:
            continue  # not a string, or not one whose span is certain: left as it is
        strings.append(TomlString(key, number + 1, data[key], start, value.end()))
    return FrontMatter(close + 1, None, offset, 2, tuple(data), tuple(strings))


def _toml_lang(fm: FrontMatter) -> TomlString | None:
    return next((item for item in fm.toml_strings if item.key == "lang"), None)
