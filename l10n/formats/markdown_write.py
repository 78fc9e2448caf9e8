"""Writing a translation back into a Markdown block without changing the block structure.

The traversal (``markdown.py``, ``markdown_find.py``) finds each ``Block``; ``write`` gives the
text that replaces the block's span. Risky continuation lines are indented, a risky first
character is escaped, pipes and brackets are escaped where they would end a table cell or an
image's alt text, and pipes where they would make a setext heading's last line a table's header
row (nowhere else).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from l10n.formats import frontmatter
from l10n.formats.markdown_blocks import FOOTNOTE_MARKER, block_parser

# What CommonMark trims around a paragraph or a table cell (markdown-it's set).
TRIM = "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009" \
       "\u200a\u2028\u2029\u202f\u205f\u3000"
# A continuation line starting like this could open a block (a footnote definition's marker
# too); 4 spaces of indent make it text.
_OPENS_BLOCK = re.compile(rf"[#>+*=_~`<|:-]|\d{{1,9}}[.)]|{FOOTNOTE_MARKER.pattern}")
# A first line starting like this is checked with the parser before it is written.
_MAY_OPEN_BLOCK = re.compile(r"[#>+*=_~`<|:\[-]|\d")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_CODE_SPAN = re.compile(r"(`+)[\s\S]*?(?<!`)\1(?!`)")
_ANY_PIPE = re.compile(r"\\?\|")


@dataclass(frozen=True)
class Block:
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


_PROBE = block_parser()


def write(block: Block, translation: str) -> str | None:
    """The text that replaces ``block``'s span with ``translation``; None to keep the source."""
    return _WRITERS[block.shape](block, translation)


def odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _write_flow(block: Block, translation: str) -> str | None:
    # Inside, only spaces and tabs around a line are markup (as on extraction); at both ends,
    # all that CommonMark trims.
    text = "\n".join(part.strip(" \t") for part in translation.split("\n")).strip(TRIM)
    parts = [part.strip(" \t") for part in text.split("\n") if part.strip(" \t")]
    if not parts:
        return None
    # Indented 4 columns past the container, a line continues the paragraph whatever it says
    # (after a bare ">" one more: the first space belongs to the marker).
    indent = "     " if block.prefix.endswith(">") else "    "
    parts[1:] = [indent + part if _OPENS_BLOCK.match(part) else part for part in parts[1:]]
    if block.underline and "|" in parts[-1] and _block_types(
            parts[-1] + "\n" + block.underline)[:1] == ["table_open"]:
        # The line above a "---" underline would be a table's header row: its pipes, even
        # escaped ones, are what make it one. Anywhere else a pipe is text, written as it is.
        parts[-1] = _escape_pipes(parts[-1])
    if block.opens_line and _MAY_OPEN_BLOCK.match(parts[0]):
        expected = "heading_open" if block.underline else "paragraph_open"
        probe = "\n".join(parts) + ("\n" + block.underline if block.underline else "")
        # A footnote definition is no block to the probe (CommonMark), but one to the site.
        if FOOTNOTE_MARKER.match(parts[0]) or _block_types(probe) != [
                expected, "inline", expected.replace("open", "close")]:
            parts[0] = _escape_first(parts[0])
    out = []
    for part in parts[:-1]:
        out.append(part if odd_backslashes(part) else part + "  ")
        out.append("\n" + block.prefix)
    out.append(parts[-1])
    return "".join(out)


def _escape_pipes(text: str) -> str:
    """Write every ``|`` outside code spans as ``&#124;``: the table rule takes any pipe, even a
    backslash-escaped one, in the line above a delimiter row for a header row. (A pipe left in a
    code span splits the line into two columns, never the one a ``---`` underline has.)"""
    out, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        out.append(_ANY_PIPE.sub("&#124;", text[last:span.start()]))
        out.append(span.group(0))
        last = span.end()
    out.append(_ANY_PIPE.sub("&#124;", text[last:]))
    return "".join(out)


def _write_atx(block: Block, translation: str) -> str | None:
    text = _one_line(translation)
    if text and not block.closed and text.endswith("#"):
        run = len(text.rstrip("#"))
        if run == 0 or text[run - 1] in " \t":
            text = text[:run] + "\\" + text[run:]
    return text or None


def _write_cell(block: Block, translation: str) -> str | None:
    text = _UNESCAPED_PIPE.sub(r"\\|", _one_line(translation))
    if not text:
        return None
    if text.endswith("\\"):
        text += " "  # a trailing backslash would escape the next pipe
    if block.opens_line and _MAY_OPEN_BLOCK.match(text) \
            and _block_types(text) != ["paragraph_open", "inline", "paragraph_close"]:
        text = _escape_first(text)
    return text


def _write_alt(block: Block, translation: str) -> str | None:
    text = _one_line(translation)
    depth = 0
    for match in re.finditer(r"\\.|[\[\]]", text):
        depth += {"[": 1, "]": -1}.get(match.group(), 0)
        if depth < 0:
            break
    if depth:
        text = re.sub(r"(\\.)|([\[\]])", lambda m: m.group(1) or "\\" + m.group(2), text)
    if odd_backslashes(text):
        text += " "
    return text or None


def _write_yaml(block: Block, translation: str) -> str | None:
    return frontmatter.write_value(translation, block.trailer)


_WRITERS: dict[str, Callable[[Block, str], str | None]] = {
    "flow": _write_flow, "atx": _write_atx, "cell": _write_cell, "alt": _write_alt,
    "yaml": _write_yaml}


def _escape_first(text: str) -> str:
    """The line with its first character made literal, so it cannot open a block."""
    digits = len(text) - len(text.lstrip("0123456789"))
    if digits:
        return text[:digits] + "\\" + text[digits:] if text[digits:digits + 1] in (".", ")") \
            else text
    return "\\" + text


def _one_line(text: str) -> str:
    return " ".join(part.strip(TRIM) for part in text.split("\n") if part.strip(TRIM))


def _block_types(text: str) -> list[str]:
    """The block token types markdown-it makes of ``text`` alone."""
    return [token.type for token in _PROBE.parse(text)]
