"""Markdown articles: CommonMark with GFM tables, and YAML front matter.

One traversal (``_parse``) finds every translatable block with the exact span of source text it
covers; ``extract`` reads the spans' msgids and ``render`` splices translations into them. Nothing
is ever re-rendered: every byte outside a translated span is the source's own byte, so rendering
with no translations gives the source back unchanged.

The block positions come from markdown-it-py itself: its paragraph, heading and table rules are
wrapped to note, for each line, where the content starts once container markers (``>``, list
markers, indentation) are consumed. A msgid is one line: wrapped lines are joined with a space (no
space between two Chinese or Japanese characters), and a hard line break is kept as ``\n`` (after
the backslash when the source wrote one). A translation is written so that it cannot change the
block structure: risky continuation lines are indented, a risky first character is escaped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import yaml
from markdown_it import MarkdownIt, rules_block
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from l10n.errors import SourceError
from l10n.formats import FormatOptions
from l10n.segment import Lookup, Segment

NAME = "markdown"
SUFFIXES = (".md", ".markdown")

# What CommonMark trims around a paragraph or a table cell (markdown-it's set).
_TRIM = "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
        "\u200a\u2028\u2029\u202f\u205f\u3000"
_LINE_BREAK = re.compile(r"\r\n?|\n")
# A continuation line starting like this could open a block; 4 spaces of indent make it text.
_OPENS_BLOCK = re.compile(r"[#>+*=_~`<|:-]|\d{1,9}[.)]")
# A first line starting like this is checked with the parser before it is written.
_MAY_OPEN_BLOCK = re.compile(r"[#>+*=_~`<|:\[-]|\d")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_YAML_KEY = re.compile(r"""[^\s#\-\[\]{}>|*&!%@`'"?,][^:]*:(?:[ \t]|$)|["'][^"']+["'][ \t]*:""")
_STR_TAG = "tag:yaml.org,2002:str"


def _block_parser() -> MarkdownIt:
    """markdown-it for block positions only: inline parsing off, spans recorded on open tokens."""
    md = MarkdownIt("commonmark").enable("table")
    md.disable(["inline", "text_join"])
    rules = {"table": ["paragraph", "reference"], "heading": ["paragraph", "reference",
             "blockquote"], "lheading": [], "paragraph": []}
    for name, alt in rules.items():
        md.block.ruler.at(name, _recording(getattr(rules_block, name)), {"alt": alt})
    return md


_BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _recording(rule: _BlockRule) -> _BlockRule:
    """Wrap a block rule so its open token carries, per source line, the content's columns."""
    def recorded(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        first = len(state.tokens)
        if not rule(state, start, end, silent):
            return False
        if not silent:
            starts = state.env["line_starts"]
            state.tokens[first].meta = {"columns": [
                (line, state.bMarks[line] + state.tShift[line] - starts[line],
                 state.eMarks[line] - starts[line]) for line in range(start, state.line)]}
        return True
    return recorded


_BLOCKS = _block_parser()
_INLINE = MarkdownIt("commonmark")


@dataclass(frozen=True)
class _Block:
    """A translatable block: its msgid and the span of the original text a translation replaces."""

    msgid: str
    line: int  # 1-based
    kind: str
    start: int
    end: int
    shape: str  # flow | atx | cell | alt | yaml
    prefix: str = ""  # flow: what precedes each continuation line (containers, indentation)
    underline: str = ""  # flow: the underline of a setext heading
    closed: bool = False  # atx: the heading has a closing sequence of #s
    opens_line: bool = False  # flow, cell: the translation starts where a block could
    trailer: str = ""  # yaml: the line breaks that end a block scalar's span


@dataclass(frozen=True)
class _FrontMatter:
    body_line: int  # the first line after the closing fence (0-based)
    mapping: yaml.MappingNode | None
    offset: int  # where the YAML text starts in the original text
    first_line: int  # the file line (1-based) of the YAML text's first line


@dataclass(frozen=True)
class _Document:
    blocks: list[_Block]
    front_matter: _FrontMatter | None


# --------------------------------------------------------------------------------------------
# Public interface


def extract(text: str, path: str, *, options: FormatOptions) -> list[Segment]:
    """The translatable blocks of a Markdown article, in document order."""
    return [Segment(b.msgid, path, b.line, b.kind) for b in _parse(text, path, options).blocks]


def render(text: str, lookup: Lookup, *, options: FormatOptions) -> str:
    """The article with each block ``lookup`` translates replaced; every other byte kept."""
    document = _parse(text, None, options)
    edits: list[tuple[int, int, str]] = []
    for block in document.blocks:
        translation = lookup(block.msgid)
        if translation is None or translation == block.msgid:
            continue
        replacement = _WRITERS[block.shape](block, translation)
        if replacement is not None:
            edits.append((block.start, block.end, replacement))
    if options.language and document.front_matter is not None:
        edits.extend(_language_edit(document.front_matter, options.language))
    edits.sort()
    out, position = [], 0
    for start, end, replacement in edits:
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)


def declared_language(text: str, path: str) -> str | None:
    """The front matter's ``lang:`` value; SourceError(path, line) on malformed front matter."""
    value = _lang_value(_front_matter(text, path))
    if value is None:
        return None
    return value.value.strip() or None


def language_line(text: str) -> int | None:
    """The file line of the front matter's ``lang:`` key, or None."""
    try:
        front_matter = _front_matter(text, None)
    except SourceError:
        return None
    if front_matter is None or front_matter.mapping is None:
        return None
    for key, _ in front_matter.mapping.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "lang":
            return front_matter.first_line + key.start_mark.line
    return None


# --------------------------------------------------------------------------------------------
# Front matter


def _front_matter(text: str, path: str | None) -> _FrontMatter | None:
    """YAML between a first line ``---`` and the next ``---``/``...`` line, if it is a mapping."""
    if not text.startswith("---"):
        return None
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text)), len(text)]
    lines = [text[a:b].rstrip("\r\n") for a, b in itertools.pairwise(starts)]
    if lines[0].rstrip(" \t") != "---":
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip(" \t") in ("---", "...")),
                 None)
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
    return _FrontMatter(close + 1, node, offset, 2)


