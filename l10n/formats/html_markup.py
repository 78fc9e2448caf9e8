"""The placeholder tags of HTML msgids (``<a1>…</a1>``, ``<br2/>``): checking that a translation's
markup is safe and matches its msgid, and reading a checked translation back as tokens.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterator

_PLACEHOLDER = re.compile(r"<(/?)([a-z]+)(\d+)(/?)>")
# Characters XML (and so lxml) refuses in text.
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SCRIPT_URL = re.compile(r"(?:java|vb)script:|data:text/html", re.IGNORECASE)
_HANDLER = re.compile(r"\bon[a-z]+\s*=", re.IGNORECASE)
_TAG_IN_TEXT = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style|svg|math|link|meta|base|"
                          r"form|frame|img)\b", re.IGNORECASE)


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
            if stack and stack[-1] == name:
                stack.pop()
            elif name in stack:   # <b1><i2></b1></i2>: the tags cross
                at = len(stack) - 1 - stack[::-1].index(name)
                inner = stack[at + 1:][::-1]   # innermost first
                problems.append(f"tags cross: </{name}> closes before "
                                + " and ".join(f"</{n}>" for n in inner) + "; close "
                                + " and ".join(f"<{n}>" for n in inner) + " first")
                del stack[at]
            else:
                problems.append(f"</{name}> closes a tag that is not open: tags must nest")
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


def placeholder_tokens(msgstr: str) -> Iterator[tuple[str, str]]:
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
