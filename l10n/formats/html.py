"""HTML articles, parsed with lxml: extract translatable blocks, build editions, keep them safe.

One traversal (``_walk``) finds the blocks for both ``extract`` and ``render``. A block is a *run*:
the text and inline elements between two block-level boundaries, or a translatable attribute.
Inline elements become numbered placeholder tags in the msgid (``<a1>…</a1>``, ``<br2/>``); their
attributes stay out of translators' reach and come back from the source on build.

``render`` splices translations into the original text at source positions (found by a small
tokenizer, cross-checked against lxml's tree), so every byte it does not translate is kept. It also
applies the same translations to the lxml tree and checks that the spliced text parses to that tree;
when it does not (markup too broken for the tokenizer), the edition is the serialized tree instead.

This module is longer than our usual ~400 lines: the source-position map and the tree rebuild must
agree token for token, and keeping them side by side is what makes that checkable.
"""

from __future__ import annotations

import html as _html
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from l10n.errors import SourceError
from l10n.formats import FormatOptions
from l10n.segment import Lookup, Segment

NAME = "html"
SUFFIXES = (".html", ".htm")

log = logging.getLogger(__name__)

# Phrasing content that stays inside a segment as a placeholder tag.
INLINE = frozenset(
    ["a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img", "input", "ins", "kbd", "mark", "q", "ruby", "rp", "rt", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr"]
)
VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])
# Never translated; inside a run they are opaque placeholders (``<svg1/>``), reproduced verbatim.
SKIP = frozenset(
    ["script", "style", "pre", "svg", "math", "template", "textarea", "iframe", "object", "canvas", "audio", "video", "noembed", "noframes", "xmp", "plaintext"]
)
ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
META_NAMES = frozenset(
    ["description", "og:title", "og:description", "twitter:title", "twitter:description"]
)
# Raw-text and RCDATA elements: no tags inside, up to the matching end tag.
_RAW = frozenset(["script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title", "plaintext"])
_WS = " \t\n\r\f"
_WS_RUN = re.compile(r"[ \t\n\r\f]+")
_PLACEHOLDER = re.compile(r"<(/?)([a-z]+)(\d+)(/?)>")
_ENTITY_DECL = re.compile(r"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
# Characters XML (and so lxml) refuses in text.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|data:text/html", re.IGNORECASE)
_HANDLER = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)
_TAG_IN_TEXT = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style|svg|math|link|meta|base|"
                          r"form|frame|img)\b", re.IGNORECASE)


class _Unpositioned(Exception):
    """A block's position in the source text could not be established."""


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


def _is_element(node: Any) -> bool:
    return isinstance(node.tag, str)


def _opaque(node: Any) -> bool:
    """Kept verbatim: comments, never-translated elements, ``translate="no"``, ``notranslate``."""
    if not _is_element(node):
        return True
    if node.tag in SKIP or node.get("translate", "").strip().lower() == "no":
        return True
    return "notranslate" in node.get("class", "").split()


def _inline(node: Any) -> bool:
    """True for nodes that belong inside a run (a paragraph's text flow)."""
    if not _is_element(node):
        return True
    if node.tag in SKIP:
        return True
    if node.tag not in INLINE:
        return False
    return _opaque(node) or all(_inline(child) for child in node)


# --------------------------------------------------------------------------------------------
# The traversal shared by extract and render


@dataclass
class _Run:
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
class _Attr:
    element: Any
    name: str
    msgid: str
    line: int
    kind: str