def _front_matter_blocks(fm: _FrontMatter, text: str, options: FormatOptions) -> Iterator[_Block]:
    if fm.mapping is None:
        return
    for key, value in fm.mapping.value:
        if not (isinstance(key, yaml.ScalarNode) and key.value in options.front_matter_keys
                and isinstance(value, yaml.ScalarNode) and value.tag == _STR_TAG):
            continue
        start, end = fm.offset + value.start_mark.index, fm.offset + value.end_mark.index
        source = text[start:end]
        if value.start_mark.index < key.end_mark.index or source[:1] in ("&", "!", "*"):
            continue  # an alias, an anchor or a tag: leave the YAML graph alone
        msgid = value.value.strip()
        if _translatable(msgid):
            body = source.rstrip()
            yield _Block(msgid, fm.first_line + key.start_mark.line, f"front matter: {key.value}",
                         start, end, "yaml",
                         trailer=source[len(body):] if value.style in ("|", ">") else "")


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


def _lang_value(fm: _FrontMatter | None) -> yaml.ScalarNode | None:
    if fm is None or fm.mapping is None:
        return None
    for key, value in fm.mapping.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "lang":
            return value if isinstance(value, yaml.ScalarNode) else None
    return None


def _language_edit(fm: _FrontMatter, language: str) -> list[tuple[int, int, str]]:
    value = _lang_value(fm)
    if value is None or value.value == language or value.style in ("|", ">"):
        return []
    start, end = fm.offset + value.start_mark.index, fm.offset + value.end_mark.index
    # A plain scalar's style is None from PyYAML and "" from libyaml.
    if re.fullmatch(r"[A-Za-z0-9_-]+", language) and value.style in (None, "", "'", '"'):
        quote = value.style or ""
        return [(start, end, f"{quote}{language}{quote}")]
    return [(start, end, _yaml_quoted(language))]


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
# The traversal


