"""Writing translations back into an HTML document, two ways that must agree token for token.

``splice`` edits the original text at source positions (found by a small tokenizer, cross-checked
against lxml's tree), so every byte it does not translate is kept. ``apply`` makes the same changes
to the lxml tree; ``shape`` lets ``html.render`` check that the spliced text parses to that tree,
and ``serialize`` is the edition when it does not. An end tag libxml2 ignores (a stray one) is
no boundary of a text: the splice keeps it, before the translation of the text it was in. They sit side by side so the agreement can be
checked by reading.
"""

from __future__ import annotations

import bisect
import html as _html
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from l10n.formats.html_markup import placeholder_tokens
from l10n.formats.html_nodes import VOID, WS, Attr, Item, Run, escape, is_element, opaque
from l10n.formats.html_tokens import (
    LXML_UNKNOWN_VOID,
    closed_by_start,
    ended_by,
    implied_ends,
    tags,
)


class Unpositioned(Exception):
    """A block's position in the source text could not be established (near ``line``)."""

    def __init__(self, what: str, line: int | None = None) -> None:
        super().__init__(what)
        self.line = line


# --------------------------------------------------------------------------------------------
# Translations applied to the tree (the reference the spliced text must parse to)


def apply(tree: Any, changes: list[tuple[Item, str]], root_changes: dict[str, str]) -> None:
    """``changes`` made to the tree, and ``root_changes`` (attribute: value) to its root."""
    for item, translation in changes:
        if isinstance(item, Attr):
            item.element.set(item.name, _html.unescape(translation))
        else:
            _rebuild(item, translation)
    for name, value in root_changes.items():
        tree.getroot().set(name, value)


def _append_text(parent: Any, last: Any, text: str) -> None:
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


def _edges(run: Run) -> tuple[str, str]:
    lead = getattr(run.holder, run.lead_attr) or ""
    last = (run.nodes[-1].tail if run.nodes else lead) or ""
    lead_ws = lead[: len(lead) - len(lead.lstrip(WS))]
    trail_ws = last[len(last.rstrip(WS)):]
    return lead_ws, trail_ws


def _rebuild(run: Run, translation: str) -> None:
    lead_ws, trail_ws = _edges(run)
    attr = run.lead_attr
    if not run.nodes:
        setattr(run.holder, attr, lead_ws + "".join(t for _, t in placeholder_tokens(translation)) + trail_ws)
        return
    index = run.container.index(run.nodes[0])
    for node in run.nodes:
        run.container.remove(node)
    for node in run.names.values():
        node.tail = None
        if not opaque(node):
            for child in list(node):
                node.remove(child)
            node.text = None
    setattr(run.holder, attr, lead_ws)
    top: list[Any] = []
    stack: list[Any] = []
    for kind, value in placeholder_tokens(translation):
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


def shape(tree: Any) -> list[tuple[Any, ...]]:
    """Enough of a tree to compare two parses: every node's tag, attributes, texts and number of
    children (in document order, so that two nestings of the same nodes differ)."""
    return [(node.tag if is_element(node) else type(node).__name__,
             sorted(node.attrib.items()) if is_element(node) else node.text,
             node.text or "", node.tail or "", len(node)) for node in tree.getroot().iter()]


def serialize(tree: Any, *, fragment: bool, source: str) -> str:
    """lxml's HTML serialization: the whole document, or the body's content for a fragment.

    What lxml loses is put back from ``source``: the whitespace after the last tag (the final
    newline) and void elements it does not know (``<wbr>``, not ``<wbr></wbr>``)."""
    if not fragment:
        text = lxml.html.tostring(tree, encoding="unicode", method="html",
                                  doctype=tree.docinfo.doctype or None)
    else:
        out: list[str] = []
        for part in tree.getroot():
            out.append(escape(part.text or "") if part.tag == "body" else "")
            out.extend(lxml.html.tostring(child, encoding="unicode", method="html")
                       for child in part)
        text = "".join(out)
    text = _VOID_END.sub(r"\1", text)
    trailing = source[len(source.rstrip(WS)):]
    return text.rstrip(WS) + trailing if text.strip(WS) else text


# What lxml writes for an (empty) void element it does not know.
_VOID_END = re.compile(rf"(<({'|'.join(sorted(LXML_UNKNOWN_VOID))})\b[^<>]*>)</\2>")


