"""The line-by-line PO reader: gettext's grammar (po-gram.y) as a state machine, and the wording
of its syntax errors.

``l10n.poread`` tries its one-regex-per-entry fast path first and comes here for any other
layout (hand edits, other tools' layouts, damaged files). This reader accepts whatever msgfmt
accepts and rejects the rest with the file and line, worded like msgfmt. The pieces both paths
share live here too: quoted strings and their escapes, comment fields, and keeping an entry.
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

# Where a string line goes. Values are the phases of an entry (see _LineReader.line).
_BETWEEN, _CONTEXT, _MSGID, _PLURAL, _MSGSTR, _MSGSTR_N = range(6)
_NEW_ENTRY = polib.POEntry.__new__


class _SyntaxProblem(Exception):
    """A syntax error at the line being read, optionally at another line."""

    def __init__(self, message: str, line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


class _LineReader:
    """Reads one catalog with ``read_lines``, a state machine over the lines of an entry
    (phases _BETWEEN.._MSGSTR_N); keeps its entries in ``entries`` and ``header``."""

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


def _previous(previous: dict[str, list[str]]) -> tuple[str | None, str | None, str | None]:
    """previous_msgctxt, previous_msgid and previous_msgid_plural from #| lines."""
    return tuple(  # type: ignore[return-value]
        _join(previous[key]) if key in previous else None
        for key in ("msgctxt", "msgid", "msgid_plural"))


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


def translator_comment(lines: list[str]) -> str:
    """``#`` comment lines as polib's ``tcomment``: joined by newlines. polib gives no comment
    and one empty ``#`` line the same "", and msgcat keeps that line: a comment whose last line
    is empty carries one more newline, which ``powrite`` drops again."""
    text = "\n".join(lines)
    return text + "\n" if lines and not lines[-1] else text
