"""Reading and writing PO files exactly as GNU msgcat (gettext 0.21) lays them out, atomically.

The data model is polib's (``POFile`` of ``POEntry``). polib parses; we write, because polib's
``save()`` wraps differently from gettext (see NOTES.md). ``format_catalog`` reproduces
gettext's ``write-po.c``: 79-column pages, strings broken where libunistring's line breaking
allows, references filled to the width, flags in gettext's canonical order.
"""

from __future__ import annotations

import gc
import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NoReturn

import polib

from l10n.atomic import write_text_atomic
from l10n.errors import CatalogError
from l10n.linebreak import BreakFunction, breaker

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


# --------------------------------------------------------------------------------------------
# Reading
#
# A line-oriented reader with GNU gettext's grammar (po-gram.y) and polib's data model. It is
# strict where polib is lenient: whatever msgfmt rejects as a syntax error, we reject with the
# file and line, so a damaged catalog is never read, "repaired" and written back.

# The body of a quoted string: no bare quote, a backslash always escapes the next character.
_BODY = r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t]*\Z'
_KEYWORD_LINE = re.compile(
    r"(msgctxt|msgid_plural|msgid|msgstr)(?:[ \t]*\[[ \t]*(\d+)[ \t]*\])?[ \t]*" + _BODY)
_STRING_LINE = re.compile(_BODY)
_WORD = re.compile(r"[A-Za-z_][\w\[\]]*")
_ESCAPE = re.compile(r"\\(?:([ntbrfva\\\"])|([0-7]{1,3})|x([0-9A-Fa-f]+)|(.?))", re.DOTALL)
_CONTROL = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a",
            "\\": "\\", '"': '"'}

