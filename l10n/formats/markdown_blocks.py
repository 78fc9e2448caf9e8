"""markdown-it-py's block parser, made faster without changing a single token it makes.

Every Markdown step parses block structure: extract once per article, build once for the render
and once per edition to check its structure. Two costs of markdown-it-py's block rules are pure
overhead for us, and both are removed here:

- Every rule call starts with ``LOGGER.debug(...)``: millions of calls a corpus to a logger that
  is never enabled. The rules' module-level loggers are replaced by one whose ``debug`` is a
  C-level no-op; other code using the same logger names is not affected (it is the module
  attribute that changes, not the ``logging`` registry).
- The setext-heading rule runs before the paragraph rule on every paragraph and scans it line by
  line, calling every terminator rule, only to find no ``===``/``---`` underline in the usual
  case; then the paragraph rule scans the same lines again. A pre-check answers "no underline
  can be there" from the first character of each line and returns what the rule itself returns
  in that case, with the same side effect on ``state.parentType``.

``tests/test_markdown.py`` checks that this parser and markdown-it-py's own make the same tokens
for every CommonMark example and every generated document.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from markdown_it import MarkdownIt, rules_block
from markdown_it.rules_block import StateBlock

BlockRule = Callable[[StateBlock, int, int, bool], bool]

_RULE_MODULES = ("blockquote", "code", "fence", "heading", "hr", "html_block", "lheading", "list",
                 "paragraph", "reference", "table")


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


def rule(name: str) -> BlockRule:
    """The block rule ``name`` as this parser runs it."""
    return lheading if name == "lheading" else getattr(rules_block, name)  # type: ignore[no-any-return]


def block_parser() -> MarkdownIt:
    """markdown-it for block structure only (CommonMark with GFM tables, inline parsing off)."""
    md = MarkdownIt("commonmark").enable("table")
    md.disable(["inline", "text_join"])
    md.block.ruler.at("lheading", lheading, {"alt": []})
    return md


_silence_rule_loggers()
