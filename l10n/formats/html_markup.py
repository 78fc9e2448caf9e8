"""The placeholder tags of HTML msgids (``<a1>…</a1>``, ``<br2/>``): checking that a translation's
markup is safe and matches its msgid, and reading a checked translation back as tokens.
"""

from __future__ import annotations

import difflib
import html as _html
import re
from collections.abc import Iterator
from html.entities import html5

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


# A character reference as a translator may write one: named or numeric, with or without ";".
_REFERENCE = re.compile(r"&(#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*)(;?)")
_NAMES = [name for name in html5 if name.endswith(";")]


def entity_problems(msgid: str, msgstr: str) -> list[str]:
    """The character references of ``msgstr`` HTML does not know (``&nbps;``) or that lack their
    ``;`` (``&copy 2024``), each said once; one written the same way in ``msgid`` is no problem.

    A browser shows an unknown one as written and reads one without ``;`` as the character, so
    either way the edition is not what a translator who meant an entity wanted."""
    problems: list[str] = []
    for match in _REFERENCE.finditer(msgstr):
        name, written = match.group(1), match.group()
        if written in msgid:
            continue
        if match.group(2):
            if name.startswith("#") or written[1:] in html5:
                continue
            guess = difflib.get_close_matches(written[1:], _NAMES, n=1)
            problem = f"unknown entity {written}" + (f" (did you mean &{guess[0]}?)" if guess else "")
        elif name.startswith("#"):
            problem = f"entity {written} lacks its ';'"
        else:
            # What a browser reads as an entity: a legacy name (``&copy``) or a whole one.
            known = [name[:n] for n in range(len(name), 0, -1) if name[:n] in html5]
            if not known and name + ";" not in html5:
                continue
            problem = f"entity &{known[0] if known else name} lacks its ';'"
        if problem not in problems:
            problems.append(problem)
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
