"""The PO writer behind ``l10n.pofile.format_catalog``: GNU msgcat's layout, byte for byte.

This reproduces gettext's ``write-po.c``: 79-column pages, strings broken where libunistring's
line breaking allows (via ``l10n.linebreak``), references filled to the width, flags in
gettext's canonical order.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator

import polib

from l10n.linebreak import BreakFunction

PAGE_WIDTH = 79
_NO_WRAP_WIDTH = 2**31 - 1  # gettext uses INT_MAX when a message is flagged no-wrap

# gettext's format languages, in the order msgcat lists their flags (format_language[]).
FORMAT_LANGUAGES = (
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp", "javascript",
    "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua", "object-pascal",
    "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost", "tcl", "perl", "perl-brace",
    "php", "gcc-internal", "gfc-internal", "ycp",
)
_FORMAT_RANK = {language: rank for rank, language in enumerate(FORMAT_LANGUAGES)}
_FORMAT_FLAG = re.compile(r"(no-|possible-|impossible-)?(.+)-format")
_RANGE_FLAG = re.compile(r"range:\s*(\d+)\.\.(\d+)")

_ESCAPES = str.maketrans({
    "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r",
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v",
})
_NEEDS_ESCAPE = re.compile(r'[\\"\n\t\r\a\b\f\v]')
# Characters that make libunistring report a mandatory break (never printed as one).
_FORCED_BREAKS = re.compile("[\u2028\u2029\x85]")


def msgcat_text(catalog: polib.POFile, breaks: BreakFunction) -> str:
    """The catalog as msgcat writes it, lines broken by ``breaks`` (see format_catalog)."""
    writer = _Writer(breaks)
    blocks: list[str] = []
    header = _header_entry(catalog)
    if header is not None:
        blocks.append(writer.entry(header))
    for entry in catalog:
        if not entry.obsolete:
            blocks.append(writer.entry(entry))
    for entry in catalog:
        if entry.obsolete and _first_msgstr(entry):
            blocks.append(writer.entry(entry))
    return "\n".join(blocks)


def _header_entry(catalog: polib.POFile) -> polib.POEntry | None:
    flags = catalog.metadata_is_fuzzy
    if not isinstance(flags, list):
        flags = ["fuzzy"] if flags else []
    if not (catalog.metadata or catalog.header or flags):
        return None
    msgstr = "".join(f"{key}: {value}\n" for key, value in catalog.metadata.items())
    return polib.POEntry(msgid="", msgstr=msgstr, tcomment=catalog.header, flags=list(flags))


def _first_msgstr(entry: polib.POEntry) -> str:
    if entry.msgid_plural:
        plural = entry.msgstr_plural
        return str(plural[min(plural)]) if plural else ""
    return str(entry.msgstr)


class _Writer:
    def __init__(self, breaks: BreakFunction) -> None:
        self.breaks = breaks

    def entry(self, entry: polib.POEntry) -> str:
        out: list[str] = []
        obsolete = bool(entry.obsolete)
        if entry.tcomment:  # a last empty line carries one more newline (poread)
            out.extend(_comment_lines("#", entry.tcomment.removesuffix("\n")))
        if entry.comment:
            out.extend(_comment_lines("#.", entry.comment))
        if entry.occurrences:
            out.extend(_reference_lines(entry.occurrences))
        flags, wrap = _flags(entry, obsolete)
        if flags:
            out.append("#, " + ", ".join(flags))
        width = PAGE_WIDTH if wrap else _NO_WRAP_WIDTH
        previous = "#~| " if obsolete else "#| "
        if entry.previous_msgctxt is not None:
            self.string(out, previous, "msgctxt", entry.previous_msgctxt, width)
        if entry.previous_msgid is not None:
            self.string(out, previous, "msgid", entry.previous_msgid, width)
        if entry.previous_msgid_plural is not None:
            self.string(out, previous, "msgid_plural", entry.previous_msgid_plural, width)
        prefix = "#~ " if obsolete else ""
        if entry.msgctxt is not None:
            self.string(out, prefix, "msgctxt", entry.msgctxt, width)
        self.string(out, prefix, "msgid", entry.msgid, width)
        if entry.msgid_plural:
            self.string(out, prefix, "msgid_plural", entry.msgid_plural, width)
            for index, text in enumerate(_plural_msgstrs(entry)):
                self.string(out, prefix, f"msgstr[{index}]", text, width)
        else:
            self.string(out, prefix, "msgstr", entry.msgstr, width)
        out.append("")
        return "\n".join(out)

    def string(self, out: list[str], prefix: str, keyword: str, value: str, page: int) -> None:
        """gettext's wrap(): one keyword and its string, split after each \\n and wherever the
        line would pass the page width."""
        indent = len(prefix) + 1  # subsequent lines: prefix and the opening quote
        width = page - 1 - indent  # room for the closing quote
        head = len(keyword) + 1  # the first line also holds `keyword `
        first = True
        for portion, more in _portions(value):
            escaped = portion.translate(_ESCAPES) if _NEEDS_ESCAPE.search(portion) else portion
            newline = portion.endswith("\n")
            lines = self.fit(escaped, newline, width, 0)
            if first:
                first = False
                # Breaking from column 0 implies breaking from `head`, so one call usually does.
                if escaped and (more or len(lines) > 1
                                or len(self.fit(escaped, newline, width, head)) > 1):
                    out.append(f'{prefix}{keyword} ""')
                else:
                    out.append(f'{prefix}{keyword} "{escaped}"')
                    continue
            for line in lines:
                out.append(f'{prefix}"{line}"')

    def fit(self, escaped: str, ends_with_newline: bool, width: int, start: int) -> list[str]:
        """Split an escaped portion into the pieces gettext prints on separate lines."""
        if escaped.isascii():
            if start + len(escaped) <= width:
                return [escaped]
        elif start + 2 * len(escaped) <= width and not _FORCED_BREAKS.search(escaped):
            return [escaped]
        data = escaped.encode("utf-8")
        # No break inside an escape sequence (every backslash starts one), nor before a final "\n".
        prohibited: list[int] = []
        at = data.find(b"\\")
        while at >= 0:
            prohibited.append(at + 1)
            at = data.find(b"\\", at + 2)
        if ends_with_newline:
            prohibited.append(len(data) - 2)
        cuts = self.breaks(data, prohibited, width, start)
        if not cuts:
            return [escaped]
        bounds = [0, *cuts, len(data)]
        return [data[a:b].decode("utf-8") for a, b in itertools.pairwise(bounds)]


def _portions(value: str) -> Iterator[tuple[str, bool]]:
    """The string cut after each newline, as gettext prints it; flags whether more follow."""
    if "\n" not in value:
        yield value, False
        return
    pieces = [piece + "\n" for piece in value.split("\n")]
    pieces[-1] = pieces[-1][:-1]
    if not pieces[-1]:
        pieces.pop()
    for index, piece in enumerate(pieces):
        yield piece, index < len(pieces) - 1


def _plural_msgstrs(entry: polib.POEntry) -> list[str]:
    plural = entry.msgstr_plural
    if not plural:
        return ["", ""]
    return [str(plural[key]) for key in sorted(plural)]


def _comment_lines(mark: str, text: str) -> Iterator[str]:
    for line in text.split("\n"):
        yield f"{mark} {line}" if line else mark


def _reference_lines(occurrences: Iterable[tuple[str, str]]) -> list[str]:
    """``#:`` lines filled to the page width, duplicates merged, like gettext."""
    seen: set[tuple[str, int | None]] = set()
    lines: list[str] = []
    current = "#:"
    column = 2
    for name, number in occurrences:
        line = int(number) if str(number).isdigit() else None
        while name.startswith("./"):
            name = name[2:]
        if (name, line) in seen:
            continue
        seen.add((name, line))
        reference = name if line is None else f"{name}:{line}"
        size = len(reference.encode("utf-8")) + 1  # gettext counts bytes
        if column > 2 and column + size > PAGE_WIDTH:
            lines.append(current)
            current, column = "#:", 2
        current += " " + reference
        column += size
    lines.append(current)
    return lines