# The layout msgcat writes, one entry per match: comments in msgcat's order, then the strings,
# each line exactly `"..."`. Anything else (hand edits, other tools' layouts, errors) is read
# line by line by _Reader, which also words the errors.
_S = r'"[^"\\\n]*(?:\\[^\n][^"\\\n]*)*"\n'
_STRINGS = rf"{_S}(?:(?P=o){_S})*"
_FAST_ENTRY = re.compile(
    r"(?P<t>(?:\#\ [^\n]*\n)*)"
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

# Where a string line goes. Values are the phases of an entry (see _Reader.line).
_BETWEEN, _CONTEXT, _MSGID, _PLURAL, _MSGSTR, _MSGSTR_N = range(6)
_NEW_ENTRY = polib.POEntry.__new__


class _SyntaxProblem(Exception):
    """A syntax error at the line being read, optionally at another line."""

    def __init__(self, message: str, line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


def parse_catalog(text: str, path: str) -> polib.POFile:
    """Parse the text of a PO or POT file. ``path`` is only used in error messages.

    Raises CatalogError (with path and line, worded like msgfmt's messages) on any syntax error
    msgfmt rejects (a string without its closing quote, an unknown keyword, text after a
    string, a msgstr without msgid, a msgid_plural without msgstr[0], an invalid escape, ...),
    on a header that declares a charset other than UTF-8, and on two entries with the same
    msgctxt and msgid.

    Entries are real ``polib.POEntry`` objects with every field polib fills, except that
    ``linenum`` is the line of the entry's ``msgid`` keyword (polib gives the entry's first
    line), ``#~|`` previous strings of obsolete entries are kept (polib drops them), and
    comment text is kept as gettext keeps it (trailing spaces, empty ``#.`` lines). Comments
    before the first entry go to ``catalog.header`` only when that entry is the header.
    """
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    collecting = gc.isenabled()
    gc.disable()  # the reader only allocates; collecting as it goes costs a quarter of its time
    try:
        reader = _Reader(path)
        if not reader.read_fast(text if text.endswith("\n") else text + "\n"):
            reader = _Reader(path)  # start again, line by line
            reader.read_lines(text)
    finally:
        if collecting:
            gc.enable()
    catalog = reader.catalog()
    _check_charset(catalog, text, path)
    return catalog


def read_catalog(path: Path, display: str | None = None) -> polib.POFile:
    """Read a PO or POT file (UTF-8). ``display`` is the path shown in errors (default: path)."""
    where = display if display is not None else str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CatalogError(f"cannot read the catalog: {error.strerror}", path=where) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise CatalogError(
            f"not valid UTF-8 (byte 0x{data[error.start]:02x})", path=where, line=line,
            hint="convert the file with `msgconv -t UTF-8`",
        ) from None
    catalog = parse_catalog(text, where)
    catalog.fpath = str(path)
    return catalog


class _Reader:
    """Reads one catalog: ``read_fast`` one entry per regex match (msgcat's layout), else
    ``read_lines``, a state machine over the lines of an entry (phases _BETWEEN.._MSGSTR_N)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.entries: list[polib.POEntry] = []
        self.header: polib.POEntry | None = None
        self.seen: dict[tuple[str | None, str], int] = {}
        self.start_entry()

    def start_entry(self) -> None:
        # Comment fields of the entry being read; strings are lists of their lines' pieces.
        self.tcomments: list[str] = []
        self.comments: list[str] = []
        self.occurrences: list[tuple[str, str]] = []
        self.flags: list[str] = []
        self.previous: dict[str, list[str]] = {}
        self.strings: dict[str, list[str]] = {}
        self.plurals: dict[int, list[str]] = {}
        self.obsolete = False
        self.msgid_line = 0
        self.first_line = 0  # the msgctxt or msgid line: where a missing section is reported
        self.phase = _BETWEEN

    def read_lines(self, text: str) -> None:
        """Read any layout gettext accepts, line by line; raise CatalogError at the first
        syntax error."""
        number = 0
        try:
            for number, line in enumerate(text.split("\n"), 1):
                if line:
                    self.line(line, number)
            self.end(number)
        except _SyntaxProblem as problem:
            where = problem.line if problem.line is not None else number
            raise CatalogError(problem.message, path=self.path, line=where,
                               hint=problem.hint) from None

    def line(self, line: str, number: int) -> None:
        first = line[0]
        if first == " " or first == "\t":
            line = line.strip()
            if not line:
                return
            first = line[0]
        obsolete = False
        if first == "#":
            mark = line[1:2]
            if mark == "~":
                rest = line[2:]
                if rest[:1] == "|":
                    self.previous_line(rest[1:], number)
                    return
                line = rest.strip()
                if not line:
                    return
                obsolete = True
            elif mark == "|":
                self.previous_line(line[2:], number)
                return
            else:
                self.comment_line(line, mark, number)
                return
        if line[0] == '"':
            self.string_line(line, obsolete, number)
        else:
            self.keyword_line(line, obsolete, number)

    def comment_line(self, line: str, mark: str, number: int) -> None:
        phase = self.phase
        if phase >= _MSGSTR:
            self.finish()
        elif phase != _BETWEEN:
            raise self.missing()
        if mark == ":":
            self.occurrences.extend(_references(line[2:]))
        elif mark == ",":
            self.flags.extend(_flag_list(line + "\n"))
        elif mark == ".":
            text = line[2:]
            self.comments.append(text[1:] if text[:1] == " " else text)
        else:
            text = line[1:]
            self.tcomments.append(text[1:] if text[:1] == " " else text)

    def previous_line(self, rest: str, number: int) -> None:
        if self.phase >= _MSGSTR:
            self.finish()
        elif self.phase != _BETWEEN:
            raise self.missing()
        rest = rest.strip()
        if rest[:1] == '"':
            pieces = self.previous.get("last")
            if pieces is None:
                raise _SyntaxProblem("'#|' string without a 'msgid' before it")
            pieces.append(_string(rest))
            return
        match = _KEYWORD_LINE.match(rest)
        if match is None or match.group(2) is not None or match.group(1) == "msgstr":
            keyword = _WORD.match(rest)
            if keyword and keyword.group() in ("msgctxt", "msgid", "msgid_plural"):
                _string(rest[keyword.end():].lstrip())  # raises the precise problem
            raise _SyntaxProblem(_unknown(rest) + " in a '#|' line")
        pieces = [_value(match.group(3))]
        self.previous[match.group(1)] = pieces
        self.previous["last"] = pieces

    def string_line(self, line: str, obsolete: bool, number: int) -> None:
        phase = self.phase
        if phase == _BETWEEN:
            raise _SyntaxProblem("a string without a keyword (msgid, msgstr, ...) before it")
        if obsolete != self.obsolete:
            raise _SyntaxProblem("inconsistent use of #~")
        self.pieces.append(_string(line))

    def keyword_line(self, line: str, obsolete: bool, number: int) -> None:
        match = _KEYWORD_LINE.match(line)
        if match is None:
            word = _WORD.match(line)
            if word is None or word.group().partition("[")[0] not in (
                    "msgctxt", "msgid", "msgid_plural", "msgstr"):
                raise _SyntaxProblem(_unknown(line))
            rest = line[word.end():].lstrip()
            if not rest:
                raise _SyntaxProblem(f"'{word.group()}' without a string")
            _string(rest)  # raises the precise problem
            raise _SyntaxProblem("syntax error")
        keyword, index, body = match.groups()
        phase = self.phase
        if index is not None and keyword != "msgstr":
            raise _SyntaxProblem(f"'{keyword}' takes no [index]")
        if keyword == "msgid":
            if phase >= _MSGSTR:
                self.finish()
            elif phase == _MSGID or phase == _PLURAL:
                raise self.missing()
            if phase == _CONTEXT:
                if obsolete != self.obsolete:
                    raise _SyntaxProblem("inconsistent use of #~")
            else:
                self.obsolete = obsolete
                self.first_line = number
            self.msgid_line = number
            self.phase = _MSGID
            self.pieces = self.strings["msgid"] = [_value(body)]
            return
        if keyword == "msgctxt":
            if phase >= _MSGSTR:
                self.finish()
            elif phase != _BETWEEN:
                raise self.missing()
            self.obsolete = obsolete
            self.first_line = number
            self.phase = _CONTEXT
            self.pieces = self.strings["msgctxt"] = [_value(body)]
            return
        if keyword == "msgstr" and index is None and phase == _MSGID:
            self.phase = _MSGSTR
            pieces = self.strings["msgstr"] = []
        elif keyword == "msgstr" and index is not None and phase in (_PLURAL, _MSGSTR_N):
            if int(index) != len(self.plurals):
                raise _SyntaxProblem("plural form has wrong index" if self.plurals
                                     else "first plural form has nonzero index")
            self.phase = _MSGSTR_N
            pieces = self.plurals[int(index)] = []
        elif keyword == "msgid_plural" and phase == _MSGID:
            self.phase = _PLURAL
            pieces = self.strings["msgid_plural"] = []
        else:
            raise _SyntaxProblem(_misplaced(keyword, index, phase))
        if obsolete != self.obsolete:
            raise _SyntaxProblem("inconsistent use of #~")
        pieces.append(_value(body))
        self.pieces = pieces

    def missing(self) -> _SyntaxProblem:
        """The error for an entry cut short, reported at its first keyword like msgfmt."""
        if self.phase == _CONTEXT:
            return _SyntaxProblem("missing 'msgid' after 'msgctxt'", self.first_line)
        if self.phase == _PLURAL:
            return _SyntaxProblem("missing 'msgstr[0]' section", self.msgid_line)
        return _SyntaxProblem("missing 'msgstr' section", self.msgid_line)

    def end(self, number: int) -> None:
        if self.phase >= _MSGSTR:
            self.finish()
        elif self.phase != _BETWEEN:
            raise self.missing()
        elif self.previous:
            raise _SyntaxProblem("'#|' lines without an entry after them", number)

    def finish(self) -> None:
        strings = self.strings
        plural = strings.get("msgid_plural")
        self.add(
            _join(strings["msgid"]),
            _join(strings["msgstr"]) if plural is None else "",
            "" if plural is None else _join(plural),
            {index: _join(pieces) for index, pieces in self.plurals.items()},
            _join(strings["msgctxt"]) if "msgctxt" in strings else None,
            self.obsolete, "\n".join(self.comments), "\n".join(self.tcomments),
            self.occurrences, self.flags, *_previous(self.previous), self.msgid_line,
        )
        self.start_entry()

    def add(self, msgid: str, msgstr: str, msgid_plural: str, msgstr_plural: dict[int, str],
            msgctxt: str | None, obsolete: bool, comment: str, tcomment: str,
            occurrences: list[tuple[str, str]], flags: list[str],
            previous_msgctxt: str | None, previous_msgid: str | None,
            previous_msgid_plural: str | None, line: int) -> None:
        """Keep one entry: a real POEntry, built without polib's slow keyword __init__."""
        key = (msgctxt, msgid)
        if self.seen.setdefault(key, line) != line:
            self.duplicate(key, line)
        entry = _NEW_ENTRY(polib.POEntry)
        entry.__dict__ = {
            "msgid": msgid, "msgstr": msgstr, "msgid_plural": msgid_plural,
            "msgstr_plural": msgstr_plural, "msgctxt": msgctxt, "obsolete": obsolete,
            "encoding": "utf-8", "comment": comment, "tcomment": tcomment,
            "occurrences": occurrences, "flags": flags, "previous_msgctxt": previous_msgctxt,
            "previous_msgid": previous_msgid, "previous_msgid_plural": previous_msgid_plural,
            "linenum": line,
        }
        if msgid == "" and msgctxt is None and not obsolete and self.header is None:
            self.header = entry
        else:
            self.entries.append(entry)

    def duplicate(self, key: tuple[str | None, str], line: int) -> NoReturn:
        msgctxt, msgid = key
        shown = f" (msgctxt {msgctxt!r})" if msgctxt is not None else ""
        raise CatalogError(
            f"duplicate message definition {_shorten(msgid)!r}{shown}; the first is at line"
            f" {self.seen[key]}", path=self.path, line=line,
            hint="merge the two entries (msguniq can do it)")

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
                occurrences = []
                if r:
                    for reference in r.split():
                        if reference != "#:":
                            name, colon, place = reference.rpartition(":")
                            occurrences.append((name, place) if colon and place.isdigit()
                                               else (reference, ""))
                previous: tuple[str | None, str | None, str | None] = (None, None, None)
                if p:
                    self.previous_lines(p, number - 1 - p.count("\n"))
                    previous, self.previous = _previous(self.previous), {}
                entry = new_entry(entry_class)
                entry.__dict__ = {
                    "msgid": msgid, "msgstr": msgstr,
                    "msgid_plural": "" if plural is None else _value(_lines(plural, o)),
                    "msgstr_plural": {} if n is None else _plural_forms(n),
                    "msgctxt": msgctxt, "obsolete": bool(o), "encoding": "utf-8",
                    # Comment text cannot hold a newline, so "\n#. " only starts a line.
                    "comment": x[3:-1].replace("\n#. ", "\n"),
                    "tcomment": t[2:-1].replace("\n# ", "\n"),
                    "occurrences": occurrences, "flags": _flag_list(f) if f else [],
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

    def previous_lines(self, block: str, number: int) -> None:
        for row in block[:-1].split("\n"):
            number += 1
            self.previous_line(row[3:] if row[1] == "~" else row[2:], number)

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


def _previous(previous: dict[str, list[str]]) -> tuple[str | None, str | None, str | None]:
    """previous_msgctxt, previous_msgid and previous_msgid_plural from #| lines."""
    return tuple(  # type: ignore[return-value]
        _join(previous[key]) if key in previous else None
        for key in ("msgctxt", "msgid", "msgid_plural"))


def _plural_forms(block: str) -> dict[int, str]:
    forms: dict[int, str] = {}
    for match in _PLURAL_FORM.finditer(block):
        if int(match.group(2)) != len(forms):
            raise _SyntaxProblem("plural form has wrong index")
        forms[len(forms)] = _value(_lines(match.group(3), match.group(1)))
    return forms


def _references(block: str) -> list[tuple[str, str]]:
    occurrences = []
    for reference in block.split():
        if reference != "#:":
            name, colon, place = reference.rpartition(":")
            occurrences.append((name, place) if colon and place.isdigit() else (reference, ""))
    return occurrences


def _flag_list(block: str) -> list[str]:
    return [flag for row in block[:-1].split("\n") for flag in
            (piece.strip() for piece in row[2:].split(",")) if flag] if block else []


def _join(pieces: list[str]) -> str:
    return pieces[0] if len(pieces) == 1 else "".join(pieces)


def _string(text: str) -> str:
    """The value of a line that should hold exactly one quoted string (a continuation)."""
    match = _STRING_LINE.match(text)
    if match is not None:
        return _value(match.group(1))
    if not text.startswith('"'):
        raise _SyntaxProblem("syntax error")
    closing = re.match(r'"(?:[^"\\]|\\.)*"', text, re.DOTALL)
    if closing is None:
        raise _SyntaxProblem("end-of-line within string")
    raise _SyntaxProblem(f"text after the closing quote: {_shorten(text[closing.end():].strip())!r}")


def _value(body: str) -> str:
    """Undo gettext's escapes; reject the ones msgfmt rejects."""
    if "\\" not in body:
        return body
    if "\\\\" not in body:
        # Every backslash starts an escape: the common ones can go by replace.
        text = body.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t")
        if "\\" not in text:
            return text
    if "\\x" not in body and not re.search(r"\\[0-7]", body):
        return _ESCAPE.sub(_control, body)
    # Octal and hex escapes stand for bytes of the UTF-8 text, as in gettext.
    data = bytearray()
    at = 0
    for match in _ESCAPE.finditer(body):
        data += body[at:match.start()].encode("utf-8")
        octal, hexadecimal = match.group(2), match.group(3)
        if octal is not None or hexadecimal is not None:
            code = int(octal, 8) if octal is not None else int(hexadecimal, 16)
            if code > 0xFF:
                raise _SyntaxProblem(f"escape {match.group()!r} is out of range")
            data.append(code)
        else:
            data += _control(match).encode("utf-8")
        at = match.end()
    data += body[at:].encode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _SyntaxProblem("octal or hex escapes that are not valid UTF-8") from None


def _control(match: re.Match[str]) -> str:
    letter = match.group(1)
    if letter is None:
        raise _SyntaxProblem(f"invalid control sequence {match.group()!r}")
    return _CONTROL[letter]


def _misplaced(keyword: str, index: str | None, phase: int) -> str:
    """Why a well-formed keyword line cannot come where it is."""
    shown = f"'{keyword}'" if index is None else f"'msgstr[{index}]'"
    if phase == _PLURAL:
        return f"{shown} after 'msgid_plural'; expected 'msgstr[0]'"
    if index is not None and phase in (_MSGID, _MSGSTR):
        return f"{shown} in an entry without 'msgid_plural'"
    if keyword == "msgid_plural" and phase >= _MSGSTR:
        return "'msgid_plural' must come before the msgstr lines"
    if keyword == "msgstr" and phase == _MSGSTR_N:
        return f"{shown} in an entry with 'msgid_plural'; expected 'msgstr[n]'"
    return f"{shown} without a 'msgid' before it"


def _unknown(line: str) -> str:
    word = _WORD.match(line)
    if word is not None:
        return f'keyword "{word.group()}" unknown'
    return f"syntax error at {_shorten(line, 20)!r}"


def _check_charset(catalog: polib.POFile, text: str, path: str) -> None:
    content_type = catalog.metadata.get("Content-Type", "")
    match = re.search(r"charset=([^\s;]+)", content_type)
    if match is None or match.group(1).upper() in ("UTF-8", "UTF8", "CHARSET"):
        return
    line = next((number for number, row in enumerate(text.split("\n"), 1)
                 if "charset=" in row), None)
    raise CatalogError(f"declares charset {match.group(1)}; only UTF-8 catalogs are supported",
                       path=path, line=line, hint="convert it with `msgconv -t UTF-8`")


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------------------------
# Writing


def format_catalog(catalog: polib.POFile) -> str:
    """The text of the catalog as a PO file, byte for byte what ``msgcat`` writes for it.

    Like msgcat: obsolete entries come last and are dropped when untranslated; ``fuzzy`` is
    dropped from untranslated entries; flags gettext does not know are dropped; duplicate
    references are merged.
    """
    writer = _Writer(breaker())
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


def write_catalog(catalog: polib.POFile, path: Path) -> bool:
    """Write the catalog to ``path`` atomically in msgcat's layout.

    Returns False, leaving the file (and its mtime) alone, when it already holds these bytes.
    """
    return write_text_atomic(path, format_catalog(catalog))


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
        if entry.tcomment:
            out.extend(_comment_lines("#", entry.tcomment))
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
