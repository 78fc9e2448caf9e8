"""What the HTML traversal sees and yields: element classes, node predicates, and the records of
the translatable blocks (``Run``, ``Attr``) that ``html.extract`` lists and ``html_splice`` writes
back. Kept apart from ``html.py`` so the splice module can use them without importing the format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Phrasing content that stays inside a segment as a placeholder tag.
INLINE = frozenset(
    ["a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img", "input", "ins", "kbd", "mark", "q", "ruby", "rp", "rt", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"]
)
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
# Never translated; inside a run they are opaque placeholders (``<svg1/>``), reproduced verbatim.
SKIP = frozenset(
    ["script", "style", "pre", "svg", "math", "template", "textarea", "iframe", "object", "canvas", "audio", "video", "noembed", "noframes", "xmp", "plaintext"]
)
WS = " \t\n\r\f"


def is_element(node: Any) -> bool:
    return isinstance(node.tag, str)


def opaque(node: Any) -> bool:
    """Kept verbatim: comments, never-translated elements, ``translate="no"``, ``notranslate``."""
    if not is_element(node):
        return True
    if node.tag in SKIP or node.get("translate", "").strip().lower() == "no":
        return True
    return "notranslate" in node.get("class", "").split()


def inline(node: Any) -> bool:
    """True for nodes that belong inside a run (a paragraph's text flow)."""
    if not is_element(node):
        return True
    if node.tag in SKIP:
        return True
    if node.tag not in INLINE:
        return False
    return opaque(node) or all(inline(child) for child in node)


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
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

