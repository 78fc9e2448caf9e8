"""What a reader sees in a string: its prose and its markup, for Markdown and HTML articles."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from l10n.protect import LITERAL_NAMES


@dataclass(frozen=True)
class Literal:
    """An element whose content is code, never words: ``<code>``, ``<kbd>``, ``<samp>``,
    ``<var>``, ``<tt>``."""

    name: str      # the tag as the string writes it: "code1" in an HTML msgid, "code" in Markdown
    written: str   # the element as written: "<code1>x &lt; y</code1>"
    content: str   # what is inside, as a reader sees it: entities decoded ("x < y")


@dataclass(frozen=True)
class Inline:
    """One string taken apart: its prose and its markup."""

    prose: str                 # the words: code spans and autolinks become a \x00 separator
    display: str               # what a reader sees: code spans and autolinks included
    links: tuple[str, ...] = ()
    images: tuple[str, ...] = ()
    code: tuple[str, ...] = ()
    emphasis: tuple[str, ...] = ()   # "emphasis"/"strong", once per span
    tags: tuple[str, ...] = ()       # "<span>", "</span>", ...
    literals: tuple[Literal, ...] = ()   # code elements (code spans are ``code``)


_MD = MarkdownIt("commonmark").enable("table")
# Normalising a link destination (percent-encoding, punycode) is a pure function of the string
# and a translation repeats its source's destinations: remember the recent ones.
_MD.normalizeLink = lru_cache(maxsize=4096)(_MD.normalizeLink)  # type: ignore[method-assign]
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|"
                  r"[^\s>]+))?)*)\s*/?>")
_ATTR = re.compile(r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
SEPARATOR = "\x00"
# A code element (protect.LITERAL_NAMES). In an HTML msgid: <code>…</code>, or the format's
# numbered placeholder <code2>…</code2>.
_HTML_CODE = re.compile(rf"<({'|'.join(LITERAL_NAMES)})(\d*)\b[^>]*>(.*?)</\1\2\s*>",
                        re.DOTALL | re.IGNORECASE)
# The opening tag of one, anywhere, numbered or not: a string without any holds no code element.
LITERAL_TAG = re.compile(rf"<(?:{'|'.join(LITERAL_NAMES)})(?![A-Za-z])", re.IGNORECASE)
_LITERAL_OPEN = re.compile(rf"<({'|'.join(LITERAL_NAMES)})\b[^>]*>\Z", re.IGNORECASE)


def _tag_name(markup: str) -> str | None:
    match = _TAG.fullmatch(markup.strip())
    return f"<{match.group(1)}{match.group(2).lower()}>" if match else None


def parse_markdown(text: str) -> Inline:
    prose: list[str] = []
    display: list[str] = []
    links: list[str] = []
    images: list[str] = []
    code: list[str] = []
    emphasis: list[str] = []
    tags: list[str] = []
    literals: list[Literal] = []
    for block in _MD.parseInline(text):
        in_autolink = False
        # An open code element: its name, its tag as written, where it starts in prose and display.
        opened: tuple[str, str, int, int] | None = None
        for token in block.children or []:
            if opened is not None and token.type == "html_inline" \
                    and _tag_name(token.content) == f"</{opened[0]}>":
                element, tag, begin, shown = opened
                content = "".join(display[shown:])
                literals.append(Literal(element, f"{tag}{content}{token.content}", content))
                # What is inside is code, not prose: one separator, as for a code span.
                del prose[begin:]
                prose.append(SEPARATOR)
                opened = None
            if token.type == "link_open":
                links.append(str(token.attrs.get("href", "")))
                in_autolink = token.markup == "autolink"
            elif token.type == "link_close":
                in_autolink = False
            elif token.type == "image":
                images.append(str(token.attrs.get("src", "")))
                prose.append(token.content)
                display.append(token.content)
            elif token.type == "code_inline":
                code.append(token.content)
                prose.append(SEPARATOR)
                display.append(token.content)
            elif token.type in ("em_open", "strong_open"):
                emphasis.append("emphasis" if token.type == "em_open" else "strong")
            elif token.type == "html_inline":
                name = _tag_name(token.content)
                if name is not None:
                    tags.append(name)
                    links.extend(_attribute_urls(token.content))
                    literal = _LITERAL_OPEN.match(token.content)
                    if opened is None and literal is not None:
                        opened = (literal.group(1).lower(), token.content, len(prose),
                                  len(display))
            elif token.type in ("softbreak", "hardbreak"):
                prose.append("\n")
                display.append("\n")
            elif token.type == "text":
                prose.append(SEPARATOR if in_autolink else token.content)
                display.append(token.content)
    return Inline("".join(prose), "".join(display), tuple(links), tuple(images), tuple(code),
                  tuple(emphasis), tuple(tags), tuple(literals))


def _attribute_urls(tag: str) -> list[str]:
    return [next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(tag)]


def parse_html(text: str) -> Inline:
    tags: list[str] = []
    urls: list[str] = []
    images: list[str] = []
    for match in _TAG.finditer(text):
        name = f"<{match.group(1)}{match.group(2).lower()}>"
        tags.append(name)
        (images if name == "<img>" else urls).extend(_attribute_urls(match.group(0)))
    literals = tuple(Literal(m.group(1).lower() + m.group(2), m.group(0),
                             html.unescape(_TAG.sub("", m.group(3))))
                     for m in _HTML_CODE.finditer(text))
    without_code = _HTML_CODE.sub(SEPARATOR, text)
    prose = html.unescape(_TAG.sub("", without_code))
    display = html.unescape(_TAG.sub("", text))
    return Inline(prose, display, tuple(urls), tuple(images), tuple(lit.content for lit in literals),
                  (), tuple(tags), literals)


_MARKDOWN_SPECIAL = re.compile(r"[`*_\[\]<>!&\\\n~]")


@lru_cache(maxsize=8192)
def parse(text: str, format_name: str) -> Inline:
    if format_name == "html":
        return parse_html(text)
    if _MARKDOWN_SPECIAL.search(text) is None:
        return Inline(text, text)   # plain words: no markup to find, skip the parser
    return parse_markdown(text)


# -- reference links, footnotes and task list boxes, which the inline parse cannot see ----------

@dataclass(frozen=True)
class Brackets:
    """The bracketed pieces of a Markdown string whose definitions live outside it. Each label is
    kept as written: use ``label_key`` to compare two."""

    references: tuple[str, ...] = ()   # labels of [text][label], [label][], ![alt][label], ![alt]
    shortcuts: tuple[str, ...] = ()    # a bare [label]: a shortcut reference, or bracketed prose
    footnotes: tuple[str, ...] = ()    # [^label], as a reference or as a definition "[^label]:"
    task_box: str | None = None        # "[ ]", "[x]" or "[X]" when the string opens a task item
    notes: int = 0                     # inline footnotes ^[text]: prose, counted, no label


# Left to right: what hides brackets (an escape, a code span, an autolink or tag), then a bracket
# with no bracket inside and what follows it ("[]", a label, a destination), then a label after a
# link text that holds code or brackets. The groups: 1 code run, 2 "!", 3 text, 4 "]" of "[]",
# 5 label, 6 "(", 7 the label after a text. The lookahead changes no match: it lets the engine
# skip plain text.
_TEXT = r"[^\[\]\\`]*+(?:\\[\s\S][^\[\]\\`]*+)*+"       # no bracket, no code, escapes whole
_LABEL = r"[^\[\]\\]++(?:\\[\s\S][^\[\]\\]*+)*+|(?:\\[\s\S][^\[\]\\]*+)++"  # at least one
_BRACKET = re.compile(
    r"(?=[\\`<!\[\]])(?:\\[\s\S]|(`+)[\s\S]*?(?<!`)\1(?!`)|<[A-Za-z/!?][^<>\n]*>"
    rf"|(!?)\[({_TEXT})\]"
    rf"(?:\[(?:(\])|({_LABEL})\])|(\()[^()\\\n]*+(?:\\[\s\S][^()\\\n]*+)*+\)?)?"
    rf"|\]\[({_LABEL})\])")
# A GFM task list box: the first thing in the item, and whitespace after it.
TASK_BOX = re.compile(r"[ \t]*(\[[ xX]\])(?=[ \t])")


def label_key(label: str) -> str:
    """A link label as CommonMark matches it: case-folded, inner whitespace collapsed."""
    return " ".join(label.split()).casefold()


# Every piece ``brackets`` finds has a "]" before something else than "(" (a label, a box, a
# footnote): a text whose every "]" opens a destination has only inline links.
_LABEL_END = re.compile(r"\](?!\()")
_NO_BRACKETS = Brackets()


def brackets(text: str) -> Brackets:
    """The reference labels, bare [x], footnotes, inline footnotes (^[text], counted) and task
    list box of a Markdown string."""
    if _LABEL_END.search(text) is None and "^[" not in text:
        return _NO_BRACKETS
    return _brackets(text)


# Three checks ask for the brackets of one entry's msgid and msgstr; a few hundred entries is
# room enough for that (a larger cache only holds on to the catalog's texts).
@lru_cache(maxsize=256)
def _brackets(text: str) -> Brackets:
    references: list[str] = []
    shortcuts: list[str] = []
    footnotes: list[str] = []
    box = TASK_BOX.match(text)
    start = box.end() if box else 0
    text, notes = _without_notes(text, start) if "^[" in text else (text, 0)
    # findall runs in C; a group that took no part is "", like an empty text.
    for _, bang, inside, collapsed, label, paren, after in _BRACKET.findall(text, start):
        if after:
            references.append(after)
        elif paren or not inside.strip():
            continue   # an escape, code, a tag, an inline link, or [] and [ ]: no label
        elif label:
            references.append(label)
        elif collapsed or bang:
            references.append(inside)   # [label][] and ![alt]: the text is the label
        elif inside.startswith("^"):
            footnotes.append(inside)
        else:
            shortcuts.append(inside)
    return Brackets(tuple(references), tuple(shortcuts), tuple(footnotes),
                    box.group(1) if box else None, notes)


# What hides a bracket (an escape, a code span, an autolink or tag), or a bracket, "^[" opening
# an inline footnote (Pandoc, markdown-it's footnote plugin) among them.
_NOTE_SCAN = re.compile(r"\\[\s\S]|(?<!`)(`++)[\s\S]*?(?<!`)\1(?!`)|<[A-Za-z/!?][^<>\n]*>|\^?[\[\]]")


def _without_notes(text: str, start: int) -> tuple[str, int]:
    """``text`` with the two brackets of each inline footnote ^[…] blanked out, and how many
    there are. A note's text is prose the translator translates, not a label; a bracket inside
    it still counts ([^1], [text][label]). A note closes at the "]" that balances its "[", as
    markdown-it's link labels do; one that never closes is text."""
    chars: list[str] | None = None
    count = 0
    opened: list[int] = []   # each open "[": its position if it opens a note, else -1
    for match in _NOTE_SCAN.finditer(text, start):
        token = match.group()
        if token in ("[", "^["):
            opened.append(match.end() - 1 if token == "^[" else -1)
        elif token in ("]", "^]") and opened:
            where = opened.pop()
            if where >= 0:
                chars = chars or list(text)
                chars[where] = chars[match.end() - 1] = "\0"
                count += 1
    return (text if chars is None else "".join(chars)), count
