"""What the HTML traversal sees and yields: element classes, node predicates, and the records of
the translatable blocks (``Run``, ``Attr``) that ``html.extract`` lists and ``html_splice`` writes
back. Kept apart from ``html.py`` so the splice module can use them without importing the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Phrasing content that stays inside a segment as a placeholder tag.
INLINE = frozenset(
    ["a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em", "embed", "font", "i", "img", "input", "ins", "kbd", "mark", "q", "ruby", "rp", "rt", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"]
)
# Controls and their labels: inline inside running text (``Press <button>OK</button> to go``,
# ``Tick <label>this box</label> to agree``), their own block when they stand alone (a toolbar, a
# form's submit button, a form field's label).
CONTROLS = frozenset(["button", "label"])
# HTML5's void elements (never any content). libxml2 does not know some of them (see
# ``html_tokens.parser_text``).
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source", "track", "wbr"])
# Never translated; inside a run they are opaque placeholders (``<svg1/>``), reproduced verbatim.
SKIP = frozenset(
    ["script", "style", "pre", "svg", "math", "template", "textarea", "iframe", "object", "canvas", "audio", "video", "noembed", "noframes", "xmp", "plaintext"]
)
WS = " \t\n\r\f"


def is_element(node: Any) -> bool:
    return isinstance(node.tag, str)


def opaque(node: Any) -> bool:
    """Kept verbatim: comments, never-translated elements, ``translate="no"``, ``notranslate``."""
    tag = node.tag
    if not isinstance(tag, str) or tag in SKIP:
        return True
    attrib = node.attrib
    if not attrib:   # most elements have none: skip the two lookups (a hot path)
        return False
    translate = attrib.get("translate")
    if translate is not None and translate.strip().lower() == "no":
        return True
    return "notranslate" in attrib.get("class", "").split()


def inline(node: Any) -> bool:
    """True for nodes that belong inside a run (a paragraph's text flow)."""
    if not is_element(node):
        return True
    if node.tag in SKIP:
        return True
    if node.tag not in INLINE and (node.tag not in CONTROLS or not _in_running_text(node)):
        return False
    return opaque(node) or all(inline(child) for child in node)


def has_letter(text: str | None) -> bool:
    return text is not None and any(ch.isalpha() for ch in text)


def _in_running_text(node: Any) -> bool:
    """True when words sit right before or after ``node`` in its parent's text flow."""
    before, after = node.getprevious(), node.getnext()
    if has_letter(node.tail) or has_letter(node.getparent().text if before is None
                                           else before.tail):
        return True
    return any(other is not None and is_element(other) and other.tag in INLINE
               and has_letter(other.xpath("string()")) for other in (before, after))


# --------------------------------------------------------------------------------------------
# The records of the traversal


@dataclass
class Run:
    """Text and inline nodes between two block boundaries inside ``container``.

    The run's text starts in ``holder.text`` (holder is the container) or ``holder.tail``."""

    container: Any
    holder: Any
    nodes: list[Any]
    msgid: str
    names: dict[str, Any]
    line: int
    kind: str

    @property
    def lead_attr(self) -> str:
        return "text" if self.holder is self.container else "tail"


@dataclass
class Attr:
    element: Any
    name: str
    msgid: str
    line: int
    kind: str


Item = Run | Attr


def escape(text: str) -> str:
    """Text as msgids and editions write it: ``&``, ``<``, ``>`` escaped, and the characters a
    translator could not see (no-break and narrow spaces, soft hyphens) as entities."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if _INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub(lambda m: _ENTITY.get(m.group(), f"&#{ord(m.group())};"), text)


# Spaces that do not look like spaces, zero-width spaces, soft hyphens. Not the zero-width
# (non-)joiners: they belong to the spelling of Persian, Indic scripts and emoji.
_INVISIBLE = re.compile("[\u00a0\u00ad\u2000-\u200b\u202f\u205f\u2060\ufeff]")
_ENTITY = {"\u00a0": "&nbsp;", "\u00ad": "&shy;", "\u2002": "&ensp;", "\u2003": "&emsp;",
           "\u2009": "&thinsp;"}

