"""Where GNU gettext breaks a long PO string: Unicode line breaking fitted to a column width.

gettext's ``wrap()`` hands each escaped string to libunistring's ``ulc_width_linebreaks_v2``.
We call the same function through ctypes when libunistring can be loaded (it is what msgcat
itself links), so our lines break exactly where msgcat's do. Without it we run the same greedy
fitting in Python on UAX #14 break opportunities from ``uniseg`` and East Asian widths from
``unicodedata``; that fallback agrees with libunistring on ordinary prose (Latin, CJK, Markdown
punctuation) but may differ on exotic scripts and emoji sequences.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import unicodedata
from collections.abc import Callable, Collection
from functools import lru_cache

# libunistring's enum of break properties (unilbrk.h).
UNDEFINED, PROHIBITED, POSSIBLE, MANDATORY = 0, 1, 2, 3

# A break function takes the escaped string as UTF-8 bytes, the byte offsets where a break is
# forbidden, the width and the start column, and returns the byte offsets where new lines start.
BreakFunction = Callable[[bytes, Collection[int], int, int], list[int]]


def _load_libunistring() -> ctypes.CDLL | None:
    names = ["libunistring.so.5", "libunistring.so.2", ctypes.util.find_library("unistring")]
    for name in names:
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    return None


def _libunistring_breaker() -> BreakFunction | None:
    lib = _load_libunistring()
    if lib is None:
        return None
    # gettext 0.21 calls the _v2 variant; older libraries only have the first one.
    func = getattr(lib, "u8_width_linebreaks_v2", None) or getattr(lib, "u8_width_linebreaks", None)
    if func is None:
        return None
    func.restype = None
    func.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                     ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    encoding = b"UTF-8"
    buffer = ctypes.create_string_buffer(1024)

    def breaks(data: bytes, prohibited: Collection[int], width: int, start: int) -> list[int]:
        nonlocal buffer
        size = len(data)
        if size > len(buffer):
            buffer = ctypes.create_string_buffer(size * 2)
        overrides = None
        if prohibited:
            marks = bytearray(size)
            for offset in prohibited:
                marks[offset] = PROHIBITED
            overrides = bytes(marks)
        func(data, size, width, start, 0, overrides, encoding, buffer)
        raw = ctypes.string_at(buffer, size)
        found: list[int] = []
        at = raw.find(2)
        while at >= 0:
            found.append(at)
            at = raw.find(2, at + 1)
        return found

    return breaks


_WIDE_BLOCKS = ((0x2E80, 0xA4CF), (0xFE10, 0xFE1F), (0xFE30, 0xFE6F), (0xFF00, 0xFF00),
                (0x1F200, 0x1F2FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
                (0x20000, 0x3FFFF))
# Nonspacing marks that libunistring nevertheless counts as one column.
_SPACING_MARKS = frozenset((0x0CBF, 0x0CC6, 0x11A07, 0x11A08, 0x11C3F))


# How libunistring 1.0 decides between two line-break classes, measured on it: one row per class
# before, one column per class after (same order). D: a break is allowed; I: allowed only when
# spaces come between; P: never.
_CLASSES = ("WJ", "GL", "B2", "BA", "BB", "HY", "CB", "CL", "CP", "EX", "IN", "NS", "OP", "QU",
            "IS", "NU", "PO", "PR", "SY", "AL", "EB", "EM", "H2", "H3", "HL", "ID", "JL", "JV", "JT",
            "RI")
_INDEX = {name: index for index, name in enumerate(_CLASSES)}
_PAIRS = (
    "PIIIIIIPPPIIIIPIIIPIIIIIIIIIII",  # WJ
    "PIIIIIIPPPIIIIPIIIPIIIIIIIIIII",  # GL
    "PIPIDIDPPPIIDIPDDDPDDDDDDDDDDD",  # B2
    "PDDIDIDPPPIIDIPDDDPDDDDDDDDDDD",  # BA
    "PIIIIIIPPPIIIIPIIIPIIIIIIIIIII",  # BB
    "PDDIDIDPPPIIDIPIDDPDDDDDDDDDDD",  # HY
    "PIDIDIDPPPIIDIPDIDPDDDDDDDDDDD",  # CB
    "PIDIDIDPPPIPDIPDIIPDDDDDDDDDDD",  # CL
    "PIDIDIDPPPIIDIPIIIPIDDDDIDDDDD",  # CP
    "PIDIDIDPPPIIDIPDDDPDDDDDDDDDDD",  # EX
    "PIDIDIDPPPIIDIPDDDPDDDDDDDDDDD",  # IN
    "PIDIDIDPPPIIDIPDDDPDDDDDDDDDDD",  # NS
    "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPP",  # OP
    "PIIIIIIPPPIIPIPIIIPIIIIIIIIIII",  # QU
    "PIDIDIDPPPIIDIPIDDPDDDDDDDDDDD",  # IS
    "PIDIDIDPPPIIIIPIIIPIDDDDIDDDDD",  # NU
    "PIDIDIDPPPIIIIPIDDPIDDDDIDDDDD",  # PO
    "PIDIDIIPPPIIIIPIDDPIIIIIIIIIID",  # PR
    "PIDIDIDPPPIIDIPIDDPDDDDDIDDDDD",  # SY
    "PIDIDIDPPPIIIIPIIIPIDDDDIDDDDD",  # AL
    "PIDIDIDPPPIIDIPDIDPDDIDDDDDDDD",  # EB
    "PIDIDIDPPPIIDIPDIDPDDDDDDDDDDD",  # EM
    "PIDIDIDPPPIIDIPDIDPDDDDDDDDIID",  # H2
    "PIDIDIDPPPIIDIPDIDPDDDDDDDDDID",  # H3
    "PIDIDIDPPPIIIIPIIIPIDDDDIDDDDD",  # HL
    "PIDIDIDPPPIIDIPDIDPDDDDDDDDDDD",  # ID
    "PIDIDIDPPPIIDIPDIDPDDDIIDDIIDD",  # JL
    "PIDIDIDPPPIIDIPDIDPDDDDDDDDIID",  # JV
    "PIDIDIDPPPIIDIPDIDPDDDDDDDDDID",  # JT
    "PIDIDIDPPPIIDIPDDDPDDDDDDDDDDI",  # RI
)


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Columns a character takes in a terminal, as libunistring's ``uc_width`` counts them
    for a UTF-8 locale (ambiguous-width characters count one column)."""
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0:
        return 0  # control characters: libunistring returns -1 and gettext ignores them
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf") and code not in _SPACING_MARKS:
        return 0
    if category == "Cn":
        # Unassigned: libunistring reserves whole East Asian blocks as wide.
        return 2 if any(low <= code <= high for low, high in _WIDE_BLOCKS) else 1
    if 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF or code == 0x200B:
        return 0  # Hangul medial vowels and final consonants; zero width space
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 2
    if 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF:
        return 2  # CJK ideographs, assigned or not
    if 0x20000 <= code <= 0x3FFFD:
        return 2
    return 1