# --------------------------------------------------------------------------------------------
# Source positions and the splice


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
    """Where each element's start and end tags, and each comment, sit in the source text; and
    the stray end tags, which libxml2 ignores (``strays``: start offset to end offset)."""

    text: str
    tags: dict[Any, _Tag] = field(default_factory=dict)
    comments: dict[Any, tuple[int, int]] = field(default_factory=dict)
    strays: dict[int, int] = field(default_factory=dict)

    def start_of(self, node: Any) -> int:
        if not is_element(node):
            return self._comment(node)[0]
        return self.tag_of(node).start

    def end_of(self, node: Any) -> int:
        """The offset just past a node: its end tag, or where its content ends."""
        if not is_element(node):
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
        """The offset of the next tag or comment from ``pos`` on; a stray end tag is not one:
        the text on both sides of it is one text in the tree."""
        while (match := _NEXT.search(self.text, pos)) is not None:
            end = self.strays.get(match.start())
            if end is None:
                return match.start()
            pos = end
        return len(self.text)

    def strays_in(self, start: int, stop: int) -> list[tuple[int, int]]:
        """The stray end tags between ``start`` and ``stop``, in order."""
        starts = self._stray_starts
        first = bisect.bisect_left(starts, start)
        last = bisect.bisect_left(starts, stop)
        return [(at, self.strays[at]) for at in starts[first:last] if self.strays[at] <= stop]

    def skip_strays(self, pos: int, stop: int) -> int:
        """``pos`` moved past the white space and stray end tags that follow it (not past
        ``stop``)."""
        while pos < stop:
            if self.text[pos] in WS:
                pos += 1
            elif pos in self.strays and self.strays[pos] <= stop:
                pos = self.strays[pos]
            else:
                break
        return pos

    def stray_ending_at(self, pos: int) -> int | None:
        """The start of the stray end tag that ends at ``pos``, if one does."""
        return self._stray_ends.get(pos)

    def __post_init__(self) -> None:
        self._stray_starts = sorted(self.strays)
        self._stray_ends = {end: at for at, end in self.strays.items()}

    def tag_of(self, node: Any) -> _Tag:
        tag = self.tags.get(node)
        if tag is None:
            raise Unpositioned(node.tag, node.sourceline)
        return tag

    def _comment(self, node: Any) -> tuple[int, int]:
        span = self.comments.get(node)
        if span is None:
            raise Unpositioned("comment", node.sourceline)
        return span




def _positions(text: str, tree: Any) -> _Positions:
    found: list[_Tag] = []
    comments: list[tuple[int, int]] = []
    lines: list[int] = []
    open_tags: list[_Tag] = []
    names: list[str] = []                   # their names
    strays: dict[int, int] = {}
    pos, line = 0, 1
    for match in tags(text):
        line += text.count("\n", pos, match.end())
        pos = match.end()
        if match.group("comment") is not None:
            if not match.group("comment").lower().startswith("!doctype"):
                comments.append((match.start(), match.end()))
            continue
        end_name = match.group("end")
        if end_name is not None:
            depth = ended_by(names, end_name.lower())
            if depth is None:
                strays[match.start()] = match.end()
            else:
                open_tags[depth].close = (match.start(), match.end())
                del open_tags[depth:]
                del names[depth:]
            continue
        tag = _Tag(match.group("start").lower(), match.start(), match.end())
        # Ended without an end tag of their own (``<p>one<li>``: the ``<p>``, as libxml2 reads
        # it): a later stray one (``two</p>``) is not theirs.
        # Then those libxml2 ends at this start tag (``<b>one<p>``: the ``<b>``; ``</b>`` is stray).
        ended = len(implied_ends(names, tag.name))
        if ended:
            del open_tags[-ended:]
            del names[-ended:]
        ended = closed_by_start(names, tag.name)
        if ended:
            del open_tags[-ended:]
            del names[-ended:]
        found.append(tag)
        lines.append(line)
        if tag.name not in VOID:
            open_tags.append(tag)
            names.append(tag.name)
    result = _Positions(text, strays=strays)
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


