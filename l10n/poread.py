"""The strict, fast PO reader behind ``l10n.pofile.parse_catalog``.

A line-oriented reader with GNU gettext's grammar (po-gram.y) and polib's data model. It is
strict where polib is lenient: whatever msgfmt rejects as a syntax error, we reject with the
file and line, so a damaged catalog is never read, "repaired" and written back. Files in
msgcat's own layout take a fast path, one regex match per entry.
"""

from __future__ import annotations

import re
from typing import NoReturn

import polib

from l10n.errors import CONFLICT_MARKER, CatalogError, merge_conflict, shorten

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
                    self.previous_line(rest[1:])
                    return
                line = rest.strip()
                if not line:
                    return
                obsolete = True
            elif mark == "|":
                self.previous_line(line[2:])
                return
            else:
                self.comment_line(line, mark)
                return
        if line[0] == '"':
            self.string_line(line, obsolete)
        else:
            self.keyword_line(line, obsolete, number)

    def comment_line(self, line: str, mark: str) -> None:
        phase = self.phase
        if phase >= _MSGSTR:
            self.finish()
        elif phase != _BETWEEN:
            raise self.missing()
        if mark == ":":
            self.occurrences.extend(_references(line))
        elif mark == ",":
            self.flags.extend(_flag_list(line + "\n"))
        elif mark == ".":
            text = line[2:]
            self.comments.append(text[1:] if text[:1] == " " else text)
        else:
            text = line[1:]
            self.tcomments.append(text[1:] if text[:1] == " " else text)

    def previous_line(self, rest: str) -> None:
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

    def string_line(self, line: str, obsolete: bool) -> None:
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
            if CONFLICT_MARKER.match(line):
                message, hint = merge_conflict(line)
                raise _SyntaxProblem(message, hint=hint)
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
            self.obsolete, "\n".join(self.comments), translator_comment(self.tcomments),
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
            f"duplicate message definition {shorten(msgid)!r}{shown}; the first is at line"
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
    """The (file, line) pairs of one or more `#:` lines (a space after `#:` is optional)."""
    occurrences = []
    for reference in block[2:].replace("\n#:", " ").split():
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
    raise _SyntaxProblem(f"text after the closing quote: {shorten(text[closing.end():].strip())!r}")


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
    return f"syntax error at {shorten(line, 20)!r}"


def check_charset(catalog: polib.POFile, text: str, path: str) -> None:
    content_type = catalog.metadata.get("Content-Type", "")
    match = re.search(r"charset=([^\s;]+)", content_type)
    if match is None or match.group(1).upper() in ("UTF-8", "UTF8", "CHARSET"):
        return
    line = next((number for number, row in enumerate(text.split("\n"), 1)
                 if "charset=" in row), None)
    raise CatalogError(f"declares charset {match.group(1)}; only UTF-8 catalogs are supported",
                       path=path, line=line, hint="convert it with `msgconv -t UTF-8`")


def translator_comment(lines: list[str]) -> str:
    """``#`` comment lines as polib's ``tcomment``: joined by newlines. polib gives no comment
    and one empty ``#`` line the same "", and msgcat keeps that line: a comment whose last line
    is empty carries one more newline, which ``powrite`` drops again."""
    text = "\n".join(lines)
    return text + "\n" if lines and not lines[-1] else text
