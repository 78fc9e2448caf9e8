"""The strict, fast PO reader behind ``l10n.pofile.parse_catalog``.

A line-oriented reader with GNU gettext's grammar (po-gram.y) and polib's data model. It is
strict where polib is lenient: whatever msgfmt rejects as a syntax error, we reject with the
file and line, so a damaged catalog is never read, "repaired" and written back. Files in
msgcat's own layout take a fast path, one regex match per entry (here); any other layout is
read line by line by ``l10n.poread_lines``, which also words the syntax errors.
"""

from __future__ import annotations

import re

import polib

from l10n.errors import CatalogError
from l10n.poread_lines import (
    _NEW_ENTRY,
    _flag_list,
    _LineReader,
    _previous,
    _references,
    _SyntaxProblem,
    _value,
    translator_comment,
)

# The layout msgcat writes, one entry per match: comments in msgcat's order, then the strings,
# each line exactly `"..."`. Anything else (hand edits, other tools' layouts, errors) is read
# line by line by _LineReader (l10n.poread_lines), which also words the errors.
_S = r'"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"\n'
_STRINGS = rf"{_S}(?:(?P=o){_S})*"
_FAST_ENTRY = re.compile(
    r"(?P<t>(?:\#(?:\ [^\n]*)?\n)*)"  # an empty comment line is a bare #
    r"(?P<x>(?:\#\.\ [^\n]*\n)*)"
    r"(?P<r>(?:\#:[^\n]*\n)*)"
    r"(?P<f>(?:\#,[^\n]*\n)*)"
    r"(?P<p>(?:\#~?\|[^\n]*\n)*)"
    r"(?P<o>(?:\#~\ )?)"
    rf"(?:msgctxt\ (?P<c>{_STRINGS})(?P=o))?"
    rf"msgid\ (?P<i>{_STRINGS})"
    rf"(?:(?P=o)msgid_plural\ (?P<l>{_STRINGS})"
    rf"(?P<n>(?:(?P=o)msgstr\[\d+\]\ {_STRINGS})+)"
    rf"|(?P=o)msgstr\ (?P<s>{_STRINGS}))"
    r"\n*",
    re.VERBOSE,
)
_PLURAL_FORM = re.compile(rf"(?P<o>(?:\#~\ )?)msgstr\[(\d+)\]\ ({_STRINGS})", re.VERBOSE)


class _Reader(_LineReader):
    """Reads one catalog: ``read_fast`` one entry per regex match (msgcat's layout), else
    ``read_lines`` (``_LineReader``), line by line; ``catalog`` makes the POFile of either."""

    def read_fast(self, text: str) -> bool:
        """Read a file in msgcat's layout; False (nothing kept) at the first other line.

        This loop runs once per entry of every catalog read, so the common cases are inlined
        (one-line strings without escapes, one-line comments) and ``add`` is done in place.
        """
        match_entry = _FAST_ENTRY.match
        count = text.count
        seen = self.seen
        entries = self.entries
        new_entry = _NEW_ENTRY
        entry_class = polib.POEntry
        size = len(text)
        position = re.match(r"\n*", text).end()  # type: ignore[union-attr]
        line = 1 + position
        try:
            while position < size:
                match = match_entry(text, position)
                if match is None:
                    return False
                t, x, r, f, p, o, c, i, plural, n, s = match.groups()
                at, end = match.start("i"), match.end()
                number = line + count("\n", position, at)  # the msgid line
                line = number + count("\n", at, end)  # the line at `end`
                position = end
                msgid = i[1:-2] if i.count("\n") == 1 else _lines(i, o)
                if "\\" in msgid:
                    msgid = _value(msgid)
                msgctxt = None if c is None else _value(_lines(c, o))
                key = (msgctxt, msgid)
                if seen.setdefault(key, number) != number:
                    self.duplicate(key, number)
                if s is None:
                    msgstr = ""
                else:
                    msgstr = s[1:-2] if s.count("\n") == 1 else _lines(s, o)
                    if "\\" in msgstr:
                        msgstr = _value(msgstr)
                previous: tuple[str | None, str | None, str | None] = (None, None, None)
                if p:
                    self.previous_lines(p)
                    previous, self.previous = _previous(self.previous), {}
                entry = new_entry(entry_class)
                entry.__dict__ = {
                    "msgid": msgid, "msgstr": msgstr,
                    "msgid_plural": "" if plural is None else _value(_lines(plural, o)),
                    "msgstr_plural": {} if n is None else _plural_forms(n),
                    "msgctxt": msgctxt, "obsolete": bool(o), "encoding": "utf-8",
                    # Comment text cannot hold a newline, so "\n#. " only starts a line.
                    "comment": x[3:-1].replace("\n#. ", "\n"),
                    "tcomment": translator_comment([row[2:] for row in t[:-1].split("\n")])
                    if t else "",
                    "occurrences": _references(r) if r else [],
                    "flags": _flag_list(f) if f else [],
                    "previous_msgctxt": previous[0], "previous_msgid": previous[1],
                    "previous_msgid_plural": previous[2], "linenum": number,
                }
                if msgid or msgctxt is not None or o or self.header is not None:
                    entries.append(entry)
                else:
                    self.header = entry
        except _SyntaxProblem:
            return False  # let the line reader find the line and word the message
        return True

    def previous_lines(self, block: str) -> None:
        for row in block[:-1].split("\n"):
            self.previous_line(row[3:] if row[1] == "~" else row[2:])

    def catalog(self) -> polib.POFile:
        catalog = polib.POFile(fpath=self.path, encoding="utf-8")
        list.extend(catalog, self.entries)  # POFile.append checks for duplicates, one by one
        header = self.header
        if header is not None:
            catalog.header = header.tcomment
            catalog.metadata_is_fuzzy = header.flags
            metadata = catalog.metadata
            key = None
            for row in header.msgstr.splitlines():  # polib's reading of the header, exactly
                name, colon, value = row.partition(":")
                if colon:
                    key = name
                    metadata[key] = value.strip()
                elif key is not None:
                    metadata[key] += "\n" + row.strip()
        return catalog


def _lines(block: str, prefix: str) -> str:
    """The escaped text of a run of `"..."` lines the fast reader matched."""
    # A string cannot hold a raw newline, so `"\n"` only occurs between two lines.
    return block[1:-2].replace(f'"\n{prefix}"', "")


def _plural_forms(block: str) -> dict[int, str]:
    forms: dict[int, str] = {}
    for match in _PLURAL_FORM.finditer(block):
        if int(match.group(2)) != len(forms):
            raise _SyntaxProblem("plural form has wrong index")
        forms[len(forms)] = _value(_lines(match.group(3), match.group(1)))
    return forms


def check_charset(catalog: polib.POFile, text: str, path: str) -> None:
    content_type = catalog.metadata.get("Content-Type", "")
    match = re.search(r"charset=([^\s;]+)", content_type)
    if match is None or match.group(1).upper() in ("UTF-8", "UTF8", "CHARSET"):
        return
    line = next((number for number, row in enumerate(text.split("\n"), 1)
                 if "charset=" in row), None)
    raise CatalogError(f"declares charset {match.group(1)}; only UTF-8 catalogs are supported",
                       path=path, line=line, hint="convert it with `msgconv -t UTF-8`")