def splice(text: str, tree: Any, changes: list[tuple[Item, str]],
           root_changes: dict[str, str]) -> str:
    """``text`` with ``changes`` and ``root_changes`` (as ``apply`` makes them) made in place."""
    where = _positions(text, tree)
    attr_edits: dict[Any, list[tuple[int, int, str]]] = {}
    for item, translation in changes:
        if isinstance(item, Attr):
            attr_edits.setdefault(item.element, []).append(
                # An added ``dir`` goes right after ``lang``, as on ``<html>``.
                _attr_edit(where, item.element, item.name, _html.unescape(translation),
                           after="lang" if item.name == "dir" else None))
    for name, value in root_changes.items():
        # An added ``dir`` goes right after ``lang`` (itself first when it is added too).
        attr_edits.setdefault(tree.getroot(), []).append(
            _attr_edit(where, tree.getroot(), name, value, after="lang"))
    edits: list[tuple[int, int, str]] = []
    for item, translation in changes:
        if isinstance(item, Run):
            edits.append(_run_edit(where, item, translation, attr_edits))
    runs = sorted(edits)
    for element_edits in attr_edits.values():
        for edit in element_edits:
            if not any(start <= edit[0] < end for start, end, _ in runs):
                edits.append(edit)
    out: list[str] = []
    pos = 0
    # By position only: two insertions at one point stay in the order they were made.
    for start, end, replacement in sorted(edits, key=_span):
        if start < pos:
            raise Unpositioned("overlapping edits")
        out.append(text[pos:start])
        out.append(replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _span(edit: tuple[int, int, str]) -> tuple[int, int]:
    return edit[0], edit[1]


def _attr_edit(where: _Positions, element: Any, name: str, value: str,
               after: str | None = None) -> tuple[int, int, str]:
    """The edit that sets attribute ``name`` of ``element``'s start tag to ``value``, in place;
    an attribute the tag lacks is added after attribute ``after`` if it has one, else first."""
    tag = where.tag_of(element)
    name_end = insert = tag.start + 1 + len(tag.name)
    quoted = '"' + _html.escape(value, quote=True).replace("&#x27;", "'") + '"'
    for match in _ATTR.finditer(where.text, name_end, tag.end - 1):
        if match.group(1).lower() == after:
            insert = match.end()
        if match.group(1).lower() == name:
            if match.group(2) is None:
                return match.end(1), match.end(1), "=" + quoted
            start, end = match.span(2)
            if match.group(2).startswith("'"):
                return start, end, "'" + _html.escape(value, quote=True) + "'"
            return start, end, quoted
    return insert, insert, f" {name}={quoted}"


def _start_text(where: _Positions, node: Any, attr_edits: dict[Any, list[tuple[int, int, str]]]
                ) -> str:
    tag = where.tag_of(node)
    out, pos = [], tag.start
    for start, end, replacement in sorted(attr_edits.get(node, []), key=_span):
        out.append(where.text[pos:start])
        out.append(replacement)
        pos = end
    out.append(where.text[pos:tag.end])
    return "".join(out)


def _run_edit(where: _Positions, run: Run, translation: str,
              attr_edits: dict[Any, list[tuple[int, int, str]]]) -> tuple[int, int, str]:
    text = where.text
    left = where.tag_of(run.container).end if run.holder is run.container else where.end_of(
        run.holder)
    lead = getattr(run.holder, run.lead_attr) or ""
    start = left
    if lead:
        # A stray end tag before the text (``<p></b>Text``) stays where it is, as white space.
        start = where.skip_strays(start, len(text))
    last = (run.nodes[-1].tail if run.nodes else lead) or ""
    after = where.end_of(run.nodes[-1]) if run.nodes else left
    if run.container.tag == "title" and where.tag_of(run.container).close is not None:
        stop = where.tag_of(run.container).close[0]  # type: ignore[index]
    else:
        stop = where.next_token(after) if last else after
    while stop > max(after, start):
        if text[stop - 1] in WS:
            stop -= 1
        elif (stray := where.stray_ending_at(stop)) is not None:
            stop = stray
        else:
            break
    tokens = list(placeholder_tokens(translation))
    out = _strays_kept(where, run, tokens, start, stop)
    for at, (kind, value) in enumerate(tokens):
        if kind == "text":
            out.append(escape(value))
            continue
        node = run.names[value]
        if kind == "close":
            tag = where.tag_of(node)
            if tag.close:
                out.append(text[tag.close[0]:tag.close[1]])
            elif not _left_open(where, run, tokens[at:]):
                out.append(f"</{node.tag}>")
        elif is_element(node) and not opaque(node):
            out.append(_start_text(where, node, attr_edits))
        else:
            out.append(text[where.start_of(node):where.end_of(node)])
    return start, stop, "".join(out)



def _strays_kept(where: _Positions, run: Run, tokens: list[tuple[str, str]], start: int,
                 stop: int) -> list[str]:
    """The stray end tags inside the text a translation replaces, to be written before it:
    libxml2 ignores them there as it did where they were (the elements open at the start of a
    run stay open through it), and the edition keeps their bytes. Those inside an element
    copied whole go with it. Every other end tag there must be one the translation writes
    back (the end tag of one of the run's elements); one that is neither, an end tag libxml2
    did not read as ``_positions`` did, is ``Unpositioned``: it would be lost."""
    text = where.text
    slashes = text.count("</", start, stop)
    if not slashes:
        return []
    written = 0
    for node in run.names.values():
        if is_element(node) and not opaque(node):
            close = where.tag_of(node).close
            written += close is not None and start <= close[0] < stop
    strays = where.strays_in(start, stop)
    if not strays and slashes == written:
        return []                       # every end tag there is one the translation writes
    copied = [(where.start_of(node), where.end_of(node)) for kind, value in tokens
              if kind != "text" and kind != "close"
              for node in [run.names[value]] if not is_element(node) or opaque(node)]

    def outside(at: int) -> bool:
        return not any(first <= at < last for first, last in copied)

    kept = [(at, end) for at, end in strays if outside(at)]
    ends = sum(1 for match in _END_TAG.finditer(text, start, stop) if outside(match.start()))
    if ends != len(kept) + written:
        raise Unpositioned("end tag", run.line)
    return [text[at:end] for at, end in kept]


_END_TAG = re.compile(r"</[A-Za-z]")


def _left_open(where: _Positions, run: Run, rest: list[tuple[str, str]]) -> bool:
    """True when ``rest`` of a translation only ends elements the source leaves open at the end of
    the run: no end tag is written for them either (a browser carries open formatting on into
    the next block; an end tag would stop it)."""
    return all(kind == "close" and where.tag_of(run.names[value]).close is None
               for kind, value in rest)