_Item = _Run | _Attr


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _has_letter(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _walk(tree: Any) -> list[_Item]:
    items: list[_Item] = []
    root = tree.getroot()
    _visit(root, "", items)
    return items


def _visit(element: Any, path: str, items: list[_Item]) -> None:
    _attributes(element, path or element.tag, items)
    holder, nodes = element, []
    for child in element:
        if _inline(child):
            nodes.append(child)
            continue
        _flush(element, holder, nodes, path, items)
        holder, nodes = child, []
        if not _opaque(child):
            _visit(child, f"{path}/{child.tag}" if path else child.tag, items)
    _flush(element, holder, nodes, path, items)


def _attributes(element: Any, where: str, items: list[_Item]) -> None:
    for name in ATTRIBUTES:
        value = element.get(name)
        if value and _has_letter(value):
            items.append(_Attr(element, name, _escape(value.strip(_WS)), element.sourceline or 1,
                               f"{where}@{name}"))
    if element.tag == "meta":
        key = (element.get("name") or element.get("property") or "").strip().lower()
        value = element.get("content")
        if key in META_NAMES and value and _has_letter(value):
            items.append(_Attr(element, "content", _escape(value.strip(_WS)),
                               element.sourceline or 1, f"{where}[{key}]@content"))


def _flush(container: Any, holder: Any, nodes: list[Any], path: str,
           items: list[_Item]) -> None:
    lead = (holder.text if holder is container else holder.tail) or ""
    # Comments at either edge of a run stay outside it.
    while nodes and not _is_element(nodes[0]) and not lead.strip(_WS):
        holder = nodes.pop(0)
        lead = holder.tail or ""
    while nodes and not _is_element(nodes[-1]) and not (nodes[-1].tail or "").strip(_WS):
        nodes.pop()
    if not nodes and not lead.strip(_WS):
        return
    parts: list[str] = [_escape(lead)]
    names: dict[str, Any] = {}
    letters = [_has_letter(lead)]
    for node in nodes:
        _placeholder(node, parts, names, letters)
        parts.append(_escape(node.tail or ""))
        letters.append(_has_letter(node.tail or ""))
    if any(letters):
        msgid = _WS_RUN.sub(" ", "".join(parts)).strip(" ")
        line = (container.sourceline if holder is container else holder.sourceline) or 1
        items.append(_Run(container, holder, nodes, msgid, names, line, path or container.tag))
    for node in nodes:
        _inline_attributes(node, path or container.tag, items)


def _inline_attributes(node: Any, path: str, items: list[_Item]) -> None:
    """Translatable attributes of the inline elements of a run (``<img alt>``, ``<a title>``)."""
    if _opaque(node):
        return
    _attributes(node, f"{path}/{node.tag}", items)
    for child in node:
        _inline_attributes(child, f"{path}/{node.tag}", items)


def _placeholder(node: Any, parts: list[str], names: dict[str, Any], letters: list[bool]) -> None:
    tag = node.tag if _is_element(node) else "comment"
    name = f"{tag}{len(names) + 1}"
    names[name] = node
    if _opaque(node) or (node.tag in VOID and len(node) == 0 and not node.text):
        parts.append(f"<{name}/>")
        return
    parts.append(f"<{name}>")
    parts.append(_escape(node.text or ""))
    letters.append(_has_letter(node.text or ""))
    for child in node:
        _placeholder(child, parts, names, letters)
        parts.append(_escape(child.tail or ""))
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
    tree = _parse(text, path)
    if tree is None or tree.getroot().tag != "html":
        return None
    root = tree.getroot()
    value = (root.get("lang") or root.get("xml:lang") or "").strip()
    return value or None


def language_line(text: str) -> int | None:
    """The line of the ``<html lang>`` start tag, when the document declares a language."""
    if declared_language(text, "") is None:
        return None
    return _parse(text, "").getroot().sourceline


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
        spliced: str | None = _splice(text, tree, changes, lang)
    except _Unpositioned:
        spliced = None
    _apply(tree, changes, lang)
    if spliced is not None:
        check = _parse(spliced, "")
        if check is not None and _shape(check) == _shape(tree):
            return spliced
    log.warning("HTML source positions could not be matched; the edition is re-serialized")
    return serialize(tree, fragment=not _has_html_tag(text))


def render_tree(text: str, lookup: Lookup, *, options: FormatOptions) -> str:
    """What ``render`` falls back to: translations applied to lxml's tree, then serialized."""
    tree = _parse(text, "")
    if tree is None:
        return text
    changes = [(item, t) for item in _walk(tree) if (t := _usable(item.msgid, lookup)) is not None]
    _apply(tree, changes, _lang_change(tree, text, options.language))
    return serialize(tree, fragment=not _has_html_tag(text))


def serialize(tree: Any, *, fragment: bool) -> str:
    """lxml's HTML serialization: the whole document, or the body's content for a fragment."""
    if not fragment:
        return lxml.html.tostring(tree, encoding="unicode", method="html",
                                  doctype=tree.docinfo.doctype or None)
    out: list[str] = []
    for part in tree.getroot():
        out.append(_escape(part.text or "") if part.tag == "body" else "")
        out.extend(lxml.html.tostring(child, encoding="unicode", method="html")
                   for child in part)
    return "".join(out)


def markup_problems(msgid: str, msgstr: str) -> list[str]:
    """What is wrong with the markup of a translation; empty when it is safe and matches msgid.

    A translation may hold exactly the placeholder tags of its msgid, each once, in the same
    form, properly nested; any other ``<…>``, script URLs or event handlers not in the msgid,
    and characters HTML cannot carry, are problems.
    """
    problems: list[str] = []
    if _BAD_CHARS.search(msgstr):
        problems.append("contains a control character")
    want = {m.group(2) + m.group(3): "void" if m.group(4) else "pair"
            for m in _PLACEHOLDER.finditer(msgid) if not m.group(1)}
    seen: dict[str, int] = {}
    stack: list[str] = []
    pos = 0
    for match in re.finditer(r"<", msgstr):
        if match.start() < pos:
            continue
        tag = _PLACEHOLDER.match(msgstr, match.start())
        if tag is None:
            snippet = msgstr[match.start():match.start() + 20].split(">")[0] + ">"
            problems.append(f"unknown markup {snippet!r}: write a literal '<' as &lt;")
            continue
        pos = tag.end()
        closing, name, void = tag.group(1), tag.group(2) + tag.group(3), tag.group(4)
        if name not in want:
            problems.append(f"tag <{name}> is not in the source text")
            continue
        if (want[name] == "void") != bool(void) or (closing and void):
            form = f"<{name}/>" if want[name] == "void" else f"<{name}>…</{name}>"
            problems.append(f"tag {name} must be written {form}")
            continue
        if closing:
            if not stack or stack[-1] != name:
                problems.append(f"</{name}> closes a tag that is not open: tags must nest")
            else:
                stack.pop()
            continue
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 2:
            problems.append(f"tag <{name}> appears more than once")
        if not void:
            stack.append(name)
    if stack:
        problems.append(f"<{stack[-1]}> is never closed")
    for name in want:
        if name not in seen:
            problems.append(f"tag <{name}> is missing")
    problems.extend(_content_problems(msgid, msgstr))
    return problems


def _content_problems(msgid: str, msgstr: str) -> list[str]:
    source = _html.unescape(_PLACEHOLDER.sub(" ", msgid))
    target = _html.unescape(_PLACEHOLDER.sub(" ", msgstr))
    problems: list[str] = []
    squeezed = re.sub(r"[\s\x00-\x1f]+", "", target)
    if _SCRIPT_URL.search(squeezed) and not _SCRIPT_URL.search(re.sub(r"\s+", "", source)):
        problems.append("contains a script URL (javascript:, vbscript:, data:text/html)")
    if _HANDLER.search(target) and not _HANDLER.search(source):
        problems.append("contains an event handler attribute (on...=)")
    for tag in {m.group(1).lower() for m in _TAG_IN_TEXT.finditer(target)}:
        if not re.search(rf"<\s*/?\s*{tag}\b", source, re.IGNORECASE):
            problems.append(f"contains an escaped <{tag}> tag")
    return problems


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


# --------------------------------------------------------------------------------------------
# Translations applied to the tree (the reference the spliced text must parse to)


def _tokens(msgstr: str) -> Iterator[tuple[str, str]]:
    """("text", decoded text) | ("open"|"close"|"void", placeholder name), for a checked msgstr."""
    pos = 0
    for match in _PLACEHOLDER.finditer(msgstr):
        if match.start() > pos:
            yield "text", _html.unescape(msgstr[pos:match.start()])
        name = match.group(2) + match.group(3)
        yield ("close" if match.group(1) else "void" if match.group(4) else "open"), name
        pos = match.end()
    if pos < len(msgstr):
        yield "text", _html.unescape(msgstr[pos:])


def _apply(tree: Any, changes: list[tuple[_Item, str]], lang: str | None) -> None:
    for item, translation in changes:
        if isinstance(item, _Attr):
            item.element.set(item.name, _html.unescape(translation))
        else:
            _rebuild(item, translation)
    if lang is not None:
        root = tree.getroot()
        root.set("lang", lang)
        if root.get("xml:lang") is not None:
            root.set("xml:lang", lang)


def _append_text(parent: Any, last: Any, text: str) -> None:
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _edges(run: _Run) -> tuple[str, str]:
    lead = getattr(run.holder, run.lead_attr) or ""
    last = (run.nodes[-1].tail if run.nodes else lead) or ""
    lead_ws = lead[: len(lead) - len(lead.lstrip(_WS))]
    trail_ws = last[len(last.rstrip(_WS)):]
    return lead_ws, trail_ws


def _rebuild(run: _Run, translation: str) -> None:
    lead_ws, trail_ws = _edges(run)
    attr = run.lead_attr
    if not run.nodes:
        setattr(run.holder, attr, lead_ws + "".join(t for _, t in _tokens(translation)) + trail_ws)
        return
    index = run.container.index(run.nodes[0])
    for node in run.nodes:
        run.container.remove(node)
    for node in run.names.values():
        node.tail = None
        if not _opaque(node):
            for child in list(node):
                node.remove(child)
            node.text = None
    setattr(run.holder, attr, lead_ws)
    top: list[Any] = []
    stack: list[Any] = []
    for kind, value in _tokens(translation):
        level = stack[-1] if stack else None
        if kind == "text":
            if level is None:
                if top:
                    top[-1].tail = (top[-1].tail or "") + value
                else:
                    setattr(run.holder, attr, (getattr(run.holder, attr) or "") + value)
            else:
                _append_text(level, level[-1] if len(level) else None, value)
            continue
        if kind == "close":
            stack.pop()
            continue
        node = run.names[value]
        if level is None:
            top.append(node)
        else:
            level.append(node)
        if kind == "open":
            stack.append(node)
    if top:
        top[-1].tail = (top[-1].tail or "") + trail_ws
    for offset, node in enumerate(top):
        run.container.insert(index + offset, node)


def _shape(tree: Any) -> list[tuple[Any, ...]]:
    """Enough of a tree to compare two parses: every node's tag, attributes and texts."""
    return [(node.tag if _is_element(node) else type(node).__name__,
             sorted(node.attrib.items()) if _is_element(node) else node.text,
             node.text or "", node.tail or "") for node in tree.getroot().iter()]


# --------------------------------------------------------------------------------------------
# Source positions and the splice


_TOKEN = re.compile(
    r"""<(?:
        (?P<comment>!--(?:>|->|.*?--!?>)|\?[^>]*>|![^>]*>)
      | /(?P<end>[A-Za-z][^\t\n\f\r />]*)[^>]*>
      | (?P<start>[A-Za-z][^\t\n\f\r />]*)(?:[^>"']|"[^"]*"|'[^']*')*>
    )""",
    re.DOTALL | re.VERBOSE,
)
_NEXT = re.compile(r"<[A-Za-z/!?]")
_ATTR = re.compile(
    r"""([^\t\n\f\r />"'=][^\t\n\f\r />=]*)"""
    r"""(?:[\t\n\f\r ]*=[\t\n\f\r ]*("[^"]*"|'[^']*'|[^\t\n\f\r >]+))?"""
)


@dataclass
class _Tag:
    name: str
    start: int
    end: int
    close: tuple[int, int] | None = None


@dataclass
class _Positions:
    """Where each element's start and end tags, and each comment, sit in the source text."""

    text: str
    tags: dict[Any, _Tag] = field(default_factory=dict)
    comments: dict[Any, tuple[int, int]] = field(default_factory=dict)

    def start_of(self, node: Any) -> int:
        if not _is_element(node):
            return self._comment(node)[0]
        return self.tag_of(node).start

    def end_of(self, node: Any) -> int:
        """The offset just past a node: its end tag, or where its content ends."""
        if not _is_element(node):
            return self._comment(node)[1]
        tag = self.tag_of(node)
        if tag.close is not None:
            return tag.close[1]
        if node.tag in VOID:
            return tag.end
        after = self.end_of(node[-1]) if len(node) else tag.end
        trailing = node[-1].tail if len(node) else node.text
        return self.next_token(after) if trailing else after

    def next_token(self, pos: int) -> int:
        match = _NEXT.search(self.text, pos)
        return match.start() if match else len(self.text)

    def tag_of(self, node: Any) -> _Tag:
        tag = self.tags.get(node)
        if tag is None:
            raise _Unpositioned(node.tag)
        return tag

    def _comment(self, node: Any) -> tuple[int, int]:
        span = self.comments.get(node)
        if span is None:
            raise _Unpositioned("comment")
        return span


def _positions(text: str, tree: Any) -> _Positions:
    found: list[_Tag] = []
    comments: list[tuple[int, int]] = []
    lines: list[int] = []
    open_tags: list[_Tag] = []
    pos, line = 0, 1
    while True:
        match = _TOKEN.search(text, pos)
        if match is None:
            break
        line += text.count("\n", pos, match.end())
        pos = match.end()
        if match.group("comment") is not None:
            if not match.group("comment").lower().startswith("!doctype"):
                comments.append((match.start(), match.end()))
            continue
        end_name = match.group("end")
        if end_name is not None:
            end_name = end_name.lower()
            for depth in range(len(open_tags) - 1, -1, -1):
                if open_tags[depth].name == end_name:
                    open_tags[depth].close = (match.start(), match.end())
                    del open_tags[depth:]
                    break
            continue
        tag = _Tag(match.group("start").lower(), match.start(), match.end())
        found.append(tag)
        lines.append(line)
        if tag.name in _RAW:
            close = re.compile(rf"</{tag.name}[\t\n\f\r />]", re.IGNORECASE).search(text, pos)
            stop = close.start() if close else len(text)
            line += text.count("\n", pos, stop)
            pos = stop
        if tag.name not in VOID:
            open_tags.append(tag)
    result = _Positions(text)
    index = 0
    for element in tree.getroot().iter(etree.Element):
        for ahead in range(index, min(index + 4, len(found))):
            if found[ahead].name == element.tag and lines[ahead] == element.sourceline:
                result.tags[element] = found[ahead]
                index = ahead + 1
                break
    root = tree.getroot()
    nodes = [*reversed(list(root.itersiblings(etree.Comment, preceding=True))),
             *root.iter(etree.Comment), *root.itersiblings(etree.Comment)]
    if len(nodes) == len(comments):
        result.comments = dict(zip(nodes, comments, strict=True))
    return result


def _splice(text: str, tree: Any, changes: list[tuple[_Item, str]], lang: str | None) -> str:
    where = _positions(text, tree)
    attr_edits: dict[Any, list[tuple[int, int, str]]] = {}
    for item, translation in changes:
        if isinstance(item, _Attr):
            attr_edits.setdefault(item.element, []).append(
                _attr_edit(where, item.element, item.name, _html.unescape(translation)))
    if lang is not None:
        root = tree.getroot()
        for key in ("lang", "xml:lang"):
            if key == "lang" or root.get(key) is not None:
                attr_edits.setdefault(root, []).append(_attr_edit(where, root, key, lang))
    edits: list[tuple[int, int, str]] = []
    for item, translation in changes:
        if isinstance(item, _Run):
            edits.append(_run_edit(where, item, translation, attr_edits))
    runs = sorted(edits)
    for element_edits in attr_edits.values():
        for edit in element_edits:
            if not any(start <= edit[0] < end for start, end, _ in runs):
                edits.append(edit)
    out: list[str] = []
    pos = 0
    for start, end, replacement in sorted(edits):
        if start < pos:
            raise _Unpositioned("overlapping edits")
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _attr_edit(where: _Positions, element: Any, name: str, value: str) -> tuple[int, int, str]:
    tag = where.tag_of(element)
    name_end = tag.start + 1 + len(tag.name)
    quoted = '"' + _html.escape(value, quote=True).replace("&#x27;", "'") + '"'
    for match in _ATTR.finditer(where.text, name_end, tag.end - 1):
        if match.group(1).lower() == name:
            if match.group(2) is None:
                return match.end(1), match.end(1), "=" + quoted
            start, end = match.span(2)
            if match.group(2).startswith("'"):
                return start, end, "'" + _html.escape(value, quote=True) + "'"
            return start, end, quoted
    return name_end, name_end, f" {name}={quoted}"


def _start_text(where: _Positions, node: Any, attr_edits: dict[Any, list[tuple[int, int, str]]]
                ) -> str:
    tag = where.tag_of(node)
    out, pos = [], tag.start
    for start, end, replacement in sorted(attr_edits.get(node, [])):
        out.append(where.text[pos:start])
        out.append(replacement)
        pos = end
    out.append(where.text[pos:tag.end])
    return "".join(out)


def _run_edit(where: _Positions, run: _Run, translation: str,
              attr_edits: dict[Any, list[tuple[int, int, str]]]) -> tuple[int, int, str]:
    text = where.text
    left = where.tag_of(run.container).end if run.holder is run.container else where.end_of(
        run.holder)
    lead = getattr(run.holder, run.lead_attr) or ""
    start = left
    if lead:
        while start < len(text) and text[start] in _WS:
            start += 1
    last = (run.nodes[-1].tail if run.nodes else lead) or ""
    after = where.end_of(run.nodes[-1]) if run.nodes else left
    if run.container.tag == "title" and where.tag_of(run.container).close is not None:
        stop = where.tag_of(run.container).close[0]  # type: ignore[index]
    else:
        stop = where.next_token(after) if last else after
    while stop > max(after, start) and text[stop - 1] in _WS:
        stop -= 1
    out: list[str] = []
    for kind, value in _tokens(translation):
        if kind == "text":
            out.append(_escape(value))
            continue
        node = run.names[value]
        if kind == "close":
            tag = where.tag_of(node)
            out.append(text[tag.close[0]:tag.close[1]] if tag.close else f"</{node.tag}>")
        elif _is_element(node) and not _opaque(node):
            out.append(_start_text(where, node, attr_edits))
        else:
            out.append(text[where.start_of(node):where.end_of(node)])
    return start, stop, "".join(out)