def _python_breaks(data: bytes, prohibited: Collection[int], width: int, start: int) -> list[int]:
    """The greedy fitting of libunistring's ``u8_width_linebreaks``, in Python."""
    text = data.decode("utf-8")
    kinds = opportunities(text)
    found: list[int] = []
    last_break: int | None = None
    column = start
    piece = 0
    offset = 0
    for char, kind in zip(text, kinds, strict=True):
        if offset in prohibited:
            kind = PROHIBITED
        if kind != PROHIBITED and last_break is not None and column + piece > width:
            found.append(last_break)
            column = 0
        if kind == MANDATORY:
            last_break = None
            column = piece = 0
        else:
            if kind == POSSIBLE:
                last_break = offset
                column += piece
                piece = 0
            piece += char_width(char)
        offset += len(char.encode("utf-8"))
    if last_break is not None and column + piece > width:
        found.append(last_break)
    return found


def opportunities(text: str) -> list[int]:
    """For each character: POSSIBLE if a line may break before it, MANDATORY if it is itself a
    line break, else PROHIBITED. libunistring's pair-table algorithm on uniseg's classes."""
    result = [PROHIBITED] * len(text)
    last: int | None = None  # class of the last character that is not a space
    spaces = False
    for index, char in enumerate(text):
        name = _class_of(char)
        if name in ("BK", "NL", "LF", "CR"):
            result[index] = MANDATORY
            last, spaces = None, False
            continue
        if name == "SP":
            spaces = last is not None
            continue
        if name == "ZW":
            last, spaces = _ZW, False
            continue
        if name in ("CM", "ZWJ"):
            if last is not None and last != _ZW and not spaces:
                continue  # a combining mark sticks to its base
            if spaces:
                result[index] = POSSIBLE  # libunistring: a mark after spaces starts a new word
                last, spaces = _INDEX["AL"], False
                continue
            name = "AL"
        current = _INDEX[name]
        if last == _ZW:
            result[index] = POSSIBLE
        elif last is not None:
            rule = _PAIRS[last][current]
            if name == "OP" and rule == "I" and _CLASSES[last] in ("AL", "HL", "NU") \
                    and unicodedata.east_asian_width(char) in ("F", "W", "H"):
                rule = "D"  # UAX #14 LB30 applies to narrow opening brackets only
            if rule == "D" or (rule == "I" and spaces):
                result[index] = POSSIBLE
        last, spaces = current, False
    return result


_ZW = -1
# Classes added after libunistring 1.0 (or resolved by it), mapped to what it uses.
_RESOLVED = {"AI": "AL", "SA": "AL", "SG": "AL", "XX": "AL", "CJ": "NS", "AK": "AL", "AP": "AL",
             "AS": "AL", "VF": "CM", "VI": "CM"}


@lru_cache(maxsize=8192)
def _class_of(char: str) -> str:
    from uniseg.linebreak import line_break

    name = line_break(char).name
    return _RESOLVED.get(name, name)


_LIBUNISTRING = _libunistring_breaker()


def breaker(*, prefer_libunistring: bool = True) -> BreakFunction:
    """The break function in use: libunistring's when available (and preferred), else Python."""
    if prefer_libunistring and _LIBUNISTRING is not None:
        return _LIBUNISTRING
    return _python_breaks


def has_libunistring() -> bool:
    """Whether libunistring could be loaded, so breaks match msgcat's exactly."""
    return _LIBUNISTRING is not None
