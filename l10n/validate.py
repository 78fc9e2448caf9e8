"""After build: re-parse an edition and compare its structure with its source's.

Translation changes words, never structure: the same headings at the same levels, the same link
targets and anchors, the same code blocks, tables of the same shape, the same front-matter keys.
Each difference is a short sentence ("heading 3 level 2 became level 3", "link https://x missing").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token

from l10n.errors import SourceError
from l10n.formats.markdown_blocks import footnote

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_MD = MarkdownIt("commonmark").enable("table")
# Footnote definitions as extract reads them, so "[^1]: Ibid." is no link reference definition.
_MD.block.ruler.before("reference", "footnote", footnote, {"alt": ["paragraph", "reference"]})
_ANCHOR_ATTR = re.compile(r"""\b(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                          re.IGNORECASE)
_URL_ATTR = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                       re.IGNORECASE)
_HEADING_ID = re.compile(r"\{#([^\s}]+)[^}]*\}\s*$")


@dataclass(frozen=True)
class Outline:
    """The structure of a document, the part a translation must not change."""

    headings: tuple[int, ...] = ()            # levels, in order
    links: tuple[str, ...] = ()               # link and image targets
    anchors: tuple[str, ...] = ()             # ids and names one can link to
    code_blocks: tuple[str, ...] = ()         # info string and content, in order
    tables: tuple[tuple[int, ...], ...] = ()  # cells in each row, per table, in order
    front_matter: tuple[str, ...] = ()        # top-level keys

    def to_json(self) -> dict[str, list[object]]:
        return {name: list(value) for name, value in vars(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, list[object]]) -> Outline:
        """The outline ``to_json`` gave; KeyError, ValueError or TypeError when ``data`` is not one."""
        values = {name: tuple(data[name]) for name in cls.__dataclass_fields__}
        values["tables"] = tuple(tuple(rows) for rows in values["tables"])  # type: ignore[arg-type]
        return cls(**values)  # type: ignore[arg-type]


def _attribute_values(pattern: re.Pattern[str], markup: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in pattern.finditer(markup)]


def markdown_outline(text: str, *, inline: bool = True) -> Outline:
    """The outline of a Markdown document. ``inline=False`` parses blocks only (much faster):
    links and inline HTML anchors are then left out. SourceError on malformed front matter."""
    from l10n.formats import frontmatter, markdown

    keys = frontmatter.keys(markdown.front_matter(text))
    if inline:
        tokens = _MD.parse(markdown.body_text(text))
    else:
        tokens = markdown.block_tokens(text)  # the parse the build's render already made
    headings: list[int] = []
    links: list[str] = []
    anchors: list[str] = []
    code: list[str] = []
    tables: list[list[int]] = []
    for token in tokens:
        if token.type == "heading_open":
            headings.append(int(token.tag[1:]))
        elif token.type in ("fence", "code_block"):
            code.append(f"{token.info.strip()}\n{token.content}")
        elif token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append(0)
        elif token.type in ("th_open", "td_open"):
            tables[-1][-1] += 1
        elif token.type == "html_block":
            _html_markup(token.content, links, anchors)
        elif token.type == "inline":
            if headings and (heading_id := _HEADING_ID.search(token.content)):
                anchors.append(heading_id.group(1))
            if inline:
                _inline(token.children or [], links, anchors)
    return Outline(tuple(headings), tuple(links), tuple(anchors), tuple(code),
                   tuple(tuple(rows) for rows in tables), tuple(keys))


def _inline(children: Iterable[Token], links: list[str], anchors: list[str]) -> None:
    for child in children:
        if child.type == "link_open":
            links.append(str(child.attrs.get("href", "")))
        elif child.type == "image":
            links.append(str(child.attrs.get("src", "")))
        elif child.type == "html_inline":
            _html_markup(child.content, links, anchors)


def _html_markup(markup: str, links: list[str], anchors: list[str]) -> None:
    links.extend(_attribute_values(_URL_ATTR, markup))
    anchors.extend(_attribute_values(_ANCHOR_ATTR, markup))


