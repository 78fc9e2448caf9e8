"""Markdown articles: CommonMark with GFM tables, and YAML front matter.

One traversal (``_parse``) finds every translatable block with the exact span of source text it
covers; ``extract`` reads the spans' msgids and ``render`` splices translations into them. Nothing
is ever re-rendered: every byte outside a translated span is the source's own byte, so rendering
with no translations gives the source back unchanged.

The block positions come from markdown-it-py itself: its paragraph, heading and table rules are
wrapped to note, for each line, where the content starts once container markers (``>``, list
markers, indentation) are consumed. A msgid is one line: wrapped lines are joined with a space (no
space between two Chinese or Japanese characters), and a hard line break is kept as ``\n`` (after
the backslash when the source wrote one). How a translation is written back, so that it cannot
change the block structure, is in ``markdown_write.py``; front matter is in ``frontmatter.py``.

A heading's trailing attribute block (``## Install {#install .cls}``) is markup for the site
generator, not prose: it stays out of the msgid and in the edition. So does a footnote
definition's ``[^label]:`` marker (GFM, Pandoc, MkDocs; not CommonMark): the definition is a
container, like a list item, and each of its paragraphs is a block of kind ``footnote``. HTML
blocks are never extracted; ``untranslated_blocks`` says where they hold text. The line breaks
a translation adds are the source's (CRLF stays CRLF).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from l10n.errors import SourceError
from l10n.formats import FormatOptions, Rendered, frontmatter
from l10n.formats.frontmatter import FrontMatter
from l10n.formats.markdown_blocks import BlockRule, block_parser, footnote, rule
from l10n.formats.markdown_write import TRIM, Block, odd_backslashes, write
from l10n.segment import Lookup, Segment

NAME = "markdown"
SUFFIXES = (".md", ".markdown")


def _block_parser() -> MarkdownIt:
    """The block parser, with spans recorded on the open tokens of translatable blocks."""
    md = block_parser()
    rules = {"table": ["paragraph", "reference"], "heading": ["paragraph", "reference",
             "blockquote"], "lheading": [], "paragraph": []}
    for name, alt in rules.items():
        md.block.ruler.at(name, _recording(rule(name)), {"alt": alt})
    # Footnote definitions are containers, like list items (not CommonMark; GFM, Pandoc, MkDocs),
    # ending a paragraph as in markdown-it-footnote (a lazy line of a block quote or a table row
    # stays one).
    md.block.ruler.before("reference", "footnote", footnote, {"alt": ["paragraph", "reference"]})
    return md


def _recording(rule: BlockRule) -> BlockRule:
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
class _Document:
    blocks: list[Block]
    front_matter: FrontMatter | None


# --------------------------------------------------------------------------------------------
# Public interface


def extract(text: str, path: str, *, options: FormatOptions) -> list[Segment]:
    """The translatable blocks of a Markdown article, in document order."""
    return [Segment(b.msgid, path, b.line, b.kind) for b in _parse(text, path, options).blocks]


def render_checked(text: str, lookup: Lookup, *, options: FormatOptions, path: str) -> Rendered:
    """``render``: a Markdown edition is always the source text with translations spliced in,
    so there is nothing more to say about how it was made."""
    return Rendered(render(text, lookup, options=options))


def render(text: str, lookup: Lookup, *, options: FormatOptions) -> str:
    """The article with each block ``lookup`` translates replaced; every other byte kept; the
    line breaks a translation adds are the source's own."""
    document = _parse(text, None, options)
    edits: list[tuple[int, int, str]] = []
    newline = _newline(text)
    for block in document.blocks:
        translation = lookup(block.msgid)
        if translation is None or translation == block.msgid:
            continue
        replacement = write(block, translation)
        if replacement is not None:
            if newline != "\n" and block.shape == "flow":  # others are one line, or YAML's
                replacement = replacement.replace("\n", newline)
            edits.append((block.start, block.end, replacement))
    if options.language and document.front_matter is not None:
        edits.extend(frontmatter.language_edit(document.front_matter, options.language,
                                                text))
    edits.sort()
    out, position = [], 0
    for start, end, replacement in edits:
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    if document.front_matter is None and edits and text.startswith(("---", "+++")):
        return frontmatter.without_front_matter("".join(out))
    return "".join(out)


def declared_language(text: str, path: str) -> str | None:
    """The front matter's ``lang:`` value; SourceError(path, line) on malformed front matter."""
    return frontmatter.language(_body(text, path).front_matter)


def language_line(text: str) -> int | None:
    """The file line of the front matter's ``lang:`` key, or None."""
    try:
        return frontmatter.language_line(_body(text, None).front_matter)
    except SourceError:
        return None


# --------------------------------------------------------------------------------------------
# The traversal


def _parse(text: str, path: str | None, options: FormatOptions) -> _Document:
    body = _body(text, path)
    fm = body.front_matter
    blocks = [] if fm is None else [
        Block(value.msgid, value.line, f"front matter: {value.key}", value.start, value.end,
               "yaml", trailer=value.trailer)
        for value in frontmatter.values(fm, text, options.front_matter_keys, path=path)
        if _translatable(value.msgid)]
    blocks.extend(body.blocks)
    return _Document(blocks, fm)


