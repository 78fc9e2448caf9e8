"""Markdown articles: CommonMark with GFM tables, and YAML front matter.

One traversal (``_parse``) finds every translatable block with the exact span of source text it
covers; ``extract`` reads the spans' msgids and ``render`` splices translations into them. Nothing
is ever re-rendered: every byte outside a translated span is the source's own byte, so rendering
with no translations gives the source back unchanged.

The block positions come from markdown-it-py itself: its paragraph, heading and table rules are
wrapped to note, for each line, where the content starts once container markers (``>``, list
markers, indentation) are consumed; ``markdown_find.py`` reads the blocks and their spans off those
tokens. A msgid is one line: wrapped lines are joined with a space (no space between two Chinese or
Japanese characters), and a hard line break is kept as ``\n`` (after the backslash when the source
wrote one). How a translation is written back, so that it cannot change the block structure, is in
``markdown_write.py``; front matter is in ``frontmatter.py``.

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
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from l10n.errors import SourceError
from l10n.formats import FormatOptions, Rendered, frontmatter
from l10n.formats.frontmatter import FrontMatter
from l10n.formats.markdown_blocks import BlockRule, block_parser, footnote, rule
from l10n.formats.markdown_find import (
    ATTRIBUTE_BLOCK,  # noqa: F401 -- the checks import it here
    find_blocks,
    translatable,
)
from l10n.formats.markdown_write import Block, write
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
        if translatable(value.msgid)]
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
        return list(find_blocks(parsed.tokens, parsed.lines, parsed.original, parsed.env))


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


def _newline(text: str) -> str:
    """The text's line break (its first one): what a translation's added lines end with."""
    if "\r" not in text:
        return "\n"
    position = text.find("\r")
    newline = text.find("\n")
    if 0 <= newline < position:
        return "\n"
    return "\r\n" if text.startswith("\n", position + 1) else "\r"

