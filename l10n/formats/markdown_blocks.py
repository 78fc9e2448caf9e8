"""markdown-it-py's block parser, made faster without changing a single token it makes.

Every Markdown step parses block structure: extract once per article, build for the render and
once per edition to check its structure. These costs of markdown-it-py's block parser are pure
overhead for us, and are removed here:

- Every rule call starts with ``LOGGER.debug(...)``: millions of calls a corpus to a logger that
  is never enabled. The rules' module-level loggers are replaced by one whose ``debug`` is a
  C-level no-op; other code using the same logger names is not affected (it is the module
  attribute that changes, not the ``logging`` registry).
- The setext-heading rule runs before the paragraph rule on every paragraph and scans it line by
  line, calling every terminator rule, only to find no ``===``/``---`` underline in the usual
  case; then the paragraph rule scans the same lines again. A pre-check answers "no underline
  can be there" from the first character of each line and returns what the rule itself returns
  in that case, with the same side effect on ``state.parentType``.
- The paragraph rule offers every continuation line to every rule that can interrupt a
  paragraph (table, fence, block quote, thematic break, list, HTML block, ATX heading), and the
  tokenizer offers every line to every rule until one takes it; most turn a line down on its
  first character. Here a line is offered only to the rules that can take a line starting with
  its first character (``_FIRST``), to the table rule only when the line holds a ``|``, and an
  indented line to all. A rule turned down that way returns False before changing anything, so
  not calling it is exact. A chain holding a rule ``_FIRST`` does not know sees every line.
- The line marks (``StateBlock.__init__``) are found character by character in Python; here by
  ``str.split`` and ``str.lstrip``, the same lists. And the core ``normalize`` rule rewrites the
  whole text with two regular expressions even when it has no CR or NUL to replace.

``tests/test_markdown.py`` checks that this parser and markdown-it-py's own make the same tokens
for every CommonMark example and every generated document.

``footnote`` is the one rule that is not CommonMark's: ``markdown.py`` adds it to the parser it
extracts with, for the footnote definitions of GFM, Pandoc and MkDocs.
"""

from __future__ import annotations

import importlib
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt, rules_block, rules_core
from markdown_it.common.utils import mdTrim
from markdown_it.parser_block import ParserBlock
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType

BlockRule = Callable[[StateBlock, int, int, bool], bool]

_RULE_MODULES = ("blockquote", "code", "fence", "heading", "hr", "html_block", "lheading", "list",
                 "paragraph", "reference", "table")

# The characters a line must start with (after its indentation) for each rule to take it: the
# first check each makes. The table rule's header row needs a "|" anywhere in the line instead;
# the code rule an indented line (which is offered to every rule); None: any line will do.
_FIRST: dict[str, str | None] = {
    "fence": "`~", "blockquote": ">", "hr": "*-_", "list": "*+-0123456789", "html_block": "<",
    "heading": "#", "reference": "[", "table": "", "code": "", "lheading": None,
    "paragraph": None, "footnote": "["}


class _Silent:
    """A logger stand-in: ``debug`` is ``"".format``, which ignores its arguments in C."""

    debug = staticmethod("".format)


def _silence_rule_loggers() -> None:
    for name in _RULE_MODULES:
        module = importlib.import_module(f"markdown_it.rules_block.{name}")
        if hasattr(module, "LOGGER"):
            module.LOGGER = _Silent()  # type: ignore[attr-defined]


def _may_have_underline(state: StateBlock, start: int, end: int) -> bool:
    """Whether a line after ``start``, before the next blank line, starts with ``=`` or ``-``:
    the only lines ``lheading`` can take for an underline. A superset of the lines it looks at
    (it also stops at lines that end a paragraph), so "no" is always right."""
    src, begins, shifts, ends = state.src, state.bMarks, state.tShift, state.eMarks
    line = start + 1
    while line < end:
        position = begins[line] + shifts[line]
        if position >= ends[line]:  # a blank line ends the paragraph
            return False
        if src[position] in "=-":
            return True
        line += 1
    return False


def lheading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's setext heading rule, skipped when no line can be its underline."""
    if _may_have_underline(state, start, end):
        return rules_block.lheading(state, start, end, silent)
    if not state.is_code_block(start):
        state.parentType = "paragraph"  # as the rule leaves it when it finds no underline
    return False


# --------------------------------------------------------------------------------------------
# Offering a line only to the rules that can take it


