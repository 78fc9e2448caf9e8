"""HTML articles, parsed with lxml: extract translatable blocks, build editions, keep them safe.

One traversal (``_walk``) finds the blocks for both ``extract`` and ``render``. A block is a *run*:
the text and inline elements between two block-level boundaries, or a translatable attribute.
Inline elements become numbered placeholder tags in the msgid (``<a1>…</a1>``, ``<br2/>``); their
attributes stay out of translators' reach and come back from the source on build.

``render`` splices translations into the original text at source positions, so every byte it does
not translate is kept; when the spliced text does not parse to the translated lxml tree (markup too
broken for the tokenizer), the edition is the serialized tree instead. That machinery lives in
``html_splice``; the tokenizer and the text libxml2 reads in ``html_tokens``; the placeholder
checks in ``html_markup``; the node vocabulary in ``html_nodes``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree

from l10n.errors import SourceError, shorten
from l10n.formats import FormatOptions, Rendered
from l10n.formats.html_language import (
    KEPT,
    SHOWN,
    declared,
    og_locale,  # noqa: F401  (the format's own name for it, as before the move)
    page_changes,
    root_changes,
)
from l10n.formats.html_markup import entity_problems, markup_problems
from l10n.formats.html_nodes import (
    VOID,
    WS,
    Attr,
    Item,
    Run,
    escape,
    has_letter,
    inline,
    is_element,
    opaque,
)
from l10n.formats.html_splice import (
    Unpositioned,
    apply,
    serialize,
    shape,
    splice,
)
from l10n.formats.html_tokens import parse
from l10n.segment import Lookup, Segment

NAME = "html"
SUFFIXES = (".html", ".htm")

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())   # a library: the application decides what is shown

ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
# ``<input type=submit value="Send">``: the value is the button's visible label.
BUTTON_INPUTS = frozenset(["submit", "button", "reset"])
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
        root = parse(text, parser)
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
        if value and has_letter(value):
            items.append(Attr(element, name, escape(value.strip(WS)), element.sourceline or 1,
                              f"{where}@{name}"))
    if element.tag == "meta":
        key = (element.get("name") or element.get("property") or "").strip().lower()
        value = element.get("content")
        if key in META_NAMES and value and has_letter(value):
            items.append(Attr(element, "content", escape(value.strip(WS)),
                              element.sourceline or 1, f"{where}[{key}]@content"))
    elif element.tag == "input" and (element.get("type") or "").strip().lower() in BUTTON_INPUTS:
        value = element.get("value")
        if value and has_letter(value):
            items.append(Attr(element, "value", escape(value.strip(WS)), element.sourceline or 1,
                              f"{where}@value"))


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
    letters = [has_letter(lead)]
    for node in nodes:
        _placeholder(node, parts, names, letters)
        parts.append(escape(node.tail or ""))
        letters.append(has_letter(node.tail or ""))
    if any(letters):
        msgid = _WS_RUN.sub(" ", "".join(parts)).strip(" ")
        line = container.sourceline if holder is container else _tail_line(holder, lead, nodes)
        items.append(Run(container, holder, nodes, msgid, names, line, path or container.tag))
    for node in nodes:
        _inline_attributes(node, path or container.tag, items)


def _tail_line(holder: Any, lead: str, nodes: list[Any]) -> int:
    """The line a run that starts in ``holder.tail`` (after a block) starts on: counted back from
    the next node with a line of its own, else the holder's."""
    after = nodes[0] if nodes else holder.getnext()
    line = after.sourceline if after is not None else None
    start = len(lead) - len(lead.lstrip(WS))
    if line is None:
        # The last run of its container: counted on from the holder's last line we know.
        known = [node.sourceline for node in holder.iter() if node.sourceline]
        return (max(known) if known else 1) + lead.count("\n", 0, start)
    return max(line - lead.count("\n", start), 1) if lead.strip(WS) else line


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
    letters.append(has_letter(node.text or ""))
    for child in node:
        _placeholder(child, parts, names, letters)
        parts.append(escape(child.tail or ""))
        letters.append(has_letter(child.tail or ""))
    parts.append(f"</{name}>")


# --------------------------------------------------------------------------------------------
# Public interface


def extract(text: str, path: str, *, options: FormatOptions) -> list[Segment]:
    """The translatable blocks of an HTML document or fragment, in document order."""
    tree = _parse(text, path)
    if tree is None:
        return []
    return [Segment(item.msgid, path, item.line, item.kind) for item in _walk(tree)]


def untranslated_blocks(text: str) -> list[int]:
    """Blocks with text that extract leaves out: none (an HTML article's text is all extracted,
    but for script, style and code contents, which are not prose)."""
    return []


