"""HTML articles, parsed with lxml: extract translatable blocks, build editions, keep them safe.

One traversal (``_walk``) finds the blocks for both ``extract`` and ``render``. A block is a *run*:
the text and inline elements between two block-level boundaries, or a translatable attribute.
Inline elements become numbered placeholder tags in the msgid (``<a1>…</a1>``, ``<br2/>``); their
attributes stay out of translators' reach and come back from the source on build.

``render`` splices translations into the original text at source positions, so every byte it does
not translate is kept; when the spliced text does not parse to the translated lxml tree (markup too
broken for the tokenizer), the edition is the serialized tree instead. That machinery lives in
``html_splice``; the placeholder checks in ``html_markup``; the node vocabulary in ``html_nodes``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree

from l10n.errors import SourceError
from l10n.formats import FormatOptions
from l10n.formats.html_markup import markup_problems
from l10n.formats.html_nodes import VOID, WS, Attr, Item, Run, escape, inline, is_element, opaque
from l10n.formats.html_splice import Unpositioned, apply, serialize, shape, splice
from l10n.segment import Lookup, Segment

NAME = "html"
SUFFIXES = (".html", ".htm")

log = logging.getLogger(__name__)

ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
META_NAMES = frozenset(
    ["description", "og:title", "og:description", "twitter:title", "twitter:description"]
)
_WS_RUN = re.compile(r"[ \t\n\r\f]+")
_ENTITY_DECL = re.compile(r"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Parsing


def _parse(text: str, path: str) -> Any:
    """The lxml tree of an HTML document or fragment; None when it holds nothing.

    The parser never reaches the network; HTML has no external entities, and a source that
    declares entities of its own (the XXE and billion-laughs vehicles) is refused outright.
    """
    match = _ENTITY_DECL.search(text)
    if match:
        raise SourceError(
            "entity declarations are not allowed in HTML sources",
            path=path, line=text.count("\n", 0, match.start()) + 1,
            hint="remove the <!DOCTYPE [...]> internal subset",
        )
    if not text.strip():
        return None
    parser = etree.HTMLParser(no_network=True, default_doctype=False, huge_tree=False,
                              collect_ids=False, remove_comments=False, remove_pis=False)
    try:
        root = etree.fromstring(text, parser)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as error:
        raise SourceError(f"cannot parse HTML: {error}", path=path) from None
    for entry in parser.error_log:
        # libxml2 stops at its limits (nesting deeper than 256) and keeps only what came before.
        if entry.level == etree.ErrorLevels.FATAL:
            raise SourceError(f"cannot parse HTML: {entry.message}", path=path, line=entry.line,
                              hint="the rest of the document would be lost")
    return None if root is None else root.getroottree()


# --------------------------------------------------------------------------------------------
# The traversal shared by extract and render


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _walk(tree: Any) -> list[Item]:
    items: list[Item] = []
    root = tree.getroot()
    _visit(root, "", items)
    return items


def _visit(element: Any, path: str, items: list[Item]) -> None:
    _attributes(element, path or element.tag, items)
    holder, nodes = element, []
    for child in element:
        if inline(child):
            nodes.append(child)
            continue
        _flush(element, holder, nodes, path, items)
        holder, nodes = child, []
        if not opaque(child):
            _visit(child, f"{path}/{child.tag}" if path else child.tag, items)
    _flush(element, holder, nodes, path, items)


def _attributes(element: Any, where: str, items: list[Item]) -> None:
    for name in ATTRIBUTES:
        value = element.get(name)
        if value and _has_letter(value):
            items.append(Attr(element, name, escape(value.strip(WS)), element.sourceline or 1,
                              f"{where}@{name}"))
    if element.tag == "meta":
        key = (element.get("name") or element.get("property") or "").strip().lower()
        value = element.get("content")
        if key in META_NAMES and value and _has_letter(value):
            items.append(Attr(element, "content", escape(value.strip(WS)),
                              element.sourceline or 1, f"{where}[{key}]@content"))


def _flush(container: Any, holder: Any, nodes: list[Any], path: str,
           items: list[Item]) -> None:
    lead = (holder.text if holder is container else holder.tail) or ""
    # Comments at either edge of a run stay outside it.
    while nodes and not is_element(nodes[0]) and not lead.strip(WS):
        holder = nodes.pop(0)
        lead = holder.tail or ""
    while nodes and not is_element(nodes[-1]) and not (nodes[-1].tail or "").strip(WS):
        nodes.pop()
    if not nodes and not lead.strip(WS):
        return
    parts: list[str] = [escape(lead)]
    names: dict[str, Any] = {}
    letters = [_has_letter(lead)]
    for node in nodes:
        _placeholder(node, parts, names, letters)
        parts.append(escape(node.tail or ""))
        letters.append(_has_letter(node.tail or ""))
    if any(letters):
        msgid = _WS_RUN.sub(" ", "".join(parts)).strip(" ")
        line = (container.sourceline if holder is container else holder.sourceline) or 1
        items.append(Run(container, holder, nodes, msgid, names, line, path or container.tag))
    for node in nodes:
        _inline_attributes(node, path or container.tag, items)


def _inline_attributes(node: Any, path: str, items: list[Item]) -> None:
    """Translatable attributes of the inline elements of a run (``<img alt>``, ``<a title>``)."""
    if opaque(node):
        return
    _attributes(node, f"{path}/{node.tag}", items)
    for child in node:
        _inline_attributes(child, f"{path}/{node.tag}", items)


def _placeholder(node: Any, parts: list[str], names: dict[str, Any], letters: list[bool]) -> None:
    tag = node.tag if is_element(node) else "comment"
    name = f"{tag}{len(names) + 1}"
    names[name] = node
    if opaque(node) or (node.tag in VOID and len(node) == 0 and not node.text):
        parts.append(f"<{name}/>")
        return
    parts.append(f"<{name}>")
    parts.append(escape(node.text or ""))
    letters.append(_has_letter(node.text or ""))
    for child in node:
        _placeholder(child, parts, names, letters)
        parts.append(escape(child.tail or ""))
        letters.append(_has_letter(child.tail or ""))
    parts.append(f"</{name}>")


# --------------------------------------------------------------------------------------------
# Public interface


def extract(text: str, path: str, *, options: FormatOptions) -> list[Segment]:
    """The translatable blocks of an HTML document or fragment, in document order."""
    tree = _parse(text, path)
    if tree is None:
        return []
    return [Segment(item.msgid, path, item.line, item.kind) for item in _walk(tree)]


def declared_language(text: str, path: str) -> str | None:
    """The ``lang`` (else ``xml:lang``) of the ``<html>`` element, if the document has one."""
    return _language(_parse(text, path))


def language_line(text: str) -> int | None:
    """The line of the ``<html lang>`` start tag, when the document declares a language."""
    tree = _parse(text, "")
    return None if _language(tree) is None else tree.getroot().sourceline


def _language(tree: Any) -> str | None:
    if tree is None or tree.getroot().tag != "html":
        return None
    root = tree.getroot()
    value = (root.get("lang") or root.get("xml:lang") or "").strip()
    return value or None


def render(text: str, lookup: Lookup, *, options: FormatOptions) -> str:
    """The document with every block whose msgid ``lookup`` translates replaced.

    A translation whose markup fails ``markup_problems`` is not used (the source text stays).
    ``<html lang>`` (and ``xml:lang`` where present) becomes ``options.language``.
    """
    tree = _parse(text, "")
    if tree is None:
        return text
    changes = [(item, t) for item in _walk(tree) if (t := _usable(item.msgid, lookup)) is not None]
    lang = _lang_change(tree, text, options.language)
    if not changes and lang is None:
        return text
    try:
        spliced: str | None = splice(text, tree, changes, lang)
    except Unpositioned:
        spliced = None
    apply(tree, changes, lang)
    if spliced is not None:
        check = _parse(spliced, "")
        if check is not None and shape(check) == shape(tree):
            return spliced
    log.warning("HTML source positions could not be matched; the edition is re-serialized")
    return serialize(tree, fragment=not _has_html_tag(text))


def render_tree(text: str, lookup: Lookup, *, options: FormatOptions) -> str:
    """What ``render`` falls back to: translations applied to lxml's tree, then serialized."""
    tree = _parse(text, "")
    if tree is None:
        return text
    changes = [(item, t) for item in _walk(tree) if (t := _usable(item.msgid, lookup)) is not None]
    apply(tree, changes, _lang_change(tree, text, options.language))
    return serialize(tree, fragment=not _has_html_tag(text))


def _usable(msgid: str, lookup: Lookup) -> str | None:
    translation = lookup(msgid)
    if not translation or translation == msgid:
        return None
    if markup_problems(msgid, translation):
        log.debug("translation of %r not used: unsafe or mismatched markup", msgid)
        return None
    return translation


def _has_html_tag(text: str) -> bool:
    return re.search(r"<html[\s>/]", text, re.IGNORECASE) is not None


def _lang_change(tree: Any, text: str, language: str | None) -> str | None:
    """The BCP 47 code to put on ``<html>``, or None when nothing changes."""
    root = tree.getroot()
    if not language or root.tag != "html" or not _has_html_tag(text):
        return None
    code = language.replace("_", "-")
    current = [root.get(key) for key in ("lang", "xml:lang") if root.get(key) is not None]
    if root.get("lang") is not None and all(value == code for value in current):
        return None
    return code