@dataclass(frozen=True)
class _Offers:
    """The rules of a chain that can take a line, by the line's first character."""

    plain: dict[str, tuple[BlockRule, ...]]  # for a line without "|"
    piped: dict[str, tuple[BlockRule, ...]]  # for a line with one
    plain_other: tuple[BlockRule, ...]  # for a first character no rule names
    piped_other: tuple[BlockRule, ...]


# By id() of the ruler's chain, kept alive in the entry so that the id stays its own.
_OFFERS: dict[int, tuple[list[BlockRule], _Offers | None]] = {}


def _offers(ruler: Ruler[BlockRule], name: str) -> _Offers | None:
    """How to offer lines to the terminator chain ``name``; None if it holds a rule ``_FIRST``
    does not know (a plugin's), which must then see every line."""
    chain = ruler.getRules(name)
    known = _OFFERS.get(id(chain))
    if known is not None and known[0] is chain:
        return known[1]
    rules = [r for r in ruler.__rules__ if r.enabled and (not name or name in r.alt)]
    offers = None
    if [r.fn for r in rules] == chain and all(r.name in _FIRST for r in rules):
        def offered(first: str | None, piped: bool) -> tuple[BlockRule, ...]:
            return tuple(r.fn for r in rules if _takes(_FIRST[r.name], first)
                         or (piped and r.name == "table"))
        starts = "".join(c for c in _FIRST.values() if c)
        offers = _Offers({c: offered(c, False) for c in starts},
                         {c: offered(c, True) for c in starts},
                         offered(None, False), offered(None, True))
    if len(_OFFERS) >= 32:
        _OFFERS.clear()
    _OFFERS[id(chain)] = (chain, offers)
    return offers


def _takes(starts: str | None, first: str | None) -> bool:
    return starts is None or (first is not None and first in starts)


def paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's paragraph rule, offering each line only to the terminators that can take it."""
    ruler = state.md.block.ruler
    offers = _offers(ruler, "paragraph")
    end = state.lineMax
    old_parent_type = state.parentType
    state.parentType = "paragraph"
    src, begins, shifts, ends, counts = (state.src, state.bMarks, state.tShift, state.eMarks,
                                         state.sCount)
    line = start + 1
    while line < end:
        position, stop = begins[line] + shifts[line], ends[line]
        if position >= stop:  # a blank line
            break
        # An indented line continues the paragraph (it cannot start a code block), and so does
        # one a block quote has already checked (the rule's quirk).
        if counts[line] - state.blkIndent > 3 or counts[line] < 0:
            line += 1
            continue
        terminators: Sequence[BlockRule]
        if offers is None:
            terminators = ruler.getRules("paragraph")
        elif src.find("|", position, stop) < 0:
            terminators = offers.plain.get(src[position], offers.plain_other)
        else:
            terminators = offers.piped.get(src[position], offers.piped_other)
        if terminators and any(t(state, line, end, True) for t in terminators):
            break
        line += 1

    content = mdTrim(state.getLines(start, line, state.blkIndent, False))
    state.line = line
    token = state.push("paragraph_open", "p", 1)
    token.map = [start, line]
    token = state.push("inline", "", 0)
    token.content = content
    token.map = [start, line]
    token.children = []
    state.push("paragraph_close", "p", -1)
    state.parentType = old_parent_type
    return True


