"""Finding the translatable blocks in markdown-it's block tokens, each with the exact span of
source text it covers.

``find_blocks`` walks the tokens the recording parser of ``markdown.py`` makes: paragraphs and
setext headings (``_flow``: lines joined into one msgid), ATX headings, table cells, and the alt
text of a paragraph that is one image. Each ``Block`` it yields is what ``markdown_write.write``
puts a translation back into, and spans the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from l10n.formats.markdown_write import TRIM, Block, odd_backslashes

_INLINE = MarkdownIt("commonmark")


# What a paragraph is called after the container it is in.
_CONTAINERS = {"blockquote_open": "block quote", "list_item_open": "list item",
               "footnote_open": "footnote"}


def find_blocks(tokens: list[Token], lines: list[str], original: list[int],
                env: dict[str, object]) -> Iterator[Block]:
    containers: list[str] = []
    for token in tokens:
        kind = token.type
        if kind in _CONTAINERS:
            containers.append(_CONTAINERS[kind])
        elif kind in ("blockquote_close", "list_item_close", "footnote_close"):
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
          kind: str, underline: str, env: dict[str, object]) -> Iterator[Block]:
    """A paragraph or setext heading: lines joined into one msgid, hard breaks kept as \\n."""
    if underline:  # a heading's attribute block ends its last line: kept out of the msgid
        line, start, end = columns[-1]
        content_end = len(lines[line][:end].rstrip(TRIM))
        stop = _attributes(lines[line], start, content_end)
        if start < stop < content_end:
            columns = [*columns[:-1], (line, start, stop)]
        elif stop < content_end:  # the line holds the attributes alone: the heading ends above
            columns = columns[:-1]
            if not columns:
                return
    pieces: list[str] = []
    last = len(columns) - 1
    first_line, first_start, _ = columns[0]
    for index, (line, start, end) in enumerate(columns):
        text = lines[line][start:end]
        if index == 0:
            stripped = text.lstrip(TRIM)
            first_start += len(text) - len(stripped)
            text = stripped
        if index == last:
            pieces.append(text.rstrip(TRIM))
            break
        following = lines[columns[index + 1][0]][columns[index + 1][1]:]
        if text.endswith("  "):
            pieces.append(text.rstrip(" ") + "\n")
        elif odd_backslashes(text):
            pieces.append(text + "\n")
        else:
            text = text.rstrip(" \t")
            joint = "" if _cjk(text[-1:]) and _cjk(following[:1]) else " "
            pieces.append(text + joint)
    msgid = "".join(pieces).strip(TRIM)  # a first line of Unicode spaces only leaves one
    if not translatable(msgid):
        return
    end_line, _, end_column = columns[-1]
    end_column = len(lines[end_line][:end_column].rstrip(TRIM))
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
    yield Block(msgid, first_line + 1, kind, start, end, "flow", continuation, underline,
                 opens_line=first_start == columns[0][1])


def _image_alt(msgid: str, start: int, first: str, line: int, env: dict[str, object]
               ) -> Block | None:
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
    if not translatable(alt):
        alt = ""
    return Block(alt, line + 1, "image alt text", start + 2, start + label_end, "alt")


def _atx(column: tuple[int, int, int], lines: list[str], original: list[int], kind: str
         ) -> Iterator[Block]:
    line, start, end = column
    text = lines[line]
    position = start
    while position < end and text[position] == "#":
        position += 1
    trimmed = len(text[:end].rstrip(" \t"))
    stop = _closing_sequence(text, position, trimmed)
    closed = stop < trimmed
    content_end = len(text[:stop].rstrip(" \t"))
    attributes = _attributes(text, position, content_end)
    if attributes < content_end:  # kept out of the msgid; closing #s may precede them (Pandoc)
        stop = _closing_sequence(text, position, attributes)
        closed = False  # a translation's trailing #s are escaped, whatever reads the heading
    content = text[position:stop]
    msgid = content.strip(TRIM)
    if not translatable(msgid):
        return
    first = position + content.index(msgid)
    yield Block(msgid, line + 1, kind, original[line] + first,
                 original[line] + first + len(msgid), "atx", closed=closed)


def _table(columns: list[tuple[int, int, int]], lines: list[str], original: list[int]
           ) -> Iterator[Block]:
    """Each row's cells, split on unescaped pipes exactly as markdown-it splits them."""
    header_count = 0
    for row, (line, start, end) in enumerate(columns):
        if row == 1:
            continue  # the delimiter row
        text = lines[line]
        stripped = text[start:end].strip(TRIM)
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
            msgid = cell.strip(TRIM)
            if not translatable(msgid):
                continue
            a += len(cell) - len(cell.lstrip(TRIM))
            # The table rule runs before every other: only a body row can be taken for a
            # list, quote or heading that ends the table.
            yield Block(msgid, line + 1, "table cell", original[line] + a,
                         original[line] + a + len(msgid), "cell", opens_line=row > 1 and a == start)




# --------------------------------------------------------------------------------------------
# Small helpers




def _closing_sequence(text: str, position: int, stop: int) -> int:
    """Where an ATX heading's content ends: before a closing run of #s after a space."""
    hashes = len(text[:stop].rstrip("#"))
    return hashes if position < hashes < stop and text[hashes - 1] in " \t" else stop


# A heading's attribute block (Pandoc, kramdown, Hugo, MkDocs attr_list): ids, classes and
# key=value pairs between braces, after an optional ":". Anchors, not prose: kept out of msgids.
# (The checks find one a translation adds with the same ATTRIBUTE_BLOCK.)
_ATTRIBUTE = r"""(?:[#.][^\s{}#"'=]+|-|[A-Za-z_][\w:.-]*=(?:"[^"]*"|'[^']*'|[^\s{}"']+))"""
ATTRIBUTE_BLOCK = rf"\{{:?[ \t]*{_ATTRIBUTE}(?:[ \t]+{_ATTRIBUTE})*[ \t]*\}}"
_ATTRIBUTES = re.compile(ATTRIBUTE_BLOCK + r"[ \t]*\Z")


def _attributes(text: str, position: int, stop: int) -> int:
    """Where a trailing attribute block starts in ``text[position:stop]`` (with the spaces
    before it), or ``stop`` when there is none. A block must follow a space or tab (so
    ``Title{#id}`` or ``a #{#id}`` stay as they are), or be the whole content."""
    if text[stop - 1:stop] != "}":
        return stop
    found = _ATTRIBUTES.search(text, position, stop)
    if found is None or (found.start() > position and text[found.start() - 1] not in " \t"):
        return stop
    return max(position, len(text[:found.start()].rstrip(" \t")))


def translatable(msgid: str) -> bool:
    return any(ch.isalpha() for ch in msgid)


def _cjk(ch: str) -> bool:
    """Chinese or Japanese script, or their punctuation: lines join without a space."""
    if not ch:
        return False
    code = ord(ch)
    return (0x2E80 <= code <= 0x303F or 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF
            or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF)