def _flags(entry: polib.POEntry, obsolete: bool) -> tuple[list[str], bool]:
    """The flags msgcat prints, in its order, and whether the strings are wrapped."""
    fuzzy = False
    formats: dict[str, str] = {}
    span: str | None = None
    wrap = True
    for flag in entry.flags:
        flag = flag.strip()
        if flag == "fuzzy":
            fuzzy = True
        elif flag in ("wrap", "no-wrap"):
            wrap = flag == "wrap"
        elif (match := _FORMAT_FLAG.fullmatch(flag)) and match.group(2) in _FORMAT_RANK:
            formats[match.group(2)] = match.group(1) or ""
        elif (match := _RANGE_FLAG.fullmatch(flag)) and int(match.group(1)) <= int(match.group(2)):
            span = f"range: {int(match.group(1))}..{int(match.group(2))}"
    shown: list[str] = []
    if fuzzy and (obsolete or _first_msgstr(entry)):
        shown.append("fuzzy")
    for language in sorted(formats, key=_FORMAT_RANK.__getitem__):
        kind = formats[language]
        if kind == "no-":
            shown.append(f"no-{language}-format")
        elif kind != "impossible-":
            shown.append(f"{language}-format")
    if span is not None and not obsolete:
        shown.append(span)
    if not wrap:
        shown.append("no-wrap")
    return shown, wrap
