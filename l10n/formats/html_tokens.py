"""The HTML source text as tags: a small tokenizer, and the text libxml2 is given to read.

``tags`` finds the start and end tags and comments of a document (raw text such as a script's is
skipped); ``html_splice`` uses it to find where each element sits in the source. libxml2 reads
some HTML differently from a browser (void elements it does not know, inline elements left open
before a block); ``parse`` gives it a copy of the text with those places written out, only when
the document has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from l10n.formats.html_nodes import CONTROLS, INLINE, VOID

# Raw-text and RCDATA elements: no tags inside, up to the matching end tag.
RAW = frozenset(["script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title", "plaintext"])
# HTML5's void elements that libxml2 does not know: its parser reads what follows ``<wbr>`` as
# content (and may even nest the next paragraph inside it); its serializer closes them.
LXML_UNKNOWN_VOID = frozenset(["embed", "keygen", "source", "track", "wbr"])
_UNKNOWN_NAMES = "|".join(sorted(LXML_UNKNOWN_VOID))
_UNKNOWN_VOID = re.compile(rf"<(?:{_UNKNOWN_NAMES})[\t\n\f\r />]", re.IGNORECASE)

TOKEN = re.compile(
    r"""<(?:
        (?P<comment>!--(?:>|->|.*?--!?>)|\?[^>]*>|![^>]*>)
      | /(?P<end>[A-Za-z][^\t\n\f\r />]*)[^>]*>
      | (?P<start>[A-Za-z][^\t\n\f\r />]*)(?:[^>"']|"[^"]*"|'[^']*')*>
    )""",
    re.DOTALL | re.VERBOSE,
)


def tags(text: str) -> Iterator[re.Match[str]]:
    """Every tag, comment and doctype of ``text`` (``TOKEN`` matches), in order; the content of a
    raw-text element (``<script>``, ``<title>``…) is skipped up to its end tag."""
    pos = 0
    while (match := TOKEN.search(text, pos)) is not None:
        pos = match.end()
        yield match
        name = match.group("start")
        if name is not None and name.lower() in RAW:
            close = re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE).search(text, pos)
            pos = close.start() if close else len(text)


# HTML's implied end tags: the start tags that end an open ``<p>``, ``<li>``, ``<dt>``… and every
# inline element still open inside it.
_BLOCKS = frozenset(
    ["address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "dd", "dt", "listing", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul"]
)
_ENDED_BY = {"p": _BLOCKS, "li": frozenset(["li"]), "dt": frozenset(["dt", "dd"]),
             "dd": frozenset(["dt", "dd"]), "td": frozenset(["td", "th"]),
             "th": frozenset(["td", "th"])}
_OPEN_INLINE = (INLINE | CONTROLS) - VOID


def implied_ends(open_tags: list[str], name: str) -> list[str]:
    """The elements open at the top of ``open_tags`` (outermost first) that the start tag ``name``
    ends, as libxml2 ends them: the block it ends (``<li>`` ends an open ``<p>``, then the ``<li>``
    that held it) with every inline element still open inside, again while the next block down is
    one it ends too."""
    depth = len(open_tags)
    while True:
        top = depth
        while top and (open_tags[top - 1] in INLINE or open_tags[top - 1] in CONTROLS):
            top -= 1
        if not top or name not in _ENDED_BY.get(open_tags[top - 1], ()):
            return open_tags[depth:]
        depth = top - 1


def parser_text(text: str) -> str:
    """``text`` as libxml2 is to read it; lines stay where they were, so the tokens of ``tags``
    are still found in the original text.

    The start tags of the void elements libxml2 does not know are written ``<wbr />`` (outside
    comments and raw text): its parser reads them as empty. Before a start tag that ends an open
    ``<p>`` (``<li>``, ``<td>``…) the inline elements still open inside it get their end tags,
    as HTML's parser ends them: libxml2 ends ``<b>`` there, but nests the rest of the document
    in an open ``<em>``, ``<a>`` or ``<span>``, which takes the sentence apart. The blocks such a
    tag ends (``<p>one<li>two``: the ``<p>``) are ended here too, as libxml2 ends them, so that
    an inline element left open after them is seen in the block it is open in; so are the
    inline elements it ends at a start tag (``closed_by_start``), and an end tag ends only what
    it ends in libxml2 (``ended_by``: a stray one, ignored there, ends nothing)."""
    out: list[str] = []
    pos = 0
    open_tags: list[str] = []
    for match in tags(text):
        if match.group("end") is not None:
            depth = ended_by(open_tags, match.group("end").lower())
            if depth is not None:
                del open_tags[depth:]
        if not match.group("start"):
            continue
        name = match.group("start").lower()
        if name in RAW:
            continue
        ended = implied_ends(open_tags, name)
        if ended:
            # libxml2 ends the blocks itself; the inline elements open in them get end tags.
            inline = [tag for tag in reversed(ended) if tag in _OPEN_INLINE]
            if inline:
                out.append(text[pos:match.start()])
                out.extend(f"</{tag}>" for tag in inline)
                pos = match.start()
            del open_tags[-len(ended):]
        del open_tags[len(open_tags) - closed_by_start(open_tags, name):]
        if name in LXML_UNKNOWN_VOID and not match.group().endswith("/>"):
            out.append(text[pos:match.end() - 1])
            out.append(" />")  # the space: an unquoted value would take the slash
            pos = match.end()
        elif name not in VOID and not match.group().endswith("/>"):
            open_tags.append(name)
    out.append(text[pos:])
    return "".join(out)


# libxml2's end-tag priorities: an end tag ends the element it names only when no element of a
# higher priority is open inside that one (``<b><div>x</b>``: the ``</b>`` is ignored).
_END_PRIORITY = {"div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180,
                 "tfoot": 180, "table": 190, "head": 200, "body": 200, "html": 220}


def ended_by(open_tags: list[str], name: str) -> int | None:
    """The depth in ``open_tags`` (outermost first) of the element the end tag ``name`` ends, as
    libxml2 reads it; None for an end tag it ignores: one that names no open element, or one
    an element of a higher priority (``<div>``, ``<td>``, ``<table>``…) open inside it hides."""
    priority = _END_PRIORITY.get(name, 100)
    for depth in range(len(open_tags) - 1, -1, -1):
        if open_tags[depth] == name:
            return depth
        if _END_PRIORITY.get(open_tags[depth], 100) > priority:
            return None
    return None


# The inline elements libxml2 ends when one of these start tags comes while they are the
# innermost open element (its table of start tags that close elements, inline part): a later end
# tag of theirs is a stray one.
_FONTSTYLE = frozenset(["tt", "i", "b", "u", "s", "strike", "big", "small"])
_CELL_CLOSES = frozenset(["span", "font", "a", "b", "i", "u"])
_START_CLOSES = {"p": _FONTSTYLE, "td": _CELL_CLOSES, "th": _CELL_CLOSES,
                 "center": frozenset(["font", "b", "i"]), "table": frozenset(["a"]),
                 "fieldset": frozenset(["a"]), "a": frozenset(["a"])}


def closed_by_start(open_tags: list[str], name: str) -> int:
    """How many of the innermost elements of ``open_tags`` libxml2 ends at the start tag
    ``name`` (``<b>one<p>``: the ``<b>``), one after the other while the next is one it ends."""
    closes = _START_CLOSES.get(name)
    if closes is None:
        return 0
    count = 0
    while count < len(open_tags) and open_tags[-1 - count] in closes:
        count += 1
    return count


# Where libxml2 puts a block an inline element left open does not end (see ``parse``).
_ENDING = tuple(sorted(frozenset().union(*_ENDED_BY.values())))


def _block_in_inline(root: Any) -> bool:
    return any(block.getparent().tag in _OPEN_INLINE for block in root.iter(_ENDING))


def parse(text: str, parser: Any) -> Any:
    """The root ``parser`` makes of ``text``, read as ``parser_text`` writes it. That copy is
    made only where it changes the tree: when ``text`` has a void element libxml2 does not know,
    or libxml2's own reading put a block inside an inline element, the sign of one left open
    (``parser_text`` is a scan in Python: it took twice as long as libxml2's parse)."""
    if _UNKNOWN_VOID.search(text) is None:
        root = etree.fromstring(text, parser)
        if root is None or not _block_in_inline(root):
            return root
    return etree.fromstring(parser_text(text), parser)