def declared_language(text: str, path: str) -> str | None:
    """The ``lang`` (else ``xml:lang``) of the ``<html>`` element, if the document has one."""
    return declared(_parse(text, path))


def language_line(text: str) -> int | None:
    """The line of the ``<html lang>`` start tag, when the document declares a language."""
    tree = _parse(text, "")
    return None if declared(tree) is None else tree.getroot().sourceline


def render(text: str, lookup: Lookup, *, options: FormatOptions) -> str:
    """The document with every block whose msgid ``lookup`` translates replaced.

    A translation whose markup fails ``markup_problems`` is not used (the source text stays).
    ``<html lang>`` (and ``xml:lang`` where present) becomes ``options.language``, and so do the
    ``og:locale`` and ``content-language`` meta tags a document has (none is added); ``<html>``
    gets ``dir="rtl"`` in a right-to-left language (``dir="ltr"`` where an edition in another
    turns a right-to-left source round); inside the page, see ``_element_changes``. When the
    edition has to be re-serialized, or a translation holds an entity HTML does not know, a
    warning goes to this module's logger; ``render_checked`` returns them as notes instead.
    """
    rendered = render_checked(text, lookup, options=options, path="")
    for note in rendered.notes:
        log.warning("%s", note)
    return rendered.text


def render_checked(text: str, lookup: Lookup, *, options: FormatOptions, path: str) -> Rendered:
    """``render``, with notes naming ``path`` and the line: of each translation with an entity
    HTML does not know or one without its ``;`` (``&nbps;``, ``&copy``), and of the edition when
    the translations could not be spliced into the source text and it is lxml's serialization
    instead (every byte outside the translated text is then no longer guaranteed)."""
    tree = _parse(text, path)
    if tree is None:
        return Rendered(text)
    changes = _changes(tree, lookup, options.language)
    at_root = root_changes(tree, _has_html_tag(text), options.language)
    if not changes and not at_root:
        return Rendered(text)
    notes = tuple(f"{_where(path, item.line)}: the translation of {shorten(item.msgid)!r}: "
                  f"{problem}; the edition shows it as written"
                  for item, translation in changes if item.msgid
                  for problem in entity_problems(item.msgid, translation))
    line: int | None = None
    try:
        spliced: str | None = splice(text, tree, changes, at_root)
    except Unpositioned as error:
        spliced, line = None, error.line
    apply(tree, changes, at_root)
    if spliced is not None:
        check = _parse(spliced, path)
        if check is not None:
            line = _first_difference(shape(check), shape(tree), tree)
            if line is None:
                return Rendered(spliced, notes)
    note = (f"{_where(path, line or 1)}: HTML source positions could not be matched; the edition "
            "is re-serialized (byte fidelity lost outside the translated text)")
    return Rendered(serialize(tree, fragment=not _has_html_tag(text), source=text),
                    (*notes, note))


def _where(path: str, line: int) -> str:
    return f"{path}:{line}" if path else f"line {line}"


def _first_difference(got: list[tuple[Any, ...]], want: list[tuple[Any, ...]],
                      tree: Any) -> int | None:
    """The source line of the first node where two shapes differ; None when they are equal."""
    if got == want:
        return None
    nodes = list(tree.getroot().iter())
    for index, node in enumerate(nodes):
        if index >= len(got) or got[index] != want[index]:
            return node.sourceline or 1
    return nodes[-1].sourceline or 1 if nodes else 1


def render_tree(text: str, lookup: Lookup, *, options: FormatOptions) -> str:
    """What ``render`` falls back to: translations applied to lxml's tree, then serialized."""
    tree = _parse(text, "")
    if tree is None:
        return text
    apply(tree, _changes(tree, lookup, options.language),
          root_changes(tree, _has_html_tag(text), options.language))
    return serialize(tree, fragment=not _has_html_tag(text), source=text)


def _changes(tree: Any, lookup: Lookup, language: str | None) -> list[tuple[Item, str]]:
    """The translated blocks, and the language metadata and labels ``language`` changes."""
    changes: list[tuple[Item, str]] = []
    blocks: list[tuple[Item, int]] = []
    for item in _walk(tree):
        translation = _usable(item.msgid, lookup)
        if translation is not None:
            changes.append((item, translation))
        # Approved as it is (``msgstr == msgid``) is shown in the edition's language too.
        shown = translation is not None or lookup(item.msgid) == item.msgid
        blocks.append((item, SHOWN if shown else KEPT))
    return changes + page_changes(tree, language, blocks)


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