def html_outline(text: str, *, path: str) -> Outline:
    import lxml.etree
    import lxml.html

    if not text.strip():
        return Outline()
    try:
        root = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise SourceError(f"cannot parse HTML: {exc}", path=path) from None
    headings: list[int] = []
    links: list[str] = []
    anchors: list[str] = []
    code: list[str] = []
    tables: list[tuple[int, ...]] = []
    keys: list[str] = []
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):  # comments, processing instructions
            continue
        tag = tag.lower()
        if re.fullmatch(r"h[1-6]", tag):
            headings.append(int(tag[1]))
        elif tag == "pre":
            code.append(element.text_content())
        elif tag == "table":
            rows = [row for row in element.iter("tr") if _table_of(row) is element]
            tables.append(tuple(sum(_colspan(cell) for cell in row if cell.tag in ("td", "th"))
                                for row in rows))
        elif tag == "meta" and (element.get("name") or element.get("property")):
            keys.append(element.get("name") or element.get("property") or "")
        elif tag == "title":
            keys.append("title")
        links.extend(element.get(name) or "" for name in ("href", "src") if name in element.attrib)
        anchors.extend(element.get(name) or "" for name in ("id", "name")
                       if name in element.attrib and (name == "id" or tag == "a"))
    return Outline(tuple(headings), tuple(links), tuple(anchors), tuple(code), tuple(tables),
                   tuple(keys))


def _table_of(row: HtmlElement) -> HtmlElement | None:
    """The table a row belongs to (not an outer one, when tables nest)."""
    parent = row.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _colspan(cell: HtmlElement) -> int:
    value = str(cell.get("colspan", "1")).strip()
    return int(value) if value.isdigit() and int(value) > 0 else 1


def outline(text: str, *, format_name: str, path: str, inline: bool = True) -> Outline:
    if format_name == "html":
        return html_outline(text, path=path)
    return markdown_outline(text, inline=inline)


# -- comparing -----------------------------------------------------------------------------------

def _sequence(kind: str, source: Sequence[object], edition: Sequence[object],
              describe: str) -> Iterator[str]:
    """Differences between two ordered lists, numbered from 1 as a reader counts."""
    opcodes: Sequence[tuple[str, int, int, int, int]]
    if len(source) == len(edition):  # nothing added or lost: compare place by place
        opcodes = [("replace", i, i + 1, i, i + 1) for i in range(len(source))
                   if source[i] != edition[i]]
    else:
        opcodes = SequenceMatcher(None, list(source), list(edition), autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            old, new = source[i1 + k], edition[j1 + k]
            yield describe.format(kind=kind, n=i1 + k + 1, old=_show(old), new=_show(new))
        for i in range(i1 + pairs, i2):
            yield f"{kind} {i + 1} ({_show(source[i])}) missing"
        for j in range(j1 + pairs, j2):
            yield f"{kind} {j + 1} ({_show(edition[j])}) added in the edition"


def _show(item: object) -> str:
    if isinstance(item, int):
        return f"level {item}"
    if isinstance(item, tuple):  # a table's row widths
        rows = f"{len(item)} row{'s' * (len(item) != 1)}"
        if len(set(item)) == 1:
            return f"{rows} × {item[0]} column{'s' * (item[0] != 1)}"
        return f"{rows} of {'/'.join(map(str, item))} cells"
    first = str(item).split("\n", 2)
    body = first[1] if len(first) > 1 else first[0]
    return repr(body[:30] + ("…" if len(body) > 30 else ""))


def _multiset(kind: str, source: Iterable[str], edition: Iterable[str]) -> Iterator[str]:
    want, have = Counter(source), Counter(edition)
    for item, count in want.items():
        if have[item] < count:
            yield f"{kind} {item} missing" + (f" ({count - have[item]} of {count})"
                                               if count > 1 else "")
    for item, count in have.items():
        if want[item] < count:
            yield f"{kind} {item} added" + (f" ({count - want[item]} more)" if want[item] else "")


def compare_outlines(source: Outline, edition: Outline) -> list[str]:
    problems: list[str] = []
    problems += _sequence("heading", source.headings, edition.headings,
                          "{kind} {n} {old} became {new}")
    problems += _multiset("link", source.links, edition.links)
    problems += _multiset("anchor", (f"#{a}" for a in source.anchors),
                          (f"#{a}" for a in edition.anchors))
    problems += _sequence("code block", source.code_blocks, edition.code_blocks,
                          "{kind} {n} changed")
    problems += _sequence("table", source.tables, edition.tables,
                          "{kind} {n} had {old}, now {new}")
    problems += _multiset("front matter key", source.front_matter, edition.front_matter)
    return problems


def validate_edition(source_text: str, edition_text: str, *, format_name: str,
                     path: str, inline: bool = True,
                     source_outline: Outline | None = None) -> list[str]:
    """What differs in structure between a source and its edition; empty when nothing does.

    ``inline=False`` compares block structure only; the build uses it because every entry's
    links, images, code spans and tags were already compared with its msgid by the critical
    checks, so the document's inline markup is the source's by construction."""
    if source_outline is None:
        source_outline = outline(source_text, format_name=format_name, path=path, inline=inline)
    return compare_outlines(
        source_outline,
        outline(edition_text, format_name=format_name, path=path, inline=inline))