@dataclass(frozen=True)
class _Tokens:
    tokens: list[Token]
    lines: list[str]
    original: list[int]  # where each line starts in the text as given
    env: dict[str, object]


class _Body:
    """What the text after the front matter parses to: block tokens and translatable blocks,
    each computed when first asked for."""

    def __init__(self, text: str, path: str | None) -> None:
        self.text = text
        self.front_matter = frontmatter.front_matter(text, path)

    @functools.cached_property
    def source(self) -> tuple[str, list[str]]:
        """What markdown-it parses, and its lines: line breaks as \\n, the front matter's lines
        blank (line numbers stay the file's)."""
        text, fm = self.text, self.front_matter
        body = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
        body = body.replace("\0", "\ufffd")  # as markdown-it does: columns stay the same
        lines = body.split("\n")
        if fm is not None:
            lines[:fm.body_line] = [""] * fm.body_line  # keep line numbers; hide the YAML
            body = "\n".join(lines)
        return body, lines

    @functools.cached_property
    def parsed(self) -> _Tokens:
        text = self.text
        body, lines = self.source
        starts = [0, *itertools.accumulate(len(line) + 1 for line in lines)]
        original = starts if body is text else frontmatter.line_starts(text)
        env: dict[str, object] = {"line_starts": starts}
        return _Tokens(_BLOCKS.parse(body, env), lines, original, env)

    @functools.cached_property
    def blocks(self) -> list[Block]:
        """Not needed to check an edition's structure; ``remember`` may set it, unparsed."""
        parsed = self.parsed
        return list(_markdown_blocks(parsed.tokens, parsed.lines, parsed.original, parsed.env))


# The last few texts parsed. A build renders a source, then compares the block structure of the
# source and of the edition: with this, the source is parsed once for both.
_RECENT: dict[str, _Body] = {}
_RECENT_SIZE = 4


def _keep(body: _Body) -> _Body:
    if len(_RECENT) >= _RECENT_SIZE:
        del _RECENT[next(iter(_RECENT))]
    _RECENT[body.text] = body
    return body


def _body(text: str, path: str | None) -> _Body:
    """The parse of ``text``."""
    found = _RECENT.get(text)
    return found if found is not None else _keep(_Body(text, path))


def block_rows(text: str) -> list[list[object]]:
    """The translatable blocks after the front matter, as JSON-ready rows for ``remember``."""
    return [list(vars(block).values()) for block in _body(text, None).blocks]  # field order


def remember(text: str, rows: list[list[object]]) -> bool:
    """Take the blocks an earlier parse of exactly this text found (``block_rows``): the next
    render of the text need not parse it. False, and nothing taken, when the rows do not fit."""
    try:
        blocks = [Block(*row) for row in rows]  # type: ignore[arg-type]
    except TypeError:
        return False
    # Unless this process found them already (``l10n sync``): then no parse is needed either.
    _body(text, None).__dict__.setdefault("blocks", blocks)
    return True


def front_matter(text: str) -> FrontMatter | None:
    """The article's front matter, as every parse of it sees it; SourceError when malformed."""
    return _body(text, None).front_matter


def body_text(text: str) -> str:
    """The article as markdown-it parses it: the front matter's lines blank, so line numbers
    stay the file's. SourceError on malformed front matter."""
    return _body(text, None).source[0]


def block_tokens(text: str) -> list[Token]:
    """markdown-it's block tokens for the document after its front matter (inline not parsed);
    line numbers are the file's. SourceError on malformed front matter."""
    return _body(text, None).parsed.tokens


def untranslated_blocks(text: str) -> list[int]:
    """The first lines (1-based) of the blocks with text that extract leaves out, so that their
    text stays in the source language in every edition: the article's HTML blocks. Tags,
    comments, character references and the content of script, style, pre, code and textarea
    elements are not text."""
    if "<" not in text:
        return []
    return [token.map[0] + 1 for token in block_tokens(text)
            if token.type == "html_block" and token.map
            and any(ch.isalpha() for ch in _NOT_TEXT.sub("", token.content))]
_NOT_TEXT = re.compile(r"<!--[\s\S]*?(?:-->|\Z)|<(script|style|pre|code|textarea)\b[\s\S]*?"
                       r"(?:</\1\s*>|\Z)|<[^>]*>?|&#?\w+;", re.IGNORECASE)


# What a paragraph is called after the container it is in.
_CONTAINERS = {"blockquote_open": "block quote", "list_item_open": "list item",
               "footnote_open": "footnote"}


def _markdown_blocks(tokens: list[Token], lines: list[str], original: list[int],
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
    if not _translatable(msgid):
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
    if not _translatable(alt):
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
    if not _translatable(msgid):
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
            if not _translatable(msgid):
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




def _newline(text: str) -> str:
    """The text's line break (its first one): what a translation's added lines end with."""
    if "\r" not in text:
        return "\n"
    position = text.find("\r")
    newline = text.find("\n")
    if 0 <= newline < position:
        return "\n"
    return "\r\n" if text.startswith("\n", position + 1) else "\r"


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