def _block_state(src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> StateBlock:
    """``StateBlock(src, md, env, tokens)``, its line marks found by string methods rather than
    character by character."""
    state = StateBlock("", md, env, tokens)  # every other attribute as markdown-it sets it
    lines = src.split("\n")
    if not lines[-1].lstrip(" \t"):  # an empty or blank last line gets no marks
        lines.pop()
    length = len(src)
    begins = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    begins[-1] = length  # the extra line markdown-it adds at the end
    ends = [begin + len(line) for begin, line in zip(begins, lines, strict=False)]
    ends.append(length)
    shifts = [len(line) - len(line.lstrip(" \t")) for line in lines]
    counts = shifts.copy()
    if "\t" in src:  # a tab indents to the next multiple of 4
        for number, line in enumerate(lines):
            if "\t" in line[:shifts[number]]:
                count = 0
                for character in line[:shifts[number]]:
                    count += 4 - count % 4 if character == "\t" else 1
                counts[number] = count
    shifts.append(0)
    counts.append(0)
    state.src = src
    state.bMarks, state.eMarks, state.tShift, state.sCount = begins, ends, shifts, counts
    state.bsCount = [0] * len(begins)
    state.lineMax = len(lines)
    return state


class _ParserBlock(ParserBlock):
    """markdown-it's block tokenizer, offering each line only to the rules that can take it."""

    def parse(self, src: str, md: MarkdownIt, env: EnvType, outTokens: list[Token]
              ) -> list[Token] | None:
        if not src:
            return None
        state = _block_state(src, md, env, outTokens)
        self.tokenize(state, state.line, state.lineMax)
        return state.tokens

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        offers = _offers(self.ruler, "")
        everything = self.ruler.getRules("")
        line, end = startLine, endLine
        nesting = state.md.options.maxNesting
        empty_before = False
        src, begins, shifts, ends, counts = (state.src, state.bMarks, state.tShift, state.eMarks,
                                             state.sCount)
        while line < end:
            state.line = line = state.skipEmptyLines(line)
            if line >= end:
                break
            if counts[line] < state.blkIndent:  # the end of a block quote or list item
                break
            if state.level >= nesting:  # skip the rest, as markdown-it does
                state.line = end
                break
            position, stop = begins[line] + shifts[line], ends[line]
            rules: Sequence[BlockRule]
            if offers is None or counts[line] - state.blkIndent >= 4 or position >= stop:
                rules = everything
            elif src.find("|", position, stop) < 0:
                rules = offers.plain.get(src[position], offers.plain_other)
            else:
                rules = offers.piped.get(src[position], offers.piped_other)
            for block_rule in rules:
                if block_rule(state, line, end, False):
                    if state.line <= line:
                        raise RuntimeError("block rule didn't increment state.line")
                    break
            else:
                raise RuntimeError("none of the block rules matched")
            state.tight = not empty_before  # an empty line before this block makes it loose
            line = state.line
            if line - 1 < end and state.isEmpty(line - 1):  # a paragraph may eat one
                empty_before = True
            if line < end and state.isEmpty(line):
                empty_before = True
                line += 1
                state.line = line


# A footnote definition's marker: "[^label]:", no space, tab or "]" in the label (GFM's rule).
FOOTNOTE_MARKER = re.compile(r"\[\^([^\] \t]+)\]:")


def footnote(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A footnote definition (GFM, Pandoc, MkDocs, markdown-it-footnote; not CommonMark, which
    reads ``[^1]: Ibid.`` as a link reference definition): ``[^label]:`` opens a container as
    a list marker does. Its first line's text, the lines indented 4 columns past the marker's
    own indentation and the lazy continuations of its paragraphs are its content. Tokens:
    ``footnote_open`` (``meta["label"]``) and ``footnote_close``."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    src = state.src
    position = state.bMarks[start] + state.tShift[start]
    if not src.startswith("[^", position):  # most lines offered: a link reference definition
        return False
    marker = FOOTNOTE_MARKER.match(src, position, state.eMarks[start])
    if marker is None:
        return False
    if silent:
        return True
    opening = state.push("footnote_open", "", 1)
    opening.meta = {"label": marker.group(1)}
    old = (state.bMarks[start], state.tShift[start], state.sCount[start], state.parentType)
    # The content starts after the marker and the spaces after it, as a list item's does.
    after = marker.end()
    column = initial = state.sCount[start] + after - position
    stop = after
    while stop < state.eMarks[start] and src[stop] in " \t":
        column += 4 - column % 4 if src[stop] == "\t" else 1
        stop += 1
    state.bMarks[start], state.tShift[start] = after, stop - after
    state.sCount[start] = column - initial
    state.blkIndent += 4
    state.parentType = "footnote"
    if state.sCount[start] < state.blkIndent:
        state.sCount[start] += state.blkIndent
    state.md.block.tokenize(state, start, end)
    state.blkIndent -= 4
    state.bMarks[start], state.tShift[start], state.sCount[start], state.parentType = old
    opening.map = [start, state.line]
    state.push("footnote_close", "", -1)
    return True


_OWN = {"lheading": lheading, "paragraph": paragraph}


def _normalize(state: StateCore) -> None:
    """markdown-it's normalize rule, which changes nothing in a text with no CR and no NUL."""
    if "\r" in state.src or "\0" in state.src:
        rules_core.normalize(state)


def rule(name: str) -> BlockRule:
    """The block rule ``name`` as this parser runs it."""
    return _OWN.get(name) or getattr(rules_block, name)  # type: ignore[no-any-return]


def block_parser() -> MarkdownIt:
    """markdown-it for block structure only (CommonMark with GFM tables, inline parsing off)."""
    md = MarkdownIt("commonmark").enable("table")
    md.disable(["inline", "text_join"])
    blocks = _ParserBlock()
    blocks.ruler = md.block.ruler
    md.block = blocks
    md.core.ruler.at("normalize", _normalize)
    for name, own in _OWN.items():
        md.block.ruler.at(name, own, {"alt": []})
    return md


_silence_rule_loggers()