def _parse(text: str, path: str | None, options: FormatOptions) -> _Document:
    fm = _front_matter(text, path)
    blocks = list(_front_matter_blocks(fm, text, options)) if fm is not None else []
    body = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    body = body.replace("\0", "\ufffd")  # as markdown-it does: columns stay the same
    lines = body.split("\n")
    if fm is not None:
        lines[:fm.body_line] = [""] * fm.body_line  # keep line numbers; hide the YAML
        body = "\n".join(lines)
    starts = [0, *itertools.accumulate(len(line) + 1 for line in lines)]
    original = starts if body is text else [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    env: dict[str, object] = {"line_starts": starts}
    tokens = _BLOCKS.parse(body, env)
    blocks.extend(_markdown_blocks(tokens, lines, original, env))
    return _Document(blocks, fm)


def _markdown_blocks(tokens: list[Token], lines: list[str], original: list[int],
                     env: dict[str, object]) -> Iterator[_Block]:
    containers: list[str] = []
    for token in tokens:
        kind = token.type
        if kind in ("blockquote_open", "list_item_open"):
            containers.append("block quote" if kind == "blockquote_open" else "list item")
        elif kind in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif kind == "paragraph_open":
            where = containers[-1] if containers else "paragraph"
            yield from _flow(token.meta["columns"], lines, original, where, "", env)
        elif kind == "heading_open":
            columns = token.meta["columns"]
            level = f"heading {token.tag[1]}"
            if token.markup in ("=", "-"):  # setext: content lines, then the underline
                line, start, end = columns[-1]
                yield from _flow(columns[:-1], lines, original, level, lines[line][start:end],
                                 env)
            else:
                yield from _atx(columns[0], lines, original, level)
        elif kind == "table_open":
            yield from _table(token.meta["columns"], lines, original)


def _flow(columns: list[tuple[int, int, int]], lines: list[str], original: list[int],
          kind: str, underline: str, env: dict[str, object]) -> Iterator[_Block]:
    """A paragraph or setext heading: lines joined into one msgid, hard breaks kept as \\n."""
    pieces: list[str] = []
    last = len(columns) - 1
    first_line, first_start, _ = columns[0]
    for index, (line, start, end) in enumerate(columns):
        text = lines[line][start:end]
        if index == 0:
            stripped = text.lstrip(_TRIM)
            first_start += len(text) - len(stripped)
            text = stripped
        if index == last:
            pieces.append(text.rstrip(_TRIM))
            break
        following = lines[columns[index + 1][0]][columns[index + 1][1]:]
        if text.endswith("  "):
            pieces.append(text.rstrip(" ") + "\n")
        elif _odd_backslashes(text):
            pieces.append(text + "\n")
        else:
            text = text.rstrip(" \t")
            joint = "" if _cjk(text[-1:]) and _cjk(following[:1]) else " "
            pieces.append(text + joint)
    msgid = "".join(pieces).strip(_TRIM)  # a first line of Unicode spaces only leaves one
    if not _translatable(msgid):
        return
    end_line, _, end_column = columns[-1]
    end_column = len(lines[end_line][:end_column].rstrip(_TRIM))
    start = original[first_line] + first_start
    end = original[end_line] + end_column
    if not underline and msgid.startswith("!["):
        alt = _image_alt(msgid, start, lines[first_line][first_start:columns[0][2]], first_line,
                         env)
        if alt is not None:
            if alt.msgid:
                yield alt
            return
    container = lines[first_line][:columns[0][1]]
    continuation = "".join(ch if ch in " \t>" else " " for ch in container)
    # After a skipped Unicode space the translation does not start a line: nothing to check.
    yield _Block(msgid, first_line + 1, kind, start, end, "flow", continuation, underline,
                 opens_line=first_start == columns[0][1])


def _image_alt(msgid: str, start: int, first: str, line: int, env: dict[str, object]
               ) -> _Block | None:
    """The alt text of a paragraph that is one image (msgid "" when it must stay), or None."""
    children = _INLINE.parseInline(msgid, {"references": env.get("references", {})})[0].children \
        or []
    if len(children) != 1 or children[0].type != "image":
        return None
    label_end = parseLinkLabel(StateInline(msgid, _INLINE, {}, []), 1, False)
    if label_end < 0 or label_end > len(first):
        return None  # the alt text runs over several lines: translate the paragraph instead
    alt = msgid[2:label_end]
    after = msgid[label_end + 1:label_end + 3]
    if not (after.startswith("(") or (after.startswith("[") and after != "[]")):
        alt = ""  # a shortcut or collapsed reference: the alt text is the label, keep it
    if not _translatable(alt):
        alt = ""
    return _Block(alt, line + 1, "image alt text", start + 2, start + label_end, "alt")


def _atx(column: tuple[int, int, int], lines: list[str], original: list[int], kind: str
         ) -> Iterator[_Block]:
    line, start, end = column
    text = lines[line]
    position = start
    while position < end and text[position] == "#":
        position += 1
    stop = len(text[:end].rstrip(" \t"))
    hashes = len(text[:stop].rstrip("#"))
    if hashes < stop and hashes > position and text[hashes - 1] in " \t":
        stop = hashes
    content = text[position:stop]
    msgid = content.strip(_TRIM)
    if not _translatable(msgid):
        return
    first = position + content.index(msgid)
    closed = stop < len(text[:end].rstrip(" \t"))
    yield _Block(msgid, line + 1, kind, original[line] + first,
                 original[line] + first + len(msgid), "atx", closed=closed)


def _table(columns: list[tuple[int, int, int]], lines: list[str], original: list[int]
           ) -> Iterator[_Block]:
    """Each row's cells, split on unescaped pipes exactly as markdown-it splits them."""
    header_count = 0
    for row, (line, start, end) in enumerate(columns):
        if row == 1:
            continue  # the delimiter row
        text = lines[line]
        stripped = text[start:end].strip(_TRIM)
        if not stripped:
            continue
        start = text.index(stripped, start)
        cells, cell_start, escaped = [], start, False
        for position in range(start, start + len(stripped)):
            ch = text[position]
            if ch == "|" and not escaped:
                cells.append((cell_start, position))
                cell_start = position + 1
            escaped = ch == "\\"
        cells.append((cell_start, start + len(stripped)))
        if cells and cells[0][0] == cells[0][1]:
            cells.pop(0)
        if cells and cells[-1][0] == cells[-1][1]:
            cells.pop()
        if row == 0:
            header_count = len(cells)
        for index, (a, b) in enumerate(cells[:header_count]):
            cell = text[a:b]
            msgid = cell.strip(_TRIM)
            if not _translatable(msgid):
                continue
            a += len(cell) - len(cell.lstrip(_TRIM))
            yield _Block(msgid, line + 1, "table cell", original[line] + a,
                         original[line] + a + len(msgid), "cell", opens_line=a == start)


# --------------------------------------------------------------------------------------------
# Writing translations back


def _write_flow(block: _Block, translation: str) -> str | None:
    # Inside, only spaces and tabs around a line are markup (as on extraction); at both ends,
    # all that CommonMark trims.
    text = "\n".join(part.strip(" \t") for part in translation.split("\n")).strip(_TRIM)
    parts = [part.strip(" \t") for part in text.split("\n") if part.strip(" \t")]
    if not parts:
        return None
    # Indented 4 columns past the container, a line continues the paragraph whatever it says
    # (after a bare ">" one more: the first space belongs to the marker).
    if block.underline:
        # The line above a "---" underline must not become a table's header row.
        parts = [_escape_pipes(part) for part in parts]
    indent = "     " if block.prefix.endswith(">") else "    "
    parts[1:] = [indent + part if _OPENS_BLOCK.match(part) else part for part in parts[1:]]
    if block.opens_line and _MAY_OPEN_BLOCK.match(parts[0]):
        expected = "heading_open" if block.underline else "paragraph_open"
        probe = "\n".join(parts) + ("\n" + block.underline if block.underline else "")
        if _block_types(probe) != [expected, "inline", expected.replace("open", "close")]:
            parts[0] = _escape_first(parts[0])
    out = []
    for index, part in enumerate(parts[:-1]):
        out.append(part if _odd_backslashes(part) else part + "  ")
        out.append("\n" + block.prefix)
    out.append(parts[-1])
    return "".join(out)


_CODE_SPAN = re.compile(r"(`+)[\s\S]*?(?<!`)\1(?!`)")


_ANY_PIPE = re.compile(r"\\?\|")


def _escape_pipes(text: str) -> str:
    """Write every ``|`` outside code spans as ``&#124;``: the table rule takes any pipe, even a
    backslash-escaped one, in the line above a delimiter row for a header row."""
    out, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_ANY_PIPE.sub("&#124;", text[last:span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(_ANY_PIPE.sub("&#124;", text[last:]))
    return "".join(out)


def _write_atx(block: _Block, translation: str) -> str | None:
    text = _one_line(translation)
    if text and not block.closed and text.endswith("#"):
        run = len(text.rstrip("#"))
        if run == 0 or text[run - 1] in " \t":
            text = text[:run] + "\\" + text[run:]
    return text or None


def _write_cell(block: _Block, translation: str) -> str | None:
    text = _UNESCAPED_PIPE.sub(r"\\|", _one_line(translation))
    if not text:
        return None
    if text.endswith("\\"):
        text += " "  # a trailing backslash would escape the next pipe
    if block.opens_line and _MAY_OPEN_BLOCK.match(text) \
            and _block_types(text) != ["paragraph_open", "inline", "paragraph_close"]:
        text = _escape_first(text)
    return text


def _write_alt(block: _Block, translation: str) -> str | None:
    text = _one_line(translation)
    depth = 0
    for match in re.finditer(r"\\.|[\[\]]", text):
        depth += {"[": 1, "]": -1}.get(match.group(), 0)
        if depth < 0:
            break
    if depth:
        text = re.sub(r"(\\.)|([\[\]])", lambda m: m.group(1) or "\\" + m.group(2), text)
    if _odd_backslashes(text):
        text += " "
    return text or None


def _write_yaml(block: _Block, translation: str) -> str | None:
    text = translation.strip()
    return _yaml_quoted(text) + block.trailer if text else None


_WRITERS: dict[str, Callable[[_Block, str], str | None]] = {
    "flow": _write_flow, "atx": _write_atx, "cell": _write_cell, "alt": _write_alt,
    "yaml": _write_yaml}


# --------------------------------------------------------------------------------------------
# Small helpers


def _escape_first(text: str) -> str:
    """The line with its first character made literal, so it cannot open a block."""
    digits = len(text) - len(text.lstrip("0123456789"))
    if digits:
        return text[:digits] + "\\" + text[digits:] if text[digits:digits + 1] in (".", ")") \
            else text
    return "\\" + text


def _one_line(text: str) -> str:
    return " ".join(part.strip(_TRIM) for part in text.split("\n") if part.strip(_TRIM))


def _block_types(text: str) -> list[str]:
    """The block token types markdown-it makes of ``text`` alone."""
    starts = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n"))]
    return [token.type for token in _BLOCKS.parse(text, {"line_starts": starts})]


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _translatable(msgid: str) -> bool:
    return any(ch.isalpha() for ch in msgid)


def _cjk(ch: str) -> bool:
    """Chinese or Japanese script, or their punctuation: lines join without a space."""
    if not ch:
        return False
    code = ord(ch)
    return (0x2E80 <= code <= 0x303F or 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF
            or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF)

